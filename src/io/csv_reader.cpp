// The CSV side of TableReader.
//
// Speed matters here (a million-row import is benchmarked against `sqlite3 .import`), so the file
// is read into memory whole (read(2), never mmap: a pipe loses nothing, and a file truncated during
// the import cannot fault) and parsed in place: no per-character stream calls, and each cell is
// copied once, into a string buffer the caller's TableRow keeps from row to row. A GB18030 file is
// first decoded to UTF-8 as a whole (ICU), which costs one extra copy of the file in memory but
// keeps the parser single-encoding. Every cell, row and the header are bounded (io/limits.h).

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/limits.h"
#include "io/reader_internal.h"
#include "io/table_reader.h"

namespace clusterscope::io::internal {
namespace {

bool IsDelimiter(char c) { return c == ',' || c == '\r' || c == '\n'; }

// Finds the `,` CR and LF bytes of the text. Cells average a few bytes, so looking at each byte
// (and mispredicting a branch per cell) is what costs; instead the delimiters of 64 bytes at a
// time are found with SIMD compares into a bit mask, and each cell end is one count-trailing-
// zeros away.
class DelimiterScanner {
 public:
  void Reset(const char* end) {
    end_ = end;
    block_ = nullptr;
    mask_ = 0;
  }

  // The first delimiter in [p, end), or end.
  const char* Find(const char* p) {
    while (true) {
      if (block_ != nullptr && p >= block_ && p < block_ + kBlock) {
        const uint64_t mask = mask_ & (~uint64_t{0} << (p - block_));
        if (mask != 0) return block_ + std::countr_zero(mask);
        p = block_ + kBlock;
      }
      if (p >= end_) return end_;
      Load(p);
    }
  }

 private:
  static constexpr ptrdiff_t kBlock = 64;

  void Load(const char* p) {
    block_ = p;
    mask_ = 0;
    if (end_ - p < kBlock) {  // the tail: bits past the end stay clear
      for (ptrdiff_t i = 0; i < end_ - p; ++i) {
        if (IsDelimiter(p[i])) mask_ |= uint64_t{1} << i;
      }
      return;
    }
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i lf = _mm_set1_epi8('\n');
    for (int i = 0; i < 4; ++i) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
      const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, comma), _mm_cmpeq_epi8(bytes, cr)),
                                        _mm_cmpeq_epi8(bytes, lf));
      mask_ |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(hits))} << (16 * i);
    }
#else
    for (ptrdiff_t i = 0; i < kBlock; ++i) {
      if (IsDelimiter(p[i])) mask_ |= uint64_t{1} << i;
    }
#endif
  }

  const char* end_ = nullptr;
  const char* block_ = nullptr;  // the 64 bytes mask_ describes start here
  uint64_t mask_ = 0;
};

// cells[index], reusing an existing string (and its capacity) when there is one.
std::string& CellAt(std::vector<std::string>& cells, size_t index) {
  if (index < cells.size()) return cells[index];
  return cells.emplace_back();
}

// True for a code point a Chinese statistics file plausibly holds: ASCII, CJK ideographs and
// punctuation, full-width forms, general punctuation and the Latin-1 signs (°, ², ·, ×).
// Mojibake — GB18030 bytes read as UTF-8 — turns into accented Latin, Greek, Cyrillic or Arabic
// letters (U+00C0-U+07FF), C1 controls or private-use characters, which fail this test.
bool IsPlausibleCodePoint(uint32_t cp) {
  if (cp < 0x80) return true;
  if (cp >= 0xA0 && cp <= 0xBF) return true;        // Latin-1 signs: ° ± ² · ¥ §
  if (cp == 0xD7 || cp == 0xF7) return true;        // × ÷
  if (cp >= 0x2000 && cp <= 0x206F) return true;    // general punctuation (— … ‰ ※)
  if (cp >= 0x2100 && cp <= 0x22FF) return true;    // letterlike, number forms, arrows, maths (℃ Ⅲ →)
  if (cp >= 0x2460 && cp <= 0x27BF) return true;    // enclosed, box drawing, shapes, symbols
  if (cp >= 0x2E80 && cp <= 0x2FDF) return true;    // CJK radicals
  if (cp >= 0x3000 && cp <= 0x33FF) return true;    // CJK punctuation, kana, bopomofo, CJK compat
  if (cp >= 0x3400 && cp <= 0x4DBF) return true;    // CJK extension A
  if (cp >= 0x4E00 && cp <= 0x9FFF) return true;    // CJK unified ideographs
  if (cp >= 0xF900 && cp <= 0xFAFF) return true;    // CJK compatibility ideographs
  if (cp >= 0xFE30 && cp <= 0xFE4F) return true;    // CJK compatibility forms
  if (cp >= 0xFF00 && cp <= 0xFFEF) return true;    // full-width and half-width forms
  if (cp >= 0x20000 && cp <= 0x3134F) return true;  // CJK extensions B-G
  return false;
}

