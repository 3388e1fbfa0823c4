// specialisation lq|krugman|hoover|gini|hhi|eg|eg-coagglomeration … and agglomeration kd|m …
// (place.md): parse, one library call, render. `--mpi` splits the simulations across the ranks
// of an MPI job; rank 0 gathers the curves and writes the same bytes a single process would.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#ifdef CS_HAVE_MPI
// The C API only (OpenMPI's and MPICH's deprecated C++ bindings need a library of their own).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

#include "clusterscope/output_file.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

namespace pl = place;

// ---------------------------------------------------------------- specialisation

struct SpecialisationArgs {
  std::string what;
  int year = 0;
  std::string measure = "employees";
  std::string region_level = "province";
  std::string industry_level = "division";
  std::vector<std::string> industries;
  bool group = false;
  std::string format;
  std::string xlsx;
};

int RunSpecialisation(const Globals& g, const SpecialisationArgs& a) {
  SpecialisationQuery q;
  q.index = *pl::ParseAreaIndex(a.what);
  q.year = a.year;
  q.measure = *pl::ParseMeasure(a.measure);
  q.region_level = *pl::ParseRegionLevel(a.region_level);
  q.industry_level = *pl::ParseIndustryLevel(a.industry_level);
  q.industries = a.industries;
  q.group = a.group;
  auto ws = OpenWorkspace(g);
  if (!ws.ok()) return Fail(g, ws.status());
  auto result = (*ws)->Specialisation(q);
  PrintWarnings(g, (*ws)->Warnings(g.lang));
  if (!result.ok()) return Fail(g, result.status());
  if (!a.xlsx.empty()) {
    // Written beside its name and renamed when complete; never onto the database.
    auto out = OutputFile::Create(a.xlsx, Guarded(g));
    if (!out.ok()) return Fail(g, out.status());
    Status s = WriteSpecialisationWorkbook(*result, g.lang, out->temp_path());
    if (s.ok()) s = out->Commit();
    if (!s.ok()) return Fail(g, s);
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "已写出 {}\n", "wrote {}\n")), a.xlsx);
    return 0;
  }
  return Emit(SpecialisationAnswer(*result, g.lang), ParseFormat(a.format));
}

// ---------------------------------------------------------------- agglomeration

struct AgglomerationArgs {
  std::string function;
  std::string industry, versus;
  int year = 0;
  std::string points, type;
  bool weighted = false;
  bool no_reflect = false;
  std::string r;
  int sims = 0;
  uint64_t seed = 1;
  double level = 0.05;
  std::string svg;
  std::string format;
  bool mpi = false;
  int threads = 0;
};

Result<std::vector<double>> ParseDistances(const std::string& text) {
  std::vector<double> r;
  if (text.empty()) return r;
  try {
    if (text.find(':') != std::string::npos) {
      std::vector<double> parts;
      std::stringstream ss(text);
      for (std::string p; std::getline(ss, p, ':');) parts.push_back(std::stod(p));
      if (parts.size() != 3 || !(parts[2] > 0) || parts[1] < parts[0]) throw std::invalid_argument(text);
      const auto n = static_cast<int64_t>(std::floor((parts[1] - parts[0]) / parts[2] + 1e-9));
      for (int64_t k = 0; k <= n; ++k) r.push_back(parts[0] + static_cast<double>(k) * parts[2]);
    } else {
      std::stringstream ss(text);
      for (std::string p; std::getline(ss, p, ',');) r.push_back(std::stod(p));
    }
  } catch (const std::exception&) {
    return Status::Usage("--r takes FROM:TO:STEP or a list a,b,c of distances, not \"" + text + "\"");
  }
  return r;
}

int Write(const Globals& g, const AgglomerationArgs& a, const pl::AgglomerationResult& res) {
  if (!a.svg.empty()) {
    Status s = WriteOutputFile(a.svg, pl::AgglomerationSvg(res, g.lang), Guarded(g, {a.points}));
    if (!s.ok()) return Fail(g, s);
  }
  return Emit(AgglomerationAnswer(res, g.lang), ParseFormat(a.format));
}

