// diagnose --cluster ID --year Y [--rule-set ID …] [--format F]
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct DiagnoseArgs {
  std::string cluster;
  int year = 0;
  std::string format;
  std::vector<std::string> rule_sets;  // --rule-set ID (repeatable): a what-if
};

int RunDiagnose(const Globals& g, const DiagnoseArgs& a) {
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  auto d = (*ws)->Diagnose({.cluster = a.cluster, .year = a.year, .rule_sets = a.rule_sets, .lang = g.lang});
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!d.ok()) return Fail(g, d.status());
  return Emit(DiagnosisAnswer(*d, g.lang), ParseFormat(a.format));
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
