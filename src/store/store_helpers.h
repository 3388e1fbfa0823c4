// Pieces the stores share: the values of a filtered scan (Store::ScanWhere) in the order the
// scan hands records out, and a batch get made of point gets for the stores in this process.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "clusterscope/schema.h"
#include "clusterscope/store.h"

namespace clusterscope::store {

// Ascending (std::variant's order: null, integers, reals, text), each value once; nulls dropped,
// since no stored value equals null.
inline std::vector<Value> SortedDistinct(std::vector<Value> values) {
  std::erase_if(values, [](const Value& v) { return IsNull(v); });
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// Store::GetMany as one Get per key: right for a store in this process (SQLite, memory), where a
// point query costs no round trip; a server-backed store sends one query instead.
inline Result<std::vector<std::optional<Record>>> GetEachKey(Store& store, Kind kind, const std::vector<Record>& keys) {
  std::vector<std::optional<Record>> out;
  out.reserve(keys.size());
  for (const Record& k : keys) {
    CS_ASSIGN_OR_RETURN(auto r, store.Get(kind, k));
    out.push_back(std::move(r));
  }
  return out;
}

// kUsage unless every index of `columns` is a column of `kind` (ScanRowsKept's keep_columns).
inline Status CheckColumns(Kind kind, const std::vector<int>& columns) {
  const KindDef& def = Describe(kind);
  for (int c : columns) {
    if (c < 0 || static_cast<size_t>(c) >= def.columns.size()) {
      return Status::Usage(fmt::format("{} has no column {}", def.id, c));
    }
  }
  return Status::Ok();
}

// Store::ScanRowsKept as a ScanRows that counts: right for a store that hands out rows it already
// holds (memory) or has fetched whole (a server store: the filter would cost a round trip).
inline Status ScanRowsKeptByScan(Store& store, Kind kind, const std::vector<int>& keep_columns,
                                 const std::function<bool(const RowView&)>& keep,
                                 const std::function<bool(const RowView&, int64_t position)>& fn) {
  CS_RETURN_IF_ERROR(CheckColumns(kind, keep_columns));
  int64_t position = 0;
  return store.ScanRows(kind, [&](const RowView& r) {
    const int64_t at = position++;
    return !keep(r) || fn(r, at);
  });
}

// kInvalidInput unless `row` has one value per AccessColumns(table) entry.
Status CheckAccessRow(AccessTable table, const AccessRow& row);

// One field of a PostgreSQL COPY text-format line (\\N for null; backslash, tab, newline and
// return escaped): what the PostgreSQL store streams and what `copy` dumps and digests.
inline void AppendCopyField(std::string& out, const Value& v) {
  if (IsNull(v)) {
    out += "\\N";
  } else if (const auto* n = std::get_if<int64_t>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *n);
  } else if (const auto* d = std::get_if<double>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *d);
  } else {
    for (char c : std::get<std::string>(v)) {
      switch (c) {
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += c;
      }
    }
  }
}

}  // namespace clusterscope::store
