// What the browser tests and bench/dashboard_load.mjs share: a `clusterscope serve` on a free
// loopback port over a database, users made with the CLI, and Debian's Chromium driven by
// playwright-core (no browser download: executablePath).
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import fs from 'node:fs';

const here = path.dirname(new URL(import.meta.url).pathname);
export const SOURCE = path.resolve(here, '../..');
// playwright-core and fflate come from the dashboard's own package (web/package-lock.json).
const webRequire = createRequire(path.join(SOURCE, 'web', 'package.json'));

export const PASSWORD = 'correct-horse-battery';
export const CHROMIUM = process.env.CS_CHROMIUM || '/usr/bin/chromium';

export function loadPlaywright() {
  return webRequire('playwright-core');
}
export function loadFflate() {
  return webRequire('fflate');
}

export function cli(binary, args, input) {
  const r = spawnSync(binary, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`clusterscope ${args.join(' ')} → exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

// Adds `name` with `role` (and `scope`) with the shared password, through the CLI as an operator would.
export function addUser(binary, db, name, role, scope) {
  const args = ['--db', db, 'users', 'add', name, '--role', role, '--password-stdin'];
  if (scope) args.push('--scope', scope);
  cli(binary, args, `${PASSWORD}\n`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Starts `serve` on a free port and waits until it answers. Returns {url, stop, log}.
export async function startServer(binary, db, { threads = 2 } = {}) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const proc = spawn(binary, ['--db', db, 'serve', '--port', String(port), '--threads', String(threads)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    proc.stdout.on('data', (d) => { log += d; });
    proc.stderr.on('data', (d) => { log += d; });
    const url = `http://127.0.0.1:${port}`;
    const exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
    // Up to two minutes: serve reads the data set before it listens (seconds on a national panel).
    for (let i = 0; i < 1200; i++) {
      const done = await Promise.race([exited.then(() => 'exit'), new Promise((r) => setTimeout(r, 100, 'wait'))]);
      if (done === 'exit') break;
      try {
        const res = await fetch(`${url}/`);
        if (res.ok) {
          return {
            url, proc,
            log: () => log,
            stop: async () => { if (proc.exitCode === null) { proc.kill('SIGTERM'); await exited; } },
          };
        }
      } catch { /* not listening yet */ }
    }
    if (proc.exitCode === null) proc.kill('SIGKILL');
    if (!/address|in use|bind/i.test(log)) throw new Error(`serve did not start: ${log}`);
  }
  throw new Error('serve: no free port after 5 tries');
}

export async function launchBrowser() {
  const { chromium } = loadPlaywright();
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'] });
}

// Logs `user` in through the login page and waits for the page the role starts on.
export async function login(page, url, user) {
  await page.goto(`${url}/#/login`);
  await page.waitForSelector('body[data-ready="login"]');
  await page.fill('#username', user);
  await page.fill('#password', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.ready && document.body.dataset.ready !== 'login');
}

// Goes to a dashboard route and waits until every part of the page has answered.
export async function open(page, url, route, { timeout = 60000 } = {}) {
  // The same URL again is no navigation (the hash does not change): load it afresh instead.
  if (page.url() === `${url}/#/${route}`) await page.reload();
  else await page.goto(`${url}/#/${route}`);
  await page.waitForFunction((hash) => document.body.dataset.ready && document.body.dataset.route === hash, `#/${route}`, { timeout });
}
