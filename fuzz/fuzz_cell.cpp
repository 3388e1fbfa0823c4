// libFuzzer: the cell parser for every column of every kind. The first byte picks the column,
// the rest is the cell.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "clusterscope/schema.h"
#include "importer/cell_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clusterscope;
  static const std::vector<importer::CellSpec> specs = [] {
    std::vector<importer::CellSpec> all;
    for (Kind kind : kAllKinds) {
      for (const ColumnDef& column : Describe(kind).columns) {
        for (int exponent : {2, 5, 6, 10}) all.push_back(importer::CellSpec{&column, exponent, 1900, 2030});
      }
    }
    return all;
  }();
  if (size == 0) return 0;
  const importer::CellSpec& spec = specs[data[0] % specs.size()];
  const std::string_view cell(reinterpret_cast<const char*>(data + 1), size - 1);
  importer::ParsedCell parsed = importer::ParseCell(spec, cell);
  if (parsed.issue && parsed.issue->rule.empty()) __builtin_trap();  // every refusal names its rule
  (void)importer::ParseDateOrYear(cell);
  return 0;
}
