#include "store/column_codec.h"

#include <algorithm>
#include <cstring>

#include "clusterscope/store.h"

namespace clusterscope::store {
namespace {

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

uint64_t BlobChecksum(std::string_view bytes) {
  // 8 bytes at a time, multiply-xorshift mixing (as in MurmurHash's finaliser): several GB/s, so
  // checking the whole snapshot costs little next to decoding it. It guards against a damaged
  // file, not against an adversary who can write the database anyway.
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ bytes.size();
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, bytes.data() + i, 8);
    h = (h ^ (w * 0xBF58476D1CE4E5B9ULL)) * 0x94D049BB133111EBULL;
    h ^= h >> 31;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, bytes.data() + i, bytes.size() - i);
  h = (h ^ (tail * 0xBF58476D1CE4E5B9ULL)) * 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return h;
}

namespace {

// True when every value is a multiple of S (a constant: the remainder is a multiplication).
template <int64_t S>
bool AllMultiplesOf(const int64_t* v, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (v[i] % S != 0) return false;
  }
  return true;
}

template <int64_t S>
int DivideAndWidth(int64_t* v, size_t n) {
  int width = 1;
  for (size_t i = 0; i < n; ++i) {
    v[i] /= S;
    width = std::max(width, WidthFor(v[i]));
  }
  return width;
}

}  // namespace

void ColumnBuilder::Flush() {
  if (in_block_ == 0) return;
  // The block's scale: the largest of 100,000, 1,000, 100 and 1 that divides every value (money
  // imported in 千元 is in multiples of 1,000 fen), tested with constant divisors.
  int64_t* v = block_.data();
  const size_t n = in_block_;
  int64_t scale = 1;
  int width;
  if (AllMultiplesOf<100000>(v, n)) {
    scale = 100000;
    width = DivideAndWidth<100000>(v, n);
  } else if (AllMultiplesOf<1000>(v, n)) {
    scale = 1000;
    width = DivideAndWidth<1000>(v, n);
  } else if (AllMultiplesOf<100>(v, n)) {
    scale = 100;
    width = DivideAndWidth<100>(v, n);
  } else {
    width = DivideAndWidth<1>(v, n);
  }
  data_.push_back(static_cast<char>(width));
  char buf[8];
  std::memcpy(buf, &scale, 8);
  data_.append(buf, 8);
  switch (width) {
    case 1:
      Put<int8_t>(data_, v, n);
      break;
    case 2:
      Put<int16_t>(data_, v, n);
      break;
    case 4:
      Put<int32_t>(data_, v, n);
      break;
    default:
      Put<int64_t>(data_, v, n);
      break;
  }
  in_block_ = 0;
}

std::string ColumnBuilder::Finish() {
  Flush();
  std::string out;
  out.reserve(1 + (any_null_ ? present_.size() * 8 : 0) + data_.size() + 8);
  out.push_back(static_cast<char>((any_null_ ? kHasNulls : 0) | kHasChecksum));
  if (any_null_) out.append(reinterpret_cast<const char*>(present_.data()), present_.size() * 8);
  out += data_;
  data_.clear();
  data_.shrink_to_fit();
  const uint64_t sum = BlobChecksum(out);
  char buf[8];
  std::memcpy(buf, &sum, 8);
  out.append(buf, 8);
  return out;
}

