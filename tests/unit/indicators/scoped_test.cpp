// Issue 11 #5 and #6: the import keeps the columnar snapshot and its totals current itself, byte
// for byte what a rebuild from the rows writes, through imports that add firms between stored
// ones, add years, replace reports and move firms to another industry and region; and a scoped
// load (one cluster, one zone) answers every indicator exactly as the whole data set does.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "clusterscope/briefing.h"
#include "clusterscope/diagnosis.h"
#include "clusterscope/evaluation.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/place.h"
#include "clusterscope/store.h"
#include "clusterscope/synth.h"
#include "indicators/dataset.h"
#include "indicators/scoped_read.h"
#include "store/memory_store.h"
#include "support/snapshot_rows.h"

namespace clusterscope {
namespace {

std::vector<std::string> ReadLines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void WriteLines(const std::filesystem::path& path, const std::string& header, const std::vector<std::string>& rows) {
  std::ofstream out(path);
  out << header << "\n";
  for (const std::string& r : rows) out << r << "\n";
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

std::string Join(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i == 0 ? "" : ",") + cells[i];
  return out;
}

size_t ColumnOf(const std::string& header, const std::string& id) {
  auto cells = Split(header);
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i] == id || cells[i].starts_with(id + "(")) return i;
  }
  ADD_FAILURE() << "no column " << id << " in " << header;
  return 0;
}

// Every row of report_columns, as stored.
using Dump = testing::SnapshotRows;
Dump DumpSnapshot(const std::string& path) { return testing::SqliteSnapshotRows(path); }

// Every value `part` computes for `req` equals the whole data set's (entity, value, null reason,
// coverage); adds how many were compared, and how many had a value, to the counters.
void ExpectSameValues(const Dataset& part, const Dataset& whole, const IndicatorRequest& req, size_t& compared,
                      size_t& with_value) {
  auto a = ComputeIndicators(part, req);
  auto b = ComputeIndicators(whole, req);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    const IndicatorValue& x = (*a)[i];
    const IndicatorValue& z = (*b)[i];
    SCOPED_TRACE(fmt::format("{} {} {} ({})", x.indicator->id, x.entity.id, x.year, req.lq_measure));
    EXPECT_EQ(x.entity.id, z.entity.id);
    EXPECT_EQ(x.integer, z.integer);
    EXPECT_EQ(x.real, z.real);
    EXPECT_EQ(x.reason, z.reason);
    EXPECT_EQ(x.coverage, z.coverage);
    ++compared;
    if (x.has_value()) ++with_value;
  }
}

