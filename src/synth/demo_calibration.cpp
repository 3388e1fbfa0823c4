#include "synth/demo_calibration.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <set>
#include <string>
#include <utility>

namespace clusterscope::synth {
namespace {

constexpr uint64_t kStreamCalibration = 0xDE30;
constexpr uint64_t kStreamDemoFirm = 0xDE31;
constexpr int kYear = 2014;  // the report's year
constexpr int kPrev = 2013;

constexpr std::array kZones = {
    DemoZone{"XNGX", "西宁高新技术产业开发区", "630100", "national", "Xining High-tech Zone"},
    // A national circular-economy pilot zone rather than a high-tech zone, as the report has it.
    DemoZone{"HXXH", "柴达木循环经济试验区", "632800", "national", "Qaidam Circular Economy Pilot Zone"},
};

constexpr std::array kClusters = {
    DemoCluster{"QH-BIO", "青藏高原特色生物资源与中藏药产业集群", "XNGX", "2730;2740;2761;1492", "西宁高新区管委会",
                "青海省中藏药产业技术创新战略联盟", 2013,
                "Qinghai–Tibet Plateau Biological Resources and Chinese and Tibetan Medicine Cluster"},
    // As in examples/: its optional columns are empty but for the English name.
    DemoCluster{"XN-LIB", "西宁锂电新材料产业集群", "XNGX", "3841;3239", "", "", 0,
                "Xining Lithium Battery Materials Cluster"},
    DemoCluster{"HX-SALT", "海西盐湖化工特色循环经济产业集群", "HXXH", "2623;2613;3217;3239;1030",
                "柴达木循环经济试验区管委会", "盐湖资源综合利用技术创新战略联盟", 2013,
                "Haixi Salt Lake Chemical Circular Economy Cluster"},
};

constexpr std::array kInstitutions = {
    DemoInstitution{"QH-BIO", "西宁高新区科技企业孵化器", "innovation_service", 1},
    DemoInstitution{"QH-BIO", "青海省藏药新药开发重点实验室", "rd", 0},
    DemoInstitution{"QH-BIO", "青海省中藏药检验检测中心", "other", -1},
    DemoInstitution{"QH-BIO", "西宁高新区科技投资担保有限公司", "finance", 0},
    DemoInstitution{"XN-LIB", "青海省锂资源综合利用工程技术研究中心", "rd", 1},
    DemoInstitution{"XN-LIB", "西宁高新区生产力促进中心", "innovation_service", 0},
    DemoInstitution{"HX-SALT", "青海盐湖资源综合利用工程技术研究中心", "rd", 1},
    DemoInstitution{"HX-SALT", "柴达木循环经济试验区科技企业孵化器", "innovation_service", 0},
    DemoInstitution{"HX-SALT", "海西州科技金融服务中心", "finance", -1},
    DemoInstitution{"HX-SALT", "柴达木盐湖化工产品质量检验中心", "other", 0},
};

// Districts firms register in, with their centres (1e-4 degrees).
struct Place {
  std::string_view region;
  int lat_e4, lon_e4;
  double weight;
};
constexpr std::array kXiningPlaces = {
    Place{"630105", 366700, 1017400, 4.0}, Place{"630104", 366300, 1017500, 3.0}, Place{"630102", 366100, 1018000, 1.0},
    Place{"630103", 366200, 1017800, 1.0}, Place{"630100", 366200, 1017800, 1.0},
};
constexpr std::array kHaixiPlaces = {
    Place{"632801", 364072, 949033, 6.0},  // 格尔木市: the salt lake's works
    Place{"632802", 373743, 973704, 3.0},  // 德令哈市
    Place{"632800", 373743, 973704, 1.0},  // the prefecture, seated in Delingha
};

struct Weighted {
  std::string_view code;
  double weight;
};
// QH-BIO's leading industries and the neighbouring classes its other members are in.
constexpr std::array kBioLeading = {Weighted{"2740", 0.35}, Weighted{"2730", 0.25}, Weighted{"2761", 0.2},
                                    Weighted{"1492", 0.2}};
constexpr std::array kBioOther = {Weighted{"2710", 1}, Weighted{"2720", 1}, Weighted{"2762", 1}, Weighted{"2770", 1},
                                  Weighted{"1491", 1}};
// A share of QH-BIO's members outside the leading classes that puts the leading classes near 65%
// of value added (the backbone firms, both leading, hold much of it).
constexpr double kBioLeadingFirmShare = 0.6;
constexpr std::array kLithium = {Weighted{"3841", 3}, Weighted{"3239", 2}, Weighted{"3985", 2}, Weighted{"3849", 1}};
constexpr std::array kXiningOther = {Weighted{"2740", 2}, Weighted{"2730", 1}, Weighted{"2720", 1}, Weighted{"2710", 1},
                                     Weighted{"1491", 1}, Weighted{"1492", 1}, Weighted{"1353", 1}, Weighted{"1512", 1},
                                     Weighted{"3976", 1}, Weighted{"3972", 1}, Weighted{"3825", 1}, Weighted{"2613", 1},
                                     Weighted{"3216", 1}};
constexpr std::array kSaltLeading = {Weighted{"2623", 3}, Weighted{"2613", 3}, Weighted{"3239", 2}, Weighted{"3217", 1},
                                     Weighted{"1030", 1.5}};
constexpr std::array kSaltOther = {Weighted{"3841", 1}, Weighted{"3849", 1}, Weighted{"4416", 1}, Weighted{"2622", 1}};
constexpr std::array kHaixiNonMembers = {Weighted{"4416", 2}, Weighted{"3825", 1}, Weighted{"1030", 1},
                                         Weighted{"2613", 1}, Weighted{"3216", 1}, Weighted{"1353", 1}};

// A demo firm before it is written: who it is, and the outputs fixed by calibration (anchors),
// from which the other years are grown.
struct Draft {
  std::string name;
  std::string_view zone_id;
  const Place* place = nullptr;
  const IndustryClass* industry = nullptr;
  int founded = 0;
  int last_report = 0;                           // 0 = last_year
  int producing_from = 0;                        // first producing year
  std::vector<std::pair<int, int64_t>> anchors;  // (year, gross output 千元), in year order
  std::pair<int, int64_t> va_anchor{0, 0};       // (year, value added 千元) fixed by calibration
  int64_t start_value = 0;                       // 千元 in the first producing year, when no anchor says
  double va_rate = 0.3;
  std::vector<Membership> memberships;
  int listed = -2;  // -2: draw
};

class Builder {
 public:
  Builder(uint64_t seed, int first_year, int last_year)
      : seed_(seed), first_year_(first_year), last_year_(last_year), rng_(seed, kStreamCalibration) {}

