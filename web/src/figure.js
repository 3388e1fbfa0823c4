// A figure: an ECharts chart with a "data" view (the numbers as a table), CSV and PNG downloads
// (issue 13: every chart). Charts are drawn on canvas without animation, so the PNG and a
// screenshot show the finished picture.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h, saveBlob, toCsv } from './dom.js';
import { t, lang } from './i18n.js';
import { chartScale, formatValue, round } from './format.js';

echarts.use([BarChart, LineChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, TitleComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };

export const FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", sans-serif';
export const PALETTE = ['#2f5d8a', '#d9822b', '#3c8d5a', '#b0413e', '#7a5c99', '#5c8d99', '#a58a2f'];

const charts = new Set();

// Redraws the charts at their boxes' new size. Only a box in the page with a size: ECharts lays a
// chart out in the box it measures, and a detached box measures 0 wide, where the map's transform
// has no inverse and its resize throws (CI, 2026-12-03: "Cannot read properties of null (reading
// '0')"). A chart whose box has left the page is dropped; one hidden behind its data view is
// redrawn when the view toggles back (figure()).
function resizeCharts() {
  for (const c of charts) {
    const box = c.getDom();
    if (!box.isConnected) {
      c.dispose();
      charts.delete(c);
    } else if (box.clientWidth > 0 && box.clientHeight > 0) {
      c.resize();
    }
  }
}
window.addEventListener('resize', resizeCharts);
// Before printing, draw at the printed width.
window.addEventListener('beforeprint', resizeCharts);

// Drops the charts of the page being left.
export function disposeCharts() {
  charts.forEach((c) => c.dispose());
  charts.clear();
}

function fileStem(s) {
  return String(s).replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 80);
}

