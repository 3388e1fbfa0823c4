// Golden tests for the evaluation methods on hand-made matrices (the arithmetic is in
// tests/data/evaluation/README.md), and one test per scheme validation rule.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "clusterscope/evaluation.h"

namespace clusterscope {
namespace {

const std::string kData = std::string(CS_SOURCE_DIR) + "/tests/data/evaluation/";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Scheme Load(const std::string& name_or_path) {
  auto s = LoadScheme(name_or_path, Lang::kEn);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Scheme{};
}

EvaluationSubject Subject(std::string id, int firms, std::map<std::string, double> values,
                          std::string division = "27") {
  EvaluationSubject s;
  s.cluster_id = id;
  s.name = id;
  s.division = std::move(division);
  s.firm_count = firms;
  s.values = std::move(values);
  return s;
}

const ClusterEvaluation& Find(const EvaluationResult& r, const std::string& id) {
  for (const ClusterEvaluation& e : r.clusters) {
    if (e.cluster_id == id) return e;
  }
  ADD_FAILURE() << "no cluster " << id;
  static const ClusterEvaluation kNone;
  return kNone;
}

const IndicatorScore& Indicator(const ClusterEvaluation& e, const std::string& id) {
  for (const IndicatorScore& i : e.indicators) {
    if (i.id == id) return i;
  }
  ADD_FAILURE() << "no indicator " << id << " for " << e.cluster_id;
  static const IndicatorScore kNone;
  return kNone;
}

// ---------------------------------------------------------------- weighted

EvaluationInput WeightedMatrix() {
  EvaluationInput in;
  in.year = 2014;
  auto abc = [](double a, double b, double c) {
    return std::map<std::string, double>{{"gross_output", a}, {"debt_ratio", b}, {"rd_intensity", c}};
  };
  in.subjects = {Subject("P1", 10, abc(100, 0, 10)),
                 Subject("P2", 10, abc(0, 10, 0)),
                 Subject("P3", 10, abc(50, 5, 5)),
                 Subject("P4", 10, abc(50, 5, 5)),
                 Subject("P5", 10, {{"gross_output", 100}, {"rd_intensity", 0}}),
                 Subject("P6", 10, abc(85, 1.5, 8.5)),
                 Subject("P7", 10, abc(84.99, 1.501, 8.499)),
                 Subject("S", 3, abc(200, 0, 10))};
  in.subjects[4].missing_reasons["debt_ratio"] = "not_reported";
  return in;
}

TEST(Weighted, PreliminaryScoresWithoutExpertHaveNoGrade) {
  Scheme scheme = Load(kData + "weighted.toml");
  auto r = Evaluate(scheme, WeightedMatrix());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->expert_scores_used);
  struct Want {
    const char* id;
    double score;
    int rank;
  };
  for (Want w : {Want{"P1", 100, 1}, Want{"P6", 85, 2}, Want{"P7", 84.99, 3}, Want{"P5", 60, 4}, Want{"P3", 50, 5},
                 Want{"P4", 50, 5}, Want{"P2", 0, 7}}) {
    const ClusterEvaluation& e = Find(*r, w.id);
    ASSERT_TRUE(e.score.has_value()) << w.id;
    EXPECT_NEAR(*e.score, w.score, 1e-9) << w.id;
    EXPECT_EQ(e.score_kind, "preliminary") << w.id;
    EXPECT_EQ(e.grade, "") << w.id;  // no grade on a data score alone
    EXPECT_EQ(e.grade_zh, "") << w.id;
    ASSERT_TRUE(e.rank.has_value()) << w.id;
    EXPECT_EQ(*e.rank, w.rank) << w.id;
    EXPECT_EQ(e.peers, 7);
    EXPECT_FALSE(e.expert_used);
    EXPECT_EQ(e.reason_zh.rfind("初评得分", 0), 0u) << e.reason_zh;
    EXPECT_NE(e.reason_zh.find("待专家复评后定级"), std::string::npos) << e.reason_zh;
    EXPECT_EQ(e.reason_en.rfind("preliminary data score ", 0), 0u) << e.reason_en;
  }
  EXPECT_EQ(Find(*r, "P6").reason_zh.rfind("初评得分85.0，待专家复评后定级", 0), 0u) << Find(*r, "P6").reason_zh;
  EXPECT_EQ(EvaluationToJson(*r)["clusters"][0]["grade"], nullptr);
  // Ranked first in rank order, the cluster not rated last.
  EXPECT_EQ(r->clusters.front().cluster_id, "P1");
  EXPECT_EQ(r->clusters.back().cluster_id, "S");
}

TEST(Weighted, MissingIndicatorRenormalised) {
  auto r = Evaluate(Load(kData + "weighted.toml"), WeightedMatrix());
  ASSERT_TRUE(r.ok());
  const ClusterEvaluation& p5 = Find(*r, "P5");
  EXPECT_TRUE(p5.renormalised);
  ASSERT_EQ(p5.missing, std::vector<std::string>{"debt_ratio"});
  EXPECT_NEAR(*Indicator(p5, "gross_output").contribution, 60.0, 1e-9);
  EXPECT_NEAR(Indicator(p5, "gross_output").weight, 0.6, 1e-12);
  EXPECT_NEAR(*Indicator(p5, "rd_intensity").contribution, 0.0, 1e-12);
  EXPECT_FALSE(Indicator(p5, "debt_ratio").score.has_value());
  EXPECT_EQ(Indicator(p5, "debt_ratio").missing_reason, "not_reported");
  EXPECT_NE(p5.reason_en.find("weights renormalised"), std::string::npos) << p5.reason_en;
  EXPECT_NE(p5.reason_zh.find("重新分配"), std::string::npos) << p5.reason_zh;
  // Contributions add up to the data score for every rated cluster.
  for (const ClusterEvaluation& e : r->clusters) {
    if (!e.rated) continue;
    double sum = 0;
    for (const IndicatorScore& i : e.indicators) sum += i.contribution.value_or(0.0);
    EXPECT_NEAR(sum, *e.data_score, 1e-9) << e.cluster_id;
  }
  const ClusterEvaluation& p1 = Find(*r, "P1");
  EXPECT_FALSE(p1.renormalised);
  EXPECT_NEAR(Indicator(p1, "debt_ratio").weight, 0.3, 1e-12);
}

TEST(Weighted, TooFewFirmsNotRatedAndOutOfReference) {
  auto r = Evaluate(Load(kData + "weighted.toml"), WeightedMatrix());
  ASSERT_TRUE(r.ok());
  const ClusterEvaluation& s = Find(*r, "S");
  EXPECT_FALSE(s.rated);
  EXPECT_TRUE(s.small);
  EXPECT_EQ(s.not_rated_reason, "too_few_firms");
  EXPECT_FALSE(s.rank.has_value());
  EXPECT_FALSE(s.score.has_value());
  EXPECT_EQ(s.grade, "not_rated");
  // a = 200 did not stretch the reference range (else P1's a would score 50).
  EXPECT_NEAR(*Indicator(Find(*r, "P1"), "gross_output").score, 100.0, 1e-9);
  EXPECT_EQ(s.reason_en, "not rated: 3 member firms reported for 2014, fewer than the scheme's 5");
  EXPECT_EQ(s.reason_zh, "不评价：2014年报送年报的成员企业3家，少于方案要求的5家");
}

TEST(Weighted, NoReportingFirmsOrNotYetRecognisedNotRated) {
  EvaluationInput in = WeightedMatrix();
  in.subjects[7].firm_count = 0;          // S: no member firm reported
  in.subjects[6].recognised_year = 2016;  // P7: recognised after 2014
  in.subjects[5].recognised_year = 2014;  // P6: recognised in the year: rated
  auto r = Evaluate(Load(kData + "weighted.toml"), in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Find(*r, "S").not_rated_reason, "no_reporting_firms");
  EXPECT_EQ(Find(*r, "S").reason_en, "not rated: no member firm reported for 2014");
  EXPECT_EQ(Find(*r, "P7").not_rated_reason, "not_yet_recognised");
  EXPECT_EQ(Find(*r, "P7").reason_zh, "不评价：2016年认定，2014年尚未认定");
  EXPECT_FALSE(Find(*r, "P7").rank.has_value());
  EXPECT_TRUE(Find(*r, "P6").rated);
  EXPECT_EQ(Find(*r, "P6").peers, 6);
  // A year with no reports at all: every cluster listed as not rated, none scored.
  for (EvaluationSubject& subject : in.subjects) subject.firm_count = 0;
  auto none = Evaluate(Load(kData + "weighted.toml"), in);
  ASSERT_TRUE(none.ok());
  for (const ClusterEvaluation& e : none->clusters) {
    EXPECT_FALSE(e.rated) << e.cluster_id;
    EXPECT_FALSE(e.score.has_value()) << e.cluster_id;
  }
}

TEST(Weighted, ExpertScoresGradeTheCompositeAndRanksNeverMixKinds) {
  EvaluationInput in = WeightedMatrix();
  in.subjects[0].expert_score = 75;   // P1: 0.4 × 100 + 0.6 × 75 = 85
  in.subjects[1].expert_score = 100;  // P2: 0.4 × 0 + 0.6 × 100 = 60
  auto r = Evaluate(Load(kData + "weighted.toml"), in);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->expert_scores_used);
  const ClusterEvaluation& p1 = Find(*r, "P1");
  EXPECT_TRUE(p1.expert_used);
  EXPECT_EQ(p1.score_kind, "composite");
  EXPECT_NEAR(*p1.score, 85.0, 1e-9);
  EXPECT_NEAR(*p1.data_score, 100.0, 1e-9);
  EXPECT_EQ(p1.grade_zh, "优秀");
  EXPECT_EQ(p1.reason_zh.rfind("评为优秀：综合评分85.0", 0), 0u) << p1.reason_zh;
  EXPECT_EQ(Find(*r, "P2").grade_zh, "合格");
  // Composite scores rank among themselves (P1 1, P2 2 of 2); preliminary ones among theirs.
  struct Want {
    const char* id;
    int rank;
    int peers;
  };
  for (Want w : {Want{"P1", 1, 2}, Want{"P2", 2, 2}, Want{"P6", 1, 5}, Want{"P7", 2, 5}, Want{"P5", 3, 5},
                 Want{"P3", 4, 5}, Want{"P4", 4, 5}}) {
    EXPECT_EQ(Find(*r, w.id).rank.value_or(-1), w.rank) << w.id;
    EXPECT_EQ(Find(*r, w.id).peers, w.peers) << w.id;
  }
  EXPECT_EQ(Find(*r, "P6").grade, "");
  // Complete scores are listed before preliminary ones.
  EXPECT_EQ(r->clusters[0].cluster_id, "P1");
  EXPECT_EQ(r->clusters[1].cluster_id, "P2");
  EXPECT_EQ(r->clusters[2].cluster_id, "P6");
}

