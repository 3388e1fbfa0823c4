#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <climits>
#include <map>
#include <thread>
#include <unordered_map>

#include "clusterscope/indicators.h"
#include "clusterscope/years.h"
#include "indicators/context.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

using indicators::Accumulator;
using indicators::Context;
using indicators::Entry;

// One requested entity, resolved against the dataset.
struct Resolved {
  EntityRef ref;
  std::string name;
  const ClusterInfo* cluster = nullptr;
  int zone = -1;
  int region_code = 0;    // kRegion
  int region_digits = 0;  // how many leading digits of a firm's code must match (2, 4 or 6)
};

class Engine {
 public:
  Engine(const Dataset& data, std::string lq_measure) : data_(data), lq_measure_(std::move(lq_measure)) {}

  Result<Resolved> Resolve(const EntityRef& ref) const {
    Resolved r{ref};
    switch (ref.kind) {
      case EntityKind::kCluster: {
        auto it = data_.cluster_index.find(ref.id);
        if (it == data_.cluster_index.end())
          return Status::NotFound(fmt::format("cluster \"{}\" is not in the database", ref.id));
        r.cluster = &data_.clusters[static_cast<size_t>(it->second)];
        r.zone = r.cluster->zone;
        r.name = r.cluster->name;
        break;
      }
      case EntityKind::kZone: {
        auto it = data_.zone_index.find(ref.id);
        if (it == data_.zone_index.end())
          return Status::NotFound(fmt::format("zone \"{}\" is not in the database", ref.id));
        r.zone = it->second;
        r.name = data_.zones[static_cast<size_t>(r.zone)].name;
        break;
      }
      case EntityKind::kRegion: {
        if (ref.id.size() != 6 || ref.id.find_first_not_of("0123456789") != std::string::npos) {
          return Status::NotFound(fmt::format("\"{}\" is not a 6-digit GB/T 2260 region code", ref.id));
        }
        auto name = data_.region_names.find(ref.id);
        if (name == data_.region_names.end())
          return Status::NotFound(fmt::format("region {} is not in the region table", ref.id));
        r.name = name->second;
        r.region_code = std::stoi(ref.id);
        r.region_digits = ref.id.ends_with("0000") ? 2 : ref.id.ends_with("00") ? 4 : 6;
        break;
      }
      case EntityKind::kCountry:
        r.name = "全国";
        break;
    }
    return r;
  }

  const Accumulator& Acc(const Resolved& e, size_t entity_slot, int year) {
    auto key = std::make_pair(entity_slot, year);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    Accumulator& a = cache_[key];
    int slot = data_.YearSlot(year);
    if (slot < 0) return a;
    const YearTable& t = data_.years[static_cast<size_t>(slot)];
    const auto& row_of = data_.row_of_firm[static_cast<size_t>(slot)];
    a.table = &t;
    switch (e.ref.kind) {
      case EntityKind::kCountry:
        a.rows.resize(t.size());
        for (size_t i = 0; i < t.size(); ++i) a.rows[i] = static_cast<int32_t>(i);
        break;
      case EntityKind::kRegion: {
        // Rows grouped by region once per (year, level): each region then takes its group
        // instead of every region scanning every row.
        const int divisor = e.region_digits == 2 ? 10000 : e.region_digits == 4 ? 100 : 1;
        const auto& groups = data_.region_memo->For(data_, year, divisor);
        if (auto group = groups.find(e.region_code / divisor); group != groups.end()) a.rows = group->second;
        break;
      }
      case EntityKind::kZone:
        for (int32_t f : data_.zones[static_cast<size_t>(e.zone)].firms) {
          if (int32_t row = row_of[static_cast<size_t>(f)]; row >= 0) a.rows.push_back(row);
        }
        // A zone's firms are listed in firm order, so its rows usually come out sorted.
        if (!std::is_sorted(a.rows.begin(), a.rows.end())) std::sort(a.rows.begin(), a.rows.end());
        break;
      case EntityKind::kCluster:
        for (const Membership& m : e.cluster->members) {
          if (m.from_year > year || m.to_year < year) continue;
          if (int32_t row = row_of[static_cast<size_t>(m.firm)]; row >= 0) a.rows.push_back(row);
        }
        if (!std::is_sorted(a.rows.begin(), a.rows.end())) std::sort(a.rows.begin(), a.rows.end());
        a.rows.erase(std::unique(a.rows.begin(), a.rows.end()), a.rows.end());
        break;
    }
    return a;
  }

