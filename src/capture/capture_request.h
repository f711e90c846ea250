// Decoding a capture HTTP request into events: every body shape and encoding the PostHog SDKs
// send (capture-and-flags §1.2–§1.6). Pure: no I/O, no clock (the receive time comes in).
//
// Example:
//   CaptureRequest req{.path = "/batch/", .query = "", .content_type = "application/json",
//                      .content_encoding = "gzip", .body = body, .ip = "1.2.3.4",
//                      .now_us = clock.NowMicros()};
//   StatusOr<CaptureBatch> batch = DecodeCaptureRequest(req, CaptureLimits{});
//
// An OK result with no events means every event was "$performance_event" (dropped): answer 200.
//
// Errors (the whole request is refused, as PostHog does for v0 capture):
//   kInvalidArgument  undecodable body, invalid JSON, empty batch, missing event name or
//                     distinct_id, invalid uuid, too deep or too many properties; `reason` is
//                     PostHog's code where it has one: "empty_payload",
//                     "request_decoding_error", "request_parsing_error", "empty_batch",
//                     "missing_event_name", "missing_distinct_id", "invalid_uuid",
//                     "invalid_cookieless_mode"; ours: "json_too_deep", "too_many_properties"
//   kUnauthenticated  no token ("ingest_key_required"), several different tokens
//                     ("multiple_tokens"), or a malformed token, e.g. a phx_ key
//                     ("ingest_key_invalid")
//   kPayloadTooLarge  decompressed payload, event count or one event's size over the limits
//                     ("payload_too_large"; PostHog answers an oversized event with 413 too)
//
// Implementation map: query_string → payload_decoder (form, gzip, lz_string, base64) →
// json_escapes → payload_document (JSON shapes) → token → event_parser (distinct_id, timestamp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "capture/captured_event.h"

namespace hoglet::capture {

struct CaptureRequest {
  std::string_view path;              // request path without the query, e.g. "/e/"
  std::string_view query;             // raw query string without '?', e.g. "ip=1&_=1694769305355"
  std::string_view content_type;      // header value, may be empty
  std::string_view content_encoding;  // header value, may be empty
  std::string_view body;              // raw body bytes (may be empty for GET ?data=)
  std::string ip;                     // client address
  int64_t now_us = 0;                 // server receive time
};

struct CaptureLimits {
  size_t max_payload_bytes = 20 << 20;  // decompressed / decoded payload
  size_t max_events = 10'000;           // events per request
  size_t max_json_depth = 64;           // nesting of the payload JSON
  size_t max_properties = 10'000;       // keys in one event's properties object
  // One event's JSON as received (minified): PostHog's 1,000,000-byte Kafka message limit.
  size_t max_event_bytes = 1'000'000;
};

struct CaptureBatch {
  std::string token;                  // resolved per capture-and-flags §1.4
  std::vector<CapturedEvent> events;  // in request order; team_id still 0
  bool historical_migration = false;
};

StatusOr<CaptureBatch> DecodeCaptureRequest(const CaptureRequest& request,
                                            const CaptureLimits& limits);

}  // namespace hoglet::capture
