// brief (--cluster ID … | --region CODE) --year Y [--format text|json] [--html F] [--xlsx F] [--docx F]
#include <fmt/format.h>

#include <iostream>

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
  BriefQuery q;
  q.clusters = a.clusters;
  q.region = a.region;
  q.year = a.year;
  q.charts = !a.html.empty() || !a.docx.empty();
  q.workbook = !a.xlsx.empty();
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  auto brief = (*ws)->Brief(q);
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!brief.ok()) return Fail(g, brief.status());

  const auto wrote = [&](const std::string& path) {
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), path);
  };
  if (!a.html.empty()) {
    Status s = WriteOutputFile(a.html, BriefHtmlFile(*brief, g.lang), Guarded(g));
    if (!s.ok()) return Fail(g, s);
    wrote(a.html);
  }
  if (!a.docx.empty()) {
    auto bytes = BriefDocxFile(*brief, g.lang);
    Status s = bytes.ok() ? WriteOutputFile(a.docx, *bytes, Guarded(g)) : bytes.status();
    if (!s.ok()) return Fail(g, s);
    wrote(a.docx);
  }
  if (!a.xlsx.empty()) {
    auto out = OutputFile::Create(a.xlsx, Guarded(g));
    if (!out.ok()) return Fail(g, out.status());
    Status s = BriefWorkbookFile(*brief, g.lang, out->temp_path());
    if (s.ok()) s = out->Commit();
    if (!s.ok()) return Fail(g, s);
    wrote(a.xlsx);
  }
  // --format text is the prose: the answer's page (Render's table format).
  return Emit(BriefAnswer(*brief, g.lang), a.format == "json" ? Format::kJson : Format::kTable);
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
