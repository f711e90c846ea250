// Person processing (analytics §2.5–§2.8): for each event, in ingestion order, decide which
// person it belongs to, apply $set / $set_once / $unset, run identify / alias / merge, map
// $groups to $group_N and apply $groupidentify — and return what the stored event row carries.
//
// A batch is processed in one PersonStore transaction: all of its effects are durable together,
// or none are. Replaying a batch after a crash gives the same persons (operations are
// idempotent except for version counters).
//
// Size limits (docs/persons.md): a write that would make a person's properties text longer than
// `max_person_properties_bytes` is refused with the ingestion warning
// `person_properties_size_violation` (the person keeps its properties, the event is still
// stored); a $groupidentify that would make a group's longer than `max_group_properties_bytes`
// with `group_upsert_message_size_too_large`. So the person properties copied onto every event
// (persons-on-events) stay bounded.
//
// Thread safety: ProcessBatch may be called from several consumer threads; transactions
// serialise them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "persons/person_store.h"

namespace hoglet::persons {

// PostHog's person_mode column.
enum class PersonMode { kFull = 0, kPropertyless = 1, kForceUpgrade = 2 };

// An ingestion warning about one event decided before person processing (e.g. a field cut to
// its limit). Recorded in the batch's transaction, with the event's uuid and distinct_id.
struct EventWarning {
  std::string type;
  std::string details;  // JSON object members without the braces, e.g. "\"eventNameLength\":9"

  friend bool operator==(const EventWarning&, const EventWarning&) = default;
};

struct PersonEventInput {
  int64_t team_id = 0;
  bool team_person_processing_opt_out = false;  // project setting: personless events only
  Uuid event_uuid;
  std::string event;  // name
  std::string distinct_id;
  int64_t timestamp_us = 0;
  std::string properties;  // JSON object text, after normalisation ($set / $set_once merged in)
  std::vector<EventWarning> warnings;  // recorded whatever else happens to the event
};

struct PersonEventResult {
  bool drop = false;  // do not store this event (e.g. $identify with processing off)
  Uuid person_id;     // real person uuid, or the deterministic one when personless
  std::string person_properties = "{}";  // snapshot: person properties plus this event's $set
  int64_t person_created_at_us = 0;
  PersonMode mode = PersonMode::kFull;
  std::string properties;  // the event's properties as they are to be stored ($group_N
                           // added; person keys removed when personless)
};

struct PersonProcessorOptions {
  // PostHog's person properties limit: its Postgres constraint on the stored column
  // (PERSON_PROPERTIES_DB_CONSTRAINT_LIMIT_BYTES). Measured here on the compact JSON text.
  size_t max_person_properties_bytes = 640 * 1024;
  // PostHog refuses a group write whose Kafka message is over 1,000,000 bytes.
  size_t max_group_properties_bytes = 1'000'000;
};

class PersonProcessor {
 public:
  explicit PersonProcessor(PersonStore& store, PersonProcessorOptions options = {});

  // One result per input, same order. kUnavailable when the store fails (the batch is then
  // retried by the caller; nothing of it was applied).
  StatusOr<std::vector<PersonEventResult>> ProcessBatch(
      const std::vector<PersonEventInput>& events);

  // Processes a prefix of `events` in one transaction: it stops after the event whose result
  // brings the results' properties and person properties to `max_result_bytes` or more, so the
  // caller holds a bounded amount of memory (at least one event is processed when `events` is
  // not empty). The caller continues with the rest. Errors as above.
  StatusOr<std::vector<PersonEventResult>> ProcessBatch(std::span<const PersonEventInput> events,
                                                        size_t max_result_bytes);

  // Records one ingestion warning in its own transaction (for what the caller decided about an
  // event, e.g. that it could not be ingested). kUnavailable when the store fails.
  Status RecordWarning(const IngestionWarning& warning);

 private:
  PersonStore& store_;
  const PersonProcessorOptions options_;
};

}  // namespace hoglet::persons
