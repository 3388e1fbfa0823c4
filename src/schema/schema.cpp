#include "clusterscope/schema.h"

#include <array>

namespace clusterscope {
namespace {

using std::string_view;
using T = ColumnType;

// ---- enum spellings (formats.md) ----
constexpr string_view kNational[] = {"national", "国家级", "国家"};
constexpr string_view kProvincial[] = {"provincial", "省级", "省"};
constexpr string_view kOtherLevel[] = {"other", "其他", "其它"};
constexpr EnumOption kZoneLevels[] = {{"national", kNational}, {"provincial", kProvincial}, {"other", kOtherLevel}};

constexpr string_view kBackbone[] = {"backbone", "骨干", "骨干企业"};
constexpr string_view kMember[] = {"member", "成员", "成员企业"};
constexpr EnumOption kRoles[] = {{"backbone", kBackbone}, {"member", kMember}};

constexpr string_view kInnovationService[] = {"innovation_service", "创新服务", "innovation service"};
constexpr string_view kRd[] = {"rd", "研发", "r&d"};
constexpr string_view kFinance[] = {"finance", "金融服务", "金融"};
constexpr EnumOption kCategories[] = {
    {"innovation_service", kInnovationService}, {"rd", kRd}, {"finance", kFinance}, {"other", kOtherLevel}};

constexpr string_view kSection[] = {"section", "门类"};
constexpr string_view kDivision[] = {"division", "大类"};
constexpr string_view kGroup[] = {"group", "中类"};
constexpr string_view kClass[] = {"class", "小类"};
constexpr EnumOption kIndustryLevels[] = {
    {"section", kSection}, {"division", kDivision}, {"group", kGroup}, {"class", kClass}};

constexpr string_view kProvince[] = {"province", "省级"};
constexpr string_view kPrefecture[] = {"prefecture", "地级"};
constexpr string_view kCounty[] = {"county", "县级"};
constexpr EnumOption kRegionLevels[] = {{"province", kProvince}, {"prefecture", kPrefecture}, {"county", kCounty}};

// ---- columns ----
constexpr ColumnDef kRegionColumns[] = {
    {.id = "code", .zh = "行政区划代码", .type = T::kRegionCode, .required = true, .key = true},
    {.id = "name", .zh = "名称", .type = T::kText, .required = true},
    {.id = "parent", .zh = "上级代码", .type = T::kRegionCode},
    {.id = "level", .zh = "级别", .type = T::kEnum, .from_input = false, .options = kRegionLevels},
};

constexpr ColumnDef kIndustryColumns[] = {
    {.id = "code", .zh = "行业代码", .type = T::kIndustryCode, .required = true, .key = true},
    {.id = "name", .zh = "行业名称", .type = T::kText, .required = true},
    {.id = "level", .zh = "级别", .type = T::kEnum, .options = kIndustryLevels},
    {.id = "parent", .zh = "上级代码", .type = T::kIndustryCode},
    {.id = "section", .zh = "门类", .type = T::kIndustryCode},
    {.id = "edition", .zh = "版本", .type = T::kText, .from_input = false},
};

constexpr ColumnDef kZoneColumns[] = {
    {.id = "zone_id", .zh = "园区代码", .type = T::kId, .required = true, .key = true},
    {.id = "name", .zh = "园区名称", .type = T::kName, .required = true},
    {.id = "region_code", .zh = "行政区划代码", .type = T::kRegionCode, .required = true, .ref = "regions"},
    {.id = "level", .zh = "级别", .type = T::kEnum, .required = true, .options = kZoneLevels},
    {.id = "name_original", .zh = "园区名称(原文)", .type = T::kText, .from_input = false},
    {.id = "name_en", .zh = "英文名称", .type = T::kText},
};

constexpr ColumnDef kClusterColumns[] = {
    {.id = "cluster_id", .zh = "集群代码", .type = T::kId, .required = true, .key = true},
    {.id = "name", .zh = "集群名称", .type = T::kName, .required = true},
    {.id = "zone_id", .zh = "所在园区", .type = T::kId, .required = true, .ref = "zones"},
    {.id = "leading_industries", .zh = "主导产业代码", .type = T::kIndustryList, .required = true},
    {.id = "construction_body", .zh = "建设主体", .type = T::kName},
    {.id = "alliance", .zh = "产业联盟", .type = T::kName},
    {.id = "recognised_year", .zh = "认定年份", .type = T::kYear},
    {.id = "name_original", .zh = "集群名称(原文)", .type = T::kText, .from_input = false},
    {.id = "industry_edition", .zh = "行业分类版本", .type = T::kText, .from_input = false},
    {.id = "name_en", .zh = "英文名称", .type = T::kText},
};

constexpr ColumnDef kFirmColumns[] = {
    {.id = "uscc", .zh = "统一社会信用代码", .type = T::kUscc, .required = true, .key = true},
    {.id = "name", .zh = "企业名称", .type = T::kName, .required = true},
    {.id = "region_code", .zh = "行政区划代码", .type = T::kRegionCode, .required = true, .ref = "regions"},
    {.id = "zone_id", .zh = "所在园区", .type = T::kId, .ref = "zones"},
    {.id = "industry_code", .zh = "行业代码", .type = T::kIndustryClass, .required = true, .ref = "industries"},
    {.id = "founded", .zh = "成立日期", .type = T::kDateOrYear},
    {.id = "high_tech_cert_year", .zh = "高新技术企业认定年份", .type = T::kYear},
    {.id = "listed", .zh = "是否上市", .type = T::kBool},
    {.id = "lat", .zh = "纬度", .type = T::kLatitude},
    {.id = "lon", .zh = "经度", .type = T::kLongitude},
    {.id = "name_original", .zh = "企业名称(原文)", .type = T::kText, .from_input = false},
    {.id = "industry_edition", .zh = "行业分类版本", .type = T::kText, .from_input = false},
    {.id = "name_en", .zh = "英文名称", .type = T::kText},
};

constexpr ColumnDef kMemberColumns[] = {
    {.id = "cluster_id", .zh = "集群代码", .type = T::kId, .required = true, .key = true, .ref = "clusters"},
    {.id = "uscc", .zh = "统一社会信用代码", .type = T::kUscc, .required = true, .key = true, .ref = "firms"},
    {.id = "from_year", .zh = "起始年份", .type = T::kYear, .required = true, .key = true},
    {.id = "to_year", .zh = "截止年份", .type = T::kYear},
    {.id = "role", .zh = "角色", .type = T::kEnum, .fallback = "member", .options = kRoles},
};

constexpr ColumnDef kInstitutionColumns[] = {
    {.id = "cluster_id", .zh = "集群代码", .type = T::kId, .required = true, .key = true, .ref = "clusters"},
    {.id = "name", .zh = "机构名称", .type = T::kName, .required = true, .key = true},
    {.id = "category", .zh = "类别", .type = T::kEnum, .required = true, .options = kCategories},
    {.id = "national_level", .zh = "是否国家级", .type = T::kBool},
    {.id = "name_original", .zh = "机构名称(原文)", .type = T::kText, .from_input = false},
};

constexpr ColumnDef kReportColumns[] = {
    {.id = "uscc", .zh = "统一社会信用代码", .type = T::kUscc, .required = true, .key = true, .ref = "firms"},
    {.id = "year", .zh = "年份", .type = T::kYear, .required = true, .key = true},
    {.id = "producing", .zh = "是否投产", .type = T::kBool, .fallback = "1"},
    {.id = "revenue", .zh = "营业收入", .type = T::kMoney},
    {.id = "gross_output", .zh = "工业总产值", .type = T::kMoney},
    {.id = "value_added", .zh = "工业增加值", .type = T::kMoney},
    {.id = "net_profit", .zh = "净利润", .type = T::kSignedMoney},
    {.id = "taxes_paid", .zh = "上缴税费", .type = T::kMoney},
    {.id = "exports", .zh = "出口总额", .type = T::kMoney},
    {.id = "total_assets", .zh = "资产总计", .type = T::kMoney},
    {.id = "total_liabilities", .zh = "负债合计", .type = T::kMoney},
    {.id = "employees", .zh = "年末从业人员", .type = T::kCount},
    {.id = "tech_staff", .zh = "科技人员", .type = T::kCount},
    {.id = "rd_staff", .zh = "R&D人员", .type = T::kCount},
    {.id = "college_staff", .zh = "大专及以上学历人员", .type = T::kCount},
    {.id = "masters", .zh = "硕士", .type = T::kCount},
    {.id = "phds", .zh = "博士", .type = T::kCount},
    {.id = "returnees", .zh = "留学归国人员", .type = T::kCount},
    {.id = "rd_expense", .zh = "研发费用", .type = T::kMoney},
    {.id = "rd_expense_domestic", .zh = "境内研发费用", .type = T::kMoney},
    {.id = "total_cost", .zh = "成本费用支出总额", .type = T::kMoney},
    {.id = "high_tech_revenue", .zh = "高新技术产品(服务)收入", .type = T::kMoney},
    {.id = "patent_applications", .zh = "专利申请数", .type = T::kCount},
    {.id = "invention_applications", .zh = "发明专利申请数", .type = T::kCount},
    {.id = "patent_grants", .zh = "专利授权数", .type = T::kCount},
    {.id = "invention_grants", .zh = "发明专利授权数", .type = T::kCount},
    {.id = "valid_invention_patents", .zh = "有效发明专利数", .type = T::kCount},
    {.id = "ip_class1", .zh = "I类知识产权数", .type = T::kCount},
    {.id = "ip_class2", .zh = "II类知识产权数", .type = T::kCount},
    {.id = "vc_investment", .zh = "当年获得风险投资", .type = T::kMoney},
    {.id = "new_loans", .zh = "当年新增银行贷款", .type = T::kMoney},
    {.id = "provincial_rd_institution", .zh = "省部级以上研发机构", .type = T::kBool},
    {.id = "major_incident", .zh = "重大安全质量环境事故", .type = T::kBool},
    {.id = "national_award_5y", .zh = "近五年国家级科技奖励(前三)", .type = T::kBool},
    {.id = "standard_lead_5y", .zh = "近五年主导制定标准", .type = T::kBool},
};

constexpr ColumnDef kExpertColumns[] = {
    {.id = "cluster_id", .zh = "集群代码", .type = T::kId, .required = true, .key = true, .ref = "clusters"},
    {.id = "year", .zh = "年份", .type = T::kYear, .required = true, .key = true},
    {.id = "score", .zh = "专家评分", .type = T::kScore, .required = true},
};

// ---- consistency rules: sum(lhs) ≤ rhs ----
constexpr string_view kValueAdded[] = {"value_added"};
constexpr string_view kTechStaff[] = {"tech_staff"};
constexpr string_view kRdStaff[] = {"rd_staff"};
constexpr string_view kCollegeStaff[] = {"college_staff"};
constexpr string_view kPostgrads[] = {"masters", "phds"};
constexpr string_view kReturnees[] = {"returnees"};
constexpr string_view kRdDomestic[] = {"rd_expense_domestic"};
constexpr string_view kHighTechRevenue[] = {"high_tech_revenue"};
constexpr string_view kInventionApps[] = {"invention_applications"};
constexpr string_view kInventionGrants[] = {"invention_grants"};
constexpr ConsistencyRule kReportRules[] = {
    {"consistency.value_added", kValueAdded, "gross_output"},
    {"consistency.tech_staff", kTechStaff, "employees"},
    {"consistency.rd_staff", kRdStaff, "employees"},
    {"consistency.college_staff", kCollegeStaff, "employees"},
    {"consistency.postgraduates", kPostgrads, "college_staff"},
    {"consistency.returnees", kReturnees, "employees"},
    {"consistency.rd_expense_domestic", kRdDomestic, "rd_expense"},
    {"consistency.high_tech_revenue", kHighTechRevenue, "revenue"},
    {"consistency.invention_applications", kInventionApps, "patent_applications"},
    {"consistency.invention_grants", kInventionGrants, "patent_grants"},
};
constexpr string_view kFromYear[] = {"from_year"};
constexpr ConsistencyRule kMemberRules[] = {{"consistency.member_years", kFromYear, "to_year"}};

const std::array<KindDef, 9> kKinds = {{
    {Kind::kRegions, "regions", "行政区划", kRegionColumns, {}},
    {Kind::kIndustries, "industries", "行业分类", kIndustryColumns, {}},
    {Kind::kZones, "zones", "园区", kZoneColumns, {}},
    {Kind::kClusters, "clusters", "集群", kClusterColumns, {}},
    {Kind::kFirms, "firms", "企业", kFirmColumns, {}},
    {Kind::kMembers, "members", "集群成员", kMemberColumns, kMemberRules},
    {Kind::kInstitutions, "institutions", "集群服务机构", kInstitutionColumns, {}},
    {Kind::kReports, "reports", "企业年报", kReportColumns, kReportRules},
    {Kind::kExpert, "expert", "专家评分", kExpertColumns, {}},
}};

}  // namespace

int KindDef::ColumnIndex(std::string_view column_id) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].id == column_id) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> KindDef::KeyColumns() const {
  std::vector<int> keys;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].key) keys.push_back(static_cast<int>(i));
  }
  return keys;
}

