#include "server/api.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "clusterscope/answer.h"
#include "clusterscope/importer.h"
#include "clusterscope/indicators.h"
#include "clusterscope/registry.h"
#include "clusterscope/years.h"
#include "server/indicator_json.h"
#include "server/static_files.h"

namespace clusterscope::server {
namespace {

using json = nlohmann::ordered_json;

// How long an upload waits for another process's write lock (an import from the command line):
// a request thread waits no longer, then answers db.busy.
constexpr int kWriteWaitMs = 30'000;

constexpr unsigned Bit(Role r) { return 1u << static_cast<unsigned>(r); }
constexpr unsigned kAdmin = Bit(Role::kAdmin);
constexpr unsigned kNational = Bit(Role::kNational);
constexpr unsigned kProvince = Bit(Role::kProvince);
constexpr unsigned kZoneRole = Bit(Role::kZone);
constexpr unsigned kFirmRole = Bit(Role::kFirm);
constexpr unsigned kAnalyst = Bit(Role::kAnalyst);
constexpr unsigned kReviewers = kNational | kProvince | kZoneRole;
constexpr unsigned kDataReaders = kNational | kProvince | kZoneRole | kAnalyst;
constexpr unsigned kAnyone = kAdmin | kDataReaders | kFirmRole;

constexpr std::string_view kCookie = "cs_session";
constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// A status made here carries both languages in one message, "English / 中文" (as users.cpp does).
Status Bilingual(StatusCode code, std::string_view id, const std::string& en, const std::string& zh) {
  const std::string msg = fmt::format("{} / {}", en, zh);
  Status s;
  switch (code) {
    case StatusCode::kNotFound:
      s = Status::NotFound(msg);
      break;
    case StatusCode::kConflict:
      s = Status::Conflict(msg);
      break;
    case StatusCode::kUsage:
      s = Status::Usage(msg);
      break;
    default:
      s = Status::InvalidInput(msg);
  }
  return s.WithId(std::string(id));
}

Status BadParam(const std::string& name, const std::string& en, const std::string& zh) {
  return Bilingual(StatusCode::kUsage, "param." + name, fmt::format("{}: {}", name, en),
                   fmt::format("{}：{}", name, zh));
}

// The same answer for an entity that does not exist and one outside the caller's scope.
Status NotFound(std::string_view what_en, std::string_view what_zh, const std::string& id) {
  return Bilingual(StatusCode::kNotFound, "not_found", fmt::format("no {} \"{}\"", what_en, id),
                   fmt::format("没有{}“{}”", what_zh, id));
}

Status Forbidden() {
  return Bilingual(StatusCode::kInvalidInput, "auth.forbidden", "your role may not do this", "您的角色无权执行此操作");
}

std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::string CookieValue(const std::string& header, std::string_view name) {
  for (const std::string& part : Split(header, ';')) {
    std::string_view p = part;
    while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    if (p.size() > name.size() && p.substr(0, name.size()) == name && p[name.size()] == '=') {
      return std::string(p.substr(name.size() + 1));
    }
  }
  return {};
}

HttpReply JsonReply(int status, const json& body) {
  HttpReply r;
  r.status = status;
  r.body = body.dump();
  return r;
}

json ProblemJson(const Problem& p) {
  return {{"file", p.file},
          {"row", p.row},
          {"column", p.column},
          {"value", p.value},
          {"rule", p.rule},
          {"severity", p.severity == Severity::kError ? "error" : "warning"},
          {"message_zh", p.message_zh},
          {"message_en", p.message_en}};
}

HttpReply Refused(const ImportOutcome& outcome, std::string_view id, const std::vector<const Problem*>& problems,
                  Lang lang) {
  const bool reasons = id == "submission.reason_required";
  const std::string en = reasons ? "each warning needs a written reason; nothing was stored"
                                 : fmt::format("import refused: {} errors; nothing was written", outcome.errors());
  const std::string zh = reasons ? "每条警告都须填写理由；未作任何保存"
                                 : fmt::format("导入被拒绝：{}处错误；未写入任何数据", outcome.errors());
  json list = json::array();
  for (const Problem* p : problems) list.push_back(ProblemJson(*p));
  json err = {{"id", id},
              {"message", lang == Lang::kZh ? zh : en},
              {"message_zh", zh},
              {"message_en", en},
              {"problems", std::move(list)}};
  return JsonReply(422, {{"error", std::move(err)}});
}

json FilesJson(const ImportOutcome& outcome) {
  json files = json::array();
  for (const FileOutcome& f : outcome.files) {
    files.push_back({{"file", f.input.path},
                     {"kind", KindId(f.input.kind)},
                     {"encoding", f.encoding},
                     {"rows", f.rows},
                     {"added", f.added},
                     {"replaced", f.replaced},
                     {"unchanged", f.unchanged},
                     {"errors", f.errors},
                     {"warnings", f.warnings}});
  }
  return files;
}

// `text` as a whole number in [lo, hi], or nullopt.
std::optional<int> WholeNumber(const std::string& text, int lo, int hi) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

Result<int> ParseYear(const std::string& name, const std::string& text) {
  if (auto y = WholeNumber(text, kMinYear, kMaxYear)) return *y;
  return BadParam(name, fmt::format("\"{}\" is not a year {}–{}", text, kMinYear, kMaxYear),
                  fmt::format("“{}”不是{}–{}之间的年份", text, kMinYear, kMaxYear));
}

// An optional whole-number parameter in [lo, hi]: `fallback` when the query does not give it.
Result<int> IntParam(const std::string& name, const std::string& text, int lo, int hi, int fallback) {
  if (text.empty()) return fallback;
  if (auto v = WholeNumber(text, lo, hi)) return *v;
  return BadParam(name, fmt::format("\"{}\": a whole number {}–{}", text, lo, hi),
                  fmt::format("“{}”：应为{}–{}的整数", text, lo, hi));
}

// An optional year parameter: nullopt when the query does not give it.
Result<std::optional<int>> OptionalYear(const std::string& name, const std::string& text) {
  if (text.empty()) return std::optional<int>();
  CS_ASSIGN_OR_RETURN(int y, ParseYear(name, text));
  return std::optional<int>(y);
}

bool Flag(const std::string& v) { return v == "1" || v == "true" || v == "yes"; }

std::string Upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
  return s;
}

// A private directory (mode 0700, mkdtemp) removed with everything in it when this goes: for the
// files the importer reads and the workbook writes, which work on paths, not on memory.
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> Make() {
    std::string dir = (std::filesystem::temp_directory_path() / "cs-serve-XXXXXX").string();
    if (mkdtemp(dir.data()) == nullptr) {
      return Status::Environment("cannot create a temporary directory").WithId("server.tmp");
    }
    return std::unique_ptr<TempDir>(new TempDir(std::move(dir)));
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (dir_ / name).string(); }

 private:
  explicit TempDir(std::string dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return Status::Environment("cannot read back a temporary file").WithId("server.tmp");
  return bytes;
}

json SubmissionJson(const Submission& s) {
  json reasons = json::parse(s.reasons_json.empty() ? "[]" : s.reasons_json, nullptr, false);
  return {{"id", s.id},
          {"kind", s.kind},
          {"uscc", s.uscc},
          {"status", s.status},
          {"file_name", s.file_name},
          {"sha256", s.sha256},
          {"reasons", reasons.is_discarded() ? json::array() : reasons},
          {"submitted_by", s.submitted_by},
          {"submitted_at", s.submitted_at},
          {"reviewed_by", s.reviewed_by},
          {"reviewed_at", s.reviewed_at},
          {"note", s.note}};
}

}  // namespace

