// `clusterscope serve`: the JSON API of api.md over one database, for the dashboard, scripts and
// R/Python. HTTP/1.1 with keep-alive on a bounded pool of threads; every route is a thin function
// over the Workspace (parse the query, make one call, send the Answer's JSON), with the caller's
// role and scope applied as a filter where the data are read (docs/server.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "clusterscope/status.h"

namespace clusterscope {

struct ServerOptions {
  std::string db;                            // database URL (the data and the access tables)
  std::string bind = "127.0.0.1";            // loopback by default: production sits behind a TLS proxy
  uint16_t port = 8080;                      // 0: any free port (tests); Server::port() says which
  int threads = 0;                           // request threads; 0 = the machine's cores, at most 64
  size_t body_limit = size_t{64} << 20;      // bytes; larger bodies answer 413
  std::chrono::seconds request_timeout{60};  // to read a request and write its answer
  std::chrono::seconds idle_timeout{30};     // keep-alive: an idle connection is closed after this
  std::chrono::seconds shutdown_grace{20};   // Stop(): requests in flight may finish within this
  // Behind a reverse proxy: take the client's address from X-Forwarded-For (its last entry) and
  // TLS from X-Forwarded-Proto. Off: the socket's peer address, and cookies without Secure.
  bool trust_proxy = false;
  int login_rate_per_minute = 20;  // POST /session per client address; more answer 429
  // Finished answers of data reads kept for identical questions, keyed by the store's generation,
  // the caller's role and scope, the language and the target (docs/server.md); 0: none.
  size_t cache_bytes = size_t{64} << 20;
};

class Server {
 public:
  // Opens the database (it must exist at this build's schema version; `init` first), binds and
  // starts the threads. kEnvironment when the address cannot be bound or the database opened.
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  virtual ~Server() = default;  // stops (as Stop) and joins

  // The bound port (the one chosen when options.port was 0).
  virtual uint16_t port() const = 0;
  // Stops accepting, closes idle connections, lets requests in flight finish within
  // shutdown_grace, then returns. Idempotent; callable from any thread, including a signal waiter.
  virtual void Stop() = 0;
  // Blocks until Stop() has completed.
  virtual void Wait() = 0;
};

// Runs a server until SIGTERM or SIGINT, then shuts it down gracefully (`clusterscope serve`).
// `ready` is called once the port is bound, with the address to print.
Status ServeUntilSignalled(const ServerOptions& options, const std::function<void(const std::string&)>& ready);

}  // namespace clusterscope
