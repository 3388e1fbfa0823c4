// The province page: totals with trends, its zones, its clusters compared.
import { api } from '../api.js';
import { h, table } from '../dom.js';
import { t, lang } from '../i18n.js';
import { TOTALS } from '../catalogue.js';
import { history, regionCode } from '../data.js';
import { section, attempt, yearPicker, link, nameOf, levelName } from '../ui.js';
import { indicatorGrid } from './common.js';
import { clustersCompared, firmsTable } from './entities.js';
import { province } from '../provinces.js';

export async function render(root, route, ctx) {
  const code = String(route.id).slice(0, 2);
  const hist = await history(`/regions/${regionCode(code)}`, TOTALS);
  const year = Number(route.query.year) || hist.years[hist.years.length - 1] || hist.latest;
  const p = province(code);
  root.append(h('div', { class: 'page-head' }, h('h1', null, p ? (lang() === 'zh' ? p.zh : p.en) : code),
    yearPicker(hist.years, year, (y) => ctx.go('province', code, { year: y })),
    h('button', { type: 'button', class: 'tool no-print', onclick: () => window.print() }, t('print'))));
  root.append(section(`${t('totals')} · ${year}`, indicatorGrid(hist.rows, TOTALS, hist.years, year)));
  const zBox = h('div');
  const cBox = h('div');
  const fBox = h('div');
  root.append(section(t('zones'), zBox), section(t('compare'), cBox), section(t('firms'), fBox));
  // A province holds tens of thousands of firms: listed when asked for, not on every visit.
  fBox.append(h('button', { type: 'button', class: 'tool no-print', id: 'show-firms', onclick: async (ev) => {
    ev.target.remove();
    const firms = await attempt(api.get('/firms'), fBox);
    if (firms) firmsTable(fBox, firms.filter((f) => String(f.region_code).startsWith(code)), `province-${code}`);
  } }, t('show_firms')));
  const zones = await attempt(api.get('/zones'), zBox);
  if (!zones) return;
  // A national user lists every zone: keep the province's (its region code starts with it).
  const mine = zones.filter((z) => String(z.region_code).startsWith(code));
  zBox.append(table([
    { label: t('zone'), value: (z) => link(`#/zone/${encodeURIComponent(z.zone_id)}?year=${year}`, nameOf(z)) },
    { label: t('region_code'), value: (z) => z.region_code },
    { label: t('level'), value: (z) => levelName(z.level) },
  ], mine, { cls: 'zones' }));
  const ids = new Set(mine.map((z) => z.zone_id));
  const clusters = await attempt(api.get('/clusters'), cBox);
  if (clusters) await clustersCompared(cBox, clusters.filter((c) => ids.has(c.zone_id)), year, `province-${code}`);
}
