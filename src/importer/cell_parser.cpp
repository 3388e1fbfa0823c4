#include "importer/cell_parser.h"

#include <fmt/format.h>
#include <cstdlib>

#include "core/number.h"
#include "core/text.h"
#include "core/uscc.h"
#include "io/limits.h"
#include "refdata/builtin.h"

namespace clusterscope::importer {
namespace {

ParsedCell Fail(std::string rule, std::string zh, std::string en) {
  return ParsedCell{{}, CellIssue{std::move(rule), std::move(zh), std::move(en)}};
}

bool IsAsciiDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Trimmed and width-folded (full-width digits and letters are common in typed codes).
std::string Clean(std::string_view raw) {
  std::string_view t = text::Trim(raw);
  for (char c : t) {
    if (static_cast<unsigned char>(c) >= 0x80) return std::string(text::Trim(text::FoldWidth(t)));
  }
  return std::string(t);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool ValidDate(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  int max = kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
  return d <= max;
}

// Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

// The common case of a number cell, without the allocations of number::ParseDecimal: an optional
// sign, 1–15 ASCII digits, optionally "." and 1–15 more, scaled by 10^exponent (0 ≤ exponent ≤ 18)
// with no digit lost. Anything else (separators, full-width digits, too many decimals, a value
// that might not fit) returns nullopt and takes the general path, which gives the same value
// and is the one that reports problems.
std::optional<int64_t> FastScaled(std::string_view s, int exponent) {
  if (exponent < 0 || exponent > 18 || s.empty()) return std::nullopt;
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  size_t i = 0;
  uint64_t int_value = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') int_value = int_value * 10 + static_cast<uint64_t>(s[i++] - '0');
  const size_t int_len = i;
  if (int_len == 0 || int_len > 15) return std::nullopt;
  std::string_view frac;
  if (i < s.size()) {
    if (s[i] != '.') return std::nullopt;
    frac = s.substr(i + 1);
    if (frac.empty() || frac.size() > 15) return std::nullopt;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  }
  const auto e = static_cast<size_t>(exponent);
  if (frac.size() > e || int_len + e > 18) return std::nullopt;  // too precise, or beyond 10^18
  uint64_t value = int_value;
  for (char c : frac) value = value * 10 + static_cast<uint64_t>(c - '0');
  for (size_t k = frac.size(); k < e; ++k) value *= 10;
  // value < 10^18 < 2^63: both signs fit.
  return negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
}

// Decodes the UTF-8 code point at s[i] (well-formed input: the readers refuse anything else),
// advancing i; U+FFFD for a malformed byte.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (c >= 0x80 && c < 0xC0) len = 1;
  if (i + len > s.size()) {
    i = s.size();
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return (c >= 0x80 && c < 0xC0) ? 0xFFFD : cp;
}

// Characters that Unicode compatibility folding (NFKC) turns into ASCII digits but that are not
// the full-width digits ０-９ typed on a Chinese keyboard: superscripts and subscripts (10² must
// not read as 102), circled, parenthesised and dotted numbers (⑤, ⑸, ⒌, ㉑), mathematical digits.
bool IsForeignDigit(char32_t cp) {
  return cp == 0xB2 || cp == 0xB3 || cp == 0xB9 || (cp >= 0x2070 && cp <= 0x209F) || (cp >= 0x2150 && cp <= 0x218F) ||
         (cp >= 0x2460 && cp <= 0x24FF) || (cp >= 0x2776 && cp <= 0x2793) || (cp >= 0x3220 && cp <= 0x325F) ||
         (cp >= 0x3280 && cp <= 0x32BF) || (cp >= 0x3358 && cp <= 0x33FF) || (cp >= 0x1D7CE && cp <= 0x1D7FF) ||
         (cp >= 0x1F100 && cp <= 0x1F10C);
}

// The first control character in `raw` (C0 except TAB, LF and CR when `allow_line_breaks`, DEL,
// C1): its code point, or -1. A NUL cuts text short in C strings; an escape code or a C1 control
// is invisible in every program that shows the value.
int32_t FirstControl(std::string_view raw, bool allow_line_breaks) {
  for (size_t i = 0; i < raw.size(); ++i) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x20) {
      if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
      return c;
    }
    if (c == 0x7F) return c;
    if (c == 0xC2 && i + 1 < raw.size()) {
      const auto next = static_cast<unsigned char>(raw[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return next;
    }
  }
  return -1;
}

bool HasNonAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// Plausibility bounds (docs/limits.md): beyond these a value is a typing or unit error, and sums
// of millions of such values could not overflow int64 anyway.
constexpr int64_t kMaxPlausibleCount = 10'000'000;                 // people, patents, items
constexpr int64_t kMaxPlausibleFen = 100'000'000'000'000LL * 100;  // 10^14 yuan (100万亿元)

std::optional<CellIssue> CheckPlausible(const ColumnDef& col, int64_t value) {
  if (col.type == ColumnType::kCount && value > kMaxPlausibleCount) {
    return CellIssue{
        "cell.implausible", fmt::format("{}超过{}，不可信（多半是单位或录入错误）", col.id, kMaxPlausibleCount),
        fmt::format("{} over {} is implausible (a unit or typing error, most likely)", col.id, kMaxPlausibleCount)};
  }
  if ((col.type == ColumnType::kMoney || col.type == ColumnType::kSignedMoney) &&
      (value > kMaxPlausibleFen || value < -kMaxPlausibleFen)) {
    return CellIssue{
        "cell.implausible", fmt::format("{}的绝对值超过10^14元（100万亿元），不可信（多半是单位错误）", col.id),
        fmt::format("{} beyond 10^14 yuan in absolute value is implausible (a unit error, most likely)", col.id)};
  }
  return std::nullopt;
}

// ID syntax (docs/limits.md): 1-64 characters, each an ASCII letter or digit, '-', '_', '.', or a
// CJK ideograph.
std::optional<CellIssue> CheckIdSyntax(std::string_view id) {
  size_t count = 0;
  for (size_t i = 0; i < id.size();) {
    const char32_t cp = NextCodePoint(id, i);
    ++count;
    const bool ok = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-' ||
                    cp == '_' || cp == '.' || (text::IsCjk(cp) && !(cp >= 0x3000 && cp <= 0x303F));
    if (!ok) {
      return CellIssue{"id.syntax",
                       fmt::format("第{}个字符（U+{:04X}）不允许：代码只能由字母、数字、- _ . 和汉字组成", count,
                                   static_cast<uint32_t>(cp)),
                       fmt::format("character {} (U+{:04X}) is not allowed: an id holds letters, digits, - _ . and "
                                   "Chinese characters only",
                                   count, static_cast<uint32_t>(cp))};
    }
  }
  if (count > limits::kMaxIdLength) {
    return CellIssue{"id.syntax", fmt::format("代码有{}个字符，最多{}个", count, limits::kMaxIdLength),
                     fmt::format("an id of {} characters; at most {}", count, limits::kMaxIdLength)};
  }
  return std::nullopt;
}

ParsedCell ParseNumberAsInteger(const CellSpec& spec, std::string_view raw, int exponent, bool allow_negative) {
  if (auto fast = FastScaled(raw, exponent); fast && (allow_negative || *fast >= 0)) {
    if (auto issue = CheckPlausible(*spec.column, *fast)) return ParsedCell{{}, std::move(issue)};
    return ParsedCell{*fast, std::nullopt};
  }
  auto d = number::ParseDecimal(raw);
  if (!d) return Fail("cell.number", "不是数字", "not a number");
  auto scaled = number::ToScaledInteger(*d, exponent);
  if (scaled.error == number::ScaleError::kTooPrecise) {
    if (spec.column->type == ColumnType::kCount) return Fail("cell.integer", "必须是整数", "must be a whole number");
    return Fail("cell.money_precision", "金额精度超过0.01元", "money finer than 0.01 yuan");
  }
  if (scaled.error == number::ScaleError::kOverflow) return Fail("cell.overflow", "数值过大", "number too large");
  if (!allow_negative && scaled.value < 0) return Fail("cell.negative", "不能为负数", "must not be negative");
  if (auto issue = CheckPlausible(*spec.column, scaled.value)) return ParsedCell{{}, std::move(issue)};
  return ParsedCell{scaled.value, std::nullopt};
}

ParsedCell ParseYear(const CellSpec& spec, std::string_view raw) {
  // A plain four-digit year in range needs no more (the general path below gives the same value).
  if (raw.size() == 4 && IsAsciiDigits(raw)) {
    const int year = (raw[0] - '0') * 1000 + (raw[1] - '0') * 100 + (raw[2] - '0') * 10 + (raw[3] - '0');
    if (year >= spec.min_year && year <= spec.max_year) return ParsedCell{int64_t{year}, std::nullopt};
  }
  auto d = number::ParseDecimal(raw);
  const auto range = [&spec] { return fmt::format("{}–{}", spec.min_year, spec.max_year); };
  if (!d || d->negative)
    return Fail("cell.year", "不是年份（应为" + range() + "）", "not a year (expected " + range() + ")");
  auto y = number::ToScaledInteger(*d, 0);
  if (y.error != number::ScaleError::kNone || y.value < spec.min_year || y.value > spec.max_year) {
    return Fail("cell.year", "年份超出范围" + range(), "year outside " + range());
  }
  return ParsedCell{y.value, std::nullopt};
}

}  // namespace

std::optional<std::string> ParseDateOrYear(std::string_view input) {
  std::string s = Clean(input);
  if (IsAsciiDigits(s) && s.size() == 4) return s;
  // Excel serial date: days since 1899-12-30 (Excel's 1900 leap-year bug is absorbed by that epoch).
  if (auto d = number::ParseDecimal(s);
      d && !d->negative && d->frac_digits.find_first_not_of('0') == std::string::npos) {
    auto serial = number::ToScaledInteger(number::Decimal{false, d->int_digits, ""}, 0);
    if (serial.error == number::ScaleError::kNone && serial.value > 3000 && serial.value < 200000) {
      int y = 0;
      int m = 0;
      int dd = 0;
      CivilFromDays(serial.value - 25569, y, m, dd);  // 25569 = serial of 1970-01-01
      return fmt::format("{:04}-{:02}-{:02}", y, m, dd);
    }
  }
  // Y-M-D with -, /, . or 年月日 as separators.
  std::string norm;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "年") == 0 || s.compare(i, 3, "月") == 0) {
      norm.push_back('-');
      i += 3;
    } else if (s.compare(i, 3, "日") == 0) {
      i += 3;
    } else {
      char c = s[i++];
      norm.push_back(c == '/' || c == '.' ? '-' : c);
    }
  }
  int y = 0;
  int m = 0;
  int d = 0;
  char tail = 0;
  if (std::sscanf(norm.c_str(), "%d-%d-%d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  if (!ValidDate(y, m, d)) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

ParsedCell ParseCell(const CellSpec& spec, std::string_view raw) {
  const ColumnDef& col = *spec.column;
  std::string_view trimmed = text::Trim(raw);
  if (trimmed.empty()) {
    if (!col.fallback.empty()) return ParseCell(spec, col.fallback);
    if (col.required) return Fail("cell.required", "必填项为空", "required value is empty");
    return {};
  }
  const bool free_text = col.type == ColumnType::kText || col.type == ColumnType::kName;
  if (const int32_t control = FirstControl(trimmed, free_text); control >= 0) {
    return Fail("text.control", fmt::format("含有控制字符U+{:04X}（不可见，会截断或扰乱文字）", control),
                fmt::format("holds the control character U+{:04X} (invisible; it cuts or garbles text)", control));
  }
  if (!free_text && HasNonAscii(trimmed)) {
    for (size_t i = 0; i < trimmed.size();) {
      const char32_t cp = NextCodePoint(trimmed, i);
      if (IsForeignDigit(cp)) {
        return Fail("cell.digit",
                    fmt::format("含有U+{:04X}：上标、下标、带圈或其他特殊数字不能当作数字（只接受0–9和全角０–９）",
                                static_cast<uint32_t>(cp)),
                    fmt::format("holds U+{:04X}: superscript, subscript, circled and other special digits are not "
                                "digits (only 0-9 and full-width ０-９ are)",
                                static_cast<uint32_t>(cp)));
      }
    }
  }
  switch (col.type) {
    case ColumnType::kText:
      return ParsedCell{std::string(trimmed), std::nullopt};
    case ColumnType::kName: {
      std::string name = text::NormaliseName(trimmed);
      if (name.empty()) return Fail("cell.required", "必填项为空", "required value is empty");
      return ParsedCell{std::move(name), std::nullopt};
    }
    case ColumnType::kId: {
      std::string id = Clean(trimmed);
      if (auto issue = CheckIdSyntax(id)) return ParsedCell{{}, std::move(issue)};
      return ParsedCell{std::move(id), std::nullopt};
    }
    case ColumnType::kUscc: {
      // A reports file lists a firm's years one after another: the same code many rows running,
      // so the last valid code is remembered (per thread) rather than checked again.
      thread_local std::string last_input;
      thread_local std::string last_code;
      if (!last_code.empty() && trimmed == last_input) return ParsedCell{last_code, std::nullopt};
      uscc::Verdict v = uscc::Check(trimmed);
      switch (v.problem) {
        case uscc::Problem::kNone:
          last_input.assign(trimmed);
          last_code = v.code;
          return ParsedCell{std::move(v.code), std::nullopt};
        case uscc::Problem::kLength:
          return Fail("uscc.length", fmt::format("应为18位，实际{}位", v.code.size()),
                      fmt::format("has {} characters, not 18", v.code.size()));
        case uscc::Problem::kCharacter:
          return Fail("uscc.character",
                      fmt::format("第{}位字符不在代码字符集中（不使用I、O、S、V、Z）", v.bad_position),
                      fmt::format("character {} is not in the code alphabet (no I, O, S, V, Z)", v.bad_position));
        case uscc::Problem::kCheck:
          return Fail("uscc.check", fmt::format("校验位错误：按GB 32100-2015应为{}", v.expected_check),
                      fmt::format("check character should be {} under GB 32100-2015", v.expected_check));
      }
      return {};
    }
    case ColumnType::kRegionCode: {
      std::string c = Clean(trimmed);
      if (c.size() != 6 || !IsAsciiDigits(c))
        return Fail("region.format", "行政区划代码应为6位数字", "a region code is 6 digits");
      return ParsedCell{std::move(c), std::nullopt};
    }
    case ColumnType::kIndustryClass: {
      std::string c = Clean(trimmed);
      char letter = 0;
      if (!c.empty() && c[0] >= 'A' && c[0] <= 'Z') {
        letter = c[0];
        c.erase(0, 1);
      } else if (!c.empty() && c[0] >= 'a' && c[0] <= 'z') {
        letter = static_cast<char>(c[0] - 'a' + 'A');
        c.erase(0, 1);
      }
      if (c.size() != 4 || !IsAsciiDigits(c)) {
        return Fail("industry.format", "应为GB/T 4754-2017小类代码（4位数字，可带门类字母如C2740）",
                    "expected a GB/T 4754-2017 class: 4 digits, optionally after the section letter (C2740)");
      }
      char section = refdata::SectionForDivision(std::atoi(c.substr(0, 2).c_str()));
      if (section == 0) return Fail("industry.unknown", "行业大类不存在", "no such industry division");
      if (letter != 0 && letter != section) {
        return Fail("industry.section", fmt::format("大类{}属于门类{}，不是{}", c.substr(0, 2), section, letter),
                    fmt::format("division {} is in section {}, not {}", c.substr(0, 2), section, letter));
      }
      return ParsedCell{std::move(c), std::nullopt};
    }
    case ColumnType::kIndustryCode: {
      std::string c = Clean(trimmed);
      bool letter = c.size() == 1 && c[0] >= 'A' && c[0] <= 'T';
      if (c.size() == 1 && c[0] >= 'a' && c[0] <= 't') {
        c[0] = static_cast<char>(c[0] - 'a' + 'A');
        letter = true;
      }
      if (!letter && !(c.size() >= 2 && c.size() <= 4 && IsAsciiDigits(c))) {
        return Fail("industry.format", "应为门类字母或2–4位数字", "expected a section letter or 2-4 digits");
      }
      return ParsedCell{std::move(c), std::nullopt};
    }
    case ColumnType::kIndustryList: {
      std::string c = Clean(trimmed);
      std::string out;
      size_t start = 0;
      while (start <= c.size()) {
        size_t end = c.find_first_of(";,", start);
        if (end == std::string::npos) end = c.size();
        std::string code(text::Trim(std::string_view(c).substr(start, end - start)));
        if (!code.empty()) {
          if (code.size() < 2 || code.size() > 4 || !IsAsciiDigits(code)) {
            return Fail("industry.format", fmt::format("“{}”不是2–4位行业代码", code),
                        fmt::format("\"{}\" is not a 2-4 digit industry code", code));
          }
          if (refdata::SectionForDivision(std::atoi(code.substr(0, 2).c_str())) == 0) {
            return Fail("industry.unknown", fmt::format("行业大类{}不存在", code.substr(0, 2)),
                        fmt::format("no industry division {}", code.substr(0, 2)));
          }
          if (!out.empty()) out.push_back(';');
          out += code;
        }
        start = end + 1;
      }
      if (out.empty()) return Fail("cell.required", "必填项为空", "required value is empty");
      return ParsedCell{std::move(out), std::nullopt};
    }
    case ColumnType::kYear:
      return ParseYear(spec, trimmed);
    case ColumnType::kDateOrYear: {
      auto d = ParseDateOrYear(trimmed);
      if (!d)
        return Fail("cell.date", "不是有效日期（如2003-05-12或2003）", "not a valid date (e.g. 2003-05-12 or 2003)");
      const int year = std::atoi(d->substr(0, 4).c_str());
      if (year > spec.max_year) return Fail("cell.date", "日期晚于今年", "date is in a future year");
      if (year < spec.min_year) {
        return Fail("cell.date", fmt::format("日期早于{}年，不可信", spec.min_year),
                    fmt::format("a date before {} is implausible", spec.min_year));
      }
      return ParsedCell{std::move(*d), std::nullopt};
    }
    case ColumnType::kBool: {
      // The usual spellings, without folding (each is already its own folded, lower-case form).
      if (trimmed == "1" || trimmed == "是" || trimmed == "yes") return ParsedCell{int64_t{1}, std::nullopt};
      if (trimmed == "0" || trimmed == "否" || trimmed == "no") return ParsedCell{int64_t{0}, std::nullopt};
      std::string v = Lower(Clean(trimmed));
      if (v == "1" || v == "yes" || v == "true" || v == "是" || v == "y") return ParsedCell{int64_t{1}, std::nullopt};
      if (v == "0" || v == "no" || v == "false" || v == "否" || v == "n") return ParsedCell{int64_t{0}, std::nullopt};
      return Fail("cell.bool", "应为是/否（1/0、yes/no、true/false、Y/N）",
                  "expected yes/no (1/0, yes/no, true/false, 是/否, Y/N)");
    }
    case ColumnType::kCount:
      return ParseNumberAsInteger(spec, trimmed, 0, false);
    case ColumnType::kMoney:
      return ParseNumberAsInteger(spec, trimmed, spec.money_exponent, false);
    case ColumnType::kSignedMoney:
      return ParseNumberAsInteger(spec, trimmed, spec.money_exponent, true);
    case ColumnType::kEnum: {
      std::string v = Lower(Clean(trimmed));
      std::string allowed;
      for (const EnumOption& opt : col.options) {
        for (std::string_view alias : opt.aliases) {
          if (v == alias) return ParsedCell{std::string(opt.stored), std::nullopt};
          if (!allowed.empty()) allowed += " / ";
          allowed += alias;
        }
      }
      return Fail("cell.enum", "应为：" + allowed, "expected one of: " + allowed);
    }
    case ColumnType::kLatitude:
    case ColumnType::kLongitude: {
      auto d = number::ParseDecimal(trimmed);
      if (!d) return Fail("cell.number", "不是数字", "not a number");
      std::string plain =
          (d->negative ? "-" : "") + d->int_digits + (d->frac_digits.empty() ? "" : "." + d->frac_digits);
      double deg = std::strtod(plain.c_str(), nullptr);
      bool lat = col.type == ColumnType::kLatitude;
      // China's bounding box, generously: lat 3.5–54, lon 73–136.
      if (lat ? (deg < 3.5 || deg > 54.0) : (deg < 73.0 || deg > 136.0)) {
        return Fail("geo.range", lat ? "纬度不在中国范围内（3.5–54）" : "经度不在中国范围内（73–136）",
                    lat ? "latitude outside China (3.5-54)" : "longitude outside China (73-136)");
      }
      return ParsedCell{deg, std::nullopt};
    }
    case ColumnType::kScore: {
      auto d = number::ParseDecimal(trimmed);
      if (!d) return Fail("cell.number", "不是数字", "not a number");
      std::string plain =
          (d->negative ? "-" : "") + d->int_digits + (d->frac_digits.empty() ? "" : "." + d->frac_digits);
      double score = std::strtod(plain.c_str(), nullptr);
      if (score < 0.0 || score > 100.0) return Fail("cell.score", "评分应在0–100之间", "a score must be within 0-100");
      return ParsedCell{score, std::nullopt};
    }
  }
  return {};
}

}  // namespace clusterscope::importer
