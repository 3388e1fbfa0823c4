// Diagnosis on a hand-made data set (tests/data/diagnosis, arithmetic in its README): percentiles
// among all clusters and among the same leading industry, flags, backbone dependence, pipeline and
// coordination.
#include <gtest/gtest.h>

#include <memory>

#include "clusterscope/diagnosis.h"
#include "store/memory_store.h"
#include "support/import_dir.h"

namespace clusterscope {
namespace {

const std::string kDir = std::string(CS_SOURCE_DIR) + "/tests/data/diagnosis/";

class DiagnosisGolden : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = store::NewMemoryStore().release();
    ASSERT_TRUE(InitDatabase(*store_).ok());
    testing::ImportDir(*store_, kDir, {"zones", "clusters", "firms", "members", "institutions", "reports"});
    if (::testing::Test::HasFatalFailure()) return;
    auto data = LoadDataset(*store_);
    ASSERT_TRUE(data.ok());
    data_ = new std::shared_ptr<const Dataset>(*data);
  }
  static void TearDownTestSuite() {
    delete data_;
    delete store_;
  }
  static Diagnosis Run(const std::string& cluster, const DiagnoseOptions& options = {}) {
    auto d = Diagnose(**data_, cluster, 2014, options);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : Diagnosis{};
  }
  static inline Store* store_ = nullptr;
  static inline std::shared_ptr<const Dataset>* data_ = nullptr;
};

const DiagnosisDimension& Dim(const Diagnosis& d, std::string_view id) {
  for (const auto& dim : d.dimensions) {
    if (dim.id == id) return dim;
  }
  throw std::runtime_error("no dimension");
}

TEST_F(DiagnosisGolden, PercentilesAmongAllAndSameIndustry) {
  const Diagnosis d = Run("C1");
  EXPECT_EQ(d.peers_all, 5);
  EXPECT_EQ(d.peers_industry, 4);  // C1–C4 lead with division 27; C5 with 38
  EXPECT_EQ(d.leading_division, "27");
  EXPECT_EQ(d.member_firms, 3);
  // Talent: C1 is lowest of five on all four: (0 + ½) / 5 = 0.1; of four: ½ / 4 = 0.125.
  const auto& talent = Dim(d, "talent");
  for (const auto& i : talent.indicators) {
    ASSERT_TRUE(i.percentile_all) << i.id;
    EXPECT_DOUBLE_EQ(*i.percentile_all, 0.1) << i.id;
    EXPECT_DOUBLE_EQ(*i.percentile_industry, 0.125) << i.id;
    EXPECT_TRUE(i.low) << i.id;
  }
  EXPECT_DOUBLE_EQ(*talent.indicators[0].value, 0.10);  // college 20 / 200
  EXPECT_DOUBLE_EQ(*talent.indicators[1].value, 0.05);  // R&D staff 10 / 200
  EXPECT_TRUE(talent.flagged);
  EXPECT_EQ(talent.behind.size(), 4u);
  // Financing: every cluster equal, so every one sits at the mid-rank ½ (debt ratio reversed: 1 − ½).
  const auto& fin = Dim(d, "financing");
  for (const auto& i : fin.indicators) EXPECT_DOUBLE_EQ(*i.percentile_all, 0.5) << i.id;
  EXPECT_DOUBLE_EQ(*fin.indicators[1].value, 1'000'000);  // 100万元 per firm
  EXPECT_DOUBLE_EQ(*fin.indicators[2].value, 2'000'000);
  EXPECT_FALSE(fin.flagged);
  // Innovation: C1 highest: (4 + ½) / 5 = 0.9; among four (3 + ½) / 4 = 0.875.
  const auto& inn = Dim(d, "innovation");
  EXPECT_NEAR(*inn.indicators[0].value, 1055.0 / 11100.0, 1e-12);  // R&D intensity
  EXPECT_DOUBLE_EQ(*inn.indicators[1].value, 500);                 // 10 patents per 200 employees × 10,000
  EXPECT_NEAR(*inn.indicators[2].value, 1.0 / 3.0, 1e-12);         // one certified firm of three
  EXPECT_DOUBLE_EQ(*inn.percentile_all, 0.9);
  EXPECT_DOUBLE_EQ(*inn.percentile_industry, 0.875);
  EXPECT_EQ(d.weakest, "talent");
  EXPECT_NE(talent.text.en.find("in the bottom quarter"), std::string::npos) << talent.text.en;
  EXPECT_NE(talent.text.zh.find("处于后四分之一"), std::string::npos) << talent.text.zh;
}

