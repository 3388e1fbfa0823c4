// Rule sets by assessment year (rules.md, "Which rule set applies"), the 2008 high-tech rules
// (§3b) at every boundary they differ from 2016 at, not_applicable and what-ifs.
#include <gtest/gtest.h>

#include <algorithm>

#include "clusterscope/rules.h"

namespace clusterscope {
namespace {

constexpr int64_t kYuan = 100;
constexpr int64_t kMillion = 1'000'000 * kYuan;

YearFacts Year(int year, int64_t revenue, int64_t rd) {
  YearFacts y;
  y.year = year;
  y.employees = 10'000;
  y.tech_staff = 4'000;  // 40%
  y.rd_staff = 1'500;    // 15%
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

// Three equal years ending in `year`.
FirmHistory Flat(int year, int64_t revenue, int64_t rd) {
  FirmHistory f;
  f.uscc = "91330100799655058B";
  f.name = "测试高企";
  f.industry_code = "2761";
  f.founded = "2008-03-01";
  for (int y = year - 2; y <= year; ++y) f.years.push_back(Year(y, revenue, rd));
  return f;
}

const Criterion* Find(const Qualification& q, std::string_view id) {
  for (const Criterion& c : q.criteria) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Criterion& Get(const Qualification& q, std::string_view id) {
  const Criterion* c = Find(q, id);
  static const Criterion kNone{};
  if (c == nullptr) ADD_FAILURE() << "no criterion " << id;
  return c != nullptr ? *c : kNone;
}

TEST(RuleSets, ChosenByAssessmentYear) {
  EXPECT_EQ(RuleSetInForce(RuleKind::kHighTech, 2007), nullptr);
  EXPECT_EQ(RuleSetInForce(RuleKind::kHighTech, 2008)->id, "high-tech-2008");
  EXPECT_EQ(RuleSetInForce(RuleKind::kHighTech, 2015)->id, "high-tech-2008");
  EXPECT_EQ(RuleSetInForce(RuleKind::kHighTech, 2016)->id, "high-tech-2016");
  EXPECT_EQ(RuleSetInForce(RuleKind::kHighTech, 2030)->id, "high-tech-2016");
  EXPECT_EQ(RuleSetInForce(RuleKind::kTechSme, 2016), nullptr);
  EXPECT_EQ(RuleSetInForce(RuleKind::kTechSme, 2017)->id, "tech-sme-2017");
  EXPECT_EQ(EvaluateHighTech(Flat(2014, 100 * kMillion, 5 * kMillion), 2014).rule_set, "high-tech-2008");
  EXPECT_EQ(EvaluateHighTech(Flat(2015, 100 * kMillion, 5 * kMillion), 2015).rule_set, "high-tech-2008");
  EXPECT_EQ(EvaluateHighTech(Flat(2016, 100 * kMillion, 5 * kMillion), 2016).rule_set, "high-tech-2016");
}

TEST(RuleSets, TechSmeBefore2017IsNotApplicable) {
  FirmHistory f = Flat(2016, 10 * kMillion, kMillion);
  const Qualification q = EvaluateTechSme(f, 2016);
  EXPECT_EQ(q.result, Outcome::kNotApplicable);
  EXPECT_EQ(q.rule_set, "tech-sme-2017");
  EXPECT_FALSE(q.what_if);
  EXPECT_EQ(q.verdict.en, "the evaluation scheme began in 2017");
  EXPECT_TRUE(q.gaps.empty());
  EXPECT_FALSE(q.nearly);
  const auto j = QualificationToJson(q, Lang::kEn);
  EXPECT_EQ(j["result"], "not_applicable");
  EXPECT_EQ(j["rule_set"], "tech-sme-2017");
  EXPECT_FALSE(j.contains("score"));
  // 2017 is scored.
  EXPECT_NE(EvaluateTechSme(Flat(2017, 10 * kMillion, kMillion), 2017).result, Outcome::kNotApplicable);
}

TEST(RuleSets, HighTechBefore2008IsNotApplicable) {
  const Qualification q = EvaluateHighTech(Flat(2007, 100 * kMillion, 5 * kMillion), 2007);
  EXPECT_EQ(q.result, Outcome::kNotApplicable);
  EXPECT_EQ(q.rule_set, "high-tech-2008");
  EXPECT_TRUE(q.criteria.empty());
}

TEST(RuleSets, AskedForRuleSetIsAWhatIf) {
  FirmHistory f = Flat(2014, 10 * kMillion, kMillion);
  const Qualification sme = EvaluateTechSme(f, 2014, "tech-sme-2017");
  EXPECT_NE(sme.result, Outcome::kNotApplicable);
  EXPECT_EQ(sme.rule_set, "tech-sme-2017");
  EXPECT_TRUE(sme.what_if);
  EXPECT_TRUE(QualificationToJson(sme, Lang::kEn)["what_if"].get<bool>());
  EXPECT_TRUE(
      std::any_of(sme.reasons.begin(), sme.reasons.end(), [](const Reason& r) { return r.en.starts_with("what-if"); }));
  const Qualification ht = EvaluateHighTech(f, 2014, "high-tech-2016");
  EXPECT_EQ(ht.rule_set, "high-tech-2016");
  EXPECT_TRUE(ht.what_if);
  EXPECT_NE(Find(ht, "registered_one_year"), nullptr);
  // Asking for the rule set in force is not a what-if.
  EXPECT_FALSE(EvaluateHighTech(f, 2014, "high-tech-2008").what_if);
  // A rule set of the other kind is not applied.
  EXPECT_EQ(EvaluateTechSme(f, 2017, "high-tech-2016").result, Outcome::kNotApplicable);
}

// §3b criterion 5: < 50 million: 6%; 50–200 million, both inclusive: 4%; above: 3%.
TEST(HighTech2008, RdRatioTiers) {
  const auto threshold = [](int year, int64_t revenue) {
    return *Get(EvaluateHighTech(Flat(year, revenue, 0), year), "rd_ratio_3y").threshold;
  };
  // Exactly 50 million yuan: the 4% tier in 2008, the 5% tier in 2016.
  EXPECT_DOUBLE_EQ(threshold(2014, 50 * kMillion), 0.04);
  EXPECT_DOUBLE_EQ(threshold(2016, 50 * kMillion), 0.05);
  EXPECT_DOUBLE_EQ(threshold(2017, 50 * kMillion), 0.05);
  // One fen under 50 million: 6% (2008), 5% (2016).
  EXPECT_DOUBLE_EQ(threshold(2014, 50 * kMillion - 1), 0.06);
  EXPECT_DOUBLE_EQ(threshold(2017, 50 * kMillion - 1), 0.05);
  // Exactly 200 million: 4% both; one fen over: 3% both.
  EXPECT_DOUBLE_EQ(threshold(2014, 200 * kMillion), 0.04);
  EXPECT_DOUBLE_EQ(threshold(2014, 200 * kMillion + 1), 0.03);
  EXPECT_DOUBLE_EQ(threshold(2017, 200 * kMillion + 1), 0.03);
  // The bar itself, to the fen: 6% of 40 million.
  const auto result = [](int64_t revenue, int64_t rd) {
    return Get(EvaluateHighTech(Flat(2014, revenue, rd), 2014), "rd_ratio_3y").result;
  };
  EXPECT_EQ(result(40 * kMillion, 2'400'000 * kYuan), Outcome::kQualifies);
  EXPECT_EQ(result(40 * kMillion, 2'400'000 * kYuan - 1), Outcome::kFails);
  // At exactly 50 million, 4%: 2 million passes in 2014 (it would fail 2016's 5%).
  EXPECT_EQ(result(50 * kMillion, 2 * kMillion), Outcome::kQualifies);
  EXPECT_EQ(result(50 * kMillion, 2 * kMillion - 1), Outcome::kFails);
  EXPECT_EQ(Get(EvaluateHighTech(Flat(2016, 50 * kMillion, 2 * kMillion), 2016), "rd_ratio_3y").result,
            Outcome::kFails);
}

// §3b criterion 4: college-educated tech staff ≥ 30% and R&D staff ≥ 10% of employees.
TEST(HighTech2008, TechStaffThirtyAndRdStaffTenPercent) {
  FirmHistory f = Flat(2014, 100 * kMillion, 5 * kMillion);
  f.years.back().tech_staff = 3'000;  // 30.00%
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "tech_staff_share").result, Outcome::kQualifies);
  EXPECT_DOUBLE_EQ(*Get(EvaluateHighTech(f, 2014), "tech_staff_share").threshold, 0.30);
  f.years.back().tech_staff = 2'999;  // 29.99%
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "tech_staff_share").result, Outcome::kFails);
  // 29.99% passes 2016's 10%.
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014, "high-tech-2016"), "tech_staff_share").result, Outcome::kQualifies);
  f = Flat(2014, 100 * kMillion, 5 * kMillion);
  f.years.back().rd_staff = 1'000;  // 10.00%
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "rd_staff_share").result, Outcome::kQualifies);
  f.years.back().rd_staff = 999;  // 9.99%
  const Qualification q = EvaluateHighTech(f, 2014);
  EXPECT_EQ(Get(q, "rd_staff_share").result, Outcome::kFails);
  EXPECT_EQ(q.result, Outcome::kFails);
  EXPECT_TRUE(q.nearly);  // exactly one figure criterion fails
  f.years.back().rd_staff = std::nullopt;
  const Qualification open = EvaluateHighTech(f, 2014);
  EXPECT_EQ(Get(open, "rd_staff_share").result, Outcome::kUndetermined);
  // Failing nothing, not a candidate: the cell to fill is named.
  EXPECT_EQ(open.result, Outcome::kUndetermined);
  EXPECT_FALSE(open.candidate);
  EXPECT_EQ(open.missing_cells, (std::vector<std::string>{"2014:rd_staff"}));
  // The 2016 rules have no R&D-staff criterion.
  EXPECT_EQ(Find(EvaluateHighTech(Flat(2017, 100 * kMillion, 5 * kMillion), 2017), "rd_staff_share"), nullptr);
}

