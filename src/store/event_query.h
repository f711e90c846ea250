// What the events list asks of the store (PostHog's `/api/projects/:id/events/`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/uuid.h"

namespace hoglet::store {

// One property filter, as PostHog's `properties` query parameter carries it:
// {"key": "$browser", "value": "Chrome", "operator": "exact", "type": "event"}.
struct PropertyFilter {
  enum class Op {
    kExact,         // equals the value, or any of the values when `value` is a JSON array
    kIsNot,         // equals none of them (a missing property matches)
    kIContains,     // case-insensitive substring of the stringified property
    kNotIContains,  // (a missing property matches)
    kRegex,         // RE2-like ECMAScript regex search; an invalid regex matches nothing
    kNotRegex,      // (a missing property matches; an invalid regex matches nothing)
    kGt,            // numeric comparison; non-numeric values do not match
    kGte,
    kLt,
    kLte,
    kIsSet,     // present (even when null)
    kIsNotSet,  // absent
  };
  std::string key;  // top-level property key
  Op op = Op::kExact;
  std::string value_json;  // the filter's value as JSON text (string, number, bool or array)
};

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
  std::vector<PropertyFilter> properties;  // all must match
  size_t limit = 100;                      // newest first, at most this many
};

}  // namespace hoglet::store
