// The league table: GET /evaluations for the year and the one before, rank change between them.
// Ranks are among every cluster (api.md: a province reads "4th of 14") even where the rows are
// only those in the caller's scope.
import { api } from '../api.js';
import { h, table } from '../dom.js';
import { t, lang } from '../i18n.js';
import { attempt, link } from '../ui.js';
import { figure } from '../figure.js';

// The shipped schemes (schemes/*.toml; `evaluate --list-schemes`). The API has no list route yet.
export const SCHEMES = [
  ['annual', '年度评价', 'annual evaluation'],
  ['strong-cluster', '强集群识别', 'strong clusters'],
  ['stars', '集群星级', 'cluster stars'],
  ['entropy-topsis', '熵权TOPSIS评价', 'entropy-weight TOPSIS'],
  ['lifecycle', '生命周期', 'life cycle'],
];

export function schemeName(id) {
  const s = SCHEMES.find((x) => x[0] === id);
  return s ? (lang() === 'zh' ? s[1] : s[2]) : id;
}

export async function leagueTable(box, year, scheme = 'annual') {
  const picker = h('select', { id: 'scheme', onchange: (ev) => { box.replaceChildren(); leagueTable(box, year, ev.target.value); } },
    SCHEMES.map(([id, zh, en]) => h('option', { value: id, selected: id === scheme }, lang() === 'zh' ? zh : en)));
  box.append(h('label', { class: 'picker no-print' }, `${t('scheme')} `, picker));
  const now = await attempt(api.get(`/evaluations?scheme=${scheme}&year=${year}`), box);
  if (!now) return;
  const before = await api.get(`/evaluations?scheme=${scheme}&year=${year - 1}`).catch(() => null);
  const prior = new Map(((before && before.clusters) || []).map((c) => [c.cluster_id, c.rank]));
  const rows = now.clusters.slice().sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const change = (c) => {
    const was = prior.get(c.cluster_id);
    if (!c.rank || !was) return h('span', { class: 'change same' }, '—');
    const d = was - c.rank;
    return h('span', { class: `change ${d > 0 ? 'up' : d < 0 ? 'down' : 'same'}`, 'data-change': d }, d > 0 ? `▲${d}` : d < 0 ? `▼${-d}` : '＝');
  };
  const grade = (c) => (lang() === 'zh' ? c.grade_zh : c.grade_en) || c.grade || '—';
  box.append(table([
    { label: t('rank'), value: (c) => (c.rank ? `${c.rank}/${c.peers ?? rows.length}` : t('not_rated')), num: true },
    { label: t('cluster'), value: (c) => link(`#/cluster/${encodeURIComponent(c.cluster_id)}?year=${year}`, c.name) },
    { label: t('score'), value: (c) => (c.score === null || c.score === undefined ? '—' : c.score.toFixed(1)), num: true },
    { label: t('grade'), value: grade },
    { label: t('rank_change'), value: change, num: true },
  ], rows, { limit: 15, moreLabel: (n) => t('rows_left', n), cls: 'league' }));
  const top = rows.filter((c) => c.score !== null && c.score !== undefined).slice(0, 15);
  box.append(figure({
    id: 'league-scores', title: `${t('score')} · ${year}`, kind: 'hbar', unit: 'index', labels: true,
    categories: top.map((c) => c.name), categoryLabel: t('cluster'),
    series: [{ name: t('score'), values: top.map((c) => c.score) }], height: Math.max(160, top.length * 24 + 60), file: `league-${scheme}-${year}`,
  }));
}
