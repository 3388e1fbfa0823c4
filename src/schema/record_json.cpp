#include "schema/record_json.h"

#include <fmt/format.h>
#include <cstdlib>

#include "clusterscope/format.h"
#include "core/number.h"
#include "io/csv_writer.h"
#include "io/table_reader.h"

namespace clusterscope {
namespace {

bool IsMoney(ColumnType t) { return t == ColumnType::kMoney || t == ColumnType::kSignedMoney; }

// 12345678 → "12,345,678" (digits of the integer part only).
std::string GroupThousands(const std::string& plain) {
  size_t start = plain.starts_with('-') ? 1 : 0;
  size_t dot = plain.find('.');
  size_t int_end = dot == std::string::npos ? plain.size() : dot;
  std::string out = plain.substr(0, start);
  for (size_t i = start; i < int_end; ++i) {
    if (i > start && (int_end - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[i]);
  }
  out += plain.substr(int_end);
  return out;
}

}  // namespace

nlohmann::ordered_json RecordToJson(const KindDef& def, const Record& record) {
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const ColumnDef& col = def.columns[i];
    const Value& v = record[i];
    if (IsNull(v)) {
      obj[std::string(col.id)] = nullptr;
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      if (IsMoney(col.type)) {
        obj[std::string(col.id)] = schema::YuanJson(*n);
      } else if (col.type == ColumnType::kBool) {
        obj[std::string(col.id)] = *n != 0;
      } else {
        obj[std::string(col.id)] = *n;
      }
    } else if (const auto* d = std::get_if<double>(&v)) {
      obj[std::string(col.id)] = *d;
    } else {
      obj[std::string(col.id)] = std::get<std::string>(v);
    }
  }
  return obj;
}

std::string FormatCell(const ColumnDef& column, const Value& value, CellStyle style, Lang lang) {
  if (IsNull(value)) return "";
  if (const auto* n = std::get_if<int64_t>(&value)) {
    if (IsMoney(column.type)) {
      if (style == CellStyle::kMachine) return number::FormatScaled(*n, kMoneyScale);
      // 万元 with two decimals: 1 万元 = 10,000 yuan = 1,000,000 fen; round half away from zero.
      int64_t hundredths = (*n >= 0 ? *n + 5000 : *n - 5000) / 10000;
      std::string s = number::FormatScaled(hundredths, 2);
      if (s.find('.') == std::string::npos)
        s += ".00";
      else if (s.size() - s.find('.') == 2)
        s += "0";
      return GroupThousands(s);
    }
    if (column.type == ColumnType::kBool) {
      if (style == CellStyle::kMachine) return *n != 0 ? "1" : "0";
      return std::string(*n != 0 ? Pick(lang, "是", "yes") : Pick(lang, "否", "no"));
    }
    if (column.type == ColumnType::kCount && style == CellStyle::kHuman) return GroupThousands(std::to_string(*n));
    return std::to_string(*n);
  }
  if (const auto* d = std::get_if<double>(&value)) {
    return fmt::format("{}", *d);  // shortest form that reads back to the same double
  }
  return std::get<std::string>(value);
}

std::string ColumnHeader(const ColumnDef& column, CellStyle style, Lang lang) {
  if (style == CellStyle::kMachine) {
    return IsMoney(column.type) ? std::string(column.id) + "(元)" : std::string(column.id);
  }
  std::string label(lang == Lang::kZh ? column.zh : column.id);
  if (IsMoney(column.type)) label += lang == Lang::kZh ? "(万元)" : " (10k yuan)";
  return label;
}

std::string ToCsvLine(const std::vector<std::string>& cells) { return io::SpreadsheetCsvLine(cells); }

namespace schema {

nlohmann::ordered_json YuanJson(int64_t fen) {
  if (fen % 100 == 0) return fen / 100;
  // Exact in the JSON text below 2^53 fen: the shortest double that prints as this decimal.
  return std::strtod(number::FormatScaled(fen, kMoneyScale).c_str(), nullptr);
}

std::string RecordToStoredJson(const KindDef& def, const Record& record) {
  nlohmann::json obj = nlohmann::json::object();
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const Value& v = record[i];
    std::string id(def.columns[i].id);
    if (IsNull(v))
      obj[id] = nullptr;
    else if (const auto* n = std::get_if<int64_t>(&v))
      obj[id] = *n;
    else if (const auto* d = std::get_if<double>(&v))
      obj[id] = *d;
    else
      obj[id] = std::get<std::string>(v);
  }
  return obj.dump();
}

Record RecordFromStoredJson(const KindDef& def, const std::string& json) {
  nlohmann::json obj = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  Record record(def.columns.size());
  if (!obj.is_object()) return record;
  for (size_t i = 0; i < def.columns.size(); ++i) {
    auto it = obj.find(std::string(def.columns[i].id));
    if (it == obj.end() || it->is_null()) continue;
    if (it->is_number_integer())
      record[i] = it->get<int64_t>();
    else if (it->is_number())
      record[i] = it->get<double>();
    else if (it->is_string())
      record[i] = it->get<std::string>();
  }
  return record;
}

}  // namespace schema
bool IsValidUtf8(std::string_view bytes) { return io::IsValidUtf8(bytes); }

}  // namespace clusterscope
