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

std::string PropertyKey(int64_t team_id, std::string_view name,
                        std::optional<meta::PropertyType> type) {
  std::string key = std::to_string(team_id);
  key +=
      "\x1f"
      "p";
  key += type ? static_cast<char>('0' + static_cast<int>(*type)) : '-';
  key += '\x1f';
  key += name;
  return key;
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
                                       persons::PersonStore* warnings)
    : meta_(meta), clock_(clock), options_(options), warnings_(warnings) {}

size_t DefinitionsTracker::remembered() const {
  std::lock_guard lock(mu_);
  return recorded_.size();
}

Status DefinitionsTracker::Observe(const std::vector<store::Event>& events) {
  const int64_t now_us = clock_.NowMicros();
  std::map<int64_t, TeamSightings> teams;
  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> properties;
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
    for (const auto& [key, value] : properties) {
      if (key.empty() || IsSkippedEventProperty(key)) continue;
      if (key.size() > meta::kMaxDefinitionNameBytes) {
        ++team.long_names;
        continue;
      }
      std::optional<meta::PropertyType> type = DetectPropertyType(key, value, now_us);
      NoteSighting(&team.properties, PropertyKey(event.team_id, key, type),
                   meta::PropertyDefinitionSeen{key, type, seen_at_us},
                   options_.max_property_definitions, &team.unexamined_properties);
    }
  }

  meta::DefinitionLimits limits;
  limits.max_new = options_.max_new_per_batch;
  limits.max_event_definitions = options_.max_event_definitions;
  limits.max_property_definitions = options_.max_property_definitions;
  Status first_error;
  for (auto& [team_id, sightings] : teams) {
    if (!KeepStale(&sightings)) {
      MaybeWarn(team_id, sightings, nullptr, now_us);
      continue;
    }
    StatusOr<meta::RecordedDefinitions> recorded =
        meta_.RecordDefinitions(team_id, sightings.events.seen, sightings.properties.seen, limits);
    if (recorded.ok()) {
      // What was left out is not remembered: a later batch offers it again.
      for (size_t i : recorded->skipped_events) sightings.events.keys[i].clear();
      for (size_t i : recorded->skipped_properties) sightings.properties.keys[i].clear();
      Remember(sightings);
      MaybeWarn(team_id, sightings, &*recorded, now_us);
    } else if (recorded.status().code() != StatusCode::kNotFound && first_error.ok()) {
      first_error = recorded.status().WithContext("recording definitions of project " +
                                                  std::to_string(team_id));
    }
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
  Filter(&sightings->events, is_stale);
  Filter(&sightings->properties, is_stale);
  return !sightings->events.keys.empty() || !sightings->properties.keys.empty();
}

void DefinitionsTracker::Remember(const TeamSightings& written) {
  std::lock_guard lock(mu_);
  if (recorded_.size() + written.events.keys.size() + written.properties.keys.size() >
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
}

void DefinitionsTracker::MaybeWarn(int64_t team_id, const TeamSightings& sightings,
                                   const meta::RecordedDefinitions* recorded, int64_t now_us) {
  const size_t skipped_events =
      sightings.unexamined_events + (recorded ? recorded->skipped_events.size() : 0);
  const size_t skipped_properties =
      sightings.unexamined_properties + (recorded ? recorded->skipped_properties.size() : 0);
  if (skipped_events == 0 && skipped_properties == 0 && sightings.long_names == 0) return;
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
  if (recorded != nullptr) {
    details.Key("eventDefinitions");
    details.Int(static_cast<int64_t>(recorded->event_definitions));
    details.Key("propertyDefinitions");
    details.Int(static_cast<int64_t>(recorded->property_definitions));
    details.Key("examples");
    details.BeginArray();
    size_t examples = 0;
    auto example = [&](const std::string& name) {
      if (examples++ < kWarningExamples) details.String(name);
    };
    for (size_t i : recorded->skipped_events) example(sightings.events.seen[i].name);
    for (size_t i : recorded->skipped_properties) example(sightings.properties.seen[i].name);
    details.EndArray();
  }
  details.Key("message");
  details.String(
      "Not every event name or property key was recorded as a definition; the events are stored "
      "with all their properties. Limits: names over maxNameBytes, and the options "
      "max_new_definitions_per_batch, max_event_definitions_per_project and "
      "max_property_definitions_per_project. Reported at most once an hour.");
  details.EndObject();
  std::string json = std::move(details).Take();
  LogWarning("ingest: project " + std::to_string(team_id) +
             " has definitions that were not recorded: " + json);
  if (warnings_ == nullptr) return;

  persons::IngestionWarning warning;
  warning.team_id = team_id;
  warning.type = std::string(kSkippedWarningType);
  warning.details = std::move(json);
  warning.timestamp_us = now_us;
  Status written = [&]() -> Status {
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<persons::Transaction> txn, warnings_->Begin());
    HOGLET_RETURN_IF_ERROR(txn->AddWarning(warning));
    return txn->Commit();
  }();
  if (!written.ok()) {
    LogWarning("ingest: writing the definitions warning of project " + std::to_string(team_id) +
               " failed: " + written.ToString());
  }
}

}  // namespace hoglet::ingest
