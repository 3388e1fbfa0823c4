// Small pieces of the SQLite store shared by its files (sqlite_store.cpp, sqlite_snapshot.cpp).
#pragma once

#include <sqlite3.h>

#include <fmt/format.h>

#include <memory>
#include <string>
#include <string_view>

#include "clusterscope/status.h"

namespace clusterscope::store {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// The error SQLite reports on `db`, naming the file and what was being done; a constraint
// violation is kConflict, anything else kEnvironment.
inline Status SqliteError(sqlite3* db, const std::string& path, const std::string& what) {
  const int code = sqlite3_extended_errcode(db);
  std::string msg = fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db));
  if ((code & 0xFF) == SQLITE_CONSTRAINT) return Status::Conflict(msg);
  return Status::Environment(msg);
}

// A text or blob column of the current row, without a copy (valid until the next step).
inline std::string_view ColumnText(sqlite3_stmt* stmt, int col) {
  const void* p = sqlite3_column_blob(stmt, col);
  return p == nullptr
             ? std::string_view()
             : std::string_view(static_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
}

// Prepares `sql` into `slot` unless it holds a statement already.
inline Result<sqlite3_stmt*> PrepareInto(sqlite3* db, const std::string& path, Stmt& slot, std::string_view sql) {
  if (!slot) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr) !=
        SQLITE_OK) {
      return SqliteError(db, path, fmt::format("preparing \"{}\"", sql));
    }
    slot.reset(raw);
  }
  return slot.get();
}

}  // namespace clusterscope::store
