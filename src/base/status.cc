#include "base/status.h"

namespace hoglet {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kPayloadTooLarge:
      return "payload_too_large";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case StatusCode::kDataLoss:
      return "data_loss";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string message, std::string reason)
    : code_(code), message_(std::move(message)), reason_(std::move(reason)) {}

std::string_view Status::reason() const {
  return reason_.empty() ? StatusCodeName(code_) : std::string_view(reason_);
}

Status Status::WithContext(std::string_view context) const {
  if (ok()) return *this;
  return Status(code_, std::string(context) + ": " + message_, reason_);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

#define HOGLET_DEFINE_ERROR_(Name, Code)                        \
  Status Name(std::string message, std::string reason) {        \
    return Status(Code, std::move(message), std::move(reason)); \
  }
HOGLET_DEFINE_ERROR_(InvalidArgumentError, StatusCode::kInvalidArgument)
HOGLET_DEFINE_ERROR_(UnauthenticatedError, StatusCode::kUnauthenticated)
HOGLET_DEFINE_ERROR_(PermissionDeniedError, StatusCode::kPermissionDenied)
HOGLET_DEFINE_ERROR_(NotFoundError, StatusCode::kNotFound)
HOGLET_DEFINE_ERROR_(AlreadyExistsError, StatusCode::kAlreadyExists)
HOGLET_DEFINE_ERROR_(PayloadTooLargeError, StatusCode::kPayloadTooLarge)
HOGLET_DEFINE_ERROR_(ResourceExhaustedError, StatusCode::kResourceExhausted)
HOGLET_DEFINE_ERROR_(UnavailableError, StatusCode::kUnavailable)
HOGLET_DEFINE_ERROR_(DeadlineExceededError, StatusCode::kDeadlineExceeded)
HOGLET_DEFINE_ERROR_(DataLossError, StatusCode::kDataLoss)
HOGLET_DEFINE_ERROR_(InternalError, StatusCode::kInternal)
#undef HOGLET_DEFINE_ERROR_

}  // namespace hoglet
