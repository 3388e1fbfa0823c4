#!/usr/bin/env node
// The first load of the dashboard's cluster page in the browser (issue 13: < 1 s on loopback on
// the 1 M-firm panel). A benchmark, not a test: it prints the numbers for docs/performance.md.
//
//   node bench/dashboard_load.mjs --db DB [--binary build/clusterscope] [--cluster ID] [--year Y]
//                                 [--runs 5] [--threads 2]
//
// It adds (or resets the password of) a national user `dashboard-bench` in DB — the one write it
// makes — starts `serve` on a free loopback port, logs in through the API (so no other page warms
// the server first), then opens #/cluster/ID in headless Chromium:
// - cold: the first question the fresh server answers (it loads the data set it needs);
// - warm: `--runs` reloads of the same page, median and range.
// For each: the seven figures drawn (ms from navigation start to the last of the seven charts) and
// the whole page ready (every part answered: peers, diagnosis, evaluation, …), and the slowest API
// calls of the cold load.
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli, startServer, launchBrowser, SOURCE } from '../tests/browser/harness.mjs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => { const i = argv.indexOf(`--${name}`); return i >= 0 ? argv[i + 1] : fallback; };
const db = opt('db');
if (!db) { console.error('usage: node bench/dashboard_load.mjs --db DB [--binary B] [--cluster ID] [--year Y] [--runs N] [--threads N]'); process.exit(2); }
const binary = path.resolve(opt('binary', path.join(SOURCE, 'build/clusterscope')));
const runs = Number(opt('runs', '5'));
const threads = Number(opt('threads', '2'));

const user = 'dashboard-bench';
const password = randomBytes(18).toString('base64url');
const users = cli(binary, ['--db', db, 'users', 'list', '--format', 'csv']).split('\n').map((l) => l.split(',')[0]);
cli(binary, ['--db', db, 'users', users.includes(user) ? 'password' : 'add', user, ...(users.includes(user) ? [] : ['--role', 'national']), '--password-stdin'], `${password}\n`);

const server = await startServer(binary, db, { threads });
const browser = await launchBrowser();
try {
  const login = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
  const token = /cs_session=([^;]+)/.exec(login.headers.get('set-cookie'))[1];
  let cluster = opt('cluster');
  if (!cluster) {
    const list = await (await fetch(`${server.url}/api/v1/clusters`, { headers: { Cookie: `cs_session=${token}` } })).json();
    cluster = (list.find((c) => c.cluster_id === 'QH-BIO') || list[0]).cluster_id;
  }
  const year = opt('year');
  const route = `#/cluster/${encodeURIComponent(cluster)}${year ? `?year=${year}` : ''}`;
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies([{ name: 'cs_session', value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
  const page = await context.newPage();

  const measure = async (load) => {
    await load();
    await page.waitForFunction(() => document.body.dataset.ready === 'cluster', null, { timeout: 600000 });
    return page.evaluate(() => {
      const seven = [...document.querySelectorAll('figure[data-figure]')].slice(0, 7).map((f) => Number(f.dataset.drawn || NaN));
      const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/'))
        .map((e) => ({ url: e.name.replace(/^https?:\/\/[^/]+/, ''), start: Math.round(e.startTime), ms: Math.round(e.duration) })).sort((a, b) => b.ms - a.ms);
      return { seven: Math.max(...seven), ready: Number(document.body.dataset.readyMs), requests: api.length, slowest: api.slice(0, 8) };
    });
  };
  const cold = await measure(() => page.goto(`${server.url}/${route}`));
  const warm = [];
  for (let i = 0; i < runs; i++) warm.push(await measure(() => page.reload()));
  const med = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const range = (xs) => `${Math.min(...xs)}–${Math.max(...xs)}`;
  console.log(`database: ${db}`);
  console.log(`cluster page: ${route} (server threads ${threads})`);
  console.log(`cold (first question to a fresh server): seven figures drawn ${cold.seven} ms, page ready ${cold.ready} ms, ${cold.requests} API calls`);
  console.log('  slowest API calls of the cold load:');
  for (const r of cold.slowest) console.log(`    ${String(r.ms).padStart(6)} ms from ${String(r.start).padStart(5)} ms  ${r.url.slice(0, 110)}`);
  console.log(`warm (${runs} reloads): seven figures drawn median ${med(warm.map((w) => w.seven))} ms (${range(warm.map((w) => w.seven))}), page ready median ${med(warm.map((w) => w.ready))} ms (${range(warm.map((w) => w.ready))})`);
} finally {
  await browser.close();
  await server.stop();
}
