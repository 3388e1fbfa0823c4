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

#include "clusterscope/format.h"
#include "clusterscope/output_file.h"
#include "clusterscope/place.h"
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
};

std::string ValueCell(const std::optional<double>& v) { return v ? fmt::format("{:.6g}", *v) : "—"; }

int RunSpecialisation(const Globals& g, const SpecialisationArgs& a) {
  pl::AreaRequest req;
  req.year = a.year;
  req.measure = *pl::ParseMeasure(a.measure);
  req.region_level = *pl::ParseRegionLevel(a.region_level);
  req.industry_level = *pl::ParseIndustryLevel(a.industry_level);
  req.industries = a.industries;
  auto store = OpenForRead(g);
  if (!store.ok()) return Fail(g, store.status());
  auto in = pl::LoadAreaMatrix(**store, req);
  if (!in.ok()) return Fail(g, in.status());
  const pl::AreaMatrix& m = in->matrix;
  auto computed = pl::ComputeAreaIndex(*in, *pl::ParseAreaIndex(a.what), a.group);
  if (!computed.ok()) return Fail(g, computed.status());
  const std::vector<pl::AreaValue>& values = *computed;
  std::unordered_map<std::string, std::string> region_name;
  for (size_t r = 0; r < m.regions.size(); ++r) region_name[m.regions[r]] = m.region_names[r];
  const Lang L = g.lang;
  const std::string id(pl::AreaIndexId(*pl::ParseAreaIndex(a.what)));
  switch (ParseFormat(a.format)) {
    case Format::kJson: {
      nlohmann::ordered_json out;
      out["indicator"] = id;
      out["year"] = a.year;
      out["measure"] = a.measure;
      out["region_level"] = a.region_level;
      out["industry_level"] = a.industry_level;
      out["regions"] = m.regions.size();
      out["firms"] = m.plants.size();
      nlohmann::ordered_json rows = nlohmann::ordered_json::array();
      for (const auto& v : values) {
        nlohmann::ordered_json row;
        if (!v.region.empty()) {
          row["region"] = v.region;
          row["region_name"] = region_name[v.region];
        }
        if (!v.industry.empty()) row["industry"] = v.industry;
        row["value"] = v.value ? nlohmann::ordered_json(*v.value) : nlohmann::ordered_json(nullptr);
        if (!v.value) row["reason"] = pl::PlaceNullId(v.reason);
        if (v.plant_hhi) row["plant_hhi"] = *v.plant_hhi;
        row["firms"] = v.firms;
        row["regions"] = v.regions;
        rows.push_back(row);
      }
      out["values"] = rows;
      std::cout << out.dump(1) << "\n";
      break;
    }
    case Format::kCsv:
      std::cout << ToCsvLine(
          {"indicator", "year", "measure", "region", "industry", "value", "reason", "plant_hhi", "firms", "regions"});
      for (const auto& v : values) {
        std::cout << ToCsvLine({id, std::to_string(a.year), a.measure, v.region, v.industry,
                                v.value ? fmt::format("{}", *v.value) : "", std::string(pl::PlaceNullId(v.reason)),
                                v.plant_hhi ? fmt::format("{}", *v.plant_hhi) : "", std::to_string(v.firms),
                                std::to_string(v.regions)});
      }
      break;
    case Format::kTable: {
      std::cout << fmt::format(
          fmt::runtime(Pick(L, "{} · {}年 · 指标 {} · 地区层级 {} · 行业层级 {} · {}个地区，{}家企业\n",
                            "{} · {} · measure {} · regions by {} · industries by {} · {} regions, {} firms\n")),
          id, a.year, a.measure, a.region_level, a.industry_level, m.regions.size(), m.plants.size());
      std::vector<std::vector<std::string>> rows;
      for (const auto& v : values) {
        std::string region = v.region;
        if (!region_name[v.region].empty()) region += " " + region_name[v.region];
        rows.push_back({region, v.industry, v.value ? ValueCell(v.value) : std::string(pl::PlaceNullText(v.reason, L)),
                        v.plant_hhi ? ValueCell(v.plant_hhi) : "", std::to_string(v.firms)});
      }
      std::cout << RenderTable({std::string(Pick(L, "地区", "region")), std::string(Pick(L, "行业", "industry")),
                                std::string(Pick(L, "值", "value")), std::string(Pick(L, "企业赫芬达尔", "plant HHI")),
                                std::string(Pick(L, "企业数", "firms"))},
                               rows);
      break;
    }
  }
  return 0;
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

int Emit(const Globals& g, const AgglomerationArgs& a, const pl::AgglomerationResult& res) {
  if (!a.svg.empty()) {
    Status s = WriteOutputFile(a.svg, pl::AgglomerationSvg(res, g.lang), Guarded(g, {a.points}));
    if (!s.ok()) return Fail(g, s);
  }
  switch (ParseFormat(a.format)) {
    case Format::kJson:
      std::cout << pl::AgglomerationJson(res);
      break;
    case Format::kCsv:
      std::cout << pl::AgglomerationCsv(res);
      break;
    case Format::kTable:
      std::cout << pl::AgglomerationTable(res, g.lang);
      break;
  }
  return 0;
}

int RunAgglomeration(const Globals& g, const AgglomerationArgs& a) {
  if (a.points.empty() == a.industry.empty()) {
    return Fail(g, Status::Usage("agglomeration takes either --industry CODE --year Y or --points FILE --type T"));
  }
  if (!a.industry.empty() && a.year == 0) return Fail(g, Status::Usage("--industry needs --year"));
  if (!a.points.empty() && a.type.empty()) return Fail(g, Status::Usage("--points needs --type"));
#ifndef CS_HAVE_MPI
  if (a.mpi) {
    return Fail(g, Status::Environment("this clusterscope was built without MPI (install libopenmpi-dev and rebuild)"));
  }
#endif
  pl::PointSet points;
  pl::AgglomerationOptions o;
  o.function = a.function == "kd" ? pl::Function::kKd : pl::Function::kM;
  if (!a.points.empty()) {
    auto ps = pl::LoadPointsCsv(a.points);
    if (!ps.ok()) return Fail(g, ps.status());
    points = std::move(*ps);
    const auto find = [&](const std::string& t) {
      for (size_t i = 0; i < points.type_names.size(); ++i) {
        if (points.type_names[i] == t) return static_cast<int32_t>(i);
      }
      return int32_t{-1};
    };
    o.reference = find(a.type);
    o.neighbour = a.versus.empty() ? o.reference : find(a.versus);
    if (o.reference < 0 || o.neighbour < 0) {
      return Fail(g, Status::NotFound(
                         fmt::format("{}: no point of type \"{}\"", a.points, o.reference < 0 ? a.type : a.versus)));
    }
  } else {
    auto store = OpenForRead(g);
    if (!store.ok()) return Fail(g, store.status());
    auto ps = pl::LoadFirmPoints(**store, a.year, a.industry, a.versus, a.weighted);
    if (!ps.ok()) return Fail(g, ps.status());
    points = std::move(*ps);
    o.reference = 1;
    o.neighbour = a.versus.empty() ? 1 : 2;
  }
  auto r = ParseDistances(a.r);
  if (!r.ok()) return Fail(g, r.status());
  o.r = *r;
  o.weighted = a.weighted;
  o.reflect = !a.no_reflect;
  o.sims = a.sims;
  o.seed = a.seed;
  o.level = a.level;
  o.threads = a.threads;
  if (!a.mpi) {
    auto res = pl::RunAgglomeration(points, o);
    if (!res.ok()) return Fail(g, res.status());
    return Emit(g, a, *res);
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
  if (rank == 0) rc = Emit(g, a, pl::Assemble(points, *resolved, engine.Observed(), all));
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
