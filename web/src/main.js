// The dashboard: a small hash router (the server sends only its embedded files, so every page is
// index.html#/…), the header with the language switch, and the login.
import './style.css';
import { api, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { t, lang, setLang } from './i18n.js';
import { loadCatalogue } from './catalogue.js';
import { disposeCharts } from './figure.js';
import { problem, roleName } from './ui.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as provincePage from './pages/province.js';
import * as zonePage from './pages/zone.js';
import * as clusterPage from './pages/cluster.js';
import * as firmPage from './pages/firm.js';
import * as reviewPage from './pages/review.js';
import * as auditPage from './pages/audit.js';

const ROUTES = {
  login, overview, province: provincePage, zone: zonePage, cluster: clusterPage, firm: firmPage, review: reviewPage, audit: auditPage,
};

let session = null;
let generation = 0;

// "#/cluster/QH-BIO?year=2014" → {page: 'cluster', id: 'QH-BIO', query: {year: '2014'}}
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, qs] = raw.split('?');
  const [page, ...rest] = path.split('/').filter(Boolean);
  return { page: page || '', id: rest.map(decodeURIComponent).join('/'), query: Object.fromEntries(new URLSearchParams(qs || '')) };
}

export function go(page, id = '', query = {}) {
  const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  location.hash = `#/${page}${id ? `/${encodeURIComponent(id)}` : ''}${qs ? `?${qs}` : ''}`;
}

// Where a login starts: what its role reads (api.md's table).
function home(s) {
  switch (s.role) {
    case 'admin': return ['audit', ''];
    case 'zone': return ['zone', s.scope];
    case 'firm': return ['firm', s.scope];
    case 'province': return ['province', s.scope];
    default: return ['overview', ''];
  }
}

function nav(s) {
  const items = [];
  const add = (href, label, key) => items.push(h('a', { href, 'data-nav': key }, label));
  if (s) {
    if (['national', 'analyst', 'province'].includes(s.role)) add('#/overview', t('overview'), 'overview');
    if (s.role === 'province') add(`#/province/${s.scope}`, t('province_page'), 'province');
    if (s.role === 'zone') add(`#/zone/${encodeURIComponent(s.scope)}`, t('zone'), 'zone');
    if (s.role === 'firm') add(`#/firm/${encodeURIComponent(s.scope)}`, t('firm'), 'firm');
    if (['national', 'province', 'zone'].includes(s.role)) add('#/review', t('review'), 'review');
    if (s.role === 'admin') add('#/audit', t('audit'), 'audit');
  }
  const langBtn = h('button', { type: 'button', class: 'lang', id: 'lang-switch', lang: lang() === 'zh' ? 'en' : 'zh', onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); render(); } }, t('switch_lang'));
  const who = s ? h('span', { class: 'who' }, `${s.user} · ${roleName(s.role)}${s.scope ? ` · ${s.scope}` : ''}`) : null;
  const out = s ? h('button', { type: 'button', class: 'logout', onclick: async () => { await api.logout().catch(() => {}); session = null; go('login'); } }, t('logout')) : null;
  return h('div', { class: 'bar' },
    h('a', { class: 'brand', href: '#/' }, h('strong', null, 'clusterscope'), h('span', null, t('app'))),
    h('nav', null, items), h('span', { class: 'spacer' }), who, langBtn, out);
}

async function render() {
  const mine = ++generation;
  const route = parseHash();
  const app = document.getElementById('app');
  document.body.removeAttribute('data-ready');
  disposeCharts();
  if (!session && route.page !== 'login') {
    // The registry is asked for beside the session (it answers 401 too when there is none).
    const catalogue = loadCatalogue().catch(() => null);
    try {
      session = await api.session();
      await catalogue;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) { clear(app).append(problem(e)); return; }
      go('login', '', { next: location.hash.slice(1) });
      return;
    }
  }
  if (route.page === '' && session) { const [p, id] = home(session); go(p, id); return; }
  const top = document.getElementById('top');
  clear(top).append(nav(route.page === 'login' ? null : session));
  document.title = `${t('app')} · clusterscope`;
  const page = ROUTES[route.page];
  clear(app);
  if (!page) { app.append(h('p', { class: 'notice missing' }, t('page_not_found'))); document.body.dataset.route = location.hash; document.body.dataset.ready = 'none'; return; }
  const root = h('div', { class: `page page-${route.page}` });
  app.append(root);
  for (const a of top.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.nav === route.page);
  try {
    // The registry is every data reader's (the admin reads users and the audit log only).
    if (route.page !== 'login' && session.role !== 'admin') await loadCatalogue();
    await page.render(root, route, {
      session, go,
      stale: () => mine !== generation,
      loggedIn: (s) => { session = s; const next = route.query.next; if (next) location.hash = next; else { const [p, id] = home(s); go(p, id); } },
    });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { session = null; go('login', '', { next: location.hash.slice(1) }); return; }
    root.append(problem(e));
  }
  if (mine === generation) {
    // What the browser tests and the benchmark wait for: this route, every part answered.
    document.body.dataset.route = location.hash;
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = route.page;
  }
}

window.addEventListener('hashchange', render);
document.getElementById('foot').append(h('span', null, 'clusterscope — 创新型产业集群监测评价系统 · innovation cluster monitoring and evaluation'));
render();
