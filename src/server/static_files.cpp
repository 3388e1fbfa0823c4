#include "server/static_files.h"

#include <array>

namespace clusterscope::server {
namespace {

// No inline script or style: the Content-Security-Policy (default-src 'self') forbids them.
constexpr std::string_view kPlaceholder = R"html(<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>clusterscope 创新型产业集群监测评价系统</title>
</head>
<body>
<h1>clusterscope</h1>
<p>创新型产业集群监测评价系统 — 本程序构建时未包含仪表盘。接口见 <code>/api/v1</code>（docs/server.md）。
构建仪表盘：运行 <code>scripts/install-deps.sh</code>（或在 <code>web/</code> 中运行 <code>npm ci</code>），再重新构建（docs/dashboard.md）。</p>
<p lang="en">Innovation cluster monitoring and evaluation — this binary was built without the dashboard.
The JSON API is under <code>/api/v1</code> (docs/server.md). To build the dashboard, run
<code>scripts/install-deps.sh</code> (or <code>npm ci</code> in <code>web/</code>) and build again
(docs/dashboard.md).</p>
</body>
</html>
)html";

constexpr std::array<StaticFile, 2> kPlaceholderFiles = {{
    {"/", "text/html; charset=utf-8", kPlaceholder, {}},
    {"/index.html", "text/html; charset=utf-8", kPlaceholder, {}},
}};

}  // namespace

const StaticFile* FindStaticFile(const std::string& path) {
  const std::span<const StaticFile> files = EmbeddedFiles();
  if (files.empty()) {
    for (const StaticFile& f : kPlaceholderFiles) {
      if (f.path == path) return &f;
    }
    return nullptr;
  }
  const std::string_view wanted = path == "/" ? std::string_view("/index.html") : std::string_view(path);
  for (const StaticFile& f : files) {
    if (f.path == wanted) return &f;
  }
  return nullptr;
}

}  // namespace clusterscope::server
