// The snapshot's column encoding round-trips every value and null, and picks narrow widths.
#include <gtest/gtest.h>

#include <cstring>

#include <algorithm>
#include <climits>
#include <optional>
#include <random>

#include <fmt/format.h>

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
  // Straight into the engine's 4-byte form: exactly what narrowing the decoded values gives.
  ScaledColumn scaled;
  std::vector<uint64_t> scaled_present(in.size(), 0);
  ASSERT_TRUE(DecodeScaledColumn(blob, in.size(), scaled, scaled_present.data(), uint64_t{1} << 5).ok());
  const ScaledColumn expected = ScaledColumnOf(out);
  EXPECT_EQ(scaled.scale, expected.scale);
  EXPECT_EQ(scaled.narrow, expected.narrow);
  EXPECT_EQ(scaled.wide, expected.wide);
  EXPECT_EQ(scaled_present, present);
  EXPECT_FALSE(DecodeScaledColumn(blob, in.size() + 1, scaled, scaled_present.data(), 1).ok());
  // Only some rows (a scoped read): each the value and presence the whole decode gives.
  std::mt19937 rng(static_cast<unsigned>(in.size()));
  for (int pick = 0; pick < 4; ++pick) {
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < in.size(); ++i) {
      if (pick == 1 || (pick == 2 && i % 3 == 1) || (pick == 3 && rng() % 5 == 0))
        rows.push_back(static_cast<uint32_t>(i));
    }
    SCOPED_TRACE(fmt::format("pick {}: {} rows", pick, rows.size()));
    std::vector<int64_t> some(rows.size(), 42);
    std::vector<uint64_t> some_present(rows.size(), 0);
    ASSERT_TRUE(
        DecodeColumnRows(blob, in.size(), rows.data(), rows.size(), some.data(), some_present.data(), uint64_t{1} << 5)
            .ok());
    for (size_t k = 0; k < rows.size(); ++k) {
      EXPECT_EQ(some[k], out[rows[k]]) << rows[k];
      EXPECT_EQ(some_present[k], present[rows[k]]) << rows[k];
    }
    EXPECT_FALSE(
        DecodeColumnRows(blob, in.size() + 1, rows.data(), rows.size(), some.data(), some_present.data(), 1).ok());
    // Into the 4-byte form: the same values, at a scale that divides them.
    ScaledColumn part;
    std::vector<uint64_t> part_present(rows.size(), 0);
    ASSERT_TRUE(
        DecodeScaledColumnRows(blob, in.size(), rows.data(), rows.size(), part, part_present.data(), uint64_t{1} << 5)
            .ok());
    ASSERT_EQ(part.narrow.size(), rows.size());
    EXPECT_EQ(part_present, some_present);
    for (size_t k = 0; k < rows.size(); ++k) {
      int64_t v = int64_t{part.narrow[k]} * part.scale;
      if (part.narrow[k] == ScaledColumn::kWide) {
        auto it = std::find_if(part.wide.begin(), part.wide.end(), [&](const auto& w) { return w.first == k; });
        ASSERT_NE(it, part.wide.end()) << k;
        v = it->second;
      }
      EXPECT_EQ(v, some[k]) << rows[k];
      EXPECT_EQ(some[k] % part.scale, 0) << rows[k];
    }
  }
  if (!in.empty()) {
    const uint32_t past = static_cast<uint32_t>(in.size());  // a wanted row after the last is refused
    int64_t v = 0;
    uint64_t p = 0;
    EXPECT_FALSE(DecodeColumnRows(blob, in.size(), &past, 1, &v, &p, 1).ok());
  }
}

TEST(ColumnCodec, Empty) { RoundTrip({}); }

TEST(ColumnCodec, ZerosAndNulls) { RoundTrip({0, std::nullopt, 0, 0, std::nullopt}); }

TEST(ColumnCodec, ScaleAndWidthPerBlock) {
  size_t size = 0;
  // Money in fen from 千元: multiples of 100,000 fit one byte each.
  std::vector<std::optional<int64_t>> v;
  for (int i = 0; i < 2000; ++i) v.emplace_back(int64_t{i % 201 - 100} * 100000);
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + 2 * 9 + v.size() + 8);  // + the checksum
  // One wide value widens only its own block; a null adds the bitmap.
  v.emplace_back(int64_t{123456789} * 100000);
  v.emplace_back(7);
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + 2 * 9 + 1024 + (2002 - 1024) * 8 + 8);
  v[5] = std::nullopt;
  RoundTrip(v, &size);
  EXPECT_EQ(size, 1 + (2002 + 63) / 64 * 8 + 2 * 9 + 1024 + (2002 - 1024) * 8 + 8);
}

// Issue 9 #6: any changed byte, a blob from before checksums, or an impossible scale is refused.
TEST(ColumnCodec, DamagedBlobIsRefused) {
  ColumnBuilder b;
  for (int i = 0; i < 3000; ++i) {
    if (i % 7 == 0) {
      b.AppendNull();
    } else {
      b.Append(int64_t{i} * 1000);
    }
  }
  const std::string blob = b.Finish();
  std::vector<int64_t> out(3000);
  std::vector<uint64_t> present(3000);
  ASSERT_TRUE(DecodeColumn(blob, 3000, out.data(), present.data(), 1).ok());
  for (size_t at = 0; at < blob.size(); at += 97) {
    std::string bad = blob;
    bad[at] = static_cast<char>(bad[at] ^ 0x10);
    EXPECT_FALSE(DecodeColumn(bad, 3000, out.data(), present.data(), 1).ok()) << "byte " << at;
  }
  std::string unsummed = blob.substr(0, blob.size() - 8);
  unsummed[0] = static_cast<char>(unsummed[0] & ~kHasChecksum);
  EXPECT_FALSE(DecodeColumn(unsummed, 3000, out.data(), present.data(), 1).ok());
  // A scale the builder never writes, with a checksum that matches: refused, not multiplied.
  std::string scaled = blob.substr(0, blob.size() - 8);
  const size_t first_block = 1 + (3000 + 63) / 64 * 8;
  const int64_t huge = INT64_MAX / 3;
  std::memcpy(scaled.data() + first_block + 1, &huge, 8);
  const uint64_t sum = BlobChecksum(scaled);
  scaled.append(reinterpret_cast<const char*>(&sum), 8);
  EXPECT_FALSE(DecodeColumn(scaled, 3000, out.data(), present.data(), 1).ok());
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
