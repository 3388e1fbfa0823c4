// Firm qualification under the national rules (rules.md §2 technology-based SME, §3 and §3b
// high-tech enterprise), chosen by assessment year: high-tech-2008 for 2008–2015, high-tech-2016
// from 2016, tech-sme-2017 from 2017; before a kind's first rule set the result is
// not_applicable, and an explicitly asked rule set that is not the one in force is a what-if.
// The rule functions are pure: they read one firm's register entry and its annual figures
// (FirmHistory) and return a Qualification with every reason, score, criterion and gap.
// Reading the facts is a separate step (indicators.h's LoadFirmHistories, from the data set), so
// the same rules serve `qualify`, the indicator engine's tech_sme_count and the diagnosis.
//
// Missing inputs never pass or fail silently: a score whose inputs are missing becomes a band
// [min, max] over every value the missing input could take, and the result is `undetermined`
// exactly when the band straddles the bar.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "clusterscope/lang.h"
#include "clusterscope/status.h"

namespace clusterscope {

// A high-tech enterprise certificate awarded in `cert_year` (0 = none) is valid that year and the
// two after (formats.md, firms.high_tech_cert_year).
inline bool CertificateValid(int cert_year, int year) {
  return cert_year > 0 && cert_year <= year && year <= cert_year + 2;
}

// One firm's figures for one year, as reported (money in fen, exact). nullopt = not reported.
struct YearFacts {
  int year = 0;
  std::optional<int64_t> employees, tech_staff, rd_staff;
  std::optional<int64_t> revenue, total_assets, total_liabilities, total_cost;
  std::optional<int64_t> rd_expense, rd_expense_domestic, high_tech_revenue;
  std::optional<int64_t> ip_class1, ip_class2;
  std::optional<int64_t> gross_output;  // not read by the rules: for the firm tables beside them
  std::optional<bool> major_incident, national_award_5y, provincial_rd_institution, standard_lead_5y;
};

struct FirmHistory {
  std::string uscc;
  std::string name;
  std::string industry_code;               // GB/T 4754-2017 class, 4 digits
  std::string founded;                     // "2003-05-12", "2003" or "" (unknown)
  std::optional<int> high_tech_cert_year;  // a certificate is valid that year and the two after
  std::vector<YearFacts> years;            // at most one per year, any order

