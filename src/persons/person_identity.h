// The person-level steps of person processing, inside one open transaction: creating or
// updating the person of a distinct id (analytics §2.6) and the identify / alias / merge rules
// (§2.7). persons/person_processor.cc decides which of them an event runs.
//
// Every function returns kUnavailable (or another store error) only when the store fails; bad
// input never fails, it is skipped with an ingestion warning written through the transaction.
//
// Size limit: a write that would make a person's properties text longer than
// `max_properties_bytes` (and longer than it already is) is refused with the ingestion warning
// `person_properties_size_violation`; the person keeps what it had and `properties_refused` is
// set, so the event's snapshot is the person as stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/uuid.h"
#include "persons/person.h"
#include "persons/person_store.h"
#include "persons/property_updates.h"

namespace hoglet::persons {

// The event as the person steps see it. Views must outlive the call.
struct PersonEventContext {
  int64_t team_id = 0;
  std::string_view distinct_id;
  Uuid event_uuid;
  int64_t timestamp_us = 0;
  PropertyOperations ops;           // $set / $set_once / $unset of this event
  bool merge_dangerously = false;   // skips the already-identified guard
  size_t max_properties_bytes = 0;  // 0: no limit

  // Set by the steps: a person write of this event was refused by the size limit.
  bool properties_refused = false;
};

// Records an ingestion warning for the event; `details` is extra JSON members without braces
// (e.g. `"reason":"x"`), to which eventUuid and distinctId are added.
Status AddEventWarning(Transaction& txn, const PersonEventContext& event, std::string_view type,
                       std::string_view details = {});

// The person of event.distinct_id after this event: created when missing (uuid
// DeterministicPersonId, created_at the event time, properties {...$set_once, ...$set,
// $creator_event_uuid}), otherwise updated with the event's operations (version + 1 when
// anything changed). A new person whose initial properties are over the limit is created with
// $creator_event_uuid only; a refused update writes nothing.
StatusOr<Person> CreateOrUpdatePerson(Transaction& txn, PersonEventContext& event);

// Merges the person of `other_id` into the person of event.distinct_id (the target) by the
// rules of §2.7, applying the event's operations to the result. nullopt when no merge path
// applies (an illegal id, other == target, a refused merge of an identified person, or two
// persons whose merged properties would be over the size limit): the caller then runs
// CreateOrUpdatePerson for the target.
StatusOr<std::optional<Person>> MergeDistinctIds(Transaction& txn, PersonEventContext& event,
                                                 std::string_view other_id);

}  // namespace hoglet::persons
