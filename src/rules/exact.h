// Exact comparisons for rule thresholds: a ratio of two integers (counts or money in fen) is held
// against a percentage without floating point, so 29.99% and 30.00% fall on the right sides.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "clusterscope/rules.h"

namespace clusterscope::rules {

// 128-bit products: money in fen squared does not fit 64 bits. (__extension__ keeps -Wpedantic quiet.)
__extension__ typedef __int128 Wide;

// a / b ≥ pct / 100, for b > 0.
inline bool RatioAtLeast(int64_t a, int64_t b, int64_t pct) {
  return static_cast<Wide>(a) * 100 >= static_cast<Wide>(pct) * b;
}

// One tier of a points table: ratios at or above `pct` percent score `points` (lower bounds
// inclusive, upper exclusive; tables run from the highest tier down).
struct Tier {
  int64_t pct;
  int points;
};

// The points of ratio a / b (b > 0) in `tiers`; 0 below the lowest tier.
inline int TierPoints(std::span<const Tier> tiers, int64_t a, int64_t b) {
  for (const Tier& t : tiers) {
    if (RatioAtLeast(a, b, t.pct)) return t.points;
  }
  return 0;
}

// "2.6%" — one decimal, trailing ".0" kept so figures line up.
std::string Percent(double fraction);
// As Percent, with as many more decimals as it takes (up to four) for a value below `bar` not to
// print as the bar itself: 4.996% against 5% is "4.996%", not "5.0%".
std::string PercentBelow(double fraction, double bar);
// Money in 万元 for Chinese text, up to two decimals: "5000万元", "12.5万元".
std::string Wan(int64_t fen);
// Money in yuan for English text: "50 million yuan", "1.2 million yuan".
std::string MillionYuan(int64_t fen);

// The rule set a call evaluates under (rules.md, "Which rule set applies"): `asked` empty is the one
// in force in `year`. Fills q.rule_set, q.what_if (and its reason) and returns the rule set; returns
// null with q holding the not_applicable result when there is none to apply.
const RuleSet* ChooseRuleSet(RuleKind kind, int year, std::string_view asked, Qualification& q);

}  // namespace clusterscope::rules
