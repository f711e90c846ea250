// What the events list asks of the store (PostHog's `/api/projects/:id/events/`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"

namespace hoglet::store {

struct EventQuery {
  int64_t team_id = 0;                     // required: every scan is scoped to one team
  std::optional<std::string> event;        // exact event name
  std::optional<std::string> distinct_id;  // exact distinct_id
  std::optional<Uuid> person_id;           // exact person_id (as stored at ingestion)
  // When set, only events whose distinct_id is one of these (a person's distinct ids: the way
  // to find a person's events after merges, which move distinct ids, not stored rows).
  std::optional<std::vector<std::string>> distinct_ids;
  std::optional<int64_t> after_us;   // timestamp > after_us
  std::optional<int64_t> before_us;  // timestamp < before_us
  // With before_us, also the rows at exactly before_us whose uuid is below this one: a page
  // cursor in the list's (timestamp, uuid) descending order, so ties are never skipped.
  std::optional<Uuid> before_uuid;
  // Event property filters (filters/filter_tree.h) with PostHog's semantics
  // (filters/property_match.h); the default, an empty AND, keeps every event.
  filters::FilterNode properties;
  // "Now" for relative dates and the project's time zone for naive ones, in date filters.
  filters::MatchContext filter_context;
  size_t limit = 100;  // newest first, at most this many
};

}  // namespace hoglet::store
