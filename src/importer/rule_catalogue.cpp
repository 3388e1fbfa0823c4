// Every rule the importer reports. Ids are stable: scripts, the --errors CSV and the tests key on
// them. docs/import-rules.md is generated from this table (and a test checks they agree).
#include "clusterscope/importer.h"

namespace clusterscope {
namespace {

constexpr RuleInfo kRules[] = {
    {"file.unreadable", "文件无法读取或不是表格（编码、压缩包、引号不闭合）",
     "the file cannot be read as a table (encoding, zip, unclosed quote)"},
    {"header.unknown", "未知列名（拼写错误会丢失数据）", "unknown column (a typo must not silently drop data)"},
    {"header.duplicate", "同一列出现两次", "the same column appears twice"},
    {"header.missing", "缺少必填列", "a required column is missing"},
    {"header.unit", "列名中的单位不适用于该列", "the unit in the header does not fit the column"},
    {"cell.extra", "单元格位于没有列名的列", "a value in a column without a header"},
    {"cell.required", "必填项为空", "a required value is empty"},
    {"cell.number", "不是数字", "not a number"},
    {"cell.integer", "必须是整数", "must be a whole number"},
    {"cell.negative", "不能为负数", "must not be negative"},
    {"cell.money_precision", "金额精度超过0.01元", "money finer than 0.01 yuan"},
    {"cell.overflow", "数值过大", "number too large"},
    {"cell.bool", "不是是/否值", "not a yes/no value"},
    {"cell.enum", "不是允许的取值", "not one of the allowed values"},
    {"cell.year", "年份无效或超出范围", "not a year, or out of range"},
    {"cell.date", "日期无效", "not a valid date"},
    {"cell.score", "评分不在0–100之间", "a score outside 0-100"},
    {"uscc.length", "统一社会信用代码应为18位", "a unified social credit code has 18 characters"},
    {"uscc.character", "统一社会信用代码含有不允许的字符（不使用I、O、S、V、Z）",
     "a character outside the code's alphabet (no I, O, S, V, Z)"},
    {"uscc.check", "统一社会信用代码校验位错误（GB 32100-2015）", "wrong check character (GB 32100-2015)"},
    {"region.format", "行政区划代码应为6位数字", "a region code has 6 digits"},
    {"region.unknown", "行政区划代码所属省份不存在（GB/T 2260）", "no such province in GB/T 2260"},
    {"region.unlisted", "行政区划代码不在已导入的区划表中（省份有效）",
     "region code not in the stored table (its province is valid)"},
    {"region.parent", "上级行政区划不存在", "the parent region does not exist"},
    {"industry.format", "行业代码格式错误（GB/T 4754-2017）", "malformed industry code (GB/T 4754-2017)"},
    {"industry.section", "门类字母与行业代码不符", "the section letter does not match the code"},
    {"industry.unknown", "行业大类不存在（GB/T 4754-2017）", "no such industry division in GB/T 4754-2017"},
    {"industry.unlisted", "行业代码不在已导入的行业表中（大类有效）",
     "industry code not in the stored table (its division is valid)"},
    {"industry.parent", "上级行业代码不存在", "the parent industry code does not exist"},
    {"industry.level", "级别与代码长度不符", "the level does not match the code"},
    {"refdata.name", "代码已存在但名称不同", "a known code with a different name"},
    {"geo.range", "经纬度超出中国范围", "coordinates outside China's bounding box"},
    {"geo.pair", "经度和纬度须同时填写或同时为空", "latitude and longitude must both be given or both be empty"},
    {"ref.zones", "园区代码不存在", "no such zone"},
    {"ref.clusters", "集群代码不存在", "no such cluster"},
    {"ref.firms", "企业不存在", "no such firm"},
    {"key.duplicate", "文件中同一记录出现两次", "the same record appears twice in the file"},
    {"key.stored", "已存储的记录取值不同（如需替换请用 --replace）",
     "already stored with other values (use --replace)"},
    {"members.overlap", "同一企业在同一集群的成员年份重叠", "membership years of the same firm and cluster overlap"},
    {"consistency.value_added", "工业增加值不能大于工业总产值", "value added must not exceed gross output"},
    {"consistency.tech_staff", "科技人员不能多于从业人员", "tech staff must not exceed employees"},
    {"consistency.rd_staff", "R&D人员不能多于从业人员", "R&D staff must not exceed employees"},
    {"consistency.college_staff", "大专及以上学历人员不能多于从业人员",
     "college-educated staff must not exceed employees"},
    {"consistency.postgraduates", "硕士与博士之和不能多于大专及以上学历人员",
     "masters + PhDs must not exceed college-educated staff"},
    {"consistency.returnees", "留学归国人员不能多于从业人员", "returnees must not exceed employees"},
    {"consistency.rd_expense_domestic", "境内研发费用不能大于研发费用", "domestic R&D must not exceed R&D expense"},
    {"consistency.high_tech_revenue", "高新技术产品(服务)收入不能大于营业收入",
     "high-tech revenue must not exceed revenue"},
    {"consistency.invention_applications", "发明专利申请数不能多于专利申请数",
     "invention applications must not exceed patent applications"},
    {"consistency.invention_grants", "发明专利授权数不能多于专利授权数",
     "invention grants must not exceed patent grants"},
    {"consistency.member_years", "截止年份不能早于起始年份", "to_year must not be before from_year"},
};

}  // namespace

std::span<const RuleInfo> ImportRules() { return kRules; }

}  // namespace clusterscope
