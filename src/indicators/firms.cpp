// The rules' facts and a cluster's members, read from the data set (indicators.h): what rules.h's
// store readers did with four lookups per firm, now one row lookup per firm and year.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "clusterscope/indicators.h"
#include "core/uscc.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

FirmHistory HistoryOf(const Dataset& data, size_t firm, int year) {
  const FirmInfo& info = data.firms[firm];
  FirmHistory h;
  h.uscc = info.uscc;
  h.name = info.name;
  h.industry_code = info.industry;
  h.founded = info.founded;
  if (info.cert_year > 0) h.high_tech_cert_year = info.cert_year;
  for (int y = year - 2; y <= year; ++y) {
    const int slot = data.YearSlot(y);
    if (slot < 0) continue;
    const int32_t row = data.row_of_firm[static_cast<size_t>(slot)][firm];
    if (row >= 0) h.years.push_back(FactsOf(data.years[static_cast<size_t>(slot)], static_cast<size_t>(row)));
  }
  return h;
}

}  // namespace

YearFacts FactsOf(const YearTable& t, size_t r) {
  const auto get = [&](int f) -> std::optional<int64_t> {
    if (!t.Has(r, f)) return std::nullopt;
    return t.Get(r, f);
  };
  const auto flag = [&](int f) -> std::optional<bool> {
    if (!t.Has(r, f)) return std::nullopt;
    return t.Get(r, f) != 0;
  };
  YearFacts y;
  y.year = t.year;
  y.employees = get(kEmployees);
  y.tech_staff = get(kTechStaff);
  y.rd_staff = get(kRdStaff);
  y.revenue = get(kRevenue);
  y.total_assets = get(kTotalAssets);
  y.total_liabilities = get(kTotalLiabilities);
  y.total_cost = get(kTotalCost);
  y.rd_expense = get(kRdExpense);
  y.rd_expense_domestic = get(kRdExpenseDomestic);
  y.high_tech_revenue = get(kHighTechRevenue);
  y.ip_class1 = get(kIpClass1);
  y.ip_class2 = get(kIpClass2);
  y.gross_output = get(kGrossOutput);
  y.major_incident = flag(kMajorIncident);
  y.national_award_5y = flag(kNationalAward5y);
  y.provincial_rd_institution = flag(kProvincialRdInstitution);
  y.standard_lead_5y = flag(kStandardLead5y);
  return y;
}

int32_t FindFirm(const Dataset& data, const std::string& uscc) {
  auto it = std::lower_bound(data.firms.begin(), data.firms.end(), uscc,
                             [](const FirmInfo& f, const std::string& u) { return f.uscc < u; });
  return it == data.firms.end() || it->uscc != uscc ? -1 : static_cast<int32_t>(it - data.firms.begin());
}

Result<std::vector<FirmHistory>> LoadFirmHistories(const Dataset& data, const std::vector<std::string>& usccs,
                                                   int year) {
  std::vector<FirmHistory> out;
  if (!usccs.empty()) {
    for (const std::string& typed : usccs) {
      // As the importer stores it: trimmed, full-width folded, upper-cased.
      const uscc::Verdict verdict = uscc::Check(typed);
      if (verdict.problem != uscc::Problem::kNone) {
        return Status::InvalidInput(
                   fmt::format("\"{}\" is not a valid unified social credit code (GB 32100-2015, rules.md §1)", typed))
            .WithId("firm.bad_uscc");
      }
      const int32_t firm = FindFirm(data, verdict.code);
      if (firm < 0) {
        return Status::NotFound(fmt::format("firm {} is not in the register", verdict.code)).WithId("firm.unknown");
      }
      out.push_back(HistoryOf(data, static_cast<size_t>(firm), year));
    }
    return out;
  }
  // Every firm that filed for `year`, in uscc order (the order of Dataset::firms).
  if (const YearTable* t = data.Year(year)) {
    for (int32_t firm : t->firm) out.push_back(HistoryOf(data, static_cast<size_t>(firm), year));
  }
  return out;
}

Result<std::vector<std::pair<std::string, bool>>> ClusterMembersIn(const Dataset& data, const std::string& cluster_id,
                                                                   int year) {
  auto c = data.cluster_index.find(cluster_id);
  if (c == data.cluster_index.end()) {
    return Status::NotFound(fmt::format("cluster {} is not in the register", cluster_id)).WithId("cluster.unknown");
  }
  std::vector<std::pair<std::string, bool>> out;
  std::unordered_set<int32_t> seen;
  // In the members' key order (cluster, uscc, from_year): a firm's first spell covering `year` wins.
  for (const Membership& m : data.clusters[static_cast<size_t>(c->second)].members) {
    if (m.from_year <= year && year <= m.to_year && seen.insert(m.firm).second) {
      out.emplace_back(data.firms[static_cast<size_t>(m.firm)].uscc, m.backbone);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace clusterscope
