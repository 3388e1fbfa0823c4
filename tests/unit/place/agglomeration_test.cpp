// Kd and M on a handful of points by hand, Kd against a brute-force exact kernel sum and against
// R's density() as dbmss uses it, Ripley's K/L against spatstat, bands, the verdict and determinism.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

#include "clusterscope/place.h"
#include "core/random.h"

namespace clusterscope::place {
namespace {

namespace fs = std::filesystem;
const fs::path kData = fs::path(CS_SOURCE_DIR) / "tests" / "data" / "place";

PointSet Planar(const std::vector<std::array<double, 3>>& xyt, std::vector<double> w = {}) {
  PointSet ps;
  int32_t types = 0;
  for (const auto& p : xyt) {
    ps.x.push_back(p[0]);
    ps.y.push_back(p[1]);
    ps.type.push_back(static_cast<int32_t>(p[2]));
    types = std::max(types, static_cast<int32_t>(p[2]) + 1);
  }
  for (int32_t t = 0; t < types; ++t) ps.type_names.push_back(fmt::format("t{}", t));
  ps.weight = w.empty() ? std::vector<double>(ps.size(), 1.0) : w;
  return ps;
}

std::vector<std::vector<std::string>> ReadCsv(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}

// Three points on a line, distances 1, 2, 3; r = 0, 0.5, …, 3. bw.nrd0: sd = 1, IQR = 1,
// h = 0.9·(1/1.34)·3^(−1/5) = 0.5391547803; 4h = 2.157, so distances 1 and 2 are mirrored.
// Kd(r) = [Σ φ((r−d)/h) + Σ_{d≤4h} φ((r+d)/h)] / h / (3 − Φ(−3/h)) (tests/data/place/README.md).
// A sample of one type's points (what a brief tests a large industry on): exactly that many
// keep the type, chosen only among them, the same for the same seed, another for another seed;
// the other points and types untouched; fewer than `most` keep all.
TEST(SampleType, KeepsThatManyOfTheTypeOnlyReproducibly) {
  PointSet base;
  for (int i = 0; i < 1000; ++i) {
    base.x.push_back(i);
    base.y.push_back(0);
    base.type.push_back(i % 3 == 0 ? 1 : i % 3 == 1 ? 2 : 0);  // 334 of type 1, 333 of type 2
  }
  base.type_names = {"other", "a", "b"};
  auto count = [](const PointSet& p, int32_t t) { return std::count(p.type.begin(), p.type.end(), t); };
  PointSet a = base;
  EXPECT_EQ(SampleType(a, 1, 50, 7), 50);
  EXPECT_EQ(count(a, 1), 50);
  EXPECT_EQ(count(a, 2), 333);
  for (size_t i = 0; i < a.size(); ++i) {
    if (a.type[i] == 1) {
      EXPECT_EQ(base.type[i], 1) << i;  // chosen among type 1 only
    }
    if (base.type[i] != 1) {
      EXPECT_EQ(a.type[i], base.type[i]) << i;  // the rest as they were
    }
  }
  PointSet again = base;
  SampleType(again, 1, 50, 7);
  EXPECT_EQ(again.type, a.type);
  PointSet other = base;
  SampleType(other, 1, 50, 8);
  EXPECT_NE(other.type, a.type);
  PointSet all = base;
  EXPECT_EQ(SampleType(all, 1, 5000, 7), 334);
  EXPECT_EQ(all.type, base.type);
}

TEST(Kd, ThreePointsByHand) {
  const PointSet ps = Planar({{0, 0, 0}, {1, 0, 0}, {3, 0, 0}});
  AgglomerationOptions o;
  o.r = {0, 0.5, 1, 1.5, 2, 2.5, 3};
  auto res = RunAgglomeration(ps, o);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const std::vector<double> hand = {0.08883414307, 0.17074214246, 0.29131734923, 0.32603648999,
                                    0.33497380874, 0.32603120247, 0.29106377301};
  EXPECT_NEAR(res->observed.curve.bandwidth, 0.539154780286722, 1e-3);
  for (size_t k = 0; k < hand.size(); ++k) EXPECT_NEAR(res->observed.curve.value[k], hand[k], 2e-3 * hand[k]) << k;
  // Without reflection: Σ φ((r−d)/h) / h / 3; at r = 0: 0.0444170947.
  o.reflect = false;
  auto plain = RunAgglomeration(ps, o);
  ASSERT_TRUE(plain.ok());
  EXPECT_NEAR(plain->observed.curve.value[0], 0.0444170946739626, 1e-4);
  EXPECT_NEAR(plain->observed.curve.value[6], 0.29106377172773107, 1e-3);
}

// The same three distances through R's density() the way dbmss's Kdhat calls it (kd_density.R,
// output committed as kd_density.csv): R bins onto a grid before its FFT, so agreement is ~0.3%.
TEST(Kd, AgreesWithRDensityAsDbmssUsesIt) {
  const auto rows = ReadCsv(kData / "kd_density.csv");
  ASSERT_EQ(rows.size(), 8u);
  const PointSet ps = Planar({{0, 0, 0}, {1, 0, 0}, {3, 0, 0}});
  AgglomerationOptions o;
  for (size_t i = 1; i < rows.size(); ++i) o.r.push_back(std::stod(rows[i][0]));
  auto res = RunAgglomeration(ps, o);
  ASSERT_TRUE(res.ok());
  for (size_t i = 1; i < rows.size(); ++i) {
    const double r_value = std::stod(rows[i][1]);
    EXPECT_NEAR(res->observed.curve.value[i - 1], r_value, 0.01 * r_value) << rows[i][0];
    EXPECT_NEAR(res->observed.curve.bandwidth, std::stod(rows[i][2]), 1e-3);
  }
}

PointSet RandomPoints(size_t n, uint64_t seed, int types, bool weights) {
  random::Rng rng(seed);
  PointSet ps;
  for (size_t i = 0; i < n; ++i) {
    // Two clumps and a background, so the curve has shape.
    const double u = rng.Uniform();
    double x = 0, y = 0;
    if (u < 0.3) {
      x = 20 + rng.Normal(0, 2);
      y = 30 + rng.Normal(0, 2);
    } else if (u < 0.5) {
      x = 70 + rng.Normal(0, 4);
      y = 60 + rng.Normal(0, 4);
    } else {
      x = rng.Uniform(0, 100);
      y = rng.Uniform(0, 100);
    }
    ps.x.push_back(x);
    ps.y.push_back(y);
    ps.type.push_back(static_cast<int32_t>(rng.Between(0, types - 1)));
    ps.weight.push_back(weights ? static_cast<double>(rng.Between(1, 50)) : 1.0);
  }
  for (int t = 0; t < types; ++t) ps.type_names.push_back(fmt::format("t{}", t));
  return ps;
}

// Binned Kd (bins of r_max/2048, kernel on bin centres, bandwidth quartiles from the bins)
// against every pair's exact kernel: within 0.5% of the curve's peak, for uni- and bivariate,
// weighted and not, with and without reflection.
TEST(Kd, BinnedAgreesWithBruteForceExactKernelSum) {
  const PointSet ps = RandomPoints(600, 7, 3, true);
  for (bool weighted : {false, true}) {
    for (bool reflect : {true, false}) {
      for (int32_t nb : {0, 1}) {
        AgglomerationOptions o;
        o.reference = 0;
        o.neighbour = nb;
        o.weighted = weighted;
        o.reflect = reflect;
        for (int k = 0; k <= 40; ++k) o.r.push_back(k * 1.5);
        auto resolved = ResolveOptions(ps, o);
        ASSERT_TRUE(resolved.ok());
        Agglomeration engine(ps, *resolved);
        const Curve binned = engine.Observed().curve;
        const Curve exact = KdExact(ps, *resolved);
        double peak = 0;
        for (double v : exact.value) peak = std::max(peak, v);
        EXPECT_NEAR(binned.bandwidth, exact.bandwidth, 1e-3 * exact.bandwidth);
        for (size_t k = 0; k < o.r.size(); ++k) {
          EXPECT_NEAR(binned.value[k], exact.value[k], 5e-3 * peak)
              << "weighted " << weighted << " reflect " << reflect << " nb " << nb << " r " << o.r[k];
        }
      }
    }
  }
}

// Unweighted Kd keeps its pair sums in fixed point and computes distances in packed runs; the
// weighted path (doubles, pair by pair) with unit weights is the reference. They agree to 1e-10
// of the curve's peak whichever distance formula applies: the short arcsine series (pair cutoff
// 2·r_max up to ~500 km), the long one (to ~3,200 km) and std::asin beyond.
TEST(Kd, UnweightedFixedPointAgreesWithUnitWeights) {
  const PointSet planar = RandomPoints(900, 11, 2, false);
  for (const auto& [span, rmax] : {std::pair{0.05, 60.0}, std::pair{0.05, 300.0}, std::pair{0.5, 3500.0}}) {
    PointSet ps = planar;
    ps.geodesic = true;
    for (size_t i = 0; i < ps.size(); ++i) {
      ps.x[i] = 70 + ps.x[i] * span;        // longitude
      ps.y[i] = 10 + ps.y[i] * span * 0.8;  // latitude
      ps.weight[i] = 1;
    }
    for (int32_t nb : {0, 1}) {
      AgglomerationOptions o;
      o.reference = 0;
      o.neighbour = nb;
      o.seed = 3;
      for (int k = 0; k <= 30; ++k) o.r.push_back(rmax * k / 30);
      auto plain = ResolveOptions(ps, o);
      ASSERT_TRUE(plain.ok());
      AgglomerationOptions w = *plain;
      w.weighted = true;
      Agglomeration a(ps, *plain), b(ps, w);
      const Curve ca = a.Observed().curve, cb = b.Observed().curve;
      EXPECT_NEAR(ca.bandwidth, cb.bandwidth, 1e-10 * cb.bandwidth) << rmax;
      const auto sa = a.SimulateRange(0, 2, 1), sb = b.SimulateRange(0, 2, 1);
      double peak = 0;
      for (double v : cb.value) peak = std::max(peak, v);
      for (double v : sb) peak = std::max(peak, v);
      ASSERT_GT(peak, 0) << rmax;
      for (size_t k = 0; k < ca.value.size(); ++k)
        EXPECT_NEAR(ca.value[k], cb.value[k], 1e-10 * peak) << rmax << " " << k;
      for (size_t k = 0; k < sa.size(); ++k) EXPECT_NEAR(sa[k], sb[k], 1e-10 * peak) << rmax << " sim " << k;
    }
  }
}

// A handful of points, M by hand (README.md): A1 (0,0), A2 (1,0), B1 (0,1), B2 (5,5).
TEST(M, FourPointsByHand) {
  const PointSet ps = Planar({{0, 0, 0}, {1, 0, 0}, {0, 1, 1}, {5, 5, 1}});
  AgglomerationOptions o;
  o.function = Function::kM;
  o.r = {1, 2};
  auto m = RunAgglomeration(ps, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // r = 1: A1 sees A2, B1 → 1/2; A2 sees A1 → 1; global ratios (2−1)/(4−1) = 1/3 each → 1.5/(2/3).
  EXPECT_NEAR(m->observed.curve.value[0], 2.25, 1e-12);
  // r = 2: A2 also sees B1 (√2) → 1/2: (1/2 + 1/2)/(2/3).
  EXPECT_NEAR(m->observed.curve.value[1], 1.5, 1e-12);
  // Weighted: A1 2, A2 1, B1 1, B2 4 (W = 8, W_A = 3). r = 1: A1 1/2, global (3−2)/(8−2) = 1/6;
  // A2 2/2, global 2/7 → 1.5 / (19/42) = 63/19. r = 2: A2 sees A1 and B1 → 2/3 → (7/6)/(19/42) = 49/19.
  PointSet w = ps;
  w.weight = {2, 1, 1, 4};
  o.weighted = true;
  auto mw = RunAgglomeration(w, o);
  ASSERT_TRUE(mw.ok());
  EXPECT_NEAR(mw->observed.curve.value[0], 63.0 / 19, 1e-12);
  EXPECT_NEAR(mw->observed.curve.value[1], 49.0 / 19, 1e-12);
  // Bivariate A → B, unweighted, r = 1: A1 1/2, A2 0 (its only neighbour is A1); global 2/3 each.
  o.weighted = false;
  o.neighbour = 1;
  o.r = {1};
  auto mb = RunAgglomeration(ps, o);
  ASSERT_TRUE(mb.ok());
  EXPECT_NEAR(mb->observed.curve.value[0], 0.375, 1e-12);
}

// M through the grid (many sites, small r) equals M with every site visited.
TEST(M, GridAndAllPairsAgree) {
  const PointSet ps = RandomPoints(3000, 11, 4, true);
  AgglomerationOptions o;
  o.function = Function::kM;
  o.weighted = true;
  o.r = {1, 2, 4, 8};
  auto small = RunAgglomeration(ps, o);
  ASSERT_TRUE(small.ok());
  // The same r padded with a distance beyond the window forces one cell (all pairs).
  AgglomerationOptions wide = o;
  wide.r.push_back(1000);
  auto big = RunAgglomeration(ps, wide);
  ASSERT_TRUE(big.ok());
  for (size_t k = 0; k < 4; ++k) {
    EXPECT_NEAR(small->observed.curve.value[k], big->observed.curve.value[k], 1e-12 * big->observed.curve.value[k]);
  }
}

// Unweighted M counts only the pairs among labelled points (the sites' neighbour counts are
// fixed); weighted M walks every site's neighbourhood. With every weight 1 they must agree, for
// the observed curve and for a simulation, uni- and bivariate.
TEST(M, UnweightedPathEqualsWeightedWithUnitWeights) {
  PointSet ps = RandomPoints(1500, 13, 3, false);
  for (int32_t nb : {0, 2}) {
    AgglomerationOptions o;
    o.function = Function::kM;
    o.reference = 0;
    o.neighbour = nb;
    o.seed = 5;
    o.r = {0.5, 1, 2, 4, 8, 16};
    auto plain = ResolveOptions(ps, o);
    ASSERT_TRUE(plain.ok());
    AgglomerationOptions w = *plain;
    w.weighted = true;
    Agglomeration a(ps, *plain), b(ps, w);
    const auto oa = a.Observed().curve.value, ob = b.Observed().curve.value;
    const auto sa = a.SimulateRange(3, 5, 1), sb = b.SimulateRange(3, 5, 1);
    for (size_t k = 0; k < oa.size(); ++k) EXPECT_NEAR(oa[k], ob[k], 1e-12 * ob[k]) << nb << " " << k;
    for (size_t k = 0; k < sa.size(); ++k) EXPECT_NEAR(sa[k], sb[k], 1e-12 * sb[k]) << nb << " " << k;
  }
}

// Ripley's K (no edge correction) from the engine's pair enumeration against spatstat's Kest on
// its own sample patterns (ripley_spatstat.R; output committed beside it). L = √(K/π).
void CheckRipley(const std::string& name, const fs::path& dir) {
  auto points = LoadPointsCsv((dir / (name + "_points.csv")).string());
  ASSERT_TRUE(points.ok()) << points.status().ToString();
  const auto rows = ReadCsv(dir / (name + "_K.csv"));
  ASSERT_GT(rows.size(), 2u);
  std::vector<double> r;
  for (size_t i = 1; i < rows.size(); ++i) r.push_back(std::stod(rows[i][0]));
  const double area = std::stod(rows[1][3]);
  const auto k = RipleyK(*points, r, area);
  for (size_t i = 1; i < rows.size(); ++i) {
    const double kr = std::stod(rows[i][1]), lr = std::stod(rows[i][2]);
    EXPECT_NEAR(k[i - 1], kr, 1e-9 + 1e-9 * kr) << name << " r " << r[i - 1];
    EXPECT_NEAR(std::sqrt(k[i - 1] / std::numbers::pi), lr, 1e-9 + 1e-9 * lr) << name << " r " << r[i - 1];
  }
}

TEST(Ripley, MatchesSpatstatCommittedOutput) {
  for (const char* name : {"japanesepines", "cells", "redwood"}) CheckRipley(name, kData);
}

TEST(Ripley, MatchesSpatstatRunNow) {
  if (std::system("Rscript -e 'suppressMessages(library(spatstat))' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "Rscript with spatstat not installed (scripts/install-deps.sh installs r-cran-spatstat)";
  }
  const fs::path dir = fs::temp_directory_path() / fmt::format("cs_ripley_{}", ::getpid());
  fs::create_directories(dir);
  const std::string cmd = "Rscript " + (kData / "ripley_spatstat.R").string() + " " + dir.string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  for (const char* name : {"japanesepines", "cells", "redwood"}) CheckRipley(name, dir);
  fs::remove_all(dir);
}

TEST(Bands, LocalAndGlobalFromConstantCurves) {
  // 20 simulations, each constant at its index s = 0 … 19 over 3 distances.
  std::vector<double> sims;
  for (int s = 0; s < 20; ++s) {
    for (int k = 0; k < 3; ++k) sims.push_back(s);
  }
  const Bands b = ComputeBands(sims, 3, 0.05);
  // Pointwise type-7 quantiles: 0.05·19 = 0.95, 0.95·19 = 18.05.
  EXPECT_NEAR(b.local_lo[0], 0.95, 1e-12);
  EXPECT_NEAR(b.local_hi[2], 18.05, 1e-12);
  // Global: at most floor(0.05·20) = 1 curve may leave: the 2nd largest (18) and 2nd smallest (1).
  EXPECT_EQ(b.global_hi[1], 18);
  EXPECT_EQ(b.global_lo[1], 1);
  const auto v = Judge({1, 2, 3}, {10, 19, 0.5}, b);
  EXPECT_EQ(v.verdict, Verdict::kLocalised);
  ASSERT_EQ(v.above.size(), 1u);
  EXPECT_EQ(v.above[0].from, 2);
  ASSERT_EQ(v.below.size(), 1u);
  EXPECT_EQ(v.below[0].from, 3);
  EXPECT_EQ(Judge({1, 2, 3}, {10, 0.5, 0.5}, b).verdict, Verdict::kDispersed);
  EXPECT_EQ(Judge({1, 2, 3}, {10, 10, 10}, b).verdict, Verdict::kNeither);
}

TEST(Bands, GlobalBandIsWiderThanLocalOnNoisyCurves) {
  random::Rng rng(5);
  std::vector<double> sims;
  // Curves that move together (a level per simulation) with a little independent noise, as
  // simulated K-densities do.
  for (int s = 0; s < 400; ++s) {
    const double level = rng.Normal();
    for (int k = 0; k < 30; ++k) sims.push_back(level + 0.2 * rng.Normal());
  }
  const Bands b = ComputeBands(sims, 30, 0.05);
  size_t exits = 0;
  for (int s = 0; s < 400; ++s) {
    for (size_t k = 0; k < 30; ++k) {
      if (sims[static_cast<size_t>(s) * 30 + k] > b.global_hi[k]) {
        ++exits;
        break;
      }
    }
  }
  EXPECT_LE(exits, 20u);  // ≤ 5% of 400
  EXPECT_GE(exits, 10u);  // and the tightest such band, not the maximum
  for (size_t k = 0; k < 30; ++k) EXPECT_GE(b.global_hi[k], b.local_hi[k]);
}

// A clumped type among uniform sites is localised at short distances; a random type is not.
TEST(Kd, ClumpedTypeIsLocalised) {
  random::Rng rng(3);
  PointSet ps;
  ps.type_names = {"site", "clump"};
  for (int i = 0; i < 800; ++i) {
    ps.x.push_back(rng.Uniform(0, 100));
    ps.y.push_back(rng.Uniform(0, 100));
    ps.type.push_back(0);
    ps.weight.push_back(1);
  }
  for (int i = 0; i < 60; ++i) {
    ps.x.push_back(50 + rng.Normal(0, 3));
    ps.y.push_back(50 + rng.Normal(0, 3));
    ps.type.push_back(1);
    ps.weight.push_back(1);
  }
  AgglomerationOptions o;
  o.reference = o.neighbour = 1;
  o.sims = 99;
  o.seed = 42;
  for (int k = 0; k <= 30; ++k) o.r.push_back(k);
  auto res = RunAgglomeration(ps, o);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->verdict.verdict, Verdict::kLocalised);
  ASSERT_FALSE(res->verdict.above.empty());
  EXPECT_LE(res->verdict.above.front().from, 2);
  const std::string json = AgglomerationJson(*res);
  EXPECT_NE(json.find("\"localised\""), std::string::npos);
  EXPECT_NE(AgglomerationSvg(*res, Lang::kZh).find("全局置信带"), std::string::npos);
}

// Bit-for-bit equality (undefined values are NaN, which == would call unequal).
bool Same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

// A simulation's curve depends only on (seed, index): the same whatever the threads or the range.
TEST(Simulation, DeterministicWhateverThreadsAndRanges) {
  const PointSet ps = RandomPoints(2000, 9, 5, true);
  for (Function f : {Function::kKd, Function::kM}) {
    AgglomerationOptions o;
    o.function = f;
    o.weighted = true;
    o.seed = 77;
    for (int k = 0; k <= 10; ++k) o.r.push_back(k * 2.0);
    auto resolved = ResolveOptions(ps, o);
    ASSERT_TRUE(resolved.ok());
    Agglomeration engine(ps, *resolved);
    const auto one = engine.SimulateRange(0, 12, 1);
    const auto four = engine.SimulateRange(0, 12, 4);
    EXPECT_TRUE(Same(one, four));
    const auto tail = engine.SimulateRange(5, 12, 2);
    EXPECT_TRUE(Same(std::vector<double>(one.begin() + 5 * 11, one.end()), tail));
    EXPECT_FALSE(Same(std::vector<double>(one.begin(), one.begin() + 11),
                      std::vector<double>(one.begin() + 11, one.begin() + 22)));
    // Another seed, other curves.
    AgglomerationOptions other = *resolved;
    other.seed = 78;
    Agglomeration engine2(ps, other);
    EXPECT_FALSE(Same(engine2.SimulateRange(0, 2, 1), std::vector<double>(one.begin(), one.begin() + 22)));
  }
}

TEST(Points, CsvErrorsNameTheRow) {
  const fs::path path = fs::temp_directory_path() / fmt::format("cs_points_{}.csv", ::getpid());
  {
    std::ofstream out(path);
    out << "x,y,type,weight\n1,2,a,3\n1,zz,a,1\n";
  }
  auto ps = LoadPointsCsv(path.string());
  ASSERT_FALSE(ps.ok());
  EXPECT_NE(ps.status().message().find("row 3"), std::string::npos) << ps.status().message();
  fs::remove(path);
}

TEST(Distances, GreatCircle) {
  // Beijing (116.40, 39.90) to Shanghai (121.47, 31.23): about 1,068 km.
  EXPECT_NEAR(GreatCircleKm(116.40, 39.90, 121.47, 31.23), 1067.5, 3);
  EXPECT_NEAR(GreatCircleKm(100, 30, 100, 31), 111.19, 0.05);
}

}  // namespace
}  // namespace clusterscope::place
