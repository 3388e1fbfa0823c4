// `clusterscope serve` end to end: the server on a random loopback port over the demo database,
// spoken to over real sockets by a small Beast client. The access matrix runs every role against
// every endpoint with an entity inside and outside its scope, and checks list bodies row by row
// against what the database itself says each role may see (SQL here, not the server's code).
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <zlib.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fmt/format.h>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "clusterscope/indicators.h"
#include "clusterscope/server.h"
#include "clusterscope/store.h"
#include "clusterscope/users.h"
#include "e2e/cli_runner.h"
#include "server/indicator_json.h"

namespace clusterscope {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;
using testing::RunCli;

struct Resp {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  json Json() const { return json::parse(body, nullptr, false); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request on a connection of its own (or on `stream`, for keep-alive).
Resp Send(beast::tcp_stream& stream, const std::string& method, const std::string& target, const std::string& body,
          const Headers& headers, bool keep_alive) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.keep_alive(keep_alive);
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  Resp r;
  r.status = static_cast<int>(res.result_int());
  r.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers[name] += std::string(r.headers.contains(name) ? "\n" : "") + std::string(f.value());
  }
  return r;
}

Resp Http(uint16_t port, const std::string& method, const std::string& target, const std::string& body = "",
          const Headers& headers = {}) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  Resp r = Send(stream, method, target, body, headers, false);
  beast::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return r;
}

std::string Query1(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr);
  std::string out;
  if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

