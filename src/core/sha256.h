// SHA-256 (FIPS 180-4), for the import log's record of exactly which file was imported.
#pragma once

#include <string>
#include <string_view>

#include "clusterscope/status.h"

namespace clusterscope::sha256 {

// Lower-case hex digest of `data`.
std::string Hex(std::string_view data);
// Lower-case hex digest of the file at `path` (kEnvironment if it cannot be read).
Result<std::string> FileHex(const std::string& path);

}  // namespace clusterscope::sha256
