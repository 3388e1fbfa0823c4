// libFuzzer: the evaluation scheme loader (src/evaluation, through its public ParseScheme) on
// arbitrary TOML text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clusterscope/evaluation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace clusterscope;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)ParseScheme(text, "fuzz.toml", Lang::kEn);
  return 0;
}
