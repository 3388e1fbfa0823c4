// The indicator catalogue: one entry per indicator — id, labels, unit, definition, formula and the
// function that computes it. The CLI (`indicators --list`), the docs (docs/indicators.md, checked
// by a test) and the API all read this table.
#include <algorithm>
#include <cmath>

#include "clusterscope/rules.h"
#include "indicators/context.h"

namespace clusterscope::indicators {
namespace {

using U = IndicatorUnit;
using D = IndicatorDirection;
constexpr int64_t kFenPerYuan = 100;
constexpr int64_t kHundredMillionFen = 100'000'000LL * kFenPerYuan;  // 1亿元
constexpr int64_t kBillionFen = 1'000'000'000LL * kFenPerYuan;       // 10亿元

bool IsMoneyField(int f) {
  switch (f) {
    case kRevenue:
    case kGrossOutput:
    case kValueAdded:
    case kNetProfit:
    case kTaxesPaid:
    case kExports:
    case kTotalAssets:
    case kTotalLiabilities:
    case kRdExpense:
    case kRdExpenseDomestic:
    case kTotalCost:
    case kHighTechRevenue:
    case kVcInvestment:
    case kNewLoans:
      return true;
    default:
      return false;
  }
}

// Sets the null reason for an entity-year with no firms; returns true when it did.
bool NoFirms(const Accumulator& a, IndicatorValue& v) {
  if (a.firms() > 0) return false;
  v.reason = NullReason::kNoFirms;
  v.coverage = 0;
  return true;
}

// The common ending of a ratio: coverage = known / firms; null when nothing was known (with
// `missing`) or the denominator is zero; else numerator / denominator × scale + offset.
void FinishRatio(IndicatorValue& v, int64_t known, int64_t firms, double numerator, double denominator,
                 NullReason missing, double scale = 1.0, double offset = 0.0) {
  v.coverage = static_cast<double>(known) / static_cast<double>(firms);
  if (known == 0) {
    v.reason = missing;
  } else if (denominator == 0) {
    v.reason = NullReason::kZeroDenominator;
  } else {
    v.real = numerator / denominator * scale + offset;
  }
}

void Total(const Context& c, IndicatorValue& v, int field) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  const auto f = static_cast<size_t>(field);
  v.coverage = static_cast<double>(a.count[f]) / static_cast<double>(a.firms());
  if (a.count[f] == 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  v.integer = a.sum[f];
}

// The ratios of totals: Σ numerators / Σ denominator over the firms that reported every part.
struct Ratio {
  int numerator;
  int numerator2;  // -1: one numerator
  int denominator;
};
enum RatioId : size_t {
  kRdIntensityRatio,
  kRdStaffRatio,
  kTechStaffRatio,
  kCollegeRatio,
  kPostgradRatio,
  kInventionPatentRatio,
  kValueAddedRateRatio,
  kLabourProductivityRatio,
  kProfitMarginRatio,
  kExportRatio,
  kDebtRatio,
  kRatioCount
};
constexpr std::array<Ratio, kRatioCount> kRatios = {{
    {kRdExpense, -1, kRevenue},
    {kRdStaff, -1, kEmployees},
    {kTechStaff, -1, kEmployees},
    {kCollegeStaff, -1, kEmployees},
    {kMasters, kPhds, kEmployees},
    {kValidInventionPatents, -1, kEmployees},
    {kValueAdded, -1, kGrossOutput},
    {kValueAdded, -1, kEmployees},
    {kNetProfit, -1, kRevenue},
    {kExports, -1, kRevenue},
    {kTotalLiabilities, -1, kTotalAssets},
}};
constexpr uint64_t MaskOf(const Ratio& q) {
  return (uint64_t{1} << q.numerator) | (q.numerator2 >= 0 ? uint64_t{1} << q.numerator2 : 0) |
         (uint64_t{1} << q.denominator);
}

// Every ratio's sums for `a` in one pass over its rows (the row list, the presence bits and each
// column read once, not once per ratio), the narrow values branch-free and the few wide ones
// after, as SumWhereReported; a ratio whose columns are dropped or hold many wide values is summed
// alone (SumWhereReported, which stops on a dropped field as YearTable::Column does).
void SumRatios(const Accumulator& a) {
  const YearTable& t = *a.table;
  a.ratio_sums.assign(kRatioCount, {0, 0, 0});
  a.ratio_overflowed = 0;
  const bool was_flagged = overflow_flag;
  uint64_t fused = 0;  // bit i: ratio i goes in the one pass
  for (size_t i = 0; i < kRatioCount; ++i) {
    const Ratio& q = kRatios[i];
    if ((t.dropped & MaskOf(q)) != 0) continue;
    size_t wide = t.column[static_cast<size_t>(q.numerator)].wide().size() +
                  t.column[static_cast<size_t>(q.denominator)].wide().size() +
                  (q.numerator2 >= 0 ? t.column[static_cast<size_t>(q.numerator2)].wide().size() : 0);
    if (FewWide(wide, a.rows.size())) fused |= uint64_t{1} << i;
  }
  // [i][0] rows, [1] Σ narrow numerator, [2] Σ narrow second numerator, [3] Σ narrow denominator.
  std::array<std::array<int64_t, 4>, kRatioCount> acc{};
  std::array<const int32_t*, kFieldCount> x{};
  for (const Ratio& q : kRatios) {
    for (int f : {q.numerator, q.numerator2, q.denominator}) {
      if (f >= 0 && (t.dropped >> f & 1u) == 0) x[static_cast<size_t>(f)] = t.column[static_cast<size_t>(f)].narrow();
    }
  }
  const uint64_t* present = t.present.data();
  const auto add = [&](size_t r) {
    const uint64_t p = present[r];
#pragma GCC unroll 16
    for (size_t i = 0; i < kRatioCount; ++i) {
      if (((fused >> i) & 1u) == 0) continue;
      const Ratio& q = kRatios[i];
      const uint64_t mask = MaskOf(q);
      const int64_t ok = (p & mask) == mask ? -1 : 0;
      acc[i][0] -= ok;
      acc[i][1] += x[static_cast<size_t>(q.numerator)][r] & ok;
      if (q.numerator2 >= 0) acc[i][2] += x[static_cast<size_t>(q.numerator2)][r] & ok;
      acc[i][3] += x[static_cast<size_t>(q.denominator)][r] & ok;
    }
  };
  const RowSet set(a.rows);
  if (fused != 0) set.ForEach(add);
  for (size_t i = 0; i < kRatioCount; ++i) {
    const Ratio& q = kRatios[i];
    overflow_flag = false;
    std::array<int64_t, 3>& out = a.ratio_sums[i];
    if (((fused >> i) & 1u) == 0) {
      if ((t.dropped & MaskOf(q)) != 0) continue;  // never read: RatioOfTotals stops on it first
      if (q.numerator2 < 0) {
        const auto s = SumWhereReported<2>(t, a.rows, MaskOf(q), {&t.column[q.numerator], &t.column[q.denominator]});
        out = {s.rows, s.sum[0], s.sum[1]};
      } else {
        const auto s = SumWhereReported<3>(t, a.rows, MaskOf(q),
                                           {&t.column[q.numerator], &t.column[q.numerator2], &t.column[q.denominator]});
        out = {s.rows, CheckedAdd(s.sum[0], s.sum[1]), s.sum[2]};
      }
    } else {
      // Each part's total from its narrow sum (ExactTotal).
      bool overflowed = false;
      const auto total = [&](int f, int64_t narrow) {
        const auto summed = [&](size_t r) { return (present[r] & MaskOf(q)) == MaskOf(q) && set.Holds(r); };
        return ExactTotal(t.column[static_cast<size_t>(f)], narrow, summed, overflowed);
      };
      int64_t num = total(q.numerator, acc[i][1]);
      if (q.numerator2 >= 0) overflowed |= __builtin_add_overflow(num, total(q.numerator2, acc[i][2]), &num);
      out = {acc[i][0], num, total(q.denominator, acc[i][3])};
      if (overflowed) overflow_flag = true;
    }
    if (overflow_flag) a.ratio_overflowed |= uint64_t{1} << i;
  }
  overflow_flag = was_flagged;
}

// Σ(numerators) / Σ(denominator) × scale over the firms that reported every part. Money fields
// are converted fen → yuan so that "yuan per person" comes out in yuan.
void RatioOfTotals(const Context& c, IndicatorValue& v, RatioId ratio, double scale = 1.0) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  const Ratio& q = kRatios[ratio];
  (void)a.table->Column(q.denominator);  // a dropped part stops here (YearTable::Column)
  (void)a.table->Column(q.numerator);
  if (q.numerator2 >= 0) (void)a.table->Column(q.numerator2);
  if (a.ratio_sums.empty()) SumRatios(a);
  if ((a.ratio_overflowed >> ratio) & 1u) overflow_flag = true;
  const auto [both, num, den] = a.ratio_sums[ratio];
  double n = static_cast<double>(num) / (IsMoneyField(q.numerator) ? kFenPerYuan : 1);
  double d = static_cast<double>(den) / (IsMoneyField(q.denominator) ? kFenPerYuan : 1);
  FinishRatio(v, both, a.firms(), n, d, NullReason::kNotReported, scale);
}

// Firms of the entity satisfying `pred` on their row; coverage = firms that reported `field`.
template <typename Pred>
void CountWhere(const Context& c, IndicatorValue& v, int field, Pred pred) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  int64_t n = 0;
  int64_t known = 0;
  const uint64_t* present = a.table->present.data();
  const FieldColumn& col = a.table->Column(field);
  for (int32_t row : a.rows) {
    auto r = static_cast<size_t>(row);
    int64_t has = static_cast<int64_t>((present[r] >> field) & 1u);
    known += has;
    n += has & static_cast<int64_t>(pred(col[r]));
  }
  v.coverage = static_cast<double>(known) / static_cast<double>(a.firms());
  if (known == 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  v.integer = n;
}

// value(Y) / value(Y−1) − 1, each year over its own firms.
void Growth(const Context& c, IndicatorValue& v, int field) {
  const Accumulator& cur = c.now();
  if (NoFirms(cur, v)) return;
  const Accumulator& prev = c.at(-1);
  const auto f = static_cast<size_t>(field);
  double cur_cov = static_cast<double>(cur.count[f]) / static_cast<double>(cur.firms());
  if (cur.count[f] == 0) {
    v.coverage = 0;
    v.reason = NullReason::kNotReported;
    return;
  }
  if (prev.firms() == 0 || prev.count[f] == 0) {
    v.coverage = cur_cov;
    v.reason = NullReason::kNoBaseYear;
    return;
  }
  v.coverage = std::min(cur_cov, static_cast<double>(prev.count[f]) / static_cast<double>(prev.firms()));
  if (prev.sum[f] == 0) {
    v.reason = NullReason::kZeroDenominator;
    return;
  }
  v.real = static_cast<double>(cur.sum[f]) / static_cast<double>(prev.sum[f]) - 1.0;
}

// The fields with a comparable-basis growth rate (ComparableGrowth).
constexpr std::array<int, 4> kComparableFields = {kGrossOutput, kRevenue, kValueAdded, kEmployees};

// Σ field in cur's year and in prev's (the year before) over the firms of the entity that reported
// it in both, with how many, for every field of kComparableFields in one pass: each row is matched
// with its firm's row the year before once for the four. Kept on `cur` with the overflow bits.
void SumComparable(const Context& c, const Accumulator& cur, const Accumulator& prev) {
  constexpr size_t kFields = kComparableFields.size();
  cur.comparable_sums.assign(kFields, {0, 0, 0});
  cur.comparable_overflowed = 0;
  const YearTable& now = *cur.table;
  const YearTable& before = *prev.table;
  const uint64_t* cur_present = now.present.data();
  const uint64_t* prev_present = before.present.data();
  std::array<int64_t, kFields> matched{};
  std::array<int64_t, kFields> sum_cur{};
  std::array<int64_t, kFields> sum_prev{};
  std::array<bool, kFields> overflowed{};
  if (c.kind != EntityKind::kCluster) {
    // A zone's, region's or the country's firms are the same every year: a firm of the entity
    // is in the earlier year's rows exactly when it filed that year. Look its row up instead of
    // merging (branch-free; absent values are stored as 0).
    const auto prev_slot = static_cast<size_t>(prev.table - c.data->years.data());
    const int32_t* prev_row = c.data->row_of_firm[prev_slot].data();
    const int32_t* cur_firm = now.firm.data();
    // The fields summed from their narrow values (few wide ones in either year), the rest row by row.
    std::array<const int32_t*, kFields> xc{};
    std::array<const int32_t*, kFields> xp{};
    uint64_t fast = 0;
    for (size_t k = 0; k < kFields; ++k) {
      const FieldColumn& cc = now.Column(kComparableFields[k]);
      const FieldColumn& pc = before.Column(kComparableFields[k]);
      xc[k] = cc.narrow();
      xp[k] = pc.narrow();
      if (FewWide(cc.wide().size() + pc.wide().size(), cur.rows.size())) fast |= uint64_t{1} << k;
    }
    // The fields both rows hold (0 when the firm did not file the year before).
    const auto both = [&](size_t rc, int32_t rp) -> uint64_t {
      return rp >= 0 ? cur_present[rc] & prev_present[static_cast<size_t>(rp)] : 0;
    };
    std::array<int64_t, kFields> narrow_cur{};
    std::array<int64_t, kFields> narrow_prev{};
    const auto add = [&](size_t rc) {
      const int32_t rp = prev_row[static_cast<size_t>(cur_firm[rc])];
      const uint64_t bits = both(rc, rp);
      const auto p = static_cast<size_t>(std::max(rp, 0));
      for (size_t k = 0; k < kFields; ++k) {
        const int64_t ok = -static_cast<int64_t>((bits >> kComparableFields[k]) & 1u);
        matched[k] -= ok;
        narrow_cur[k] += xc[k][rc] & ok;
        narrow_prev[k] += xp[k][p] & ok;
      }
    };
    const RowSet set(cur.rows);
    set.ForEach(add);
    // Whether row rc of cur was summed for field f.
    const auto summed = [&](size_t rc, int f) {
      return set.Holds(rc) && ((both(rc, prev_row[static_cast<size_t>(cur_firm[rc])]) >> f) & 1u) != 0;
    };
    const auto cur_slot = static_cast<size_t>(cur.table - c.data->years.data());
    const int32_t* cur_row = c.data->row_of_firm[cur_slot].data();
    for (size_t k = 0; k < kFields; ++k) {
      const int f = kComparableFields[k];
      const FieldColumn& cc = now.Column(f);
      const FieldColumn& pc = before.Column(f);
      bool& o = overflowed[k];
      if (((fast >> k) & 1u) == 0) {
        // Many wide values: row by row, exactly.
        matched[k] = 0;
        for (int32_t row : cur.rows) {
          const auto rc = static_cast<size_t>(row);
          const int32_t rp = prev_row[static_cast<size_t>(cur_firm[rc])];
          if (((both(rc, rp) >> f) & 1u) == 0) continue;
          ++matched[k];
          o |= __builtin_add_overflow(sum_cur[k], cc[rc], &sum_cur[k]);
          o |= __builtin_add_overflow(sum_prev[k], pc[static_cast<size_t>(rp)], &sum_prev[k]);
        }
        continue;
      }
      // The totals from the narrow sums (ExactTotal); a row of the year before counts when its
      // firm's row this year was summed.
      sum_cur[k] = ExactTotal(
          cc, narrow_cur[k], [&](size_t rc) { return summed(rc, f); }, o);
      const auto summed_before = [&](size_t rp) {
        const int32_t rc = cur_row[static_cast<size_t>(before.firm[rp])];
        return rc >= 0 && summed(static_cast<size_t>(rc), f);
      };
      sum_prev[k] = ExactTotal(pc, narrow_prev[k], summed_before, o);
    }
  } else {
    // A cluster's members change from year to year. Both row lists are in firm order: merge.
    size_t i = 0;
    size_t j = 0;
    while (i < cur.rows.size() && j < prev.rows.size()) {
      auto rc = static_cast<size_t>(cur.rows[i]);
      auto rp = static_cast<size_t>(prev.rows[j]);
      int32_t fc = now.firm[rc];
      int32_t fp = before.firm[rp];
      if (fc < fp) {
        ++i;
      } else if (fp < fc) {
        ++j;
      } else {
        const uint64_t bits = cur_present[rc] & prev_present[rp];
        for (size_t k = 0; k < kFields; ++k) {
          const int f = kComparableFields[k];
          if (((bits >> f) & 1u) == 0) continue;
          ++matched[k];
          overflowed[k] |= __builtin_add_overflow(sum_cur[k], now.Get(rc, f), &sum_cur[k]);
          overflowed[k] |= __builtin_add_overflow(sum_prev[k], before.Get(rp, f), &sum_prev[k]);
        }
        ++i;
        ++j;
      }
    }
  }
  for (size_t k = 0; k < kFields; ++k) {
    cur.comparable_sums[k] = {matched[k], sum_cur[k], sum_prev[k]};
    if (overflowed[k]) cur.comparable_overflowed |= uint64_t{1} << k;
  }
}

// As Growth, over the firms that belong to the entity and reported the field in both years.
void ComparableGrowth(const Context& c, IndicatorValue& v, int field) {
  const Accumulator& cur = c.now();
  if (NoFirms(cur, v)) return;
  const Accumulator& prev = c.at(-1);
  if (prev.firms() == 0) {
    v.coverage = 0;
    v.reason = NullReason::kNoBaseYear;
    return;
  }
  const auto k = static_cast<size_t>(std::find(kComparableFields.begin(), kComparableFields.end(), field) -
                                     kComparableFields.begin());
  if (cur.comparable_sums.empty()) SumComparable(c, cur, prev);
  if ((cur.comparable_overflowed >> k) & 1u) overflow_flag = true;
  const auto [matched, sum_cur, sum_prev] = cur.comparable_sums[k];
  FinishRatio(v, matched, cur.firms(), static_cast<double>(sum_cur), static_cast<double>(sum_prev),
              NullReason::kNoBaseYear, 1.0, -1.0);
}

bool NotCluster(const Context& c, IndicatorValue& v) {
  if (c.kind == EntityKind::kCluster) return false;
  v.reason = NullReason::kNotApplicable;
  v.coverage = 0;
  return true;
}

// ---- the source report's figures ----
void FirmCount(const Context& c, IndicatorValue& v) { v.integer = c.now().firms(); }

void ProducingFirmCount(const Context& c, IndicatorValue& v) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  v.integer = a.sum[kProducing];  // producing is 1/0 and always present (defaults to yes)
}

