// The engine's in-memory form of the store: firms and clusters as small structs, reports as one
// table per year with one column per numeric field and a presence bitmask per row.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clusterscope/indicators.h"
#include "clusterscope/store.h"

namespace clusterscope {

// The numeric report fields, in reports-column order (uscc and year excluded).
enum Field : int {
  kProducing,
  kRevenue,
  kGrossOutput,
  kValueAdded,
  kNetProfit,
  kTaxesPaid,
  kExports,
  kTotalAssets,
  kTotalLiabilities,
  kEmployees,
  kTechStaff,
  kRdStaff,
  kCollegeStaff,
  kMasters,
  kPhds,
  kReturnees,
  kRdExpense,
  kRdExpenseDomestic,
  kTotalCost,
  kHighTechRevenue,
  kPatentApplications,
  kInventionApplications,
  kPatentGrants,
  kInventionGrants,
  kValidInventionPatents,
  kIpClass1,
  kIpClass2,
  kVcInvestment,
  kNewLoans,
  kProvincialRdInstitution,
  kMajorIncident,
  kNationalAward5y,
  kStandardLead5y,
  kFieldCount
};
static_assert(kFieldCount <= 64, "presence bits live in one uint64");

// The reports column id of each field.
extern const std::array<std::string_view, kFieldCount> kFieldIds;

struct FirmInfo {
  std::string uscc;
  std::string name;
  int zone = -1;             // index into Dataset::zones, -1 = none
  int32_t region = 0;        // GB/T 2260 code as a number
  std::string industry;      // 4-digit class
  int cert_year = 0;         // high-tech certificate year, 0 = none
  int8_t listed = -1;        // -1 unknown, 0 no, 1 yes
  int founded_year = 0;      // 0 = unknown
  int32_t industry_id = -1;  // index into Dataset::industries
  // Register fields the analyses read one firm at a time (issue 11: analysis reads only the
  // dataset), read with the rest of the register (LoadDataset).
  std::string name_en;
  std::string founded;  // as the register has it: "2003-05-12", "2003" or "" (unknown)
  std::optional<double> lat, lon;
};

struct ZoneInfo {
  std::string id;
  std::string name;
  int32_t region = 0;
  std::string level;
  std::vector<int32_t> firms;  // firms registered to the zone
  std::string name_en;         // read with the zone
};

struct Membership {
  int32_t firm;
  int from_year;
  int to_year;  // INT32_MAX = still a member
  bool backbone;
};

struct InstitutionInfo {
  std::string name;
  std::string category;
  int8_t national = -1;
};

struct ClusterInfo {
  std::string id;
  std::string name;
  int zone = -1;
  std::vector<std::string> leading;  // GB/T 4754 codes, 2-4 digits; a code covers every code under it
  std::string construction_body;
  std::string alliance;
  int recognised_year = 0;
  std::vector<Membership> members;
  std::vector<InstitutionInfo> institutions;
  // The English name, and the expert scores by year (evaluation.md, LoadExpertScores).
  std::string name_en;
  std::vector<std::pair<int, double>> expert_scores;

  bool IsLeadingIndustry(const std::string& industry) const;
  // IsLeadingIndustry of Dataset::industries[id], precomputed by LoadDataset.
  bool IsLeadingIndustryId(int32_t industry) const { return leading_by_industry[static_cast<size_t>(industry)] != 0; }
  std::vector<uint8_t> leading_by_industry;
};

// One report field of one year in 4 bytes a row: value = narrow[r] × scale, except the rare rows
// marked kWide (a value that does not fit), whose value is kept in `wide`, sorted by row. Money
// in fen imported from 千元 has a scale of 1,000 or more, so almost every value fits.
class FieldColumn {
 public:
  static constexpr int32_t kWide = ScaledColumn::kWide;

  FieldColumn() = default;
  explicit FieldColumn(ScaledColumn c) : narrow_(std::move(c.narrow)), scale_(c.scale), wide_(std::move(c.wide)) {}
  // From the values (0 where absent).
  static FieldColumn From(const std::vector<int64_t>& values);