TEST_F(DiagnosisGolden, TheBestOnTalentIsNotFlagged) {
  const Diagnosis d = Run("C5");
  EXPECT_DOUBLE_EQ(*Dim(d, "talent").percentile_all, 0.9);
  EXPECT_FALSE(Dim(d, "talent").flagged);
  EXPECT_FALSE(Dim(d, "talent").percentile_industry.has_value());  // alone in division 38
}

TEST_F(DiagnosisGolden, BackboneAndDependence) {
  const Diagnosis d = Run("C1");
  ASSERT_EQ(d.backbone.size(), 3u);
  EXPECT_EQ(d.backbone[0].name, "甲一药业有限公司");
  EXPECT_TRUE(d.backbone[0].marked_backbone);
  EXPECT_DOUBLE_EQ(*d.backbone[0].output_share, 0.8);  // 8000 of 10000万元
  EXPECT_NEAR(*d.backbone[0].rd_share, 900.0 / 1055.0, 1e-12);
  EXPECT_DOUBLE_EQ(*d.largest_share, 0.8);
  EXPECT_DOUBLE_EQ(*d.top3_share, 1.0);
  EXPECT_TRUE(d.depends_on_one);
  EXPECT_NE(d.backbone_text.en.find("depends on one firm"), std::string::npos);
}

// The 2016 high-tech and 2017 tech-SME rules applied to 2014: a what-if (rules.md).
const DiagnoseOptions kWhatIf{.tech_sme_rule_set = "tech-sme-2017", .high_tech_rule_set = "high-tech-2016"};

TEST_F(DiagnosisGolden, PipelineAndCoordination) {
  const Diagnosis d = Run("C1", kWhatIf);
  EXPECT_TRUE(d.sme_what_if);
  EXPECT_TRUE(d.high_tech_what_if);
  EXPECT_EQ(d.sme_rule_set, "tech-sme-2017");
  EXPECT_EQ(d.high_tech_rule_set, "high-tech-2016");
  // F1 qualifies by score (100), F2 directly (certificate 2013), F3 scores 48 and one class I right
  // (+24) would carry it over 60.
  ASSERT_EQ(d.sme_qualifying.size(), 2u);
  EXPECT_EQ(d.sme_qualifying[0].qualification.route, "score");
  EXPECT_EQ(d.sme_qualifying[1].qualification.route, "direct");
  ASSERT_EQ(d.sme_nearly.size(), 1u);
  EXPECT_EQ(d.sme_nearly[0].name, "甲三药业有限公司");
  EXPECT_EQ(d.sme_nearly[0].qualification.score, (Band{48, 48}));
  // Every suggested step for a firm one tier short reaches the bar.
  for (const Gap& g : d.sme_nearly[0].qualification.gaps) {
    if (g.reaches_bar) {
      EXPECT_GE(48 + g.points, kTechSmePassMark) << g.text.en;
    }
  }
  // High-tech: F2 already certified; F1 passes everything statistics can check; F3 fails only the
  // R&D ratio (4.5% against 5% for revenue ≤ 50 million).
  ASSERT_EQ(d.high_tech_candidates.size(), 1u);
  EXPECT_EQ(d.high_tech_candidates[0].name, "甲一药业有限公司");
  ASSERT_EQ(d.high_tech_nearly.size(), 1u);
  EXPECT_EQ(d.high_tech_nearly[0].name, "甲三药业有限公司");
  // Coordination.
  EXPECT_EQ(d.construction_body, "甲管委会");
  EXPECT_EQ(d.alliance, "");
  EXPECT_EQ(d.institutions, (std::vector<std::pair<std::string, int>>{
                                {"innovation_service", 0}, {"rd", 2}, {"finance", 1}, {"other", 0}}));
  EXPECT_EQ(d.national_institutions, 1);
}

