#include "clusterscope/years.h"

#include <fmt/format.h>

namespace clusterscope {

Status CheckYearRange(int first, int last, std::string_view what) {
  if (first < kMinYear || last > kMaxYear || first > kMaxYear || last < kMinYear) {
    return Status::Usage(fmt::format("{}: years run from {} to {}, not {}", what, kMinYear, kMaxYear,
                                     first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last)))
        .WithId("year.range");
  }
  if (first > last) {
    return Status::Usage(fmt::format("{}: the range {}-{} runs backwards", what, first, last)).WithId("year.range");
  }
  return Status::Ok();
}

}  // namespace clusterscope
