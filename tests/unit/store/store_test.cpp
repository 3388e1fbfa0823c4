// The Store contract, run against every implementation.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <thread>
#include <tuple>

#include "clusterscope/importer.h"
#include "clusterscope/store.h"
#include "store/fault_store.h"
#include "store/memory_store.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "support/import_dir.h"
#include "support/pg_schema.h"
#include "support/snapshot_rows.h"

namespace clusterscope {
namespace {

std::string TempPath(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("cs-store-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

Record Zone(const std::string& id, const std::string& name) {
  return {id, name, std::string("630100"), std::string("national"), name, Value{}};  // name_en empty
}

using Factory = std::function<std::unique_ptr<Store>(const std::string&)>;

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = store::NewMemoryStore();
    } else if (GetParam() == "fault-injecting") {
      store_ = std::make_unique<store::FaultInjectingStore>(store::NewMemoryStore());
    } else if (GetParam() == "postgres") {
      pg_ = testing::PgSchema::Create();
      if (!pg_) {
        if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
        return;
      }
      auto s = OpenStore(pg_->url());
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      store_ = std::move(s).value();
    } else {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      std::replace(name.begin(), name.end(), '/', '_');
      path_ = TempPath(name + ".db");
      std::filesystem::remove(path_);
      auto s = OpenStore(path_);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      store_ = std::move(s).value();
    }
    ASSERT_TRUE(InitDatabase(*store_).ok());
  }
  std::optional<testing::PgSchema> pg_;  // before store_: the schema outlives the connection
  std::unique_ptr<Store> store_;
  std::string path_;
};

TEST_P(StoreContract, InitSetsVersionAndBuiltInReferenceData) {
  EXPECT_EQ(*store_->SchemaVersion(), kSchemaVersion);
  EXPECT_GT(*store_->Count(Kind::kRegions), 30);
  EXPECT_GT(*store_->Count(Kind::kIndustries), 117);  // 20 sections + 97 divisions + classes
  // Init again: nothing changes.
  int64_t regions = *store_->Count(Kind::kRegions);
  ASSERT_TRUE(InitDatabase(*store_).ok());
  EXPECT_EQ(*store_->Count(Kind::kRegions), regions);
}

TEST_P(StoreContract, InsertGetScanCount) {
  EXPECT_FALSE(*store_->HasRows(Kind::kZones));
  EXPECT_TRUE(*store_->HasRows(Kind::kRegions));  // the built-in reference rows
  auto txn = store_->BeginWrite();
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("B", "乙园区")).ok());
  EXPECT_TRUE(*store_->HasRows(Kind::kZones)) << "the writer sees its own rows";
  ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲园区")).ok());
  EXPECT_EQ((*txn)->Insert(Kind::kZones, Zone("A", "again")).code(), StatusCode::kConflict);
  ASSERT_TRUE((*txn)->Commit().ok());
  auto got = store_->Get(Kind::kZones, Zone("A", ""));
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(std::get<std::string>((**got)[1]), "甲园区");
  std::vector<std::string> order;
  ASSERT_TRUE(store_
                  ->Scan(Kind::kZones,
                         [&](const Record& r) {
                           order.push_back(std::get<std::string>(r[0]));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(order, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(*store_->Count(Kind::kZones), 2);
  EXPECT_TRUE(*store_->HasRows(Kind::kZones));
}

TEST_P(StoreContract, UncommittedTransactionRollsBack) {
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
  }
  EXPECT_EQ(*store_->Count(Kind::kZones), 0);
  auto again = store_->BeginWrite();  // the lock was released
  ASSERT_TRUE(again.ok());
}

TEST_P(StoreContract, ReplaceKeepsHistory) {
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "旧名")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto txn = store_->BeginWrite();
  ImportLogEntry entry{0, "zones", "z.csv", "00", "2026-01-01T00:00:00Z", 1, 0, 1, 0};
  auto id = (*txn)->LogImport(entry);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE((*txn)->Replace(Kind::kZones, Zone("A", "新名"), Zone("A", "旧名"), *id).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(std::get<std::string>((**store_->Get(Kind::kZones, Zone("A", "")))[1]), "新名");
  auto history = store_->History(Kind::kZones);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_NE((*history)[0].record_json.find("旧名"), std::string::npos);
  EXPECT_EQ((*history)[0].import_id, *id);
  EXPECT_EQ(store_->ImportLog()->size(), 1u);
}

// Every other method of the interface, so that no store (and no wrapper) can get one wrong.
TEST_P(StoreContract, GetManyAndScanWhere) {
  {
    auto txn = store_->BeginWrite();
    for (const char* id : {"D", "B", "A", "C"}) ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(id, id)).ok());
    Record other = Zone("E", "E");
    other[2] = std::string("110000");
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, other).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto many = store_->GetMany(Kind::kZones, {Zone("C", ""), Zone("nope", ""), Zone("A", "")});
  ASSERT_TRUE(many.ok());
  ASSERT_EQ(many->size(), 3u);
  EXPECT_EQ(std::get<std::string>((*(*many)[0])[0]), "C");
  EXPECT_FALSE((*many)[1].has_value());
  EXPECT_EQ(std::get<std::string>((*(*many)[2])[0]), "A");
  EXPECT_TRUE(store_->GetMany(Kind::kZones, {})->empty());

  auto ids = [&](int column, const std::vector<Value>& values) {
    std::vector<std::string> out;
    Status s = store_->ScanWhere(Kind::kZones, column, values, [&](const Record& r) {
      out.push_back(std::get<std::string>(r[0]));
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  };
  // On the key: in key order, each once, whatever order or repeats the values come in.
  EXPECT_EQ(ids(0, {std::string("D"), std::string("A"), std::string("D"), std::string("zz"), Value{}}),
            (std::vector<std::string>{"A", "D"}));
  // On another column: by that column's value, then key.
  EXPECT_EQ(ids(2, {std::string("630100"), std::string("110000")}),
            (std::vector<std::string>{"E", "A", "B", "C", "D"}));
  EXPECT_TRUE(ids(2, {}).empty());
  // Many values (the SQLite store sends them in chunks).
  std::vector<Value> lots;
  for (int i = 0; i < 1200; ++i) lots.emplace_back(fmt::format("X{}", i));
  lots.emplace_back(std::string("B"));
  EXPECT_EQ(ids(0, lots), (std::vector<std::string>{"B"}));
  // Stopping early.
  int seen = 0;
  ASSERT_TRUE(store_
                  ->ScanWhere(Kind::kZones, 2, {std::string("630100")},
                              [&](const Record&) {
                                ++seen;
                                return false;
                              })
                  .ok());
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(store_->ScanWhere(Kind::kZones, 99, {}, [](const Record&) { return true; }).code(), StatusCode::kUsage);
  // ScanRowsWhere: the same rows in the same order, as views.
  std::vector<std::string> viewed;
  ASSERT_TRUE(store_
                  ->ScanRowsWhere(Kind::kZones, 2, {std::string("630100"), std::string("110000")},
                                  [&](const RowView& r) {
                                    viewed.emplace_back(r.Text(0));
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(viewed, (std::vector<std::string>{"E", "A", "B", "C", "D"}));
  EXPECT_EQ(store_->ScanRowsWhere(Kind::kZones, 99, {}, [](const RowView&) { return true; }).code(),
            StatusCode::kUsage);
}

TEST_P(StoreContract, ScanRowsKeptHandsOutTheKeptRowsWholeWithTheirPositions) {
  {
    auto txn = store_->BeginWrite();
    for (const char* id : {"D", "A", "E", "C", "B"}) {
      ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(id, std::string("名") + id)).ok());
    }
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  std::vector<std::string> tested;
  std::vector<std::pair<std::string, int64_t>> kept;
  const auto keep = [&](const RowView& r) {
    tested.emplace_back(r.Text(0));
    EXPECT_EQ(r.Text(2), "630100");  // a column asked for
    return r.Text(0) == "B" || r.Text(0) == "D";
  };
  ASSERT_TRUE(store_
                  ->ScanRowsKept(Kind::kZones, {0, 2}, keep,
                                 [&](const RowView& r, int64_t at) {
                                   kept.emplace_back(std::string(r.Text(1)), at);  // whole: the name too
                                   return true;
                                 })
                  .ok());
  EXPECT_EQ(tested, (std::vector<std::string>{"A", "B", "C", "D", "E"})) << "every row, in key order";
  EXPECT_EQ(kept, (std::vector<std::pair<std::string, int64_t>>{{"名B", 1}, {"名D", 3}}));
  // Stopping early.
  int seen = 0;
  ASSERT_TRUE(store_
                  ->ScanRowsKept(
                      Kind::kZones, {0}, [](const RowView&) { return true; },
                      [&](const RowView&, int64_t) { return ++seen < 2; })
                  .ok());
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(
      store_
          ->ScanRowsKept(
              Kind::kZones, {99}, [](const RowView&) { return true; }, [](const RowView&, int64_t) { return true; })
          .code(),
      StatusCode::kUsage);
}

// A firm of the register: code, industry and coordinates (nullopt: none), the rest fixed.
Record SiteFirm(const std::string& uscc, const std::string& industry, std::optional<double> lat,
                std::optional<double> lon) {
  const KindDef& def = Describe(Kind::kFirms);
  Record r(def.columns.size());
  r[0] = uscc;
  r[static_cast<size_t>(def.ColumnIndex("name"))] = std::string("企业") + uscc;
  r[static_cast<size_t>(def.ColumnIndex("region_code"))] = std::string("630100");
  r[static_cast<size_t>(def.ColumnIndex("industry_code"))] = industry;
  if (lat) r[static_cast<size_t>(def.ColumnIndex("lat"))] = *lat;
  if (lon) r[static_cast<size_t>(def.ColumnIndex("lon"))] = *lon;
  return r;
}

// The register's columns and the memberships kept with the snapshot follow every write: firm
// fields by position, memberships in key order with their firm's position (-1: not registered).
TEST_P(StoreContract, RegisterColumnsFollowTheFirmsAndMembers) {
  const KindDef& mdef = Describe(Kind::kMembers);
  const auto member = [&](const std::string& cluster, const std::string& uscc, int64_t from, std::optional<int64_t> to,
                          const std::string& role) {
    Record r(mdef.columns.size());
    r[0] = cluster;
    r[1] = uscc;
    r[static_cast<size_t>(mdef.ColumnIndex("from_year"))] = from;
    if (to) r[static_cast<size_t>(mdef.ColumnIndex("to_year"))] = *to;
    r[static_cast<size_t>(mdef.ColumnIndex("role"))] = role;
    return r;
  };
  const auto read = [&](bool& kept, const RegisterRead& what = RegisterRead{.firms = true}) {
    RegisterColumns out;
    auto scan = store_->ScanRegisterColumns(what, [&](RegisterColumns& r) { out = std::move(r); });
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    EXPECT_NE(*scan, SnapshotScan::kDamaged);
    kept = *scan == SnapshotScan::kRead;
    return out;
  };
  const auto members = [](const RegisterColumns& r) {
    std::string out;
    for (size_t i = 0; i < r.members(); ++i) {
      out += fmt::format("{} {} {}-{} {};", r.member_cluster.At(i), r.member_firm[i], r.from_year[i],
                         r.to_year[i] == INT32_MAX ? std::string("") : std::to_string(r.to_year[i]), r.backbone[i]);
    }
    return out;
  };
  Record zoned = SiteFirm("91630100000000003C", "2730", 36.6171, 101.7782);
  zoned[static_cast<size_t>(Describe(Kind::kFirms).ColumnIndex("high_tech_cert_year"))] = int64_t{2015};
  zoned[static_cast<size_t>(Describe(Kind::kFirms).ColumnIndex("founded"))] = std::string("2003-05-12");
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, zoned).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, SiteFirm("91630100000000001A", "3972", std::nullopt, std::nullopt)).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  bool kept = false;
  RegisterColumns r = read(kept);
  if (!kept) return;  // no snapshot (the in-memory store): the caller reads the tables
  ASSERT_EQ(r.firms(), 2u);
  EXPECT_EQ(r.firm_count, 2);
  EXPECT_EQ(r.uscc.At(0), "91630100000000001A");
  EXPECT_EQ(r.name.At(1), "企业91630100000000003C");
  EXPECT_TRUE(r.founded.IsNull(0));
  EXPECT_EQ(r.founded.At(1), "2003-05-12");
  EXPECT_EQ(r.cert_year[0], 0);
  EXPECT_EQ(r.cert_year[1], 2015);
  EXPECT_EQ(r.region[1], 630100);
  EXPECT_EQ(r.listed[1], -1);
  EXPECT_EQ(r.members(), 0u);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(
        (*txn)->Insert(Kind::kMembers, member("CLB", "91630100000000003C", 2012, std::nullopt, "backbone")).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kMembers, member("CLA", "91630100000000009Z", 2010, 2014, "member")).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kMembers, member("CLA", "91630100000000003C", 2010, 2014, "member")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  r = read(kept);
  ASSERT_TRUE(kept);
  EXPECT_EQ(members(r), "CLA 1 2010-2014 0;CLA -1 2010-2014 0;CLB 1 2012- 1;") << "key order; an unregistered firm";
  {
    auto txn = store_->BeginWrite();  // a firm added before the members' firm: positions move
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, SiteFirm("91630100000000002B", "2730", 1.5, 2.25)).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  r = read(kept);
  ASSERT_TRUE(kept);
  EXPECT_EQ(members(r), "CLA 2 2010-2014 0;CLA -1 2010-2014 0;CLB 2 2012- 1;");
  EXPECT_EQ(r.uscc.At(1), "91630100000000002B");
  {
    auto txn = store_->BeginWrite();  // a firm's name corrected: the columns follow
    Record renamed = zoned;
    renamed[1] = std::string("青海新名称有限公司");
    auto id = (*txn)->LogImport({0, "firms", "f.csv", "00", "2026-01-01T00:00:00Z", 1, 0, 1, 0});
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE((*txn)->Replace(Kind::kFirms, renamed, zoned, *id).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  r = read(kept);
  ASSERT_TRUE(kept);
  EXPECT_EQ(r.name.At(2), "青海新名称有限公司");
  // Only the memberships; only the firms, with the texts of the kept ones (the zone of every one).
  r = read(kept, RegisterRead{});
  ASSERT_TRUE(kept);
  EXPECT_EQ(members(r), "CLA 2 2010-2014 0;CLA -1 2010-2014 0;CLB 2 2012- 1;");
  EXPECT_EQ(r.firms(), 0u);
  EXPECT_EQ(r.firm_count, 3);
  const std::vector<uint8_t> keep{0, 0, 1};
  r = read(kept, RegisterRead{.members = false, .firms = true, .keep = keep});
  ASSERT_TRUE(kept);
  EXPECT_EQ(r.members(), 0u);
  ASSERT_EQ(r.firms(), 3u);
  EXPECT_EQ(r.uscc.At(2), "91630100000000003C");
  EXPECT_EQ(r.name.At(2), "青海新名称有限公司");
  EXPECT_EQ(r.founded.At(2), "2003-05-12");
  EXPECT_TRUE(r.uscc.IsNull(0) && r.uscc.IsNull(1) && r.name.IsNull(1)) << "not kept: not read";
  EXPECT_EQ(r.zone_id.size(), 3u) << "the zone of every firm";
  EXPECT_EQ(r.cert_year[2], 2015);
  const std::vector<uint8_t> short_keep{1};
  auto wrong = store_->ScanRegisterColumns(RegisterRead{.firms = true, .keep = short_keep}, [](RegisterColumns&) {});
  EXPECT_FALSE(wrong.ok()) << "a keep list of another length is the caller's error, not damage";
}

// The sites kept with the snapshot follow every write of the register: positions as firms come,
// industries and coordinates as firms change. A store without a snapshot says so.
TEST_P(StoreContract, FirmSitesFollowTheRegister) {
  const auto sites = [&](bool& kept) {
    FirmSites out;
    auto scan = store_->ScanFirmSites([&](FirmSites& s) { out = std::move(s); });
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    EXPECT_NE(*scan, SnapshotScan::kDamaged);
    kept = *scan == SnapshotScan::kRead;
    return out;
  };
  const auto row = [](const FirmSites& s, size_t p) {
    return fmt::format("{} {} {}", s.industries.at(static_cast<size_t>(s.industry.at(p))), s.lat.at(p), s.lon.at(p));
  };
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, SiteFirm("91630100000000003C", "2730", 36.6171, 101.7782)).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, SiteFirm("91630100000000001A", "3972", std::nullopt, std::nullopt)).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  bool kept = false;
  FirmSites s = sites(kept);
  if (!kept) {
    EXPECT_EQ(s.size(), 0u);
    return;  // no snapshot (the in-memory store): the caller reads the register
  }
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(row(s, 0), "3972 nan nan") << "uscc order; no coordinates";
  EXPECT_EQ(row(s, 1), "2730 36.6171 101.7782");
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kFirms, SiteFirm("91630100000000002B", "2730", 1.5, 2.25)).ok());
    const Record before = SiteFirm("91630100000000003C", "2730", 36.6171, 101.7782);
    auto id = (*txn)->LogImport({0, "firms", "f.csv", "00", "2026-01-01T00:00:00Z", 1, 0, 1, 0});
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE((*txn)->Replace(Kind::kFirms, SiteFirm("91630100000000003C", "4416", 30.0, 120.125), before, *id).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  s = sites(kept);
  ASSERT_TRUE(kept);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(row(s, 0), "3972 nan nan");
  EXPECT_EQ(row(s, 1), "2730 1.5 2.25") << "the new firm takes its place";
  EXPECT_EQ(row(s, 2), "4416 30 120.125") << "the replaced firm's new industry and coordinates";
  // Only coordinates change: the sites still follow.
  {
    auto txn = store_->BeginWrite();
    const Record before = SiteFirm("91630100000000001A", "3972", std::nullopt, std::nullopt);
    auto id = (*txn)->LogImport({0, "firms", "g.csv", "01", "2026-01-02T00:00:00Z", 1, 0, 1, 0});
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE((*txn)->Replace(Kind::kFirms, SiteFirm("91630100000000001A", "3972", 25.0, 110.0), before, *id).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  s = sites(kept);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(row(s, 0), "3972 25 110");
}

TEST_P(StoreContract, GenerationMovesWithEveryCommittedWriteOnly) {
  auto g0 = store_->Generation();
  ASSERT_TRUE(g0.ok());
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
  }  // rolled back
  EXPECT_EQ(*store_->Generation(), *g0);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Commit().ok());  // wrote nothing
  }
  EXPECT_EQ(*store_->Generation(), *g0);
  (void)store_->Count(Kind::kZones);
  (void)store_->Scan(Kind::kZones, [](const Record&) { return true; });
  EXPECT_EQ(*store_->Generation(), *g0) << "reads never move it";
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto g1 = store_->Generation();
  EXPECT_GT(*g1, *g0);
  {
    auto txn = store_->BeginWrite();
    auto id = (*txn)->LogImport(ImportLogEntry{0, "zones", "z.csv", "00", "2026-01-01T00:00:00Z", 1, 0, 1, 0});
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE((*txn)->Replace(Kind::kZones, Zone("A", "乙"), Zone("A", "甲"), *id).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_GT(*store_->Generation(), *g1);
}

TEST_P(StoreContract, RowsSnapshotLogAndLocation) {
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("B", "乙")).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ImportLogEntry e{0, "zones", "z.csv", "ab", "2026-01-01T00:00:00Z", 2, 2, 0, 0};
    auto id = (*txn)->LogImport(e);
    ASSERT_TRUE(id.ok());
    e.id = *id;
    e.unchanged = 5;
    ASSERT_TRUE((*txn)->UpdateImportLog(e).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  std::vector<std::string> names;
  ASSERT_TRUE(store_
                  ->ScanRows(Kind::kZones,
                             [&](const RowView& row) {
                               names.emplace_back(row.Text(1));
                               EXPECT_FALSE(row.IsNull(0));
                               return true;
                             })
                  .ok());
  EXPECT_EQ(names, (std::vector<std::string>{"甲", "乙"}));
  auto log = store_->ImportLog();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].unchanged, 5);
  EXPECT_EQ((*log)[0].sha256, "ab");
  EXPECT_TRUE(store_->History(Kind::kZones)->empty());
  // The snapshot is a capability: a store either keeps one or says it has none, never fails.
  EXPECT_TRUE(store_->RefreshReportColumns().ok());
  auto scan = store_->ScanReportColumns({"revenue"}, *store_->Count(Kind::kFirms),
                                        [](ReportYearColumns&) { return Status::Ok(); });
  ASSERT_TRUE(scan.ok());
  EXPECT_NE(*scan, SnapshotScan::kDamaged);
  // No reports: no years, and no totals (or none kept).
  auto years = store_->ReportYears();
  ASSERT_TRUE(years.ok());
  EXPECT_TRUE(years->empty());
  int totals = 0;
  auto kept = store_->ScanIndustryTotals("employees", 2014, [&](const IndustryTotal&) { ++totals; });
  ASSERT_TRUE(kept.ok());
  EXPECT_NE(*kept, SnapshotScan::kDamaged);
  EXPECT_EQ(totals, 0);
  auto zones = store_->ScanZoneTotals(2014, [&](const ZoneTotals&) { ++totals; });
  ASSERT_TRUE(zones.ok());
  EXPECT_NE(*zones, SnapshotScan::kDamaged);
  EXPECT_EQ(totals, 0);
  EXPECT_FALSE(store_->Location().empty());
  EXPECT_EQ(*store_->SchemaVersion(), kSchemaVersion);
}

