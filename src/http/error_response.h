// The one mapping from a Status to an HTTP response (status code and JSON body).
//
// Body, in the shape PostHog's API uses for errors:
//   {"type": "validation_error", "code": "<status reason>", "detail": "<message>", "attr": null}
// `attr` names the request field at fault (a body field of a validation error), as PostHog's API
// does; it is null when the error is not about one field.
#pragma once

#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace hoglet::http {

// 400, 401, 403, 404, 409, 413, 429, 503, 504 or 500 for the status's code.
int HttpStatusFor(const Status& status);

// A JSON error response for a non-OK status.
Response ErrorResponse(const Status& status);
// The same, with `attr` naming the field at fault (null in the body when empty).
Response ErrorResponse(const Status& status, std::string_view attr);

}  // namespace hoglet::http
