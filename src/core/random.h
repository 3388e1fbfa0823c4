// Randomness that is the same on every machine, shared by the synthetic data set (synth/) and the
// Monte Carlo simulations of place/. Both must be byte-identical for a seed everywhere, so nothing here comes from the
// standard library's engines or distributions (whose algorithms are unspecified and differ between libstdc++, libc++
// and MSVC) or from libm's exp/log/cos (correct only to an ulp or so, and not the same ulp on every platform).
// Everything is built from integer operations and the IEEE-754 basic operations + − × ÷ √, which are correctly rounded
// and therefore identical wherever they run. (The module is compiled with -ffp-contract=off, so the compiler may not
// fuse a multiply and an add into an FMA either.)
#pragma once

#include <cstdint>
#include <span>

namespace clusterscope::random {

// One step of splitmix64 (Steele, Lea, Flood 2014): advances `state` and returns a mixed value.
uint64_t SplitMix64(uint64_t& state);

// Natural logarithm and exponential from the basic operations only (range reduction with the
// exact frexp/ldexp, then a series): accurate to a few ulp, identical everywhere.
double Ln(double x);                       // x > 0
double Exp(double x);                      // below −700 gives 0, above 700 is clamped
double Pow(double base, double exponent);  // base > 0

// xoshiro256** (Blackman, Vigna 2018), seeded through splitmix64. Each (seed, stream, index)
// gives an independent generator, so a firm's values follow from the seed and its index alone.
class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0, uint64_t index = 0);

  uint64_t Next();
  double Uniform();                         // [0, 1), 53 random bits
  double Uniform(double lo, double hi);     // [lo, hi)
  int64_t Between(int64_t lo, int64_t hi);  // lo … hi inclusive; lo ≤ hi
  bool Chance(double p);                    // true with probability p
  double Normal();                          // standard normal (Marsaglia's polar method)
  double Normal(double mean, double sd);
  // A log-normal value with the given median: median × e^(sigma·Z). Heavy right tail.
  double LogNormal(double median, double sigma);
  // Poisson with the given mean (Knuth's product method below 30, a rounded normal above).
  int64_t Poisson(double mean);
  // An index drawn with probability proportional to weights[i] (weights ≥ 0, not all 0).
  size_t Weighted(std::span<const double> weights);

 private:
  uint64_t s_[4];
};

// An index into cumulative weights (cumulative[i] = w[0] + … + w[i]) for a uniform draw.
size_t PickCumulative(std::span<const double> cumulative, double uniform01);

}  // namespace clusterscope::random
