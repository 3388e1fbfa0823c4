import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { problem } from '../ui.js';

export async function render(root, route, ctx) {
  const user = h('input', { name: 'username', id: 'username', autocomplete: 'username', required: true, maxlength: 64 });
  const pass = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const out = h('div', { class: 'login-problem', role: 'alert' });
  const form = h('form', { class: 'login card', onsubmit: async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    try {
      const s = await api.login(user.value.trim(), pass.value);
      ctx.loggedIn(s);
    } catch (e) {
      out.append(problem(e));
    }
  } },
  h('h1', null, t('app')),
  h('label', { for: 'username' }, t('username')), user,
  h('label', { for: 'password' }, t('password')), pass,
  h('button', { type: 'submit', class: 'primary' }, t('login')), out);
  root.append(form);
}
