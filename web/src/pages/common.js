// Page parts shared by the cluster, zone, province and overview pages.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { label, unit, definition } from '../catalogue.js';
import { figure } from '../figure.js';
import { formatValue } from '../format.js';
import { series, valueOf, reasonOf } from '../data.js';

// Why a value is null, as the API's `reason` says it.
const REASONS = ['no_firms', 'no_reports', 'no_zone', 'no_prior_year', 'zero_denominator'];
function reasonText(r) {
  return REASONS.includes(r) ? t(`reason_${r}`) : r;
}

// One indicator as a card: the value in `year`, then its trend over `years`.
export function indicatorFigure(rows, id, years, year, { kind = 'line', height = 180 } = {}) {
  const v = valueOf(rows, id, year);
  const why = reasonOf(rows, id, year);
  const lead = h('p', { class: 'headline', 'data-indicator': id, 'data-raw': v ?? '', title: definition(id) },
    h('span', { class: 'big' }, v === null ? `— ${why ? `(${reasonText(why)})` : ''}` : formatValue(v, unit(id))),
    h('span', { class: 'sub' }, `${year}`));
  return figure({
    id, title: label(id), lead, kind, height, unit: unit(id), categories: years,
    series: [{ name: label(id), values: series(rows, id, years) }],
    file: `${id}`,
  });
}

// A grid of indicator cards.
export function indicatorGrid(rows, ids, years, year) {
  return h('div', { class: 'grid figures' }, ids.map((id) => indicatorFigure(rows, id, years, year, { kind: id.includes('growth') || id.includes('share') ? 'line' : 'bar' })));
}

// A table of indicator values by entity, for comparisons: entities [{name, href, rows}].
export function comparisonFigure(title, entities, id, year, { highlight = -1, file } = {}) {
  return figure({
    id: `compare-${id}`, title, kind: 'hbar', unit: unit(id), labels: true,
    categories: entities.map((e) => e.name), categoryLabel: t('cluster'),
    series: [{ name: label(id), values: entities.map((e) => valueOf(e.rows, id, year)) }],
    highlight, height: Math.max(160, 34 * entities.length + 60), file: file || `compare-${id}-${year}`,
  });
}
