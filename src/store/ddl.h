// The database schema as SQL, generated from the schema registry (schema.h) for each SQL dialect
// a store speaks, so that the SQLite store and the PostgreSQL store (issue 14) create the same
// tables from one description. docs/storage.md embeds the SQLite form; a test keeps them equal.
#pragma once

#include <string>
#include <string_view>

#include "clusterscope/schema.h"

namespace clusterscope::store {

enum class SqlDialect { kSqlite, kPostgres };

// The column type a registry column is stored as: INTEGER / BIGINT for counts, money (fen),
// years and flags; REAL / DOUBLE PRECISION for coordinates and scores; TEXT otherwise.
std::string_view SqlType(ColumnType type, SqlDialect dialect);
// True when a column is stored as an integer (what the columnar snapshot holds).
bool IsIntegerColumn(ColumnType type);

// "CREATE TABLE [IF NOT EXISTS] kind (…, PRIMARY KEY (…))" for one kind.
std::string CreateTableSql(const KindDef& def, SqlDialect dialect, bool if_not_exists = false);
// The tables beside the kinds: the import log and the history of replaced records.
std::string MetaTablesSql(SqlDialect dialect);
// The columnar snapshot of the reports (docs/storage.md, "report_columns").
std::string ReportColumnsSql(SqlDialect dialect);
// The store's own counters (schema version 3): the generation (Store::Generation).
std::string StoreMetaSql(SqlDialect dialect);
// The secondary indexes (CREATE INDEX IF NOT EXISTS: run by every init, so older files get them).
std::string IndexesSql(SqlDialect dialect);
// The access tables (schema version 4): users, credentials, submissions, audit_log; all columns
// text, the first the primary key.
std::string AccessTablesSql(SqlDialect dialect, bool if_not_exists = false);
// Everything, in creation order: every kind, then the tables above.
std::string SchemaSql(SqlDialect dialect);

}  // namespace clusterscope::store