TEST(Weighted, ReasonNamesBottomQuarterDimensions) {
  EvaluationInput in = WeightedMatrix();
  in.subjects[1].expert_score = 50;  // P2: 0.4 × 0 + 0.6 × 50 = 30
  auto r = Evaluate(Load(kData + "weighted.toml"), in);
  ASSERT_TRUE(r.ok());
  const ClusterEvaluation& p2 = Find(*r, "P2");
  EXPECT_NEAR(*p2.dimensions[0].percentile, 0.5 / 7, 1e-12);
  EXPECT_NEAR(*p2.dimensions[1].percentile, 1.0 / 7, 1e-12);
  EXPECT_EQ(p2.reason_zh.rfind("评为不合格：综合评分30.0，距合格线60分差30.0分", 0), 0u) << p2.reason_zh;
  EXPECT_NE(p2.reason_zh.find("短板：维度一、维度二处于后四分之一"), std::string::npos) << p2.reason_zh;
  EXPECT_EQ(p2.reason_en.rfind("rated fail: composite score 30.0, 30.0 short of pass (60)", 0), 0u) << p2.reason_en;
  EXPECT_NE(p2.reason_en.find("weak: dimension one, dimension two in the bottom quarter"), std::string::npos)
      << p2.reason_en;
}

TEST(Weighted, SchemeWithoutExpertPartGradesTheDataScore) {
  std::string text = ReadText(kData + "weighted.toml");
  const std::string expert = "[expert]\ndata_weight = 0.4\nexpert_weight = 0.6\n";
  const size_t at = text.find(expert);
  ASSERT_NE(at, std::string::npos);
  text = text.substr(0, at) + text.substr(at + expert.size());
  auto scheme = ParseScheme(text, "no-expert", Lang::kEn);
  ASSERT_TRUE(scheme.ok()) << scheme.status().message();
  auto r = Evaluate(*scheme, WeightedMatrix());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Find(*r, "P6").score_kind, "data");
  EXPECT_EQ(Find(*r, "P6").grade_zh, "优秀");  // 85 exactly
  EXPECT_EQ(Find(*r, "P7").grade_zh, "良好");  // 84.99
  EXPECT_EQ(Find(*r, "P5").grade_zh, "合格");  // 60
  EXPECT_EQ(Find(*r, "P3").grade_zh, "不合格");
}