std::set<std::string> QuerySet(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
  std::set<std::string> out;
  while (sqlite3_step(st) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

void Exec(const std::string& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_busy_timeout(h, 5000);
  ASSERT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(h);
}

constexpr const char* kPassword = "correct-horse-battery";

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = (std::filesystem::temp_directory_path() / fmt::format("cs-server-{}", getpid())).string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ + "/demo.db";
    auto demo = testing::DemoDatabase(db_);
    ASSERT_EQ(demo.exit_code, 0) << demo.err;
    f1_ = Query1(db_,
                 "SELECT m.uscc FROM members m JOIN firms f USING (uscc) WHERE m.cluster_id = 'QH-BIO' AND f.zone_id = "
                 "'XNGX' AND m.to_year IS NULL ORDER BY m.uscc LIMIT 1");
    f2_ = Query1(db_, "SELECT uscc FROM firms WHERE zone_id = 'Z110100' ORDER BY uscc LIMIT 1");
    ASSERT_FALSE(f1_.empty());
    ASSERT_FALSE(f2_.empty());
    // One user through the CLI (the password on stdin), the rest through the library.
    {
      std::ofstream pw(dir_ + "/pw");
      pw << kPassword << "\n";
    }
    auto added = RunCli(fmt::format("--db {} users add root --role admin --password-stdin < {}/pw", db_, dir_));
    ASSERT_EQ(added.exit_code, 0) << added.err;
    auto store = OpenStore(db_, {.create = false});
    ASSERT_TRUE(store.ok());
    Users users(**store);
    const std::vector<std::tuple<std::string, Role, std::string>> people = {
        {"nat", Role::kNational, ""},    {"qh", Role::kProvince, "63"},    {"xngx", Role::kZone, "XNGX"},
        {"bj", Role::kZone, "Z110100"},  {"firm1", Role::kFirm, f1_},      {"ana", Role::kAnalyst, ""},
        {"gone", Role::kNational, ""},   {"revoked", Role::kNational, ""}, {"late", Role::kNational, ""},
        {"locked", Role::kNational, ""},
    };
    for (const auto& [name, role, scope] : people) {
      ASSERT_TRUE(users.Add(name, role, scope, kPassword, "test").ok()) << name;
    }
    for (const char* name : {"root", "nat", "qh", "xngx", "bj", "firm1", "ana", "gone", "revoked"}) {
      auto t = users.IssueToken(name, 30, "test");
      ASSERT_TRUE(t.ok());
      tokens_[name] = *t;
    }
    ServerOptions options;
    options.db = db_;
    options.port = 0;
    options.threads = 4;
    options.login_rate_per_minute = 1000;
    auto server = Server::Start(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
  }
  static void TearDownTestSuite() {
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  static uint16_t Port() { return server_->port(); }
  static Headers Bearer(const std::string& user) { return {{"Authorization", "Bearer " + tokens_[user]}}; }
  static Resp Get(const std::string& user, const std::string& target) {
    return Http(Port(), "GET", target, "", Bearer(user));
  }
  struct Session {
    std::string cookie;
    std::string csrf;
  };
  static Session Login(const std::string& user, uint16_t port = 0) {
    Resp r = Http(port == 0 ? Port() : port, "POST", "/api/v1/session",
                  json{{"username", user}, {"password", kPassword}}.dump(), {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set = r.headers["set-cookie"];
    return {set.substr(0, set.find(';')), r.Json().value("csrf", "")};
  }

  static inline std::string dir_, db_, f1_, f2_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::unique_ptr<Server> server_;
};

std::string ReportCsv(const std::string& uscc, int year, const std::string& extra_header = "",
                      const std::string& extra_cell = "") {
  return fmt::format("uscc,year,revenue,employees{}\n{},{},5000,12{}\n", extra_header, uscc, year, extra_cell);
}

// ---------------------------------------------------------------- the access matrix

TEST_F(ServerTest, AccessMatrixEveryRoleEveryEndpointInAndOutOfScope) {
  struct Endpoint {
    std::string method;
    std::string target;  // {zone} {cluster} {firm} {region} are filled in
    std::set<std::string> roles;
    int ok = 200;        // the status when allowed and in scope
    bool write = false;  // out of scope: 403 (a refused write), not 404
    std::string list;    // zones | clusters | firms | cluster_firms | evaluations | place: rows checked
    std::string body;
  };
  const std::set<std::string> readers = {"nat", "qh", "xngx", "ana"};
  const std::set<std::string> reviewers = {"nat", "qh", "xngx"};
  auto with = [](std::set<std::string> s, const std::string& extra) {
    s.insert(extra);
    return s;
  };
  const std::vector<Endpoint> endpoints = {
      {"GET", "/api/v1/session", {"root", "nat", "qh", "xngx", "firm1", "ana"}},
      {"GET", "/api/v1/catalogue", with(readers, "firm1")},
      {"GET", "/api/v1/zones", readers, 200, false, "zones"},
      {"GET", "/api/v1/zones/{zone}", readers},
      {"GET", "/api/v1/zones/{zone}/indicators?year=2014&only=gross_output", readers},
      {"GET", "/api/v1/clusters", with(readers, "firm1"), 200, false, "clusters"},
      {"GET", "/api/v1/clusters/{cluster}", with(readers, "firm1")},
      {"GET", "/api/v1/clusters/{cluster}/indicators?year=2014", readers},
      {"GET", "/api/v1/clusters/{cluster}/diagnosis?year=2014", reviewers},  // names backbone firms: not analysts
      {"GET", "/api/v1/clusters/{cluster}/brief?year=2014", reviewers},
      {"GET", "/api/v1/clusters/{cluster}/brief?year=2014&format=xlsx", reviewers},
      {"GET", "/api/v1/evaluations?scheme=annual&year=2014", readers, 200, false, "evaluations"},
      {"GET", "/api/v1/firms/{firm}/qualification?rule=tech-sme&year=2017", with(reviewers, "firm1")},
      {"GET", "/api/v1/place/lq?year=2014", {"nat", "qh", "ana"}, 200, false, "place"},
      {"GET", "/api/v1/place/krugman?year=2014&region_level=zone", {"nat", "qh", "ana"}, 200, false, "place_zones"},
      {"GET", "/api/v1/place/kd?industry=27&year=2014&r=0:50:10", {"nat", "qh", "ana"}},
      {"GET", "/api/v1/regions/{region}/indicators?year=2014&only=firm_count", {"nat", "qh", "ana"}},
      {"GET", "/api/v1/country/indicators?year=2014&only=firm_count", {"nat", "ana"}},
      {"GET", "/api/v1/firms", with(reviewers, "firm1"), 200, false, "firms"},
      {"GET", "/api/v1/firms?cluster={cluster}", with(reviewers, "firm1"), 200, false, "cluster_firms"},
      {"GET", "/api/v1/firms/{firm}", with(reviewers, "firm1")},
      {"GET", "/api/v1/firms/{firm}/reports", with(reviewers, "firm1")},
      {"GET", "/api/v1/submissions", with(reviewers, "firm1")},
      {"GET", "/api/v1/audit", {"root"}},
      {"POST", "/api/v1/imports?kind=reports&dry_run=1", reviewers, 200, true, "", "report"},
      {"POST", "/api/v1/imports?kind=zones&dry_run=1", {"nat", "qh"}, 200, false, "", "zone"},
      {"POST", "/api/v1/submissions?kind=reports", {"firm1"}, 201, true, "", "report"},
  };
  const std::vector<std::string> roles = {"root", "nat", "qh", "xngx", "firm1", "ana"};
  // What each role may see, from the database (api.md's table in SQL).
  const std::string prov_zones = "SELECT zone_id FROM zones WHERE substr(region_code, 1, 2) = '63'";
  const std::string xngx_firms =
      "SELECT uscc FROM firms WHERE zone_id = 'XNGX' UNION SELECT m.uscc FROM members m JOIN clusters c USING "
      "(cluster_id) WHERE c.zone_id = 'XNGX'";
  std::map<std::string, std::map<std::string, std::set<std::string>>> visible;  // role → list → ids
  for (const std::string r : {"nat", "ana"}) {
    visible[r]["zones"] = QuerySet(db_, "SELECT zone_id FROM zones");
    visible[r]["clusters"] = QuerySet(db_, "SELECT cluster_id FROM clusters");
    visible[r]["firms"] = QuerySet(db_, "SELECT uscc FROM firms");
  }
  visible["qh"]["zones"] = QuerySet(db_, prov_zones);
  visible["qh"]["clusters"] = QuerySet(db_, "SELECT cluster_id FROM clusters WHERE zone_id IN (" + prov_zones + ")");
  visible["qh"]["firms"] =
      QuerySet(db_, "SELECT uscc FROM firms WHERE substr(region_code, 1, 2) = '63' OR zone_id IN (" + prov_zones + ")");
  visible["xngx"]["zones"] = {"XNGX"};
  visible["xngx"]["clusters"] = QuerySet(db_, "SELECT cluster_id FROM clusters WHERE zone_id = 'XNGX'");
  visible["xngx"]["firms"] = QuerySet(db_, xngx_firms);
  visible["firm1"]["clusters"] = QuerySet(db_, "SELECT cluster_id FROM members WHERE uscc = '" + f1_ + "'");
  visible["firm1"]["firms"] = {f1_};
  // The filters must have something to remove, or the row check proves nothing.
  ASSERT_LT(visible["qh"]["zones"].size(), visible["nat"]["zones"].size());
  ASSERT_LT(visible["xngx"]["firms"].size(), visible["qh"]["firms"].size());
  ASSERT_GE(visible["qh"]["clusters"].size(), 2u);

  struct Side {
    std::string zone, cluster, firm, region;
  };
  const Side in{"XNGX", "QH-BIO", f1_, "630000"};
  const Side out{"Z110100", Query1(db_, "SELECT cluster_id FROM clusters WHERE zone_id = 'Z110100' LIMIT 1"), f2_,
                 "110000"};
  auto fill = [](std::string t, const Side& s) {
    for (auto [key, value] : {std::pair<std::string, std::string>{"{zone}", s.zone},
                              {"{cluster}", s.cluster},
                              {"{firm}", s.firm},
                              {"{region}", s.region}}) {
      for (size_t p; (p = t.find(key)) != std::string::npos;) t.replace(p, key.size(), value);
    }
    return t;
  };
  int cases = 0;
  for (const Endpoint& e : endpoints) {
    const bool has_entity = e.target.find('{') != std::string::npos || e.body == "report";
    for (const std::string& role : roles) {
      for (int side = 0; side < (has_entity ? 2 : 1); ++side) {
        const Side& s = side == 0 ? in : out;
        std::string body;
        Headers headers = Bearer(role);
        if (e.body == "report") {
          body = ReportCsv(s.firm, 2020);
          headers.emplace_back("Content-Type", "text/csv");
        } else if (e.body == "zone") {
          body = "zone_id,name,region_code,level\nZTEST,测试园区,630100,provincial\n";
          headers.emplace_back("Content-Type", "text/csv");
        }
        int expected;
        if (!e.roles.contains(role)) {
          expected = 403;
        } else if (side == 0 || role == "nat" || role == "ana") {
          expected = e.ok;
        } else {
          expected = e.write ? 403 : 404;
        }
        const std::string target = fill(e.target, s);
        Resp r = Http(Port(), e.method, target, body, headers);
        ++cases;
        EXPECT_EQ(r.status, expected) << role << " " << e.method << " " << target << "\n" << r.body;
        if (r.status != expected || r.status != 200 || e.list.empty()) continue;
        if (e.list.starts_with("place")) {
          // Rows naming a region: a province sees its own only (codes starting 63, or its zones),
          // the others some outside it (or the check proves nothing).
          const std::set<std::string> qh_zones = QuerySet(db_, prov_zones);
          std::set<std::string> regions;
          const json answer = r.Json();  // kept: a range over r.Json()["values"] would dangle
          for (const auto& v : answer["values"]) {
            if (v.contains("region")) regions.insert(v["region"].get<std::string>());
          }
          size_t outside = 0;
          for (const std::string& code : regions) {
            outside += e.list == "place_zones" ? !qh_zones.contains(code) : !code.starts_with("63");
          }
          EXPECT_FALSE(regions.empty()) << role << " " << target;
          if (role == "qh") {
            EXPECT_EQ(outside, 0u) << role << " " << target << "\n" << r.body;
          } else {
            EXPECT_GT(outside, 0u) << role << " " << target;
          }
          continue;
        }
        if (e.list == "evaluations") {
          std::set<std::string> got;
          const json answer = r.Json();
          for (const auto& row : answer["clusters"]) got.insert(row["cluster_id"].get<std::string>());
          EXPECT_EQ(got, visible[role]["clusters"]) << role << " " << target;
          continue;
        }
        // 200: exactly the rows the role may see.
        std::string kind = e.list == "cluster_firms" ? "firms" : e.list;
        std::set<std::string> want = visible[role][kind];
        if (e.list == "cluster_firms") {
          std::set<std::string> members =
              QuerySet(db_, "SELECT uscc FROM members WHERE cluster_id = '" + s.cluster + "'");
          std::erase_if(want, [&](const std::string& id) { return !members.contains(id); });
        }
        const char* key = kind == "zones" ? "zone_id" : kind == "clusters" ? "cluster_id" : "uscc";
        std::set<std::string> got;
        for (const auto& row : r.Json()) got.insert(row[key].get<std::string>());
        EXPECT_EQ(got, want) << role << " " << target;
        EXPECT_FALSE(got.empty()) << role << " " << target;
      }
    }
  }

  // Credentials, on every endpoint: none, garbage, revoked, a disabled user, an expired session.
  {
    auto store = OpenStore(db_, {.create = false});
    ASSERT_TRUE(store.ok());
    Users users(**store);
    Session late = Login("late");
    Session gone_session = Login("gone");
    ASSERT_TRUE(users.SetDisabled("gone", true, "test").ok());
    ASSERT_TRUE(users.SetDisabled("revoked", true, "test").ok());
    ASSERT_TRUE(users.SetDisabled("revoked", false, "test").ok());  // enabled again; its token stays revoked
    Exec(db_, "UPDATE credentials SET last_seen_at = '2020-01-01T00:00:00.000000Z' WHERE user_name = 'late'");
    const std::vector<std::pair<std::string, Headers>> bad = {
        {"none", {}},
        {"garbage", {{"Authorization", "Bearer cst_not-a-token"}}},
        {"revoked token", Bearer("revoked")},
        {"disabled user's token", Bearer("gone")},
        {"disabled user's session", {{"Cookie", gone_session.cookie}, {"X-CSRF-Token", gone_session.csrf}}},
        {"expired session", {{"Cookie", late.cookie}, {"X-CSRF-Token", late.csrf}}},
    };
    for (const Endpoint& e : endpoints) {
      for (const auto& [what, headers] : bad) {
        Resp r = Http(Port(), e.method, fill(e.target, in), "", headers);
        ++cases;
        EXPECT_EQ(r.status, 401) << what << " " << e.method << " " << e.target << "\n" << r.body;
      }
    }
  }
  // The session cookie on state-changing requests: no CSRF token, a wrong one → 403; the right one → as a bearer.
  {
    Session nat = Login("nat");
    for (const Endpoint& e : endpoints) {
      if (e.method == "GET" || !e.roles.contains("nat")) continue;
      const std::string body = e.body == "zone" ? "zone_id,name,region_code,level\nZTEST,测试园区,630100,provincial\n"
                                                : ReportCsv(f1_, 2020);
      for (const std::string& csrf : {std::string(), std::string("wrong"), nat.csrf}) {
        Headers h = {{"Cookie", nat.cookie}, {"Content-Type", "text/csv"}};
        if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
        Resp r = Http(Port(), e.method, fill(e.target, in), body, h);
        ++cases;
        EXPECT_EQ(r.status, csrf == nat.csrf ? e.ok : 403) << e.target << " csrf=" << csrf << "\n" << r.body;
      }
    }
  }
  std::printf("access matrix: %d cases\n", cases);
  RecordProperty("access_matrix_cases", cases);
  EXPECT_GT(cases, 300);
}

// ---------------------------------------------------------------- evaluation, brief, qualification, place

// Each of these routes answers what the CLI's --format json prints for the same question.
TEST_F(ServerTest, AnalysisRoutesAnswerAsTheCli) {
  const auto cli = [&](const std::string& args) {
    auto r = RunCli(fmt::format("--db {} --lang zh {} --format json", db_, args));
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    return json::parse(r.out, nullptr, false);
  };
  const std::vector<std::pair<std::string, std::string>> same = {
      {"/api/v1/evaluations?scheme=annual&year=2014", "evaluate --scheme annual --year 2014"},
      {"/api/v1/clusters/QH-BIO/brief?year=2014", "brief --cluster QH-BIO --year 2014"},
      {"/api/v1/firms/" + f1_ + "/qualification?rule=tech-sme&year=2017", "qualify tech-sme --year 2017 --firm " + f1_},
      {"/api/v1/firms/" + f1_ + "/qualification?rule=high-tech&year=2017&rule_set=high-tech-2008",
       "qualify high-tech --year 2017 --firm " + f1_ + " --rule-set high-tech-2008"},
      {"/api/v1/place/eg?year=2014&industry_level=division", "specialisation eg --year 2014 --industry-level division"},
      {"/api/v1/place/kd?industry=27&year=2014&r=0:50:10&sims=19",
       "agglomeration kd --industry 27 --year 2014 --r 0:50:10 --sims 19"},
  };
  for (const auto& [target, args] : same) {
    Resp r = Get("nat", target + "&lang=zh");
    ASSERT_EQ(r.status, 200) << target << "\n" << r.body;
    EXPECT_EQ(r.Json(), cli(args)) << target;
  }

  // A province's evaluation: its clusters only, each with the rank and peers of the whole evaluation.
  const json all = Get("nat", "/api/v1/evaluations?scheme=annual&year=2014").Json();
  const json mine = Get("qh", "/api/v1/evaluations?scheme=annual&year=2014").Json();
  ASSERT_LT(mine["clusters"].size(), all["clusters"].size());
  ASSERT_FALSE(mine["clusters"].empty());
  for (const auto& row : mine["clusters"]) {
    for (const auto& whole : all["clusters"]) {
      if (whole["cluster_id"] != row["cluster_id"]) continue;
      EXPECT_EQ(row["rank"], whole["rank"]) << row["cluster_id"];
      EXPECT_EQ(row["peers"], whole["peers"]) << row["cluster_id"];
    }
  }
  // Shipped schemes only: no file of the server's is read for a request.
  for (const char* scheme : {"", "../../etc/passwd", "schemes/annual.toml", "nonsense"}) {
    Resp r = Get("nat", fmt::format("/api/v1/evaluations?scheme={}&year=2014", scheme));
    EXPECT_EQ(r.status, 400) << scheme;
    EXPECT_EQ(r.Json()["error"]["id"], "param.scheme") << scheme;
  }

  // The brief's files: type, a download name, the bytes of the format; English on request.
  struct File {
    std::string format, type, starts;
  };
  for (const File& f :
       std::vector<File>{{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "PK"},
                         {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
                         {"html", "text/html; charset=utf-8", "<!DOCTYPE html>"}}) {
    Resp r = Get("xngx", "/api/v1/clusters/QH-BIO/brief?year=2014&lang=en&format=" + f.format);
    ASSERT_EQ(r.status, 200) << f.format << "\n" << r.body.substr(0, 300);
    EXPECT_EQ(r.headers["content-type"], f.type);
    EXPECT_EQ(r.headers["content-disposition"], "attachment; filename=\"QH-BIO-2014-en." + f.format + "\"");
    EXPECT_TRUE(r.body.starts_with(f.starts)) << f.format << ": " << r.body.substr(0, 40);
  }
  Resp text = Get("xngx", "/api/v1/clusters/QH-BIO/brief?year=2014&format=text");
  EXPECT_EQ(text.headers["content-type"], "text/plain; charset=utf-8");
  EXPECT_EQ(text.body, RunCli(fmt::format("--db {} --lang zh brief --cluster QH-BIO --year 2014", db_)).out);
  EXPECT_EQ(Get("xngx", "/api/v1/clusters/QH-BIO/brief?year=2014&lang=en").Json()["lang"], "en");
  EXPECT_EQ(Get("xngx", "/api/v1/clusters/QH-BIO/brief?year=2014&format=pdf").status, 400);

  // Qualification: the firm itself; a bad rule or rule set is named.
  EXPECT_EQ(Get("firm1", "/api/v1/firms/" + f1_ + "/qualification?rule=tech-sme&year=2017").status, 200);
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/qualification?year=2017").Json()["error"]["id"], "param.rule");
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/qualification?rule=tech-sme&rule_set=nope").status, 400);

  // Place: unknown measures are missing endpoints; the Monte Carlo work is bounded.
  EXPECT_EQ(Get("nat", "/api/v1/place/nonsense?year=2014").status, 404);
  EXPECT_EQ(Get("nat", "/api/v1/place/lq?year=2014&measure=nonsense").Json()["error"]["id"], "param.measure");
  EXPECT_EQ(Get("nat", "/api/v1/place/kd?year=2014").Json()["error"]["id"], "param.industry");
  EXPECT_EQ(Get("nat", "/api/v1/place/kd?industry=27&year=2014&sims=1000").Json()["error"]["id"], "param.sims");
  EXPECT_EQ(Get("nat", "/api/v1/place/kd?industry=27&year=2014&r=0:100000:1").Json()["error"]["id"], "param.r");
  EXPECT_EQ(Get("nat", "/api/v1/place/kd?industry=27&year=2014&points=/etc/passwd&type=x&sims=1").status, 200);
}

// The response cache answers an identical question from memory, and a write (any process) moves
// the generation so the next answer is computed again.
TEST_F(ServerTest, CachedAnswersFollowTheData) {
  const std::string target = "/api/v1/zones/XNGX/indicators?year=2019&only=firm_count";
  const json before = Get("nat", target).Json();
  EXPECT_EQ(Get("nat", target).Json(), before);
  // Another process writes (the CLI's import): the server must not answer from the old data.
  const std::string csv = dir_ + "/cache-report.csv";
  {
    std::ofstream out(csv);
    out << ReportCsv(f1_, 2019);
  }
  auto imported = RunCli(fmt::format("--db {} import reports {}", db_, csv));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const json after = Get("nat", target).Json();
  EXPECT_NE(after, before);
  EXPECT_EQ(after, Get("nat", target).Json());
  // A role sees its own answer, never one kept for another scope.
  EXPECT_EQ(Get("bj", target).status, 404);
}

// ---------------------------------------------------------------- submissions

TEST_F(ServerTest, FirmFilesReportsAZoneReviewerAcceptsOrReturnsThem) {
  Session firm = Login("firm1");
  auto file = [&](const std::string& csv, const json& reasons, const std::string& lang) {
    json body = {{"file_name", "年报.csv"}, {"content", csv}, {"reasons", reasons}};
    return Http(Port(), "POST", "/api/v1/submissions?kind=reports&lang=" + lang, body.dump(),
                {{"Cookie", firm.cookie}, {"X-CSRF-Token", firm.csrf}, {"Content-Type", "application/json"}});
  };
  // Errors: every problem, cell by cell, in both languages; nothing held.
  const std::string bad = fmt::format("uscc,year,revenue,employees\n{},2021,abc,12\n{},2022,-5,x\n", f1_, f1_);
  for (const std::string lang : {"zh", "en"}) {
    Resp r = file(bad, json::array(), lang);
    ASSERT_EQ(r.status, 422) << r.body;
    const json err = r.Json()["error"];
    EXPECT_EQ(err["id"], "import.refused");
    EXPECT_EQ(err["message"], lang == "zh" ? err["message_zh"] : err["message_en"]);
    std::set<std::tuple<int, std::string, std::string>> cells;
    for (const auto& p : err["problems"]) {
      cells.insert({p["row"].get<int>(), p["column"].get<std::string>(), p["rule"].get<std::string>()});
      EXPECT_EQ(p["file"], "年报.csv");
      EXPECT_FALSE(p["message_zh"].get<std::string>().empty());
      EXPECT_FALSE(p["message_en"].get<std::string>().empty());
      EXPECT_NE(p["message_zh"], p["message_en"]);
    }
    const std::set<std::tuple<int, std::string, std::string>> want = {
        {2, "revenue", "cell.number"}, {3, "revenue", "cell.negative"}, {3, "employees", "cell.number"}};
    EXPECT_EQ(cells, want) << r.body;
  }
  // A row for another firm: 403, nothing held.
  EXPECT_EQ(file(ReportCsv(f2_, 2021), json::array(), "en").status, 403);
  // A warning (an unknown remarks column) needs a reason.
  const std::string good = ReportCsv(f1_, 2021, ",备注", ",新产线投产");
  Resp unexplained = file(good, json::array(), "zh");
  ASSERT_EQ(unexplained.status, 422) << unexplained.body;
  EXPECT_EQ(unexplained.Json()["error"]["id"], "submission.reason_required");
  EXPECT_EQ(unexplained.Json()["error"]["problems"][0]["rule"], "header.unknown");
  Resp filed = file(
      good, json::array({{{"row", 1}, {"column", "备注"}, {"rule", "header.unknown"}, {"reason", "内部备注，可忽略"}}}),
      "zh");
  ASSERT_EQ(filed.status, 201) << filed.body;
  const std::string id = filed.Json()["id"];

  const std::string indicators = "/api/v1/clusters/QH-BIO/indicators?year=2021&only=firm_count";
  const std::string before = Get("nat", indicators).body;
  const size_t reports_before = Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size();
  // Held, not in the data.
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size(), reports_before);
  // The queue: the zone whose firm it is sees it; another zone neither sees nor reviews it.
  bool queued = false;
  for (const auto& s : Get("xngx", "/api/v1/submissions?status=submitted").Json()) queued |= s["id"] == id;
  EXPECT_TRUE(queued);
  for (const auto& s : Get("bj", "/api/v1/submissions").Json()) EXPECT_NE(s["id"], id);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/submissions/" + id + "/accept", "", Bearer("bj")).status, 404);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/submissions/" + id + "/accept", "", Bearer("firm1")).status, 403);

  Resp accepted = Http(Port(), "POST", "/api/v1/submissions/" + id + "/accept", "", Bearer("xngx"));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["status"], "accepted");
  EXPECT_EQ(accepted.Json()["written"], true);
  const std::string after = Get("nat", indicators).body;
  EXPECT_NE(before, after);
  EXPECT_EQ(json::parse(after)[0]["value"], 1) << after;  // the one firm reporting 2021
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size(), reports_before + 1);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/submissions/" + id + "/accept", "", Bearer("xngx")).status, 409);

  // Returned with a note: nothing changes.
  Resp second = file(ReportCsv(f1_, 2022), json::array(), "en");
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string id2 = second.Json()["id"];
  const std::string before2 = Get("nat", "/api/v1/clusters/QH-BIO/indicators?year=2022&only=firm_count").body;
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/submissions/" + id2 + "/return", "{}", Bearer("xngx")).status, 400);
  Resp returned = Http(Port(), "POST", "/api/v1/submissions/" + id2 + "/return",
                       json{{"note", "营业收入单位有误"}}.dump(), Bearer("qh"));
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(returned.Json()["status"], "returned");
  EXPECT_EQ(Get("nat", "/api/v1/clusters/QH-BIO/indicators?year=2022&only=firm_count").body, before2);
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size(), reports_before + 1);
  bool seen = false;
  for (const auto& s : Get("firm1", "/api/v1/submissions").Json()) {
    if (s["id"] == id2) {
      seen = true;
      EXPECT_EQ(s["note"], "营业收入单位有误");
    }
  }
  EXPECT_TRUE(seen);
  // Audited: the submission, the review, who and from where.
  std::set<std::string> actions;
  for (const auto& e : Get("root", "/api/v1/audit").Json()) {
    if (e["entity"] == id || e["entity"] == id2)
      actions.insert(e["action"].get<std::string>() + ":" + e["user"].get<std::string>());
  }
  EXPECT_TRUE(actions.contains("submission:firm1"));
  EXPECT_TRUE(actions.contains("accept:xngx"));
  EXPECT_TRUE(actions.contains("return:qh"));
}

