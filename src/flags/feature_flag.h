// A feature flag as the evaluator sees it (capture-and-flags §3.1): identity and settings from
// the metadata store, and its `filters` JSON parsed once.
//
//   {"aggregation_group_type_index": null,
//    "groups": [{"properties": [...], "rollout_percentage": 50, "variant": null}],
//    "multivariate": {"variants": [{"key": "control", "rollout_percentage": 50}, ...]},
//    "payloads": {"true": "{\"a\":1}", "control": "..."},
//    "super_groups": [...], "feature_enrollment": true,
//    "holdout": {"id": 7, "exclusion_percentage": 10}, "holdout_groups": [...],
//    "early_exit": false}
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/property_filter.h"

namespace hoglet::flags {

struct Condition {
  std::vector<filters::PropertyFilter> properties;  // ANDed
  std::optional<double> rollout_percentage;         // null = 100; a float, never truncated
  std::optional<std::string> variant;               // override, used only if that variant exists
  std::optional<int> aggregation_group_type_index;  // overrides the flag's (mixed targeting)
};

struct Variant {
  std::string key;
  std::string name;
  double rollout_percentage = 0;
};

struct Holdout {
  int64_t id = 0;
  double exclusion_percentage = 0;
};

struct FlagFilters {
  std::optional<int> aggregation_group_type_index;  // null: a person flag
  std::vector<Condition> groups;
  std::vector<Variant> variants;  // empty: a boolean flag
  // Payloads by "true" (a boolean match), a variant key, or a holdout variant ("holdout-7").
  // Each value is the compact JSON text of the stored value, ready to splice into a response
  // with JsonWriter::Raw: a stored JSON string keeps its quotes and escapes (the usual case,
  // `"{\"a\":1}"`, which SDKs JSON-parse a second time), a stored object or number is its compact
  // JSON (`{"a":1}`). Stored nulls are dropped (no payload).
  std::map<std::string, std::string, std::less<>> payloads;
  std::vector<Condition> super_groups;    // legacy early access; only [0] is used
  bool feature_enrollment = false;        // new early access
  std::optional<Holdout> holdout;         // new holdouts
  std::vector<Condition> holdout_groups;  // legacy holdouts; only [0] is used
  bool early_exit = false;
};

// Parses a flag's `filters` object. Strict about what evaluation relies on: percentages are
// numbers in [0, 100] (or null), variant keys are non-empty and unique, variant percentages sum
// to 100, a condition's variant override names an existing variant, group type indexes are
// 0..4, payload keys are "true", a variant key or the holdout's variant, property filters parse.
// Tolerant of fields it does not know; "multivariate" may be null, "properties" null or absent.
// kInvalidArgument (reason "invalid_input") with the message naming the field, e.g.
// "groups[1].rollout_percentage must be a number between 0 and 100" (the API reports it with
// attr "filters"). Property filters are read as `options` says (the flags API refuses regexes
// RE2 cannot use; a stored one matches nothing).
StatusOr<FlagFilters> ParseFlagFilters(std::string_view json,
                                       const filters::FilterParseOptions& options = {});

enum class EvaluationRuntime { kAll, kClient, kServer };

// The runtime named "all", "client" or "server" (any letter case); nullopt for any other name.
// A flag's stored runtime must be one of them; a /flags request's unknown runtime reads as kAll,
// as PostHog's service does.
std::optional<EvaluationRuntime> ParseEvaluationRuntime(std::string_view name);
// "all", "client" or "server".
std::string_view EvaluationRuntimeName(EvaluationRuntime runtime);

struct FeatureFlag {
  int64_t id = 0;
  int64_t team_id = 0;
  std::string key;
  std::string name;  // PostHog's "name" is the flag's description
  bool active = true;
  bool deleted = false;
  int64_t version = 0;
  bool ensure_experience_continuity = false;
  std::optional<EvaluationRuntime> evaluation_runtime;  // null = all
  std::vector<std::string> evaluation_contexts;         // tags; empty = everywhere
  bool bucket_by_device_id = false;                     // bucketing_identifier "device_id"
  std::string filters_json = "{}";                      // as stored, served back verbatim
  FlagFilters filters;                                  // parsed filters_json
};

}  // namespace hoglet::flags
