// serve [--bind ADDR] [--port N] [--threads N] (api.md "Running it"): the JSON API until SIGTERM
// or SIGINT, then a graceful stop (requests in flight finish).
#include <fmt/format.h>
#include <iostream>

#include "clusterscope/server.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct ServeArgs {
  ServerOptions options;
  std::string listen;
  int body_limit_mib = 64;
  int cache_mib = 64;
};

int RunServe(const Globals& g, ServeArgs a) {
  a.options.db = g.db;
  if (!a.listen.empty()) {
    const size_t colon = a.listen.rfind(':');
    int port = -1;
    if (colon != std::string::npos) {
      try {
        port = std::stoi(a.listen.substr(colon + 1));
      } catch (const std::exception&) {
        port = -1;
      }
    }
    if (colon == std::string::npos || port < 0 || port > 65535) {
      return Fail(g, Status::Usage(fmt::format("--listen {}: expected ADDRESS:PORT, e.g. 127.0.0.1:8080", a.listen)));
    }
    a.options.bind = a.listen.substr(0, colon);
    a.options.port = static_cast<uint16_t>(port);
  }
  a.options.body_limit = static_cast<size_t>(a.body_limit_mib) << 20;
  a.options.cache_bytes = static_cast<size_t>(a.cache_mib) << 20;
  // The data set is read before the address is given out (seconds on a national panel).
  std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "clusterscope 正在读取 {} …\n", "clusterscope reading {} …\n")),
                           RedactedUrl(g.db));
  Status s = ServeUntilSignalled(a.options, [&](const std::string& address) {
    std::cerr << fmt::format(fmt::runtime(Pick(g.lang, "clusterscope 正在 {} 提供服务（{}）；Ctrl-C 停止\n",
                                               "clusterscope serving {} ({}); Ctrl-C stops\n")),
                             address, RedactedUrl(g.db));
  });
  if (!s.ok()) return Fail(g, s);
  std::cerr << Pick(g.lang, "clusterscope 已停止\n", "clusterscope stopped\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, Commands& commands) {
  auto args = std::make_shared<ServeArgs>();
  auto* sub = app.add_subcommand("serve", "serve the JSON API (api.md) until SIGTERM or SIGINT");
  sub->add_option("--bind", args->options.bind, "address to listen on (default 127.0.0.1: loopback)");
  sub->add_option("--port", args->options.port, "port (default 8080)");
  sub->add_option("--listen", args->listen, "ADDRESS:PORT, both at once");
  sub->add_option("--threads,--workers", args->options.threads, "request threads (default: the machine's cores)")
      ->check(CLI::Range(1, 64));
  sub->add_flag("--trust-proxy", args->options.trust_proxy,
                "behind a reverse proxy: the client address from X-Forwarded-For, TLS from X-Forwarded-Proto");
  sub->add_option("--body-limit", args->body_limit_mib, "largest request body in MiB (default 64)")
      ->check(CLI::Range(1, 1024));
  sub->add_option("--cache-mib", args->cache_mib,
                  "memory for answers kept for identical questions until the data change (default 64; 0: none)")
      ->check(CLI::Range(0, 4096));
  sub->footer("Example: clusterscope --db cluster.db serve --port 8080 --threads 8");
  commands.push_back({sub, [args](const Globals& g) { return RunServe(g, *args); }});
}

}  // namespace clusterscope::cli
