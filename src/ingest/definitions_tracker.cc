#include "ingest/definitions_tracker.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/json_writer.h"
#include "base/logging.h"
#include "ingest/property_type_detector.h"
#include "store/properties_parser.h"

namespace hoglet::ingest {
namespace {

// Names a skip warning quotes as examples.
constexpr size_t kWarningExamples = 5;

// Cache keys: the team, a kind tag, the property type (for properties) and the name, separated
// by a byte that cannot appear in a team id's decimal form or a type tag.
std::string EventKey(int64_t team_id, std::string_view name) {
  std::string key = std::to_string(team_id);
  key +=
      "\x1f"
      "e\x1f";
  key += name;
  return key;
}

std::string PropertyKey(int64_t team_id, meta::PropertyOwner owner, std::string_view name,
                        std::optional<meta::PropertyType> type,
                        std::optional<int> group_type_index = std::nullopt) {
  std::string key = std::to_string(team_id);
  key += '\x1f';
  switch (owner) {
    case meta::PropertyOwner::kEvent:
      key += 'p';
      break;
    case meta::PropertyOwner::kPerson:
      key += 'q';
      break;
    case meta::PropertyOwner::kGroup:
      key += 'g';
      key += static_cast<char>('0' + group_type_index.value_or(0));
      break;
  }
  key += type ? static_cast<char>('0' + static_cast<int>(*type)) : '-';
  key += '\x1f';
  key += name;
  return key;
}

// The event name's length keeps a separator byte inside a name from making two pairs one key.
std::string PairKey(int64_t team_id, std::string_view event, std::string_view property) {
  std::string key = std::to_string(team_id);
  key += "\x1fx";
  key += std::to_string(event.size());
  key += '\x1f';
  key += event;
  key += property;
  return key;
}

// Clears the keys at `positions` (what the store left out), so they are not remembered.
void ClearKeys(std::vector<std::string>* keys, const std::vector<size_t>& positions,
               size_t first = 0) {
  for (size_t i : positions) {
    if (i >= first && i - first < keys->size()) (*keys)[i - first].clear();
  }
}

// Adds a sighting, or moves a known one's seen time forward. A new one past `max_distinct` is
// only counted in `*unexamined`.
template <typename Sightings, typename Seen>
void NoteSighting(Sightings* sightings, std::string key, Seen seen, size_t max_distinct,
                  size_t* unexamined) {
  auto found = sightings->index.find(key);
  if (found != sightings->index.end()) {
    Seen& kept = sightings->seen[found->second];
    kept.seen_at_us = std::max(kept.seen_at_us, seen.seen_at_us);
    return;
  }
  if (sightings->keys.size() >= max_distinct) {
    ++*unexamined;
    return;
  }
  sightings->index.emplace(key, sightings->keys.size());
  sightings->keys.push_back(std::move(key));
  sightings->seen.push_back(std::move(seen));
}

// Keeps the sightings `keep` says yes to, in order (the index is not needed afterwards).
template <typename Sightings, typename Keep>
void Filter(Sightings* sightings, Keep keep) {
  size_t kept = 0;
  for (size_t i = 0; i < sightings->keys.size(); ++i) {
    if (!keep(sightings->keys[i], sightings->seen[i])) continue;
    if (kept != i) {
      sightings->keys[kept] = std::move(sightings->keys[i]);
      sightings->seen[kept] = std::move(sightings->seen[i]);
    }
    ++kept;
  }
  sightings->keys.resize(kept);
  sightings->seen.resize(kept);
  sightings->index.clear();
}

}  // namespace

DefinitionsTracker::DefinitionsTracker(meta::MetaStore& meta, const Clock& clock,
                                       DefinitionsTrackerOptions options,
                                       persons::PersonStore* persons)
    : meta_(meta), clock_(clock), options_(options), persons_(persons) {}

StatusOr<std::optional<int>> DefinitionsTracker::GroupTypeIndex(
    int64_t team_id, std::string_view group_type,
    std::map<int64_t, std::vector<persons::GroupType>>* known) const {
  if (persons_ == nullptr) return std::optional<int>();
  auto found = known->find(team_id);
  if (found == known->end()) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::GroupType> types, persons_->GroupTypes(team_id));
    found = known->emplace(team_id, std::move(types)).first;
  }
  for (const persons::GroupType& type : found->second) {
    if (type.group_type == group_type) return std::optional<int>(type.group_type_index);
  }
  return std::optional<int>();
}

