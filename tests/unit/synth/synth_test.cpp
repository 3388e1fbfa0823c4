// The synthetic data generator: determinism, the source report's seven figures recomputed here
// from the written CSVs (independently of the generator's own bookkeeping), a clean import of
// every file, credit codes, option checks, and — disabled by default — a 1,000,000-firm,
// ten-year run that reports time and peak memory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clusterscope/importer.h"
#include "clusterscope/store.h"
#include "clusterscope/synth.h"
#include "core/sha256.h"
#include "core/uscc.h"
#include "io/table_reader.h"
#include "refdata/builtin.h"
#include "store/memory_store.h"
#include "synth/tables.h"

namespace clusterscope {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("cs-synth-" + std::to_string(getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A whole CSV, read with the project's reader: cells by column id.
struct Table {
  std::map<std::string, size_t> columns;
  std::vector<std::vector<std::string>> rows;

  const std::string& At(size_t row, const std::string& column) const {
    static const std::string empty_cell;
    const auto it = columns.find(column);
    EXPECT_NE(it, columns.end()) << column;
    if (it == columns.end() || it->second >= rows[row].size()) return empty_cell;
    return rows[row][it->second];
  }
};

Table Read(const fs::path& path) {
  Table t;
  auto reader = io::TableReader::Open(path.string());
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return t;
  const auto& header = (*reader)->header();
  for (size_t i = 0; i < header.size(); ++i) t.columns[header[i]] = i;
  io::TableRow row;
  for (;;) {
    auto more = (*reader)->Next(row);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    t.rows.push_back(row.cells);
  }
  return t;
}

// "1234.567" 千元 → 1234567 yuan, exactly (no float). Refuses anything else.
int64_t Yuan(const std::string& thousands) {
  EXPECT_FALSE(thousands.empty());
  bool negative = !thousands.empty() && thousands[0] == '-';
  size_t i = negative ? 1 : 0;
  int64_t whole = 0;
  for (; i < thousands.size() && thousands[i] != '.'; ++i) {
    EXPECT_TRUE(thousands[i] >= '0' && thousands[i] <= '9') << thousands;
    whole = whole * 10 + (thousands[i] - '0');
  }
  int64_t frac = 0;
  int digits = 0;
  if (i < thousands.size()) {
    for (++i; i < thousands.size(); ++i, ++digits) frac = frac * 10 + (thousands[i] - '0');
  }
  EXPECT_LE(digits, 3) << thousands;
  for (; digits < 3; ++digits) frac *= 10;
  const int64_t v = whole * 1000 + frac;
  return negative ? -v : v;
}

bool Yes(const std::string& cell) { return cell.empty() || cell == "1"; }  // empty producing = yes

// The seven figures of indicators.md for a cluster and year, computed from the files alone.
struct Figures {
  int64_t firm_count = 0;
  int64_t producing_members = 0;
  int64_t producing_zone_firms = 0;
  int64_t gross_output = 0;       // yuan
  int64_t gross_output_prev = 0;  // yuan, the previous year's members
  int64_t zone_gross_output = 0;  // yuan
  int64_t value_added = 0;
  int64_t leading_value_added = 0;
  int64_t over_100m = 0;
  bool full_coverage = true;  // every gross_output / value_added / producing cell given

  double ProducingShare() const {
    return static_cast<double>(producing_members) / static_cast<double>(producing_zone_firms);
  }
  double Growth() const { return static_cast<double>(gross_output) / static_cast<double>(gross_output_prev) - 1.0; }
  double ZoneShare() const { return static_cast<double>(gross_output) / static_cast<double>(zone_gross_output); }
  double LeadingShare() const { return static_cast<double>(leading_value_added) / static_cast<double>(value_added); }
};

class Dataset {
 public:
  explicit Dataset(const fs::path& dir)
      : zones(Read(dir / "zones.csv")),
        clusters(Read(dir / "clusters.csv")),
        firms(Read(dir / "firms.csv")),
        members(Read(dir / "members.csv")),
        reports(Read(dir / "reports.csv")) {
    for (size_t r = 0; r < firms.rows.size(); ++r) firm_row[firms.At(r, "uscc")] = r;
    for (size_t r = 0; r < reports.rows.size(); ++r) {
      report_row[{reports.At(r, "uscc"), std::stoi(reports.At(r, "year"))}] = r;
    }
  }

  std::vector<std::string> ClusterFirms(const std::string& cluster, int year) const {
    std::set<std::string> out;
    for (size_t r = 0; r < members.rows.size(); ++r) {
      if (members.At(r, "cluster_id") != cluster) continue;
      const int from = std::stoi(members.At(r, "from_year"));
      const std::string& to = members.At(r, "to_year");
      const std::string& uscc = members.At(r, "uscc");
      if (from <= year && (to.empty() || year <= std::stoi(to)) && report_row.count({uscc, year}) != 0) {
        out.insert(uscc);
      }
    }
    return {out.begin(), out.end()};
  }
  std::vector<std::string> ZoneFirms(const std::string& zone, int year) const {
    std::vector<std::string> out;
    for (size_t r = 0; r < firms.rows.size(); ++r) {
      const std::string& uscc = firms.At(r, "uscc");
      if (firms.At(r, "zone_id") == zone && report_row.count({uscc, year}) != 0) out.push_back(uscc);
    }
    return out;
  }
  const std::string& Report(const std::string& uscc, int year, const std::string& column) const {
    return reports.At(report_row.at({uscc, year}), column);
  }
  std::string ClusterField(const std::string& cluster, const std::string& column) const {
    for (size_t r = 0; r < clusters.rows.size(); ++r) {
      if (clusters.At(r, "cluster_id") == cluster) return clusters.At(r, column);
    }
    ADD_FAILURE() << "no cluster " << cluster;
    return {};
  }

  Figures Compute(const std::string& cluster, int year) const {
    Figures f;
    const std::string zone = ClusterField(cluster, "zone_id");
    std::vector<std::string> leading;
    std::stringstream codes(ClusterField(cluster, "leading_industries"));
    for (std::string code; std::getline(codes, code, ';');) leading.push_back(code);
    const auto cell = [&](const std::string& uscc, int y, const std::string& column) -> const std::string& {
      const std::string& v = Report(uscc, y, column);
      if (v.empty()) f.full_coverage = false;
      return v;
    };
    for (const std::string& uscc : ClusterFirms(cluster, year)) {
      ++f.firm_count;
      if (Yes(cell(uscc, year, "producing"))) ++f.producing_members;
      const int64_t go = Yuan(cell(uscc, year, "gross_output"));
      const int64_t va = Yuan(cell(uscc, year, "value_added"));
      f.gross_output += go;
      f.value_added += va;
      if (go >= 100'000'000) ++f.over_100m;
      const std::string& industry = firms.At(firm_row.at(uscc), "industry_code");
      for (const std::string& code : leading) {
        if (industry.starts_with(code)) {
          f.leading_value_added += va;
          break;
        }
      }
    }
    for (const std::string& uscc : ClusterFirms(cluster, year - 1)) {
      f.gross_output_prev += Yuan(cell(uscc, year - 1, "gross_output"));
    }
    for (const std::string& uscc : ZoneFirms(zone, year)) {
      if (Yes(cell(uscc, year, "producing"))) ++f.producing_zone_firms;
      f.zone_gross_output += Yuan(cell(uscc, year, "gross_output"));
      cell(uscc, year, "value_added");
    }
    for (const std::string& uscc : ZoneFirms(zone, year - 1)) {
      cell(uscc, year - 1, "gross_output");
      cell(uscc, year - 1, "value_added");
      cell(uscc, year - 1, "producing");
    }
    return f;
  }

  Table zones, clusters, firms, members, reports;
  std::map<std::string, size_t> firm_row;
  std::map<std::pair<std::string, int>, size_t> report_row;
};

// The default data set (20,000 firms, 2010–2016), generated once for the tests that read it.
class SynthDefault : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dataset_dir = new fs::path(TempDir("default"));
    auto r = GenerateDataset(dataset_dir->string(), SynthOptions{});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    summary = new SynthSummary(*r);
    dataset = new Dataset(*dataset_dir);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dataset_dir);
    delete dataset;
    delete summary;
    delete dataset_dir;
  }
  static fs::path* dataset_dir;
  static SynthSummary* summary;
  static Dataset* dataset;
};
fs::path* SynthDefault::dataset_dir = nullptr;
SynthSummary* SynthDefault::summary = nullptr;
Dataset* SynthDefault::dataset = nullptr;

