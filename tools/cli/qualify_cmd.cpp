// qualify tech-sme|high-tech --year Y [--firm USCC | --cluster ID] [--rule-set ID] [--format F]
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

int RunQualify(const Globals& g, const QualifyArgs& a) {
  QualifyQuery q;
  q.kind = a.rule_set == "tech-sme" ? RuleKind::kTechSme : RuleKind::kHighTech;
  q.rule_set = a.explicit_rule_set;
  q.year = a.year;
  q.firms = a.firms;
  q.cluster = a.cluster;
  q.lang = g.lang;
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  auto result = (*ws)->Qualify(q);
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!result.ok()) return Fail(g, result.status());
  return Emit(QualifyAnswer(*result, g.lang), ParseFormat(a.format));
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
