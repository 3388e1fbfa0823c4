// The audit log (admin): who did what, when; newest first here.
import { api } from '../api.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';
import { section, attempt, roleName } from '../ui.js';

export async function render(root) {
  root.append(h('div', { class: 'page-head' }, h('h1', null, t('audit'))));
  const box = h('div');
  root.append(section(t('audit'), box));
  const rows = await attempt(api.get('/audit?limit=500'), box);
  if (!rows) return;
  box.append(table([
    { label: t('when'), value: (r) => r.at },
    { label: t('user'), value: (r) => r.user },
    { label: t('role'), value: (r) => (r.role ? roleName(r.role) : '—') },
    { label: t('action'), value: (r) => r.action },
    { label: t('entity'), value: (r) => r.entity },
    { label: t('result'), value: (r) => r.result },
    { label: t('client'), value: (r) => r.client },
    { label: t('detail'), value: (r) => r.detail },
  ], rows.slice().reverse(), { limit: 100, moreLabel: (n) => t('rows_left', n), cls: 'audit' }));
}
