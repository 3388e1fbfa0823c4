#include "clusterscope/status.h"

namespace clusterscope {

std::string Status::ToString() const {
  const char* prefix = "";
  switch (code_) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidInput:
      prefix = "invalid input: ";
      break;
    case StatusCode::kNotFound:
      prefix = "not found: ";
      break;
    case StatusCode::kConflict:
      prefix = "conflict: ";
      break;
    case StatusCode::kUsage:
      prefix = "usage: ";
      break;
    case StatusCode::kEnvironment:
      prefix = "environment: ";
      break;
    case StatusCode::kInternal:
      prefix = "internal error: ";
      break;
  }
  return prefix + message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  Status out(code_, context + ": " + message_);
  out.id_ = id_;
  return out;
}

std::string_view Status::id() const {
  if (!id_.empty()) return id_;
  switch (code_) {
    case StatusCode::kOk:
      return "";
    case StatusCode::kInvalidInput:
      return "invalid_input";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kUsage:
      return "usage";
    case StatusCode::kEnvironment:
      return "environment";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

Status Status::WithId(std::string id) const {
  Status out = *this;
  if (!ok()) out.id_ = std::move(id);
  return out;
}

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidInput:
    case StatusCode::kUsage:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kEnvironment:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 0;
    case StatusCode::kInvalidInput:
    case StatusCode::kNotFound:
    case StatusCode::kConflict:
      return 1;
    case StatusCode::kUsage:
      return 2;
    case StatusCode::kEnvironment:
    case StatusCode::kInternal:
      return 3;
  }
  return 3;
}

}  // namespace clusterscope
