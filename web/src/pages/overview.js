// Overview (national, analyst, province): provinces as tiles coloured by any catalogue indicator,
// the league table with rank change on last year, totals with trends, specialisation.
import { api, limited } from '../api.js';
import { h } from '../dom.js';
import { t, lang, pick } from '../i18n.js';
import { list as catalogue, label, unit, TOTALS } from '../catalogue.js';
import { figure, tooltip, FONT } from '../figure.js';
import { formatValue, formatShort, round, chartScale } from '../format.js';
import { history, regionCode, valueOf } from '../data.js';
import { PROVINCES, GRID, province } from '../provinces.js';
import { section, attempt, yearPicker, link, problem, nameOf, industryText } from '../ui.js';
import { table } from '../dom.js';
import { indicatorGrid } from './common.js';
import { leagueTable } from './league.js';
import { loadGeo } from '../geo.js';

export async function render(root, route, ctx) {
  const s = ctx.session;
  const national = s.role !== 'province';
  const base = national ? '/country' : `/regions/${regionCode(s.scope)}`;
  const hist = await history(base, TOTALS);
  if (!hist.latest) { root.append(problem(new Error(t('no_data')))); return; }
  const year = Number(route.query.year) || hist.years[hist.years.length - 1] || hist.latest;
  const colour = route.query.colour && catalogue().some((e) => e.id === route.query.colour) ? route.query.colour : 'gross_output';
  const setQuery = (q) => ctx.go('overview', '', { year, colour, ...q });

  root.append(h('div', { class: 'page-head' },
    h('h1', null, national ? t('overview') : `${t('overview')} · ${province(s.scope)?.[lang() === 'zh' ? 'zh' : 'en'] || s.scope}`),
    yearPicker(hist.years, year, (y) => setQuery({ year: y })),
    h('button', { type: 'button', class: 'tool no-print', onclick: () => window.print() }, t('print'))));

  const tiles = h('div');
  const league = h('div');
  const place = h('div');
  root.append(h('div', { class: 'grid two' }, section(t('tiles'), tiles), section(t('league'), league)));
  root.append(section(`${t('totals')} · ${national ? pick('全国', 'China') : province(s.scope)?.[lang() === 'zh' ? 'zh' : 'en']}`, indicatorGrid(hist.rows, TOTALS, hist.years, year)));
  root.append(section(t('place'), place));
  const clusters = h('div');
  root.append(section(t('clusters'), clusters));

  await Promise.all([
    tileGrid(tiles, s, colour, year, (c) => setQuery({ colour: c }), ctx),
    leagueTable(league, year),
    clusterList(clusters).then((list) => specialisation(place, year, list)),
  ]);
}

