// Distance-based agglomeration: Duranton–Overman Kd (as dbmss Kdhat, Original) and Marcon–Puech
// M over points, with random-labelling simulations (place.md, "continuous space").
//
// Speed by design: one uniform grid over every site, built once; a simulation buckets its
// labelled points into the grid's cells (a counting sort) and visits only neighbouring cells;
// Kd bins the pair distances once per simulation and evaluates the kernel on the bins.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "clusterscope/place.h"
#include "core/random.h"

namespace clusterscope::place {
namespace {

constexpr double kEarthKm = 6371.0088;  // mean Earth radius (IUGG)
constexpr double kPi = 3.14159265358979323846;
constexpr uint64_t kLabelStream = 0x504C414345ULL;  // "PLACE": the random-labelling stream
// Kd's bins: 2·r_max is split into this many, so a bin is r_max / 2048 wide.
constexpr int kBinsTo2Rmax = 4096;
constexpr size_t kBinFields = 5;  // count, Σd, Σd², Σw, Σw·d
// Kd's grid: cells of 2·r_max / kKdGridReach, each with the cells within 2·r_max of it (BuildGrid):
// finer cells visit fewer pairs beyond the cutoff (a quarter fewer on the national panel than
// cells of 2·r_max), at the cost of shorter runs.
constexpr int64_t kKdGridReach = 2;

double Phi(double z) { return std::exp(-0.5 * z * z) / std::sqrt(2 * kPi); }
double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// asin(x) for 0 ≤ x ≤ 1: the Maclaurin series x Σ a_n x^(2n), a_n = (2n)! / (4^n (n!)² (2n + 1)),
// up to n = 11 where x ≤ 0.25 (distances up to ~3,200 km; the first omitted term is below 1e-15
// relative), std::asin beyond. A third of the time of std::asin, which dominated the pair loop.
constexpr std::array<double, 12> AsinCoefficients() {
  std::array<double, 12> a{};
  double c = 1;  // (2n)! / (4^n (n!)²)
  for (int n = 0; n < 12; ++n) {
    a[static_cast<size_t>(n)] = c / (2 * n + 1);
    c = c * (2 * n + 1) / (2 * n + 2);
  }
  return a;
}
constexpr std::array<double, 12> kAsin = AsinCoefficients();

// The series alone, up to n = kTerms − 1: no branch, so a loop over it vectorises. 12 terms for
// x ≤ 0.25; 6 suffice for x ≤ 0.04 (distances to ~500 km: the first omitted term is below 1e-18
// relative).
template <int kTerms>
inline double AsinSeries(double x) {
  const double x2 = x * x;
  double p = kAsin[kTerms - 1];
  for (int n = kTerms - 2; n >= 0; --n) p = p * x2 + kAsin[static_cast<size_t>(n)];
  return x * p;
}

double Asin(double x) { return x > 0.25 ? std::asin(std::min(1.0, x)) : AsinSeries<12>(x); }

// The Kd's two hot loops are built twice, for any x86-64 and for AVX2 (four doubles a step, not
// two), and the loader picks one for the CPU. AVX2 alone brings no fused multiply-add, and the
// build keeps ISO C++'s no contraction, so both give the same bits (digest of cs_bench_place).
#if defined(__x86_64__) && defined(__GNUC__)
#define CS_HOT_LOOP __attribute__((target_clones("avx2", "default")))
#else
#define CS_HOT_LOOP
#endif

// Great-circle distances from squared chords on the sphere of radius kEarthKm, for chords up to
// 2·kEarthKm·x_max (x_max ≤ 0.25). distance.cpp is compiled with -fno-math-errno so that the
// square roots vectorise along with the series.
CS_HOT_LOOP void ArcsFromChords2(const double* c2, double* d, size_t k, double x_max) {
  constexpr double kInv2R = 1 / (2 * kEarthKm);
  if (x_max <= 0.04) {
    for (size_t i = 0; i < k; ++i) d[i] = 2 * kEarthKm * AsinSeries<6>(std::sqrt(c2[i]) * kInv2R);
  } else {
    for (size_t i = 0; i < k; ++i) d[i] = 2 * kEarthKm * AsinSeries<12>(std::sqrt(c2[i]) * kInv2R);
  }
}

// d2[t] = |a − q_t|², the squared chords from a to a run of n points (x, y, z columns).
CS_HOT_LOOP void SquaredChords(double ax, double ay, double az, const double* x, const double* y, const double* z,
                               size_t n, double* d2) {
  for (size_t t = 0; t < n; ++t) {
    const double dx = ax - x[t], dy = ay - y[t], dz = az - z[t];
    d2[t] = dx * dx + dy * dy + dz * dz;
  }
}

struct Xyz {
  double x, y, z;
};

}  // namespace

double GreatCircleKm(double lon1, double lat1, double lon2, double lat2) {
  const double d2r = kPi / 180;
  const double p1 = lat1 * d2r, p2 = lat2 * d2r, dl = (lon2 - lon1) * d2r;
  const double a = std::sin((p2 - p1) / 2) * std::sin((p2 - p1) / 2) +
                   std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(a)));
}

struct Agglomeration::Impl {
  AgglomerationOptions o;
  bool geodesic = false;
  std::vector<Xyz> p;  // planar: (x, y, 0); geodesic: on the sphere of radius kEarthKm
  // Marks in label order: the reference points first, then the neighbour points (bivariate),
  // then the other sites; `mark_weight` follows the same order. site_of_mark[k] is the observed site.
  std::vector<int32_t> observed_site;
  std::vector<double> mark_weight;
  int64_t n_ref = 0, n_nb = 0;  // n_nb = 0 for the univariate function
  double rmax = 0;
  // Grid: cell side `cell`, cells keyed by integer coordinates; site_cell[s] is a dense cell id.
  double cell = 0;
  std::vector<int32_t> site_cell;
  std::vector<std::vector<int32_t>> cell_neighbours;  // dense ids of the ≤ 27 cells around each
  bool brute = false;                                 // one cell covers everything: all pairs
  double total_pair_weight = 0;                       // Kd: Σ over all pairs of w_i·w_j (or the count)
  double w_all = 0, w_ref_type = 0;                   // M: Σ w over all sites and over the B type

  // Squared straight-line distance (the chord, on the sphere), and the distance it stands for.
  double Dist2(int32_t a, int32_t b) const {
    const Xyz& u = p[static_cast<size_t>(a)];
    const Xyz& v = p[static_cast<size_t>(b)];
    const double dx = u.x - v.x, dy = u.y - v.y, dz = u.z - v.z;
    return dx * dx + dy * dy + dz * dz;
  }
  double FromDist2(double c2) const {
    const double c = std::sqrt(c2);
    if (!geodesic) return c;
    return 2 * kEarthKm * Asin(c / (2 * kEarthKm));
  }
  // The squared chord of a distance: pairs beyond it are dropped before any sqrt or asin.
  double Cutoff2(double d) const {
    if (!geodesic) return d * d;
    const double c = d >= kPi * kEarthKm ? 2 * kEarthKm : 2 * kEarthKm * std::sin(d / (2 * kEarthKm));
    return c * c * (1 + 1e-12);  // a hair wider; the exact test on d follows
  }
  double Dist(int32_t a, int32_t b) const { return FromDist2(Dist2(a, b)); }