// ---------------------------------------------------------------- the route table
// Diagnosis, brief and qualification name firms (backbone firms, the pipeline, the firm itself),
// so they are not the analyst's (api.md: no firm-level record, name or code); evaluations and
// place measures are aggregates, every data reader's.
const std::vector<Route>& Api::Routes() {
  static const std::vector<Route> routes = {
      {"GET", "/api/v1/session", kAnyone, &Api::SessionInfo},
      {"DELETE", "/api/v1/session", kAnyone, &Api::Logout},
      {"GET", "/api/v1/catalogue", kDataReaders | kFirmRole, &Api::Catalogue, true},
      {"GET", "/api/v1/zones", kDataReaders, &Api::Zones, true},
      {"GET", "/api/v1/zones/{id}", kDataReaders, &Api::Zone, true},
      {"GET", "/api/v1/zones/{id}/indicators", kDataReaders, &Api::ZoneIndicators, true},
      {"GET", "/api/v1/clusters", kDataReaders | kFirmRole, &Api::Clusters, true},
      {"GET", "/api/v1/clusters/{id}", kDataReaders | kFirmRole, &Api::Cluster, true},
      {"GET", "/api/v1/clusters/{id}/indicators", kDataReaders, &Api::ClusterIndicators, true},
      {"GET", "/api/v1/regions/{code}/indicators", kNational | kProvince | kAnalyst, &Api::RegionIndicators, true},
      {"GET", "/api/v1/country/indicators", kNational | kAnalyst, &Api::CountryIndicators, true},
      {"GET", "/api/v1/firms", kReviewers | kFirmRole, &Api::Firms},
      {"GET", "/api/v1/firms/{uscc}", kReviewers | kFirmRole, &Api::Firm},
      {"GET", "/api/v1/firms/{uscc}/reports", kReviewers | kFirmRole, &Api::FirmReports},
      {"POST", "/api/v1/imports", kReviewers, &Api::Imports},
      {"POST", "/api/v1/submissions", kFirmRole, &Api::Submit},
      {"GET", "/api/v1/submissions", kReviewers | kFirmRole, &Api::SubmissionList},
      {"POST", "/api/v1/submissions/{id}/accept", kReviewers, &Api::Accept},
      {"POST", "/api/v1/submissions/{id}/return", kReviewers, &Api::Return},
      {"GET", "/api/v1/audit", kAdmin, &Api::AuditLog},
      {"GET", "/api/v1/evaluations", kDataReaders, &Api::Evaluations, true},
      {"GET", "/api/v1/clusters/{id}/diagnosis", kReviewers, &Api::ClusterDiagnosis, true},
      {"GET", "/api/v1/clusters/{id}/brief", kReviewers, &Api::ClusterBrief},
      {"GET", "/api/v1/firms/{uscc}/qualification", kReviewers | kFirmRole, &Api::FirmQualification},
      {"GET", "/api/v1/place/{measure}", kNational | kProvince | kAnalyst, &Api::Place, true},
  };
  return routes;
}

// ---------------------------------------------------------------- errors and headers

const std::vector<std::pair<std::string, std::string>>& SecurityHeaders() {
  static const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Content-Type-Options", "nosniff"},
      {"Content-Security-Policy", "default-src 'self'"},
      {"Referrer-Policy", "same-origin"},
      {"X-Frame-Options", "DENY"},
  };
  return headers;
}

int HttpStatusOf(const Status& status) {
  static const std::map<std::string_view, int> by_id = {
      {"auth.required", 401},   {"auth.failed", 401},    {"auth.invalid", 401},      {"auth.expired", 401},
      {"auth.disabled", 401},   {"auth.forbidden", 403}, {"auth.csrf", 403},         {"scope.forbidden", 403},
      {"auth.locked", 429},     {"rate.limited", 429},   {"request.too_large", 413}, {"import.refused", 422},
      {"endpoint.method", 405}, {"request.bad", 400},    {"place.busy", 429},        {"db.busy", 503},
  };
  auto it = by_id.find(status.id());
  return it != by_id.end() ? it->second : HttpStatusFor(status);
}

HttpReply ErrorReply(const Status& status, Lang lang) {
  const int code = HttpStatusOf(status);
  std::string en;
  std::string zh;
  if (code >= 500) {
    // Never internals (paths, SQL, what the library said) in the body: the log has them.
    en = fmt::format("the server could not answer ({}); the server's log has the details", status.id());
    zh = fmt::format("服务器无法完成请求（{}）；详情见服务器日志", status.id());
  } else {
    const std::string& m = status.message();
    size_t sep = m.rfind(" / ");
    if (sep != std::string::npos) {
      en = m.substr(0, sep);
      zh = m.substr(sep + 3);
    } else {
      // Messages from the core are in English; the Chinese says what kind of failure it is.
      en = m;
      switch (status.code()) {
        case StatusCode::kNotFound:
          zh = "未找到：" + m;
          break;
        case StatusCode::kConflict:
          zh = "与已存数据冲突：" + m;
          break;
        default:
          zh = "请求被拒绝：" + m;
      }
    }
  }
  json err = {{"id", status.id()}, {"message", lang == Lang::kZh ? zh : en}, {"message_zh", zh}, {"message_en", en}};
  return JsonReply(code, {{"error", std::move(err)}});
}

namespace {
// Whether an Accept-Encoding header takes gzip (RFC 9110 §12.5.3): "gzip" or "*" listed without
// q=0.
bool AcceptsGzip(std::string_view header) {
  for (const std::string& part : Split(header, ',')) {
    std::string_view item = part;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string params(item.substr(semi + 1));
    std::erase(params, ' ');
    if (params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000") return true;
  }
  return false;
}
}  // namespace

// ---------------------------------------------------------------- setup

Result<std::unique_ptr<Api>> Api::Open(const ServerOptions& options) {
  std::unique_ptr<Api> api(new Api(options));
  // Opened once now, so a missing database or an old schema is refused at start, not per request;
  // and the data set and the register index loaded now, before the address is given out, so that
  // the first request does not wait for them (17 s on the 1 M-firm panel at load 5, measured with
  // bench/dashboard_load.mjs: the dashboard's first page sat behind it).
  CS_ASSIGN_OR_RETURN(auto slot, api->Acquire());
  CS_RETURN_IF_ERROR(api->Current(*slot).status());
  api->Release(std::move(slot));
  return api;
}

Result<std::unique_ptr<Api::Slot>> Api::Acquire() {
  {
    std::lock_guard lock(pool_mu_);
    if (!free_.empty()) {
      auto slot = std::move(free_.back());
      free_.pop_back();
      return slot;
    }
  }
  auto slot = std::make_unique<Slot>();
  CS_ASSIGN_OR_RETURN(slot->ws, Workspace::Open(options_.db, WorkspaceMode::kRead));
  CS_ASSIGN_OR_RETURN(slot->users, Users::Open(options_.db));
  return slot;
}

void Api::Release(std::unique_ptr<Slot> slot) {
  std::lock_guard lock(pool_mu_);
  free_.push_back(std::move(slot));
}

Result<std::shared_ptr<const RegisterIndex>> Api::Current(Slot& slot) {
  CS_ASSIGN_OR_RETURN(int64_t generation, slot.ws->Generation());
  std::lock_guard lock(shared_mu_);
  if (shared_.generation != generation) {
    // This slot's workspace loads the data set (Data() reads the generation itself: a write
    // landing in between only makes the next request load once more).
    CS_ASSIGN_OR_RETURN(auto data, slot.ws->Data());
    CS_ASSIGN_OR_RETURN(auto index, RegisterIndex::Build(*slot.ws, generation));
    shared_ = {generation, std::move(data), std::move(index)};
#ifdef __GLIBC__
    // The load freed millions of small blocks; glibc merges them on the next large request, which
    // was the first answer's cost (about 200 ms on the 1 M-firm panel, all in malloc_consolidate).
    // Done here instead, by the request that loaded (at start: before the address is given out),
    // and the freed memory goes back to the system.
    malloc_trim(0);
#endif
  }
  if (slot.generation != shared_.generation) {
    slot.ws->ShareData(shared_.data, shared_.generation);
    slot.generation = shared_.generation;
  }
  return shared_.index;
}

namespace {
// How long an authenticated credential is taken on trust before the access tables are read
// again: a token revoked, a user disabled or a session ended by another process (the CLI) stops
// working within this (docs/server.md); a logout through this server at once.
constexpr auto kAuthReuse = std::chrono::seconds(1);
constexpr size_t kAuthEntries = 10000;
}  // namespace

Result<Principal> Api::Authenticate(Users& users, const std::string& token) {
  const std::string key = Sha256Hex(token);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(auth_mu_);
    auto it = known_.find(key);
    if (it != known_.end() && now - it->second.read_at < kAuthReuse) return it->second.principal;
  }
  // Failures are not kept: each is read again (and says why).
  CS_ASSIGN_OR_RETURN(Principal principal, users.Authenticate(token));
  std::lock_guard lock(auth_mu_);
  if (known_.size() >= kAuthEntries) known_.clear();
  known_[key] = {principal, now};
  return principal;
}