async function tileGrid(box, s, colour, year, onColour, ctx) {
  const options = catalogue().filter((e) => !e.clusters_only);
  box.append(h('label', { class: 'picker no-print' }, `${t('colour_by')} `,
    h('select', { id: 'colour-by', onchange: (ev) => onColour(ev.target.value) },
      options.map((e) => h('option', { value: e.id, selected: e.id === colour }, lang() === 'zh' ? e.zh : e.en)))));
  // A province sees its own province only: the rest are not asked for (they would answer 404).
  const visible = s.role === 'province' ? PROVINCES.filter((p) => p.code === s.scope) : PROVINCES;
  const got = await limited(visible.map((p) => () => api.get(`/regions/${regionCode(p.code)}/indicators?year=${year}&only=${colour}`)), 8);
  const values = new Map();
  visible.forEach((p, i) => { if (got[i].ok) values.set(p.code, valueOf(got[i].value, colour, year)); });
  const u = unit(colour);
  const sc = chartScale(u);
  const name = (p) => (lang() === 'zh' ? p.short : p.en);
  const data = [];
  const grey = [];
  for (const p of PROVINCES) {
    const v = values.get(p.code);
    const point = { value: [p.col, p.row, v === null || v === undefined ? null : round(sc.f(v), 4)], code: p.code, name: name(p), raw: v };
    if (v === null || v === undefined) grey.push({ ...point, value: [p.col, p.row, 0] });
    else data.push(point);
  }
  const nums = data.map((d) => d.value[2]);
  const tileLabel = (p) => {
    const d = p.data;
    const text = d.raw === null || d.raw === undefined ? (values.has(d.code) || s.role !== 'province' ? t('no_data') : '') : formatShort(d.raw, u);
    return `{n|${d.name}}\n{v|${text}}`;
  };
  const rich = { n: { fontFamily: FONT, fontSize: 12, fontWeight: 'bold' }, v: { fontFamily: FONT, fontSize: 10 } };
  const geo = await loadGeo();
  const axis = (n) => ({ type: 'category', data: Array.from({ length: n }, (_, i) => i), show: false, splitArea: { show: false } });
  const option = {
    animation: false,
    grid: { left: 4, right: 4, top: 4, bottom: 44 },
    xAxis: axis(GRID.cols),
    yAxis: { ...axis(GRID.rows), inverse: true },
    // Two: the values' scale for the tiles with data, and one grey for those without (a heatmap
    // series needs a visualMap of its own; ECharts' production build only hides the error).
    visualMap: [{
      seriesIndex: 0, min: nums.length ? Math.min(...nums) : 0, max: nums.length ? Math.max(...nums, Math.min(...nums) + 1e-9) : 1,
      calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemWidth: 12, itemHeight: 160, text: [sc.label, ''],
      inRange: { color: ['#e8eef5', '#9db8d6', '#2f5d8a'] }, textStyle: { fontFamily: FONT },
    }, { seriesIndex: 1, show: false, min: 0, max: 1, inRange: { color: ['#f1f1f1', '#f1f1f1'] } }],
    tooltip: tooltip((i, p) => [p.data.name, `${label(colour)}: ${p.data.raw == null ? t('no_data') : formatValue(p.data.raw, u)}`], 'item'),
    series: [
      { type: 'heatmap', data, label: { show: true, formatter: tileLabel, rich }, itemStyle: { borderColor: '#fff', borderWidth: 3 } },
      { type: 'heatmap', data: grey, label: { show: true, formatter: tileLabel, rich, color: '#777' }, itemStyle: { color: '#f1f1f1', borderColor: '#fff', borderWidth: 3 } },
    ],
  };
  if (geo) {
    // The registered map instead of the tiles: the same values, keyed by the same codes.
    option.xAxis = undefined;
    option.yAxis = undefined;
    option.grid = undefined;
    option.visualMap = [option.visualMap[0]];
    option.series = [{
      type: 'map', map: 'cs-provinces', nameProperty: 'cs_code', roam: false,
      // Centre and size keep the map's proportions; top and bottom alone would stretch its height
      // and squeeze its width to a sliver (seen on the test's screenshot).
      layoutCenter: ['50%', '46%'], layoutSize: '88%',
      data: PROVINCES.map((p) => ({ name: p.code, value: values.get(p.code) == null ? null : round(sc.f(values.get(p.code)), 4), raw: values.get(p.code), code: p.code })),
      label: { show: false }, itemStyle: { borderColor: '#fff', areaColor: '#f1f1f1' },
    }];
    option.tooltip = tooltip((i, p) => [name(province(p.name) || { short: p.name, en: p.name }), `${label(colour)}: ${p.data && p.data.raw != null ? formatValue(p.data.raw, u) : t('no_data')}`], 'item');
  }
  const header = [t('region_code'), t('province'), `${label(colour)}${sc.label ? `（${sc.label}）` : ''}`];
  const rows = PROVINCES.filter((p) => values.has(p.code)).map((p) => [regionCode(p.code), lang() === 'zh' ? p.zh : p.en, values.get(p.code) == null ? '' : round(sc.f(values.get(p.code)), 4)]);
  const raw = PROVINCES.filter((p) => values.has(p.code)).map((p) => [null, null, values.get(p.code)]);
  box.append(figure({
    id: 'tiles', kind: 'custom', title: t('tile_title', label(colour), year), option, height: 430,
    table: { header, rows, raw }, file: `provinces-${colour}-${year}`, note: geo ? t('map_hint') : t('tile_hint'),
    onClick: (p) => { if (p.data && values.has(p.data.code)) ctx.go('province', p.data.code, { year }); },
  }));
}

async function specialisation(box, year, clusters) {
  // The industry division most clusters in view lead in (the first two digits of GB/T 4754).
  const count = new Map();
  for (const c of clusters || []) {
    const d = String(c.leading_industries || '').slice(0, 2);
    if (d) count.set(d, (count.get(d) || 0) + 1);
  }
  const division = [...count.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (!division) { box.append(h('p', { class: 'notice' }, t('no_data'))); return; }
  const q = `/place/lq?year=${year}&region_level=province&industry_level=division&industry=${division}`;
  const res = await attempt(api.get(q), box);
  if (!res) return;
  const rows = (res.values || []).filter((v) => v.region);
  rows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  box.append(figure({
    id: 'place-lq', title: `${t('place')} · ${t('industry')} ${division} · ${year}`, kind: 'hbar', unit: 'index', labels: true,
    categories: rows.map((r) => province(r.region)?.[lang() === 'zh' ? 'short' : 'en'] || r.region), categoryLabel: t('region'),
    series: [{ name: 'LQ', values: rows.map((r) => r.value) }], height: Math.max(200, rows.length * 16 + 60), file: `lq-${division}-${year}`,
  }));
}

async function clusterList(box) {
  const [clusters, zones] = await Promise.all([attempt(api.get('/clusters'), box), api.get('/zones').catch(() => [])]);
  if (!clusters) return [];
  const zoneName = new Map(zones.map((z) => [z.zone_id, nameOf(z)]));
  box.append(table([
    { label: t('cluster'), value: (c) => link(`#/cluster/${encodeURIComponent(c.cluster_id)}`, nameOf(c)) },
    { label: t('zone'), value: (c) => link(`#/zone/${encodeURIComponent(c.zone_id)}`, zoneName.get(c.zone_id) || c.zone_id) },
    { label: t('leading_industries'), value: (c) => industryText(c.leading_industries) },
    { label: t('recognised_year'), value: (c) => c.recognised_year ?? '—', num: true },
  ], clusters, { limit: 50, moreLabel: (n) => t('rows_left', n) }));
  return clusters;
}
