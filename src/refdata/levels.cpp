// Code-structure helpers for GB/T 4754-2017 and GB/T 2260 (rules.md §4, §5).
#include <array>

#include "refdata/builtin.h"

namespace clusterscope::refdata {
namespace {

// The last division of each section, in section order A..T (rules.md §4). Divisions are numbered
// without gaps from 01, so each section runs from the previous section's last + 1 to its own last.
constexpr std::array<int, 20> kLastDivision = {
    5,   // A 01–05
    12,  // B 06–12
    43,  // C 13–43
    46,  // D 44–46
    50,  // E 47–50
    52,  // F 51–52
    60,  // G 53–60
    62,  // H 61–62
    65,  // I 63–65
    69,  // J 66–69
    70,  // K 70
    72,  // L 71–72
    75,  // M 73–75
    79,  // N 76–79
    82,  // O 80–82
    83,  // P 83
    85,  // Q 84–85
    90,  // R 86–90
    96,  // S 91–96
    97,  // T 97
};

}  // namespace

char SectionForDivision(int division) {
  if (division < 1) return '\0';
  for (std::size_t i = 0; i < kLastDivision.size(); ++i) {
    if (division <= kLastDivision[i]) return static_cast<char>('A' + static_cast<int>(i));
  }
  return '\0';
}

std::string_view RegionLevel(std::string_view code) {
  if (code.size() != 6) return "";
  for (const char c : code) {
    if (c < '0' || c > '9') return "";
  }
  // Trailing zeros mark the level: xx0000 province, xxxx00 prefecture. A code like 000000 or
  // 630000 is a province by this reading; whether the code exists is the table's business.
  if (code.substr(2) == "0000") return "province";
  if (code.substr(4) == "00") return "prefecture";
  return "county";
}

}  // namespace clusterscope::refdata
