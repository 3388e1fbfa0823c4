// SHA-256 (FIPS 180-4), for the import log's record of exactly which file was imported.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "clusterscope/status.h"

namespace clusterscope::sha256 {

// A digest built piece by piece, for data too large to hold at once (copy's table checksums).
class Stream {
 public:
  Stream();
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  void Update(std::string_view data);
  // Lower-case hex digest of everything given; the stream is spent.
  std::string Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Lower-case hex digest of `data`.
std::string Hex(std::string_view data);
// Lower-case hex digest of the file at `path` (kEnvironment if it cannot be read).
Result<std::string> FileHex(const std::string& path);

}  // namespace clusterscope::sha256
