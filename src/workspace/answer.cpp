#include "clusterscope/answer.h"

#include <algorithm>

#include "clusterscope/format.h"

namespace clusterscope {
namespace {

bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  size_t width = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
    for (int k = 1; k < len && i + static_cast<size_t>(k) < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3Fu);
    }
    i += static_cast<size_t>(len);
    width += IsWide(cp) ? 2 : 1;
  }
  return width;
}

std::string RenderTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto line = [&](const std::vector<std::string>& row) {
    std::string out;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      out += cell;
      if (i + 1 < widths.size()) out.append(widths[i] - DisplayWidth(cell) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header);
  std::vector<std::string> rule;
  for (size_t w : widths) rule.emplace_back(w, '-');
  out += line(rule);
  for (const auto& r : rows) out += line(r);
  return out;
}

std::string Render(const Answer& answer, Format format) {
  switch (format) {
    case Format::kJson: {
      if (answer.json_one_row_per_line && answer.json.is_array()) {
        std::string out = "[";
        for (size_t i = 0; i < answer.json.size(); ++i) {
          out += i == 0 ? "\n" : ",\n";
          out += answer.json[i].dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        }
        return out + (answer.json.empty() ? "]\n" : "\n]\n");
      }
      // Invalid UTF-8 can only come from a damaged database; replacing it beats aborting.
      return answer.json.dump(1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    }
    case Format::kCsv: {
      std::string out = ToCsvLine(answer.csv_header);
      for (const auto& row : answer.csv_rows) out += ToCsvLine(row);
      return out;
    }
    case Format::kTable:
      if (!answer.text.empty()) return answer.text;
      break;
  }
  std::string out = RenderTable(answer.header, answer.rows);
  if (!answer.footer.empty()) out += answer.footer + "\n";
  return out;
}

}  // namespace clusterscope
