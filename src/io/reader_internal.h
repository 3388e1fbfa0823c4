// Private to src/io: the concrete readers behind TableReader::Open, and helpers they share with
// the twins tool and the tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/text.h"
#include "io/limits.h"
#include "io/table_reader.h"

namespace clusterscope::io::internal {

// Reads all of `path` ("-": standard input) with read(2), refusing more than `max_bytes`
// (rule limit.file_bytes, filled into `*problem`).
Result<std::string> ReadInput(const std::string& path, ReadProblem* problem,
                              uint64_t max_bytes = limits::kMaxFileBytes);

// Reads `bytes` (all of `path`, as read) as CSV (encoding sniffed as TableReader::Open documents).
Result<std::unique_ptr<TableReader>> OpenCsv(const std::string& path, std::string bytes, ReadProblem* problem);

// Reads `bytes` (all of `path`, as read) as an .xlsx workbook.
Result<std::unique_ptr<TableReader>> OpenXlsx(const std::string& path, std::string bytes,
                                              const TableReadOptions& options, ReadProblem* problem);

// The start of a cell as a problem shows it (text::Printable, 64 bytes).
inline std::string Printable(std::string_view value) { return text::Printable(value, 64); }

// Fills `*problem` (when not null) and returns kInvalidInput "FILE: row R: EN" (or "FILE: EN" for
// row 0).
Status Refuse(const std::string& path, ReadProblem* problem, ReadProblem what);

// The byte offset of the first byte that is not part of a well-formed UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are not well-formed), or nullopt.
std::optional<size_t> FirstInvalidUtf8(std::string_view bytes);

// Decodes GB18030 into `out` (replacing its contents), with no size limit beyond memory. Fails
// with kInvalidInput "byte offset N: ..." (N: the first undecodable sequence); callers prefix the
// file name.
Status Gb18030ToUtf8Into(std::string_view bytes, std::string& out);

// A number the way Excel displays it in a General cell: at most 15 significant digits, plain
// decimal notation (no exponent), no trailing zeros, "-0" as "0".
std::string FormatExcelNumber(double value);

// "1.2345E+7" -> "12345000"; nullopt when `text` is not a number.
std::optional<std::string> FormatExcelNumberText(std::string_view text);

}  // namespace clusterscope::io::internal
