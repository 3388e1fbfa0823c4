// Golden, hand-worked cases for every specialisation index: the arithmetic is in
// tests/data/place/README.md, next to the same numbers.
#include <gtest/gtest.h>

#include "clusterscope/place.h"

namespace clusterscope::place {
namespace {

// Regions A, B; industries X, Y. Plants: A·X 30, 10; A·Y 20; B·X 10; B·Y 20, 10.
// E: A = (40, 20), B = (10, 30); E_A = 60, E_B = 40, E_X = E_Y = 50, E = 100.
AreaMatrix Small() {
  AreaMatrix m;
  m.regions = {"A", "B"};
  m.region_names = {"", ""};
  m.industries = {"X", "Y"};
  m.plants = {{0, 0, 30}, {0, 0, 10}, {0, 1, 20}, {1, 0, 10}, {1, 1, 20}, {1, 1, 10}};
  return m;
}

constexpr double kEps = 1e-12;

TEST(Specialisation, LocationQuotients) {
  const auto v = LocationQuotients(Small());
  ASSERT_EQ(v.size(), 4u);
  EXPECT_NEAR(*v[0].value, 4.0 / 3, kEps);  // (40/60)/(50/100)
  EXPECT_NEAR(*v[1].value, 2.0 / 3, kEps);  // (20/60)/(50/100)
  EXPECT_NEAR(*v[2].value, 0.5, kEps);      // (10/40)/(50/100)
  EXPECT_NEAR(*v[3].value, 1.5, kEps);      // (30/40)/(50/100)
  EXPECT_EQ(v[0].region, "A");
  EXPECT_EQ(v[0].industry, "X");
  EXPECT_EQ(v[0].firms, 2);
  EXPECT_EQ(v[3].firms, 2);
}

TEST(Specialisation, KrugmanHooverGini) {
  const auto k = Krugman(Small());
  EXPECT_NEAR(*k[0].value, 1.0 / 3, kEps);  // |2/3 − 1/2| + |1/3 − 1/2|
  EXPECT_NEAR(*k[1].value, 0.5, kEps);      // |1/4 − 1/2| + |3/4 − 1/2|
  const auto h = Hoover(Small());
  EXPECT_NEAR(*h[0].value, 0.2, kEps);  // ½(|0.8 − 0.6| + |0.2 − 0.4|)
  EXPECT_NEAR(*h[1].value, 0.2, kEps);
  const auto g = LocationalGini(Small());
  EXPECT_NEAR(*g[0].value, 0.2, kEps);  // 1 − [0.4·0.2 + 0.6·(0.4 + 0.8)]
  EXPECT_NEAR(*g[1].value, 0.2, kEps);  // 1 − [0.6·0.4 + 0.4·(0.8 + 0.6)]
  EXPECT_EQ(g[0].regions, 2);
}

TEST(Specialisation, GiniOfAnEvenIndustryIsZeroAndOfAConcentratedOneLarge) {
  AreaMatrix m;
  m.regions = {"A", "B", "C", "D"};
  m.region_names = {"", "", "", ""};
  m.industries = {"X", "Y"};
  // X spread like the total; Y only in D. Totals: A 10, B 10, C 10, D 10+10.
  m.plants = {{0, 0, 10}, {1, 0, 10}, {2, 0, 10}, {3, 0, 10}, {3, 1, 10}};
  const auto g = LocationalGini(m);
  // X: shares 0.25 each against x = 0.2, 0.2, 0.2, 0.4; LQ: 1.25, 1.25, 1.25, 0.625.
  // Ordered D, A, B, C: area2 = 0.4·0.25 + 0.2·(0.5+0.25) + 0.2·(1+0.25) + 0.2·(1.5+0.25) = 0.85 → 0.15.
  EXPECT_NEAR(*g[0].value, 0.15, kEps);
  // Y: all in D (x = 0.4): area2 = 0.6·0 + 0.4·(0 + 1) = 0.4 → 0.6.
  EXPECT_NEAR(*g[1].value, 0.6, kEps);
}

TEST(Specialisation, HerfindahlRegionalAndPlant) {
  const auto h = Herfindahl(Small());
  EXPECT_NEAR(*h[0].value, 0.68, kEps);      // 0.8² + 0.2²
  EXPECT_NEAR(*h[1].value, 0.52, kEps);      // 0.4² + 0.6²
  EXPECT_NEAR(*h[0].plant_hhi, 0.44, kEps);  // 0.6² + 0.2² + 0.2²
  EXPECT_NEAR(*h[1].plant_hhi, 0.36, kEps);  // 0.4² + 0.4² + 0.2²
}

TEST(Specialisation, EllisonGlaeserAndCoagglomeration) {
  const auto eg = EllisonGlaeser(Small());
  // Σx² = 0.52; G_X = 0.08; γ_X = (0.08 − 0.48·0.44) / (0.48·0.56) = −0.1312 / 0.2688
  EXPECT_NEAR(*eg[0].value, -0.1312 / 0.2688, kEps);
  EXPECT_NEAR(*eg[0].value, -0.488095238095, 1e-11);
  // γ_Y = (0.08 − 0.48·0.36) / (0.48·0.64) = −0.0928 / 0.3072
  EXPECT_NEAR(*eg[1].value, -0.302083333333, 1e-11);
  const auto c = Coagglomeration(Small());
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].industry, "X+Y");
  // G = 0 (the pair is everything); H = 0.25·0.44 + 0.25·0.36 = 0.2;
  // Σγ w² (1 − H) = 0.25·γ_X·0.56 + 0.25·γ_Y·0.64 = −0.0683333 − 0.0483333;
  // γ^c = (0 − 0.2 + 0.1166667) / (1 − 0.5) = −1/6
  EXPECT_NEAR(*c[0].value, -1.0 / 6, 1e-11);
}

