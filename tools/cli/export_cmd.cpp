// export indicators|firms|evaluation --year Y --xlsx OUT.xlsx [--cluster ID …] [--zone ID …] [--scheme S]
#include <fmt/format.h>

#include <iostream>

#include "clusterscope/output_file.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct ExportArgs {
  std::string kind;
  int year = 0;
  std::string xlsx;
  std::vector<std::string> clusters;
  std::vector<std::string> zones;
  std::string scheme = "annual";
};

int RunExport(const Globals& g, const ExportArgs& a) {
  ExportRequest req;
  req.kind = a.kind == "indicators" ? ExportKind::kIndicators
             : a.kind == "firms"    ? ExportKind::kFirms
                                    : ExportKind::kEvaluation;
  req.year = a.year;
  req.scheme = a.scheme;
  for (const auto& c : a.clusters) req.entities.push_back({EntityKind::kCluster, c});
  for (const auto& z : a.zones) req.entities.push_back({EntityKind::kZone, z});
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  // Written beside its name and renamed when complete; never onto the database.
  auto out = OutputFile::Create(a.xlsx, Guarded(g));
  if (!out.ok()) return Fail(g, out.status());
  Status s = (*ws)->Export(req, g.lang, out->temp_path());
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (s.ok()) s = out->Commit();
  if (!s.ok()) return Fail(g, s);
  std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), a.xlsx);
  return 0;
}

}  // namespace

void AddExportCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<ExportArgs>();
  auto* sub = app.add_subcommand("export", "write indicators, member firms or an evaluation as an Excel workbook");
  sub->add_option("kind", args->kind, "indicators | firms | evaluation")
      ->required()
      ->check(CLI::IsMember({"indicators", "firms", "evaluation"}));
  sub->add_option("--year", args->year, "the year")->required();
  sub->add_option("--xlsx", args->xlsx, "the workbook to write (- for standard output)")->required();
  sub->add_option("--cluster", args->clusters, "a cluster (repeatable; default every cluster)");
  sub->add_option("--zone", args->zones, "a zone (repeatable; indicators and firms)");
  sub->add_option("--scheme", args->scheme, "evaluation: a scheme name or file (default annual)");
  sub->footer("Example: clusterscope export indicators --year 2014 --cluster QH-BIO --cluster HX-SALT --xlsx out.xlsx");
  commands.push_back({sub, [args](const Globals& g) { return RunExport(g, *args); }});
}

}  // namespace clusterscope::cli
