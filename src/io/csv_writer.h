// Writing CSV (RFC 4180) for `--errors OUT.csv` and `--format csv`: UTF-8, `,`-separated, LF line
// ends. Only cells that need it are quoted, so typical output stays readable as plain text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace clusterscope::io {

// `cell` as one CSV field: quoted (with `"` doubled) when it contains `,` `"` CR or LF, or starts
// or ends with a space or tab (which spreadsheet programs would otherwise trim); else as is.
std::string CsvCell(std::string_view cell);

// The cells as one CSV record, joined with `,` and ending in "\n". For files read back by programs
// (the import files `generate` writes): cells exactly as given.
std::string CsvLine(const std::vector<std::string>& cells);

// As CsvLine, for CSV that people open in a spreadsheet (`--errors`, `--format csv`): a cell that
// a spreadsheet would run as a formula — one starting with `=`, `+`, `-` or `@` that is not a plain
// number, or with a tab, CR or other control character — gets a leading apostrophe `'`, which
// spreadsheets show as text (docs/cli.md, "CSV output"). Numbers such as -3.5 stay numbers.
std::string SpreadsheetCsvLine(const std::vector<std::string>& cells);

}  // namespace clusterscope::io