// True if well-formed UTF-8 `text` holds a code point that IsPlausibleCodePoint refuses.
bool HasImplausibleCodePoint(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i + 8 <= n) {
      uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    uint32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else if (c >= 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xC0) {
      len = 2;
      cp = c & 0x1F;
    }
    for (size_t k = 1; k < len && i + k < n; ++k) cp = (cp << 6) | (p[i + k] & 0x3F);
    if (!IsPlausibleCodePoint(cp)) return true;
    i += len;
  }
  return false;
}

class CsvReader final : public TableReader {
 public:
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, std::string bytes, ReadProblem* problem) {
    auto reader = std::unique_ptr<CsvReader>(new CsvReader(path));
    reader->raw_ = std::move(bytes);
    reader->file_size_ = reader->raw_.size();
    auto fail = [&](const Status& status) {
      if (problem != nullptr && !reader->problem_.rule.empty()) *problem = reader->problem_;
      return status;
    };
    if (Status status = reader->DetectEncoding(); !status.ok()) return fail(status);
    reader->scanner_.Reset(reader->text_.data() + reader->text_.size());
    bool found = false;
    bool any_value = false;
    reader->reading_header_ = true;
    while (!found) {
      auto got = reader->ReadRecord(reader->header_, any_value);
      if (!got.ok()) return fail(got.status());
      if (!*got) {
        return Refuse(path, problem,
                      ReadProblem{"file.unreadable", 0, "", "", "没有表头行（文件为空或只有空行）",
                                  "no header row (the file is empty or has only blank lines)"});
      }
      found = any_value;
    }
    reader->reading_header_ = false;
    reader->header_row_ = reader->record_number_;
    return std::unique_ptr<TableReader>(std::move(reader));
  }

  const std::vector<std::string>& header() const override { return header_; }
  int64_t header_row() const override { return header_row_; }
  const ReadProblem& problem() const override { return problem_; }
  std::string_view raw_bytes() const override { return raw_; }

  Result<bool> Next(TableRow& row) override {
    if (!failure_.ok()) return failure_;
    bool any_value = false;
    while (true) {
      auto got = ReadRecord(row.cells, any_value);
      if (!got.ok()) {
        failure_ = got.status();
        return failure_;
      }
      if (!*got) {
        row.cells.clear();
        return false;
      }
      if (any_value) {
        row.row_number = record_number_;
        return true;
      }
    }
  }

  std::string_view encoding() const override { return encoding_; }

  uint64_t bytes_done() const override {
    if (pos_ >= text_.size()) return file_size_;
    if (encoding_ != "gb18030") return text_offset_ + pos_;
    // The parsed text is the decoded copy, so scale its position to the file's size.
    const double fraction = static_cast<double>(pos_) / static_cast<double>(text_.size());
    return text_offset_ + static_cast<uint64_t>(fraction * static_cast<double>(file_size_ - text_offset_));
  }
  uint64_t bytes_total() const override { return file_size_; }

 private:
  explicit CsvReader(std::string path) : path_(std::move(path)) {}

  Status Fail(int64_t row, std::string column, std::string_view value, std::string rule, std::string zh,
              std::string en) {
    return Refuse(path_, &problem_,
                  ReadProblem{std::move(rule), row, std::move(column), Printable(value), std::move(zh), std::move(en)});
  }

  Status DetectEncoding() {
    const std::string_view raw = raw_;
    static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
    if (raw.starts_with(kUtf8Bom)) {
      encoding_ = "utf-8-bom";
      text_offset_ = kUtf8Bom.size();
      text_ = raw.substr(kUtf8Bom.size());
      if (auto bad = FirstInvalidUtf8(text_)) {
        return Fail(0, "", "", "file.unreadable",
                    fmt::format("字节偏移{}：不是有效的UTF-8（文件以UTF-8字节顺序标记开头）", *bad + kUtf8Bom.size()),
                    fmt::format("byte offset {}: invalid UTF-8 (the file starts with a UTF-8 byte order mark)",
                                *bad + kUtf8Bom.size()));
      }
      return Status::Ok();
    }
    const auto bad_utf8 = FirstInvalidUtf8(raw);
    if (!bad_utf8) {
      // Valid UTF-8 — but a short GB18030 file can be valid UTF-8 by accident ("中国" is not, but
      // many two-character names are). Such a reading shows as letters no Chinese statistics file
      // holds; when the GB18030 reading shows none, it is the right one.
      if (!HasImplausibleCodePoint(raw)) {
        encoding_ = "utf-8";
        text_ = raw;
        return Status::Ok();
      }
      std::string decoded;
      if (Gb18030ToUtf8Into(raw, decoded).ok() && !HasImplausibleCodePoint(decoded)) {
        return UseDecoded(std::move(decoded));
      }
      encoding_ = "utf-8";
      text_ = raw;
      return Status::Ok();
    }
    std::string decoded;
    Status status = Gb18030ToUtf8Into(raw, decoded);
    if (!status.ok()) {
      return Fail(
          0, "", "", "file.unreadable",
          fmt::format("{}（文件既不是UTF-8——第一个无效字节在偏移{}——也不是GB18030/GBK）", status.message(), *bad_utf8),
          fmt::format("{} (the file is neither UTF-8, whose first invalid byte is at offset {}, nor "
                      "GB18030/GBK)",
                      status.message(), *bad_utf8));
    }
    return UseDecoded(std::move(decoded));
  }

  Status UseDecoded(std::string decoded) {
    static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
    encoding_ = "gb18030";
    // GB18030 has a byte order mark too (84 31 95 33), which decodes to U+FEFF.
    const size_t skip = std::string_view(decoded).starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
    text_offset_ = skip == 0 ? 0 : 4;
    decoded_ = std::move(decoded);
    text_ = std::string_view(decoded_).substr(skip);
    return Status::Ok();
  }

  // The physical line (1-based) of the text at `offset`: for messages only.
  int64_t LineAt(size_t offset) const {
    const std::string_view before = text_.substr(0, std::min(offset, text_.size()));
    return 1 + static_cast<int64_t>(std::count(before.begin(), before.end(), '\n'));
  }

  std::string ColumnName(size_t index) const {
    if (!reading_header_ && index < header_.size() && !header_[index].empty()) return Printable(header_[index]);
    return fmt::format("#{}", index + 1);
  }

  // Parses the record at pos_ into `cells` (resized to its cell count). Returns false at the end
  // of the text. `any_value` tells whether some cell is non-empty.
  Result<bool> ReadRecord(std::vector<std::string>& cells, bool& any_value) {
    any_value = false;
    if (pos_ >= text_.size()) return false;
    ++record_number_;
    const char* const record_begin = text_.data() + pos_;
    const char* p = record_begin;
    const char* const end = text_.data() + text_.size();
    const size_t max_record = reading_header_ ? limits::kMaxHeaderBytes : limits::kMaxRowBytes;
    size_t count = 0;
    const char* multiline_open = nullptr;  // the first quoted cell spanning lines, if any
    const char* multiline_close = nullptr;
    size_t multiline_index = 0;
    auto fail = [&](Status status) -> Result<bool> {
      pos_ = text_.size();
      cells.resize(std::min(count, cells.size()));
      return status;
    };
    while (true) {
      if (count == limits::kMaxColumns) {
        return fail(Fail(record_number_, fmt::format("#{}", count + 1), "", "limit.columns",
                         fmt::format("一行超过{}个单元格", limits::kMaxColumns),
                         fmt::format("more than {} cells in one row", limits::kMaxColumns)));
      }
      const size_t index = count++;
      std::string& cell = CellAt(cells, index);
      if (p != end && *p == '"') {
        const char* const open = p;
        cell.clear();
        ++p;
        while (true) {
          const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
          if (quote == nullptr) {
            const auto line = LineAt(static_cast<size_t>(open - text_.data()));
            return fail(Fail(
                record_number_, ColumnName(index), std::string_view(open, end - open), "csv.quote",
                fmt::format("第{}行（文件第{}行）开始的引号直到文件末尾都没有闭合", record_number_, line),
                fmt::format("the quote opened in row {} (line {} of the file) is never closed", record_number_, line)));
          }
          if (cell.size() + static_cast<size_t>(quote - p) > limits::kMaxCellBytes) {
            const auto line = LineAt(static_cast<size_t>(open - text_.data()));
            return fail(Fail(record_number_, ColumnName(index), std::string_view(open, end - open), "limit.cell_bytes",
                             fmt::format("第{}行（文件第{}行）以引号开始的单元格超过{}字节（多半是引号没有闭合）",
                                         record_number_, line, limits::kMaxCellBytes),
                             fmt::format("the quoted cell opened in row {} (line {} of the file) is over {} bytes "
                                         "(most likely its quote is never closed)",
                                         record_number_, line, limits::kMaxCellBytes)));
          }
          cell.append(p, quote);
          p = quote + 1;
          if (p != end && *p == '"') {  // "" stands for one quote
            cell.push_back('"');
            ++p;
            continue;
          }
          break;
        }
        // RFC 4180 allows nothing between the closing quote and the separator; Excel and sqlite
        // keep such text, and refusing the file over it would help no one — unless the quoted
        // cell spans lines: then the quote that opened it is most likely a stray one that merged
        // rows, and so is it when a line inside the cell holds a row's worth of separators.
        const char* stop = scanner_.Find(p);
        if (std::memchr(open, '\n', static_cast<size_t>(p - open)) != nullptr) {
          Status merged = CheckMultilineCell(open, p, stop, index, cell);
          if (!merged.ok()) return fail(merged);
          if (multiline_open == nullptr) {
            multiline_open = open;
            multiline_close = p - 1;
            multiline_index = index;
          }
        }
        if (cell.size() + static_cast<size_t>(stop - p) > limits::kMaxCellBytes) {
          return fail(CellTooLong(index, std::string_view(open, stop - open)));
        }
        cell.append(p, stop);
        p = stop;
      } else {
        const char* stop = scanner_.Find(p);
        if (static_cast<size_t>(stop - p) > limits::kMaxCellBytes) {
          return fail(CellTooLong(index, std::string_view(p, stop - p)));
        }
        cell.assign(p, stop);
        p = stop;
      }
      any_value = any_value || !cell.empty();
      if (static_cast<size_t>(p - record_begin) > max_record) {
        const std::string_view rule = reading_header_ ? "limit.header_bytes" : "limit.row_bytes";
        return fail(
            Fail(record_number_, "", "", std::string(rule),
                 fmt::format("{}超过{}字节", reading_header_ ? "表头行" : "一行", max_record),
                 fmt::format("{} is over {} bytes", reading_header_ ? "the header row" : "the row", max_record)));
      }
      if (p == end) break;
      const char separator = *p++;
      if (separator == ',') continue;
      if (separator == '\r' && p != end && *p == '\n') ++p;
      break;
    }
    // A quoted cell spanning lines in a record whose cell count is not the header's: the rows
    // a stray quote merged, most likely (a writer quotes a multi-line cell but keeps the count).
    if (multiline_open != nullptr && !reading_header_ && count != header_.size()) {
      const auto open_line = LineAt(static_cast<size_t>(multiline_open - text_.data()));
      const auto close_line = LineAt(static_cast<size_t>(multiline_close - text_.data()));
      return fail(
          Fail(record_number_, ColumnName(multiline_index),
               std::string_view(multiline_open, static_cast<size_t>(p - multiline_open)), "csv.quote",
               fmt::format("第{}行（文件第{}行）开始的引号到文件第{}行才闭合，这一行因此有{}个单元格而表头有{}个："
                           "多半是多余的引号把几行并成了一行",
                           record_number_, open_line, close_line, count, header_.size()),
               fmt::format("the quote opened in row {} (line {} of the file) closes on line {}, which leaves "
                           "the row {} cells where the header has {}: most likely a stray quote that merged "
                           "rows",
                           record_number_, open_line, close_line, count, header_.size())));
    }
    cells.resize(count);
    pos_ = static_cast<size_t>(p - text_.data());
    return true;
  }

  Status CellTooLong(size_t index, std::string_view value) {
    return Fail(record_number_, ColumnName(index), value, "limit.cell_bytes",
                fmt::format("单元格超过{}字节", limits::kMaxCellBytes),
                fmt::format("the cell is over {} bytes", limits::kMaxCellBytes));
  }

  // A quoted cell from `open` (its opening quote) to `after` (just past its closing quote), the
  // text up to the next delimiter ending at `stop`, spans lines: refused when text follows the
  // closing quote, which a writer never produces but a stray quote does.
  Status CheckMultilineCell(const char* open, const char* after, const char* stop, size_t index,
                            const std::string& cell) {
    const auto open_line = LineAt(static_cast<size_t>(open - text_.data()));
    const auto close_line = LineAt(static_cast<size_t>(after - 1 - text_.data()));
    if (stop != after) {
      return Fail(
          record_number_, ColumnName(index), std::string_view(open, stop - open), "csv.quote",
          fmt::format(
              "第{}行（文件第{}行）开始的引号到文件第{}行才闭合，其后还有文字：多半是多余的引号把几行并成了一行",
              record_number_, open_line, close_line),
          fmt::format("the quote opened in row {} (line {} of the file) closes on line {} and is followed by "
                      "text: most likely a stray quote that merged rows",
                      record_number_, open_line, close_line));
    }
    // A line inside the cell holding a whole row's worth of separators is a row the quote
    // swallowed (the count of cells may then still come out right).
    if (reading_header_ || header_.size() < 3) return Status::Ok();
    const auto separators_needed = static_cast<ptrdiff_t>(header_.size() - 1);
    for (size_t line_start = cell.find('\n'); line_start != std::string::npos;) {
      ++line_start;
      const size_t line_end = std::min(cell.find('\n', line_start), cell.size());
      const auto commas = std::count(cell.begin() + static_cast<ptrdiff_t>(line_start),
                                     cell.begin() + static_cast<ptrdiff_t>(line_end), ',');
      if (commas >= separators_needed) {
        return Fail(
            record_number_, ColumnName(index), std::string_view(open, stop - open), "csv.quote",
            fmt::format(
                "第{}行（文件第{}行）开始的引号到文件第{}行才闭合，其中有一整行数据：多半是多余的引号把几行并成了一行",
                record_number_, open_line, close_line),
            fmt::format("the quote opened in row {} (line {} of the file) closes on line {} and holds a whole "
                        "row of cells: most likely a stray quote that merged rows",
                        record_number_, open_line, close_line));
      }
      line_start = line_end < cell.size() ? line_end : std::string::npos;
    }
    return Status::Ok();
  }

  std::string path_;
  std::string raw_;           // the file as read
  std::string decoded_;       // a GB18030 file's text as UTF-8
  std::string_view text_;     // what is parsed: UTF-8 without a byte order mark
  uint64_t text_offset_ = 0;  // bytes of the file before text_ (a byte order mark)
  uint64_t file_size_ = 0;
  std::string_view encoding_;
  DelimiterScanner scanner_;   // over text_
  size_t pos_ = 0;             // in text_
  int64_t record_number_ = 0;  // of the last record read
  int64_t header_row_ = 1;
  bool reading_header_ = false;
  std::vector<std::string> header_;
  ReadProblem problem_;
  Status failure_;  // sticky: once the file is known bad, every later Next() reports it
};

}  // namespace

Result<std::unique_ptr<TableReader>> OpenCsv(const std::string& path, std::string bytes, ReadProblem* problem) {
  return CsvReader::Open(path, std::move(bytes), problem);
}

}  // namespace clusterscope::io::internal