  // Σ measure by industry class, per province (two-digit prefix) and for the nation (key 0).
  const std::unordered_map<std::string, int64_t>& MeasureByIndustry(int year, int province) {
    static const std::unordered_map<std::string, int64_t> no_totals;
    if (data_.scope) {
      // A scoped dataset holds only some firms: the totals are the store's, kept with the snapshot.
      const size_t m = lq_measure_ == "gross_output" ? 1 : lq_measure_ == "value_added" ? 2 : 0;
      const auto& by_year = data_.industry_totals[m];
      auto y = by_year.find(year);
      if (y == by_year.end()) return no_totals;
      auto p = y->second.find(province);
      return p == y->second.end() ? no_totals : p->second;
    }
    const int field = lq_measure_ == "gross_output"  ? kGrossOutput
                      : lq_measure_ == "value_added" ? kValueAdded
                                                     : kEmployees;
    // A whole data set sums its rows, once per year and measure for every engine reading it.
    const IndustryTotalsMemo::Totals& totals = data_.industry_memo->For(data_, year, field);
    auto p = totals.find(province);
    return p == totals.end() ? no_totals : p->second;
  }

  Context MakeContext(const Resolved& e, size_t slot, int year) {
    Context c;
    c.data = &data_;
    c.kind = e.ref.kind;
    c.cluster = e.cluster;
    c.zone = e.zone;
    c.year = year;
    c.lq_measure = lq_measure_;
    c.at = [this, e, slot, year](int offset) -> const Accumulator& { return Acc(e, slot, year + offset); };
    c.zone_acc = [this, e, year]() -> const Accumulator& {
      Resolved zone{EntityRef{EntityKind::kZone, e.zone >= 0 ? data_.zones[static_cast<size_t>(e.zone)].id : ""}};
      zone.zone = e.zone;
      if (e.zone < 0) return empty_;
      if (!data_.ZoneReadWhole(e.zone)) {
        // A scoped load compares a cluster with its zone through the store's zone totals.
        auto [it, added] = preset_.try_emplace({e.zone, year});
        if (auto y = data_.zone_totals.find(year); added && y != data_.zone_totals.end()) {
          if (auto sums = y->second.find(e.zone); sums != y->second.end()) it->second.Preset(sums->second);
        }
        return it->second;
      }
      // Zones get their own cache slots, after every requested entity.
      return Acc(zone, kZoneSlotBase + static_cast<size_t>(e.zone), year);
    };
    c.measure_by_industry = [this, year](int province) -> const std::unordered_map<std::string, int64_t>& {
      return MeasureByIndustry(year, province);
    };
    return c;
  }

  // Drops the accumulators of a finished entity (zones stay: clusters compare against them).
  void Forget(size_t slot) {
    if (slot >= kZoneSlotBase) return;
    cache_.erase(cache_.lower_bound({slot, INT32_MIN}), cache_.lower_bound({slot + 1, INT32_MIN}));
  }

  static constexpr size_t kZoneSlotBase = size_t{1} << 40;

 private:
  const Dataset& data_;
  std::string lq_measure_;
  std::map<std::pair<size_t, int>, Accumulator> cache_;
  Accumulator empty_;
  std::map<std::pair<int, int>, Accumulator> preset_;  // (zone, year) → the store's zone totals
};

}  // namespace

const RegionRowsMemo::Groups& RegionRowsMemo::For(const Dataset& data, int year, int divisor) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = groups_[{year, divisor}];
  if (slot) return *slot;
  auto out = std::make_unique<Groups>();
  if (const YearTable* t = data.Year(year)) {
    // Firms of a region mostly come together (uscc order follows the registering region): the
    // group of the row before is looked up again only when the code changes.
    int last = INT_MIN;
    std::vector<int32_t>* group = nullptr;
    for (size_t i = 0; i < t->size(); ++i) {
      const int code = data.firm_region[static_cast<size_t>(t->firm[i])] / divisor;
      if (code != last) {
        group = &(*out)[code];
        last = code;
      }
      group->push_back(static_cast<int32_t>(i));
    }
  }
  slot = std::move(out);
  return *slot;
}

