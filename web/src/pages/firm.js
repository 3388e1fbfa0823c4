// The firm page: register entry, reports by year, qualification with the gap to each bar, and
// (for the firm itself) "file my annual report": a CSV or xlsx upload or a form, problems shown
// cell by cell, warnings explained, and the status of its submissions.
import { api, ApiError } from '../api.js';
import { h, table, toCsv } from '../dom.js';
import { t, lang, pick } from '../i18n.js';
import { figure } from '../figure.js';
import { formatValue, pct } from '../format.js';
import { section, attempt, facts, nameOf, yesNo, problem, resultName, yearPicker, submissionsTable } from '../ui.js';
import { REPORT_FIELDS, fieldLabel } from '../report_fields.js';

export async function render(root, route, ctx) {
  const uscc = route.id.toUpperCase();
  const base = `/firms/${encodeURIComponent(uscc)}`;
  const [firm, reports] = await Promise.all([api.get(base), api.get(`${base}/reports`)]);
  reports.sort((a, b) => a.year - b.year);
  const years = reports.map((r) => r.year);
  const year = Number(route.query.year) || years[years.length - 1];
  root.append(h('div', { class: 'page-head' }, h('h1', null, nameOf(firm)),
    years.length ? yearPicker(years, year, (y) => ctx.go('firm', uscc, { year: y })) : null,
    h('button', { type: 'button', class: 'tool no-print', onclick: () => window.print() }, t('print'))));
  const clusterBox = h('span');
  root.append(section(t('register'), facts([
    [t('uscc'), firm.uscc],
    // A firm user reads no zone (api.md): the id only; reviewers follow it to the zone page.
    [t('zone'), firm.zone_id && ctx.session.role !== 'firm' ? h('a', { href: `#/zone/${encodeURIComponent(firm.zone_id)}` }, firm.zone_id) : firm.zone_id],
    [t('region_code'), firm.region_code],
    [t('industry_code'), firm.industry_code],
    [t('founded'), firm.founded],
    [t('high_tech_cert_year'), firm.high_tech_cert_year],
    [t('listed'), yesNo(firm.listed)],
    [t('my_clusters'), clusterBox],
  ])));
  api.get('/clusters').then((list) => {
    // A firm user's list holds only its own clusters; others read the membership from the firm.
    const mine = ctx.session.role === 'firm' ? list : [];
    clusterBox.append(mine.length ? mine.map((c) => nameOf(c)).join(pick('、', ', ')) : '—');
  }).catch(() => clusterBox.append('—'));

  root.append(section(t('reports'), reportsPart(reports, uscc)));
  const qBox = h('div');
  root.append(section(`${t('qualification')} · ${year ?? ''}`, qBox));
  if (ctx.session.role === 'firm') {
    const fileBox = h('div');
    const subBox = h('div');
    root.append(section(t('file_report'), fileBox), section(t('submissions'), subBox));
    filing(fileBox, uscc, () => submissions(subBox));
    await submissions(subBox);
  }
  if (year) await qualification(qBox, uscc, year);
  else qBox.append(h('p', { class: 'muted' }, t('no_data')));
}

const SHOWN = ['revenue', 'gross_output', 'value_added', 'net_profit', 'rd_expense', 'employees', 'tech_staff', 'rd_staff', 'patent_applications', 'invention_grants'];

function reportsPart(reports, uscc) {
  const years = reports.map((r) => r.year);
  const money = (k) => ({ name: fieldLabel(k), values: reports.map((r) => r[k] ?? null) });
  const box = h('div');
  box.append(h('div', { class: 'grid two' },
    figure({ id: 'firm-money', title: `${fieldLabel('revenue')} / ${fieldLabel('gross_output')}`, kind: 'bar', unit: 'yuan', categories: years, series: [money('revenue'), money('gross_output')], height: 220, file: `${uscc}-revenue` }),
    figure({ id: 'firm-staff', title: `${fieldLabel('employees')} / ${fieldLabel('rd_staff')}`, kind: 'line', unit: 'persons', categories: years, series: [money('employees'), money('rd_staff')], height: 220, file: `${uscc}-staff` })));
  const unitOf = (k) => REPORT_FIELDS.find((f) => f.id === k)?.kind;
  box.append(table([
    { label: t('year'), value: (r) => r.year },
    ...SHOWN.map((k) => ({ label: fieldLabel(k), value: (r) => (unitOf(k) === 'money' ? formatValue(r[k], 'yuan') : formatValue(r[k], unitOf(k) === 'persons' ? 'persons' : 'items')), num: true })),
  ], reports, { cls: 'reports' }));
  return box;
}

