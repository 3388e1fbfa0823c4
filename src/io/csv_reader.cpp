// The CSV side of TableReader.
//
// Speed matters here (a million-row import is benchmarked against `sqlite3 .import`), so the file
// is memory-mapped and parsed in place: no per-character stream calls, and each cell is copied
// once, into a string buffer the caller's TableRow keeps from row to row. A GB18030 file is first
// decoded to UTF-8 as a whole (ICU), which costs one extra copy of the file in memory but keeps the
// parser single-encoding.

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <bit>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "io/reader_internal.h"
#include "io/table_reader.h"

namespace clusterscope::io::internal {
namespace {

// Closes a file descriptor on scope exit.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// A read-only mapping of a whole file; unmapped on destruction.
struct Unmapper {
  size_t length = 0;
  void operator()(void* address) const { ::munmap(address, length); }
};
using Mapping = std::unique_ptr<void, Unmapper>;

// The bytes of a file: mapped when it is a regular file (no copy, and the kernel reads ahead),
// read into memory otherwise (a pipe, /dev/stdin).
class FileBytes {
 public:
  static Result<FileBytes> Load(const std::string& path) {
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      return Status::Environment(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
    }
    const int raw_fd = fd.get();
    struct stat info {};
    if (::fstat(raw_fd, &info) != 0) {
      return Status::Environment(fmt::format("cannot stat {}: {}", path, std::strerror(errno)));
    }
    FileBytes bytes;
    if (S_ISREG(info.st_mode)) {
      const auto size = static_cast<size_t>(info.st_size);
      if (size == 0) return bytes;
      void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, raw_fd, 0);
      if (address != MAP_FAILED) {
        bytes.mapping_ = Mapping(address, Unmapper{size});
        ::madvise(address, size, MADV_SEQUENTIAL);
        bytes.view_ = std::string_view(static_cast<const char*>(address), size);
        return bytes;
      }
    }
    std::vector<char> block(size_t{1} << 20);
    while (true) {
      const ssize_t got = ::read(raw_fd, block.data(), block.size());
      if (got < 0) {
        if (errno == EINTR) continue;
        return Status::Environment(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
      }
      if (got == 0) break;
      bytes.owned_.append(block.data(), static_cast<size_t>(got));
    }
    bytes.view_ = bytes.owned_;
    return bytes;
  }

  FileBytes() = default;
  FileBytes(FileBytes&& other) noexcept { *this = std::move(other); }
  FileBytes& operator=(FileBytes&& other) noexcept {
    mapping_ = std::move(other.mapping_);
    const bool owned = other.view_.data() == other.owned_.data();
    owned_ = std::move(other.owned_);
    view_ = owned ? std::string_view(owned_) : other.view_;
    other.view_ = {};
    return *this;
  }
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes() = default;

  std::string_view view() const { return view_; }

  // Replaces the contents with `text` (the decoded form), releasing the mapping.
  void Replace(std::string text) {
    mapping_.reset();
    owned_ = std::move(text);
    view_ = owned_;
  }

 private:
  Mapping mapping_;
  std::string owned_;
  std::string_view view_;
};

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

class CsvReader final : public TableReader {
 public:
  static Result<std::unique_ptr<TableReader>> Open(const std::string& path) {
    CS_ASSIGN_OR_RETURN(FileBytes bytes, FileBytes::Load(path));
    auto reader = std::unique_ptr<CsvReader>(new CsvReader(path));
    const std::string_view raw = bytes.view();
    reader->file_size_ = raw.size();
    reader->bytes_ = std::move(bytes);
    CS_RETURN_IF_ERROR(reader->DetectEncoding());
    reader->scanner_.Reset(reader->text_.data() + reader->text_.size());
    bool found = false;
    bool any_value = false;
    while (!found) {
      CS_ASSIGN_OR_RETURN(const bool got, reader->ReadRecord(reader->header_, any_value));
      if (!got) {
        return Status::InvalidInput(fmt::format("{}: no header row (the file is empty or has only blank lines)", path));
      }
      found = any_value;
    }
    return std::unique_ptr<TableReader>(std::move(reader));
  }