void ZoneProducingFirmShare(const Context& c, IndicatorValue& v) {
  if (NotCluster(c, v) || NoFirms(c.now(), v)) return;
  const Accumulator& zone = c.zone_acc();
  int64_t zone_producing = zone.sum[kProducing];
  if (zone_producing == 0) {
    v.reason = zone.firms() == 0 ? NullReason::kNoFirms : NullReason::kZeroDenominator;
    return;
  }
  v.real = static_cast<double>(c.now().sum[kProducing]) / static_cast<double>(zone_producing);
}

void ZoneGrossOutputShare(const Context& c, IndicatorValue& v) {
  if (NotCluster(c, v)) return;
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  const Accumulator& zone = c.zone_acc();
  if (a.count[kGrossOutput] == 0 || zone.count[kGrossOutput] == 0) {
    v.coverage = 0;
    v.reason = NullReason::kNotReported;
    return;
  }
  v.coverage = std::min(static_cast<double>(a.count[kGrossOutput]) / static_cast<double>(a.firms()),
                        static_cast<double>(zone.count[kGrossOutput]) / static_cast<double>(zone.firms()));
  if (zone.sum[kGrossOutput] == 0) {
    v.reason = NullReason::kZeroDenominator;
    return;
  }
  v.real = static_cast<double>(a.sum[kGrossOutput]) / static_cast<double>(zone.sum[kGrossOutput]);
}

