// The JSON shapes a capture payload may take (capture-and-flags §1.2 steps 8–9), tried in order:
//   a. an array of events (posthog-js up to mid 2026, /s/ replay batches),
//   b. a batch object {"api_key"|"token", "batch": [...], "sent_at"?, "historical_migration"?},
//   c. a single event object (it has "event"),
//   d. on /engage only, an object without "event": a Mixpanel person update, read as "$identify".
// Events named "$performance_event" are dropped here.
//
// Example:
//   simdjson::dom::parser parser;
//   HOGLET_ASSIGN_OR_RETURN(PayloadDocument doc,
//                           ParsePayloadDocument(&parser, json, /*engage=*/false, limits));
//   for (const EventEnvelope& e : doc.events) ...  // e.object borrows from `parser`
//
// Ownership: the envelopes point into `parser`; they are valid until it parses again or dies.
// Errors:
//   kInvalidArgument  not UTF-8 or not JSON ("request_parsing_error"), nesting deeper than
//                     limits.max_json_depth ("json_too_deep"), no events ("empty_batch"), an
//                     event that is not an object or has no usable name ("missing_event_name")
//   kPayloadTooLarge  more events than limits.max_events ("payload_too_large")
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "capture/capture_request.h"

namespace hoglet::capture {

struct EventEnvelope {
  simdjson::dom::object object;  // the event as received
  std::string name;              // its `event`, or "$identify" for an engage update
  bool engage_update = false;    // true when `name` was supplied because `event` was absent
};

struct PayloadDocument {
  std::vector<EventEnvelope> events;         // in payload order, $performance_event removed
  std::optional<std::string> batch_token;    // the batch object's api_key/token
  std::optional<std::string> batch_sent_at;  // the batch object's sent_at, unparsed
  bool historical_migration = false;
};

// Parses `json` (which this call may pad in place for the parser) into events.
StatusOr<PayloadDocument> ParsePayloadDocument(simdjson::dom::parser* parser, std::string* json,
                                               bool engage, const CaptureLimits& limits);

}  // namespace hoglet::capture
