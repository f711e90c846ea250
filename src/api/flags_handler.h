// The flag evaluation endpoints /flags and /decide (capture-and-flags §2): what posthog-js and
// the server SDKs call to learn which flags are on for a person. The HTTP edge of the flags
// service (flags/flags_service.h), which does the work.
//
//   POST  decode the body (flags/flags_request.h), take the shape and config from the endpoint
//         and its query parameters (flags::AnswerOptionsFor) and the runtime from the request's
//         headers, and let the service answer.
//   GET   the minimal answer PostHog gives: no flags, supportedCompression only.
//   HEAD  200 with an empty JSON body.
//
// Where the work runs: what the service can answer from memory is answered on the I/O thread;
// anything else (a stale snapshot, stored person and group properties, cohorts, continuity
// overrides) moves to the worker pool; a full pool answers 503.
//
// Errors are plain text, with PostHog's wording: 400 undecodable body or missing distinct_id,
// 401 missing or unknown token, 413 a body that decompresses past the limit, 503 (Retry-After: 1)
// when the flag set cannot be loaded.
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleFlags(const ApiContext& context, http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
