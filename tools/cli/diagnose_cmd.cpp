// diagnose --cluster ID --year Y [--format F]
#include <fmt/format.h>

#include <iostream>

#include "clusterscope/diagnosis.h"
#include "clusterscope/format.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct DiagnoseArgs {
  std::string cluster;
  int year = 0;
  std::string format;
  std::vector<std::string> rule_sets;  // --rule-set ID (repeatable): a what-if
};

std::string PctCell(const std::optional<double>& p) { return p ? fmt::format("{:.0f}", *p * 100) : "—"; }

std::string ShareCell(const std::optional<double>& s) { return s ? fmt::format("{:.1f}%", *s * 100) : "—"; }

std::string LeadsOn(const BackboneFirm& b, Lang L) {
  std::string out;
  for (const auto& what : b.leads_on) {
    std::string_view w = what == "output" ? Pick(L, "产值", "output")
                         : what == "rd"   ? Pick(L, "研发", "R&D")
                                          : Pick(L, "知识产权", "IP");
    out += (out.empty() ? "" : "/") + std::string(w);
  }
  if (b.marked_backbone) out += (out.empty() ? "" : " ") + std::string(Pick(L, "（骨干）", "(backbone)"));
  return out;
}

std::string MissingCells(const Qualification& q) {
  std::string out;
  for (const std::string& c : q.missing_cells) out += (out.empty() ? "" : ", ") + c;
  return out;
}

void PrintPipeline(const std::vector<PipelineEntry>& entries, Lang L) {
  for (const auto& e : entries) {
    // For a firm one tier short, the steps that reach the bar (rules.h: Gap::reaches_bar); for a
    // firm whose known figures reach it, the cells to fill; for high-tech, the failing criterion.
    std::string detail;
    for (const Gap& g : e.qualification.gaps) {
      if (g.reaches_bar)
        detail += std::string(detail.empty() ? "" : Pick(L, "；或", "; or ")) + std::string(g.text.In(L));
    }
    if (!e.qualification.missing_cells.empty() && e.qualification.result == Outcome::kUndetermined &&
        !e.qualification.nearly) {
      detail = fmt::format(fmt::runtime(Pick(L, "待补填：{}", "cells to fill: {}")), MissingCells(e.qualification));
    }
    for (const Criterion& c : e.qualification.criteria) {
      if (c.result == Outcome::kFails) detail = std::string(c.text.In(L));
    }
    std::cout << fmt::format("    {}  {}{}{}\n", e.uscc, e.name, detail.empty() ? "" : " — ", detail);
  }
}