TEST_F(SynthDefault, ReproducesTheReportsSevenFigures) {
  const Figures f = dataset->Compute("QH-BIO", 2014);
  std::printf(
      "QH-BIO 2014: firm_count %lld; producing %lld / %lld = %.4f%%; gross_output %lld yuan (%.4f 亿元); growth "
      "%.4f%%; zone share %.4f%%; leading VA share %.4f%%; over 100m %lld\n",
      static_cast<long long>(f.firm_count), static_cast<long long>(f.producing_members),
      static_cast<long long>(f.producing_zone_firms), 100 * f.ProducingShare(), static_cast<long long>(f.gross_output),
      static_cast<double>(f.gross_output) / 1e8, 100 * f.Growth(), 100 * f.ZoneShare(), 100 * f.LeadingShare(),
      static_cast<long long>(f.over_100m));
  EXPECT_EQ(f.firm_count, 60);
  EXPECT_EQ(f.producing_members * 8, f.producing_zone_firms * 5);  // exactly 62.5%
  EXPECT_EQ(f.producing_zone_firms, 96);
  EXPECT_EQ(f.gross_output, 12'200'000'000);
  EXPECT_NEAR(f.Growth(), 0.307, 0.0005);
  EXPECT_NEAR(f.ZoneShare(), 0.586, 0.0005);
  EXPECT_GE(f.LeadingShare(), 0.60);
  EXPECT_LE(f.LeadingShare(), 0.70);
  EXPECT_EQ(f.over_100m, 23);
  EXPECT_TRUE(f.full_coverage) << "a member or zone firm lacks gross_output, value_added or producing in 2013–2014";
}

TEST_F(SynthDefault, MembersDifferBetweenYearsAndTheZoneHasNonMembers) {
  const auto m13 = dataset->ClusterFirms("QH-BIO", 2013);
  const auto m14 = dataset->ClusterFirms("QH-BIO", 2014);
  std::set<std::string> s13(m13.begin(), m13.end());
  std::set<std::string> s14(m14.begin(), m14.end());
  EXPECT_NE(s13, s14);
  EXPECT_GT(dataset->ZoneFirms("XNGX", 2014).size(), m14.size());
}

TEST_F(SynthDefault, BackboneFirmsTheReportNamesAreBackboneMembers) {
  std::map<std::string, std::string> name_of;
  for (size_t r = 0; r < dataset->firms.rows.size(); ++r) {
    name_of[dataset->firms.At(r, "uscc")] = dataset->firms.At(r, "name");
  }
  std::set<std::pair<std::string, std::string>> backbone;  // (cluster, name)
  for (size_t r = 0; r < dataset->members.rows.size(); ++r) {
    if (dataset->members.At(r, "role") == "backbone") {
      backbone.insert({dataset->members.At(r, "cluster_id"), name_of[dataset->members.At(r, "uscc")]});
    }
  }
  for (const auto& [cluster, name] :
       std::vector<std::pair<std::string, std::string>>{{"QH-BIO", "青海金诃藏药药业股份有限公司"},
                                                        {"QH-BIO", "青海康普生物科技股份有限公司"},
                                                        {"HX-SALT", "青海盐湖工业股份有限公司"},
                                                        {"HX-SALT", "青海中航资源有限公司"},
                                                        {"HX-SALT", "青海西部镁业有限公司"}}) {
    EXPECT_EQ(backbone.count({cluster, name}), 1u) << cluster << " " << name;
  }
}

TEST_F(SynthDefault, SaltLakeClusterIsPotashLedWithTheBackboneFirmsLargest) {
  std::map<std::string, int64_t> value_added_by_industry;
  std::vector<std::pair<int64_t, std::string>> outputs;
  for (const std::string& uscc : dataset->ClusterFirms("HX-SALT", 2014)) {
    const std::string& industry = dataset->firms.At(dataset->firm_row.at(uscc), "industry_code");
    value_added_by_industry[industry] += Yuan(dataset->Report(uscc, 2014, "value_added"));
    outputs.push_back(
        {Yuan(dataset->Report(uscc, 2014, "gross_output")), dataset->firms.At(dataset->firm_row.at(uscc), "name")});
  }
  std::string top_industry;
  for (const auto& [industry, va] : value_added_by_industry) {
    if (top_industry.empty() || va > value_added_by_industry[top_industry]) top_industry = industry;
  }
  EXPECT_EQ(top_industry, "2623");  // 钾肥
  std::sort(outputs.rbegin(), outputs.rend());
  ASSERT_GE(outputs.size(), 3u);
  EXPECT_EQ(outputs[0].second, "青海盐湖工业股份有限公司");
  std::set<std::string> next = {outputs[1].second, outputs[2].second};
  EXPECT_EQ(next, (std::set<std::string>{"青海中航资源有限公司", "青海西部镁业有限公司"}));
}

TEST_F(SynthDefault, CreditCodesAreValidSyntheticAndUnique) {
  std::set<std::string> seen;
  for (size_t r = 0; r < dataset->firms.rows.size(); ++r) {
    const std::string& code = dataset->firms.At(r, "uscc");
    const uscc::Verdict v = uscc::Check(code);
    EXPECT_EQ(v.problem, uscc::Problem::kNone) << code;
    EXPECT_EQ(v.code, code);
    EXPECT_EQ(code.substr(0, 2), "91") << code;
    EXPECT_EQ(code.substr(2, 6), dataset->firms.At(r, "region_code")) << code;
    EXPECT_EQ(code.substr(8, 2), "XY") << code;
    EXPECT_TRUE(seen.insert(code).second) << "duplicate " << code;
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), summary->firms);
  EXPECT_EQ(summary->firms, 20000);
}

