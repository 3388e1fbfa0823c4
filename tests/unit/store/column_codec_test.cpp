// The snapshot's column encoding round-trips every value and null, and picks narrow widths.
#include <gtest/gtest.h>

#include <climits>
#include <optional>
#include <random>

#include "store/column_codec.h"

namespace clusterscope::store {
namespace {

void RoundTrip(const std::vector<std::optional<int64_t>>& in, size_t* encoded_size = nullptr) {
  SCOPED_TRACE(in.size());
  ColumnBuilder b;
  for (const auto& v : in) {
    if (v) {
      b.Append(*v);
    } else {
      b.AppendNull();
    }
  }
  ASSERT_EQ(b.size(), in.size());
  std::string blob = b.Finish();
  if (encoded_size != nullptr) *encoded_size = blob.size();
  std::vector<int64_t> out(in.size(), 42);
  std::vector<uint64_t> present(in.size(), 0);
  ASSERT_TRUE(DecodeColumn(blob, in.size(), out.data(), present.data(), uint64_t{1} << 5).ok());
  for (size_t i = 0; i < in.size(); ++i) {
    EXPECT_EQ(out[i], in[i].value_or(0)) << i;
    EXPECT_EQ(present[i], in[i] ? uint64_t{1} << 5 : 0) << i;
  }
  EXPECT_FALSE(DecodeColumn(blob, in.size() + 1, out.data(), present.data(), 1).ok());
}

TEST(ColumnCodec, Empty) { RoundTrip({}); }

TEST(ColumnCodec, ZerosAndNulls) { RoundTrip({0, std::nullopt, 0, 0, std::nullopt}); }

TEST(ColumnCodec, ScaleAndWidthPerBlock) {
  size_t size = 0;
  // Money in fen from 千元: multiples of 100,000 fit one byte each.
  std::vector<std::optional<int64_t>> v;
  for (int i = 0; i < 2000; ++i) v.emplace_back(int64_t{i % 201 - 100} * 100000);
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + 2 * 9 + v.size());
  // One wide value widens only its own block; a null adds the bitmap.
  v.emplace_back(int64_t{123456789} * 100000);
  v.emplace_back(7);
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + 2 * 9 + 1024 + (2002 - 1024) * 8);
  v[5] = std::nullopt;
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + (2002 + 63) / 64 * 8 + 2 * 9 + 1024 + (2002 - 1024) * 8);
}

TEST(ColumnCodec, Extremes) { RoundTrip({INT64_MAX, INT64_MIN, 0, -1, 1, INT64_MIN + 1, std::nullopt, INT32_MIN}); }

TEST(ColumnCodec, Random) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::optional<int64_t>> v;
    int shift = static_cast<int>(rng() % 62);
    int64_t unit = int64_t{1} << (rng() % 20);
    for (int i = 0; i < 3000; ++i) {
      if (rng() % 7 == 0) {
        v.emplace_back(std::nullopt);
      } else {
        auto x = static_cast<int64_t>(rng() >> (63 - shift / 2)) - (int64_t{1} << (shift / 2 - (shift >= 2 ? 1 : 0)));
        v.emplace_back(x / unit * unit);
      }
    }
    RoundTrip(v);
  }
}

}  // namespace
}  // namespace clusterscope::store