  Result<std::vector<DemoFirm>> Build() {
    CS_RETURN_IF_ERROR(BuildXining());
    BuildHaixi();
    return Finish();
  }

 private:
  template <size_t N>
  const IndustryClass* Pick(const std::array<Weighted, N>& options) {
    std::array<double, N> w{};
    for (size_t i = 0; i < N; ++i) w[i] = options[i].weight;
    return FindClass(options[rng_.Weighted(w)].code);
  }
  template <size_t N>
  const Place* PickPlace(const std::array<Place, N>& places) {
    std::array<double, N> w{};
    for (size_t i = 0; i < N; ++i) w[i] = places[i].weight;
    return &places[rng_.Weighted(w)];
  }
  int Year(int lo, int hi) { return static_cast<int>(rng_.Between(lo, hi)); }

  // At most one argument of a call may draw from rng_: the order in which a call's arguments are
  // evaluated is unspecified (GCC goes right to left, Clang left to right), and two draws in one
  // call would give each compiler other data. Draws go in statements of their own.
  size_t Add(std::string_view zone_id, const Place* place, const IndustryClass* industry, int founded) {
    Draft d;
    d.zone_id = zone_id;
    d.place = place;
    d.industry = industry;
    d.founded = founded;
    d.producing_from = founded;
    drafts_.push_back(std::move(d));
    return drafts_.size() - 1;
  }

  // A generated name not used by another demo firm; `fixed` names (the report's firms) are kept.
  void Name(size_t i, std::string_view fixed = {}) {
    Draft& d = drafts_[i];
    if (!fixed.empty()) {
      d.name = std::string(fixed);
    } else {
      const bool haixi = d.zone_id == "HXXH";
      const auto brands = QinghaiBrands();
      do {
        std::string_view place = haixi ? (rng_.Chance(0.5) ? "格尔木" : "海西") : (rng_.Chance(0.5) ? "西宁" : "青海");
        if (rng_.Chance(0.3)) place = "青海";
        const std::string_view brand =
            brands[static_cast<size_t>(rng_.Between(0, static_cast<int64_t>(brands.size()) - 1))];
        d.name = MakeFirmName(rng_, place, brand, *d.industry);
      } while (names_.count(d.name) != 0);
    }
    names_.insert(d.name);
  }