void Api::Forget(const std::string& token) {
  const std::string key = Sha256Hex(token);
  std::lock_guard lock(auth_mu_);
  known_.erase(key);
}

bool Api::LoginAllowed(const std::string& client) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(rate_mu_);
  auto& times = logins_[client];
  std::erase_if(times, [&](auto t) { return now - t > std::chrono::minutes(1); });
  if (static_cast<int>(times.size()) >= options_.login_rate_per_minute) return false;
  times.push_back(now);
  if (logins_.size() > 100000) logins_.clear();  // bounded memory under a flood of addresses
  return true;
}

// ---------------------------------------------------------------- dispatch

HttpReply Api::Handle(const HttpRequest& req) {
  // Chinese first (api.md); ?lang=en|zh, else an Accept-Language that starts with en, switch it.
  Lang lang = req.Header("accept-language").starts_with("en") ? Lang::kEn : Lang::kZh;
  if (size_t q = req.target.find('?'); q != std::string::npos) {
    for (const std::string& kv : Split(std::string_view(req.target).substr(q + 1), '&')) {
      if (kv == "lang=en") lang = Lang::kEn;
      if (kv == "lang=zh") lang = Lang::kZh;
    }
  }
  HttpReply reply;
  try {
    reply = Dispatch(req, lang);
  } catch (const std::bad_alloc&) {
    std::cerr << "clusterscope serve: out of memory answering " << req.method << " " << req.target << "\n";
    reply = ErrorReply(Status::Environment("out of memory").WithId("out_of_memory"), lang);
  } catch (const std::exception& e) {
    std::cerr << "clusterscope serve: internal error answering " << req.method << " " << req.target << ": " << e.what()
              << "\n";
    reply = ErrorReply(Status::Internal(e.what()), lang);
  }
  if (reply.status >= 500) {
    std::cerr << fmt::format("clusterscope serve: {} {} → {}\n", req.method, req.target, reply.status);
  }
  return reply;
}

