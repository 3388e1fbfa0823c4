#include "core/random.h"

#include <algorithm>
#include <cmath>

namespace clusterscope::random {
namespace {

constexpr double kLn2 = 0.69314718055994530942;
// ln 2 split so that k × kLn2Hi is exact for the |k| ≤ 1010 Exp() meets (Cody–Waite reduction).
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;
constexpr double kSqrtHalf = 0.70710678118654752440;

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double Ln(double x) {
  if (!(x > 0.0)) return -745.0;  // callers never pass 0; a finite value keeps arithmetic safe
  int e = 0;
  double m = std::frexp(x, &e);  // x = m · 2^e, m in [0.5, 1): exact
  if (m < kSqrtHalf) {
    m *= 2.0;
    --e;
  }
  // m in [0.707, 1.414): ln m = 2 atanh(f) = 2 (f + f³/3 + f⁵/5 + …), f = (m−1)/(m+1), |f| < 0.172.
  const double f = (m - 1.0) / (m + 1.0);
  const double s = f * f;
  double p = 0.0;
  for (int k = 12; k >= 0; --k) p = p * s + 1.0 / static_cast<double>(2 * k + 1);
  return static_cast<double>(e) * kLn2 + 2.0 * f * p;
}

double Exp(double x) {
  if (x < -700.0) return 0.0;
  if (x > 700.0) x = 700.0;
  // x = k ln2 + r, |r| ≤ ln2 / 2; e^x = 2^k e^r with e^r from its Taylor series (13 terms: the
  // first omitted one is below 1e-17 relative).
  const double k = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0;
  for (int i = 13; i >= 1; --i) p = 1.0 + r * p / static_cast<double>(i);
  return std::ldexp(p, static_cast<int>(k));
}

double Pow(double base, double exponent) { return Exp(exponent * Ln(base)); }

Rng::Rng(uint64_t seed, uint64_t stream, uint64_t index) {
  // Mix the three inputs through splitmix64 so that neighbouring indices give unrelated states.
  uint64_t state = seed;
  uint64_t a = SplitMix64(state);
  state = a ^ (stream * 0xD1B54A32D192ED03ULL);
  uint64_t b = SplitMix64(state);
  state = b ^ (index * 0x8CB92BA72F3D8DD7ULL);
  for (uint64_t& word : s_) word = SplitMix64(state);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the one state xoshiro cannot leave
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }

int64_t Rng::Between(int64_t lo, int64_t hi) {
  // The modulo bias is below 2^-40 for the small ranges used here.
  const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(Next() % span);
}

bool Rng::Chance(double p) { return Uniform() < p; }

double Rng::Normal() {
  // Marsaglia's polar method: needs only ln and √, both exact-everywhere here. The second value
  // of each pair is dropped to keep the stream's state simple.
  for (;;) {
    const double u = 2.0 * Uniform() - 1.0;
    const double v = 2.0 * Uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * Ln(s) / s);
  }
}

double Rng::Normal(double mean, double sd) { return mean + sd * Normal(); }

double Rng::LogNormal(double median, double sigma) { return median * Exp(sigma * Normal()); }

int64_t Rng::Poisson(double mean) {
  if (mean <= 0.0) return 0;
  if (mean < 30.0) {
    const double limit = Exp(-mean);
    int64_t k = 0;
    double p = Uniform();
    while (p > limit) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  const double x = std::floor(mean + std::sqrt(mean) * Normal() + 0.5);
  return x < 0.0 ? 0 : static_cast<int64_t>(x);
}

size_t Rng::Weighted(std::span<const double> weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  double target = Uniform() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (target < weights[i]) return i;
    target -= weights[i];
  }
  // Rounding can leave the target just past the end: take the last positive weight.
  for (size_t i = weights.size(); i-- > 0;) {
    if (weights[i] > 0.0) return i;
  }
  return 0;
}

size_t PickCumulative(std::span<const double> cumulative, double uniform01) {
  const double target = uniform01 * cumulative.back();
  auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  if (it == cumulative.end()) --it;
  return static_cast<size_t>(it - cumulative.begin());
}

}  // namespace clusterscope::random
