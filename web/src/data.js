// Questions several pages ask of the API, each one call (or a few) and a little shaping.
import { api } from './api.js';

// The years with reports for an entity's indicator path ('/clusters/QH-BIO', '/country', …) and
// the indicator rows over them: the latest year first (no year = the latest with reports), then
// every year back to `span` before it, keeping those where the entity had firms.
export async function history(base, only = [], span = 20) {
  const latest = await api.get(`${base}/indicators?only=firm_count`);
  if (!latest.length) return { years: [], rows: [], latest: null };
  const last = latest[0].year;
  const q = only.length ? `&only=${[...new Set(['firm_count', ...only])].join(',')}` : '';
  const rows = await api.get(`${base}/indicators?years=${last - span}-${last}${q}`);
  const years = [...new Set(rows.filter((r) => r.indicator === 'firm_count' && r.value > 0).map((r) => r.year))].sort((a, b) => a - b);
  const keep = new Set(years);
  return { years, rows: rows.filter((r) => keep.has(r.year)), latest: last };
}

// Rows of one indicator over `years` as a list in year order (null where missing).
export function series(rows, indicator, years) {
  const m = new Map(rows.filter((r) => r.indicator === indicator).map((r) => [r.year, r.value]));
  return years.map((y) => (m.has(y) ? m.get(y) : null));
}

export function valueOf(rows, indicator, year) {
  const r = rows.find((x) => x.indicator === indicator && x.year === year);
  return r ? r.value : null;
}

export function reasonOf(rows, indicator, year) {
  const r = rows.find((x) => x.indicator === indicator && x.year === year);
  return r && r.reason ? r.reason : null;
}

// A GB/T 2260 province code as the API's regions take it: '63' → '630000'.
export const regionCode = (p) => `${String(p).slice(0, 2)}0000`;
