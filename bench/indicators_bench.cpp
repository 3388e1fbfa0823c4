// Indicators benchmark (docs/performance.md, "Indicators: whole catalogue vs SQL"): loads a
// clusterscope database with LoadDataset and computes, through the public API, the whole
// catalogue for every cluster, zone, province and the country over every report year, and the
// survey report's seven figures for every cluster and year — the like-for-like counterpart of
// bench/seven_figures_sqlite.sql and bench/duckdb/seven_figures.mjs.
//
//   cs_bench_indicators DB [--only id,...] [--kinds k,...] [--seven] [--runs N] [--dump-seven FILE]
//
//   --only id,...       the catalogue part computes these indicators instead of the whole catalogue
//   --kinds k,...       the catalogue part for these entity kinds only (cluster, zone, region,
//                       country; default all four), to see where the time goes
//   --seven             skip the catalogue part: load, then the seven figures only
//   --runs N            repetitions of each warm part (default 3; the best is reported)
//   --dump-seven FILE   write the seven figures, one CSV row per cluster × year, in the column
//                       order of the SQL scripts (nulls empty, reals %.17g), for comparison
//   --dump-catalogue FILE  write every value of the first catalogue run, one line each
//                       (entity, year, indicator, value or null reason, coverage; %.17g)
//
// Each warm run also prints its CPU time (user + system, all threads: getrusage), which the
// machine's other load disturbs less than the wall clock.
//
// Timings are wall clock (steady_clock). Peak RSS is VmHWM from /proc/self/status. The last line,
// "summary: key=value …", is what bench/indicators_vs_sql.sh reads.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "clusterscope/indicators.h"
#include "clusterscope/store.h"

namespace cs = clusterscope;

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

long StatusKb(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + std::char_traits<char>::length(key), nullptr, 10);
  }
  return -1;
}
long PeakRssKb() { return StatusKb("VmHWM:"); }
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return tv(u.ru_utime) + tv(u.ru_stime);
}
long RssKb() { return StatusKb("VmRSS:"); }

const std::vector<std::string> kSeven = {"firm_count",
                                         "zone_producing_firm_share",
                                         "gross_output",
                                         "gross_output_growth",
                                         "zone_gross_output_share",
                                         "leading_industry_va_share",
                                         "firms_output_over_100m"};

struct Checksum {
  size_t values = 0;
  size_t non_null = 0;
  double sum = 0;  // Σ AsDouble() over values that exist (money in yuan)
};

Checksum Sum(const std::vector<cs::IndicatorValue>& values) {
  Checksum c;
  c.values = values.size();
  for (const cs::IndicatorValue& v : values) {
    if (auto d = v.AsDouble()) {
      ++c.non_null;
      c.sum += *d;
    }
  }
  return c;
}

std::string Cell(const cs::IndicatorValue& v) {
  if (v.integer) return std::to_string(*v.integer);
  if (v.real) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *v.real);
    return buf;
  }
  return "";
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "cs_bench_indicators: " << what << "\n";
  std::exit(1);
}

}  // namespace

// One line per value (kind,id,year,indicator,value,coverage), appended or written afresh.
void DumpValues(const std::vector<cs::IndicatorValue>& values, const std::string& path, bool append) {
  std::ofstream out(path, append ? std::ios::app : std::ios::trunc);
  char buf[96];
  for (const cs::IndicatorValue& v : values) {
    out << cs::EntityKindId(v.entity.kind) << ',' << v.entity.id << ',' << v.year << ',' << v.indicator->id << ',';
    if (v.integer) {
      out << *v.integer;
    } else if (v.real) {
      std::snprintf(buf, sizeof buf, "%.17g", *v.real);
      out << buf;
    } else {
      out << "null:" << cs::NullReasonId(v.reason);
    }
    std::snprintf(buf, sizeof buf, ",%.17g\n", v.coverage);
    out << buf;
  }
  if (!out) Die("cannot write " + path);
}

// --by-year: the whole catalogue as `clusterscope indicators` computes it for one question in a
// fresh process (ForEachYearWindow: the register once, then each year with its look-back years
// only), from process start to the last value; prints the time and the peak RSS.
int RunByYear(const std::string& db, Clock::time_point t_start, const std::string& dump) {
  auto store = cs::OpenStore(db, cs::OpenOptions{.create = false});
  if (!store.ok()) Die(store.status().ToString());
  auto years = (*store)->ReportYears();
  if (!years.ok() || years->empty()) Die(db + " holds no reports");
  if (!dump.empty()) std::ofstream(dump, std::ios::trunc);
  Checksum total;
  double compute = 0;
  std::vector<cs::EntityRef> all;
  cs::Status s =
      cs::ForEachYearWindow(**store, years->front(), years->back(), [&](const cs::Dataset& window, int year) {
        if (all.empty()) {
          for (cs::EntityKind k :
               {cs::EntityKind::kCluster, cs::EntityKind::kZone, cs::EntityKind::kRegion, cs::EntityKind::kCountry}) {
            auto list = cs::AllEntities(window, k);
            all.insert(all.end(), list.begin(), list.end());
          }
        }
        cs::IndicatorRequest req;
        req.entities = all;
        req.first_year = req.last_year = year;
        auto a = Clock::now();
        auto values = cs::ComputeIndicators(window, req);
        compute += Seconds(a, Clock::now());
        if (!values.ok()) return values.status();
        Checksum c = Sum(*values);
        total.values += c.values;
        total.non_null += c.non_null;
        total.sum += c.sum;
        if (!dump.empty()) DumpValues(*values, dump, true);
        return cs::Status::Ok();
      });
  if (!s.ok()) Die(s.ToString());
  const double wall = Seconds(t_start, Clock::now());
  std::printf("by year           %zu entities x %zu years: %zu values (%zu non-null), checksum %.6e\n", all.size(),
              years->size(), total.values, total.non_null, total.sum);
  std::printf("summary: by_year_cold_s=%.3f by_year_compute_s=%.3f by_year_hwm_kb=%ld by_year_values=%zu\n", wall,
              compute, PeakRssKb(), total.values);
  return 0;
}