  int64_t operator[](size_t r) const {
    int32_t x = narrow_[r];
    return x != kWide ? static_cast<int64_t>(x) * scale_ : WideAt(r);
  }
  size_t size() const { return narrow_.size(); }
  bool operator==(const FieldColumn&) const = default;
  const int32_t* narrow() const { return narrow_.data(); }
  int64_t scale() const { return scale_; }
  // Empties the column and hands over its narrow values' memory, for the next year's decode to
  // reuse (ForEachYearWindow: memory already touched costs no page faults).
  std::vector<int32_t> Release() {
    std::vector<int32_t> out = std::move(narrow_);
    *this = FieldColumn();
    return out;
  }
  // The values too large for 4 bytes (their narrow slot holds kWide): (row, value), rows ascending.
  const std::vector<std::pair<size_t, int64_t>>& wide() const { return wide_; }

 private:
  int64_t WideAt(size_t r) const;

  std::vector<int32_t> narrow_;
  int64_t scale_ = 1;
  std::vector<std::pair<size_t, int64_t>> wide_;
};

// YearTable::Column of a dropped field: says which and aborts.
[[noreturn]] void DroppedFieldRead(int year, int field);

// One year's reports, sorted by firm index.
struct YearTable {
  int year = 0;
  std::vector<int32_t> firm;
  std::vector<uint64_t> present;  // bit f set when field f was reported
  std::array<FieldColumn, kFieldCount> column;

  // Fields not held for this year (bit f), a look-back year only: ForEachYearWindow drops them
  // once the year has been answered about, a scoped load never reads them. Reading one means the
  // look-back lists (kLookBackFields, ScopedLookBackFields, dataset.cpp) miss a field an indicator
  // or rule reads, and stops the program rather than answer wrong (the windows test and the scoped
  // tests read every indicator of every entity and year).
  uint64_t dropped = 0;
  // 1 where the row's firm holds a high-tech certificate valid in `year` (from the register, set
  // with Dataset::row_of_firm): a count of such firms reads one byte a row, not the firm's entry.
  std::vector<uint8_t> high_tech;

  size_t size() const { return firm.size(); }
  // A dropped field stops the program here too: a look-back year read with only some fields
  // (LoadDataset(store, scope)) has no presence bits for the others, which must not read as absent.
  bool Has(size_t row, int f) const {
    if ((dropped >> f) & 1u) [[unlikely]]
      DroppedFieldRead(year, f);
    return (present[row] >> f) & 1u;
  }
  const FieldColumn& Column(int f) const {
    if ((dropped >> f) & 1u) [[unlikely]]
      DroppedFieldRead(year, f);
    return column[static_cast<size_t>(f)];
  }
  int64_t Get(size_t row, int f) const { return Column(f)[row]; }
};

class Dataset;

struct YearFacts;
// What the qualification rules read of report row `r` of `t` (rules.h; firms.cpp).
YearFacts FactsOf(const YearTable& t, size_t r);
// The expert scores of the clusters in `data` (dataset_details.cpp).
Status LoadExpertScores(Store& store, Dataset& data);
// The index of the firm with credit code `uscc` in Dataset::firms (uscc order), or -1.
int32_t FindFirm(const Dataset& data, const std::string& uscc);

// Each report row's technology-based SME outcome (rules.md §2, via AssessTechSme), per year,
// computed on first use and shared by every entity (tech_sme_count); safe from both engine threads.
class TechSmeOutcomes {
 public:
  // 0 qualifies, 1 fails, 2 undetermined (Outcome's values), one per row of years[slot].
  const std::vector<int8_t>& ForSlot(const Dataset& data, int slot);

 private:
  struct Slot {
    std::mutex mutex;  // held while the year is computed, so two threads can do two years at once
    std::unique_ptr<std::vector<int8_t>> outcomes;
  };
  std::mutex mutex_;  // guards `slots_` itself
  std::vector<std::unique_ptr<Slot>> slots_;
};

// Σ of a measure by province and industry class for one year of a whole data set (the location
// quotients' denominators), summed from the rows on first use and then shared by every engine and
// thread that reads the data set: a long-lived data set (the server's) sums a year once, not once
// per question. A scoped data set never uses it (its totals are the store's: industry_totals).
class IndustryTotalsMemo {
 public:
  // province (0 = the nation, always present) → industry class → Σ
  using Totals = std::unordered_map<int, std::unordered_map<std::string, int64_t>>;
  // `field`: kEmployees, kGrossOutput or kValueAdded.
  const Totals& For(const Dataset& data, int year, int field);

