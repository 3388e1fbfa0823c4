// GenerateDataset: plans zones and clusters (small, kept in memory), writes them, then streams
// the firms — the calibrated demo firms first, then the backdrop — writing each firm's register
// row, memberships and reports before moving to the next. A backdrop firm is a pure function of
// (seed, index), so nothing about it is kept once written.
#include "clusterscope/synth.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "io/csv_writer.h"
#include "synth/demo_calibration.h"
#include "synth/firm_model.h"
#include "synth/tables.h"

namespace clusterscope {
namespace {

using random::Rng;
using synth::City;
using synth::FirmRecord;
using synth::IndustryClass;
using synth::IndustryFamily;
using synth::Membership;
using synth::YearCore;

// Independent random streams, so that adding draws to one part leaves the others unchanged.
constexpr uint64_t kStreamZones = 1;
constexpr uint64_t kStreamClusters = 2;
constexpr uint64_t kStreamFirms = 3;
constexpr uint64_t kStreamDemoReports = 4;

// At this many firms the data set has the national programme's size (product.md): ~180 zones,
// ~200 clusters. Smaller data sets scale both down, to at least 20 zones and 15 clusters.
constexpr int64_t kFullScaleFirms = 500'000;
constexpr int64_t kMinFirms = 1000;
constexpr int kMaxYears = 40;
constexpr size_t kFlushBytes = size_t{1} << 20;

// Backdrop behaviour (shares of firms).
constexpr double kOutsideZones = 0.12;     // firms registered outside any zone
constexpr double kMemberOfCluster = 0.45;  // of firms in a zone with clusters
constexpr double kLeadingIndustry = 0.78;  // of members: in one of their cluster's leading classes
constexpr double kFoundedInRange = 0.2;    // entrants founded within the report years
constexpr double kExits = 0.06;            // firms that stop reporting before the last year

double Clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

int64_t ScaledCount(int64_t firms, int64_t at_full_scale, int64_t minimum) {
  const int64_t v = (firms * at_full_scale + kFullScaleFirms / 2) / kFullScaleFirms;
  return std::clamp(v, minimum, at_full_scale);
}

std::string Digits3(int64_t v) {
  std::string s = std::to_string(v);
  return std::string(s.size() < 3 ? 3 - s.size() : 0, '0') + s;
}

// A file written through a large buffer. Every failure names the path.
class OutputFile {
 public:
  OutputFile() = default;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  ~OutputFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  Status Open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    if (file_ == nullptr) return Status::Environment(path + ": cannot open for writing: " + std::strerror(errno));
    buffer_.reserve(kFlushBytes + 4096);
    return Status::Ok();
  }
  std::string& buffer() { return buffer_; }
  Status FlushIfFull() { return buffer_.size() >= kFlushBytes ? Flush() : Status::Ok(); }
  Status Flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) {
      return Status::Environment(path_ + ": write failed: " + std::strerror(errno));
    }
    buffer_.clear();
    return Status::Ok();
  }
  Status Close() {
    CS_RETURN_IF_ERROR(Flush());
    FILE* f = file_;
    file_ = nullptr;
    if (std::fclose(f) != 0) return Status::Environment(path_ + ": write failed: " + std::strerror(errno));
    return Status::Ok();
  }

 private:
  std::string path_;
  FILE* file_ = nullptr;
  std::string buffer_;
};

struct Zone {
  std::string id;
  std::string name;
  std::string short_name;  // in cluster and institution names
  const City* city = nullptr;
  std::string_view level;
  int lat_e4 = 0;
  int lon_e4 = 0;
  double weight = 1.0;
  std::vector<size_t> clusters;
  std::vector<double> cluster_cumulative;
  std::vector<size_t> families;  // of its clusters: one cluster per family and zone
};

