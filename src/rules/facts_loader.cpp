// Reads the facts the rules need from a store: register entries and three years of reports.
#include <fmt/format.h>

#include <unordered_map>
#include <unordered_set>

#include "clusterscope/rules.h"
#include "clusterscope/schema.h"
#include "core/uscc.h"

namespace clusterscope {
namespace {

std::optional<int64_t> IntAt(const Record& r, int column) {
  if (column < 0 || IsNull(r[static_cast<size_t>(column)])) return std::nullopt;
  return std::get<int64_t>(r[static_cast<size_t>(column)]);
}

std::string TextAt(const Record& r, int column) {
  if (column < 0 || IsNull(r[static_cast<size_t>(column)])) return {};
  return std::get<std::string>(r[static_cast<size_t>(column)]);
}

// Column positions of the reports fields the rules read, looked up once.
struct ReportColumns {
  const KindDef& def = Describe(Kind::kReports);
  int uscc = def.ColumnIndex("uscc");
  int year = def.ColumnIndex("year");
  int employees = def.ColumnIndex("employees");
  int tech_staff = def.ColumnIndex("tech_staff");
  int rd_staff = def.ColumnIndex("rd_staff");
  int revenue = def.ColumnIndex("revenue");
  int total_assets = def.ColumnIndex("total_assets");
  int total_liabilities = def.ColumnIndex("total_liabilities");
  int total_cost = def.ColumnIndex("total_cost");
  int rd_expense = def.ColumnIndex("rd_expense");
  int rd_expense_domestic = def.ColumnIndex("rd_expense_domestic");
  int high_tech_revenue = def.ColumnIndex("high_tech_revenue");
  int ip_class1 = def.ColumnIndex("ip_class1");
  int ip_class2 = def.ColumnIndex("ip_class2");
  int gross_output = def.ColumnIndex("gross_output");
  int major_incident = def.ColumnIndex("major_incident");
  int national_award_5y = def.ColumnIndex("national_award_5y");
  int provincial_rd_institution = def.ColumnIndex("provincial_rd_institution");
  int standard_lead_5y = def.ColumnIndex("standard_lead_5y");

