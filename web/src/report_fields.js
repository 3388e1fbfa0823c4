// The columns of a firm's annual report (formats.md "reports"), with their Chinese and English
// names: the labels of the reports table and of the filing form.
import { lang } from './i18n.js';

// [id, 中文, English, kind (money: yuan in the API, 千元 in a file unless its header says), on the form]
const F = [
  ['revenue', '营业收入', 'revenue', 'money', true],
  ['gross_output', '工业总产值', 'gross industrial output', 'money', true],
  ['value_added', '工业增加值', 'value added', 'money', true],
  ['net_profit', '净利润', 'net profit', 'money', true],
  ['taxes_paid', '上缴税费', 'taxes paid', 'money', true],
  ['exports', '出口总额', 'exports', 'money', false],
  ['total_assets', '资产总计', 'total assets', 'money', false],
  ['total_liabilities', '负债合计', 'total liabilities', 'money', false],
  ['employees', '年末从业人员', 'employees', 'persons', true],
  ['tech_staff', '科技人员', 'technology staff', 'persons', true],
  ['rd_staff', 'R&D人员', 'R&D staff', 'persons', true],
  ['college_staff', '大专及以上学历人员', 'college-educated staff', 'persons', false],
  ['masters', '硕士', "master's graduates", 'persons', false],
  ['phds', '博士', 'doctorates', 'persons', false],
  ['rd_expense', '研发费用', 'R&D expense', 'money', true],
  ['total_cost', '成本费用支出总额', 'total costs', 'money', false],
  ['high_tech_revenue', '高新技术产品(服务)收入', 'high-tech revenue', 'money', false],
  ['patent_applications', '专利申请数', 'patent applications', 'items', true],
  ['invention_applications', '发明专利申请数', 'invention patent applications', 'items', false],
  ['patent_grants', '专利授权数', 'patents granted', 'items', false],
  ['invention_grants', '发明专利授权数', 'invention patents granted', 'items', false],
];
export const REPORT_FIELDS = F.map(([id, zh, en, kind, form]) => ({ id, zh, en, kind, form }));
const BY_ID = new Map(REPORT_FIELDS.map((f) => [f.id, f]));
export function fieldLabel(id) {
  const f = BY_ID.get(id);
  if (!f) return id;
  return lang() === 'zh' ? f.zh : f.en;
}
