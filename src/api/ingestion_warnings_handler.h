// GET /api/projects/{project_id}/ingestion_warnings/ — what ingestion could not do as asked
// (analytics §2.11), in the shape of PostHog's ingestion warnings page:
//
//   {"results": [{"type", "lastSeen", "warnings": [{"type", "timestamp", "details"}],
//                 "count"}]}
//
// One entry per warning type seen in the last 30 days, most recently seen type first; `count` is
// the number of warnings of the type in that window (among the newest kMaxWarningsRead of the
// project), `warnings` the newest kWarningsPerType of them, newest first. Instants are ISO 8601
// in UTC; `details` is the warning's JSON object.
//
// Authentication: a personal API key of a user whose organization owns the project, with
// ingestion_warning:read (checked by the route). 503 when
// the server has no person store.
#pragma once

#include <cstddef>
#include <cstdint>

#include "api/api_context.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

inline constexpr size_t kMaxWarningsRead = 10'000;
inline constexpr size_t kWarningsPerType = 50;
inline constexpr int64_t kWarningsWindowUs = 30LL * 24 * 3600 * 1'000'000;

void HandleListIngestionWarnings(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                 http::Request&& request, http::Responder respond);

}  // namespace hoglet::api
