// rules.md §2 at every tier boundary: lower bounds inclusive, upper exclusive, exact to the fen.
#include <gtest/gtest.h>

#include <algorithm>

#include "clusterscope/rules.h"

namespace clusterscope {
namespace {

constexpr int kYear = 2017;     // tech-sme-2017 is in force from 2017
constexpr int64_t kYuan = 100;  // fen per yuan
constexpr int64_t kMillion = 1'000'000 * kYuan;

// A firm that qualifies by score with 70 points: tech staff 30% (20), R&D / revenue 6% (50), no IP.
FirmHistory Firm() {
  FirmHistory f;
  f.uscc = "914403001922038216";
  f.name = "测试企业";
  f.industry_code = "2740";
  f.founded = "2005";
  YearFacts y;
  y.year = kYear;
  y.employees = 100;
  y.tech_staff = 30;
  y.revenue = 10 * kMillion;
  y.total_assets = 20 * kMillion;
  y.total_cost = 100 * kMillion;  // R&D / costs 0.6%: scores 0, so the revenue ratio decides
  y.rd_expense = 600'000 * kYuan;
  y.ip_class1 = 0;
  y.ip_class2 = 0;
  y.major_incident = false;
  y.national_award_5y = false;
  y.provincial_rd_institution = false;
  y.standard_lead_5y = false;
  YearFacts prev = y;
  prev.year = kYear - 1;
  f.years = {prev, y};
  return f;
}

YearFacts& Now(FirmHistory& f) { return f.years.back(); }

int Points(const Qualification& q, std::string_view id) {
  for (const auto& s : q.scores) {
    if (s.id == id) {
      EXPECT_TRUE(s.band.known()) << id;
      return s.band.min;
    }
  }
  ADD_FAILURE() << "no score " << id;
  return -1;
}

int TechPoints(int64_t tech, int64_t employees) {
  FirmHistory f = Firm();
  Now(f).tech_staff = tech;
  Now(f).employees = employees;
  return Points(EvaluateTechSme(f, kYear), "tech_staff");
}

TEST(TechSme, BaseFirmQualifiesByScore) {
  const Qualification q = EvaluateTechSme(Firm(), kYear);
  EXPECT_EQ(q.result, Outcome::kQualifies);
  EXPECT_EQ(q.route, "score");
  EXPECT_EQ(q.score, (Band{70, 70}));
  EXPECT_EQ(q.rule_set, "tech-sme-2017");
}

TEST(TechSme, TechStaffTiers) {
  // 29.99% vs 30.00% needs 10,000 employees; the score is computed even though size fails.
  EXPECT_EQ(TechPoints(2999, 10000), 16);
  EXPECT_EQ(TechPoints(3000, 10000), 20);
  EXPECT_EQ(TechPoints(150, 500), 20);
  EXPECT_EQ(TechPoints(149, 500), 16);
  EXPECT_EQ(TechPoints(25, 100), 16);
  EXPECT_EQ(TechPoints(2499, 10000), 12);
  EXPECT_EQ(TechPoints(20, 100), 12);
  EXPECT_EQ(TechPoints(1999, 10000), 8);
  EXPECT_EQ(TechPoints(15, 100), 8);
  EXPECT_EQ(TechPoints(1499, 10000), 4);
  EXPECT_EQ(TechPoints(10, 100), 4);
  EXPECT_EQ(TechPoints(999, 10000), 0);
  EXPECT_EQ(TechPoints(0, 100), 0);
  EXPECT_EQ(TechPoints(0, 0), 0);  // no employees: 0, not a division by zero
}

int RdPoints(int64_t rd, int64_t revenue, int64_t cost) {
  FirmHistory f = Firm();
  Now(f).rd_expense = rd;
  Now(f).revenue = revenue;
  Now(f).total_cost = cost;
  return Points(EvaluateTechSme(f, kYear), "rd");
}

TEST(TechSme, RdRevenueTiersToTheFen) {
  const int64_t rev = 10 * kMillion;
  const int64_t cost = 1000 * kMillion;  // ratio to costs stays below 10%
  for (auto [pct, points] : {std::pair{6, 50}, {5, 40}, {4, 30}, {3, 20}, {2, 10}}) {
    const int64_t at = rev / 100 * pct;
    EXPECT_EQ(RdPoints(at, rev, cost), points) << pct << "% exactly";
    EXPECT_EQ(RdPoints(at - 1, rev, cost), points - 10) << pct << "% less one fen";
  }
}

TEST(TechSme, RdCostTiersToTheFen) {
  const int64_t rev = 1000 * kMillion;  // ratio to revenue stays below 2%
  const int64_t cost = 10 * kMillion;
  for (auto [pct, points] : {std::pair{30, 50}, {25, 40}, {20, 30}, {15, 20}, {10, 10}}) {
    const int64_t at = cost / 100 * pct;
    EXPECT_EQ(RdPoints(at, rev, cost), points) << pct << "% exactly";
    EXPECT_EQ(RdPoints(at - 1, rev, cost), points - 10) << pct << "% less one fen";
  }
}

TEST(TechSme, TakesTheHigherRdRatio) {
  // 2.6% of revenue (10) but 22% of costs (30): 30.
  EXPECT_EQ(RdPoints(260'000 * kYuan, 10 * kMillion, 1'181'818 * kYuan), 30);
  // 5% of revenue (40), 12% of costs (10): 40.
  EXPECT_EQ(RdPoints(500'000 * kYuan, 10 * kMillion, 4'166'667 * kYuan), 40);
}

int IpPointsOf(int64_t c1, int64_t c2) {
  FirmHistory f = Firm();
  Now(f).ip_class1 = c1;
  Now(f).ip_class2 = c2;
  return Points(EvaluateTechSme(f, kYear), "ip");
}

TEST(TechSme, IpTiers) {
  EXPECT_EQ(IpPointsOf(1, 0), 30);
  EXPECT_EQ(IpPointsOf(2, 9), 30);
  EXPECT_EQ(IpPointsOf(0, 5), 24);
  EXPECT_EQ(IpPointsOf(0, 4), 24);
  EXPECT_EQ(IpPointsOf(0, 3), 18);
  EXPECT_EQ(IpPointsOf(0, 2), 12);
  EXPECT_EQ(IpPointsOf(0, 1), 6);
  EXPECT_EQ(IpPointsOf(0, 0), 0);
}

TEST(TechSme, SizeLimitsAreInclusive) {
  FirmHistory f = Firm();
  Now(f).employees = 500;
  Now(f).tech_staff = 150;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kQualifies);
  Now(f).employees = 501;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);

  f = Firm();
  Now(f).revenue = 200 * kMillion;  // exactly 200 million yuan
  Now(f).rd_expense = 12 * kMillion;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kQualifies);
  Now(f).revenue = 200 * kMillion + 1;  // one fen more
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);

  f = Firm();
  Now(f).total_assets = 200 * kMillion;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kQualifies);
  Now(f).total_assets = 200 * kMillion + 1;
  const Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kFails);
  EXPECT_TRUE(std::any_of(q.reasons.begin(), q.reasons.end(),
                          [](const Reason& r) { return r.en.find("total assets") != std::string::npos; }));
}

