// Reading tabular input files — CSV in any encoding Chinese Excel writes, and .xlsx — as rows of
// UTF-8 strings. Nothing here interprets cell contents: that is the schema's job.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"

namespace clusterscope::io {

struct TableRow {
  // The row number a spreadsheet program shows for this row: the header is row 1, the first data
  // row is row 2. Blank rows are skipped but still counted; a quoted CSV cell spanning several
  // physical lines is still one row.
  int64_t row_number = 0;
  std::vector<std::string> cells;  // UTF-8, exactly as in the file (no trimming)
};

struct TableReadOptions {
  std::string sheet;  // .xlsx only: the sheet's name; empty = the first sheet
};

// A forward-only reader over one table. Not thread-safe.
class TableReader {
 public:
  virtual ~TableReader() = default;

  // Opens `path`. The format is chosen by content: a zip archive (PK\x03\x04) is read as .xlsx;
  // anything else as CSV (RFC 4180: `,` separator, `"` quoting, CRLF or LF), whose encoding is
  // UTF-8 with BOM, else UTF-8 if the whole file is valid UTF-8, else GB18030 (which covers GBK
  // and GB2312). Reads the header row before returning.
  // Fails with kEnvironment if the file cannot be read, kInvalidInput if it is not a readable
  // table (bad zip, unknown sheet, undecodable bytes, unterminated quote, no header row) — the
  // message names the file and, where it applies, the row.
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, const TableReadOptions& options = {});

  // The header row's cells (row 1), UTF-8.
  virtual const std::vector<std::string>& header() const = 0;

  // Reads the next row that has at least one non-empty cell into `row` (its buffers are reused,
  // which keeps million-row imports from allocating per row). Returns false at the end of the
  // table. Rows may have fewer or more cells than the header; the caller decides what that means.
  // (.xlsx rows are padded with empty cells to the header's width, as Excel stores no empty cells.)
  virtual Result<bool> Next(TableRow& row) = 0;

  // "utf-8", "utf-8-bom", "gb18030" or "xlsx".
  virtual std::string_view encoding() const = 0;

  // Progress: bytes of the input consumed so far, and in all (for .xlsx, of the sheet's XML).
  virtual uint64_t bytes_done() const = 0;
  virtual uint64_t bytes_total() const = 0;
};

// Encoding conversion (ICU). Fail with kInvalidInput naming the byte offset of the first
// undecodable sequence.
Result<std::string> Gb18030ToUtf8(std::string_view bytes);
Result<std::string> Utf8ToGb18030(std::string_view utf8);

// True if `bytes` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view bytes);

}  // namespace clusterscope::io