// ---------------------------------------------------------------- imports

TEST_F(ServerTest, ImportsAreAllOrNothingWithTheCliProblems) {
  const Headers csv = {{"Authorization", "Bearer " + tokens_["qh"]}, {"Content-Type", "text/csv"}};
  const std::string bad = fmt::format("uscc,year,revenue,employees\n{},2023,1,1\n{},2023,zz,1\n", f1_, f1_);
  Resp refused = Http(Port(), "POST", "/api/v1/imports?kind=reports&file=r.csv", bad, csv);
  ASSERT_EQ(refused.status, 422) << refused.body;
  const json p = refused.Json()["error"]["problems"];
  ASSERT_GE(p.size(), 1u);
  EXPECT_EQ(p[0]["file"], "r.csv");
  EXPECT_EQ(p[0]["row"], 3);
  EXPECT_EQ(p[0]["column"], "revenue");
  EXPECT_EQ(p[0]["value"], "zz");
  const size_t n = Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size();
  Resp ok = Http(Port(), "POST", "/api/v1/imports?kind=reports&file=r.csv", ReportCsv(f1_, 2023), csv);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["written"], true);
  EXPECT_EQ(ok.Json()["files"][0]["added"], 1);
  EXPECT_EQ(Get("nat", "/api/v1/firms/" + f1_ + "/reports").Json().size(), n + 1);
  // The same key with other values: the CLI's key.stored; --replace as replace=1.
  Resp conflict = Http(Port(), "POST", "/api/v1/imports?kind=reports",
                       ReportCsv(f1_, 2023).replace(ReportCsv(f1_, 2023).find("5000"), 4, "6000"), csv);
  EXPECT_EQ(conflict.status, 422);
  EXPECT_EQ(conflict.Json()["error"]["problems"][0]["rule"], "key.stored");
  // An .xlsx body, said by its Content-Type (the CLI's reader, not a second one).
  const std::string xlsx = testing::ReadAll(std::string(CS_SOURCE_DIR) + "/examples/xlsx/zones.xlsx");
  ASSERT_FALSE(xlsx.empty());
  Resp book = Http(Port(), "POST", "/api/v1/imports?kind=zones&dry_run=1&file=zones.xlsx", xlsx,
                   {{"Authorization", "Bearer " + tokens_["nat"]},
                    {"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
  EXPECT_EQ(book.status, 200) << book.body;
  EXPECT_EQ(book.Json()["files"][0]["encoding"], "xlsx") << book.body;
  EXPECT_EQ(book.Json()["written"], false);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/imports?kind=nonsense", "x", csv).status, 400);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/imports?kind=reports", "x", Bearer("qh")).status, 400);  // no Content-Type
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/imports?kind=regions", "x", csv).status, 403);           // a province may not
}