int main(int argc, char** argv) {
  auto t_start = Clock::now();
  if (argc < 2) {
    std::cerr << "usage: cs_bench_indicators DB [--only id,...] [--kinds k,...] [--seven] [--runs N] [--dump-seven "
                 "FILE] [--dump-catalogue FILE] [--by-year]\n";
    return 2;
  }
  std::string db = argv[1];
  std::vector<std::string> only;
  std::string kinds;  // empty = every kind
  bool seven_only = false;
  int runs = 3;
  std::string dump;
  std::string dump_catalogue;
  bool by_year = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--only" && i + 1 < argc) {
      std::stringstream list(argv[++i]);
      for (std::string id; std::getline(list, id, ',');) {
        if (!id.empty()) only.push_back(id);
      }
    } else if (a == "--kinds" && i + 1 < argc) {
      kinds = argv[++i];
    } else if (a == "--by-year") {
      by_year = true;
    } else if (a == "--seven") {
      seven_only = true;
    } else if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--dump-seven" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--dump-catalogue" && i + 1 < argc) {
      dump_catalogue = argv[++i];
    } else {
      Die("unknown argument: " + a);
    }
  }

  if (by_year) return RunByYear(db, t_start, dump_catalogue);
  // Cold: this process has read nothing yet; the file may be in the OS page cache (the script says).
  auto t0 = Clock::now();
  auto store = cs::OpenStore(db, cs::OpenOptions{.create = false});
  if (!store.ok()) Die(store.status().ToString());
  auto t1 = Clock::now();
  auto loaded = cs::LoadDataset(**store);
  if (!loaded.ok()) Die(loaded.status().ToString());
  auto t2 = Clock::now();
  const cs::Dataset& data = **loaded;
  long load_hwm = PeakRssKb();
  long load_rss = RssKb();
  std::vector<int> years = cs::ReportYears(data);
  if (years.empty()) Die(db + " holds no reports");

  std::vector<cs::EntityRef> clusters = cs::AllEntities(data, cs::EntityKind::kCluster);
  std::vector<cs::EntityRef> zones = cs::AllEntities(data, cs::EntityKind::kZone);
  std::vector<cs::EntityRef> provinces = cs::AllEntities(data, cs::EntityKind::kRegion);
  std::vector<cs::EntityRef> country = cs::AllEntities(data, cs::EntityKind::kCountry);

  std::printf("database          %s\n", db.c_str());
  std::printf("dataset           %zu clusters, %zu zones, %zu provinces, years %d-%d (%zu)\n", clusters.size(),
              zones.size(), provinces.size(), years.front(), years.back(), years.size());
  std::printf("open store        %.3f s\n", Seconds(t0, t1));
  std::printf("LoadDataset       %.3f s   (process start to loaded: %.3f s)   VmRSS %ld KB, VmHWM %ld KB\n",
              Seconds(t1, t2), Seconds(t_start, t2), load_rss, load_hwm);

  double last_cpu = 0;  // CPU seconds of the last run
  auto run = [&](const std::vector<cs::EntityRef>& entities, const std::vector<std::string>& ids,
                 std::vector<cs::IndicatorValue>* keep) {
    cs::IndicatorRequest req;
    req.entities = entities;
    req.first_year = years.front();
    req.last_year = years.back();
    req.only = ids;
    double cpu0 = CpuSeconds();
    auto a = Clock::now();
    auto values = cs::ComputeIndicators(data, req);
    auto b = Clock::now();
    last_cpu = CpuSeconds() - cpu0;
    if (!values.ok()) Die(values.status().ToString());
    Checksum c = Sum(*values);
    if (keep != nullptr) *keep = std::move(*values);
    return std::pair{Seconds(a, b), c};
  };

  double catalogue_first = 0, catalogue_best = 1e300;
  Checksum catalogue_sum;
  long catalogue_hwm = -1;
  if (!seven_only) {
    std::vector<cs::EntityRef> all;
    for (auto [name, list] : {std::pair{"cluster", &clusters}, std::pair{"zone", &zones},
                              std::pair{"region", &provinces}, std::pair{"country", &country}}) {
      if (kinds.empty() || kinds.find(name) != std::string::npos) all.insert(all.end(), list->begin(), list->end());
    }
    size_t indicators = only.empty() ? cs::IndicatorCatalogue().size() : only.size();
    std::printf("catalogue         %zu entities x %zu years x %zu indicators%s\n", all.size(), years.size(), indicators,
                only.empty() ? " (whole catalogue)" : " (--only)");
    for (int r = 0; r < runs; ++r) {
      std::vector<cs::IndicatorValue> kept;
      auto [s, c] = run(all, only, r == 0 && !dump_catalogue.empty() ? &kept : nullptr);
      if (r == 0) catalogue_first = s;
      catalogue_best = std::min(catalogue_best, s);
      catalogue_sum = c;
      std::printf("  run %d           %.3f s   %zu values (%zu non-null), checksum %.6e, CPU %.3f s\n", r + 1, s,
                  c.values, c.non_null, c.sum, last_cpu);
      if (!kept.empty()) DumpValues(kept, dump_catalogue, false);
    }
    catalogue_hwm = PeakRssKb();
    std::printf("  best            %.3f s   VmHWM %ld KB\n", catalogue_best, catalogue_hwm);
  }

  // The seven figures, every cluster and year: what the SQL scripts compute.
  double seven_first = 0, seven_best = 1e300;
  Checksum seven_sum;
  std::vector<cs::IndicatorValue> seven_values;
  std::printf("seven figures     %zu clusters x %zu years x 7\n", clusters.size(), years.size());
  for (int r = 0; r < runs; ++r) {
    auto [s, c] = run(clusters, kSeven, r == 0 ? &seven_values : nullptr);
    if (r == 0) seven_first = s;
    seven_best = std::min(seven_best, s);
    seven_sum = c;
    std::printf("  run %d           %.3f s   %zu values (%zu non-null), checksum %.6e\n", r + 1, s, c.values,
                c.non_null, c.sum);
  }
  long end_hwm = PeakRssKb();
  std::printf("  best            %.3f s   VmHWM %ld KB\n", seven_best, end_hwm);

  // Rows of 7 values, cluster-major then year, as ComputeIndicators returns them.
  auto row_of = [&](size_t cluster, size_t year) { return &seven_values[(cluster * years.size() + year) * 7]; };
  // QH-BIO 2014 (the calibrated cluster) when present, else the first cluster's last year.
  size_t probe_c = 0, probe_y = years.size() - 1;
  for (size_t c = 0; c < clusters.size(); ++c) {
    if (clusters[c].id == "QH-BIO") probe_c = c;
  }
  for (size_t y = 0; y < years.size(); ++y) {
    if (years[y] == 2014 && clusters[probe_c].id == "QH-BIO") probe_y = y;
  }
  std::ostringstream probe;
  probe << clusters[probe_c].id << ',' << years[probe_y];
  for (int k = 0; k < 7; ++k) probe << ',' << Cell(row_of(probe_c, probe_y)[k]);
  std::printf("probe             cluster_id,year,%s\n",
              "firm_count,zone_producing_firm_share,gross_output,"
              "gross_output_growth,zone_gross_output_share,leading_industry_va_share,firms_output_over_100m");
  std::printf("                  %s\n", probe.str().c_str());

  if (!dump.empty()) {
    std::ofstream out(dump);
    out << "cluster_id,year";
    for (const std::string& id : kSeven) out << "," << id;
    out << "\n";
    for (size_t c = 0; c < clusters.size(); ++c) {
      for (size_t y = 0; y < years.size(); ++y) {
        out << clusters[c].id << "," << years[y];
        for (int k = 0; k < 7; ++k) out << "," << Cell(row_of(c, y)[k]);
        out << "\n";
      }
    }
    if (!out) Die("cannot write " + dump);
    std::printf("dumped            %s\n", dump.c_str());
  }

  auto t_end = Clock::now();
  // cold_* = this fresh process from its start: open + LoadDataset + the first run of the part.
  std::printf(
      "summary: load_s=%.3f process_to_loaded_s=%.3f load_hwm_kb=%ld catalogue_first_s=%.3f catalogue_best_s=%.3f "
      "catalogue_values=%zu catalogue_hwm_kb=%ld seven_first_s=%.3f seven_best_s=%.3f seven_values=%zu end_hwm_kb=%ld "
      "cold_catalogue_s=%.3f cold_seven_s=%.3f total_s=%.3f\n",
      Seconds(t1, t2), Seconds(t_start, t2), load_hwm, catalogue_first, seven_only ? 0.0 : catalogue_best,
      catalogue_sum.values, catalogue_hwm, seven_first, seven_best, seven_sum.values, end_hwm,
      seven_only ? 0.0 : Seconds(t_start, t2) + catalogue_first, Seconds(t_start, t2) + seven_first,
      Seconds(t_start, t_end));
  return 0;
}
