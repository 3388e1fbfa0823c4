// The indicator registry from GET /catalogue: names, units and definitions in both languages, so
// every label on a page is the registry's own.
import { api } from './api.js';
import { lang } from './i18n.js';

let byId = null;
let entries = [];

export async function loadCatalogue() {
  if (byId) return entries;
  entries = await api.get('/catalogue');
  byId = new Map(entries.map((e) => [e.id, e]));
  return entries;
}
export function list() { return entries; }
export function entry(id) { return byId && byId.get(id); }
export function label(id) {
  const e = entry(id);
  if (!e) return id;
  return lang() === 'zh' ? e.zh : e.en;
}
export function unit(id) { const e = entry(id); return e ? e.unit : ''; }
export function definition(id) {
  const e = entry(id);
  if (!e) return '';
  return lang() === 'zh' ? e.definition_zh : e.definition_en;
}

// The survey report's seven figures (indicators.md, group "report"), in the report's order.
export const SEVEN = [
  'firm_count', 'zone_producing_firm_share', 'gross_output', 'gross_output_growth',
  'zone_gross_output_share', 'leading_industry_va_share', 'firms_output_over_100m',
];
// The figures a zone, region or the country has (the zone shares are a cluster's only).
export const TOTALS = ['firm_count', 'gross_output', 'gross_output_growth', 'revenue', 'employees', 'rd_intensity', 'firms_output_over_100m'];

// Indicator rows ({entity,id,year,indicator,value,unit}) → Map indicator → Map year → value.
export function byIndicator(rows) {
  const out = new Map();
  for (const r of rows) {
    if (!out.has(r.indicator)) out.set(r.indicator, new Map());
    out.get(r.indicator).set(r.year, r.value);
  }
  return out;
}
