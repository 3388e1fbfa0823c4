// clusterscope — the command-line shell over the core library. It parses arguments, calls the
// public API, and renders results; everything else lives in the library.
#include <unistd.h>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "clusterscope/demo.h"
#include "clusterscope/format.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/lang.h"
#include "clusterscope/output_file.h"
#include "clusterscope/registry.h"
#include "clusterscope/synth.h"
#include "clusterscope/workspace.h"
#include "commands.h"
#include "common.h"
#include "output.h"

namespace cs = clusterscope;
using cs::Lang;
using cs::Pick;

namespace {

using cs::cli::CheckYearOptions;
using cs::cli::Emit;
using cs::cli::Fail;
using cs::cli::Globals;
using cs::cli::Guarded;
using cs::cli::ParseFormat;
using cs::cli::ParseYears;

// ---------------------------------------------------------------- init
int RunInit(const Globals& g) {
  auto versions = cs::InitDatabaseAt(g.db);
  if (!versions.ok()) return Fail(g, versions.status());
  const auto [before, after] = *versions;
  if (before == 0) {
    std::cout << fmt::format("{} {}: {} {}\n", Pick(g.lang, "已创建数据库", "created database"), cs::RedactedUrl(g.db),
                             Pick(g.lang, "模式版本", "schema version"), after);
  } else if (before < after) {
    std::cout << fmt::format("{} {}: {} → {}\n", Pick(g.lang, "已升级数据库", "upgraded database"),
                             cs::RedactedUrl(g.db), before, after);
  } else {
    std::cout << fmt::format("{} {}: {} {}\n", Pick(g.lang, "数据库已是最新", "database is current"),
                             cs::RedactedUrl(g.db), Pick(g.lang, "模式版本", "schema version"), after);
  }
  return 0;
}

// ---------------------------------------------------------------- import
struct ImportArgs {
  std::vector<std::string> pairs;  // KIND FILE [KIND FILE …]
  std::string sheet;
  bool dry_run = false;
  bool replace = false;
  bool ignore_unknown = false;
  std::string errors_out;
};

std::string DescribeProblem(const cs::Problem& p, Lang lang) {
  std::string where = p.file;
  if (p.row > 0) where += fmt::format(fmt::runtime(lang == Lang::kZh ? " 第{}行" : " row {}"), p.row);
  if (!p.column.empty()) where += fmt::format(fmt::runtime(lang == Lang::kZh ? " 列“{}”" : " column \"{}\""), p.column);
  if (!p.value.empty()) where += fmt::format(fmt::runtime(lang == Lang::kZh ? " 值“{}”" : " value \"{}\""), p.value);
  std::string_view sev =
      p.severity == cs::Severity::kError ? Pick(lang, "错误", "error") : Pick(lang, "警告", "warning");
  return fmt::format("  {} {}: [{}] {}", sev, where, p.rule, p.Message(lang));
}

int RunImport(const Globals& g, const ImportArgs& a) {
  if (a.pairs.size() % 2 != 0) {
    return Fail(g,
                cs::Status::Usage("import takes KIND FILE pairs, e.g. `import firms firms.csv reports reports.csv`"));
  }
  std::vector<cs::ImportInput> inputs;
  for (size_t i = 0; i < a.pairs.size(); i += 2) {
    auto kind = cs::ParseKind(a.pairs[i]);
    if (!kind) {
      return Fail(g, cs::Status::Usage(fmt::format("unknown kind \"{}\": zones, clusters, firms, members, "
                                                   "institutions, reports, expert, industries, regions",
                                                   a.pairs[i])));
    }
    inputs.push_back({*kind, a.pairs[i + 1], a.sheet});
  }
  std::vector<std::string> input_paths;
  for (const auto& in : inputs) input_paths.push_back(in.path);
  const Lang L = g.lang;
  // The error list is reserved before anything is read: it may not replace the database or an
  // input, and a bad name is refused before a long import, not after it.
  std::optional<cs::OutputFile> errors_file;
  if (!a.errors_out.empty()) {
    auto out = cs::OutputFile::Create(a.errors_out, Guarded(g, input_paths));
    if (!out.ok()) return Fail(g, out.status());
    errors_file.emplace(std::move(*out));
  }

  cs::ImportOptions options;
  options.dry_run = a.dry_run;
  options.replace = a.replace;
  options.ignore_unknown_columns = a.ignore_unknown;
  bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    options.progress = [](const cs::ImportInput& in, uint64_t done, uint64_t total) {
      if (total > 0) std::fprintf(stderr, "\r  %s  %3d%%", in.path.c_str(), static_cast<int>(done * 100 / total));
    };
  }
  auto outcome = cs::ImportIntoDatabase(g.db, inputs, options);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!outcome.ok()) return Fail(g, outcome.status());

  int64_t found = 0;  // errors and warnings, including those past the number kept
  for (const auto& f : outcome->files) found += f.errors + f.warnings;
  const bool truncated = found > static_cast<int64_t>(outcome->problems.size());
  if (errors_file) {
    cs::Status s = errors_file->Write(cs::ProblemsCsv(outcome->problems, found, L));
    if (s.ok()) s = errors_file->Commit();
    if (!s.ok()) return Fail(g, s);
  }
  int64_t errors = outcome->errors();
  if (errors > 0) {
    std::string files;
    for (const auto& f : outcome->files) {
      if (f.errors > 0) files += (files.empty() ? "" : ", ") + fmt::format("{} ({})", f.input.path, f.errors);
    }
    std::cerr << fmt::format("clusterscope: {}: {} {} {}; {}\n", Pick(L, "导入被拒绝", "import refused"), errors,
                             Pick(L, "处错误，见", errors == 1 ? "error in" : "errors in"), files,
                             Pick(L, "数据库未作任何更改", "nothing was written"));
  }
  constexpr size_t kShown = 200;
  size_t shown = 0;
  for (const cs::Problem& p : outcome->problems) {
    if (shown++ == kShown) {
      const auto more = found - static_cast<int64_t>(kShown);
      if (!a.errors_out.empty() && truncated) {
        std::cerr << fmt::format(fmt::runtime(L == Lang::kZh ? "  … 另有{}条未显示；{}列出前{}条\n"
                                                             : "  … {} more not shown; {} lists the first {}\n"),
                                 more, a.errors_out, outcome->problems.size());
      } else if (!a.errors_out.empty()) {
        std::cerr << fmt::format(fmt::runtime(L == Lang::kZh ? "  … 另有{}条未显示；全部见{}\n"
                                                             : "  … {} more not shown; {} lists them all\n"),
                                 more, a.errors_out);
      } else if (truncated) {
        std::cerr << fmt::format(
            fmt::runtime(L == Lang::kZh ? "  … 另有{}条未显示；--errors OUT.csv 可列出前{}条\n"
                                        : "  … {} more not shown; --errors OUT.csv lists the first {}\n"),
            more, outcome->problems.size());
      } else {
        std::cerr << fmt::format(
            "  … {} {}\n", more,
            Pick(L, "条未显示；用 --errors OUT.csv 查看全部", "more not shown; --errors OUT.csv lists them all"));
      }
      break;
    }
    std::cerr << DescribeProblem(p, L) << "\n";
  }
  for (const auto& f : outcome->files) {
    std::string head =
        fmt::format("{} ({}, {})", f.input.path, cs::KindId(f.input.kind), f.encoding.empty() ? "?" : f.encoding);
    if (errors > 0) {
      // Refused: say what was found, not what would have been added (after the problems, on stderr).
      std::cerr << fmt::format(fmt::runtime(L == Lang::kZh ? "{}: 读取{}行，错误{}，警告{}\n"
                                                           : "{}: {} rows read, {} errors, {} warnings\n"),
                               head, f.rows, f.errors, f.warnings);
      continue;
    }
    std::cout << fmt::format(fmt::runtime(L == Lang::kZh ? "{}: 读取{}行，新增{}，未变{}，替换{}\n"
                                                         : "{}: {} rows read, {} added, {} unchanged, {} replaced\n"),
                             head, f.rows, f.added, f.unchanged, f.replaced);
  }
  if (errors > 0) return 1;
  if (a.dry_run) {
    std::cout << Pick(L, "试运行：检查通过，未写入任何数据。\n", "dry run: every check passed; nothing was written.\n");
  } else if (outcome->written) {
    std::cout << fmt::format("{} {}\n", Pick(L, "已写入", "written to"), cs::RedactedUrl(g.db));
  } else {
    std::cout << Pick(L, "无变化：所有记录均已存储。\n", "nothing changed: every record is already stored.\n");
  }
  return 0;
}

