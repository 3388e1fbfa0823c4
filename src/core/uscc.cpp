#include "core/uscc.h"

#include "core/text.h"

namespace clusterscope::uscc {
namespace {

int ValueOf(char c) {
  size_t pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

}  // namespace

std::optional<char> CheckCharacter(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = ValueOf(first17[i]);
    if (v < 0) return std::nullopt;
    sum += v * kWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kAlphabet[static_cast<size_t>(check)];
}

Verdict Check(std::string_view input) {
  Verdict v;
  v.code = text::FoldWidth(text::Trim(input));
  for (char& c : v.code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  if (v.code.size() != 18) {
    v.problem = Problem::kLength;
    return v;
  }
  for (size_t i = 0; i < 18; ++i) {
    if (ValueOf(v.code[i]) < 0) {
      v.problem = Problem::kCharacter;
      v.bad_position = static_cast<int>(i) + 1;
      return v;
    }
  }
  char expected = *CheckCharacter(std::string_view(v.code).substr(0, 17));
  if (expected != v.code[17]) {
    v.problem = Problem::kCheck;
    v.expected_check = expected;
  }
  return v;
}

}  // namespace clusterscope::uscc