TEST(HighTech2008, NoRegistrationCriterionAndIncidentsNotApplied) {
  FirmHistory f = Flat(2014, 100 * kMillion, 5 * kMillion);
  f.founded = "2014-06-01";  // under a year old: would fail 2016's criterion 1
  f.years.back().major_incident = true;
  const Qualification q = EvaluateHighTech(f, 2014);
  EXPECT_EQ(Find(q, "registered_one_year"), nullptr);
  EXPECT_EQ(Get(q, "no_major_incident").result, Outcome::kNotApplicable);
  EXPECT_EQ(QualificationToJson(q, Lang::kEn)["criteria"].back()["result"], "not_applied");
  EXPECT_TRUE(q.candidate);
  EXPECT_EQ(q.result, Outcome::kUndetermined);
  // Under 2016's rules (what-if) the same firm fails on registration and the incident.
  const Qualification w = EvaluateHighTech(f, 2014, "high-tech-2016");
  EXPECT_EQ(Get(w, "registered_one_year").result, Outcome::kFails);
  EXPECT_EQ(Get(w, "no_major_incident").result, Outcome::kFails);
}

TEST(HighTech2008, HighTechRevenueAndCoreIpAsIn2016) {
  FirmHistory f = Flat(2014, 100 * kMillion, 5 * kMillion);
  f.years.back().high_tech_revenue = 60 * kMillion;  // exactly 60%
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "high_tech_revenue_share").result, Outcome::kQualifies);
  f.years.back().high_tech_revenue = 60 * kMillion - 1;
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "high_tech_revenue_share").result, Outcome::kFails);
  f = Flat(2014, 100 * kMillion, 5 * kMillion);
  f.years.back().ip_class1 = 0;
  f.years.back().ip_class2 = 0;
  EXPECT_EQ(Get(EvaluateHighTech(f, 2014), "core_ip").result, Outcome::kFails);
}

