// The CLI is a shell over the front door: for each command, what `clusterscope` prints is exactly
// what the Workspace call renders (Render of the XxxAnswer), in every format — so the server, which
// makes the same calls and sends Answer.json, answers what the command line answers.
#include <gtest/gtest.h>

#include <filesystem>

#include "clusterscope/workspace.h"
#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::RunCli;

class FrontDoor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                     ("cs-front-door-" + std::to_string(getpid())));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    auto demo = testing::DemoDatabase(Db());
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
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
  }
  // The command's stdout in each format against the answer rendered the same way.
  void ExpectSame(const std::string& args, const Answer& answer, Lang lang) {
    const std::string lang_flag = lang == Lang::kZh ? "--lang zh " : "--lang en ";
    for (const auto& [name, format] :
         {std::pair{"table", Format::kTable}, std::pair{"json", Format::kJson}, std::pair{"csv", Format::kCsv}}) {
      auto r = RunCli("--db " + Db() + " " + lang_flag + args + " --format " + name);
      ASSERT_EQ(r.exit_code, 0) << args << " " << name << ": " << r.err;
      EXPECT_EQ(r.out, Render(answer, format)) << args << " --format " << name;
    }
  }

  static std::filesystem::path* dir_;
  std::unique_ptr<Workspace> ws_;
};
std::filesystem::path* FrontDoor::dir_ = nullptr;

TEST_F(FrontDoor, Qualify) {
  auto r = ws_->Qualify({.kind = RuleKind::kTechSme, .year = 2017, .cluster = "QH-BIO", .lang = Lang::kZh});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ExpectSame("qualify tech-sme --year 2017 --cluster QH-BIO", QualifyAnswer(*r, Lang::kZh), Lang::kZh);
  auto ht = ws_->Qualify({.kind = RuleKind::kHighTech, .year = 2014, .cluster = "QH-BIO"});
  ASSERT_TRUE(ht.ok());
  ExpectSame("qualify high-tech --year 2014 --cluster QH-BIO", QualifyAnswer(*ht, Lang::kEn), Lang::kEn);
}

TEST_F(FrontDoor, EvaluateAndDiagnose) {
  auto e = ws_->Evaluate({.scheme = "annual", .year = 2014});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  ExpectSame("evaluate --scheme annual --year 2014", EvaluateAnswer(*e, Lang::kEn), Lang::kEn);
  auto schemes = SchemesAnswer(Lang::kZh);
  ASSERT_TRUE(schemes.ok());
  ExpectSame("evaluate --list-schemes", *schemes, Lang::kZh);
  auto d = ws_->Diagnose({.cluster = "QH-BIO", .year = 2014});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ExpectSame("diagnose --cluster QH-BIO --year 2014", DiagnosisAnswer(*d, Lang::kZh), Lang::kZh);
}

TEST_F(FrontDoor, BriefAndPlace) {
  auto b = ws_->Brief({.region = "63", .year = 2014});
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  const Answer brief = BriefAnswer(*b, Lang::kEn);
  auto text = RunCli("--db " + Db() + " --lang en brief --region 63 --year 2014");
  EXPECT_EQ(text.out, Render(brief, Format::kTable));
  auto json = RunCli("--db " + Db() + " --lang en brief --region 63 --year 2014 --format json");
  EXPECT_EQ(json.out, Render(brief, Format::kJson));

  auto s = ws_->Specialisation({.index = place::AreaIndex::kEg, .year = 2014});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ExpectSame("specialisation eg --year 2014", SpecialisationAnswer(*s, Lang::kZh), Lang::kZh);
  auto k = ws_->Agglomeration({.industry = "27", .year = 2014, .r = {0, 25, 50}, .sims = 9, .seed = 3});
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  ExpectSame("agglomeration kd --industry 27 --year 2014 --r 0,25,50 --sims 9 --seed 3",
             AgglomerationAnswer(*k, Lang::kEn), Lang::kEn);
}

}  // namespace
}  // namespace clusterscope
