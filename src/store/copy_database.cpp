// CopyDatabase, DumpDatabase and DigestDatabase (clusterscope/copy.h), over the Store interface
// alone: any store can be the source or the target.
#include <fmt/format.h>

#include <algorithm>

#include "clusterscope/copy.h"
#include "core/sha256.h"
#include "store/store_helpers.h"

namespace clusterscope {
namespace {

std::string Line(const std::vector<Value>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '\t';
    store::AppendCopyField(out, values[i]);
  }
  return out;
}

// Every history entry of every kind, in id order (the store keeps them in one table).
Result<std::vector<HistoryEntry>> AllHistory(Store& store) {
  std::vector<HistoryEntry> all;
  for (Kind kind : kAllKinds) {
    CS_ASSIGN_OR_RETURN(auto entries, store.History(kind));
    for (HistoryEntry& e : entries) all.push_back(std::move(e));
  }
  std::sort(all.begin(), all.end(), [](const HistoryEntry& a, const HistoryEntry& b) { return a.id < b.id; });
  return all;
}

}  // namespace

Status DumpDatabase(Store& store, const std::function<void(std::string_view table, std::string_view text)>& line) {
  for (Kind kind : kAllKinds) {
    const std::string_view table = KindId(kind);
    CS_RETURN_IF_ERROR(store.Scan(kind, [&](const Record& r) {
      line(table, Line(r));
      return true;
    }));
  }
  CS_ASSIGN_OR_RETURN(auto log, store.ImportLog());
  for (const ImportLogEntry& e : log) {
    line("import_log", Line({e.id, e.kind, e.file, e.sha256, e.at, e.rows, e.added, e.replaced, e.unchanged}));
  }
  CS_ASSIGN_OR_RETURN(auto history, AllHistory(store));
  for (const HistoryEntry& e : history) line("history", Line({e.id, e.kind, e.key, e.record_json, e.import_id}));
  return Status::Ok();
}

Result<std::vector<TableDigest>> DigestDatabase(Store& store) {
  std::vector<TableDigest> out;
  std::vector<std::unique_ptr<sha256::Stream>> streams;
  auto open = [&](std::string_view table) {
    out.push_back({std::string(table), 0, ""});
    streams.push_back(std::make_unique<sha256::Stream>());
  };
  for (Kind kind : kAllKinds) open(KindId(kind));
  open("import_log");
  open("history");
  size_t at = 0;
  CS_RETURN_IF_ERROR(DumpDatabase(store, [&](std::string_view table, std::string_view text) {
    while (out[at].table != table) ++at;  // tables come in the order opened
    ++out[at].rows;
    streams[at]->Update(text);
    streams[at]->Update("\n");
  }));
  for (size_t i = 0; i < out.size(); ++i) out[i].sha256 = streams[i]->Finish();
  return out;
}

Result<CopyOutcome> CopyDatabase(const std::string& from_url, const std::string& to_url) {
  CS_ASSIGN_OR_RETURN(auto from, OpenStore(from_url, OpenOptions{.create = false, .read_only = true}));
  CS_ASSIGN_OR_RETURN(int version, from->SchemaVersion());
  if (version != kSchemaVersion) {
    return Status::Environment(fmt::format("{}: schema version {}; copy reads version {}: run `clusterscope init` on "
                                           "it first",
                                           from->Location(), version, kSchemaVersion))
        .WithId("copy.source_version");
  }
  CS_ASSIGN_OR_RETURN(auto to, OpenStore(to_url));
  if (to->Location() == from->Location()) {
    return Status::Usage(fmt::format("{}: copy --to names the database it copies from", to->Location()));
  }
  // Without the built-in reference data: the copy brings the source's own rows, which include it.
  CS_RETURN_IF_ERROR(to->Init());
  CS_ASSIGN_OR_RETURN(auto target_log, to->ImportLog());
  for (Kind kind : kAllKinds) {
    CS_ASSIGN_OR_RETURN(int64_t n, to->Count(kind));
    if (n > 0 || !target_log.empty()) {
      return Status::InvalidInput(
                 fmt::format("{}: copy writes only into an empty database, and this one holds {} ({} rows){}; nothing "
                             "was written",
                             to->Location(), KindId(kind), n, target_log.empty() ? "" : " and an import log"))
          .WithId("copy.target_not_empty");
    }
  }

  CopyOutcome outcome;
  outcome.from = from->Location();
  outcome.to = to->Location();
  {
    CS_ASSIGN_OR_RETURN(auto txn, to->BeginWrite());
    Status failed;
    for (Kind kind : kAllKinds) {
      CS_RETURN_IF_ERROR(from->Scan(kind, [&](const Record& r) {
        failed = txn->Insert(kind, r);
        return failed.ok();
      }));
      CS_RETURN_IF_ERROR(failed);
    }
    CS_ASSIGN_OR_RETURN(auto log, from->ImportLog());
    for (const ImportLogEntry& e : log) CS_RETURN_IF_ERROR(txn->CopyImportLogEntry(e));
    CS_ASSIGN_OR_RETURN(auto history, AllHistory(*from));
    for (const HistoryEntry& e : history) CS_RETURN_IF_ERROR(txn->CopyHistoryEntry(e));
    CS_RETURN_IF_ERROR(txn->Commit());
  }
  CS_RETURN_IF_ERROR(to->RefreshReportColumns());

  CS_ASSIGN_OR_RETURN(outcome.source, DigestDatabase(*from));
  CS_ASSIGN_OR_RETURN(outcome.target, DigestDatabase(*to));
  outcome.verified = true;
  std::string differ;
  for (size_t i = 0; i < outcome.source.size(); ++i) {
    const TableDigest& s = outcome.source[i];
    const TableDigest& t = outcome.target[i];
    if (s.rows != t.rows || s.sha256 != t.sha256) {
      outcome.verified = false;
      differ += fmt::format("; {}: {} rows {} → {} rows {}", s.table, s.rows, s.sha256.substr(0, 16), t.rows,
                            t.sha256.substr(0, 16));
    }
  }
  if (!outcome.verified) {
    return Status::Environment(
               fmt::format("{} → {}: the copy differs from its source{}", outcome.from, outcome.to, differ))
        .WithId("copy.mismatch");
  }
  return outcome;
}

}  // namespace clusterscope
