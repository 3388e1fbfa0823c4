// Tests of the built-in reference data (src/refdata): structure of both tables, the code-structure
// helpers, and — when ../shared/reference is present — every built-in industry against a full
// transcription of GB/T 4754-2017.
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "refdata/builtin.h"

namespace clusterscope::refdata {
namespace {

// ---------------------------------------------------------------- industries: structure

TEST(BuiltinIndustries, HasEverySectionAndDivision) {
  std::set<std::string_view> sections;
  std::set<std::string_view> divisions;
  for (const auto& e : BuiltinIndustries()) {
    if (e.level == "section") sections.insert(e.code);
    if (e.level == "division") divisions.insert(e.code);
  }
  EXPECT_EQ(sections.size(), 20u);
  EXPECT_EQ(divisions.size(), 97u);
  for (char c = 'A'; c <= 'T'; ++c) {
    EXPECT_TRUE(sections.contains(std::string_view(&c, 1))) << "section " << c;
  }
  for (int d = 1; d <= 97; ++d) {
    std::string code = std::to_string(d);
    if (d < 10) code.insert(0, 1, '0');
    EXPECT_TRUE(divisions.contains(code)) << "division " << code;
  }
}

TEST(BuiltinIndustries, CodesUniqueAndShapedByLevel) {
  std::set<std::string_view> seen;
  for (const auto& e : BuiltinIndustries()) {
    EXPECT_TRUE(seen.insert(e.code).second) << "duplicate " << e.code;
    EXPECT_FALSE(e.name.empty()) << e.code;
    if (e.level == "section") {
      ASSERT_EQ(e.code.size(), 1u) << e.code;
      EXPECT_TRUE(e.code[0] >= 'A' && e.code[0] <= 'T') << e.code;
      continue;
    }
    // Non-sections are all digits, 2/3/4 of them by level.
    for (const char c : e.code) EXPECT_TRUE(c >= '0' && c <= '9') << e.code;
    const std::size_t expected_len = e.level == "division" ? 2 : e.level == "group" ? 3 : e.level == "class" ? 4 : 0;
    EXPECT_NE(expected_len, 0u) << e.code << " has level " << e.level;
    EXPECT_EQ(e.code.size(), expected_len) << e.code;
  }
}

TEST(BuiltinIndustries, ParentsExistComeFirstAndSectionsAgree) {
  std::map<std::string_view, const IndustryEntry*> earlier;
  for (const auto& e : BuiltinIndustries()) {
    if (e.level == "section") {
      EXPECT_TRUE(e.parent.empty()) << e.code;
      EXPECT_EQ(e.section, e.code);
    } else if (e.level == "division") {
      const int division = std::stoi(std::string(e.code));
      const char section = SectionForDivision(division);
      EXPECT_EQ(e.parent, std::string_view(&section, 1)) << e.code;
      EXPECT_EQ(e.section, e.parent) << e.code;
    } else {
      // A group's or class's parent is its code minus the last digit.
      EXPECT_EQ(e.parent, e.code.substr(0, e.code.size() - 1)) << e.code;
    }
    if (!e.parent.empty()) {
      const auto it = earlier.find(e.parent);
      ASSERT_NE(it, earlier.end()) << e.code << ": parent " << e.parent << " missing or later";
      EXPECT_EQ(it->second->section, e.section) << e.code << " vs parent " << e.parent;
    }
    earlier.emplace(e.code, &e);
  }
}

TEST(BuiltinIndustries, HasTheReportsClusterCodes) {
  // rules.md §4: the classes met in the report's clusters, and their groups.
  const std::map<std::string_view, std::string_view> expected = {
      {"2730", "中药饮片加工"},   {"2740", "中成药生产"}, {"2761", "生物药品制造"}, {"1492", "保健食品制造"},
      {"2623", "钾肥制造"},       {"2613", "无机盐制造"}, {"3217", "镁冶炼"},       {"3239", "其他稀有金属冶炼"},
      {"3841", "锂离子电池制造"}, {"1030", "采盐"},
  };
  std::map<std::string_view, std::string_view> builtin;
  for (const auto& e : BuiltinIndustries()) builtin.emplace(e.code, e.name);
  for (const auto& [code, name] : expected) {
    ASSERT_TRUE(builtin.contains(code)) << code;
    EXPECT_EQ(builtin[code], name) << code;
    EXPECT_TRUE(builtin.contains(code.substr(0, 3))) << "group of " << code;
  }
}

// ---------------------------------------------------------------- SectionForDivision

TEST(SectionForDivision, EveryBoundary) {
  struct Range {
    char section;
    int first;
    int last;
  };
  // rules.md §4.
  const Range ranges[] = {{'A', 1, 5},   {'B', 6, 12},  {'C', 13, 43}, {'D', 44, 46}, {'E', 47, 50},
                          {'F', 51, 52}, {'G', 53, 60}, {'H', 61, 62}, {'I', 63, 65}, {'J', 66, 69},
                          {'K', 70, 70}, {'L', 71, 72}, {'M', 73, 75}, {'N', 76, 79}, {'O', 80, 82},
                          {'P', 83, 83}, {'Q', 84, 85}, {'R', 86, 90}, {'S', 91, 96}, {'T', 97, 97}};
  int next = 1;
  for (const auto& r : ranges) {
    EXPECT_EQ(r.first, next) << "ranges must be contiguous at " << r.section;
    EXPECT_EQ(SectionForDivision(r.first), r.section) << r.first;
    EXPECT_EQ(SectionForDivision(r.last), r.section) << r.last;
    next = r.last + 1;
  }
  // Every division 1..97 belongs to some section (04 is 渔业, in A); nothing outside does.
  for (int d = 1; d <= 97; ++d) EXPECT_NE(SectionForDivision(d), '\0') << d;
  EXPECT_EQ(SectionForDivision(4), 'A');
  EXPECT_EQ(SectionForDivision(0), '\0');
  EXPECT_EQ(SectionForDivision(-1), '\0');
  EXPECT_EQ(SectionForDivision(98), '\0');
  EXPECT_EQ(SectionForDivision(99), '\0');
}

// ---------------------------------------------------------------- RegionLevel

TEST(RegionLevel, ReadsTrailingZeros) {
  EXPECT_EQ(RegionLevel("630000"), "province");
  EXPECT_EQ(RegionLevel("630100"), "prefecture");
  EXPECT_EQ(RegionLevel("632800"), "prefecture");
  EXPECT_EQ(RegionLevel("632801"), "county");
  EXPECT_EQ(RegionLevel("630102"), "county");
  EXPECT_EQ(RegionLevel("110100"), "prefecture");
  EXPECT_EQ(RegionLevel("441900"), "prefecture");
  EXPECT_EQ(RegionLevel("630110"), "county");  // one trailing zero is not a level
  EXPECT_EQ(RegionLevel("810000"), "province");
}

TEST(RegionLevel, RejectsMalformed) {
  EXPECT_EQ(RegionLevel(""), "");
  EXPECT_EQ(RegionLevel("63010"), "");
  EXPECT_EQ(RegionLevel("6301000"), "");
  EXPECT_EQ(RegionLevel("63O100"), "");  // letter O
  EXPECT_EQ(RegionLevel(" 63010"), "");
  EXPECT_EQ(RegionLevel("６３０１００"), "");  // full-width digits are the importer's job
}

// ---------------------------------------------------------------- regions: structure

TEST(BuiltinRegions, ThirtyFourProvincesAndConsistentParents) {
  std::map<std::string_view, const RegionEntry*> earlier;
  int provinces = 0;
  for (const auto& e : BuiltinRegions()) {
    const std::string_view level = RegionLevel(e.code);
    ASSERT_FALSE(level.empty()) << e.code;
    EXPECT_FALSE(e.name.empty()) << e.code;
    EXPECT_FALSE(earlier.contains(e.code)) << "duplicate " << e.code;
    if (level == "province") {
      ++provinces;
      EXPECT_TRUE(e.parent.empty()) << e.code;
    } else {
      ASSERT_TRUE(earlier.contains(e.parent)) << e.code << ": parent " << e.parent << " missing or later";
      // The parent is the enclosing level: a prefecture's province, a county's prefecture.
      const std::string expected_parent =
          level == "prefecture" ? std::string(e.code.substr(0, 2)) + "0000" : std::string(e.code.substr(0, 4)) + "00";
      EXPECT_EQ(e.parent, expected_parent) << e.code;
      EXPECT_EQ(RegionLevel(e.parent), level == "prefecture" ? "province" : "prefecture") << e.code;
    }
    earlier.emplace(e.code, &e);
  }
  EXPECT_EQ(provinces, 34);
}

TEST(BuiltinRegions, HasTheDemoRegions) {
  const std::map<std::string_view, std::string_view> expected = {
      {"630000", "青海省"},
      {"630100", "西宁市"},
      {"630102", "城东区"},
      {"630103", "城中区"},
      {"630104", "城西区"},
      {"630105", "城北区"},
      {"632800", "海西蒙古族藏族自治州"},
      {"632801", "格尔木市"},
      {"632802", "德令哈市"},
      {"710000", "台湾省"},
      {"810000", "香港特别行政区"},
      {"820000", "澳门特别行政区"},
      {"110100", "市辖区"},
      {"110108", "海淀区"},
      {"440300", "深圳市"},
  };
  std::map<std::string_view, std::string_view> builtin;
  for (const auto& e : BuiltinRegions()) builtin.emplace(e.code, e.name);
  for (const auto& [code, name] : expected) {
    ASSERT_TRUE(builtin.contains(code)) << code;
    EXPECT_EQ(builtin[code], name) << code;
  }
}

TEST(BuiltinRegions, EveryProvinceWithPrefecturesHasOneBuiltIn) {
  // Taiwan, Hong Kong and Macao have no lower-level codes in GB/T 2260.
  std::set<std::string_view> with_prefecture;
  std::vector<std::string_view> provinces;
  for (const auto& e : BuiltinRegions()) {
    if (RegionLevel(e.code) == "province") provinces.push_back(e.code);
    if (RegionLevel(e.code) == "prefecture") with_prefecture.insert(e.parent);
  }
  for (const auto p : provinces) {
    if (p == "710000" || p == "810000" || p == "820000") continue;
    EXPECT_TRUE(with_prefecture.contains(p)) << p;
  }
}

// ---------------------------------------------------------------- industries vs the standard

struct RefRow {
  std::string name, level, parent, section;
};

// Splits one CSV record (RFC 4180 quoting; no embedded newlines in this file).
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// Known defects of the transcription in ../shared/reference, where the built-in table keeps the
// standard's wording: code → the reference's (wrong) name. If the reference is corrected, its row
// equals the built-in one and the entry here is simply no longer used.
const std::map<std::string, std::string>& ReferenceErrata() {
  static const std::map<std::string, std::string> errata = {
      // Truncated: the standard's name is 铁路、船舶、航空航天和其他运输设备制造业.
      {"37", "铁路、船舶、航空航天和其他运输设备制"},
  };
  return errata;
}

TEST(BuiltinIndustries, MatchTheStandard) {
  const std::filesystem::path path =
      std::filesystem::path(CS_SOURCE_DIR) / ".." / "shared" / "reference" / "gbt4754-2017.csv";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "../shared/reference not present: " << path.string();

  std::string line;
  ASSERT_TRUE(std::getline(in, line));
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
  const auto header = SplitCsvLine(line);
  ASSERT_EQ(header, (std::vector<std::string>{"code", "name", "level", "parent", "section"}));

  std::map<std::string, RefRow> ref;
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    auto f = SplitCsvLine(line);
    ASSERT_EQ(f.size(), 5u) << line;
    ref.emplace(f[0], RefRow{f[1], f[2], f[3], f[4]});
  }
  ASSERT_GT(ref.size(), 1900u) << "reference looks incomplete";

  for (const auto& e : BuiltinIndustries()) {
    const std::string code(e.code);
    const auto it = ref.find(code);
    ASSERT_NE(it, ref.end()) << code << " is not in GB/T 4754-2017";
    const RefRow& r = it->second;
    const auto erratum = ReferenceErrata().find(code);
    if (r.name != e.name && erratum != ReferenceErrata().end() && erratum->second == r.name) {
      // A known defect of the transcription (see ReferenceErrata).
    } else {
      EXPECT_EQ(r.name, e.name) << code;
    }
    EXPECT_EQ(r.level, e.level) << code;
    EXPECT_EQ(r.parent, e.parent) << code;
    EXPECT_EQ(r.section, e.section) << code;
  }

  // And the other way round: every section and division of the standard is built in.
  std::set<std::string_view> builtin;
  for (const auto& e : BuiltinIndustries()) builtin.insert(e.code);
  for (const auto& [code, r] : ref) {
    if (r.level == "section" || r.level == "division") {
      EXPECT_TRUE(builtin.contains(code)) << code << " " << r.name;
    }
  }
}

}  // namespace
}  // namespace clusterscope::refdata
