// `evaluate --scheme NAME|FILE --year Y [--format table|json|csv] [--list-schemes]`: rates and
// ranks every cluster under an evaluation scheme (docs/evaluation.md).
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct EvaluateArgs {
  std::string scheme;
  int year = 0;
  std::string format;
  bool list = false;
};

int RunEvaluate(const Globals& g, const EvaluateArgs& a) {
  if (a.list) {
    auto schemes = SchemesAnswer(g.lang);
    if (!schemes.ok()) return Fail(g, schemes.status());
    return Emit(*schemes, ParseFormat(a.format));
  }
  if (a.scheme.empty())
    return Fail(g, Status::Usage(std::string(Pick(g.lang, "缺少 --scheme", "--scheme is required"))));
  if (a.year == 0) return Fail(g, Status::Usage(std::string(Pick(g.lang, "缺少 --year", "--year is required"))));
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  auto result = (*ws)->Evaluate({.scheme = a.scheme, .year = a.year, .lang = g.lang});
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!result.ok()) return Fail(g, result.status());
  return Emit(EvaluateAnswer(*result, g.lang), ParseFormat(a.format));
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