TEST(TechSme, ExcludedIndustries) {
  for (const char* code : {"1610", "5211", "5110", "6110", "6210", "7010", "7111", "7211", "9011", "C1620"}) {
    FirmHistory f = Firm();
    f.industry_code = code;
    EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails) << code;
  }
  for (const char* code : {"2740", "1492", "6311", "7310", "8010"}) {
    FirmHistory f = Firm();
    f.industry_code = code;
    EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kQualifies) << code;
  }
}

TEST(TechSme, IncidentsInTheYearOrTheYearBefore) {
  FirmHistory f = Firm();
  Now(f).major_incident = true;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
  f = Firm();
  f.years.front().major_incident = true;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
  f = Firm();
  Now(f).major_incident = std::nullopt;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kUndetermined);
  // No report for the year before: the condition is checked on the year alone, and says so.
  f = Firm();
  f.years.erase(f.years.begin());
  const Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kQualifies);
  EXPECT_TRUE(std::any_of(q.reasons.begin(), q.reasons.end(),
                          [](const Reason& r) { return r.en.find("no report for 2016") != std::string::npos; }));
}

TEST(TechSme, ScoreBarIsSixtyAndTechStaffMustScore) {
  FirmHistory f = Firm();
  Now(f).rd_expense = 500'000 * kYuan;  // 5%: 40 → 20 + 40 = 60
  EXPECT_EQ(EvaluateTechSme(f, kYear).score, (Band{60, 60}));
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kQualifies);
  Now(f).tech_staff = 29;  // 29%: 16 → 56
  EXPECT_EQ(EvaluateTechSme(f, kYear).score, (Band{56, 56}));
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
  // 80 points but no tech-staff points: fails condition 5.
  f = Firm();
  Now(f).tech_staff = 9;
  Now(f).ip_class1 = 1;
  const Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.score, (Band{80, 80}));
  EXPECT_EQ(q.result, Outcome::kFails);
}

