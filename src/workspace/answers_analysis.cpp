// The answers of qualify, evaluate and diagnose (workspace.h): table, JSON and CSV of each result,
// in the shapes cli.md documents (moved here from the CLI's command files, byte for byte).
#include <fmt/format.h>

#include "clusterscope/format.h"
#include "clusterscope/workspace.h"

namespace clusterscope {
namespace {

std::string S(std::string_view s) { return std::string(s); }

// ---------------------------------------------------------------- qualify

std::string_view CriterionWord(Outcome o, Lang lang) {
  switch (o) {
    case Outcome::kQualifies:
      return Pick(lang, "通过", "pass");
    case Outcome::kFails:
      return Pick(lang, "未通过", "fail");
    case Outcome::kNotApplicable:
      return Pick(lang, "不适用", "not applied");
    case Outcome::kUndetermined:
      break;
  }
  return Pick(lang, "待定", "undetermined");
}

std::string Joined(const std::vector<Reason>& rs, Lang lang) {
  std::string out;
  for (const Reason& r : rs) out += (out.empty() ? "" : "; ") + std::string(r.In(lang));
  return out;
}

std::string GapsText(const std::vector<Gap>& gaps, Lang lang) {
  std::string out;
  for (const Gap& g : gaps) out += (out.empty() ? "" : "; ") + std::string(g.text.In(lang));
  return out;
}

std::string FailedCriteria(const Qualification& q, Lang lang) {
  std::string out;
  for (const Criterion& c : q.criteria) {
    if (c.result == Outcome::kFails) out += (out.empty() ? "" : "; ") + std::string(c.text.In(lang));
  }
  return out;
}

// ---------------------------------------------------------------- diagnose

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

std::string PipelineText(const std::vector<PipelineEntry>& entries, Lang L) {
  std::string out;
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
    out += fmt::format("    {}  {}{}{}\n", e.uscc, e.name, detail.empty() ? "" : " — ", detail);
  }
  return out;
}

}  // namespace

Answer QualifyAnswer(const QualifyResult& result, Lang L) {
  const std::vector<Qualification>& qs = result.firms;
  Answer a;
  a.notes = result.notes;
  if (result.kind == RuleKind::kTechSme) {
    a.header = {S(Pick(L, "统一社会信用代码", "USCC")),
                S(Pick(L, "企业", "firm")),
                S(Pick(L, "结果", "result")),
                S(Pick(L, "途径", "route")),
                S(Pick(L, "总分", "score")),
                S(Pick(L, "科技人员", "tech staff")),
                S(Pick(L, "研发", "R&D")),
                S(Pick(L, "知识产权", "IP")),
                S(Pick(L, "说明", "why")),
                S(Pick(L, "下一档", "next tier"))};
    for (const auto& q : qs) {
      std::string route = q.route == "direct"  ? S(Pick(L, "直接认定", "direct"))
                          : q.route == "score" ? S(Pick(L, "评分", "score"))
                                               : "";
      // The suggested step: one that reaches the bar for a firm one tier short, else the first.
      std::string next;
      for (const Gap& gap : q.gaps) {
        if (gap.reaches_bar || (!q.nearly && next.empty())) {
          next = std::string(gap.text.In(L));
          if (gap.reaches_bar) break;
        }
      }
      if (q.scores.size() < 3) {  // not_applicable: no score
        a.rows.push_back({q.uscc, q.name, S(OutcomeWord(q.result, L)), route, "", "", "", "", S(q.verdict.In(L)), ""});
        continue;
      }
      a.rows.push_back({q.uscc, q.name, S(OutcomeWord(q.result, L)) + (q.nearly ? "*" : ""), route, BandText(q.score),
                        BandText(q.scores[0].band), BandText(q.scores[1].band), BandText(q.scores[2].band),
                        S(q.verdict.In(L)), next});
    }
  } else {
    a.header = {S(Pick(L, "统一社会信用代码", "USCC")),
                S(Pick(L, "企业", "firm")),
                S(Pick(L, "结果", "result")),
                S(Pick(L, "候选", "candidate")),
                S(Pick(L, "创新能力评分", "innovation score")),
                S(Pick(L, "说明", "why"))};
    for (const auto& q : qs) {
      a.rows.push_back({q.uscc, q.name, S(OutcomeWord(q.result, L)) + (q.nearly ? "*" : ""),
                        q.candidate ? S(Pick(L, "是", "yes")) : "", BandText(q.score), S(q.verdict.In(L))});
    }
  }
  // The page: the rule set, the table, for one firm every criterion and gap, then the counts.
  std::string& out = a.text;
  out = fmt::format(fmt::runtime(Pick(L, "规则集：{}{}\n", "rule set: {}{}\n")), result.rule_set,
                    result.what_if ? Pick(L, "（假设分析）", " (what-if)") : "");
  out += RenderTable(a.header, a.rows);
  if (qs.size() == 1) {
    const Qualification& q = qs.front();
    for (const Criterion& c : q.criteria) out += fmt::format("  [{}] {}\n", CriterionWord(c.result, L), c.text.In(L));
    for (const Reason& r : q.reasons) {
      if (q.criteria.empty()) out += fmt::format("  - {}\n", r.In(L));
    }
    for (const Gap& g : q.gaps) out += fmt::format("  → {}\n", g.text.In(L));
  }
  int counts[4] = {0, 0, 0, 0};
  int nearly = 0;
  for (const auto& q : qs) {
    ++counts[static_cast<int>(q.result)];
    nearly += q.nearly ? 1 : 0;
  }
  if (L == Lang::kZh) {
    out += fmt::format("共{}家：符合{}家，不符合{}家，待定{}家，不适用{}家；差一档（*）{}家\n", qs.size(), counts[0],
                       counts[1], counts[2], counts[3], nearly);
  } else {
    out +=
        fmt::format("{} {}: {} qualify, {} fail, {} undetermined, {} not applicable; one step short (*): {}\n",
                    qs.size(), qs.size() == 1 ? "firm" : "firms", counts[0], counts[1], counts[2], counts[3], nearly);
  }

  a.json = nlohmann::ordered_json::array();
  for (const auto& q : qs) a.json.push_back(QualificationToJson(q, L));
  a.csv_header = {"uscc",      "name",   "year",      "rule_set", "result",          "route",   "score_min",
                  "score_max", "nearly", "candidate", "verdict",  "criteria_failed", "reasons", "gaps"};
  for (const auto& q : qs) {
    a.csv_rows.push_back({q.uscc, q.name, std::to_string(q.year), q.rule_set, S(OutcomeId(q.result)), q.route,
                          std::to_string(q.score.min), std::to_string(q.score.max), q.nearly ? "1" : "0",
                          q.candidate ? "1" : "0", S(q.verdict.In(L)), FailedCriteria(q, L), Joined(q.reasons, L),
                          GapsText(q.gaps, L)});
  }
  return a;
}

