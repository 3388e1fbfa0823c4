// What both rule sets share: looking up a year, outcome words, and the rules.md §6 JSON.
#include <fmt/format.h>

#include <cmath>

#include "clusterscope/rules.h"

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
    case Outcome::kUndetermined:
      break;
  }
  return Pick(lang, "待定", "undetermined");
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
  if (q.rule_set == kTechSmeRuleSet) {
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
                    {"text", g.text.In(lang)}});
  }
  j["gaps"] = gaps;
  return j;
}

}  // namespace clusterscope
