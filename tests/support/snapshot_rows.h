// The rows of an SQLite file's report_columns, (year, column id) → (rows, data) as stored: what
// the snapshot tests compare (kept against rebuilt, SQLite against PostgreSQL).
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace clusterscope::testing {

using SnapshotRows = std::map<std::pair<int64_t, std::string>, std::pair<int64_t, std::string>>;

inline SnapshotRows SqliteSnapshotRows(const std::string& path) {
  SnapshotRows out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT year, column_id, rows, data FROM report_columns", -1, &s, nullptr),
            SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 1));
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(s, 3));
    out[{sqlite3_column_int64(s, 0), text}] = {sqlite3_column_int64(s, 2),
                                               std::string(blob, static_cast<size_t>(sqlite3_column_bytes(s, 3)))};
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

}  // namespace clusterscope::testing