// ---------------------------------------------------------------- evaluate

Answer EvaluateAnswer(const EvaluateResult& result, Lang L) {
  const Scheme& scheme = result.scheme;
  const EvaluationResult& r = result.result;
  const auto num = [](const std::optional<double>& v, int digits) {
    return v ? fmt::format("{:.{}f}", *v, digits) : std::string();
  };
  Answer a;
  a.json = EvaluationToJson(r);

  a.csv_header = {"scheme",  "version",    "year",         "cluster_id", "name",     "division",         "firm_count",
                  "score",   "data_score", "expert_score", "grade",      "grade_zh", "grade_en",         "rank",
                  "peers",   "small",      "renormalised", "score_kind", "rated",    "not_rated_reason", "peer_group",
                  "missing", "reason_zh",  "reason_en"};
  // One column triple per indicator, in scheme order (every cluster carries the same indicators).
  if (!r.clusters.empty()) {
    for (const IndicatorScore& i : r.clusters.front().indicators) {
      a.csv_header.push_back(i.id + ".raw");
      a.csv_header.push_back(i.id + ".score");
      a.csv_header.push_back(i.id + ".contribution");
    }
  }
  const auto opt = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
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
    a.csv_rows.push_back(std::move(row));
  }

  const int digits = scheme.method == EvaluationMethod::kEntropyTopsis ? 4 : 2;
  a.header = {S(Pick(L, "排名", "rank")),    S(Pick(L, "集群代码", "cluster")), S(Pick(L, "名称", "name")),
              S(Pick(L, "企业数", "firms")), S(Pick(L, "得分", "score")),       S(Pick(L, "等级", "grade")),
              S(Pick(L, "理由", "reason"))};
  for (const ClusterEvaluation& e : r.clusters) {
    std::string rank = e.rank ? fmt::format("{}/{}", *e.rank, e.peers)
                              : (!e.rated ? S(Pick(L, "不评价", "not rated")) : std::string("-"));
    // Ranks are per score kind: a preliminary rank says so.
    if (e.rank && e.score_kind == "preliminary") rank += Pick(L, " 初评", " prelim.");
    std::string score = e.stars ? std::string(static_cast<size_t>(*e.stars), '*') : num(e.score, digits);
    if (e.stars && *e.stars == 0) score = "0";
    std::string grade = L == Lang::kZh ? e.grade_zh : e.grade_en;
    if (e.score_kind == "preliminary") grade = Pick(L, "待定级", "not graded");
    a.rows.push_back({rank, e.cluster_id, e.name, std::to_string(e.firm_count), score, grade,
                      L == Lang::kZh ? e.reason_zh : e.reason_en});
  }
  a.text = fmt::format("{} {} v{} — {} {}\n", Pick(L, "评价方案", "scheme"), scheme.id, scheme.version,
                       L == Lang::kZh ? scheme.zh : scheme.en, r.year);
  if (scheme.method == EvaluationMethod::kWeighted && scheme.expert_weight > 0.0 && !r.expert_scores_used) {
    a.text += Pick(L, "本年度没有专家评分：得分为初评得分（仅数据），待专家复评后定级\n",
                   "no expert scores this year: preliminary data scores, to be graded after the expert review\n");
  }
  a.text += RenderTable(a.header, a.rows);
  a.footer = fmt::format("{}{}", Pick(L, "集群数：", "clusters: "), r.clusters.size());
  a.text += a.footer + "\n";
  return a;
}

