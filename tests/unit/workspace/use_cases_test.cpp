// The workspace's use cases on the demo database: the defaults they apply (the latest year with
// reports), the requests they refuse and with which ids, how qualify and brief are composed, and
// that the data set's register fields and firm histories are what the store holds.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "clusterscope/schema.h"
#include "clusterscope/workspace.h"
#include "indicators/dataset.h"

namespace clusterscope {
namespace {

class UseCases : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("cs-use-cases-" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    DemoOptions options;
    options.firms = 2000;
    auto demo = BuildDemoAt(Db(), options);
    ASSERT_TRUE(demo.ok()) << demo.status().ToString();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Db() { return (*dir_ / "demo.db").string(); }

  void SetUp() override {
    auto ws = Workspace::Open(Db(), WorkspaceMode::kRead);
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ws_ = std::move(*ws);
    auto data = ws_->Data();
    ASSERT_TRUE(data.ok());
    data_ = *data;
    latest_ = ReportYears(*data_).back();
  }

  static std::filesystem::path* dir_;
  std::unique_ptr<Workspace> ws_;
  std::shared_ptr<const Dataset> data_;
  int latest_ = 0;
};

std::filesystem::path* UseCases::dir_ = nullptr;

TEST_F(UseCases, QualifyAClusterUnderTheRuleSetInForce) {
  QualifyQuery q{.kind = RuleKind::kTechSme, .year = 2017, .cluster = std::string(kDemoCluster)};
  auto r = ws_->Qualify(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto members = ClusterMembersIn(*data_, std::string(kDemoCluster), 2017);
  ASSERT_TRUE(members.ok());
  ASSERT_FALSE(members->empty());
  ASSERT_EQ(r->firms.size(), members->size()) << "one qualification per member firm";
  for (size_t i = 0; i < members->size(); ++i) EXPECT_EQ(r->firms[i].uscc, (*members)[i].first);
  EXPECT_EQ(r->rule_set, "tech-sme-2017");
  EXPECT_FALSE(r->what_if);
  EXPECT_TRUE(r->notes.empty());

  const Answer a = QualifyAnswer(*r, Lang::kEn);
  EXPECT_EQ(a.json.size(), members->size());
  EXPECT_EQ(a.csv_rows.size(), members->size());
  EXPECT_EQ(a.text.rfind("rule set: tech-sme-2017\n", 0), 0u) << a.text;
  EXPECT_NE(Render(a, Format::kCsv).find("uscc,name,year,rule_set,result"), std::string::npos);
}

TEST_F(UseCases, QualifyWhatIfIsNotedAndAWrongKindRefused) {
  QualifyQuery q{
      .kind = RuleKind::kTechSme, .rule_set = "tech-sme-2017", .year = 2014, .cluster = std::string(kDemoCluster)};
  auto r = ws_->Qualify(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->what_if);
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_NE(r->notes[0].find("what-if"), std::string::npos);
  EXPECT_EQ(QualifyAnswer(*r, Lang::kEn).notes, r->notes);

  q.rule_set = "high-tech-2016";
  auto wrong = ws_->Qualify(q);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kUsage);
  EXPECT_EQ(wrong.status().id(), "rules.unknown_rule_set");

  auto unknown = ws_->Qualify({.kind = RuleKind::kHighTech, .year = 2014, .cluster = "NOPE"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().id(), "cluster.unknown");
  auto bad = ws_->Qualify({.kind = RuleKind::kHighTech, .year = 2014, .firms = {"123"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().id(), "firm.bad_uscc");
}

TEST_F(UseCases, QualifyWithoutAYearTakesTheLatestAndEveryFirmThatFiled) {
  auto r = ws_->Qualify({.kind = RuleKind::kHighTech});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->year, latest_);
  EXPECT_EQ(r->firms.size(), data_->Year(latest_)->size());
}

TEST_F(UseCases, FirmHistoriesFromTheDataSetAreTheStoresRows) {
  // LoadFirmHistories used to read the store (four lookups per firm); the data set must give the
  // same register fields and report figures.
  auto members = ClusterMembersIn(*data_, std::string(kDemoCluster), 2014);
  ASSERT_TRUE(members.ok());
  std::vector<std::string> usccs;
  for (const auto& [uscc, backbone] : *members) usccs.push_back(uscc);
  auto histories = LoadFirmHistories(*data_, usccs, 2014);
  ASSERT_TRUE(histories.ok());
  ASSERT_EQ(histories->size(), usccs.size());
  const KindDef& fdef = Describe(Kind::kFirms);
  const KindDef& rdef = Describe(Kind::kReports);
  size_t years_seen = 0;
  for (const FirmHistory& h : *histories) {
    auto firm = ws_->store().Get(Kind::kFirms, KeyRecord(Kind::kFirms, {h.uscc}));
    ASSERT_TRUE(firm.ok() && firm->has_value()) << h.uscc;
    EXPECT_EQ(h.name, TextOf(**firm, fdef, "name"));
    EXPECT_EQ(h.industry_code, TextOf(**firm, fdef, "industry_code"));
    EXPECT_EQ(h.founded, TextOf(**firm, fdef, "founded"));
    const auto cert = IntOf(**firm, fdef, "high_tech_cert_year");
    EXPECT_EQ(h.high_tech_cert_year.has_value(), cert.has_value());
    for (int y = 2012; y <= 2014; ++y) {
      auto report = ws_->store().Get(Kind::kReports, KeyRecord(Kind::kReports, {h.uscc, int64_t{y}}));
      ASSERT_TRUE(report.ok());
      const YearFacts* facts = h.At(y);
      ASSERT_EQ(facts != nullptr, report->has_value()) << h.uscc << " " << y;
      if (facts == nullptr) continue;
      ++years_seen;
      EXPECT_EQ(facts->employees, IntOf(**report, rdef, "employees"));
      EXPECT_EQ(facts->revenue, IntOf(**report, rdef, "revenue"));
      EXPECT_EQ(facts->rd_expense, IntOf(**report, rdef, "rd_expense"));
      EXPECT_EQ(facts->ip_class1, IntOf(**report, rdef, "ip_class1"));
      EXPECT_EQ(facts->gross_output, IntOf(**report, rdef, "gross_output"));
      const auto incident = IntOf(**report, rdef, "major_incident");
      EXPECT_EQ(facts->major_incident.has_value(), incident.has_value());
    }
  }
  EXPECT_GT(years_seen, usccs.size()) << "the demo's members report over several years";
}

TEST_F(UseCases, RegisterDetailsAreLoaded) {
  const ClusterInfo& c = data_->clusters[static_cast<size_t>(data_->cluster_index.at(std::string(kDemoCluster)))];
  auto stored = ws_->store().Get(Kind::kClusters, KeyRecord(Kind::kClusters, {std::string(kDemoCluster)}));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_FALSE(c.name_en.empty());
  EXPECT_EQ(c.name_en, TextOf(**stored, Describe(Kind::kClusters), "name_en"));
  ASSERT_GE(c.zone, 0);
  EXPECT_FALSE(data_->zones[static_cast<size_t>(c.zone)].name_en.empty());
  size_t with_coordinates = 0;
  for (const FirmInfo& f : data_->firms) with_coordinates += f.lat && f.lon ? 1 : 0;
  EXPECT_GT(with_coordinates, 0u);
}

TEST_F(UseCases, EvaluateDefaultsToTheLatestYearAndRefusesAYearWithoutReports) {
  auto r = ws_->Evaluate({.scheme = "annual"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->result.year, latest_);
  EXPECT_EQ(r->result.clusters.size(), AllEntities(*data_, EntityKind::kCluster).size());
  const Answer a = EvaluateAnswer(*r, Lang::kZh);
  EXPECT_EQ(a.rows.size(), r->result.clusters.size());
  EXPECT_EQ(Render(a, Format::kCsv).rfind("scheme,version,year,cluster_id", 0), 0u);
  EXPECT_NE(a.text.find("集群数："), std::string::npos);

  auto none = ws_->Evaluate({.scheme = "annual", .year = 1999});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().id(), "data.no_reports");
  auto bad = ws_->Evaluate({.scheme = "no-such-scheme", .year = 2014});
  EXPECT_FALSE(bad.ok());

  auto schemes = SchemesAnswer(Lang::kEn);
  ASSERT_TRUE(schemes.ok());
  EXPECT_EQ(schemes->rows.size(), BuiltinSchemeIds().size());
}

TEST_F(UseCases, DiagnoseStatesThePassMarkOfTheRules) {
  auto d = ws_->Diagnose({.cluster = std::string(kDemoCluster), .year = kDemoYear});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  const Answer a = DiagnosisAnswer(*d, Lang::kEn);
  if (d->sme_applicable) {
    EXPECT_NE(a.text.find(fmt::format("pass mark {}", kTechSmePassMark)), std::string::npos) << a.text;
  }
  EXPECT_EQ(a.json["cluster_id"], std::string(kDemoCluster));
  EXPECT_EQ(a.csv_rows.back().front(), "coordination");

  auto what_if =
      ws_->Diagnose({.cluster = std::string(kDemoCluster), .year = kDemoYear, .rule_sets = {"tech-sme-2017"}});
  ASSERT_TRUE(what_if.ok());
  EXPECT_TRUE(what_if->sme_applicable);
  EXPECT_NE(DiagnosisAnswer(*what_if, Lang::kEn).text.find(fmt::format("pass mark {}", kTechSmePassMark)),
            std::string::npos);
  auto unknown = ws_->Diagnose({.cluster = std::string(kDemoCluster), .year = kDemoYear, .rule_sets = {"nope"}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().id(), "rules.unknown_rule_set");
  auto missing = ws_->Diagnose({.cluster = "NOPE", .year = kDemoYear});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().id(), "cluster.unknown");
}

TEST_F(UseCases, BriefIsOneClusterOrASurvey) {
  auto one = ws_->Brief({.clusters = {std::string(kDemoCluster)}, .year = kDemoYear, .workbook = true});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_FALSE(one->survey);
  ASSERT_EQ(one->facts.size(), 1u);
  EXPECT_TRUE(one->charts.empty()) << "charts only when asked for";
  const Answer a = BriefAnswer(*one, Lang::kZh);
  EXPECT_EQ(a.text.rfind(BriefTitle(one->facts.front(), Lang::kZh) + "\n\n", 0), 0u);
  EXPECT_EQ(a.json["facts"]["cluster_id"], std::string(kDemoCluster));
  const std::string xlsx = (*dir_ / "one.xlsx").string();
  EXPECT_TRUE(BriefWorkbookFile(*one, Lang::kEn, xlsx).ok());
  EXPECT_GT(std::filesystem::file_size(xlsx), 0u);

  auto region = ws_->Brief({.region = "63", .year = kDemoYear, .charts = true});
  ASSERT_TRUE(region.ok()) << region.status().ToString();
  EXPECT_TRUE(region->survey);
  EXPECT_EQ(region->charts.size(), region->facts.size());
  EXPECT_FALSE(region->scope.region_zh.empty());
  EXPECT_TRUE(BriefAnswer(*region, Lang::kEn).json.contains("sections"));
  EXPECT_NE(BriefHtmlFile(*region, Lang::kEn).find("<svg"), std::string::npos);
  EXPECT_FALSE(BriefWorkbookFile(*region, Lang::kEn, xlsx).ok()) << "a workbook is one cluster's";

  auto neither = ws_->Brief({.year = kDemoYear});
  ASSERT_FALSE(neither.ok());
  EXPECT_EQ(neither.status().code(), StatusCode::kUsage);
  EXPECT_EQ(neither.status().id(), "brief.scope");
  auto survey_book = ws_->Brief({.region = "63", .year = kDemoYear, .workbook = true});
  ASSERT_FALSE(survey_book.ok());
  EXPECT_EQ(survey_book.status().code(), StatusCode::kUsage);
}

TEST_F(UseCases, SpecialisationAndAgglomerationDefaultToTheLatestYear) {
  auto s = ws_->Specialisation({.index = place::AreaIndex::kHhi});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->query.year, latest_);
  EXPECT_FALSE(s->values.empty());
  const Answer a = SpecialisationAnswer(*s, Lang::kEn);
  EXPECT_EQ(a.json["year"], latest_);
  EXPECT_EQ(a.json["values"].size(), s->values.size());
  EXPECT_EQ(a.csv_rows.size(), s->values.size());

  AgglomerationQuery q{.industry = "27", .r = {0, 50, 100}};
  auto k = ws_->Agglomeration(q);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  const Answer ka = AgglomerationAnswer(*k, Lang::kEn);
  EXPECT_EQ(ka.json["rows"].size(), 3u);
  EXPECT_EQ(ka.csv_rows.size(), 3u);
  EXPECT_EQ(Render(ka, Format::kJson), place::AgglomerationJson(*k)) << "one JSON, whoever writes it";
  EXPECT_EQ(Render(ka, Format::kCsv), place::AgglomerationCsv(*k));

  EXPECT_EQ(CheckAgglomeration({}).code(), StatusCode::kUsage);
  EXPECT_EQ(CheckAgglomeration({}).id(), "agglomeration.input");
  EXPECT_EQ(CheckAgglomeration({.industry = "27", .points = "p.csv", .type = "a"}).code(), StatusCode::kUsage);
  EXPECT_EQ(CheckAgglomeration({.points = "p.csv"}).code(), StatusCode::kUsage);
}

TEST_F(UseCases, AgglomerationOverPointsNeedsNoDatabase) {
  const std::string pts = (*dir_ / "pts.csv").string();
  {
    std::ofstream out(pts);
    out << "x,y,type,weight\n0,0,a,1\n1,0,a,2\n0,1,b,1\n5,5,b,4\n";
  }
  auto setup = AgglomerationFromPoints({.function = place::Function::kM, .points = pts, .type = "a", .r = {1, 2}});
  ASSERT_TRUE(setup.ok()) << setup.status().ToString();
  auto res = place::RunAgglomeration(setup->points, setup->options);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(Render(AgglomerationAnswer(*res, Lang::kEn), Format::kCsv), "r,value\n1,2.25\n2,1.5\n");  // place/README
  auto missing = AgglomerationFromPoints({.points = pts, .type = "zz"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST_F(UseCases, ExportWritesTheWorkbook) {
  const std::string path = (*dir_ / "export.xlsx").string();
  ExportRequest req{.kind = ExportKind::kFirms, .year = kDemoYear, .entities = {{EntityKind::kCluster, "QH-BIO"}}};
  ASSERT_TRUE(ws_->Export(req, Lang::kZh, path).ok());
  EXPECT_GT(std::filesystem::file_size(path), 0u);
  req.entities = {{EntityKind::kZone, "NO-SUCH-ZONE"}};
  auto none = ws_->Export(req, Lang::kZh, path);
  EXPECT_EQ(none.code(), StatusCode::kNotFound);
}

TEST_F(UseCases, DemoAgainLeavesTheDatabaseAndStatesTheSevenFigures) {
  DemoOptions options;
  options.firms = 2000;
  auto again = BuildDemoAt(Db(), options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->already_built);
  ASSERT_EQ(again->figures.size(), 7u);
  const Answer a = DemoAnswer(*again, Db(), Lang::kEn);
  EXPECT_EQ(a.text.rfind("demo database: " + Db() + " (already built; unchanged)\n", 0), 0u) << a.text;
  EXPECT_NE(a.text.find("7 of 7 figures match the report.\n"), std::string::npos) << a.text;
  EXPECT_EQ(a.json.size(), 7u);
  EXPECT_EQ(a.csv_rows.size(), 7u);
}

}  // namespace
}  // namespace clusterscope