HttpReply Api::Dispatch(const HttpRequest& req, Lang lang) {
  const size_t q = req.target.find('?');
  const std::string path = req.target.substr(0, q);
  std::map<std::string, std::string> query;
  if (q != std::string::npos) {
    for (const std::string& kv : Split(std::string_view(req.target).substr(q + 1), '&')) {
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      query[UrlDecode(kv.substr(0, eq))] = eq == std::string::npos ? "" : UrlDecode(kv.substr(eq + 1));
    }
  }
  if (!path.starts_with("/api/")) {
    // Only the embedded files: no path reaches the file system, so none can climb out of it.
    const StaticFile* f = FindStaticFile(path);
    if (f == nullptr || (req.method != "GET" && req.method != "HEAD")) {
      return ErrorReply(NotFound("page", "页面", path), lang);
    }
    HttpReply r;
    r.content_type = std::string(f->content_type);
    const bool gzip = !f->gzip.empty() && AcceptsGzip(req.Header("accept-encoding"));
    r.body = std::string(gzip ? f->gzip : f->body);
    if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
    if (!f->gzip.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
    // Vite names each built asset by a hash of its bytes: a name never changes meaning, so the
    // browser keeps it; the page that names them is asked again every time.
    r.headers.emplace_back("Cache-Control",
                           path.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    return r;
  }

  auto acquired = Acquire();
  if (!acquired.ok()) {
    std::cerr << "clusterscope serve: " << acquired.status().ToString() << "\n";
    return ErrorReply(acquired.status(), lang);
  }
  struct Giveback {
    Api* api;
    std::unique_ptr<Slot> slot;
    ~Giveback() { api->Release(std::move(slot)); }
  } lease{this, std::move(*acquired)};
  Slot& slot = *lease.slot;

  if (path == "/api/v1/session" && req.method == "POST") return Login(req, lang, slot);

  // The route: the pattern first (404 when none), then the method (405).
  const Route* route = nullptr;
  std::vector<std::string> params;
  std::string allowed;
  const std::vector<std::string> segments = Split(path, '/');
  // The patterns' segments, split once (not on every request).
  static const std::vector<std::vector<std::string>> patterns = [] {
    std::vector<std::vector<std::string>> out;
    for (const Route& r : Routes()) out.push_back(Split(r.pattern, '/'));
    return out;
  }();
  for (size_t k = 0; k < Routes().size(); ++k) {
    const Route& r = Routes()[k];
    const std::vector<std::string>& pattern = patterns[k];
    if (pattern.size() != segments.size()) continue;
    std::vector<std::string> captured;
    bool match = true;
    for (size_t i = 0; i < pattern.size() && match; ++i) {
      if (pattern[i].starts_with("{")) {
        captured.push_back(UrlDecode(segments[i]));
        match = !segments[i].empty();
      } else {
        match = pattern[i] == segments[i];
      }
    }
    if (!match) continue;
    if (r.method != req.method) {
      allowed += fmt::format("{}{}", allowed.empty() ? "" : ", ", r.method);
      continue;
    }
    route = &r;
    params = std::move(captured);
    break;
  }
  if (route == nullptr) {
    if (!allowed.empty()) {
      HttpReply r = ErrorReply(
          Bilingual(StatusCode::kUsage, "endpoint.method", fmt::format("{} does not take {}", path, req.method),
                    fmt::format("{}不支持{}", path, req.method)),
          lang);
      r.headers.emplace_back("Allow", allowed);
      return r;
    }
    return ErrorReply(NotFound("endpoint", "接口", path), lang);
  }

  // Who asks: a bearer token (scripts) or the session cookie (the dashboard).
  std::string token;
  const std::string authorization = req.Header("authorization");
  if (authorization.starts_with("Bearer ")) {
    token = authorization.substr(7);
  } else {
    token = CookieValue(req.Header("cookie"), kCookie);
  }
  if (token.empty()) {
    return ErrorReply(
        Bilingual(StatusCode::kInvalidInput, "auth.required", "log in or send a bearer token", "请先登录或提供令牌"),
        lang);
  }
  Users& users = *slot.users;
  auto principal = Authenticate(users, token);
  if (!principal.ok()) return ErrorReply(principal.status(), lang);
  if (principal->session && req.method != "GET" && req.method != "HEAD" &&
      !ConstantTimeEqual(req.Header("x-csrf-token"), principal->csrf)) {
    return ErrorReply(Bilingual(StatusCode::kInvalidInput, "auth.csrf",
                                "a state-changing request with the session cookie needs the X-CSRF-Token header",
                                "使用会话的写操作须带 X-CSRF-Token 请求头"),
                      lang);
  }
  if ((route->roles & Bit(principal->user.role)) == 0) return ErrorReply(Forbidden(), lang);

  auto index = Current(slot);
  if (!index.ok()) return ErrorReply(index.status(), lang);
  // After authentication, the CSRF and role checks: a hit is what the handler would answer this
  // role and scope at this generation.
  const int64_t generation = (*index)->generation;
  std::string cache_key;
  if (route->cached && cache_.enabled()) {
    cache_key = fmt::format("{}:{}|{}|{}", RoleId(principal->user.role), principal->user.scope,
                            lang == Lang::kZh ? "zh" : "en", req.target);
    if (auto hit = cache_.Find(generation, cache_key)) return *hit;
  }
  Call call{
      req, lang, *principal, std::move(params), std::move(query), *slot.ws, users, Scope(principal->user, *index)};
  HttpReply reply = (this->*(route->handler))(call);
  if (!cache_key.empty() && reply.status == 200) cache_.Put(generation, cache_key, std::make_shared<HttpReply>(reply));
  return reply;
}

HttpReply Api::Login(const HttpRequest& req, Lang lang, Slot& slot) {
  if (!LoginAllowed(req.client)) {
    return ErrorReply(
        Bilingual(StatusCode::kInvalidInput, "rate.limited", "too many logins from your address; wait a minute",
                  "来自您地址的登录过于频繁，请稍候一分钟"),
        lang);
  }
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("username") || !body.contains("password") ||
      !body["username"].is_string() || !body["password"].is_string()) {
    return ErrorReply(
        BadParam("body", "expected {\"username\": …, \"password\": …}", "应为 {\"username\": …, \"password\": …}"),
        lang);
  }
  auto grant = slot.users->Login(body["username"].get<std::string>(), body["password"].get<std::string>(), req.client);
  if (!grant.ok()) return ErrorReply(grant.status(), lang);
  const bool tls = options_.trust_proxy && req.Header("x-forwarded-proto") == "https";
  HttpReply r = JsonReply(200, {{"user", grant->user.name},
                                {"role", RoleId(grant->user.role)},
                                {"scope", grant->user.scope},
                                {"csrf", grant->csrf}});
  r.headers.emplace_back("Set-Cookie",
                         fmt::format("{}={}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{}", kCookie, grant->token,
                                     std::chrono::seconds(kSessionIdle).count(), tls ? "; Secure" : ""));
  return r;
}

void Api::AuditCall(Call& c, std::string action, std::string entity, std::string result, std::string sha256,
                    std::string detail) {
  const User& u = c.principal.user;
  Status s = c.users.Audit({.user = u.name,
                            .role = std::string(RoleId(u.role)),
                            .scope = u.scope,
                            .action = std::move(action),
                            .entity = std::move(entity),
                            .result = std::move(result),
                            .sha256 = std::move(sha256),
                            .client = c.req.client,
                            .detail = std::move(detail)});
  // A write whose audit line cannot be written is still done; the log says so loudly.
  if (!s.ok()) std::cerr << "clusterscope serve: AUDIT NOT WRITTEN: " << s.ToString() << "\n";
}

// ---------------------------------------------------------------- session

HttpReply Api::SessionInfo(Call& c) {
  const User& u = c.principal.user;
  json j = {{"user", u.name}, {"role", RoleId(u.role)}, {"scope", u.scope}};
  if (c.principal.session) j["csrf"] = c.principal.csrf;
  return JsonReply(200, j);
}

HttpReply Api::Logout(Call& c) {
  const std::string authorization = c.req.Header("authorization");
  const std::string token =
      authorization.starts_with("Bearer ") ? authorization.substr(7) : CookieValue(c.req.Header("cookie"), kCookie);
  Forget(token);
  Status s = c.users.Logout(token, c.req.client);
  if (!s.ok()) return ErrorReply(s, c.lang);
  HttpReply r = JsonReply(200, {{"logged_out", true}});
  r.headers.emplace_back("Set-Cookie", fmt::format("{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0", kCookie));
  return r;
}

// ---------------------------------------------------------------- register

HttpReply Api::Catalogue(Call& c) { return JsonReply(200, CatalogueAnswer(c.lang).json); }

HttpReply Api::Zones(Call& c) {
  auto rows = c.ws.List(Kind::kZones, {});
  if (!rows.ok()) return ErrorReply(rows.status(), c.lang);
  std::erase_if(*rows, [&](const Record& r) { return !c.scope.Zone(TextOf(r, Describe(Kind::kZones), "zone_id")); });
  return JsonReply(200, RecordsAnswer(Kind::kZones, *rows, c.lang).json);
}

HttpReply Api::Zone(Call& c) {
  const std::string& id = c.params[0];
  if (!c.scope.Zone(id)) return ErrorReply(NotFound("zone", "园区", id), c.lang);
  auto row = c.ws.Find(Kind::kZones, {id});
  if (!row.ok()) return ErrorReply(row.status(), c.lang);
  if (!*row) return ErrorReply(NotFound("zone", "园区", id), c.lang);
  return JsonReply(200, RecordsAnswer(Kind::kZones, {**row}, c.lang).json[0]);
}

namespace {
// What a firm user sees of a cluster: its name (api.md).
json ClusterNames(const std::vector<Record>& rows) {
  const KindDef& def = Describe(Kind::kClusters);
  json out = json::array();
  for (const Record& r : rows) {
    out.push_back({{"cluster_id", TextOf(r, def, "cluster_id")},
                   {"name", TextOf(r, def, "name")},
                   {"name_en", TextOf(r, def, "name_en")}});
  }
  return out;
}
}  // namespace

HttpReply Api::Clusters(Call& c) {
  ListFilter filter;
  filter.zone_id = c.Query("zone");
  if (!filter.zone_id.empty() && !c.scope.Zone(filter.zone_id)) {
    return ErrorReply(NotFound("zone", "园区", filter.zone_id), c.lang);
  }
  auto rows = c.ws.List(Kind::kClusters, filter);
  if (!rows.ok()) return ErrorReply(rows.status(), c.lang);
  std::erase_if(*rows,
                [&](const Record& r) { return !c.scope.Cluster(TextOf(r, Describe(Kind::kClusters), "cluster_id")); });
  if (c.principal.user.role == Role::kFirm) return JsonReply(200, ClusterNames(*rows));
  return JsonReply(200, RecordsAnswer(Kind::kClusters, *rows, c.lang).json);
}

HttpReply Api::Cluster(Call& c) {
  const std::string& id = c.params[0];
  if (!c.scope.Cluster(id)) return ErrorReply(NotFound("cluster", "集群", id), c.lang);
  auto row = c.ws.Find(Kind::kClusters, {id});
  if (!row.ok()) return ErrorReply(row.status(), c.lang);
  if (!*row) return ErrorReply(NotFound("cluster", "集群", id), c.lang);
  if (c.principal.user.role == Role::kFirm) return JsonReply(200, ClusterNames({**row})[0]);
  json j = RecordsAnswer(Kind::kClusters, {**row}, c.lang).json[0];
  // Members in any year; backbone firms and the pipeline come with the diagnosis.
  std::set<std::string> members;
  for (const auto& m : c.scope.index().memberships) {
    if (m.cluster == id) members.insert(m.uscc);
  }
  j["members"] = members.size();
  return JsonReply(200, j);
}

HttpReply Api::Firms(Call& c) {
  ListFilter filter;
  filter.cluster_id = c.Query("cluster");
  filter.zone_id = c.Query("zone");
  if (!filter.cluster_id.empty() && !c.scope.Cluster(filter.cluster_id)) {
    return ErrorReply(NotFound("cluster", "集群", filter.cluster_id), c.lang);
  }
  if (!filter.zone_id.empty() && !c.scope.Zone(filter.zone_id)) {
    return ErrorReply(NotFound("zone", "园区", filter.zone_id), c.lang);
  }
  std::optional<int> year;
  if (!c.Query("year").empty()) {
    if (filter.cluster_id.empty()) {
      return ErrorReply(BadParam("year", "needs cluster= (members in that year)", "须与 cluster= 同用（该年的成员）"),
                        c.lang);
    }
    auto y = ParseYear("year", c.Query("year"));
    if (!y.ok()) return ErrorReply(y.status(), c.lang);
    year = *y;
  }
  auto rows = c.ws.List(Kind::kFirms, filter);
  if (!rows.ok()) return ErrorReply(rows.status(), c.lang);
  std::set<std::string> in_year;
  if (year) {
    for (const auto& m : c.scope.index().memberships) {
      if (m.cluster == filter.cluster_id && m.from <= *year && (m.to == 0 || m.to >= *year)) in_year.insert(m.uscc);
    }
  }
  const KindDef& def = Describe(Kind::kFirms);
  std::erase_if(*rows, [&](const Record& r) {
    const std::string uscc = TextOf(r, def, "uscc");
    return !c.scope.Firm(uscc) || (year && !in_year.contains(uscc));
  });
  return JsonReply(200, RecordsAnswer(Kind::kFirms, *rows, c.lang).json);
}

HttpReply Api::Firm(Call& c) {
  const std::string uscc = Upper(c.params[0]);
  if (!c.scope.Firm(uscc)) return ErrorReply(NotFound("firm", "企业", uscc), c.lang);
  auto row = c.ws.Find(Kind::kFirms, {uscc});
  if (!row.ok()) return ErrorReply(row.status(), c.lang);
  if (!*row) return ErrorReply(NotFound("firm", "企业", uscc), c.lang);
  return JsonReply(200, RecordsAnswer(Kind::kFirms, {**row}, c.lang).json[0]);
}

HttpReply Api::FirmReports(Call& c) {
  const std::string uscc = Upper(c.params[0]);
  if (!c.scope.Firm(uscc)) return ErrorReply(NotFound("firm", "企业", uscc), c.lang);
  auto rows = c.ws.FirmReports(uscc);
  if (!rows.ok()) return ErrorReply(rows.status(), c.lang);
  return JsonReply(200, RecordsAnswer(Kind::kReports, *rows, c.lang).json);
}

// ---------------------------------------------------------------- indicators

HttpReply Api::IndicatorsFor(Call& c, EntityRef entity) {
  IndicatorQuery q;
  if (entity.kind != EntityKind::kCountry) q.entities.push_back(std::move(entity));
  if (!c.Query("years").empty()) {
    const std::string years = c.Query("years");
    const size_t dash = years.find('-');
    auto a = ParseYear("years", years.substr(0, dash));
    if (!a.ok()) return ErrorReply(a.status(), c.lang);
    auto b = ParseYear("years", dash == std::string::npos ? "" : years.substr(dash + 1));
    if (!b.ok()) return ErrorReply(b.status(), c.lang);
    if (*b < *a) return ErrorReply(BadParam("years", "A-B with A ≤ B", "应为 A-B 且 A ≤ B"), c.lang);
    q.years = std::make_pair(*a, *b);
  } else {
    auto y = OptionalYear("year", c.Query("year"));
    if (!y.ok()) return ErrorReply(y.status(), c.lang);
    q.year = *y;
  }
  for (const std::string& id : Split(c.Query("only"), ',')) {
    if (!id.empty()) q.only.push_back(id);
  }
  q.comparable = Flag(c.Query("comparable"));
  auto values = c.ws.Indicators(q);
  if (!values.ok()) return ErrorReply(values.status(), c.lang);
  // IndicatorsAnswer's JSON rows (its table and CSV are not needed here), written straight to the
  // body; the same bytes as the tree's dump (server/indicator_json.h), which stays for the rare row
  // it does not write.
  HttpReply reply;
  if (AppendIndicatorRowsJson(reply.body, *values)) return reply;
  json rows = json::array();
  for (const IndicatorValue& v : *values) rows.push_back(IndicatorValueToJson(v));
  return JsonReply(200, rows);
}

HttpReply Api::ClusterIndicators(Call& c) {
  if (!c.scope.Cluster(c.params[0])) return ErrorReply(NotFound("cluster", "集群", c.params[0]), c.lang);
  return IndicatorsFor(c, {EntityKind::kCluster, c.params[0]});
}

// As `diagnose --format json`: the cluster's percentiles among all clusters (positions, no other
// cluster's values), its backbone firms, pipeline and recommendations.
HttpReply Api::ClusterDiagnosis(Call& c) {
  if (!c.scope.Cluster(c.params[0])) return ErrorReply(NotFound("cluster", "集群", c.params[0]), c.lang);
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  auto diagnosis = c.ws.Diagnose(DiagnoseQuery{.cluster = c.params[0], .year = *year, .lang = c.lang});
  if (!diagnosis.ok()) return ErrorReply(diagnosis.status(), c.lang);
  return JsonReply(200, DiagnosisAnswer(*diagnosis, c.lang).json);
}

HttpReply Api::ZoneIndicators(Call& c) {
  if (!c.scope.Zone(c.params[0])) return ErrorReply(NotFound("zone", "园区", c.params[0]), c.lang);
  return IndicatorsFor(c, {EntityKind::kZone, c.params[0]});
}

HttpReply Api::RegionIndicators(Call& c) {
  const std::string& code = c.params[0];
  auto row = c.ws.Find(Kind::kRegions, {code});
  if (!row.ok()) return ErrorReply(row.status(), c.lang);
  if (!*row || !c.scope.Region(code)) return ErrorReply(NotFound("region", "行政区", code), c.lang);
  return IndicatorsFor(c, {EntityKind::kRegion, code});
}

HttpReply Api::CountryIndicators(Call& c) { return IndicatorsFor(c, {EntityKind::kCountry, ""}); }

// ---------------------------------------------------------------- evaluation, brief, qualification

namespace {

// A download: Content-Type and a Content-Disposition whose file name is plain ASCII (ids may hold
// anything the register allows; quotes or slashes would break the header or suggest a path).
HttpReply Download(std::string content_type, std::string body, const std::string& stem, std::string_view ext) {
  std::string name;
  for (char ch : stem) {
    const bool plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
                       ch == '_' || ch == '.';
    name += plain ? ch : '_';
  }
  HttpReply r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"", name, ext));
  return r;
}

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

