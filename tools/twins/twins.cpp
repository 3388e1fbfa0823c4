// cs_twins: a developer tool that writes the "twins" of UTF-8 CSV test files — the same table as
// a GB18030 CSV (what Excel on a Chinese Windows saves) and as an .xlsx workbook — so that tests
// can check that every input format imports to exactly the same result.
//
//   cs_twins --out-gb18030 DIR --out-xlsx DIR file1.csv [file2.csv ...]
//
// Twins keep every row number: blank rows of the input stay blank rows (empty lines in the CSV,
// missing rows in the workbook), so error reports name the same rows for all three files.

#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "clusterscope/status.h"
#include "io/csv_writer.h"
#include "io/reader_internal.h"
#include "io/table_reader.h"

namespace clusterscope::io {
namespace {

namespace fs = std::filesystem;

// Above this input size the workbook is written in libxlsxwriter's constant-memory mode, which
// stores strings inline (<is>) rather than in sharedStrings.xml as Excel does; small fixtures keep
// Excel's layout, big benchmark files keep memory bounded.
constexpr uintmax_t kConstantMemoryThreshold = uintmax_t{64} << 20;

// Columns holding codes: "0101" must stay text, or a spreadsheet would show (and store) 101.
constexpr std::array<std::string_view, 10> kCodeColumnPrefixes = {
    "uscc",     "统一社会信用代码", "region_code", "行政区划代码",       "industry_code",
    "行业代码", "zone_id",          "cluster_id",  "leading_industries", "主导产业代码"};

bool IsCodeColumn(std::string_view header) {
  std::string lower(header);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  return std::any_of(kCodeColumnPrefixes.begin(), kCodeColumnPrefixes.end(),
                     [&lower](std::string_view prefix) { return lower.starts_with(prefix); });
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ^-?[0-9]+(\.[0-9]+)?$ without leading zeros (except "0" and "0.x"), and only if reading the
// number back as Excel shows it (15 significant digits, no trailing zeros) gives the same text:
// "1.50" or a 17-digit number stored as a number would come back different, and twins must read
// back cell for cell identical to their source.
bool IsPlainNumber(std::string_view cell, double& value) {
  std::string_view digits = cell;
  if (digits.starts_with('-')) digits.remove_prefix(1);
  const size_t point = digits.find('.');
  const std::string_view integer = digits.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : digits.substr(point + 1);
  if (integer.empty() || !std::all_of(integer.begin(), integer.end(), IsDigit)) return false;
  if (integer.size() > 1 && integer.front() == '0') return false;
  if (point != std::string_view::npos &&
      (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), IsDigit))) {
    return false;
  }
  const auto formatted = internal::FormatExcelNumberText(cell);
  if (!formatted || *formatted != cell) return false;
  return std::from_chars(cell.data(), cell.data() + cell.size(), value).ec == std::errc();
}

// Excel's rules for sheet names: at most 31 characters, none of []:*?/\ and no leading or
// trailing apostrophe.
std::string SheetNameFor(const fs::path& input) {
  const std::string stem = input.stem().string();
  std::string name;
  size_t characters = 0;
  for (size_t i = 0; i < stem.size() && characters < LXW_SHEETNAME_MAX;) {
    size_t length = 1;
    const auto lead = static_cast<unsigned char>(stem[i]);
    if (lead >= 0xF0) {
      length = 4;
    } else if (lead >= 0xE0) {
      length = 3;
    } else if (lead >= 0xC0) {
      length = 2;
    }
    const std::string_view character = std::string_view(stem).substr(i, length);
    name += character.size() == 1 && std::string_view("[]:*?/\\").find(character[0]) != std::string_view::npos
                ? std::string_view("_")
                : character;
    i += length;
    ++characters;
  }
  while (name.starts_with('\'')) name.erase(0, 1);
  while (name.ends_with('\'')) name.pop_back();
  return name.empty() ? "Sheet1" : name;
}

struct WorkbookCloser {
  void operator()(lxw_workbook* workbook) const { workbook_close(workbook); }
};
using WorkbookPtr = std::unique_ptr<lxw_workbook, WorkbookCloser>;

class GbCsvWriter {
 public:
  Status Open(const fs::path& path) {
    path_ = path;
    out_.open(path, std::ios::binary | std::ios::trunc);
    if (!out_) return Status::Environment(fmt::format("cannot create {}", path.string()));
    return Status::Ok();
  }

