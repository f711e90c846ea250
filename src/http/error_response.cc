#include "http/error_response.h"

#include "base/json_writer.h"

namespace hoglet::http {
namespace {

std::string_view ErrorType(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kPayloadTooLarge:
    case StatusCode::kAlreadyExists:
      return "validation_error";
    case StatusCode::kUnauthenticated:
      return "authentication_error";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "invalid_request";
    case StatusCode::kResourceExhausted:
      return "throttled_error";
    default:
      return "server_error";
  }
}

}  // namespace

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kPayloadTooLarge:
      return 413;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDeadlineExceeded:
      return 504;
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) { return ErrorResponse(status, {}); }

Response ErrorResponse(const Status& status, std::string_view attr) {
  JsonWriter w;
  w.BeginObject();
  w.Key("type");
  w.String(ErrorType(status.code()));
  w.Key("code");
  w.String(status.reason());
  w.Key("detail");
  w.String(status.message());
  w.Key("attr");
  if (attr.empty()) {
    w.Null();
  } else {
    w.String(attr);
  }
  w.EndObject();
  Response response = Response::Json(HttpStatusFor(status), std::move(w).Take());
  if (status.code() == StatusCode::kResourceExhausted ||
      status.code() == StatusCode::kUnavailable) {
    response.headers.emplace_back("Retry-After", "1");
  }
  return response;
}

}  // namespace hoglet::http
