// Kd / M with random-labelling bands on synthetic firm sites (not a test; docs/performance.md).
// Sites: N firms around 200 "cities" inside China's bounding box (great-circle km); the type of
// interest: n of them, half drawn from three cities (so it is localised), half from anywhere.
//   cs_bench_place kd|m|kdw|mw N n SIMS RMAX_KM [STEP_KM] [THREADS] [POINTS.csv]
// kdw / mw: weighted (Kemp Kd; weighted M). With POINTS.csv it also writes the sites as lon,lat,type,weight for
// bench/kd_base_r.R.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "clusterscope/place.h"
#include "core/random.h"

namespace cs = clusterscope;

int main(int argc, char** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: cs_bench_place kd|m|kdw|mw SITES POINTS SIMS RMAX_KM [STEP_KM] [THREADS]\n");
    return 2;
  }
  const std::string f = argv[1];
  const long sites = std::atol(argv[2]), points = std::atol(argv[3]), sims = std::atol(argv[4]);
  const double rmax = std::atof(argv[5]);
  const double step = argc > 6 ? std::atof(argv[6]) : rmax / 50;
  const int threads = argc > 7 ? std::atoi(argv[7]) : 0;

  cs::random::Rng rng(2024);
  constexpr int kCities = 200;
  double cx[kCities], cy[kCities], cw[kCities];
  for (int c = 0; c < kCities; ++c) {
    cx[c] = rng.Uniform(100, 122);
    cy[c] = rng.Uniform(22, 42);
    cw[c] = rng.LogNormal(1.0, 1.0);
  }
  for (int c = 0; c < 3; ++c) cw[c] = 20;  // three big cities, where the type clumps
  cs::place::PointSet ps;
  ps.geodesic = true;
  ps.type_names = {"other", "industry"};
  for (long i = 0; i < sites; ++i) {
    const auto c = static_cast<int>(rng.Weighted(std::span<const double>(cw, kCities)));
    ps.x.push_back(cx[c] + rng.Normal(0, 0.2));
    ps.y.push_back(cy[c] + rng.Normal(0, 0.2));
    ps.type.push_back(0);
    ps.weight.push_back(static_cast<double>(rng.Between(5, 500)));
  }
  // The type: half among the sites of cities 0-2 (by nearest centre), half anywhere.
  long marked = 0;
  for (long tries = 0; marked < points && tries < 100 * sites; ++tries) {
    const auto i = static_cast<size_t>(rng.Between(0, sites - 1));
    if (ps.type[i] == 1) continue;
    const bool clumped = marked < points / 2;
    if (clumped) {
      bool near = false;
      for (int c = 0; c < 3; ++c) near = near || (std::abs(ps.x[i] - cx[c]) < 0.6 && std::abs(ps.y[i] - cy[c]) < 0.6);
      if (!near) continue;
    }
    ps.type[i] = 1;
    ++marked;
  }
  if (argc > 8) {
    std::ofstream out(argv[8]);
    out << "x,y,type,weight\n";
    out.precision(10);
    for (size_t i = 0; i < ps.size(); ++i)
      out << ps.x[i] << ',' << ps.y[i] << ',' << ps.type[i] << ',' << ps.weight[i] << '\n';
  }
  cs::place::AgglomerationOptions o;
  o.function = f == "m" || f == "mw" ? cs::place::Function::kM : cs::place::Function::kKd;
  o.weighted = f == "kdw" || f == "mw";
  o.reference = o.neighbour = 1;
  o.sims = static_cast<int>(sims);
  o.seed = 7;
  o.threads = threads;
  for (double r = 0; r <= rmax + 1e-9; r += step)
    o.r.push_back(o.function == cs::place::Function::kM && r == 0 ? step / 10 : r);
  const auto t0 = std::chrono::steady_clock::now();
  auto res = cs::place::RunAgglomeration(ps, o);
  const auto t1 = std::chrono::steady_clock::now();
  if (!res.ok()) {
    std::fprintf(stderr, "%s\n", res.status().ToString().c_str());
    return 1;
  }
  std::printf("%s: %ld sites, %ld points, %ld sims, r 0..%g km (%zu distances), threads %d: %.2f s; verdict %s\n",
              f.c_str(), sites, marked, sims, rmax, o.r.size(), threads, std::chrono::duration<double>(t1 - t0).count(),
              std::string(cs::place::VerdictText(res->verdict, true, cs::Lang::kEn)).c_str());
  // A digest of every value, for A/B runs of a change meant to keep the numbers.
  double digest = 0;
  for (double v : res->observed.curve.value) digest = digest * 1.000001 + v;
  if (res->bands) {
    for (double v : res->bands->global_lo) digest = digest * 1.000001 + v;
    for (double v : res->bands->global_hi) digest = digest * 1.000001 + v;
  }
  std::printf("digest %.17g, bandwidth %.17g\n", digest, res->observed.curve.bandwidth);
  return 0;
}