struct Cluster {
  std::string id;
  std::string name;
  size_t zone = 0;
  size_t family = 0;
  std::string leading;                        // ";"-joined codes
  std::vector<const IndustryClass*> classes;  // the classes the leading codes cover
  std::string construction_body;
  std::string alliance;
  int recognised = 0;  // 0 = empty
  int formed = 0;      // earliest membership year
  double weight = 1.0;
};

struct Institution {
  std::string cluster_id;
  std::string name;
  std::string_view category;
  int national_level = -1;
};

class Generator {
 public:
  Generator(std::string dir, const SynthOptions& options) : dir_(std::move(dir)), options_(options) {}

  Result<SynthSummary> Run() {
    CS_RETURN_IF_ERROR(Validate());
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) return Status::Environment(dir_ + ": cannot create the directory: " + ec.message());

    std::vector<synth::DemoFirm> demo;
    if (options_.demo_calibration) {
      CS_ASSIGN_OR_RETURN(demo, synth::BuildDemoFirms(options_.seed, options_.first_year, options_.last_year));
    }
    demo_firms_ = static_cast<int64_t>(demo.size());
    PlanZones();
    PlanClusters();
    PrepareSampling();

    CS_RETURN_IF_ERROR(WriteZones());
    CS_RETURN_IF_ERROR(WriteClusters());
    CS_RETURN_IF_ERROR(WriteInstitutions());
    CS_RETURN_IF_ERROR(WriteFirmsMembersReports(demo));
    // In the importer's dependency order (importer.h), which is also the header's promise.
    summary_.files = {Path("zones.csv"),   Path("clusters.csv"),     Path("firms.csv"),
                      Path("members.csv"), Path("institutions.csv"), Path("reports.csv")};
    return summary_;
  }

 private:
  std::string Path(std::string_view name) const { return (std::filesystem::path(dir_) / name).string(); }

  Status Validate() const {
    const SynthOptions& o = options_;
    if (o.firms < kMinFirms || o.firms > synth::kMaxFirms) {
      return Status::InvalidInput("firms must be between " + std::to_string(kMinFirms) + " and " +
                                  std::to_string(synth::kMaxFirms) + ", not " + std::to_string(o.firms));
    }
    if (o.first_year < 1990 || o.last_year < o.first_year || o.last_year - o.first_year >= kMaxYears) {
      return Status::InvalidInput("years must run from 1990 or later, first ≤ last, at most " +
                                  std::to_string(kMaxYears) + " years; not " + std::to_string(o.first_year) + "–" +
                                  std::to_string(o.last_year));
    }
    if (o.demo_calibration && (o.first_year > 2013 || o.last_year < 2014)) {
      return Status::InvalidInput(
          "the demo calibration needs the years 2013 and 2014 (the report's year and the one before)");
    }
    return Status::Ok();
  }

  std::span<const City> BackdropCities() const {
    const auto all = synth::Cities();
    return options_.demo_calibration ? all.first(all.size() - synth::kQinghaiCities) : all;
  }

  // One national zone per city in the table's order (the first twenty in twenty provinces), then
  // provincial and other zones in the larger cities.
  void PlanZones() {
    Rng rng(options_.seed, kStreamZones);
    const int64_t total = ScaledCount(options_.firms, 180, 20);
    const size_t count = static_cast<size_t>(total) - (options_.demo_calibration ? synth::DemoZones().size() : 0);
    const auto cities = BackdropCities();
    std::vector<std::vector<std::string_view>> suffixes_left(cities.size());
    for (size_t c = 0; c < cities.size(); ++c) {
      const auto all = synth::ZoneSuffixes();
      suffixes_left[c].assign(all.begin(), all.end());
    }
    for (size_t k = 0; k < count; ++k) {
      Zone z;
      if (k < cities.size()) {
        const City& city = cities[k];
        z.city = &city;
        z.id = "Z";
        z.id += city.region;
        z.name = std::string(city.zone_name);
        z.short_name = std::string(city.zone_short);
        z.level = "national";
        z.lat_e4 = city.lat_e4;
        z.lon_e4 = city.lon_e4;
        z.weight = city.weight * rng.LogNormal(1.0, 0.25);
      } else {
        std::vector<double> w(cities.size());
        for (size_t c = 0; c < cities.size(); ++c) w[c] = suffixes_left[c].empty() ? 0.0 : cities[c].weight;
        const size_t c = rng.Weighted(w);
        const City& city = cities[c];
        auto& left = suffixes_left[c];
        const size_t s = static_cast<size_t>(rng.Between(0, static_cast<int64_t>(left.size()) - 1));
        const std::string_view suffix = left[s];
        left.erase(left.begin() + static_cast<std::ptrdiff_t>(s));
        z.city = &city;
        // Z320500B, Z320500C, …: the city's code and the zone's place among its zones.
        const size_t nth = synth::ZoneSuffixes().size() - left.size();
        z.id = "Z";
        z.id += city.region;
        z.id += static_cast<char>('A' + nth);
        z.name = city.name;
        z.name += suffix;
        z.short_name = z.name;
        z.level = rng.Chance(0.8) ? "provincial" : "other";
        // Elsewhere in the city: up to ~0.2 degrees from the centre.
        z.lat_e4 = city.lat_e4 + static_cast<int>(rng.Between(-1500, 1500));
        z.lon_e4 = city.lon_e4 + static_cast<int>(rng.Between(-2000, 2000));
        z.weight = city.weight * 0.35 * rng.LogNormal(1.0, 0.4);
      }
      zones_.push_back(std::move(z));
    }
  }

  void PlanClusters() {
    Rng rng(options_.seed, kStreamClusters);
    const int64_t total = ScaledCount(options_.firms, 200, 15);
    const size_t count = static_cast<size_t>(total) - (options_.demo_calibration ? synth::DemoClusters().size() : 0);
    const auto families = synth::IndustryFamilies();
    for (size_t k = 0; k < count; ++k) {
      // Clusters go to the larger zones, but less so to zones that have some already, so that a
      // small data set's clusters spread over the country; one per industry family and zone.
      std::vector<double> zw(zones_.size());
      for (size_t z = 0; z < zones_.size(); ++z) {
        const size_t n = zones_[z].families.size();
        zw[z] = n < families.size() ? std::sqrt(zones_[z].weight) / static_cast<double>(1 + 2 * n) : 0.0;
      }
      const size_t zi = rng.Weighted(zw);
      Zone& zone = zones_[zi];
      std::vector<double> fw(families.size());
      for (size_t f = 0; f < families.size(); ++f) {
        const bool used = std::find(zone.families.begin(), zone.families.end(), f) != zone.families.end();
        fw[f] = used ? 0.0 : families[f].weight;
      }
      const size_t fi = rng.Weighted(fw);
      const IndustryFamily& family = families[fi];
      zone.families.push_back(fi);

      Cluster c;
      c.id = "CL" + Digits3(static_cast<int64_t>(k) + 1);
      c.zone = zi;
      c.family = fi;
      c.name = zone.short_name + std::string(family.label) + "创新型产业集群";
      // 1–4 leading codes from the family; a code under another chosen one adds nothing, so it goes.
      constexpr double kCodeCounts[] = {0.2, 0.35, 0.3, 0.15};
      const size_t wanted = std::min(rng.Weighted(kCodeCounts) + 1, family.codes.size());
      std::vector<std::string_view> pool(family.codes.begin(), family.codes.end());
      std::vector<std::string_view> chosen;
      while (chosen.size() < wanted) {
        const size_t p = static_cast<size_t>(rng.Between(0, static_cast<int64_t>(pool.size()) - 1));
        chosen.push_back(pool[p]);
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(p));
      }
      std::vector<std::string_view> leading;
      for (std::string_view code : chosen) {
        const bool covered = std::any_of(chosen.begin(), chosen.end(), [&](std::string_view other) {
          return other.size() < code.size() && code.starts_with(other);
        });
        if (!covered) leading.push_back(code);
      }
      for (std::string_view code : leading) {
        if (!c.leading.empty()) c.leading += ';';
        c.leading += code;
      }
      for (const IndustryClass& cls : synth::IndustryClasses()) {
        for (std::string_view code : leading) {
          if (cls.code.starts_with(code)) {
            c.classes.push_back(&cls);
            break;
          }
        }
      }
      const bool national = zone.level == "national";
      if (rng.Chance(0.85)) c.construction_body = national ? zone.short_name + "管委会" : zone.name + "管理委员会";
      if (rng.Chance(0.6))
        c.alliance = std::string(zone.city->name) + std::string(family.label) + "产业技术创新战略联盟";
      // The cluster programme's pilots were recognised from 2011 on; a few records lack the year.
      const int recognised = std::min(options_.last_year, static_cast<int>(rng.Between(2011, 2016)));
      if (rng.Chance(0.92)) c.recognised = recognised;
      c.formed = recognised - static_cast<int>(rng.Between(0, 4));
      c.weight = rng.LogNormal(1.0, 0.7);

      const size_t n_institutions = static_cast<size_t>(rng.Between(1, 5));
      PlanInstitutions(rng, c, zone, family, n_institutions);
      zone.clusters.push_back(clusters_.size());
      clusters_.push_back(std::move(c));
    }
  }

  void PlanInstitutions(Rng& rng, const Cluster& c, const Zone& zone, const IndustryFamily& family, size_t n) {
    struct Template {
      std::string_view category;
      bool city_place;  // "{city}…" rather than "{zone}…"
      bool with_label;  // the family's label after the place
      std::string_view rest;
    };
    static constexpr Template kTemplates[] = {
        {"innovation_service", false, false, "科技企业孵化器"},
        {"innovation_service", false, true, "公共技术服务平台"},
        {"innovation_service", false, false, "生产力促进中心"},
        {"rd", true, true, "产业技术研究院"},
        {"rd", false, true, "工程技术研究中心"},
        {"finance", false, false, "科技金融服务中心"},
        {"finance", true, false, "科技创业投资有限公司"},
        {"other", false, false, "知识产权服务中心"},
        {"other", false, true, "产业联盟秘书处"},
    };
    std::vector<size_t> pool(std::size(kTemplates));
    for (size_t i = 0; i < pool.size(); ++i) pool[i] = i;
    for (size_t k = 0; k < n && !pool.empty(); ++k) {
      const size_t p = static_cast<size_t>(rng.Between(0, static_cast<int64_t>(pool.size()) - 1));
      const Template& t = kTemplates[pool[p]];
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(p));
      Institution inst;
      inst.cluster_id = c.id;
      inst.name = t.city_place ? std::string(zone.city->name) : zone.short_name;
      if (t.with_label) inst.name += family.label;
      inst.name += t.rest;
      inst.category = t.category;
      const double u = rng.Uniform();
      inst.national_level = u < 0.2 ? 1 : (u < 0.3 ? -1 : 0);
      institutions_.push_back(std::move(inst));
    }
  }

  void PrepareSampling() {
    double sum = 0.0;
    for (Zone& z : zones_) {
      sum += z.weight;
      zone_cumulative_.push_back(sum);
      double cs = 0.0;
      for (size_t ci : z.clusters) z.cluster_cumulative.push_back(cs += clusters_[ci].weight);
    }
    sum = 0.0;
    for (const City& c : BackdropCities()) city_cumulative_.push_back(sum += c.weight);
    sum = 0.0;
    for (const IndustryClass& c : synth::IndustryClasses()) class_cumulative_.push_back(sum += c.weight);
  }

  Status WriteZones() {
    OutputFile f;
    CS_RETURN_IF_ERROR(f.Open(Path("zones.csv")));
    std::string& out = f.buffer();
    // name_en only for the report's zones and clusters (the backdrop's invented names have none).
    out += "zone_id,name,region_code,level,name_en\n";
    for (const synth::DemoZone& z : synth::DemoZones()) {
      if (!options_.demo_calibration) break;
      out += io::CsvLine({std::string(z.id), std::string(z.name), std::string(z.region), std::string(z.level),
                          std::string(z.name_en)});
    }
    for (const Zone& z : zones_) {
      out += io::CsvLine({z.id, z.name, std::string(z.city->region), std::string(z.level), ""});
    }
    summary_.zones = static_cast<int64_t>(zones_.size()) +
                     (options_.demo_calibration ? static_cast<int64_t>(synth::DemoZones().size()) : 0);
    return f.Close();
  }

  Status WriteClusters() {
    OutputFile f;
    CS_RETURN_IF_ERROR(f.Open(Path("clusters.csv")));
    std::string& out = f.buffer();
    out += "cluster_id,name,zone_id,leading_industries,construction_body,alliance,recognised_year,name_en\n";
    const auto year = [](int y) { return y == 0 ? std::string() : std::to_string(y); };
    for (const synth::DemoCluster& c : synth::DemoClusters()) {
      if (!options_.demo_calibration) break;
      out += io::CsvLine({std::string(c.id), std::string(c.name), std::string(c.zone_id), std::string(c.leading),
                          std::string(c.construction_body), std::string(c.alliance), year(c.recognised_year),
                          std::string(c.name_en)});
    }
    for (const Cluster& c : clusters_) {
      out += io::CsvLine(
          {c.id, c.name, zones_[c.zone].id, c.leading, c.construction_body, c.alliance, year(c.recognised), ""});
    }
    summary_.clusters = static_cast<int64_t>(clusters_.size()) +
                        (options_.demo_calibration ? static_cast<int64_t>(synth::DemoClusters().size()) : 0);
    return f.Close();
  }

  Status WriteInstitutions() {
    OutputFile f;
    CS_RETURN_IF_ERROR(f.Open(Path("institutions.csv")));
    std::string& out = f.buffer();
    out += "cluster_id,name,category,national_level\n";
    const auto flag = [](int v) { return v < 0 ? std::string() : std::string(v == 1 ? "yes" : "no"); };
    int64_t n = 0;
    for (const synth::DemoInstitution& i : synth::DemoInstitutions()) {
      if (!options_.demo_calibration) break;
      out += io::CsvLine(
          {std::string(i.cluster_id), std::string(i.name), std::string(i.category), flag(i.national_level)});
      ++n;
    }
    for (const Institution& i : institutions_) {
      out += io::CsvLine({i.cluster_id, i.name, std::string(i.category), flag(i.national_level)});
      ++n;
    }
    summary_.institutions = n;
    return f.Close();
  }

  Status WriteFirmsMembersReports(const std::vector<synth::DemoFirm>& demo) {
    OutputFile firms;
    OutputFile members;
    OutputFile reports;
    CS_RETURN_IF_ERROR(firms.Open(Path("firms.csv")));
    CS_RETURN_IF_ERROR(members.Open(Path("members.csv")));
    CS_RETURN_IF_ERROR(reports.Open(Path("reports.csv")));
    firms.buffer() += synth::kFirmsHeader;
    members.buffer() += synth::kMembersHeader;
    reports.buffer() += synth::kReportsHeader;

    const int64_t total = options_.firms;
    const int64_t step = std::max<int64_t>(1, total / 100);
    const auto flush_and_report = [&](int64_t done) -> Status {
      CS_RETURN_IF_ERROR(firms.FlushIfFull());
      CS_RETURN_IF_ERROR(members.FlushIfFull());
      CS_RETURN_IF_ERROR(reports.FlushIfFull());
      if (options_.progress && (done % step == 0 || done == total)) options_.progress(done, total);
      return Status::Ok();
    };

    for (const synth::DemoFirm& d : demo) {
      const FirmRecord& f = d.record;
      synth::AppendFirmRow(f, firms.buffer());
      summary_.members += synth::AppendMemberRows(f, members.buffer());
      Rng rng(options_.seed, kStreamDemoReports, static_cast<uint64_t>(f.index));
      synth::FirmState state;
      for (int y = f.first_report; y <= f.last_report; ++y) {
        synth::AppendReport(f, y, d.years[static_cast<size_t>(y - options_.first_year)], state, rng, reports.buffer());
        ++summary_.reports;
      }
      CS_RETURN_IF_ERROR(flush_and_report(f.index + 1));
    }

    FirmRecord f;  // reused: its strings keep their capacity from firm to firm
    for (int64_t index = demo_firms_; index < total; ++index) {
      Rng rng(options_.seed, kStreamFirms, static_cast<uint64_t>(index));
      const BackdropPath path = MakeBackdropFirm(index, rng, f);
      synth::AppendFirmRow(f, firms.buffer());
      summary_.members += synth::AppendMemberRows(f, members.buffer());
      double level = path.base;
      synth::FirmState state;
      for (int y = f.first_report; y <= f.last_report; ++y) {
        if (y > f.first_report) {
          const double young = y - f.founded_year < 4 ? 0.15 : 0.0;
          level *= 1.0 + Clamp(path.trend + young + rng.Normal(0.0, 0.12), -0.5, 1.0);
          level = std::min(level, 2e11);
        }
        YearCore core;
        core.producing = y >= path.producing_from && !rng.Chance(0.007);
        core.level = level;
        synth::AppendReport(f, y, core, state, rng, reports.buffer());
        ++summary_.reports;
      }
      CS_RETURN_IF_ERROR(flush_and_report(index + 1));
    }
    summary_.firms = total;
    CS_RETURN_IF_ERROR(firms.Close());
    CS_RETURN_IF_ERROR(members.Close());
    return reports.Close();
  }

  struct BackdropPath {
    double base = 0.0;   // yuan in the first report year
    double trend = 0.0;  // mean yearly growth
    int producing_from = 0;
  };

  // Everything about backdrop firm `index`, from its own random stream.
  BackdropPath MakeBackdropFirm(int64_t index, Rng& rng, FirmRecord& f) {
    const int first = options_.first_year;
    const int last = options_.last_year;
    const auto cities = BackdropCities();
    f.index = index;
    f.memberships.clear();

    // Where: a zone (weighted by its size), or outside zones in some city.
    const Zone* zone = nullptr;
    const City* city = nullptr;
    int lat = 0;
    int lon = 0;
    double spread = 0.0;
    if (rng.Chance(kOutsideZones)) {
      city = &cities[random::PickCumulative(city_cumulative_, rng.Uniform())];
      f.zone_id = {};
      lat = city->lat_e4;
      lon = city->lon_e4;
      spread = 1500.0;
    } else {
      zone = &zones_[random::PickCumulative(zone_cumulative_, rng.Uniform())];
      city = zone->city;
      f.zone_id = zone->id;
      lat = zone->lat_e4;
      lon = zone->lon_e4;
      spread = 400.0;
    }
    f.region = city->firm_region;

    // Which cluster, and so which industry.
    const Cluster* cluster = nullptr;
    if (zone != nullptr && !zone->clusters.empty() && rng.Chance(kMemberOfCluster)) {
      cluster = &clusters_[zone->clusters[random::PickCumulative(zone->cluster_cumulative, rng.Uniform())]];
    }
    const auto general = [&]() {
      return &synth::IndustryClasses()[random::PickCumulative(class_cumulative_, rng.Uniform())];
    };
    const auto any_of = [&](const Cluster& c) {
      return c.classes[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(c.classes.size()) - 1))];
    };
    if (cluster != nullptr) {
      f.industry = rng.Chance(kLeadingIndustry) ? any_of(*cluster) : general();
    } else if (zone != nullptr && !zone->clusters.empty() && rng.Chance(0.4)) {
      // Zones attract firms of their clusters' industries that are not (yet) members.
      const size_t k = static_cast<size_t>(rng.Between(0, static_cast<int64_t>(zone->clusters.size()) - 1));
      f.industry = any_of(clusters_[zone->clusters[k]]);
    } else {
      f.industry = general();
    }

    // When: founded before the years (most) or within them (entrants); some stop reporting.
    if (rng.Chance(kFoundedInRange)) {
      f.founded_year = static_cast<int>(rng.Between(first, last));
    } else {
      f.founded_year = static_cast<int>(rng.Between(std::max(1980, first - 25), first - 1));
    }
    f.first_report = std::max(first, f.founded_year);
    f.last_report = last;
    if (f.first_report < last && rng.Chance(kExits)) {
      f.last_report = static_cast<int>(rng.Between(f.first_report, last - 1));
    }

    // Size: log-normal output (median 25 million yuan, a long tail to tens of billions); entrants
    // start small, and some spend their first year building rather than producing.
    BackdropPath path;
    path.base = Clamp(rng.LogNormal(25e6, 1.5), 3e5, 8e10);
    if (f.founded_year >= first) path.base *= 0.3;
    path.trend = rng.Normal(0.08, 0.08);
    path.producing_from = f.founded_year >= first && rng.Chance(0.4) ? f.founded_year + 1 : f.founded_year;

    f.traits = synth::DrawTraits(rng, *f.industry, path.base);
    synth::DrawRegisterFields(rng, f, path.base, first, last);
    f.name = synth::MakeFirmName(rng, city->name, synth::RandomBrand(rng), *f.industry);
    f.uscc = synth::MakeUscc(index, f.region);
    f.has_coords = !rng.Chance(0.07);
    f.lat_e4 = lat + static_cast<int>(std::floor(rng.Normal(0.0, spread) + 0.5));
    f.lon_e4 = lon + static_cast<int>(std::floor(rng.Normal(0.0, spread) + 0.5));

    // Membership: since the cluster formed or the firm could join; some leave, a few come back,
    // and a firm that closes is often still on the list.
    if (cluster != nullptr) {
      Membership m;
      m.cluster_id = cluster->id;
      m.from_year =
          std::min(f.last_report, std::max(cluster->formed, f.founded_year + static_cast<int>(rng.Between(0, 2))));
      m.backbone = path.base > 4e8 && rng.Chance(0.6);
      m.role_empty = !m.backbone && rng.Chance(0.2);
      if (m.from_year < f.last_report && rng.Chance(0.08)) {
        m.to_year = static_cast<int>(rng.Between(m.from_year, f.last_report - 1));
        f.memberships.push_back(m);
        if (m.to_year + 2 <= f.last_report && rng.Chance(0.3)) {
          m.from_year = m.to_year + 2;
          m.to_year = 0;
          f.memberships.push_back(m);
        }
      } else {
        f.memberships.push_back(m);
      }
      Membership& latest = f.memberships.back();
      if (latest.to_year == 0 && f.last_report < last && rng.Chance(0.5)) latest.to_year = f.last_report;
    }
    return path;
  }

  std::string dir_;
  SynthOptions options_;
  int64_t demo_firms_ = 0;
  std::vector<Zone> zones_;
  std::vector<Cluster> clusters_;
  std::vector<Institution> institutions_;
  std::vector<double> zone_cumulative_;
  std::vector<double> city_cumulative_;
  std::vector<double> class_cumulative_;
  SynthSummary summary_;
};

}  // namespace

Result<SynthSummary> GenerateDataset(const std::string& dir, const SynthOptions& options) {
  Generator generator(dir, options);
  return generator.Run();
}

}  // namespace clusterscope