  YearFacts Read(const Record& r) const {
    YearFacts y;
    y.year = static_cast<int>(*IntAt(r, year));
    y.employees = IntAt(r, employees);
    y.tech_staff = IntAt(r, tech_staff);
    y.rd_staff = IntAt(r, rd_staff);
    y.revenue = IntAt(r, revenue);
    y.total_assets = IntAt(r, total_assets);
    y.total_liabilities = IntAt(r, total_liabilities);
    y.total_cost = IntAt(r, total_cost);
    y.rd_expense = IntAt(r, rd_expense);
    y.rd_expense_domestic = IntAt(r, rd_expense_domestic);
    y.high_tech_revenue = IntAt(r, high_tech_revenue);
    y.ip_class1 = IntAt(r, ip_class1);
    y.ip_class2 = IntAt(r, ip_class2);
    y.gross_output = IntAt(r, gross_output);
    const auto flag = [&](int c) -> std::optional<bool> {
      auto v = IntAt(r, c);
      if (!v) return std::nullopt;
      return *v != 0;
    };
    y.major_incident = flag(major_incident);
    y.national_award_5y = flag(national_award_5y);
    y.provincial_rd_institution = flag(provincial_rd_institution);
    y.standard_lead_5y = flag(standard_lead_5y);
    return y;
  }
};

Result<FirmHistory> ReadFirm(Store& store, const std::string& typed) {
  // As the importer stores it: trimmed, full-width folded, upper-cased.
  const uscc::Verdict verdict = uscc::Check(typed);
  if (verdict.problem != uscc::Problem::kNone) {
    return Status::InvalidInput(
        fmt::format("\"{}\" is not a valid unified social credit code (GB 32100-2015, rules.md §1)", typed));
  }
  const std::string& uscc = verdict.code;
  const KindDef& def = Describe(Kind::kFirms);
  CS_ASSIGN_OR_RETURN(auto firm, store.Get(Kind::kFirms, KeyRecord(Kind::kFirms, {uscc})));
  if (!firm) return Status::NotFound(fmt::format("firm {} is not in the register", uscc));
  FirmHistory h;
  h.uscc = uscc;
  h.name = TextAt(*firm, def.ColumnIndex("name"));
  h.industry_code = TextAt(*firm, def.ColumnIndex("industry_code"));
  h.founded = TextAt(*firm, def.ColumnIndex("founded"));
  if (auto cert = IntAt(*firm, def.ColumnIndex("high_tech_cert_year"))) h.high_tech_cert_year = static_cast<int>(*cert);
  return h;
}

}  // namespace

Result<std::vector<FirmHistory>> LoadFirmHistories(Store& store, const std::vector<std::string>& usccs, int year) {
  const ReportColumns rc;
  std::vector<FirmHistory> out;
  if (!usccs.empty()) {
    for (const std::string& uscc : usccs) {
      CS_ASSIGN_OR_RETURN(FirmHistory h, ReadFirm(store, uscc));
      for (int y = year - 2; y <= year; ++y) {
        CS_ASSIGN_OR_RETURN(auto report, store.Get(Kind::kReports, KeyRecord(Kind::kReports, {h.uscc, int64_t{y}})));
        if (report) h.years.push_back(rc.Read(*report));
      }
      out.push_back(std::move(h));
    }
    return out;
  }
  // Every firm that filed for `year`: one pass over the reports.
  std::unordered_map<std::string, std::vector<YearFacts>> by_firm;
  std::unordered_set<std::string> filed;
  CS_RETURN_IF_ERROR(store.Scan(Kind::kReports, [&](const Record& r) {
    const auto y = static_cast<int>(*IntAt(r, rc.year));
    if (y < year - 2 || y > year) return true;
    std::string uscc = TextAt(r, rc.uscc);
    if (y == year) filed.insert(uscc);
    by_firm[std::move(uscc)].push_back(rc.Read(r));
    return true;
  }));
  std::vector<std::string> sorted(filed.begin(), filed.end());
  std::sort(sorted.begin(), sorted.end());
  for (const std::string& uscc : sorted) {
    CS_ASSIGN_OR_RETURN(FirmHistory h, ReadFirm(store, uscc));
    h.years = std::move(by_firm[uscc]);
    out.push_back(std::move(h));
  }
  return out;
}

Result<std::vector<std::pair<std::string, bool>>> ClusterMembersIn(Store& store, const std::string& cluster_id,
                                                                   int year) {
  CS_ASSIGN_OR_RETURN(auto cluster, store.Get(Kind::kClusters, KeyRecord(Kind::kClusters, {cluster_id})));
  if (!cluster) return Status::NotFound(fmt::format("cluster {} is not in the register", cluster_id));

  const KindDef& def = Describe(Kind::kMembers);
  const int c_cluster = def.ColumnIndex("cluster_id");
  const int c_uscc = def.ColumnIndex("uscc");
  const int c_from = def.ColumnIndex("from_year");
  const int c_to = def.ColumnIndex("to_year");
  const int c_role = def.ColumnIndex("role");
  std::vector<std::pair<std::string, bool>> out;
  std::unordered_set<std::string> seen;
  CS_RETURN_IF_ERROR(store.Scan(Kind::kMembers, [&](const Record& r) {
    if (TextAt(r, c_cluster) != cluster_id) return true;
    const int64_t from = IntAt(r, c_from).value_or(0);
    const int64_t to = IntAt(r, c_to).value_or(INT64_MAX);
    if (from <= year && year <= to) {
      std::string uscc = TextAt(r, c_uscc);
      if (seen.insert(uscc).second) out.emplace_back(std::move(uscc), TextAt(r, c_role) == "backbone");
    }
    return true;
  }));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace clusterscope
