// libFuzzer: the CSV reader (encoding detection, quoting, limits) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/reader_internal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clusterscope::io;
  ReadProblem problem;
  auto reader = internal::OpenCsv("fuzz.csv", std::string(reinterpret_cast<const char*>(data), size), &problem);
  if (!reader.ok()) return 0;
  TableRow row;
  size_t rows = 0;
  while (true) {
    auto more = (*reader)->Next(row);
    if (!more.ok() || !*more) break;
    ++rows;
  }
  (void)(*reader)->bytes_done();
  return rows > 0 ? 0 : 0;
}