void RegionRowsMemo::DropBefore(int year) {
  std::lock_guard<std::mutex> lock(mutex_);
  groups_.erase(groups_.begin(), groups_.lower_bound({year, INT_MIN}));
}

const IndustryTotalsMemo::Totals& IndustryTotalsMemo::For(const Dataset& data, int year, int field) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = totals_[{year, field}];
  if (slot) return *slot;
  auto out = std::make_unique<Totals>();
  (*out)[0];  // the nation, present even when empty
  if (const YearTable* t = data.Year(year)) {
    // Summed by (province, industry id) in flat arrays, then named.
    const size_t industries = data.industries.size();
    std::unordered_map<int, std::vector<int64_t>> sums;
    std::unordered_map<int, std::vector<uint8_t>> seen;
    auto& nation = sums[0];
    auto& nation_seen = seen[0];
    nation.assign(industries, 0);
    nation_seen.assign(industries, 0);
    const FieldColumn& col = t->Column(field);
    int last_province = -1;
    std::vector<int64_t>* prov = nullptr;
    std::vector<uint8_t>* prov_seen = nullptr;
    for (size_t i = 0; i < t->size(); ++i) {
      if (!t->Has(i, field)) continue;
      auto firm = static_cast<size_t>(t->firm[i]);
      auto industry = static_cast<size_t>(data.firm_industry[firm]);
      int firm_province = data.firm_region[firm] / 10000;
      if (firm_province != last_province) {
        prov = &sums[firm_province];
        prov_seen = &seen[firm_province];
        if (prov->empty()) {
          prov->assign(industries, 0);
          prov_seen->assign(industries, 0);
        }
        last_province = firm_province;
      }
      nation[industry] = indicators::SaturatingAdd(nation[industry], col[i]);
      nation_seen[industry] = 1;
      (*prov)[industry] = indicators::SaturatingAdd((*prov)[industry], col[i]);
      (*prov_seen)[industry] = 1;
    }
    for (auto& [key, values] : sums) {
      auto& named = (*out)[key];
      const auto& flags = seen[key];
      for (size_t k = 0; k < industries; ++k) {
        if (flags[k]) named[data.industries[k]] = values[k];
      }
    }
  }
  slot = std::move(out);
  return *slot;
}

std::span<const IndicatorInfo> IndicatorCatalogue() {
  static const std::vector<IndicatorInfo> infos = [] {
    std::vector<IndicatorInfo> out;
    for (const Entry& e : indicators::Entries()) out.push_back(e.info);
    return out;
  }();
  return infos;
}