// As `evaluate --format json`, with the rows of clusters outside the scope left out. Ranks and
// peers stay those among every cluster (api.md: a province reads "4th of 14").
HttpReply Api::Evaluations(Call& c) {
  const std::string scheme = c.Query("scheme");
  // Shipped schemes only: LoadScheme also reads a path, and a request must not name the
  // server's files.
  const std::vector<std::string> ids = BuiltinSchemeIds();
  if (std::find(ids.begin(), ids.end(), scheme) == ids.end()) {
    return ErrorReply(BadParam("scheme", fmt::format("\"{}\": one of {}", scheme, Joined(ids)),
                               fmt::format("“{}”：应为 {} 之一", scheme, Joined(ids))),
                      c.lang);
  }
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  auto result = c.ws.Evaluate({.scheme = scheme, .year = *year, .lang = c.lang});
  if (!result.ok()) return ErrorReply(result.status(), c.lang);
  std::erase_if(result->result.clusters, [&](const ClusterEvaluation& e) { return !c.scope.Cluster(e.cluster_id); });
  return JsonReply(200, EvaluateAnswer(*result, c.lang).json);
}

// As `brief --cluster ID --format json` (the default), the prose (`format=text`), or the files of
// --html, --docx and --xlsx as downloads, in the request's language.
HttpReply Api::ClusterBrief(Call& c) {
  const std::string& id = c.params[0];
  if (!c.scope.Cluster(id)) return ErrorReply(NotFound("cluster", "集群", id), c.lang);
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  const std::string format = c.Query("format").empty() ? "json" : c.Query("format");
  static const std::set<std::string> formats = {"json", "text", "html", "docx", "xlsx"};
  if (!formats.contains(format)) {
    return ErrorReply(BadParam("format", fmt::format("\"{}\": json, text, html, docx or xlsx", format),
                               fmt::format("“{}”：应为 json、text、html、docx 或 xlsx", format)),
                      c.lang);
  }
  auto brief = c.ws.Brief(
      {.clusters = {id}, .year = *year, .charts = format == "html" || format == "docx", .workbook = format == "xlsx"});
  if (!brief.ok()) return ErrorReply(brief.status(), c.lang);
  const std::string stem = fmt::format("{}-{}-{}", id, brief->scope.year, c.lang == Lang::kZh ? "zh" : "en");
  if (format == "json") return JsonReply(200, BriefAnswer(*brief, c.lang).json);
  if (format == "text") {
    HttpReply r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = BriefAnswer(*brief, c.lang).text;
    return r;
  }
  if (format == "html") return Download("text/html; charset=utf-8", BriefHtmlFile(*brief, c.lang), stem, "html");
  if (format == "docx") {
    auto bytes = BriefDocxFile(*brief, c.lang);
    if (!bytes.ok()) return ErrorReply(bytes.status(), c.lang);
    return Download("application/vnd.openxmlformats-officedocument.wordprocessingml.document", std::move(*bytes), stem,
                    "docx");
  }
  // The workbook writer works on a path.
  auto dir = TempDir::Make();
  if (!dir.ok()) return ErrorReply(dir.status(), c.lang);
  const std::string path = (*dir)->File("brief.xlsx");
  Status written = BriefWorkbookFile(*brief, c.lang, path);
  if (!written.ok()) return ErrorReply(written, c.lang);
  auto bytes = ReadWhole(path);
  if (!bytes.ok()) return ErrorReply(bytes.status(), c.lang);
  return Download(std::string(kXlsxType), std::move(*bytes), stem, "xlsx");
}