void PrintTable(const Diagnosis& d, Lang L) {
  std::cout << fmt::format(fmt::runtime(Pick(L, "{}（{}）{}年诊断：成员企业{}家，对比{}个集群（同行业{}个）\n\n",
                                             "{} ({}), {}: {} member firms, compared with {} clusters ({} of the same "
                                             "industry)\n\n")),
                           d.name, d.cluster_id, d.year, d.member_firms, d.peers_all, d.peers_industry);
  std::vector<std::vector<std::string>> rows;
  for (const auto& dim : d.dimensions) {
    rows.push_back({std::string(L == Lang::kZh ? dim.zh : dim.en), "", PctCell(dim.percentile_all),
                    PctCell(dim.percentile_industry),
                    dim.flagged ? std::string(Pick(L, "⚑ 后四分之一", "⚑ bottom quarter")) : ""});
    for (const auto& i : dim.indicators) {
      const std::string value = FormatDiagnosisValue(i, L);
      rows.push_back({"  " + (L == Lang::kZh ? i.zh : i.en), value, PctCell(i.percentile_all),
                      PctCell(i.percentile_industry), i.low ? std::string(WeakWord(i, L)) : ""});
    }
  }
  std::cout << RenderTable(
      {std::string(Pick(L, "维度 / 指标", "dimension / indicator")), std::string(Pick(L, "数值", "value")),
       std::string(Pick(L, "全部集群百分位", "percentile, all")),
       std::string(Pick(L, "同行业百分位", "percentile, industry")), ""},
      rows);
  for (const auto& dim : d.dimensions) {
    if (dim.id == d.weakest) {
      std::cout << fmt::format("\n{}{}\n", Pick(L, "最薄弱：", "Weakest: "), dim.text.In(L));
    }
  }

  std::cout << "\n" << Pick(L, "骨干企业", "Backbone firms") << "\n";
  std::vector<std::vector<std::string>> firms;
  for (const auto& b : d.backbone) {
    firms.push_back({b.name, LeadsOn(b, L),
                     b.gross_output ? (L == Lang::kZh           ? fmt::format("{:.2f}亿元", *b.gross_output / 1e8)
                                       : *b.gross_output >= 1e8 ? fmt::format("{:.2f} bn yuan", *b.gross_output / 1e9)
                                                                : fmt::format("{:.1f} m yuan", *b.gross_output / 1e6))
                                    : "—",
                     ShareCell(b.output_share), ShareCell(b.rd_share), ShareCell(b.ip_share)});
  }
  std::cout << RenderTable(
      {std::string(Pick(L, "企业", "firm")), std::string(Pick(L, "领先", "leads on")),
       std::string(Pick(L, "产值", "output")), std::string(Pick(L, "产值占比", "output share")),
       std::string(Pick(L, "研发占比", "R&D share")), std::string(Pick(L, "知识产权占比", "IP share"))},
      firms);
  std::cout << d.backbone_text.In(L) << "\n\n";

  const auto what_if = [&](bool w) { return w ? std::string(Pick(L, "，假设分析", ", what-if")) : std::string(); };
  if (!d.sme_applicable) {
    std::cout << fmt::format(fmt::runtime(Pick(L, "培育科技型中小企业（{}）：不适用——{}\n",
                                               "Technology-based SMEs ({}): not applicable — {}\n")),
                             d.sme_rule_set, d.sme_not_applicable.In(L));
  } else {
    std::cout << fmt::format(
        fmt::runtime(Pick(L,
                          "培育科技型中小企业（{}{}，合格线{}分）：符合{}家，差一档{}家，已知数据达线但待补填{}家，"
                          "其他待定{}家\n",
                          "Technology-based SMEs ({}{}, pass mark {}): {} qualify, {} one tier short, {} whose known "
                          "figures reach the bar but undetermined, {} other undetermined\n")),
        d.sme_rule_set, what_if(d.sme_what_if), kTechSmePassMark, d.sme_qualifying.size(), d.sme_nearly.size(),
        d.sme_reaching_undetermined.size(), d.sme_undetermined);
    PrintPipeline(d.sme_nearly, L);
    PrintPipeline(d.sme_reaching_undetermined, L);
  }
  std::cout << fmt::format(
      fmt::runtime(Pick(L, "高新技术企业（{}{}）：无证候选{}家，差一项{}家，无不合格项但待补填{}家\n",
                        "High-tech enterprises ({}{}): {} uncertified candidates, {} one criterion short, {} failing "
                        "nothing but with cells to fill\n")),
      d.high_tech_rule_set, what_if(d.high_tech_what_if), d.high_tech_candidates.size(), d.high_tech_nearly.size(),
      d.high_tech_reaching_undetermined.size());
  PrintPipeline(d.high_tech_candidates, L);
  PrintPipeline(d.high_tech_nearly, L);
  PrintPipeline(d.high_tech_reaching_undetermined, L);
  std::cout << "\n" << Pick(L, "协同机制：", "Coordination: ") << d.coordination_text.In(L) << "\n";
}