TEST_P(StoreContract, InitSeedIsAllOrNothing) {
  // A seed that fails half-way leaves nothing of itself.
  const int64_t zones = *store_->Count(Kind::kZones);
  Status s = store_->Init([](WriteTransaction& txn) -> Status {
    CS_RETURN_IF_ERROR(txn.Insert(Kind::kZones, Zone("S", "种子")));
    return Status::Environment("simulated failure after the first row");
  });
  EXPECT_EQ(s.code(), StatusCode::kEnvironment);
  EXPECT_EQ(*store_->Count(Kind::kZones), zones);
  EXPECT_EQ(*store_->SchemaVersion(), kSchemaVersion);
  ASSERT_TRUE(store_->Init([](WriteTransaction& txn) { return txn.Insert(Kind::kZones, Zone("S", "种子")); }).ok());
  EXPECT_EQ(*store_->Count(Kind::kZones), zones + 1);
}

// The access tables (schema version 4): upsert by key, point get, ordered scan from a key, delete;
// none of it moves the generation, and a row of the wrong width is refused.
TEST_P(StoreContract, AccessTablesPutGetScanDelete) {
  auto gen0 = store_->Generation();
  ASSERT_TRUE(gen0.ok());
  AccessRow user = {"wang", "zone", "XNGX", "$argon2id$…", "0", "2026-01-01T00:00:00.000000Z"};
  ASSERT_TRUE(store_->PutAccess(AccessTable::kUsers, user).ok());
  user[4] = "1";
  ASSERT_TRUE(store_->PutAccess(AccessTable::kUsers, user).ok());  // overwrites, same key
  ASSERT_TRUE(store_->PutAccess(AccessTable::kUsers, {"li", "firm", "X", "h", "0", "t"}).ok());
  ASSERT_TRUE(store_->PutAccess(AccessTable::kUsers, {"zhao", "admin", "", "h", "0", "t"}).ok());
  auto got = store_->GetAccess(AccessTable::kUsers, "wang");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ(**got, user);
  EXPECT_FALSE(store_->GetAccess(AccessTable::kUsers, "nobody")->has_value());
  EXPECT_FALSE(store_->GetAccess(AccessTable::kCredentials, "wang")->has_value());  // tables apart
  std::vector<std::string> keys;
  ASSERT_TRUE(store_
                  ->ScanAccess(AccessTable::kUsers, "m",
                               [&](const AccessRow& r) {
                                 keys.push_back(r[0]);
                                 return true;
                               })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"wang", "zhao"}));
  keys.clear();
  ASSERT_TRUE(store_
                  ->ScanAccess(AccessTable::kUsers, "",
                               [&](const AccessRow& r) {
                                 keys.push_back(r[0]);
                                 return false;
                               })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"li"}));
  ASSERT_TRUE(store_->DeleteAccess(AccessTable::kUsers, "li").ok());
  ASSERT_TRUE(store_->DeleteAccess(AccessTable::kUsers, "li").ok());  // none: still OK
  EXPECT_FALSE(store_->GetAccess(AccessTable::kUsers, "li")->has_value());
  EXPECT_EQ(store_->PutAccess(AccessTable::kUsers, {"short"}).code(), StatusCode::kInvalidInput);
  EXPECT_EQ(*store_->Generation(), *gen0);
}

