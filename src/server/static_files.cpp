#include "server/static_files.h"

#include <array>

namespace clusterscope::server {
namespace {

// No inline script or style: the Content-Security-Policy (default-src 'self') forbids them.
constexpr std::string_view kIndex = R"html(<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>clusterscope 创新型产业集群监测评价系统</title>
</head>
<body>
<h1>clusterscope</h1>
<p>创新型产业集群监测评价系统 — 接口见 <code>/api/v1</code>（docs/server.md）。仪表盘即将推出。</p>
<p lang="en">Innovation cluster monitoring and evaluation — the JSON API is under <code>/api/v1</code>
(docs/server.md). The dashboard comes later.</p>
</body>
</html>
)html";

constexpr std::array<StaticFile, 2> kFiles = {{
    {"/", "text/html; charset=utf-8", kIndex},
    {"/index.html", "text/html; charset=utf-8", kIndex},
}};

}  // namespace

const StaticFile* FindStaticFile(const std::string& path) {
  for (const StaticFile& f : kFiles) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace clusterscope::server
