#include "indicators/dataset.h"

#include "clusterscope/rules.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <thread>

namespace clusterscope {

const std::array<std::string_view, kFieldCount> kFieldIds = {"producing",
                                                             "revenue",
                                                             "gross_output",
                                                             "value_added",
                                                             "net_profit",
                                                             "taxes_paid",
                                                             "exports",
                                                             "total_assets",
                                                             "total_liabilities",
                                                             "employees",
                                                             "tech_staff",
                                                             "rd_staff",
                                                             "college_staff",
                                                             "masters",
                                                             "phds",
                                                             "returnees",
                                                             "rd_expense",
                                                             "rd_expense_domestic",
                                                             "total_cost",
                                                             "high_tech_revenue",
                                                             "patent_applications",
                                                             "invention_applications",
                                                             "patent_grants",
                                                             "invention_grants",
                                                             "valid_invention_patents",
                                                             "ip_class1",
                                                             "ip_class2",
                                                             "vc_investment",
                                                             "new_loans",
                                                             "provincial_rd_institution",
                                                             "major_incident",
                                                             "national_award_5y",
                                                             "standard_lead_5y"};

bool ClusterInfo::IsLeadingIndustry(const std::string& industry) const {
  for (const std::string& code : leading) {
    if (industry.compare(0, code.size(), code) == 0) return true;
  }
  return false;
}

namespace {

// True when every value is a multiple of S (a constant, so the remainder is a multiplication).
template <int64_t S>
bool AllMultiplesOf(const std::vector<int64_t>& values) {
  for (int64_t v : values) {
    if (v % S != 0) return false;
  }
  return true;
}

template <int64_t S>
void Narrow(const std::vector<int64_t>& values, std::vector<int32_t>& narrow,
            std::vector<std::pair<size_t, int64_t>>& wide) {
  narrow.resize(values.size());
  for (size_t r = 0; r < values.size(); ++r) {
    int64_t q = values[r] / S;
    bool fits = q > INT32_MIN && q <= INT32_MAX;
    narrow[r] = fits ? static_cast<int32_t>(q) : FieldColumn::kWide;
    if (!fits) wide.emplace_back(r, values[r]);
  }
}

}  // namespace

FieldColumn FieldColumn::From(const std::vector<int64_t>& values) {
  FieldColumn c;
  if (AllMultiplesOf<100000>(values)) {
    c.scale_ = 100000;
    Narrow<100000>(values, c.narrow_, c.wide_);
  } else if (AllMultiplesOf<1000>(values)) {
    c.scale_ = 1000;
    Narrow<1000>(values, c.narrow_, c.wide_);
  } else if (AllMultiplesOf<100>(values)) {
    c.scale_ = 100;
    Narrow<100>(values, c.narrow_, c.wide_);
  } else {
    Narrow<1>(values, c.narrow_, c.wide_);
  }
  return c;
}

int64_t FieldColumn::WideAt(size_t r) const {
  auto it = std::lower_bound(wide_.begin(), wide_.end(), r,
                             [](const std::pair<size_t, int64_t>& w, size_t row) { return w.first < row; });
  return it->second;
}

const YearTable* Dataset::Year(int year) const {
  int slot = YearSlot(year);
  return slot < 0 ? nullptr : &years[static_cast<size_t>(slot)];
}

const std::vector<int8_t>& TechSmeOutcomes::ForSlot(const Dataset& data, int slot) {
  Slot* entry = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (slots_.size() < data.years.size()) {
      for (size_t i = slots_.size(); i < data.years.size(); ++i) slots_.push_back(std::make_unique<Slot>());
    }
    entry = slots_[static_cast<size_t>(slot)].get();
  }
  std::lock_guard<std::mutex> lock(entry->mutex);
  auto& cached = entry->outcomes;
  if (cached) return *cached;
  const YearTable& t = data.years[static_cast<size_t>(slot)];
  const YearTable* prev_table = slot > 0 && data.years[static_cast<size_t>(slot) - 1].year == t.year - 1
                                    ? &data.years[static_cast<size_t>(slot) - 1]
                                    : nullptr;
  std::vector<int8_t> excluded(data.industries.size());
  for (size_t i = 0; i < data.industries.size(); ++i) excluded[i] = FindExcludedIndustry(data.industries[i]) != nullptr;
  const auto facts = [](const YearTable& table, size_t r) {
    YearFacts y;
    y.year = table.year;
    const auto get = [&](int f) -> std::optional<int64_t> {
      if (!table.Has(r, f)) return std::nullopt;
      return table.Get(r, f);
    };
    const auto flag = [&](int f) -> std::optional<bool> {
      if (!table.Has(r, f)) return std::nullopt;
      return table.Get(r, f) != 0;
    };
    y.employees = get(kEmployees);
    y.tech_staff = get(kTechStaff);
    y.revenue = get(kRevenue);
    y.total_assets = get(kTotalAssets);
    y.total_cost = get(kTotalCost);
    y.rd_expense = get(kRdExpense);
    y.ip_class1 = get(kIpClass1);
    y.ip_class2 = get(kIpClass2);
    y.major_incident = flag(kMajorIncident);
    y.national_award_5y = flag(kNationalAward5y);
    y.provincial_rd_institution = flag(kProvincialRdInstitution);
    y.standard_lead_5y = flag(kStandardLead5y);
    return y;
  };
  auto out = std::make_unique<std::vector<int8_t>>(t.size());
  for (size_t r = 0; r < t.size(); ++r) {
    const auto firm = static_cast<size_t>(t.firm[r]);
    const YearFacts now = facts(t, r);
    std::optional<YearFacts> before;
    if (prev_table != nullptr) {
      const int32_t pr = data.row_of_firm[static_cast<size_t>(slot) - 1][firm];
      if (pr >= 0) before = facts(*prev_table, static_cast<size_t>(pr));
    }
    const int cert = data.firm_cert_year[firm];
    const bool cert_valid = CertificateValid(cert, t.year);
    const int32_t industry = data.firm_industry[firm];
    const bool is_excluded = industry >= 0 && excluded[static_cast<size_t>(industry)] != 0;
    (*out)[r] = static_cast<int8_t>(AssessTechSme(now, before ? &*before : nullptr, is_excluded, cert_valid).result);
  }
  cached = std::move(out);
  return *cached;
}

