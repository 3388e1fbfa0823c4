// Numbers as the briefs write them (src/briefing/style.cpp, FormatValue and FormatRatio): money in
// 亿元 from 1亿 up and in 万元 below; shares and growth as % with one decimal; counts with 家, 人, 件;
// in English billions and millions of yuan. Keep the two in step.
import { lang } from './i18n.js';

function oneDecimal(v) {
  let s = v.toFixed(1);
  if (s.endsWith('.0')) s = s.slice(0, -2);
  return s === '-0' ? '0' : s;
}
function twoDecimals(v) {
  let s = v.toFixed(2);
  while (s.endsWith('0')) s = s.slice(0, -1);
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}
export function thousands(n) {
  const neg = n < 0;
  const digits = String(Math.round(Math.abs(n)));
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
export function pct(fraction) {
  const s = `${(fraction * 100).toFixed(1)}%`;
  return s === '-0.0%' ? '0.0%' : s;
}
export function money(yuan, l = lang()) {
  const a = Math.abs(yuan);
  if (l === 'zh') {
    if (a >= 0.9995e8) return `${oneDecimal(yuan / 1e8)}亿元`;
    if (a >= 1e4) return `${(yuan / 1e4).toFixed(0)}万元`;
    return `${yuan.toFixed(0)}元`;
  }
  if (a >= 0.9995e9) return `${oneDecimal(yuan / 1e9)} billion yuan`;
  if (a >= 0.9995e6) return `${oneDecimal(yuan / 1e6)} million yuan`;
  if (a >= 1e4) return `${twoDecimals(yuan / 1e6)} million yuan`;
  return `${thousands(yuan)} yuan`;
}

const plural = (n, one, many) => `${thousands(n)} ${n === 1 ? one : many}`;

// One value of `unit` (the catalogue's unit ids).
export function formatValue(value, unit, l = lang()) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const zh = l === 'zh';
  switch (unit) {
    case 'firms': return zh ? `${value}家` : (value === 1 ? 'one firm' : plural(value, 'firm', 'firms'));
    case 'persons': return zh ? `${value}人` : plural(value, 'person', 'persons');
    case 'items': return zh ? `${value}件` : plural(value, 'item', 'items');
    case 'share': case 'growth': return pct(value);
    case 'yuan': return money(value, l);
    case 'yuan_per_person': return zh ? `${(value / 1e4).toFixed(1)}万元/人` : `${thousands(value)} yuan per employee`;
    case 'yuan_per_firm': return zh ? `${(value / 1e4).toFixed(1)}万元/家` : `${thousands(value)} yuan per firm`;
    case 'per_1000_employees': return zh ? `${value.toFixed(1)}人/千人` : `${value.toFixed(1)} per 1,000 employees`;
    case 'per_10000_employees': return zh ? `${value.toFixed(1)}件/万人` : `${value.toFixed(1)} per 10,000 employees`;
    default: return value.toFixed(2);
  }
}

// The same, short enough for a province's tile: English drops the words ("14.8 bn", "45 m",
// "1,821"), which the tile grid's legend and data view then carry.
export function formatShort(value, unit, l = lang()) {
  if (l === 'zh' || value === null || value === undefined) return formatValue(value, unit, l);
  const a = Math.abs(value);
  if (unit === 'yuan') {
    if (a >= 0.9995e9) return `${oneDecimal(value / 1e9)} bn`;
    if (a >= 0.9995e6) return `${oneDecimal(value / 1e6)} m`;
    return thousands(value);
  }
  if (unit === 'firms' || unit === 'persons' || unit === 'items') return thousands(value);
  return formatValue(value, unit, l);
}

// A chart of one unit plots numbers in one scale: money in 亿元 (zh) or billion yuan (en), shares in
// %, the rest as they are. Returns {scale(v), label} for the axis and the data view.
// `largest`: the largest absolute value to be drawn, so a small firm's money reads in 万元 (million
// yuan), not as 0.003亿元.
export function chartScale(unit, l = lang(), largest = Infinity) {
  const zh = l === 'zh';
  switch (unit) {
    case 'yuan':
      if (largest < (zh ? 1e8 : 1e9)) return zh ? { f: (v) => v / 1e4, label: '万元' } : { f: (v) => v / 1e6, label: 'million yuan' };
      return zh ? { f: (v) => v / 1e8, label: '亿元' } : { f: (v) => v / 1e9, label: 'billion yuan' };
    case 'share': case 'growth': return { f: (v) => v * 100, label: '%' };
    case 'firms': return { f: (v) => v, label: zh ? '家' : 'firms' };
    case 'persons': return { f: (v) => v, label: zh ? '人' : 'persons' };
    case 'items': return { f: (v) => v, label: zh ? '件' : 'items' };
    case 'yuan_per_person': return zh ? { f: (v) => v / 1e4, label: '万元/人' } : { f: (v) => v, label: 'yuan per employee' };
    case 'yuan_per_firm': return zh ? { f: (v) => v / 1e4, label: '万元/家' } : { f: (v) => v, label: 'yuan per firm' };
    default: return { f: (v) => v, label: '' };
  }
}

// Rounded for a chart label or a CSV cell in the chart's scale.
export function round(v, digits = 2) {
  if (v === null || v === undefined) return null;
  const m = 10 ** digits;
  return Math.round(v * m) / m;
}