async function qualification(box, uscc, year) {
  for (const [rule, name] of [['tech-sme', t('tech_sme')], ['high-tech', t('high_tech')]]) {
    const part = h('div', { class: 'qualification', 'data-rule': rule }, h('h3', null, name));
    box.append(part);
    const res = await attempt(api.get(`/firms/${encodeURIComponent(uscc)}/qualification?rule=${rule}&year=${year}`), part);
    if (!res) continue;
    const q = Array.isArray(res) ? res[0] : res;
    if (!q) { part.append(h('p', { class: 'muted' }, t('no_data'))); continue; }
    part.append(h('p', { class: `verdict result-${q.result}` }, h('strong', null, `${t('result')}：${resultName(q.result)}`), ` · ${q.rule_set} · ${q.verdict || ''}`));
    if (q.criteria && q.criteria.length) {
      part.append(table([
        { label: t('criterion'), value: (c) => c.text },
        { label: t('result'), value: (c) => resultName(c.result), cls: (c) => `result-${c.result}` },
        { label: t('value'), value: (c) => criterionNumber(c, c.value), num: true },
        { label: t('threshold'), value: (c) => criterionNumber(c, c.threshold), num: true },
        { label: t('gap'), value: (c) => criterionNumber(c, c.distance), num: true },
      ], q.criteria, { cls: 'criteria' }));
    }
    if (q.gaps && q.gaps.length) part.append(h('ul', { class: 'gaps' }, q.gaps.map((g) => h('li', { class: g.reaches_bar ? 'reaches' : null }, g.text))));
    if (q.reasons && q.reasons.length) part.append(h('details', null, h('summary', null, t('reason')), h('ul', null, q.reasons.map((r) => h('li', null, r)))));
  }
}

// A criterion's value, bar or gap as its own text writes it: a share where the text says %, else
// the number (days, items, points).
function criterionNumber(c, v) {
  if (v === null || v === undefined) return '—';
  return String(c.text || '').includes('%') ? pct(v) : String(Math.round(v * 100) / 100);
}

async function submissions(box) {
  box.replaceChildren();
  const list = await attempt(api.get('/submissions'), box);
  if (!list) return;
  box.append(submissionsTable(list));
}

// ---------------------------------------------------------------- filing

function filing(box, uscc, refresh) {
  const out = h('div', { class: 'filing-result', 'aria-live': 'polite' });
  // The browser's own file button speaks the browser's language: a label in ours stands for it.
  const chosen = h('span', { class: 'muted', id: 'report-file-name' }, '');
  const input = h('input', { type: 'file', id: 'report-file', class: 'file-input', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    onchange: () => { chosen.textContent = input.files && input.files[0] ? input.files[0].name : ''; } });
  const send = h('button', { type: 'button', class: 'primary', id: 'report-submit', onclick: async () => {
    const f = input.files && input.files[0];
    if (!f) return;
    const xlsx = f.name.toLowerCase().endsWith('.xlsx');
    const bytes = new Uint8Array(await f.arrayBuffer());
    await submit(out, { name: f.name, bytes, xlsx, text: xlsx ? null : new TextDecoder().decode(bytes) }, [], refresh);
  } }, t('submit'));
  box.append(h('p', { class: 'muted' }, t('file_hint')), h('div', { class: 'toolbar' }, input, h('label', { for: 'report-file', class: 'file-button' }, t('choose_file')), chosen, send));
  box.append(h('details', { class: 'report-form' }, h('summary', null, t('or_form')), reportForm(uscc, out, refresh)));
  box.append(out);
}

// The form writes the same CSV a file would hold: uscc, year and the fields filled in, money in 万元
// (the header says so, which the importer reads).
function reportForm(uscc, out, refresh) {
  const inputs = REPORT_FIELDS.filter((f) => f.form).map((f) => ({ f, el: h('input', { name: f.id, id: `form-${f.id}`, inputmode: 'decimal', autocomplete: 'off' }) }));
  const year = h('input', { name: 'year', id: 'form-year', inputmode: 'numeric', value: String(new Date().getFullYear() - 1) });
  const form = h('form', { class: 'grid form', onsubmit: async (ev) => {
    ev.preventDefault();
    const filled = inputs.filter(({ el }) => el.value.trim() !== '');
    const header = ['uscc', 'year', ...filled.map(({ f }) => (f.kind === 'money' ? `${f.id}(万元)` : f.id))];
    const row = [uscc, year.value.trim(), ...filled.map(({ el }) => el.value.trim())];
    const text = toCsv(header, [row]).replace(/^\ufeff/, '');
    await submit(out, { name: `form-${year.value.trim()}.csv`, bytes: new TextEncoder().encode(text), xlsx: false, text }, [], refresh);
  } },
  h('label', { for: 'form-year' }, t('year')), year,
  inputs.map(({ f, el }) => [h('label', { for: el.id }, `${fieldLabel(f.id)}${f.kind === 'money' ? pick('（万元）', ' (10,000 yuan)') : ''}`), el]),
  h('button', { type: 'submit', class: 'primary', id: 'form-submit' }, t('submit_form')));
  return form;
}

