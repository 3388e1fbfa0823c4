// The .xlsx side of TableReader (libzip + pugixml).
//
// Memory: a pugixml DOM costs roughly 5-8 times the XML it holds, and the sheet XML of a
// 1,048,576-row x 36-column sheet is about 1 GB, so a whole-sheet DOM would need several GB.
// Instead the sheet (and sharedStrings.xml) are inflated in 1 MiB blocks and parsed a batch of
// complete <row> (<si>) elements at a time, as an XML fragment: peak memory is a few MB of DOM plus
// the shared string table, which Excel's format forces us to keep whole (cells index into it).
//
// Namespace prefixes are ignored (elements are matched by local name): some writers emit
// <x:row> instead of <row>, and pugixml does no namespace processing anyway.

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "io/limits.h"
#include "io/reader_internal.h"
#include "io/table_reader.h"

namespace clusterscope::io::internal {

// ---- numbers ---------------------------------------------------------------------------------

namespace {

// Writes `value` as FormatExcelNumber documents into `out` and returns the length. `out` must hold
// 400 characters (the longest plain form of a double with 15 significant digits is ~330).
size_t FormatExcelNumberTo(double value, char* out) {
  if (!std::isfinite(value)) {
    const char* text = std::isnan(value) ? "NaN" : (value > 0 ? "INF" : "-INF");
    const size_t length = std::strlen(text);
    std::memcpy(out, text, length);
    return length;
  }
  if (value == 0) {  // also -0
    out[0] = '0';
    return 1;
  }
  // d.dddddddddddddde±XX: 15 significant digits, correctly rounded, locale-independent.
  std::array<char, 64> scientific{};
  const auto converted =
      std::to_chars(scientific.data(), scientific.data() + scientific.size(), value, std::chars_format::scientific, 14);
  const std::string_view text(scientific.data(), static_cast<size_t>(converted.ptr - scientific.data()));
  const size_t e_pos = text.find('e');
  const bool negative = text[0] == '-';
  std::array<char, 16> digits{};
  size_t digit_count = 0;
  for (size_t i = negative ? 1 : 0; i < e_pos; ++i) {
    if (text[i] != '.') digits[digit_count++] = text[i];
  }
  while (digit_count > 1 && digits[digit_count - 1] == '0') --digit_count;
  int exponent = 0;
  std::from_chars(text.data() + e_pos + (text[e_pos + 1] == '+' ? 2 : 1), text.data() + text.size(), exponent);

  size_t length = 0;
  if (negative) out[length++] = '-';
  if (exponent >= 0) {
    const auto integer_digits = static_cast<size_t>(exponent) + 1;
    for (size_t i = 0; i < integer_digits; ++i) out[length++] = i < digit_count ? digits[i] : '0';
    if (digit_count > integer_digits) {
      out[length++] = '.';
      for (size_t i = integer_digits; i < digit_count; ++i) out[length++] = digits[i];
    }
  } else {
    out[length++] = '0';
    out[length++] = '.';
    for (int i = -1; i > exponent; --i) out[length++] = '0';
    for (size_t i = 0; i < digit_count; ++i) out[length++] = digits[i];
  }
  return length;
}

constexpr size_t kNumberBufferSize = 400;

// Parses the whole of `text` as a double; nullopt when it is not one.
std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True if `text` is already what FormatExcelNumberTo prints for it: plain decimal, at most 15
// significant digits (which survive the trip through a double unchanged), no redundant zeros or
// sign. Excel writes most numbers this way, and skipping the parse and print saves most of the
// time spent on numeric cells.
bool IsCanonicalNumber(std::string_view text) {
  size_t i = text.starts_with('-') ? 1 : 0;
  const size_t integer_begin = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  const size_t integer_length = i - integer_begin;
  if (integer_length == 0 || (integer_length > 1 && text[integer_begin] == '0')) return false;
  const bool zero_integer = text[integer_begin] == '0';
  size_t significant = zero_integer ? 0 : integer_length;
  if (i < text.size()) {
    if (text[i] != '.') return false;
    const size_t fraction_begin = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i != text.size() || i == fraction_begin || text.back() == '0') return false;
    size_t first_significant = fraction_begin;
    if (zero_integer) {
      while (text[first_significant] == '0') ++first_significant;
    }
    significant += i - first_significant;
  }
  if (significant == 0) return text == "0";  // not "-0"
  return significant <= 15;
}

// Sets `target` to the number in `text` as Excel shows it; false if `text` is not a number.
bool AssignExcelNumber(std::string_view text, std::string& target) {
  if (IsCanonicalNumber(text)) {
    target.assign(text);
    return true;
  }
  const auto value = ParseDouble(text);
  if (!value) return false;
  std::array<char, kNumberBufferSize> buffer{};
  target.assign(buffer.data(), FormatExcelNumberTo(*value, buffer.data()));
  return true;
}

}  // namespace

std::string FormatExcelNumber(double value) {
  std::array<char, kNumberBufferSize> buffer{};
  return std::string(buffer.data(), FormatExcelNumberTo(value, buffer.data()));
}

std::optional<std::string> FormatExcelNumberText(std::string_view text) {
  std::string formatted;
  if (!AssignExcelNumber(text, formatted)) return std::nullopt;
  return formatted;
}

namespace {

// ---- zip -------------------------------------------------------------------------------------

struct ZipDiscarder {
  void operator()(zip_t* archive) const { zip_discard(archive); }  // read-only: never write back
};
using ZipPtr = std::unique_ptr<zip_t, ZipDiscarder>;

struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};
using ZipFilePtr = std::unique_ptr<zip_file_t, ZipFileCloser>;

constexpr size_t kBlockSize = size_t{1} << 20;
constexpr size_t kMaxColumns = limits::kMaxColumns;  // XFD, Excel's last column

// An entry of the archive, located case-insensitively as a fallback (some writers differ in case).
std::optional<zip_uint64_t> LocateEntry(zip_t* archive, const std::string& name) {
  zip_int64_t index = zip_name_locate(archive, name.c_str(), 0);
  if (index < 0) index = zip_name_locate(archive, name.c_str(), ZIP_FL_NOCASE);
  if (index < 0) return std::nullopt;
  return static_cast<zip_uint64_t>(index);
}