// As `qualify RULE --firm USCC --format json`: one firm (a firm user only its own).
HttpReply Api::FirmQualification(Call& c) {
  const std::string uscc = Upper(c.params[0]);
  if (!c.scope.Firm(uscc)) return ErrorReply(NotFound("firm", "企业", uscc), c.lang);
  const std::string rule = c.Query("rule");
  if (rule != "tech-sme" && rule != "high-tech") {
    return ErrorReply(BadParam("rule", fmt::format("\"{}\": tech-sme or high-tech", rule),
                               fmt::format("“{}”：应为 tech-sme 或 high-tech", rule)),
                      c.lang);
  }
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  auto result = c.ws.Qualify({.kind = rule == "tech-sme" ? RuleKind::kTechSme : RuleKind::kHighTech,
                              .rule_set = c.Query("rule_set"),
                              .year = *year,
                              .firms = {uscc},
                              .lang = c.lang});
  if (!result.ok()) return ErrorReply(result.status(), c.lang);
  return JsonReply(200, QualifyAnswer(*result, c.lang).json);
}

// ---------------------------------------------------------------- place

namespace {

// The Monte Carlo work one request may ask for (docs/server.md): (sims + 1) curves, each about
// as dear as the points of the industry times every site.
constexpr int kMaxSims = 999;
constexpr double kMaxCurveWork = 2e10;
constexpr size_t kMaxDistances = 201;

// `r=FROM:TO:STEP` (km), at most kMaxDistances distances; empty: the engine's default.
Result<std::vector<double>> DistancesParam(const std::string& text) {
  std::vector<double> r;
  if (text.empty()) return r;
  double from = 0, to = 0, step = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%lf:%lf:%lf%c", &from, &to, &step, &tail) != 3 || !(from >= 0) || !(to >= from) ||
      !(step > 0) || (to - from) / step + 1 > static_cast<double>(kMaxDistances)) {
    return BadParam("r", fmt::format("\"{}\": FROM:TO:STEP in km, FROM ≥ 0, at most {} distances", text, kMaxDistances),
                    fmt::format("“{}”：应为 起:止:步长（公里），起点≥0，至多{}个距离", text, kMaxDistances));
  }
  for (double d = from; d <= to + step * 1e-9; d += step) r.push_back(d);
  return r;
}

}  // namespace

// GET /place/{lq|krugman|hoover|gini|hhi|eg|eg-coagglomeration}: as `specialisation INDEX
// --format json`; a province sees the rows of its own regions (and every industry-wide value,
// an aggregate over all regions). GET /place/{kd|m}: as `agglomeration kd|m --industry … --format
// json`, the firms of the data set only (never a points file).
HttpReply Api::Place(Call& c) {
  const std::string& what = c.params[0];
  if (what == "kd" || what == "m")
    return AgglomerationFor(c, what == "kd" ? place::Function::kKd : place::Function::kM);
  auto index = place::ParseAreaIndex(what);
  if (!index) return ErrorReply(NotFound("place measure", "地理集聚指标", what), c.lang);
  SpecialisationQuery q;
  q.index = *index;
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  q.year = *year;
  const auto choice = [&](const char* name, auto parse, auto& out, const char* allowed) -> Status {
    const std::string v = c.Query(name);
    if (v.empty()) return Status::Ok();
    auto parsed = parse(v);
    if (!parsed) {
      return BadParam(name, fmt::format("\"{}\": one of {}", v, allowed),
                      fmt::format("“{}”：应为 {} 之一", v, allowed));
    }
    out = *parsed;
    return Status::Ok();
  };
  for (const Status& s :
       {choice("measure", place::ParseMeasure, q.measure, "employees, gross_output, value_added, firms"),
        choice("region_level", place::ParseRegionLevel, q.region_level, "province, prefecture, zone"),
        choice("industry_level", place::ParseIndustryLevel, q.industry_level, "division, group, class")}) {
    if (!s.ok()) return ErrorReply(s, c.lang);
  }
  for (const std::string& code : Split(c.Query("industry"), ',')) {
    if (!code.empty()) q.industries.push_back(code);
  }
  q.group = Flag(c.Query("group"));
  auto result = c.ws.Specialisation(q);
  if (!result.ok()) return ErrorReply(result.status(), c.lang);
  const bool zones = q.region_level == place::RegionLevel::kZone;
  std::erase_if(result->values, [&](const place::AreaValue& v) {
    return !v.region.empty() && !(zones ? c.scope.Zone(v.region) : c.scope.Region(v.region));
  });
  return JsonReply(200, SpecialisationAnswer(*result, c.lang).json);
}

HttpReply Api::AgglomerationFor(Call& c, place::Function function) {
  AgglomerationQuery q;
  q.function = function;
  q.industry = c.Query("industry");
  if (q.industry.empty()) {
    return ErrorReply(BadParam("industry", "a GB/T 4754 code is required", "须给出国民经济行业代码"), c.lang);
  }
  q.versus = c.Query("versus");
  auto year = OptionalYear("year", c.Query("year"));
  if (!year.ok()) return ErrorReply(year.status(), c.lang);
  q.year = *year;
  q.weighted = Flag(c.Query("weighted"));
  q.reflect = !Flag(c.Query("no_reflect"));
  auto r = DistancesParam(c.Query("r"));
  if (!r.ok()) return ErrorReply(r.status(), c.lang);
  q.r = std::move(*r);
  auto sims = IntParam("sims", c.Query("sims"), 0, kMaxSims, 0);
  if (!sims.ok()) return ErrorReply(sims.status(), c.lang);
  q.sims = *sims;
  auto seed = IntParam("seed", c.Query("seed"), 0, std::numeric_limits<int>::max(), 1);
  if (!seed.ok()) return ErrorReply(seed.status(), c.lang);
  q.seed = static_cast<uint64_t>(*seed);
  if (!c.Query("level").empty()) {
    char* end = nullptr;
    const std::string v = c.Query("level");
    q.level = std::strtod(v.c_str(), &end);
    if (end != v.c_str() + v.size() || !(q.level >= 0.0001 && q.level <= 0.4999)) {
      return ErrorReply(BadParam("level", "0.0001–0.4999", "应在0.0001–0.4999之间"), c.lang);
    }
  }
  q.threads = 1;  // one request, one core: the other request threads keep answering
  auto setup = c.ws.PrepareAgglomeration(q);
  if (!setup.ok()) return ErrorReply(setup.status(), c.lang);
  const auto of_interest = std::count_if(setup->points.type.begin(), setup->points.type.end(),
                                         [&](int32_t t) { return t == setup->options.reference; });
  const double work =
      static_cast<double>(q.sims + 1) * static_cast<double>(of_interest) * static_cast<double>(setup->points.size());
  if (work > kMaxCurveWork) {
    const int most = std::max(0, static_cast<int>(kMaxCurveWork / (static_cast<double>(of_interest) *
                                                                   static_cast<double>(setup->points.size()))) -
                                     1);
    return ErrorReply(
        BadParam("sims",
                 fmt::format("{} simulations of {} firms among {} sites is more than one request may ask; at most {} "
                             "here (the CLI has no such bound)",
                             q.sims, of_interest, setup->points.size(), most),
                 fmt::format("{}家企业（共{}个站点）的{}次模拟超出单次请求的上限；此处至多{}次（命令行不受此限）",
                             of_interest, setup->points.size(), q.sims, most)),
        c.lang);
  }
  std::unique_lock lock(place_mu_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return ErrorReply(
        Bilingual(StatusCode::kInvalidInput, "place.busy", "another agglomeration is being computed; try again shortly",
                  "另一项集聚计算正在进行，请稍后再试"),
        c.lang);
  }
  auto result = place::RunAgglomeration(setup->points, setup->options);
  if (!result.ok()) return ErrorReply(result.status(), c.lang);
  return JsonReply(200, AgglomerationAnswer(*result, c.lang).json);
}