// ---------------------------------------------------------------- efficacy coefficient

EvaluationInput EfficacyMatrix() {
  EvaluationInput in;
  in.year = 2014;
  auto m = [](double go, double debt, double rd) {
    return std::map<std::string, double>{{"gross_output", go}, {"debt_ratio", debt}, {"rd_intensity", rd}};
  };
  in.subjects = {Subject("E1", 10, m(10, 0.2, 0.00)), Subject("E2", 10, m(20, 0.3, 0.01)),
                 Subject("E3", 10, m(30, 0.5, 0.03)), Subject("E4", 10, m(40, 0.55, 0.05)),
                 Subject("E5", 10, m(100, 0.6, 0.07))};
  return in;
}

TEST(Efficacy, HandWorkedScores) {
  auto r = Evaluate(Load(kData + "efficacy.toml"), EfficacyMatrix());
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ClusterEvaluation& e3 = Find(*r, "E3");
  // Bounds: gross_output p90 = 76, p10 = 14; debt_ratio (less is better) x_h = p10 = 0.24,
  // x_s = p90 = 0.58; rd_intensity fixed 0.10 / 0.02.
  EXPECT_NEAR(*Indicator(e3, "gross_output").satisfactory, 76.0, 1e-9);
  EXPECT_NEAR(*Indicator(e3, "gross_output").unacceptable, 14.0, 1e-9);
  EXPECT_NEAR(*Indicator(e3, "debt_ratio").satisfactory, 0.24, 1e-12);
  EXPECT_NEAR(*Indicator(e3, "debt_ratio").unacceptable, 0.58, 1e-12);
  EXPECT_NEAR(*Indicator(e3, "rd_intensity").satisfactory, 0.10, 1e-12);
  EXPECT_NEAR(*Indicator(e3, "gross_output").score, 60 + 40 * 16.0 / 62.0, 1e-9);
  EXPECT_NEAR(*Indicator(e3, "debt_ratio").score, 60 + 40 * 0.08 / 0.34, 1e-9);
  EXPECT_NEAR(*Indicator(e3, "rd_intensity").score, 65.0, 1e-9);
  // Capped at 100 above x_h and at 0 far below x_s; below x_s is under 60.
  EXPECT_NEAR(*Indicator(Find(*r, "E5"), "gross_output").score, 100.0, 1e-9);
  EXPECT_NEAR(*Indicator(Find(*r, "E1"), "debt_ratio").score, 100.0, 1e-9);
  EXPECT_NEAR(*Indicator(Find(*r, "E1"), "gross_output").score, 60 - 40 * 4.0 / 62.0, 1e-9);
  EXPECT_NEAR(*Indicator(Find(*r, "E1"), "rd_intensity").score, 50.0, 1e-9);
  struct Want {
    const char* id;
    double score;
    const char* grade;
    int rank;
  };
  for (Want w : {Want{"E5", 85.66176470588235, "优秀", 1}, Want{"E4", 73.01944971537002, "合格", 2},
                 Want{"E2", 68.9207779886148, "合格", 3}, Want{"E3", 68.76423149905123, "合格", 4},
                 Want{"E1", 66.20967741935485, "合格", 5}}) {
    const ClusterEvaluation& e = Find(*r, w.id);
    EXPECT_NEAR(*e.score, w.score, 1e-9) << w.id;
    EXPECT_EQ(e.grade_zh, w.grade) << w.id;
    EXPECT_EQ(e.rank.value_or(-1), w.rank) << w.id;
  }
}

