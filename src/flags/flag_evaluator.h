// Decides a project's flags for one caller (capture-and-flags §3.2): the same answer posthog-js,
// posthog-node local evaluation and PostHog's server give for the same inputs.
//
// A pure function of (snapshot, request): no I/O, no locks, no clock (the request carries "now").
// The caller (flags_service.h) gathers what the request needs from storage first (stored person
// and group properties merged under the request's, static cohort memberships, hash-key
// overrides).
// Thread-safe: any number of threads may evaluate against one snapshot.
//
// Per flag, in order (§3.2): inactive → kFlagDisabled; broken dependency chain →
// kMissingDependency; feature enrollment / legacy super_groups[0] → kSuperConditionValue;
// holdout → kHoldoutConditionValue with variant "holdout-<id>"; then the conditions in array
// order, each with its own aggregation (the condition's group type, else the flag's): a person
// condition buckets by the device id (device-bucketed flags; none sent → counts as out of
// rollout), else the hash-key override for the flag's key, else the distinct id; a group
// condition buckets by the group's key and is skipped (kNoGroupType) when the request has none.
// When nothing matches, the reason is the best one seen, ranked as PostHog's current service
// ranks them (out_of_rollout_bound > no_condition_match > no_group_type; a tie goes to the later
// condition; the seed is kNoGroupType with no index). A flag without conditions reports
// kNoConditionMatch with no index.
//
// Example:
//   EvaluationRequest request;
//   request.distinct_id = "user-123";
//   request.now_us = clock.NowMicros();
//   request.time_zone = project_zone;  // TimeZone::Load(project.timezone), UTC if unknown
//   for (const FlagResult& r : EvaluateFlags(*snapshot, request)) { ... r.enabled, r.variant ... }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/time_zone.h"
#include "filters/property_value.h"
#include "flags/feature_flag.h"
#include "flags/flag_snapshot.h"

namespace hoglet::flags {

struct EvaluationRequest {
  std::string distinct_id;
  std::optional<std::string> device_id;  // for flags bucketed by device id
  // Group type name → group key (numbers already rendered as decimal text; "" = not sent).
  std::unordered_map<std::string, std::string> groups;
  filters::Properties person_properties;  // stored properties overlaid with the request's
  std::unordered_map<std::string, filters::Properties> group_properties;  // by group type name
  // Experience continuity: flag key → the id to bucket person conditions by instead of the
  // distinct id (the stored override, else the request's $anon_distinct_id). Applied to any flag
  // listed; callers list continuity flags only. A device-bucketed flag's device id wins.
  std::unordered_map<std::string, std::string> hash_key_overrides;
  std::unordered_set<int64_t> static_cohorts;  // ids of static cohorts the person is in

  // Which flags to return (a flag must pass all four). Flags the returned ones depend on are
  // evaluated regardless of these, and not returned.
  std::optional<std::vector<std::string>> flag_keys;  // only these keys
  // nullopt: unknown (keeps only flags without a runtime or with "all"); kAll keeps every flag.
  std::optional<EvaluationRuntime> runtime;
  // Empty: no filtering. Else keeps flags without tags and flags sharing at least one.
  std::vector<std::string> evaluation_contexts;
  bool only_survey_flags = false;  // keep keys starting "survey-targeting-"

  int64_t now_us = 0;  // for relative date filters
  // The project's zone: date filters read naive dates ("2024-01-01") as wall-clock times there.
  // Resolve it once per request (TimeZone::Load); evaluation never looks a zone up.
  TimeZone time_zone;
};

enum class Reason {
  kConditionMatch,
  kNoConditionMatch,
  kOutOfRolloutBound,
  kNoGroupType,
  kSuperConditionValue,
  kHoldoutConditionValue,
  kFlagDisabled,
  kMissingDependency,
};

// PostHog's reason code ("condition_match", …).
std::string_view ReasonCode(Reason reason);

struct FlagResult {
  const FeatureFlag* flag = nullptr;  // points into the snapshot
  bool enabled = false;
  std::optional<std::string> variant;
  Reason reason = Reason::kNoConditionMatch;
  std::optional<int> condition_index;
  // For kNoConditionMatch: some conditions were skipped because their group was not sent.
  bool group_conditions_skipped = false;
  // The payload for the matched value (variant key, or "true" for a boolean match); enabled
  // flags only. Compact JSON text as FlagFilters::payloads holds it (a stored JSON string keeps
  // its quotes): splice it with JsonWriter::Raw. Points into the snapshot.
  std::optional<std::string_view> payload;
  // Evaluation failed: a cohort the flag uses does not exist (or cohorts refer to each other in
  // a loop). Then enabled is false; the response should report errorsWhileComputingFlags.
  bool failed = false;

  // PostHog's human description: "Matched condition set 1", "No matching condition set", …
  std::string Description() const;
};

// Every flag of the snapshot the request selects (active ones evaluated, inactive ones reported
// disabled with kFlagDisabled), in the snapshot's order. A simple flag (no properties, no
// variants) costs one hash and no allocation; the result vector is allocated once.
std::vector<FlagResult> EvaluateFlags(const FlagSnapshot& snapshot,
                                      const EvaluationRequest& request);

}  // namespace hoglet::flags
