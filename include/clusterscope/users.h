// Who may use the server, and what they did: users with a role and a scope, sessions and bearer
// tokens, firms' held submissions and the audit log — all in the access tables of the same
// database as the data (store.h, schema version 4), so a backup or a copy takes them along.
//
// Passwords are hashed with argon2id (libsodium crypto_pwhash_str); sessions and tokens are random
// 256-bit strings of which only the SHA-256 is stored, so a stolen database holds no credential.
// Roles and scopes are those of api.md; what each role may read is enforced by the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clusterscope/status.h"
#include "clusterscope/store.h"

namespace clusterscope {

enum class Role { kAdmin, kNational, kProvince, kZone, kFirm, kAnalyst };
inline constexpr Role kAllRoles[] = {Role::kAdmin, Role::kNational, Role::kProvince,
                                     Role::kZone,  Role::kFirm,     Role::kAnalyst};
std::string_view RoleId(Role role);  // "admin", "national", …
std::optional<Role> ParseRole(std::string_view id);

struct User {
  std::string name;
  Role role = Role::kAnalyst;
  std::string scope;  // province: 2-digit GB/T 2260 code; zone: zone_id; firm: uscc; else ""
  bool disabled = false;
  std::string created_at;  // UTC, ISO 8601
};

// Whoever a request acts for, after Authenticate.
struct Principal {
  User user;
  bool session = false;  // true: a session cookie (state-changing requests need the CSRF token)
  std::string csrf;      // the session's CSRF token ("" for a bearer token)
};

struct SessionGrant {
  std::string token;  // the cookie's value; shown once, stored only as its hash
  std::string csrf;
  User user;
};

// One line of the audit log (api.md "Audit").
struct AuditEntry {
  std::string id;  // "<at>-<random>": the log sorts by time
  std::string at;  // UTC, ISO 8601 with microseconds
  std::string user;
  std::string role;
  std::string scope;
  std::string action;  // login, logout, import, submission, accept, return, user.add, token, …
  std::string entity;  // what it was done to (a user name, an import kind, a submission id)
  std::string result;  // ok, failed, locked, refused, forbidden, …
  std::string sha256;  // of the file, for imports and submissions
  std::string client;  // the client's address
  std::string detail;  // a short free note
};

// A firm's annual report held for review (api.md POST /submissions).
struct Submission {
  std::string id;
  std::string kind;  // "reports"
  std::string uscc;
  std::string status;  // submitted | accepted | returned
  std::string file_name;
  std::string content_type;
  std::string sha256;
  std::string body;          // the file's bytes (stored base64)
  std::string reasons_json;  // [{"row","column","rule","reason"}]: the firm's reason for each warning
  std::string submitted_by;
  std::string submitted_at;
  std::string reviewed_by;
  std::string reviewed_at;
  std::string note;  // the reviewer's note when returned
};

// Session lifetime and lockout (api.md "Authentication").
inline constexpr std::chrono::hours kSessionIdle{8};
inline constexpr int kMaxFailedLogins = 5;
inline constexpr std::chrono::minutes kLockoutWindow{15};

// "2026-12-01T22:50:00.123456Z" for `t`.
std::string IsoTime(std::chrono::system_clock::time_point t);
// SHA-256 of `bytes`, lower-case hex.
std::string Sha256Hex(std::string_view bytes);
// Standard base64 (with padding) to bytes; nullopt when `text` is not base64.
std::optional<std::string> DecodeBase64(std::string_view text);
// Equal strings, in time that does not depend on where they differ (CSRF tokens).
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// The access tables over a store (not owned). Not thread-safe: the server serialises its calls.
class Users {
 public:
  using Clock = std::chrono::system_clock;
  explicit Users(Store& store) : store_(store) {}
  // The access tables of the database at `url` on a connection of their own (the CLI's `users`,
  // the server): the database must exist at this build's schema version, as Workspace::Open
  // requires (kEnvironment db.missing, db.older_schema, db.newer_schema); `init` creates them.
  static Result<std::unique_ptr<Users>> Open(const std::string& url);

  // Adds a user. kInvalidInput (naming the field) for a name that is not 1–64 letters, digits or
  // ._@- , a scope that does not fit the role (province: two digits; zone: a stored zone_id; firm:
  // a stored uscc; none for the others), or a password under 10 characters; kConflict if the name
  // is taken. Audited as `actor`.
  Status Add(const std::string& name, Role role, const std::string& scope, const std::string& password,
             const std::string& actor);
  Result<std::vector<User>> List();
  Result<std::optional<User>> Find(const std::string& name);
  // Disabling also ends the user's sessions and revokes its tokens. kNotFound for an unknown name.
  Status SetDisabled(const std::string& name, bool disabled, const std::string& actor);
  // A new password ends the user's sessions (not its tokens).
  Status SetPassword(const std::string& name, const std::string& password, const std::string& actor);
  // A bearer token for scripts, valid `days` days (1–3650); returned once.
  Result<std::string> IssueToken(const std::string& name, int days, const std::string& actor);

  // Checks the password and opens a session. Every attempt is audited. kInvalidInput with id
  // auth.failed for an unknown user, a wrong password or a disabled user (one answer for all
  // three); id auth.locked after kMaxFailedLogins failures within kLockoutWindow, for
  // kLockoutWindow after the last of them.
  Result<SessionGrant> Login(const std::string& name, const std::string& password, const std::string& client,
                             Clock::time_point now = Clock::now());
  // Ends the session whose cookie is `token` (no error when there is none).
  Status Logout(const std::string& token, const std::string& client);
  // The principal for a session cookie or bearer token. kInvalidInput with id auth.expired (a
  // session idle over kSessionIdle, a token past its expiry), auth.invalid (unknown or revoked)
  // or auth.disabled.
  Result<Principal> Authenticate(const std::string& token, Clock::time_point now = Clock::now());

  Status Audit(AuditEntry entry, Clock::time_point now = Clock::now());
  // Entries at or after `since` (ISO 8601; "" = all), oldest first, at most `limit`.
  Result<std::vector<AuditEntry>> AuditLog(const std::string& since, size_t limit);

  // Stores `s` (a new one when s.id is empty: an id is assigned and returned).
  Result<std::string> PutSubmission(Submission s);
  Result<std::optional<Submission>> GetSubmission(const std::string& id);
  // Every submission, without bodies, oldest first.
  Result<std::vector<Submission>> Submissions();

  // The same inside a write transaction of the data (store.h), on whichever store it is: committed
  // with it or not at all. Accepting a submission writes its status, and the audit line that says
  // so, in the transaction that imports its reports.
  static Result<std::string> PutSubmission(WriteTransaction& txn, Submission s);
  static Result<std::optional<Submission>> GetSubmission(WriteTransaction& txn, const std::string& id);
  static Status Audit(WriteTransaction& txn, AuditEntry entry, Clock::time_point now = Clock::now());

 private:
  Status PutUser(const User& user, const std::string& password_hash);
  Result<std::optional<std::pair<User, std::string>>> FindWithHash(const std::string& name);
  Status EndCredentials(const std::string& name, bool tokens_too);
  explicit Users(std::unique_ptr<Store> owned) : owned_(std::move(owned)), store_(*owned_) {}
  std::unique_ptr<Store> owned_;  // set by Open(); declared first, as store_ may refer to it
  Store& store_;
};

}  // namespace clusterscope