// One entry of the archive being inflated, within the limits of io/limits.h (uncompressed bytes,
// compression ratio) and with its CRC-32 compared with the archive's when its end is read (libzip
// checks it only when asked for the end, and a reader that stops at </sheetData> never asks).
// A failure leaves its rule and messages in problem().
class Entry {
 public:
  Entry(ZipFilePtr file, std::string name, const zip_stat_t& stat, uint64_t max_bytes)
      : file_(std::move(file)), name_(std::move(name)), max_bytes_(max_bytes) {
    if ((stat.valid & ZIP_STAT_COMP_SIZE) != 0) compressed_ = stat.comp_size;
    if ((stat.valid & ZIP_STAT_SIZE) != 0) declared_size_ = stat.size;
    if ((stat.valid & ZIP_STAT_CRC) != 0) {
      expected_crc_ = stat.crc;
      has_crc_ = true;
    }
  }

  // Reads up to `n` bytes into `out`: how many, 0 at the end (after the CRC is found right).
  Result<size_t> Read(char* out, size_t n) {
    if (done_) return size_t{0};
    const zip_int64_t got = zip_fread(file_.get(), out, n);
    if (got < 0) {
      const std::string reason = zip_file_strerror(file_.get());
      if (zip_error_code_zip(zip_file_get_error(file_.get())) == ZIP_ER_CRC) {
        return Fail("xlsx.crc", fmt::format("{}的CRC-32校验值与压缩包记录的不符：文件已损坏", name_),
                    fmt::format("{}: CRC-32 does not match the archive's record: the file is damaged", name_));
      }
      return Fail("file.unreadable", fmt::format("无法解压{}：{}", name_, reason),
                  fmt::format("cannot inflate {}: {}", name_, reason));
    }
    if (got == 0) {
      done_ = true;
      if (has_crc_ && crc_ != expected_crc_) {
        return Fail(
            "xlsx.crc",
            fmt::format("{}的CRC-32校验值为{:08X}，压缩包记录的是{:08X}：文件已损坏", name_, crc_, expected_crc_),
            fmt::format("{} has CRC-32 {:08X} where the archive records {:08X}: the file is damaged", name_, crc_,
                        expected_crc_));
      }
      return size_t{0};
    }
    const auto count = static_cast<size_t>(got);
    crc_ = static_cast<uint32_t>(crc32_z(crc_, reinterpret_cast<const Bytef*>(out), count));
    inflated_ += count;
    if (inflated_ > max_bytes_) {
      return Fail("limit.part_bytes", fmt::format("{}解压后超过{}字节的上限", name_, max_bytes_),
                  fmt::format("{} inflates to more than the limit of {} bytes", name_, max_bytes_));
    }
    if (inflated_ > limits::kRatioGraceBytes && inflated_ > compressed_ * limits::kMaxCompressionRatio) {
      return Fail("limit.part_ratio",
                  fmt::format("{}的压缩比超过{}:1（{}字节解压出超过{}字节）：疑似压缩炸弹", name_,
                              limits::kMaxCompressionRatio, compressed_, inflated_),
                  fmt::format("{} inflates more than {}:1 ({} bytes to over {}): a zip bomb, most likely", name_,
                              limits::kMaxCompressionRatio, compressed_, inflated_));
    }
    return count;
  }

  // How much to read at a time: 1 MiB, or less for a part the archive says is small (the end is
  // still found by reading, whatever the archive says).
  size_t BlockSize() const {
    return static_cast<size_t>(std::clamp<uint64_t>(declared_size_ + 1, uint64_t{64} << 10, kBlockSize));
  }

  const ReadProblem& problem() const { return problem_; }
  const std::string& name() const { return name_; }

 private:
  Status Fail(std::string rule, std::string zh, std::string en) {
    problem_ = ReadProblem{std::move(rule), 0, "", "", std::move(zh), en};
    done_ = true;
    return Status::InvalidInput(std::move(en));
  }

  ZipFilePtr file_;
  std::string name_;
  uint64_t max_bytes_;
  uint64_t compressed_ = 0;
  uint64_t declared_size_ = kBlockSize;
  uint64_t inflated_ = 0;
  uint32_t crc_ = 0;
  uint32_t expected_crc_ = 0;
  bool has_crc_ = false;
  bool done_ = false;
  ReadProblem problem_;
};

// ---- XML helpers -----------------------------------------------------------------------------

// True if the element or attribute `name` is `local`, with or without a namespace prefix. Called
// for every cell, so the usual unprefixed case is a single strcmp.
bool IsNamed(const char* name, const char* local) {
  if (std::strcmp(name, local) == 0) return true;
  const char* colon = std::strchr(name, ':');
  return colon != nullptr && std::strcmp(colon + 1, local) == 0;
}

// Non-element nodes have an empty name, so no type check is needed below.
pugi::xml_node Child(pugi::xml_node node, const char* local_name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (IsNamed(child.name(), local_name)) return child;
  }
  return {};
}

pugi::xml_node NextSibling(pugi::xml_node node, const char* local_name) {
  for (pugi::xml_node next = node.next_sibling(); next; next = next.next_sibling()) {
    if (IsNamed(next.name(), local_name)) return next;
  }
  return {};
}

pugi::xml_node FirstElement(pugi::xml_node parent, const char* local_name) { return Child(parent, local_name); }