  // Cells of side cutoff / reach; a cell's neighbours are the cells within `cutoff` of it (at
  // most (2·reach + 1)³), so every pair within `cutoff` lies in neighbouring cells. Finer cells
  // (reach 2) visit fewer pairs beyond the cutoff, at the cost of shorter runs.
  void BuildGrid(double cutoff, int64_t reach = 1) {
    const double side = cutoff / static_cast<double>(reach);
    cell = side;
    double lo[3] = {std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
                    std::numeric_limits<double>::max()};
    double hi[3] = {-lo[0], -lo[0], -lo[0]};
    for (const Xyz& q : p) {
      const double c[3] = {q.x, q.y, q.z};
      for (int k = 0; k < 3; ++k) {
        lo[k] = std::min(lo[k], c[k]);
        hi[k] = std::max(hi[k], c[k]);
      }
    }
    const double extent = std::max({hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]});
    site_cell.assign(p.size(), 0);
    if (!(side > 0) || side >= extent || p.size() < 64) {
      brute = true;
      cell_neighbours = {{0}};
      return;
    }
    std::unordered_map<uint64_t, int32_t> ids;
    std::vector<std::array<int64_t, 3>> coords;
    const auto key = [](int64_t a, int64_t b, int64_t c) {
      return (static_cast<uint64_t>(a) & 0x1FFFFF) | ((static_cast<uint64_t>(b) & 0x1FFFFF) << 21) |
             ((static_cast<uint64_t>(c) & 0x1FFFFF) << 42);
    };
    for (size_t s = 0; s < p.size(); ++s) {
      const int64_t a = static_cast<int64_t>((p[s].x - lo[0]) / side);
      const int64_t b = static_cast<int64_t>((p[s].y - lo[1]) / side);
      const int64_t c = static_cast<int64_t>((p[s].z - lo[2]) / side);
      auto [it, added] = ids.emplace(key(a, b, c), static_cast<int32_t>(coords.size()));
      if (added) coords.push_back({a, b, c});
      site_cell[s] = it->second;
    }
    cell_neighbours.assign(coords.size(), {});
    // Offsets whose cells come within the cutoff: the gap between two cells is |d| − 1 cells on
    // each axis (none for d = 0 or ±1).
    std::vector<std::array<int64_t, 3>> offsets;
    const auto gap = [](int64_t d) { return std::max<int64_t>(0, std::abs(d) - 1); };
    for (int64_t da = -reach; da <= reach; ++da) {
      for (int64_t db = -reach; db <= reach; ++db) {
        for (int64_t dc = -reach; dc <= reach; ++dc) {
          const int64_t g2 = gap(da) * gap(da) + gap(db) * gap(db) + gap(dc) * gap(dc);
          if (static_cast<double>(g2) * side * side <= cutoff * cutoff * (1 + 1e-9)) offsets.push_back({da, db, dc});
        }
      }
    }
    for (size_t id = 0; id < coords.size(); ++id) {
      for (const auto& [da, db, dc] : offsets) {
        auto it = ids.find(key(coords[id][0] + da, coords[id][1] + db, coords[id][2] + dc));
        if (it != ids.end()) cell_neighbours[id].push_back(it->second);
      }
      std::sort(cell_neighbours[id].begin(), cell_neighbours[id].end());
    }
  }

  // Simulation `index`'s labelling: site_of_mark[k] for the first `marks_needed` marks (every
  // mark when that is all of them), as a Fisher–Yates shuffle of the sites stopped after that
  // many swaps. A few thousand marks among a million sites shuffle a map of the positions
  // touched, not the whole list: the same labelling, without writing every site each time.
  void Permute(int64_t index, std::vector<int32_t>& site_of_mark, size_t marks_needed) const {
    const size_t n = p.size();
    random::Rng rng(o.seed, kLabelStream, static_cast<uint64_t>(index));
    const size_t swaps = std::min(marks_needed, n > 0 ? n - 1 : 0);
    if (marks_needed * 8 >= n) {
      site_of_mark.resize(n);
      std::iota(site_of_mark.begin(), site_of_mark.end(), 0);
      for (size_t k = 0; k < swaps; ++k) {
        const auto j = static_cast<size_t>(rng.Between(static_cast<int64_t>(k), static_cast<int64_t>(n) - 1));
        std::swap(site_of_mark[k], site_of_mark[j]);
      }
      return;
    }
    site_of_mark.resize(marks_needed);
    std::iota(site_of_mark.begin(), site_of_mark.end(), 0);
    std::unordered_map<size_t, int32_t> beyond;  // position ≥ marks_needed → the site there now
    beyond.reserve(2 * marks_needed);
    for (size_t k = 0; k < swaps; ++k) {
      const auto j = static_cast<size_t>(rng.Between(static_cast<int64_t>(k), static_cast<int64_t>(n) - 1));
      if (j < marks_needed) {
        std::swap(site_of_mark[k], site_of_mark[j]);
        continue;
      }
      auto [it, added] = beyond.try_emplace(j, static_cast<int32_t>(j));
      std::swap(site_of_mark[k], it->second);
    }
  }

  // ------------------------------------------------------------ pair enumeration
  // Calls block(a, t0, t1, c2, mw, members) for every run of labelled points that reference mark
  // a is paired with: gathered points t0 … t1−1, c2[t] their squared straight-line distance to a
  // (the chord, on the sphere), mw[t] their weights, members[t] their mark indices. Univariate:
  // unordered pairs among marks [0, n_ref), each once. Bivariate: ref × neighbour.
  template <typename Block>
  void ForPairBlocks(const std::vector<int32_t>& site_of_mark, bool use_grid, Block&& block) const {
    const auto nr = static_cast<size_t>(n_ref), nn = static_cast<size_t>(n_nb);
    const bool bivariate = nn > 0;
    // The labelled points' coordinates and weights, gathered contiguous (the neighbour side in
    // cell order when the grid is used), so the inner loop computes squared distances over a
    // run of memory the compiler vectorises.
    const size_t first = bivariate ? nr : 0, last = bivariate ? nr + nn : nr;
    std::vector<int32_t> members(last - first);  // mark index of each gathered neighbour-side point
    std::vector<int32_t> start;                  // grid: members of cell c are [start[c], start[c+1])
    const bool grid = !(brute || !use_grid);
    if (grid) {
      const size_t ncell = cell_neighbours.size();
      start.assign(ncell + 1, 0);
      for (size_t k = first; k < last; ++k)
        ++start[static_cast<size_t>(site_cell[static_cast<size_t>(site_of_mark[k])]) + 1];
      for (size_t c = 0; c < ncell; ++c) start[c + 1] += start[c];
      std::vector<int32_t> fill(start.begin(), start.end() - 1);
      for (size_t k = first; k < last; ++k) {
        members[static_cast<size_t>(fill[static_cast<size_t>(site_cell[static_cast<size_t>(site_of_mark[k])])]++)] =
            static_cast<int32_t>(k);
      }
    } else {
      std::iota(members.begin(), members.end(), static_cast<int32_t>(first));
    }
    const size_t nm = members.size();
    std::vector<double> mx(nm), my(nm), mz(nm), mw(nm), c2(nm);
    for (size_t t = 0; t < nm; ++t) {
      const auto k = static_cast<size_t>(members[t]);
      const Xyz& q = p[static_cast<size_t>(site_of_mark[k])];
      mx[t] = q.x;
      my[t] = q.y;
      mz[t] = q.z;
      mw[t] = mark_weight[k];
    }
    const auto run = [&](size_t a, size_t t0, size_t t1) {
      const Xyz& q = p[static_cast<size_t>(site_of_mark[a])];
      const double ax = q.x, ay = q.y, az = q.z;
      double* const out = c2.data();
      const double *const px = mx.data(), *const py = my.data(), *const pz = mz.data();
      for (size_t t = t0; t < t1; ++t) {
        const double dx = ax - px[t], dy = ay - py[t], dz = az - pz[t];
        out[t] = dx * dx + dy * dy + dz * dz;
      }
      block(a, t0, t1, static_cast<const double*>(out), static_cast<const double*>(mw.data()),
            static_cast<const int32_t*>(members.data()));
    };
    if (!grid) {
      // Univariate: mark a with the marks after it (members are marks 0 … nr−1 in order).
      for (size_t a = 0; a < nr; ++a) run(a, bivariate ? 0 : a + 1, nm);
      return;
    }
    for (size_t a = 0; a < nr; ++a) {
      const auto ca = static_cast<size_t>(site_cell[static_cast<size_t>(site_of_mark[a])]);
      for (int32_t cb : cell_neighbours[ca]) {
        auto t0 = static_cast<size_t>(start[static_cast<size_t>(cb)]);
        const auto t1 = static_cast<size_t>(start[static_cast<size_t>(cb) + 1]);
        if (!bivariate) {
          // Each unordered pair once: within a cell members ascend by mark, so skip those ≤ a
          // (a binary search: a linear scan costs as much as the pairs in a dense cell).
          t0 = static_cast<size_t>(std::upper_bound(members.begin() + static_cast<std::ptrdiff_t>(t0),
                                                    members.begin() + static_cast<std::ptrdiff_t>(t1),
                                                    static_cast<int32_t>(a)) -
                                   members.begin());
        }
        run(a, t0, t1);
      }
    }
  }

  // Calls fn(d, wa, wb, a, b) for every pair within `cutoff` of the labelled reference (and
  // neighbour) points, in ForPairBlocks' order.
  template <typename Fn>
  void ForPairs(const std::vector<int32_t>& site_of_mark, double cutoff, bool use_grid, Fn&& fn) const {
    const double cut2 = Cutoff2(cutoff);
    ForPairBlocks(site_of_mark, use_grid,
                  [&](size_t a, size_t t0, size_t t1, const double* c2, const double* mw, const int32_t* members) {
                    const double wa = mark_weight[a];
                    for (size_t t = t0; t < t1; ++t) {
                      if (c2[t] > cut2) continue;
                      const double d = FromDist2(c2[t]);
                      if (d <= cutoff) fn(d, wa, mw[t], a, static_cast<size_t>(members[t]));
                    }
                  });
  }

  // The pairs of a run within `cutoff`: Pack() keeps the squared chords c2[t0 … t1) within it
  // (t in `at`, in order) and computes their distances in one pass the compiler vectorises
  // (square root and arcsine series; std::asin only for chords beyond half the radius).
  struct NearPairs {
    NearPairs(const Impl& impl, double cutoff)
        : geodesic(impl.geodesic),
          cut2(impl.Cutoff2(cutoff)),
          x_max(std::sqrt(cut2) / (2 * kEarthKm)),
          series(!geodesic || x_max <= 0.25),
          owner(impl) {}
    size_t Pack(const double* c2, size_t t0, size_t t1) {
      if (chord2.size() < t1 - t0) {
        chord2.resize(t1 - t0);
        dist.resize(t1 - t0);
        at.resize(t1 - t0);
      }
      size_t k = 0;
      for (size_t t = t0; t < t1; ++t) {
        chord2[k] = c2[t];
        at[k] = t;
        k += c2[t] <= cut2 ? 1 : 0;
      }
      Distances(chord2.data(), dist.data(), k);
      return k;
    }
    // The distances of k squared chords within the cutoff's.
    void Distances(const double* in, double* out, size_t k) const {
      if (!series) {
        for (size_t i = 0; i < k; ++i) out[i] = owner.FromDist2(in[i]);
      } else if (geodesic) {
        ArcsFromChords2(in, out, k, x_max);
      } else {
        for (size_t i = 0; i < k; ++i) out[i] = std::sqrt(in[i]);
      }
    }
    const bool geodesic;
    const double cut2, x_max;
    const bool series;
    const Impl& owner;
    std::vector<double> chord2, dist;
    std::vector<size_t> at;
  };

  // The index of the first r ≥ d (std::lower_bound over o.r) for 0 ≤ d ≤ r_max, from a table
  // over 4,096 equal steps of [0, r_max] and a short walk from the answer for the step's lower
  // end (exact whatever the rounding of d · steps).
  struct RIndex {
    explicit RIndex(const std::vector<double>& r) : r_(r), inv_(kSteps / r.back()), first_(kSteps + 1) {
      for (size_t j = 0; j <= kSteps; ++j) {
        first_[j] =
            static_cast<uint32_t>(std::lower_bound(r.begin(), r.end(), static_cast<double>(j) / inv_) - r.begin());
      }
    }
    size_t operator()(double d) const {
      auto k = static_cast<size_t>(first_[std::min(static_cast<size_t>(d * inv_), kSteps)]);
      while (k > 0 && r_[k - 1] >= d) --k;  // d a rounding below its step's lower end
      while (k < r_.size() && r_[k] < d) ++k;
      return k;
    }
    static constexpr size_t kSteps = 4096;
    const std::vector<double>& r_;
    double inv_;
    std::vector<uint32_t> first_;
  };

  // ------------------------------------------------------------ Kd
  // Calls sink(c2, k) with batches of the squared chords (straight-line distances, on the sphere)
  // of every pair of labelled points within √cut2, in no particular order: univariate, the
  // unordered pairs among marks [0, n_ref), each once; bivariate, reference × neighbour. Both
  // sides are sorted by grid cell, and each pair of neighbouring cells is visited once: every
  // point of one against the run of the other, computed and filtered in one pass the compiler
  // vectorises, with no per-pair record of who the points were (what an unweighted Kd needs).
  template <typename Sink>
  void ForNearChords(const std::vector<int32_t>& site_of_mark, bool use_grid, double cut2, Sink&& sink) const {
    const bool bivariate = n_nb > 0;
    const bool grid = use_grid && !brute;
    const size_t ncell = grid ? cell_neighbours.size() : 1;
    // One side of the pairs (marks [first, last)) in cell order: cell c's points are
    // [start[c], start[c + 1]) of x, y, z.
    struct Side {
      std::vector<int32_t> start;
      std::vector<double> x, y, z;
    };
    const auto gather = [&](size_t first, size_t last) {
      Side s;
      const size_t n = last - first;
      s.start.assign(ncell + 1, 0);
      std::vector<int32_t> cell_of(n, 0);
      if (grid) {
        for (size_t k = 0; k < n; ++k) {
          cell_of[k] = site_cell[static_cast<size_t>(site_of_mark[first + k])];
          ++s.start[static_cast<size_t>(cell_of[k]) + 1];
        }
        for (size_t c = 0; c < ncell; ++c) s.start[c + 1] += s.start[c];
      } else {
        s.start[1] = static_cast<int32_t>(n);
      }
      std::vector<int32_t> fill(s.start.begin(), s.start.end() - 1);
      s.x.resize(n);
      s.y.resize(n);
      s.z.resize(n);
      for (size_t k = 0; k < n; ++k) {
        const auto at = static_cast<size_t>(fill[static_cast<size_t>(cell_of[k])]++);
        const Xyz& q = p[static_cast<size_t>(site_of_mark[first + k])];
        s.x[at] = q.x;
        s.y[at] = q.y;
        s.z[at] = q.z;
      }
      return s;
    };
    const auto nr = static_cast<size_t>(n_ref), nn = static_cast<size_t>(n_nb);
    const Side ref = gather(0, nr);
    const Side nb_side = bivariate ? gather(nr, nr + nn) : Side{};
    const Side& other = bivariate ? nb_side : ref;
    // Chords are packed into `c2` and handed on once kFlush are waiting; a run adds at most the
    // other side's size.
    constexpr size_t kFlush = 4096;
    std::vector<double> c2(kFlush + other.x.size() + 1);
    size_t k = 0;
    double* const out = c2.data();
    const double *const px = other.x.data(), *const py = other.y.data(), *const pz = other.z.data();
    // A run's chords are computed first (SquaredChords: vectorised), then those within the
    // cutoff packed: together the packing's data-dependent store would keep both scalar.
    std::vector<double> run_chords(other.x.size() + 1);
    double* const all = run_chords.data();
    const auto run = [&](size_t i, size_t t0, size_t t1) {
      const size_t n = t1 - t0;
      SquaredChords(ref.x[i], ref.y[i], ref.z[i], px + t0, py + t0, pz + t0, n, all);
      size_t w = k;
      for (size_t t = 0; t < n; ++t) {
        out[w] = all[t];
        w += all[t] <= cut2 ? 1 : 0;
      }
      k = w;
      if (k >= kFlush) {
        sink(static_cast<const double*>(out), k);
        k = 0;
      }
    };
    const std::vector<int32_t> one_cell{0};
    for (size_t ca = 0; ca < ncell; ++ca) {
      const auto a0 = static_cast<size_t>(ref.start[ca]), a1 = static_cast<size_t>(ref.start[ca + 1]);
      if (a0 == a1) continue;
      for (const int32_t cb_id : grid ? cell_neighbours[ca] : one_cell) {
        const auto cb = static_cast<size_t>(cb_id);
        if (!bivariate && cb < ca) continue;  // the pair of cells (cb, ca) was visited from cb
        const auto b0 = static_cast<size_t>(other.start[cb]), b1 = static_cast<size_t>(other.start[cb + 1]);
        if (b0 == b1) continue;
        for (size_t i = a0; i < a1; ++i) run(i, !bivariate && cb == ca ? i + 1 : b0, b1);
      }
    }
    if (k > 0) sink(static_cast<const double*>(out), k);
  }

  // Unweighted Kd's pair counts (every weight is 1): per bin the count and Σd, and Σd and Σd²
  // over the bins below 2·r_max. The sums are kept in fixed point (integers), so they are exact
  // and do not depend on the order the pairs come in: d is rounded to a step of 2^−s with s as
  // large as lets no sum overflow (about 10⁻⁸ km for 10,000 points and 400 km). The pairs come
  // in batches (ForNearChords), already within the cutoff's chord.
  void CountUnweighted(const std::vector<int32_t>& site_of_mark, double cutoff, bool use_grid, size_t nb,
                       std::vector<double>& nbin, std::vector<double>& dbin, double& sum, double& sum2,
                       double& m) const {
    const double delta = 2 * rmax / kBinsTo2Rmax;
    const double inv = 1 / delta, two_rmax = 2 * rmax;
    const double max_pairs = std::max(1.0, n_nb > 0 ? static_cast<double>(n_ref) * static_cast<double>(n_nb)
                                                    : static_cast<double>(n_ref) * static_cast<double>(n_ref - 1) / 2);
    // 2^62 bounds every sum: max_pairs · cutoff · scale ≤ 2^62 (and the same for d²).
    const double scale = std::ldexp(1.0, static_cast<int>(std::floor(62 - std::log2(max_pairs * cutoff))));
    const double scale2 = std::ldexp(1.0, static_cast<int>(std::floor(62 - std::log2(max_pairs * cutoff * cutoff))));
    // Per bin its count and Σd side by side: one cache line an update.
    std::vector<std::array<int64_t, 2>> bins(nb, {0, 0});
    int64_t d2sum = 0;
    NearPairs near(*this, cutoff);
    std::vector<double> dist(4096);
    ForNearChords(site_of_mark, use_grid, near.cut2, [&](const double* c2, size_t k) {
      if (dist.size() < k) dist.resize(k);
      near.Distances(c2, dist.data(), k);
      // Locals, not the captured references: the stores into the bins would otherwise make every
      // captured value be read again from memory.
      std::array<int64_t, 2>* const bin = bins.data();
      const double* const d_of = dist.data();
      const double cut = cutoff, sc = scale, sc2 = scale2;
      const size_t last_bin = nb - 1;
      int64_t d2 = 0;
      for (size_t i = 0; i < k; ++i) {
        const double d = d_of[i];
        if (d > cut) continue;
        size_t b = std::min(static_cast<size_t>(d * inv), last_bin);
        if (d <= two_rmax && b >= static_cast<size_t>(kBinsTo2Rmax)) b = kBinsTo2Rmax - 1;
        ++bin[b][0];
        // d ≥ 0, so adding ½ and truncating rounds; std::lround would cost a call a pair.
        bin[b][1] += static_cast<int64_t>(d * sc + 0.5);  // NOLINT(bugprone-incorrect-roundings)
        if (b < static_cast<size_t>(kBinsTo2Rmax)) {
          d2 += static_cast<int64_t>(d * d * sc2 + 0.5);  // NOLINT(bugprone-incorrect-roundings)
        }
      }
      d2sum += d2;
    });
    int64_t dtotal = 0, mtotal = 0;
    for (size_t b = 0; b < nb; ++b) {
      const auto [c, ds] = bins[b];
      nbin[b] = static_cast<double>(c);
      dbin[b] = static_cast<double>(ds) / scale;
      if (b < static_cast<size_t>(kBinsTo2Rmax)) {
        dtotal += ds;
        mtotal += c;
      }
    }
    m = static_cast<double>(mtotal);
    sum = static_cast<double>(dtotal) / scale;
    sum2 = static_cast<double>(d2sum) / scale2;
  }

  Curve Kd(const std::vector<int32_t>& site_of_mark) const {
    const double delta = 2 * rmax / kBinsTo2Rmax;
    const double cutoff0 = 2 * rmax;  // the grid finds every pair within 2·r_max (BuildGrid)
    // Per bin, interleaved (one cache line a pair): count, Σd, Σd², Σw, Σw·d. A distance of
    // exactly 2·r_max goes to the last bin below it, so bins < kBinsTo2Rmax hold every d ≤ 2·r_max.
    std::vector<double> bins;
    std::vector<double> wbin, nbin, dbin;  // weight, count and mean distance of each bin
    double sum = 0, sum2 = 0, m = 0;
    const auto count = [&](double cutoff, bool use_grid) {
      const auto nb =
          std::max(static_cast<size_t>(std::ceil(cutoff / delta)) + 1, static_cast<size_t>(kBinsTo2Rmax) + 1);
      wbin.assign(nb, 0.0);
      nbin.assign(nb, 0.0);
      dbin.assign(nb, 0.0);
      sum = sum2 = m = 0;
      if (!o.weighted) {
        CountUnweighted(site_of_mark, cutoff, use_grid, nb, nbin, dbin, sum, sum2, m);
        wbin = nbin;
        return;
      }
      bins.assign(nb * kBinFields, 0.0);
      double* const out = bins.data();
      const double inv = 1 / delta, two_rmax = 2 * rmax;
      ForPairs(site_of_mark, cutoff, use_grid,
               [out, inv, two_rmax, nb](double d, double wa, double wb, size_t, size_t) {
                 size_t b = std::min(static_cast<size_t>(d * inv), nb - 1);
                 if (d <= two_rmax && b >= static_cast<size_t>(kBinsTo2Rmax)) b = kBinsTo2Rmax - 1;
                 const double w = wa * wb;
                 double* e = out + b * kBinFields;
                 e[0] += 1.0;
                 e[1] += d;
                 e[2] += d * d;
                 e[3] += w;
                 e[4] += w * d;
               });
      for (size_t k = 0; k < nb; ++k) {
        const double* e = out + k * kBinFields;
        nbin[k] = e[0];
        wbin[k] = e[3];
        dbin[k] = e[4];
        if (k < static_cast<size_t>(kBinsTo2Rmax)) {
          m += e[0];
          sum += e[1];
          sum2 += e[2];
        }
      }
    };
    count(cutoff0, true);
    Curve c;
    c.value.assign(o.r.size(), std::numeric_limits<double>::quiet_NaN());
    if (m < 2) return c;
    // bw.nrd0 over the distances up to 2·r_max: 0.9·min(sd, IQR/1.34)·m^(−1/5); the quartiles
    // (R's type 7) read from the bins, interpolated within the bin.
    const double mean = sum / m;
    const double sd = std::sqrt(std::max(0.0, (sum2 - m * mean * mean) / (m - 1)));
    // The j-th order statistic (0-based) of the distances ≤ 2·r_max, placed evenly inside its bin;
    // R's type-7 quantile interpolates between two of them, as quantile() does on the exact values.
    const auto order_stat = [&](double j) {
      double cum = 0;
      const auto nb2 = static_cast<size_t>(kBinsTo2Rmax);
      for (size_t b = 0; b < nbin.size() && b < nb2; ++b) {
        if (cum + nbin[b] > j) return (static_cast<double>(b) + (j - cum + 0.5) / nbin[b]) * delta;
        cum += nbin[b];
      }
      return 2 * rmax;
    };
    const auto quantile = [&](double prob) {
      const double hq = (m - 1) * prob;
      const double lo_j = std::floor(hq);
      const double x0 = order_stat(lo_j);
      return lo_j + 1 <= m - 1 ? x0 + (hq - lo_j) * (order_stat(lo_j + 1) - x0) : x0;
    };
    const double iqr = quantile(0.75) - quantile(0.25);
    double lo = std::min(sd, iqr / 1.34);
    if (!(lo > 0)) lo = sd;
    if (!(lo > 0)) lo = 1.0;
    const double h = 0.9 * lo * std::pow(m, -0.2);
    c.bandwidth = h;
    // Pairs up to r_max + 8h reach the curve (the kernel is below 1e-14 beyond 8h); beyond
    // 2·r_max only when h > r_max/8, which takes few pairs: then count every pair again.
    if (rmax + 8 * h > cutoff0) count(rmax + 8 * h, false);
    // Each bin's mass sits at its pairs' weighted mean distance (not the bin's centre): exact for
    // a bin of one distance, and within a fraction of the bin width otherwise.
    for (size_t b = 0; b < wbin.size(); ++b) {
      dbin[b] = wbin[b] > 0 ? dbin[b] / wbin[b] : (static_cast<double>(b) + 0.5) * delta;
    }
    double denom = total_pair_weight;
    if (o.reflect) {
      // dbmss divides by 1 − (mass left below 0 once the mirrored copies are added); with the
      // copies' own mass this leaves Σ over the unreflected pairs of w·Φ(−d/h) (place.md).
      for (size_t b = 0; b < wbin.size(); ++b) {
        const double d = dbin[b];
        if (d > 4 * h && wbin[b] > 0) denom -= wbin[b] * NormalCdf(-d / h);
      }
    }
    for (size_t k = 0; k < o.r.size(); ++k) {
      const double r = o.r[k];
      const auto b0 = static_cast<size_t>(std::max(0.0, std::floor((r - 8 * h) / delta)));
      const auto b1 = std::min(wbin.size(), static_cast<size_t>(std::ceil((r + 8 * h) / delta)) + 1);
      double s = 0;
      for (size_t b = b0; b < b1; ++b) {
        if (wbin[b] == 0) continue;
        const double d = dbin[b];
        s += wbin[b] * Phi((r - d) / h);
        if (o.reflect && d <= 4 * h) s += wbin[b] * Phi((r + d) / h);
      }
      c.value[k] = s / h / denom;
    }
    return c;
  }

  // ------------------------------------------------------------ M
  // Unweighted M: the denominator of a point's local ratio (how many sites lie within r of it)
  // does not depend on the labels, so it is counted once per site (site_within, built in the
  // constructor); a simulation then only counts the pairs between its labelled points, through
  // the grid as Kd does.
  std::vector<uint32_t> site_within;  // [site × r.size() + k]: other sites within ≤ r_k

  Curve MUnweighted(const std::vector<int32_t>& site_of_mark) const {
    const auto nr = static_cast<size_t>(n_ref);
    const bool bivariate = n_nb > 0;
    const size_t nk = o.r.size();
    std::vector<double> hits(nr * nk, 0.0);  // hits[a·nk + k]: B-marks at distance in (r_{k−1}, r_k]
    NearPairs near(*this, rmax);
    const RIndex index(o.r);
    ForPairBlocks(site_of_mark, true,
                  [&](size_t a, size_t t0, size_t t1, const double* c2, const double*, const int32_t* members) {
                    const size_t n_near = near.Pack(c2, t0, t1);
                    double* const h = hits.data();
                    const double cut = rmax;
                    for (size_t i = 0; i < n_near; ++i) {
                      const double d = near.dist[i];
                      if (d > cut) continue;
                      const size_t k = index(d);
                      h[a * nk + k] += 1;
                      // Each unordered pair counts for both ends.
                      if (!bivariate) h[static_cast<size_t>(members[near.at[i]]) * nk + k] += 1;
                    }
                  });
    const auto n = static_cast<double>(p.size());
    const double nb_total = static_cast<double>(bivariate ? n_nb : n_ref);
    std::vector<double> sum_local(nk, 0.0), sum_global(nk, 0.0);
    for (size_t a = 0; a < nr; ++a) {
      const auto site = static_cast<size_t>(site_of_mark[a]);
      const double global = (nb_total - (bivariate ? 0.0 : 1.0)) / (n - 1);
      double cum = 0;
      for (size_t k = 0; k < nk; ++k) {
        cum += hits[a * nk + k];
        const uint32_t all = site_within[site * nk + k];
        if (all > 0) {
          sum_local[k] += cum / all;
          sum_global[k] += global;
        }
      }
    }
    Curve c;
    c.value.resize(nk);
    for (size_t k = 0; k < nk; ++k) {
      c.value[k] = sum_global[k] > 0 ? sum_local[k] / sum_global[k] : std::numeric_limits<double>::quiet_NaN();
    }
    return c;
  }

  void BuildSiteWithin() {
    const size_t n = p.size(), nk = o.r.size();
    site_within.assign(n * nk, 0);
    // The sites' coordinates in cell order, contiguous, for a vectorised inner loop; counts are
    // integers, so the sites can be shared among threads in any order with the same result.
    const size_t ncell = cell_neighbours.size();
    std::vector<size_t> cstart(ncell + 1, 0);
    for (size_t c = 0; c < ncell; ++c) cstart[c + 1] = cstart[c] + (brute ? n : cell_sites[c].size());
    std::vector<double> cx(cstart[ncell]), cy(cstart[ncell]), cz(cstart[ncell]);
    std::vector<int32_t> cid(cstart[ncell]);
    for (size_t c = 0; c < ncell; ++c) {
      for (size_t t = 0; t < cstart[c + 1] - cstart[c]; ++t) {
        const auto s_id = brute ? static_cast<int32_t>(t) : cell_sites[c][t];
        const Xyz& q = p[static_cast<size_t>(s_id)];
        cx[cstart[c] + t] = q.x;
        cy[cstart[c] + t] = q.y;
        cz[cstart[c] + t] = q.z;
        cid[cstart[c] + t] = s_id;
      }
    }
    std::atomic<size_t> next{0};
    const RIndex index(o.r);
    const auto work = [&] {
      std::vector<double> c2;
      NearPairs near(*this, rmax);
      for (size_t a; (a = next.fetch_add(1)) < n;) {
        uint32_t* row = site_within.data() + a * nk;
        const Xyz& q = p[a];
        const size_t own = brute ? 0 : static_cast<size_t>(site_cell[a]);
        for (int32_t cb : cell_neighbours[own]) {
          const size_t t0 = cstart[static_cast<size_t>(cb)], t1 = cstart[static_cast<size_t>(cb) + 1];
          c2.resize(t1 - t0);
          double* out = c2.data();
          for (size_t t = t0; t < t1; ++t) {
            const double dx = q.x - cx[t], dy = q.y - cy[t], dz = q.z - cz[t];
            out[t - t0] = dx * dx + dy * dy + dz * dz;
          }
          const size_t n_near = near.Pack(out, 0, t1 - t0);
          for (size_t i = 0; i < n_near; ++i) {
            const double d = near.dist[i];
            if (d > rmax || cid[t0 + near.at[i]] == static_cast<int32_t>(a)) continue;
            ++row[index(d)];
          }
        }
        for (size_t k = 1; k < nk; ++k) row[k] += row[k - 1];
      }
    };
    const unsigned threads =
        o.threads > 0 ? static_cast<unsigned>(o.threads) : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (unsigned k = 1; k < threads; ++k) pool.emplace_back(work);
    work();
    for (auto& th : pool) th.join();
  }

  Curve M(const std::vector<int32_t>& site_of_mark) const {
    if (!o.weighted) return MUnweighted(site_of_mark);
    const size_t n = p.size();
    const auto nr = static_cast<size_t>(n_ref);
    const bool bivariate = n_nb > 0;
    // Per site: the weight and whether it carries the neighbour type.
    std::vector<double> w(n);
    std::vector<uint8_t> is_b(n, 0);
    for (size_t k = 0; k < n; ++k) {
      const auto s = static_cast<size_t>(site_of_mark[k]);
      w[s] = mark_weight[k];
      is_b[s] = bivariate ? (k >= nr && k < nr + static_cast<size_t>(n_nb)) : (k < nr);
    }
    const size_t nk = o.r.size();
    std::vector<double> num(nk, 0.0), den(nk, 0.0), gb(nk), ga(nk);
    std::vector<double> sum_local(nk, 0.0), sum_global(nk, 0.0);
    for (size_t a = 0; a < nr; ++a) {
      const int32_t sa = site_of_mark[a];
      std::fill(gb.begin(), gb.end(), 0.0);
      std::fill(ga.begin(), ga.end(), 0.0);
      std::vector<uint8_t> any(nk, 0);
      const auto visit = [&](int32_t sb) {
        if (sb == sa) return;
        const double d = Dist(sa, sb);
        if (d > rmax) return;
        const auto k = static_cast<size_t>(std::lower_bound(o.r.begin(), o.r.end(), d) - o.r.begin());
        const auto u = static_cast<size_t>(sb);
        ga[k] += w[u];
        if (is_b[u]) gb[k] += w[u];
        any[k] = 1;
      };
      if (!nb_start.empty()) {
        // The precomputed neighbourhood of the site: same sites, same order as the visit below.
        for (int64_t t = nb_start[static_cast<size_t>(sa)]; t < nb_start[static_cast<size_t>(sa) + 1]; ++t) {
          const auto u = static_cast<size_t>(nb_site[static_cast<size_t>(t)]);
          const auto k = static_cast<size_t>(nb_k[static_cast<size_t>(t)]);
          ga[k] += w[u];
          if (is_b[u]) gb[k] += w[u];
          any[k] = 1;
        }
      } else if (brute) {
        for (size_t s = 0; s < n; ++s) visit(static_cast<int32_t>(s));
      } else {
        for (int32_t cb : cell_neighbours[static_cast<size_t>(site_cell[static_cast<size_t>(sa)])]) {
          for (int32_t s : cell_sites[static_cast<size_t>(cb)]) visit(s);
        }
      }
      const double wa = w[static_cast<size_t>(sa)];
      const double global = (w_ref_type - (is_b[static_cast<size_t>(sa)] ? wa : 0.0)) / (w_all - wa);
      double cb_sum = 0, ca_sum = 0;
      bool has = false;
      for (size_t k = 0; k < nk; ++k) {
        cb_sum += gb[k];
        ca_sum += ga[k];
        has = has || any[k];
        if (has && ca_sum > 0) {
          sum_local[k] += cb_sum / ca_sum;
          sum_global[k] += global;
        }
      }
    }
    Curve c;
    c.value.resize(nk);
    for (size_t k = 0; k < nk; ++k) {
      c.value[k] = sum_global[k] > 0 ? sum_local[k] / sum_global[k] : std::numeric_limits<double>::quiet_NaN();
    }
    return c;
  }
  std::vector<std::vector<int32_t>> cell_sites;  // M: the sites of each cell (fixed)
  // M: every site's neighbours within r_max and the index of the first r ≥ their distance,
  // found once (the sites never move, only their labels): CSR, up to kMaxNeighbours entries.
  static constexpr int64_t kMaxNeighbours = 100'000'000;
  std::vector<int64_t> nb_start;
  std::vector<int32_t> nb_site;
  std::vector<uint16_t> nb_k;

  void BuildNeighbours() {
    if (o.r.size() > 65535) return;
    const size_t n = p.size();
    std::vector<int64_t> start(n + 1, 0);
    const double cut2 = Cutoff2(rmax);
    for (size_t a = 0; a < n; ++a) {
      const auto sa = static_cast<int32_t>(a);
      const auto visit = [&](int32_t sb) {
        if (sb == sa) return;
        const double c2 = Dist2(sa, sb);
        if (c2 > cut2) return;
        const double d = FromDist2(c2);
        if (d > rmax) return;
        nb_site.push_back(sb);
        nb_k.push_back(static_cast<uint16_t>(std::lower_bound(o.r.begin(), o.r.end(), d) - o.r.begin()));
      };
      if (brute) {
        for (size_t s = 0; s < n; ++s) visit(static_cast<int32_t>(s));
      } else {
        for (int32_t cb : cell_neighbours[static_cast<size_t>(site_cell[a])]) {
          for (int32_t s : cell_sites[static_cast<size_t>(cb)]) visit(s);
        }
      }
      if (static_cast<int64_t>(nb_site.size()) > kMaxNeighbours) {
        nb_site = {};
        nb_k = {};
        return;  // too many: each simulation searches the grid instead
      }
      start[a + 1] = static_cast<int64_t>(nb_site.size());
    }
    nb_start = std::move(start);
  }

  Curve Evaluate(const std::vector<int32_t>& site_of_mark) const {
    return o.function == Function::kKd ? Kd(site_of_mark) : M(site_of_mark);
  }
};