// store.h: the access rows a write transaction puts commit or roll back with its data, are seen by
// the transaction itself, and do not move the generation by themselves (what accepting a
// submission relies on: its reports and its status in one commit).
TEST_P(StoreContract, AccessRowsOfATransactionCommitOrRollBackWithIt) {
  const auto row = [](const std::string& key, const std::string& status) {
    AccessRow r(AccessColumns(AccessTable::kSubmissions).size(), "x");
    r[0] = key;
    r[3] = status;
    return r;
  };
  ASSERT_TRUE(store_->PutAccess(AccessTable::kSubmissions, row("s1", "submitted")).ok());
  const int64_t g0 = *store_->Generation();
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ASSERT_TRUE((*txn)->PutAccess(AccessTable::kSubmissions, row("s1", "accepted")).ok());
    ASSERT_TRUE((*txn)->PutAccess(AccessTable::kAudit, AccessRow(AccessColumns(AccessTable::kAudit).size(), "a")).ok());
    auto seen = (*txn)->GetAccess(AccessTable::kSubmissions, "s1");
    ASSERT_TRUE(seen.ok() && seen->has_value());
    EXPECT_EQ((**seen)[3], "accepted") << "the transaction sees what it put";
    EXPECT_FALSE((*txn)->GetAccess(AccessTable::kSubmissions, "s2")->has_value());
    EXPECT_EQ((*txn)->PutAccess(AccessTable::kSubmissions, {"short"}).code(), StatusCode::kInvalidInput);
  }  // rolled back: the zone and both access rows
  EXPECT_EQ((**store_->GetAccess(AccessTable::kSubmissions, "s1"))[3], "submitted");
  EXPECT_FALSE(store_->GetAccess(AccessTable::kAudit, "a")->has_value());
  EXPECT_FALSE(store_->Get(Kind::kZones, Record{std::string("A")})->has_value());
  EXPECT_EQ(*store_->Generation(), g0);
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->PutAccess(AccessTable::kSubmissions, row("s2", "submitted")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_TRUE(store_->GetAccess(AccessTable::kSubmissions, "s2")->has_value());
  EXPECT_EQ(*store_->Generation(), g0) << "an access row alone is not data";
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ASSERT_TRUE((*txn)->PutAccess(AccessTable::kSubmissions, row("s1", "accepted")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_EQ((**store_->GetAccess(AccessTable::kSubmissions, "s1"))[3], "accepted");
  EXPECT_TRUE(store_->Get(Kind::kZones, Record{std::string("A")})->has_value());
  EXPECT_GT(*store_->Generation(), g0);
  // Outside a transaction again, each call its own.
  ASSERT_TRUE(store_->PutAccess(AccessTable::kSubmissions, row("s3", "submitted")).ok());
  EXPECT_TRUE(store_->GetAccess(AccessTable::kSubmissions, "s3")->has_value());
}

// What a question about one cluster reads: the named firms' reports in the years asked, in
// (uscc, year) order whatever the order asked in, the same rows ScanRows holds, until fn says stop.
TEST_P(StoreContract, ScanReportsOfReadsTheNamedFirmsYearsInKeyOrder) {
  testing::ImportDir(*store_, std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/",
                     {"zones", "clusters", "firms", "members", "reports"});
  const KindDef& def = Describe(Kind::kReports);
  const int uscc = def.ColumnIndex("uscc"), year = def.ColumnIndex("year"), revenue = def.ColumnIndex("revenue");
  using Seen = std::tuple<std::string, int64_t, std::optional<int64_t>>;
  const auto seen_of = [&](const RowView& r) {
    return Seen{std::string(r.Text(uscc)), r.Int(year),
                r.IsNull(revenue) ? std::nullopt : std::optional<int64_t>(r.Int(revenue))};
  };
  std::vector<Seen> every;
  ASSERT_TRUE(store_
                  ->ScanRows(Kind::kReports,
                             [&](const RowView& r) {
                               every.push_back(seen_of(r));
                               return true;
                             })
                  .ok());
  const std::vector<std::string> asked{"91630100XY0000002T", "91630100XY0000001P", "91000000XY00000000"};
  std::vector<Seen> want;
  for (const Seen& s : every) {
    if (std::get<1>(s) >= 2013 && std::get<1>(s) <= 2014 &&
        std::find(asked.begin(), asked.end(), std::get<0>(s)) != asked.end()) {
      want.push_back(s);
    }
  }
  std::sort(want.begin(), want.end());
  ASSERT_EQ(want.size(), 4u) << "the golden files: two firms, each reporting in 2013 and 2014";
  std::vector<Seen> have;
  ASSERT_TRUE(store_
                  ->ScanReportsOf(asked, 2013, 2014,
                                  [&](const RowView& r) {
                                    have.push_back(seen_of(r));
                                    return true;
                                  })
                  .ok());
  EXPECT_EQ(have, want);
  int calls = 0;
  ASSERT_TRUE(store_->ScanReportsOf(asked, 2013, 2014, [&](const RowView&) { return ++calls < 1; }).ok());
  EXPECT_EQ(calls, 1) << "stops when fn returns false";
  calls = 0;
  ASSERT_TRUE(store_->ScanReportsOf(asked, 2012, 2012, [&](const RowView&) { return ++calls > 0; }).ok());
  ASSERT_TRUE(store_->ScanReportsOf({}, 2011, 2014, [&](const RowView&) { return ++calls > 0; }).ok());
  EXPECT_EQ(calls, 0) << "a year nobody reported in, and no firm asked about";
}

// Copying a database keeps every import log line and history entry with its id, and later writes
// number theirs past the copied ones.
TEST_P(StoreContract, CopiedLogAndHistoryEntriesKeepTheirIds) {
  const ImportLogEntry copied_log{7, "zones", "z.csv", "cd", "2026-01-02T00:00:00Z", 3, 1, 1, 1};
  const HistoryEntry copied_history{"zones", "A", R"({"zone_id":"A"})", 7, 12};
  {
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "乙")).ok());
    ASSERT_TRUE((*txn)->CopyImportLogEntry(copied_log).ok());
    ASSERT_TRUE((*txn)->CopyHistoryEntry(copied_history).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto log = store_->ImportLog();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].id, 7);
  EXPECT_EQ((*log)[0].sha256, "cd");
  EXPECT_EQ((*log)[0].at, copied_log.at);
  EXPECT_EQ(std::make_tuple((*log)[0].rows, (*log)[0].added, (*log)[0].replaced, (*log)[0].unchanged),
            std::make_tuple(3, 1, 1, 1));
  auto history = store_->History(Kind::kZones);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].id, 12);
  EXPECT_EQ((*history)[0].import_id, 7);
  EXPECT_EQ((*history)[0].key, "A");
  EXPECT_EQ((*history)[0].record_json, copied_history.record_json);
  {
    auto txn = store_->BeginWrite();
    auto id = (*txn)->LogImport(ImportLogEntry{0, "zones", "y.csv", "ef", "2026-01-03T00:00:00Z", 1, 0, 1, 0});
    ASSERT_TRUE(id.ok());
    EXPECT_GT(*id, 7);
    ASSERT_TRUE((*txn)->Replace(Kind::kZones, Zone("A", "丙"), Zone("A", "乙"), *id).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  history = store_->History(Kind::kZones);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_GT((*history)[1].id, 12);
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContract,
                         ::testing::Values("memory", "sqlite", "fault-injecting", "postgres"));

TEST(SqliteStore, RefusesANewerSchemaAndLeavesItAlone) {
  std::string path = TempPath("newer.db");
  std::filesystem::remove(path);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE future(x); PRAGMA user_version = 99;", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok());
  Status s = InitDatabase(**store);
  EXPECT_EQ(s.code(), StatusCode::kEnvironment);
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  EXPECT_EQ(*(*store)->SchemaVersion(), 99);
}

// Generation() is read on every request of the server and keeps what it read while neither PRAGMA
// data_version (another connection's commit) nor this connection's own changes moved: it must
// still see every commit by anyone at once, and hold no read snapshot between calls (a statement
// left stepped would hide later commits and stall WAL checkpoints).
TEST(SqliteStore, GenerationSeesEveryCommitAndHoldsNoSnapshot) {
  const std::string path = TempPath("generation.db");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto a = OpenStore(path);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(InitDatabase(**a).ok());
  const int64_t g0 = *(*a)->Generation();
  EXPECT_EQ(*(*a)->Generation(), g0);
  // Another connection (as another process) commits.
  auto b = OpenStore(path);
  ASSERT_TRUE(b.ok());
  {
    auto txn = (*b)->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("B", "乙")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_EQ(*(*a)->Generation(), g0 + 1);
  EXPECT_EQ(*(*b)->Generation(), g0 + 1);
  // A raw write of the counter, by plain SQLite.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(raw, "UPDATE store_meta SET value = value + 5 WHERE key = 'generation'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_EQ(*(*a)->Generation(), g0 + 6);
  // This connection's own commit (data_version does not move for it), and its rollback.
  {
    auto txn = (*a)->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  EXPECT_EQ(*(*a)->Generation(), g0 + 7);
  EXPECT_EQ(*(*b)->Generation(), g0 + 7);
  {
    auto txn = (*a)->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("C", "丙")).ok());
  }
  EXPECT_EQ(*(*a)->Generation(), g0 + 7);
  // Between calls neither store holds a read snapshot: a TRUNCATE checkpoint completes (busy 0).
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0) << "a reader still holds a snapshot";
  sqlite3_finalize(st);
  ASSERT_EQ(
      sqlite3_exec(raw, "UPDATE store_meta SET value = value + 1 WHERE key = 'generation'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_EQ(*(*a)->Generation(), g0 + 8);
  sqlite3_close(raw);
}

// 2 → 3: the English names are added in place to a version-2 database that holds data.
TEST(SqliteStore, UpgradesVersionTwoInPlaceWithEnglishNameColumns) {
  std::string path = TempPath("v2.db");
  std::filesystem::remove(path);
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(InitDatabase(**store).ok());
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Insert(Kind::kZones, Zone("XNGX", "西宁高新区")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  {
    // Make it what version 2 wrote: no name_en columns, no store_meta.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "ALTER TABLE zones DROP COLUMN name_en; ALTER TABLE clusters DROP COLUMN name_en; "
                           "ALTER TABLE firms DROP COLUMN name_en; DROP TABLE store_meta; PRAGMA user_version = 2;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), 2);
  ASSERT_TRUE(InitDatabase(**store).ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), kSchemaVersion);
  auto zone = (*store)->Get(Kind::kZones, KeyRecord(Kind::kZones, {std::string("XNGX")}));
  ASSERT_TRUE(zone.ok() && zone->has_value());
  EXPECT_EQ(TextOf(**zone, Describe(Kind::kZones), "name"), "西宁高新区");
  EXPECT_EQ(TextOf(**zone, Describe(Kind::kZones), "name_en"), "");
  EXPECT_EQ(*(*store)->Generation(), 0) << "the counter starts at the upgrade";
  // Idempotent: a second init changes nothing and fails on nothing.
  EXPECT_TRUE(InitDatabase(**store).ok());
}

TEST(SqliteStore, NotADatabaseIsAClearError) {
  std::string path = TempPath("garbage.db");
  std::ofstream(path) << "this is not a database, just text long enough to fill a header page............";
  auto store = OpenStore(path);
  EXPECT_FALSE(store.ok());
  if (!store.ok()) {
    EXPECT_NE(store.status().message().find(path), std::string::npos);
  }
}

TEST(SqliteStore, MissingFileForReadingIsAnError) {
  auto store = OpenStore(TempPath("does-not-exist.db"), OpenOptions{.create = false});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kEnvironment);
}

TEST(SqliteStore, SchemaSqlMatchesTheDocs) {
  // docs/storage.md embeds the DDL; a schema change must update the docs (and bump the version).
  std::ifstream in(std::string(CS_SOURCE_DIR) + "/docs/storage.md");
  std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(docs.find(store::SqliteSchemaSql()), std::string::npos)
      << "docs/storage.md does not contain the current DDL:\n"
      << store::SqliteSchemaSql();
}

// ---- fault injection: a failing write at any point leaves the store as it was ----
std::string WriteFile(const std::string& name, const std::string& content) {
  std::string path = TempPath(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string Dump(Store& store) {
  std::string out;
  for (Kind kind : kAllKinds) {
    out += std::string(KindId(kind)) + "\n";
    (void)store.Scan(kind, [&](const Record& r) {
      for (const Value& v : r) {
        if (const auto* s = std::get_if<std::string>(&v))
          out += *s;
        else if (const auto* n = std::get_if<int64_t>(&v))
          out += std::to_string(*n);
        else if (const auto* d = std::get_if<double>(&v))
          out += std::to_string(*d);
        out += "|";
      }
      out += "\n";
      return true;
    });
  }
  return out;
}

class FaultInjection : public ::testing::TestWithParam<std::string> {
 protected:
  // The store the parameter names (a SQLite file `file`); nullptr when no PostgreSQL is at hand.
  std::unique_ptr<Store> BaseStore(const std::string& file) {
    if (GetParam() == "memory") return store::NewMemoryStore();
    if (GetParam() == "postgres") {
      pg_ = testing::PgSchema::Create();
      if (!pg_) return nullptr;
      return std::move(OpenStore(pg_->url())).value();
    }
    std::string path = TempPath(file);
    std::filesystem::remove(path);
    return std::move(OpenStore(path)).value();
  }
  std::optional<testing::PgSchema> pg_;
};

TEST_P(FaultInjection, EveryFailingWriteLeavesTheStoreUnchanged) {
  std::unique_ptr<Store> base = BaseStore("fault.db");
  if (!base) {
    if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
    return;
  }
  store::FaultInjectingStore store(std::move(base));
  ASSERT_TRUE(InitDatabase(store).ok());
  std::string zones = WriteFile("fz.csv", "zone_id,name,region_code,level\nZ1,甲园区,630100,national\n");
  ASSERT_TRUE(Import(store, {{Kind::kZones, zones, ""}}, {})->written);

  std::string clusters = WriteFile("fc.csv",
                                   "cluster_id,name,zone_id,leading_industries\n"
                                   "C1,甲集群,Z1,27\nC2,乙集群,Z1,2740;1492\nC3,丙集群,Z1,38\n");
  std::string firms = WriteFile("ff.csv",
                                "uscc,name,region_code,industry_code\n"
                                "914403001922038216,甲公司,440300,2740\n"
                                "91330100799655058B,乙公司,330100,1492\n");
  std::string replace_zone = WriteFile("fz2.csv", "zone_id,name,region_code,level\nZ1,甲园区新名,630100,national\n");
  std::vector<ImportInput> inputs = {
      {Kind::kClusters, clusters, ""}, {Kind::kFirms, firms, ""}, {Kind::kZones, replace_zone, ""}};
  ImportOptions options;
  options.replace = true;

  const std::string before = Dump(store);
  // Count the writes a successful import makes, then fail each one in turn.
  int64_t failures = 0;
  for (int64_t n = 0;; ++n) {
    store.FailWritesFrom(n);
    auto outcome = Import(store, inputs, options);
    if (outcome.ok()) {
      ASSERT_TRUE(outcome->written);
      EXPECT_GT(n, 5) << "the import made suspiciously few writes";
      break;
    }
    ++failures;
    EXPECT_EQ(outcome.status().code(), StatusCode::kEnvironment);
    EXPECT_NE(outcome.status().message().find("simulated write error"), std::string::npos);
    ASSERT_EQ(Dump(store), before) << "a failure at write " << n << " changed the store";
  }
  EXPECT_GT(failures, 5);
  store.FailWritesFrom(-1);
  EXPECT_EQ(*store.Count(Kind::kClusters), 3);
  EXPECT_EQ(*store.Count(Kind::kFirms), 2);
  EXPECT_EQ(store.History(Kind::kZones)->size(), 1u);
}

// An import that writes an access row in its transaction (ImportOptions::before_commit, as accepting
// a submission does), with each of its writes failing in turn: the row and the records are both
// there or neither is.
TEST_P(FaultInjection, AnAccessRowWrittenByAnImportFailsWithIt) {
  std::unique_ptr<Store> base = BaseStore("fault-access.db");
  if (!base) {
    if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
    return;
  }
  store::FaultInjectingStore store(std::move(base));
  ASSERT_TRUE(InitDatabase(store).ok());
  AccessRow submitted(AccessColumns(AccessTable::kSubmissions).size(), "x");
  submitted[0] = "s1";
  submitted[3] = "submitted";
  ASSERT_TRUE(store.PutAccess(AccessTable::kSubmissions, submitted).ok());
  std::string zones =
      WriteFile("fza.csv", "zone_id,name,region_code,level\nZ1,甲园区,630100,national\nZ2,乙园区,630100,national\n");
  ImportOptions options;
  options.before_commit = [](WriteTransaction& txn, const ImportOutcome&) {
    AccessRow accepted(AccessColumns(AccessTable::kSubmissions).size(), "x");
    accepted[0] = "s1";
    accepted[3] = "accepted";
    return txn.PutAccess(AccessTable::kSubmissions, accepted);
  };
  const std::string before = Dump(store);
  int64_t failures = 0;
  for (int64_t n = 0;; ++n) {
    store.FailWritesFrom(n);
    auto outcome = Import(store, {{Kind::kZones, zones, ""}}, options);
    const std::string status = (**store.GetAccess(AccessTable::kSubmissions, "s1"))[3];
    if (outcome.ok()) {
      ASSERT_TRUE(outcome->written);
      EXPECT_EQ(status, "accepted");
      break;
    }
    ++failures;
    EXPECT_NE(outcome.status().message().find("simulated write error"), std::string::npos);
    ASSERT_EQ(Dump(store), before) << "a failure at write " << n << " changed the store";
    ASSERT_EQ(status, "submitted") << "a failure at write " << n << " kept the access row";
  }
  EXPECT_GT(failures, 2);  // the inserts, the log, the access row, the commit
  store.FailWritesFrom(-1);
  EXPECT_EQ(*store.Count(Kind::kZones), 2);
}

INSTANTIATE_TEST_SUITE_P(AllStores, FaultInjection, ::testing::Values("memory", "sqlite", "postgres"));

// ---- PostgreSQL: what the contract asks that differs in how a server store does it ----

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = testing::PgSchema::Create();
    if (!pg_) {
      if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
      return;
    }
  }
  std::unique_ptr<Store> Open() {
    auto s = OpenStore(pg_->url());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::optional<testing::PgSchema> pg_;
};

TEST_F(PostgresStoreTest, ConcurrentInitsSerialise) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(Open());
  std::vector<Status> results(stores.size());
  {
    std::vector<std::jthread> threads;
    for (size_t i = 0; i < stores.size(); ++i) {
      threads.emplace_back([&, i] { results[i] = InitDatabase(*stores[i]); });
    }
  }
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  auto store = Open();
  EXPECT_EQ(*store->SchemaVersion(), kSchemaVersion);
  // The reference data went in once: the later inits found it.
  auto memory = store::NewMemoryStore();
  ASSERT_TRUE(InitDatabase(*memory).ok());
  EXPECT_EQ(*store->Count(Kind::kRegions), *memory->Count(Kind::kRegions));
}

TEST_F(PostgresStoreTest, WritersQueueAndReadersNeverSeeAnOpenTransaction) {
  auto a = Open();
  auto b = Open();
  auto reader = Open();
  ASSERT_TRUE(InitDatabase(*a).ok());
  auto txn = a->BeginWrite();
  ASSERT_TRUE(txn.ok());
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(fmt::format("Z{:05}", i), "园区")).ok());
  EXPECT_EQ(*a->Count(Kind::kZones), 5000) << "the writer reads its own rows";
  EXPECT_EQ(*reader->Count(Kind::kZones), 0) << "a reader sees nothing of an open transaction";
  // The second writer waits for the first, then sees what it wrote.
  std::atomic<bool> began{false};
  int64_t seen_by_second = -1;
  std::jthread second([&] {
    auto t2 = b->BeginWrite();
    began = true;
    ASSERT_TRUE(t2.ok()) << t2.status().ToString();
    seen_by_second = *b->Count(Kind::kZones);
    ASSERT_TRUE((*t2)->Insert(Kind::kZones, Zone("ZZ", "后来者")).ok());
    ASSERT_TRUE((*t2)->Commit().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(began) << "a second writer began while the first was open";
  ASSERT_TRUE((*txn)->Commit().ok());
  second.join();
  EXPECT_EQ(seen_by_second, 5000);
  EXPECT_EQ(*reader->Count(Kind::kZones), 5001);
}

TEST_F(PostgresStoreTest, AKeyStoredBeforeTheTransactionFailsItAtCommit) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "甲")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  const int64_t generation = *store->Generation();
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("B", "乙")).ok());
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("A", "again")).ok());  // queued: found when sent
    Status s = (*txn)->Commit();
    EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
    EXPECT_NE(s.message().find("zones"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("(A)"), std::string::npos) << s.message();
  }
  EXPECT_EQ(*store->Count(Kind::kZones), 1);
  EXPECT_EQ(*store->Generation(), generation);
  auto again = store->BeginWrite();  // the connection is usable again
  ASSERT_TRUE(again.ok()) << again.status().ToString();
}