const KindDef& Describe(Kind kind) { return kKinds[static_cast<size_t>(kind)]; }

std::string_view KindId(Kind kind) { return Describe(kind).id; }

std::optional<Kind> ParseKind(std::string_view id) {
  for (const KindDef& def : kKinds) {
    if (def.id == id) return def.kind;
  }
  return std::nullopt;
}

std::string KeyOf(const KindDef& def, const Record& record) {
  std::string key;
  bool first = true;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    if (!def.columns[i].key) continue;
    if (!first) key.push_back('\x1f');
    first = false;
    const Value& v = record[i];
    if (const auto* s = std::get_if<std::string>(&v)) {
      key += *s;
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      key += std::to_string(*n);
    }
  }
  return key;
}

}  // namespace clusterscope

namespace clusterscope {

std::string TextOf(const Record& record, const KindDef& def, std::string_view column) {
  const Value& v = record[static_cast<size_t>(def.ColumnIndex(column))];
  return IsNull(v) ? std::string() : std::get<std::string>(v);
}

std::optional<int64_t> IntOf(const Record& record, const KindDef& def, std::string_view column) {
  const Value& v = record[static_cast<size_t>(def.ColumnIndex(column))];
  if (IsNull(v)) return std::nullopt;
  return std::get<int64_t>(v);
}

Record KeyRecord(Kind kind, const std::vector<Value>& values) {
  const KindDef& def = Describe(kind);
  Record r(def.columns.size());
  const std::vector<int> keys = def.KeyColumns();
  for (size_t i = 0; i < keys.size() && i < values.size(); ++i) r[static_cast<size_t>(keys[i])] = values[i];
  return r;
}

}  // namespace clusterscope
