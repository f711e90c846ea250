#include "persons/person_processor.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "base/json_writer.h"
#include "persons/event_properties.h"
#include "persons/person_identity.h"
#include "persons/person_uuid.h"
#include "persons/property_updates.h"

namespace hoglet::persons {
namespace {

// created_at of the stand-in person of a personless event: 1970-01-01T00:00:05Z.
constexpr int64_t kPersonlessCreatedAtUs = 5'000'000;
// A personless event more than this long after its real person was created upgrades it.
constexpr int64_t kForceUpgradeAfterUs = 60'000'000;
constexpr size_t kMaxGroupKeyChars = 400;

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool NeedsPersonProcessing(std::string_view event) {
  return event == "$identify" || event == "$create_alias" || event == "$merge_dangerously" ||
         event == "$groupidentify";
}

// The distinct id an event asks to merge into its own, if any (§2.7 triggers).
std::optional<std::string> MergePartner(std::string_view event, const EventFields& fields) {
  if (event == "$identify") return fields.anon_distinct_id;
  if (event == "$create_alias" || event == "$merge_dangerously") return fields.alias;
  return std::nullopt;
}

std::string JsonMember(std::string_view name, std::string_view json_value) {
  std::string member;
  AppendJsonString(&member, name);
  member += ':';
  member += json_value;
  return member;
}

std::string JsonStringMember(std::string_view name, std::string_view value) {
  std::string quoted;
  AppendJsonString(&quoted, value);
  return JsonMember(name, quoted);
}

// PostHog's group_upsert_message_size_too_large: the group write was refused.
Status RefuseGroupForSize(Transaction& txn, const PersonEventContext& ctx, int group_type_index,
                          std::string_view group_key, size_t size_bytes, size_t limit_bytes) {
  std::string details = JsonMember("groupTypeIndex", std::to_string(group_type_index));
  details += ',';
  details += JsonStringMember("groupKey", group_key);
  details += ',';
  details += JsonMember("sizeBytes", std::to_string(size_bytes));
  details += ',';
  details += JsonMember("limitBytes", std::to_string(limit_bytes));
  return AddEventWarning(txn, ctx, "group_upsert_message_size_too_large", details);
}

// $groupidentify: upsert the group with $group_set (§2.8). Types beyond the fifth are ignored.
// A write that would make the group's properties longer than `max_properties_bytes` (and
// longer than they are) is refused: the group stays as it was, or is not created.
Status UpsertGroupFromEvent(Transaction& txn, const PersonEventContext& ctx,
                            const EventFields& fields, size_t max_properties_bytes) {
  if (!fields.group_type.has_value() || !fields.group_key.has_value() ||
      fields.group_type->empty() || fields.group_key->empty()) {
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<int> index,
                          txn.GroupTypeIndex(ctx.team_id, *fields.group_type));
  if (!index.has_value()) return Status::Ok();
  HOGLET_ASSIGN_OR_RETURN(std::optional<Group> existing,
                          txn.GroupByKey(ctx.team_id, *index, *fields.group_key));
  auto over_limit = [&](const std::string& properties, size_t old_bytes) {
    return max_properties_bytes != 0 && properties.size() > max_properties_bytes &&
           properties.size() > old_bytes;
  };
  Group group;
  if (existing.has_value()) {
    group = std::move(*existing);
    PropertyUpdate update = ApplyGroupSet(group.properties, fields.group_set);
    int64_t created_at_us = std::min(group.created_at_us, ctx.timestamp_us);
    if (!update.changed && created_at_us == group.created_at_us) return Status::Ok();
    if (over_limit(update.properties, group.properties.size())) {
      return RefuseGroupForSize(txn, ctx, *index, *fields.group_key, update.properties.size(),
                                max_properties_bytes);
    }
    group.properties = std::move(update.properties);
    group.created_at_us = created_at_us;
    group.version += 1;
  } else {
    group.team_id = ctx.team_id;
    group.group_type_index = *index;
    group.group_key = *fields.group_key;
    group.properties = ApplyGroupSet("{}", fields.group_set).properties;
    if (over_limit(group.properties, 0)) {
      return RefuseGroupForSize(txn, ctx, *index, *fields.group_key, group.properties.size(),
                                max_properties_bytes);
    }
    group.created_at_us = ctx.timestamp_us;
    group.version = 1;
  }
  return txn.UpsertGroup(group);
}

StatusOr<PersonEventResult> ProcessEvent(Transaction& txn, const PersonEventInput& in,
                                         const PersonProcessorOptions& options) {
  PersonEventResult result;
  result.properties = in.properties;
  EventFields fields = ReadEventFields(in.properties);
  PersonEventContext ctx;
  ctx.team_id = in.team_id;
  ctx.distinct_id = in.distinct_id;
  ctx.event_uuid = in.event_uuid;
  ctx.timestamp_us = in.timestamp_us;
  ctx.merge_dangerously = in.event == "$merge_dangerously";
  ctx.max_properties_bytes = options.max_person_properties_bytes;
  for (const EventWarning& warning : in.warnings) {
    HOGLET_RETURN_IF_ERROR(AddEventWarning(txn, ctx, warning.type, warning.details));
  }

  bool processing_on = fields.process_person_profile != ProcessPersonProfile::kFalse;
  if (fields.process_person_profile == ProcessPersonProfile::kInvalid) {
    HOGLET_RETURN_IF_ERROR(
        AddEventWarning(txn, ctx, "invalid_process_person_profile",
                        JsonMember("$process_person_profile", fields.process_person_profile_json)));
  }
  if (in.team_person_processing_opt_out) processing_on = false;
  if (!processing_on && NeedsPersonProcessing(in.event)) {
    HOGLET_RETURN_IF_ERROR(AddEventWarning(txn, ctx,
                                           "invalid_event_when_process_person_profile_is_false",
                                           JsonStringMember("event", in.event)));
    result.drop = true;
    return result;
  }
  if (in.event == "$groupidentify" && fields.group_key.has_value() &&
      CodePoints(*fields.group_key) > kMaxGroupKeyChars) {
    HOGLET_RETURN_IF_ERROR(AddEventWarning(
        txn, ctx, "group_key_too_long",
        JsonMember("groupKeyLength", std::to_string(CodePoints(*fields.group_key)))));
    result.drop = true;
    return result;
  }

  PropertyRewrite rewrite;
  if (!processing_on) {
    // Personless (§2.5): normalisation removed the person operations; so do we.
    rewrite.remove_person_operations = true;
    HOGLET_ASSIGN_OR_RETURN(std::optional<Person> existing,
                            txn.PersonByDistinctId(in.team_id, in.distinct_id));
    bool force_upgrade = existing.has_value() && !in.team_person_processing_opt_out &&
                         in.timestamp_us > existing->created_at_us + kForceUpgradeAfterUs;
    if (!force_upgrade) {
      rewrite.strip_group_columns = true;
      result.mode = PersonMode::kPropertyless;
      result.person_properties = "{}";
      if (existing.has_value()) {
        result.person_id = existing->uuid;
        result.person_created_at_us = existing->created_at_us;
      } else {
        HOGLET_RETURN_IF_ERROR(txn.MarkPersonlessDistinctId(in.team_id, in.distinct_id));
        result.person_id = DeterministicPersonId(in.team_id, in.distinct_id);
        result.person_created_at_us = kPersonlessCreatedAtUs;
      }
      if (RewriteChangesProperties(fields, rewrite)) {
        result.properties = RewriteEventProperties(in.properties, rewrite);
      }
      return result;
    }
    // The person is real and older than a minute: process it fully (without property
    // operations, which the event no longer has) so the row is attributed like a full one.
    result.mode = PersonMode::kForceUpgrade;
  } else {
    rewrite.remove_process_person_profile = true;
    for (const std::string& operation : fields.invalid_operations) {
      HOGLET_RETURN_IF_ERROR(AddEventWarning(txn, ctx, "invalid_person_property_operation",
                                             JsonStringMember("operation", operation)));
    }
    if (in.event == "$groupidentify") {
      rewrite.remove_person_operations = true;  // §2.4: never applied to the person
    } else if (in.event != "$exception" && in.event != "$$heatmap") {
      ctx.ops.set = fields.set;
      ctx.ops.set_once = fields.set_once;
      ctx.ops.unset = fields.unset;
    }
  }

  std::optional<Person> person;
  if (std::optional<std::string> other = MergePartner(in.event, fields)) {
    HOGLET_ASSIGN_OR_RETURN(person, MergeDistinctIds(txn, ctx, *other));
  }
  if (!person.has_value()) {
    HOGLET_ASSIGN_OR_RETURN(person, CreateOrUpdatePerson(txn, ctx));
  }
  result.person_id = person->uuid;
  result.person_created_at_us = person->created_at_us;
  // A refused write leaves the person as stored, and so is the event's snapshot of it.
  result.person_properties = ctx.ops.set.empty() || ctx.properties_refused
                                 ? std::move(person->properties)
                                 : OverlayProperties(person->properties, ctx.ops.set);

  for (const auto& [group_type, group_key] : fields.groups) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<int> index, txn.GroupTypeIndex(in.team_id, group_type));
    if (index.has_value()) rewrite.group_columns.emplace_back(*index, group_key);
  }
  if (in.event == "$groupidentify") {
    HOGLET_RETURN_IF_ERROR(
        UpsertGroupFromEvent(txn, ctx, fields, options.max_group_properties_bytes));
  }
  if (RewriteChangesProperties(fields, rewrite)) {
    result.properties = RewriteEventProperties(in.properties, rewrite);
  }
  return result;
}

}  // namespace

