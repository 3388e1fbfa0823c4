// The review queue (zone, province, national): submissions of firms in the reviewer's scope,
// accepted (stored all or nothing) or returned with a note.
import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { section, attempt, problem, link, submissionsTable, timeText } from '../ui.js';

export async function render(root) {
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('review'))));
  const queue = h('div');
  const all = h('div');
  root.append(section(t('review'), queue), section(t('history'), all));
  await draw(queue, all);
}

async function draw(queue, all) {
  queue.replaceChildren();
  all.replaceChildren();
  const list = await attempt(api.get('/submissions'), queue);
  if (!list) return;
  const waiting = list.filter((s) => s.status === 'submitted');
  if (!waiting.length) queue.append(h('p', { class: 'muted', id: 'queue-empty' }, t('queue_empty')));
  for (const s of waiting) queue.append(item(s, () => draw(queue, all)));
  all.append(submissionsTable(list, { withFirm: true }));
}

function item(s, redraw) {
  const out = h('div', { 'aria-live': 'polite' });
  const note = h('input', { class: 'note', placeholder: t('return_note'), 'aria-label': t('return_note') });
  const act = async (fn) => {
    out.replaceChildren();
    try { out.append(await fn()); setTimeout(redraw, 600); } catch (e) { out.append(problem(e)); }
  };
  const accept = h('button', { type: 'button', class: 'primary', 'data-action': 'accept', onclick: () => act(async () => {
    const r = await api.post(`/submissions/${encodeURIComponent(s.id)}/accept`, '');
    return h('p', { class: 'notice ok' }, t('accepted_ok', r.written));
  }) }, t('accept'));
  const ret = h('button', { type: 'button', class: 'tool', 'data-action': 'return', onclick: () => act(async () => {
    await api.post(`/submissions/${encodeURIComponent(s.id)}/return`, JSON.stringify({ note: note.value.trim() }));
    return h('p', { class: 'notice ok' }, t('returned_ok'));
  }) }, t('return'));
  const reasons = (s.reasons || []).map((r) => h('li', null, `${t('row')} ${r.row} · ${r.column || ''} · ${r.rule}：${r.reason}`));
  return h('div', { class: 'queue-item card', 'data-submission': s.id },
    h('p', null, h('strong', null, s.id), ' · ', link(`#/firm/${encodeURIComponent(s.uscc)}`, s.uscc), ` · ${s.file_name} · ${s.submitted_by} · ${timeText(s.submitted_at)}`),
    reasons.length ? h('ul', { class: 'reasons' }, reasons) : null,
    h('div', { class: 'toolbar no-print' }, accept, note, ret), out);
}
