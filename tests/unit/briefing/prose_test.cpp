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
    if (entry.path().extension() != ".json" || entry.path().stem().string().starts_with("survey_")) continue;
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
  EXPECT_GE(cases, 7);
}

// A whole document as text: title, then each section's heading and paragraphs.
std::string DocumentText(const BriefDocument& doc) {
  std::string out = doc.title + "\n\n";
  for (const auto& sec : doc.sections) {
    if (!sec.heading.empty()) out += sec.heading + "\n\n";
    out += Joined(sec.paragraphs);
  }
  return out;
}

// Survey briefings of several clusters: tests/data/briefing/survey_NAME.json gives exactly
// survey_NAME.zh.txt and survey_NAME.en.txt.
TEST(BriefProse, SurveyGoldenCases) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    if (entry.path().extension() != ".json" || !entry.path().stem().string().starts_with("survey_")) continue;
    ++cases;
    auto survey = SurveyFromJson(nlohmann::json::parse(Read(entry.path())));
    ASSERT_TRUE(survey.ok()) << entry.path() << ": " << survey.status().message();
    for (auto [lang, suffix] : {std::pair{Lang::kZh, ".zh.txt"}, std::pair{Lang::kEn, ".en.txt"}}) {
      const std::filesystem::path expected = kDir / (entry.path().stem().string() + suffix);
      const std::string got = DocumentText(SurveyBrief(survey->first, survey->second, lang));
      if (std::getenv("CS_UPDATE_GOLDEN") != nullptr) std::ofstream(expected, std::ios::binary) << got;
      EXPECT_EQ(got, Read(expected)) << expected;
    }
    EXPECT_EQ(SurveyToJson(survey->first, survey->second),
              SurveyToJson(SurveyFromJson(SurveyToJson(survey->first, survey->second))->first, survey->second));
  }
  EXPECT_GE(cases, 2);
}

Result<BriefFacts> Case(const char* name) { return BriefFactsFromJson(nlohmann::json::parse(Read(kDir / name))); }

bool HasCjk(const std::string& s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xE4 && c <= 0xE9) return true;  // U+4000 … U+9FFF
  }
  return false;
}

TEST(BriefProse, TenseFollowsTheYear) {
  auto past = Case("past_provisional_english_names.json");  // 2014, latest 2016
  ASSERT_TRUE(past.ok());
  const std::string zh = Joined(BriefParagraphs(*past, Lang::kZh));
  EXPECT_EQ(zh.find("目前"), std::string::npos) << zh;
  EXPECT_EQ(zh.rfind("截至2014年底，", 0), 0u) << zh;
  const std::string en = Joined(BriefParagraphs(*past, Lang::kEn));
  EXPECT_NE(en.find("At the end of 2014, the "), std::string::npos) << en;
  EXPECT_EQ(en.find(" has "), std::string::npos) << en;
  past->latest_year = 2014;
  EXPECT_EQ(Joined(BriefParagraphs(*past, Lang::kZh)).rfind("目前，", 0), 0u);
}

TEST(BriefProse, NoJargonNoIdsAndTheReportsNumberStyle) {
  for (const char* name : {"report.json", "decline_single.json", "no_output.json", "sparse_level.json",
                           "past_provisional_english_names.json", "no_firms_not_rated.json", "two_firms_good.json"}) {
    auto f = Case(name);
    ASSERT_TRUE(f.ok()) << name;
    for (Lang lang : {Lang::kZh, Lang::kEn}) {
      const BriefDocument doc = BriefDocumentFor(*f, lang);
      EXPECT_EQ(doc.title.find(f->cluster_id), std::string::npos) << doc.title;
      const std::string text = Joined(doc.sections.front().paragraphs);
      for (const char* bad :
           {"百分位", "四分之一", "percentile", "bottom quarter", ".0亿元", ".0 billion", ".0 million", "rated fail",
            "rated pass", "(不合格)", "(合格)", " 1 firms", "0.000", "前三家"}) {
        EXPECT_EQ(text.find(bad), std::string::npos) << name << " has '" << bad << "':\n" << text;
      }
      EXPECT_EQ(text.find(f->cluster_id + ")"), std::string::npos) << text;
    }
  }
}