int RunAgglomeration(const Globals& g, const AgglomerationArgs& a) {
  AgglomerationQuery q;
  q.industry = a.industry;
  q.points = a.points;
  q.type = a.type;
  if (Status s = CheckAgglomeration(q); !s.ok()) return Fail(g, s);
  if (!a.industry.empty() && a.year == 0) return Fail(g, Status::Usage("--industry needs --year"));
#ifndef CS_HAVE_MPI
  if (a.mpi) {
    return Fail(g, Status::Environment("this clusterscope was built without MPI (install libopenmpi-dev and rebuild)"));
  }
#endif
  q.function = a.function == "kd" ? pl::Function::kKd : pl::Function::kM;
  q.versus = a.versus;
  if (a.year != 0) q.year = a.year;
  q.weighted = a.weighted;
  q.reflect = !a.no_reflect;
  auto r = ParseDistances(a.r);
  if (!r.ok()) return Fail(g, r.status());
  q.r = *r;
  q.sims = a.sims;
  q.seed = a.seed;
  q.level = a.level;
  q.threads = a.threads;
  // A points file needs no database; firms of an industry come from the workspace.
  Result<AgglomerationSetup> setup = Status::Internal("not prepared");
  if (!a.points.empty()) {
    setup = AgglomerationFromPoints(q);
  } else {
    auto ws = OpenWorkspace(g);
    if (!ws.ok()) return Fail(g, ws.status());
    setup = (*ws)->PrepareAgglomeration(q);
    PrintWarnings(g, (*ws)->Warnings(g.lang));
  }
  if (!setup.ok()) return Fail(g, setup.status());
  const pl::PointSet& points = setup->points;
  const pl::AgglomerationOptions& o = setup->options;
  if (!a.mpi) {
    auto res = pl::RunAgglomeration(points, o);
    if (!res.ok()) return Fail(g, res.status());
    return Write(g, a, *res);
  }
#ifdef CS_HAVE_MPI
  MPI_Init(nullptr, nullptr);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  auto resolved = pl::ResolveOptions(points, o);
  if (!resolved.ok()) {
    MPI_Finalize();
    return rank == 0 ? Fail(g, resolved.status()) : ExitCodeFor(resolved.status());
  }
  if (resolved->threads == 0) {
    resolved->threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / size);
  }
  pl::Agglomeration engine(points, *resolved);
  // Contiguous blocks of simulation indices; each simulation is seeded by its index alone.
  const int64_t sims = resolved->sims;
  const auto first = sims * rank / size, last = sims * (rank + 1) / size;
  const std::vector<double> mine = engine.SimulateRange(first, last, resolved->threads);
  const auto nr = static_cast<int64_t>(resolved->r.size());
  std::vector<int> counts(static_cast<size_t>(size)), displs(static_cast<size_t>(size));
  for (int k = 0; k < size; ++k) {
    counts[static_cast<size_t>(k)] = static_cast<int>((sims * (k + 1) / size - sims * k / size) * nr);
    displs[static_cast<size_t>(k)] = static_cast<int>(sims * k / size * nr);
  }
  std::vector<double> all(rank == 0 ? static_cast<size_t>(sims * nr) : 0);
  MPI_Gatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(), displs.data(),
              MPI_DOUBLE, 0, MPI_COMM_WORLD);
  int rc = 0;
  if (rank == 0) rc = Write(g, a, pl::Assemble(points, *resolved, engine.Observed(), all));
  MPI_Finalize();
  return rc;
#else
  return 2;
#endif
}

}  // namespace

void AddPlaceCommands(CLI::App& app, Commands& commands) {
  auto sa = std::make_shared<SpecialisationArgs>();
  auto* spec = app.add_subcommand("specialisation", "specialisation and concentration indices (place.md)");
  spec->add_option("index", sa->what, "lq | krugman | hoover | gini | hhi | eg | eg-coagglomeration")
      ->required()
      ->check(CLI::IsMember({"lq", "krugman", "hoover", "gini", "hhi", "eg", "eg-coagglomeration"}));
  spec->add_option("--year", sa->year, "the year")->required();
  spec->add_option("--measure", sa->measure, "employees | gross_output | value_added | firms")
      ->check(CLI::IsMember({"employees", "gross_output", "value_added", "firms"}));
  spec->add_option("--region-level", sa->region_level, "province | prefecture | zone")
      ->check(CLI::IsMember({"province", "prefecture", "zone"}));
  spec->add_option("--industry-level", sa->industry_level, "division | group | class")
      ->check(CLI::IsMember({"division", "group", "class"}));
  spec->add_option("--industry", sa->industries, "GB/T 4754 codes to report (default: all)");
  spec->add_flag("--group", sa->group, "eg-coagglomeration: the industries as one set instead of pairs");
  AddFormatOption(spec, sa->format);
  spec->add_option("--xlsx", sa->xlsx, "write the values as an Excel workbook instead (- for standard output)");
  spec->footer("Example: clusterscope specialisation eg --year 2014 --industry-level division --format json");
  commands.push_back({spec, [sa](const Globals& g) { return RunSpecialisation(g, *sa); }});

  auto aa = std::make_shared<AgglomerationArgs>();
  auto* agg = app.add_subcommand("agglomeration", "distance-based agglomeration: Duranton–Overman Kd, Marcon–Puech M");
  agg->add_option("function", aa->function, "kd | m")->required()->check(CLI::IsMember({"kd", "m"}));
  agg->add_option("--industry", aa->industry, "GB/T 4754 code of the firms of interest (from the database)");
  agg->add_option("--versus", aa->versus, "a second industry or point type (bivariate)");
  agg->add_option("--year", aa->year, "the year whose reporting firms are the sites");
  agg->add_option("--points", aa->points, "a CSV of points: x,y,type[,weight] (planar)");
  agg->add_option("--type", aa->type, "the point type of interest (with --points)");
  agg->add_flag("--weighted", aa->weighted, "weight by employees (store) or the weight column (Kd: Kemp)");
  agg->add_flag("--no-reflect", aa->no_reflect, "Kd: no reflection of distances below 4h");
  agg->add_option("--r", aa->r, "distances: FROM:TO:STEP or a,b,c (default 0 … the median pair distance)");
  agg->add_option("--sims", aa->sims, "random-labelling simulations for the bands (--sims alone: 1000; default none)")
      ->expected(0, 1)
      ->default_str("1000")
      ->check(CLI::Range(0, 100000));
  agg->add_option("--seed", aa->seed, "seed of the simulations (default 1)");
  agg->add_option("--level", aa->level, "band level (default 0.05)")->check(CLI::Range(0.0001, 0.4999));
  agg->add_option("--svg", aa->svg, "also draw the curve and its bands to OUT.svg");
  agg->add_option("--threads", aa->threads, "threads (default every core)")->check(CLI::Range(0, 1024));
  agg->add_flag("--mpi", aa->mpi, "split the simulations across the ranks of mpirun");
  AddFormatOption(agg, aa->format);
  agg->footer("Example: clusterscope agglomeration kd --industry 27 --year 2014 --sims 999 --svg kd.svg");
  commands.push_back({agg, [aa](const Globals& g) { return RunAgglomeration(g, *aa); }});
}

}  // namespace clusterscope::cli
