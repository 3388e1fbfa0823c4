#include "store/column_codec.h"

#include <bit>
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
void DecodeAs(const char* src, size_t rows, int64_t scale, int64_t* out) {
  for (size_t r = 0; r < rows; ++r) {
    T x;
    std::memcpy(&x, src + r * sizeof(T), sizeof(T));
    out[r] = static_cast<int64_t>(x) * scale;
  }
}

int64_t LoadAt(const std::string& data, int width, size_t row) {
  const char* p = data.data() + row * static_cast<size_t>(width);
  switch (width) {
    case 1: {
      int8_t x;
      std::memcpy(&x, p, 1);
      return x;
    }
    case 2: {
      int16_t x;
      std::memcpy(&x, p, 2);
      return x;
    }
    case 4: {
      int32_t x;
      std::memcpy(&x, p, 4);
      return x;
    }
    default: {
      int64_t x;
      std::memcpy(&x, p, 8);
      return x;
    }
  }
}

}  // namespace

int64_t ColumnBuilder::Load(size_t row) const { return LoadAt(data_, width_, row); }

void ColumnBuilder::Store(int64_t q) {
  char buf[8];
  switch (width_) {
    case 1: {
      auto x = static_cast<int8_t>(q);
      std::memcpy(buf, &x, 1);
      break;
    }
    case 2: {
      auto x = static_cast<int16_t>(q);
      std::memcpy(buf, &x, 2);
      break;
    }
    case 4: {
      auto x = static_cast<int32_t>(q);
      std::memcpy(buf, &x, 4);
      break;
    }
    default:
      std::memcpy(buf, &q, 8);
      break;
  }
  data_.append(buf, static_cast<size_t>(width_));
}

// Re-encodes every stored value multiplied by `factor` at `width`.
void ColumnBuilder::Rewrite(int width, uint64_t factor) {
  std::string old;
  old.swap(data_);
  int old_width = width_;
  width_ = width;
  data_.reserve(rows_ * static_cast<size_t>(width));
  for (size_t r = 0; r < rows_; ++r) Store(LoadAt(old, old_width, r) * static_cast<int64_t>(factor));
}

void ColumnBuilder::Append(int64_t v) {
  if (v != 0) {
    uint64_t m = Magnitude(v);
    if (scale_ == 0) {
      scale_ = m;
    } else if (m % scale_ != 0) {
      uint64_t g = std::gcd(scale_, m);
      uint64_t factor = scale_ / g;
      // The widest stored quotient times the factor decides the new width.
      int width = width_;
      for (size_t r = 0; r < rows_ && width < 8; ++r) {
        width = std::max(width, WidthFor(Load(r) * static_cast<int64_t>(factor)));
      }
      scale_ = g;
      Rewrite(width, factor);
    }
  }
  int64_t q = scale_ == 0 ? 0 : v / static_cast<int64_t>(scale_);
  if (int w = WidthFor(q); w > width_) Rewrite(w, 1);
  if (rows_ % 64 == 0) present_.push_back(0);
  present_.back() |= uint64_t{1} << (rows_ % 64);
  Store(q);
  ++rows_;
}

void ColumnBuilder::AppendNull() {
  if (rows_ % 64 == 0) present_.push_back(0);
  any_null_ = true;
  Store(0);
  ++rows_;
}

std::string ColumnBuilder::Finish() const {
  std::string out;
  out.reserve(10 + (any_null_ ? present_.size() * 8 : 0) + data_.size());
  out.push_back(static_cast<char>(width_));
  out.push_back(static_cast<char>(any_null_ ? 1 : 0));
  int64_t scale = scale_ == 0 ? 1 : static_cast<int64_t>(scale_);
  char buf[8];
  std::memcpy(buf, &scale, 8);
  out.append(buf, 8);
  if (any_null_) out.append(reinterpret_cast<const char*>(present_.data()), present_.size() * 8);
  out += data_;
  return out;
}

Status DecodeColumn(std::string_view blob, size_t rows, int64_t* out, uint64_t* present, uint64_t bit) {
  if (blob.size() < 10) return Status::Environment("report_columns: a column blob is truncated");
  auto width = static_cast<size_t>(static_cast<unsigned char>(blob[0]));
  bool has_nulls = (blob[1] & 1) != 0;
  int64_t scale;
  std::memcpy(&scale, blob.data() + 2, 8);
  size_t words = has_nulls ? (rows + 63) / 64 : 0;
  if ((width != 1 && width != 2 && width != 4 && width != 8) || blob.size() != 10 + words * 8 + rows * width) {
    return Status::Environment("report_columns: a column blob does not match its row count");
  }
  const char* values = blob.data() + 10 + words * 8;
  switch (width) {
    case 1:
      DecodeAs<int8_t>(values, rows, scale, out);
      break;
    case 2:
      DecodeAs<int16_t>(values, rows, scale, out);
      break;
    case 4:
      DecodeAs<int32_t>(values, rows, scale, out);
      break;
    default:
      DecodeAs<int64_t>(values, rows, scale, out);
      break;
  }
  if (!has_nulls) {
    for (size_t r = 0; r < rows; ++r) present[r] |= bit;
  } else {
    const char* bits = blob.data() + 10;
    for (size_t r = 0; r < rows; ++r) {
      uint64_t word;
      std::memcpy(&word, bits + (r / 64) * 8, 8);
      if ((word >> (r % 64)) & 1u) present[r] |= bit;
    }
  }
  return Status::Ok();
}

}  // namespace clusterscope::store
