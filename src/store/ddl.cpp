#include "store/ddl.h"

#include <fmt/format.h>

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

std::string SchemaSql(SqlDialect dialect) {
  std::string sql;
  for (Kind kind : kAllKinds) sql += CreateTableSql(Describe(kind), dialect);
  return sql + MetaTablesSql(dialect) + ReportColumnsSql(dialect) + StoreMetaSql(dialect);
}

}  // namespace clusterscope::store