// The rules in force in 2014 (README, "Pipeline under the rules in force"): no tech-SME scheme yet;
// the 2008 high-tech rules.
TEST_F(DiagnosisGolden, PipelineUnderTheRulesInForceIn2014) {
  const Diagnosis d = Run("C1");
  EXPECT_FALSE(d.sme_applicable);
  EXPECT_FALSE(d.sme_what_if);
  EXPECT_EQ(d.sme_rule_set, "tech-sme-2017");
  EXPECT_EQ(d.sme_not_applicable.en, "the evaluation scheme began in 2017");
  EXPECT_TRUE(d.sme_qualifying.empty());
  EXPECT_TRUE(d.sme_nearly.empty());
  EXPECT_EQ(d.high_tech_rule_set, "high-tech-2008");
  // F1: R&D staff 5/100 = 5% < 10% is its only failing criterion; F3 fails three (tech staff 20% <
  // 30%, R&D staff 4% < 10%, R&D 4.5% < 6% for revenue under 50 million).
  EXPECT_TRUE(d.high_tech_candidates.empty());
  ASSERT_EQ(d.high_tech_nearly.size(), 1u);
  EXPECT_EQ(d.high_tech_nearly[0].name, "甲一药业有限公司");
  int fails = 0;
  for (const Criterion& c : d.high_tech_nearly[0].qualification.criteria) {
    if (c.result == Outcome::kFails) {
      ++fails;
      EXPECT_EQ(c.id, "rd_staff_share");
    }
  }
  EXPECT_EQ(fails, 1);
}

TEST_F(DiagnosisGolden, TechSmeCountIsNotApplicableBefore2017) {
  IndicatorRequest req;
  req.entities = {{EntityKind::kCluster, "C1"}, {EntityKind::kCluster, "C2"}};
  req.first_year = req.last_year = 2014;
  req.only = {"tech_sme_count"};
  auto values = ComputeIndicators(**data_, req);
  ASSERT_TRUE(values.ok());
  for (const IndicatorValue& v : *values) {
    EXPECT_FALSE(v.has_value());
    EXPECT_EQ(NullReasonId(v.reason), "not_applicable");
  }
  // The what-if pipeline still counts what the 2017 rules would give: F1 and F2.
  EXPECT_EQ(Run("C1", kWhatIf).sme_qualifying.size(), 2u);
}

TEST_F(DiagnosisGolden, DebtRatioReadsItsDirectionFromTheRegistry) {
  const Diagnosis d = Run("C1");
  for (const auto& ind : Dim(d, "financing").indicators) {
    if (ind.id != "debt_ratio") continue;
    EXPECT_EQ(ind.direction, IndicatorDirection::kLess);
    EXPECT_FALSE(ind.higher_is_better);
    EXPECT_EQ(WeakWord(ind, Lang::kZh), "偏高");
    EXPECT_EQ(ind.zh, FindIndicator("debt_ratio")->zh);
  }
  for (const auto& ind : Dim(d, "talent").indicators) {
    if (ind.id == "returnees_per_1000") {
      EXPECT_EQ(ind.zh, "每千人留学归国人员");
    }
    if (ind.id == "college_share") {
      EXPECT_EQ(WeakWord(ind, Lang::kZh), "偏低");
    }
  }
}

TEST_F(DiagnosisGolden, UnknownClusterAndEmptyYear) {
  auto unknown = Diagnose(**data_, "NOPE", 2014);
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  auto empty = Diagnose(**data_, "C1", 2011);  // members from 2012
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidInput);
}

TEST_F(DiagnosisGolden, JsonShape) {
  const auto j = DiagnosisToJson(Run("C1", kWhatIf), Lang::kEn);
  EXPECT_EQ(j["weakest"], "talent");
  EXPECT_EQ(j["dimensions"][0]["flagged"], true);
  EXPECT_EQ(j["dimensions"][0]["behind"].size(), 4u);
  EXPECT_EQ(j["backbone"]["depends_on_one"], true);
  EXPECT_EQ(j["pipeline"]["tech_sme_nearly"][0]["name"], "甲三药业有限公司");
  EXPECT_EQ(j["pipeline"]["tech_sme_what_if"], true);
  EXPECT_EQ(DiagnosisToJson(Run("C1"), Lang::kEn)["pipeline"]["tech_sme_applicable"], false);
  EXPECT_EQ(j["coordination"]["institutions"]["rd"], 2);
}

}  // namespace
}  // namespace clusterscope