// ---------------------------------------------------------------- imports and submissions

Result<ImportOutcome> Api::RunImport(Kind kind, const Upload& upload, ImportOptions options) {
  std::string ext;
  const std::string type = upload.content_type.substr(0, upload.content_type.find(';'));
  if (type == "text/csv" || type == "text/plain") {
    ext = ".csv";
  } else if (type == kXlsxType) {
    ext = ".xlsx";
  } else {
    return BadParam("Content-Type", fmt::format("\"{}\": send text/csv or {}", type, kXlsxType),
                    fmt::format("“{}”：请用 text/csv 或 {}", type, kXlsxType));
  }
  // The importer reads files: the body goes to a private directory, removed whatever happens.
  CS_ASSIGN_OR_RETURN(auto dir, TempDir::Make());
  const std::string path = dir->File("upload" + ext);
  {
    std::ofstream out(path, std::ios::binary);
    out.write(upload.body.data(), static_cast<std::streamsize>(upload.body.size()));
    if (!out.flush()) return Status::Environment("cannot write the upload to a temporary file").WithId("upload.tmp");
  }
  std::lock_guard lock(write_mu_);
  // Behind another process's import (a command-line one), at most kWriteWaitMs: then db.busy, and
  // the request thread is free again.
  options.write_wait_ms = kWriteWaitMs;
  CS_ASSIGN_OR_RETURN(ImportOutcome outcome, ImportIntoDatabase(options_.db, {{kind, path, ""}}, options));
  // Problems name the file as the client sent it, never the temporary path.
  for (Problem& p : outcome.problems) {
    if (p.file == path) p.file = upload.file_name;
  }
  for (FileOutcome& f : outcome.files) f.input.path = upload.file_name;
  return outcome;
}

namespace {
std::vector<const Problem*> Select(const ImportOutcome& o, Severity severity) {
  std::vector<const Problem*> out;
  for (const Problem& p : o.problems) {
    if (p.severity == severity) out.push_back(&p);
  }
  return out;
}
}  // namespace

HttpReply Api::Imports(Call& c) {
  auto kind = ParseKind(c.Query("kind"));
  if (!kind) {
    return ErrorReply(BadParam("kind", fmt::format("\"{}\" is not an import kind", c.Query("kind")),
                               fmt::format("“{}”不是导入类型", c.Query("kind"))),
                      c.lang);
  }
  // Which kinds each role may import (api.md): a zone keeps its firms, not the register above them.
  static const std::map<Role, std::set<Kind>> kinds = {
      {Role::kProvince,
       {Kind::kZones, Kind::kClusters, Kind::kFirms, Kind::kMembers, Kind::kInstitutions, Kind::kReports}},
      {Role::kZone, {Kind::kFirms, Kind::kMembers, Kind::kInstitutions, Kind::kReports}},
  };
  const Role role = c.principal.user.role;
  if (role != Role::kNational && (!kinds.contains(role) || !kinds.at(role).contains(*kind))) {
    AuditCall(c, "import", std::string(KindId(*kind)), "forbidden");
    return ErrorReply(Forbidden(), c.lang);
  }
  ImportOptions options;
  options.dry_run = Flag(c.Query("dry_run"));
  options.replace = Flag(c.Query("replace"));
  options.check_record = [&c](Kind k, const Record& r, int64_t row) { return c.scope.CheckImportRow(k, r, row); };
  const std::string name = c.Query("file").empty() ? "upload" : c.Query("file");
  const std::string sha = Sha256Hex(c.req.body);
  auto outcome = RunImport(*kind, {name, c.req.Header("content-type"), c.req.body}, options);
  if (!outcome.ok()) {
    AuditCall(c, "import", std::string(KindId(*kind)), HttpStatusOf(outcome.status()) == 403 ? "forbidden" : "failed",
              sha, std::string(outcome.status().id()));
    return ErrorReply(outcome.status(), c.lang);
  }
  if (outcome->errors() > 0) {
    AuditCall(c, "import", std::string(KindId(*kind)), "refused", sha, fmt::format("{} errors", outcome->errors()));
    return Refused(*outcome, "import.refused", Select(*outcome, Severity::kError), c.lang);
  }
  AuditCall(c, "import", std::string(KindId(*kind)), options.dry_run ? "dry_run" : "ok", sha,
            fmt::format("written={}", outcome->written));
  json warnings = json::array();
  for (const Problem* p : Select(*outcome, Severity::kWarning)) warnings.push_back(ProblemJson(*p));
  return JsonReply(200, {{"written", outcome->written},
                         {"dry_run", options.dry_run},
                         {"files", FilesJson(*outcome)},
                         {"warnings", std::move(warnings)}});
}

HttpReply Api::Submit(Call& c) {
  if (c.Query("kind") != "reports") {
    return ErrorReply(BadParam("kind", "firms submit kind=reports", "企业只能报送 kind=reports"), c.lang);
  }
  Upload upload{c.Query("file").empty() ? "upload" : c.Query("file"), c.req.Header("content-type"), c.req.body};
  json reasons = json::array();
  if (upload.content_type.starts_with("application/json")) {
    // {"file_name", "content" (CSV text) | "content_base64" (xlsx), "content_type", "reasons": [...]}
    json body = json::parse(c.req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return ErrorReply(BadParam("body", "not a JSON object", "不是JSON对象"), c.lang);
    }
    upload.file_name = body.value("file_name", upload.file_name);
    upload.content_type = body.value("content_type", std::string("text/csv"));
    if (body.contains("content") && body["content"].is_string()) {
      upload.body = body["content"].get<std::string>();
    } else if (body.contains("content_base64") && body["content_base64"].is_string()) {
      auto bytes = DecodeBase64(body["content_base64"].get<std::string>());
      if (!bytes) return ErrorReply(BadParam("content_base64", "not base64", "不是base64编码"), c.lang);
      upload.body = std::move(*bytes);
    } else {
      return ErrorReply(
          BadParam("content", "the file: content (text) or content_base64", "须提供 content 或 content_base64"),
          c.lang);
    }
    if (body.contains("reasons")) {
      if (!body["reasons"].is_array()) return ErrorReply(BadParam("reasons", "an array", "应为数组"), c.lang);
      for (const auto& r : body["reasons"]) {
        if (!r.is_object() || !r.contains("row") || !r["row"].is_number_integer() || !r.contains("rule") ||
            !r["rule"].is_string() || !r.contains("reason") || !r["reason"].is_string()) {
          return ErrorReply(BadParam("reasons", "each {\"row\": n, \"column\", \"rule\", \"reason\"}",
                                     "每项应为 {\"row\": n, \"column\", \"rule\", \"reason\"}"),
                            c.lang);
        }
        reasons.push_back({{"row", r["row"]},
                           {"column", r.value("column", std::string())},
                           {"rule", r["rule"]},
                           {"reason", r["reason"]}});
      }
    }
  }
  const std::string sha = Sha256Hex(upload.body);
  ImportOptions options;
  options.dry_run = true;  // held until a reviewer accepts it
  // A firm's own template may carry a remarks column: a warning (with a reason), not a refusal.
  options.ignore_unknown_columns = true;
  options.check_record = [&c](Kind k, const Record& r, int64_t row) { return c.scope.CheckImportRow(k, r, row); };
  auto outcome = RunImport(Kind::kReports, upload, options);
  if (!outcome.ok()) {
    AuditCall(c, "submission", c.principal.user.scope, HttpStatusOf(outcome.status()) == 403 ? "forbidden" : "failed",
              sha, std::string(outcome.status().id()));
    return ErrorReply(outcome.status(), c.lang);
  }
  if (outcome->errors() > 0) {
    AuditCall(c, "submission", c.principal.user.scope, "refused", sha, fmt::format("{} errors", outcome->errors()));
    return Refused(*outcome, "import.refused", Select(*outcome, Severity::kError), c.lang);
  }
  std::vector<const Problem*> unexplained;
  for (const Problem* p : Select(*outcome, Severity::kWarning)) {
    bool explained = std::any_of(reasons.begin(), reasons.end(), [&](const json& r) {
      const std::string column = r["column"].get<std::string>();
      return r["row"].get<int64_t>() == p->row && r["rule"].get<std::string>() == p->rule &&
             (column.empty() || column == p->column) && !r["reason"].get<std::string>().empty();
    });
    if (!explained) unexplained.push_back(p);
  }
  if (!unexplained.empty()) {
    AuditCall(c, "submission", c.principal.user.scope, "refused", sha, "warnings without a reason");
    return Refused(*outcome, "submission.reason_required", unexplained, c.lang);
  }
  Submission s;
  s.kind = "reports";
  s.uscc = c.principal.user.scope;
  s.status = "submitted";
  s.file_name = upload.file_name;
  s.content_type = upload.content_type;
  s.sha256 = sha;
  s.body = upload.body;
  s.reasons_json = reasons.dump();
  s.submitted_by = c.principal.user.name;
  s.submitted_at = IsoTime(std::chrono::system_clock::now());
  auto id = c.users.PutSubmission(s);
  if (!id.ok()) return ErrorReply(id.status(), c.lang);
  AuditCall(c, "submission", *id, "ok", sha);
  return JsonReply(201, {{"id", *id}, {"status", "submitted"}, {"warnings", reasons.size()}});
}

