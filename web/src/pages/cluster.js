// The cluster page: the survey report's seven figures with their trends over every year, peers
// (same leading industry, same province, all), evaluation, diagnosis with backbone firms and the
// cultivation pipeline, and the brief as HTML, xlsx and docx.
import { api, limited } from '../api.js';
import { h, table, saveBlob } from '../dom.js';
import { t, lang } from '../i18n.js';
import { SEVEN, label, unit } from '../catalogue.js';
import { figure } from '../figure.js';
import { formatValue, pct } from '../format.js';
import { history, valueOf } from '../data.js';
import { section, attempt, yearPicker, link, facts, nameOf, industryText, problem } from '../ui.js';
import { indicatorGrid, comparisonFigure } from './common.js';
import { province } from '../provinces.js';
import { schemeName } from './league.js';

export async function render(root, route, ctx) {
  const id = route.id;
  const [cluster, hist] = await Promise.all([api.get(`/clusters/${encodeURIComponent(id)}`), history(`/clusters/${encodeURIComponent(id)}`, SEVEN)]);
  const year = Number(route.query.year) || hist.years[hist.years.length - 1] || hist.latest;
  const zone = await api.get(`/zones/${encodeURIComponent(cluster.zone_id)}`).catch(() => null);
  root.append(h('div', { class: 'page-head' },
    h('h1', null, nameOf(cluster)),
    yearPicker(hist.years, year, (y) => ctx.go('cluster', id, { year: y })),
    h('button', { type: 'button', class: 'tool no-print', onclick: () => window.print() }, t('print'))));

  root.append(section(t('register'), facts([
    [t('zone'), zone ? link(`#/zone/${encodeURIComponent(zone.zone_id)}`, nameOf(zone)) : cluster.zone_id],
    [t('leading_industries'), industryText(cluster.leading_industries)],
    [t('construction_body'), cluster.construction_body],
    [t('alliance'), cluster.alliance],
    [t('recognised_year'), cluster.recognised_year],
    [t('members'), cluster.members],
  ])));
  root.append(section(`${t('seven')} · ${year}`, indicatorGrid(hist.rows, SEVEN, hist.years, year)));

  const evalBox = h('div');
  const diagBox = h('div');
  const peerBox = h('div');
  const briefBox = h('div');
  root.append(h('div', { class: 'grid two' }, section(t('evaluation'), evalBox), section(t('brief'), briefBox)));
  root.append(section(t('peers'), peerBox));
  root.append(section(t('diagnosis'), diagBox));
  briefs(briefBox, id, year);
  await Promise.all([
    evaluation(evalBox, id, year),
    diagnosis(diagBox, id, year),
    peers(peerBox, cluster, zone, year, route.query.peers || 'industry', (g) => ctx.go('cluster', id, { year, peers: g })),
  ]);
}

async function evaluation(box, id, year) {
  const res = await attempt(api.get(`/evaluations?scheme=annual&year=${year}`), box);
  if (!res) return;
  const row = res.clusters.find((c) => c.cluster_id === id);
  if (!row) { box.append(h('p', { class: 'notice' }, t('not_rated'))); return; }
  const grade = (lang() === 'zh' ? row.grade_zh : row.grade_en) || row.grade;
  box.append(h('p', { class: 'headline', 'data-score': row.score ?? '' },
    h('span', { class: 'big' }, row.score === null || row.score === undefined ? t('not_rated') : row.score.toFixed(1)),
    h('span', { class: 'sub' }, row.rank ? t('of_n', row.rank, row.peers) : t('not_rated'), grade ? ` · ${grade}` : '')));
  box.append(h('p', { class: 'reason' }, lang() === 'zh' ? row.reason_zh : row.reason_en));
  const dims = row.dimensions || [];
  box.append(figure({
    id: 'evaluation-dimensions', title: `${t('dimensions')} · ${schemeName(res.scheme)} ${year}`, kind: 'hbar', unit: 'index', labels: true,
    categories: dims.map((d) => (lang() === 'zh' ? d.zh : d.en)), categoryLabel: t('dimensions'),
    series: [{ name: t('score'), values: dims.map((d) => d.score) }], height: 60 + dims.length * 32, file: `evaluation-${id}-${year}`,
  }));
}

