#include "persons/person_identity.h"

#include <algorithm>
#include <utility>

#include "base/json_writer.h"
#include "persons/illegal_distinct_id.h"
#include "persons/person_uuid.h"

namespace hoglet::persons {
namespace {

std::string CreatorProperties(const PersonEventContext& event) {
  JsonWriter creator;
  creator.BeginObject();
  creator.Key("$creator_event_uuid");
  creator.String(event.event_uuid.ToString());
  creator.EndObject();
  return std::move(creator).Take();
}

// Whether properties text of `new_bytes`, replacing text of `old_bytes`, breaks the limit. A
// person already over it (stored before the limit, or under a higher one) may still shrink.
bool OverLimit(const PersonEventContext& event, size_t new_bytes, size_t old_bytes) {
  return event.max_properties_bytes != 0 && new_bytes > event.max_properties_bytes &&
         new_bytes > old_bytes;
}

// PostHog's person_properties_size_violation: the write of `person_id` was refused.
Status RefuseForSize(Transaction& txn, PersonEventContext& event, const Uuid& person_id,
                     size_t size_bytes) {
  event.properties_refused = true;
  std::string details = "\"personId\":";
  AppendJsonString(&details, person_id.ToString());
  details += ",\"teamId\":" + std::to_string(event.team_id);
  details += ",\"sizeBytes\":" + std::to_string(size_bytes);
  details += ",\"limitBytes\":" + std::to_string(event.max_properties_bytes);
  details += ",\"message\":";
  AppendJsonString(&details, "person properties would exceed the size limit; update refused");
  return AddEventWarning(txn, event, "person_properties_size_violation", details);
}

// {...$set_once, ...$set, $creator_event_uuid}: $set wins over $set_once on the same key. Over
// the limit, the person starts with $creator_event_uuid alone and the event is warned about.
StatusOr<std::string> InitialProperties(Transaction& txn, PersonEventContext& event,
                                        const Uuid& person_id) {
  PropertyOperations creation;
  creation.set_once = event.ops.set_once;
  creation.set = event.ops.set;
  PropertyUpdate initial = ApplyPropertyOperations("{}", creation);
  std::string properties = OverlayProperties(initial.properties, CreatorProperties(event));
  if (OverLimit(event, properties.size(), 0)) {
    HOGLET_RETURN_IF_ERROR(RefuseForSize(txn, event, person_id, properties.size()));
    return CreatorProperties(event);
  }
  return properties;
}

// Applies the event's operations and `identify` to `person`; writes it when anything changed.
// A write whose properties would break the size limit is refused whole, as PostHog's failing
// UPDATE is: neither the properties nor is_identified change.
Status ApplyAndWrite(Transaction& txn, PersonEventContext& event, Person& person, bool identify) {
  bool changed = false;
  if (!event.ops.set.empty() || !event.ops.set_once.empty() || !event.ops.unset.empty()) {
    PropertyUpdate update = ApplyPropertyOperations(person.properties, event.ops);
    if (update.changed) {
      if (OverLimit(event, update.properties.size(), person.properties.size())) {
        return RefuseForSize(txn, event, person.uuid, update.properties.size());
      }
      person.properties = std::move(update.properties);
      changed = true;
    }
  }
  if (identify && !person.is_identified) {
    person.is_identified = true;
    changed = true;
  }
  if (!changed) return Status::Ok();
  person.version += 1;
  return txn.UpdatePerson(person);
}

// Neither id has a person: one new, identified person holds both. Its uuid is the
// deterministic one of an id that was used personless when there is one, so that id's past
// events already carry the right person_id; the store gives the other id's row version 1 when
// it too was used personless (an override).
StatusOr<Person> CreateMergedPerson(Transaction& txn, PersonEventContext& event,
                                    std::string_view other_id) {
  HOGLET_ASSIGN_OR_RETURN(bool target_personless,
                          txn.IsPersonlessDistinctId(event.team_id, event.distinct_id));
  HOGLET_ASSIGN_OR_RETURN(bool other_personless,
                          txn.IsPersonlessDistinctId(event.team_id, other_id));
  std::string_view primary = event.distinct_id;
  std::string_view secondary = other_id;
  if (other_personless && !target_personless) std::swap(primary, secondary);
  Person person;
  person.uuid = DeterministicPersonId(event.team_id, primary);
  person.team_id = event.team_id;
  HOGLET_ASSIGN_OR_RETURN(person.properties, InitialProperties(txn, event, person.uuid));
  person.is_identified = true;
  person.created_at_us = event.timestamp_us;
  person.version = 0;
  person.distinct_ids = {std::string(primary), std::string(secondary)};
  HOGLET_RETURN_IF_ERROR(txn.CreatePerson(person));
  person.distinct_ids.clear();
  return person;
}

}  // namespace

Status AddEventWarning(Transaction& txn, const PersonEventContext& event, std::string_view type,
                       std::string_view details) {
  std::string json = "{\"eventUuid\":";
  AppendJsonString(&json, event.event_uuid.ToString());
  json += ",\"distinctId\":";
  AppendJsonString(&json, event.distinct_id);
  if (!details.empty()) {
    json += ',';
    json += details;
  }
  json += '}';
  IngestionWarning warning;
  warning.team_id = event.team_id;
  warning.type = std::string(type);
  warning.details = std::move(json);
  warning.timestamp_us = event.timestamp_us;
  return txn.AddWarning(warning);
}

StatusOr<Person> CreateOrUpdatePerson(Transaction& txn, PersonEventContext& event) {
  HOGLET_ASSIGN_OR_RETURN(std::optional<Person> existing,
                          txn.PersonByDistinctId(event.team_id, event.distinct_id));
  if (existing.has_value()) {
    HOGLET_RETURN_IF_ERROR(ApplyAndWrite(txn, event, *existing, /*identify=*/false));
    return std::move(*existing);
  }
  Person person;
  person.uuid = DeterministicPersonId(event.team_id, event.distinct_id);
  person.team_id = event.team_id;
  HOGLET_ASSIGN_OR_RETURN(person.properties, InitialProperties(txn, event, person.uuid));
  person.created_at_us = event.timestamp_us;
  person.distinct_ids = {std::string(event.distinct_id)};
  HOGLET_RETURN_IF_ERROR(txn.CreatePerson(person));
  person.distinct_ids.clear();
  return person;
}

StatusOr<std::optional<Person>> MergeDistinctIds(Transaction& txn, PersonEventContext& event,
                                                 std::string_view other_id) {
  if (other_id == event.distinct_id) return std::optional<Person>();
  for (std::string_view id : {other_id, event.distinct_id}) {
    if (!IsIllegalDistinctId(id)) continue;
    std::string details = "\"illegalDistinctId\":";
    AppendJsonString(&details, id);
    HOGLET_RETURN_IF_ERROR(
        AddEventWarning(txn, event, "cannot_merge_with_illegal_distinct_id", details));
    return std::optional<Person>();
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<Person> target,
                          txn.PersonByDistinctId(event.team_id, event.distinct_id));
  HOGLET_ASSIGN_OR_RETURN(std::optional<Person> other,
                          txn.PersonByDistinctId(event.team_id, other_id));

  if (!target.has_value() && !other.has_value()) {
    HOGLET_ASSIGN_OR_RETURN(Person created, CreateMergedPerson(txn, event, other_id));
    return std::optional<Person>(std::move(created));
  }
  if (!target.has_value() || !other.has_value()) {
    Person& person = target.has_value() ? *target : *other;
    std::string_view missing = target.has_value() ? other_id : event.distinct_id;
    HOGLET_RETURN_IF_ERROR(txn.SetDistinctId(event.team_id, missing, person.uuid));
    HOGLET_RETURN_IF_ERROR(ApplyAndWrite(txn, event, person, /*identify=*/true));
    return std::optional<Person>(std::move(person));
  }
  if (target->uuid == other->uuid) {
    HOGLET_RETURN_IF_ERROR(ApplyAndWrite(txn, event, *target, /*identify=*/true));
    return std::optional<Person>(std::move(*target));
  }
  if (other->is_identified && !event.merge_dangerously) {
    std::string details = "\"sourcePersonDistinctId\":";
    AppendJsonString(&details, other_id);
    details += ",\"targetPersonDistinctId\":";
    AppendJsonString(&details, event.distinct_id);
    HOGLET_RETURN_IF_ERROR(AddEventWarning(txn, event, "cannot_merge_already_identified", details));
    return std::optional<Person>();
  }
  // Over the size limit the merge is refused as PostHog's failing merge transaction is: both
  // persons stay as they were, and the event then updates its own person.
  std::string properties = OverlayProperties(other->properties, target->properties);
  properties = ApplyPropertyOperations(properties, event.ops).properties;
  if (OverLimit(event, properties.size(), target->properties.size())) {
    HOGLET_RETURN_IF_ERROR(RefuseForSize(txn, event, target->uuid, properties.size()));
    event.properties_refused = false;  // the update that follows decides the snapshot
    return std::optional<Person>();
  }
  Person merged = std::move(*target);
  merged.properties = std::move(properties);
  merged.created_at_us = std::min(merged.created_at_us, other->created_at_us);
  merged.is_identified = true;
  merged.version = std::max(merged.version, other->version) + 1;
  HOGLET_RETURN_IF_ERROR(txn.MergePersonInto(event.team_id, other->uuid, merged.uuid));
  HOGLET_RETURN_IF_ERROR(txn.UpdatePerson(merged));
  return std::optional<Person>(std::move(merged));
}

}  // namespace hoglet::persons
