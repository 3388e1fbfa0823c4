import { t } from './i18n.js';

// Elements are built with the DOM API only (never innerHTML): every string from the API or from a
// user's file is text, so nothing in the data can become markup or script.

// h('a', {href: '#/x', class: 'btn', onclick: fn}, 'text', child, [more children])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'value') el.value = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// A table: columns [{label, value: row => text|Node, num: bool, cls: row => class}], rows.
// `limit` rows are shown, with a "more" button for the rest (a zone may hold thousands of firms).
export function table(columns, rows, { limit = 0, moreLabel = null, caption = null, cls = '' } = {}) {
  const head = h('thead', null, h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label))));
  const body = h('tbody');
  let shown = 0;
  const add = (n) => {
    const end = Math.min(rows.length, shown + n);
    for (; shown < end; shown++) {
      const r = rows[shown];
      body.append(h('tr', { class: columns.rowClass ? columns.rowClass(r) : null },
        columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.cls ? c.cls(r) : ''].join(' ').trim() || null }, c.value(r)))));
    }
  };
  add(limit > 0 ? limit : rows.length);
  if (!rows.length) body.append(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, t('none'))));
  const el = h('table', { class: `data ${cls}`.trim() }, caption ? h('caption', null, caption) : null, head, body);
  if (limit > 0 && rows.length > limit && moreLabel) {
    const wrap = h('div', { class: 'table-wrap' }, el);
    const btn = h('button', { type: 'button', class: 'more', onclick: () => { add(200); if (shown >= rows.length) btn.remove(); else btn.textContent = moreLabel(rows.length - shown); } }, moreLabel(rows.length - shown));
    wrap.append(btn);
    return wrap;
  }
  return h('div', { class: 'table-wrap' }, el);
}

// Saves `blob` as `name` through a temporary object URL (a download, not a fetch: the CSP allows it).
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, class: 'hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// RFC 4180 CSV with a BOM, so Excel opens the Chinese text as UTF-8.
export function toCsv(header, rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return '\ufeff' + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