TEST(Specialisation, PositiveEllisonGlaeserForAnAgglomeratedIndustry) {
  // Four regions with equal totals of 100; industry X: 5 plants of 10 in region A, 1 of 10 in B.
  AreaMatrix m;
  m.regions = {"A", "B", "C", "D"};
  m.region_names = {"", "", "", ""};
  m.industries = {"X", "Y"};
  for (int k = 0; k < 5; ++k) m.plants.push_back({0, 0, 10});
  m.plants.push_back({1, 0, 10});
  m.plants.push_back({0, 1, 50});
  m.plants.push_back({1, 1, 90});
  m.plants.push_back({2, 1, 100});
  m.plants.push_back({3, 1, 100});
  // x = 0.25 each (Σx² = 0.25); s_X = (5/6, 1/6, 0, 0); G = (7/12)² + (1/12)² + 2·(1/4)² = 0.472222…
  // H_X = 6·(1/6)² = 1/6; γ = (G − 0.75/6) / (0.75·5/6) = (0.4722222 − 0.125) / 0.625 = 0.5555556
  const auto eg = EllisonGlaeser(m);
  EXPECT_NEAR(*eg[0].value, (49.0 / 144 + 1.0 / 144 + 2.0 / 16 - 0.125) / 0.625, 1e-12);
  EXPECT_NEAR(*eg[0].value, 0.555555555556, 1e-11);
}

TEST(Specialisation, NullsHaveReasons) {
  AreaMatrix m;
  m.regions = {"A", "B"};
  m.region_names = {"", ""};
  m.industries = {"X", "Y"};
  m.plants = {{0, 0, 10}, {0, 1, 5}, {0, 1, 5}, {1, 1, 0}};  // X: one plant; region B's total is 0
  const auto lq = LocationQuotients(m);
  EXPECT_FALSE(lq[2].value.has_value());  // B·X: E_B = 0
  EXPECT_EQ(lq[2].reason, PlaceNull::kZeroTotal);
  const auto k = Krugman(m);
  EXPECT_EQ(k[1].reason, PlaceNull::kZeroTotal);
  const auto eg = EllisonGlaeser(m);
  EXPECT_EQ(eg[0].reason, PlaceNull::kSinglePlant);  // H_X = 1
  EXPECT_EQ(eg[1].reason, PlaceNull::kOneRegion);    // everything in A: Σx² = 1
  const auto c = Coagglomeration(m, {{0, 1}, {1}});
  EXPECT_EQ(c[0].reason, PlaceNull::kOneRegion);
  EXPECT_EQ(c[1].reason, PlaceNull::kOneIndustry);
  EXPECT_FALSE(PlaceNullText(PlaceNull::kSinglePlant, Lang::kZh).empty());
}

TEST(Specialisation, ComputeAreaIndexKeepsTheIndustriesAskedFor) {
  AreaInputs in;
  in.matrix = Small();
  in.keep = {1};  // Y only
  auto hoover = ComputeAreaIndex(in, *ParseAreaIndex("hoover"));
  ASSERT_TRUE(hoover.ok());
  ASSERT_EQ(hoover->size(), 1u);
  EXPECT_EQ((*hoover)[0].industry, "Y");
  auto krugman = ComputeAreaIndex(in, AreaIndex::kKrugman);
  ASSERT_TRUE(krugman.ok());
  EXPECT_EQ(krugman->size(), 2u);  // every region, over every industry
  auto coag = ComputeAreaIndex(in, AreaIndex::kCoagglomeration);
  EXPECT_EQ(coag.status().code(), StatusCode::kUsage);  // one industry: no pair
  in.keep = {0, 1};
  auto pairs = ComputeAreaIndex(in, AreaIndex::kCoagglomeration);
  ASSERT_TRUE(pairs.ok());
  EXPECT_NEAR(*(*pairs)[0].value, -1.0 / 6, 1e-11);
  EXPECT_EQ(AreaIndexId(*ParseAreaIndex("eg-coagglomeration")), "eg_coagglomeration");
}

}  // namespace
}  // namespace clusterscope::place
