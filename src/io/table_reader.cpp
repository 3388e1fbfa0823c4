#include "io/table_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/utypes.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <initializer_list>
#include <vector>

#include <fmt/format.h>

#include "io/limits.h"
#include "io/reader_internal.h"

namespace clusterscope::io {
namespace {

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

Result<ConverterPtr> OpenGb18030Converter() {
  UErrorCode error = U_ZERO_ERROR;
  ConverterPtr converter(ucnv_open("gb18030", &error));
  if (U_FAILURE(error) || converter == nullptr) {
    return Status::Internal(fmt::format("ICU has no GB18030 converter: {}", u_errorName(error)));
  }
  // The default callback substitutes U+FFFD; a silent substitution would store mojibake, so stop.
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  ucnv_setFromUCallBack(converter.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &error);
  if (U_FAILURE(error)) {
    return Status::Internal(fmt::format("cannot configure the GB18030 converter: {}", u_errorName(error)));
  }
  return converter;
}

// Appends UTF-16 code units as UTF-8. A surrogate pair may be split across two calls (ICU fills
// its target buffer to the last unit), so an unpaired lead is carried in `pending_lead`.
void AppendUtf16AsUtf8(const UChar* begin, const UChar* end, uint32_t& pending_lead, std::string& out) {
  const size_t old_size = out.size();
  out.resize(old_size + 3 * static_cast<size_t>(end - begin) + 4);
  char* w = out.data() + old_size;
  auto put = [&w](uint32_t byte) { *w++ = static_cast<char>(byte); };
  for (const UChar* p = begin; p != end; ++p) {
    uint32_t cp = *p;
    if (pending_lead != 0) {
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        cp = 0x10000 + ((pending_lead - 0xD800) << 10) + (cp - 0xDC00);
        pending_lead = 0;
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
        continue;
      }
      pending_lead = 0;  // ICU never produces lone surrogates from GB18030; drop defensively
    }
    if (cp < 0x80) {
      put(cp);
    } else if (cp < 0x800) {
      put(0xC0 | (cp >> 6));
      put(0x80 | (cp & 0x3F));
    } else if (cp >= 0xD800 && cp <= 0xDBFF) {
      pending_lead = cp;
    } else {
      put(0xE0 | (cp >> 12));
      put(0x80 | ((cp >> 6) & 0x3F));
      put(0x80 | (cp & 0x3F));
    }
  }
  out.resize(static_cast<size_t>(w - out.data()));
}

constexpr uint64_t kHighBits = 0x8080808080808080ULL;

}  // namespace

namespace internal {

std::optional<size_t> FirstInvalidUtf8(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    // Statistics files are mostly ASCII digits: skip 16 plain bytes at a time.
    while (i + 16 <= n) {
      uint64_t a = 0;
      uint64_t b = 0;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, p + i + 8, 8);
      if (((a | b) & kHighBits) != 0) break;
      i += 16;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

Status Gb18030ToUtf8Into(std::string_view bytes, std::string& out) {
  out.clear();
  CS_ASSIGN_OR_RETURN(ConverterPtr converter, OpenGb18030Converter());
  // Chinese text is 2 bytes per character in GBK and 3 in UTF-8.
  out.reserve(bytes.size() + bytes.size() / 2 + 16);
  std::vector<UChar> buffer(size_t{1} << 16);
  const char* source = bytes.data();
  const char* const source_end = bytes.data() + bytes.size();
  uint32_t pending_lead = 0;
  while (true) {
    UChar* target = buffer.data();
    UErrorCode error = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, buffer.data() + buffer.size(), &source, source_end, nullptr,
                   /*flush=*/true, &error);
    AppendUtf16AsUtf8(buffer.data(), target, pending_lead, out);
    if (error == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(error)) {
      std::array<char, 32> invalid{};
      auto invalid_length = static_cast<int8_t>(invalid.size());
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(converter.get(), invalid.data(), &invalid_length, &ignored);
      if (U_FAILURE(ignored)) invalid_length = 0;
      const auto offset = static_cast<size_t>(source - bytes.data()) - static_cast<size_t>(invalid_length);
      std::string shown;
      for (int8_t k = 0; k < invalid_length; ++k) {
        shown +=
            fmt::format("{}{:02X}", k == 0 ? "" : " ", static_cast<unsigned char>(invalid[static_cast<size_t>(k)]));
      }
      out.clear();
      return Status::InvalidInput(
          fmt::format("byte offset {}: bytes {} are not valid GB18030{}", offset, shown.empty() ? "?" : shown,
                      error == U_TRUNCATED_CHAR_FOUND ? " (truncated character at the end)" : ""));
    }
    return Status::Ok();
  }
}

}  // namespace internal

bool IsValidUtf8(std::string_view bytes) { return !internal::FirstInvalidUtf8(bytes).has_value(); }

Result<std::string> Gb18030ToUtf8(std::string_view bytes) {
  std::string out;
  CS_RETURN_IF_ERROR(internal::Gb18030ToUtf8Into(bytes, out));
  return out;
}

