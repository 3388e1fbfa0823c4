// The files the server sends outside /api: compiled into the binary, looked up by exact path, so
// no request can name a file on disk (no path traversal to guard against). The dashboard (web/,
// built by Vite) is embedded at build time by embed_web.cmake; a build without it serves a
// bilingual placeholder page at / that says how to build the dashboard.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace clusterscope::server {

struct StaticFile {
  std::string_view path;  // "/index.html", "/assets/index-1a2b3c.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view gzip;  // the same bytes gzipped, for text of 1 KB or more; else empty
};

// The embedded file at exactly `path` ("/" is /index.html), or nullptr.
const StaticFile* FindStaticFile(const std::string& path);

// The dashboard's files as built (web_assets.cpp, generated): empty when it was not built.
std::span<const StaticFile> EmbeddedFiles();

}  // namespace clusterscope::server
