#include "server/indicator_json.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

namespace clusterscope::server {
namespace {
// Numbers go through nlohmann's own formatting (integers in decimal, doubles by its to_chars, the
// function dump() calls, non-finite as null), strings through the escaping dump() does with
// ensure_ascii off.

// True for well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF).
bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the first continuation byte's range
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= n; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += n + 1;
  }
  return true;
}

bool AppendJsonString(std::string& out, std::string_view s) {
  if (!ValidUtf8(s)) return false;
  out += '"';
  size_t plain = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += fmt::format("\\u{:04x}", c);
        break;
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
  return true;
}

void AppendJsonInt(std::string& out, int64_t n) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

void AppendJsonDouble(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  std::array<char, 64> buf;  // as nlohmann's serializer::dump_float
  char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), x);
  out.append(buf.data(), end);
}

// A string's JSON as the last row wrote it: the rows of one entity repeat its id and name, so each
// is checked and escaped once per entity, not once per row (a tenth of the computed path).
struct Repeated {
  std::string_view raw;
  std::string json;
  bool known = false;
  bool Append(std::string& out, std::string_view s) {
    if (!known || s != raw) {
      json.clear();
      if (!AppendJsonString(json, s)) return false;
      raw = s;
      known = true;
    }
    out += json;
    return true;
  }
};

// One row, keys in IndicatorValueToJson's order; false (and `out` half written) for invalid UTF-8.
bool AppendIndicatorRow(std::string& out, const IndicatorValue& v, Repeated& id, Repeated& name) {
  out += "{\"entity\":";
  if (!AppendJsonString(out, EntityKindId(v.entity.kind))) return false;
  out += ",\"id\":";
  if (!id.Append(out, v.entity.id)) return false;
  out += ",\"name\":";
  if (!name.Append(out, v.entity_name)) return false;
  out += ",\"year\":";
  AppendJsonInt(out, v.year);
  out += ",\"indicator\":";
  if (!AppendJsonString(out, v.indicator->id)) return false;
  out += ",\"value\":";
  if (v.integer) {
    if (v.indicator->unit == IndicatorUnit::kYuan && *v.integer % 100 != 0) {
      // Yuan with fen: the tree holds strtod of the exact decimal, the double nearest fen / 100,
      // which is what the division gives while fen converts to a double exactly.
      constexpr int64_t kExact = int64_t{1} << 53;
      if (*v.integer >= kExact || *v.integer <= -kExact) return false;
      AppendJsonDouble(out, static_cast<double>(*v.integer) / 100.0);
    } else if (v.indicator->unit == IndicatorUnit::kYuan) {
      AppendJsonInt(out, *v.integer / 100);
    } else {
      AppendJsonInt(out, *v.integer);
    }
  } else if (v.real) {
    AppendJsonDouble(out, *v.real);
  } else {
    out += "null,\"reason\":";
    if (!AppendJsonString(out, NullReasonId(v.reason))) return false;
  }
  out += ",\"unit\":";
  if (!AppendJsonString(out, UnitId(v.indicator->unit))) return false;
  out += ",\"coverage\":";
  AppendJsonDouble(out, v.coverage);
  out += '}';
  return true;
}
}  // namespace

bool AppendIndicatorRowsJson(std::string& out, std::span<const IndicatorValue> values) {
  out.reserve(out.size() + 256 * values.size() + 2);
  out += '[';
  Repeated id, name;  // views into `values`, which outlive the loop
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    if (!AppendIndicatorRow(out, values[i], id, name)) return false;
  }
  out += ']';
  return true;
}

}  // namespace clusterscope::server
