// Status and Result<T>: how every expected failure travels through clusterscope.
//
// A Status is cheap to copy and carries a code (which the CLI maps to an exit code and the
// server to an HTTP status), a stable machine-readable id (like an import problem's rule id, for
// scripts and the API's error bodies) and a one-line message naming what failed and where. Code
// that can fail returns Status or Result<T>; callers must look at it ([[nodiscard]]).
// Exceptions are used only at the boundary where a whole request is abandoned.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace clusterscope {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // the user's data or arguments were refused (exit 1)
  kNotFound,      // a named entity does not exist (exit 1)
  kConflict,      // the data contradicts what is stored (exit 1)
  kUsage,         // the command line is wrong (exit 2)
  kEnvironment,   // file system, database, disk: not the user's data (exit 3)
  kInternal,      // a bug (exit 3)
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return {}; }
  static Status InvalidInput(std::string msg) { return {StatusCode::kInvalidInput, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {StatusCode::kConflict, std::move(msg)}; }
  static Status Usage(std::string msg) { return {StatusCode::kUsage, std::move(msg)}; }
  static Status Environment(std::string msg) { return {StatusCode::kEnvironment, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The stable id: the one given with WithId ("year.range", "db.newer_schema", …), else the code's
  // own ("invalid_input", "not_found", "conflict", "usage", "environment", "internal"; "" for OK).
  // Ids are part of the interface (docs/cli.md lists them): they change only with a note.
  std::string_view id() const;
  // A copy carrying `id`.
  Status WithId(std::string id) const;

  // "invalid input: <message>" etc.; "OK" for success.
  std::string ToString() const;

  // A copy whose message is prefixed with `context: ` (for adding where a failure happened).
  Status WithContext(const std::string& context) const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string id_;
};

// Either a value or a non-OK Status. Constructing from an OK Status is a programmer error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  // The failure; Status::Ok() when there is a value.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(data_); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

// Process exit code for a status, as cli.md defines: 0 ok, 1 refused input, 2 usage, 3 environment.
int ExitCodeFor(const Status& status);
// HTTP status for a status, as api.md defines: 200; 400 invalid input or usage; 404 not found;
// 409 conflict; 503 environment; 500 internal.
int HttpStatusFor(const Status& status);

}  // namespace clusterscope

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define CS_RETURN_IF_ERROR(expr)                \
  do {                                          \
    ::clusterscope::Status cs_status_ = (expr); \
    if (!cs_status_.ok()) return cs_status_;    \
  } while (false)

#define CS_CONCAT_INNER(a, b) a##b
#define CS_CONCAT(a, b) CS_CONCAT_INNER(a, b)
// `CS_ASSIGN_OR_RETURN(auto x, F());` binds the value of a Result or returns its Status.
#define CS_ASSIGN_OR_RETURN(lhs, expr) CS_ASSIGN_OR_RETURN_IMPL(CS_CONCAT(cs_result_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): `lhs` is a declaration and cannot be parenthesised.
#define CS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