// ---------------------------------------------------------------- HTTP behaviour

TEST_F(ServerTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const Resp& r : {Http(Port(), "GET", "/"), Http(Port(), "GET", "/api/v1/zones"), Get("nat", "/api/v1/zones"),
                        Http(Port(), "GET", "/nope"), Get("nat", "/api/v1/zones/NOPE")}) {
    EXPECT_EQ(r.headers.at("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.headers.at("content-security-policy"), "default-src 'self'");
    EXPECT_EQ(r.headers.at("referrer-policy"), "same-origin");
    EXPECT_EQ(r.headers.at("x-frame-options"), "DENY");
  }
}

TEST_F(ServerTest, ErrorsHaveTheDocumentedShape) {
  Resp missing = Get("nat", "/api/v1/clusters/NOPE");
  ASSERT_EQ(missing.status, 404);
  const json e = missing.Json()["error"];
  for (const char* k : {"id", "message", "message_zh", "message_en"}) EXPECT_TRUE(e.contains(k)) << k;
  // Out of scope reads exactly like missing.
  Resp a = Get("xngx", "/api/v1/clusters/NOPE");
  Resp b = Get("xngx", "/api/v1/clusters/CL001");
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(b.status, 404);
  EXPECT_EQ(a.Json()["error"]["id"], b.Json()["error"]["id"]);
  EXPECT_EQ(Get("nat", "/api/v1/clusters/QH-BIO/indicators?year=1800").status, 400);
  EXPECT_EQ(Get("nat", "/api/v1/clusters/QH-BIO/indicators?year=1800").Json()["error"]["id"], "param.year");
  EXPECT_EQ(Http(Port(), "PUT", "/api/v1/zones", "", Bearer("nat")).status, 405);
  EXPECT_EQ(Get("nat", "/api/v1/nothing-here").status, 404);
}

TEST_F(ServerTest, StaticFilesOnlyFromTheEmbeddedSet) {
  Resp index = Http(Port(), "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.body.find("clusterscope"), std::string::npos);
  for (const char* t : {"/../../etc/passwd", "/index.html/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
                        "//etc/passwd"}) {
    Resp r = Http(Port(), "GET", t);
    EXPECT_EQ(r.status, 404) << t;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << t;
  }
}

// The gunzipped bytes of `gz` (zlib's gzip mode), or "" when they are not a gzip stream.
std::string Gunzip(const std::string& gz) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return "";
  std::string out;
  char chunk[65536];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "";
}

TEST_F(ServerTest, DashboardAssetsGzippedAndKeptByTheBrowser) {
  Resp index = Http(Port(), "GET", "/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["cache-control"], "no-cache");  // the page that names the assets: asked again
  const size_t at = index.body.find("/assets/");
  if (at == std::string::npos)
    GTEST_SKIP() << "this build embeds no dashboard (web/ not built): only the placeholder page";
  const std::string asset = index.body.substr(at, index.body.find('"', at) - at);
  Resp plain = Http(Port(), "GET", asset);
  ASSERT_EQ(plain.status, 200) << asset;
  EXPECT_EQ(plain.headers.count("content-encoding"), 0u);
  EXPECT_EQ(plain.headers["cache-control"], "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.headers["vary"], "Accept-Encoding");
  for (const char* accept : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*"}) {
    Resp gz = Http(Port(), "GET", asset, "", {{"Accept-Encoding", accept}});
    ASSERT_EQ(gz.status, 200) << accept;
    EXPECT_EQ(gz.headers["content-encoding"], "gzip") << accept;
    EXPECT_LT(gz.body.size(), plain.body.size() / 2) << accept;
    EXPECT_EQ(Gunzip(gz.body), plain.body) << accept;
  }
  for (const char* refuse : {"gzip;q=0", "identity", "br"}) {
    Resp r = Http(Port(), "GET", asset, "", {{"Accept-Encoding", refuse}});
    EXPECT_EQ(r.headers.count("content-encoding"), 0u) << refuse;
    EXPECT_EQ(r.body, plain.body) << refuse;
  }
  // The API's answers are never kept.
  EXPECT_EQ(Http(Port(), "GET", "/api/v1/session").headers["cache-control"], "no-store");
}

TEST_F(ServerTest, SessionCookieFlagsLoginAndLogout) {
  Resp r = Http(Port(), "POST", "/api/v1/session", json{{"username", "ana"}, {"password", kPassword}}.dump());
  ASSERT_EQ(r.status, 200);
  const std::string cookie = r.headers["set-cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Path=/"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // no proxy trusted: plain HTTP on loopback
  EXPECT_EQ(r.Json()["role"], "analyst");
  const std::string c = cookie.substr(0, cookie.find(';'));
  const std::string csrf = r.Json()["csrf"];
  EXPECT_EQ(Http(Port(), "GET", "/api/v1/session", "", {{"Cookie", c}}).status, 200);
  EXPECT_EQ(Http(Port(), "DELETE", "/api/v1/session", "", {{"Cookie", c}}).status, 403);  // no CSRF token
  EXPECT_EQ(Http(Port(), "DELETE", "/api/v1/session", "", {{"Cookie", c}, {"X-CSRF-Token", csrf}}).status, 200);
  EXPECT_EQ(Http(Port(), "GET", "/api/v1/session", "", {{"Cookie", c}}).status, 401);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/session", "not json").status, 400);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/session", json{{"username", "ana"}, {"password", "wrong"}}.dump()).status,
            401);
  EXPECT_EQ(Http(Port(), "POST", "/api/v1/session", json{{"username", "nobody"}, {"password", "wrong"}}.dump()).status,
            401);
}

TEST_F(ServerTest, FiveFailedLoginsLockTheUser) {
  const std::string wrong = json{{"username", "locked"}, {"password", "wrong-password"}}.dump();
  for (int i = 0; i < kMaxFailedLogins; ++i) EXPECT_EQ(Http(Port(), "POST", "/api/v1/session", wrong).status, 401);
  Resp r = Http(Port(), "POST", "/api/v1/session", json{{"username", "locked"}, {"password", kPassword}}.dump());
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.Json()["error"]["id"], "auth.locked");
  int failed = 0, locked = 0;
  for (const auto& e : Get("root", "/api/v1/audit").Json()) {
    if (e["action"] == "login" && e["entity"] == "locked") {
      failed += e["result"] == "failed";
      locked += e["result"] == "locked";
    }
  }
  EXPECT_EQ(failed, kMaxFailedLogins);
  EXPECT_EQ(locked, 1);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), Port()));
  for (int i = 0; i < 3; ++i) {
    Resp r = Send(stream, "GET", "/api/v1/zones", "", Bearer("nat"), true);
    EXPECT_EQ(r.status, 200);
  }
}