PersonProcessor::PersonProcessor(PersonStore& store, PersonProcessorOptions options)
    : store_(store), options_(options) {}

StatusOr<std::vector<PersonEventResult>> PersonProcessor::ProcessBatch(
    const std::vector<PersonEventInput>& events) {
  return ProcessBatch(std::span<const PersonEventInput>(events), SIZE_MAX);
}

StatusOr<std::vector<PersonEventResult>> PersonProcessor::ProcessBatch(
    std::span<const PersonEventInput> events, size_t max_result_bytes) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, store_.Begin());
  std::vector<PersonEventResult> results;
  results.reserve(events.size());
  size_t result_bytes = 0;
  for (const PersonEventInput& event : events) {
    if (!results.empty() && result_bytes >= max_result_bytes) break;
    HOGLET_ASSIGN_OR_RETURN(PersonEventResult result, ProcessEvent(*txn, event, options_));
    result_bytes += result.properties.size() + result.person_properties.size();
    results.push_back(std::move(result));
  }
  HOGLET_RETURN_IF_ERROR(txn->Commit());
  return results;
}

Status PersonProcessor::RecordWarning(const IngestionWarning& warning) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, store_.Begin());
  HOGLET_RETURN_IF_ERROR(txn->AddWarning(warning));
  return txn->Commit();
}

}  // namespace hoglet::persons