Agglomeration::Agglomeration(const PointSet& points, const AgglomerationOptions& options) : impl_(new Impl) {
  Impl& m = *impl_;
  m.o = options;
  m.geodesic = points.geodesic;
  const size_t n = points.size();
  m.p.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (points.geodesic) {
      const double lon = points.x[i] * kPi / 180, lat = points.y[i] * kPi / 180;
      m.p[i] = {kEarthKm * std::cos(lat) * std::cos(lon), kEarthKm * std::cos(lat) * std::sin(lon),
                kEarthKm * std::sin(lat)};
    } else {
      m.p[i] = {points.x[i], points.y[i], 0.0};
    }
  }
  const bool bivariate = options.neighbour != options.reference;
  std::vector<int32_t> order;
  for (size_t i = 0; i < n; ++i) {
    if (points.type[i] == options.reference) order.push_back(static_cast<int32_t>(i));
  }
  m.n_ref = static_cast<int64_t>(order.size());
  if (bivariate) {
    for (size_t i = 0; i < n; ++i) {
      if (points.type[i] == options.neighbour) order.push_back(static_cast<int32_t>(i));
    }
    m.n_nb = static_cast<int64_t>(order.size()) - m.n_ref;
  }
  for (size_t i = 0; i < n; ++i) {
    if (points.type[i] != options.reference && !(bivariate && points.type[i] == options.neighbour)) {
      order.push_back(static_cast<int32_t>(i));
    }
  }
  m.observed_site = order;
  m.mark_weight.resize(n);
  for (size_t k = 0; k < n; ++k) {
    m.mark_weight[k] = options.weighted ? points.weight[static_cast<size_t>(order[k])] : 1.0;
  }
  m.rmax = options.r.empty() ? 0 : options.r.back();
  if (options.function == Function::kKd) {
    m.BuildGrid(2 * m.rmax, kKdGridReach);
    double s1 = 0, s2 = 0, sb = 0;
    for (int64_t k = 0; k < m.n_ref; ++k) {
      s1 += m.mark_weight[static_cast<size_t>(k)];
      s2 += m.mark_weight[static_cast<size_t>(k)] * m.mark_weight[static_cast<size_t>(k)];
    }
    for (int64_t k = m.n_ref; k < m.n_ref + m.n_nb; ++k) sb += m.mark_weight[static_cast<size_t>(k)];
    m.total_pair_weight = bivariate ? s1 * sb : (s1 * s1 - s2) / 2;
  } else {
    m.BuildGrid(m.rmax);
    m.cell_sites.assign(m.cell_neighbours.size(), {});
    for (size_t s = 0; s < n; ++s) m.cell_sites[static_cast<size_t>(m.site_cell[s])].push_back(static_cast<int32_t>(s));
    if (options.weighted) {
      m.BuildNeighbours();
    } else {
      m.BuildSiteWithin();
    }
    for (size_t k = 0; k < n; ++k) {
      m.w_all += m.mark_weight[k];
      const bool b = bivariate ? (static_cast<int64_t>(k) >= m.n_ref && static_cast<int64_t>(k) < m.n_ref + m.n_nb)
                               : static_cast<int64_t>(k) < m.n_ref;
      if (b) m.w_ref_type += m.mark_weight[k];
    }
  }
}

