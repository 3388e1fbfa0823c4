// The API of api.md as a function from a request to a reply, with no HTTP library in sight:
// server.cpp reads requests off sockets (Boost.Beast) and hands them here, tests may call it
// directly. Authentication, the role check of each route and the scope filter happen here; the
// routes themselves are thin (parse the query, one Workspace call, the Answer's JSON).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "clusterscope/lang.h"
#include "clusterscope/server.h"
#include "clusterscope/status.h"
#include "clusterscope/store.h"
#include "clusterscope/users.h"
#include "clusterscope/workspace.h"
#include "server/reply_cache.h"
#include "server/scope.h"

namespace clusterscope::server {

struct HttpRequest {
  std::string method;                          // "GET"
  std::string target;                          // "/api/v1/clusters?zone=X"
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string client;  // the peer's address (server.cpp)
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the security headers
};

// Every response's security headers (api.md), added by server.cpp to whatever it sends.
const std::vector<std::pair<std::string, std::string>>& SecurityHeaders();

// The error body of api.md for `status`, with the HTTP status its id and code map to; 500s and
// 503s say only the id and a generic message (the details go to the server's log).
HttpReply ErrorReply(const Status& status, Lang lang);
int HttpStatusOf(const Status& status);

class Api;
struct Call;
using Handler = HttpReply (Api::*)(Call&);

// One line of the route table.
struct Route {
  const char* method;
  const char* pattern;  // "/api/v1/clusters/{id}/indicators": {…} captures one path segment
  unsigned roles;       // bit per Role allowed; others get 403
  Handler handler;
  bool cached = false;  // its 200s may be answered again from the ReplyCache (reads of the data only)
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> Open(const ServerOptions& options);
  HttpReply Handle(const HttpRequest& request);

  // The routes (api.cpp), for docs and the access-matrix test.
  static const std::vector<Route>& Routes();

  // Handlers (one per route); public only so that the route table can name them.
  HttpReply Catalogue(Call& c);
  HttpReply Zones(Call& c);
  HttpReply Zone(Call& c);
  HttpReply Clusters(Call& c);
  HttpReply Cluster(Call& c);
  HttpReply ClusterIndicators(Call& c);
  HttpReply ClusterDiagnosis(Call& c);
  HttpReply ZoneIndicators(Call& c);
  HttpReply RegionIndicators(Call& c);
  HttpReply CountryIndicators(Call& c);
  HttpReply Firms(Call& c);
  HttpReply Firm(Call& c);
  HttpReply FirmReports(Call& c);
  HttpReply Imports(Call& c);
  HttpReply Submit(Call& c);
  HttpReply SubmissionList(Call& c);
  HttpReply Accept(Call& c);
  HttpReply Return(Call& c);
  HttpReply AuditLog(Call& c);
  HttpReply SessionInfo(Call& c);
  HttpReply Logout(Call& c);
  HttpReply Evaluations(Call& c);
  HttpReply ClusterBrief(Call& c);
  HttpReply FirmQualification(Call& c);
  HttpReply Place(Call& c);

 private:
  explicit Api(ServerOptions options) : options_(std::move(options)), cache_(options_.cache_bytes) {}

  // A workspace (read-only, the data) and the access tables (read-write: users, sessions, audit)
  // for one request; each request thread holds at most one, so there are at most `threads` of
  // each. The workspaces share one data set (Current()), so memory does not grow with threads.
  struct Slot {
    // Every question is answered from the one shared data set, already in memory: a question
    // about one cluster costs its members' rows (the location quotients' national sums are
    // summed once per year for the data set, IndustryTotalsMemo), not a read of the store.
    std::unique_ptr<Workspace> ws;
    std::unique_ptr<Users> users;
    int64_t generation = -1;  // of the shared data set this slot's workspace answers from
  };
  Result<std::unique_ptr<Slot>> Acquire();
  void Release(std::unique_ptr<Slot> slot);
  // The register index of the store's current generation, with `slot`'s workspace answering from
  // the data set of that generation: loaded once per generation by whichever request sees it
  // first, then shared by every slot.
  Result<std::shared_ptr<const RegisterIndex>> Current(Slot& slot);

  HttpReply Login(const HttpRequest& req, Lang lang, Slot& slot);
  HttpReply Dispatch(const HttpRequest& req, Lang lang);
  HttpReply IndicatorsFor(Call& c, EntityRef entity);
  HttpReply AgglomerationFor(Call& c, place::Function function);
  // Runs the body as an import of `kind` (a temporary file: the importer reads files).
  struct Upload {
    std::string file_name;
    std::string content_type;
    std::string body;
  };
  Result<ImportOutcome> RunImport(Kind kind, const Upload& upload, ImportOptions options);
  bool LoginAllowed(const std::string& client);
  // Users::Authenticate, with its answer reused for kAuthReuse: every request would otherwise
  // cost two reads of the access tables (a fifth of the CPU of a cluster's indicators).
  Result<Principal> Authenticate(Users& users, const std::string& token);
  void Forget(const std::string& token);
  void AuditCall(Call& c, std::string action, std::string entity, std::string result, std::string sha256 = {},
                 std::string detail = {});

  ServerOptions options_;
  ReplyCache cache_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Slot>> free_;
  std::mutex shared_mu_;  // held while a new generation is loaded: the others wait for it, not load it too
  struct Shared {
    int64_t generation = -1;
    std::shared_ptr<const Dataset> data;
    std::shared_ptr<const RegisterIndex> index;
  } shared_;
  std::mutex place_mu_;  // one Monte Carlo run at a time (GET /place/kd|m with sims)
  std::mutex write_mu_;  // imports and reviews, one at a time (SQLite has one writer anyway)
  // Principals by the SHA-256 of their credential (the raw token is not kept), with when they
  // were read. Bounded: cleared when it grows past kAuthEntries.
  struct Known {
    Principal principal;
    std::chrono::steady_clock::time_point read_at;
  };
  std::mutex auth_mu_;
  std::unordered_map<std::string, Known> known_;
  std::mutex rate_mu_;
  std::map<std::string, std::vector<std::chrono::steady_clock::time_point>> logins_;  // client → recent attempts
};

// What a handler sees: the request, who asks, the path's captures and the query.
struct Call {
  const HttpRequest& req;
  Lang lang;
  Principal principal;
  std::vector<std::string> params;           // the pattern's {…} captures, in order
  std::map<std::string, std::string> query;  // decoded
  Workspace& ws;
  Users& users;
  Scope scope;
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

}  // namespace clusterscope::server
