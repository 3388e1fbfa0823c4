// qualify tech-sme|high-tech --year Y [--firm USCC | --cluster ID] [--format F]
#include <fmt/format.h>

#include <iostream>

#include "clusterscope/format.h"
#include "clusterscope/rules.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct QualifyArgs {
  std::string rule_set;           // the kind: tech-sme | high-tech
  std::string explicit_rule_set;  // --rule-set ID (a what-if when not the one in force)
  int year = 0;
  std::vector<std::string> firms;
  std::string cluster;
  std::string format;
};

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

void PrintTable(const std::vector<Qualification>& qs, bool tech_sme, Lang L) {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  if (tech_sme) {
    header = {std::string(Pick(L, "统一社会信用代码", "USCC")),
              std::string(Pick(L, "企业", "firm")),
              std::string(Pick(L, "结果", "result")),
              std::string(Pick(L, "途径", "route")),
              std::string(Pick(L, "总分", "score")),
              std::string(Pick(L, "科技人员", "tech staff")),
              std::string(Pick(L, "研发", "R&D")),
              std::string(Pick(L, "知识产权", "IP")),
              std::string(Pick(L, "说明", "why")),
              std::string(Pick(L, "下一档", "next tier"))};
    for (const auto& q : qs) {
      std::string route = q.route == "direct"  ? std::string(Pick(L, "直接认定", "direct"))
                          : q.route == "score" ? std::string(Pick(L, "评分", "score"))
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
        rows.push_back({q.uscc, q.name, std::string(OutcomeWord(q.result, L)), route, "", "", "", "",
                        std::string(q.verdict.In(L)), ""});
        continue;
      }
      rows.push_back({q.uscc, q.name, std::string(OutcomeWord(q.result, L)) + (q.nearly ? "*" : ""), route,
                      BandText(q.score), BandText(q.scores[0].band), BandText(q.scores[1].band),
                      BandText(q.scores[2].band), std::string(q.verdict.In(L)), next});
    }
  } else {
    header = {std::string(Pick(L, "统一社会信用代码", "USCC")),
              std::string(Pick(L, "企业", "firm")),
              std::string(Pick(L, "结果", "result")),
              std::string(Pick(L, "候选", "candidate")),
              std::string(Pick(L, "创新能力评分", "innovation score")),
              std::string(Pick(L, "说明", "why"))};
    for (const auto& q : qs) {
      rows.push_back({q.uscc, q.name, std::string(OutcomeWord(q.result, L)) + (q.nearly ? "*" : ""),
                      q.candidate ? std::string(Pick(L, "是", "yes")) : "", BandText(q.score),
                      std::string(q.verdict.In(L))});
    }
  }
  std::cout << RenderTable(header, rows);

  if (qs.size() == 1) {  // one firm: every reason, criterion and gap
    const Qualification& q = qs.front();
    for (const Criterion& c : q.criteria) {
      std::cout << fmt::format("  [{}] {}\n", CriterionWord(c.result, L), c.text.In(L));
    }
    for (const Reason& r : q.reasons) {
      if (q.criteria.empty()) std::cout << fmt::format("  - {}\n", r.In(L));
    }
    for (const Gap& g : q.gaps) std::cout << fmt::format("  → {}\n", g.text.In(L));
  }
  int counts[4] = {0, 0, 0, 0};
  int nearly = 0;
  for (const auto& q : qs) {
    ++counts[static_cast<int>(q.result)];
    nearly += q.nearly ? 1 : 0;
  }
  if (L == Lang::kZh) {
    std::cout << fmt::format("共{}家：符合{}家，不符合{}家，待定{}家，不适用{}家；差一档（*）{}家\n", qs.size(),
                             counts[0], counts[1], counts[2], counts[3], nearly);
  } else {
    std::cout << fmt::format("{} {}: {} qualify, {} fail, {} undetermined, {} not applicable; one step short (*): {}\n",
                             qs.size(), qs.size() == 1 ? "firm" : "firms", counts[0], counts[1], counts[2], counts[3],
                             nearly);
  }
}

void PrintCsv(const std::vector<Qualification>& qs, Lang L) {
  std::cout << ToCsvLine({"uscc", "name", "year", "rule_set", "result", "route", "score_min", "score_max", "nearly",
                          "candidate", "verdict", "criteria_failed", "reasons", "gaps"});
  for (const auto& q : qs) {
    std::cout << ToCsvLine({q.uscc, q.name, std::to_string(q.year), q.rule_set, std::string(OutcomeId(q.result)),
                            q.route, std::to_string(q.score.min), std::to_string(q.score.max), q.nearly ? "1" : "0",
                            q.candidate ? "1" : "0", std::string(q.verdict.In(L)), FailedCriteria(q, L),
                            Joined(q.reasons, L), GapsText(q.gaps, L)});
  }
}