const IndicatorInfo* FindIndicator(std::string_view id) {
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

std::string_view UnitId(IndicatorUnit unit) {
  switch (unit) {
    case IndicatorUnit::kFirms:
      return "firms";
    case IndicatorUnit::kPersons:
      return "persons";
    case IndicatorUnit::kItems:
      return "items";
    case IndicatorUnit::kYuan:
      return "yuan";
    case IndicatorUnit::kShare:
      return "share";
    case IndicatorUnit::kGrowth:
      return "growth";
    case IndicatorUnit::kYuanPerPerson:
      return "yuan_per_person";
    case IndicatorUnit::kYuanPerFirm:
      return "yuan_per_firm";
    case IndicatorUnit::kPer1000:
      return "per_1000_employees";
    case IndicatorUnit::kPer10k:
      return "per_10000_employees";
    case IndicatorUnit::kIndex:
      return "index";
  }
  return "";
}

std::string_view EntityKindId(EntityKind kind) {
  switch (kind) {
    case EntityKind::kCluster:
      return "cluster";
    case EntityKind::kZone:
      return "zone";
    case EntityKind::kRegion:
      return "region";
    case EntityKind::kCountry:
      return "country";
  }
  return "";
}

std::string_view NullReasonId(NullReason reason) {
  switch (reason) {
    case NullReason::kNone:
      return "";
    case NullReason::kNoFirms:
      return "no_firms";
    case NullReason::kNotReported:
      return "not_reported";
    case NullReason::kZeroDenominator:
      return "zero_denominator";
    case NullReason::kNoBaseYear:
      return "no_base_year";
    case NullReason::kNotApplicable:
    case NullReason::kNoRuleSet:
      return "not_applicable";
    case NullReason::kOverflow:
      return "overflow";
  }
  return "";
}

std::string_view DirectionId(IndicatorDirection direction) {
  switch (direction) {
    case IndicatorDirection::kMore:
      return "more";
    case IndicatorDirection::kLess:
      return "less";
    case IndicatorDirection::kNeutral:
      break;
  }
  return "neutral";
}

std::string_view NullReasonText(NullReason reason, Lang lang) {
  switch (reason) {
    case NullReason::kNone:
      return "";
    case NullReason::kNoFirms:
      return Pick(lang, "当年没有企业", "no firms that year");
    case NullReason::kNotReported:
      return Pick(lang, "所需数据未报送", "the figures needed were not reported");
    case NullReason::kZeroDenominator:
      return Pick(lang, "分母为零", "the denominator is zero");
    case NullReason::kNoBaseYear:
      return Pick(lang, "缺少比较年份的数据", "no data for the base year");
    case NullReason::kNotApplicable:
      return Pick(lang, "仅适用于集群", "defined for clusters only");
    case NullReason::kNoRuleSet:
      return Pick(lang, "当年无适用的评价办法（科技型中小企业评价自2017年起）",
                  "no rule set in force that year (the technology-based SME evaluation scheme began in 2017)");
    case NullReason::kOverflow:
      return Pick(lang, "合计超出可精确计算的范围", "a total is too large to add up exactly");
  }
  return "";
}

std::optional<double> IndicatorValue::AsDouble() const {
  if (real) return real;
  if (!integer) return std::nullopt;
  if (indicator != nullptr && indicator->unit == IndicatorUnit::kYuan) return static_cast<double>(*integer) / 100.0;
  return static_cast<double>(*integer);
}

namespace {
constexpr std::string_view kOutsideScopeId = "indicators.outside_scope";
}  // namespace

bool OutsideScope(const Status& s) { return s.id() == kOutsideScopeId; }

namespace {
// A scoped data set holds some firms and some years: a question it cannot answer exactly (another
// entity, a region, the nation, a year whose look-back it lacks) would come out as wrong numbers,
// not as an error, so it is refused here. The callers choose the scope; this is their mistake.
Status CheckWithinScope(const Dataset& data, const IndicatorRequest& request) {
  const auto refuse = [](const std::string& what) {
    return Status::Internal("indicators: " + what + " is outside the data set loaded for this question")
        .WithId(std::string(kOutsideScopeId));
  };
  if (data.window && (request.first_year != data.window->second || request.last_year != data.window->second)) {
    return refuse(fmt::format("{}–{}", request.first_year, request.last_year));
  }
  if (!data.scope) return Status::Ok();
  const DataScope& scope = *data.scope;
  if ((scope.first_year != 0 && request.first_year - kLookbackYears < scope.first_year) ||
      (scope.last_year != 0 && request.last_year > scope.last_year)) {
    return refuse(fmt::format("{}–{}", request.first_year, request.last_year));
  }
  for (const EntityRef& e : request.entities) {
    const std::vector<std::string>* held = e.kind == EntityKind::kCluster ? &scope.clusters
                                           : e.kind == EntityKind::kZone  ? &scope.zones
                                                                          : nullptr;
    if (held == nullptr || !std::binary_search(held->begin(), held->end(), e.id)) {
      return refuse(fmt::format("{} {}", EntityKindId(e.kind), e.id));
    }
  }
  return Status::Ok();
}
}  // namespace

Result<std::vector<IndicatorValue>> ComputeIndicators(const Dataset& data, const IndicatorRequest& request) {
  std::vector<const Entry*> chosen;
  if (request.only.empty()) {
    for (const Entry& e : indicators::Entries()) chosen.push_back(&e);
  } else {
    for (const std::string& id : request.only) {
      const Entry* found = nullptr;
      for (const Entry& e : indicators::Entries()) {
        if (e.info.id == id) found = &e;
      }
      if (found == nullptr) return Status::NotFound(fmt::format("no indicator \"{}\" (see `indicators --list`)", id));
      chosen.push_back(found);
    }
  }
  if (request.lq_measure != "employees" && request.lq_measure != "gross_output" &&
      request.lq_measure != "value_added") {
    return Status::InvalidInput("the location-quotient measure is employees, gross_output or value_added, not " +
                                request.lq_measure);
  }
  // A year outside 1900–2100 is refused here, where it enters the engine, and not left to
  // overflow the year loop below.
  CS_RETURN_IF_ERROR(CheckYearRange(request.first_year, request.last_year, "year"));
  CS_RETURN_IF_ERROR(CheckWithinScope(data, request));
  Engine engine(data, request.lq_measure);
  std::vector<Resolved> entities;
  for (const EntityRef& ref : request.entities) {
    CS_ASSIGN_OR_RETURN(Resolved r, engine.Resolve(ref));
    entities.push_back(std::move(r));
  }
  std::span<const IndicatorInfo> catalogue = IndicatorCatalogue();
  const size_t years = static_cast<size_t>(std::max(0, request.last_year - request.first_year + 1));
  const size_t per_entity = years * chosen.size();
  std::vector<IndicatorValue> out(entities.size() * per_entity);
  // Entities are independent: each thread takes the next one and has its own engine (caches).
  std::atomic<size_t> next{0};
  auto work = [&]() {
    Engine local(data, request.lq_measure);
    for (size_t taken; (taken = next.fetch_add(1)) < entities.size();) {
      // Last first: requests list clusters, zones, regions, then the country, so the largest
      // entities start early and no thread is left with one big entity at the end.
      const size_t slot = entities.size() - 1 - taken;
      const Resolved& e = entities[slot];
      // A zone shares its cache slot with the zone that its clusters compare against.
      size_t cache_slot = e.ref.kind == EntityKind::kZone ? Engine::kZoneSlotBase + static_cast<size_t>(e.zone) : slot;
      IndicatorValue* v = out.data() + slot * per_entity;
      for (int year = request.first_year; year <= request.last_year; ++year) {
        Context c = local.MakeContext(e, cache_slot, year);
        for (const Entry* entry : chosen) {
          v->entity = e.ref;
          v->entity_name = e.name;
          v->year = year;
          v->indicator = &catalogue[static_cast<size_t>(entry - indicators::Entries().data())];
          if (entry->info.clusters_only && e.ref.kind != EntityKind::kCluster) {
            v->reason = NullReason::kNotApplicable;
            v->coverage = 0;
          } else {
            // A total that overflowed while this value was computed makes it null, never wrong.
            indicators::ClearOverflow();
            entry->compute(c, *v);
            if (indicators::Overflowed()) {
              v->integer.reset();
              v->real.reset();
              v->reason = NullReason::kOverflow;
            }
          }
          ++v;
        }
      }
      local.Forget(cache_slot);
    }
  };
  // Read once: glibc answers hardware_concurrency() from /sys each time (13% of a server's
  // computed answer, perf).
  static const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  size_t threads = std::min<size_t>(cores, entities.size());
  if (threads <= 1 || entities.size() * years < 8) {
    work();
  } else {
    std::vector<std::jthread> pool;
    for (size_t i = 1; i < threads; ++i) pool.emplace_back(work);
    work();
  }
  return out;
}

std::vector<EntityRef> AllEntities(const Dataset& data, EntityKind kind) {
  std::vector<EntityRef> out;
  switch (kind) {
    case EntityKind::kCluster:
      for (const ClusterInfo& c : data.clusters) out.push_back({kind, c.id});
      break;
    case EntityKind::kZone:
      for (const ZoneInfo& z : data.zones) out.push_back({kind, z.id});
      break;
    case EntityKind::kRegion: {
      std::vector<int> provinces;
      for (const FirmInfo& f : data.firms) provinces.push_back(f.region / 10000 * 10000);
      std::sort(provinces.begin(), provinces.end());
      provinces.erase(std::unique(provinces.begin(), provinces.end()), provinces.end());
      for (int p : provinces) out.push_back({kind, fmt::format("{:06}", p)});
      break;
    }
    case EntityKind::kCountry:
      out.push_back({kind, ""});
      break;
  }
  return out;
}

std::vector<int> ReportYears(const Dataset& data) {
  std::vector<int> years;
  for (const YearTable& t : data.years) years.push_back(t.year);
  return years;
}

}  // namespace clusterscope