TEST(Efficacy, BoundsEqualGiveSixtyAtTheBoundAndTheLimitElsewhere) {
  // Eleven clusters, nine at 5: p10 = p90 = 5 (type 7, h = 10p lands on the 2nd and 10th values).
  EvaluationInput in;
  in.year = 2014;
  for (int i = 0; i < 11; ++i) {
    const double x = i == 0 ? 1.0 : i == 10 ? 9.0 : 5.0;
    const std::string ids[] = {"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9", "X10"};
    in.subjects.push_back(Subject(ids[i], 10, {{"gross_output", x}, {"debt_ratio", 0.5}, {"rd_intensity", 0.05}}));
  }
  auto r = Evaluate(Load(kData + "efficacy.toml"), in);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(*Indicator(Find(*r, "X5"), "gross_output").score, 60.0, 1e-9);
  EXPECT_NEAR(*Indicator(Find(*r, "X10"), "gross_output").score, 100.0, 1e-9);
  EXPECT_NEAR(*Indicator(Find(*r, "X0"), "gross_output").score, 0.0, 1e-9);
  // Every cluster at the same debt ratio: x_h = x_s = the value: 60 each.
  EXPECT_NEAR(*Indicator(Find(*r, "X0"), "debt_ratio").score, 60.0, 1e-9);
}

