// The flag evaluation endpoints /flags and /decide (capture-and-flags §2): what posthog-js and
// the server SDKs call to learn which flags are on for a person.
//
//   POST  decode the body (flags_request.h), resolve the project from the body's token,
//         evaluate the project's flags for the caller and answer in the shape the endpoint and
//         version ask for (flags_response.h).
//   GET   the minimal answer PostHog gives: no flags, supportedCompression only.
//   HEAD  200 with an empty JSON body.
//
// Defaults (§2.1): with neither `v` nor `config`, /flags answers as v=2 with config; /decide
// always has config unless `config` says otherwise.
//
// Where the work runs: a request whose flags need nothing but the request (no person or group
// property, cohort or experience-continuity condition) is answered on the I/O thread from the
// in-memory snapshot. Anything else (loading stored person and group properties, static cohort
// memberships, hash-key overrides, or rebuilding a stale snapshot) moves to the worker pool;
// a full pool answers 503.
//
// Person properties are the stored ones overlaid by the request's, with $initial_* filled in;
// group properties likewise. When a request carries $anon_distinct_id and the project has
// experience-continuity flags, hash-key overrides are recorded for the persons of both ids;
// such flags bucket by the stored override (the distinct_id's person first, then the anonymous
// id's), else by $anon_distinct_id. A failed store read fails only the flags that needed it
// (failed: true, errorsWhileComputingFlags: true); the other flags are still answered.
//
// Errors are plain text, with PostHog's wording: 400 undecodable body or missing distinct_id,
// 401 missing or unknown token, 413 a body that decompresses past the limit, 503 when the
// flag set cannot be loaded.
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleFlags(const ApiContext& context, http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
