// rules.md §3 at every boundary, and the growth formula's special cases.
#include <gtest/gtest.h>

#include "clusterscope/rules.h"

namespace clusterscope {
namespace {

constexpr int kYear = 2017;  // high-tech-2016 is in force from 2016 (high_tech_2008_test.cpp: 2008–2015)
constexpr int64_t kYuan = 100;
constexpr int64_t kMillion = 1'000'000 * kYuan;

YearFacts Year(int year, int64_t revenue, int64_t rd) {
  YearFacts y;
  y.year = year;
  y.employees = 200;
  y.tech_staff = 40;
  y.revenue = revenue;
  y.total_assets = 60 * kMillion;
  y.total_liabilities = 20 * kMillion;
  y.rd_expense = rd;
  y.rd_expense_domestic = rd;
  y.high_tech_revenue = revenue / 10 * 7;
  y.ip_class1 = 1;
  y.ip_class2 = 3;
  y.major_incident = false;
  return y;
}

// Passes every criterion statistics can check: revenue 100 million a year, R&D 5%.
FirmHistory Firm() {
  FirmHistory f;
  f.uscc = "91330100799655058B";
  f.name = "测试高企";
  f.industry_code = "2761";
  f.founded = "2008-03-01";
  for (int y = kYear - 2; y <= kYear; ++y) f.years.push_back(Year(y, 100 * kMillion, 5 * kMillion));
  return f;
}

YearFacts& Now(FirmHistory& f) { return f.years.back(); }

const Criterion& Get(const Qualification& q, std::string_view id) {
  for (const Criterion& c : q.criteria) {
    if (c.id == id) return c;
  }
  static const Criterion kNone{};
  ADD_FAILURE() << "no criterion " << id;
  return kNone;
}

Outcome ResultOf(const FirmHistory& f, std::string_view id) { return Get(EvaluateHighTech(f, kYear), id).result; }

TEST(HighTech, ACleanFirmIsACandidateNotAQualifier) {
  const Qualification q = EvaluateHighTech(Firm(), kYear);
  EXPECT_EQ(q.rule_set, "high-tech-2016");
  // The technology field and most of the innovation score cannot come from statistics.
  EXPECT_EQ(q.result, Outcome::kUndetermined);
  EXPECT_TRUE(q.candidate);
  EXPECT_EQ(Get(q, "high_tech_field").result, Outcome::kUndetermined);
  for (const char* id : {"registered_one_year", "core_ip", "tech_staff_share", "rd_ratio_3y", "domestic_rd_share",
                         "high_tech_revenue_share", "no_major_incident"}) {
    EXPECT_EQ(Get(q, id).result, Outcome::kQualifies) << id;
  }
}

TEST(HighTech, RegisteredAYearBeforeTheYearEnd) {
  FirmHistory f = Firm();
  f.founded = "2016-12-31";  // 365 days before 2017-12-31
  EXPECT_EQ(ResultOf(f, "registered_one_year"), Outcome::kQualifies);
  f.founded = "2017-01-01";  // 364 days
  EXPECT_EQ(ResultOf(f, "registered_one_year"), Outcome::kFails);
  EXPECT_DOUBLE_EQ(*Get(EvaluateHighTech(f, kYear), "registered_one_year").distance, 1);
  // 2016 is a leap year: 1 January to 31 December is 365 days.
  f.founded = "2016-01-01";
  EXPECT_EQ(Get(EvaluateHighTech(f, 2016), "registered_one_year").result, Outcome::kQualifies);
  f.founded = "2016-01-02";
  EXPECT_EQ(Get(EvaluateHighTech(f, 2016), "registered_one_year").result, Outcome::kFails);
  // Only a year on record.
  f.founded = "2016";
  EXPECT_EQ(ResultOf(f, "registered_one_year"), Outcome::kQualifies);
  f.founded = "2017";
  EXPECT_EQ(ResultOf(f, "registered_one_year"), Outcome::kFails);
  f.founded = "2016";
  EXPECT_EQ(Get(EvaluateHighTech(f, 2016), "registered_one_year").result, Outcome::kUndetermined);
  f.founded = "";
  EXPECT_EQ(ResultOf(f, "registered_one_year"), Outcome::kUndetermined);
}

TEST(HighTech, TechStaffTenPercent) {
  FirmHistory f = Firm();
  Now(f).employees = 10000;
  Now(f).tech_staff = 999;  // 9.99%
  EXPECT_EQ(ResultOf(f, "tech_staff_share"), Outcome::kFails);
  Now(f).tech_staff = 1000;
  EXPECT_EQ(ResultOf(f, "tech_staff_share"), Outcome::kQualifies);
  Now(f).tech_staff = std::nullopt;
  EXPECT_EQ(ResultOf(f, "tech_staff_share"), Outcome::kUndetermined);
}

// Three equal years of revenue `rev` and R&D `rd`.
FirmHistory Flat(int64_t rev, int64_t rd) {
  FirmHistory f = Firm();
  f.years.clear();
  for (int y = kYear - 2; y <= kYear; ++y) f.years.push_back(Year(y, rev, rd));
  return f;
}

TEST(HighTech, RdRatioByRevenueTier) {
  // ≤ 50 million (exactly 50 included): 5%.
  EXPECT_EQ(ResultOf(Flat(50 * kMillion, 2'500'000 * kYuan), "rd_ratio_3y"), Outcome::kQualifies);
  EXPECT_EQ(ResultOf(Flat(50 * kMillion, 2'500'000 * kYuan - 1), "rd_ratio_3y"), Outcome::kFails);
  EXPECT_DOUBLE_EQ(*Get(EvaluateHighTech(Flat(50 * kMillion, 0), kYear), "rd_ratio_3y").threshold, 0.05);
  // One fen over 50 million: 4%.
  EXPECT_DOUBLE_EQ(*Get(EvaluateHighTech(Flat(50 * kMillion + 1, 0), kYear), "rd_ratio_3y").threshold, 0.04);
  // Exactly 200 million: still 4%.
  EXPECT_EQ(ResultOf(Flat(200 * kMillion, 8 * kMillion), "rd_ratio_3y"), Outcome::kQualifies);
  EXPECT_EQ(ResultOf(Flat(200 * kMillion, 8 * kMillion - 1), "rd_ratio_3y"), Outcome::kFails);
  // Over 200 million: 3%.
  EXPECT_DOUBLE_EQ(*Get(EvaluateHighTech(Flat(200 * kMillion + 1, 0), kYear), "rd_ratio_3y").threshold, 0.03);
  EXPECT_EQ(ResultOf(Flat(300 * kMillion, 9 * kMillion), "rd_ratio_3y"), Outcome::kQualifies);
  EXPECT_EQ(ResultOf(Flat(300 * kMillion, 9 * kMillion - 1), "rd_ratio_3y"), Outcome::kFails);
}

TEST(HighTech, RdRatioIsOverThreeYearsAndUsesTheYearsAFirmHas) {
  FirmHistory f = Firm();
  // 3 + 5 + 7 million over 300 million = 5%: the middle of three, not the latest alone.
  f.years[0].rd_expense = f.years[0].rd_expense_domestic = 3 * kMillion;
  f.years[2].rd_expense = f.years[2].rd_expense_domestic = 7 * kMillion;
  f.years[2].revenue = 100 * kMillion;
  EXPECT_EQ(ResultOf(f, "rd_ratio_3y"), Outcome::kQualifies);
  EXPECT_NEAR(*Get(EvaluateHighTech(f, kYear), "rd_ratio_3y").value, 0.05, 1e-12);
  // A firm with two years uses two.
  f.years.erase(f.years.begin());
  EXPECT_NEAR(*Get(EvaluateHighTech(f, kYear), "rd_ratio_3y").value, 0.06, 1e-12);
  // A year's report without R&D: undetermined.
  f.years[0].rd_expense = std::nullopt;
  EXPECT_EQ(ResultOf(f, "rd_ratio_3y"), Outcome::kUndetermined);
}

TEST(HighTech, DomesticRdSixtyPercent) {
  FirmHistory f = Flat(100 * kMillion, 5 * kMillion);
  for (auto& y : f.years) y.rd_expense_domestic = 3 * kMillion;  // 60%
  EXPECT_EQ(ResultOf(f, "domestic_rd_share"), Outcome::kQualifies);
  f.years[0].rd_expense_domestic = 3 * kMillion - 1;
  EXPECT_EQ(ResultOf(f, "domestic_rd_share"), Outcome::kFails);
}

TEST(HighTech, HighTechRevenueSixtyPercent) {
  FirmHistory f = Firm();
  Now(f).high_tech_revenue = 60 * kMillion;
  EXPECT_EQ(ResultOf(f, "high_tech_revenue_share"), Outcome::kQualifies);
  Now(f).high_tech_revenue = 60 * kMillion - 1;
  EXPECT_EQ(ResultOf(f, "high_tech_revenue_share"), Outcome::kFails);
  const Qualification q = EvaluateHighTech(f, kYear);
  EXPECT_EQ(q.result, Outcome::kFails);
  EXPECT_TRUE(q.nearly);  // exactly one figure criterion fails
}

TEST(HighTech, CoreIpAndIncidents) {
  FirmHistory f = Firm();
  Now(f).ip_class1 = 0;
  Now(f).ip_class2 = 0;
  EXPECT_EQ(ResultOf(f, "core_ip"), Outcome::kFails);
  Now(f).ip_class2 = std::nullopt;
  EXPECT_EQ(ResultOf(f, "core_ip"), Outcome::kUndetermined);
  Now(f).ip_class2 = 1;
  EXPECT_EQ(ResultOf(f, "core_ip"), Outcome::kQualifies);
  Now(f).major_incident = true;
  EXPECT_EQ(ResultOf(f, "no_major_incident"), Outcome::kFails);
  Now(f).major_incident = std::nullopt;
  EXPECT_EQ(ResultOf(f, "no_major_incident"), Outcome::kUndetermined);
}

TEST(HighTech, InnovationScoreMustBeAboveSeventy) {
  EXPECT_EQ(InnovationScoreOutcome({71, 71}), Outcome::kQualifies);
  EXPECT_EQ(InnovationScoreOutcome({70, 70}), Outcome::kFails);
  EXPECT_EQ(InnovationScoreOutcome({40, 70}), Outcome::kFails);
  EXPECT_EQ(InnovationScoreOutcome({70, 90}), Outcome::kUndetermined);
  EXPECT_EQ(InnovationScoreOutcome({71, 90}), Outcome::kQualifies);
  // From statistics alone the score is a band: growth + IP quantity, plus 72 points for experts.
  const Qualification q = EvaluateHighTech(Firm(), kYear);
  EXPECT_EQ(q.score, (Band{7, 80}));  // growth exactly 0 + 0, IP quantity 7–8, 72 for experts
}

// The sales-growth band for revenues in years 1, 2, 3 (nullopt = no report that year).
Band SalesBand(std::optional<int64_t> y1, int64_t y2, int64_t y3) {
  FirmHistory f = Firm();
  f.years.clear();
  if (y1) f.years.push_back(Year(kYear - 2, *y1, 0));
  f.years.push_back(Year(kYear - 1, y2, 0));
  f.years.push_back(Year(kYear, y3, 0));
  for (const auto& s : EvaluateHighTech(f, kYear).scores) {
    if (s.id == "sales_growth") return s.band;
  }
  ADD_FAILURE();
  return {};
}

TEST(HighTech, GrowthTiersExactly) {
  // ½(y2/y1 + y3/y2) − 1 with y1 = y2 = 10000: the rate is (y3 − 10000) / 20000.
  EXPECT_EQ(SalesBand(10000, 10000, 17000), (Band{9, 10}));  // 35%
  EXPECT_EQ(SalesBand(10000, 10000, 16999), (Band{7, 8}));   // 34.995%
  EXPECT_EQ(SalesBand(10000, 10000, 15000), (Band{7, 8}));   // 25%
  EXPECT_EQ(SalesBand(10000, 10000, 14999), (Band{5, 6}));
  EXPECT_EQ(SalesBand(10000, 10000, 13000), (Band{5, 6}));  // 15%
  EXPECT_EQ(SalesBand(10000, 10000, 12999), (Band{3, 4}));
  EXPECT_EQ(SalesBand(10000, 10000, 11000), (Band{3, 4}));  // 5%
  EXPECT_EQ(SalesBand(10000, 10000, 10999), (Band{1, 2}));
  EXPECT_EQ(SalesBand(10000, 10000, 10001), (Band{1, 2}));  // > 0
  EXPECT_EQ(SalesBand(10000, 10000, 10000), (Band{0, 0}));  // 0
  // Uneven years: ½(12000/10000 + 14400/12000) − 1 = 20%.
  EXPECT_EQ(SalesBand(10000, 12000, 14400), (Band{5, 6}));
}

TEST(HighTech, GrowthSpecialCases) {
  // Year 1's value 0: the last two years only, 13500 / 10000 − 1 = 35%.
  EXPECT_EQ(SalesBand(0, 10000, 13500), (Band{9, 10}));
  EXPECT_EQ(SalesBand(0, 10000, 13499), (Band{7, 8}));
  // Year 2's value 0: 0 points, whatever year 3 is.
  EXPECT_EQ(SalesBand(10000, 0, 99999), (Band{0, 0}));
  // Negative growth scores 0.
  EXPECT_EQ(SalesBand(10000, 9000, 8000), (Band{0, 0}));
  // Under three years of history: the two years there are.
  EXPECT_EQ(SalesBand(std::nullopt, 10000, 10500), (Band{3, 4}));
  EXPECT_EQ(SalesBand(std::nullopt, 10000, 10499), (Band{1, 2}));
  // A year reported without the figure: unknown, the whole 0–10.
  FirmHistory f = Firm();
  f.years[0].revenue = std::nullopt;
  const Qualification q = EvaluateHighTech(f, kYear);
  EXPECT_EQ(q.scores[1].id, "sales_growth");
  EXPECT_EQ(q.scores[1].band, (Band{0, 10}));
}

TEST(HighTech, NetAssetGrowthFromAssetsLessLiabilities) {
  FirmHistory f = Firm();                       // net assets 40 million each year: 0 growth
  f.years[2].total_liabilities = 6 * kMillion;  // 54 million: ½(1 + 1.35) − 1 = 17.5%
  const Qualification q = EvaluateHighTech(f, kYear);
  EXPECT_EQ(q.scores[0].id, "net_asset_growth");
  EXPECT_EQ(q.scores[0].band, (Band{5, 6}));
}

TEST(HighTech, JsonCarriesCriteriaAndBands) {
  FirmHistory f = Firm();
  Now(f).employees = 1000;
  Now(f).tech_staff = 90;
  const auto j = QualificationToJson(EvaluateHighTech(f, kYear), Lang::kEn);
  EXPECT_EQ(j["rule_set"], "high-tech-2016");
  EXPECT_EQ(j["result"], "fails");
  EXPECT_EQ(j["scores"]["sales_growth"], nlohmann::ordered_json::array({0, 0}));
  bool seen = false;
  for (const auto& c : j["criteria"]) {
    if (c["id"] == "tech_staff_share") {
      seen = true;
      EXPECT_EQ(c["result"], "fail");
      EXPECT_EQ(c["value"], 0.09);
      EXPECT_EQ(c["threshold"], 0.1);
      EXPECT_EQ(c["distance"], 0.01);
    }
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace clusterscope
