#include "core/text.h"

#include <fmt/format.h>

#include <opencc/opencc.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>
#include <vector>

namespace clusterscope::text {
namespace {

// Decodes one UTF-8 code point at `i`, advancing `i`; returns U+FFFD on a malformed sequence.
char32_t DecodeNext(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1Fu) : len == 3 ? (b0 & 0x0Fu) : (b0 & 0x07u);
  for (int k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3Fu);
  }
  i += static_cast<size_t>(len);
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
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

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0x00A0 || cp == 0x2002 ||
         cp == 0x2003 || cp == 0x2009 || cp == 0x200B || cp == 0xFEFF;
}

bool IsBracket(char32_t cp) { return cp == '(' || cp == ')'; }

char32_t UnifyBracket(char32_t cp) {
  switch (cp) {
    case U'（':
    case U'【':
    case U'〔':
    case U'［':
    case U'[':
    case U'{':
    case U'｛':
    case U'〖':
      return '(';
    case U'）':
    case U'】':
    case U'〕':
    case U'］':
    case U']':
    case U'}':
    case U'｝':
    case U'〗':
      return ')';
    default:
      return cp;
  }
}

// OpenCC's converter is not documented as thread-safe; one per thread keeps it simple.
class TraditionalToSimplified {
 public:
  TraditionalToSimplified() : handle_(opencc_open("t2s.json")) {}
  ~TraditionalToSimplified() {
    if (ok()) opencc_close(handle_);
  }
  TraditionalToSimplified(const TraditionalToSimplified&) = delete;
  TraditionalToSimplified& operator=(const TraditionalToSimplified&) = delete;

  bool ok() const { return handle_ != reinterpret_cast<opencc_t>(-1); }  // NOLINT(performance-no-int-to-ptr)

  std::string Convert(std::string_view s) const {
    if (!ok()) return std::string(s);
    char* out = opencc_convert_utf8(handle_, s.data(), s.size());
    if (out == nullptr) return std::string(s);
    std::string result(out);
    opencc_convert_utf8_free(out);
    return result;
  }

 private:
  opencc_t handle_;
};

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

}  // namespace

bool IsCjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2FA1F) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x3000 && cp <= 0x303F && cp != 0x3000);
}

std::string_view Trim(std::string_view s) {
  // Trim ASCII space fast, then the multi-byte spaces.
  for (;;) {
    size_t before = s.size();
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
      s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
      s.remove_suffix(1);
    if (s.starts_with("\xE3\x80\x80")) s.remove_prefix(3);  // U+3000
    if (s.ends_with("\xE3\x80\x80")) s.remove_suffix(3);
    if (s.starts_with("\xC2\xA0")) s.remove_prefix(2);  // U+00A0
    if (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
    if (s.size() == before) return s;
  }
}

std::string FoldWidth(std::string_view s) {
  if (!HasNonAscii(s)) return std::string(s);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return std::string(s);
  icu::UnicodeString src = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  icu::UnicodeString dst = nfkc->normalize(src, status);
  if (U_FAILURE(status)) return std::string(s);
  std::string out;
  dst.toUTF8String(out);
  return out;
}

std::string NormaliseName(std::string_view s) {
  std::string work;
  if (HasNonAscii(s)) {
    thread_local TraditionalToSimplified t2s;
    // Brackets first: NFKC would turn 【】 into nothing useful, and OpenCC leaves them.
    std::string unified;
    for (size_t i = 0; i < s.size();) AppendUtf8(unified, UnifyBracket(DecodeNext(s, i)));
    work = FoldWidth(t2s.Convert(unified));
  } else {
    work = std::string(s);
  }
  // Collapse whitespace; drop it next to CJK characters and brackets.
  std::vector<char32_t> cps;
  for (size_t i = 0; i < work.size();) cps.push_back(UnifyBracket(DecodeNext(work, i)));
  std::string out;
  out.reserve(work.size());
  char32_t prev = 0;  // last code point written (0 = nothing yet)
  bool pending_space = false;
  for (char32_t cp : cps) {
    if (IsSpace(cp)) {
      pending_space = true;
      continue;
    }
    if (pending_space && prev != 0 && !IsCjk(prev) && !IsBracket(prev) && !IsCjk(cp) && !IsBracket(cp)) {
      out.push_back(' ');
    }
    pending_space = false;
    AppendUtf8(out, cp);
    prev = cp;
  }
  return out;
}

std::string NormaliseHeader(std::string_view s) {
  std::string folded = FoldWidth(Trim(s));
  std::string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size();) {
    char32_t cp = UnifyBracket(DecodeNext(folded, i));
    if (IsSpace(cp)) continue;
    if (cp >= 'A' && cp <= 'Z') cp = cp - 'A' + 'a';
    AppendUtf8(out, cp);
  }
  return out;
}

namespace {

// True if `s` is exactly one well-formed UTF-8 sequence of 2-4 bytes.
bool IsWellFormedSequence(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  }
  if (len == 0 || s.size() != len) return false;
  const auto second = static_cast<unsigned char>(s[1]);
  if (second < lo || second > hi) return false;
  for (size_t k = 2; k < len; ++k) {
    if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return false;
  }
  return true;
}

}  // namespace

std::string Printable(std::string_view value, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < value.size() && out.size() < max_bytes) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7F) {
        out += fmt::format("\\x{:02X}", c);
      } else {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    // The length of the well-formed sequence starting here, or 0.
    size_t len = 0;
    const size_t left = value.size() - i;
    for (size_t n = 2; n <= 4 && len == 0 && n <= left; ++n) {
      if (IsWellFormedSequence(value.substr(i, n))) len = n;
    }
    if (len == 0) {
      out += fmt::format("\\x{:02X}", c);
      ++i;
      continue;
    }
    // C1 controls (U+0080-U+009F) are as invisible as C0 ones.
    if (len == 2 && c == 0xC2 && static_cast<unsigned char>(value[i + 1]) < 0xA0) {
      out += fmt::format("\\xC2\\x{:02X}", static_cast<unsigned char>(value[i + 1]));
    } else {
      out.append(value.substr(i, len));
    }
    i += len;
  }
  if (i < value.size()) out += "…";
  return out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace clusterscope::text