// ---------------------------------------------------------------- list
int RunList(const Globals& g, const std::string& what, const cs::ListFilter& filter, const std::string& format) {
  auto ws = cs::Workspace::Open(g.db, cs::WorkspaceMode::kRead);
  if (!ws.ok()) return Fail(g, ws.status());
  const cs::Kind kind = *cs::ParseKind(what);
  auto rows = (*ws)->List(kind, filter);
  if (!rows.ok()) return Fail(g, rows.status());
  std::cout << cs::Render(cs::RecordsAnswer(kind, *rows, g.lang), ParseFormat(format));
  return 0;
}

// ---------------------------------------------------------------- indicators
struct IndicatorArgs {
  std::string cluster, zone, region;
  bool all_clusters = false, all_zones = false, all_regions = false;
  int year = 0;
  std::string years;
  std::string only;
  bool comparable = false;
  std::string format;
  bool list = false;
  std::string lq_measure = "employees";
};

int RunIndicators(const Globals& g, const IndicatorArgs& a) {
  if (a.list) {
    std::cout << cs::Render(cs::CatalogueAnswer(g.lang), ParseFormat(a.format));
    return 0;
  }
  cs::IndicatorQuery q;
  if (!a.years.empty()) {
    auto parsed = ParseYears(a.years);
    if (!parsed.ok()) return Fail(g, parsed.status());
    q.years = *parsed;
  } else if (a.year != 0) {
    q.year = a.year;
  }
  if (!a.cluster.empty()) q.entities.push_back({cs::EntityKind::kCluster, a.cluster});
  if (!a.zone.empty()) q.entities.push_back({cs::EntityKind::kZone, a.zone});
  if (!a.region.empty()) q.entities.push_back({cs::EntityKind::kRegion, a.region});
  if (a.all_clusters) q.every.push_back(cs::EntityKind::kCluster);
  if (a.all_zones) q.every.push_back(cs::EntityKind::kZone);
  if (a.all_regions) q.every.push_back(cs::EntityKind::kRegion);
  for (size_t start = 0; start < a.only.size();) {
    size_t end = std::min(a.only.find(',', start), a.only.size());
    if (end > start) q.only.push_back(a.only.substr(start, end - start));
    start = end + 1;
  }
  q.comparable = a.comparable;
  q.lq_measure = a.lq_measure;

  auto ws = cs::Workspace::Open(g.db, cs::WorkspaceMode::kRead);
  if (!ws.ok()) return Fail(g, ws.status());
  auto values = (*ws)->Indicators(q);
  cs::cli::PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!values.ok()) return Fail(g, values.status());
  std::cout << cs::Render(cs::IndicatorsAnswer(*values, g.lang), ParseFormat(a.format));
  return 0;
}