namespace {

Status Malformed() { return Status::Environment("report_columns: a column blob does not match its row count"); }

// Checks a blob's flags and checksum; `body` is then the blob without its checksum, `first` the
// offset of its first block, `bits` its presence bitmap (nullptr: every row has a value).
Status OpenBlob(std::string_view blob, size_t rows, std::string_view& body, size_t& first, const char*& bits) {
  if (blob.size() < 9) return Malformed();
  if ((blob[0] & kHasChecksum) == 0) {
    return Status::Environment("report_columns: a column blob was written without a checksum");
  }
  uint64_t stored;
  std::memcpy(&stored, blob.data() + blob.size() - 8, 8);
  blob.remove_suffix(8);
  if (BlobChecksum(blob) != stored) return Status::Environment("report_columns: a column blob fails its checksum");
  const bool has_nulls = (blob[0] & kHasNulls) != 0;
  const size_t words = has_nulls ? (rows + 63) / 64 : 0;
  first = 1 + words * 8;
  if (blob.size() < first) return Malformed();
  bits = has_nulls ? blob.data() + 1 : nullptr;
  body = blob;
  return Status::Ok();
}

// Calls on_block(done, n, width, scale, src) for each block, after checking its header.
template <typename OnBlock>
Status ForEachBlock(std::string_view body, size_t first, size_t rows, OnBlock on_block) {
  size_t at = first;
  for (size_t done = 0; done < rows;) {
    const size_t n = std::min(kColumnBlockRows, rows - done);
    if (body.size() < at + 9) return Malformed();
    const auto width = static_cast<size_t>(static_cast<unsigned char>(body[at]));
    int64_t scale;
    std::memcpy(&scale, body.data() + at + 1, 8);
    at += 9;
    if ((width != 1 && width != 2 && width != 4 && width != 8) || body.size() < at + n * width) return Malformed();
    if (scale != 1 && scale != 100 && scale != 1000 && scale != 100000) return Malformed();
    on_block(done, n, width, scale, body.data() + at);
    at += n * width;
    done += n;
  }
  if (at != body.size()) return Malformed();
  return Status::Ok();
}

void SetPresence(const char* bits, size_t rows, uint64_t* present, uint64_t bit) {
  if (bits == nullptr) {
    for (size_t r = 0; r < rows; ++r) present[r] |= bit;
    return;
  }
  for (size_t r = 0; r < rows; ++r) {
    uint64_t word;
    std::memcpy(&word, bits + (r / 64) * 8, 8);
    if ((word >> (r % 64)) & 1u) present[r] |= bit;
  }
}

// The stored quotients of one block times `factor`, into narrow (or wide, with value = q × scale).
template <typename T>
void Narrow(const char* src, size_t n, size_t done, int64_t factor, int64_t scale, ScaledColumn& out) {
  // One- and two-byte quotients times a factor of at most 65,535 always fit above INT32_MIN: no
  // test per value (and a loop the compiler vectorises).
  if (sizeof(T) == 1 || (sizeof(T) == 2 && factor <= 65535)) {
    const auto f = static_cast<int32_t>(factor);
    int32_t* to = out.narrow.data() + done;
    for (size_t i = 0; i < n; ++i) {
      T x;
      std::memcpy(&x, src + i * sizeof(T), sizeof(T));
      to[i] = static_cast<int32_t>(x) * f;
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    T x;
    std::memcpy(&x, src + i * sizeof(T), sizeof(T));
    const int64_t q = static_cast<int64_t>(x) * factor;  // |q| ≤ |value|: no overflow
    if (q > INT32_MIN && q <= INT32_MAX) {
      out.narrow[done + i] = static_cast<int32_t>(q);
    } else {
      out.narrow[done + i] = ScaledColumn::kWide;
      out.wide.emplace_back(done + i, static_cast<int64_t>(x) * scale);
    }
  }
}

template <int64_t S>
void NarrowBy(const std::vector<int64_t>& values, ScaledColumn& out) {
  out.scale = S;
  out.narrow.resize(values.size());
  for (size_t r = 0; r < values.size(); ++r) {
    const int64_t q = values[r] / S;
    const bool fits = q > INT32_MIN && q <= INT32_MAX;
    out.narrow[r] = fits ? static_cast<int32_t>(q) : ScaledColumn::kWide;
    if (!fits) out.wide.emplace_back(r, values[r]);
  }
}

}  // namespace

Status DecodeColumn(std::string_view blob, size_t rows, int64_t* out, uint64_t* present, uint64_t bit) {
  std::string_view body;
  size_t first = 0;
  const char* bits = nullptr;
  CS_RETURN_IF_ERROR(OpenBlob(blob, rows, body, first, bits));
  CS_RETURN_IF_ERROR(
      ForEachBlock(body, first, rows, [&](size_t done, size_t n, size_t width, int64_t scale, const char* src) {
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
      }));
  if (present != nullptr) SetPresence(bits, rows, present, bit);
  return Status::Ok();
}

namespace {

// The stored quotient of row `r` of a block of `width` bytes a value starting at `src`.
int64_t StoredAt(const char* src, size_t r, size_t width) {
  switch (width) {
    case 1: {
      int8_t x;
      std::memcpy(&x, src + r, 1);
      return x;
    }
    case 2: {
      int16_t x;
      std::memcpy(&x, src + r * 2, 2);
      return x;
    }
    case 4: {
      int32_t x;
      std::memcpy(&x, src + r * 4, 4);
      return x;
    }
    default: {
      int64_t x;
      std::memcpy(&x, src + r * 8, 8);
      return x;
    }
  }
}

void SetPresenceOf(const char* bits, const uint32_t* rows_wanted, size_t n, uint64_t* present, uint64_t bit) {
  for (size_t k = 0; k < n; ++k) {
    if (bits == nullptr) {
      present[k] |= bit;
      continue;
    }
    const uint32_t r = rows_wanted[k];
    uint64_t word;
    std::memcpy(&word, bits + static_cast<size_t>(r / 64) * 8, 8);
    if ((word >> (r % 64)) & 1u) present[k] |= bit;
  }
}

}  // namespace

Status DecodeScaledColumnRows(std::string_view blob, size_t rows, const uint32_t* rows_wanted, size_t n,
                              ScaledColumn& out, uint64_t* present, uint64_t bit) {
  std::string_view body;
  size_t first = 0;
  const char* bits = nullptr;
  CS_RETURN_IF_ERROR(OpenBlob(blob, rows, body, first, bits));
  // The smallest scale of the blocks holding wanted rows (each divides the larger ones).
  int64_t scale = 100000;
  size_t i = 0;
  CS_RETURN_IF_ERROR(ForEachBlock(body, first, rows, [&](size_t done, size_t count, size_t, int64_t s, const char*) {
    if (i < n && rows_wanted[i] < done + count) scale = std::min(scale, s);
    while (i < n && rows_wanted[i] < done + count) ++i;
  }));
  if (i != n) return Malformed();  // a wanted row past the last
  out.scale = scale;
  out.narrow.resize(n);
  out.wide.clear();
  i = 0;
  CS_RETURN_IF_ERROR(
      ForEachBlock(body, first, rows, [&](size_t done, size_t count, size_t width, int64_t s, const char* src) {
        const int64_t factor = s / scale;
        for (; i < n && rows_wanted[i] < done + count; ++i) {
          const int64_t x = StoredAt(src, rows_wanted[i] - done, width);
          const int64_t q = x * factor;  // |q| ≤ |value|: no overflow
          if (q > INT32_MIN && q <= INT32_MAX) {
            out.narrow[i] = static_cast<int32_t>(q);
          } else {
            out.narrow[i] = ScaledColumn::kWide;
            out.wide.emplace_back(i, x * s);
          }
        }
      }));
  SetPresenceOf(bits, rows_wanted, n, present, bit);
  return Status::Ok();
}

Status DecodeColumnRows(std::string_view blob, size_t rows, const uint32_t* rows_wanted, size_t n, int64_t* out,
                        uint64_t* present, uint64_t bit) {
  std::string_view body;
  size_t first = 0;
  const char* bits = nullptr;
  CS_RETURN_IF_ERROR(OpenBlob(blob, rows, body, first, bits));
  size_t i = 0;  // the next wanted row
  CS_RETURN_IF_ERROR(
      ForEachBlock(body, first, rows, [&](size_t done, size_t count, size_t width, int64_t scale, const char* src) {
        for (; i < n && rows_wanted[i] < done + count; ++i)
          out[i] = StoredAt(src, rows_wanted[i] - done, width) * scale;
      }));
  if (i != n) return Malformed();  // a wanted row past the last
  SetPresenceOf(bits, rows_wanted, n, present, bit);
  return Status::Ok();
}

Status DecodeScaledColumn(std::string_view blob, size_t rows, ScaledColumn& out, uint64_t* present, uint64_t bit) {
  std::string_view body;
  size_t first = 0;
  const char* bits = nullptr;
  CS_RETURN_IF_ERROR(OpenBlob(blob, rows, body, first, bits));
  // The column's scale: the largest of 100,000, 1,000, 100, 1 dividing every value, which is the
  // smallest block scale (each block's is the largest dividing its values, and they divide each other).
  int64_t scale = 100000;
  CS_RETURN_IF_ERROR(ForEachBlock(body, first, rows,
                                  [&](size_t, size_t, size_t, int64_t s, const char*) { scale = std::min(scale, s); }));
  out.scale = scale;
  // Memory handed on from year to year (ForEachYearWindow) grows with some room, as the years'
  // rows grow: a reallocation would take fresh pages, each zeroed by the kernel on first touch.
  if (out.narrow.capacity() < rows) out.narrow.reserve(rows + rows / 8);
  out.narrow.resize(rows);
  out.wide.clear();
  CS_RETURN_IF_ERROR(
      ForEachBlock(body, first, rows, [&](size_t done, size_t n, size_t width, int64_t s, const char* src) {
        const int64_t factor = s / scale;
        switch (width) {
          case 1:
            Narrow<int8_t>(src, n, done, factor, s, out);
            break;
          case 2:
            Narrow<int16_t>(src, n, done, factor, s, out);
            break;
          case 4:
            Narrow<int32_t>(src, n, done, factor, s, out);
            break;
          default:
            Narrow<int64_t>(src, n, done, factor, s, out);
            break;
        }
      }));
  if (present != nullptr) SetPresence(bits, rows, present, bit);
  return Status::Ok();
}

const char* PresenceBits(std::string_view blob) { return (blob[0] & kHasNulls) != 0 ? blob.data() + 1 : nullptr; }

void SetPresenceRows(const std::vector<const char*>& bits, size_t from, size_t to, uint64_t* present) {
  std::vector<uint64_t> words(bits.size());
  for (size_t base = from; base < to; base += 64) {
    const size_t n = std::min<size_t>(64, to - base);
    for (size_t k = 0; k < bits.size(); ++k) {
      words[k] = ~uint64_t{0};
      if (bits[k] != nullptr) std::memcpy(&words[k], bits[k] + (base / 64) * 8, 8);
    }
    for (size_t r = 0; r < n; ++r) {
      uint64_t p = 0;
      for (size_t k = 0; k < bits.size(); ++k) p |= ((words[k] >> r) & 1u) << k;
      present[base - from + r] = p;
    }
  }
}

ScaledColumn ScaledColumnOf(const std::vector<int64_t>& values) {
  ScaledColumn c;
  if (AllMultiplesOf<100000>(values.data(), values.size())) {
    NarrowBy<100000>(values, c);
  } else if (AllMultiplesOf<1000>(values.data(), values.size())) {
    NarrowBy<1000>(values, c);
  } else if (AllMultiplesOf<100>(values.data(), values.size())) {
    NarrowBy<100>(values, c);
  } else {
    NarrowBy<1>(values, c);
  }
  return c;
}

}  // namespace clusterscope::store
