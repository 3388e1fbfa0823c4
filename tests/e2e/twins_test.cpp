// The example data as UTF-8 CSV, GB18030 CSV and .xlsx must give exactly the same stored data.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "e2e/cli_runner.h"

namespace clusterscope {
namespace {

using testing::RunCli;

// Every data table's rows in key order, as text; the import log (paths, hashes, times) and the
// history are left out because they describe the files, not the data.
std::string DumpData(const std::string& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string out;
  for (const char* table :
       {"regions", "industries", "zones", "clusters", "firms", "members", "institutions", "reports"}) {
    out += std::string("== ") + table + "\n";
    sqlite3_stmt* stmt = nullptr;
    std::string sql = std::string("SELECT * FROM ") + table + " ORDER BY 1, 2, 3";
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        // Type and value: an integer 5 and a text "5" must not look alike.
        out += std::to_string(sqlite3_column_type(stmt, i)) + ":";
        const unsigned char* text = sqlite3_column_text(stmt, i);
        out += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
        out += "|";
      }
      out += "\n";
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

std::string ImportVariant(const std::string& dir, const std::string& ext, const std::string& db,
                          std::string* encoding) {
  std::string args = "--db " + db + " import";
  for (const char* kind : {"zones", "clusters", "firms", "members", "institutions", "reports"}) {
    args += std::string(" ") + kind + " " + dir + "/" + kind + "." + ext;
  }
  auto r = RunCli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  *encoding = r.out;
  return DumpData(db);
}

TEST(ExampleTwins, Gb18030AndXlsxStoreExactlyWhatUtf8Stores) {
  auto tmp = std::filesystem::temp_directory_path() / ("cs-twins-" + std::to_string(getpid()));
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  std::string examples = std::string(CS_SOURCE_DIR) + "/examples";
  std::string out_utf8, out_gb, out_xlsx;
  std::string utf8 = ImportVariant(examples, "csv", (tmp / "utf8.db").string(), &out_utf8);
  std::string gb = ImportVariant(examples + "/gb18030", "csv", (tmp / "gb.db").string(), &out_gb);
  std::string xlsx = ImportVariant(examples + "/xlsx", "xlsx", (tmp / "xlsx.db").string(), &out_xlsx);

  // The twins really are in the other encodings.
  EXPECT_NE(out_gb.find("gb18030"), std::string::npos) << out_gb;
  EXPECT_NE(out_xlsx.find("xlsx"), std::string::npos) << out_xlsx;
  EXPECT_NE(utf8.find("青藏高原特色生物资源与中藏药产业集群"), std::string::npos);
  EXPECT_GT(utf8.size(), 5000u);
  EXPECT_EQ(gb, utf8);
  EXPECT_EQ(xlsx, utf8);

  // And the Traditional-character firms file, in every form, changes nothing.
  for (const std::string& f : {examples + "/firms_traditional.csv", examples + "/gb18030/firms_traditional.csv",
                               examples + "/xlsx/firms_traditional.xlsx"}) {
    auto r = RunCli("--db " + (tmp / "utf8.db").string() + " import firms " + f);
    EXPECT_EQ(r.exit_code, 0) << f << ": " << r.err;
    EXPECT_NE(r.out.find("24 unchanged"), std::string::npos) << f << ": " << r.out;
  }
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace clusterscope
