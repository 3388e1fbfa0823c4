// What both rule sets share: looking up a year, outcome words, and the rules.md §6 JSON.
#include <fmt/format.h>

#include <cmath>
#include <span>

#include "clusterscope/rules.h"
#include "rules/exact.h"

namespace clusterscope {

const YearFacts* FirmHistory::At(int year) const {
  for (const YearFacts& y : years) {
    if (y.year == year) return &y;
  }
  return nullptr;
}

std::string_view OutcomeId(Outcome outcome) {
  switch (outcome) {
    case Outcome::kQualifies:
      return "qualifies";
    case Outcome::kFails:
      return "fails";
    case Outcome::kNotApplicable:
      return "not_applicable";
    case Outcome::kUndetermined:
      break;
  }
  return "undetermined";
}

std::string_view CriterionResultId(Outcome outcome) {
  switch (outcome) {
    case Outcome::kQualifies:
      return "pass";
    case Outcome::kFails:
      return "fail";
    case Outcome::kNotApplicable:
      return "not_applied";
    case Outcome::kUndetermined:
      break;
  }
  return "undetermined";
}

std::string BandText(const Band& band) {
  return band.known() ? fmt::format("{}", band.min) : fmt::format("{}–{}", band.min, band.max);
}

std::string_view OutcomeWord(Outcome outcome, Lang lang) {
  switch (outcome) {
    case Outcome::kQualifies:
      return Pick(lang, "符合", "qualifies");
    case Outcome::kFails:
      return Pick(lang, "不符合", "fails");
    case Outcome::kNotApplicable:
      return Pick(lang, "不适用", "not applicable");
    case Outcome::kUndetermined:
      break;
  }
  return Pick(lang, "待定", "undetermined");
}

namespace {

constexpr RuleSet kRuleSets[] = {
    {kTechSme2017, RuleKind::kTechSme, 2017, 0, "评价办法 国科发政〔2017〕115号, 工作指引 国科火字〔2022〕67号"},
    {kHighTech2008, RuleKind::kHighTech, 2008, 2015,
     "认定管理办法 国科发火〔2008〕172号, 工作指引 国科发火〔2008〕362号"},
    {kHighTech2016, RuleKind::kHighTech, 2016, 0, "认定管理办法 国科发火〔2016〕32号, 工作指引 〔2016〕195号"},
};

}  // namespace

std::span<const RuleSet> RuleSets() { return kRuleSets; }

const RuleSet* FindRuleSet(std::string_view id) {
  for (const RuleSet& r : kRuleSets) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const RuleSet* RuleSetInForce(RuleKind kind, int year) {
  for (const RuleSet& r : kRuleSets) {
    if (r.kind == kind && year >= r.first_year && (r.last_year == 0 || year <= r.last_year)) return &r;
  }
  return nullptr;
}

namespace rules {

const RuleSet* ChooseRuleSet(RuleKind kind, int year, std::string_view asked, Qualification& q) {
  const RuleSet* in_force = RuleSetInForce(kind, year);
  const RuleSet* rs = asked.empty() ? in_force : FindRuleSet(asked);
  if (rs != nullptr && rs->kind != kind) rs = nullptr;
  if (rs == nullptr) {
    q.result = Outcome::kNotApplicable;
    q.score = {0, 0};
    if (!asked.empty()) {
      q.rule_set = std::string(asked);
      q.verdict = Reason{fmt::format("没有适用于此类认定的规则集“{}”", asked),
                         fmt::format("no rule set \"{}\" of this kind", asked)};
    } else if (kind == RuleKind::kTechSme) {
      q.rule_set = std::string(FirstRuleSet(kind));
      q.verdict = Reason{fmt::format("科技型中小企业评价办法自2017年起施行，{}年不适用", year),
                         "the evaluation scheme began in 2017"};
    } else {
      q.rule_set = std::string(FirstRuleSet(kind));
      q.verdict =
          Reason{fmt::format("本系统实现的高新技术企业认定办法始于2008年（国科发火〔2008〕172号），{}年不适用", year),
                 fmt::format("the high-tech rules implemented begin in 2008 (国科发火〔2008〕172号): not "
                             "applicable to {}",
                             year)};
    }
    q.reasons.push_back(q.verdict);
    return nullptr;
  }
  q.rule_set = std::string(rs->id);
  q.what_if = rs != in_force;
  if (q.what_if) {
    const std::string actual = in_force != nullptr ? std::string(in_force->id) : std::string();
    q.reasons.push_back(
        in_force != nullptr
            ? Reason{fmt::format("假设分析：{}年适用{}，此处按{}计算", year, actual, rs->id),
                     fmt::format("what-if: {} applied in {}; computed under {}", actual, year, rs->id)}
            : Reason{fmt::format("假设分析：{}年尚无适用的规则，此处按{}计算", year, rs->id),
                     fmt::format("what-if: no rule set was in force in {}; computed under {}", year, rs->id)});
  }
  return rs;
}

}  // namespace rules

std::string_view FirstRuleSet(RuleKind kind) {
  for (const RuleSet& r : kRuleSets) {
    if (r.kind == kind) return r.id;
  }
  return "";
}

namespace {

nlohmann::ordered_json BandJson(const Band& b) {
  if (b.known()) return b.min;
  return nlohmann::ordered_json::array({b.min, b.max});
}

// Ratios print as fractions; rounding to 1e-9 keeps 0.27 from printing as 0.27000000000000002.
nlohmann::ordered_json Fraction(double v) { return std::round(v * 1e9) / 1e9; }

}  // namespace

nlohmann::ordered_json QualificationToJson(const Qualification& q, Lang lang) {
  nlohmann::ordered_json j;
  j["uscc"] = q.uscc;
  j["name"] = q.name;
  j["year"] = q.year;
  j["rule_set"] = q.rule_set;
  j["result"] = OutcomeId(q.result);
  if (q.what_if) j["what_if"] = true;
  if (q.result == Outcome::kNotApplicable) {
    j["verdict"] = q.verdict.In(lang);
    nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
    for (const Reason& r : q.reasons) reasons.push_back(r.In(lang));
    j["reasons"] = reasons;
    return j;
  }
  const RuleSet* rs = FindRuleSet(q.rule_set);
  if (rs != nullptr && rs->kind == RuleKind::kTechSme) {
    j["route"] = q.route.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(q.route);
    j["score"] = BandJson(q.score);
    nlohmann::ordered_json scores = nlohmann::ordered_json::object();
    for (const auto& s : q.scores) scores[s.id] = BandJson(s.band);
    j["scores"] = scores;
  } else {
    // High-tech: the growth block's bands always as [min, max], as rules.md §6 shows them.
    nlohmann::ordered_json scores = nlohmann::ordered_json::object();
    for (const auto& s : q.scores) scores[s.id] = {s.band.min, s.band.max};
    j["innovation_score"] = {q.score.min, q.score.max};
    j["scores"] = scores;
    nlohmann::ordered_json criteria = nlohmann::ordered_json::array();
    for (const Criterion& c : q.criteria) {
      nlohmann::ordered_json cj;
      cj["id"] = c.id;
      cj["result"] = CriterionResultId(c.result);
      cj["value"] = c.value ? Fraction(*c.value) : nlohmann::ordered_json(nullptr);
      cj["threshold"] = c.threshold ? Fraction(*c.threshold) : nlohmann::ordered_json(nullptr);
      if (c.distance) cj["distance"] = Fraction(*c.distance);
      if (c.band) cj["band"] = {c.band->min, c.band->max};
      cj["text"] = c.text.In(lang);
      criteria.push_back(std::move(cj));
    }
    j["criteria"] = criteria;
    j["candidate"] = q.candidate;
  }
  j["nearly"] = q.nearly;
  j["verdict"] = q.verdict.In(lang);
  nlohmann::ordered_json reasons = nlohmann::ordered_json::array();
  for (const Reason& r : q.reasons) reasons.push_back(r.In(lang));
  j["reasons"] = reasons;
  nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
  for (const Gap& g : q.gaps) {
    gaps.push_back({{"indicator", g.indicator},
                    {"value", Fraction(g.value)},
                    {"next_tier", Fraction(g.next_tier)},
                    {"points", g.points},
                    {"reaches_bar", g.reaches_bar},
                    {"text", g.text.In(lang)}});
  }
  j["gaps"] = gaps;
  return j;
}

}  // namespace clusterscope