Result<Answer> SchemesAnswer(Lang L) {
  Answer a;
  a.json = nlohmann::ordered_json::array();
  a.header = {S(Pick(L, "方案", "scheme")), S(Pick(L, "版本", "version")), S(Pick(L, "方法", "method")),
              S(Pick(L, "名称", "name"))};
  a.csv_header = {"id", "version", "method", "zh", "en", "min_firms"};
  for (const std::string& id : BuiltinSchemeIds()) {
    CS_ASSIGN_OR_RETURN(Scheme s, LoadScheme(id, L));
    a.json.push_back({{"id", s.id},
                      {"version", s.version},
                      {"method", MethodId(s.method)},
                      {"zh", s.zh},
                      {"en", s.en},
                      {"min_firms", s.min_firms}});
    a.csv_rows.push_back(
        {s.id, std::to_string(s.version), S(MethodId(s.method)), s.zh, s.en, std::to_string(s.min_firms)});
    a.rows.push_back({s.id, std::to_string(s.version), S(MethodId(s.method)), L == Lang::kZh ? s.zh : s.en});
  }
  return a;
}

// ---------------------------------------------------------------- diagnose

Answer DiagnosisAnswer(const Diagnosis& d, Lang L) {
  Answer a;
  a.json = DiagnosisToJson(d, L);

  // The table: dimensions and their indicators; the page adds the backbone firms, the pipeline
  // and the coordination.
  a.header = {S(Pick(L, "维度 / 指标", "dimension / indicator")), S(Pick(L, "数值", "value")),
              S(Pick(L, "全部集群百分位", "percentile, all")), S(Pick(L, "同行业百分位", "percentile, industry")), ""};
  for (const auto& dim : d.dimensions) {
    a.rows.push_back({S(L == Lang::kZh ? dim.zh : dim.en), "", PctCell(dim.percentile_all),
                      PctCell(dim.percentile_industry),
                      dim.flagged ? S(Pick(L, "⚑ 后四分之一", "⚑ bottom quarter")) : ""});
    for (const auto& i : dim.indicators) {
      a.rows.push_back({"  " + (L == Lang::kZh ? i.zh : i.en), FormatDiagnosisValue(i, L), PctCell(i.percentile_all),
                        PctCell(i.percentile_industry), i.low ? S(WeakWord(i, L)) : ""});
    }
  }
  std::string& out = a.text;
  out = fmt::format(fmt::runtime(Pick(L, "{}（{}）{}年诊断：成员企业{}家，对比{}个集群（同行业{}个）\n\n",
                                      "{} ({}), {}: {} member firms, compared with {} clusters ({} of the same "
                                      "industry)\n\n")),
                    d.name, d.cluster_id, d.year, d.member_firms, d.peers_all, d.peers_industry);
  out += RenderTable(a.header, a.rows);
  for (const auto& dim : d.dimensions) {
    if (dim.id == d.weakest) out += fmt::format("\n{}{}\n", Pick(L, "最薄弱：", "Weakest: "), dim.text.In(L));
  }

  out += "\n" + S(Pick(L, "骨干企业", "Backbone firms")) + "\n";
  std::vector<std::vector<std::string>> firms;
  for (const auto& b : d.backbone) {
    firms.push_back({b.name, LeadsOn(b, L),
                     b.gross_output ? (L == Lang::kZh           ? fmt::format("{:.2f}亿元", *b.gross_output / 1e8)
                                       : *b.gross_output >= 1e8 ? fmt::format("{:.2f} bn yuan", *b.gross_output / 1e9)
                                                                : fmt::format("{:.1f} m yuan", *b.gross_output / 1e6))
                                    : "—",
                     ShareCell(b.output_share), ShareCell(b.rd_share), ShareCell(b.ip_share)});
  }
  out += RenderTable({S(Pick(L, "企业", "firm")), S(Pick(L, "领先", "leads on")), S(Pick(L, "产值", "output")),
                      S(Pick(L, "产值占比", "output share")), S(Pick(L, "研发占比", "R&D share")),
                      S(Pick(L, "知识产权占比", "IP share"))},
                     firms);
  out += S(d.backbone_text.In(L)) + "\n\n";

  const auto what_if = [&](bool w) { return w ? S(Pick(L, "，假设分析", ", what-if")) : std::string(); };
  if (!d.sme_applicable) {
    out += fmt::format(fmt::runtime(Pick(L, "培育科技型中小企业（{}）：不适用——{}\n",
                                         "Technology-based SMEs ({}): not applicable — {}\n")),
                       d.sme_rule_set, d.sme_not_applicable.In(L));
  } else {
    out += fmt::format(
        fmt::runtime(Pick(L,
                          "培育科技型中小企业（{}{}，合格线{}分）：符合{}家，差一档{}家，已知数据达线但待补填{}家，"
                          "其他待定{}家\n",
                          "Technology-based SMEs ({}{}, pass mark {}): {} qualify, {} one tier short, {} whose known "
                          "figures reach the bar but undetermined, {} other undetermined\n")),
        d.sme_rule_set, what_if(d.sme_what_if), kTechSmePassMark, d.sme_qualifying.size(), d.sme_nearly.size(),
        d.sme_reaching_undetermined.size(), d.sme_undetermined);
    out += PipelineText(d.sme_nearly, L);
    out += PipelineText(d.sme_reaching_undetermined, L);
  }
  out += fmt::format(fmt::runtime(Pick(L, "高新技术企业（{}{}）：无证候选{}家，差一项{}家，无不合格项但待补填{}家\n",
                                       "High-tech enterprises ({}{}): {} uncertified candidates, {} one criterion "
                                       "short, {} failing nothing but with cells to fill\n")),
                     d.high_tech_rule_set, what_if(d.high_tech_what_if), d.high_tech_candidates.size(),
                     d.high_tech_nearly.size(), d.high_tech_reaching_undetermined.size());
  out += PipelineText(d.high_tech_candidates, L);
  out += PipelineText(d.high_tech_nearly, L);
  out += PipelineText(d.high_tech_reaching_undetermined, L);
  out += "\n" + S(Pick(L, "协同机制：", "Coordination: ")) + S(d.coordination_text.In(L)) + "\n";

  a.csv_header = {"section", "id", "name", "value", "percentile_all", "percentile_industry", "flag", "text"};
  const auto num = [](const std::optional<double>& v) { return v ? fmt::format("{}", *v) : std::string(); };
  for (const auto& dim : d.dimensions) {
    a.csv_rows.push_back({"dimension", dim.id, L == Lang::kZh ? dim.zh : dim.en, "", num(dim.percentile_all),
                          num(dim.percentile_industry), dim.flagged ? "flagged" : "", S(dim.text.In(L))});
    for (const auto& i : dim.indicators) {
      a.csv_rows.push_back({"indicator", i.id, L == Lang::kZh ? i.zh : i.en, num(i.value), num(i.percentile_all),
                            num(i.percentile_industry), i.low ? S(WeakWord(i, Lang::kEn)) : "", dim.id});
    }
  }
  for (const auto& b : d.backbone) {
    a.csv_rows.push_back(
        {"backbone", b.uscc, b.name, num(b.gross_output), "", "", b.marked_backbone ? "backbone" : "", LeadsOn(b, L)});
  }
  const auto pipeline = [&](const char* section, const std::vector<PipelineEntry>& entries) {
    for (const auto& e : entries) {
      a.csv_rows.push_back({section, e.uscc, e.name, "", "", "", S(OutcomeId(e.qualification.result)),
                            S(e.qualification.verdict.In(L))});
    }
  };
  pipeline("tech_sme_qualifying", d.sme_qualifying);
  pipeline("tech_sme_nearly", d.sme_nearly);
  pipeline("tech_sme_reaching_undetermined", d.sme_reaching_undetermined);
  pipeline("high_tech_candidate", d.high_tech_candidates);
  pipeline("high_tech_nearly", d.high_tech_nearly);
  pipeline("high_tech_reaching_undetermined", d.high_tech_reaching_undetermined);
  a.csv_rows.push_back({"coordination", d.cluster_id, d.name, "", "", "", "", S(d.coordination_text.In(L))});
  return a;
}

}  // namespace clusterscope
