// The one limits policy of the input side (docs/limits.md is its prose form; keep them together).
// Every limit here is a refusal with its own rule id, never a silent truncation: a file that breaks
// one is refused as a whole, naming the file, the row (as the sheet shows it), the column and the
// rule. The numbers are chosen so that any file a real statistics office produces fits with room
// to spare, while a hostile file cannot make one import use more than a few hundred MB.
#pragma once

#include <cstddef>
#include <cstdint>

namespace clusterscope::limits {

// Bytes of one cell, after decoding to UTF-8 (rule limit.cell_bytes). Excel holds at most 32,767
// characters in a cell, which is at most 131,068 bytes of UTF-8.
inline constexpr size_t kMaxCellBytes = size_t{128} << 10;

// Cells in one row, the header included (rule limit.columns): Excel's last column is XFD.
inline constexpr size_t kMaxColumns = 16384;

// Bytes of the header row (rule limit.header_bytes): the longest kind has under 40 columns of
// short names, and even 1,000 columns of 60-byte names fit.
inline constexpr size_t kMaxHeaderBytes = size_t{64} << 10;

// Bytes of one row: a CSV record, or the XML of one <row> of a sheet (rule limit.row_bytes).
inline constexpr size_t kMaxRowBytes = size_t{16} << 20;

// Uncompressed bytes of one part (entry) of an .xlsx archive (rule limit.part_bytes): a full
// 1,048,576-row x 36-column sheet is about 1 GiB of XML. Small parts (workbook, relationships),
// which are read whole, have their own, lower limit.
inline constexpr uint64_t kMaxPartBytes = uint64_t{2} << 30;
inline constexpr uint64_t kMaxSmallPartBytes = uint64_t{16} << 20;
// The shared-strings table is kept in memory whole, so its limit is what memory allows.
inline constexpr uint64_t kMaxSharedStringsBytes = uint64_t{256} << 20;

// Uncompressed : compressed bytes of one part (rule limit.part_ratio), checked once a part has
// inflated past kRatioGraceBytes (tiny parts compress by any ratio). Spreadsheet XML compresses
// 5-30 times; deflate cannot exceed about 1,032; a zip bomb lives near that end.
inline constexpr uint64_t kMaxCompressionRatio = 200;
inline constexpr uint64_t kRatioGraceBytes = uint64_t{8} << 20;

// Bytes of an input file read into memory (rule limit.file_bytes). CSV is parsed in memory, an
// .xlsx archive is read from memory; 2 GiB is twice the largest sheet Excel can write as CSV.
inline constexpr uint64_t kMaxFileBytes = uint64_t{2} << 30;

// Problems kept per file (the rest are counted, not listed): a wholly wrong million-row file must
// not exhaust memory to say so.
inline constexpr size_t kMaxProblemsPerFile = 100000;

// Characters of an identifier the user chooses (zone_id, cluster_id, …; rule id.syntax).
inline constexpr size_t kMaxIdLength = 64;

}  // namespace clusterscope::limits
