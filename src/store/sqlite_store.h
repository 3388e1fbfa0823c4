// The embedded default store: one SQLite file, WAL journal, one table per kind (DDL derived from
// the schema registry; see docs/schema.sql for the current form).
#pragma once

#include <memory>
#include <string>

#include "clusterscope/store.h"

namespace clusterscope::store {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, const OpenOptions& options);

// The CREATE TABLE statements of the current schema version, for the docs and a golden test.
std::string SqliteSchemaSql();

}  // namespace clusterscope::store