async function diagnosis(box, id, year) {
  const d = await attempt(api.get(`/clusters/${encodeURIComponent(id)}/diagnosis?year=${year}`), box);
  if (!d) return;
  const dims = d.dimensions || [];
  box.append(figure({
    id: 'diagnosis-percentiles', title: `${t('dimensions')} · ${year}`, kind: 'bar', unit: 'share', labels: true,
    categories: dims.map((x) => x.name), categoryLabel: t('dimensions'),
    series: [{ name: t('percentile_all'), values: dims.map((x) => x.percentile_all) }, { name: t('percentile_industry'), values: dims.map((x) => x.percentile_industry) }],
    height: 240, file: `diagnosis-${id}-${year}`,
    note: `${t('weakest')}：${(dims.find((x) => x.id === d.weakest) || {}).name || d.weakest || '—'}`,
  }));
  box.append(h('ul', { class: 'texts' }, dims.map((x) => h('li', { class: x.flagged ? 'flagged' : null }, x.text))));
  const b = d.backbone || {};
  box.append(h('h3', null, t('backbone')), h('p', null, b.text || ''));
  box.append(table([
    { label: t('firm'), value: (f) => link(`#/firm/${encodeURIComponent(f.uscc)}`, f.name) },
    { label: label('gross_output'), value: (f) => formatValue(f.gross_output, 'yuan'), num: true },
    { label: t('output_share'), value: (f) => (f.output_share == null ? '—' : pct(f.output_share)), num: true },
    { label: label('rd_expense'), value: (f) => formatValue(f.rd_expense, 'yuan'), num: true },
    { label: t('rd_share'), value: (f) => (f.rd_share == null ? '—' : pct(f.rd_share)), num: true },
  ], b.firms || [], { cls: 'backbone' }));
  const p = d.pipeline || {};
  box.append(h('h3', null, t('pipeline')));
  if (p.tech_sme_applicable === false && p.tech_sme_not_applicable_reason) box.append(h('p', { class: 'notice' }, `${t('tech_sme')}：${p.tech_sme_not_applicable_reason}`));
  const lists = [['tech_sme_qualifying', p.tech_sme_qualifying], ['tech_sme_nearly', p.tech_sme_nearly], ['high_tech_candidates', p.high_tech_candidates], ['high_tech_nearly', p.high_tech_nearly]];
  box.append(h('div', { class: 'grid two' }, lists.map(([key, firms]) => h('div', { class: 'pipeline', 'data-list': key },
    h('h4', null, `${t(key)}（${(firms || []).length}）`),
    (firms || []).length ? h('ul', null, firms.slice(0, 12).map((f) => h('li', null, link(`#/firm/${encodeURIComponent(f.uscc)}`, f.name), f.verdict ? h('span', { class: 'muted' }, ` — ${f.verdict}`) : null))) : h('p', { class: 'muted' }, t('none'))))));
  if (d.coordination) box.append(h('h3', null, t('coordination')), h('p', null, d.coordination.text));
}

const PEERS = 40;

async function peers(box, cluster, zone, year, group, onGroup) {
  const groups = [['industry', t('peers_industry')], ['province', t('peers_province')], ['all', t('peers_all')]];
  box.append(h('div', { class: 'tabs no-print', role: 'tablist' }, groups.map(([g, name]) => h('button', { type: 'button', role: 'tab', 'aria-selected': g === group ? 'true' : 'false', class: g === group ? 'tab active' : 'tab', 'data-group': g, onclick: () => onGroup(g) }, name))));
  const [clusters, zones] = await Promise.all([api.get('/clusters'), api.get('/zones').catch(() => [])]);
  const zoneRegion = new Map(zones.map((z) => [z.zone_id, z.region_code]));
  const division = String(cluster.leading_industries || '').slice(0, 2);
  const prov = zone ? String(zone.region_code).slice(0, 2) : '';
  const inGroup = (c) => group === 'all' || (group === 'industry' ? String(c.leading_industries || '').slice(0, 2) === division : String(zoneRegion.get(c.zone_id) || '').slice(0, 2) === prov);
  // At most PEERS of them, this cluster first: each is one call, and the page must stay quick.
  const all = clusters.filter(inGroup).sort((a, b) => (b.cluster_id === cluster.cluster_id) - (a.cluster_id === cluster.cluster_id));
  const chosen = all.slice(0, PEERS);
  const only = SEVEN.join(',');
  const got = await limited(chosen.map((c) => () => api.get(`/clusters/${encodeURIComponent(c.cluster_id)}/indicators?year=${year}&only=${only}`)), 6);
  const entities = chosen.map((c, i) => ({ id: c.cluster_id, name: nameOf(c), rows: got[i].ok ? got[i].value : [] }));
  entities.sort((a, b) => (valueOf(b.rows, 'gross_output', year) ?? -1) - (valueOf(a.rows, 'gross_output', year) ?? -1));
  const me = entities.findIndex((e) => e.id === cluster.cluster_id);
  const where = group === 'province' ? (province(prov)?.[lang() === 'zh' ? 'zh' : 'en'] || prov) : group === 'industry' ? `${t('industry')} ${division}` : t('peers_all');
  box.append(h('p', { class: 'muted' }, `${where} · ${all.length > chosen.length ? t('n_of_m', chosen.length, all.length) : t('n_clusters', entities.length)} · ${t('peers_note')}`));
  box.append(h('div', { class: 'grid two' },
    comparisonFigure(`${label('gross_output')} · ${year}`, entities, 'gross_output', year, { highlight: me, file: `peers-${group}-gross_output-${year}` }),
    comparisonFigure(`${label('firm_count')} · ${year}`, entities, 'firm_count', year, { highlight: me, file: `peers-${group}-firm_count-${year}` })));
  box.append(table([
    { label: t('cluster'), value: (e) => link(`#/cluster/${encodeURIComponent(e.id)}?year=${year}`, e.name) },
    ...SEVEN.map((ind) => ({ label: label(ind), value: (e) => formatValue(valueOf(e.rows, ind, year), unit(ind)), num: true })),
  ], entities, { cls: 'peers' }));
  box.querySelectorAll('table.peers tbody tr')[me]?.classList.add('me');
}

function briefs(box, id, year) {
  const out = h('div', { class: 'brief-problem' });
  const button = (format, name) => h('button', { type: 'button', class: 'download', 'data-format': format, onclick: async () => {
    out.replaceChildren();
    try {
      const res = await api.raw(`/clusters/${encodeURIComponent(id)}/brief?year=${year}&format=${format}`);
      const disposition = res.headers.get('Content-Disposition') || '';
      const m = /filename="([^"]+)"/.exec(disposition);
      saveBlob(await res.blob(), m ? m[1] : `${id}-${year}-${lang()}.${format}`);
    } catch (e) {
      out.append(problem(e));
    }
  } }, name);
  box.append(h('p', { class: 'muted' }, `${year} · ${lang() === 'zh' ? '中文' : 'English'}`));
  box.append(h('div', { class: 'downloads' }, button('html', 'HTML'), button('xlsx', 'Excel (xlsx)'), button('docx', 'Word (docx)')), out);
}
