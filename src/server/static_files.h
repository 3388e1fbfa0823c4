// The files the server sends outside /api: compiled into the binary, looked up by exact path, so
// no request can name a file on disk (no path traversal to guard against). The dashboard (web/)
// will be built into this set; for now a small bilingual index page.
#pragma once

#include <string>
#include <string_view>

namespace clusterscope::server {

struct StaticFile {
  std::string_view path;  // "/", "/index.html"
  std::string_view content_type;
  std::string_view body;
};

// The embedded file at exactly `path`, or nullptr.
const StaticFile* FindStaticFile(const std::string& path);

}  // namespace clusterscope::server
