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
  return Status(code_, context + ": " + message_);
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
