// Reading a file that must be small (an evaluation scheme, a configuration): at most `max_bytes`
// are read, so `/dev/zero`, a FIFO or a huge file is refused instead of read without end.
#pragma once

#include <cstddef>
#include <string>

#include "clusterscope/status.h"

namespace clusterscope::core {

// The file's bytes; kNotFound when it cannot be opened, kInvalidInput (naming the limit) when it
// holds more than `max_bytes` or is a directory. Reads with read(2), so any kind of file works.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes);

}  // namespace clusterscope::core