class Scoped : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(std::filesystem::temp_directory_path() / fmt::format("cs_scoped_{}", ::getpid()));
    std::filesystem::remove_all(*dir_);
    SynthOptions options;
    options.firms = 3000;
    options.first_year = 2011;
    options.last_year = 2016;
    options.seed = 7;
    auto summary = GenerateDataset((*dir_ / "all").string(), options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    path_ = (*dir_ / fmt::format("{}.db", ::testing::UnitTest::GetInstance()->current_test_info()->name())).string();
    std::filesystem::remove(path_);
    auto store = OpenStore(path_);
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ASSERT_TRUE(InitDatabase(*store_).ok());
  }

  void Import(const std::vector<std::pair<Kind, std::filesystem::path>>& files, bool replace = false) {
    std::vector<ImportInput> inputs;
    for (const auto& [kind, file] : files) inputs.push_back({kind, file.string(), ""});
    ImportOptions options;
    options.this_year = 2026;
    options.replace = replace;
    auto outcome = clusterscope::Import(*store_, inputs, options);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    for (const Problem& p : outcome->problems) {
      if (p.severity == Severity::kError) ADD_FAILURE() << p.file << " row " << p.row << ": " << p.message_en;
    }
    ASSERT_TRUE(outcome->written);
  }

  // Every file of the synthetic panel imported at once, and the whole data set loaded (whole_).
  void ImportAll() {
    const std::filesystem::path all = *dir_ / "all";
    Import({{Kind::kZones, all / "zones.csv"},
            {Kind::kClusters, all / "clusters.csv"},
            {Kind::kFirms, all / "firms.csv"},
            {Kind::kMembers, all / "members.csv"},
            {Kind::kInstitutions, all / "institutions.csv"},
            {Kind::kReports, all / "reports.csv"}});
    auto whole = LoadDataset(*store_);
    ASSERT_TRUE(whole.ok()) << whole.status().ToString();
    whole_ = *whole;
  }

  // The snapshot as the imports kept it equals, byte for byte, the one a rebuild writes.
  void ExpectSnapshotAsRebuilt(const std::string& step) {
    SCOPED_TRACE(step);
    const Dump kept = DumpSnapshot(path_);
    ASSERT_FALSE(kept.empty());
    const std::string copy = path_ + ".rebuilt";
    std::filesystem::remove(copy);
    {
      sqlite3* db = nullptr;
      ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(db, fmt::format("VACUUM INTO '{}'", copy).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db);
      ASSERT_EQ(sqlite3_open(copy.c_str(), &db), SQLITE_OK);
      ASSERT_EQ(sqlite3_exec(db, "DELETE FROM report_columns", nullptr, nullptr, nullptr), SQLITE_OK);
      sqlite3_close(db);
      auto other = OpenStore(copy);
      ASSERT_TRUE(other.ok());
      ASSERT_TRUE((*other)->Init().ok());  // rebuilds a missing snapshot
    }
    const Dump rebuilt = DumpSnapshot(copy);
    std::filesystem::remove(copy);
    ASSERT_EQ(kept.size(), rebuilt.size());
    for (const auto& [key, value] : rebuilt) {
      auto it = kept.find(key);
      ASSERT_NE(it, kept.end()) << key.first << " " << key.second;
      EXPECT_EQ(it->second.first, value.first) << key.first << " " << key.second;
      EXPECT_TRUE(it->second.second == value.second) << "blob differs: " << key.first << " " << key.second;
    }
  }

  // Runs `sql` on the database file through a connection of its own; the rows it changed.
  int ExecOnTheFile(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    const int changed = sqlite3_changes(db);
    sqlite3_close(db);
    return changed;
  }

  static std::filesystem::path* dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
  std::shared_ptr<const Dataset> whole_;
};

std::filesystem::path* Scoped::dir_ = nullptr;

TEST_F(Scoped, ImportsKeepTheSnapshotAsARebuildWouldWriteIt) {
  const std::filesystem::path all = *dir_ / "all";
  const std::filesystem::path parts = *dir_ / "parts";
  std::filesystem::create_directories(parts);
  auto firms = ReadLines(all / "firms.csv");
  auto reports = ReadLines(all / "reports.csv");
  ASSERT_GT(firms.size(), 100u);
  // Firms in two interleaved halves: the second import's firms fall between stored ones.
  std::set<std::string> second_half;
  std::vector<std::string> firms_a, firms_b;
  for (size_t i = 1; i < firms.size(); ++i) {
    const std::string uscc = firms[i].substr(0, firms[i].find(','));
    if (i % 2 == 0) {
      firms_b.push_back(firms[i]);
      second_half.insert(uscc);
    } else {
      firms_a.push_back(firms[i]);
    }
  }
  std::vector<std::string> reports_a, reports_b, reports_c;
  const size_t year_col = ColumnOf(reports[0], "year");
  const size_t revenue_col = ColumnOf(reports[0], "revenue");
  const size_t employees_col = ColumnOf(reports[0], "employees");
  const size_t taxes_col = ColumnOf(reports[0], "taxes_paid");
  for (size_t i = 1; i < reports.size(); ++i) {
    auto cells = Split(reports[i]);
    const bool b = second_half.contains(cells[0]);
    const int year = std::stoi(cells[year_col]);
    (b || year >= 2015 ? reports_b : reports_a).push_back(reports[i]);
    if (!b && year <= 2014 && i % 7 == 0) {
      // A correction: more revenue and employees, taxes no longer reported.
      if (!cells[revenue_col].empty()) cells[revenue_col] = "1" + cells[revenue_col];
      if (!cells[employees_col].empty()) cells[employees_col] = std::to_string(std::stoi(cells[employees_col]) + 3);
      cells[taxes_col] = "";
      reports_c.push_back(Join(cells));
    }
  }
  // Firms that move to another region and industry (those of two other firms).
  const size_t region_col = ColumnOf(firms[0], "region_code");
  const size_t industry_col = ColumnOf(firms[0], "industry_code");
  std::vector<std::string> firms_c;
  for (size_t i = 0; i + 1 < firms_a.size() && firms_c.size() < 20; i += 37) {
    auto cells = Split(firms_a[i]);
    auto other = Split(firms_a[i + 1]);
    if (cells[industry_col] == other[industry_col]) continue;
    cells[region_col] = other[region_col];
    cells[industry_col] = other[industry_col];
    firms_c.push_back(Join(cells));
  }
  ASSERT_FALSE(reports_c.empty());
  ASSERT_FALSE(firms_c.empty());
  WriteLines(parts / "firms_a.csv", firms[0], firms_a);
  WriteLines(parts / "firms_b.csv", firms[0], firms_b);
  WriteLines(parts / "firms_c.csv", firms[0], firms_c);
  WriteLines(parts / "reports_a.csv", reports[0], reports_a);
  WriteLines(parts / "reports_b.csv", reports[0], reports_b);
  WriteLines(parts / "reports_c.csv", reports[0], reports_c);

  Import({{Kind::kZones, all / "zones.csv"},
          {Kind::kClusters, all / "clusters.csv"},
          {Kind::kFirms, parts / "firms_a.csv"},
          {Kind::kReports, parts / "reports_a.csv"}});
  ExpectSnapshotAsRebuilt("first half of the firms, 2011-2014");
  Import({{Kind::kFirms, parts / "firms_b.csv"}, {Kind::kReports, parts / "reports_b.csv"}});
  ExpectSnapshotAsRebuilt("firms between the stored ones, their reports, and 2015-2016 for all");
  Import({{Kind::kReports, parts / "reports_c.csv"}}, /*replace=*/true);
  ExpectSnapshotAsRebuilt("reports replaced");
  Import({{Kind::kFirms, parts / "firms_c.csv"}}, /*replace=*/true);
  ExpectSnapshotAsRebuilt("firms moved to another region and industry");
}