int Dataset::YearSlot(int year) const {
  auto it = std::lower_bound(years.begin(), years.end(), year, [](const YearTable& t, int y) { return t.year < y; });
  if (it == years.end() || it->year != year) return -1;
  return static_cast<int>(it - years.begin());
}

namespace {

const std::string* Text(const Value& v) { return std::get_if<std::string>(&v); }
// The leading decimal digits of `text` as a number (strtol without the copy).
int64_t Digits(std::string_view text) {
  int64_t n = 0;
  size_t i = 0;
  bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) n = n * 10 + (text[i] - '0');
  return negative ? -n : n;
}

int64_t IntOr(const Value& v, int64_t fallback) {
  const auto* n = std::get_if<int64_t>(&v);
  return n != nullptr ? *n : fallback;
}

// Reads the reports row by row (stores without a columnar snapshot).
// FieldColumn::From for every field, on every core.
template <typename Values>
void NarrowColumns(Values& values, std::array<FieldColumn, kFieldCount>& out) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t f; (f = next.fetch_add(1)) < kFieldCount;) out[f] = FieldColumn::From(values[f]);
  };
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
}

struct WideYear {
  YearTable table;  // firm and present; the columns come from `values`
  std::array<std::vector<int64_t>, kFieldCount> values;
};

Status ScanReports(Store& store, const Dataset& data, std::unordered_map<int, WideYear>& by_year) {
  // Reports arrive in (uscc, year) order and firms were indexed in uscc order: a cursor walks the
  // firms alongside, with no lookup per row, and each year's rows come out sorted by firm.
  const KindDef& rdef = Describe(Kind::kReports);
  std::array<int, kFieldCount> column_of{};
  for (int f = 0; f < kFieldCount; ++f) {
    column_of[static_cast<size_t>(f)] = rdef.ColumnIndex(kFieldIds[static_cast<size_t>(f)]);
  }
  WideYear* last_table = nullptr;  // consecutive rows are often a firm's years: skip most map lookups
  size_t cursor = 0;
  return store.ScanRows(Kind::kReports, [&](const RowView& r) {
    std::string_view uscc = r.Text(0);
    while (cursor < data.firms.size() && data.firms[cursor].uscc < uscc) ++cursor;
    if (cursor == data.firms.size() || data.firms[cursor].uscc != uscc) return true;  // not a registered firm
    auto year = static_cast<int>(r.Int(1));
    if (last_table == nullptr || last_table->table.year != year) {
      last_table = &by_year[year];  // references into an unordered_map stay valid as it grows
      last_table->table.year = year;
    }
    YearTable& t = last_table->table;
    t.firm.push_back(static_cast<int32_t>(cursor));
    uint64_t present = 0;
    for (int k = 0; k < kFieldCount; ++k) {
      int c = column_of[static_cast<size_t>(k)];
      bool has = !r.IsNull(c);
      last_table->values[static_cast<size_t>(k)].push_back(has ? r.Int(c) : 0);
      if (has) present |= uint64_t{1} << k;
    }
    t.present.push_back(present);
    return true;
  });
}

}  // namespace

Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store) {
  auto data = std::make_shared<Dataset>();
  const KindDef& zone_def = Describe(Kind::kZones);
  CS_RETURN_IF_ERROR(store.Scan(Kind::kRegions, [&](const Record& r) {
    data->region_names[std::get<std::string>(r[0])] = std::get<std::string>(r[1]);
    return true;
  }));
  CS_RETURN_IF_ERROR(store.Scan(Kind::kZones, [&](const Record& r) {
    ZoneInfo z;
    z.id = std::get<std::string>(r[0]);
    z.name = std::get<std::string>(r[1]);
    z.region = std::stoi(std::get<std::string>(r[static_cast<size_t>(zone_def.ColumnIndex("region_code"))]));
    z.level = std::get<std::string>(r[static_cast<size_t>(zone_def.ColumnIndex("level"))]);
    data->zone_index[z.id] = static_cast<int>(data->zones.size());
    data->zones.push_back(std::move(z));
    return true;
  }));

  const KindDef& cdef = Describe(Kind::kClusters);
  CS_RETURN_IF_ERROR(store.Scan(Kind::kClusters, [&](const Record& r) {
    ClusterInfo c;
    c.id = std::get<std::string>(r[0]);
    c.name = std::get<std::string>(r[1]);
    auto z = data->zone_index.find(std::get<std::string>(r[static_cast<size_t>(cdef.ColumnIndex("zone_id"))]));
    c.zone = z == data->zone_index.end() ? -1 : z->second;
    std::string list = std::get<std::string>(r[static_cast<size_t>(cdef.ColumnIndex("leading_industries"))]);
    for (size_t start = 0; start < list.size();) {
      size_t end = std::min(list.find(';', start), list.size());
      c.leading.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    if (const auto* s = Text(r[static_cast<size_t>(cdef.ColumnIndex("construction_body"))])) c.construction_body = *s;
    if (const auto* s = Text(r[static_cast<size_t>(cdef.ColumnIndex("alliance"))])) c.alliance = *s;
    c.recognised_year = static_cast<int>(IntOr(r[static_cast<size_t>(cdef.ColumnIndex("recognised_year"))], 0));
    data->cluster_index[c.id] = static_cast<int>(data->clusters.size());
    data->clusters.push_back(std::move(c));
    return true;
  }));

  const KindDef& fdef = Describe(Kind::kFirms);
  const int f_zone = fdef.ColumnIndex("zone_id");
  const int f_region = fdef.ColumnIndex("region_code");
  const int f_industry = fdef.ColumnIndex("industry_code");
  const int f_founded = fdef.ColumnIndex("founded");
  const int f_cert = fdef.ColumnIndex("high_tech_cert_year");
  const int f_listed = fdef.ColumnIndex("listed");
  if (auto n = store.Count(Kind::kFirms); n.ok()) data->firms.reserve(static_cast<size_t>(*n));
  int last_zone = -1;  // firms of a zone tend to come together (uscc order follows the region)
  std::string last_zone_id;
  CS_RETURN_IF_ERROR(store.ScanRows(Kind::kFirms, [&](const RowView& r) {
    FirmInfo f;
    f.uscc = std::string(r.Text(0));
    f.name = std::string(r.Text(1));
    if (!r.IsNull(f_zone)) {
      std::string_view zone_id = r.Text(f_zone);
      if (last_zone_id != zone_id) {
        last_zone_id = zone_id;
        auto it = data->zone_index.find(last_zone_id);
        last_zone = it == data->zone_index.end() ? -1 : it->second;
      }
      f.zone = last_zone;
    }
    f.region = static_cast<int32_t>(Digits(r.Text(f_region)));
    f.industry = std::string(r.Text(f_industry));
    if (!r.IsNull(f_founded)) f.founded_year = static_cast<int>(Digits(r.Text(f_founded).substr(0, 4)));
    f.cert_year = r.IsNull(f_cert) ? 0 : static_cast<int>(r.Int(f_cert));
    f.listed = r.IsNull(f_listed) ? int8_t{-1} : static_cast<int8_t>(r.Int(f_listed));
    auto index = static_cast<int32_t>(data->firms.size());
    if (f.zone >= 0) data->zones[static_cast<size_t>(f.zone)].firms.push_back(index);
    data->firms.push_back(std::move(f));
    return true;
  }));
  // Firms arrive in uscc order: a binary search finds one.
  auto find_firm = [&](const std::string& uscc) -> int32_t {
    auto it = std::lower_bound(data->firms.begin(), data->firms.end(), uscc,
                               [](const FirmInfo& f, const std::string& u) { return f.uscc < u; });
    return it == data->firms.end() || it->uscc != uscc ? -1 : static_cast<int32_t>(it - data->firms.begin());
  };

  const KindDef& mdef = Describe(Kind::kMembers);
  CS_RETURN_IF_ERROR(store.Scan(Kind::kMembers, [&](const Record& r) {
    auto c = data->cluster_index.find(std::get<std::string>(r[0]));
    int32_t firm = find_firm(std::get<std::string>(r[1]));
    if (c == data->cluster_index.end() || firm < 0) return true;
    Membership m;
    m.firm = firm;
    m.from_year = static_cast<int>(std::get<int64_t>(r[2]));
    m.to_year = static_cast<int>(IntOr(r[3], INT32_MAX));
    const auto* role = Text(r[static_cast<size_t>(mdef.ColumnIndex("role"))]);
    m.backbone = role != nullptr && *role == "backbone";
    data->clusters[static_cast<size_t>(c->second)].members.push_back(m);
    return true;
  }));

  CS_RETURN_IF_ERROR(store.Scan(Kind::kInstitutions, [&](const Record& r) {
    auto c = data->cluster_index.find(std::get<std::string>(r[0]));
    if (c == data->cluster_index.end()) return true;
    InstitutionInfo inst;
    inst.name = std::get<std::string>(r[1]);
    inst.category = std::get<std::string>(r[2]);
    inst.national = static_cast<int8_t>(IntOr(r[3], -1));
    data->clusters[static_cast<size_t>(c->second)].institutions.push_back(std::move(inst));
    return true;
  }));

  // ---- issue 11: the register fields the analyses need beyond the engine's (dataset_details.cpp)
  CS_RETURN_IF_ERROR(LoadRegisterDetails(store, *data));
  // ----

  // The columnar snapshot when the store keeps one (rebuilt here first if an import dropped it):
  // each year's columns arrive whole.
  CS_RETURN_IF_ERROR(store.RefreshReportColumns());
  std::vector<std::string> field_ids(kFieldIds.begin(), kFieldIds.end());
  std::unordered_map<int, YearTable> by_year;
  CS_ASSIGN_OR_RETURN(SnapshotScan scan, store.ScanReportColumns(field_ids, static_cast<int64_t>(data->firms.size()),
                                                                 [&](ReportYearColumns& y) {
                                                                   YearTable& t = by_year[y.year];
                                                                   t.year = y.year;
                                                                   t.firm = std::move(y.firm);
                                                                   t.present = std::move(y.present);
                                                                   NarrowColumns(y.values, t.column);
                                                                   return Status::Ok();
                                                                 }));
  if (scan == SnapshotScan::kDamaged) {
    by_year.clear();  // years read before the damage was found
    data->warnings.push_back(
        {"数据库中的报表列快照已损坏（校验和或企业位置不符），已改为直接读取报表行；运行 clusterscope init 可重建快照",
         "the report snapshot in the database is damaged (a checksum or firm position does not match); the reports "
         "were read from their rows instead; `clusterscope init` rebuilds the snapshot"});
  }
  if (scan != SnapshotScan::kRead) {
    std::unordered_map<int, WideYear> wide;
    CS_RETURN_IF_ERROR(ScanReports(store, *data, wide));
    for (auto& [year, w] : wide) {
      YearTable& t = by_year[year];
      t = std::move(w.table);
      NarrowColumns(w.values, t.column);
      for (auto& v : w.values) std::vector<int64_t>().swap(v);
    }
  }
  for (auto& [year, table] : by_year) data->years.push_back(std::move(table));
  std::sort(data->years.begin(), data->years.end(),
            [](const YearTable& a, const YearTable& b) { return a.year < b.year; });
  data->row_of_firm.resize(data->years.size());
  for (size_t y = 0; y < data->years.size(); ++y) {
    auto& rows = data->row_of_firm[y];
    rows.assign(data->firms.size(), -1);
    const YearTable& t = data->years[y];
    for (size_t i = 0; i < t.size(); ++i) rows[static_cast<size_t>(t.firm[i])] = static_cast<int32_t>(i);
  }
  std::unordered_map<std::string, int32_t> industry_index;
  data->firm_region.reserve(data->firms.size());
  data->firm_industry.reserve(data->firms.size());
  data->firm_cert_year.reserve(data->firms.size());
  data->firm_listed.reserve(data->firms.size());
  for (FirmInfo& f : data->firms) {
    auto [it, added] = industry_index.try_emplace(f.industry, static_cast<int32_t>(data->industries.size()));
    if (added) data->industries.push_back(f.industry);
    f.industry_id = it->second;
    data->firm_region.push_back(f.region);
    data->firm_industry.push_back(f.industry_id);
    data->firm_cert_year.push_back(f.cert_year);
    data->firm_listed.push_back(f.listed);
  }
  for (ClusterInfo& c : data->clusters) {
    c.leading_by_industry.resize(data->industries.size());
    for (size_t i = 0; i < data->industries.size(); ++i) {
      c.leading_by_industry[i] = c.IsLeadingIndustry(data->industries[i]) ? 1 : 0;
    }
  }
  return std::shared_ptr<const Dataset>(std::move(data));
}

}  // namespace clusterscope

namespace clusterscope {

std::vector<std::string> DatasetWarnings(const Dataset& data, Lang lang) {
  std::vector<std::string> out;
  for (const Dataset::Warning& w : data.warnings) out.push_back(lang == Lang::kZh ? w.zh : w.en);
  return out;
}

}  // namespace clusterscope
