// The encoding of one column of the columnar report snapshot (docs/storage.md, "report_columns"):
// integers stored as (value / scale) in the narrowest signed width that holds them all, with a
// presence bitmap when some rows have no value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"

namespace clusterscope::store {

// Builds one encoded column value by value. The scale is the greatest common divisor of the
// values so far and the width grows as needed; both changes re-encode what was stored (rarely:
// each at most a few times per column).
class ColumnBuilder {
 public:
  void Append(int64_t v);
  void AppendNull();
  size_t size() const { return rows_; }
  // The blob: [width:1][flags:1][scale:8][presence bitmap: 8 × ceil(n/64), if flags & 1][n × width].
  std::string Finish() const;

 private:
  void Store(int64_t q);
  void Rewrite(int width, uint64_t factor);
  int64_t Load(size_t row) const;

  size_t rows_ = 0;
  int width_ = 1;
  uint64_t scale_ = 0;  // 0 while every value is 0
  bool any_null_ = false;
  std::vector<uint64_t> present_;
  std::string data_;
};

// Decodes `blob` (of `rows` values) into out[0..rows): value, or 0 where absent; sets `bit` in
// present[r] for the rows that have a value. kEnvironment when the blob is malformed.
Status DecodeColumn(std::string_view blob, size_t rows, int64_t* out, uint64_t* present, uint64_t bit);

}  // namespace clusterscope::store