// spec: {id, title, note, kind: 'line'|'bar'|'hbar', categories: [...], series: [{name, values: [raw…]}],
//        unit (catalogue unit of the values), height, highlight (category index), onClick(index)}
// or {kind: 'custom', option, table: {header, rows}} for charts with their own shape (the tiles).
export function figure(spec) {
  const chartBox = h('div', { class: 'chart', role: 'img', 'aria-label': spec.title });
  chartBox.style.height = `${spec.height || 260}px`; // CSSOM, which the CSP allows (a style attribute it would not)
  const table = dataTable(spec);
  const dataBox = h('div', { class: 'figure-data hidden' }, table.node);
  const toggle = h('button', { type: 'button', class: 'tool', 'data-action': 'data' }, t('data_view'));
  let chart = null;
  toggle.addEventListener('click', () => {
    const showing = !dataBox.classList.contains('hidden');
    dataBox.classList.toggle('hidden', showing);
    chartBox.classList.toggle('hidden', !showing);
    toggle.textContent = showing ? t('data_view') : t('chart_view');
    if (showing && chart) chart.resize();
  });
  const stem = fileStem(spec.file || spec.title);
  const csvBtn = h('button', { type: 'button', class: 'tool', 'data-action': 'csv' }, t('download_csv'));
  csvBtn.addEventListener('click', () => saveBlob(new Blob([toCsv(table.header, table.rows)], { type: 'text/csv;charset=utf-8' }), `${stem}.csv`));
  const pngBtn = h('button', { type: 'button', class: 'tool', 'data-action': 'png' }, t('download_png'));
  pngBtn.addEventListener('click', () => {
    if (!chart) return;
    // A data: URL is outside the CSP's connect-src, so its bytes are decoded here, not fetched.
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    const bin = atob(url.split(',')[1]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    saveBlob(new Blob([bytes], { type: 'image/png' }), `${stem}.png`);
  });
  const card = h('figure', { class: `figure ${spec.cls || ''}`.trim(), 'data-figure': spec.id || null },
    h('figcaption', null, h('span', { class: 'figure-title' }, spec.title),
      h('span', { class: 'figure-tools no-print' }, toggle, csvBtn, pngBtn)),
    spec.lead || null,
    chartBox, dataBox,
    spec.note ? h('p', { class: 'figure-note' }, spec.note) : null);
  // Drawn once the card is in the page (ECharts needs the box's size).
  requestAnimationFrame(() => {
    if (!chartBox.isConnected) return;
    chart = echarts.init(chartBox, null, { renderer: 'canvas' });
    charts.add(chart);
    chart.setOption(spec.kind === 'custom' ? spec.option : option(spec));
    if (spec.onClick) chart.on('click', (p) => spec.onClick(p));
    card.dataset.drawn = String(Math.round(performance.now())); // ms since navigation: bench/dashboard_load.mjs
  });
  return card;
}

// The scale of a chart's numbers: one unit for all its series, fitted to the largest value.
function scaleOf(spec) {
  const values = spec.series.flatMap((s) => s.values).filter((v) => v !== null && v !== undefined);
  return chartScale(spec.unit, lang(), values.length ? Math.max(...values.map(Math.abs)) : Infinity);
}

function dataTable(spec) {
  if (spec.kind === 'custom') {
    const { header, rows, raw } = spec.table;
    return { header, rows, node: simpleTable(header, rows, raw) };
  }
  const sc = scaleOf(spec);
  const unitLabel = sc.label ? `（${sc.label}）` : '';
  const header = [spec.categoryLabel || t('year'), ...spec.series.map((s) => `${s.name}${lang() === 'zh' ? unitLabel : sc.label ? ` (${sc.label})` : ''}`)];
  const rows = spec.categories.map((c, i) => [c, ...spec.series.map((s) => (s.values[i] === null || s.values[i] === undefined ? '' : round(sc.f(s.values[i]), 4)))]);
  const thead = h('thead', null, h('tr', null, header.map((x) => h('th', { scope: 'col' }, x))));
  const tbody = h('tbody', null, spec.categories.map((c, i) => h('tr', null, h('th', { scope: 'row' }, String(c)),
    spec.series.map((s) => h('td', { class: 'num', 'data-raw': s.values[i] ?? '' }, formatValue(s.values[i], spec.unit))))));
  return { header, rows, node: h('table', { class: 'data' }, thead, tbody) };
}

function simpleTable(header, rows, raw) {
  return h('table', { class: 'data' },
    h('thead', null, h('tr', null, header.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, rows.map((r, i) => h('tr', null, r.map((x, j) => h('td', { 'data-raw': raw ? raw[i][j] ?? '' : null }, x ?? ''))))));
}

// Tooltips drawn on the canvas (richText), never as HTML: names in the data stay text, and no
// inline style attribute meets the CSP.
export function tooltip(lines, trigger = 'axis') {
  return {
    trigger,
    renderMode: 'richText',
    textStyle: { fontFamily: FONT },
    formatter: (items) => {
      const first = Array.isArray(items) ? items[0] : items;
      return lines(first.dataIndex, first).join('\n');
    },
  };
}

function option(spec) {
  const sc = scaleOf(spec);
  const horizontal = spec.kind === 'hbar';
  const catAxis = { type: 'category', data: spec.categories.map(String), axisLabel: { fontFamily: FONT, interval: 0, hideOverlap: true, width: horizontal ? 150 : 90, overflow: 'truncate' }, axisTick: { alignWithLabel: true } };
  const valAxis = { type: 'value', name: sc.label, nameTextStyle: { fontFamily: FONT }, axisLabel: { fontFamily: FONT }, scale: false };
  const series = spec.series.map((s, k) => ({
    type: spec.kind === 'line' ? 'line' : 'bar',
    name: s.name,
    data: s.values.map((v, i) => {
      const y = v === null || v === undefined ? null : round(sc.f(v), 4);
      if (spec.highlight === i) return { value: y, itemStyle: { color: '#d9822b' } };
      return y;
    }),
    connectNulls: false,
    symbolSize: 6,
    barMaxWidth: 36,
    label: spec.labels ? { show: true, position: horizontal ? 'right' : 'top', fontFamily: FONT, fontSize: 11, formatter: (p) => (s.values[p.dataIndex] == null ? '' : formatValue(s.values[p.dataIndex], spec.unit)) } : undefined,
    color: PALETTE[k % PALETTE.length],
  }));
  return {
    animation: false,
    textStyle: { fontFamily: FONT },
    grid: { left: horizontal ? 160 : 56, right: 24, top: spec.series.length > 1 ? 40 : 28, bottom: 36, containLabel: false },
    legend: spec.series.length > 1 ? { top: 0, textStyle: { fontFamily: FONT } } : undefined,
    tooltip: tooltip((i) => [String(spec.categories[i]), ...spec.series.map((s) => `${s.name}: ${formatValue(s.values[i], spec.unit)}`)]),
    xAxis: horizontal ? valAxis : catAxis,
    yAxis: horizontal ? { ...catAxis, inverse: true } : valAxis,
    series,
  };
}
