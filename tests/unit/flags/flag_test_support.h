// Builders shared by the flag model, snapshot, evaluator and definitions tests: flags and cohorts
// from their stored JSON, parsed the way the server parses them.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flags/cohort.h"
#include "flags/feature_flag.h"
#include "flags/flag_evaluator.h"
#include "flags/flag_snapshot.h"

namespace hoglet::flags::testing {

inline FeatureFlag MakeFlag(int64_t id, std::string key, std::string filters_json) {
  FeatureFlag flag;
  flag.id = id;
  flag.team_id = 1;
  flag.key = std::move(key);
  flag.version = 1;
  StatusOr<FlagFilters> filters = ParseFlagFilters(filters_json);
  EXPECT_TRUE(filters.ok()) << flag.key << ": " << filters.status().ToString();
  if (filters.ok()) flag.filters = std::move(filters).value();
  flag.filters_json = std::move(filters_json);
  return flag;
}

// A flag with one condition and no properties, rolled out to `rollout` percent.
inline FeatureFlag RolloutFlag(int64_t id, std::string key, double rollout) {
  return MakeFlag(
      id, std::move(key),
      R"({"groups":[{"properties":[],"rollout_percentage":)" + std::to_string(rollout) + "}]}");
}

inline Cohort MakeCohort(int64_t id, std::string filters_json, bool is_static = false) {
  Cohort cohort;
  cohort.id = id;
  cohort.team_id = 1;
  cohort.name = "cohort " + std::to_string(id);
  cohort.is_static = is_static;
  StatusOr<filters::FilterNode> root = ParseCohortFilters(filters_json);
  EXPECT_TRUE(root.ok()) << "cohort " << id << ": " << root.status().ToString();
  if (root.ok()) cohort.root = std::move(root).value();
  cohort.filters_json = std::move(filters_json);
  return cohort;
}

inline std::shared_ptr<const FlagSnapshot> MakeSnapshot(
    std::vector<FeatureFlag> flags, std::vector<Cohort> cohorts = {},
    std::vector<GroupTypeMapping> group_types = {}) {
  return FlagSnapshot::Build(1, std::move(flags), std::move(cohorts), std::move(group_types));
}

// The result for `key`, or null when the flag was not returned.
inline const FlagResult* ResultFor(const std::vector<FlagResult>& results, std::string_view key) {
  for (const FlagResult& result : results) {
    if (result.flag != nullptr && result.flag->key == key) return &result;
  }
  return nullptr;
}

// Evaluates everything and returns the result for `key` (a default result when it is absent,
// after recording a test failure).
inline FlagResult EvaluateOne(const FlagSnapshot& snapshot, const EvaluationRequest& request,
                              std::string_view key) {
  std::vector<FlagResult> results = EvaluateFlags(snapshot, request);
  const FlagResult* result = ResultFor(results, key);
  EXPECT_NE(result, nullptr) << "no result for " << key;
  return result == nullptr ? FlagResult() : *result;
}

inline EvaluationRequest RequestFor(std::string distinct_id) {
  EvaluationRequest request;
  request.distinct_id = std::move(distinct_id);
  request.runtime = EvaluationRuntime::kAll;
  return request;
}

}  // namespace hoglet::flags::testing
