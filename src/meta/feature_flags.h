// Feature flags and cohorts as the metadata store keeps them (PostHog's posthog_featureflag and
// posthog_cohort tables). The store keeps `filters` as JSON text and checks only that it is a
// JSON object; what a filter means is flags/'s business (flags/feature_flag.h, flags/cohort.h),
// and the API validates filters before storing them.
//
// Flags and cohorts are soft-deleted (deleted = true) as in PostHog: their ids stay taken and
// a deleted flag's key may be used again by a new flag. Instants are microseconds since the
// Unix epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hoglet::meta {

// Keys: letters, digits, '-' and '_', 1..400 bytes (PostHog's rule).
inline constexpr size_t kMaxFeatureFlagKeyBytes = 400;

struct FeatureFlagRecord {
  int64_t id = 0;  // assigned by CreateFeatureFlag
  int64_t team_id = 0;
  std::string key;
  std::string name;  // free text description ("" allowed)
  std::string filters_json = "{}";
  bool active = true;
  bool deleted = false;
  bool ensure_experience_continuity = false;
  std::optional<std::string> evaluation_runtime;  // "all" | "client" | "server"; null = all
  std::vector<std::string> evaluation_contexts;   // tags
  std::optional<std::string> bucketing_identifier;  // "distinct_id" | "device_id" | null
  int64_t version = 1;  // starts at 1, +1 on every update
  std::optional<int64_t> created_by;  // user id
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
};

struct CohortRecord {
  int64_t id = 0;  // assigned by CreateCohort
  int64_t team_id = 0;
  std::string name;
  std::string description;
  std::string filters_json = "{}";
  bool is_static = false;
  bool deleted = false;
  int64_t version = 1;
  std::optional<int64_t> created_by;
  int64_t created_at_us = 0;
  int64_t updated_at_us = 0;
};

}  // namespace hoglet::meta
