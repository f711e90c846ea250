#include "ingest/definitions_tracker.h"

#include <algorithm>
#include <map>
#include <utility>

#include "ingest/property_type_detector.h"
#include "store/properties_parser.h"

namespace hoglet::ingest {
namespace {

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

template <typename Seen>
void NoteSighting(std::unordered_map<std::string, Seen>* map, std::string key, Seen seen) {
  auto [it, inserted] = map->try_emplace(std::move(key), seen);
  if (!inserted) it->second.seen_at_us = std::max(it->second.seen_at_us, seen.seen_at_us);
}

}  // namespace

DefinitionsTracker::DefinitionsTracker(meta::MetaStore& meta, const Clock& clock,
                                       DefinitionsTrackerOptions options)
    : meta_(meta), clock_(clock), options_(options) {}

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
    if (event.event.empty() || event.event.size() > meta::kMaxDefinitionNameBytes) continue;
    const int64_t seen_at_us = std::min(event.timestamp_us, now_us);
    TeamSightings& team = teams[event.team_id];
    NoteSighting(&team.events, EventKey(event.team_id, event.event),
                 meta::EventDefinitionSeen{event.event, seen_at_us});
    properties.clear();
    if (event.properties.empty() || !parser.Parse(event.properties, &properties).ok()) continue;
    for (const auto& [key, value] : properties) {
      if (key.empty() || key.size() > meta::kMaxDefinitionNameBytes) continue;
      if (IsSkippedEventProperty(key)) continue;
      std::optional<meta::PropertyType> type = DetectPropertyType(key, value, now_us);
      NoteSighting(&team.properties, PropertyKey(event.team_id, key, type),
                   meta::PropertyDefinitionSeen{key, type, seen_at_us});
    }
  }

  Status first_error;
  for (auto& [team_id, sightings] : teams) {
    if (!KeepStale(&sightings)) continue;
    std::vector<meta::EventDefinitionSeen> event_rows;
    for (const auto& [key, seen] : sightings.events) event_rows.push_back(seen);
    std::vector<meta::PropertyDefinitionSeen> property_rows;
    for (const auto& [key, seen] : sightings.properties) property_rows.push_back(seen);
    Status recorded = meta_.RecordDefinitions(team_id, event_rows, property_rows);
    if (recorded.ok()) {
      Remember(sightings);
    } else if (recorded.code() != StatusCode::kNotFound && first_error.ok()) {
      first_error =
          recorded.WithContext("recording definitions of project " + std::to_string(team_id));
    }
  }
  return first_error;
}

bool DefinitionsTracker::KeepStale(TeamSightings* sightings) const {
  std::lock_guard lock(mu_);
  auto is_fresh = [this](const std::string& key, int64_t seen_at_us) {
    auto found = recorded_.find(key);
    return found != recorded_.end() && seen_at_us < found->second + options_.refresh_interval_us;
  };
  std::erase_if(sightings->events,
                [&](const auto& entry) { return is_fresh(entry.first, entry.second.seen_at_us); });
  std::erase_if(sightings->properties,
                [&](const auto& entry) { return is_fresh(entry.first, entry.second.seen_at_us); });
  return !sightings->events.empty() || !sightings->properties.empty();
}

void DefinitionsTracker::Remember(const TeamSightings& written) {
  std::lock_guard lock(mu_);
  if (recorded_.size() + written.events.size() + written.properties.size() >
      options_.max_remembered) {
    recorded_.clear();
  }
  auto remember = [this](const std::string& key, int64_t seen_at_us) {
    auto found = recorded_.find(key);
    if (found != recorded_.end()) {
      found->second = std::max(found->second, seen_at_us);
    } else if (recorded_.size() < options_.max_remembered) {
      recorded_.emplace(key, seen_at_us);
    }
  };
  for (const auto& [key, seen] : written.events) remember(key, seen.seen_at_us);
  for (const auto& [key, seen] : written.properties) remember(key, seen.seen_at_us);
}

}  // namespace hoglet::ingest
