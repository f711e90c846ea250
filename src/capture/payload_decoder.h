// From the bytes of a capture request to JSON text: the tolerant cascade of capture-and-flags
// §1.2 steps 1–7 (locate the payload, whole-payload base64 sniff, form fields with '+' repair,
// compression hint, gzip by magic bytes, lz64, second base64 unwrap on legacy paths).
//
// Example:
//   CaptureQuery query = ParseCaptureQuery(request.query);
//   HOGLET_ASSIGN_OR_RETURN(DecodedPayload payload, DecodePayload(request, query, limits));
//   // payload.json is UTF-8 text to parse as JSON
//
// Errors:
//   kInvalidArgument  empty payload ("empty_payload"), a form body without form fields, corrupt
//                     gzip or lz64 data ("request_decoding_error")
//   kPayloadTooLarge  the decoded payload is over limits.max_payload_bytes ("payload_too_large")
// Pure; safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "capture/capture_request.h"
#include "capture/query_string.h"

namespace hoglet::capture {

enum class Compression { kNone, kGzip, kLzString, kBase64 };

// "gzip"/"gzip-js" → kGzip, "lz64"/"lz-string" → kLzString, "base64"/"b64" → kBase64,
// "none"/"identity" → kNone, case-insensitive; nullopt for anything else (unsupported: the next
// source of hints is consulted).
std::optional<Compression> ParseCompressionHint(std::string_view hint);

// The "looks like strict base64" rule: non-empty, does not start with a form prefix, its first
// 128 bytes are all in [A-Za-z0-9+/=] and its length is a multiple of 4.
bool LooksLikeBase64(std::string_view payload);

// True for the paths whose payloads may carry a second base64 layer: /e, /capture, /engage and
// /track, with or without a trailing slash (not /batch, not /i/v0/e).
bool IsLegacyCapturePath(std::string_view path);

// True for /engage and /engage/, where an object without `event` is a Mixpanel person update.
bool IsEngagePath(std::string_view path);

struct DecodedPayload {
  std::string json;         // the decoded text; not yet validated as JSON or UTF-8
  std::string lib_version;  // the form's `ver`/`lib_version`, else the query's; may be empty
};

StatusOr<DecodedPayload> DecodePayload(const CaptureRequest& request, const CaptureQuery& query,
                                       const CaptureLimits& limits);

}  // namespace hoglet::capture