// Every indicator of every cluster and zone from a scoped load equals the whole data set's.
TEST_F(Scoped, ScopedLoadsAnswerAsTheWholeDataSet) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const std::vector<int> years = ReportYears(w);
  ASSERT_GE(years.size(), 5u);
  size_t compared = 0;
  size_t with_value = 0;
  auto compare = [&](const EntityRef& e, const DataScope& scope, const std::string& lq) {
    auto part = LoadDataset(*store_, scope);
    ASSERT_TRUE(part.ok()) << part.status().ToString();
    ASSERT_NE(*part, nullptr) << "the SQLite store keeps the totals";
    EXPECT_LT((*part)->firms.size(), w.firms.size());
    IndicatorRequest req;
    req.entities = {e};
    req.first_year = scope.first_year + kLookbackYears;
    req.last_year = years.back();
    req.lq_measure = lq;
    ExpectSameValues(**part, w, req, compared, with_value);
  };
  const int first = years.front();
  for (const EntityRef& c : AllEntities(w, EntityKind::kCluster)) {
    compare(c, DataScope{.clusters = {c.id}, .first_year = first}, "employees");
  }
  for (const EntityRef& z : AllEntities(w, EntityKind::kZone)) {
    compare(z, DataScope{.zones = {z.id}, .first_year = first}, "employees");
  }
  // The other location-quotient measures, and a window that starts later, for a few clusters.
  const auto clusters = AllEntities(w, EntityKind::kCluster);
  for (size_t i = 0; i < clusters.size(); i += 5) {
    compare(clusters[i], DataScope{.clusters = {clusters[i].id}, .first_year = years.back() - kLookbackYears},
            "gross_output");
    compare(clusters[i], DataScope{.clusters = {clusters[i].id}, .first_year = years.back() - kLookbackYears},
            "value_added");
  }
  EXPECT_GT(with_value, compared / 3);
  std::printf("compared %zu values (%zu with a value)\n", compared, with_value);
}

