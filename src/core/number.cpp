#include "core/number.h"

#include <limits>

#include "core/text.h"

namespace clusterscope::number {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<Decimal> ParseDecimal(std::string_view cell) {
  std::string_view s = text::Trim(cell);
  std::string folded;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      folded = text::FoldWidth(s);  // full-width digits, signs, comma, point
      s = folded;
      break;
    }
  }
  if (s.empty()) return std::nullopt;
  Decimal d;
  if (s.front() == '+' || s.front() == '-') {
    d.negative = s.front() == '-';
    s.remove_prefix(1);
  }
  std::string_view int_part = s;
  std::string_view frac_part;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    int_part = s.substr(0, dot);
    frac_part = s.substr(dot + 1);
    if (!frac_part.empty() && !AllDigits(frac_part)) return std::nullopt;
    if (int_part.empty() && frac_part.empty()) return std::nullopt;
  }
  if (int_part.empty()) {
    d.int_digits = "0";  // ".5"
  } else if (int_part.find(',') != std::string_view::npos) {
    // Thousands separators: first group 1-3 digits, every later group exactly 3.
    size_t first = int_part.find(',');
    if (first == 0 || first > 3) return std::nullopt;
    std::string digits(int_part.substr(0, first));
    std::string_view rest = int_part.substr(first);
    while (!rest.empty()) {
      if (rest.size() < 4 || rest[0] != ',' || !AllDigits(rest.substr(1, 3))) return std::nullopt;
      digits.append(rest.substr(1, 3));
      rest.remove_prefix(4);
    }
    if (!AllDigits(digits)) return std::nullopt;
    d.int_digits = std::move(digits);
  } else {
    if (!AllDigits(int_part)) return std::nullopt;
    d.int_digits = std::string(int_part);
  }
  d.frac_digits = std::string(frac_part);
  return d;
}

ScaledResult ToScaledInteger(const Decimal& d, int exponent) {
  // Works on views of the digits (no copies: this runs for every number cell of an import).
  std::string_view frac = d.frac_digits;
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::string_view int_digits = d.int_digits;
  size_t zeros = 0;  // appended after int_digits + frac
  // Shift the decimal point `exponent` places to the right.
  if (exponent >= 0) {
    if (frac.size() > static_cast<size_t>(exponent)) return {0, ScaleError::kTooPrecise};
    zeros = static_cast<size_t>(exponent) - frac.size();
  } else {
    // Dividing: the last -exponent integer digits must be zero and there must be no fraction.
    if (!frac.empty()) return {0, ScaleError::kTooPrecise};
    size_t drop = static_cast<size_t>(-exponent);
    size_t kept = int_digits.size() > drop ? int_digits.size() - drop : 0;
    for (size_t i = kept; i < int_digits.size(); ++i) {
      if (int_digits[i] != '0') return {0, ScaleError::kTooPrecise};
    }
    int_digits = int_digits.substr(0, kept);
  }
  // Accumulate as negative to reach INT64_MIN exactly.
  int64_t acc = 0;
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  const auto push = [&acc](int digit) {
    if (acc < kMin / 10 || (acc == kMin / 10 && -digit < kMin % 10)) return false;
    acc = acc * 10 - digit;
    return true;
  };
  for (char c : int_digits) {
    if (!push(c - '0')) return {0, ScaleError::kOverflow};
  }
  for (char c : frac) {
    if (!push(c - '0')) return {0, ScaleError::kOverflow};
  }
  for (size_t i = 0; i < zeros; ++i) {
    if (!push(0)) return {0, ScaleError::kOverflow};
  }
  if (!d.negative) {
    if (acc == kMin) return {0, ScaleError::kOverflow};
    acc = -acc;
  }
  return {acc, ScaleError::kNone};
}

std::string FormatScaled(int64_t minor_units, int scale) {
  bool negative = minor_units < 0;
  // Work in unsigned to format INT64_MIN.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor_units) : static_cast<uint64_t>(minor_units);
  std::string digits = std::to_string(magnitude);
  if (scale > 0) {
    auto s = static_cast<size_t>(scale);
    if (digits.size() <= s) digits.insert(0, s - digits.size() + 1, '0');
    std::string int_part = digits.substr(0, digits.size() - s);
    std::string frac_part = digits.substr(digits.size() - s);
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
    digits = frac_part.empty() ? int_part : int_part + "." + frac_part;
  }
  return negative && magnitude != 0 ? "-" + digits : digits;
}

}  // namespace clusterscope::number