// Only for prefixed attributes such as r:id; SpreadsheetML's own attributes (r, t) are never
// prefixed, so pugixml's attribute() finds those directly.
pugi::xml_attribute PrefixedAttribute(pugi::xml_node node, const char* local_name) {
  for (pugi::xml_attribute attribute = node.first_attribute(); attribute; attribute = attribute.next_attribute()) {
    if (IsNamed(attribute.name(), local_name)) return attribute;
  }
  return {};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Excel stores characters XML cannot carry (a CR in a cell, most often) as _xHHHH_, and a
// literal "_x" that would look like one as _x005F_x. Decodes both, in place.
void DecodeExcelEscapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  auto unit_at = [&text](size_t i) -> int32_t {
    if (i + 7 > text.size() || text[i] != '_' || text[i + 1] != 'x' || text[i + 6] != '_') {
      return -1;
    }
    int32_t unit = 0;
    for (size_t k = i + 2; k < i + 6; ++k) {
      const int digit = HexValue(text[k]);
      if (digit < 0) return -1;
      unit = unit * 16 + digit;
    }
    return unit;
  };
  size_t i = 0;
  while (i < text.size()) {
    const int32_t unit = unit_at(i);
    if (unit < 0) {
      out.push_back(text[i++]);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const int32_t low = unit_at(i + 7);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        AppendUtf8(0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00),
                   out);
        i += 14;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) {  // lone surrogate: keep the text as it is
      out.push_back(text[i++]);
      continue;
    }
    AppendUtf8(static_cast<uint32_t>(unit), out);
    i += 7;
  }
  text = std::move(out);
}

// The text of a <si> or <is>: its <t>, or its rich-text runs' <t>s concatenated. Phonetic
// guides (<rPh>) are not part of the cell's value.
void StringItemText(pugi::xml_node item, std::string& out) {
  out.clear();
  for (pugi::xml_node child = item.first_child(); child; child = child.next_sibling()) {
    if (IsNamed(child.name(), "t")) {
      out += child.child_value();
    } else if (IsNamed(child.name(), "r")) {
      if (pugi::xml_node t = Child(child, "t")) out += t.child_value();
    }
  }
  DecodeExcelEscapes(out);
}