TEST(ServerLimits, BodyOverTheLimitLoginRateProxyAndGracefulStop) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cs-server-limits-{}", getpid());
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "d.db").string();
  ASSERT_EQ(RunCli("--db " + db + " init").exit_code, 0);
  {
    auto store = OpenStore(db, {.create = false});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE(Users(**store).Add("nat", Role::kNational, "", kPassword, "test").ok());
  }
  ServerOptions options;
  options.db = db;
  options.port = 0;
  options.threads = 2;
  options.body_limit = 1 << 20;
  options.login_rate_per_minute = 3;
  options.trust_proxy = true;
  options.shutdown_grace = std::chrono::seconds(5);
  auto server = Server::Start(options);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  const uint16_t port = (*server)->port();
  const std::string login = json{{"username", "nat"}, {"password", kPassword}}.dump();
  // Behind a trusted proxy: Secure when the proxy says TLS; the rate limit counts the proxy's client address.
  Resp first =
      Http(port, "POST", "/api/v1/session", login, {{"X-Forwarded-Proto", "https"}, {"X-Forwarded-For", "10.0.0.1"}});
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.headers["set-cookie"].find("; Secure"), std::string::npos);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(Http(port, "POST", "/api/v1/session", login, {{"X-Forwarded-For", "10.0.0.1"}}).status, 200);
  }
  EXPECT_EQ(Http(port, "POST", "/api/v1/session", login, {{"X-Forwarded-For", "10.0.0.1"}}).status, 429);
  EXPECT_EQ(Http(port, "POST", "/api/v1/session", login, {{"X-Forwarded-For", "10.0.0.2"}}).status, 200);
  // 413 from the header alone, before any of the body is read (so the client need not send it).
  {
    asio::io_context io;
    beast::tcp_stream s(io);
    s.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    const std::string head =
        "POST /api/v1/imports?kind=reports HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: "
        "2097152\r\n\r\n";
    asio::write(s, asio::buffer(head));
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(s, buffer, res);
    EXPECT_EQ(res.result_int(), 413u);
    EXPECT_EQ(json::parse(res.body())["error"]["id"], "request.too_large");
  }
  // An idle keep-alive connection does not hold up the stop.
  asio::io_context ioc;
  beast::tcp_stream idle(ioc);
  idle.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  EXPECT_EQ(Send(idle, "GET", "/", "", {}, true).status, 200);
  const auto t0 = std::chrono::steady_clock::now();
  (*server)->Stop();
  (*server)->Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  beast::error_code ec;
  asio::ip::tcp::socket probe(ioc);
  probe.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  EXPECT_TRUE(ec) << "still accepting after Stop()";
  server->reset();
  std::filesystem::remove_all(dir);
}

