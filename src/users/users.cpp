#include "clusterscope/users.h"

#include <sodium.h>

#include <fmt/format.h>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "clusterscope/workspace.h"

namespace clusterscope {
namespace {

// Column positions of the access tables (store/ddl.cpp names them, in this order).
enum UserCol { kUName, kURole, kUScope, kUHash, kUDisabled, kUCreated, kUserCols };
enum CredCol { kCHash, kCUser, kCKind, kCCsrf, kCCreated, kCExpires, kCLastSeen, kCredCols };
enum SubCol {
  kSId,
  kSKind,
  kSUscc,
  kSStatus,
  kSFile,
  kSType,
  kSSha,
  kSBody,
  kSReasons,
  kSBy,
  kSAt,
  kSReviewer,
  kSReviewedAt,
  kSNote,
  kSubCols
};
enum AuditCol {
  kAId,
  kAAt,
  kAUser,
  kARole,
  kAScope,
  kAAction,
  kAEntity,
  kAResult,
  kASha,
  kAClient,
  kADetail,
  kAuditCols
};

constexpr std::string_view kSessionKind = "session";
constexpr std::string_view kTokenKind = "token";

Status SodiumReady() {
  // sodium_init is idempotent and thread-safe; it fails only when no entropy source exists.
  if (sodium_init() < 0) {
    return Status::Environment("libsodium could not be initialised (no source of randomness)").WithId("crypto.init");
  }
  return Status::Ok();
}

// `bytes` random bytes as URL-safe base64 without padding (cookie- and header-safe).
std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

Status CheckPassword(const std::string& password) {
  if (password.size() < 10) {
    return Status::InvalidInput("password: at least 10 characters / 密码至少10个字符").WithId("user.password_short");
  }
  if (password.size() > 1024) {
    return Status::InvalidInput("password: at most 1024 bytes / 密码最长1024字节").WithId("user.password_long");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(const std::string& password) {
  CS_RETURN_IF_ERROR(SodiumReady());
  char out[crypto_pwhash_STRBYTES];
  // INTERACTIVE limits (64 MiB, a few passes): a login costs tens of milliseconds, a guess as much.
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Environment("hashing the password ran out of memory").WithId("out_of_memory");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, const std::string& password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

User UserFromRow(const AccessRow& r) {
  User u;
  u.name = r[kUName];
  u.role = ParseRole(r[kURole]).value_or(Role::kAnalyst);
  u.scope = r[kUScope];
  u.disabled = r[kUDisabled] == "1";
  u.created_at = r[kUCreated];
  return u;
}

Result<std::chrono::system_clock::time_point> ParseIso(const std::string& s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  long micro = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6ldZ", &y, &mo, &d, &h, &mi, &sec, &micro) != 7) {
    return Status::Environment(fmt::format("stored time \"{}\" is not ISO 8601", s)).WithId("db.damaged");
  }
  using namespace std::chrono;
  const sys_days date = year{y} / month{static_cast<unsigned>(mo)} / day{static_cast<unsigned>(d)};
  return system_clock::time_point(duration_cast<system_clock::duration>(
      date.time_since_epoch() + hours{h} + minutes{mi} + seconds{sec} + microseconds{micro}));
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '@' || c == '-';
  });
}

Status AuthFailed() {
  return Status::InvalidInput("wrong user name or password / 用户名或密码错误").WithId("auth.failed");
}

}  // namespace

std::string_view RoleId(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kNational:
      return "national";
    case Role::kProvince:
      return "province";
    case Role::kZone:
      return "zone";
    case Role::kFirm:
      return "firm";
    case Role::kAnalyst:
      return "analyst";
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view id) {
  for (Role r : kAllRoles) {
    if (RoleId(r) == id) return r;
  }
  return std::nullopt;
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, micros % 1000000);
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  // Every bearer request hashes its token: a table, not a format call per byte.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(2 * sizeof digest, '\0');
  for (size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  if (sodium_init() < 0 ||
      sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), " \r\n",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<std::unique_ptr<Users>> Users::Open(const std::string& url) {
  // The version check of a read-only open first, so a missing or older database is refused
  // (and nothing created); then the read-write connection the access tables need.
  CS_RETURN_IF_ERROR(OpenDatabase(url, WorkspaceMode::kRead).status());
  CS_ASSIGN_OR_RETURN(auto store, OpenStore(url, OpenOptions{.create = false}));
  return std::unique_ptr<Users>(new Users(std::move(store)));
}

Status Users::PutUser(const User& u, const std::string& password_hash) {
  return store_.PutAccess(AccessTable::kUsers, {u.name, std::string(RoleId(u.role)), u.scope, password_hash,
                                                u.disabled ? "1" : "0", u.created_at});
}

Result<std::optional<std::pair<User, std::string>>> Users::FindWithHash(const std::string& name) {
  CS_ASSIGN_OR_RETURN(auto row, store_.GetAccess(AccessTable::kUsers, name));
  if (!row) return std::optional<std::pair<User, std::string>>();
  return std::optional<std::pair<User, std::string>>(std::make_pair(UserFromRow(*row), (*row)[kUHash]));
}

Status Users::Add(const std::string& name, Role role, const std::string& scope, const std::string& password,
                  const std::string& actor) {
  if (!ValidName(name)) {
    return Status::InvalidInput(
               fmt::format("user name \"{}\": 1–64 letters, digits or . _ @ - / 用户名须为1–64个字母、数字或 . _ @ -",
                           name))
        .WithId("user.name");
  }
  std::string s = scope;
  switch (role) {
    case Role::kProvince:
      if (s.size() != 2 || !std::isdigit(static_cast<unsigned char>(s[0])) ||
          !std::isdigit(static_cast<unsigned char>(s[1]))) {
        return Status::InvalidInput(
                   fmt::format(
                       "--scope \"{}\": a province is a 2-digit GB/T 2260 code (63) / 省级范围须为两位行政区划代码", s))
            .WithId("user.scope");
      }
      break;
    case Role::kZone:
    case Role::kFirm: {
      const Kind kind = role == Role::kZone ? Kind::kZones : Kind::kFirms;
      if (role == Role::kFirm)
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
      CS_ASSIGN_OR_RETURN(auto found, store_.Get(kind, KeyRecord(kind, {s})));
      if (s.empty() || !found) {
        return Status::InvalidInput(fmt::format("--scope \"{}\": no such {} in the database / 数据库中没有此{}", s,
                                                role == Role::kZone ? "zone_id" : "uscc",
                                                role == Role::kZone ? "园区" : "企业"))
            .WithId("user.scope");
      }
      break;
    }
    default:
      if (!s.empty()) {
        return Status::InvalidInput(
                   fmt::format("--scope: role {} takes no scope / 角色{}没有范围", RoleId(role), RoleId(role)))
            .WithId("user.scope");
      }
  }
  CS_RETURN_IF_ERROR(CheckPassword(password));
  CS_ASSIGN_OR_RETURN(auto existing, store_.GetAccess(AccessTable::kUsers, name));
  if (existing) {
    return Status::Conflict(fmt::format("user \"{}\" exists / 用户“{}”已存在", name, name)).WithId("user.exists");
  }
  CS_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  User u{name, role, s, false, IsoTime(Clock::now())};
  CS_RETURN_IF_ERROR(PutUser(u, hash));
  return Audit({.user = actor,
                .action = "user.add",
                .entity = name,
                .result = "ok",
                .detail = fmt::format("{} {}", RoleId(role), s)});
}

Result<std::vector<User>> Users::List() {
  std::vector<User> out;
  CS_RETURN_IF_ERROR(store_.ScanAccess(AccessTable::kUsers, "", [&](const AccessRow& r) {
    out.push_back(UserFromRow(r));
    return true;
  }));
  return out;
}

Result<std::optional<User>> Users::Find(const std::string& name) {
  CS_ASSIGN_OR_RETURN(auto found, FindWithHash(name));
  if (!found) return std::optional<User>();
  return std::optional<User>(found->first);
}

Status Users::EndCredentials(const std::string& name, bool tokens_too) {
  std::vector<std::string> doomed;
  CS_RETURN_IF_ERROR(store_.ScanAccess(AccessTable::kCredentials, "", [&](const AccessRow& r) {
    if (r[kCUser] == name && (tokens_too || r[kCKind] == kSessionKind)) doomed.push_back(r[kCHash]);
    return true;
  }));
  for (const std::string& h : doomed) CS_RETURN_IF_ERROR(store_.DeleteAccess(AccessTable::kCredentials, h));
  return Status::Ok();
}

Status Users::SetDisabled(const std::string& name, bool disabled, const std::string& actor) {
  CS_ASSIGN_OR_RETURN(auto found, FindWithHash(name));
  if (!found) return Status::NotFound(fmt::format("no user \"{}\" / 没有用户“{}”", name, name)).WithId("user.unknown");
  found->first.disabled = disabled;
  CS_RETURN_IF_ERROR(PutUser(found->first, found->second));
  if (disabled) CS_RETURN_IF_ERROR(EndCredentials(name, /*tokens_too=*/true));
  return Audit({.user = actor, .action = disabled ? "user.disable" : "user.enable", .entity = name, .result = "ok"});
}

Status Users::SetPassword(const std::string& name, const std::string& password, const std::string& actor) {
  CS_ASSIGN_OR_RETURN(auto found, FindWithHash(name));
  if (!found) return Status::NotFound(fmt::format("no user \"{}\" / 没有用户“{}”", name, name)).WithId("user.unknown");
  CS_RETURN_IF_ERROR(CheckPassword(password));
  CS_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  CS_RETURN_IF_ERROR(PutUser(found->first, hash));
  CS_RETURN_IF_ERROR(EndCredentials(name, /*tokens_too=*/false));
  return Audit({.user = actor, .action = "user.password", .entity = name, .result = "ok"});
}

Result<std::string> Users::IssueToken(const std::string& name, int days, const std::string& actor) {
  CS_RETURN_IF_ERROR(SodiumReady());
  if (days < 1 || days > 3650) {
    return Status::Usage(fmt::format("--expires {}: 1 to 3650 days / 有效期须为1至3650天", days))
        .WithId("user.expires");
  }
  CS_ASSIGN_OR_RETURN(auto found, Find(name));
  if (!found) return Status::NotFound(fmt::format("no user \"{}\" / 没有用户“{}”", name, name)).WithId("user.unknown");
  if (found->disabled) {
    return Status::InvalidInput(fmt::format("user \"{}\" is disabled / 用户“{}”已停用", name, name))
        .WithId("user.disabled");
  }
  const std::string token = "cst_" + RandomToken(32);
  const auto now = Clock::now();
  CS_RETURN_IF_ERROR(
      store_.PutAccess(AccessTable::kCredentials, {Sha256Hex(token), name, std::string(kTokenKind), "", IsoTime(now),
                                                   IsoTime(now + std::chrono::hours(24) * days), IsoTime(now)}));
  CS_RETURN_IF_ERROR(Audit(
      {.user = actor, .action = "token", .entity = name, .result = "ok", .detail = fmt::format("{} days", days)}));
  return token;
}

Result<SessionGrant> Users::Login(const std::string& name, const std::string& password, const std::string& client,
                                  Clock::time_point now) {
  CS_RETURN_IF_ERROR(SodiumReady());
  // Failures of this user in the last two windows: locked if some kMaxFailedLogins of them fall
  // within one window whose end is less than a window ago.
  std::vector<Clock::time_point> failures;
  CS_RETURN_IF_ERROR(store_.ScanAccess(AccessTable::kAudit, IsoTime(now - 2 * kLockoutWindow), [&](const AccessRow& r) {
    if (r[kAAction] == "login" && r[kAEntity] == name && r[kAResult] == "failed") {
      auto t = ParseIso(r[kAAt]);
      if (t.ok()) failures.push_back(*t);
    }
    return true;
  }));
  std::sort(failures.begin(), failures.end());
  for (size_t i = kMaxFailedLogins - 1; i < failures.size(); ++i) {
    if (failures[i] - failures[i - (kMaxFailedLogins - 1)] <= kLockoutWindow && now - failures[i] < kLockoutWindow) {
      CS_RETURN_IF_ERROR(
          Audit({.user = name, .action = "login", .entity = name, .result = "locked", .client = client}, now));
      return Status::InvalidInput(fmt::format("user \"{}\" is locked for {} minutes after {} failed logins / "
                                              "用户“{}”连续登录失败{}次，锁定{}分钟",
                                              name, kLockoutWindow.count(), kMaxFailedLogins, name, kMaxFailedLogins,
                                              kLockoutWindow.count()))
          .WithId("auth.locked");
    }
  }
  CS_ASSIGN_OR_RETURN(auto found, FindWithHash(name));
  bool ok = false;
  if (found) {
    ok = VerifyPassword(found->second, password);
  } else {
    // The same work for an unknown name, so the time taken does not tell which names exist.
    static const Result<std::string> dummy = HashPassword("not-a-password-of-anyone");
    if (dummy.ok()) (void)VerifyPassword(*dummy, password);
  }
  if (!ok || found->first.disabled) {
    CS_RETURN_IF_ERROR(Audit({.user = name,
                              .action = "login",
                              .entity = name,
                              .result = "failed",
                              .client = client,
                              .detail = found && ok ? "disabled" : ""},
                             now));
    return AuthFailed();
  }
  SessionGrant g{"css_" + RandomToken(32), RandomToken(24), found->first};
  CS_RETURN_IF_ERROR(
      store_.PutAccess(AccessTable::kCredentials, {Sha256Hex(g.token), name, std::string(kSessionKind), g.csrf,
                                                   IsoTime(now), IsoTime(now + kSessionIdle), IsoTime(now)}));
  CS_RETURN_IF_ERROR(Audit({.user = name,
                            .role = std::string(RoleId(g.user.role)),
                            .scope = g.user.scope,
                            .action = "login",
                            .entity = name,
                            .result = "ok",
                            .client = client},
                           now));
  return g;
}

Status Users::Logout(const std::string& token, const std::string& client) {
  const std::string hash = Sha256Hex(token);
  CS_ASSIGN_OR_RETURN(auto row, store_.GetAccess(AccessTable::kCredentials, hash));
  if (!row) return Status::Ok();
  CS_RETURN_IF_ERROR(store_.DeleteAccess(AccessTable::kCredentials, hash));
  return Audit(
      {.user = (*row)[kCUser], .action = "logout", .entity = (*row)[kCUser], .result = "ok", .client = client});
}

Result<Principal> Users::Authenticate(const std::string& token, Clock::time_point now) {
  const std::string hash = Sha256Hex(token);
  CS_ASSIGN_OR_RETURN(auto row, store_.GetAccess(AccessTable::kCredentials, hash));
  if (!row) {
    return Status::InvalidInput("unknown or revoked credential; log in again / 凭据无效或已撤销，请重新登录")
        .WithId("auth.invalid");
  }
  const AccessRow& r = *row;
  const bool session = r[kCKind] == kSessionKind;
  CS_ASSIGN_OR_RETURN(auto expires, ParseIso(r[kCExpires]));
  CS_ASSIGN_OR_RETURN(auto last_seen, ParseIso(r[kCLastSeen]));
  if (now >= expires || (session && now - last_seen >= kSessionIdle)) {
    if (session) CS_RETURN_IF_ERROR(store_.DeleteAccess(AccessTable::kCredentials, hash));
    return Status::InvalidInput(session ? "the session expired; log in again / 会话已过期，请重新登录"
                                        : "the token expired / 令牌已过期")
        .WithId("auth.expired");
  }
  CS_ASSIGN_OR_RETURN(auto user, Find(r[kCUser]));
  if (!user || user->disabled) {
    return Status::InvalidInput("the user is disabled / 用户已停用").WithId("auth.disabled");
  }
  // The idle clock restarts at most once a minute: not a database write on every request.
  if (session && now - last_seen > std::chrono::minutes(1)) {
    AccessRow touched = r;
    touched[kCLastSeen] = IsoTime(now);
    touched[kCExpires] = IsoTime(now + kSessionIdle);
    CS_RETURN_IF_ERROR(store_.PutAccess(AccessTable::kCredentials, touched));
  }
  return Principal{*user, session, session ? r[kCCsrf] : std::string()};
}

namespace {
// An audit entry as its row, its id and time filled in where empty.
Result<AccessRow> AuditRow(AuditEntry e, Users::Clock::time_point now) {
  CS_RETURN_IF_ERROR(SodiumReady());
  if (e.at.empty()) e.at = IsoTime(now);
  if (e.id.empty()) e.id = e.at + "-" + RandomToken(6);
  return AccessRow{e.id, e.at, e.user, e.role, e.scope, e.action, e.entity, e.result, e.sha256, e.client, e.detail};
}
}  // namespace

Status Users::Audit(AuditEntry e, Clock::time_point now) {
  CS_ASSIGN_OR_RETURN(AccessRow row, AuditRow(std::move(e), now));
  return store_.PutAccess(AccessTable::kAudit, row);
}

Status Users::Audit(WriteTransaction& txn, AuditEntry e, Clock::time_point now) {
  CS_ASSIGN_OR_RETURN(AccessRow row, AuditRow(std::move(e), now));
  return txn.PutAccess(AccessTable::kAudit, row);
}

Result<std::vector<AuditEntry>> Users::AuditLog(const std::string& since, size_t limit) {
  std::vector<AuditEntry> out;
  CS_RETURN_IF_ERROR(store_.ScanAccess(AccessTable::kAudit, since, [&](const AccessRow& r) {
    out.push_back({r[kAId], r[kAAt], r[kAUser], r[kARole], r[kAScope], r[kAAction], r[kAEntity], r[kAResult], r[kASha],
                   r[kAClient], r[kADetail]});
    return out.size() < limit;
  }));
  return out;
}

namespace {
// `s` as its row, a new id assigned when it has none.
Result<AccessRow> SubmissionRow(Submission& s) {
  CS_RETURN_IF_ERROR(SodiumReady());
  if (s.id.empty()) s.id = "sub-" + IsoTime(Users::Clock::now()).substr(0, 10) + "-" + RandomToken(9);
  return AccessRow{s.id,           s.kind,        s.uscc,           s.status,       s.file_name,
                   s.content_type, s.sha256,      ToBase64(s.body), s.reasons_json, s.submitted_by,
                   s.submitted_at, s.reviewed_by, s.reviewed_at,    s.note};
}
}  // namespace

Result<std::string> Users::PutSubmission(Submission s) {
  CS_ASSIGN_OR_RETURN(AccessRow row, SubmissionRow(s));
  CS_RETURN_IF_ERROR(store_.PutAccess(AccessTable::kSubmissions, row));
  return s.id;
}

Result<std::string> Users::PutSubmission(WriteTransaction& txn, Submission s) {
  CS_ASSIGN_OR_RETURN(AccessRow row, SubmissionRow(s));
  CS_RETURN_IF_ERROR(txn.PutAccess(AccessTable::kSubmissions, row));
  return s.id;
}

namespace {
Submission SubmissionFromRow(const AccessRow& r) {
  Submission s;
  s.id = r[kSId];
  s.kind = r[kSKind];
  s.uscc = r[kSUscc];
  s.status = r[kSStatus];
  s.file_name = r[kSFile];
  s.content_type = r[kSType];
  s.sha256 = r[kSSha];
  s.reasons_json = r[kSReasons];
  s.submitted_by = r[kSBy];
  s.submitted_at = r[kSAt];
  s.reviewed_by = r[kSReviewer];
  s.reviewed_at = r[kSReviewedAt];
  s.note = r[kSNote];
  return s;
}

// A stored submission with its body, or nullopt for none.
Result<std::optional<Submission>> SubmissionWithBody(const std::optional<AccessRow>& row) {
  if (!row) return std::optional<Submission>();
  Submission s = SubmissionFromRow(*row);
  auto body = DecodeBase64((*row)[kSBody]);
  if (!body)
    return Status::Environment(fmt::format("submission {}: the stored body is not base64", s.id)).WithId("db.damaged");
  s.body = std::move(*body);
  return std::optional<Submission>(std::move(s));
}
}  // namespace

Result<std::optional<Submission>> Users::GetSubmission(const std::string& id) {
  CS_ASSIGN_OR_RETURN(auto row, store_.GetAccess(AccessTable::kSubmissions, id));
  return SubmissionWithBody(row);
}

Result<std::optional<Submission>> Users::GetSubmission(WriteTransaction& txn, const std::string& id) {
  CS_ASSIGN_OR_RETURN(auto row, txn.GetAccess(AccessTable::kSubmissions, id));
  return SubmissionWithBody(row);
}

Result<std::vector<Submission>> Users::Submissions() {
  std::vector<Submission> out;
  CS_RETURN_IF_ERROR(store_.ScanAccess(AccessTable::kSubmissions, "", [&](const AccessRow& r) {
    out.push_back(SubmissionFromRow(r));
    return true;
  }));
  std::stable_sort(out.begin(), out.end(),
                   [](const Submission& a, const Submission& b) { return a.submitted_at < b.submitted_at; });
  return out;
}

}  // namespace clusterscope
