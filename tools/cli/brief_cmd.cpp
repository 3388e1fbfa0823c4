// brief --cluster ID --year Y [--format text|json]
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "clusterscope/briefing.h"
#include "clusterscope/exports.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct BriefArgs {
  std::string cluster;
  int year = 0;
  std::string format;
  std::string html;
  std::string xlsx;
};

int RunBrief(const Globals& g, const BriefArgs& a) {
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  auto data = cli::LoadData(g, **store);
  if (!data.ok()) return Fail(g, data.status());
  // Evaluation and diagnosis run once here, for the prose, the HTML and the workbook alike.
  auto sources = GatherBrief(**store, **data, a.cluster, a.year);
  if (!sources.ok()) return Fail(g, sources.status());
  const BriefFacts* facts = &sources->facts;
  const auto paragraphs = BriefParagraphs(*facts, g.lang);
  if (!a.html.empty()) {
    auto charts = GatherBriefCharts(**data, *sources);
    if (!charts.ok()) return Fail(g, charts.status());
    std::ofstream out(a.html, std::ios::binary | std::ios::trunc);
    out << BriefHtml(*facts, *charts, g.lang);
    out.close();
    if (!out) return Fail(g, Status::Environment(fmt::format("{}: cannot write the HTML file", a.html)));
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), a.html);
  }
  if (!a.xlsx.empty()) {
    Status s = WriteBriefWorkbook(**store, **data, *sources, g.lang, a.xlsx);
    if (!s.ok()) return Fail(g, s);
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), a.xlsx);
  }
  if (a.format == "json") {
    nlohmann::ordered_json j;
    j["lang"] = g.lang == Lang::kZh ? "zh" : "en";
    j["paragraphs"] = paragraphs;
    j["facts"] = BriefFactsToJson(*facts);
    std::cout << j.dump(1) << "\n";
    return 0;
  }
  std::cout << fmt::format(fmt::runtime(Pick(g.lang, "{}（{}）{}年情况简报\n\n", "{} ({}): briefing for {}\n\n")),
                           facts->cluster_name, facts->cluster_id, facts->year);
  for (const auto& p : paragraphs) std::cout << (g.lang == Lang::kZh ? "　　" : "") << p << "\n\n";
  return 0;
}

}  // namespace

void AddBriefCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<BriefArgs>();
  auto* sub = app.add_subcommand("brief", "a cluster's figures, rating, diagnosis and pipeline as formal prose");
  sub->add_option("--cluster", args->cluster, "the cluster id")->required();
  sub->add_option("--year", args->year, "the year")->required();
  sub->add_option("--format", args->format, "text | json (default text)")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--html", args->html,
                  "also write a self-contained HTML file (charts, indicator table; prints on A4)");
  sub->add_option("--xlsx", args->xlsx, "also write a workbook: 概况, 指标, 企业, 评价, 诊断");
  sub->footer("Example: clusterscope brief --cluster QH-BIO --year 2014 --lang zh --html qh-bio-2014.html");
  commands.push_back({sub, [args](const Globals& g) { return RunBrief(g, *args); }});
}

}  // namespace clusterscope::cli
