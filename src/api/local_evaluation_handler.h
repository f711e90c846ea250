// Flag definitions for local evaluation (capture-and-flags §4): what server SDKs poll so they can
// evaluate flags in process. Served at GET /flags/definitions and
// GET /api/feature_flag/local_evaluation (with or without a trailing slash), for the project
// named by the `token` query parameter (its phc_ key). `send_cohorts` is accepted and ignored:
// cohorts are always included.
//
// Authentication, as PostHog's flags service does it: `Authorization: Bearer phs_…` (the
// project's secret API key; checked first when present) or `Bearer phx_…` (a personal API key
// of a user in the project's organization).
//   400  no `token` parameter
//   401  unknown token (text); no credentials (not_authenticated); a secret key that is not the
//        project's, or a personal API key that is unknown or belongs to another organization
//        (authentication_failed)
//   403  a personal API key without feature_flag:read (or feature_flag:write, or "*"):
//        {"type": "authentication_error", "code": "permission_denied",
//         "detail": "API key missing required scope 'feature_flag:read'"}
//   200  flags::FlagDefinitionsJson of the project's snapshot, with a strong ETag
//   304  the request's If-None-Match matches the current ETag (same ETag, no body)
// HEAD answers 200 with an empty body without checking anything, as PostHog does.
//
// The body and its ETag are computed once per snapshot and then served from memory. Runs on the
// worker pool (it may rebuild a snapshot, and authentication may record a key's last use).
#pragma once

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void HandleLocalEvaluation(const ApiContext& context, http::Request&& request,
                           http::Responder respond);

}  // namespace hoglet::api