// The whole catalogue a year at a time (ForEachYearWindow: each year with its look-back years
// only) equals the whole data set's, for every region, zone, cluster and the country, every year;
// and a window answers about its own year only.
TEST_F(Scoped, YearWindowsAnswerAsTheWholeDataSet) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const std::vector<int> years = ReportYears(w);
  ASSERT_GE(years.size(), 5u);
  IndicatorRequest req;
  for (EntityKind kind : {EntityKind::kRegion, EntityKind::kZone, EntityKind::kCluster, EntityKind::kCountry}) {
    for (const EntityRef& e : AllEntities(w, kind)) req.entities.push_back(e);
  }
  size_t compared = 0;
  size_t with_value = 0;
  std::vector<int> handed_out;
  // One year before the first report and one after the last: windows with nothing in them.
  const int first = years.front() - 1;
  const int last = years.back() + 1;
  Status s = ForEachYearWindow(*store_, first, last, [&](const Dataset& window, int year) -> Status {
    handed_out.push_back(year);
    EXPECT_EQ(window.firms.size(), w.firms.size());
    for (const YearTable& t : window.years) {
      EXPECT_GE(t.year, year - kLookbackYears);
      EXPECT_LE(t.year, year);
    }
    IndicatorRequest one = req;
    one.first_year = one.last_year = year;
    ExpectSameValues(window, w, one, compared, with_value);
    // Another year than the window's is refused, not answered from the missing tables.
    IndicatorRequest other = req;
    other.first_year = other.last_year = year - 1;
    auto refused = ComputeIndicators(window, other);
    EXPECT_FALSE(refused.ok());
    if (!refused.ok()) {
      EXPECT_EQ(refused.status().id(), "indicators.outside_scope");
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<int> expected;
  for (int y = first; y <= last; ++y) expected.push_back(y);
  EXPECT_EQ(handed_out, expected);
  EXPECT_GT(with_value, compared / 3);
  std::printf("compared %zu values (%zu with a value) over %zu windows\n", compared, with_value, handed_out.size());
}

// A field a window no longer holds for a look-back year is never read as if absent: the read
// stops the program, naming the field (the look-back lists then lack it).
TEST(YearTableDeathTest, ReadingADroppedFieldStops) {
  YearTable t;
  t.year = 2013;
  t.firm = {0};
  t.present = {~uint64_t{0}};
  for (auto& c : t.column) c = FieldColumn::From({5});
  EXPECT_EQ(t.Get(0, kPhds), 5);
  t.column[kPhds] = FieldColumn();
  t.dropped |= uint64_t{1} << kPhds;
  EXPECT_EQ(t.Get(0, kRevenue), 5);
  EXPECT_DEATH(t.Get(0, kPhds), "field phds of 2013 was read");
  // Nor its presence: a scoped load's look-back year has no presence bits for what it dropped.
  EXPECT_TRUE(t.Has(0, kRevenue));
  EXPECT_DEATH((void)t.Has(0, kPhds), "field phds of 2013 was read");
}

// The two ways a scoped load reads (scoped_read.h): by key, and one pass over the register then
// only the scope's rows of the snapshot's columns (what evaluate and diagnose load for every
// cluster). Both give the same data set, and it answers every cluster's indicators as the whole.
void ExpectSameDataset(const Dataset& a, const Dataset& b) {
  ASSERT_EQ(a.firms.size(), b.firms.size());
  for (size_t i = 0; i < a.firms.size(); ++i) {
    const FirmInfo& x = a.firms[i];
    const FirmInfo& y = b.firms[i];
    SCOPED_TRACE(x.uscc);
    EXPECT_EQ(std::tie(x.uscc, x.name, x.zone, x.region, x.industry, x.cert_year, x.listed, x.founded_year,
                       x.industry_id, x.name_en, x.founded, x.lat, x.lon),
              std::tie(y.uscc, y.name, y.zone, y.region, y.industry, y.cert_year, y.listed, y.founded_year,
                       y.industry_id, y.name_en, y.founded, y.lat, y.lon));
  }
  ASSERT_EQ(a.zones.size(), b.zones.size());
  for (size_t z = 0; z < a.zones.size(); ++z) EXPECT_EQ(a.zones[z].firms, b.zones[z].firms) << a.zones[z].id;
  ASSERT_EQ(a.clusters.size(), b.clusters.size());
  for (size_t c = 0; c < a.clusters.size(); ++c) {
    const ClusterInfo& x = a.clusters[c];
    const ClusterInfo& y = b.clusters[c];
    EXPECT_EQ(x.id, y.id);
    ASSERT_EQ(x.members.size(), y.members.size()) << x.id;
    for (size_t m = 0; m < x.members.size(); ++m) {
      EXPECT_EQ(std::tie(x.members[m].firm, x.members[m].from_year, x.members[m].to_year, x.members[m].backbone),
                std::tie(y.members[m].firm, y.members[m].from_year, y.members[m].to_year, y.members[m].backbone));
    }
    EXPECT_EQ(x.institutions.size(), y.institutions.size());
    EXPECT_EQ(x.expert_scores, y.expert_scores);
    EXPECT_EQ(x.leading_by_industry, y.leading_by_industry);
  }
  ASSERT_EQ(a.years.size(), b.years.size());
  for (size_t t = 0; t < a.years.size(); ++t) {
    const YearTable& x = a.years[t];
    const YearTable& y = b.years[t];
    SCOPED_TRACE(x.year);
    EXPECT_EQ(x.year, y.year);
    EXPECT_EQ(x.firm, y.firm);
    EXPECT_EQ(x.present, y.present);
    // The values (a column read may hold them at a smaller scale than the by-key read's).
    for (size_t f = 0; f < kFieldCount; ++f) {
      ASSERT_EQ(x.column[f].size(), y.column[f].size()) << kFieldIds[f];
      for (size_t r = 0; r < x.column[f].size(); ++r)
        ASSERT_EQ(x.column[f][r], y.column[f][r]) << kFieldIds[f] << " " << r;
    }
  }
  EXPECT_EQ(a.row_of_firm, b.row_of_firm);
  EXPECT_EQ(a.industries, b.industries);
  EXPECT_EQ(a.industry_totals, b.industry_totals);
  ASSERT_EQ(a.zone_totals.size(), b.zone_totals.size());
  for (const auto& [year, zones] : a.zone_totals) {
    ASSERT_TRUE(b.zone_totals.contains(year));
    const auto& other = b.zone_totals.at(year);
    ASSERT_EQ(zones.size(), other.size()) << year;
    for (const auto& [zone, sums] : zones) {
      ASSERT_TRUE(other.contains(zone));
      EXPECT_EQ(sums.reports, other.at(zone).reports);
      EXPECT_EQ(sums.sum, other.at(zone).sum);
      EXPECT_EQ(sums.count, other.at(zone).count);
    }
  }
}

TEST_F(Scoped, ReadingTheScopeFromTheColumnsLoadsWhatTheKeysLoad) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const std::vector<int> years = ReportYears(w);
  ASSERT_GE(years.size(), 5u);
  const int last = years.back();
  DataScope every_cluster{.first_year = years[1], .last_year = last};
  for (const EntityRef& c : AllEntities(w, EntityKind::kCluster)) every_cluster.clusters.push_back(c.id);
  const auto zones = AllEntities(w, EntityKind::kZone);
  ASSERT_GE(zones.size(), 2u);
  // Some clusters and two zones (their firms read whole), over the last year and its look-back.
  DataScope mixed{.clusters = {every_cluster.clusters[0], every_cluster.clusters[2]},
                  .zones = {zones[0].id, zones[1].id},
                  .first_year = last - kLookbackYears,
                  .last_year = last};
  size_t compared = 0;
  size_t with_value = 0;
  for (const DataScope& scope : {every_cluster, mixed}) {
    auto by_key = LoadDataset(*store_, scope, ScopedRead::kByKey);
    auto by_columns = LoadDataset(*store_, scope, ScopedRead::kColumns);
    ASSERT_TRUE(by_key.ok() && by_columns.ok()) << by_columns.status().ToString();
    ASSERT_NE(*by_key, nullptr);
    ASSERT_NE(*by_columns, nullptr) << "the SQLite store keeps the columns";
    EXPECT_LT((*by_columns)->firms.size(), w.firms.size());
    ExpectSameDataset(**by_key, **by_columns);
    // And every indicator of the scope's clusters and zones equals the whole data set's.
    IndicatorRequest req;
    for (const std::string& id : scope.clusters) req.entities.push_back({EntityKind::kCluster, id});
    for (const std::string& id : scope.zones) req.entities.push_back({EntityKind::kZone, id});
    req.first_year = scope.first_year + kLookbackYears;
    req.last_year = last;
    ExpectSameValues(**by_columns, w, req, compared, with_value);
  }
  EXPECT_GT(compared, 1000u);
  // A store without the snapshot: the column read finds nothing, and the caller loads whole.
  auto memory = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*memory).ok());
  auto none = LoadDataset(*memory, DataScope{.first_year = last}, ScopedRead::kColumns);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, nullptr);
}