// ---------------------------------------------------------------- generate
struct GenerateArgs {
  int64_t firms = 0;
  std::string years;
  uint64_t seed = 20140817;
  std::string out = "synthetic";
  bool no_demo = false;
};

int RunGenerate(const Globals& g, const GenerateArgs& a) {
  cs::SynthOptions options;
  options.firms = a.firms;
  options.seed = a.seed;
  options.demo_calibration = !a.no_demo;
  auto range = ParseYears(a.years);
  if (!range.ok()) return Fail(g, range.status());
  auto [from, to] = *range;
  options.first_year = from;
  options.last_year = to;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  if (to > tm.tm_year + 1900) {
    return Fail(g, cs::Status::Usage(fmt::format(
                       "--years ends in {}, a future year; reports for future years would not import", to)));
  }
  bool tty = isatty(STDERR_FILENO) != 0;
  if (tty) {
    options.progress = [](int64_t done, int64_t total) {
      if (total > 0)
        std::fprintf(stderr, "\r  %lld / %lld firms  %3d%%", static_cast<long long>(done),
                     static_cast<long long>(total), static_cast<int>(done * 100 / total));
    };
  }
  auto summary = cs::GenerateDataset(a.out, options);
  if (tty) std::fprintf(stderr, "\r\033[K");
  if (!summary.ok()) return Fail(g, summary.status());
  const Lang L = g.lang;
  std::cout << fmt::format(
      fmt::runtime(
          L == Lang::kZh
              ? "已生成合成数据（种子{}）于 {}：园区{}个，集群{}个，企业{}家，成员记录{}条，服务机构{}个，年报{}条\n"
              : "synthetic data (seed {}) written to {}: {} zones, {} clusters, {} firms, {} "
                "memberships, {} institutions, {} reports\n"),
      a.seed, a.out, summary->zones, summary->clusters, summary->firms, summary->members, summary->institutions,
      summary->reports);
  std::string import = "clusterscope import";
  for (const std::string& f : summary->files) {
    import += " " + std::filesystem::path(f).stem().string() + " " + f;
  }
  std::cout << Pick(L, "导入：", "import with: ") << import << "\n";
  return 0;
}