  const std::vector<std::string>& header() const override { return header_; }

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

  Status DetectEncoding() {
    std::string_view raw = bytes_.view();
    static constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
    if (raw.starts_with(kUtf8Bom)) {
      encoding_ = "utf-8-bom";
      text_offset_ = kUtf8Bom.size();
      text_ = raw.substr(kUtf8Bom.size());
      if (auto bad = FirstInvalidUtf8(text_)) {
        return Status::InvalidInput(
            fmt::format("{}: byte offset {}: invalid UTF-8 (the file starts with a UTF-8 byte order mark)", path_,
                        *bad + kUtf8Bom.size()));
      }
      return Status::Ok();
    }
    const auto bad_utf8 = FirstInvalidUtf8(raw);
    if (!bad_utf8) {
      encoding_ = "utf-8";
      text_ = raw;
      return Status::Ok();
    }
    encoding_ = "gb18030";
    std::string decoded;
    Status status = Gb18030ToUtf8Into(raw, decoded);
    if (!status.ok()) {
      return Status::InvalidInput(
          fmt::format("{}: {} (the file is neither UTF-8, whose first invalid byte is at offset {}, nor "
                      "GB18030/GBK)",
                      path_, status.message(), *bad_utf8));
    }
    // GB18030 has a byte order mark too (84 31 95 33), which decodes to U+FEFF.
    const size_t skip = std::string_view(decoded).starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0;
    text_offset_ = skip == 0 ? 0 : 4;
    bytes_.Replace(std::move(decoded));
    text_ = bytes_.view().substr(skip);
    return Status::Ok();
  }

  // Parses the record at pos_ into `cells` (resized to its cell count). Returns false at the end
  // of the text. `any_value` tells whether some cell is non-empty.
  Result<bool> ReadRecord(std::vector<std::string>& cells, bool& any_value) {
    any_value = false;
    if (pos_ >= text_.size()) return false;
    ++record_number_;
    const char* p = text_.data() + pos_;
    const char* const end = text_.data() + text_.size();
    size_t count = 0;
    while (true) {
      std::string& cell = CellAt(cells, count++);
      if (p != end && *p == '"') {
        cell.clear();
        ++p;
        while (true) {
          const auto* quote = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
          if (quote == nullptr) {
            pos_ = text_.size();
            cells.resize(count);
            return Status::InvalidInput(fmt::format("{}: row {}: unterminated quoted cell", path_, record_number_));
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
        // keep such text, and refusing the file over it would help no one.
        const char* stop = scanner_.Find(p);
        cell.append(p, stop);
        p = stop;
      } else {
        const char* stop = scanner_.Find(p);
        cell.assign(p, stop);
        p = stop;
      }
      any_value = any_value || !cell.empty();
      if (p == end) break;
      const char separator = *p++;
      if (separator == ',') continue;
      if (separator == '\r' && p != end && *p == '\n') ++p;
      break;
    }
    cells.resize(count);
    pos_ = static_cast<size_t>(p - text_.data());
    return true;
  }

  std::string path_;
  FileBytes bytes_;
  std::string_view text_;     // what is parsed: UTF-8 without a byte order mark
  uint64_t text_offset_ = 0;  // bytes of the file before text_ (a byte order mark)
  uint64_t file_size_ = 0;
  std::string_view encoding_;
  DelimiterScanner scanner_;   // over text_
  size_t pos_ = 0;             // in text_
  int64_t record_number_ = 0;  // of the last record read
  std::vector<std::string> header_;
  Status failure_;  // sticky: once the file is known bad, every later Next() reports it
};

}  // namespace

Result<std::unique_ptr<TableReader>> OpenCsv(const std::string& path) { return CsvReader::Open(path); }

}  // namespace clusterscope::io::internal
