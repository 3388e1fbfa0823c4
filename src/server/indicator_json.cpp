#include "server/indicator_json.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "clusterscope/format.h"

namespace clusterscope::server {
namespace {
// Numbers go through nlohmann's own formatting (integers in decimal, doubles by its to_chars, the
// function dump() calls, non-finite as null), strings through the escaping dump() does with
// ensure_ascii off.

bool AppendJsonString(std::string& out, std::string_view s) {
  if (!IsValidUtf8(s)) return false;
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
