// HTTP/1.1 on Boost.Beast: one C++20 coroutine per connection on a pool of `threads` threads
// sharing one io_context. A request is read whole (within the size and time limits), answered by
// Api::Handle on the thread that read it, and written back; keep-alive reuses the connection.
// The handlers block (SQLite, the indicator engine), so the number of threads bounds the requests
// in progress; further connections wait in the kernel's accept queue.
#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <optional>
#include <set>
#include <thread>

#include "clusterscope/server.h"
#include "server/api.h"

namespace clusterscope {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using server::Api;
using server::HttpReply;
using server::HttpRequest;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);

// One connection. Shared with the registry (weak) so that Stop() can close it while it waits.
struct Connection {
  explicit Connection(tcp::socket s) : stream(std::move(s)) {}
  beast::tcp_stream stream;
  bool idle = true;  // waiting for a request (touched only on the connection's strand)
};

class ServerImpl : public Server {
 public:
  ServerImpl(ServerOptions options, std::unique_ptr<Api> api)
      : options_(std::move(options)), api_(std::move(api)), ioc_(ThreadCount()), acceptor_(ioc_) {}
  ~ServerImpl() override {
    Stop();
    Wait();
  }

  Status Listen() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options_.bind, ec);
    if (ec) {
      return Status::Usage(fmt::format("--bind {}: not an IP address / 不是IP地址", options_.bind))
          .WithId("serve.bind");
    }
    tcp::endpoint endpoint(address, options_.port);
    if (acceptor_.open(endpoint.protocol(), ec); !ec) {
      acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
      if (acceptor_.bind(endpoint, ec); !ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
      return Status::Environment(fmt::format("cannot listen on {}:{}: {}", options_.bind, options_.port, ec.message()))
          .WithId("serve.listen");
    }
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, Accept(), asio::detached);
    for (int i = 0; i < ThreadCount(); ++i) {
      threads_.emplace_back([this] {
        try {
          ioc_.run();
        } catch (const std::exception& e) {
          std::cerr << "clusterscope serve: a request thread stopped: " << e.what() << "\n";
        }
        std::lock_guard lock(done_mu_);
        ++threads_done_;
        done_cv_.notify_all();
      });
    }
    return Status::Ok();
  }

  uint16_t port() const override { return port_; }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    asio::post(ioc_, [this] {
      boost::system::error_code ec;
      acceptor_.close(ec);
    });
    std::vector<std::shared_ptr<Connection>> open;
    {
      std::lock_guard lock(conn_mu_);
      for (auto& w : connections_) {
        if (auto c = w.lock()) open.push_back(std::move(c));
      }
    }
    // Idle connections are closed now; one answering a request closes after its answer.
    for (auto& c : open) {
      asio::post(c->stream.get_executor(), [c] {
        if (c->idle) c->stream.cancel();
      });
    }
    // Requests in flight get the grace period; then whatever is left is cut off.
    std::unique_lock lock(done_mu_);
    if (!done_cv_.wait_for(lock, options_.shutdown_grace,
                           [&] { return threads_done_ == static_cast<int>(threads_.size()); })) {
      ioc_.stop();
    }
  }

  void Wait() override {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  int ThreadCount() const {
    int n = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
    return std::clamp(n, 1, 64);
  }

  asio::awaitable<void> Accept() {
    for (;;) {
      auto accepted = co_await acceptor_.async_accept(asio::make_strand(ioc_), kUseTuple);
      const boost::system::error_code ec = std::get<0>(accepted);
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        continue;  // a failed accept (a client gone, out of descriptors) must not end the server
      }
      auto conn = std::make_shared<Connection>(std::move(std::get<1>(accepted)));
      {
        std::lock_guard lock(conn_mu_);
        std::erase_if(connections_, [](const auto& w) { return w.expired(); });
        connections_.insert(conn);
      }
      asio::co_spawn(conn->stream.get_executor(), Serve(conn), asio::detached);
    }
  }

  static void Send(http::response<http::string_body>& res, HttpReply&& reply) {
    res.result(static_cast<unsigned>(reply.status));
    res.set(http::field::content_type, reply.content_type);
    res.set(http::field::server, "clusterscope");
    // Nothing the API answers is kept by a browser or a proxy, unless the reply says otherwise
    // (the dashboard's hashed assets).
    res.set(http::field::cache_control, "no-store");
    for (const auto& [k, v] : server::SecurityHeaders()) res.set(k, v);
    for (const auto& [k, v] : reply.headers) {
      if (beast::iequals(k, "cache-control")) {
        res.set(http::field::cache_control, v);
      } else {
        res.insert(k, v);
      }
    }
    res.body() = std::move(reply.body);
    res.prepare_payload();
  }

  asio::awaitable<void> Serve(std::shared_ptr<Connection> conn) {
    // One place writes the answer, whatever produced it (the API, a refused header, a body over
    // the limit); the connection lives in `conn`, shared with Stop()'s registry.
    beast::flat_buffer buffer;
    boost::system::error_code peer_ec;
    const std::string peer = conn->stream.socket().remote_endpoint(peer_ec).address().to_string();
    for (;;) {
      if (stopping_) break;
      http::request_parser<http::string_body> parser;
      parser.header_limit(16 * 1024);
      parser.body_limit(options_.body_limit);
      conn->idle = true;
      conn->stream.expires_after(options_.idle_timeout);
      boost::system::error_code ec =
          std::get<0>(co_await http::async_read_header(conn->stream, buffer, parser, kUseTuple));
      conn->idle = false;
      std::optional<HttpReply> out;
      bool keep_alive = false;
      bool head = false;
      if (ec == http::error::body_limit) {  // a Content-Length over the limit, seen in the header
        out = TooLarge();
      } else if (ec) {
        if (ec == http::error::header_limit || ec == http::error::bad_target || ec == http::error::bad_method ||
            ec == http::error::bad_version || ec == http::error::bad_field) {
          out = Error("request.bad", "malformed request or headers over 16 KiB", "请求格式错误或请求头超过16 KiB");
        }
        // else: closed, timed out, or cancelled by Stop()
      } else if (auto len = parser.content_length(); len && *len > options_.body_limit) {
        out = TooLarge();
      } else {
        conn->stream.expires_after(options_.request_timeout);
        ec = std::get<0>(co_await http::async_read(conn->stream, buffer, parser, kUseTuple));
        if (ec == http::error::body_limit) {
          out = TooLarge();
        } else if (!ec) {
          HttpRequest req = ToRequest(parser.get(), peer);
          keep_alive = parser.get().keep_alive() && !stopping_;
          head = req.method == "HEAD";
          out = api_->Handle(req);
        }
      }
      if (!out) break;
      http::response<http::string_body> res;
      res.version(11);
      Send(res, std::move(*out));
      res.keep_alive(keep_alive);
      if (head) res.body().clear();
      conn->stream.expires_after(options_.request_timeout);
      ec = std::get<0>(co_await http::async_write(conn->stream, res, kUseTuple));
      if (ec || !keep_alive) break;
    }
    boost::system::error_code shutdown_ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, shutdown_ec);
  }

  HttpRequest ToRequest(http::request<http::string_body>& msg, const std::string& peer) const {
    HttpRequest req;
    req.method = std::string(msg.method_string());
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
      req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.client = peer;
    if (options_.trust_proxy) {
      // The proxy appends the address it saw; earlier entries are the client's to forge.
      const std::string fwd = req.Header("x-forwarded-for");
      if (!fwd.empty()) {
        std::string last = fwd.substr(fwd.rfind(',') == std::string::npos ? 0 : fwd.rfind(',') + 1);
        last.erase(0, last.find_first_not_of(' '));
        req.client = last;
      }
    }
    return req;
  }

  HttpReply Error(const char* id, const char* en, const char* zh) const {
    return server::ErrorReply(Status::Usage(fmt::format("{} / {}", en, zh)).WithId(id), Lang::kZh);
  }
  HttpReply TooLarge() const {
    return server::ErrorReply(
        Status::InvalidInput(fmt::format("the body is over the limit of {} MiB / 请求体超过{} MiB的上限",
                                         options_.body_limit >> 20, options_.body_limit >> 20))
            .WithId("request.too_large"),
        Lang::kZh);
  }

  // Writes `reply`; false when the connection failed.
  ServerOptions options_;
  std::unique_ptr<Api> api_;
  asio::io_context ioc_;
  tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> threads_;
  std::mutex conn_mu_;
  std::set<std::weak_ptr<Connection>, std::owner_less<std::weak_ptr<Connection>>> connections_;
  std::mutex done_mu_;
  std::condition_variable done_cv_;
  int threads_done_ = 0;
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  CS_ASSIGN_OR_RETURN(auto api, server::Api::Open(options));
  auto impl = std::make_unique<ServerImpl>(options, std::move(api));
  CS_RETURN_IF_ERROR(impl->Listen());
  return std::unique_ptr<Server>(std::move(impl));
}

Status ServeUntilSignalled(const ServerOptions& options, const std::function<void(const std::string&)>& ready) {
  // The signals are blocked in every thread (the server's inherit the mask) and taken here.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  CS_ASSIGN_OR_RETURN(auto server, Server::Start(options));
  if (ready) ready(fmt::format("http://{}:{}", options.bind, server->port()));
  int sig = 0;
  sigwait(&set, &sig);
  server->Stop();
  server->Wait();
  return Status::Ok();
}

}  // namespace clusterscope