TEST_F(SynthDefault, ShapeOfTheBackdrop) {
  // Counts match the files; zones spread over at least ten provinces.
  EXPECT_EQ(static_cast<int64_t>(dataset->zones.rows.size()), summary->zones);
  EXPECT_EQ(static_cast<int64_t>(dataset->clusters.rows.size()), summary->clusters);
  EXPECT_EQ(static_cast<int64_t>(dataset->members.rows.size()), summary->members);
  EXPECT_EQ(static_cast<int64_t>(dataset->reports.rows.size()), summary->reports);
  EXPECT_GE(summary->zones, 20);
  EXPECT_GE(summary->clusters, 15);
  std::set<std::string> provinces;
  for (size_t r = 0; r < dataset->zones.rows.size(); ++r)
    provinces.insert(dataset->zones.At(r, "region_code").substr(0, 2));
  EXPECT_GE(provinces.size(), 10u);

  // A valid high-tech certificate for roughly a fifth to two fifths of reporting firms in a year.
  std::map<std::string, int> cert;
  for (size_t r = 0; r < dataset->firms.rows.size(); ++r) {
    const std::string& y = dataset->firms.At(r, "high_tech_cert_year");
    cert[dataset->firms.At(r, "uscc")] = y.empty() ? 0 : std::stoi(y);
  }
  int64_t reporting = 0;
  int64_t valid = 0;
  int64_t not_producing = 0;
  int64_t empty_cells = 0;
  int64_t zero_cells = 0;
  for (size_t r = 0; r < dataset->reports.rows.size(); ++r) {
    if (dataset->reports.At(r, "year") != "2014") continue;
    ++reporting;
    const int c = cert[dataset->reports.At(r, "uscc")];
    if (c != 0 && c <= 2014 && 2014 <= c + 2) ++valid;
    if (dataset->reports.At(r, "producing") == "0") ++not_producing;
    for (const std::string& cell : dataset->reports.rows[r]) {
      empty_cells += cell.empty() ? 1 : 0;
      zero_cells += cell == "0" ? 1 : 0;
    }
  }
  const double share = static_cast<double>(valid) / static_cast<double>(reporting);
  EXPECT_GT(share, 0.2);
  EXPECT_LT(share, 0.4);
  EXPECT_GT(not_producing, 0);
  EXPECT_GT(empty_cells, 0);
  EXPECT_GT(zero_cells, 0);
}

