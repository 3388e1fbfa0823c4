#include "indicators/dataset.h"

#include "indicators/scoped_read.h"

#include "clusterscope/rules.h"
#include "store/column_codec.h"

#include <fmt/format.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
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

FieldColumn FieldColumn::From(const std::vector<int64_t>& values) { return FieldColumn(store::ScaledColumnOf(values)); }

int64_t FieldColumn::WideAt(size_t r) const {
  auto it = std::lower_bound(wide_.begin(), wide_.end(), r,
                             [](const std::pair<size_t, int64_t>& w, size_t row) { return w.first < row; });
  return it->second;
}

void DroppedFieldRead(int year, int field) {
  std::fprintf(stderr,
               "clusterscope: internal error: field %s of %d was read, but a look-back year holds only what is read "
               "of it (kLookBackFields or ScopedLookBackFields in src/indicators/dataset.cpp lacks it)\n",
               std::string(kFieldIds[static_cast<size_t>(field)]).c_str(), year);
  std::abort();
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
  auto out = std::make_unique<std::vector<int8_t>>(t.size());
  for (size_t r = 0; r < t.size(); ++r) {
    const auto firm = static_cast<size_t>(t.firm[r]);
    const YearFacts now = FactsOf(t, r);
    std::optional<YearFacts> before;
    if (prev_table != nullptr) {
      const int32_t pr = data.row_of_firm[static_cast<size_t>(slot) - 1][firm];
      if (pr >= 0) before = FactsOf(*prev_table, static_cast<size_t>(pr));
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

bool Dataset::ZoneReadWhole(int zone) const {
  if (!scope) return true;
  return std::binary_search(scope->zones.begin(), scope->zones.end(), zones[static_cast<size_t>(zone)].id);
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

// Appends the reports handed to it (in (uscc, year) order, as every scan of reports is) to
// `by_year`: firms were indexed in uscc order, so a cursor walks the firms alongside, with no
// lookup per row, and each year's rows come out sorted by firm. Years outside [first, last]
// (0 = unbounded) are skipped.
class ReportCollector {
 public:
  ReportCollector(const Dataset& data, std::unordered_map<int, WideYear>& by_year, int first_year, int last_year)
      : data_(data), by_year_(by_year), first_year_(first_year), last_year_(last_year) {
    const KindDef& rdef = Describe(Kind::kReports);
    for (int f = 0; f < kFieldCount; ++f) {
      column_of_[static_cast<size_t>(f)] = rdef.ColumnIndex(kFieldIds[static_cast<size_t>(f)]);
    }
  }

  bool operator()(const RowView& r) {
    std::string_view uscc = r.Text(0);
    while (cursor_ < data_.firms.size() && data_.firms[cursor_].uscc < uscc) ++cursor_;
    if (cursor_ == data_.firms.size() || data_.firms[cursor_].uscc != uscc) return true;  // not a registered firm
    auto year = static_cast<int>(r.Int(1));
    if ((first_year_ != 0 && year < first_year_) || (last_year_ != 0 && year > last_year_)) return true;
    if (last_table_ == nullptr || last_table_->table.year != year) {
      last_table_ = &by_year_[year];  // references into an unordered_map stay valid as it grows
      last_table_->table.year = year;
    }
    YearTable& t = last_table_->table;
    t.firm.push_back(static_cast<int32_t>(cursor_));
    uint64_t present = 0;
    for (int k = 0; k < kFieldCount; ++k) {
      int c = column_of_[static_cast<size_t>(k)];
      bool has = !r.IsNull(c);
      last_table_->values[static_cast<size_t>(k)].push_back(has ? r.Int(c) : 0);
      if (has) present |= uint64_t{1} << k;
    }
    t.present.push_back(present);
    return true;
  }

 private:
  const Dataset& data_;
  std::unordered_map<int, WideYear>& by_year_;
  int first_year_;
  int last_year_;
  std::array<int, kFieldCount> column_of_{};
  WideYear* last_table_ = nullptr;  // consecutive rows are often a firm's years: skip most map lookups
  size_t cursor_ = 0;
};

// Names of the things a cluster lists, split on ';'.
std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> out;
  for (size_t start = 0; start < list.size();) {
    size_t end = std::min(list.find(';', start), list.size());
    out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Status LoadRegionsAndZones(Store& store, Dataset& data) {
  const KindDef& zone_def = Describe(Kind::kZones);
  CS_RETURN_IF_ERROR(store.Scan(Kind::kRegions, [&](const Record& r) {
    data.region_names[std::get<std::string>(r[0])] = std::get<std::string>(r[1]);
    return true;
  }));
  return store.Scan(Kind::kZones, [&](const Record& r) {
    ZoneInfo z;
    z.id = std::get<std::string>(r[0]);
    z.name = std::get<std::string>(r[1]);
    z.region = std::stoi(std::get<std::string>(r[static_cast<size_t>(zone_def.ColumnIndex("region_code"))]));
    z.level = std::get<std::string>(r[static_cast<size_t>(zone_def.ColumnIndex("level"))]);
    if (const auto* s = Text(r[static_cast<size_t>(zone_def.ColumnIndex("name_en"))])) z.name_en = *s;
    data.zone_index[z.id] = static_cast<int>(data.zones.size());
    data.zones.push_back(std::move(z));
    return true;
  });
}

// The clusters, all or (`only`, sorted) some.
Status LoadClusters(Store& store, Dataset& data, const std::vector<std::string>* only) {
  const KindDef& cdef = Describe(Kind::kClusters);
  return store.Scan(Kind::kClusters, [&](const Record& r) {
    ClusterInfo c;
    c.id = std::get<std::string>(r[0]);
    if (only != nullptr && !std::binary_search(only->begin(), only->end(), c.id)) return true;
    c.name = std::get<std::string>(r[1]);
    auto z = data.zone_index.find(std::get<std::string>(r[static_cast<size_t>(cdef.ColumnIndex("zone_id"))]));
    c.zone = z == data.zone_index.end() ? -1 : z->second;
    c.leading = SplitList(std::get<std::string>(r[static_cast<size_t>(cdef.ColumnIndex("leading_industries"))]));
    if (const auto* s = Text(r[static_cast<size_t>(cdef.ColumnIndex("construction_body"))])) c.construction_body = *s;
    if (const auto* s = Text(r[static_cast<size_t>(cdef.ColumnIndex("alliance"))])) c.alliance = *s;
    c.recognised_year = static_cast<int>(IntOr(r[static_cast<size_t>(cdef.ColumnIndex("recognised_year"))], 0));
    if (const auto* s = Text(r[static_cast<size_t>(cdef.ColumnIndex("name_en"))])) c.name_en = *s;
    data.cluster_index[c.id] = static_cast<int>(data.clusters.size());
    data.clusters.push_back(std::move(c));
    return true;
  });
}

// Reads firms row by row into FirmInfo (firms in uscc order).
class FirmReader {
 public:
  // `names`: also the firm's names and coordinates, which no indicator reads (the year windows
  // of the whole catalogue leave them out).
  explicit FirmReader(Dataset& data, bool names = true) : data_(data), names_(names) {
    const KindDef& fdef = Describe(Kind::kFirms);
    zone_ = fdef.ColumnIndex("zone_id");
    region_ = fdef.ColumnIndex("region_code");
    industry_ = fdef.ColumnIndex("industry_code");
    founded_ = fdef.ColumnIndex("founded");
    cert_ = fdef.ColumnIndex("high_tech_cert_year");
    listed_ = fdef.ColumnIndex("listed");
    name_en_ = fdef.ColumnIndex("name_en");
    lat_ = fdef.ColumnIndex("lat");
    lon_ = fdef.ColumnIndex("lon");
  }

  FirmInfo Read(const RowView& r) {
    FirmInfo f;
    f.uscc = std::string(r.Text(0));
    if (names_) f.name = std::string(r.Text(1));
    if (!r.IsNull(zone_)) {
      std::string_view zone_id = r.Text(zone_);
      if (last_zone_id_ != zone_id) {  // firms of a zone tend to come together (uscc order follows the region)
        last_zone_id_ = zone_id;
        auto it = data_.zone_index.find(last_zone_id_);
        last_zone_ = it == data_.zone_index.end() ? -1 : it->second;
      }
      f.zone = last_zone_;
    }
    f.region = static_cast<int32_t>(Digits(r.Text(region_)));
    f.industry = std::string(r.Text(industry_));
    if (!r.IsNull(founded_)) {
      f.founded = std::string(r.Text(founded_));
      f.founded_year = static_cast<int>(Digits(std::string_view(f.founded).substr(0, 4)));
    }
    if (names_) {
      if (!r.IsNull(name_en_)) f.name_en = std::string(r.Text(name_en_));
      if (!r.IsNull(lat_)) f.lat = r.Real(lat_);
      if (!r.IsNull(lon_)) f.lon = r.Real(lon_);
    }
    f.cert_year = r.IsNull(cert_) ? 0 : static_cast<int>(r.Int(cert_));
    f.listed = r.IsNull(listed_) ? int8_t{-1} : static_cast<int8_t>(r.Int(listed_));
    return f;
  }

  // The columns Read reads without names.
  std::vector<int> Columns() const { return {0, zone_, region_, industry_, founded_, cert_, listed_}; }

 private:
  Dataset& data_;
  bool names_;
  int zone_, region_, industry_, founded_, cert_, listed_, name_en_, lat_, lon_;
  int last_zone_ = -1;
  std::string last_zone_id_;
};

// The memberships, in key order (cluster, uscc, from_year), as few bytes as they take: each
// firm's code in one string, not one allocation each. Matched with the firms, which are in uscc
// order, by one merge (a binary search over a million firms for each of 360,000 memberships
// missed the cache at every step).
class MemberRows {
 public:
  struct Row {
    int cluster;
    uint32_t uscc_at;  // the firm's code: codes_.substr(uscc_at, uscc_size)
    uint32_t uscc_size;
    Membership m;  // m.firm set by the match (-1: not a registered firm)
  };

  // A row of the members table, if of a registered cluster.
  void Add(const Dataset& data, const RowView& r) {
    static const KindDef& mdef = Describe(Kind::kMembers);
    static const int from_column = mdef.ColumnIndex("from_year");
    static const int to_column = mdef.ColumnIndex("to_year");
    static const int role_column = mdef.ColumnIndex("role");
    // Rows come in key order, a cluster's together: look its id up once.
    if (const std::string_view id = r.Text(0); last_cluster_ == kNotLooked || id != last_id_) {
      last_id_ = id;
      const auto c = data.cluster_index.find(last_id_);
      last_cluster_ = c == data.cluster_index.end() ? -1 : c->second;
    }
    if (last_cluster_ < 0) return;
    const std::string_view uscc = r.Text(1);
    rows_.push_back(Row{.cluster = last_cluster_,
                        .uscc_at = static_cast<uint32_t>(codes_.size()),
                        .uscc_size = static_cast<uint32_t>(uscc.size()),
                        .m = {.firm = -1,
                              .from_year = static_cast<int>(r.Int(from_column)),
                              .to_year = r.IsNull(to_column) ? INT32_MAX : static_cast<int>(r.Int(to_column)),
                              .backbone = !r.IsNull(role_column) && r.Text(role_column) == "backbone"}});
    codes_ += uscc;
  }
  size_t size() const { return rows_.size(); }
  const std::vector<Row>& rows() const { return rows_; }
  std::string_view UsccOf(const Row& row) const { return std::string_view(codes_).substr(row.uscc_at, row.uscc_size); }
  // The rows in uscc order (a firm's own in no particular order: the match sets each the same firm).
  std::vector<Row*> ByUscc() {
    std::vector<Row*> by;
    by.reserve(rows_.size());
    for (Row& row : rows_) by.push_back(&row);
    std::sort(by.begin(), by.end(), [&](const Row* a, const Row* b) { return UsccOf(*a) < UsccOf(*b); });
    return by;
  }
  // Sets each row's firm from `firms` (in uscc order), by one merge.
  void MatchFirms(const std::vector<FirmInfo>& firms) {
    std::vector<Row*> by_uscc = ByUscc();
    for (size_t i = 0, w = 0; i < firms.size() && w < by_uscc.size(); ++i) {
      const std::string_view uscc = firms[i].uscc;
      while (w < by_uscc.size() && UsccOf(*by_uscc[w]) < uscc) ++w;  // an unregistered firm's
      for (; w < by_uscc.size() && UsccOf(*by_uscc[w]) == uscc; ++w) by_uscc[w]->m.firm = static_cast<int32_t>(i);
    }
  }
  // Every membership of a registered firm to its cluster, in key order.
  void AddTo(Dataset& data) const {
    for (const Row& row : rows_) {
      if (row.m.firm >= 0) data.clusters[static_cast<size_t>(row.cluster)].members.push_back(row.m);
    }
  }

 private:
  std::vector<Row> rows_;
  std::string codes_;
  static constexpr int kNotLooked = -2;
  std::string last_id_;
  int last_cluster_ = kNotLooked;  // of last_id_; -1: not a registered cluster
};

void AddInstitution(Dataset& data, const Record& r) {
  auto c = data.cluster_index.find(std::get<std::string>(r[0]));
  if (c == data.cluster_index.end()) return;
  InstitutionInfo inst;
  inst.name = std::get<std::string>(r[1]);
  inst.category = std::get<std::string>(r[2]);
  inst.national = static_cast<int8_t>(IntOr(r[3], -1));
  data.clusters[static_cast<size_t>(c->second)].institutions.push_back(std::move(inst));
}

// Each year's table from the rows collected, sorted by year.
void TakeYears(Dataset& data, std::unordered_map<int, WideYear>& wide) {
  for (auto& [year, w] : wide) {
    data.years.push_back(std::move(w.table));
    NarrowColumns(w.values, data.years.back().column);
    for (auto& v : w.values) std::vector<int64_t>().swap(v);
  }
  std::sort(data.years.begin(), data.years.end(),
            [](const YearTable& a, const YearTable& b) { return a.year < b.year; });
}

// The row of each firm in `t`, or -1 (Dataset::row_of_firm); and the register's facts of each
// row's firm in t's year (YearTable::high_tech), from the compact per-firm copies (FinishRegister).
std::vector<int32_t> RowsOf(const Dataset& data, YearTable& t, std::vector<int32_t> rows = {}) {
  rows.assign(data.firms.size(), -1);  // `rows`: memory to reuse (a dropped year's)
  t.high_tech.resize(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    const auto firm = static_cast<size_t>(t.firm[i]);
    rows[firm] = static_cast<int32_t>(i);
    t.high_tech[i] = CertificateValid(data.firm_cert_year[firm], t.year) ? 1 : 0;
  }
  return rows;
}

// What the engine derives from the register once it is read: the industries and the compact
// per-firm copies, each cluster's leading industries by industry id.
void FinishRegister(Dataset& data) {
  std::unordered_map<std::string, int32_t> industry_index;
  data.firm_region.reserve(data.firms.size());
  data.firm_industry.reserve(data.firms.size());
  data.firm_cert_year.reserve(data.firms.size());
  data.firm_listed.reserve(data.firms.size());
  for (FirmInfo& f : data.firms) {
    auto [it, added] = industry_index.try_emplace(f.industry, static_cast<int32_t>(data.industries.size()));
    if (added) data.industries.push_back(f.industry);
    f.industry_id = it->second;
    data.firm_region.push_back(f.region);
    data.firm_industry.push_back(f.industry_id);
    data.firm_cert_year.push_back(f.cert_year);
    data.firm_listed.push_back(f.listed);
  }
  for (ClusterInfo& c : data.clusters) {
    c.leading_by_industry.resize(data.industries.size());
    for (size_t i = 0; i < data.industries.size(); ++i) {
      c.leading_by_industry[i] = c.IsLeadingIndustry(data.industries[i]) ? 1 : 0;
    }
  }
}

// ... and from the tables: row_of_firm.
void Finish(Dataset& data) {
  FinishRegister(data);
  data.row_of_firm.clear();
  for (YearTable& t : data.years) data.row_of_firm.push_back(RowsOf(data, t));
}

// The whole register: regions, zones, clusters, firms, memberships, institutions, expert scores;
// without `names`, the firms without their names and coordinates (what the indicators read:
// a third less of the table to decode, and no string for each name).
Status LoadRegister(Store& store, Dataset& data, bool names = true) {
  CS_RETURN_IF_ERROR(LoadRegionsAndZones(store, data));
  CS_RETURN_IF_ERROR(LoadClusters(store, data, nullptr));
  if (auto n = store.Count(Kind::kFirms); n.ok()) data.firms.reserve(static_cast<size_t>(*n));
  FirmReader reader(data, names);
  const auto add = [&](const RowView& r) {
    auto index = static_cast<int32_t>(data.firms.size());
    data.firms.push_back(reader.Read(r));
    if (int zone = data.firms.back().zone; zone >= 0) data.zones[static_cast<size_t>(zone)].firms.push_back(index);
  };
  if (names) {
    CS_RETURN_IF_ERROR(store.ScanRows(Kind::kFirms, [&](const RowView& r) {
      add(r);
      return true;
    }));
  } else {
    // Every row is read in the filter, with the columns asked for, and none is kept.
    CS_RETURN_IF_ERROR(store.ScanRowsKept(
        Kind::kFirms, reader.Columns(),
        [&](const RowView& r) {
          add(r);
          return false;
        },
        [](const RowView&, int64_t) { return true; }));
  }
  MemberRows members;
  CS_RETURN_IF_ERROR(store.ScanRows(Kind::kMembers, [&](const RowView& r) {
    members.Add(data, r);
    return true;
  }));
  members.MatchFirms(data.firms);
  members.AddTo(data);
  CS_RETURN_IF_ERROR(store.Scan(Kind::kInstitutions, [&](const Record& r) {
    AddInstitution(data, r);
    return true;
  }));
  return LoadExpertScores(store, data);
}

// Every field of the reports from the columnar snapshot, in the engine's 4-byte form where the
// store keeps them so, for the years [first_year, last_year] (0 = unbounded).
ReportColumnsRequest WholeColumns(const Dataset& data, int first_year, int last_year) {
  return ReportColumnsRequest{.columns = std::vector<std::string>(kFieldIds.begin(), kFieldIds.end()),
                              .firm_count = static_cast<int64_t>(data.firms.size()),
                              .first_year = first_year,
                              .last_year = last_year,
                              .scaled = true};
}

YearTable TableOf(ReportYearColumns& y) {
  YearTable t;
  t.year = y.year;
  t.firm = std::move(y.firm);
  t.present = std::move(y.present);
  if (y.scaled.size() == kFieldCount) {
    for (size_t f = 0; f < kFieldCount; ++f) t.column[f] = FieldColumn(std::move(y.scaled[f]));
  } else {
    NarrowColumns(y.values, t.column);
  }
  return t;
}

constexpr uint64_t Bits(std::initializer_list<int> fields) {
  uint64_t b = 0;
  for (int f : fields) b |= uint64_t{1} << f;
  return b;
}
// The fields an indicator reads of the year k years before the one it answers about
// (kLookBackFields[k]): one year back, the growth rates' measures (Growth, ComparableGrowth) and
// what the technology-based SME rules read of the year before (FactsOf: the tech_sme_count
// outcome); three years back, revenue (revenue_cagr_3y). ForEachYearWindow keeps only these of
// a look-back year; a new indicator that reads another must add it here (YearTable::Column
// stops it otherwise, and the windows test reads every indicator of every entity and year).
constexpr std::array<uint64_t, kLookbackYears + 1> kLookBackFields = {
    0,
    Bits({kEmployees, kGrossOutput, kRevenue, kValueAdded, kTechStaff, kRdStaff, kTotalAssets, kTotalLiabilities,
          kTotalCost, kRdExpense, kRdExpenseDomestic, kHighTechRevenue, kIpClass1, kIpClass2, kMajorIncident,
          kNationalAward5y, kProvincialRdInstitution, kStandardLead5y}),
    0,
    Bits({kRevenue}),
};

// What a scoped data set reads of a look-back year k years before the first year it answers about
// (LoadDataset(store, scope)): that year is k, k+1, … years back for the years asked about, so
// the engine reads kLookBackFields[j] of it for every j ≥ k; and the qualification rules'
// histories (HistoryOf, firms.cpp) read every fact of the two years before the one assessed.
constexpr uint64_t kHistoryFields =
    Bits({kEmployees, kTechStaff, kRdStaff, kRevenue, kTotalAssets, kTotalLiabilities, kTotalCost, kRdExpense,
          kRdExpenseDomestic, kHighTechRevenue, kIpClass1, kIpClass2, kGrossOutput, kMajorIncident, kNationalAward5y,
          kProvincialRdInstitution, kStandardLead5y});
constexpr uint64_t ScopedLookBackFields(int k) {
  uint64_t fields = k <= 2 ? kHistoryFields : 0;
  for (int j = k; j <= kLookbackYears; ++j) fields |= kLookBackFields[static_cast<size_t>(j)];
  return fields;
}
constexpr uint64_t kEveryField = (uint64_t{1} << kFieldCount) - 1;

// Drops `fields` of `t` as a scoped load's look-back year holds them: no column, no presence bit.
void DropFields(YearTable& t, uint64_t fields) {
  fields &= kEveryField;
  for (int f = 0; f < kFieldCount; ++f) {
    if ((fields >> f) & 1u) t.column[static_cast<size_t>(f)] = FieldColumn();
  }
  for (uint64_t& bits : t.present) bits &= ~fields;
  t.dropped |= fields;
}

// The firms a scoped load keeps, from the register's columns kept with the snapshot: every
// member of the scope's clusters (`data` holds just those) and every firm of the zones named, with
// their memberships; `positions` gets each kept firm's position among all firms. The same
// FirmInfo as FirmReader's of the firms table (coordinates: both or neither, as the importer
// requires).
// Each kept membership's cluster in `data` (-1: not asked about); rows come a cluster's together,
// so each cluster id is looked up once.
std::vector<int32_t> MemberClusters(const Dataset& data, const RegisterColumns& reg) {
  std::vector<int32_t> cluster_of(reg.members(), -1);
  std::string_view last_id;
  int32_t last = -1;
  for (size_t i = 0; i < reg.members(); ++i) {
    if (const std::string_view id = reg.member_cluster.At(i); i == 0 || id != last_id) {
      last_id = id;
      const auto c = data.cluster_index.find(std::string(id));
      last = c == data.cluster_index.end() ? -1 : c->second;
    }
    cluster_of[i] = last;
  }
  return cluster_of;
}

// The firms' fields of `from` (a read of the firms only) into `to` (a read of the memberships).
void TakeFirmColumns(RegisterColumns& to, RegisterColumns& from) {
  to.uscc = std::move(from.uscc);
  to.name = std::move(from.name);
  to.name_en = std::move(from.name_en);
  to.founded = std::move(from.founded);
  to.zone_id = std::move(from.zone_id);
  to.region = std::move(from.region);
  to.cert_year = std::move(from.cert_year);
  to.listed = std::move(from.listed);
}

// One byte for each of the `firms` positions: 1 for a member of a cluster asked about
// (`cluster_of`: MemberClusters).
std::vector<uint8_t> MemberFirms(const RegisterColumns& reg, const std::vector<int32_t>& cluster_of, size_t firms) {
  std::vector<uint8_t> keep(firms, 0);
  for (size_t i = 0; i < reg.members(); ++i) {
    if (cluster_of[i] >= 0 && reg.member_firm[i] >= 0) keep[static_cast<size_t>(reg.member_firm[i])] = 1;
  }
  return keep;
}

// `cluster_of`: MemberClusters(data, reg); `keep`: MemberFirms(reg, cluster_of, reg.firms()), to
// which the named zones' firms are added.
void FirmsFromRegister(Dataset& data, const RegisterColumns& reg, const std::vector<int32_t>& cluster_of,
                       std::vector<uint8_t> keep, const FirmSites& sites, const std::vector<Value>& zone_ids,
                       std::vector<int32_t>& positions) {
  const size_t n = reg.firms();
  if (!zone_ids.empty()) {
    std::vector<std::string_view> named;
    named.reserve(zone_ids.size());
    for (const Value& z : zone_ids) named.emplace_back(std::get<std::string>(z));
    std::sort(named.begin(), named.end());
    for (size_t p = 0; p < n; ++p) {
      if (keep[p] == 0 && !reg.zone_id.IsNull(p) && std::binary_search(named.begin(), named.end(), reg.zone_id.At(p))) {
        keep[p] = 1;
      }
    }
  }
  std::vector<int32_t> index_of(n, -1);
  // Sized once: growing a vector of FirmInfo (five strings each) moves every firm read so far.
  const auto kept = static_cast<size_t>(std::count(keep.begin(), keep.end(), uint8_t{1}));
  data.firms.reserve(data.firms.size() + kept);
  positions.reserve(positions.size() + kept);
  std::string_view last_zone_id;
  int last_zone = -1;
  for (size_t p = 0; p < n; ++p) {
    if (keep[p] == 0) continue;
    index_of[p] = static_cast<int32_t>(data.firms.size());
    positions.push_back(static_cast<int32_t>(p));
    FirmInfo& f = data.firms.emplace_back();
    f.uscc = std::string(reg.uscc.At(p));
    f.name = std::string(reg.name.At(p));
    if (!reg.zone_id.IsNull(p)) {
      if (const std::string_view zone_id = reg.zone_id.At(p);
          last_zone_id.data() == nullptr || zone_id != last_zone_id) {
        last_zone_id = zone_id;
        const auto it = data.zone_index.find(std::string(zone_id));
        last_zone = it == data.zone_index.end() ? -1 : it->second;
      }
      f.zone = last_zone;
    }
    f.region = reg.region[p];
    f.industry = sites.industries[static_cast<size_t>(sites.industry[p])];
    if (!reg.founded.IsNull(p)) {
      f.founded = std::string(reg.founded.At(p));
      f.founded_year = static_cast<int>(Digits(std::string_view(f.founded).substr(0, 4)));
    }
    if (!reg.name_en.IsNull(p)) f.name_en = std::string(reg.name_en.At(p));
    if (!std::isnan(sites.lat[p])) {
      f.lat = sites.lat[p];
      f.lon = sites.lon[p];
    }
    f.cert_year = reg.cert_year[p];
    f.listed = reg.listed[p];
  }
  // The memberships in key order, as the members table gives them.
  for (size_t i = 0; i < reg.members(); ++i) {
    const int32_t firm = reg.member_firm[i];
    if (cluster_of[i] < 0 || firm < 0) continue;
    data.clusters[static_cast<size_t>(cluster_of[i])].members.push_back(
        Membership{.firm = index_of[static_cast<size_t>(firm)],
                   .from_year = reg.from_year[i],
                   .to_year = reg.to_year[i],
                   .backbone = reg.backbone[i] != 0});
  }
}

const Dataset::Warning kDamagedSnapshot{
    "数据库中的报表列快照已损坏（校验和或企业位置不符），已改为直接读取报表行；运行 clusterscope init 可重建快照",
    "the report snapshot in the database is damaged (a checksum or firm position does not match); the reports "
    "were read from their rows instead; `clusterscope init` rebuilds the snapshot"};

}  // namespace

Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store) {
  auto data = std::make_shared<Dataset>();
  CS_RETURN_IF_ERROR(LoadRegister(store, *data));
  // The columnar snapshot when the store keeps one (the import that wrote the reports kept it
  // current; a reader never builds it): each year's columns arrive whole.
  std::vector<YearTable> tables;
  CS_ASSIGN_OR_RETURN(SnapshotScan scan, store.ScanReportColumns(WholeColumns(*data, 0, 0), [&](ReportYearColumns& y) {
    tables.push_back(TableOf(y));
    return Status::Ok();
  }));
  if (scan == SnapshotScan::kDamaged) {
    tables.clear();  // years read before the damage was found
    data->warnings.push_back(kDamagedSnapshot);
  }
  if (scan == SnapshotScan::kRead) {
    data->years = std::move(tables);
    std::sort(data->years.begin(), data->years.end(),
              [](const YearTable& a, const YearTable& b) { return a.year < b.year; });
  } else {
    std::unordered_map<int, WideYear> wide;
    ReportCollector collect(*data, wide, 0, 0);
    CS_RETURN_IF_ERROR(store.ScanRows(Kind::kReports, [&](const RowView& r) { return collect(r); }));
    TakeYears(*data, wide);
  }
  Finish(*data);
  return std::shared_ptr<const Dataset>(std::move(data));
}

Status ForEachYearWindow(Store& store, int first_year, int last_year,
                         const std::function<Status(const Dataset&, int year)>& fn) {
  Dataset data;
  CS_RETURN_IF_ERROR(LoadRegister(store, data, /*names=*/false));
  FinishRegister(data);
  int next = first_year;  // the next year to hand out
  bool freed = false;     // tables or columns dropped since the last malloc_trim
  // The memory of dropped columns and tables, handed to the next year's decode (which would
  // otherwise take fresh pages from the system, a page fault every 4 KB, for each year).
  std::vector<std::vector<int32_t>> spare_columns;
  std::vector<std::vector<uint64_t>> spare_present;
  std::vector<std::vector<int32_t>> spare_rows;  // row_of_firm of dropped years (every one the same size)
  const auto give_back = [] {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
  };
  const auto release = [&](YearTable& t) {
    for (int f = 0; f < kFieldCount; ++f) {
      if (((t.dropped >> f) & 1u) == 0) spare_columns.push_back(t.column[static_cast<size_t>(f)].Release());
    }
    spare_present.push_back(std::move(t.present));
  };
  // Drops the tables before `from`. Their memory is given back after (malloc_trim): they were
  // decoded on other threads, into malloc arenas that keep what is freed, so the next year's
  // tables would add to the peak instead of taking their place.
  auto drop_before = [&](int from) {
    size_t drop = 0;
    while (drop < data.years.size() && data.years[drop].year < from) ++drop;
    if (drop == 0) return;
    for (size_t i = 0; i < drop; ++i) {
      release(data.years[i]);
      spare_rows.push_back(std::move(data.row_of_firm[i]));
    }
    data.years.erase(data.years.begin(), data.years.begin() + static_cast<std::ptrdiff_t>(drop));
    data.row_of_firm.erase(data.row_of_firm.begin(), data.row_of_firm.begin() + static_cast<std::ptrdiff_t>(drop));
    data.region_memo->DropBefore(from);
    freed = true;
  };
  // A table answered about is kept for the windows after it with the fields they read of it
  // only: kLookBackFields[k] for the year k years before the one answered about (the lists
  // below; a read of any other field stops the program: YearTable::Column).
  auto keep_for_look_back = [&](int answered) {
    for (YearTable& t : data.years) {
      const int k = answered + 1 - t.year;  // how far back t lies for the next year's window
      if (k < 1 || k > kLookbackYears) continue;
      uint64_t keep = 0;
      for (int back = k; back <= kLookbackYears; ++back) keep |= kLookBackFields[static_cast<size_t>(back)];
      for (int f = 0; f < kFieldCount; ++f) {
        if (((keep >> f) & 1u) == 0 && ((t.dropped >> f) & 1u) == 0) {
          spare_columns.push_back(t.column[static_cast<size_t>(f)].Release());
          t.dropped |= uint64_t{1} << f;
          freed = true;
        }
      }
    }
  };
  // Hands out every year up to `through` (its window is complete), then drops what the next
  // year's window does not need, before that year is decoded. The caches go with each window
  // (they are by table slot).
  auto hand_out_through = [&](int through) -> Status {
    for (; next <= through && next <= last_year; ++next) {
      drop_before(next - kLookbackYears);
      data.window = std::make_pair(next - kLookbackYears, next);
      data.tech_sme = std::make_shared<TechSmeOutcomes>();
      data.industry_memo = std::make_shared<IndustryTotalsMemo>();
      CS_RETURN_IF_ERROR(fn(data, next));
      keep_for_look_back(next);
    }
    drop_before(next - kLookbackYears);
    return Status::Ok();
  };
  int last_seen = INT32_MIN;
  CS_ASSIGN_OR_RETURN(
      SnapshotScan scan,
      store.ScanReportColumns(WholeColumns(data, first_year - kLookbackYears, last_year), [&](ReportYearColumns& y) {
        if (y.year <= last_seen) return Status::Internal("the snapshot's years came out of order");
        last_seen = y.year;
        CS_RETURN_IF_ERROR(hand_out_through(y.year - 1));  // years without reports before this one
        data.years.push_back(TableOf(y));
        std::vector<int32_t> reuse;
        if (!spare_rows.empty()) {
          reuse = std::move(spare_rows.back());
          spare_rows.pop_back();
        }
        data.row_of_firm.push_back(RowsOf(data, data.years.back(), std::move(reuse)));
        CS_RETURN_IF_ERROR(hand_out_through(y.year));
        // What was dropped becomes the next year's columns; the rest is freed.
        for (ScaledColumn& c : y.scaled) {
          if (c.narrow.capacity() == 0 && !spare_columns.empty()) {
            c.narrow = std::move(spare_columns.back());
            spare_columns.pop_back();
          }
        }
        if (y.present.capacity() == 0 && !spare_present.empty()) y.present = std::move(spare_present.back());
        spare_columns.clear();  // (only what a drop left: `freed` is set)
        spare_present.clear();
        if (freed) give_back();
        freed = false;
        return Status::Ok();
      }));
  if (scan == SnapshotScan::kRead) return hand_out_through(last_year);
  // No snapshot, or a damaged one (whose years so far passed their checks): the rows, whole (with
  // LoadDataset's warning), and every year handed out again from them — a later call for a year
  // supersedes an earlier one.
  CS_ASSIGN_OR_RETURN(auto whole, LoadDataset(store));
  for (int year = first_year; year <= last_year; ++year) CS_RETURN_IF_ERROR(fn(*whole, year));
  return Status::Ok();
}

Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store, const DataScope& scope, const SitesRead& on_sites) {
  return LoadDataset(store, scope, ScopedRead::kAuto, on_sites);
}

Result<std::shared_ptr<const Dataset>> LoadDataset(Store& store, const DataScope& scope, ScopedRead how,
                                                   const SitesRead& on_sites) {
  auto data = std::make_shared<Dataset>();
  DataScope sorted = scope;
  for (auto* list : {&sorted.clusters, &sorted.zones}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  data->scope = sorted;
  CS_RETURN_IF_ERROR(LoadRegionsAndZones(store, *data));
  CS_RETURN_IF_ERROR(LoadClusters(store, *data, &sorted.clusters));
  for (const std::string& id : sorted.clusters) {
    if (!data->cluster_index.contains(id)) {
      return Status::NotFound(fmt::format("cluster \"{}\" is not in the database", id)).WithId("entity.not_found");
    }
  }
  // The zones whose firms are read: those named. A cluster's own zone, which it is compared
  // with, comes as the store's totals (below).
  std::vector<Value> zone_ids;
  for (const std::string& id : sorted.zones) {
    if (!data->zone_index.contains(id)) {
      return Status::NotFound(fmt::format("zone \"{}\" is not in the database", id)).WithId("entity.not_found");
    }
    zone_ids.emplace_back(id);
  }
  // The sites: every firm that filed in the last year, from each firm's coordinates and industry
  // by position (the snapshot's firm column of that year), handed to on_sites before the rest is
  // read. False when the snapshot cannot say (the whole load answers).
  const bool sites = sorted.sites && sorted.last_year != 0;
  Dataset::Sites site_list{.year = sorted.last_year};
  const auto read_sites = [&](int64_t firm_count, const std::vector<double>& lat, const std::vector<double>& lon,
                              const std::vector<int32_t>& industry) -> Result<bool> {
    ReportColumnsRequest filed{
        .firm_count = firm_count, .first_year = sorted.last_year, .last_year = sorted.last_year, .scaled = true};
    CS_ASSIGN_OR_RETURN(const SnapshotScan scan, store.ScanReportColumns(filed, [&](ReportYearColumns& y) {
      for (const int32_t p : y.firm) {
        const auto at = static_cast<size_t>(p);
        if (std::isnan(lat[at])) continue;
        site_list.lon.push_back(lon[at]);
        site_list.lat.push_back(lat[at]);
        site_list.industry.push_back(industry[at]);
      }
      return Status::Ok();
    }));
    if (scan != SnapshotScan::kRead) return false;
    data->sites = std::move(site_list);
    if (on_sites) on_sites(*data);
    return true;
  };
  // Kept with the snapshot (Store::ScanFirmSites), before anything else is read: the
  // localisation tests then run alongside the whole read.
  // A damaged snapshot's warning, once however many of its parts are damaged.
  const auto warn_damaged = [&] {
    if (data->warnings.empty()) data->warnings.push_back(kDamagedSnapshot);
  };
  FirmSites kept_sites;  // also what the register's columns (below) read of every firm
  bool sites_kept = false;
  const auto read_kept_sites = [&]() -> Status {
    CS_ASSIGN_OR_RETURN(const SnapshotScan scan, store.ScanFirmSites([&](FirmSites& s) { kept_sites = std::move(s); }));
    if (scan == SnapshotScan::kDamaged) warn_damaged();  // read from the register
    sites_kept = scan == SnapshotScan::kRead;
    return Status::Ok();
  };
  if (sites) {
    CS_RETURN_IF_ERROR(read_kept_sites());
    if (sites_kept) {
      site_list.industries = kept_sites.industries;
      CS_ASSIGN_OR_RETURN(const bool read, read_sites(static_cast<int64_t>(kept_sites.size()), kept_sites.lat,
                                                      kept_sites.lon, kept_sites.industry));
      if (!read) return std::shared_ptr<const Dataset>();
    }
  }
  std::vector<Value> cluster_ids(sorted.clusters.begin(), sorted.clusters.end());
  // The register kept with the snapshot (Store::ScanRegisterColumns): many clusters' members and
  // their firms without a pass over the members and firms tables (a third of the register for
  // every cluster). Its memberships say whether they are that many.
  RegisterColumns kept_register;
  std::vector<int32_t> cluster_of;    // each kept membership's cluster (MemberClusters)
  std::vector<uint8_t> member_firms;  // by firm position: a member of a cluster asked about (MemberFirms)
  bool register_kept = false;
  if (how != ScopedRead::kByKey && (!sites || sites_kept)) {
    const auto read_register = [&](const RegisterRead& what, RegisterColumns& into) -> Result<bool> {
      CS_ASSIGN_OR_RETURN(const SnapshotScan scan,
                          store.ScanRegisterColumns(what, [&](RegisterColumns& r) { into = std::move(r); }));
      if (scan == SnapshotScan::kDamaged) warn_damaged();  // read from the tables
      return scan == SnapshotScan::kRead;
    };
    // The memberships first: they say whether the members are many, and which firms to keep.
    CS_ASSIGN_OR_RETURN(const bool members_read, read_register(RegisterRead{}, kept_register));
    if (members_read) cluster_of = MemberClusters(*data, kept_register);
    const bool many =
        members_read && (how == ScopedRead::kColumns ||
                         static_cast<size_t>(std::count_if(cluster_of.begin(), cluster_of.end(),
                                                           [](int32_t c) { return c >= 0; })) > kScopedByKeyFirms);
    if (many) {
      // The firms' names and dates only of the members (a named zone's firms are found by the
      // zone, which is read for every firm: then every firm's).
      member_firms = MemberFirms(kept_register, cluster_of, static_cast<size_t>(kept_register.firm_count));
      const auto keep = zone_ids.empty() ? std::span<const uint8_t>(member_firms) : std::span<const uint8_t>();
      RegisterColumns firms;
      CS_ASSIGN_OR_RETURN(register_kept,
                          read_register(RegisterRead{.members = false, .firms = true, .keep = keep}, firms));
      register_kept = register_kept && firms.firm_count == kept_register.firm_count;  // as of the same firms
      if (register_kept) TakeFirmColumns(kept_register, firms);
      if (register_kept && !sites_kept) CS_RETURN_IF_ERROR(read_kept_sites());
      // Positions as of one snapshot: the sites' and the register's firms must be the same.
      register_kept = register_kept && sites_kept &&
                      static_cast<int64_t>(kept_sites.size()) == kept_register.firm_count &&
                      kept_register.firms() == kept_sites.size();
      if (register_kept) how = ScopedRead::kColumns;
    }
    if (!register_kept) kept_register = RegisterColumns();
  }
  MemberRows members;
  if (!register_kept) {
    CS_RETURN_IF_ERROR(store.ScanRowsWhere(Kind::kMembers, 0, cluster_ids, [&](const RowView& r) {
      members.Add(*data, r);
      return true;
    }));
  }
  std::vector<bool> zone_read(data->zones.size(), false);
  for (const Value& z : zone_ids) zone_read[static_cast<size_t>(data->zone_index.at(std::get<std::string>(z)))] = true;
  if (how == ScopedRead::kAuto) {
    // A named zone's firms (tens of thousands at most) read by its index; many clusters' members
    // (a third of the national panel for all clusters) are cheaper from the columns.
    how = members.size() > kScopedByKeyFirms ? ScopedRead::kColumns : ScopedRead::kByKey;
  }
  // Sites not kept with the snapshot come with the pass over the whole register: per firm
  // (register position), its coordinates (NaN: none) and industry class.
  const bool sites_from_register = sites && !data->sites;
  if (sites_from_register) how = ScopedRead::kColumns;
  std::vector<double> site_lon, site_lat;
  std::vector<int32_t> site_industry;
  std::unordered_map<std::string, int32_t> industry_ids;
  // The firms: the zones' and the members', in uscc order, each once.
  FirmReader reader(*data);
  const KindDef& fdef = Describe(Kind::kFirms);
  // kColumns: each kept firm's position among all firms (uscc order), and how many firms there are.
  std::vector<int32_t> positions;
  int64_t firm_count = 0;
  if (how == ScopedRead::kByKey) {
    std::vector<FirmInfo> firms;
    auto keep = [&](const RowView& r) {
      firms.push_back(reader.Read(r));
      return true;
    };
    CS_RETURN_IF_ERROR(store.ScanRowsWhere(Kind::kFirms, fdef.ColumnIndex("zone_id"), zone_ids, keep));
    std::vector<Value> member_usccs;
    for (const MemberRows::Row& m : members.rows()) member_usccs.emplace_back(std::string(members.UsccOf(m)));
    CS_RETURN_IF_ERROR(store.ScanRowsWhere(Kind::kFirms, 0, member_usccs, keep));
    std::sort(firms.begin(), firms.end(), [](const FirmInfo& a, const FirmInfo& b) { return a.uscc < b.uscc; });
    firms.erase(
        std::unique(firms.begin(), firms.end(), [](const FirmInfo& a, const FirmInfo& b) { return a.uscc == b.uscc; }),
        firms.end());
    data->firms = std::move(firms);
    members.MatchFirms(data->firms);
  } else if (register_kept) {
    firm_count = kept_register.firm_count;
    FirmsFromRegister(*data, kept_register, cluster_of, std::move(member_firms), kept_sites, zone_ids, positions);
  } else {
    // One pass over the register in uscc order, alongside the memberships sorted by uscc; only
    // the firms kept are decoded, and each membership learns its firm's index on the way.
    std::vector<MemberRows::Row*> by_uscc = members.ByUscc();
    const int zone_column = fdef.ColumnIndex("zone_id");
    std::vector<std::string_view> zones_named;
    zones_named.reserve(zone_ids.size());
    for (const Value& z : zone_ids) zones_named.emplace_back(std::get<std::string>(z));
    data->firms.reserve(by_uscc.size());  // at most one a membership (and the named zones' firms)
    size_t w = 0;
    // The store reads the other columns of the firms kept only (a third of the register when
    // every cluster is asked about: SQLite's pass costs about half of reading every row whole).
    int32_t kept_count = 0;  // the firms kept so far: the next one's index in data->firms
    const int industry_column = fdef.ColumnIndex("industry_code");
    const int lat_column = fdef.ColumnIndex("lat");
    const int lon_column = fdef.ColumnIndex("lon");
    const auto keep = [&](const RowView& r) {
      ++firm_count;
      if (sites_from_register) {
        const bool placed = !r.IsNull(lat_column) && !r.IsNull(lon_column);
        site_lat.push_back(placed ? r.Real(lat_column) : std::numeric_limits<double>::quiet_NaN());
        site_lon.push_back(placed ? r.Real(lon_column) : std::numeric_limits<double>::quiet_NaN());
        const std::string_view industry = r.Text(industry_column);
        auto [it, added] = industry_ids.try_emplace(std::string(industry), static_cast<int32_t>(industry_ids.size()));
        if (added) site_list.industries.emplace_back(industry);
        site_industry.push_back(it->second);
      }
      const std::string_view uscc = r.Text(0);
      while (w < by_uscc.size() && members.UsccOf(*by_uscc[w]) < uscc) ++w;  // a membership of an unregistered firm
      bool kept = false;
      const int32_t index = kept_count;
      for (; w < by_uscc.size() && members.UsccOf(*by_uscc[w]) == uscc; ++w) {
        by_uscc[w]->m.firm = index;
        kept = true;
      }
      if (!kept && !zones_named.empty() && !r.IsNull(zone_column)) {
        kept = std::binary_search(zones_named.begin(), zones_named.end(), r.Text(zone_column));
      }
      kept_count += kept ? 1 : 0;
      return kept;
    };
    std::vector<int> keep_columns{0, zone_column};
    if (sites_from_register) keep_columns.insert(keep_columns.end(), {industry_column, lat_column, lon_column});
    CS_RETURN_IF_ERROR(store.ScanRowsKept(Kind::kFirms, keep_columns, keep, [&](const RowView& r, int64_t at) {
      data->firms.push_back(reader.Read(r));
      positions.push_back(static_cast<int32_t>(at));
      return true;
    }));
    // Without the sites kept with the snapshot, from this pass.
    if (sites_from_register) {
      CS_ASSIGN_OR_RETURN(const bool read, read_sites(firm_count, site_lat, site_lon, site_industry));
      if (!read) return std::shared_ptr<const Dataset>();
      std::vector<double>().swap(site_lon);
      std::vector<double>().swap(site_lat);
      std::vector<int32_t>().swap(site_industry);
    }
  }
  for (size_t i = 0; i < data->firms.size(); ++i) {
    // Only zones read whole list their firms (another zone would list just the members in it).
    if (int zone = data->firms[i].zone; zone >= 0 && zone_read[static_cast<size_t>(zone)]) {
      data->zones[static_cast<size_t>(zone)].firms.push_back(static_cast<int32_t>(i));
    }
  }
  members.AddTo(*data);  // (none when from the register: FirmsFromRegister added them)
  kept_register = RegisterColumns();
  kept_sites = FirmSites();
  CS_RETURN_IF_ERROR(store.ScanWhere(Kind::kInstitutions, 0, cluster_ids, [&](const Record& r) {
    AddInstitution(*data, r);
    return true;
  }));
  CS_RETURN_IF_ERROR(LoadExpertScores(store, *data));
  if (how == ScopedRead::kByKey) {
    // Their reports, by key from the table (a few thousand firms: cheaper than any column).
    std::vector<std::string> usccs;
    usccs.reserve(data->firms.size());
    for (const FirmInfo& f : data->firms) usccs.push_back(f.uscc);
    std::unordered_map<int, WideYear> wide;
    ReportCollector collect(*data, wide, sorted.first_year, sorted.last_year);
    CS_RETURN_IF_ERROR(store.ScanReportsOf(usccs, sorted.first_year,
                                           sorted.last_year != 0 ? sorted.last_year : INT32_MAX,
                                           [&](const RowView& r) { return collect(r); }));
    TakeYears(*data, wide);
    // The look-back years as the column read holds them (below): the same data set either way.
    if (sorted.first_year != 0) {
      for (YearTable& t : data->years) {
        const int k = sorted.first_year + kLookbackYears - t.year;
        if (k >= 1) DropFields(t, ~ScopedLookBackFields(k));
      }
    }
  } else {
    // Their rows of the snapshot's columns, year by year (the years asked for). The look-back
    // years before the first year answered about hold only what is read of a year that far back
    // (ScopedLookBackFields; the rest is dropped, and reading it stops the program): for one
    // year, 43% fewer bytes read than every field of four years.
    std::vector<YearTable> years;
    const auto read = [&](int first, int last, uint64_t fields) -> Result<SnapshotScan> {
      std::vector<int> field_of;  // request column k → field
      ReportColumnsRequest request{
          .firm_count = firm_count, .first_year = first, .last_year = last, .scaled = true, .firms = &positions};
      for (int f = 0; f < kFieldCount; ++f) {
        if (((fields >> f) & 1u) == 0) continue;
        field_of.push_back(f);
        request.columns.emplace_back(kFieldIds[static_cast<size_t>(f)]);
      }
      const bool every_field = field_of.size() == static_cast<size_t>(kFieldCount);
      return store.ScanReportColumns(request, [&](ReportYearColumns& y) {
        if (y.firm.empty()) return Status::Ok();  // none of the scope's firms reported that year
        YearTable& t = years.emplace_back();
        t.year = y.year;
        // Positions among all firms → indexes into data->firms (both ascending).
        t.firm.resize(y.firm.size());
        for (size_t r = 0, i = 0; r < y.firm.size(); ++r) {
          while (positions[i] < y.firm[r]) ++i;
          t.firm[r] = static_cast<int32_t>(i);
        }
        if (every_field) {
          t.present = std::move(y.present);
        } else {  // the request's column bits → field bits
          t.present.assign(y.present.size(), 0);
          for (size_t r = 0; r < y.present.size(); ++r) {
            for (size_t k = 0; k < field_of.size(); ++k) t.present[r] |= ((y.present[r] >> k) & 1u) << field_of[k];
          }
          t.dropped = ~fields & kEveryField;
        }
        for (size_t k = 0; k < field_of.size(); ++k) {
          t.column[static_cast<size_t>(field_of[k])] = FieldColumn(std::move(y.scaled[k]));
        }
        return Status::Ok();
      });
    };
    const uint64_t every = kEveryField;
    SnapshotScan scan = SnapshotScan::kRead;
    if (sorted.first_year == 0) {  // every year may be asked about
      CS_ASSIGN_OR_RETURN(scan, read(0, sorted.last_year, every));
    } else {
      const int answered = sorted.first_year + kLookbackYears;  // CheckWithinScope's first year
      for (int year = sorted.first_year; year < answered && scan == SnapshotScan::kRead; ++year) {
        if (sorted.last_year != 0 && year > sorted.last_year) break;
        CS_ASSIGN_OR_RETURN(scan, read(year, year, ScopedLookBackFields(answered - year)));
      }
      if (scan == SnapshotScan::kRead && (sorted.last_year == 0 || answered <= sorted.last_year)) {
        CS_ASSIGN_OR_RETURN(scan, read(answered, sorted.last_year, every));
      }
    }
    // No snapshot, or a damaged one: the whole load reads the rows (and says so).
    if (scan != SnapshotScan::kRead) return std::shared_ptr<const Dataset>();
    data->years = std::move(years);  // ascending, as the store hands them out
  }
  // The nation's and provinces' totals by industry, for the years the engine may ask about.
  CS_ASSIGN_OR_RETURN(std::vector<int> all_years, store.ReportYears());
  data->stored_years = all_years;
  static constexpr std::array<std::string_view, 3> kMeasures = {"employees", "gross_output", "value_added"};
  for (int year : all_years) {
    if ((sorted.first_year != 0 && year < sorted.first_year) || (sorted.last_year != 0 && year > sorted.last_year)) {
      continue;
    }
    for (size_t m = 0; m < kMeasures.size(); ++m) {
      auto& by_province = data->industry_totals[m][year];
      CS_ASSIGN_OR_RETURN(SnapshotScan scan, store.ScanIndustryTotals(kMeasures[m], year, [&](const IndustryTotal& t) {
        by_province[t.province][std::string(t.industry)] = t.total;
      }));
      if (scan != SnapshotScan::kRead) return std::shared_ptr<const Dataset>();  // no totals: load the whole
    }
    // The totals of the clusters' zones that were not read whole.
    std::array<int, kFieldCount> field_of_column{};
    bool mapped = false;
    auto& zones = data->zone_totals[year];
    CS_ASSIGN_OR_RETURN(SnapshotScan scan, store.ScanZoneTotals(year, [&](const ZoneTotals& z) {
      auto it = data->zone_index.find(std::string(z.zone));
      if (it == data->zone_index.end() || data->ZoneReadWhole(it->second)) return;
      if (!mapped) {
        field_of_column.fill(-1);
        for (size_t k = 0; k < z.columns->size(); ++k) {
          for (int f = 0; f < kFieldCount; ++f) {
            if (kFieldIds[static_cast<size_t>(f)] == (*z.columns)[k])
              field_of_column[static_cast<size_t>(f)] = static_cast<int>(k);
          }
        }
        mapped = true;
      }
      Dataset::ZoneSums& sums = zones[it->second];
      sums.reports = z.reports;
      for (size_t f = 0; f < kFieldCount; ++f) {
        if (const int k = field_of_column[f]; k >= 0) {
          sums.sum[f] = z.sums[static_cast<size_t>(k)];
          sums.count[f] = z.counts[static_cast<size_t>(k)];
        }
      }
    }));
    if (scan != SnapshotScan::kRead) return std::shared_ptr<const Dataset>();
  }
  Finish(*data);
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
