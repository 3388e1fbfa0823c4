// The source report's two Qinghai clusters, as firms whose figures reproduce what the report
// quotes for 2014 (../shared/seed/README.md, indicators.md):
//
//   QH-BIO 青藏高原特色生物资源与中藏药产业集群, zone XNGX 西宁高新技术产业开发区 (630100):
//   60 member firms; 62.5% of the zone's producing firms (60 of 96); gross output 122亿元, up
//   30.7% on 2013; 58.6% of the zone's output; leading industries' share of value added 60–70%;
//   23 members with output of 100 million yuan or more.
//
//   HX-SALT 海西盐湖化工特色循环经济产业集群, zone HXXH 柴达木循环经济试验区 (632800): potash-led,
//   with the backbone firms the report names the largest. Not calibrated to figures.
//
// Plus XN-LIB, the lithium cluster of examples/, in XNGX. Sizes are drawn heavy-tailed from the
// seed and then scaled and adjusted to the targets — no firm's numbers are typed in — so every seed
// gives other firms with the same seven figures.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"
#include "synth/firm_model.h"

namespace clusterscope::synth {

// Targets, in 千元 where money. Rounded to the nearest 千元, so the figures come out exact to
// the report's precision: 12,200,000 / 9,334,353 − 1 = 30.70001%, 12,200,000 / 20,819,113 = 58.5999%.
inline constexpr int64_t kQhOutput2014 = 12'200'000;                                // 122亿元
inline constexpr int64_t kQhOutput2013 = (kQhOutput2014 * 1000 + 1307 / 2) / 1307;  // ÷ 1.307
inline constexpr int64_t kXngxOutput2014 = (kQhOutput2014 * 1000 + 586 / 2) / 586;  // ÷ 0.586
inline constexpr int kQhMembers2014 = 60;
inline constexpr int kXngxProducing2014 = 96;  // 60 / 96 = 62.5%
inline constexpr int kQhOver100m2014 = 23;
inline constexpr int64_t kOver100mThreshold = 100'000;  // 千元 = 1亿元
inline constexpr double kQhLeadingShareMin = 0.62;      // aimed inside the report's "over 60%",
inline constexpr double kQhLeadingShareMax = 0.68;      // and inside 60–70%

struct DemoZone {
  std::string_view id, name, region, level, name_en;
};
struct DemoCluster {
  std::string_view id, name, zone_id, leading, construction_body, alliance;
  int recognised_year;  // 0 = empty
  std::string_view name_en;
};
struct DemoInstitution {
  std::string_view cluster_id, name, category;
  int national_level;  // 1 yes, 0 no, -1 empty
};
std::span<const DemoZone> DemoZones();
std::span<const DemoCluster> DemoClusters();
std::span<const DemoInstitution> DemoInstitutions();

struct DemoFirm {
  FirmRecord record;
  std::vector<YearCore> years;  // [year − first_year], meaningful for record's report years
};

// The demo firms, indices 0 … n−1, calibrated. Needs first_year ≤ 2013 and last_year ≥ 2014.
// Fails (kInternal) only if calibration cannot meet its targets, which would be a bug.
Result<std::vector<DemoFirm>> BuildDemoFirms(uint64_t seed, int first_year, int last_year);

}  // namespace clusterscope::synth
