// Parts of the zone and province pages: their clusters compared, and firms listed.
import { api, limited } from '../api.js';
import { h, table, saveBlob, toCsv } from '../dom.js';
import { t } from '../i18n.js';
import { SEVEN, label, unit } from '../catalogue.js';
import { formatValue } from '../format.js';
import { valueOf } from '../data.js';
import { link, nameOf, industryText, yesNo } from '../ui.js';
import { comparisonFigure } from './common.js';

// The clusters with their seven figures in `year`: a comparison chart and a table with CSV.
export async function clustersCompared(box, clusters, year, file) {
  if (!clusters.length) { box.append(h('p', { class: 'muted' }, t('none'))); return; }
  const only = SEVEN.join(',');
  const got = await limited(clusters.map((c) => () => api.get(`/clusters/${encodeURIComponent(c.cluster_id)}/indicators?year=${year}&only=${only}`)), 6);
  const entities = clusters.map((c, i) => ({ id: c.cluster_id, name: nameOf(c), industries: c.leading_industries, rows: got[i].ok ? got[i].value : [] }));
  entities.sort((a, b) => (valueOf(b.rows, 'gross_output', year) ?? -1) - (valueOf(a.rows, 'gross_output', year) ?? -1));
  box.append(h('div', { class: 'grid two' },
    comparisonFigure(`${label('gross_output')} · ${year}`, entities, 'gross_output', year, { file: `${file}-gross_output-${year}` }),
    comparisonFigure(`${label('firm_count')} · ${year}`, entities, 'firm_count', year, { file: `${file}-firm_count-${year}` })));
  const cols = [
    { label: t('cluster'), value: (e) => link(`#/cluster/${encodeURIComponent(e.id)}?year=${year}`, e.name) },
    { label: t('leading_industries'), value: (e) => industryText(e.industries) },
    ...SEVEN.map((ind) => ({ label: label(ind), value: (e) => formatValue(valueOf(e.rows, ind, year), unit(ind)), num: true })),
  ];
  box.append(table(cols, entities, { cls: 'clusters' }));
  box.append(h('button', { type: 'button', class: 'tool no-print', 'data-action': 'table-csv', onclick: () => saveBlob(new Blob([toCsv(
    ['cluster_id', 'name', ...SEVEN.map((i) => `${label(i)} [${unit(i)}]`)],
    entities.map((e) => [e.id, e.name, ...SEVEN.map((i) => valueOf(e.rows, i, year))]))], { type: 'text/csv;charset=utf-8' }), `${file}-clusters-${year}.csv`) }, t('download_table')));
}

// Firms as a table with a filter and a CSV of all rows (a zone may hold thousands).
export function firmsTable(box, firms, file) {
  const cols = [
    { label: t('firm'), value: (f) => link(`#/firm/${encodeURIComponent(f.uscc)}`, nameOf(f)) },
    { label: t('uscc'), value: (f) => f.uscc },
    { label: t('industry_code'), value: (f) => f.industry_code ?? '—' },
    { label: t('region_code'), value: (f) => f.region_code ?? '—' },
    { label: t('high_tech_cert_year'), value: (f) => f.high_tech_cert_year ?? '—', num: true },
    { label: t('listed'), value: (f) => yesNo(f.listed) },
  ];
  const holder = h('div');
  const draw = (rows) => holder.replaceChildren(table(cols, rows, { limit: 30, moreLabel: (n) => t('rows_left', n), cls: 'firms' }));
  const filter = h('input', { type: 'search', class: 'filter no-print', placeholder: t('filter_firms'), 'aria-label': t('filter_firms'), oninput: (ev) => {
    const q = ev.target.value.trim().toLowerCase();
    draw(q ? firms.filter((f) => f.uscc.toLowerCase().includes(q) || String(f.name).toLowerCase().includes(q)) : firms);
  } });
  const csv = h('button', { type: 'button', class: 'tool no-print', 'data-action': 'table-csv', onclick: () => saveBlob(new Blob([toCsv(
    ['uscc', 'name', 'industry_code', 'region_code', 'zone_id', 'high_tech_cert_year', 'listed'],
    firms.map((f) => [f.uscc, f.name, f.industry_code, f.region_code, f.zone_id, f.high_tech_cert_year, f.listed]))], { type: 'text/csv;charset=utf-8' }), `${file}-firms.csv`) }, t('download_table'));
  box.append(h('div', { class: 'toolbar' }, filter, h('span', { class: 'muted' }, `${firms.length}`), csv), holder);
  draw(firms);
}
