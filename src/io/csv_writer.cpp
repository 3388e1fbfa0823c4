#include "io/csv_writer.h"

namespace clusterscope::io {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool NeedsQuotes(std::string_view cell) {
  if (cell.empty()) return false;
  if (IsBlank(cell.front()) || IsBlank(cell.back())) return true;
  return cell.find_first_of(",\"\r\n") != std::string_view::npos;
}

void AppendCell(std::string_view cell, std::string& out) {
  if (!NeedsQuotes(cell)) {
    out += cell;
    return;
  }
  out += '"';
  for (const char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string CsvCell(std::string_view cell) {
  std::string out;
  AppendCell(cell, out);
  return out;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    AppendCell(cells[i], out);
  }
  out += '\n';
  return out;
}

}  // namespace clusterscope::io