Result<std::string> Utf8ToGb18030(std::string_view utf8) {
  // ICU's UTF-8 converter would quietly substitute malformed input, so validate first.
  if (auto bad = internal::FirstInvalidUtf8(utf8)) {
    return Status::InvalidInput(fmt::format("byte offset {}: invalid UTF-8", *bad));
  }
  if (utf8.size() > static_cast<size_t>(INT32_MAX / 2 - 16)) {
    return Status::InvalidInput("text too large to convert to GB18030 in one piece (over 1 GiB)");
  }
  CS_ASSIGN_OR_RETURN(ConverterPtr converter, OpenGb18030Converter());
  // GB18030 encodes every code point, in at most 4 bytes; the UTF-8 form has at least 2 bytes
  // per 4-byte GB18030 character, so twice the input always suffices.
  std::string out(2 * utf8.size() + 16, '\0');
  UErrorCode error = U_ZERO_ERROR;
  const int32_t length = ucnv_fromAlgorithmic(converter.get(), UCNV_UTF8, out.data(), static_cast<int32_t>(out.size()),
                                              utf8.data(), static_cast<int32_t>(utf8.size()), &error);
  if (U_FAILURE(error)) {
    return Status::InvalidInput(fmt::format("cannot encode text as GB18030: {}", u_errorName(error)));
  }
  out.resize(static_cast<size_t>(length));
  return out;
}

namespace internal {

Result<std::string> ReadInput(const std::string& path, ReadProblem* problem, uint64_t max_bytes) {
  const bool standard_input = path == "-";
  const int fd = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::Environment(fmt::format("cannot open {}: {}", path, std::strerror(errno)));
  }
  struct Closer {
    int fd;
    bool owned;
    ~Closer() {
      if (owned) ::close(fd);
    }
  } closer{fd, !standard_input};
  struct stat info {};
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    return Status::Environment(fmt::format("cannot read {}: it is a directory", path));
  }
  auto too_large = [&] {
    return Refuse(path, problem,
                  ReadProblem{"limit.file_bytes", 0, "", "", fmt::format("文件超过{}字节的上限", max_bytes),
                              fmt::format("the input is larger than the limit of {} bytes", max_bytes)});
  };
  // A regular file is read into a buffer of its size (no doubling at the end, which would cost
  // twice its size in memory); whatever follows — a file that grew, a pipe — in chunks.
  std::string bytes;
  size_t filled = 0;
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    if (static_cast<uint64_t>(info.st_size) > max_bytes) return too_large();
    bytes.resize(static_cast<size_t>(info.st_size));
    while (filled < bytes.size()) {
      const ssize_t got = ::read(fd, bytes.data() + filled, bytes.size() - filled);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return Status::Environment(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
      if (got == 0) break;  // truncated meanwhile: what was read is the input
      filled += static_cast<size_t>(got);
    }
    bytes.resize(filled);
    if (filled < static_cast<size_t>(info.st_size)) return bytes;
  }
  std::vector<char> chunk(size_t{1} << 16);
  while (true) {
    const ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return Status::Environment(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
    if (got == 0) break;
    if (bytes.size() + static_cast<size_t>(got) > max_bytes) return too_large();
    bytes.append(chunk.data(), static_cast<size_t>(got));
  }
  return bytes;
}

Status Refuse(const std::string& path, ReadProblem* problem, ReadProblem what) {
  std::string message =
      what.row > 0 ? fmt::format("{}: row {}: {}", path, what.row, what.en) : fmt::format("{}: {}", path, what.en);
  if (problem != nullptr) *problem = std::move(what);
  return Status::InvalidInput(std::move(message));
}

}  // namespace internal

Result<std::unique_ptr<TableReader>> TableReader::Open(const std::string& path, const TableReadOptions& options,
                                                       ReadProblem* problem) {
  CS_ASSIGN_OR_RETURN(std::string bytes, internal::ReadInput(path, problem));
  const std::string_view magic = std::string_view(bytes).substr(0, 8);
  auto starts_with = [&](std::initializer_list<unsigned char> prefix) {
    return magic.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), magic.begin(),
                      [](unsigned char a, char b) { return a == static_cast<unsigned char>(b); });
  };
  if (starts_with({'P', 'K', 0x03, 0x04}) || starts_with({'P', 'K', 0x05, 0x06})) {
    return internal::OpenXlsx(path, std::move(bytes), options, problem);
  }
  // Without these checks a legacy workbook or a UTF-16 export would be "decoded" as GB18030.
  if (starts_with({0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})) {
    return internal::Refuse(
        path, problem,
        ReadProblem{"file.unreadable", 0, "", "", "是旧版Excel .xls工作簿，不受支持；请另存为.xlsx或CSV",
                    "is a legacy Excel .xls workbook, which is not supported; save it as .xlsx or CSV"});
  }
  if (starts_with({0xFF, 0xFE}) || starts_with({0xFE, 0xFF})) {
    return internal::Refuse(
        path, problem,
        ReadProblem{"file.unreadable", 0, "", "", "是UTF-16文本（Excel的“Unicode文本”）；请另存为“CSV UTF-8”",
                    "is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\" instead"});
  }
  return internal::OpenCsv(path, std::move(bytes), problem);
}

}  // namespace clusterscope::io
