// What an indicator's compute function sees: the entity, the year, and the entity's firms in that
// year (and earlier years, and its zone's, for the indicators that compare).
#pragma once

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>

#include "indicators/dataset.h"

namespace clusterscope::indicators {

struct Accumulator;

// Checked arithmetic. Totals are exact int64 (fen, persons); a sum that leaves that range raises
// this thread's overflow flag, which the engine reads after each indicator: the value becomes null
// with reason "overflow" instead of a wrapped, wrong number (issue 9 #4).
inline thread_local bool overflow_flag = false;
inline void ClearOverflow() { overflow_flag = false; }
inline bool Overflowed() { return overflow_flag; }
inline int64_t CheckedAdd(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) overflow_flag = true;
  return r;
}
inline int64_t CheckedMul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) overflow_flag = true;
  return r;
}
// For totals cached across indicators (location quotients' sums by industry): an overflow sticks
// as kSaturated, which ReadTotal turns into the flag whenever the total is used.
inline constexpr int64_t kSaturated = INT64_MIN;
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t r;
  if (a == kSaturated || __builtin_add_overflow(a, b, &r) || r == kSaturated) return kSaturated;
  return r;
}
inline int64_t ReadTotal(int64_t total) {
  if (total == kSaturated) overflow_flag = true;
  return total;
}

// An entity's rows of one year (ascending, distinct), and whether they are one run first,
// first + 1, … (the country's always, a province's where uscc order follows the region, as it
// does for most firms): loops over a run read the columns straight, without the row list.
class RowSet {
 public:
  explicit RowSet(const std::vector<int32_t>& rows)
      : rows_(rows),
        run_(!rows.empty() && static_cast<size_t>(rows.back() - rows.front()) + 1 == rows.size()),
        first_(run_ ? static_cast<size_t>(rows.front()) : 0) {}
  size_t size() const { return rows_.size(); }
  // fn(row) for every row, in order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    if (run_) {
      for (size_t r = first_, end = first_ + rows_.size(); r < end; ++r) fn(r);
    } else {
      for (int32_t row : rows_) fn(static_cast<size_t>(row));
    }
  }
  bool Holds(size_t r) const {
    return run_ ? r >= first_ && r < first_ + rows_.size()
                : std::binary_search(rows_.begin(), rows_.end(), static_cast<int32_t>(r));
  }

 private:
  const std::vector<int32_t>& rows_;
  bool run_;
  size_t first_;
};

// The exact Σ of `col` over some rows, from `narrow`, the Σ of their narrow values (a wide
// value's kWide sentinel included): each wide value of a summed row (summed(row)) put in place of
// its sentinel, then the scale. An overflow sets `overflowed`. A column with a few values too large
// for 4 bytes so keeps the branch-free narrow loop; one with many (a scale of 1 fen and large
// firms: FewWide false) is summed row by row instead.
template <typename Summed>
int64_t ExactTotal(const FieldColumn& col, int64_t narrow, Summed&& summed, bool& overflowed) {
  int64_t wide = 0;
  for (const auto& [r, value] : col.wide()) {
    if (!summed(r)) continue;
    narrow -= FieldColumn::kWide;
    overflowed |= __builtin_add_overflow(wide, value, &wide);
  }
  int64_t total = 0;
  overflowed |= __builtin_mul_overflow(narrow, col.scale(), &total);
  overflowed |= __builtin_add_overflow(total, wide, &total);
  return total;
}
// Whether columns holding `wide` values too large for 4 bytes, summed over `rows` rows, are worth
// the narrow loop and ExactTotal's corrections.
inline bool FewWide(size_t wide, size_t rows) { return wide * 8 <= rows; }

// Σ of K columns over the `rows` (ascending, distinct) of `t` that reported every field of `mask`,
// and how many such rows. Exact: an overflow of a total raises the flag. The narrow values are
// summed branch-free, a wide value's kWide sentinel with them, and each wide value of a summed
// row then replaces its sentinel — so a column with a few values too large for 4 bytes keeps the
// fast loop; one with many (a scale of 1 fen and large firms) takes the row-by-row loop.
template <size_t K>
struct ReportedSums {
  int64_t rows = 0;
  std::array<int64_t, K> sum{};
};
template <size_t K>
ReportedSums<K> SumWhereReported(const YearTable& t, const std::vector<int32_t>& rows, uint64_t mask,
                                 const std::array<const FieldColumn*, K>& cols) {
  ReportedSums<K> out;
  const uint64_t* present = t.present.data();
  size_t wide = 0;
  for (const FieldColumn* c : cols) wide += c->wide().size();
  if (!FewWide(wide, rows.size())) {
    for (int32_t row : rows) {
      const auto r = static_cast<size_t>(row);
      if ((present[r] & mask) != mask) continue;
      ++out.rows;
      for (size_t k = 0; k < K; ++k) out.sum[k] = CheckedAdd(out.sum[k], (*cols[k])[r]);
    }
    return out;
  }
  std::array<const int32_t*, K> x{};
  for (size_t k = 0; k < K; ++k) x[k] = cols[k]->narrow();
  std::array<int64_t, K> narrow{};  // Σ of fewer than 2^31 int32 values: fits
  int64_t n = 0;
  const RowSet set(rows);
  set.ForEach([&](size_t r) {
    const int64_t ok = (present[r] & mask) == mask ? -1 : 0;  // all ones or zero
    n -= ok;
    for (size_t k = 0; k < K; ++k) narrow[k] += x[k][r] & ok;
  });
  out.rows = n;
  bool overflowed = false;
  for (size_t k = 0; k < K; ++k) {
    out.sum[k] = ExactTotal(
        *cols[k], narrow[k], [&](size_t r) { return (present[r] & mask) == mask && set.Holds(r); }, overflowed);
  }
  if (overflowed) overflow_flag = true;
  return out;
}

