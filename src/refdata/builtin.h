// Reference data shipped inside the binary, so a fresh database works without any file:
// GB/T 4754-2017 (every section and division, plus the groups and classes the demo uses) and
// GB/T 2260 (every province-level division, plus the prefectures and counties the demo uses).
// Users import full tables with `clusterscope import industries|regions`.
#pragma once

#include <span>
#include <string_view>

namespace clusterscope::refdata {

struct IndustryEntry {
  std::string_view code;     // "C", "27", "274", "2740"
  std::string_view name;     // official Chinese name, e.g. "中成药生产"
  std::string_view level;    // "section" | "division" | "group" | "class"
  std::string_view parent;   // "" for a section; the section letter for a division; else the code minus its last digit
  std::string_view section;  // the section letter, e.g. "C"
};

struct RegionEntry {
  std::string_view code;    // 6 digits, e.g. "630100"
  std::string_view name;    // e.g. "西宁市"
  std::string_view parent;  // "" for a province; otherwise the code of the enclosing level
};

// The edition every built-in industry code belongs to.
inline constexpr std::string_view kIndustryEdition = "GB/T 4754-2017";

// All built-in entries, parents before children.
std::span<const IndustryEntry> BuiltinIndustries();
std::span<const RegionEntry> BuiltinRegions();

// The section letter ('A'..'T') whose division range (rules.md §4) holds `division` (1..97);
// '\0' when no section does (e.g. 0, 98; 04 is 渔业, in A).
char SectionForDivision(int division);

// GB/T 2260 level read from the trailing zeros of a 6-digit code: "province" (xx0000),
// "prefecture" (xxxx00) or "county"; "" if `code` is not 6 ASCII digits.
std::string_view RegionLevel(std::string_view code);

}  // namespace clusterscope::refdata
