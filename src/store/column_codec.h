// The encoding of one column of the columnar report snapshot (docs/storage.md, "report_columns"):
// blocks of up to 1,024 integers, each stored as (value / scale) in the narrowest signed width
// that holds the block (scale 100,000, 1,000, 100 or 1, the largest dividing the whole block), with one presence bitmap
// for the column when some rows have no value.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope::store {

inline constexpr size_t kColumnBlockRows = 1024;
// The blob's first byte.
inline constexpr char kHasNulls = 1;     // a presence bitmap follows
inline constexpr char kHasChecksum = 2;  // the last 8 bytes are BlobChecksum of all before them

// The checksum a blob ends with.
uint64_t BlobChecksum(std::string_view bytes);

// Builds one encoded column value by value.
class ColumnBuilder {
 public:
  void Append(int64_t v) {
    if (rows_ % 64 == 0) present_.push_back(0);
    present_.back() |= uint64_t{1} << (rows_ % 64);
    ++rows_;
    block_[in_block_++] = v;
    if (in_block_ == kColumnBlockRows) Flush();
  }
  void AppendNull() {
    if (rows_ % 64 == 0) present_.push_back(0);
    any_null_ = true;
    ++rows_;
    block_[in_block_++] = 0;
    if (in_block_ == kColumnBlockRows) Flush();
  }
  size_t size() const { return rows_; }
  // The blob: [flags: 1 byte][presence bitmap: 8 × ceil(n/64) bytes, if flags & kHasNulls], then
  // each block of up to 1,024 rows: [width: 1 byte][scale: int64][rows × width bytes], then
  // [checksum: uint64] (flags & kHasChecksum; always set since the checksum was introduced).
  std::string Finish();

 private:
  void Flush();

  size_t rows_ = 0;
  bool any_null_ = false;
  std::vector<uint64_t> present_;
  std::array<int64_t, kColumnBlockRows> block_{};
  size_t in_block_ = 0;
  std::string data_;
};

// Decodes `blob` (of `rows` values) into out[0..rows): value, or 0 where absent; sets `bit` in
// present[r] for the rows that have a value (a null `present`: not asked). kEnvironment when the blob is malformed,
// fails its checksum or has none.
Status DecodeColumn(std::string_view blob, size_t rows, int64_t* out, uint64_t* present, uint64_t bit);
// The same into a ScaledColumn (store.h) — exactly what ScaledColumnOf(the decoded values) gives,
// without the int64 copy: the column's scale is the smallest of its blocks' scales. A null
// `present` leaves presence to the caller (PresenceBits, then SetPresenceRows for every column
// at once: one pass writing each row's bits instead of one read-modify-write pass a column).
Status DecodeScaledColumn(std::string_view blob, size_t rows, ScaledColumn& out, uint64_t* present, uint64_t bit);
// The presence bitmap of a blob DecodeScaledColumn or DecodeColumn accepted: bit r%64 of the
// little-endian word r/64 set when row r has a value; nullptr when every row has one.
const char* PresenceBits(std::string_view blob);
// present[r - from] for the rows [from, to) (from a multiple of 64): bit k set when column k's
// bitmap (bits[k], nullptr: every row) has row r.
void SetPresenceRows(const std::vector<const char*>& bits, size_t from, size_t to, uint64_t* present);
// Decodes only the rows `rows_wanted[0..n)` (ascending, each < rows) of `blob`: out[i] is row
// rows_wanted[i]'s value (0 where absent), and `bit` is set in present[i] when it has one. The
// whole blob is checked (checksum, block headers) as DecodeColumn checks it.
Status DecodeColumnRows(std::string_view blob, size_t rows, const uint32_t* rows_wanted, size_t n, int64_t* out,
                        uint64_t* present, uint64_t bit);
// The same rows into a ScaledColumn: out.narrow[i] (or out.wide, keyed by i) holds row
// rows_wanted[i]'s value; out.scale is the smallest scale of the blocks those rows lie in (it
// divides each of their values, though a larger one may too: the values are what DecodeColumn
// gives, their representation may differ from ScaledColumnOf's).
Status DecodeScaledColumnRows(std::string_view blob, size_t rows, const uint32_t* rows_wanted, size_t n,
                              ScaledColumn& out, uint64_t* present, uint64_t bit);
// The ScaledColumn of `values` (0 where absent): the reference DecodeScaledColumn is tested against.
ScaledColumn ScaledColumnOf(const std::vector<int64_t>& values);

}  // namespace clusterscope::store