 private:
  std::mutex mutex_;  // held while a year is summed: a second asker waits for it, not sums again
  std::map<std::pair<int, int>, std::unique_ptr<Totals>> totals_;
};

// A year's rows grouped by region (region code / divisor → rows, ascending), made once per
// (year, divisor) for every thread that reads the data set: each engine grouped them itself
// before, on every core and, a year at a time, again in each window.
class RegionRowsMemo {
 public:
  using Groups = std::unordered_map<int, std::vector<int32_t>>;
  // Empty when the data set holds no reports of `year`.
  const Groups& For(const Dataset& data, int year, int divisor);
  // Forgets the years before `year` (ForEachYearWindow drops their tables).
  void DropBefore(int year);

 private:
  std::mutex mutex_;  // held while a year is grouped: a second asker waits for it
  std::map<std::pair<int, int>, std::unique_ptr<Groups>> groups_;
};

class Dataset {
 public:
  std::vector<FirmInfo> firms;
  std::vector<ZoneInfo> zones;
  std::vector<ClusterInfo> clusters;
  std::vector<YearTable> years;  // ascending by year
  std::unordered_map<std::string, int> zone_index;
  std::unordered_map<std::string, int> cluster_index;
  std::unordered_map<std::string, std::string> region_names;  // GB/T 2260 code → name
  // row_of_firm[y][f]: the row of firm f in years[y], or -1.
  std::vector<std::vector<int32_t>> row_of_firm;
  // The distinct industry classes of the firms (FirmInfo::industry_id indexes this).
  std::vector<std::string> industries;
  // Per firm, compact copies of FirmInfo fields for the loops over rows (no cache miss per firm).
  std::vector<int32_t> firm_region;
  std::vector<int32_t> firm_industry;
  std::vector<int32_t> firm_cert_year;
  std::vector<int8_t> firm_listed;

  // What the user should know about how the data were read (DatasetWarnings).
  struct Warning {
    std::string zh;
    std::string en;
  };
  std::vector<Warning> warnings;

  // Set by a scoped load (LoadDataset(store, scope)): what it holds. The location quotients'
  // totals then come from `industry_totals` instead of the rows, which are only the scope's:
  // industry_totals[measure][year][province] maps industry → Σ (measure 0 employees,
  // 1 gross_output, 2 value_added; province 0 = the nation), as Store::ScanIndustryTotals.
  std::optional<DataScope> scope;
  std::array<std::map<int, std::unordered_map<int, std::unordered_map<std::string, int64_t>>>, 3> industry_totals;
  // zone_totals[year][zone]: the store's totals of the zones a scoped load did not read whole
  // (a cluster's zone, which its cluster is compared with), as Store::ScanZoneTotals.
  struct ZoneSums {
    int64_t reports = 0;
    std::array<int64_t, kFieldCount> sum{};  // INT64_MIN: the sum leaves int64
    std::array<int64_t, kFieldCount> count{};
  };
  std::map<int, std::unordered_map<int, ZoneSums>> zone_totals;
  // Set by a scoped load asked for sites (DataScope::sites): every firm with coordinates that
  // filed in `year`, in firm (uscc) order, with its industry class (an index into `industries`).
  // The firms themselves are not in `firms`; the sites carry no weight.
  struct Sites {
    int year = 0;
    std::vector<double> lon, lat;
    std::vector<int32_t> industry;
    std::vector<std::string> industries;
  };
  std::optional<Sites> sites;
  // Set by a scoped load: every year the store holds reports for (`years` holds the scope's).
  std::vector<int> stored_years;
  // Set by ForEachYearWindow: the first and last year whose reports it holds (a year's window:
  // the engine answers about the last year only, CheckWithinScope refuses the rest).
  std::optional<std::pair<int, int>> window;
  // True when the zone's firms are all in `firms` (always, unless scoped).
  bool ZoneReadWhole(int zone) const;

  // A cache, not data: shared so the Dataset stays copyable.
  std::shared_ptr<TechSmeOutcomes> tech_sme = std::make_shared<TechSmeOutcomes>();
  std::shared_ptr<IndustryTotalsMemo> industry_memo = std::make_shared<IndustryTotalsMemo>();
  std::shared_ptr<RegionRowsMemo> region_memo = std::make_shared<RegionRowsMemo>();

  const YearTable* Year(int year) const;
  int YearSlot(int year) const;  // index into years, or -1
};

}  // namespace clusterscope