// A tech-SME firm one tier short: below the bar, and the suggested step reaches it.
TEST(TechSmePipeline, NearlyOnlyBelowTheBarAndTheStepReachesIt) {
  FirmHistory f;
  f.uscc = "914403001922038216";
  f.name = "测试企业";
  f.industry_code = "2740";
  f.founded = "2005";
  YearFacts y;
  y.year = 2017;
  y.employees = 100;
  y.tech_staff = 30;  // 20 points
  y.revenue = 10 * kMillion;
  y.total_assets = 20 * kMillion;
  y.total_cost = 100 * kMillion;
  y.rd_expense = 400'000 * kYuan;  // 4%: 30 → 50 points, 10 short
  y.ip_class1 = 0;
  y.ip_class2 = 0;
  y.major_incident = false;
  YearFacts prev = y;
  prev.year = 2016;
  f.years = {prev, y};
  Qualification q = EvaluateTechSme(f, 2017);
  EXPECT_EQ(q.score, (Band{50, 50}));
  EXPECT_TRUE(q.nearly);
  int reaching = 0;
  for (const Gap& g : q.gaps) {
    if (!g.reaches_bar) continue;
    ++reaching;
    EXPECT_GE(q.score.min + g.points, kTechSmePassMark) << g.text.en;
  }
  EXPECT_GT(reaching, 0);
  // The R&D step 4% → 5% gives +10: reaches 60. The tech-staff step does not exist (top tier).
  EXPECT_TRUE(std::any_of(q.gaps.begin(), q.gaps.end(),
                          [](const Gap& g) { return g.indicator == "rd_revenue_ratio" && g.reaches_bar; }));
  // Tech staff 25% (16) and R&D 2% (10): 26 points; the best single step (a class I right, +30)
  // gives 56: not nearly, and no step is marked as reaching the bar.
  f.years.back().tech_staff = 25;
  f.years.back().rd_expense = 200'000 * kYuan;
  q = EvaluateTechSme(f, 2017);
  EXPECT_FALSE(q.nearly);
  EXPECT_TRUE(std::none_of(q.gaps.begin(), q.gaps.end(), [](const Gap& g) { return g.reaches_bar; }));
  // At or over the bar but undetermined for an empty incident cell: never one tier short, and the
  // missing cell is named.
  f.years.back().tech_staff = 30;
  f.years.back().rd_expense = 600'000 * kYuan;  // 70 points
  f.years.back().major_incident = std::nullopt;
  q = EvaluateTechSme(f, 2017);
  EXPECT_EQ(q.result, Outcome::kUndetermined);
  EXPECT_GE(q.score.min, kTechSmePassMark);
  EXPECT_FALSE(q.nearly);
  EXPECT_EQ(q.missing_cells, (std::vector<std::string>{"2017:major_incident"}));
}

}  // namespace
}  // namespace clusterscope