async function submit(out, file, reasons, refresh) {
  out.replaceChildren(h('p', { class: 'muted' }, t('loading')));
  try {
    let res;
    if (reasons.length) {
      const body = { file_name: file.name, content_type: file.xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv', reasons };
      if (file.xlsx) body.content_base64 = base64(file.bytes); else body.content = file.text;
      res = await api.post(`/submissions?kind=reports`, JSON.stringify(body));
    } else {
      res = await api.post(`/submissions?kind=reports&file=${encodeURIComponent(file.name)}`, file.bytes,
        file.xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv');
    }
    out.replaceChildren(h('p', { class: 'notice ok', 'data-submission': res.id }, t('submitted_ok', res.id)));
    refresh();
  } catch (e) {
    out.replaceChildren();
    if (!(e instanceof ApiError) || !e.problems.length) { out.append(problem(e)); return; }
    if (e.id === 'submission.reason_required') out.append(reasonsForm(e.problems, file, out, refresh));
    else out.append(h('p', { class: 'notice error' }, `${t('problems')} — ${e.text()}`), problemsView(e.problems, file));
  }
}

function base64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const message = (p) => (lang() === 'zh' ? p.message_zh : p.message_en) || p.message_zh || p.message_en;

// The problems as a list and, for a CSV, the file itself as a grid with each faulty cell marked
// (row numbers as the spreadsheet shows them: the header is row 1).
function problemsView(problems, file) {
  const list = table([
    { label: t('row'), value: (p) => p.row ?? '—', num: true },
    { label: t('column'), value: (p) => p.column || '—' },
    { label: t('value'), value: (p) => p.value ?? '' },
    { label: t('rule'), value: (p) => p.rule },
    { label: t('message'), value: message },
  ], problems, { cls: 'problems' });
  const box = h('div', { class: 'problems-view' }, list);
  if (file.text) {
    const lines = parseCsv(file.text);
    if (lines.length && lines.length <= 2000) {
      const header = lines[0].map((c) => c.replace(/[（(\[].*$/, '').trim().toLowerCase());
      const at = new Map();
      for (const p of problems) {
        const col = header.indexOf(String(p.column || '').toLowerCase());
        at.set(`${p.row}:${col}`, p);
        if (col < 0) at.set(`${p.row}:row`, p);
      }
      const grid = h('table', { class: 'data sheet' },
        h('thead', null, h('tr', null, h('th', null, ''), lines[0].map((c) => h('th', null, c)))),
        h('tbody', null, lines.slice(1).map((cells, i) => {
          const rowNo = i + 2;
          return h('tr', { class: at.has(`${rowNo}:row`) ? 'bad-row' : null }, h('th', { scope: 'row' }, String(rowNo)),
            cells.map((c, j) => {
              const p = at.get(`${rowNo}:${j}`);
              return h('td', { class: p ? 'bad' : null, title: p ? `${p.rule}：${message(p)}` : null, 'data-cell': p ? `${rowNo}:${lines[0][j]}` : null }, c, p ? h('span', { class: 'cell-msg' }, message(p)) : null);
            }));
        })));
      box.append(h('div', { class: 'table-wrap' }, grid));
    }
  }
  return box;
}

function reasonsForm(warnings, file, out, refresh) {
  const fields = warnings.map((w, i) => ({ w, el: h('input', { id: `reason-${i}`, required: true, 'data-rule': w.rule }) }));
  return h('form', { class: 'reasons', onsubmit: async (ev) => {
    ev.preventDefault();
    const reasons = fields.map(({ w, el }) => ({ row: w.row, column: w.column || '', rule: w.rule, reason: el.value.trim() }));
    await submit(out, file, reasons, refresh);
  } },
  h('p', { class: 'notice' }, t('warnings_need_reason')),
  fields.map(({ w, el }) => h('div', { class: 'reason-row' }, h('label', { for: el.id }, `${t('row')} ${w.row} · ${w.column || ''} · ${w.rule}：${message(w)}`), el)),
  h('button', { type: 'submit', class: 'primary' }, t('submit')));
}

// Enough CSV for showing a file back to its author (quotes, doubled quotes, CRLF).
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows.filter((r) => r.some((c) => c !== ''));
}
