// Copying a whole database into another (`clusterscope copy --to URL`): SQLite ↔ PostgreSQL, or
// either into a new file or schema of the same kind. Every data table (each kind), the import log
// and the history are copied with their ids, in one transaction of the target; the columnar
// snapshot is rebuilt there; and each table's row count and checksum is compared on both sides.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

// One table as the canonical dump sees it.
struct TableDigest {
  std::string table;  // "zones", …, "import_log", "history"
  int64_t rows = 0;
  std::string sha256;  // of the table's lines in DumpDatabase, each ending in '\n'
};

struct CopyOutcome {
  std::string from;  // the stores' Location()s (passwords hidden)
  std::string to;
  std::vector<TableDigest> source;  // in the same order on both sides
  std::vector<TableDigest> target;
  bool verified = false;  // every table has the same rows and checksum in both
};

// Copies the database at `from_url` (which must exist and be at this build's schema version) into
// the one at `to_url`, created or initialised as needed, which must hold no records and no import
// log (kInvalidInput, id "copy.target_not_empty", otherwise; nothing is written). A failure
// leaves the target as it was. After the copy, a verification that fails is kEnvironment
// ("copy.mismatch"), with the outcome's tables in the message.
Result<CopyOutcome> CopyDatabase(const std::string& from_url, const std::string& to_url);

// The canonical dump of a store's data, the same for one data set whichever store holds it: for
// each kind in dependency order, then import_log and history, `line(table, text)` for each row in
// key (or id) order, values tab-separated, NULL as \N, integers in decimal, reals in shortest
// round-trip form, text with backslash, tab, newline and carriage return escaped (as COPY's text
// format). Not included: the generation and the snapshot, which describe the store, not the data.
Status DumpDatabase(Store& store, const std::function<void(std::string_view table, std::string_view text)>& line);

// Each table's row count and checksum of its dump lines.
Result<std::vector<TableDigest>> DigestDatabase(Store& store);

}  // namespace clusterscope
