// Actions as the metadata store keeps them (PostHog's posthog_action table): a named OR of steps
// (analytics §1.7). The store keeps `steps` as JSON text and checks only that it is a JSON array;
// what a step means is query/'s business (query/action.h), and the API validates steps before
// storing them.
//
// Actions are soft-deleted (deleted = true) as in PostHog: their ids stay taken, and a series
// that names a deleted action matches nothing. Instants are microseconds since the Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hoglet::meta {

struct ActionRecord {
  int64_t id = 0;  // assigned by CreateAction
  int64_t team_id = 0;
  std::string name;  // 1..400 bytes
  std::string description;
  std::string steps_json = "[]";
  bool deleted = false;
  std::optional<int64_t> created_by;  // user id
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
};

inline constexpr size_t kMaxActionNameBytes = 400;

}  // namespace hoglet::meta