void PrintCsv(const Diagnosis& d, Lang L) {
  std::cout << ToCsvLine({"section", "id", "name", "value", "percentile_all", "percentile_industry", "flag", "text"});
  const auto num = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
  for (const auto& dim : d.dimensions) {
    std::cout << ToCsvLine({"dimension", dim.id, L == Lang::kZh ? dim.zh : dim.en, "", num(dim.percentile_all),
                            num(dim.percentile_industry), dim.flagged ? "flagged" : "", std::string(dim.text.In(L))});
    for (const auto& i : dim.indicators) {
      std::cout << ToCsvLine({"indicator", i.id, L == Lang::kZh ? i.zh : i.en, num(i.value), num(i.percentile_all),
                              num(i.percentile_industry), i.low ? std::string(WeakWord(i, Lang::kEn)) : "", dim.id});
    }
  }
  for (const auto& b : d.backbone) {
    std::cout << ToCsvLine(
        {"backbone", b.uscc, b.name, num(b.gross_output), "", "", b.marked_backbone ? "backbone" : "", LeadsOn(b, L)});
  }
  const auto pipeline = [&](const char* section, const std::vector<PipelineEntry>& entries) {
    for (const auto& e : entries) {
      std::cout << ToCsvLine({section, e.uscc, e.name, "", "", "", std::string(OutcomeId(e.qualification.result)),
                              std::string(e.qualification.verdict.In(L))});
    }
  };
  pipeline("tech_sme_qualifying", d.sme_qualifying);
  pipeline("tech_sme_nearly", d.sme_nearly);
  pipeline("tech_sme_reaching_undetermined", d.sme_reaching_undetermined);
  pipeline("high_tech_candidate", d.high_tech_candidates);
  pipeline("high_tech_nearly", d.high_tech_nearly);
  pipeline("high_tech_reaching_undetermined", d.high_tech_reaching_undetermined);
  std::cout << ToCsvLine(
      {"coordination", d.cluster_id, d.name, "", "", "", "", std::string(d.coordination_text.In(L))});
}

int RunDiagnose(const Globals& g, const DiagnoseArgs& a) {
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  auto data = cli::LoadData(g, **store);
  if (!data.ok()) return Fail(g, data.status());
  DiagnoseOptions options;
  for (const std::string& id : a.rule_sets) {
    const RuleSet* rs = FindRuleSet(id);
    if (rs == nullptr) {
      return Fail(g,
                  Status::Usage(fmt::format("--rule-set {}: {}", id,
                                            Pick(g.lang, "未知规则集（tech-sme-2017、high-tech-2008、high-tech-2016）",
                                                 "unknown rule set (tech-sme-2017, high-tech-2008, high-tech-2016)"))));
    }
    (rs->kind == RuleKind::kTechSme ? options.tech_sme_rule_set : options.high_tech_rule_set) = id;
  }
  auto d = Diagnose(**store, **data, a.cluster, a.year, options);
  if (!d.ok()) return Fail(g, d.status());
  switch (ParseFormat(a.format)) {
    case Format::kJson:
      std::cout << DiagnosisToJson(*d, g.lang).dump(1) << "\n";
      break;
    case Format::kCsv:
      PrintCsv(*d, g.lang);
      break;
    case Format::kTable:
      PrintTable(*d, g.lang);
      break;
  }
  return 0;
}

}  // namespace

void AddDiagnoseCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<DiagnoseArgs>();
  auto* sub = app.add_subcommand("diagnose", "talent, financing, innovation, backbone firms and pipeline of a cluster");
  sub->add_option("--cluster", args->cluster, "the cluster id")->required();
  sub->add_option("--year", args->year, "the year")->required();
  sub->add_option("--rule-set", args->rule_sets,
                  "use this rule set for the pipeline instead of the one in force (repeatable; a what-if)");
  AddFormatOption(sub, args->format);
  sub->footer(
      "Example: clusterscope diagnose --cluster QH-BIO --year 2014 --lang zh\n"
      "         clusterscope diagnose --cluster QH-BIO --year 2014 --rule-set tech-sme-2017");
  commands.push_back({sub, [args](const Globals& g) { return RunDiagnose(g, *args); }});
}

}  // namespace clusterscope::cli