  Status WriteRow(int64_t row_number, const std::vector<std::string>& cells) {
    for (; rows_written_ + 1 < row_number; ++rows_written_) pending_ += "\r\n";
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) pending_ += ',';
      pending_ += CsvCell(cells[i]);
    }
    pending_ += "\r\n";  // as Excel writes
    ++rows_written_;
    return pending_.size() >= (size_t{1} << 20) ? Flush() : Status::Ok();
  }

  Status Close() {
    CS_RETURN_IF_ERROR(Flush());
    out_.close();
    if (!out_) return Status::Environment(fmt::format("cannot write {}", path_.string()));
    return Status::Ok();
  }

 private:
  Status Flush() {
    // Rows end in CRLF, so a flush point is always a character boundary.
    auto encoded = Utf8ToGb18030(pending_);
    if (!encoded.ok()) return encoded.status().WithContext(path_.string());
    out_.write(encoded->data(), static_cast<std::streamsize>(encoded->size()));
    pending_.clear();
    if (!out_) return Status::Environment(fmt::format("cannot write {}", path_.string()));
    return Status::Ok();
  }

  fs::path path_;
  std::ofstream out_;
  std::string pending_;
  int64_t rows_written_ = 0;
};

class XlsxWriter {
 public:
  Status Open(const fs::path& path, const std::string& sheet_name, bool constant_memory) {
    path_ = path;
    lxw_workbook_options options{};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    options.use_zip64 = LXW_TRUE;
    workbook_.reset(workbook_new_opt(path.string().c_str(), &options));
    if (workbook_ == nullptr) {
      return Status::Environment(fmt::format("cannot create {}", path.string()));
    }
    sheet_ = workbook_add_worksheet(workbook_.get(), sheet_name.c_str());
    if (sheet_ == nullptr) {
      return Status::Internal(fmt::format("{}: libxlsxwriter refused the sheet name '{}'", path.string(), sheet_name));
    }
    return Status::Ok();
  }

  Status WriteRow(int64_t row_number, const std::vector<std::string>& cells, const std::vector<bool>& code_columns) {
    if (row_number > LXW_ROW_MAX || cells.size() > LXW_COL_MAX) {
      return Status::InvalidInput(
          fmt::format("{}: row {}: beyond Excel's limits of {} rows and "
                      "{} columns",
                      path_.string(), row_number, LXW_ROW_MAX, LXW_COL_MAX));
    }
    const auto row = static_cast<lxw_row_t>(row_number - 1);
    for (size_t i = 0; i < cells.size(); ++i) {
      const auto column = static_cast<lxw_col_t>(i);
      const bool is_code = i < code_columns.size() && code_columns[i];
      double number = 0;
      const lxw_error error = !is_code && IsPlainNumber(cells[i], number)
                                  ? worksheet_write_number(sheet_, row, column, number, nullptr)
                                  : worksheet_write_string(sheet_, row, column, cells[i].c_str(), nullptr);
      if (error != LXW_NO_ERROR) {
        return Status::InvalidInput(
            fmt::format("{}: row {}, column {}: {}", path_.string(), row_number, i + 1, lxw_strerror(error)));
      }
    }
    return Status::Ok();
  }

  Status Close() {
    const lxw_error error = workbook_close(workbook_.release());
    if (error != LXW_NO_ERROR) {
      return Status::Environment(fmt::format("cannot write {}: {}", path_.string(), lxw_strerror(error)));
    }
    return Status::Ok();
  }