// Σ `field` over the cluster's firms that reported it, in all and for those in its leading
// industries; `known` counts the reporting firms.
struct LeadingSplit {
  int64_t leading = 0;
  int64_t all = 0;
  int64_t known = 0;
};
LeadingSplit SplitByLeadingIndustry(const Context& c, const Accumulator& a, int field) {
  LeadingSplit split;
  for (int32_t row : a.rows) {
    auto r = static_cast<size_t>(row);
    if (!a.table->Has(r, field)) continue;
    ++split.known;
    int64_t x = a.table->Get(r, field);
    split.all = CheckedAdd(split.all, x);
    if (c.cluster->IsLeadingIndustryId(c.data->firm_industry[static_cast<size_t>(a.table->firm[r])]))
      split.leading = CheckedAdd(split.leading, x);
  }
  return split;
}

void LeadingIndustryVaShare(const Context& c, IndicatorValue& v) {
  if (NotCluster(c, v)) return;
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  LeadingSplit va = SplitByLeadingIndustry(c, a, kValueAdded);
  FinishRatio(v, va.known, a.firms(), static_cast<double>(va.leading), static_cast<double>(va.all),
              NullReason::kNotReported);
}

// ---- JQ-01 counts ----
int64_t HighTechFirms(const Context& c) {
  const Accumulator& a = c.now();
  if (a.high_tech_firms) return *a.high_tech_firms;
  int64_t n = 0;
  const uint8_t* valid = a.table->high_tech.data();
  RowSet(a.rows).ForEach([&](size_t r) { n += valid[r]; });
  a.high_tech_firms = n;
  return n;
}