// ---------------------------------------------------------------- demo
int RunDemo(Globals g, bool force, int64_t firms) {
  if (!g.db_given && std::getenv("CLUSTERSCOPE_DB") == nullptr) g.db = "clusterscope-demo.db";
  cs::DemoOptions options;
  options.force = force;
  options.firms = firms;
  if (isatty(STDERR_FILENO) != 0) {
    options.progress = [](std::string_view stage, int64_t done, int64_t total) {
      if (total > 0)
        std::fprintf(stderr, "\r\033[K  %.*s  %3d%%", static_cast<int>(stage.size()), stage.data(),
                     static_cast<int>(done * 100 / total));
    };
  }
  auto result = cs::BuildDemoAt(g.db, options);
  if (isatty(STDERR_FILENO) != 0) std::fprintf(stderr, "\r\033[K");
  if (!result.ok()) return Fail(g, result.status());
  Emit(cs::DemoAnswer(*result, cs::RedactedUrl(g.db), g.lang), cs::Format::kTable);
  const bool all_match =
      std::all_of(result->figures.begin(), result->figures.end(), [](const cs::DemoFigure& f) { return f.matches; });
  return all_match ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  Globals g;
  g.db = cs::cli::DefaultDb();
  CLI::App app{"clusterscope — 创新型产业集群监测评价系统 / innovation cluster monitoring and evaluation"};
  app.require_subcommand(1);
  // Global options (--db, --lang) are accepted after the subcommand too (cli.md): every
  // subcommand, added after this, inherits the fall-through to these options.
  app.fallthrough();
  auto* db_opt = app.add_option(
      "--db", g.db, "SQLite file path or postgresql:// URL (default ./clusterscope.db or $CLUSTERSCOPE_DB)");
  app.add_option("--lang", g.lang_name, "zh | en (default from the locale)")->check(CLI::IsMember({"zh", "en"}));

  auto* init = app.add_subcommand("init", "create or upgrade the database schema");
  init->footer("Example: clusterscope --db zone.db init");

  ImportArgs ia;
  auto* imp = app.add_subcommand("import", "import files: KIND FILE [KIND FILE …], all or nothing");
  imp->add_option("pairs", ia.pairs,
                  "KIND FILE pairs; KIND: zones clusters firms members institutions reports expert industries regions")
      ->required()
      ->expected(2, -1);
  imp->add_option("--sheet", ia.sheet, ".xlsx sheet name (default: the first sheet)");
  imp->add_flag("--dry-run", ia.dry_run, "check everything, write nothing");
  imp->add_flag("--replace", ia.replace, "replace stored records with the same key (old values kept in history)");
  imp->add_option("--errors", ia.errors_out, "write every problem to this CSV file");
  imp->add_flag("--ignore-unknown-columns", ia.ignore_unknown,
                "warn about unknown columns instead of refusing the file");
  imp->footer("Example: clusterscope import firms firms.csv reports reports.xlsx --errors problems.csv");

  std::string list_what;
  cs::ListFilter filter;
  std::string list_format;
  auto* list = app.add_subcommand("list", "list zones, clusters or firms");
  list->add_option("what", list_what, "zones | clusters | firms")
      ->required()
      ->check(CLI::IsMember({"zones", "clusters", "firms"}));
  list->add_option("--zone", filter.zone_id, "only this zone's records");
  list->add_option("--cluster", filter.cluster_id, "only this cluster / its member firms");
  list->add_option("--format", list_format, "table | json | csv (default: table on a terminal, json otherwise)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  list->footer("Example: clusterscope list firms --cluster QH-BIO --format csv > firms.csv");

  GenerateArgs ga;
  auto* gen = app.add_subcommand("generate", "write a synthetic national data set as import files");
  gen->add_option("--firms", ga.firms, "firms in all (1000 … 3100000)")
      ->required()
      ->check(CLI::Range(int64_t{1000}, int64_t{3100000}));
  gen->add_option("--years", ga.years, "report years A-B, e.g. 2007-2016")->required();
  gen->add_option("--seed", ga.seed, "random seed (the same seed gives the same files)");
  gen->add_option("--out", ga.out, "output directory (default ./synthetic)");
  gen->add_flag("--no-demo", ga.no_demo, "leave out the survey report's calibrated Qinghai clusters");
  gen->footer("Example: clusterscope generate --firms 1000000 --years 2007-2016 --seed 7 --out bench/out/national");

  IndicatorArgs xa;
  auto* ind = app.add_subcommand("indicators", "compute indicators for clusters, zones, regions or the country");
  ind->add_option("--cluster", xa.cluster, "a cluster id");
  ind->add_option("--zone", xa.zone, "a zone id");
  ind->add_option("--region", xa.region, "a GB/T 2260 region code (province, prefecture or county)");
  ind->add_flag("--all-clusters", xa.all_clusters, "every cluster");
  ind->add_flag("--all-zones", xa.all_zones, "every zone");
  ind->add_flag("--all-regions", xa.all_regions, "every province");
  ind->add_option("--year", xa.year, "one year (default: the latest year with reports)");
  ind->add_option("--years", xa.years, "a range of years, A-B");
  ind->add_option("--only", xa.only, "comma-separated indicator ids");
  ind->add_flag("--comparable", xa.comparable, "growth on a comparable basis (firms present in both years)");
  ind->add_option("--lq-measure", xa.lq_measure, "employees | gross_output | value_added (location quotients)")
      ->check(CLI::IsMember({"employees", "gross_output", "value_added"}));
  ind->add_option("--format", xa.format, "table | json | csv")->check(CLI::IsMember({"table", "json", "csv"}));
  ind->add_flag("--list", xa.list, "list the indicator catalogue");
  ind->footer("Example: clusterscope indicators --cluster QH-BIO --year 2014 --format json");

  bool demo_force = false;
  auto* demo = app.add_subcommand(
      "demo",
      "build the demo database (default ./clusterscope-demo.db) and compare its figures with the survey report");
  demo->add_flag("--force", demo_force, "add the demo to a database that holds other data");
  int64_t demo_firms = 20000;
  demo->add_option("--firms", demo_firms, "firms in the national backdrop (default 20000; smaller is quicker)")
      ->check(CLI::Range(int64_t{1000}, int64_t{3000000}));
  demo->footer("Example: clusterscope demo --lang zh");

  cs::cli::Commands commands;
  cs::cli::AddQualifyCommand(app, commands);
  cs::cli::AddDiagnoseCommand(app, commands);
  cs::cli::AddEvaluateCommand(app, commands);
  cs::cli::AddBriefCommand(app, commands);
  cs::cli::AddExportCommand(app, commands);
  cs::cli::AddPlaceCommands(app, commands);
  cs::cli::AddServeCommand(app, commands);
  cs::cli::AddUsersCommand(app, commands);
  cs::cli::AddCopyCommand(app, commands);

  CheckYearOptions(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  g.db_given = db_opt->count() > 0;
  g.lang = g.lang_name.empty() ? cs::DefaultLang() : *cs::ParseLang(g.lang_name);

  // The command boundary: whatever escapes a command becomes one line and exit 3, never an abort.
  try {
    if (init->parsed()) return RunInit(g);
    if (imp->parsed()) return RunImport(g, ia);
    if (list->parsed()) return RunList(g, list_what, filter, list_format);
    if (demo->parsed()) return RunDemo(g, demo_force, demo_firms);
    if (ind->parsed()) return RunIndicators(g, xa);
    if (gen->parsed()) return RunGenerate(g, ga);
    for (const auto& c : commands) {
      if (c.sub->parsed()) return c.run(g);
    }
  } catch (const std::bad_alloc&) {
    return Fail(
        g, cs::Status::Environment(std::string(Pick(g.lang, "内存不足", "out of memory"))).WithId("out_of_memory"));
  } catch (const std::exception& e) {
    return Fail(g, cs::Status::Internal(fmt::format("{}: {}", Pick(g.lang, "内部错误", "internal error"), e.what())));
  }
  return 2;
}
