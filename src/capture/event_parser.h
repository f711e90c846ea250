// One event object → one CapturedEvent: the per-event validation and normalisation of
// capture-and-flags §1.3 and the timestamp of §1.6.
//
// Fields read: `distinct_id` (else `$distinct_id`, else `properties.distinct_id`; cut to 200
// characters, with the length before the cut in distinct_id_chars_before_cut), `uuid`,
// `timestamp`, `offset`, `properties.$ignore_sent_at`, `properties.$cookieless_mode`. The
// event's `data` is its JSON text as received (for an /engage update, with "event":"$identify"
// added first). The token is left empty: the request's token is resolved separately.
//
// Example:
//   EventContext ctx{.now_us = now, .sent_at_us = sent_at, .ip = ip, .limits = limits};
//   HOGLET_ASSIGN_OR_RETURN(CapturedEvent event, BuildCapturedEvent(envelope, ctx));
//
// Errors (kInvalidArgument unless noted):
//   "missing_distinct_id"      no distinct_id, or null, "" or only whitespace
//   "invalid_uuid"             `uuid` present but not a UUID
//   "invalid_cookieless_mode"  `properties.$cookieless_mode` present but not a boolean
//   "too_many_properties"      `properties` has more than limits.max_properties keys
//   "request_parsing_error"    `properties` is present but not an object
//   "payload_too_large"        kPayloadTooLarge: the event's JSON is over limits.max_event_bytes
// Messages quote at most the first 200 characters of the event name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "capture/capture_request.h"
#include "capture/captured_event.h"
#include "capture/payload_document.h"

namespace hoglet::capture {

struct EventContext {
  int64_t now_us = 0;
  std::optional<int64_t> sent_at_us;  // the request's send time, when known
  std::string ip;
  bool historical_migration = false;
  CaptureLimits limits;
};

StatusOr<CapturedEvent> BuildCapturedEvent(const EventEnvelope& envelope,
                                           const EventContext& context);

}  // namespace hoglet::capture
