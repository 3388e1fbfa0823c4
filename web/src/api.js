// The JSON API (docs/server.md): the session cookie and the CSRF token of the login, the chosen
// language, and errors as ApiError with the server's id and its Chinese and English message.
import { lang } from './i18n.js';

let csrf = '';

export class ApiError extends Error {
  constructor(status, route, body) {
    const e = (body && body.error) || {};
    super(e.message_en || `HTTP ${status}`);
    this.status = status;
    this.route = route;
    this.id = e.id || `http.${status}`;
    this.zh = e.message_zh || e.message || `HTTP ${status}`;
    this.en = e.message_en || e.message || `HTTP ${status}`;
    this.problems = e.problems || [];
  }
  text() { return lang() === 'zh' ? this.zh : this.en; }
}

function withLang(path) {
  return path + (path.includes('?') ? '&' : '?') + `lang=${lang()}`;
}

async function request(method, path, { body, type, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (type) headers['Content-Type'] = type;
  const res = await fetch(`/api/v1${withLang(path)}`, { method, headers, body, credentials: 'same-origin' });
  if (!res.ok) {
    let parsed = null;
    try { parsed = await res.json(); } catch { /* a body that is not JSON: the status says enough */ }
    throw new ApiError(res.status, path, parsed);
  }
  if (raw) return res;
  return res.json();
}

export const api = {
  get: (path) => request('GET', path),
  post: (path, body, type = 'application/json') => request('POST', path, { body, type }),
  raw: (path) => request('GET', path, { raw: true }),
  async login(username, password) {
    const r = await request('POST', '/session', { body: JSON.stringify({ username, password }), type: 'application/json' });
    csrf = r.csrf;
    return r;
  },
  async session() {
    const r = await request('GET', '/session');
    csrf = r.csrf || '';
    return r;
  },
  async logout() {
    try { await request('DELETE', '/session'); } finally { csrf = ''; }
  },
};

// Runs `jobs` (functions returning promises) at most `width` at a time, in order of the result.
export async function limited(jobs, width = 6) {
  const out = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try { out[i] = { ok: true, value: await jobs[i]() }; } catch (e) { out[i] = { ok: false, error: e }; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, worker));
  return out;
}
