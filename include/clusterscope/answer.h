// What a use case answers, in the one shape every front end renders: an aligned table for people
// (the CLI; the dashboard draws its own page from the JSON), JSON and CSV for programs — built from
// the same rows in one place, so `--format json` on the command line and the API's body agree.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace clusterscope {

enum class Format { kTable, kJson, kCsv };

// The implicit moves are nlohmann::json's, which are noexcept: clang-tidy 14 follows the assertions
// inside them and reports an exception escaping, which cannot happen.
struct Answer {  // NOLINT(bugprone-exception-escape)
  // For people, in the request's language.
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string footer;  // a last line under the table ("共60条"), or empty
  // For programs: stable column ids, machine-style cells (CSV is neutralised for spreadsheets).
  std::vector<std::string> csv_header;
  std::vector<std::vector<std::string>> csv_rows;
  // For people, when one table does not say it all (a diagnosis with its sections, a brief's
  // prose, a qualification with its criteria): the whole page, which the table format prints
  // instead of header/rows/footer (those still hold the answer's main table).
  std::string text;
  // What the user should know beside the answer (a what-if, a cluster without members): the CLI
  // prints each on stderr, a server may send them as warnings.
  std::vector<std::string> notes;
  // An array (one element per row) or an object.
  nlohmann::ordered_json json;
  // Arrays of flat rows are written one compact object a line (easy to grep and to stream);
  // anything else is indented.
  bool json_one_row_per_line = false;
};

// The answer as `format` renders it, ending in a newline.
std::string Render(const Answer& answer, Format format);

// Display width of UTF-8 text in a terminal: East Asian wide characters count 2.
size_t DisplayWidth(const std::string& s);
// Header and rows as an aligned plain-text table, columns separated by two spaces.
std::string RenderTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace clusterscope
