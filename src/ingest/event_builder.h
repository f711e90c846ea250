// Turns a captured event into the row the event store keeps (analytics §2.4, the part of event
// normalisation that does not need persons):
//   - properties are the event's `properties` object, with the top-level `$set` / `$set_once`
//     merged into `properties.$set` / `properties.$set_once` (top-level keys win),
//   - `$ip` is the request's client address unless the event carries one, and is removed when the
//     project anonymises IPs,
//   - `$sent_at` is the request's send time when known,
//   - the event name is cut to 200 characters (as PostHog's ingestion does),
//   - person_id is PostHog's deterministic person uuid (persons/person_uuid.h); person
//     processing replaces it with the real person's.
// Nothing is cut silently: `warnings`, when given, receives an "event_name_truncated" warning for
// a cut name (details: its length in characters before the cut) and PostHog's
// "distinct_id_truncated" for a distinct_id capture cut (details: "distinctIdLength").
// Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "capture/captured_event.h"
#include "meta/meta_store.h"
#include "persons/person_processor.h"
#include "store/event.h"

namespace hoglet::ingest {

// kInvalidArgument when `data` is not a JSON object (the record is then skipped with a warning).
StatusOr<store::Event> BuildEvent(const capture::CapturedEvent& captured,
                                  const meta::Project& project, int64_t ingested_at_us,
                                  std::vector<persons::EventWarning>* warnings = nullptr);

}  // namespace hoglet::ingest