TEST(ServerStart, RefusesAMissingDatabase) {
  ServerOptions options;
  options.db = "/nonexistent/dir/x.db";
  options.port = 0;
  auto server = Server::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), StatusCode::kEnvironment);
}

// The CLI: users from stdin (never argv), the tty refusal, tokens printed once; serve until SIGTERM.
TEST(ServerCli, UsersCommandsAndServeStopsOnSigterm) {
  auto dir = std::filesystem::temp_directory_path() / fmt::format("cs-server-cli-{}", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "d.db").string();
  const std::string pw = (dir / "pw").string();
  { std::ofstream(pw) << kPassword << "\n"; }
  EXPECT_EQ(RunCli("--db " + db + " users list").exit_code, 3);  // no database yet: nothing created
  EXPECT_FALSE(std::filesystem::exists(db));
  ASSERT_EQ(RunCli("--db " + db + " init").exit_code, 0);
  auto added = RunCli("--db " + db + " users add li --role province --scope 63 --password-stdin < " + pw);
  EXPECT_EQ(added.exit_code, 0) << added.err;
  // Not a terminal and no --password-stdin: refused, nothing read from argv.
  EXPECT_EQ(RunCli("--db " + db + " users add wu --role analyst < /dev/null").exit_code, 2);
  EXPECT_EQ(RunCli("--db " + db + " users add wu --role zone --scope NOPE --password-stdin < " + pw).exit_code, 1);
  EXPECT_EQ(RunCli("--db " + db + " users add li --role analyst --password-stdin < " + pw).exit_code, 1);
  auto list = RunCli("--db " + db + " users list --format csv");
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("li,province,63,0,"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(kPassword), std::string::npos);
  auto token = RunCli("--db " + db + " users token li --expires 2");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  EXPECT_TRUE(token.out.starts_with("cst_"));
  EXPECT_EQ(RunCli("--db " + db + " users disable li").exit_code, 0);
  EXPECT_NE(RunCli("--db " + db + " users list --format csv").out.find("li,province,63,1,"), std::string::npos);
  EXPECT_EQ(RunCli("--db " + db + " users enable li").exit_code, 0);
  EXPECT_EQ(RunCli("--db " + db + " users password li --password-stdin < " + pw).exit_code, 0);
  EXPECT_EQ(RunCli("--db " + db + " users disable nobody").exit_code, 1);

  // serve on a free port; the address goes to stderr once bound; SIGTERM stops it gracefully.
  const std::string log = (dir / "serve.log").string();
  const std::string pidfile = (dir / "pid").string();
  ASSERT_EQ(std::system(fmt::format("LANG=C {} --db {} serve --port 0 --threads 2 2>{} & echo $! > {}",
                                    testing::CliPath(), db, log, pidfile)
                            .c_str()),
            0);
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const std::string text = testing::ReadAll(log);
    if (size_t at = text.find("http://127.0.0.1:"); at != std::string::npos) port = std::atoi(text.c_str() + at + 17);
  }
  ASSERT_GT(port, 0) << testing::ReadAll(log);
  EXPECT_EQ(Http(static_cast<uint16_t>(port), "GET", "/").status, 200);
  const int pid = std::stoi(testing::ReadAll(pidfile));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    gone = kill(pid, 0) != 0;
  }
  EXPECT_TRUE(gone);
  EXPECT_NE(testing::ReadAll(log).find("stopped"), std::string::npos) << testing::ReadAll(log);
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- the indicator rows' JSON

