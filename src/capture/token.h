// Project token (API key) resolution and shape checks (capture-and-flags §1.4).
//
// The batch object's `api_key`/`token` wins when present; otherwise every event's own token
// (`token`, `$token` or `api_key` at the top level, else `properties.token`) is collected and
// exactly one distinct value must remain. The chosen token must look like a project key.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(std::string token, ResolveToken(batch_token, event_tokens));
//
// Errors (all kUnauthenticated):
//   "ingest_key_required"  no token anywhere in the request
//   "multiple_tokens"      events carry two or more different tokens
//   "ingest_key_invalid"   empty, over 64 bytes, non-ASCII, containing NUL, or a personal API
//                          key (phx_ prefix) instead of a project key
// Pure; safe to call from any thread.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::capture {

inline constexpr size_t kMaxTokenBytes = 64;

// The token an event names itself, before any validation; nullopt when it names none.
std::optional<std::string> EventToken(simdjson::dom::object event);

// OK when `token` is shaped like a project API key.
Status ValidateTokenShape(std::string_view token);

StatusOr<std::string> ResolveToken(const std::optional<std::string>& batch_token,
                                   const std::vector<std::optional<std::string>>& event_tokens);

}  // namespace hoglet::capture