Agglomeration::~Agglomeration() { delete impl_; }

Observation Agglomeration::Observed() const {
  Observation ob;
  ob.r = impl_->o.r;
  ob.curve = impl_->Evaluate(impl_->observed_site);
  ob.n_reference = impl_->n_ref;
  ob.n_neighbour = impl_->n_nb > 0 ? impl_->n_nb : impl_->n_ref;
  ob.sites = static_cast<int64_t>(impl_->p.size());
  ob.pairs = impl_->total_pair_weight;
  return ob;
}

Curve Agglomeration::Simulate(int64_t index) const {
  std::vector<int32_t> site_of_mark;
  const size_t needed =
      impl_->o.function == Function::kKd ? static_cast<size_t>(impl_->n_ref + impl_->n_nb) : impl_->p.size();
  impl_->Permute(index, site_of_mark, needed);
  return impl_->Evaluate(site_of_mark);
}

std::vector<double> Agglomeration::SimulateRange(int64_t first, int64_t last, int threads) const {
  const size_t nk = impl_->o.r.size();
  std::vector<double> out(static_cast<size_t>(std::max<int64_t>(0, last - first)) * nk);
  std::atomic<int64_t> next{first};
  const auto work = [&] {
    for (int64_t i; (i = next.fetch_add(1)) < last;) {
      Curve c = Simulate(i);
      std::copy(c.value.begin(), c.value.end(),
                out.begin() + static_cast<std::ptrdiff_t>((i - first) * static_cast<int64_t>(nk)));
    }
  };
  unsigned t = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  t = std::min<unsigned>(t, static_cast<unsigned>(std::max<int64_t>(1, last - first)));
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  return out;
}

