// Golden prose: each tests/data/briefing/NAME.json (hand-made facts) must give exactly
// NAME.zh.txt and NAME.en.txt (paragraphs separated by blank lines). The cases hit each sentence
// variant: growth, decline and "level"; one firm; missing figures left out; flagged and unflagged
// diagnosis; dependence on one firm; with and without a rating, expert scores, alliance and body.
// CS_UPDATE_GOLDEN=1 rewrites the expected files (then read them before committing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "clusterscope/briefing.h"

namespace clusterscope {
namespace {

const std::filesystem::path kDir = std::filesystem::path(CS_SOURCE_DIR) / "tests/data/briefing";

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Joined(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (const auto& p : paragraphs) out += p + "\n\n";
  return out;
}

TEST(BriefProse, GoldenCases) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".json") continue;
    ++cases;
    auto facts = BriefFactsFromJson(nlohmann::json::parse(Read(entry.path())));
    ASSERT_TRUE(facts.ok()) << entry.path() << ": " << facts.status().message();
    for (auto [lang, suffix] : {std::pair{Lang::kZh, ".zh.txt"}, std::pair{Lang::kEn, ".en.txt"}}) {
      const std::filesystem::path expected = kDir / (entry.path().stem().string() + suffix);
      const std::string got = Joined(BriefParagraphs(*facts, lang));
      if (std::getenv("CS_UPDATE_GOLDEN") != nullptr) std::ofstream(expected, std::ios::binary) << got;
      EXPECT_EQ(got, Read(expected)) << expected;
    }
    // Facts survive the JSON round trip unchanged.
    EXPECT_EQ(BriefFactsToJson(*facts), BriefFactsToJson(*BriefFactsFromJson(BriefFactsToJson(*facts))));
  }
  EXPECT_GE(cases, 4);
}

TEST(BriefProse, TheReportParagraphInTheReportsStyle) {
  auto facts = BriefFactsFromJson(nlohmann::json::parse(Read(kDir / "report.json")));
  ASSERT_TRUE(facts.ok());
  const std::string zh = BriefParagraphs(*facts, Lang::kZh).front();
  EXPECT_EQ(zh.rfind("目前，青藏高原特色生物资源与中藏药产业集群共有企业60家，占西宁高新区投产企业总数的62.5%。"
                     "2014年，集群企业共实现工业总产值122.0亿元，同比增长30.7%，占西宁高新区工业总产值的58.6%",
                     0),
            0u)
      << zh;
  const std::string en = BriefParagraphs(*facts, Lang::kEn).front();
  for (const char* figure : {"60 firms", "62.5%", "12.2 billion yuan", "up 30.7%", "58.6%", "62.1%", "23 firms"}) {
    EXPECT_NE(en.find(figure), std::string::npos) << figure << " in " << en;
  }
}

TEST(BriefProse, MissingFiguresAreLeftOutNotPrintedAsNull) {
  for (const char* name : {"sparse_level.json", "no_output.json", "decline_single.json"}) {
    auto facts = BriefFactsFromJson(nlohmann::json::parse(Read(kDir / name)));
    ASSERT_TRUE(facts.ok());
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      const std::string text = Joined(BriefParagraphs(*facts, lang));
      for (const char* bad : {"null", "NaN", " nan", "inf%", "{}", "()", "（）"})
        EXPECT_EQ(text.find(bad), std::string::npos) << name << ": " << text;
    }
  }
}

}  // namespace
}  // namespace clusterscope
