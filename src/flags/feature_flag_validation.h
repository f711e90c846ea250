// PostHog's rules for a feature flag beyond the JSON types of its fields (FeatureFlagSerializer):
// the key's characters, the release conditions in `filters`, and the dependencies between flags.
// The feature flag handlers call these before anything is stored, so a rejected request changes
// nothing.
//
// Pure functions of their inputs, safe from any thread. Every error is kInvalidArgument carrying
// PostHog's message and error code; each function says which request field (`attr`) it is about.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "meta/feature_flags.h"

namespace hoglet::flags {

// What a flag is checked against: the project's other flags and its cohorts.
struct FlagProject {
  std::vector<meta::FeatureFlagRecord> flags;  // the project's non-deleted flags
  std::vector<meta::CohortRecord> cohorts;     // the project's cohorts, deleted ones included
};

// The flag whose filters are being checked.
struct FlagUnderCheck {
  int64_t id = 0;        // 0 for a flag being created
  std::string_view key;  // its stored key when it exists, else the requested one
  bool creating = false;
  int64_t now_us = 0;  // "now" for relative dates such as "-7d"
};

// Letters, digits, '-' and '_' only, 1..400 bytes (attr "key"; code "invalid_key", or "blank"
// and "max_length" as Django REST framework reports those).
Status CheckFlagKey(std::string_view key);

// Checks `filters_json` (a JSON object) in PostHog's order and with its messages: a new flag needs
// at least one condition set; person flags use person, cohort and flag properties, group flags
// only properties of their group type; flag dependencies name existing active flags by id and
// form no cycle; variant percentages sum to 100; condition variants exist; cohorts exist; date,
// string-only and cohort-only operators get suitable values; payload keys are "true" (boolean
// flags) or variant keys and payload values are JSON. Then ParseFlagFilters, which checks
// everything evaluation relies on. Returns the filters to store: payload values sent as JSON
// objects become JSON-encoded strings, as PostHog stores them. Errors are about attr "filters".
StatusOr<std::string> CheckFlagFilters(std::string_view filters_json, const FlagUnderCheck& flag,
                                       const FlagProject& project);

// The project's active flags, other than `flag_id`, with a condition depending on flag `flag_id`;
// by key.
std::vector<meta::FeatureFlagRecord> FlagsDependingOn(const FlagProject& project, int64_t flag_id);

// The inactive flags that `filters_json` depends on; by key.
std::vector<meta::FeatureFlagRecord> InactiveDependencies(const FlagProject& project,
                                                          std::string_view filters_json);

// "a (ID: 1), b (ID: 2)", at most `shown` of them, then "and N more".
std::string DescribeFlags(const std::vector<meta::FeatureFlagRecord>& flags, size_t shown);

// Ids of the cohorts a flag's or cohort's filters refer to (every object with "type": "cohort"
// and an integer "value", at any depth). Unreadable JSON refers to none.
std::vector<int64_t> ReferencedCohortIds(std::string_view filters_json);

}  // namespace hoglet::flags
