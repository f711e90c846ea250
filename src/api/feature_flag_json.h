// Feature flags in the JSON shape of PostHog's FeatureFlagSerializer, written by the
// /api/projects/{id}/feature_flags/ endpoints (api/feature_flags_handler.h), and the user object
// of PostHog's UserBasicSerializer that flags and cohorts carry as `created_by`.
//
// Pure functions; thread-compatible (one writer per call).
#pragma once

#include <cstdint>
#include <optional>

#include "base/json_writer.h"
#include "meta/feature_flags.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// {"id", "uuid", "distinct_id", "first_name", "last_name", "email"}.
void WriteUserBasicJson(const meta::User& user, JsonWriter* w);

// One flag: its stored fields (filters verbatim), `created_by` (null when unknown), what PostHog
// derives (is_simple_flag and rollout_percentage from the single condition of a simple flag;
// status "ACTIVE", "INACTIVE" once over 30 days old, as PostHog reports a flag never called, or
// "DELETED"), and fixed values for what Hoglet does not model (tags, experiments, surveys,
// dashboards: empty; can_edit true; user_access_level "editor").
void WriteFeatureFlagJson(const meta::FeatureFlagRecord& flag,
                          const std::optional<meta::User>& created_by, int64_t now_us,
                          JsonWriter* w);

}  // namespace hoglet::api
