// A thin layer over libxlsxwriter for the workbooks officials exchange: typed cells with proper
// number formats, a bold frozen header row, column widths from the content (CJK counted double).
#pragma once

#include <xlsxwriter.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"

namespace clusterscope::exports {

enum class NumberStyle {
  kInteger,  // #,##0
  kMoney,    // #,##0.00 (the header states the unit)
  kPercent,  // 0.0% (value is a fraction)
  kDecimal,  // 0.00
  kYear,     // 0, no separator
  kGeneral,  // Excel's General: every digit the value has (indices such as γ = 0.0012)
};

class Book;

class Sheet {
 public:
  // Header cells in row 0, bold, frozen.
  void Header(const std::vector<std::string>& cells);
  void Text(uint32_t row, uint16_t col, std::string_view text, bool wrap = false);
  void Number(uint32_t row, uint16_t col, std::optional<double> value, NumberStyle style);
  // Column widths from what was written (called by Book::Close).
  void FitColumns();

 private:
  friend class Book;
  Sheet(Book* book, lxw_worksheet* ws) : book_(book), ws_(ws) {}
  void Track(uint16_t col, size_t width);
  Book* book_;
  lxw_worksheet* ws_;
  std::vector<size_t> widths_;
};

class Book {
 public:
  static Result<Book> Create(const std::string& path);
  Book(Book&& other) noexcept;
  Book& operator=(Book&&) = delete;
  Book(const Book&) = delete;
  ~Book();

  Sheet& AddSheet(const std::string& name);
  // Writes the file; kEnvironment naming the path if it cannot.
  Status Close();

 private:
  friend class Sheet;
  Book(std::string path, lxw_workbook* wb);
  lxw_format* Format(NumberStyle style);
  std::string path_;
  lxw_workbook* wb_ = nullptr;
  lxw_format* bold_ = nullptr;
  lxw_format* wrap_ = nullptr;
  lxw_format* formats_[5] = {};
  std::vector<std::unique_ptr<Sheet>> sheets_;
};

// Display width of UTF-8 text in a spreadsheet column: CJK and other wide characters count 2.
size_t CellWidth(std::string_view text);

}  // namespace clusterscope::exports