TEST(Synth, SameSeedSameBytesOtherSeedOtherData) {
  SynthOptions options;
  options.firms = 2000;
  const fs::path a = TempDir("seed-a");
  const fs::path b = TempDir("seed-b");
  const fs::path c = TempDir("seed-c");
  ASSERT_TRUE(GenerateDataset(a.string(), options).ok());
  ASSERT_TRUE(GenerateDataset(b.string(), options).ok());
  options.seed += 1;
  ASSERT_TRUE(GenerateDataset(c.string(), options).ok());
  for (const char* name :
       {"zones.csv", "clusters.csv", "firms.csv", "members.csv", "institutions.csv", "reports.csv"}) {
    EXPECT_EQ(Slurp(a / name), Slurp(b / name)) << name;
  }
  EXPECT_NE(Slurp(a / "firms.csv"), Slurp(c / "firms.csv"));
  EXPECT_NE(Slurp(a / "reports.csv"), Slurp(c / "reports.csv"));
  // Another seed, the same seven figures.
  const Figures f = Dataset(c).Compute("QH-BIO", 2014);
  EXPECT_EQ(f.firm_count, 60);
  EXPECT_EQ(f.gross_output, 12'200'000'000);
  EXPECT_EQ(f.over_100m, 23);
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
}

// The generator's arithmetic must be the same everywhere, so its output is pinned: this digest
// changes only when the generator changes on purpose (then update it) — or when some platform
// computes differently, which is the bug this test is here to catch.
TEST(Synth, GoldenDigestOfASmallDataSet) {
  SynthOptions options;
  options.firms = 1000;
  options.first_year = 2012;
  options.last_year = 2015;
  options.seed = 7;
  const fs::path dir = TempDir("golden");
  ASSERT_TRUE(GenerateDataset(dir.string(), options).ok());
  std::string all;
  for (const char* name :
       {"zones.csv", "clusters.csv", "firms.csv", "members.csv", "institutions.csv", "reports.csv"}) {
    all += sha256::Hex(Slurp(dir / name));
  }
  // 2026-12-01: zones.csv and clusters.csv gained name_en (the report's zones and clusters in English).
  EXPECT_EQ(sha256::Hex(all), "cbb9732838caf22bbf5f4da2fdeebd296cd83a3c844bc2732c4f07e9da24f801");
  fs::remove_all(dir);
}

TEST(Synth, EveryFileImportsWithoutErrorsOrWarnings) {
  SynthOptions options;
  options.firms = 3000;
  options.first_year = 2012;
  options.last_year = 2016;
  const fs::path dir = TempDir("import");
  auto summary = GenerateDataset(dir.string(), options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  ASSERT_EQ(summary->files.size(), 6u);

  auto store = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*store).ok());
  const std::vector<Kind> kinds = {Kind::kZones,   Kind::kClusters,     Kind::kFirms,
                                   Kind::kMembers, Kind::kInstitutions, Kind::kReports};
  std::vector<ImportInput> inputs;
  for (size_t i = 0; i < kinds.size(); ++i) inputs.push_back({kinds[i], summary->files[i], ""});
  ImportOptions import_options;
  import_options.this_year = 2026;
  auto outcome = Import(*store, inputs, import_options);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  for (size_t i = 0; i < outcome->problems.size() && i < 20; ++i) {
    const Problem& p = outcome->problems[i];
    ADD_FAILURE() << p.file << ":" << p.row << " " << p.column << " '" << p.value << "' " << p.rule << " "
                  << p.message_en;
  }
  EXPECT_EQ(outcome->problems.size(), 0u);
  EXPECT_EQ(outcome->errors(), 0);
  EXPECT_TRUE(outcome->written);
  int64_t warnings = 0;
  for (const FileOutcome& f : outcome->files) warnings += f.warnings;
  EXPECT_EQ(warnings, 0);

  EXPECT_EQ(*store->Count(Kind::kZones), summary->zones);
  EXPECT_EQ(*store->Count(Kind::kClusters), summary->clusters);
  EXPECT_EQ(*store->Count(Kind::kFirms), summary->firms);
  EXPECT_EQ(*store->Count(Kind::kMembers), summary->members);
  EXPECT_EQ(*store->Count(Kind::kInstitutions), summary->institutions);
  EXPECT_EQ(*store->Count(Kind::kReports), summary->reports);
  fs::remove_all(dir);
}