// A leading industry larger than BriefFacts::Localisation::kMaxTestedFirms is tested on a random
// sample, and the prose says so, in both languages; an industry tested whole says nothing of it.
TEST(BriefProse, LocalisationSaysWhenTheIndustryWasSampled) {
  auto f = Case("two_firms_good.json");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->localisation);
  EXPECT_EQ(Joined(BriefParagraphs(*f, Lang::kZh)).find("随机抽取"), std::string::npos);
  EXPECT_EQ(Joined(BriefParagraphs(*f, Lang::kEn)).find("random sample"), std::string::npos);
  f->localisation->firms = 125905;
  f->localisation->sites = 853487;
  f->localisation->tested = BriefFacts::Localisation::kMaxTestedFirms;
  f->localisation->verdict = place::Verdict::kLocalised;
  f->localisation->localised_at = {{0, 21}};
  const std::string zh = Joined(BriefParagraphs(*f, Lang::kZh));
  EXPECT_NE(zh.find("企业125905家，以随机抽取的其中5000家检验，呈集聚分布"), std::string::npos) << zh;
  const std::string en = Joined(BriefParagraphs(*f, Lang::kEn));
  EXPECT_NE(en.find("(GB/T 4754 class 3841); tested on a random sample of 5,000 of them, they were localised"),
            std::string::npos)
      << en;
}

TEST(BriefProse, EnglishUsesTheRegistersEnglishNames) {
  auto f = Case("past_provisional_english_names.json");
  ASSERT_TRUE(f.ok());
  const std::string en = Joined(BriefParagraphs(*f, Lang::kEn));
  EXPECT_FALSE(HasCjk(en)) << en;
  EXPECT_NE(en.find("Qinghai Kangpu Biotechnology Co., Ltd."), std::string::npos);
  EXPECT_NE(en.find("the Xining High-tech Zone"), std::string::npos);
  EXPECT_FALSE(HasCjk(BriefTitle(*f, Lang::kEn)));
}

TEST(BriefProse, RecommendationsCheckTheRegister) {
  auto f = Case("no_firms_not_rated.json");  // body and alliance on record, no firm reporting
  ASSERT_TRUE(f.ok());
  const std::string zh = Joined(BriefParagraphs(*f, Lang::kZh));
  EXPECT_EQ(zh.find("共有企业0家"), std::string::npos) << zh;
  EXPECT_EQ(zh.find("建设主体"), std::string::npos) << zh;
  EXPECT_EQ(zh.find("联盟"), std::string::npos) << zh;
  EXPECT_NE(zh.find("报送"), std::string::npos) << zh;
  const std::string en = Joined(BriefParagraphs(*f, Lang::kEn));
  EXPECT_EQ(en.find("construction body"), std::string::npos) << en;
  EXPECT_EQ(en.find("0 firms"), std::string::npos) << en;
  f->has_construction_body = false;
  EXPECT_NE(Joined(BriefParagraphs(*f, Lang::kZh)).find("建设主体"), std::string::npos);
}

TEST(BriefProse, NoGradeWithoutExpertScoresReadsAsProvisional) {
  auto f = Case("past_provisional_english_names.json");
  ASSERT_TRUE(f.ok());
  const auto zh = BriefParagraphs(*f, Lang::kZh);
  EXPECT_EQ(
      zh[1],
      "按“年度评价”方案，集群2014年初评得分58.7分（仅依据统计数据），在14个参评集群中居第4位，待专家复评后定级。");
  EXPECT_EQ(zh[1].find("评为"), std::string::npos);
}

TEST(BriefProse, TheReportParagraphInTheReportsStyle) {
  auto facts = BriefFactsFromJson(nlohmann::json::parse(Read(kDir / "report.json")));
  ASSERT_TRUE(facts.ok());
  const std::string zh = BriefParagraphs(*facts, Lang::kZh).front();
  EXPECT_EQ(zh.rfind("目前，青藏高原特色生物资源与中藏药产业集群共有企业60家，占西宁高新区投产企业总数的62.5%。"
                     "2014年，集群企业共实现工业总产值122亿元，同比增长30.7%，占西宁高新区工业总产值的58.6%",
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