void HighTechFirmCount(const Context& c, IndicatorValue& v) {
  if (NoFirms(c.now(), v)) return;
  v.integer = HighTechFirms(c);
}

void HighTechFirmShare(const Context& c, IndicatorValue& v) {
  if (NoFirms(c.now(), v)) return;
  v.real = static_cast<double>(HighTechFirms(c)) / static_cast<double>(c.now().firms());
}

void ListedFirmCount(const Context& c, IndicatorValue& v) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  int64_t n = 0;
  int64_t known = 0;
  for (int32_t row : a.rows) {
    int8_t listed = c.data->firm_listed[static_cast<size_t>(a.table->firm[static_cast<size_t>(row)])];
    if (listed >= 0) ++known;
    if (listed == 1) ++n;
  }
  v.coverage = static_cast<double>(known) / static_cast<double>(a.firms());
  if (known == 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  v.integer = n;
}

// ---- ratios of counts ----
void VcFirmShare(const Context& c, IndicatorValue& v) {
  IndicatorValue count = v;
  CountWhere(c, count, kVcInvestment, [](int64_t x) { return x > 0; });
  v.coverage = count.coverage;
  v.reason = count.reason;
  if (count.integer) v.real = static_cast<double>(*count.integer) / static_cast<double>(c.now().firms());
}