// What `diagnose` and `evaluate` load (every cluster's members over one year and its look-back
// years, the look-back years with only the fields read that far back) answers every cluster's
// diagnosis, under each rule set, and the rating as the whole data set does, read either way.
// A field missing from ScopedLookBackFields stops this test (YearTable::Column and Has).
TEST_F(Scoped, DiagnosisAndRatingFromEveryClustersMembersAnswerAsTheWhole) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const std::vector<int> years = ReportYears(w);
  ASSERT_GE(years.size(), 5u);
  auto scheme = LoadScheme("annual", Lang::kEn);
  ASSERT_TRUE(scheme.ok()) << scheme.status().ToString();
  const auto clusters = AllEntities(w, EntityKind::kCluster);
  size_t diagnosed = 0;
  for (int year : {years[kLookbackYears], years.back()}) {
    DataScope scope{.first_year = year - kLookbackYears, .last_year = year};
    for (const EntityRef& c : clusters) scope.clusters.push_back(c.id);
    for (ScopedRead how : {ScopedRead::kByKey, ScopedRead::kColumns}) {
      SCOPED_TRACE(fmt::format("{} read {}", year, how == ScopedRead::kByKey ? "by key" : "from the columns"));
      auto part = LoadDataset(*store_, scope, how);
      ASSERT_TRUE(part.ok()) << part.status().ToString();
      ASSERT_NE(*part, nullptr);
      for (const DiagnoseOptions& options :
           {DiagnoseOptions{},
            DiagnoseOptions{.tech_sme_rule_set = "tech-sme-2017", .high_tech_rule_set = "high-tech-2008"},
            DiagnoseOptions{.high_tech_rule_set = "high-tech-2016"}}) {
        for (const EntityRef& c : clusters) {
          auto a = Diagnose(**part, c.id, year, options);
          auto b = Diagnose(w, c.id, year, options);
          ASSERT_EQ(a.ok(), b.ok()) << c.id << ": " << a.status().ToString() << " / " << b.status().ToString();
          if (!a.ok()) continue;
          EXPECT_EQ(DiagnosisToJson(*a, Lang::kEn).dump(), DiagnosisToJson(*b, Lang::kEn).dump()) << c.id;
          ++diagnosed;
        }
      }
      auto in_part = GatherEvaluationInput(**part, *scheme, year);
      auto in_whole = GatherEvaluationInput(w, *scheme, year);
      ASSERT_TRUE(in_part.ok() && in_whole.ok()) << in_part.status().ToString();
      auto rated_part = Evaluate(*scheme, *in_part);
      auto rated_whole = Evaluate(*scheme, *in_whole);
      ASSERT_TRUE(rated_part.ok() && rated_whole.ok());
      EXPECT_EQ(EvaluationToJson(*rated_part).dump(), EvaluationToJson(*rated_whole).dump());
    }
  }
  EXPECT_GT(diagnosed, clusters.size() * 6);
}

