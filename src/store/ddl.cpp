#include "store/ddl.h"

#include <fmt/format.h>
#include <array>

#include "store/store_helpers.h"

namespace clusterscope::store {

bool IsIntegerColumn(ColumnType type) {
  switch (type) {
    case ColumnType::kYear:
    case ColumnType::kBool:
    case ColumnType::kCount:
    case ColumnType::kMoney:
    case ColumnType::kSignedMoney:
      return true;
    default:
      return false;
  }
}

std::string_view SqlType(ColumnType type, SqlDialect dialect) {
  const bool pg = dialect == SqlDialect::kPostgres;
  if (IsIntegerColumn(type)) return pg ? "BIGINT" : "INTEGER";
  switch (type) {
    case ColumnType::kLatitude:
    case ColumnType::kLongitude:
    case ColumnType::kScore:
      return pg ? "DOUBLE PRECISION" : "REAL";
    default:
      return "TEXT";
  }
}

std::string CreateTableSql(const KindDef& def, SqlDialect dialect, bool if_not_exists) {
  std::string sql = fmt::format("CREATE TABLE {}{} (\n", if_not_exists ? "IF NOT EXISTS " : "", def.id);
  std::string key;
  for (const ColumnDef& c : def.columns) {
    // PostgreSQL: byte order for text, as SQLite and the engine sort (a database's own collation,
    // en_US say, would order the keys, and so the scans, differently).
    const bool c_collation = dialect == SqlDialect::kPostgres && SqlType(c.type, dialect) == "TEXT";
    sql += fmt::format("  {} {}{}{},\n", c.id, SqlType(c.type, dialect), c_collation ? " COLLATE \"C\"" : "",
                       c.required || c.key ? " NOT NULL" : "");
    if (c.key) key += fmt::format("{}{}", key.empty() ? "" : ", ", c.id);
  }
  // SQLite: the key is the table's storage order (no hidden rowid), as the scans read it.
  sql += fmt::format("  PRIMARY KEY ({})\n){};\n", key, dialect == SqlDialect::kSqlite ? " WITHOUT ROWID" : "");
  return sql;
}

std::string MetaTablesSql(SqlDialect dialect) {
  const bool pg = dialect == SqlDialect::kPostgres;
  const std::string_view id = pg ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
  const std::string_view integer = pg ? "BIGINT" : "INTEGER";
  return fmt::format(R"sql(CREATE TABLE import_log (
  id {0},
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  at TEXT NOT NULL,
  rows {1} NOT NULL,
  added {1} NOT NULL,
  replaced {1} NOT NULL,
  unchanged {1} NOT NULL
);
CREATE TABLE history (
  id {0},
  kind TEXT NOT NULL,
  record_key TEXT NOT NULL,
  record_json TEXT NOT NULL,
  import_id {1} NOT NULL REFERENCES import_log(id)
);
CREATE INDEX history_by_key ON history(kind, record_key);
)sql",
                     id, integer);
}

std::string ReportColumnsSql(SqlDialect dialect) {
  const bool pg = dialect == SqlDialect::kPostgres;
  return fmt::format(R"sql(CREATE TABLE report_columns (
  year {0} NOT NULL,
  column_id TEXT NOT NULL,
  rows {0} NOT NULL,
  data {1} NOT NULL,
  PRIMARY KEY (year, column_id)
);
)sql",
                     pg ? "BIGINT" : "INTEGER", pg ? "BYTEA" : "BLOB");
}

std::string StoreMetaSql(SqlDialect dialect) {
  return fmt::format(R"sql(CREATE TABLE store_meta (
  key TEXT PRIMARY KEY,
  value {} NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('generation', 0);
)sql",
                     dialect == SqlDialect::kPostgres ? "BIGINT" : "INTEGER");
}

std::string IndexesSql(SqlDialect /*dialect*/) {
  // A question about one zone reads its firms (Store::ScanWhere on zone_id), not the register.
  return "CREATE INDEX IF NOT EXISTS firms_by_zone ON firms(zone_id);\n";
}

std::string AccessTablesSql(SqlDialect dialect, bool if_not_exists) {
  // TEXT and a text primary key in both dialects; on PostgreSQL in byte order (COLLATE "C"), as the
  // data tables, so that ScanAccess's `from_key` and its order mean on a server what they mean in
  // SQLite whatever the database's own collation.
  const std::string_view collate = dialect == SqlDialect::kPostgres ? " COLLATE \"C\"" : "";
  std::string sql;
  for (AccessTable t : kAllAccessTables) {
    sql += fmt::format("CREATE TABLE {}{} (\n", if_not_exists ? "IF NOT EXISTS " : "", AccessTableId(t));
    auto columns = AccessColumns(t);
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += fmt::format("  {} TEXT{} NOT NULL{},\n", columns[i], collate, i == 0 ? " PRIMARY KEY" : "");
    }
    sql.resize(sql.size() - 2);
    sql += "\n);\n";
  }
  return sql;
}

std::string SchemaSql(SqlDialect dialect) {
  std::string sql;
  for (Kind kind : kAllKinds) sql += CreateTableSql(Describe(kind), dialect);
  return sql + MetaTablesSql(dialect) + ReportColumnsSql(dialect) + StoreMetaSql(dialect) + AccessTablesSql(dialect) +
         IndexesSql(dialect);
}

Status CheckAccessRow(AccessTable table, const AccessRow& row) {
  if (row.size() == AccessColumns(table).size()) return Status::Ok();
  return Status::InvalidInput(fmt::format("{}: a row of {} values; the table has {} columns", AccessTableId(table),
                                          row.size(), AccessColumns(table).size()));
}

}  // namespace clusterscope::store

namespace clusterscope {

namespace {
// What each column holds is written in src/users/access.h, which reads and writes them.
constexpr std::string_view kUserColumns[] = {"name", "role", "scope", "password_hash", "disabled", "created_at"};
constexpr std::string_view kCredentialColumns[] = {"token_hash", "user_name",  "kind",        "csrf",
                                                   "created_at", "expires_at", "last_seen_at"};
constexpr std::string_view kSubmissionColumns[] = {
    "id",          "kind",         "uscc",         "status",       "file_name",   "content_type", "sha256",
    "body_base64", "reasons_json", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at",  "note"};
constexpr std::string_view kAuditColumns[] = {"id",     "at",     "user_name", "role",   "scope", "action",
                                              "entity", "result", "sha256",    "client", "detail"};
}  // namespace

std::string_view AccessTableId(AccessTable table) {
  switch (table) {
    case AccessTable::kUsers:
      return "users";
    case AccessTable::kCredentials:
      return "credentials";
    case AccessTable::kSubmissions:
      return "submissions";
    case AccessTable::kAudit:
      return "audit_log";
  }
  return "";
}

std::span<const std::string_view> AccessColumns(AccessTable table) {
  switch (table) {
    case AccessTable::kUsers:
      return kUserColumns;
    case AccessTable::kCredentials:
      return kCredentialColumns;
    case AccessTable::kSubmissions:
      return kSubmissionColumns;
    case AccessTable::kAudit:
      return kAuditColumns;
  }
  return {};
}

}  // namespace clusterscope