// The shipped annual scheme: a cluster at the median of every indicator is 合格. Five clusters
// with every annual indicator at base × 1, 2, 3, 5, 13 (right-skewed, as money and counts are):
// p10 = 1.4, p90 = 9.8, so the median (3) scores 60 + 40 × 1.6 / 8.4 = 67.62 on every indicator.
TEST(Efficacy, AnnualMedianClusterIsPass) {
  Scheme annual = Load("annual");
  ASSERT_EQ(annual.normalisation, Normalisation::kEfficacy);
  EvaluationInput in;
  in.year = 2014;
  const double k[] = {1, 2, 3, 5, 13};
  for (int c = 0; c < 5; ++c) {
    std::map<std::string, double> v;
    for (const SchemeDimension& d : annual.dimensions) {
      for (const SchemeIndicator& ind : d.indicators) v[ind.id] = 0.01 * k[c];
    }
    const std::string ids[] = {"M0", "M1", "M2", "M3", "M4"};
    in.subjects.push_back(Subject(ids[c], 20, v));
  }
  in.subjects[2].expert_score = 60;  // an expert score at the pass mark
  auto r = Evaluate(annual, in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ClusterEvaluation& median = Find(*r, "M2");
  const double d = 60 + 40 * 1.6 / 8.4;
  EXPECT_NEAR(*median.data_score, d, 1e-9);
  for (const DimensionScore& ds : median.dimensions) EXPECT_NEAR(*ds.score, d, 1e-9) << ds.id;
  EXPECT_NEAR(*median.score, 0.4 * d + 0.6 * 60, 1e-9);
  EXPECT_EQ(median.grade_zh, "合格");
  // Its data score alone is in the 合格 band too (60 ≤ 67.6 < 75), though without an expert
  // score it would carry no grade.
  EXPECT_GE(*median.data_score, 60.0);
  EXPECT_LT(*median.data_score, 75.0);
  EXPECT_EQ(Find(*r, "M1").grade, "");
}

TEST(Weighted, PercentileNormalisation) {
  std::string text = ReadText(kData + "weighted.toml");
  text.replace(text.find("\"minmax\""), 8, "\"percentile\"");
  auto scheme = ParseScheme(text, "percentile-variant", Lang::kEn);
  ASSERT_TRUE(scheme.ok()) << scheme.status().message();
  auto r = Evaluate(*scheme, WeightedMatrix());
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(*Indicator(Find(*r, "P3"), "gross_output").score, 100.0 * 2.0 / 7.0, 1e-9);
}

TEST(Weighted, NoClustersIsRefused) {
  EvaluationInput empty;
  empty.year = 2014;
  auto r = Evaluate(Load(kData + "weighted.toml"), empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("没有可评价的集群"), std::string::npos);
}

// ---------------------------------------------------------------- entropy-topsis

TEST(EntropyTopsis, WeightsAndClosenessToHandWorkedValues) {
  EvaluationInput in;
  in.year = 2014;
  in.subjects = {Subject("A", 10, {{"gross_output", 10}, {"debt_ratio", 1}}),
                 Subject("B", 10, {{"gross_output", 20}, {"debt_ratio", 3}}),
                 Subject("C", 10, {{"gross_output", 40}, {"debt_ratio", 2}})};
  auto r = Evaluate(Load(kData + "entropy.toml"), in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(r->weights.at("gross_output"), 0.5371498705543878, 1e-9);
  EXPECT_NEAR(r->weights.at("debt_ratio"), 0.4628501294456122, 1e-9);
  EXPECT_NEAR(*Find(*r, "A").score, 0.4628501294456122, 1e-9);
  EXPECT_NEAR(*Find(*r, "B").score, 0.2342801644855816, 1e-9);
  EXPECT_NEAR(*Find(*r, "C").score, 0.7164977105925182, 1e-9);
  EXPECT_EQ(*Find(*r, "C").rank, 1);
  EXPECT_EQ(*Find(*r, "A").rank, 2);
  EXPECT_EQ(*Find(*r, "B").rank, 3);
  EXPECT_NEAR(*Indicator(Find(*r, "B"), "gross_output").score, 100.0 / 3.0, 1e-9);
  EXPECT_NE(Find(*r, "C").reason_en.find("closeness 0.716"), std::string::npos) << Find(*r, "C").reason_en;
}

// ---------------------------------------------------------------- strong-cluster

TEST(StrongCluster, TypeSevenPercentilesWithinDivision) {
  EvaluationInput in;
  in.year = 2014;
  auto m = [](double lq, double emp, double firms) {
    return std::map<std::string, double>{{"location_quotient", lq}, {"employees", emp}, {"firm_count", firms}};
  };
  in.subjects = {Subject("S1", 10, m(3.0, 600, 10)), Subject("S2", 9, m(2.4, 200, 9)),
                 Subject("S3", 8, m(2.0, 500, 8)),   Subject("S4", 7, m(1.5, 100, 7)),
                 Subject("S5", 6, m(1.2, 300, 6)),   Subject("S6", 5, m(0.8, 400, 5)),
                 Subject("S7", 2, m(5.0, 30, 2)),    Subject("T1", 5, m(0.5, 50, 5), "35")};
  auto r = Evaluate(Load("strong-cluster"), in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ClusterEvaluation& s1 = Find(*r, "S1");
  EXPECT_NEAR(s1.thresholds.at("lq_p75"), 2.3, 1e-12);
  EXPECT_NEAR(s1.thresholds.at("employees_p25"), 225.0, 1e-12);
  EXPECT_NEAR(s1.thresholds.at("firms_p25"), 6.25, 1e-12);
  struct Want {
    const char* id;
    const char* cls;
    int rank;
  };
  for (Want w :
       {Want{"S1", "strong", 1}, Want{"S2", "significant", 2}, Want{"S3", "significant", 3},
        Want{"S4", "qualifying", 4}, Want{"S5", "qualifying", 5}, Want{"S6", "below", 6}, Want{"T1", "below", 7}}) {
    EXPECT_EQ(Find(*r, w.id).grade, w.cls) << w.id;
    EXPECT_EQ(Find(*r, w.id).rank.value_or(-1), w.rank) << w.id;
  }
  EXPECT_NEAR(*s1.score, 100.0 * 5.5 / 6.0, 1e-9);
  EXPECT_NEAR(*Find(*r, "S6").score, 100.0 * 0.5 / 6.0, 1e-9);
  EXPECT_EQ(Find(*r, "S1").peers, 6);
  EXPECT_EQ(Find(*r, "S1").peer_group, "division");
  // T1 is alone in division 35: the peer group widens to section C (S1–S6 and T1), and says so.
  const ClusterEvaluation& t1 = Find(*r, "T1");
  EXPECT_EQ(t1.peer_group, "section");
  EXPECT_EQ(t1.peers, 7);
  EXPECT_NE(t1.reason_en.find("division 35 has 1 cluster (fewer than 5): compared within section C (7)"),
            std::string::npos)
      << t1.reason_en;
  EXPECT_NE(t1.reason_zh.find("比较范围扩大到门类C"), std::string::npos) << t1.reason_zh;
  // S7 (2 firms) is not rated at all.
  const ClusterEvaluation& s7 = Find(*r, "S7");
  EXPECT_EQ(s7.grade, "not_rated");
  EXPECT_FALSE(s7.rated);
  EXPECT_FALSE(s7.rank.has_value());
}

// ---------------------------------------------------------------- stars

TEST(Stars, TopTenPercentAndLqBoundary) {
  EvaluationInput in;
  in.year = 2014;
  auto m = [](double emp, double lq, double focus) {
    return std::map<std::string, double>{
        {"employees", emp}, {"location_quotient", lq}, {"zone_employment_share", focus}};
  };
  in.subjects = {Subject("A", 10, m(500, 2.0, 0.1)), Subject("B", 10, m(100, 1.99, 0.5)),
                 Subject("C", 10, m(200, 3.0, 0.2)), Subject("D", 10, m(300, 1.0, 0.3)),
                 Subject("E", 10, m(400, 0.5, 0.4))};
  auto r = Evaluate(Load("stars"), in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_NEAR(Find(*r, "A").thresholds.at("employees_threshold"), 460.0, 1e-9);
  EXPECT_NEAR(Find(*r, "A").thresholds.at("zone_employment_share_threshold"), 0.46, 1e-12);
  struct Want {
    const char* id;
    int stars;
    int rank;
  };
  for (Want w : {Want{"A", 2, 1}, Want{"B", 1, 2}, Want{"C", 1, 2}, Want{"D", 0, 4}, Want{"E", 0, 4}}) {
    EXPECT_EQ(Find(*r, w.id).stars.value_or(-1), w.stars) << w.id;
    EXPECT_EQ(Find(*r, w.id).rank.value_or(-1), w.rank) << w.id;
  }
  EXPECT_EQ(Find(*r, "A").reason_en, "2 stars: size, specialisation; not: focus");
  EXPECT_EQ(Find(*r, "B").reason_zh, "1星：集中度；未达：规模、专业化");
}

// ---------------------------------------------------------------- lifecycle

TEST(Lifecycle, FourClassesAndBoundaries) {
  EvaluationInput in;
  in.year = 2014;
  auto m = [](double lq, double g) {
    return std::map<std::string, double>{{"location_quotient", lq}, {"employees_growth", g}};
  };
  in.subjects = {Subject("L1", 10, m(1.0, 0.05)), Subject("L2", 10, m(1.5, 0.0)), Subject("L3", 10, m(0.99, 0.1)),
                 Subject("L4", 10, m(0.5, -0.1)), Subject("L5", 10, {{"employees_growth", 0.2}})};
  in.national["employees_growth"] = 0.0;
  auto r = Evaluate(Load("lifecycle"), in);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Find(*r, "L1").grade, "star");
  EXPECT_EQ(Find(*r, "L2").grade, "mature");
  EXPECT_EQ(Find(*r, "L3").grade, "emerging");
  EXPECT_EQ(Find(*r, "L4").grade, "transforming");
  EXPECT_EQ(Find(*r, "L5").grade, "undetermined");
  EXPECT_EQ(Find(*r, "L5").missing, std::vector<std::string>{"location_quotient"});
  EXPECT_FALSE(Find(*r, "L5").rank.has_value());
  EXPECT_EQ(Find(*r, "L2").rank.value_or(-1), 1);
  EXPECT_EQ(Find(*r, "L1").grade_zh, "明星");
  EXPECT_EQ(Find(*r, "L2").reason_en, "mature: LQ 1.50 >= 1, growth 0.0% not above the national 0.0%");
  // Against a nation growing 8%: L1 (5%) is mature, L3 (10%) still emerging.
  in.national["employees_growth"] = 0.08;
  auto fast = Evaluate(Load("lifecycle"), in);
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(Find(*fast, "L1").grade, "mature");
  EXPECT_EQ(Find(*fast, "L3").grade, "emerging");
  EXPECT_EQ(Find(*fast, "L1").reason_zh, "成熟：区位商1.00≥1，增长5.0%不高于全国8.0%");
  // National growth unknown: undetermined, not a guess against zero.
  in.national.clear();
  auto unknown = Evaluate(Load("lifecycle"), in);
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(Find(*unknown, "L1").grade, "undetermined");
}

TEST(Stars, SmallDivisionWidensToAllClusters) {
  EvaluationInput in;
  in.year = 2014;
  auto m = [](double emp, double lq, double focus) {
    return std::map<std::string, double>{
        {"employees", emp}, {"location_quotient", lq}, {"zone_employment_share", focus}};
  };
  // One cluster in division 65 (section I) and four in 27: no division or section reaches 5.
  in.subjects = {Subject("A", 10, m(500, 2.0, 0.1)), Subject("B", 10, m(100, 1.99, 0.5)),
                 Subject("C", 10, m(200, 3.0, 0.2)), Subject("D", 10, m(300, 1.0, 0.3)),
                 Subject("K", 10, m(50, 5.0, 0.9), "65")};
  auto r = Evaluate(Load("stars"), in);
  ASSERT_TRUE(r.ok());
  const ClusterEvaluation& k = Find(*r, "K");
  EXPECT_EQ(k.peer_group, "all");
  // Against all five, K's 50 employees are not in the top 10%: not crowned for size alone.
  EXPECT_EQ(k.stars.value_or(-1), 2);  // specialisation and focus
  EXPECT_NE(k.reason_en.find("compared with all 5 clusters"), std::string::npos) << k.reason_en;
  EXPECT_EQ(Find(*r, "A").peer_group, "all");
}

// ---------------------------------------------------------------- shipped schemes

TEST(Shipped, EveryShippedSchemeLoads) {
  std::vector<std::string> ids = BuiltinSchemeIds();
  EXPECT_EQ(ids, (std::vector<std::string>{"annual", "strong-cluster", "stars", "entropy-topsis", "lifecycle"}));
  for (const std::string& id : ids) {
    Scheme s = Load(id);
    EXPECT_EQ(s.id, id);
    EXPECT_EQ(s.source, "builtin:" + id);
    // The embedded text is the file in schemes/.
    auto from_file = LoadScheme(std::string(CS_SOURCE_DIR) + "/schemes/" + id + ".toml", Lang::kEn);
    ASSERT_TRUE(from_file.ok()) << from_file.status().message();
    EXPECT_EQ(from_file->version, s.version);
  }
  Scheme annual = Load("annual");
  EXPECT_EQ(annual.method, EvaluationMethod::kWeighted);
  EXPECT_DOUBLE_EQ(annual.data_weight, 0.4);
  EXPECT_DOUBLE_EQ(annual.expert_weight, 0.6);
  ASSERT_EQ(annual.grades.size(), 4u);
  EXPECT_EQ(annual.grades[0].zh, "优秀");
  EXPECT_DOUBLE_EQ(annual.grades[0].min_score, 85);
  EXPECT_DOUBLE_EQ(annual.grades[1].min_score, 75);
  EXPECT_DOUBLE_EQ(annual.grades[2].min_score, 60);
  ASSERT_EQ(annual.dimensions.size(), 4u);
  EXPECT_EQ(annual.dimensions[0].zh, "规模效益");
  EXPECT_EQ(annual.dimensions[1].zh, "创新主体");
  EXPECT_EQ(annual.dimensions[2].zh, "创新能力");
  EXPECT_EQ(annual.dimensions[3].zh, "服务体系");
}

TEST(Shipped, UnknownNameAndMissingFile) {
  auto unknown = LoadScheme("anual", Lang::kEn);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(ExitCodeFor(unknown.status()), 1);
  EXPECT_NE(unknown.status().message().find("no such scheme"), std::string::npos);
  auto missing = LoadScheme("/nonexistent/x.toml", Lang::kZh);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("方案文件不存在"), std::string::npos) << missing.status().message();
}

// ---------------------------------------------------------------- validation, one case per rule

struct BadCase {
  const char* name;
  const char* from;  // text in weighted.toml (or the role scheme) replaced …
  const char* to;    // … by this
  const char* key;   // the key the message must name
  const char* rule;  // and the rule
};

class Validation : public ::testing::TestWithParam<BadCase> {};

TEST_P(Validation, RefusedNamingFileKeyAndRule) {
  const BadCase& c = GetParam();
  bool role = std::string(c.name).starts_with("role");
  bool efficacy = std::string(c.name).starts_with("efficacy");
  std::string text = role       ? ReadText(std::string(CS_SOURCE_DIR) + "/schemes/strong-cluster.toml")
                     : efficacy ? ReadText(kData + "efficacy.toml")
                                : ReadText(kData + "weighted.toml");
  size_t at = text.find(c.from);
  ASSERT_NE(at, std::string::npos) << c.from;
  text.replace(at, std::strlen(c.from), c.to);
  auto s = ParseScheme(text, "bad.toml", Lang::kEn);
  ASSERT_FALSE(s.ok()) << c.name;
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidInput);
  const std::string msg = s.status().message();
  EXPECT_EQ(msg.rfind("bad.toml", 0), 0u) << msg;
  EXPECT_NE(msg.find(c.key), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.rule), std::string::npos) << msg;
  // The Chinese message names the same key.
  auto zh = ParseScheme(text, "bad.toml", Lang::kZh);
  ASSERT_FALSE(zh.ok());
  EXPECT_NE(zh.status().message().find(c.key), std::string::npos) << zh.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Rules, Validation,
    ::testing::Values(
        BadCase{"syntax", "min_firms = 5", "min_firms = = 5", "bad.toml:", "TOML syntax error"},
        BadCase{"missing_key", "method = \"weighted\"\n", "", "method", "missing key"},
        BadCase{"wrong_type", "version = 3", "version = \"three\"", "version", "must be a whole number"},
        BadCase{"unknown_key", "min_firms = 5", "min_firms = 5\nmin_firm = 5", "min_firm", "unknown key"},
        BadCase{"unknown_method", "method = \"weighted\"", "method = \"weighed\"", "method", "unknown method"},
        BadCase{"unknown_normalisation", "\"minmax\"", "\"zscore\"", "normalisation", "unknown normalisation"},
        BadCase{"unknown_indicator", "\"rd_intensity\"", "\"rd_intensty\"", "dimensions[1].indicators[0].id",
                "unknown indicator \"rd_intensty\""},
        BadCase{"duplicate_indicator", "\"rd_intensity\"", "\"gross_output\"", "dimensions[1].indicators[0].id",
                "appears twice"},
        BadCase{"bad_direction", "direction = \"cost\"", "direction = \"lower\"",
                "dimensions[0].indicators[1].direction", "bad direction"},
        BadCase{"indicator_weights", "direction = \"cost\", weight = 0.5", "direction = \"cost\", weight = 0.4",
                "dimensions[0].indicators", "sum to 0.9, not 1"},
        BadCase{"dimension_weights", "weight = 0.4\nindicators", "weight = 0.5\nindicators", "dimensions",
                "sum to 1.1, not 1"},
        BadCase{"weight_range", "weight = 1.0 }", "weight = 0 }", "dimensions[1].indicators[0].weight",
                "a weight must be in (0, 1]"},
        BadCase{"expert_weights", "expert_weight = 0.6", "expert_weight = 0.7", "expert", "sum to 1"},
        BadCase{"cutoffs_order", "min_score = 75", "min_score = 90", "grades[1].min_score", "must descend"},
        BadCase{"cutoff_range", "min_score = 85", "min_score = 120", "grades[0].min_score", "within 0-100"},
        BadCase{"lowest_cutoff", "min_score = 0", "min_score = 10", "grades[3].min_score", "must be 0"},
        BadCase{"missing_dimensions", "[[dimensions]]", "[[dimension]]", "dimension", "unknown key"},
        BadCase{"role_missing", "employees = \"employees\"\n", "", "roles.employees", "missing key"},
        BadCase{"role_unknown_indicator", "lq = \"location_quotient\"", "lq = \"lq\"", "roles.lq",
                "unknown indicator \"lq\""},
        BadCase{"role_param_range", "lq_percentile = 0.75", "lq_percentile = 75", "params.lq_percentile", "within 0-1"},
        BadCase{"role_param_missing", "lq_floor = 1.0\n", "", "params.lq_floor", "missing key"},
        BadCase{"role_unknown_param", "lq_floor = 1.0", "lq_floor = 1.0\nlq_ceiling = 9", "params.lq_ceiling",
                "no such parameter"},
        BadCase{"direction_contradicts_registry", "direction = \"cost\"", "direction = \"benefit\"",
                "dimensions[0].indicators[1].direction", "contradicts the indicator registry"},
        BadCase{"role_min_peers", "min_peers = 5", "min_peers = 0", "min_peers", "must be a whole number ≥ 1"},
        BadCase{"bound_without_efficacy", "weight = 1.0 }", "weight = 1.0, satisfactory = 0.1 }",
                "dimensions[1].indicators[0].satisfactory", "only the efficacy coefficient method"},
        BadCase{"efficacy_bad_bound", "satisfactory = \"p90\"", "satisfactory = \"top\"", "efficacy.satisfactory",
                "must be a number (a fixed value) or \"pNN\""},
        BadCase{"efficacy_bound_range", "unacceptable = \"p10\"", "unacceptable = \"p120\"", "efficacy.unacceptable",
                "must be a number (a fixed value) or \"pNN\""},
        BadCase{"efficacy_bounds_order", "satisfactory = 0.10, unacceptable = 0.02",
                "satisfactory = 0.02, unacceptable = 0.10", "dimensions[1].indicators[1]",
                "satisfactory must be better than unacceptable"},
        BadCase{"efficacy_percentile_order", "satisfactory = \"p90\"", "satisfactory = \"p5\"",
                "dimensions[0].indicators[0]", "satisfactory must be better than unacceptable"}),
    [](const ::testing::TestParamInfo<BadCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace clusterscope
