// Unified social credit code (统一社会信用代码), GB 32100-2015 — rules.md §1.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clusterscope::uscc {

// The 31-character alphabet: digits and capitals without I, O, S, V, Z.
inline constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// The check character for the first 17 characters of a code (which must already be in the
// alphabet); nullopt if `first17` is not 17 alphabet characters.
std::optional<char> CheckCharacter(std::string_view first17);

enum class Problem { kNone, kLength, kCharacter, kCheck };

struct Verdict {
  std::string code;  // trimmed, full-width folded, upper-cased
  Problem problem = Problem::kNone;
  char expected_check = 0;  // for kCheck: what position 18 should be
  int bad_position = 0;     // for kCharacter: 1-based position of the first bad character
};

// Normalises and checks a code as typed (spaces trimmed, lower-case accepted).
Verdict Check(std::string_view input);

}  // namespace clusterscope::uscc
