// The years clusterscope accepts anywhere a year is asked for (cli.md: 1900–2100). One range for
// the CLI's flags and for every library call that takes a year, so a huge year is refused where
// it enters instead of overflowing a loop further down.
#pragma once

#include <string_view>

#include "clusterscope/status.h"

namespace clusterscope {

inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2100;

// kUsage naming `what` (e.g. "--year") unless kMinYear ≤ first ≤ last ≤ kMaxYear.
Status CheckYearRange(int first, int last, std::string_view what);
inline Status CheckYear(int year, std::string_view what) { return CheckYearRange(year, year, what); }

}  // namespace clusterscope