// sum[f] / count[f] of an Accumulator: computed for field f on first use (one pass over the
// entity's rows of that column), so an entity pays only for the fields its indicators read.
class FieldTotals {
 public:
  FieldTotals(const Accumulator& owner, bool counts) : owner_(&owner), counts_(counts) {}
  inline int64_t operator[](size_t field) const;

 private:
  const Accumulator* owner_;
  bool counts_;
};

// One entity in one year: its report rows, and the per-field totals over them. Not copyable:
// the totals refer to their accumulator.
struct Accumulator {
  Accumulator() = default;
  Accumulator(const Accumulator&) = delete;
  Accumulator& operator=(const Accumulator&) = delete;

  const YearTable* table = nullptr;  // null when the dataset has no reports that year
  std::vector<int32_t> rows;         // rows of `table`, ascending (so firm order)
  FieldTotals sum{*this, false};     // Σ field over the rows that reported it
  FieldTotals count{*this, true};    // rows that reported the field

  int64_t firms() const { return preset_firms_ >= 0 ? preset_firms_ : static_cast<int64_t>(rows.size()); }

  // Totals kept by the store instead of rows (a zone a scoped load did not read, Dataset::
  // zone_totals): firms() and every field's sum and count as given, no rows.
  void Preset(const Dataset::ZoneSums& z) {
    preset_firms_ = z.reports;
    totalled_ = ~uint64_t{0};
    for (size_t f = 0; f < kFieldCount; ++f) {
      sum_[f] = z.sum[f] == INT64_MIN ? 0 : z.sum[f];
      count_[f] = z.count[f];
      if (z.sum[f] == INT64_MIN) overflowed_ |= uint64_t{1} << f;
    }
  }

  // Per-entity-year results that more than one indicator needs (high_tech_firm_count and _share).
  mutable std::optional<int64_t> high_tech_firms;
  // The ratios of totals (catalogue.cpp, kRatios), all summed in one pass over the rows on first
  // use: per ratio, the rows that reported every part, Σ numerators and Σ denominator; and the
  // ratios whose sums overflowed (bit i), raised again on every read.
  mutable std::vector<std::array<int64_t, 3>> ratio_sums;
  mutable uint64_t ratio_overflowed = 0;
  // The comparable-basis growth rates' sums (catalogue.cpp, kComparableFields), all four in one
  // pass: matched firms, Σ this year, Σ the year before; and their overflow bits.
  mutable std::vector<std::array<int64_t, 3>> comparable_sums;
  mutable uint64_t comparable_overflowed = 0;

  // Computes the totals of `field` if not done yet.
  void Total(size_t field) const {
    if ((totalled_ >> field) & 1u) return;
    totalled_ |= uint64_t{1} << field;
    if (table == nullptr) return;
    // An absent value is stored as 0, so the sum needs no presence test; the count adds the
    // field's presence bit.
    const FieldColumn& col = table->Column(static_cast<int>(field));
    const uint64_t* present = table->present.data();
    int64_t s = 0;
    int64_t n = 0;
    bool overflowed = false;
    if (FewWide(col.wide().size(), rows.size())) {
      // Σ narrow × scale, each wide value then in place of its kWide sentinel: no per-row
      // multiply or wide-value test.
      const int32_t* x = col.narrow();
      const RowSet set(rows);
      set.ForEach([&](size_t r) {
        s += x[r];
        n += static_cast<int64_t>((present[r] >> field) & 1u);
      });
      s = ExactTotal(
          col, s, [&](size_t r) { return set.Holds(r); }, overflowed);
    } else {
      for (int32_t row : rows) {
        auto r = static_cast<size_t>(row);
        overflowed |= __builtin_add_overflow(s, col[r], &s);
        n += static_cast<int64_t>((present[r] >> field) & 1u);
      }
    }
    sum_[field] = s;
    count_[field] = n;
    if (overflowed) overflowed_ |= uint64_t{1} << field;
  }

 private:
  friend class FieldTotals;
  int64_t preset_firms_ = -1;
  mutable uint64_t totalled_ = 0;
  mutable uint64_t overflowed_ = 0;  // fields whose sum left int64
  mutable std::array<int64_t, kFieldCount> sum_{};
  mutable std::array<int64_t, kFieldCount> count_{};
};

int64_t FieldTotals::operator[](size_t field) const {
  owner_->Total(field);
  if (counts_) return owner_->count_[field];
  if ((owner_->overflowed_ >> field) & 1u) overflow_flag = true;
  return owner_->sum_[field];
}

class Context {
 public:
  // Supplied by the engine.
  const Dataset* data = nullptr;
  EntityKind kind = EntityKind::kCountry;
  const ClusterInfo* cluster = nullptr;  // for clusters
  int zone = -1;                         // the entity's zone, or a cluster's zone
  int year = 0;
  std::string lq_measure = "employees";
  // The accumulator of this entity in `year + offset` (offset ≤ 0).
  std::function<const Accumulator&(int offset)> at;
  // The accumulator of the cluster's zone in `year` (clusters only).
  std::function<const Accumulator&()> zone_acc;
  // Σ measure over firms reporting it in `year`, by GB/T 4754 class, for the province with this
  // 2-digit prefix (0 = the whole country).
  std::function<const std::unordered_map<std::string, int64_t>&(int province)> measure_by_industry;

  const Accumulator& now() const { return at(0); }
};

using ComputeFn = void (*)(const Context&, IndicatorValue&);

struct Entry {
  IndicatorInfo info;
  ComputeFn compute;
};

std::span<const Entry> Entries();

}  // namespace clusterscope::indicators
