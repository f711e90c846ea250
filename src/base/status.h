// The error vocabulary of the whole codebase.
//
// Every fallible function returns a `Status` (or a `StatusOr<T>`, which holds either a value or a
// non-OK status). No exceptions cross a module boundary: where a library throws, the call site
// catches and converts. The codes are few and mean one thing each:
//
//   kInvalidArgument    the client sent something malformed (HTTP 400)
//   kUnauthenticated    no or unknown credentials (401)
//   kPermissionDenied   credentials valid but not for this resource (403)
//   kNotFound           the addressed resource does not exist (404)
//   kAlreadyExists      a unique key is taken (409)
//   kPayloadTooLarge    a client-controlled size is over its limit (413)
//   kResourceExhausted  backpressure or a rate limit; retry later (429)
//   kUnavailable        a backend (disk, log, store) cannot take work now; retry (503)
//   kDeadlineExceeded   a time budget ran out (504, or 408 for a slow client)
//   kDataLoss           on-disk corruption detected (500)
//   kInternal           a bug: an invariant of ours did not hold (500)
//
// A status may carry a `reason`: a short snake_case tag for machines (PostHog's error `code`,
// e.g. "missing_distinct_id"). The message is for the person reading it and says what to do.
//
// Example:
//   StatusOr<Batch> Decode(std::string_view body) {
//     if (body.empty()) return InvalidArgumentError("empty payload", "empty_payload");
//     HOGLET_ASSIGN_OR_RETURN(std::string text, Inflate(body));
//     ...
//   }
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hoglet {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kAlreadyExists,
  kPayloadTooLarge,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kDataLoss,
  kInternal,
};

// Lower-case name of a code, e.g. "invalid_argument"; also the default reason.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string reason = {});

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The machine-readable tag; StatusCodeName(code()) when none was given.
  std::string_view reason() const;

  // A copy whose message is prefixed with `context: `.
  Status WithContext(std::string_view context) const;

  // "invalid_argument: message" (or "ok").
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string reason_;
};

Status InvalidArgumentError(std::string message, std::string reason = {});
Status UnauthenticatedError(std::string message, std::string reason = {});
Status PermissionDeniedError(std::string message, std::string reason = {});
Status NotFoundError(std::string message, std::string reason = {});
Status AlreadyExistsError(std::string message, std::string reason = {});
Status PayloadTooLargeError(std::string message, std::string reason = {});
Status ResourceExhaustedError(std::string message, std::string reason = {});
Status UnavailableError(std::string message, std::string reason = {});
Status DeadlineExceededError(std::string message, std::string reason = {});
Status DataLossError(std::string message, std::string reason = {});
Status InternalError(std::string message, std::string reason = {});

// Either a T or a non-OK Status. Constructing from an OK status is a bug (it becomes kInternal).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : rep_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(rep_).ok()) rep_ = InternalError("StatusOr built from an OK status");
  }
  StatusOr(T value) : rep_(std::move(value)) {}  // NOLINT: implicit by design
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, Status> &&
                                                    !std::is_same_v<std::decay_t<U>, StatusOr<T>>>>
  StatusOr(U&& value) : rep_(T(std::forward<U>(value))) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(rep_); }
  const Status& status() const& {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(rep_);
  }
  // By value on a temporary, so `HOGLET_RETURN_IF_ERROR(F().status())` holds no reference into
  // a StatusOr that is already gone.
  Status status() && { return ok() ? Status() : std::get<Status>(std::move(rep_)); }

  T& value() & {
    assert(ok());
    return std::get<T>(rep_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(rep_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(rep_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> rep_;
};

namespace status_internal {
inline const Status& AsStatus(const Status& s) { return s; }
template <typename T>
const Status& AsStatus(const StatusOr<T>& s) {
  return s.status();
}
}  // namespace status_internal

}  // namespace hoglet

#define HOGLET_CONCAT_INNER_(a, b) a##b
#define HOGLET_CONCAT_(a, b) HOGLET_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status or StatusOr) is not OK.
#define HOGLET_RETURN_IF_ERROR(expr)                                                              \
  do {                                                                                            \
    auto&& hoglet_result_ = (expr); /* keeps a temporary alive for the check */                   \
    const ::hoglet::Status& hoglet_status_ = ::hoglet::status_internal::AsStatus(hoglet_result_); \
    if (!hoglet_status_.ok()) return hoglet_status_;                                              \
  } while (0)

// `HOGLET_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the value or returns the error.
#define HOGLET_ASSIGN_OR_RETURN(lhs, expr) \
  HOGLET_ASSIGN_OR_RETURN_IMPL_(HOGLET_CONCAT_(hoglet_statusor_, __LINE__), lhs, expr)
#define HOGLET_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