// "xl/" + "worksheets/sheet1.xml", or "/xl/worksheets/sheet1.xml", with "." and ".." resolved.
std::string ResolvePartPath(std::string_view base_dir, std::string_view target) {
  std::string joined =
      target.starts_with('/') ? std::string(target.substr(1)) : std::string(base_dir) + std::string(target);
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string path;
  for (const std::string_view part : parts) {
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

std::string_view DirectoryOf(std::string_view path) {  // "xl/workbook.xml" -> "xl/"
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// "C5" -> 2; nullopt when the reference has no column letters.
std::optional<size_t> ColumnOf(std::string_view reference) {
  size_t column = 0;
  size_t letters = 0;
  for (const char c : reference) {
    if (c >= 'A' && c <= 'Z') {
      column = column * 26 + static_cast<size_t>(c - 'A' + 1);
    } else if (c >= 'a' && c <= 'z') {
      column = column * 26 + static_cast<size_t>(c - 'a' + 1);
    } else {
      break;
    }
    if (++letters > 3) return std::nullopt;
  }
  if (letters == 0) return std::nullopt;
  return column - 1;
}

// ---- streaming XML ---------------------------------------------------------------------------

// Reads one zip entry and hands out the XML of its <container>'s children a batch of complete
// <item> elements at a time, so that each batch can be parsed on its own as an XML fragment.
// Relies on "</item>" never appearing inside text (XML requires '<' there to be escaped).
// Linear in the entry's size: every search resumes where the last one stopped, bytes before the
// container are dropped as they are passed, and one item may be at most limits::kMaxRowBytes.
class ElementStream {
 public:
  ElementStream(Entry entry, std::string_view container, std::string_view item)
      : entry_(std::move(entry)), container_(container), item_(item) {}

  // The next batch (replacing `batch`); false when the container has no more children. Errors
  // have no file name (the caller adds it); problem() tells the rule.
  Result<bool> NextBatch(std::string& batch) {
    if (state_ == State::kBeforeContainer) {
      CS_RETURN_IF_ERROR(SkipToContainer());
    }
    while (state_ == State::kInside) {
      const std::string_view rest = std::string_view(buffer_).substr(start_);
      // Only the bytes read since the last search can hold a new end tag (less its length).
      const size_t from = std::min(searched_, rest.size());
      const size_t overlap = std::max(container_close_.size(), item_close_.size());
      const size_t search_from = from > overlap ? from - overlap : 0;
      const size_t close = rest.find(container_close_, search_from);
      if (close != std::string_view::npos) {
        batch.assign(rest.substr(0, close));
        state_ = State::kDone;
        consumed_ += close;
        tail_.assign(rest.substr(close));
        buffer_.clear();
        start_ = 0;
        searched_ = 0;
        return true;
      }
      size_t last = rest.substr(search_from).rfind(item_close_);
      if (last != std::string_view::npos) last += search_from;
      if (last != std::string_view::npos) {
        const size_t end = last + item_close_.size();
        batch.assign(rest.substr(0, end));
        start_ += end;
        consumed_ += end;
        searched_ = rest.size() - end;
        return true;
      }
      searched_ = rest.size();
      if (rest.size() > limits::kMaxRowBytes) {
        return Fail("limit.row_bytes", fmt::format("一个<{}>元素超过{}字节", item_, limits::kMaxRowBytes),
                    fmt::format("one <{}> element is over {} bytes", item_, limits::kMaxRowBytes));
      }
      if (eof_) {
        return Fail("file.unreadable", fmt::format("XML在<{}>之内结束", container_),
                    fmt::format("XML ends inside <{}>", container_));
      }
      CS_RETURN_IF_ERROR(Fill());
    }
    return false;
  }

  // After the container: reads the rest of the entry (which checks its CRC), calling
  // on_merge(ref) for the ref of every <mergeCell> there.
  template <typename OnMerge>
  Status ReadTail(OnMerge&& on_merge) {
    std::string text = std::move(tail_);
    size_t pos = 0;
    while (true) {
      // Complete <mergeCell .../> tags in text[pos, …).
      while (true) {
        const size_t hit = text.find("mergeCell ", pos);
        if (hit == std::string::npos) {
          pos = text.size() > 64 ? text.size() - 64 : 0;
          break;
        }
        const size_t tag_end = TagEnd(text, hit);
        if (tag_end == std::string::npos) {
          pos = hit;
          break;
        }
        const std::string_view tag = std::string_view(text).substr(hit, tag_end - hit);
        const size_t ref = tag.find(" ref=");
        if (ref != std::string_view::npos && ref + 6 < tag.size()) {
          const char quote = tag[ref + 5];
          const size_t close = tag.find(quote, ref + 6);
          if (close != std::string_view::npos) on_merge(tag.substr(ref + 6, close - ref - 6));
        }
        pos = tag_end + 1;
      }
      text.erase(0, std::min(pos, text.size()));
      pos = 0;
      if (text.size() > limits::kMaxRowBytes) {
        return Fail("limit.row_bytes", fmt::format("工作表末尾的一个标签超过{}字节", limits::kMaxRowBytes),
                    fmt::format("a tag at the end of the sheet is over {} bytes", limits::kMaxRowBytes));
      }
      const size_t old_size = text.size();
      const size_t block = entry_.BlockSize();
      text.resize(old_size + block);
      auto got = entry_.Read(text.data() + old_size, block);
      if (!got.ok()) return FromEntry(got.status());
      text.resize(old_size + *got);
      if (*got == 0) return Status::Ok();
    }
  }

  // Uncompressed bytes handed out (or skipped) so far.
  uint64_t consumed() const { return consumed_; }
  const ReadProblem& problem() const { return problem_; }

 private:
  enum class State { kBeforeContainer, kInside, kDone };

  Status Fail(std::string rule, std::string zh, std::string en) {
    problem_ = ReadProblem{std::move(rule), 0, "", "", std::move(zh), en};
    return Status::InvalidInput(std::move(en));
  }
  Status FromEntry(const Status& status) {
    problem_ = entry_.problem();
    return status;
  }

  Status Fill() {
    if (start_ > 0) {
      buffer_.erase(0, start_);
      start_ = 0;
    }
    const size_t old_size = buffer_.size();
    const size_t block = entry_.BlockSize();
    buffer_.resize(old_size + block);
    auto got = entry_.Read(buffer_.data() + old_size, block);
    if (!got.ok()) {
      buffer_.resize(old_size);
      return FromEntry(got.status());
    }
    buffer_.resize(old_size + *got);
    if (*got == 0) eof_ = true;
    return Status::Ok();
  }

  // Finds the container's start tag (learning the namespace prefix the document uses). What
  // precedes it is dropped as it is passed, keeping at most one undecided tag in memory.
  Status SkipToContainer() {
    size_t search_from = 0;
    while (true) {
      const std::string_view text(buffer_);
      // Where to search again once more is read: a candidate that could not be decided yet, or
      // the tail, which may hold the start of the name.
      size_t resume = text.size() > container_.size() + 64 ? text.size() - container_.size() - 64 : 0;
      resume = std::max(resume, std::min(search_from, text.size()));
      size_t hit = text.find(container_, search_from);
      while (hit != std::string_view::npos) {
        const size_t after = hit + container_.size();
        // Is this the name of a start tag: "<name" or "<prefix:name", followed by space, / or >?
        size_t open = hit;
        if (open > 0 && text[open - 1] == ':') {
          --open;
          while (open > 0 && text[open - 1] != '<' && text[open - 1] != ':' && text[open - 1] != '/' &&
                 static_cast<unsigned char>(text[open - 1]) > ' ' && hit - open < 64) {
            --open;
          }
        }
        const bool is_start =
            open > 0 && text[open - 1] == '<' && after < text.size() &&
            (text[after] == '>' || text[after] == '/' || static_cast<unsigned char>(text[after]) <= ' ');
        if (is_start) {
          const size_t tag_end = TagEnd(text, after);
          if (tag_end == std::string_view::npos) {  // the tag is not all read yet
            if (text.size() - hit > limits::kMaxRowBytes) {
              return Fail("limit.row_bytes", fmt::format("<{}>标签超过{}字节", container_, limits::kMaxRowBytes),
                          fmt::format("the <{}> tag is over {} bytes", container_, limits::kMaxRowBytes));
            }
            resume = hit;
            break;
          }
          const std::string prefix(text.substr(open, hit - open));  // "x:" or ""
          item_close_ = "</" + prefix + item_ + ">";
          container_close_ = "</" + prefix + container_;
          consumed_ += tag_end + 1;
          start_ = tag_end + 1;
          state_ = text[tag_end - 1] == '/' ? State::kDone : State::kInside;
          if (state_ == State::kDone) tail_.assign(text.substr(start_));
          return Status::Ok();
        }
        if (after >= text.size()) {  // cannot tell yet
          resume = hit;
          break;
        }
        hit = text.find(container_, hit + 1);
      }
      if (eof_) {
        state_ = State::kDone;  // no container: no items
        return Status::Ok();
      }
      // Drop what is decided: everything before `resume`, less room for a "<prefix:" before it.
      const size_t keep_from = resume > 80 ? resume - 80 : 0;
      if (keep_from > 0) {
        buffer_.erase(0, keep_from);
        consumed_ += keep_from;
        resume -= keep_from;
      }
      search_from = resume;
      CS_RETURN_IF_ERROR(Fill());
    }
  }

  // The position of the '>' closing the tag whose attributes start at `from` (quoted attribute
  // values may contain '>'), or npos if it is not in `text` yet.
  static size_t TagEnd(std::string_view text, size_t from) {
    char quote = 0;
    for (size_t i = from; i < text.size(); ++i) {
      const char c = text[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return std::string_view::npos;
  }

  Entry entry_;
  std::string container_;
  std::string item_;
  std::string item_close_;       // "</row>"
  std::string container_close_;  // "</sheetData"
  std::string buffer_;
  std::string tail_;     // what follows the container, as far as read
  size_t start_ = 0;     // buffer_ before this has been handed out
  size_t searched_ = 0;  // bytes after start_ already searched for end tags
  uint64_t consumed_ = 0;
  bool eof_ = false;
  State state_ = State::kBeforeContainer;
  ReadProblem problem_;
};

constexpr unsigned kFragmentParse = pugi::parse_default | pugi::parse_fragment | pugi::parse_ws_pcdata;

// ---- the reader ------------------------------------------------------------------------------

struct SheetEntry {
  std::string name;
  std::string part;  // "xl/worksheets/sheet1.xml"; empty if the relationship is missing
};

// Shared strings, compactly: one text pool and where each string starts (4 bytes a string
// instead of a std::string's 32, which a table of a million tiny strings would multiply).
class StringTable {
 public:
  void Add(std::string_view text) {
    starts_.push_back(static_cast<uint32_t>(pool_.size()));
    pool_.append(text);
  }
  size_t size() const { return starts_.size(); }
  std::string_view At(size_t index) const {
    const size_t begin = starts_[index];
    const size_t end = index + 1 < starts_.size() ? starts_[index + 1] : pool_.size();
    return std::string_view(pool_).substr(begin, end - begin);
  }
  size_t pool_size() const { return pool_.size(); }

 private:
  std::string pool_;
  std::vector<uint32_t> starts_;
};

// "A1:C3" -> first and last row (1-based); nullopt when not a range reference.
std::optional<std::pair<int64_t, int64_t>> RowsOfRange(std::string_view ref) {
  auto row_of = [](std::string_view cell) -> std::optional<int64_t> {
    size_t i = 0;
    while (i < cell.size() &&
           ((cell[i] >= 'A' && cell[i] <= 'Z') || (cell[i] >= 'a' && cell[i] <= 'z') || cell[i] == '$')) {
      ++i;
    }
    int64_t row = 0;
    const auto parsed = std::from_chars(cell.data() + i, cell.data() + cell.size(), row);
    if (parsed.ec != std::errc() || parsed.ptr != cell.data() + cell.size() || row <= 0) return std::nullopt;
    return row;
  };
  const size_t colon = ref.find(':');
  const auto first = row_of(ref.substr(0, colon));
  const auto last = colon == std::string_view::npos ? first : row_of(ref.substr(colon + 1));
  if (!first || !last) return std::nullopt;
  return std::make_pair(std::min(*first, *last), std::max(*first, *last));
}

class XlsxReader final : public TableReader {
 public:
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path, std::string bytes,
                                                   const TableReadOptions& options, ReadProblem* problem) {
    auto reader = std::unique_ptr<XlsxReader>(new XlsxReader(path, std::move(bytes)));
    Status status = reader->OpenAll(options);
    if (!status.ok()) {
      if (problem != nullptr && !reader->problem_.rule.empty()) *problem = reader->problem_;
      return status;
    }
    return std::unique_ptr<TableReader>(std::move(reader));
  }

  const std::vector<std::string>& header() const override { return header_row_.cells; }
  int64_t header_row() const override { return header_row_.row_number; }
  const ReadProblem& problem() const override { return problem_; }
  std::string_view raw_bytes() const override { return bytes_; }

  Result<bool> Next(TableRow& row) override {
    if (!failure_.ok()) return failure_;
    while (true) {
      auto got = ReadRow(row, header_row_.cells.size());
      if (!got.ok()) {
        failure_ = got.status();
        return failure_;
      }
      if (!*got) {
        row.cells.clear();
        return false;
      }
      if (!row.cells.empty()) return true;
    }
  }

  std::string_view encoding() const override { return "xlsx"; }
  uint64_t bytes_done() const override {
    return finished_ ? sheet_size_ : std::min(stream_ ? stream_->consumed() : 0, sheet_size_);
  }
  uint64_t bytes_total() const override { return sheet_size_; }

 private:
  XlsxReader(std::string path, std::string bytes) : path_(std::move(path)), bytes_(std::move(bytes)) {}

  Status OpenAll(const TableReadOptions& options) {
    CS_RETURN_IF_ERROR(OpenArchive());
    CS_ASSIGN_OR_RETURN(const std::string workbook_part, FindWorkbookPart());
    std::string shared_strings_part;
    CS_ASSIGN_OR_RETURN(const std::vector<SheetEntry> sheets, ReadWorkbook(workbook_part, shared_strings_part));
    CS_ASSIGN_OR_RETURN(const SheetEntry sheet, SelectSheet(sheets, options.sheet));
    sheet_name_ = sheet.name;
    if (!shared_strings_part.empty()) {
      CS_RETURN_IF_ERROR(ReadSharedStrings(shared_strings_part));
    }
    CS_RETURN_IF_ERROR(OpenSheet(sheet.part));
    // The first row with a value is the header; empty rows above it are formatting leftovers.
    while (true) {
      CS_ASSIGN_OR_RETURN(const bool got, ReadRow(header_row_, /*pad_to=*/0));
      if (!got) {
        return Status::InvalidInput(fmt::format("{}: sheet '{}' has no header row (it is empty)", path_, sheet.name));
      }
      if (!header_row_.cells.empty()) break;
    }
    header_done_ = true;
    return Status::Ok();
  }

  // Fails with `what`, prefixing the file (and recording the problem).
  Status Fail(ReadProblem what) { return Refuse(path_, &problem_, std::move(what)); }
  // A failure of an entry or stream: its problem, with the file name added to the message.
  Status FailWith(const ReadProblem& source, const Status& status, int64_t row = 0) {
    if (source.rule.empty()) return Status::InvalidInput(fmt::format("{}: {}", path_, status.message()));
    ReadProblem what = source;
    what.row = row;
    return Fail(std::move(what));
  }

  Status OpenArchive() {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (source == nullptr) {
      const std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Status::Environment(fmt::format("cannot read {}: {}", path_, reason));
    }
    archive_.reset(zip_open_from_source(source, ZIP_RDONLY, &error));
    if (archive_ == nullptr) {
      zip_source_free(source);
      const int code = zip_error_code_zip(&error);
      const std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      if (code == ZIP_ER_MEMORY) return Status::Environment(fmt::format("cannot read {}: {}", path_, reason));
      return Status::InvalidInput(
          fmt::format("{}: not a readable .xlsx file (damaged zip archive: {})", path_, reason));
    }
    zip_error_fini(&error);
    return Status::Ok();
  }

  Result<Entry> OpenEntry(zip_uint64_t index, const std::string& name, uint64_t max_bytes) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_.get(), index, 0, &stat) != 0) {
      return Status::InvalidInput(
          fmt::format("{}: cannot read {} in the archive: {}", path_, name, zip_strerror(archive_.get())));
    }
    ZipFilePtr file(zip_fopen_index(archive_.get(), index, 0));
    if (file == nullptr) {
      return Status::InvalidInput(
          fmt::format("{}: cannot open {} in the archive: {}", path_, name, zip_strerror(archive_.get())));
    }
    return Entry(std::move(file), name, stat, max_bytes);
  }

  // Reads a whole (small) part; nullopt when the archive has no such entry.
  Result<std::optional<std::string>> ReadPart(const std::string& name) {
    const auto index = LocateEntry(archive_.get(), name);
    if (!index) return std::optional<std::string>();
    CS_ASSIGN_OR_RETURN(Entry entry, OpenEntry(*index, name, limits::kMaxSmallPartBytes));
    std::string text;
    std::vector<char> block(entry.BlockSize());
    while (true) {
      auto got = entry.Read(block.data(), block.size());
      if (!got.ok()) return FailWith(entry.problem(), got.status());
      if (*got == 0) break;
      text.append(block.data(), *got);
    }
    return std::optional<std::string>(std::move(text));
  }

  Result<pugi::xml_document> ParsePart(const std::string& name, std::string& text) {
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_buffer_inplace(text.data(), text.size(), pugi::parse_default);
    if (!parsed) {
      return Status::InvalidInput(fmt::format("{}: {} is not well-formed XML: {} at byte {}", path_, name,
                                              parsed.description(), parsed.offset));
    }
    return document;
  }
  // The workbook part, as the package's root relationships name it (xl/workbook.xml in practice).
  Result<std::string> FindWorkbookPart() {
    CS_ASSIGN_OR_RETURN(std::optional<std::string> rels, ReadPart("_rels/.rels"));
    if (rels) {
      CS_ASSIGN_OR_RETURN(pugi::xml_document document, ParsePart("_rels/.rels", *rels));
      const pugi::xml_node root = document.document_element();
      for (pugi::xml_node rel = FirstElement(root, "Relationship"); rel; rel = NextSibling(rel, "Relationship")) {
        if (std::string_view(rel.attribute("Type").value()).ends_with("/officeDocument")) {
          return ResolvePartPath("", rel.attribute("Target").value());
        }
      }
    }
    return std::string("xl/workbook.xml");
  }

  Result<std::vector<SheetEntry>> ReadWorkbook(const std::string& workbook_part, std::string& shared_strings_part) {
    CS_ASSIGN_OR_RETURN(std::optional<std::string> workbook_xml, ReadPart(workbook_part));
    if (!workbook_xml) {
      return Status::InvalidInput(
          fmt::format("{}: is a zip archive but not an .xlsx workbook (it has no {})", path_, workbook_part));
    }
    CS_ASSIGN_OR_RETURN(pugi::xml_document workbook, ParsePart(workbook_part, *workbook_xml));

    const std::string_view base_dir = DirectoryOf(workbook_part);
    const std::string rels_part =
        std::string(base_dir) + "_rels/" + std::string(workbook_part.substr(base_dir.size())) + ".rels";
    std::unordered_map<std::string, std::string> targets;  // relationship id -> part
    CS_ASSIGN_OR_RETURN(std::optional<std::string> rels_xml, ReadPart(rels_part));
    if (rels_xml) {
      CS_ASSIGN_OR_RETURN(pugi::xml_document rels, ParsePart(rels_part, *rels_xml));
      const pugi::xml_node root = rels.document_element();
      for (pugi::xml_node rel = FirstElement(root, "Relationship"); rel; rel = NextSibling(rel, "Relationship")) {
        if (std::string_view(rel.attribute("TargetMode").value()) == "External") continue;
        const std::string part = ResolvePartPath(base_dir, rel.attribute("Target").value());
        if (std::string_view(rel.attribute("Type").value()).ends_with("/sharedStrings")) {
          shared_strings_part = part;
        }
        targets.emplace(rel.attribute("Id").value(), part);
      }
    }
    if (shared_strings_part.empty()) {
      const std::string fallback = std::string(base_dir) + "sharedStrings.xml";
      if (LocateEntry(archive_.get(), fallback)) shared_strings_part = fallback;
    }

    std::vector<SheetEntry> sheets;
    const pugi::xml_node sheets_node = Child(workbook.document_element(), "sheets");
    for (pugi::xml_node sheet = FirstElement(sheets_node, "sheet"); sheet; sheet = NextSibling(sheet, "sheet")) {
      SheetEntry entry;
      entry.name = sheet.attribute("name").value();
      const auto target = targets.find(PrefixedAttribute(sheet, "id").value());
      if (target != targets.end()) entry.part = target->second;
      sheets.push_back(std::move(entry));
    }
    if (sheets.empty()) {
      return Status::InvalidInput(fmt::format("{}: the workbook has no sheets", path_));
    }
    return sheets;
  }

  Result<SheetEntry> SelectSheet(const std::vector<SheetEntry>& sheets, const std::string& name) {
    const SheetEntry* chosen = nullptr;
    if (name.empty()) {
      chosen = &sheets.front();
    } else {
      for (const SheetEntry& sheet : sheets) {
        if (sheet.name == name) chosen = &sheet;
      }
      // Excel itself treats sheet names case-insensitively.
      for (const SheetEntry& sheet : sheets) {
        if (chosen == nullptr && EqualsIgnoringAsciiCase(sheet.name, name)) chosen = &sheet;
      }
    }
    if (chosen == nullptr) {
      std::string names;
      for (const SheetEntry& sheet : sheets) {
        names += fmt::format("{}'{}'", names.empty() ? "" : ", ", sheet.name);
      }
      return Status::InvalidInput(
          fmt::format("{}: the workbook has no sheet named '{}'; its sheets are: {}", path_, name, names));
    }
    if (chosen->part.empty() || !LocateEntry(archive_.get(), chosen->part)) {
      return Status::InvalidInput(fmt::format(
          "{}: sheet '{}' is listed in the workbook but its data is missing from the archive", path_, chosen->name));
    }
    return *chosen;
  }

  Status ReadSharedStrings(const std::string& part) {
    const auto index = LocateEntry(archive_.get(), part);
    if (!index) return Status::Ok();
    CS_ASSIGN_OR_RETURN(Entry entry, OpenEntry(*index, part, limits::kMaxSharedStringsBytes));
    ElementStream stream(std::move(entry), "sst", "si");
    std::string batch;
    std::string text;
    pugi::xml_document document;
    while (true) {
      auto got = stream.NextBatch(batch);
      if (!got.ok()) {
        return FailWith(stream.problem(), Status::InvalidInput(fmt::format("{}: {}", part, got.status().message())));
      }
      if (!*got) break;
      const pugi::xml_parse_result parsed = document.load_buffer_inplace(batch.data(), batch.size(), kFragmentParse);
      if (!parsed) {
        return Status::InvalidInput(
            fmt::format("{}: {} is not well-formed XML: {}", path_, part, parsed.description()));
      }
      for (pugi::xml_node item = FirstElement(document, "si"); item; item = NextSibling(item, "si")) {
        StringItemText(item, text);
        if (FirstInvalidUtf8(text)) invalid_strings_.push_back(static_cast<uint32_t>(shared_strings_.size()));
        shared_strings_.Add(text);
      }
    }
    // The rest of the part (normally nothing) is read too, for its CRC.
    Status tail = stream.ReadTail([](std::string_view) {});
    if (!tail.ok()) return FailWith(stream.problem(), tail);
    return Status::Ok();
  }

  Status OpenSheet(const std::string& part) {
    const auto index = LocateEntry(archive_.get(), part);
    if (!index) return SheetError("its data is missing from the archive");
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive_.get(), *index, 0, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE)) {
      sheet_size_ = stat.size;
    }
    sheet_part_ = part;
    CS_ASSIGN_OR_RETURN(Entry entry, OpenEntry(*index, part, limits::kMaxPartBytes));
    stream_ = std::make_unique<ElementStream>(std::move(entry), "sheetData", "row");
    return Status::Ok();
  }

  Status SheetError(const std::string& what) const {
    return Status::InvalidInput(fmt::format("{}: sheet '{}': {}", path_, sheet_name_, what));
  }

  // The header of the column `column` (0-based) as written, or "#N".
  std::string ColumnName(size_t column) const {
    if (column < header_row_.cells.size() && !header_row_.cells[column].empty() && header_done_) {
      return Printable(header_row_.cells[column]);
    }
    return fmt::format("#{}", column + 1);
  }

  Status CellProblem(int64_t row, size_t column, std::string_view reference, std::string_view value, std::string rule,
                     const std::string& zh, const std::string& en) {
    const std::string ref = reference.empty() ? fmt::format("#{}", column + 1) : Printable(reference);
    return Fail(ReadProblem{std::move(rule), row, ColumnName(column), Printable(value),
                            fmt::format("工作表“{}”单元格{}：{}", sheet_name_, ref, zh),
                            fmt::format("sheet '{}' cell {}: {}", sheet_name_, ref, en)});
  }

  // After the last row: the rest of the sheet, for its merged ranges and its CRC. A merged range
  // that touches the header or a data row is refused: only its top-left cell holds the value, and
  // the cells it covers would read as empty. Ranges wholly above the header (a title) are fine.
  Status FinishSheet() {
    const int64_t header_row = header_row_.row_number;
    std::optional<std::string> merged;
    int64_t merged_row = 0;
    size_t merged_column = 0;
    Status tail = stream_->ReadTail([&](std::string_view ref) {
      const auto rows = RowsOfRange(ref);
      if (merged || !rows || rows->second < header_row) return;
      merged = std::string(ref);
      merged_row = rows->first;
      merged_column = ColumnOf(ref).value_or(0);
    });
    if (!tail.ok()) return FailWith(stream_->problem(), tail);
    if (merged) {
      const std::string shown = Printable(*merged);
      return Fail(ReadProblem{
          "xlsx.merged", std::max(merged_row, header_row), ColumnName(merged_column), shown,
          fmt::format("工作表“{}”中单元格{}是合并单元格：只有左上角有值，其余会读成空值；请取消合并并填写每个单元格",
                      sheet_name_, shown),
          fmt::format("sheet '{}': cells {} are merged: only the top-left one holds the value and "
                      "the others would read as empty; unmerge them and fill every cell",
                      sheet_name_, shown)});
    }
    return Status::Ok();
  }

  // The next <row> element, loading the next batch when the current one is used up.
  Result<pugi::xml_node> NextRowNode() {
    cursor_ = cursor_ ? NextSibling(cursor_, "row") : pugi::xml_node();
    while (!cursor_) {
      if (finished_) return pugi::xml_node();
      auto got = stream_->NextBatch(batch_);
      if (!got.ok()) {
        const ReadProblem& source = stream_->problem();
        if (!source.rule.empty()) {
          ReadProblem what = source;
          // A row too long is that row; a damaged or oversized part is the file as a whole.
          what.row = what.rule == "limit.row_bytes" ? last_row_number_ + 1 : 0;
          what.zh = fmt::format("工作表“{}”：{}", sheet_name_, what.zh);
          what.en = fmt::format("sheet '{}': {}", sheet_name_, what.en);
          return Fail(std::move(what));
        }
        return SheetError(got.status().message());
      }
      if (!*got) {
        finished_ = true;
        document_.reset();
        CS_RETURN_IF_ERROR(FinishSheet());
        return pugi::xml_node();
      }
      const pugi::xml_parse_result parsed = document_.load_buffer_inplace(batch_.data(), batch_.size(), kFragmentParse);
      if (!parsed) {
        return SheetError(
            fmt::format("not well-formed XML near row {}: {}", last_row_number_ + 1, parsed.description()));
      }
      cursor_ = FirstElement(document_, "row");
    }
    return cursor_;
  }

  // Reads the next <row> into `row`: cells up to the last one holding a value, padded with empty
  // cells to `pad_to` (rows that end in empty cells, which Excel does not store, then still have
  // the header's width). An empty `cells` means the row holds no value. False at the end.
  Result<bool> ReadRow(TableRow& row, size_t pad_to) {
    CS_ASSIGN_OR_RETURN(const pugi::xml_node node, NextRowNode());
    if (!node) return false;
    const char* row_reference = node.attribute("r").value();
    int64_t row_number = 0;
    const auto parsed = std::from_chars(row_reference, row_reference + std::strlen(row_reference), row_number);
    row.row_number = parsed.ec == std::errc() && row_number > 0 ? row_number : last_row_number_ + 1;
    if (row.row_number <= last_row_number_) {
      return SheetError(
          fmt::format("row {} comes after row {}: rows are out of order", row.row_number, last_row_number_));
    }
    last_row_number_ = row.row_number;

    std::vector<std::string>& cells = row.cells;
    size_t width = 0;   // cells[0, width) are set; the last of them is not empty
    size_t filled = 0;  // cells[0, filled) are set or cleared (so each is cleared at most once)
    size_t next_column = 0;
    for (pugi::xml_node cell = node.first_child(); cell; cell = cell.next_sibling()) {
      if (!IsNamed(cell.name(), "c")) continue;
      const std::string_view reference = cell.attribute("r").value();
      const size_t column = ColumnOf(reference).value_or(next_column);
      if (column >= kMaxColumns) {
        return CellProblem(row.row_number, kMaxColumns, reference, "", "limit.columns",
                           fmt::format("超出Excel的最后一列（每行最多{}个单元格）", kMaxColumns),
                           fmt::format("beyond Excel's last column (at most {} cells a row)", kMaxColumns));
      }
      if (column < next_column) {
        return SheetError(fmt::format("row {}: cell '{}' is out of order", row.row_number, reference));
      }
      next_column = column + 1;
      const pugi::xml_node value_node = Child(cell, "v");
      const std::string_view type = cell.attribute("t").value();
      const bool has_value = value_node || type == "inlineStr";
      if (!has_value) {
        if (Child(cell, "f")) {
          return CellProblem(row.row_number, column, reference, Child(cell, "f").child_value(), "xlsx.formula",
                             "是公式但没有保存计算结果（请在Excel中打开并保存，或粘贴为数值）",
                             "holds a formula without its computed value (open and save it in Excel, or paste as "
                             "values)");
        }
        continue;  // a formatted but empty cell
      }
      if (cells.size() < column + 1) cells.resize(column + 1);
      for (size_t k = filled; k < column; ++k) cells[k].clear();
      filled = column + 1;
      std::string& target = cells[column];
      CS_RETURN_IF_ERROR(CellValue(cell, value_node, type, row.row_number, column, reference, target));
      if (target.size() > limits::kMaxCellBytes) {
        return CellProblem(row.row_number, column, reference, target, "limit.cell_bytes",
                           fmt::format("超过{}字节", limits::kMaxCellBytes),
                           fmt::format("is over {} bytes", limits::kMaxCellBytes));
      }
      if (!target.empty()) width = column + 1;
    }
    if (width == 0) {
      cells.clear();
      return true;
    }
    if (cells.size() < pad_to) cells.resize(pad_to);
    for (size_t k = width; k < pad_to; ++k) cells[k].clear();
    cells.resize(std::max(width, pad_to));
    return true;
  }

  Status InvalidUtf8(int64_t row, size_t column, std::string_view reference, std::string_view value) {
    const size_t offset = FirstInvalidUtf8(value).value_or(0);
    return CellProblem(row, column, reference, value, "text.utf8",
                       fmt::format("文字在第{}字节处不是有效的UTF-8", offset + 1),
                       fmt::format("the text is not valid UTF-8 at byte {}", offset + 1));
  }

  Status CellValue(pugi::xml_node cell, pugi::xml_node value_node, std::string_view type, int64_t row_number,
                   size_t column, std::string_view reference, std::string& target) {
    const std::string_view text = value_node.child_value();
    bool check_utf8 = false;
    if (type.empty() || type == "n") {
      if (text.empty()) {
        target.clear();
      } else if (!AssignExcelNumber(text, target)) {
        target.assign(text);  // not a number after all: show what is there
        check_utf8 = true;
      }
    } else if (type == "s") {
      size_t index = 0;
      const auto parsed = std::from_chars(text.data(), text.data() + text.size(), index);
      if (parsed.ec != std::errc() || parsed.ptr != text.data() + text.size() || index >= shared_strings_.size()) {
        return SheetError(
            fmt::format("row {}: cell {} refers to shared string '{}', which does "
                        "not exist ({} shared strings)",
                        row_number, reference, Printable(text), shared_strings_.size()));
      }
      target.assign(shared_strings_.At(index));
      if (!invalid_strings_.empty() &&
          std::binary_search(invalid_strings_.begin(), invalid_strings_.end(), static_cast<uint32_t>(index))) {
        return InvalidUtf8(row_number, column, reference, target);
      }
    } else if (type == "inlineStr") {
      StringItemText(Child(cell, "is"), target);
      check_utf8 = true;
    } else if (type == "b") {
      target.assign(text.empty() ? "" : (text == "0" ? "FALSE" : "TRUE"));
    } else if (type == "str") {
      target.assign(text);
      DecodeExcelEscapes(target);
      check_utf8 = true;
    } else {  // "e" (the error text, e.g. "#DIV/0!"), "d" (ISO 8601 text), or unknown
      target.assign(text);
      check_utf8 = true;
    }
    if (check_utf8 && FirstInvalidUtf8(target)) return InvalidUtf8(row_number, column, reference, target);
    return Status::Ok();
  }

  std::string path_;
  std::string bytes_;  // the archive as read; libzip reads it from here
  std::string sheet_name_;
  std::string sheet_part_;
  ZipPtr archive_;
  StringTable shared_strings_;
  std::vector<uint32_t> invalid_strings_;  // indices of shared strings that are not valid UTF-8, ascending
  std::unique_ptr<ElementStream> stream_;
  std::string batch_;            // parsed in place: document_ points into it
  pugi::xml_document document_;  // the current batch of rows
  pugi::xml_node cursor_;        // the row last read, in document_
  bool finished_ = false;
  bool header_done_ = false;
  uint64_t sheet_size_ = 0;
  int64_t last_row_number_ = 0;
  TableRow header_row_;
  ReadProblem problem_;
  Status failure_;  // sticky
};

}  // namespace

Result<std::unique_ptr<TableReader>> OpenXlsx(const std::string& path, std::string bytes,
                                              const TableReadOptions& options, ReadProblem* problem) {
  return XlsxReader::Open(path, std::move(bytes), options, problem);
}

}  // namespace clusterscope::io::internal