void VcPerFirm(const Context& c, IndicatorValue& v) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  v.coverage = static_cast<double>(a.count[kVcInvestment]) / static_cast<double>(a.firms());
  if (a.count[kVcInvestment] == 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  v.real = static_cast<double>(a.sum[kVcInvestment]) / kFenPerYuan / static_cast<double>(a.firms());
}

// Firms that qualify as technology-based SMEs; coverage is the share whose outcome could be
// determined from what they reported (the rest are undetermined, never counted either way).
void TechSmeCount(const Context& c, IndicatorValue& v) {
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  if (RuleSetInForce(RuleKind::kTechSme, c.year) == nullptr) {  // rules.md: not_applicable before 2017
    v.reason = NullReason::kNoRuleSet;
    v.coverage = 0;
    return;
  }
  const std::vector<int8_t>& outcome = c.data->tech_sme->ForSlot(*c.data, c.data->YearSlot(c.year));
  int64_t qualifies = 0;
  int64_t known = 0;
  for (int32_t row : a.rows) {
    const auto o = static_cast<Outcome>(outcome[static_cast<size_t>(row)]);
    if (o != Outcome::kUndetermined) ++known;
    if (o == Outcome::kQualifies) ++qualifies;
  }
  v.coverage = static_cast<double>(known) / static_cast<double>(a.firms());
  if (known == 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  v.integer = qualifies;
}

void RevenueCagr3y(const Context& c, IndicatorValue& v) {
  const Accumulator& cur = c.now();
  if (NoFirms(cur, v)) return;
  const Accumulator& base = c.at(-3);
  if (cur.count[kRevenue] == 0) {
    v.coverage = 0;
    v.reason = NullReason::kNotReported;
    return;
  }
  if (base.firms() == 0 || base.count[kRevenue] == 0) {
    v.reason = NullReason::kNoBaseYear;
    return;
  }
  v.coverage = std::min(static_cast<double>(cur.count[kRevenue]) / static_cast<double>(cur.firms()),
                        static_cast<double>(base.count[kRevenue]) / static_cast<double>(base.firms()));
  if (base.sum[kRevenue] <= 0 || cur.sum[kRevenue] < 0) {
    v.reason = NullReason::kZeroDenominator;
    return;
  }
  v.real = std::cbrt(static_cast<double>(cur.sum[kRevenue]) / static_cast<double>(base.sum[kRevenue])) - 1.0;
}

// ---- place ----
int MeasureField(const Context& c) {
  if (c.lq_measure == "gross_output") return kGrossOutput;
  if (c.lq_measure == "value_added") return kValueAdded;
  return kEmployees;
}

int64_t SumLeading(const Context& c, const std::unordered_map<std::string, int64_t>& by_class, int64_t* all) {
  int64_t leading = 0;
  *all = 0;
  for (const auto& [industry, x] : by_class) {
    *all = CheckedAdd(*all, ReadTotal(x));
    if (c.cluster->IsLeadingIndustry(industry)) leading = CheckedAdd(leading, x);
  }
  return leading;
}

void LocationQuotient(const Context& c, IndicatorValue& v) {
  if (NotCluster(c, v) || NoFirms(c.now(), v)) return;
  if (c.zone < 0) {
    v.reason = NullReason::kNotReported;
    return;
  }
  int province = c.data->zones[static_cast<size_t>(c.zone)].region / 10000;
  int64_t region_all = 0;
  int64_t nation_all = 0;
  int64_t region_leading = SumLeading(c, c.measure_by_industry(province), &region_all);
  int64_t nation_leading = SumLeading(c, c.measure_by_industry(0), &nation_all);
  if (region_all == 0 || nation_all == 0 || nation_leading == 0) {
    v.reason = NullReason::kZeroDenominator;
    return;
  }
  v.real = (static_cast<double>(region_leading) / static_cast<double>(region_all)) /
           (static_cast<double>(nation_leading) / static_cast<double>(nation_all));
}

// The cluster's members in its leading industries, over those industries nationally: a share
// of the same thing, so it lies in [0, 1].
void NationalShare(const Context& c, IndicatorValue& v) {
  if (NotCluster(c, v)) return;
  const Accumulator& a = c.now();
  if (NoFirms(a, v)) return;
  LeadingSplit own = SplitByLeadingIndustry(c, a, MeasureField(c));
  int64_t nation_all = 0;
  int64_t nation_leading = own.known == 0 ? 0 : SumLeading(c, c.measure_by_industry(0), &nation_all);
  FinishRatio(v, own.known, a.firms(), static_cast<double>(own.leading), static_cast<double>(nation_leading),
              NullReason::kNotReported);
}

#define CS_TOTAL(fn, field) \
  void fn(const Context& c, IndicatorValue& v) { Total(c, v, field); }
CS_TOTAL(GrossOutput, kGrossOutput)
CS_TOTAL(Employees, kEmployees)
CS_TOTAL(CollegeStaff, kCollegeStaff)
CS_TOTAL(Masters, kMasters)
CS_TOTAL(Phds, kPhds)
CS_TOTAL(Returnees, kReturnees)
CS_TOTAL(Revenue, kRevenue)
CS_TOTAL(ValueAdded, kValueAdded)
CS_TOTAL(NetProfit, kNetProfit)
CS_TOTAL(TaxesPaid, kTaxesPaid)
CS_TOTAL(Exports, kExports)
CS_TOTAL(RdExpense, kRdExpense)
CS_TOTAL(RdStaff, kRdStaff)
CS_TOTAL(TechStaff, kTechStaff)
CS_TOTAL(PatentApplications, kPatentApplications)
CS_TOTAL(InventionApplications, kInventionApplications)
CS_TOTAL(PatentGrants, kPatentGrants)
CS_TOTAL(InventionGrants, kInventionGrants)
CS_TOTAL(ValidInventionPatents, kValidInventionPatents)
CS_TOTAL(VcInvestment, kVcInvestment)
CS_TOTAL(NewLoans, kNewLoans)
#undef CS_TOTAL

void FirmsOutputOver100m(const Context& c, IndicatorValue& v) {
  CountWhere(c, v, kGrossOutput, [](int64_t x) { return x >= kHundredMillionFen; });
}
void Revenue100m1bnFirmCount(const Context& c, IndicatorValue& v) {
  CountWhere(c, v, kRevenue, [](int64_t x) { return x > kHundredMillionFen && x <= kBillionFen; });
}
void RevenueOver1bnFirmCount(const Context& c, IndicatorValue& v) {
  CountWhere(c, v, kRevenue, [](int64_t x) { return x > kBillionFen; });
}

void RdIntensity(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kRdIntensityRatio); }
void RdStaffShare(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kRdStaffRatio); }
void TechStaffShare(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kTechStaffRatio); }
void CollegeShare(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kCollegeRatio); }
void PostgradPer1000(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kPostgradRatio, 1000); }
void InventionPatentsPer10k(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kInventionPatentRatio, 10000); }
void ValueAddedRate(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kValueAddedRateRatio); }
void LabourProductivity(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kLabourProductivityRatio); }
void ProfitMargin(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kProfitMarginRatio); }
void ExportShare(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kExportRatio); }
void DebtRatio(const Context& c, IndicatorValue& v) { RatioOfTotals(c, v, kDebtRatio); }

