// Rendering rows for people (aligned tables, CJK characters counted as two columns) and for
// programs (JSON, CSV).
#pragma once

#include <string>
#include <vector>

namespace clusterscope::cli {

enum class Format { kTable, kJson, kCsv };

// Display width of UTF-8 text in a terminal: East Asian wide characters count 2.
size_t DisplayWidth(const std::string& s);

// Header and rows as an aligned plain-text table, columns separated by two spaces.
std::string RenderTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace clusterscope::cli
