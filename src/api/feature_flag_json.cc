#include "api/feature_flag_json.h"

#include <simdjson.h>

#include <string>

#include "base/time_format.h"

namespace hoglet::api {
namespace {

namespace dom = simdjson::dom;

constexpr int64_t kInactiveAfterUs = int64_t{30} * 24 * 3600 * 1'000'000;

// PostHog's is_simple_flag: one condition set, without properties, aggregating persons, and (as
// the UI's "simple" rollout has no variants) no multivariate variants. `rollout_json` is that
// condition's rollout_percentage as JSON ("null" when absent).
bool IsSimpleFlag(std::string_view filters_json, std::string* rollout_json) {
  dom::parser parser;
  dom::object filters;
  if (parser.parse(filters_json).get_object().get(filters) != simdjson::SUCCESS) return false;
  dom::element aggregation;
  if (filters.at_key("aggregation_group_type_index").get(aggregation) == simdjson::SUCCESS &&
      !aggregation.is_null()) {
    return false;
  }
  dom::array variants;
  if (filters.at_key("multivariate").at_key("variants").get_array().get(variants) ==
          simdjson::SUCCESS &&
      variants.size() > 0) {
    return false;
  }
  dom::array groups;
  if (filters.at_key("groups").get_array().get(groups) != simdjson::SUCCESS || groups.size() != 1) {
    return false;
  }
  dom::object condition;
  if (groups.at(0).get_object().get(condition) != simdjson::SUCCESS) return false;
  dom::array properties;
  if (condition.at_key("properties").get_array().get(properties) == simdjson::SUCCESS &&
      properties.size() > 0) {
    return false;
  }
  dom::element rollout;
  if (condition.at_key("rollout_percentage").get(rollout) == simdjson::SUCCESS &&
      rollout.is_number()) {
    *rollout_json = simdjson::minify(rollout);
  }
  return true;
}

void WriteStrings(const std::vector<std::string>& values, JsonWriter* w) {
  w->BeginArray();
  for (const std::string& value : values) w->String(value);
  w->EndArray();
}

void WriteEmptyArray(std::string_view key, JsonWriter* w) {
  w->Key(key);
  w->BeginArray();
  w->EndArray();
}

void WriteOptionalString(std::string_view key, const std::optional<std::string>& value,
                         JsonWriter* w) {
  w->Key(key);
  if (value) {
    w->String(*value);
  } else {
    w->Null();
  }
}

}  // namespace

void WriteUserBasicJson(const meta::User& user, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(user.id);
  w->Key("uuid");
  w->String(user.uuid);
  w->Key("distinct_id");
  w->String(user.uuid);
  w->Key("first_name");
  w->String(user.first_name);
  w->Key("last_name");
  w->String("");
  w->Key("email");
  w->String(user.email);
  w->EndObject();
}

void WriteFeatureFlagJson(const meta::FeatureFlagRecord& flag,
                          const std::optional<meta::User>& created_by, int64_t now_us,
                          JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(flag.id);
  w->Key("name");
  w->String(flag.name);
  w->Key("key");
  w->String(flag.key);
  w->Key("filters");
  w->Raw(flag.filters_json);
  w->Key("deleted");
  w->Bool(flag.deleted);
  w->Key("active");
  w->Bool(flag.active);
  w->Key("created_by");
  if (created_by) {
    WriteUserBasicJson(*created_by, w);
  } else {
    w->Null();
  }
  w->Key("created_at");
  w->String(FormatIsoMicros(flag.created_at_us));
  w->Key("updated_at");
  w->String(FormatIsoMicros(flag.updated_at_us));
  w->Key("version");
  w->Int(flag.version);
  w->Key("last_modified_by");
  w->Null();
  w->Key("ensure_experience_continuity");
  w->Bool(flag.ensure_experience_continuity);
  WriteEmptyArray("experiment_set", w);
  WriteEmptyArray("surveys", w);
  WriteEmptyArray("features", w);
  w->Key("rollback_conditions");
  w->Null();
  w->Key("performed_rollback");
  w->Bool(false);
  w->Key("can_edit");
  w->Bool(true);
  WriteEmptyArray("tags", w);
  w->Key("evaluation_tags");
  WriteStrings(flag.evaluation_contexts, w);
  w->Key("usage_dashboard");
  w->Null();
  WriteEmptyArray("analytics_dashboards", w);
  w->Key("has_enriched_analytics");
  w->Bool(false);
  w->Key("user_access_level");
  w->String("editor");
  w->Key("is_remote_configuration");
  w->Bool(false);
  w->Key("has_encrypted_payloads");
  w->Bool(false);
  w->Key("status");
  if (flag.deleted) {
    w->String("DELETED");
  } else if (flag.created_at_us < now_us - kInactiveAfterUs) {
    w->String("INACTIVE");
  } else {
    w->String("ACTIVE");
  }
  w->Key("evaluation_runtime");
  w->String(flag.evaluation_runtime.value_or("all"));
  WriteOptionalString("bucketing_identifier", flag.bucketing_identifier, w);
  w->Key("last_called_at");
  w->Null();
  std::string rollout_json = "null";
  bool simple = IsSimpleFlag(flag.filters_json, &rollout_json);
  w->Key("is_simple_flag");
  w->Bool(simple);
  w->Key("rollout_percentage");
  w->Raw(simple ? rollout_json : "null");
  w->EndObject();
}

}  // namespace hoglet::api
