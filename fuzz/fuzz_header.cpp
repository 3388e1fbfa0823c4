// libFuzzer: header mapping. The first byte picks the kind and the flag, the rest is the header
// row, cells separated by '\n'.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/schema.h"
#include "importer/header_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clusterscope;
  if (size == 0) return 0;
  const Kind kind = kAllKinds[(data[0] & 0x7F) % std::size(kAllKinds)];
  const bool ignore_unknown = (data[0] & 0x80) != 0;
  std::vector<std::string> header;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  while (true) {
    const size_t cut = rest.find('\n');
    header.emplace_back(rest.substr(0, cut));
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  std::vector<Problem> problems;
  const importer::HeaderMap map =
      importer::MapHeader(Describe(kind), header, ignore_unknown, "fuzz.csv", 1, 2025, problems);
  for (size_t f = 0; f < map.target_of_file_column.size(); ++f) {
    const int target = map.target_of_file_column[f];
    if (target >= 0 && map.file_column_of_target[static_cast<size_t>(target)] != static_cast<int>(f)) __builtin_trap();
  }
  return 0;
}