TEST(TechSme, DirectQualification) {
  FirmHistory f = Firm();
  Now(f).rd_expense = 0;  // score 20: fails by score
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
  f.high_tech_cert_year = kYear - 2;  // valid that year and the two after
  Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kQualifies);
  EXPECT_EQ(q.route, "direct");
  f.high_tech_cert_year = kYear - 3;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
  f.high_tech_cert_year = std::nullopt;
  for (auto flag :
       {&YearFacts::national_award_5y, &YearFacts::provincial_rd_institution, &YearFacts::standard_lead_5y}) {
    FirmHistory g = f;
    Now(g).*flag = true;
    EXPECT_EQ(EvaluateTechSme(g, kYear).route, "direct");
  }
  // Direct routes still need conditions 1–4.
  Now(f).standard_lead_5y = true;
  Now(f).employees = 600;
  EXPECT_EQ(EvaluateTechSme(f, kYear).result, Outcome::kFails);
}

TEST(TechSme, MissingInputsGiveBandsNotGuesses) {
  FirmHistory f = Firm();
  Now(f).rd_expense = std::nullopt;  // 20 + [0, 50] + 0: straddles 60
  Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.score, (Band{20, 70}));
  EXPECT_EQ(q.result, Outcome::kUndetermined);
  // Missing, but even the best case stays under 60: fails.
  Now(f).tech_staff = 5;  // 0 points
  Now(f).employees = 100;
  q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kFails);
  // Costs missing, but the revenue ratio already scores 50: known.
  f = Firm();
  Now(f).total_cost = std::nullopt;
  q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.score, (Band{70, 70}));
  EXPECT_EQ(q.result, Outcome::kQualifies);
  // Revenue missing: size condition undetermined even with a good score.
  Now(f).revenue = std::nullopt;
  Now(f).total_cost = 2 * kMillion;  // R&D / costs 30%: 50
  q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kUndetermined);
  // No report at all for the year.
  EXPECT_EQ(EvaluateTechSme(Firm(), kYear + 1).result, Outcome::kUndetermined);
}

TEST(TechSme, GapsNameTheNextTier) {
  FirmHistory f = Firm();
  Now(f).tech_staff = 27;
  Now(f).rd_expense = 260'000 * kYuan;  // 2.6%: 10
  Now(f).ip_class2 = 2;                 // 12
  const Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.score, (Band{38, 38}));
  EXPECT_EQ(q.result, Outcome::kFails);
  auto gap = [&](std::string_view id) -> const Gap* {
    for (const Gap& g : q.gaps) {
      if (g.indicator == id) return &g;
    }
    return nullptr;
  };
  ASSERT_NE(gap("tech_staff_share"), nullptr);
  EXPECT_DOUBLE_EQ(gap("tech_staff_share")->next_tier, 0.30);
  EXPECT_EQ(gap("tech_staff_share")->points, 4);
  ASSERT_NE(gap("rd_revenue_ratio"), nullptr);
  EXPECT_EQ(gap("rd_revenue_ratio")->points, 10);
  EXPECT_EQ(gap("rd_revenue_ratio")->text.en, "R&D / revenue 2.6%: 3% gives +10 points");
  EXPECT_EQ(gap("rd_revenue_ratio")->text.zh, "研发费用占销售收入比重2.6%：达到3%可加10分");
  ASSERT_NE(gap("ip_class2"), nullptr);
  EXPECT_EQ(gap("ip_class2")->points, 6);
  ASSERT_NE(gap("ip_class1"), nullptr);
  EXPECT_EQ(gap("ip_class1")->points, 18);
  EXPECT_FALSE(q.nearly);  // 38 + 18 < 60
}

