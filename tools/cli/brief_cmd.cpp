// brief (--cluster ID … | --region CODE) --year Y [--format text|json] [--html F] [--xlsx F] [--docx F]
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "clusterscope/briefing.h"
#include "clusterscope/exports.h"
#include "clusterscope/output_file.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct BriefArgs {
  std::vector<std::string> clusters;
  std::string region;
  int year = 0;
  std::string format;
  std::string html;
  std::string xlsx;
  std::string docx;
};

int RunBrief(const Globals& g, const BriefArgs& a) {
  if (a.clusters.empty() == a.region.empty()) {
    return Fail(g, Status::Usage("brief: give --cluster ID (once or more) or --region CODE"));
  }
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  auto data = cli::LoadData(g, **store);
  if (!data.ok()) return Fail(g, data.status());

  std::vector<std::string> ids = a.clusters;
  SurveyScope scope;
  scope.year = a.year;
  if (!a.region.empty()) {
    auto region = RegionSurvey(**store, a.region, a.year);
    if (!region.ok()) return Fail(g, region.status());
    ids = std::move(region->first);
    scope = std::move(region->second);
  }
  const bool survey = !a.region.empty() || ids.size() > 1;
  if (survey && !a.xlsx.empty()) {
    return Fail(g, Status::Usage("brief --xlsx takes one cluster; write one workbook per --cluster"));
  }

  // Evaluation and diagnosis run once per cluster here, for the prose, the HTML, the Word
  // document and the workbook alike.
  std::vector<BriefSources> sources;
  std::vector<BriefFacts> facts;
  for (const std::string& id : ids) {
    auto s = GatherBrief(**store, **data, id, a.year);
    if (!s.ok()) return Fail(g, s.status());
    facts.push_back(s->facts);
    sources.push_back(std::move(*s));
  }
  const BriefDocument doc = survey ? SurveyBrief(facts, scope, g.lang) : BriefDocumentFor(facts.front(), g.lang);

  std::vector<BriefCharts> charts;
  if (!a.html.empty() || !a.docx.empty()) {
    for (const BriefSources& s : sources) {
      auto c = GatherBriefCharts(**data, s);
      if (!c.ok()) return Fail(g, c.status());
      charts.push_back(std::move(*c));
    }
  }
  const auto wrote = [&](const std::string& path) {
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), path);
  };
  if (!a.html.empty()) {
    Status s = WriteOutputFile(a.html, BriefHtml(doc, facts, charts, g.lang), Guarded(g));
    if (!s.ok()) return Fail(g, s);
    wrote(a.html);
  }
  if (!a.docx.empty()) {
    auto bytes = BriefDocx(doc, facts, charts, g.lang);
    Status s = bytes.ok() ? WriteOutputFile(a.docx, *bytes, Guarded(g)) : bytes.status();
    if (!s.ok()) return Fail(g, s);
    wrote(a.docx);
  }
  if (!a.xlsx.empty()) {
    auto out = OutputFile::Create(a.xlsx, Guarded(g));
    if (!out.ok()) return Fail(g, out.status());
    Status s = WriteBriefWorkbook(**store, **data, sources.front(), g.lang, out->temp_path());
    if (s.ok()) s = out->Commit();
    if (!s.ok()) return Fail(g, s);
    wrote(a.xlsx);
  }
  if (a.format == "json") {
    nlohmann::ordered_json j;
    j["lang"] = g.lang == Lang::kZh ? "zh" : "en";
    j["title"] = doc.title;
    if (survey) {
      nlohmann::ordered_json sections = nlohmann::ordered_json::array();
      for (const BriefSection& sec : doc.sections) {
        sections.push_back({{"heading", sec.heading}, {"paragraphs", sec.paragraphs}});
      }
      j["sections"] = sections;
      j["facts"] = SurveyToJson(facts, scope);
    } else {
      j["paragraphs"] = doc.sections.front().paragraphs;
      j["facts"] = BriefFactsToJson(facts.front());
    }
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  const bool zh = g.lang == Lang::kZh;
  std::cout << doc.title << "\n\n";
  for (const BriefSection& sec : doc.sections) {
    if (!sec.heading.empty()) std::cout << sec.heading << "\n\n";
    for (const auto& p : sec.paragraphs) std::cout << (zh ? "　　" : "") << p << "\n\n";
  }
  return 0;
}

}  // namespace

void AddBriefCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<BriefArgs>();
  auto* sub = app.add_subcommand(
      "brief",
      "a survey briefing: one cluster's, or several clusters', figures, rating, diagnosis and pipeline as "
      "formal prose");
  auto* cluster =
      sub->add_option("--cluster", args->clusters,
                      "a cluster id; give it more than once for a survey of several clusters, in that order");
  auto* region = sub->add_option("--region", args->region,
                                 "a GB/T 2260 code (63, 630100): a survey of the region's recognised clusters");
  cluster->excludes(region);
  sub->add_option("--year", args->year, "the year")->required()->check(CLI::Range(1900, 2100));
  sub->add_option("--format", args->format, "text | json (default text)")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--html", args->html,
                  "also write a self-contained HTML file (charts, indicator table; prints on A4)");
  sub->add_option("--xlsx", args->xlsx, "also write a workbook: 概况, 指标, 企业, 评价, 诊断 (one cluster)");
  sub->add_option("--docx", args->docx, "also write a Word document (A4; headings, figure tables, charts)");
  sub->footer(
      "Examples:\n  clusterscope brief --cluster QH-BIO --year 2014 --lang zh --html qh-bio-2014.html\n"
      "  clusterscope brief --region 63 --year 2014 --lang zh --docx qinghai-2014.docx");
  commands.push_back({sub, [args](const Globals& g) { return RunBrief(g, *args); }});
}

}  // namespace clusterscope::cli
