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
  // The row number a spreadsheet program shows for this row (the header is row 1 unless blank
  // rows precede it). Blank rows are skipped but still counted; a quoted CSV cell spanning several
  // physical lines is still one row.
  int64_t row_number = 0;
  std::vector<std::string> cells;  // UTF-8, exactly as in the file (no trimming)
};

struct TableReadOptions {
  std::string sheet;  // .xlsx only: the sheet's name; empty = the first sheet
};

// Why a read failed when the cause is the file's content: the rule it breaks (docs/import-rules.md;
// "file.unreadable" when no finer rule applies), the row as the sheet shows it (0: the file as a
// whole), the column (its header as written, or "#N" for the N-th cell when there is none), the
// value (the start of the offending cell, made printable: invalid bytes and control characters as
// \xHH) and the message in Chinese and English (without the file name, which the caller adds).
struct ReadProblem {
  std::string rule;
  int64_t row = 0;
  std::string column;
  std::string value;
  std::string zh;
  std::string en;
};

// A forward-only reader over one table. Not thread-safe.
class TableReader {
 public:
  virtual ~TableReader() = default;

  // Opens `path` ("-" is standard input). The whole input is read into memory with read(2) — never
  // mapped, so a pipe, a FIFO or /dev/stdin loses no bytes and a file truncated meanwhile cannot
  // fault — and at most limits::kMaxFileBytes of it. The format is chosen by content: a zip archive (PK\x03\x04) is
  // read as .xlsx; anything else as CSV (RFC 4180: `,` separator, `"` quoting, CRLF or LF), whose encoding is UTF-8
  // with BOM, else UTF-8 if the whole file is valid UTF-8, else GB18030 (which covers GBK and GB2312). Reads the header
  // row before returning. Fails with kEnvironment if the file cannot be read, kInvalidInput if it is not a readable
  // table (bad zip, unknown sheet, undecodable bytes, unterminated quote, no header row) — the
  // message names the file and, where it applies, the row. A content failure also fills
  // `*problem` (when given) with its rule, row, column and value.
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, const TableReadOptions& options = {},
                                                   ReadProblem* problem = nullptr);

  // The header row's cells, UTF-8.
  virtual const std::vector<std::string>& header() const = 0;
  // The row the header is on, as the sheet shows it (1 unless blank rows precede it).
  virtual int64_t header_row() const = 0;

  // After Next() failed with kInvalidInput: why, as a rule with row, column and value.
  virtual const ReadProblem& problem() const = 0;

  // The bytes of the input exactly as read (for its SHA-256); valid while the reader lives.
  virtual std::string_view raw_bytes() const = 0;

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