TEST_F(PostgresStoreTest, RefusesANewerSchemaAndLeavesItAlone) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  ASSERT_TRUE(pg_->Run(fmt::format("UPDATE {}.store_meta SET value = 99 WHERE key = 'schema_version'", pg_->name())));
  const int64_t regions = *store->Count(Kind::kRegions);
  Status s = InitDatabase(*store);
  EXPECT_EQ(s.code(), StatusCode::kEnvironment);
  EXPECT_EQ(s.id(), "db.newer_schema");
  EXPECT_EQ(*store->SchemaVersion(), 99);
  EXPECT_EQ(*store->Count(Kind::kRegions), regions);
}

TEST_F(PostgresStoreTest, TextKeysSortByBytesWhateverTheLocale) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  {
    auto txn = store->BeginWrite();
    for (const char* id : {"b", "B", "a", "A", "_x", "甲"})
      ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(id, id)).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  std::vector<std::string> order;
  ASSERT_TRUE(store
                  ->Scan(Kind::kZones,
                         [&](const Record& r) {
                           order.push_back(std::get<std::string>(r[0]));
                           return true;
                         })
                  .ok());
  EXPECT_EQ(order, (std::vector<std::string>{"A", "B", "_x", "a", "b", "甲"}));
}

// The rows of report_columns of a schema, as testing::SqliteSnapshotRows gives an SQLite file's.
using testing::SnapshotRows;
using testing::SqliteSnapshotRows;

