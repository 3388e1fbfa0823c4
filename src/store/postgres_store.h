// The shared-server store (issue 14): PostgreSQL through libpq, the same tables as the SQLite
// store (ddl.cpp, PostgreSQL dialect) and the same contract (store.h). docs/storage.md says how to
// run it; the choices that differ from SQLite:
// - The schema version is the row ('schema_version', N) of store_meta (SQLite: PRAGMA user_version).
// - Writers serialise on a transaction-scoped advisory lock keyed by the current schema, taken by
//   BeginWrite and Init: a second import waits for the first to commit or roll back (READ
//   COMMITTED, so it then reads what the first one wrote), instead of failing as SERIALIZABLE would.
// - Inserts stream into the table with COPY … FROM STDIN (binary format), ended before any other
//   statement that could see them (a read in the same transaction sees them; a Get of a key not
//   queued leaves a COPY that is not yet open alone) and at Commit. A key inserted twice in one transaction
//   is kConflict at the second Insert; a key that was stored before the transaction began is
//   kConflict at the next read or at Commit (the COPY fails there), and the transaction is then
//   lost: the importer never does either, since it looks every key up first.
// - Text columns are COLLATE "C", so keys sort by bytes as in SQLite, whatever the database's
//   locale; the access tables' too (init alters those an earlier build created otherwise).
// - The columnar snapshot and its totals are kept at every commit by snapshot_codec.cpp, as in
//   SQLite; report_columns.data is stored EXTERNAL (TOAST compresses no blob).
#pragma once

#include <memory>
#include <string>

#include "clusterscope/store.h"

namespace clusterscope::store {

// `url` is handed to libpq as written: postgresql://user@host:5432/db, postgresql:///db?host=/run/dir, …
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url, const OpenOptions& options);

// True for the URLs OpenStore hands to PostgreSQL.
bool IsPostgresUrl(std::string_view url);

// `url` with any password replaced by "***", for messages and Location().
std::string RedactUrl(std::string_view url);

}  // namespace clusterscope::store
