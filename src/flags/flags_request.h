// What a /flags or /decide request asks for (capture-and-flags §2.1–§2.3), decoded from every
// body shape the SDKs send:
//  - JSON (`application/json`, `text/plain`, or no content type), gzip-compressed when the
//    `compression` query parameter says gzip, when Content-Encoding contains gzip, or when the
//    body starts with the gzip magic bytes (current posthog-js announces nothing); a body that is
//    not JSON is tried once more as (percent-encoded, unpadded) base64 of JSON;
//  - a form (`application/x-www-form-urlencoded`): `data=<base64 of JSON>` (or the bare base64).
// JSON is read leniently, as PostHog does: bare NaN, Infinity and -Infinity become null, invalid
// UTF-8 is replaced by U+FFFD, lone UTF-16 surrogate escapes are repaired.
//
// Fields and aliases (first present wins): token|api_key|$token, distinct_id|$distinct_id
// (string, or a number kept as written; cut to 200 characters), groups|$groups,
// person_properties|$properties, group_properties|$group_properties,
// anon_distinct_id|$anon_distinct_id, device_id|$device_id (else person_properties.$device_id),
// flag_keys|flag_keys_to_evaluate, evaluation_contexts|evaluation_environments,
// evaluation_runtime, disable_flags, geoip_disable, timezone. Unknown fields are ignored; null
// counts as absent. The token is read only from the body.
//
// Example:
//   FlagsQuery query = ParseFlagsQuery(request.query);
//   HOGLET_ASSIGN_OR_RETURN(FlagsRequest flags_request,
//                           DecodeFlagsRequest({.content_type = ..., .body = request.body,
//                                               .compression = query.compression},
//                                              FlagsRequestLimits{}));
//
// Errors carry PostHog's text for the client (the handler sends it as a text/plain body):
//   kInvalidArgument  undecodable body, invalid JSON, a field of the wrong type, an unsupported
//                     content type or compression, more keys/groups/properties than the limits
//                     allow ("request_decoding_error")
//   kPayloadTooLarge  the body decompresses to more than limits.max_decoded_bytes
// A missing token or distinct_id is not a decoding error: the handler decides (401 / 400).
//
// Pure; safe to call from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "filters/property_value.h"
#include "flags/feature_flag.h"

namespace hoglet::flags {

// The query parameters of /flags and /decide.
struct FlagsQuery {
  std::optional<int> version;      // `v` (or `version`); a value that is not an integer reads as 1
  std::optional<bool> config;      // present means true; "false", "0", "no", "off" mean false
  std::string compression;         // raw `compression`; empty when absent
  bool only_survey_flags = false;  // `only_evaluate_survey_feature_flags`
};

FlagsQuery ParseFlagsQuery(std::string_view query);

// Bounds on what a client controls (the body itself is bounded by the router).
struct FlagsRequestLimits {
  size_t max_decoded_bytes = 8 << 20;  // body after gzip / base64 decoding
  size_t max_json_depth = 64;
  size_t max_flag_keys = 1'000;
  size_t max_groups = 100;         // groups sent, and group types in group_properties
  size_t max_properties = 10'000;  // members of one properties object
  size_t max_evaluation_contexts = 100;
};

// The parts of the HTTP request decoding reads.
struct FlagsHttpBody {
  std::string_view content_type;      // header value; may be empty
  std::string_view content_encoding;  // header value; may be empty
  std::string_view body;
  std::string_view compression;  // the `compression` query parameter; may be empty
};

struct FlagsRequest {
  std::string token;                       // empty when absent
  std::optional<std::string> distinct_id;  // nullopt when absent or null; "" is kept
  std::optional<std::string> anon_distinct_id;
  std::optional<std::string> device_id;
  std::unordered_map<std::string, std::string> groups;  // group type name → group key
  filters::Properties person_properties;                // as sent, with $initial_* not filled
  std::unordered_map<std::string, filters::Properties> group_properties;  // by group type name
  std::optional<std::vector<std::string>> flag_keys;
  std::vector<std::string> evaluation_contexts;
  std::optional<std::string> evaluation_runtime;  // as sent
  std::optional<std::string> timezone;
  bool disable_flags = false;
  bool geoip_disable = false;
};

StatusOr<FlagsRequest> DecodeFlagsRequest(const FlagsHttpBody& http,
                                          const FlagsRequestLimits& limits);

// The runtime whose flags a request may see (capture-and-flags §2.3): the request's own
// `evaluation_runtime` when it sent one ("client", "server" or "all", any case; anything else
// reads as "all"), else inferred from the User-Agent (browsers and mobile SDKs are clients;
// server SDKs, python-requests and curl are servers), else client when the request carries
// browser headers (Origin, Referer, Sec-Fetch-Mode, Sec-Fetch-Site). nullopt when unknown: only
// flags without a runtime are then served.
std::optional<EvaluationRuntime> ResolveRuntime(const std::optional<std::string>& requested,
                                                std::string_view user_agent,
                                                bool has_browser_headers);

// Adds `$initial_<name>` for every property `$<name>` or `<name>` whose initial counterpart is
// missing (PostHog's server does the same before matching person properties).
void FillInitialProperties(filters::Properties* properties);

}  // namespace hoglet::flags
