#include "store/column_codec.h"

#include <cstring>
#include <numeric>

namespace clusterscope::store {
namespace {

uint64_t Magnitude(int64_t v) { return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v); }

int WidthFor(int64_t q) {
  if (q >= INT8_MIN && q <= INT8_MAX) return 1;
  if (q >= INT16_MIN && q <= INT16_MAX) return 2;
  if (q >= INT32_MIN && q <= INT32_MAX) return 4;
  return 8;
}

template <typename T>
void Put(std::string& out, const int64_t* q, size_t n) {
  size_t at = out.size();
  out.resize(at + n * sizeof(T));
  char* dst = out.data() + at;
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<T>(q[i]);
    std::memcpy(dst + i * sizeof(T), &x, sizeof(T));
  }
}

template <typename T>
void Get(const char* src, size_t n, int64_t scale, int64_t* out) {
  for (size_t i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, src + i * sizeof(T), sizeof(T));
    out[i] = static_cast<int64_t>(x) * scale;
  }
}

}  // namespace

void ColumnBuilder::Append(int64_t v) {
  if (rows_ % 64 == 0) present_.push_back(0);
  present_.back() |= uint64_t{1} << (rows_ % 64);
  ++rows_;
  block_[in_block_++] = v;
  if (in_block_ == kColumnBlockRows) Flush();
}

void ColumnBuilder::AppendNull() {
  if (rows_ % 64 == 0) present_.push_back(0);
  any_null_ = true;
  ++rows_;
  block_[in_block_++] = 0;
  if (in_block_ == kColumnBlockRows) Flush();
}

void ColumnBuilder::Flush() {
  if (in_block_ == 0) return;
  // The block's scale: the greatest common divisor of its values (1 when all are 0).
  uint64_t g = 0;
  for (size_t i = 0; i < in_block_ && g != 1; ++i) g = std::gcd(g, Magnitude(block_[i]));
  int64_t scale = g == 0 ? 1 : static_cast<int64_t>(g);  // 2^63 (only INT64_MIN) wraps to INT64_MIN
  int width = 1;
  for (size_t i = 0; i < in_block_; ++i) {
    block_[i] = scale == 1 ? block_[i] : block_[i] / scale;
    width = std::max(width, WidthFor(block_[i]));
  }
  data_.push_back(static_cast<char>(width));
  char buf[8];
  std::memcpy(buf, &scale, 8);
  data_.append(buf, 8);
  switch (width) {
    case 1:
      Put<int8_t>(data_, block_.data(), in_block_);
      break;
    case 2:
      Put<int16_t>(data_, block_.data(), in_block_);
      break;
    case 4:
      Put<int32_t>(data_, block_.data(), in_block_);
      break;
    default:
      Put<int64_t>(data_, block_.data(), in_block_);
      break;
  }
  in_block_ = 0;
}

std::string ColumnBuilder::Finish() {
  Flush();
  std::string out;
  out.reserve(1 + (any_null_ ? present_.size() * 8 : 0) + data_.size());
  out.push_back(static_cast<char>(any_null_ ? 1 : 0));
  if (any_null_) out.append(reinterpret_cast<const char*>(present_.data()), present_.size() * 8);
  out += data_;
  data_.clear();
  data_.shrink_to_fit();
  return out;
}

Status DecodeColumn(std::string_view blob, size_t rows, int64_t* out, uint64_t* present, uint64_t bit) {
  auto malformed = [] { return Status::Environment("report_columns: a column blob does not match its row count"); };
  if (blob.empty()) return malformed();
  bool has_nulls = (blob[0] & 1) != 0;
  size_t words = has_nulls ? (rows + 63) / 64 : 0;
  size_t at = 1 + words * 8;
  if (blob.size() < at) return malformed();
  for (size_t done = 0; done < rows;) {
    size_t n = std::min(kColumnBlockRows, rows - done);
    if (blob.size() < at + 9) return malformed();
    auto width = static_cast<size_t>(static_cast<unsigned char>(blob[at]));
    int64_t scale;
    std::memcpy(&scale, blob.data() + at + 1, 8);
    at += 9;
    if ((width != 1 && width != 2 && width != 4 && width != 8) || blob.size() < at + n * width) return malformed();
    const char* src = blob.data() + at;
    switch (width) {
      case 1:
        Get<int8_t>(src, n, scale, out + done);
        break;
      case 2:
        Get<int16_t>(src, n, scale, out + done);
        break;
      case 4:
        Get<int32_t>(src, n, scale, out + done);
        break;
      default:
        Get<int64_t>(src, n, scale, out + done);
        break;
    }
    at += n * width;
    done += n;
  }
  if (at != blob.size()) return malformed();
  if (!has_nulls) {
    for (size_t r = 0; r < rows; ++r) present[r] |= bit;
  } else {
    const char* bits = blob.data() + 1;
    for (size_t r = 0; r < rows; ++r) {
      uint64_t word;
      std::memcpy(&word, bits + (r / 64) * 8, 8);
      if ((word >> (r % 64)) & 1u) present[r] |= bit;
    }
  }
  return Status::Ok();
}

}  // namespace clusterscope::store