TEST(Synth, WithoutDemoCalibrationThereAreNoQinghaiClusters) {
  SynthOptions options;
  options.firms = 1500;
  options.demo_calibration = false;
  options.first_year = 2001;
  options.last_year = 2005;
  const fs::path dir = TempDir("nodemo");
  auto summary = GenerateDataset(dir.string(), options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const Table clusters = Read(dir / "clusters.csv");
  for (size_t r = 0; r < clusters.rows.size(); ++r) EXPECT_NE(clusters.At(r, "cluster_id"), "QH-BIO");
  EXPECT_EQ(summary->firms, 1500);
  EXPECT_EQ(summary->zones, 20);
  fs::remove_all(dir);
}

TEST(Synth, RefusesOptionsOutOfRangeAndNamesAnUnwritablePath) {
  const fs::path dir = TempDir("refuse");
  SynthOptions options;
  options.firms = 10;
  EXPECT_EQ(GenerateDataset(dir.string(), options).status().code(), StatusCode::kInvalidInput);
  options = {};
  options.first_year = 2016;
  options.last_year = 2010;
  EXPECT_EQ(GenerateDataset(dir.string(), options).status().code(), StatusCode::kInvalidInput);
  options = {};
  options.first_year = 2015;  // the calibration needs 2013 and 2014
  EXPECT_EQ(GenerateDataset(dir.string(), options).status().code(), StatusCode::kInvalidInput);

  // A directory that cannot exist: its parent is a regular file.
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  const std::string bad = (dir / "file" / "out").string();
  auto r = GenerateDataset(bad, SynthOptions{});
  EXPECT_EQ(r.status().code(), StatusCode::kEnvironment);
  EXPECT_NE(r.status().message().find(bad), std::string::npos) << r.status().message();
  fs::remove_all(dir);
}

TEST(Synth, ProgressIsReportedAboutEveryPercentAndAtTheEnd) {
  SynthOptions options;
  options.firms = 5000;
  std::vector<std::pair<int64_t, int64_t>> calls;
  options.progress = [&](int64_t done, int64_t total) { calls.push_back({done, total}); };
  const fs::path dir = TempDir("progress");
  ASSERT_TRUE(GenerateDataset(dir.string(), options).ok());
  ASSERT_FALSE(calls.empty());
  EXPECT_GE(calls.size(), 90u);
  EXPECT_LE(calls.size(), 110u);
  for (size_t i = 1; i < calls.size(); ++i) EXPECT_GT(calls[i].first, calls[i - 1].first);
  EXPECT_EQ(calls.back(), std::make_pair(int64_t{5000}, int64_t{5000}));
  fs::remove_all(dir);
}

TEST(SynthTables, EveryCodeIsInTheBuiltInTables) {
  std::set<std::string_view> industries;
  for (const auto& e : refdata::BuiltinIndustries()) industries.insert(e.code);
  std::set<std::string_view> regions;
  for (const auto& e : refdata::BuiltinRegions()) regions.insert(e.code);
  for (const auto& c : synth::IndustryClasses()) EXPECT_EQ(industries.count(c.code), 1u) << c.code;
  for (const auto& f : synth::IndustryFamilies()) {
    for (std::string_view code : f.codes) EXPECT_EQ(industries.count(code), 1u) << code;
  }
  for (const auto& c : synth::Cities()) {
    EXPECT_EQ(regions.count(c.region), 1u) << c.region;
    EXPECT_EQ(regions.count(c.firm_region), 1u) << c.firm_region;
    EXPECT_EQ(refdata::RegionLevel(c.region), "prefecture") << c.region;
  }
  // The first twenty cities lie in twenty provinces: the smallest data set spans the country.
  std::set<std::string_view> provinces;
  for (size_t i = 0; i < 20; ++i) provinces.insert(synth::Cities()[i].region.substr(0, 2));
  EXPECT_EQ(provinces.size(), 20u);
}

long PeakRssKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// 1,000,000 firms × 10 years (10 million report rows, several GB) into the temp directory:
// run by hand (--gtest_also_run_disabled_tests --gtest_filter='*Million*') to see that memory
// stays flat. Prints the time and the peak resident set (VmHWM).
TEST(Synth, DISABLED_MillionFirmsTenYearsInBoundedMemory) {
  SynthOptions options;
  options.firms = 1'000'000;
  options.first_year = 2007;
  options.last_year = 2016;
  int64_t last_percent = -1;
  options.progress = [&](int64_t done, int64_t total) {
    const int64_t percent = done * 100 / total;
    if (percent % 10 == 0 && percent != last_percent) {
      last_percent = percent;
      std::printf("  %3lld%%  VmHWM %ld kB\n", static_cast<long long>(percent), PeakRssKb());
      std::fflush(stdout);
    }
  };
  const fs::path dir = TempDir("million");
  const long before = PeakRssKb();
  const auto t0 = std::chrono::steady_clock::now();
  auto summary = GenerateDataset(dir.string(), options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  const long after = PeakRssKb();
  std::printf(
      "1,000,000 firms x 10 years: %lld reports, %lld members, %.1f s, reports.csv %.2f GB; VmHWM %ld kB "
      "before, %ld kB after\n",
      static_cast<long long>(summary->reports), static_cast<long long>(summary->members), seconds,
      static_cast<double>(fs::file_size(dir / "reports.csv")) / 1e9, before, after);
  EXPECT_EQ(summary->firms, 1'000'000);
  EXPECT_LT(after - before, 64 * 1024) << "memory grew by more than 64 MB";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace clusterscope