 private:
  fs::path path_;
  WorkbookPtr workbook_;
  lxw_worksheet* sheet_ = nullptr;  // owned by workbook_
};

Status WriteTwins(const fs::path& input, const std::string& gb_dir, const std::string& xlsx_dir) {
  CS_ASSIGN_OR_RETURN(std::unique_ptr<TableReader> reader, TableReader::Open(input.string()));
  const std::vector<std::string>& header = reader->header();
  std::vector<bool> code_columns;
  code_columns.reserve(header.size());
  for (const std::string& name : header) code_columns.push_back(IsCodeColumn(name));

  const fs::path name = input.stem();
  GbCsvWriter gb_writer;
  XlsxWriter xlsx_writer;
  if (!gb_dir.empty()) {
    CS_RETURN_IF_ERROR(gb_writer.Open(fs::path(gb_dir) / fs::path(name).concat(".csv")));
  }
  if (!xlsx_dir.empty()) {
    std::error_code size_error;
    const uintmax_t input_size = fs::file_size(input, size_error);
    CS_RETURN_IF_ERROR(xlsx_writer.Open(fs::path(xlsx_dir) / fs::path(name).concat(".xlsx"), SheetNameFor(input),
                                        !size_error && input_size > kConstantMemoryThreshold));
  }
  auto write = [&](int64_t row_number, const std::vector<std::string>& cells) -> Status {
    if (!gb_dir.empty()) CS_RETURN_IF_ERROR(gb_writer.WriteRow(row_number, cells));
    if (!xlsx_dir.empty()) CS_RETURN_IF_ERROR(xlsx_writer.WriteRow(row_number, cells, code_columns));
    return Status::Ok();
  };
  CS_RETURN_IF_ERROR(write(1, header));
  TableRow row;
  while (true) {
    CS_ASSIGN_OR_RETURN(const bool got, reader->Next(row));
    if (!got) break;
    CS_RETURN_IF_ERROR(write(row.row_number, row.cells));
  }
  if (!gb_dir.empty()) CS_RETURN_IF_ERROR(gb_writer.Close());
  if (!xlsx_dir.empty()) CS_RETURN_IF_ERROR(xlsx_writer.Close());
  return Status::Ok();
}

constexpr std::string_view kUsage =
    "usage: cs_twins [--out-gb18030 DIR] [--out-xlsx DIR] FILE.csv...\n"
    "Writes each UTF-8 CSV again as DIR/NAME.csv in GB18030 (CRLF) and as DIR/NAME.xlsx.\n";

int Main(int argc, char** argv) {
  std::string gb_dir;
  std::string xlsx_dir;
  std::vector<std::string> inputs;
  const std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--out-gb18030" || arg == "--out-xlsx") {
      if (i + 1 >= args.size()) {
        std::cerr << "cs_twins: " << arg << " needs a directory\n" << kUsage;
        return 2;
      }
      (arg == "--out-gb18030" ? gb_dir : xlsx_dir) = args[++i];
    } else if (arg.starts_with("--")) {
      std::cerr << "cs_twins: unknown option " << arg << "\n" << kUsage;
      return 2;
    } else {
      inputs.push_back(arg);
    }
  }
  if (inputs.empty() || (gb_dir.empty() && xlsx_dir.empty())) {
    std::cerr << kUsage;
    return 2;
  }
  for (const std::string& dir : {gb_dir, xlsx_dir}) {
    std::error_code error;
    if (!dir.empty() && !fs::create_directories(dir, error) && error) {
      std::cerr << "cs_twins: cannot create " << dir << ": " << error.message() << "\n";
      return 3;
    }
  }
  for (const std::string& input : inputs) {
    const Status status = WriteTwins(input, gb_dir, xlsx_dir);
    if (!status.ok()) {
      std::cerr << "cs_twins: " << status.ToString() << "\n";
      return ExitCodeFor(status);
    }
  }
  return 0;
}

}  // namespace
}  // namespace clusterscope::io

int main(int argc, char** argv) { return clusterscope::io::Main(argc, argv); }