SnapshotRows PgSnapshotRows(const testing::PgSchema& pg) {
  SnapshotRows out;
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(pg.url().c_str()), &PQfinish);
  EXPECT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  // Binary results: bytea as its bytes; the numbers cast to text, which binary leaves as text.
  std::unique_ptr<PGresult, decltype(&PQclear)> res(
      PQexecParams(conn.get(), "SELECT year::text, column_id, rows::text, data FROM report_columns", 0, nullptr,
                   nullptr, nullptr, nullptr, 1),
      &PQclear);
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  auto text = [&](int r, int c) {
    return std::string(PQgetvalue(res.get(), r, c), static_cast<size_t>(PQgetlength(res.get(), r, c)));
  };
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    out[{std::stoll(text(r, 0)), text(r, 1)}] = {std::stoll(text(r, 2)), text(r, 3)};
  }
  return out;
}

// The first value of `sql`'s first row, run in the schema.
std::string PgValue(const testing::PgSchema& pg, const char* sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(pg.url().c_str()), &PQfinish);
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql), &PQclear);
  EXPECT_EQ(PQresultStatus(res.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  return PQntuples(res.get()) > 0 ? std::string(PQgetvalue(res.get(), 0, 0)) : std::string();
}

// The same writes to both stores: the first report gets one more employee, a firm is added.
void ReplaceAReportAndAddAFirm(Store& store) {
  std::optional<Record> report;
  ASSERT_TRUE(store
                  .Scan(Kind::kReports,
                        [&](const Record& r) {
                          report = r;
                          return false;
                        })
                  .ok());
  std::optional<Record> firm;
  ASSERT_TRUE(store
                  .Scan(Kind::kFirms,
                        [&](const Record& r) {
                          firm = r;
                          return false;
                        })
                  .ok());
  ASSERT_TRUE(report && firm);
  auto txn = store.BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  auto id = (*txn)->LogImport(ImportLogEntry{.kind = "reports", .file = "t.csv", .sha256 = "00", .at = "2026"});
  ASSERT_TRUE(id.ok());
  Record changed = *report;
  const auto employees = static_cast<size_t>(Describe(Kind::kReports).ColumnIndex("employees"));
  changed[employees] = (IsNull(changed[employees]) ? 0 : std::get<int64_t>(changed[employees])) + 1;
  ASSERT_TRUE((*txn)->Replace(Kind::kReports, changed, *report, *id).ok());
  Record added = *firm;
  added[0] = std::string("91630000ZZZZZZZZ9X");  // 18 characters, after every golden code
  ASSERT_TRUE((*txn)->Insert(Kind::kFirms, added).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
}

// Issue 14: every write keeps the snapshot, its totals included, current at commit, byte for byte
// what the SQLite store keeps of the same rows; no reader and no `init` builds it.
TEST_F(PostgresStoreTest, KeepsTheSnapshotAndTotalsAsSqliteDoes) {
  const std::string path = TempPath("pg-snapshot-twin.db");
  std::filesystem::remove(path);
  auto sqlite = OpenStore(path);
  ASSERT_TRUE(sqlite.ok());
  auto pg = Open();
  ASSERT_TRUE(InitDatabase(**sqlite).ok());
  ASSERT_TRUE(InitDatabase(*pg).ok());
  const std::string golden = std::string(CS_SOURCE_DIR) + "/tests/data/indicators/golden/";
  for (Store* s : {sqlite->get(), pg.get()}) testing::ImportDir(*s, golden, {"zones", "clusters", "firms", "members"});
  for (Store* s : {sqlite->get(), pg.get()}) testing::ImportDir(*s, golden, {"reports"});
  auto expect_same = [&](const char* when) {
    SCOPED_TRACE(when);
    const SnapshotRows want = SqliteSnapshotRows(path);
    ASSERT_GT(want.size(), 10u);
    EXPECT_TRUE(want.contains({0, "firms"}));
    const SnapshotRows have = PgSnapshotRows(*pg_);
    EXPECT_EQ(have.size(), want.size());
    for (const auto& [key, row] : want) {
      auto it = have.find(key);
      ASSERT_NE(it, have.end()) << key.first << " " << key.second;
      EXPECT_EQ(it->second.first, row.first) << key.first << " " << key.second;
      EXPECT_TRUE(it->second.second == row.second) << key.first << " " << key.second << " differs";
    }
    auto firms = pg->Count(Kind::kFirms);
    ASSERT_TRUE(firms.ok());
    int years = 0;
    auto scan = pg->ScanReportColumns({"revenue", "employees"}, *firms, [&](ReportYearColumns& y) {
      ++years;
      EXPECT_EQ(y.values.size(), 2u);
      return Status::Ok();
    });
    ASSERT_TRUE(scan.ok()) << scan.status().ToString();
    EXPECT_EQ(*scan, SnapshotScan::kRead);
    // Some firms' rows only (ReportColumnsRequest::firms, a scoped load of many firms): what
    // SQLite hands out of the same snapshot, and only those firms'.
    std::vector<int32_t> some;
    for (int32_t p = 1; p < *firms; p += 2) some.push_back(p);
    const auto rows_of = [&](Store& s, bool scaled) {
      std::vector<std::string> out;
      ReportColumnsRequest req{
          .columns = {"revenue", "employees"}, .firm_count = *firms, .scaled = scaled, .firms = &some};
      auto r = s.ScanReportColumns(req, [&](ReportYearColumns& y) {
        for (size_t i = 0; i < y.firm.size(); ++i) {
          EXPECT_EQ(y.firm[i] % 2, 1);
          const auto value = [&](size_t c) {
            if (!scaled) return y.values[c][i];
            const ScaledColumn& col = y.scaled[c];
            if (col.narrow[i] != ScaledColumn::kWide) return int64_t{col.narrow[i]} * col.scale;
            for (const auto& [row, v] : col.wide) {
              if (row == i) return v;
            }
            ADD_FAILURE() << "row " << i << " is wide but not kept";
            return int64_t{0};
          };
          out.push_back(fmt::format("{} {} {} {} {}", y.year, y.firm[i], y.present[i], value(0), value(1)));
        }
        return Status::Ok();
      });
      EXPECT_TRUE(r.ok() && *r == SnapshotScan::kRead);
      return out;
    };
    for (bool scaled : {false, true}) {
      const auto pg_rows = rows_of(*pg, scaled);
      EXPECT_FALSE(pg_rows.empty());
      EXPECT_EQ(pg_rows, rows_of(**sqlite, scaled));
    }
    auto report_years = pg->ReportYears();
    ASSERT_TRUE(report_years.ok());
    EXPECT_EQ(years, static_cast<int>(report_years->size()));
    EXPECT_EQ(*report_years, *(*sqlite)->ReportYears());
    size_t totals_kept = 0;  // the golden data's early years report revenue only
    for (int year : *report_years) {
      std::vector<std::string> a, b;
      auto totals = [](std::vector<std::string>& out) {
        return
            [&out](const IndustryTotal& t) { out.push_back(fmt::format("{} {} {}", t.province, t.industry, t.total)); };
      };
      ASSERT_EQ(*pg->ScanIndustryTotals("employees", year, totals(a)), SnapshotScan::kRead);
      ASSERT_EQ(*(*sqlite)->ScanIndustryTotals("employees", year, totals(b)), SnapshotScan::kRead);
      totals_kept += a.size();
      EXPECT_EQ(a, b) << year;
      std::vector<std::string> za, zb;
      auto zones = [](std::vector<std::string>& out) {
        return [&out](const ZoneTotals& z) { out.push_back(fmt::format("{} {} {}", z.zone, z.reports, z.sums[0])); };
      };
      ASSERT_EQ(*pg->ScanZoneTotals(year, zones(za)), SnapshotScan::kRead);
      ASSERT_EQ(*(*sqlite)->ScanZoneTotals(year, zones(zb)), SnapshotScan::kRead);
      totals_kept += za.size();
      EXPECT_EQ(za, zb) << year;
    }
    EXPECT_GT(totals_kept, 10u);
  };
  expect_same("after the imports");
  ReplaceAReportAndAddAFirm(**sqlite);
  ReplaceAReportAndAddAFirm(*pg);
  expect_same("after a replaced report and a new firm");
  // A schema an earlier build wrote holds its snapshot in the older format: readers read the
  // rows (kAbsent) until `init` rebuilds it, to the same bytes.
  ASSERT_TRUE(pg_->Run(fmt::format("UPDATE {}.report_columns SET data = 'checksummed' WHERE year = 0", pg_->name())));
  // …and its blobs with TOAST's default storage (pglz tried on each), which init turns off.
  const char* storage =
      "SELECT attstorage FROM pg_attribute WHERE attrelid = 'report_columns'::regclass AND attname = 'data'";
  EXPECT_EQ(PgValue(*pg_, storage), "e");
  ASSERT_TRUE(
      pg_->Run(fmt::format("ALTER TABLE {}.report_columns ALTER COLUMN data SET STORAGE EXTENDED", pg_->name())));
  auto firms = pg->Count(Kind::kFirms);
  EXPECT_EQ(*pg->ScanReportColumns({"revenue"}, *firms, [](ReportYearColumns&) { return Status::Ok(); }),
            SnapshotScan::kAbsent);
  ASSERT_TRUE(InitDatabase(*pg).ok());
  EXPECT_EQ(PgValue(*pg_, storage), "e");
  expect_same("after init rebuilt an older format");
  std::filesystem::remove(path);
}

// Issue 14 (f): the access tables compare keys by bytes, as in SQLite, whatever the database's
// collation; a schema whose tables took another collation is put right by `init`, in place.
TEST_F(PostgresStoreTest, AccessKeysCompareByBytesAndInitUpgradesOlderTables) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  auto not_c = [&] {
    return PgValue(*pg_,
                   "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() "
                   "AND table_name IN ('users', 'credentials', 'submissions', 'audit_log') "
                   "AND collation_name IS DISTINCT FROM 'C'");
  };
  EXPECT_EQ(not_c(), "0") << "created in byte order";
  // What an earlier build left in a database with a linguistic collation (ICU's root locale
  // orders "a" before "B"; bytes put "B" first).
  ASSERT_TRUE(
      pg_->Run(fmt::format("ALTER TABLE {}.users ALTER COLUMN name TYPE TEXT COLLATE \"und-x-icu\"", pg_->name())));
  for (const char* name : {"b", "B", "a", "_x"}) {
    ASSERT_TRUE(store->PutAccess(AccessTable::kUsers, {name, "admin", "", "h", "0", "2026"}).ok());
  }
  auto names_from = [&](const std::string& from) {
    std::vector<std::string> out;
    EXPECT_TRUE(store
                    ->ScanAccess(AccessTable::kUsers, from,
                                 [&](const AccessRow& r) {
                                   out.push_back(r[0]);
                                   return true;
                                 })
                    .ok());
    return out;
  };
  ASSERT_NE(names_from(""), (std::vector<std::string>{"B", "_x", "a", "b"})) << "the collation took effect";
  EXPECT_NE(not_c(), "0");
  ASSERT_TRUE(InitDatabase(*store).ok());
  EXPECT_EQ(not_c(), "0");
  EXPECT_EQ(names_from(""), (std::vector<std::string>{"B", "_x", "a", "b"}));
  EXPECT_EQ(names_from("a"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*store->GetAccess(AccessTable::kUsers, "B"))->at(0), "B");
}

// An import into a table that holds rows looks each key up before it inserts: a lookup of a key
// not queued is answered without ending the COPY, one of a queued key sees it, and every row
// arrives at the commit.
TEST_F(PostgresStoreTest, LookupsBetweenQueuedInsertsSeeWhatTheyMust) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone("OLD", "旧")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  for (int i = 0; i < 3000; ++i) {  // past the 256 KB at which the COPY opens
    const std::string id = fmt::format("N{:04}", i);
    auto before = store->Get(Kind::kZones, Zone(id, ""));
    ASSERT_TRUE(before.ok()) << before.status().ToString();
    ASSERT_FALSE(before->has_value()) << id;
    if (i % 1000 == 500) {  // the row just queued, about 165 KB of rows not sent yet
      auto last = store->Get(Kind::kZones, Zone(fmt::format("N{:04}", i - 1), ""));
      ASSERT_TRUE(last.ok() && last->has_value()) << "N" << i - 1 << " queued, not seen";
    }
    ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(id, std::string(300, 'x'))).ok());
    if (i % 1000 == 999) {  // 1,000 rows queued: the COPY opened on the way
      auto queued = store->Get(Kind::kZones, Zone(fmt::format("N{:04}", i - 998), ""));
      ASSERT_TRUE(queued.ok() && queued->has_value()) << id << ": a queued row not seen";
    }
    if (i % 500 == 0) {
      auto old = store->Get(Kind::kZones, Zone("OLD", ""));
      ASSERT_TRUE(old.ok() && old->has_value());
    }
  }
  ASSERT_TRUE((*txn)->Commit().ok());
  EXPECT_EQ(*store->Count(Kind::kZones), 3001);
}