// What `brief --cluster` loads (every cluster's members over the year and its look-back years,
// and the year's sites) answers a cluster's brief facts, the localisation test of its leading
// industry included, as the whole data set does; the sites are the whole's points, unweighted.
TEST_F(Scoped, BriefFromEveryClustersMembersAndTheSitesAnswersAsTheWhole) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const int year = ReportYears(w).back();
  DataScope scope{.first_year = year - kLookbackYears, .last_year = year, .sites = true};
  const auto clusters = AllEntities(w, EntityKind::kCluster);
  for (const EntityRef& c : clusters) scope.clusters.push_back(c.id);
  auto part = LoadDataset(*store_, scope);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  ASSERT_NE(*part, nullptr);
  ASSERT_TRUE((*part)->sites.has_value());
  EXPECT_LT((*part)->firms.size(), w.firms.size()) << "the sites come without loading every firm";
  for (const std::string industry : {"27", "38", "2740"}) {
    auto a = place::LoadFirmPoints(**part, year, industry, "", false);
    auto b = place::LoadFirmPoints(w, year, industry, "", false);
    ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    EXPECT_EQ(a->x, b->x) << industry;
    EXPECT_EQ(a->y, b->y) << industry;
    EXPECT_EQ(a->type, b->type) << industry;
    EXPECT_GT(a->x.size(), 0u);
  }
  size_t localised = 0;
  for (size_t i = 0; i < clusters.size() && i < 4; ++i) {
    auto a = GatherBriefFacts(**part, clusters[i].id, year);
    auto b = GatherBriefFacts(w, clusters[i].id, year);
    ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    EXPECT_EQ(BriefFactsToJson(*a).dump(), BriefFactsToJson(*b).dump()) << clusters[i].id;
    if (a->localisation) ++localised;
  }
  EXPECT_GT(localised, 0u) << "no brief tested its industry's localisation";
}