  double Growth(double mean, double sd, double lo, double hi) { return std::clamp(rng_.Normal(mean, sd), lo, hi); }

  // Values summing exactly to `total`: heavy-tailed draws scaled to it, each at least `floor`.
  std::vector<int64_t> Split(int64_t total, size_t n, double sigma, int64_t floor_value) {
    std::vector<double> draws(n);
    double sum = 0.0;
    for (double& d : draws) sum += (d = rng_.LogNormal(1.0, sigma));
    std::vector<int64_t> out(n);
    int64_t got = 0;
    for (size_t i = 0; i < n; ++i) {
      out[i] = std::max(floor_value, static_cast<int64_t>(std::floor(static_cast<double>(total) * draws[i] / sum)));
      got += out[i];
    }
    // Rounding leaves a few 千元 over or under: the largest firm absorbs them.
    *std::max_element(out.begin(), out.end()) += total - got;
    return out;
  }

  // QH-BIO's 2014 outputs: 23 of at least 1亿元 and 37 below, summing to 122亿元 exactly. The
  // small ones are heavy-tailed draws scaled below the threshold; the large ones are the threshold
  // plus heavy-tailed shares of what remains. Large ones first, each group in descending order.
  std::vector<int64_t> BioMemberOutputs() {
    constexpr int kSmall = kQhMembers2014 - kQhOver100m2014;
    std::vector<double> small(kSmall);
    for (double& s : small) s = rng_.LogNormal(1.0, 1.1);
    const double top = *std::max_element(small.begin(), small.end());
    const double ceiling = rng_.Uniform(0.6, 0.95) * 0.99 * static_cast<double>(kOver100mThreshold);
    std::vector<int64_t> small_out;
    int64_t small_sum = 0;
    for (double s : small) {
      small_out.push_back(std::max<int64_t>(800, static_cast<int64_t>(std::floor(ceiling * s / top))));
      small_sum += small_out.back();
    }
    constexpr int64_t kBigFloor = kOver100mThreshold + 1000;
    std::vector<int64_t> big = Split(kQhOutput2014 - small_sum - kQhOver100m2014 * kBigFloor, kQhOver100m2014, 1.0, 0);
    for (int64_t& b : big) b += kBigFloor;
    std::sort(big.rbegin(), big.rend());
    std::sort(small_out.rbegin(), small_out.rend());
    big.insert(big.end(), small_out.begin(), small_out.end());
    return big;
  }

