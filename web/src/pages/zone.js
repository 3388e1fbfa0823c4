// The zone page: its register entry, totals with trends, its clusters compared, its firms.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t, lang } from '../i18n.js';
import { TOTALS } from '../catalogue.js';
import { history } from '../data.js';
import { section, attempt, yearPicker, facts, nameOf, levelName } from '../ui.js';
import { indicatorGrid } from './common.js';
import { clustersCompared, firmsTable } from './entities.js';
import { province } from '../provinces.js';

export async function render(root, route, ctx) {
  const id = route.id;
  const base = `/zones/${encodeURIComponent(id)}`;
  const [zone, hist] = await Promise.all([api.get(base), history(base, TOTALS)]);
  const year = Number(route.query.year) || hist.years[hist.years.length - 1] || hist.latest;
  const p = province(zone.region_code);
  root.append(h('div', { class: 'page-head' }, h('h1', null, nameOf(zone)),
    yearPicker(hist.years, year, (y) => ctx.go('zone', id, { year: y })),
    h('button', { type: 'button', class: 'tool no-print', onclick: () => window.print() }, t('print'))));
  root.append(section(t('register'), facts([
    [t('region_code'), zone.region_code],
    [t('province'), p ? (ctx.session.role === 'zone' ? (lang() === 'en' ? p.en : p.zh) : h('a', { href: `#/province/${p.code}` }, lang() === 'en' ? p.en : p.zh)) : '—'],
    [t('level'), levelName(zone.level)],
  ])));
  root.append(section(`${t('totals')} · ${year}`, indicatorGrid(hist.rows, TOTALS, hist.years, year)));
  const cBox = h('div');
  const fBox = h('div');
  root.append(section(t('clusters_of'), cBox), section(t('firms_of'), fBox));
  await Promise.all([
    attempt(api.get(`/clusters?zone=${encodeURIComponent(id)}`), cBox).then((list) => list && clustersCompared(cBox, list, year, id)),
    attempt(api.get(`/firms?zone=${encodeURIComponent(id)}`), fBox).then((list) => list && firmsTable(fBox, list, id)),
  ]);
}