// ---------------------------------------------------------------- options

Result<AgglomerationOptions> ResolveOptions(const PointSet& points, AgglomerationOptions o) {
  const auto types = static_cast<int32_t>(points.type_names.size());
  if (o.reference < 0 || o.reference >= types || o.neighbour < 0 || o.neighbour >= types) {
    return Status::InvalidInput("the point type asked for does not occur in the points");
  }
  int64_t na = 0, nb = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    na += points.type[i] == o.reference;
    nb += points.type[i] == o.neighbour;
  }
  const bool bivariate = o.reference != o.neighbour;
  if (na < (bivariate ? 1 : 2) || nb < 1) {
    return Status::InvalidInput("too few points of type \"" + points.type_names[static_cast<size_t>(o.reference)] +
                                "\" (" + std::to_string(na) + ") for a distance function");
  }
  if (o.sims < 0) return Status::InvalidInput("--sims must be ≥ 0");
  if (!(o.level > 0 && o.level < 0.5)) return Status::InvalidInput("--level must lie in (0, 0.5)");
  if (o.weighted) {
    for (size_t i = 0; i < points.size(); ++i) {
      if (!(points.weight[i] >= 0) || !std::isfinite(points.weight[i])) {
        return Status::InvalidInput("point " + std::to_string(i + 1) + " has a negative or missing weight");
      }
    }
  }
  if (o.r.empty()) {
    // 0 … the median distance between reference points (Duranton–Overman's range), 64 steps:
    // the median read from a 65,536-bin histogram of every pair's distance.
    std::vector<int32_t> ref;
    for (size_t i = 0; i < points.size(); ++i) {
      if (points.type[i] == o.reference) ref.push_back(static_cast<int32_t>(i));
    }
    const auto dist = [&](int32_t a, int32_t b) {
      const auto u = static_cast<size_t>(a), v = static_cast<size_t>(b);
      if (points.geodesic) return GreatCircleKm(points.x[u], points.y[u], points.x[v], points.y[v]);
      return std::hypot(points.x[u] - points.x[v], points.y[u] - points.y[v]);
    };
    double dmax = 0;
    for (size_t a = 0; a < ref.size(); ++a) {
      for (size_t b = a + 1; b < ref.size(); ++b) dmax = std::max(dmax, dist(ref[a], ref[b]));
    }
    if (!(dmax > 0)) return Status::InvalidInput("every point of the type lies at the same place");
    constexpr size_t kBins = 65536;
    std::vector<int64_t> hist(kBins, 0);
    int64_t pairs = 0;
    for (size_t a = 0; a < ref.size(); ++a) {
      for (size_t b = a + 1; b < ref.size(); ++b) {
        ++hist[std::min(kBins - 1, static_cast<size_t>(dist(ref[a], ref[b]) / dmax * kBins))];
        ++pairs;
      }
    }
    int64_t cum = 0;
    double median = dmax;
    for (size_t b = 0; b < kBins; ++b) {
      cum += hist[b];
      if (2 * cum >= pairs) {
        median = (static_cast<double>(b) + 1) * dmax / kBins;
        break;
      }
    }
    for (int k = 0; k <= 64; ++k) o.r.push_back(median * k / 64);
  }
  for (size_t k = 0; k < o.r.size(); ++k) {
    if (!(o.r[k] >= 0) || (k > 0 && !(o.r[k] > o.r[k - 1]))) {
      return Status::InvalidInput("distances must be ≥ 0 and strictly increasing");
    }
  }
  if (!(o.r.back() > 0)) return Status::InvalidInput("the largest distance must be > 0");
  return o;
}

