// `evaluate --scheme NAME|FILE --year Y [--format table|json|csv] [--list-schemes]`: rates and
// ranks every cluster under an evaluation scheme (docs/evaluation.md).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "clusterscope/evaluation.h"
#include "clusterscope/format.h"
#include "clusterscope/indicators.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct EvaluateArgs {
  std::string scheme;
  int year = 0;
  std::string format;
  bool list = false;
};

std::string Num(const std::optional<double>& v, int digits) {
  return v ? fmt::format("{:.{}f}", *v, digits) : std::string();
}

int ListSchemes(const Globals& g, const std::string& format) {
  std::vector<Scheme> schemes;
  for (const std::string& id : BuiltinSchemeIds()) {
    auto s = LoadScheme(id, g.lang);
    if (!s.ok()) return Fail(g, s.status());
    schemes.push_back(std::move(*s));
  }
  switch (ParseFormat(format)) {
    case Format::kJson: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const Scheme& s : schemes) {
        out.push_back({{"id", s.id},
                       {"version", s.version},
                       {"method", MethodId(s.method)},
                       {"zh", s.zh},
                       {"en", s.en},
                       {"min_firms", s.min_firms}});
      }
      std::cout << out.dump(1) << "\n";
      return 0;
    }
    case Format::kCsv:
      std::cout << ToCsvLine({"id", "version", "method", "zh", "en", "min_firms"});
      for (const Scheme& s : schemes) {
        std::cout << ToCsvLine({s.id, std::to_string(s.version), std::string(MethodId(s.method)), s.zh, s.en,
                                std::to_string(s.min_firms)});
      }
      return 0;
    case Format::kTable: {
      std::vector<std::vector<std::string>> rows;
      for (const Scheme& s : schemes) {
        rows.push_back(
            {s.id, std::to_string(s.version), std::string(MethodId(s.method)), g.lang == Lang::kZh ? s.zh : s.en});
      }
      std::cout << RenderTable(
          {std::string(Pick(g.lang, "方案", "scheme")), std::string(Pick(g.lang, "版本", "version")),
           std::string(Pick(g.lang, "方法", "method")), std::string(Pick(g.lang, "名称", "name"))},
          rows);
      return 0;
    }
  }
  return 0;
}

void PrintCsv(const EvaluationResult& r) {
  std::vector<std::string> header = {
      "scheme",       "version",      "year",  "cluster_id",       "name",       "division", "firm_count", "score",
      "data_score",   "expert_score", "grade", "grade_zh",         "grade_en",   "rank",     "peers",      "small",
      "renormalised", "score_kind",   "rated", "not_rated_reason", "peer_group", "missing",  "reason_zh",  "reason_en"};
  // One column triple per indicator, in scheme order (every cluster carries the same indicators).
  std::vector<std::string> ids;
  if (!r.clusters.empty()) {
    for (const IndicatorScore& i : r.clusters.front().indicators) ids.push_back(i.id);
  }
  for (const std::string& id : ids) {
    header.push_back(id + ".raw");
    header.push_back(id + ".score");
    header.push_back(id + ".contribution");
  }
  std::cout << ToCsvLine(header);
  auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
  for (const ClusterEvaluation& e : r.clusters) {
    std::string missing;
    for (const std::string& m : e.missing) missing += (missing.empty() ? "" : ";") + m;
    std::vector<std::string> row = {r.scheme_id,
                                    std::to_string(r.scheme_version),
                                    std::to_string(r.year),
                                    e.cluster_id,
                                    e.name,
                                    e.division,
                                    std::to_string(e.firm_count),
                                    opt(e.score),
                                    opt(e.data_score),
                                    opt(e.expert_score),
                                    e.grade,
                                    e.grade_zh,
                                    e.grade_en,
                                    e.rank ? std::to_string(*e.rank) : std::string(),
                                    std::to_string(e.peers),
                                    e.small ? "1" : "0",
                                    e.renormalised ? "1" : "0",
                                    e.score_kind,
                                    e.rated ? "1" : "0",
                                    e.not_rated_reason,
                                    e.peer_group,
                                    missing,
                                    e.reason_zh,
                                    e.reason_en};
    for (const IndicatorScore& i : e.indicators) {
      row.push_back(opt(i.raw));
      row.push_back(opt(i.score));
      row.push_back(opt(i.contribution));
    }
    std::cout << ToCsvLine(row);
  }
}