HttpReply Api::SubmissionList(Call& c) {
  auto all = c.users.Submissions();
  if (!all.ok()) return ErrorReply(all.status(), c.lang);
  const std::string status = c.Query("status");
  json out = json::array();
  for (const Submission& s : *all) {
    if (!c.scope.Firm(s.uscc) || (!status.empty() && s.status != status)) continue;
    out.push_back(SubmissionJson(s));
  }
  return JsonReply(200, out);
}

HttpReply Api::Accept(Call& c) {
  auto found = c.users.GetSubmission(c.params[0]);
  if (!found.ok()) return ErrorReply(found.status(), c.lang);
  if (!*found || !c.scope.Firm((*found)->uscc)) return ErrorReply(NotFound("submission", "报送", c.params[0]), c.lang);
  Submission& s = **found;
  if (s.status != "submitted") {
    return ErrorReply(
        Bilingual(StatusCode::kConflict, "submission.reviewed", fmt::format("{} is already {}", s.id, s.status),
                  fmt::format("{}已审核（{}）", s.id, s.status)),
        c.lang);
  }
  ImportOptions options;
  options.ignore_unknown_columns = true;  // as when it was filed
  const std::string uscc = s.uscc;
  // Stored as the firm filed it: only its own rows (checked again: the register may have moved).
  options.check_record = [uscc](Kind, const Record& r, int64_t row) {
    const std::string got = TextOf(r, Describe(Kind::kReports), "uscc");
    if (got == uscc) return Status::Ok();
    return Status::InvalidInput(
               fmt::format("row {}: firm \"{}\" is not the submitting firm / 第{}行：企业“{}”不是报送企业", row, got,
                           row, got))
        .WithId("scope.forbidden");
  };
  // The submission's new status, and the audit line that says so, are written in the import's own
  // transaction, just before it commits: the reports and "accepted" are committed together or not
  // at all, so a kill at any point leaves the submission submitted with none of its rows, or
  // accepted with all of them. It is read again there, under the write lock: a reviewer who
  // accepted or returned it meanwhile (this server or another) wins, and nothing is written.
  std::optional<Status> reviewed;  // the conflict found there, answered as it is
  const User& reviewer = c.principal.user;
  options.before_commit = [&](WriteTransaction& txn, const ImportOutcome& o) -> Status {
    CS_ASSIGN_OR_RETURN(auto now, Users::GetSubmission(txn, s.id));
    if (!now || now->status != "submitted") {
      const std::string got = now ? now->status : std::string("gone");
      reviewed = Bilingual(StatusCode::kConflict, "submission.reviewed", fmt::format("{} is already {}", s.id, got),
                           fmt::format("{}已审核（{}）", s.id, got));
      return *reviewed;
    }
    Submission accepted = std::move(*now);
    accepted.status = "accepted";
    accepted.reviewed_by = reviewer.name;
    accepted.reviewed_at = IsoTime(std::chrono::system_clock::now());
    CS_RETURN_IF_ERROR(Users::PutSubmission(txn, std::move(accepted)).status());
    const bool written =
        std::any_of(o.files.begin(), o.files.end(), [](const FileOutcome& f) { return f.added + f.replaced > 0; });
    return Users::Audit(txn, {.user = reviewer.name,
                              .role = std::string(RoleId(reviewer.role)),
                              .scope = reviewer.scope,
                              .action = "accept",
                              .entity = s.id,
                              .result = "ok",
                              .sha256 = s.sha256,
                              .client = c.req.client,
                              .detail = fmt::format("written={}", written)});
  };
  auto outcome = RunImport(Kind::kReports, {s.file_name, s.content_type, s.body}, options);
  if (!outcome.ok()) {
    // Rolled back, the audit line with it: this one says why.
    const Status& why = reviewed ? *reviewed : outcome.status();
    AuditCall(c, "accept", s.id, "failed", s.sha256, std::string(why.id()));
    return ErrorReply(why, c.lang);
  }
  if (outcome->errors() > 0) {
    AuditCall(c, "accept", s.id, "refused", s.sha256, fmt::format("{} errors", outcome->errors()));
    return Refused(*outcome, "import.refused", Select(*outcome, Severity::kError), c.lang);
  }
  return JsonReply(
      200, {{"id", s.id}, {"status", "accepted"}, {"written", outcome->written}, {"files", FilesJson(*outcome)}});
}

HttpReply Api::Return(Call& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("note") || !body["note"].is_string() ||
      body["note"].get<std::string>().empty()) {
    return ErrorReply(BadParam("note", "a returned submission needs {\"note\": \"…\"} for the firm",
                               "退回须附说明 {\"note\": \"…\"}"),
                      c.lang);
  }
  // Read under the lock that accepting holds while it imports: never returned after it was accepted.
  std::lock_guard lock(write_mu_);
  auto found = c.users.GetSubmission(c.params[0]);
  if (!found.ok()) return ErrorReply(found.status(), c.lang);
  if (!*found || !c.scope.Firm((*found)->uscc)) return ErrorReply(NotFound("submission", "报送", c.params[0]), c.lang);
  Submission& s = **found;
  if (s.status != "submitted") {
    return ErrorReply(
        Bilingual(StatusCode::kConflict, "submission.reviewed", fmt::format("{} is already {}", s.id, s.status),
                  fmt::format("{}已审核（{}）", s.id, s.status)),
        c.lang);
  }
  s.status = "returned";
  s.note = body["note"].get<std::string>();
  s.reviewed_by = c.principal.user.name;
  s.reviewed_at = IsoTime(std::chrono::system_clock::now());
  auto put = c.users.PutSubmission(s);
  if (!put.ok()) return ErrorReply(put.status(), c.lang);
  AuditCall(c, "return", s.id, "ok", s.sha256);
  return JsonReply(200, SubmissionJson(s));
}

HttpReply Api::AuditLog(Call& c) {
  auto limit = IntParam("limit", c.Query("limit"), 1, 10000, 1000);
  if (!limit.ok()) return ErrorReply(limit.status(), c.lang);
  auto log = c.users.AuditLog(c.Query("since"), static_cast<size_t>(*limit));
  if (!log.ok()) return ErrorReply(log.status(), c.lang);
  json out = json::array();
  for (const AuditEntry& e : *log) {
    out.push_back({{"at", e.at},
                   {"user", e.user},
                   {"role", e.role},
                   {"scope", e.scope},
                   {"action", e.action},
                   {"entity", e.entity},
                   {"result", e.result},
                   {"sha256", e.sha256},
                   {"client", e.client},
                   {"detail", e.detail}});
  }
  return JsonReply(200, out);
}

}  // namespace clusterscope::server
