// Questions several pages ask of the API, each one call (or a few) and a little shaping.
import { api } from './api.js';

// The indicators `only` of an entity ('/clusters/QH-BIO', '/country', …) over every year it had
// firms, in one call: the `span` years up to this one, keeping those where firm_count > 0 (a
// year without reports answers 0 firms). `latest` is the last of them, the API's default year.
// One call, not "latest year" then "years": the cluster page's first load waits on it.
export async function history(base, only, span = 25) {
  const now = new Date().getFullYear();
  const ids = [...new Set(['firm_count', ...only])].join(',');
  const rows = await api.get(`${base}/indicators?years=${now - span}-${now}&only=${ids}`);
  const years = [...new Set(rows.filter((r) => r.indicator === 'firm_count' && r.value > 0).map((r) => r.year))].sort((a, b) => a - b);
  const keep = new Set(years);
  return { years, rows: rows.filter((r) => keep.has(r.year)), latest: years.length ? years[years.length - 1] : null };
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