size_t DefinitionsTracker::remembered() const {
  std::lock_guard lock(mu_);
  return recorded_.size();
}

Status DefinitionsTracker::NoteGroupProperties(
    int64_t team_id, const std::vector<std::pair<std::string, store::PropertyValue>>& properties,
    int64_t seen_at_us, int64_t now_us, std::map<int64_t, std::vector<persons::GroupType>>* known,
    store::PropertiesParser* parser, TeamSightings* team) const {
  const store::PropertyValue* group_type = nullptr;
  const store::PropertyValue* group_set = nullptr;
  for (const auto& [key, value] : properties) {
    if (key == "$group_type") group_type = &value;
    if (key == "$group_set") group_set = &value;
  }
  if (group_type == nullptr || group_set == nullptr ||
      group_type->kind != store::PropertyValue::Kind::kString ||
      group_set->kind != store::PropertyValue::Kind::kJson) {
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(std::optional<int> index,
                          GroupTypeIndex(team_id, group_type->text, known));
  if (!index) return Status::Ok();
  std::vector<std::pair<std::string, store::PropertyValue>> group_properties;
  if (!parser->Parse(group_set->text, &group_properties).ok()) return Status::Ok();
  for (const auto& [key, value] : group_properties) {
    if (key.empty()) continue;
    if (key.size() > meta::kMaxDefinitionNameBytes) {
      ++team->long_names;
      continue;
    }
    std::optional<meta::PropertyType> type = DetectPropertyType(key, value, now_us);
    meta::PropertyDefinitionSeen seen{key, type, seen_at_us, meta::PropertyOwner::kGroup};
    seen.group_type_index = *index;
    NoteSighting(&team->group_properties,
                 PropertyKey(team_id, meta::PropertyOwner::kGroup, key, type, *index),
                 std::move(seen), options_.max_group_property_definitions,
                 &team->unexamined_group_properties);
  }
  return Status::Ok();
}

Status DefinitionsTracker::Observe(const std::vector<store::Event>& events) {
  const int64_t now_us = clock_.NowMicros();
  std::map<int64_t, TeamSightings> teams;
  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> properties;
  std::vector<std::pair<std::string, store::PropertyValue>> person_properties;
  std::map<int64_t, std::vector<persons::GroupType>> group_types;  // read once per team
  Status group_types_error;
  for (const store::Event& event : events) {
    if (event.event.empty()) continue;
    TeamSightings& team = teams[event.team_id];
    // As in PostHog, an event whose name cannot be recorded records none of its properties.
    if (event.event.size() > meta::kMaxDefinitionNameBytes) {
      ++team.long_names;
      continue;
    }
    const int64_t seen_at_us = std::min(event.timestamp_us, now_us);
    NoteSighting(&team.events, EventKey(event.team_id, event.event),
                 meta::EventDefinitionSeen{event.event, seen_at_us}, options_.max_event_definitions,
                 &team.unexamined_events);
    properties.clear();
    if (event.properties.empty() || !parser.Parse(event.properties, &properties).ok()) continue;
    if (event.event == "$groupidentify") {
      Status noted = NoteGroupProperties(event.team_id, properties, seen_at_us, now_us,
                                         &group_types, &parser, &team);
      if (!noted.ok() && group_types_error.ok()) group_types_error = noted;
    }
    for (const auto& [key, value] : properties) {
      if (key.empty()) continue;
      if (key == "$set" || key == "$set_once") {
        // Person properties: the keys of the object (anything else sets nothing).
        person_properties.clear();
        if (value.kind != store::PropertyValue::Kind::kJson ||
            !parser.Parse(value.text, &person_properties).ok()) {
          continue;
        }
        for (const auto& [person_key, person_value] : person_properties) {
          if (person_key.empty()) continue;
          if (person_key.size() > meta::kMaxDefinitionNameBytes) {
            ++team.long_names;
            continue;
          }
          std::optional<meta::PropertyType> type =
              DetectPropertyType(person_key, person_value, now_us);
          NoteSighting(&team.person_properties,
                       PropertyKey(event.team_id, meta::PropertyOwner::kPerson, person_key, type),
                       meta::PropertyDefinitionSeen{person_key, type, seen_at_us,
                                                    meta::PropertyOwner::kPerson},
                       options_.max_person_property_definitions,
                       &team.unexamined_person_properties);
        }
        continue;
      }
      if (IsSkippedEventProperty(key)) continue;
      if (key.size() > meta::kMaxDefinitionNameBytes) {
        ++team.long_names;
        continue;
      }
      std::optional<meta::PropertyType> type = DetectPropertyType(key, value, now_us);
      NoteSighting(&team.properties,
                   PropertyKey(event.team_id, meta::PropertyOwner::kEvent, key, type),
                   meta::PropertyDefinitionSeen{key, type, seen_at_us},
                   options_.max_property_definitions, &team.unexamined_properties);
      NoteSighting(&team.pairs, PairKey(event.team_id, event.event, key),
                   PairSeen{{event.event, key}, seen_at_us}, options_.max_event_properties,
                   &team.unexamined_pairs);
    }
  }

  Status first_error = group_types_error;
  for (auto& [team_id, sightings] : teams) {
    Written written;
    if (KeepStale(&sightings)) {
      Status status = Write(team_id, &sightings, &written);
      Remember(sightings);
      if (status.code() == StatusCode::kNotFound) continue;  // the project is gone
      if (!status.ok() && first_error.ok()) {
        first_error =
            status.WithContext("recording definitions of project " + std::to_string(team_id));
      }
    }
    MaybeWarn(team_id, sightings, written, now_us);
  }
  return first_error;
}

Status DefinitionsTracker::Write(int64_t team_id, TeamSightings* sightings, Written* written) {
  auto forget = [](auto* sightings) {
    for (std::string& key : sightings->keys) key.clear();
  };
  Status first_error;
  if (!sightings->events.keys.empty() || !sightings->properties.keys.empty() ||
      !sightings->person_properties.keys.empty() || !sightings->group_properties.keys.empty()) {
    meta::DefinitionLimits limits;
    limits.max_new = options_.max_new_per_batch;
    limits.max_event_definitions = options_.max_event_definitions;
    limits.max_property_definitions = options_.max_property_definitions;
    limits.max_person_property_definitions = options_.max_person_property_definitions;
    limits.max_group_property_definitions = options_.max_group_property_definitions;
    // Event properties first, then person properties, then group properties, in one call.
    std::vector<meta::PropertyDefinitionSeen> properties = sightings->properties.seen;
    properties.insert(properties.end(), sightings->person_properties.seen.begin(),
                      sightings->person_properties.seen.end());
    properties.insert(properties.end(), sightings->group_properties.seen.begin(),
                      sightings->group_properties.seen.end());
    StatusOr<meta::RecordedDefinitions> recorded =
        meta_.RecordDefinitions(team_id, sightings->events.seen, properties, limits);
    if (recorded.ok()) {
      // What was left out is not remembered: a later batch offers it again.
      ClearKeys(&sightings->events.keys, recorded->skipped_events);
      ClearKeys(&sightings->properties.keys, recorded->skipped_properties);
      ClearKeys(&sightings->person_properties.keys, recorded->skipped_properties,
                sightings->properties.seen.size());
      ClearKeys(&sightings->group_properties.keys, recorded->skipped_properties,
                sightings->properties.seen.size() + sightings->person_properties.seen.size());
      written->definitions = std::move(*recorded);
    } else {
      forget(&sightings->events);
      forget(&sightings->properties);
      forget(&sightings->person_properties);
      forget(&sightings->group_properties);
      first_error = recorded.status();
    }
  }
  if (!sightings->pairs.keys.empty() && first_error.code() != StatusCode::kNotFound) {
    meta::EventPropertyLimits limits;
    limits.max_new = options_.max_new_event_properties_per_batch;
    limits.max_event_properties = options_.max_event_properties;
    std::vector<meta::EventPropertySeen> pairs;
    pairs.reserve(sightings->pairs.seen.size());
    for (const PairSeen& seen : sightings->pairs.seen) pairs.push_back(seen.pair);
    StatusOr<meta::RecordedEventProperties> recorded =
        meta_.RecordEventProperties(team_id, pairs, limits);
    if (recorded.ok()) {
      ClearKeys(&sightings->pairs.keys, recorded->skipped);
      written->pairs = std::move(*recorded);
    } else {
      forget(&sightings->pairs);
      if (first_error.ok()) first_error = recorded.status();
    }
  } else {
    forget(&sightings->pairs);
  }
  return first_error;
}

bool DefinitionsTracker::KeepStale(TeamSightings* sightings) const {
  std::lock_guard lock(mu_);
  auto is_stale = [this](const std::string& key, const auto& seen) {
    auto found = recorded_.find(key);
    return found == recorded_.end() ||
           seen.seen_at_us >= found->second + options_.refresh_interval_us;
  };
  // A pair has nothing to refresh once written.
  auto is_new = [this](const std::string& key, const PairSeen&) {
    return !recorded_.contains(key);
  };
  Filter(&sightings->events, is_stale);
  Filter(&sightings->properties, is_stale);
  Filter(&sightings->person_properties, is_stale);
  Filter(&sightings->group_properties, is_stale);
  Filter(&sightings->pairs, is_new);
  return !sightings->events.keys.empty() || !sightings->properties.keys.empty() ||
         !sightings->person_properties.keys.empty() || !sightings->group_properties.keys.empty() ||
         !sightings->pairs.keys.empty();
}

void DefinitionsTracker::Remember(const TeamSightings& written) {
  std::lock_guard lock(mu_);
  if (recorded_.size() + written.events.keys.size() + written.properties.keys.size() +
          written.person_properties.keys.size() + written.group_properties.keys.size() +
          written.pairs.keys.size() >
      options_.max_remembered) {
    recorded_.clear();
  }
  auto remember = [this](const std::string& key, int64_t seen_at_us) {
    if (key.empty()) return;  // left out by a limit
    auto found = recorded_.find(key);
    if (found != recorded_.end()) {
      found->second = std::max(found->second, seen_at_us);
    } else if (recorded_.size() < options_.max_remembered) {
      recorded_.emplace(key, seen_at_us);
    }
  };
  for (size_t i = 0; i < written.events.keys.size(); ++i) {
    remember(written.events.keys[i], written.events.seen[i].seen_at_us);
  }
  for (size_t i = 0; i < written.properties.keys.size(); ++i) {
    remember(written.properties.keys[i], written.properties.seen[i].seen_at_us);
  }
  for (size_t i = 0; i < written.person_properties.keys.size(); ++i) {
    remember(written.person_properties.keys[i], written.person_properties.seen[i].seen_at_us);
  }
  for (size_t i = 0; i < written.group_properties.keys.size(); ++i) {
    remember(written.group_properties.keys[i], written.group_properties.seen[i].seen_at_us);
  }
  for (size_t i = 0; i < written.pairs.keys.size(); ++i) {
    remember(written.pairs.keys[i], written.pairs.seen[i].seen_at_us);
  }
}

void DefinitionsTracker::MaybeWarn(int64_t team_id, const TeamSightings& sightings,
                                   const Written& written, int64_t now_us) {
  const meta::RecordedDefinitions* recorded = written.definitions ? &*written.definitions : nullptr;
  const meta::RecordedEventProperties* pairs = written.pairs ? &*written.pairs : nullptr;
  // The store's skipped_properties hold event properties, then person properties, then group
  // properties.
  const size_t event_property_count = sightings.properties.seen.size();
  const size_t person_property_end = event_property_count + sightings.person_properties.seen.size();
  size_t skipped_properties = sightings.unexamined_properties;
  size_t skipped_person_properties = sightings.unexamined_person_properties;
  size_t skipped_group_properties = sightings.unexamined_group_properties;
  if (recorded != nullptr) {
    for (size_t i : recorded->skipped_properties) {
      ++(i < event_property_count  ? skipped_properties
         : i < person_property_end ? skipped_person_properties
                                   : skipped_group_properties);
    }
  }
  const size_t skipped_events =
      sightings.unexamined_events + (recorded ? recorded->skipped_events.size() : 0);
  const size_t skipped_pairs = sightings.unexamined_pairs + (pairs ? pairs->skipped.size() : 0);
  if (skipped_events == 0 && skipped_properties == 0 && skipped_person_properties == 0 &&
      skipped_group_properties == 0 && skipped_pairs == 0 && sightings.long_names == 0) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    auto [last, first] = last_warning_us_.try_emplace(team_id, now_us);
    if (!first) {
      if (now_us < last->second + options_.warning_interval_us) return;
      last->second = now_us;
    }
  }

  JsonWriter details;
  details.BeginObject();
  details.Key("skippedEventNames");
  details.Int(static_cast<int64_t>(skipped_events));
  details.Key("skippedPropertyKeys");
  details.Int(static_cast<int64_t>(skipped_properties));
  details.Key("skippedPersonPropertyKeys");
  details.Int(static_cast<int64_t>(skipped_person_properties));
  details.Key("skippedGroupPropertyKeys");
  details.Int(static_cast<int64_t>(skipped_group_properties));
  details.Key("skippedEventPropertyPairs");
  details.Int(static_cast<int64_t>(skipped_pairs));
  details.Key("namesTooLong");
  details.Int(static_cast<int64_t>(sightings.long_names));
  details.Key("maxNameBytes");
  details.Int(static_cast<int64_t>(meta::kMaxDefinitionNameBytes));
  details.Key("maxNewDefinitionsPerBatch");
  details.Int(static_cast<int64_t>(options_.max_new_per_batch));
  details.Key("maxEventDefinitions");
  details.Int(static_cast<int64_t>(options_.max_event_definitions));
  details.Key("maxPropertyDefinitions");
  details.Int(static_cast<int64_t>(options_.max_property_definitions));
  details.Key("maxPersonPropertyDefinitions");
  details.Int(static_cast<int64_t>(options_.max_person_property_definitions));
  details.Key("maxGroupPropertyDefinitions");
  details.Int(static_cast<int64_t>(options_.max_group_property_definitions));
  details.Key("maxNewEventPropertiesPerBatch");
  details.Int(static_cast<int64_t>(options_.max_new_event_properties_per_batch));
  details.Key("maxEventProperties");
  details.Int(static_cast<int64_t>(options_.max_event_properties));
  if (recorded != nullptr) {
    details.Key("eventDefinitions");
    details.Int(static_cast<int64_t>(recorded->event_definitions));
    details.Key("propertyDefinitions");
    details.Int(static_cast<int64_t>(recorded->property_definitions));
    details.Key("personPropertyDefinitions");
    details.Int(static_cast<int64_t>(recorded->person_property_definitions));
    details.Key("groupPropertyDefinitions");
    details.Int(static_cast<int64_t>(recorded->group_property_definitions));
  }
  if (pairs != nullptr) {
    details.Key("eventProperties");
    details.Int(static_cast<int64_t>(pairs->event_properties));
  }
  if (recorded != nullptr || pairs != nullptr) {
    details.Key("examples");
    details.BeginArray();
    size_t examples = 0;
    auto example = [&](const std::string& name) {
      if (examples++ < kWarningExamples) details.String(name);
    };
    if (recorded != nullptr) {
      for (size_t i : recorded->skipped_events) example(sightings.events.seen[i].name);
      for (size_t i : recorded->skipped_properties) {
        example(i < event_property_count ? sightings.properties.seen[i].name
                : i < person_property_end
                    ? sightings.person_properties.seen[i - event_property_count].name
                    : sightings.group_properties.seen[i - person_property_end].name);
      }
    }
    if (pairs != nullptr) {
      for (size_t i : pairs->skipped) {
        const meta::EventPropertySeen& pair = sightings.pairs.seen[i].pair;
        example(pair.event + " / " + pair.property);
      }
    }
    details.EndArray();
  }
  details.Key("message");
  details.String(
      "Not every event name, property key or event-to-property pair was recorded as a "
      "definition; the events are stored with all their properties. Limits: names over "
      "maxNameBytes, and the options max_new_definitions_per_batch, "
      "max_event_definitions_per_project, max_property_definitions_per_project, "
      "max_person_property_definitions_per_project, max_group_property_definitions_per_project, "
      "max_new_event_properties_per_batch and max_event_properties_per_project. Reported at "
      "most once an hour.");
  details.EndObject();
  std::string json = std::move(details).Take();
  LogWarning("ingest: project " + std::to_string(team_id) +
             " has definitions that were not recorded: " + json);
  if (persons_ == nullptr) return;

  persons::IngestionWarning warning;
  warning.team_id = team_id;
  warning.type = std::string(kSkippedWarningType);
  warning.details = std::move(json);
  warning.timestamp_us = now_us;
  Status stored = [&]() -> Status {
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<persons::Transaction> txn, persons_->Begin());
    HOGLET_RETURN_IF_ERROR(txn->AddWarning(warning));
    return txn->Commit();
  }();
  if (!stored.ok()) {
    LogWarning("ingest: writing the definitions warning of project " + std::to_string(team_id) +
               " failed: " + stored.ToString());
  }
}

}  // namespace hoglet::ingest
