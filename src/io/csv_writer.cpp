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

// "-3.5", "+12", "-1e-3": what a spreadsheet reads as a number, never a formula.
bool IsPlainNumber(std::string_view cell) {
  size_t i = 0;
  if (i < cell.size() && (cell[i] == '-' || cell[i] == '+')) ++i;
  bool digits = false;
  bool dot = false;
  bool exp = false;
  for (; i < cell.size(); ++i) {
    const char c = cell[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      digits = false;
      if (i + 1 < cell.size() && (cell[i + 1] == '-' || cell[i + 1] == '+')) ++i;
    } else {
      return false;
    }
  }
  return digits;
}

bool RunsAsFormula(std::string_view cell) {
  if (cell.empty()) return false;
  const auto c = static_cast<unsigned char>(cell.front());
  if (c < 0x20 || c == 0x7F) return true;
  if (c != '=' && c != '+' && c != '-' && c != '@') return false;
  return !IsPlainNumber(cell);
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

std::string SpreadsheetCsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    if (RunsAsFormula(cells[i])) {
      AppendCell("'" + cells[i], out);
    } else {
      AppendCell(cells[i], out);
    }
  }
  out += '\n';
  return out;
}

}  // namespace clusterscope::io