void PrintTable(const Globals& g, const Scheme& scheme, const EvaluationResult& r) {
  const Lang L = g.lang;
  std::cout << fmt::format("{} {} v{} — {} {}\n", Pick(L, "评价方案", "scheme"), scheme.id, scheme.version,
                           L == Lang::kZh ? scheme.zh : scheme.en, r.year);
  if (scheme.method == EvaluationMethod::kWeighted && scheme.expert_weight > 0.0 && !r.expert_scores_used) {
    std::cout << Pick(L, "本年度没有专家评分：得分为初评得分（仅数据），待专家复评后定级\n",
                      "no expert scores this year: preliminary data scores, to be graded after the expert review\n");
  }
  const int digits = scheme.method == EvaluationMethod::kEntropyTopsis ? 4 : 2;
  std::vector<std::vector<std::string>> rows;
  for (const ClusterEvaluation& e : r.clusters) {
    std::string rank = e.rank ? fmt::format("{}/{}", *e.rank, e.peers)
                              : (!e.rated ? std::string(Pick(L, "不评价", "not rated")) : std::string("-"));
    // Ranks are per score kind: a preliminary rank says so.
    if (e.rank && e.score_kind == "preliminary") rank += Pick(L, " 初评", " prelim.");
    std::string score = e.stars ? std::string(static_cast<size_t>(*e.stars), '*') : Num(e.score, digits);
    if (e.stars && *e.stars == 0) score = "0";
    std::string grade = L == Lang::kZh ? e.grade_zh : e.grade_en;
    if (e.score_kind == "preliminary") grade = Pick(L, "待定级", "not graded");
    rows.push_back({rank, e.cluster_id, e.name, std::to_string(e.firm_count), score, grade,
                    L == Lang::kZh ? e.reason_zh : e.reason_en});
  }
  std::cout << RenderTable({std::string(Pick(L, "排名", "rank")), std::string(Pick(L, "集群代码", "cluster")),
                            std::string(Pick(L, "名称", "name")), std::string(Pick(L, "企业数", "firms")),
                            std::string(Pick(L, "得分", "score")), std::string(Pick(L, "等级", "grade")),
                            std::string(Pick(L, "理由", "reason"))},
                           rows);
  std::cout << fmt::format("{}{}\n", Pick(L, "集群数：", "clusters: "), r.clusters.size());
}

int RunEvaluate(const Globals& g, const EvaluateArgs& a) {
  if (a.list) return ListSchemes(g, a.format);
  if (a.scheme.empty())
    return Fail(g, Status::Usage(std::string(Pick(g.lang, "缺少 --scheme", "--scheme is required"))));
  if (a.year == 0) return Fail(g, Status::Usage(std::string(Pick(g.lang, "缺少 --year", "--year is required"))));
  auto scheme = LoadScheme(a.scheme, g.lang);
  if (!scheme.ok()) return Fail(g, scheme.status());
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  auto data = cli::LoadData(g, **store);
  if (!data.ok()) return Fail(g, data.status());
  std::vector<int> years = ReportYears(**data);
  if (std::find(years.begin(), years.end(), a.year) == years.end()) {
    return Fail(g, Status::NotFound(fmt::format(
                       "{}: {}", g.db,
                       Pick(g.lang, fmt::format("没有{}年的年报", a.year), fmt::format("no reports for {}", a.year)))));
  }
  auto input = GatherEvaluationInput(**store, **data, *scheme, a.year, g.lang);
  if (!input.ok()) return Fail(g, input.status());
  auto result = Evaluate(*scheme, *input);
  if (!result.ok()) return Fail(g, result.status());
  switch (ParseFormat(a.format)) {
    case Format::kJson:
      std::cout << EvaluationToJson(*result).dump(1) << "\n";
      break;
    case Format::kCsv:
      PrintCsv(*result);
      break;
    case Format::kTable:
      PrintTable(g, *scheme, *result);
      break;
  }
  return 0;
}

}  // namespace

void AddEvaluateCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<EvaluateArgs>();
  CLI::App* sub = app.add_subcommand("evaluate", "rate and rank every cluster under an evaluation scheme");
  sub->add_option("--scheme", args->scheme, "a shipped scheme (see --list-schemes) or a scheme .toml file");
  sub->add_option("--year", args->year, "the year to evaluate");
  AddFormatOption(sub, args->format);
  sub->add_flag("--list-schemes", args->list, "list the shipped schemes");
  sub->footer(
      "Example: clusterscope evaluate --scheme annual --year 2014 --format table\n"
      "         clusterscope evaluate --scheme my-scheme.toml --year 2014 --format json");
  commands.push_back({sub, [args](const Globals& g) { return RunEvaluate(g, *args); }});
}

}  // namespace clusterscope::cli
