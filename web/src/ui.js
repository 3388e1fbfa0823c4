// Pieces every page uses: sections, notices for what the API refused, year choosers, links.
import { h, table } from './dom.js';
import { t, pick, lang } from './i18n.js';
import { ApiError } from './api.js';

export function section(title, ...body) {
  return h('section', { class: 'card' }, h('h2', null, title), ...body);
}

// What to show where a call failed: 501 (the route is not built yet, naming it), 403 (the role
// may not), 404 (missing or outside the scope: the API answers both alike), else its message.
export function problem(e) {
  if (e instanceof ApiError) {
    if (e.status === 501) return h('p', { class: 'notice pending', 'data-pending': e.route.split('?')[0] }, `${t('not_available')} — ${e.route.split('?')[0]}`);
    if (e.status === 403) return h('p', { class: 'notice forbidden' }, t('forbidden_role'));
    if (e.status === 404) return h('p', { class: 'notice missing' }, `${t('not_found')}：${e.text()}`);
    return h('p', { class: 'notice error' }, `${t('error')}（${e.status} ${e.id}）：${e.text()}`);
  }
  console.error(e);
  return h('p', { class: 'notice error' }, `${t('error')}：${e && e.message}`);
}

// Awaits `p`; on failure puts the notice in `box` and returns null.
export async function attempt(p, box) {
  try {
    return await p;
  } catch (e) {
    box.append(problem(e));
    return null;
  }
}

export function link(href, text) { return h('a', { href }, text); }

export function nameOf(row, en = 'name_en', zh = 'name') {
  return lang() === 'en' && row[en] ? row[en] : row[zh];
}

// A definition list of label → value pairs (register entries).
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', null, k), h('dd', null, v === null || v === '' ? '—' : v)]));
}

export function yesNo(v) { return v === true ? t('yes') : v === false ? t('no') : '—'; }

// A year chooser that moves the page's ?year= (the router renders again).
export function yearPicker(years, chosen, onPick) {
  const sel = h('select', { 'aria-label': t('year'), class: 'year-picker', onchange: (ev) => onPick(Number(ev.target.value)) },
    years.slice().reverse().map((y) => h('option', { value: y, selected: y === chosen }, String(y))));
  return h('label', { class: 'picker' }, `${t('year')} `, sel);
}

// A zone's level as the register says it (national, provincial), in the page's language.
export function levelName(level) {
  return ['national', 'provincial'].includes(level) ? t(`level_${level}`) : level || '—';
}

// A qualification or criterion result id (qualifies, fails, pass, …) in the page's language.
export function resultName(r) {
  return ['qualifies', 'fails', 'undetermined', 'not_applicable', 'pass', 'fail', 'not_applied'].includes(r) ? t(`result_${r}`) : r;
}

export function roleName(role) { return t(`role_${role}`); }

export function statusName(s) {
  return ['submitted', 'accepted', 'returned'].includes(s) ? t(`status_${s}`) : s;
}

// An API timestamp (ISO 8601, UTC, microseconds) as people read it: the browser's local time to
// the minute, "2026-12-02 11:29"; the exact value stays in the tooltip.
export function timeText(iso) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return iso || '—';
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

export function industryText(codes) {
  return String(codes || '').split(';').filter(Boolean).join(pick('、', ', '));
}

// Submissions as a table, newest first: the firm's own (its page) or the reviewer's (with the firm).
export function submissionsTable(list, { withFirm = false } = {}) {
  return table([
    { label: 'ID', value: (s) => s.id },
    withFirm ? { label: t('firm'), value: (s) => link(`#/firm/${encodeURIComponent(s.uscc)}`, s.uscc) } : null,
    { label: t('file_name'), value: (s) => s.file_name },
    { label: t('status'), value: (s) => statusName(s.status), cls: (s) => `status-${s.status}` },
    { label: t('submitted_at'), value: (s) => timeText(s.submitted_at) },
    { label: t('reviewed_by'), value: (s) => s.reviewed_by || '—' },
    { label: t('note'), value: (s) => s.note || '—' },
  ].filter(Boolean), list.slice().reverse(), { cls: 'submissions' });
}