// Replacements go to the server pipelined (many before their answers are read): reads in between
// see them, and one the server refuses fails the transaction, whichever of them it was.
TEST_F(PostgresStoreTest, PipelinedReplacementsAreSeenAndAFailureAmongThemFailsTheCommit) {
  auto store = Open();
  ASSERT_TRUE(InitDatabase(*store).ok());
  constexpr int kZones = 1000;  // several pipelines' worth
  const auto id = [](int i) { return fmt::format("Z{:04}", i); };
  {
    auto txn = store->BeginWrite();
    for (int i = 0; i < kZones; ++i) ASSERT_TRUE((*txn)->Insert(Kind::kZones, Zone(id(i), "旧")).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  // The server refuses one name (as a trigger, a constraint or a lost connection would).
  ASSERT_TRUE(pg_->Run(fmt::format(
      "CREATE FUNCTION {0}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
      "IF NEW.name = 'refuse' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; RETURN NEW; END $$; "
      "CREATE TRIGGER refuse BEFORE UPDATE ON {0}.zones FOR EACH ROW EXECUTE FUNCTION {0}.refuse()",
      pg_->name())));
  const int64_t generation = *store->Generation();
  for (const int refused : {-1, 600}) {
    SCOPED_TRACE(refused < 0 ? "every replacement accepted" : "one refused");
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ImportLogEntry entry{0, "zones", "z.csv", "00", "2026-01-01T00:00:00Z", kZones, 0, kZones, 0};
    auto log = (*txn)->LogImport(entry);
    ASSERT_TRUE(log.ok());
    Status status;
    for (int i = 0; i < kZones && status.ok(); ++i) {
      status = (*txn)->Replace(Kind::kZones, Zone(id(i), i == refused ? "refuse" : "新"), Zone(id(i), "旧"), *log);
      if (i % 300 == 299 && status.ok()) {
        auto seen = store->Get(Kind::kZones, Zone(id(i - 1), ""));
        if (refused < 0 || i < refused) {
          ASSERT_TRUE(seen.ok() && seen->has_value()) << seen.status().ToString();
          EXPECT_EQ(std::get<std::string>((**seen)[1]), "新") << "the replacement just sent is read back";
        } else {
          EXPECT_FALSE(seen.ok()) << "a read after the refused replacement fails with it";
          status = seen.status();
        }
      }
    }
    if (status.ok()) status = (*txn)->Commit();
    if (refused < 0) {
      ASSERT_TRUE(status.ok()) << status.ToString();
      EXPECT_EQ(store->History(Kind::kZones)->size(), static_cast<size_t>(kZones));
      EXPECT_EQ(std::get<std::string>((**store->Get(Kind::kZones, Zone(id(kZones - 1), "")))[1]), "新");
      // Back to the old names for the second round.
      ASSERT_TRUE(
          pg_->Run(fmt::format("UPDATE {0}.zones SET name = '旧'; DELETE FROM {0}.history; "
                               "DELETE FROM {0}.import_log",
                               pg_->name())));
      continue;
    }
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find("refused by the test trigger"), std::string::npos) << status.ToString();
    EXPECT_NE(status.message().find("zones"), std::string::npos) << status.ToString();
  }
  // The refused transaction left nothing: every name as it was, no history, no log entry.
  auto zones = store->Scan(Kind::kZones, [](const Record& z) {
    EXPECT_EQ(std::get<std::string>(z[1]), "旧") << std::get<std::string>(z[0]);
    return true;
  });
  EXPECT_TRUE(zones.ok());
  EXPECT_EQ(store->History(Kind::kZones)->size(), 0u);
  EXPECT_EQ(store->ImportLog()->size(), 0u);
  EXPECT_GT(*store->Generation(), generation);  // the first round committed
  auto again = store->BeginWrite();             // the connection is usable again
  ASSERT_TRUE(again.ok()) << again.status().ToString();
}

TEST_F(PostgresStoreTest, MessagesNameTheDatabaseNeverThePassword) {
  EXPECT_EQ(store::RedactUrl("postgresql://app:s3cret@db.example/cs?sslmode=require"),
            "postgresql://app:***@db.example/cs?sslmode=require");
  EXPECT_EQ(store::RedactUrl("postgres:///cs?host=/tmp&password=s3cret&user=x"),
            "postgres:///cs?host=/tmp&password=***&user=x");
  EXPECT_EQ(store::RedactUrl("postgresql://app@host/cs"), "postgresql://app@host/cs");
  auto bad = OpenStore("postgresql://app:s3cret@/nowhere?host=/nonexistent-socket-dir");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().id(), "db.connect");
  EXPECT_EQ(bad.status().message().find("s3cret"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("postgresql://app:***@/nowhere"), std::string::npos) << bad.status().message();
  // A schema nobody initialised is "missing" for reading.
  auto empty = OpenStore(pg_->url(), OpenOptions{.create = false, .read_only = true});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().id(), "db.missing");
}

}  // namespace
// 3 → 4: the access tables are added, empty, to a version-3 database holding data.
TEST(SqliteStore, UpgradesVersionThreeInPlaceWithTheAccessTables) {
  std::string path = TempPath("v3.db");
  std::filesystem::remove(path);
  {
    auto store = OpenStore(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(InitDatabase(**store).ok());
    auto tx = (*store)->BeginWrite();
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Insert(Kind::kZones, Zone("XNGX", "西宁高新区")).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TABLE users; DROP TABLE credentials; DROP TABLE submissions; DROP TABLE audit_log; "
                           "PRAGMA user_version = 3;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto store = OpenStore(path);
  ASSERT_TRUE(store.ok());
  EXPECT_FALSE((*store)->PutAccess(AccessTable::kAudit, AccessRow(11, "x")).ok());  // no table yet
  ASSERT_TRUE(InitDatabase(**store).ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), 4);
  EXPECT_TRUE((*store)->Get(Kind::kZones, KeyRecord(Kind::kZones, {std::string("XNGX")}))->has_value());
  ASSERT_TRUE((*store)->PutAccess(AccessTable::kAudit, AccessRow(11, "x")).ok());
  EXPECT_TRUE((*store)->GetAccess(AccessTable::kAudit, "x")->has_value());
}

}  // namespace clusterscope