// ---------------------------------------------------------------- brute force and Ripley

Curve KdExact(const PointSet& points, const AgglomerationOptions& o) {
  std::vector<double> d, w;
  const bool bivariate = o.reference != o.neighbour;
  const auto dist = [&](size_t u, size_t v) {
    if (points.geodesic) return GreatCircleKm(points.x[u], points.y[u], points.x[v], points.y[v]);
    return std::hypot(points.x[u] - points.x[v], points.y[u] - points.y[v]);
  };
  for (size_t a = 0; a < points.size(); ++a) {
    if (points.type[a] != o.reference) continue;
    for (size_t b = bivariate ? 0 : a + 1; b < points.size(); ++b) {
      if (points.type[b] != o.neighbour || b == a) continue;
      d.push_back(dist(a, b));
      w.push_back(o.weighted ? points.weight[a] * points.weight[b] : 1.0);
    }
  }
  const double rmax = o.r.back();
  std::vector<double> near;
  for (double x : d) {
    if (x <= 2 * rmax) near.push_back(x);
  }
  Curve c;
  c.value.assign(o.r.size(), std::numeric_limits<double>::quiet_NaN());
  if (near.size() < 2) return c;
  std::sort(near.begin(), near.end());
  const auto q7 = [&](double prob) {
    const double h = static_cast<double>(near.size() - 1) * prob;
    const auto lo = static_cast<size_t>(std::floor(h));
    const double f = h - static_cast<double>(lo);
    return lo + 1 < near.size() ? near[lo] + f * (near[lo + 1] - near[lo]) : near[lo];
  };
  const double m = static_cast<double>(near.size());
  double mean = 0;
  for (double x : near) mean += x;
  mean /= m;
  double ss = 0;
  for (double x : near) ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (m - 1));
  double lo = std::min(sd, (q7(0.75) - q7(0.25)) / 1.34);
  if (!(lo > 0)) lo = sd;
  if (!(lo > 0)) lo = 1.0;
  const double h = 0.9 * lo * std::pow(m, -0.2);
  c.bandwidth = h;
  // The density of the distances and their mirror images, renormalised as dbmss does:
  // f / (1 − mass below 0), both over the set with the mirrored copies.
  double wsum = 0, wrefl = 0, below = 0;
  for (size_t p = 0; p < d.size(); ++p) {
    wsum += w[p];
    below += w[p] * NormalCdf(-d[p] / h);
    if (o.reflect && d[p] <= 4 * h) {
      wrefl += w[p];
      below += w[p] * NormalCdf(d[p] / h);
    }
  }
  const double total = wsum + (o.reflect ? wrefl : 0);
  for (size_t k = 0; k < o.r.size(); ++k) {
    double s = 0;
    for (size_t p = 0; p < d.size(); ++p) {
      s += w[p] * Phi((o.r[k] - d[p]) / h);
      if (o.reflect && d[p] <= 4 * h) s += w[p] * Phi((o.r[k] + d[p]) / h);
    }
    const double f = s / h / total;
    c.value[k] = o.reflect ? f / (1 - below / total) : f;
  }
  return c;
}

std::vector<double> RipleyK(const PointSet& points, const std::vector<double>& r, double area) {
  AgglomerationOptions o;
  o.function = Function::kKd;
  o.r = r;
  Agglomeration engine(points, o);
  // Every point is of type 0 here; count pairs through the engine's own enumeration.
  const Agglomeration::Impl& m = *engine.impl_;
  std::vector<double> counts(r.size(), 0.0);
  m.ForPairs(m.observed_site, r.back(), true, [&](double d, double, double, size_t, size_t) {
    const auto k = static_cast<size_t>(std::lower_bound(r.begin(), r.end(), d) - r.begin());
    if (k < counts.size()) counts[k] += 1;
  });
  const auto n = static_cast<double>(m.n_ref);
  std::vector<double> k_of_r(r.size());
  double cum = 0;
  for (size_t k = 0; k < r.size(); ++k) {
    cum += counts[k];
    k_of_r[k] = area * 2 * cum / (n * (n - 1));
  }
  return k_of_r;
}

}  // namespace clusterscope::place