TEST(TechSme, NearlyMeansOneTierShort) {
  FirmHistory f = Firm();
  Now(f).rd_expense = 450'000 * kYuan;  // 4.5%: 30 → 20 + 30 = 50; 5% gives +10 → 60
  Qualification q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kFails);
  EXPECT_TRUE(q.nearly);
  Now(f).rd_expense = 350'000 * kYuan;  // 3.5%: 20 → 40; one tier gives +10 → 50; class I IP +30 → 70
  q = EvaluateTechSme(f, kYear);
  EXPECT_TRUE(q.nearly);
  Now(f).ip_class2 = 0;
  Now(f).ip_class1 = std::nullopt;  // the IP step is unknown: no gap, and the band straddles
  q = EvaluateTechSme(f, kYear);
  EXPECT_EQ(q.result, Outcome::kUndetermined);
}

TEST(TechSme, JsonHasTheDocumentedShape) {
  FirmHistory f = Firm();
  Now(f).tech_staff = 27;
  const auto j = QualificationToJson(EvaluateTechSme(f, kYear), Lang::kEn);
  EXPECT_EQ(j["rule_set"], "tech-sme-2017");
  EXPECT_EQ(j["result"], "qualifies");
  EXPECT_EQ(j["route"], "score");
  EXPECT_EQ(j["score"], 66);
  EXPECT_EQ(j["scores"]["tech_staff"], 16);
  EXPECT_EQ(j["scores"]["rd"], 50);
  EXPECT_EQ(j["gaps"][0]["indicator"], "tech_staff_share");
  EXPECT_EQ(j["gaps"][0]["value"], 0.27);
  EXPECT_EQ(j["gaps"][0]["next_tier"], 0.3);
  EXPECT_EQ(j["gaps"][0]["points"], 4);
}

}  // namespace
}  // namespace clusterscope

namespace clusterscope {
namespace {

// AssessTechSme (no words, for counting) must agree with EvaluateTechSme on result and score for
// any facts: random firms around every boundary, with values missing at random.
TEST(TechSme, QuickAssessmentAgreesWithTheFullEvaluation) {
  uint64_t state = 20141121;
  const auto next = [&](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  const auto maybe = [&](int64_t v) -> std::optional<int64_t> {
    if (next(8) == 0) return std::nullopt;
    return v;
  };
  const auto flag = [&]() -> std::optional<bool> {
    const uint64_t r = next(10);
    if (r == 0) return std::nullopt;
    return r == 1;
  };
  int outcomes[3] = {0, 0, 0};
  for (int i = 0; i < 20000; ++i) {
    FirmHistory f = Firm();
    f.industry_code = next(20) == 0 ? "5211" : "2740";
    if (next(6) == 0) f.high_tech_cert_year = static_cast<int>(kYear - next(5));
    for (YearFacts& y : f.years) {
      const auto employees = static_cast<int64_t>(next(700));
      y.employees = maybe(employees);
      y.tech_staff = maybe(static_cast<int64_t>(next(static_cast<uint64_t>(employees) + 1)));
      const auto revenue = static_cast<int64_t>(next(300)) * kMillion;
      y.revenue = maybe(revenue);
      y.total_assets = maybe(static_cast<int64_t>(next(300)) * kMillion);
      y.total_cost = maybe(static_cast<int64_t>(next(300)) * kMillion);
      y.rd_expense = maybe(revenue / 100 * static_cast<int64_t>(next(9)));
      y.ip_class1 = maybe(static_cast<int64_t>(next(3)) / 2);
      y.ip_class2 = maybe(static_cast<int64_t>(next(6)));
      y.major_incident = flag();
      y.national_award_5y = flag();
      y.provincial_rd_institution = flag();
      y.standard_lead_5y = flag();
    }
    if (next(4) == 0) f.years.erase(f.years.begin());  // no report for the year before
    const Qualification full = EvaluateTechSme(f, kYear);
    const bool cert = f.CertificateValidIn(kYear);
    const TechSmeOutcome quick =
        AssessTechSme(*f.At(kYear), f.At(kYear - 1), FindExcludedIndustry(f.industry_code) != nullptr, cert);
    ASSERT_EQ(quick.result, full.result) << i;
    ASSERT_EQ(quick.score, full.score) << i;
    ++outcomes[static_cast<int>(full.result)];
  }
  // The random firms reach every outcome.
  EXPECT_GT(outcomes[0], 100);
  EXPECT_GT(outcomes[1], 100);
  EXPECT_GT(outcomes[2], 100);
}

}  // namespace
}  // namespace clusterscope