// server/indicator_json.h writes the rows straight to a string: byte for byte what the tree of
// IndicatorValueToJson rows dumped, for every unit, integers, yuan with and without fen, doubles
// short and long, tiny and huge, non-finite, nulls with each reason, and names with quotes,
// backslashes, control characters and CJK; invalid UTF-8 is left to the tree.
TEST(IndicatorJson, RowsAreTheBytesOfTheTreeDumped) {
  std::vector<IndicatorValue> values;
  const std::vector<std::string> names = {"青藏高原特色生物资源与中藏药产业集群",
                                          "plain",
                                          "a \"quoted\" \\ name",
                                          std::string("tab\tnl\ncr\rbs\bff\f\x01\x1f\x7f end"),
                                          "",
                                          "emoji \xF0\x9F\x98\x80 €"};
  const std::vector<double> reals = {0.0,
                                     -0.0,
                                     0.1,
                                     1.0 / 3,
                                     2.5,
                                     1e-7,
                                     123456789.125,
                                     1e15,
                                     1e16,
                                     1e21,
                                     -4.2e-5,
                                     5e-324,
                                     1.7976931348623157e308,
                                     std::nan(""),
                                     std::numeric_limits<double>::infinity(),
                                     0.30000000000000004};
  const std::vector<int64_t> integers = {
      0, 1, -1, 100, 12345, 1234500, -987654321099, 9007199254740991, INT64_MAX, INT64_MIN + 1, 199, -199, 5};
  const EntityKind kinds[] = {EntityKind::kCluster, EntityKind::kZone, EntityKind::kRegion, EntityKind::kCountry};
  size_t k = 0;
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    for (int variant = 0; variant < 4; ++variant, ++k) {
      IndicatorValue v;
      v.entity = {kinds[k % 4], k % 4 == 3 ? std::string() : fmt::format("ID-{}", k)};
      v.entity_name = names[k % names.size()];
      v.year = 2000 + static_cast<int>(k % 30);
      v.indicator = &info;
      v.coverage = reals[k % reals.size()];
      if (variant == 0) {
        v.integer = integers[k % integers.size()];
      } else if (variant == 1) {
        v.real = reals[(k * 7) % reals.size()];
      } else {
        v.reason = static_cast<NullReason>(1 + k % 7);
      }
      values.push_back(std::move(v));
    }
  }
  ASSERT_GT(values.size(), 100u);
  nlohmann::ordered_json ordered = nlohmann::ordered_json::array();  // the server's tree
  std::vector<IndicatorValue> kept;
  for (const IndicatorValue& v : values) {
    // Money past 2^53 fen is left to the tree (checked below); the rest is compared here.
    if (v.integer && v.indicator->unit == IndicatorUnit::kYuan && *v.integer % 100 != 0 &&
        (*v.integer >= (int64_t{1} << 53) || *v.integer <= -(int64_t{1} << 53)))
      continue;
    ordered.push_back(IndicatorValueToJson(v));
    kept.push_back(v);
  }
  std::string direct;
  ASSERT_TRUE(server::AppendIndicatorRowsJson(direct, kept));
  EXPECT_EQ(direct, ordered.dump());
  for (size_t i = 0; i < kept.size(); ++i) {
    std::string one;
    ASSERT_TRUE(server::AppendIndicatorRowsJson(one, std::span(&kept[i], 1)));
    ASSERT_EQ(one, "[" + IndicatorValueToJson(kept[i]).dump() + "]") << i;
  }
  // Runs of rows of one entity (as an answer is), its name changing between runs.
  std::vector<IndicatorValue> runs(kept.begin(), kept.begin() + 60);
  nlohmann::ordered_json runs_tree = nlohmann::ordered_json::array();
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].entity.id = i < 30 ? "QH-BIO" : "XNGX";
    runs[i].entity_name = names[(i / 7) % names.size()];
    runs_tree.push_back(IndicatorValueToJson(runs[i]));
  }
  std::string runs_direct;
  ASSERT_TRUE(server::AppendIndicatorRowsJson(runs_direct, runs));
  EXPECT_EQ(runs_direct, runs_tree.dump());
  std::string empty;
  ASSERT_TRUE(server::AppendIndicatorRowsJson(empty, {}));
  EXPECT_EQ(empty, "[]");

  // Left to the tree: invalid UTF-8 (an overlong, a lone continuation, a surrogate, a truncated
  // sequence) and yuan with fen past 2^53.
  for (const std::string& bad :
       {std::string("\xC0\xAF"), std::string("\x80"), std::string("\xED\xA0\x80"), std::string("ab\xE4\xB8")}) {
    IndicatorValue v = kept[0];
    v.entity_name = bad;
    std::string out;
    EXPECT_FALSE(server::AppendIndicatorRowsJson(out, std::span(&v, 1))) << bad;
  }
  IndicatorValue money = kept[0];
  money.indicator = nullptr;
  for (const IndicatorInfo& info : IndicatorCatalogue()) {
    if (info.unit == IndicatorUnit::kYuan) money.indicator = &info;
  }
  ASSERT_NE(money.indicator, nullptr);
  money.real.reset();
  money.integer = (int64_t{1} << 53) + 1;
  std::string out;
  EXPECT_FALSE(server::AppendIndicatorRowsJson(out, std::span(&money, 1)));
  money.integer = (int64_t{1} << 53) - 1;  // the last one written directly
  out.clear();
  ASSERT_TRUE(server::AppendIndicatorRowsJson(out, std::span(&money, 1)));
  EXPECT_EQ(out, "[" + IndicatorValueToJson(money).dump() + "]");
}

// ---------------------------------------------------------------- a killed server

// `serve` on a free port as its own process; its pid and port (read from its log).
struct Served {
  int pid = 0;
  uint16_t port = 0;
};
Served StartServe(const std::string& db, const std::string& dir) {
  const std::string log = dir + "/serve.log";
  const std::string pidfile = dir + "/pid";
  std::filesystem::remove(log);
  EXPECT_EQ(std::system(fmt::format("LANG=C {} --db {} serve --port 0 --threads 2 2>{} & echo $! > {}",
                                    testing::CliPath(), db, log, pidfile)
                            .c_str()),
            0);
  Served s;
  for (int i = 0; i < 300 && s.port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const std::string text = testing::ReadAll(log);
    if (size_t at = text.find("http://127.0.0.1:"); at != std::string::npos) {
      s.port = static_cast<uint16_t>(std::atoi(text.c_str() + at + 17));
    }
  }
  s.pid = std::stoi(testing::ReadAll(pidfile));
  return s;
}

