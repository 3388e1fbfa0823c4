// Exact number parsing for spreadsheet cells: no binary floating point between the file and the
// store, so 0.1 千元 is exactly 100 yuan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clusterscope::number {

// A decimal number as written: sign, integer digits and fraction digits (no leading/trailing
// zeros stripped beyond what parsing needs).
struct Decimal {
  bool negative = false;
  std::string int_digits;   // at least one digit
  std::string frac_digits;  // may be empty
};

// Parses a cell as a decimal number. Accepts surrounding spaces (also U+3000), full-width digits
// and signs, a leading + or -, thousands separators in the integer part in groups of three
// ("1,234,567.5", also "，"), and a decimal point. No exponent, no units, no percent sign.
// Returns nullopt for anything else (including the empty string).
std::optional<Decimal> ParseDecimal(std::string_view cell);

enum class ScaleError { kNone, kTooPrecise, kOverflow };

// value × 10^exponent as an exact int64. Fails with kTooPrecise when the result would need
// digits after the point (e.g. 1.234 × 10^2), kOverflow when it does not fit in int64.
// Trailing zeros after the point are not "precision" ("12.50" × 10^1 = 125).
struct ScaledResult {
  int64_t value = 0;
  ScaleError error = ScaleError::kNone;
};
ScaledResult ToScaledInteger(const Decimal& d, int exponent);

// Formats `minor_units` / 10^scale as a plain decimal with trailing zeros dropped
// (FormatScaled(1234500, 2) == "12345", FormatScaled(-5, 2) == "-0.05").
std::string FormatScaled(int64_t minor_units, int scale);

}  // namespace clusterscope::number