// The sites kept with the snapshot and those read from the register (a snapshot an older build
// wrote keeps none) are the same.
TEST_F(Scoped, SitesFromTheSnapshotEqualSitesFromTheRegister) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const int year = ReportYears(*whole_).back();
  const DataScope scope{.clusters = {"QH-BIO"}, .first_year = year - kLookbackYears, .last_year = year, .sites = true};
  auto kept = LoadDataset(*store_, scope);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  ASSERT_NE(*kept, nullptr);
  ASSERT_TRUE((*kept)->sites.has_value());
  EXPECT_GT(ExecOnTheFile("DELETE FROM report_columns WHERE column_id LIKE 'sites:%'"), 0)
      << "the snapshot kept the sites";
  auto none = store_->ScanFirmSites([](FirmSites&) {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, SnapshotScan::kAbsent) << "a snapshot without the sites says so";
  auto passed = LoadDataset(*store_, scope);
  ASSERT_TRUE(passed.ok()) << passed.status().ToString();
  ASSERT_NE(*passed, nullptr);
  ASSERT_TRUE((*passed)->sites.has_value());
  const Dataset::Sites& a = *(*kept)->sites;
  const Dataset::Sites& b = *(*passed)->sites;
  EXPECT_GT(a.lon.size(), 0u);
  EXPECT_EQ(a.year, b.year);
  EXPECT_EQ(a.lon, b.lon);
  EXPECT_EQ(a.lat, b.lat);
  EXPECT_EQ(a.industry, b.industry);
  EXPECT_EQ(a.industries, b.industries);
  EXPECT_EQ((*kept)->firms.size(), (*passed)->firms.size());
  // `init` brings such a snapshot up to date; a damaged row is read around, with a warning.
  ASSERT_TRUE(store_->Init().ok());
  auto again = store_->ScanFirmSites([](FirmSites&) {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, SnapshotScan::kRead);
  EXPECT_EQ(ExecOnTheFile("UPDATE report_columns SET data = 'x' || data WHERE column_id = 'sites:lat'"), 1);
  auto damaged = LoadDataset(*store_, scope);
  ASSERT_TRUE(damaged.ok()) << damaged.status().ToString();
  ASSERT_NE(*damaged, nullptr);
  ASSERT_TRUE((*damaged)->sites.has_value());
  EXPECT_EQ((*damaged)->sites->lat, a.lat) << "from the register";
  EXPECT_FALSE((*damaged)->warnings.empty());
}

// The brief starts its localisation tests as soon as the scoped load has read the sites
// (Workspace::Brief); they must answer as tests run on the finished, whole data set.
TEST_F(Scoped, LocalisationTestsStartedWhenTheSitesAreReadAnswerAsTheWhole) {
  ASSERT_NO_FATAL_FAILURE(ImportAll());
  const Dataset& w = *whole_;
  const int year = ReportYears(w).back();
  DataScope scope{.first_year = year - kLookbackYears, .last_year = year, .sites = true};
  const auto clusters = AllEntities(w, EntityKind::kCluster);
  std::vector<std::string> ids;
  for (const EntityRef& c : clusters) ids.push_back(c.id);
  scope.clusters = ids;
  LocalisationTests tests;
  int calls = 0;
  bool reports_read_before = true;
  auto part = LoadDataset(*store_, scope, [&](const Dataset& partial) {
    ++calls;
    reports_read_before = !partial.years.empty();
    ASSERT_TRUE(partial.sites.has_value());
    StartLocalisationTests(partial, ids, year, tests);
  });
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  ASSERT_NE(*part, nullptr);
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(reports_read_before) << "the sites come before the reports are read";
  EXPECT_FALSE(tests.empty());
  EXPECT_LE(tests.size(), ids.size()) << "one test an industry";
  size_t tested = 0;
  for (const EntityRef& c : clusters) {
    auto a = GatherBriefFacts(w, c.id, year);
    auto b = GatherBrief(**part, c.id, year, &tests);
    ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << " / " << b.status().ToString();
    EXPECT_EQ(BriefFactsToJson(*a).dump(), BriefFactsToJson(b->facts).dump()) << c.id;
    if (b->facts.localisation && b->facts.localisation->status == BriefFacts::Localisation::Status::kTested) {
      ++tested;
      EXPECT_TRUE(b->localisation.has_value()) << c.id << ": the Kd comes with the facts";
    }
  }
  EXPECT_GT(tested, 0u) << "no cluster's industry was tested";
}

TEST_F(Scoped, UnknownEntitiesAreNotFoundAndTheMemoryStoreLoadsWhole) {
  auto missing = LoadDataset(*store_, DataScope{.clusters = {"NO-SUCH"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto memory = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*memory).ok());
  const std::string golden = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";
  std::vector<ImportInput> inputs;
  for (const char* kind : {"zones", "clusters", "firms", "members", "reports"}) {
    inputs.push_back({*ParseKind(kind), golden + kind + ".csv", ""});
  }
  ImportOptions options;
  options.this_year = 2026;
  ASSERT_TRUE(clusterscope::Import(*memory, inputs, options).ok());
  auto none = LoadDataset(*memory, DataScope{.zones = {"Z1"}});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, nullptr) << "no totals kept: the caller loads the whole data set";
}

// What a scoped data set cannot answer exactly is refused, never answered from part of the firms.
TEST_F(Scoped, QuestionsOutsideTheScopeAreRefused) {
  const std::filesystem::path all = *dir_ / "all";
  Import({{Kind::kZones, all / "zones.csv"},
          {Kind::kClusters, all / "clusters.csv"},
          {Kind::kFirms, all / "firms.csv"},
          {Kind::kMembers, all / "members.csv"},
          {Kind::kReports, all / "reports.csv"}});
  auto whole = LoadDataset(*store_);
  ASSERT_TRUE(whole.ok());
  const std::vector<int> years = ReportYears(**whole);
  const auto clusters = AllEntities(**whole, EntityKind::kCluster);
  const auto zones = AllEntities(**whole, EntityKind::kZone);
  ASSERT_GE(clusters.size(), 2u);
  const int last = years.back();
  const DataScope scope{.clusters = {clusters[0].id}, .first_year = last - kLookbackYears, .last_year = last};
  auto part = LoadDataset(*store_, scope);
  ASSERT_TRUE(part.ok() && *part != nullptr);
  const auto ask = [&](const EntityRef& e, int first, int to) {
    IndicatorRequest req{.entities = {e}, .first_year = first, .last_year = to, .only = {"firm_count"}};
    return ComputeIndicators(**part, req);
  };
  EXPECT_TRUE(ask(clusters[0], last, last).ok());
  for (const EntityRef& e :
       {clusters[1], zones[0], EntityRef{EntityKind::kCountry, ""}, EntityRef{EntityKind::kRegion, "630000"}}) {
    auto r = ask(e, last, last);
    ASSERT_FALSE(r.ok()) << EntityKindId(e.kind) << " " << e.id;
    EXPECT_EQ(r.status().id(), "indicators.outside_scope");
  }
  // A year whose look-back the scope lacks, and a year after it.
  EXPECT_EQ(ask(clusters[0], last - 1, last).status().id(), "indicators.outside_scope");
  EXPECT_EQ(ask(clusters[0], last, last + 1).status().id(), "indicators.outside_scope");
  // The whole data set answers them all.
  IndicatorRequest country{.entities = {{EntityKind::kCountry, ""}}, .first_year = last, .last_year = last};
  EXPECT_TRUE(ComputeIndicators(**whole, country).ok());
}

}  // namespace
}  // namespace clusterscope