  const YearFacts* At(int year) const;
  // A high-tech certificate valid in `year` (awarded that year or in the two before).
  bool CertificateValidIn(int year) const { return CertificateValid(high_tech_cert_year.value_or(0), year); }
};

// kNotApplicable: no rule set of the kind was in force in the assessment year (technology-based
// SMEs before 2017), or, for a criterion, the rule set has no such criterion (2008 criterion 8).
enum class Outcome { kQualifies, kFails, kUndetermined, kNotApplicable };
// "qualifies" / "fails" / "undetermined" / "not_applicable" (the JSON words); for criteria
// "pass" / "fail" / "undetermined" / "not_applied".
std::string_view OutcomeId(Outcome outcome);
std::string_view CriterionResultId(Outcome outcome);
// For people: 符合 / 不符合 / 待定, qualifies / fails / undetermined.
std::string_view OutcomeWord(Outcome outcome, Lang lang);

// Closed integer range of points. min == max when the points are known.
struct Band {
  int min = 0;
  int max = 0;
  bool known() const { return min == max; }
  friend bool operator==(const Band&, const Band&) = default;
};

// "74" for known points, "54–84" for a band.
std::string BandText(const Band& band);

// A sentence in both languages.
struct Reason {
  std::string zh;
  std::string en;
  std::string_view In(Lang lang) const { return lang == Lang::kZh ? zh : en; }
};

// What one more tier of an indicator would bring: "R&D / revenue 2.6%: 3% gives +10 points".
struct Gap {
  std::string indicator;  // tech_staff_share, rd_revenue_ratio, rd_cost_ratio, ip_class1, ip_class2
  double value = 0;       // now (a fraction for ratios, a count for IP)
  double next_tier = 0;   // the lower bound of the tier that gives more points
  int points = 0;         // points gained by reaching it
  Reason text;
  // Tech-SME: this one step alone would carry a firm below the bar to it (score ≥ 60 and a
  // technology-staff score > 0); the pipeline suggests only such steps.
  bool reaches_bar = false;
};

// One hard criterion of the high-tech rules.
struct Criterion {
  std::string id;  // registered_one_year, core_ip, high_tech_field, tech_staff_share, rd_ratio_3y,
                   // domestic_rd_share, high_tech_revenue_share, innovation_score, no_major_incident
  Outcome result = Outcome::kUndetermined;  // kQualifies = pass, kFails = fail
  std::optional<double> value;              // the figure used (fraction, days, count)
  std::optional<double> threshold;          // the bar it is held against
  std::optional<double> distance;           // threshold − value when it fails on a figure
  std::optional<Band> band;                 // innovation_score: the points statistics can bound
  Reason text;
};

struct NamedBand {
  std::string id;  // tech_staff, rd, ip (tech-SME); net_asset_growth, sales_growth, ip_quantity (high-tech)
  Band band;
};

struct Qualification {
  std::string rule_set;  // "tech-sme-2017", "high-tech-2008", "high-tech-2016"
  // The rule set was asked for (--rule-set) and is not the one in force in `year`: a what-if.
  bool what_if = false;
  std::string uscc;
  std::string name;
  int year = 0;
  Outcome result = Outcome::kUndetermined;
  std::string route;  // tech-SME: "score" or "direct" when it qualifies; "" otherwise
  Band score;         // tech-SME: the 100-point score; high-tech: the innovation-capability score
  std::vector<NamedBand> scores;
  std::vector<Reason> reasons;
  Reason verdict;  // the one sentence that decides the result (also among `reasons`)
  std::vector<Gap> gaps;
  std::vector<Criterion> criteria;  // high-tech only
  // The report cells whose absence leaves the result undetermined, as "YEAR:column"
  // ("2013:major_incident"; "firm:founded" for the register's founding date). High-tech: the cells
  // behind undetermined criteria statistics could check (not the field or the innovation score).
  std::vector<std::string> missing_cells;
  // Tech-SME: eligible (not failing conditions 1–4), score below the bar, and one tier step on one
  // indicator reaches the bar (a gap with reaches_bar). Never a firm at or over the bar.
  // High-tech: no criterion fails and at most the non-statistical ones are undetermined
  // (a candidate), or exactly one figure criterion fails (nearly).
  bool nearly = false;
  bool candidate = false;  // high-tech: every criterion statistics can check passes
};

// Rule sets by assessment year (rules.md, "Which rule set applies").
enum class RuleKind { kTechSme, kHighTech };
struct RuleSet {
  std::string_view id;  // "tech-sme-2017"
  RuleKind kind;
  int first_year;  // first assessment year it applies to
  int last_year;   // last one (0 = still in force)
  std::string_view source;
};
inline constexpr std::string_view kTechSme2017 = "tech-sme-2017";
inline constexpr std::string_view kHighTech2008 = "high-tech-2008";
inline constexpr std::string_view kHighTech2016 = "high-tech-2016";
// The technology-based SME pass mark (rules.md §2 condition 5: score ≥ 60).
inline constexpr int kTechSmePassMark = 60;
// Every rule set clusterscope implements, oldest first within a kind.
std::span<const RuleSet> RuleSets();
const RuleSet* FindRuleSet(std::string_view id);
// The rule set of `kind` in force for assessment year `year`; null when none was (tech-SME before 2017,
// high-tech before 2008).
const RuleSet* RuleSetInForce(RuleKind kind, int year);
// The id to name in a not_applicable result: the first rule set of the kind.
std::string_view FirstRuleSet(RuleKind kind);

// rules.md §2 for `year` (conditions on incidents read `year` and `year − 1`). `rule_set` empty:
// the rule set in force in `year` (not_applicable before 2017); else that rule set, as a what-if
// when it was not in force. An id of another kind or unknown gives not_applicable with the reason.
Qualification EvaluateTechSme(const FirmHistory& firm, int year, std::string_view rule_set = {});
// The outcome and score of rules.md §2 without the reasons, for counting many firms
// (tech_sme_count): no allocation. `previous` is the report for year − 1 (null if none);
// `certificate_valid`: a high-tech certificate valid in the year. Agrees with EvaluateTechSme
// on result and score for a year the rules are in force (a test checks it on random facts).
struct TechSmeOutcome {
  Outcome result = Outcome::kUndetermined;
  Band score;
};
TechSmeOutcome AssessTechSme(const YearFacts& year, const YearFacts* previous, bool excluded_industry,
                             bool certificate_valid);

// rules.md §3 (high-tech-2016, 2016 on) or §3b (high-tech-2008, 2008–2015) for assessment year
// `year` (the three-year window is year − 2 … year); `rule_set` as for EvaluateTechSme.
Qualification EvaluateHighTech(const FirmHistory& firm, int year, std::string_view rule_set = {});

// Criterion 7 from the bounds on the innovation score: pass when even the least it can be is above
// 70, fail when even the most it can be is 70 or less, undetermined otherwise.
Outcome InnovationScoreOutcome(const Band& score);

// The GB/T 4754-2017 divisions on the R&D super-deduction negative list (rules.md §2 condition 3).
struct ExcludedIndustry {
  std::string_view division;  // 2 digits
  std::string_view zh;
  std::string_view en;
};
const std::vector<ExcludedIndustry>& TechSmeExcludedIndustries();
const ExcludedIndustry* FindExcludedIndustry(std::string_view industry_code);

// The rules.md §6 object; reasons and gap texts in `lang`. Ratios as fractions, money in yuan.
nlohmann::ordered_json QualificationToJson(const Qualification& q, Lang lang);

}  // namespace clusterscope
