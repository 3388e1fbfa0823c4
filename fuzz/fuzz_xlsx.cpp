// libFuzzer: the .xlsx reader (zip, CRC, limits, streaming XML) on arbitrary bytes. Seeds are the
// workbooks under tests/data; libFuzzer's mutations then damage their archives and XML.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/reader_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clusterscope::io;
  ReadProblem problem;
  auto reader = internal::OpenXlsx("fuzz.xlsx", std::string(reinterpret_cast<const char*>(data), size),
                                   TableReadOptions{}, &problem);
  if (!reader.ok()) return 0;
  TableRow row;
  while (true) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
  }
  return 0;
}