  Status BuildXining() {
    const IndustryClass* const c2740 = FindClass("2740");
    const IndustryClass* const c1492 = FindClass("1492");
    // A: 55 members since the cluster's recognition in 2013, reporting in 2013 and 2014.
    std::vector<size_t> continuing;
    const size_t jinhe = Add("XNGX", &kXiningPlaces[0], c2740, Year(1990, 1996));
    const size_t kangpu = Add("XNGX", &kXiningPlaces[1], c1492, Year(1996, 2002));
    continuing = {jinhe, kangpu};
    while (continuing.size() < 55) {
      const Place* place = PickPlace(kXiningPlaces);
      continuing.push_back(Add("XNGX", place, nullptr, Year(1993, 2011)));
    }
    // One of them was founded in 2012 and began producing in 2014: a member, not yet producing, in 2013.
    const size_t startup = continuing[2];
    drafts_[startup].founded = 2012;
    drafts_[startup].producing_from = kYear;
    // B: five zone firms that joined in 2014.
    std::vector<size_t> joiners;
    for (int i = 0; i < 5; ++i) {
      const Place* place = PickPlace(kXiningPlaces);
      joiners.push_back(Add("XNGX", place, nullptr, Year(1998, 2011)));
    }
    // C: two members of 2013 only; the first stays in the zone, the second closes after 2013.
    const Place* place_stays = PickPlace(kXiningPlaces);
    const IndustryClass* industry_stays = Pick(kBioOther);
    const size_t leaver_stays = Add("XNGX", place_stays, industry_stays, Year(1995, 2010));
    const Place* place_closes = PickPlace(kXiningPlaces);
    const IndustryClass* industry_closes = Pick(kBioLeading);
    const size_t leaver_closes = Add("XNGX", place_closes, industry_closes, Year(1995, 2010));
    drafts_[leaver_closes].last_report = kPrev;
    // D: the zone's other producing firms (with the first leaver, 96 − 60 = 36 of them in 2014);
    // the first eight make lithium and new materials (cluster XN-LIB).
    std::vector<size_t> others;
    for (int i = 0; i < kXngxProducing2014 - kQhMembers2014 - 1; ++i) {
      const IndustryClass* industry = i < 8 ? Pick(kLithium) : Pick(kXiningOther);
      const Place* place = PickPlace(kXiningPlaces);
      others.push_back(Add("XNGX", place, industry, Year(1995, 2012)));
    }
    // E: four new firms still building in 2014 (zone firms, not producing).
    std::vector<size_t> building;
    for (int founded : {2013, 2013, 2014, 2014}) {
      const Place* place = PickPlace(kXiningPlaces);
      const size_t i = Add("XNGX", place, Pick(kXiningOther), founded);
      drafts_[i].producing_from = kYear + 1;
      drafts_[i].start_value = static_cast<int64_t>(rng_.LogNormal(15'000, 0.8));
      building.push_back(i);
    }
    // F: firms founded after 2014, where the years reach that far; the first joins QH-BIO.
    for (int founded : {2015, 2015, 2016}) {
      if (founded > last_year_) continue;
      const Place* place = PickPlace(kXiningPlaces);
      const size_t i = Add("XNGX", place, Pick(kBioLeading), founded);
      drafts_[i].start_value = static_cast<int64_t>(rng_.LogNormal(8'000, 0.8));
      if (founded == 2015 && founded + 1 <= last_year_ && drafts_[i].memberships.empty()) {
        drafts_[i].memberships.push_back({"QH-BIO", founded + 1, 0, false, false});
      }
    }

    // 2014 outputs of the 60 members: the largest goes to 金诃, one of the next few to 康普, a
    // small one to the firm that has just begun producing, the rest at random.
    std::vector<size_t> members = continuing;
    members.insert(members.end(), joiners.begin(), joiners.end());
    std::vector<int64_t> outputs = BioMemberOutputs();
    std::vector<size_t> free_slots(outputs.size());
    std::iota(free_slots.begin(), free_slots.end(), size_t{0});
    const auto take = [&](size_t slot) {
      free_slots.erase(std::find(free_slots.begin(), free_slots.end(), slot));
      return outputs[slot];
    };
    std::vector<int64_t> out14(drafts_.size(), 0);
    out14[jinhe] = take(0);
    out14[kangpu] = take(static_cast<size_t>(rng_.Between(1, 4)));
    out14[startup] = take(static_cast<size_t>(rng_.Between(kQhOver100m2014 + 5, kQhMembers2014 - 1)));
    for (size_t m : members) {
      if (m == jinhe || m == kangpu || m == startup) continue;
      const size_t k = static_cast<size_t>(rng_.Between(0, static_cast<int64_t>(free_slots.size()) - 1));
      out14[m] = take(free_slots[k]);
    }

    // Industries and value-added rates, redrawn until the leading classes hold 62–68% of the
    // members' value added (the report: "over 60%").
    std::vector<int64_t> va14(drafts_.size(), 0);
    bool calibrated = false;
    for (int attempt = 0; attempt < 100000 && !calibrated; ++attempt) {
      int64_t leading = 0;
      int64_t all = 0;
      for (size_t m : members) {
        if (m != jinhe && m != kangpu) {
          drafts_[m].industry = rng_.Chance(kBioLeadingFirmShare) ? Pick(kBioLeading) : Pick(kBioOther);
        }
        drafts_[m].va_rate = rng_.Uniform(0.22, 0.38);
        va14[m] = static_cast<int64_t>(std::floor(static_cast<double>(out14[m]) * drafts_[m].va_rate));
        all += va14[m];
        const std::string_view code = drafts_[m].industry->code;
        if (code == "2730" || code == "2740" || code == "2761" || code == "1492") leading += va14[m];
      }
      const double share = static_cast<double>(leading) / static_cast<double>(all);
      calibrated = share >= kQhLeadingShareMin && share <= kQhLeadingShareMax;
    }
    if (!calibrated) return Status::Internal("synthetic data: QH-BIO value-added calibration did not converge");

    // 2013: the members of 2013 (A and C) grew about 31% into 2014; their outputs are then scaled
    // together so that 2014 is exactly 30.7% above 2013.
    std::vector<size_t> members13 = continuing;
    members13.push_back(leaver_stays);
    members13.push_back(leaver_closes);
    std::vector<double> raw13(drafts_.size(), 0.0);
    double raw_sum = 0.0;
    for (size_t m : members13) {
      if (m == startup) continue;  // not producing in 2013: output 0
      raw13[m] = (m == leaver_stays || m == leaver_closes)
                     ? rng_.LogNormal(25'000, 0.8)
                     : static_cast<double>(out14[m]) / (1.0 + Growth(0.31, 0.12, -0.15, 1.0));
      raw_sum += raw13[m];
    }
    std::vector<int64_t> out13(drafts_.size(), 0);
    int64_t sum13 = 0;
    size_t largest13 = members13[0];
    for (size_t m : members13) {
      if (m == startup) continue;
      out13[m] = std::max<int64_t>(
          1, static_cast<int64_t>(std::floor(raw13[m] * static_cast<double>(kQhOutput2013) / raw_sum)));
      sum13 += out13[m];
      if (out13[m] > out13[largest13]) largest13 = m;
    }
    out13[largest13] += kQhOutput2013 - sum13;

    // The zone's other producing firms in 2014 hold the rest of its output: 41.4%.
    std::vector<size_t> non_members14 = others;
    non_members14.push_back(leaver_stays);
    const std::vector<int64_t> rest = Split(kXngxOutput2014 - kQhOutput2014, non_members14.size(), 1.3, 300);
    for (size_t k = 0; k < non_members14.size(); ++k) out14[non_members14[k]] = rest[k];

    // Anchors: the calibrated years; 2013 of firms that were not members then grows freely.
    for (size_t m : members) {
      if (m != startup) drafts_[m].anchors.push_back({kPrev, out13[m]});
      drafts_[m].anchors.push_back({kYear, out14[m]});
      drafts_[m].va_anchor = {kYear, va14[m]};
    }
    for (size_t i : joiners) {
      drafts_[i].anchors.insert(
          drafts_[i].anchors.begin(),
          {kPrev, static_cast<int64_t>(static_cast<double>(out14[i]) / (1.0 + Growth(0.2, 0.15, -0.3, 0.8)))});
    }
    drafts_[leaver_stays].anchors = {{kPrev, out13[leaver_stays]}, {kYear, out14[leaver_stays]}};
    drafts_[leaver_closes].anchors = {{kPrev, out13[leaver_closes]}};
    for (size_t i : others) {
      drafts_[i].anchors = {{kPrev, std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(out14[i]) /
                                                                              (1.0 + Growth(0.15, 0.15, -0.3, 0.8))))},
                            {kYear, out14[i]}};
    }
    for (size_t i : building) drafts_[i].va_rate = rng_.Uniform(0.22, 0.38);
    for (size_t i : others) drafts_[i].va_rate = rng_.Uniform(0.2, 0.4);

    // Industries not yet drawn (joiners were drawn with the members), then names and memberships.
    Name(jinhe, "青海金诃藏药药业股份有限公司");
    Name(kangpu, "青海康普生物科技股份有限公司");
    for (size_t i = 0; i < drafts_.size(); ++i) {
      if (i != jinhe && i != kangpu) Name(i);
    }
    for (size_t m : continuing) {
      drafts_[m].memberships.push_back({"QH-BIO", kPrev, 0, m == jinhe || m == kangpu, false});
    }
    // One founding member leaves after 2015 but stays in the zone.
    if (last_year_ >= 2016) drafts_[continuing[3]].memberships.back().to_year = 2015;
    for (size_t i : joiners) drafts_[i].memberships.push_back({"QH-BIO", kYear, 0, false, false});
    drafts_[leaver_stays].memberships.push_back({"QH-BIO", kPrev, kPrev, false, false});
    drafts_[leaver_closes].memberships.push_back({"QH-BIO", kPrev, kPrev, false, false});
    // XN-LIB: the lithium firms; the two largest are its backbone, one joined in 2014.
    std::vector<size_t> lithium(others.begin(), others.begin() + 8);
    // Ties broken by position: std::sort's order of equal elements differs between libraries.
    std::sort(lithium.begin(), lithium.end(),
              [&](size_t a, size_t b) { return out14[a] != out14[b] ? out14[a] > out14[b] : a < b; });
    for (size_t k = 0; k < lithium.size(); ++k) {
      drafts_[lithium[k]].memberships.push_back({"XN-LIB", k == 5 ? kYear : kPrev, 0, k < 2, false});
    }
    return Status::Ok();
  }

  void BuildHaixi() {
    // HX-SALT: potash-led. The salt-lake company is several times the next firm; 中航资源 and
    // 西部镁业 are the next largest. Others mostly in the leading classes.
    std::vector<size_t> members;
    const size_t salt = Add("HXXH", &kHaixiPlaces[0], FindClass("2623"), Year(1990, 2000));
    const size_t avic = Add("HXXH", &kHaixiPlaces[1], FindClass("2613"), Year(1998, 2006));
    const size_t magnesium = Add("HXXH", &kHaixiPlaces[0], FindClass("3217"), Year(1998, 2008));
    members = {salt, avic, magnesium};
    for (int i = 0; i < 35; ++i) {
      const IndustryClass* industry = rng_.Chance(0.85) ? Pick(kSaltLeading) : Pick(kSaltOther);
      const Place* place = PickPlace(kHaixiPlaces);
      members.push_back(Add("HXXH", place, industry, Year(1992, 2012)));
    }
    std::vector<size_t> non_members;
    for (int i = 0; i < 12; ++i) {
      const Place* place = PickPlace(kHaixiPlaces);
      const IndustryClass* industry = Pick(kHaixiNonMembers);
      non_members.push_back(Add("HXXH", place, industry, Year(1995, 2012)));
    }
    std::vector<int64_t> sizes;
    for (size_t k = 3; k < members.size(); ++k)
      sizes.push_back(static_cast<int64_t>(rng_.LogNormal(60'000, 1.3)) + 500);
    std::sort(sizes.rbegin(), sizes.rend());
    const int64_t top = sizes[0];
    const auto set14 = [&](size_t i, int64_t v) {
      drafts_[i].anchors = {{kYear, v}};
      drafts_[i].va_rate = rng_.Uniform(0.24, 0.4);
    };
    set14(salt, static_cast<int64_t>(static_cast<double>(top) * rng_.Uniform(5.0, 8.0)));
    set14(avic, static_cast<int64_t>(static_cast<double>(top) * rng_.Uniform(1.2, 1.6)));
    set14(magnesium, static_cast<int64_t>(static_cast<double>(top) * rng_.Uniform(1.0, 1.2)));
    for (size_t k = 3; k < members.size(); ++k) set14(members[k], sizes[k - 3]);
    for (size_t i : non_members) set14(i, static_cast<int64_t>(rng_.LogNormal(20'000, 1.2)) + 300);
    drafts_[salt].listed = 1;  // 青海盐湖工业股份有限公司 is a listed company

    Name(salt, "青海盐湖工业股份有限公司");
    Name(avic, "青海中航资源有限公司");
    Name(magnesium, "青海西部镁业有限公司");
    for (size_t k = 3; k < members.size(); ++k) Name(members[k]);
    for (size_t i : non_members) Name(i);

    // Members since 2013; three joined later, two left, as a register over the years shows.
    for (size_t k = 0; k < members.size(); ++k) {
      Draft& d = drafts_[members[k]];
      Membership m{"HX-SALT", std::max(kPrev, d.founded), 0, k < 3, false};
      if (k >= 3 && k < 6) m.from_year = std::min(last_year_, kYear + static_cast<int>(k % 2));
      if (k >= 6 && k < 8) m.to_year = std::min(2015, last_year_ - 1);
      d.memberships.push_back(m);
    }
  }

  // Every report year of a draft: non-producing before production starts; the anchors as fixed;
  // the years before the first anchor and after the last grown from it with noise.
  std::vector<YearCore> Series(const Draft& d, int first_report, int last_report) {
    const size_t n = static_cast<size_t>(last_year_ - first_year_) + 1;
    std::vector<int64_t> out(n, -1);
    const auto at = [&](int year) -> int64_t& { return out[static_cast<size_t>(year - first_year_)]; };
    for (const auto& [year, value] : d.anchors) at(year) = value;
    const int start = std::max(first_report, d.producing_from);
    int first_anchor = d.anchors.empty() ? 0 : d.anchors.front().first;
    int last_anchor = d.anchors.empty() ? 0 : d.anchors.back().first;
    if (d.anchors.empty() && start <= last_report) {
      at(start) = std::max<int64_t>(1, d.start_value);
      first_anchor = last_anchor = start;
    }
    for (int y = first_anchor - 1; first_anchor != 0 && y >= start; --y) {
      at(y) = std::max<int64_t>(
          1, static_cast<int64_t>(static_cast<double>(at(y + 1)) / (1.0 + Growth(0.15, 0.12, -0.3, 0.8))));
    }
    for (int y = last_anchor + 1; last_anchor != 0 && y <= last_report; ++y) {
      at(y) = std::max<int64_t>(
          1, static_cast<int64_t>(static_cast<double>(at(y - 1)) * (1.0 + Growth(0.1, 0.12, -0.3, 0.6))));
    }
    // The scale of a firm that is not producing yet: a fraction of its first output.
    int64_t first_output = 1000;
    for (int y = start; y <= last_report; ++y) {
      if (at(y) > 0) {
        first_output = at(y);
        break;
      }
    }
    std::vector<YearCore> years(n);
    for (int y = first_report; y <= last_report; ++y) {
      YearCore& c = years[static_cast<size_t>(y - first_year_)];
      if (y < d.producing_from) {
        c.producing = false;
        c.level = 300.0 * static_cast<double>(first_output);  // 0.3 × output, in yuan
        c.gross_output = 0;
        c.value_added = 0;
        continue;
      }
      const int64_t v = at(y);
      int64_t va = 0;
      if (d.va_anchor.first == y) {
        va = d.va_anchor.second;
      } else {
        const double rate = std::clamp(d.va_rate + rng_.Normal(0.0, 0.015), 0.18, 0.42);
        va = static_cast<int64_t>(std::floor(static_cast<double>(v) * rate));
      }
      c.producing = true;
      c.level = 1000.0 * static_cast<double>(v);
      c.gross_output = v * 1000;
      c.value_added = va * 1000;
    }
    return years;
  }

  std::vector<DemoFirm> Finish() {
    std::vector<DemoFirm> firms;
    firms.reserve(drafts_.size());
    for (size_t i = 0; i < drafts_.size(); ++i) {
      const Draft& d = drafts_[i];
      DemoFirm f;
      FirmRecord& r = f.record;
      r.index = static_cast<int64_t>(i);
      r.region = d.place->region;
      r.uscc = MakeUscc(r.index, r.region);
      r.name = d.name;
      r.zone_id = d.zone_id;
      r.industry = d.industry;
      r.founded_year = d.founded;
      r.first_report = std::max(first_year_, d.founded);
      r.last_report = d.last_report != 0 ? d.last_report : last_year_;
      r.memberships = d.memberships;
      const double size = 1000.0 * static_cast<double>(d.anchors.empty() ? d.start_value : d.anchors.back().second);
      // Register fields from the firm's own stream, so calibration draws do not shift them.
      Rng firm_rng(seed_, kStreamDemoFirm, static_cast<uint64_t>(i));
      r.traits = DrawTraits(firm_rng, *d.industry, size);
      r.traits.calibrated = true;
      r.traits.va_rate = d.va_rate;
      DrawRegisterFields(firm_rng, r, size, first_year_, last_year_);
      if (d.listed != -2) r.listed = d.listed;
      r.has_coords = !firm_rng.Chance(0.03);
      const double spread = d.zone_id == "HXXH" ? 400.0 : 150.0;  // 1e-4 degrees
      r.lat_e4 = d.place->lat_e4 + static_cast<int>(std::floor(firm_rng.Normal(0.0, spread) + 0.5));
      r.lon_e4 = d.place->lon_e4 + static_cast<int>(std::floor(firm_rng.Normal(0.0, spread) + 0.5));
      f.years = Series(d, r.first_report, r.last_report);
      firms.push_back(std::move(f));
    }
    return firms;
  }

  uint64_t seed_;
  int first_year_;
  int last_year_;
  Rng rng_;
  std::vector<Draft> drafts_;
  std::set<std::string> names_;
};

}  // namespace

std::span<const DemoZone> DemoZones() { return kZones; }
std::span<const DemoCluster> DemoClusters() { return kClusters; }
std::span<const DemoInstitution> DemoInstitutions() { return kInstitutions; }

Result<std::vector<DemoFirm>> BuildDemoFirms(uint64_t seed, int first_year, int last_year) {
  if (first_year > kPrev || last_year < kYear) {
    return Status::InvalidInput("the demo calibration needs the years 2013 and 2014");
  }
  Builder builder(seed, first_year, last_year);
  return builder.Build();
}

}  // namespace clusterscope::synth