void WaitGone(int pid) {
  for (int i = 0; i < 500 && kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

// `db` afresh as a copy of `pristine` (no WAL left from a killed server).
void CopyFresh(const std::string& pristine, const std::string& db) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  std::filesystem::copy_file(pristine, db);
}

struct KillCounts {
  int spread = 0;  // kills at delays spread over 1.3 × the uninterrupted time
  int none = 0, all = 0, other = 0;
};

// SIGKILLs `serve` on a fresh copy of `pristine` while `send` talks to it, at delays spread over
// 1.3 × `t` ($CS_CRASH_ITERATIONS times, else 8), then up to six more aimed at whichever outcome
// never came up (a busy machine can stretch the work past every kill, or a kill can always land
// first), as in the CLI's kill test. After each kill the database must pass its integrity check,
// and `outcome(delay)` says what it holds: 0 none of the work, 1 all of it, 2 anything else.
KillCounts KillDuring(const std::string& pristine, const std::string& db, const std::string& dir, double t,
                      const std::function<void(uint16_t port)>& send, const std::function<int(double)>& outcome) {
  const char* env = std::getenv("CS_CRASH_ITERATIONS");
  KillCounts k;
  k.spread = env != nullptr && std::atoi(env) > 0 ? std::atoi(env) : 8;
  const auto kill_after = [&](double seconds) {
    CopyFresh(pristine, db);
    Served s = StartServe(db, dir);
    if (s.port <= 0) {
      ADD_FAILURE() << testing::ReadAll(dir + "/serve.log");
      return;
    }
    std::thread client([&] {
      try {
        send(s.port);
      } catch (const std::exception&) {
        // the connection dies with the server
      }
    });
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    kill(s.pid, SIGKILL);
    WaitGone(s.pid);
    client.join();
    EXPECT_EQ(Query1(db, "PRAGMA integrity_check"), "ok");
    const int o = outcome(seconds);
    (o == 0 ? k.none : o == 1 ? k.all : k.other) += 1;
  };
  for (int i = 0; i < k.spread; ++i) kill_after((i + 0.5) / k.spread * 1.3 * t);
  for (int extra = 0; extra < 6 && (k.all == 0 || k.none == 0); ++extra) {
    kill_after(k.all == 0 ? (2.0 + extra) * t : 0.02 * t);
  }
  return k;
}

// A national user "nat" added to `users`, and a bearer token of theirs ("" on failure).
std::string NationalToken(Users& users) {
  if (!users.Add("nat", Role::kNational, "", kPassword, "test").ok()) return "";
  auto t = users.IssueToken("nat", 30, "test");
  return t.ok() ? *t : "";
}

// api.md: an import over HTTP (what accepting a submission runs too: Api::Accept and Api::Imports
// both call RunImport) killed at any point leaves the database holding all of the file or none of
// it. SIGKILL at delays spread over 1.3 × an uninterrupted import, $CS_CRASH_ITERATIONS times (8).
TEST(ServerKill, AnImportKilledAtAnyPointLeavesAllOrNothing) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / fmt::format("cs-server-kill-{}", getpid())).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string pristine = dir + "/pristine.db";
  const std::string db = dir + "/work.db";
  ASSERT_EQ(testing::DemoDatabase(pristine).exit_code, 0);
  std::string token;
  {
    auto store = OpenStore(pristine, {.create = false});
    ASSERT_TRUE(store.ok());
    Users users(**store);
    token = NationalToken(users);
    ASSERT_FALSE(token.empty());
  }
  // Every firm's reports for years the demo does not have: one file of some 18,000 rows.
  std::string csv = "uscc,year,revenue,employees,tech_staff\n";
  size_t rows = 0;
  for (const std::string& uscc : QuerySet(pristine, "SELECT uscc FROM firms")) {
    for (int year = 2017; year <= 2025; ++year, ++rows)
      csv += fmt::format("{},{},{},{},{}\n", uscc, year, 4000 + year, 20, 3);
  }
  const std::string count_sql = "SELECT count(*) FROM reports WHERE year >= 2017";
  ASSERT_EQ(Query1(pristine, count_sql), "0");
  const Headers headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "text/csv"}};
  // One uninterrupted import, timed.
  CopyFresh(pristine, db);
  Served s = StartServe(db, dir);
  ASSERT_GT(s.port, 0) << testing::ReadAll(dir + "/serve.log");
  const auto start = std::chrono::steady_clock::now();
  Resp r = Http(s.port, "POST", "/api/v1/imports?kind=reports&file=r.csv", csv, headers);
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.status, 200) << r.body;
  kill(s.pid, SIGTERM);
  WaitGone(s.pid);
  ASSERT_EQ(Query1(db, count_sql), std::to_string(rows));

  const KillCounts k = KillDuring(
      pristine, db, dir, t,
      [&](uint16_t port) { (void)Http(port, "POST", "/api/v1/imports?kind=reports&file=r.csv", csv, headers); },
      [&](double) {
        const std::string got = Query1(db, count_sql);
        return got == "0" ? 0 : got == std::to_string(rows) ? 1 : 2;
      });
  const int none = k.none, all = k.all, partial = k.other, n = k.spread;
  std::printf(
      "server kill test: %d kills (%d spread over %.2f s; an import took %.2f s): none %d, all %d, partial %d\n",
      none + all + partial, n, 1.3 * t, t, none, all, partial);
  EXPECT_EQ(partial, 0);
  EXPECT_GT(none, 0);
  EXPECT_GT(all, 0);
  std::filesystem::remove_all(dir);
}

// api.md: accepting a submission imports its reports and marks it accepted in one transaction (with
// the audit line that says so), so a kill at any point leaves it "submitted" with none of its rows
// and no "accept ok" line, or "accepted" with all of them and the line; never one without the
// other. SIGKILL at delays spread over 1.3 × an uninterrupted accept, $CS_CRASH_ITERATIONS times (8).
TEST(ServerKill, AnAcceptKilledAtAnyPointLeavesItSubmittedWithNoRowsOrAcceptedWithAll) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / fmt::format("cs-server-kill-accept-{}", getpid())).string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string pristine = dir + "/pristine.db";
  const std::string db = dir + "/work.db";
  ASSERT_EQ(testing::DemoDatabase(pristine).exit_code, 0);
  const std::string uscc = Query1(pristine, "SELECT uscc FROM firms ORDER BY uscc LIMIT 1");
  ASSERT_FALSE(uscc.empty());
  // The firm's reports for every year from 1990 (the first the importer takes) the demo lacks.
  const std::set<std::string> have =
      QuerySet(pristine, fmt::format("SELECT CAST(year AS TEXT) FROM reports WHERE uscc = '{}'", uscc));
  std::string csv = "uscc,year,revenue,employees,tech_staff\n";
  size_t rows = 0;
  for (int year = 1990; year <= 2025; ++year) {
    if (have.contains(std::to_string(year))) continue;
    csv += fmt::format("{},{},{},{},{}\n", uscc, year, 4000 + year, 20, 3);
    ++rows;
  }
  ASSERT_GT(rows, 10u);
  std::string token;
  std::string id;
  {
    auto store = OpenStore(pristine, {.create = false});
    ASSERT_TRUE(store.ok());
    Users users(**store);
    token = NationalToken(users);
    ASSERT_FALSE(token.empty());
    Submission sub;
    sub.kind = "reports";
    sub.uscc = uscc;
    sub.status = "submitted";
    sub.file_name = "r.csv";
    sub.content_type = "text/csv";
    sub.sha256 = Sha256Hex(csv);
    sub.body = csv;
    sub.reasons_json = "[]";
    sub.submitted_by = "firm";
    sub.submitted_at = IsoTime(std::chrono::system_clock::now());
    auto put = users.PutSubmission(sub);
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    id = *put;
  }
  const std::string count_sql = fmt::format("SELECT count(*) FROM reports WHERE uscc = '{}'", uscc);
  const int64_t before = std::stoll(Query1(pristine, count_sql));
  const std::string status_sql = fmt::format("SELECT status FROM submissions WHERE id = '{}'", id);
  const std::string audit_sql =
      fmt::format("SELECT count(*) FROM audit_log WHERE action = 'accept' AND result = 'ok' AND entity = '{}'", id);
  const std::string target = "/api/v1/submissions/" + id + "/accept";
  const Headers headers = {{"Authorization", "Bearer " + token}};
  // One uninterrupted accept, timed.
  CopyFresh(pristine, db);
  Served s = StartServe(db, dir);
  ASSERT_GT(s.port, 0) << testing::ReadAll(dir + "/serve.log");
  const auto start = std::chrono::steady_clock::now();
  Resp r = Http(s.port, "POST", target, "", headers);
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["written"], true);
  EXPECT_EQ(Http(s.port, "POST", target, "", headers).status, 409) << "accepted once only";
  kill(s.pid, SIGTERM);
  WaitGone(s.pid);
  ASSERT_EQ(Query1(db, status_sql), "accepted");
  ASSERT_EQ(std::stoll(Query1(db, count_sql)), before + static_cast<int64_t>(rows));
  ASSERT_EQ(Query1(db, audit_sql), "1");

  const KillCounts k = KillDuring(
      pristine, db, dir, t, [&](uint16_t port) { (void)Http(port, "POST", target, "", headers); },
      [&](double seconds) {
        const int64_t added = std::stoll(Query1(db, count_sql)) - before;
        const std::string status = Query1(db, status_sql);
        const std::string audited = Query1(db, audit_sql);
        if (status == "submitted" && added == 0 && audited == "0") return 0;
        if (status == "accepted" && added == static_cast<int64_t>(rows) && audited == "1") return 1;
        ADD_FAILURE() << "after a kill at " << seconds << " s: status " << status << ", " << added << " of " << rows
                      << " rows, " << audited << " accept lines";
        return 2;
      });
  const int none = k.none, all = k.all, broken = k.other, n = k.spread;
  std::printf(
      "server accept kill test: %d kills (%d spread over %.3f s; an accept took %.3f s): submitted %d, accepted %d, "
      "broken %d\n",
      none + all + broken, n, 1.3 * t, t, none, all, broken);
  EXPECT_EQ(broken, 0);
  EXPECT_GT(none, 0);
  EXPECT_GT(all, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clusterscope