int RunQualify(const Globals& g, const QualifyArgs& a) {
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  std::vector<std::string> firms = a.firms;
  if (!a.cluster.empty()) {
    auto members = ClusterMembersIn(**store, a.cluster, a.year);
    if (!members.ok()) return Fail(g, members.status());
    for (const auto& [uscc, backbone] : *members) firms.push_back(uscc);
    if (firms.empty()) {
      std::cerr << fmt::format(
          fmt::runtime(Pick(g.lang, "集群{}在{}年没有成员企业\n", "cluster {} has no members in {}\n")), a.cluster,
          a.year);
    }
  }
  std::vector<FirmHistory> histories;
  if (!firms.empty() || a.cluster.empty()) {
    auto loaded = LoadFirmHistories(**store, firms, a.year);
    if (!loaded.ok()) return Fail(g, loaded.status());
    histories = std::move(*loaded);
  }
  const bool tech_sme = a.rule_set == "tech-sme";
  const RuleKind kind = tech_sme ? RuleKind::kTechSme : RuleKind::kHighTech;
  const RuleSet* in_force = RuleSetInForce(kind, a.year);
  if (!a.explicit_rule_set.empty()) {
    const RuleSet* asked = FindRuleSet(a.explicit_rule_set);
    if (asked == nullptr || asked->kind != kind) {
      std::string ids;
      for (const RuleSet& r : RuleSets()) {
        if (r.kind == kind) ids += (ids.empty() ? "" : ", ") + std::string(r.id);
      }
      return Fail(g, Status::Usage(fmt::format("--rule-set {}: {}", a.explicit_rule_set,
                                               Pick(g.lang, fmt::format("不是{}的规则集（可选：{}）", a.rule_set, ids),
                                                    fmt::format("not a {} rule set (one of: {})", a.rule_set, ids)))));
    }
    if (asked != in_force && in_force != nullptr) {
      std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "假设分析：{}年适用的规则集为{}，此处按{}计算\n",
                                                 "what-if: {} was assessed under {}; computed under {} instead\n")),
                               a.year, in_force->id, asked->id);
    } else if (asked != in_force) {
      std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "假设分析：{}年尚无适用的规则集，此处按{}计算\n",
                                                 "what-if: no rule set of this kind was in force in {}; computed "
                                                 "under {}\n")),
                               a.year, asked->id);
    }
  }
  std::vector<Qualification> qs;
  qs.reserve(histories.size());
  for (const auto& h : histories) {
    qs.push_back(tech_sme ? EvaluateTechSme(h, a.year, a.explicit_rule_set)
                          : EvaluateHighTech(h, a.year, a.explicit_rule_set));
  }
  if (ParseFormat(a.format) == Format::kTable) {
    const std::string applied =
        !qs.empty() ? qs.front().rule_set
                    : (in_force != nullptr ? std::string(in_force->id) : std::string(FirstRuleSet(kind)));
    const bool what_if = !qs.empty() && qs.front().what_if;
    std::cout << fmt::format(fmt::runtime(Pick(g.lang, "规则集：{}{}\n", "rule set: {}{}\n")), applied,
                             what_if ? Pick(g.lang, "（假设分析）", " (what-if)") : "");
  }

  switch (ParseFormat(a.format)) {
    case Format::kJson: {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& q : qs) out.push_back(QualificationToJson(q, g.lang));
      std::cout << out.dump(1) << "\n";
      break;
    }
    case Format::kCsv:
      PrintCsv(qs, g.lang);
      break;
    case Format::kTable:
      PrintTable(qs, tech_sme, g.lang);
      break;
  }
  return 0;
}

}  // namespace

void AddQualifyCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<QualifyArgs>();
  auto* sub = app.add_subcommand("qualify", "check firms against the technology-based SME or high-tech rules");
  sub->add_option("rule_set", args->rule_set, "tech-sme | high-tech")
      ->required()
      ->check(CLI::IsMember({"tech-sme", "high-tech"}));
  sub->add_option("--year", args->year, "the assessment year")->required();
  sub->add_option("--rule-set", args->explicit_rule_set,
                  "apply this rule set (tech-sme-2017, high-tech-2008, high-tech-2016) instead of the one in force "
                  "for the year: a what-if");
  auto* firm = sub->add_option("--firm", args->firms, "a firm's credit code (repeatable)");
  sub->add_option("--cluster", args->cluster, "every member firm of this cluster in that year")->excludes(firm);
  AddFormatOption(sub, args->format);
  sub->footer(
      "With neither --firm nor --cluster, every firm that reported for the year. The rule set is the one\n"
      "in force for the assessment year (high-tech-2008 for 2008-2015, high-tech-2016 from 2016,\n"
      "tech-sme-2017 from 2017; tech-sme before 2017 is not_applicable).\n"
      "Example: clusterscope qualify tech-sme --year 2017 --cluster QH-BIO --format json\n"
      "         clusterscope qualify tech-sme --year 2014 --cluster QH-BIO --rule-set tech-sme-2017");
  commands.push_back({sub, [args](const Globals& g) { return RunQualify(g, *args); }});
}

}  // namespace clusterscope::cli