void GrossOutputGrowth(const Context& c, IndicatorValue& v) { Growth(c, v, kGrossOutput); }
void GrossOutputGrowthComparable(const Context& c, IndicatorValue& v) { ComparableGrowth(c, v, kGrossOutput); }
void RevenueGrowth(const Context& c, IndicatorValue& v) { Growth(c, v, kRevenue); }
void RevenueGrowthComparable(const Context& c, IndicatorValue& v) { ComparableGrowth(c, v, kRevenue); }
void ValueAddedGrowth(const Context& c, IndicatorValue& v) { Growth(c, v, kValueAdded); }
void ValueAddedGrowthComparable(const Context& c, IndicatorValue& v) { ComparableGrowth(c, v, kValueAdded); }
void EmployeesGrowth(const Context& c, IndicatorValue& v) { Growth(c, v, kEmployees); }
void EmployeesGrowthComparable(const Context& c, IndicatorValue& v) { ComparableGrowth(c, v, kEmployees); }

// clang-format off
const Entry kEntries[] = {
  // The source report's figures.
  {{"firm_count", "集群企业数", "firms", U::kFirms, D::kMore, "report", "当年属于该主体且报送年报的企业数", "firms of the entity that filed a report for the year", "count(firms in Y)"}, FirmCount},
  {{"producing_firm_count", "投产企业数", "producing firms", U::kFirms, D::kMore, "report", "当年投产的企业数", "firms whose report says producing", "count(firms in Y with producing = yes)"}, ProducingFirmCount},
  {{"zone_producing_firm_share", "占园区投产企业比重", "share of the zone's producing firms", U::kShare, D::kMore, "report", "集群投产企业数占所在园区投产企业数的比重", "producing member firms over the producing firms of the cluster's zone", "producing_firm_count / producing_firm_count(zone)", true}, ZoneProducingFirmShare},
  {{"gross_output", "工业总产值", "gross industrial output", U::kYuan, D::kMore, "report", "企业工业总产值合计", "sum of the firms' gross industrial output", "Σ gross_output"}, GrossOutput},
  {{"gross_output_growth", "工业总产值同比增长", "gross output growth", U::kGrowth, D::kMore, "report", "工业总产值比上年增长，各年按当年成员计", "gross output over the previous year's, each year with its own members", "gross_output(Y) / gross_output(Y−1) − 1"}, GrossOutputGrowth},
  {{"gross_output_growth_comparable", "工业总产值同比增长(可比口径)", "gross output growth, comparable basis", U::kGrowth, D::kMore, "report", "仅计两年均属该主体且均报送产值的企业", "only firms of the entity that reported gross output in both years", "Σ gross_output(Y) / Σ gross_output(Y−1) − 1 over firms in both years"}, GrossOutputGrowthComparable},
  {{"zone_gross_output_share", "占园区工业总产值比重", "share of the zone's gross output", U::kShare, D::kMore, "report", "集群工业总产值占所在园区企业工业总产值的比重", "the cluster's gross output over that of all its zone's firms", "gross_output / gross_output(zone)", true}, ZoneGrossOutputShare},
  {{"leading_industry_va_share", "主导产业增加值占比", "leading industries' share of value added", U::kShare, D::kMore, "report", "行业属于集群主导产业的成员企业增加值占全部成员企业增加值的比重", "value added of members in the cluster's leading industries over that of all members", "Σ value_added(leading) / Σ value_added", true}, LeadingIndustryVaShare},
  {{"firms_output_over_100m", "产值过亿元企业数", "firms with output of 100 million yuan or more", U::kFirms, D::kMore, "report", "工业总产值达到1亿元的企业数", "firms with gross output ≥ 100 million yuan", "count(gross_output ≥ 1亿元)"}, FirmsOutputOver100m},
  // Cluster statistics form JQ-01.
  {{"high_tech_firm_count", "高新技术企业数", "high-tech enterprises", U::kFirms, D::kMore, "jq01", "高新技术企业证书当年有效的企业数", "firms whose high-tech certificate is valid in the year (its year and the two after)", "count(cert_year ≤ Y ≤ cert_year + 2)"}, HighTechFirmCount},
  {{"revenue_100m_1bn_firm_count", "营业收入1亿–10亿元企业数", "firms with revenue of 100 million to 1 billion yuan", U::kFirms, D::kMore, "jq01", "营业收入大于1亿元且不超过10亿元的企业数", "firms with 100 million < revenue ≤ 1 billion yuan", "count(1亿 < revenue ≤ 10亿)"}, Revenue100m1bnFirmCount},
  {{"revenue_over_1bn_firm_count", "营业收入10亿元以上企业数", "firms with revenue over 1 billion yuan", U::kFirms, D::kMore, "jq01", "营业收入超过10亿元的企业数", "firms with revenue > 1 billion yuan", "count(revenue > 10亿)"}, RevenueOver1bnFirmCount},
  {{"listed_firm_count", "上市企业数", "listed firms", U::kFirms, D::kMore, "jq01", "上市企业数", "listed firms", "count(listed)"}, ListedFirmCount},
  {{"employees", "从业人员", "employees", U::kPersons, D::kMore, "jq01", "年末从业人员合计", "employees at year end", "Σ employees"}, Employees},
  {{"tech_staff", "科技人员", "technology staff", U::kPersons, D::kMore, "jq01", "科技人员合计", "technology staff", "Σ tech_staff"}, TechStaff},
  {{"college_staff", "大专以上学历人员", "college-educated staff", U::kPersons, D::kMore, "jq01", "大专及以上学历人员合计", "staff with a college degree or higher", "Σ college_staff"}, CollegeStaff},
  {{"masters", "硕士", "master's graduates", U::kPersons, D::kMore, "jq01", "硕士学历人员合计", "staff with a master's degree", "Σ masters"}, Masters},
  {{"phds", "博士", "doctorates", U::kPersons, D::kMore, "jq01", "博士学历人员合计", "staff with a doctorate", "Σ phds"}, Phds},
  {{"returnees", "留学归国人员", "returnees from study abroad", U::kPersons, D::kMore, "jq01", "留学归国人员合计", "staff who returned from study abroad", "Σ returnees"}, Returnees},
  {{"revenue", "营业收入", "revenue", U::kYuan, D::kMore, "jq01", "营业收入合计", "operating revenue", "Σ revenue"}, Revenue},
  {{"value_added", "工业增加值", "industrial value added", U::kYuan, D::kMore, "jq01", "工业增加值合计", "industrial value added", "Σ value_added"}, ValueAdded},
  {{"net_profit", "净利润", "net profit", U::kYuan, D::kMore, "jq01", "净利润合计", "net profit", "Σ net_profit"}, NetProfit},
  {{"taxes_paid", "上缴税费", "taxes paid", U::kYuan, D::kMore, "jq01", "上缴税费合计", "taxes and fees paid", "Σ taxes_paid"}, TaxesPaid},
  {{"exports", "出口总额", "exports", U::kYuan, D::kMore, "jq01", "出口总额合计", "exports", "Σ exports"}, Exports},
  {{"rd_expense", "研发费用", "R&D expense", U::kYuan, D::kMore, "jq01", "研发费用合计", "R&D expense", "Σ rd_expense"}, RdExpense},
  {{"rd_staff", "R&D人员", "R&D staff", U::kPersons, D::kMore, "jq01", "R&D人员合计", "R&D staff", "Σ rd_staff"}, RdStaff},
  {{"patent_applications", "专利申请数", "patent applications", U::kItems, D::kMore, "jq01", "专利申请数合计", "patent applications", "Σ patent_applications"}, PatentApplications},
  {{"invention_applications", "发明专利申请数", "invention patent applications", U::kItems, D::kMore, "jq01", "发明专利申请数合计", "invention patent applications", "Σ invention_applications"}, InventionApplications},
  {{"patent_grants", "专利授权数", "patents granted", U::kItems, D::kMore, "jq01", "专利授权数合计", "patents granted", "Σ patent_grants"}, PatentGrants},
  {{"invention_grants", "发明专利授权数", "invention patents granted", U::kItems, D::kMore, "jq01", "发明专利授权数合计", "invention patents granted", "Σ invention_grants"}, InventionGrants},
  {{"valid_invention_patents", "有效发明专利数", "valid invention patents", U::kItems, D::kMore, "jq01", "有效发明专利数合计", "invention patents in force", "Σ valid_invention_patents"}, ValidInventionPatents},
  {{"vc_investment", "风险投资", "venture capital received", U::kYuan, D::kMore, "jq01", "当年获得风险投资合计", "venture capital received in the year", "Σ vc_investment"}, VcInvestment},
  {{"new_loans", "新增贷款", "new bank loans", U::kYuan, D::kMore, "jq01", "当年新增银行贷款合计", "new bank loans in the year", "Σ new_loans"}, NewLoans},
  // Derived ratios.
  {{"rd_intensity", "研发投入强度", "R&D intensity", U::kShare, D::kMore, "ratio", "研发费用占营业收入的比重", "R&D expense over revenue", "rd_expense / revenue"}, RdIntensity},
  {{"rd_staff_share", "R&D人员占比", "R&D staff share", U::kShare, D::kMore, "ratio", "R&D人员占从业人员的比重", "R&D staff over employees", "rd_staff / employees"}, RdStaffShare},
  {{"tech_staff_share", "科技人员占比", "technology staff share", U::kShare, D::kMore, "ratio", "科技人员占从业人员的比重", "technology staff over employees", "tech_staff / employees"}, TechStaffShare},
  {{"college_share", "大专以上人员占比", "college-educated share", U::kShare, D::kMore, "ratio", "大专及以上学历人员占从业人员的比重", "college-educated staff over employees", "college_staff / employees"}, CollegeShare},
  {{"postgrad_per_1000", "每千人硕博人数", "postgraduates per 1,000 employees", U::kPer1000, D::kMore, "ratio", "每千名从业人员中的硕士和博士人数", "masters and PhDs per 1,000 employees", "(masters + phds) / employees × 1000"}, PostgradPer1000},
  {{"invention_patents_per_10k", "每万人有效发明专利", "valid invention patents per 10,000 employees", U::kPer10k, D::kMore, "ratio", "每万名从业人员拥有的有效发明专利数", "valid invention patents per 10,000 employees", "valid_invention_patents / employees × 10000"}, InventionPatentsPer10k},
  {{"high_tech_firm_share", "高新技术企业占比", "high-tech enterprise share", U::kShare, D::kMore, "ratio", "高新技术企业占企业数的比重", "high-tech enterprises over firms", "high_tech_firm_count / firm_count"}, HighTechFirmShare},
  {{"value_added_rate", "工业增加值率", "value-added rate", U::kShare, D::kMore, "ratio", "工业增加值占工业总产值的比重", "value added over gross output", "value_added / gross_output"}, ValueAddedRate},
  {{"labour_productivity", "全员劳动生产率", "labour productivity", U::kYuanPerPerson, D::kMore, "ratio", "人均工业增加值", "value added per employee", "value_added / employees"}, LabourProductivity},
  {{"profit_margin", "营业收入净利率", "net profit margin", U::kShare, D::kMore, "ratio", "净利润占营业收入的比重", "net profit over revenue", "net_profit / revenue"}, ProfitMargin},
  {{"export_share", "出口占比", "export share", U::kShare, D::kNeutral, "ratio", "出口总额占营业收入的比重", "exports over revenue", "exports / revenue"}, ExportShare},
  {{"debt_ratio", "资产负债率", "debt ratio", U::kShare, D::kLess, "ratio", "负债合计占资产总计的比重", "total liabilities over total assets", "Σ total_liabilities / Σ total_assets"}, DebtRatio},
  {{"vc_firm_share", "获得风投企业占比", "share of firms with venture capital", U::kShare, D::kMore, "ratio", "当年获得风险投资的企业占企业数的比重", "firms that received venture capital over firms", "count(vc_investment > 0) / firm_count"}, VcFirmShare},
  {{"vc_per_firm", "户均风险投资", "venture capital per firm", U::kYuanPerFirm, D::kMore, "ratio", "风险投资合计除以企业数", "venture capital over firms", "vc_investment / firm_count"}, VcPerFirm},
  {{"tech_sme_count", "科技型中小企业数", "technology-based SMEs", U::kFirms, D::kMore, "ratio", "符合科技型中小企业评价条件（rules.md §2）的企业数；覆盖率为可判定的企业比重；2017年以前评价办法尚未施行，为空（not_applicable）", "firms that qualify under the technology-based SME rules (rules.md §2); coverage is the share whose outcome could be determined; null (not_applicable) before 2017, when the scheme began", "count(qualifies under rules.md §2)"}, TechSmeCount},
  // Growth.
  {{"revenue_growth", "营业收入同比增长", "revenue growth", U::kGrowth, D::kMore, "growth", "营业收入比上年增长", "revenue over the previous year's", "revenue(Y) / revenue(Y−1) − 1"}, RevenueGrowth},
  {{"revenue_growth_comparable", "营业收入同比增长(可比口径)", "revenue growth, comparable basis", U::kGrowth, D::kMore, "growth", "仅计两年均在且均报送的企业", "firms present and reporting in both years", "over firms in both years"}, RevenueGrowthComparable},
  {{"value_added_growth", "工业增加值同比增长", "value added growth", U::kGrowth, D::kMore, "growth", "工业增加值比上年增长", "value added over the previous year's", "value_added(Y) / value_added(Y−1) − 1"}, ValueAddedGrowth},
  {{"value_added_growth_comparable", "工业增加值同比增长(可比口径)", "value added growth, comparable basis", U::kGrowth, D::kMore, "growth", "仅计两年均在且均报送的企业", "firms present and reporting in both years", "over firms in both years"}, ValueAddedGrowthComparable},
  {{"employees_growth", "从业人员同比增长", "employment growth", U::kGrowth, D::kMore, "growth", "从业人员比上年增长", "employees over the previous year's", "employees(Y) / employees(Y−1) − 1"}, EmployeesGrowth},
  {{"employees_growth_comparable", "从业人员同比增长(可比口径)", "employment growth, comparable basis", U::kGrowth, D::kMore, "growth", "仅计两年均在且均报送的企业", "firms present and reporting in both years", "over firms in both years"}, EmployeesGrowthComparable},
  {{"revenue_cagr_3y", "营业收入三年复合增长率", "revenue CAGR over three years", U::kGrowth, D::kMore, "growth", "营业收入三年复合增长率，各年按当年成员计", "compound annual growth of revenue over three years", "(revenue(Y) / revenue(Y−3))^(1/3) − 1"}, RevenueCagr3y},
  // Place.
  {{"location_quotient", "区位商", "location quotient", U::kIndex, D::kMore, "place", "集群主导产业在所在省的比重除以其在全国的比重（默认按从业人员）", "the leading industries' share of the zone's province over their national share (employees by default)", "(x_leading,province / x_province) / (x_leading,nation / x_nation)", true}, LocationQuotient},
  {{"national_share", "全国占比", "national share", U::kShare, D::kMore, "place", "集群主导产业成员企业的量占全国同行业的比重（默认按从业人员）", "the measure of the cluster's members in its leading industries over those industries' national total", "x_cluster,leading / x_leading,nation", true}, NationalShare},
};
// clang-format on

}  // namespace

std::span<const Entry> Entries() { return kEntries; }

}  // namespace clusterscope::indicators
