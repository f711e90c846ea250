// /api/projects/{id}/feature_flags/: authentication, the flag JSON, create/patch/delete round
// trips with versions, PostHog's validation errors with their field, keys freed by soft
// deletion, flag dependencies, list filters and paging, isolation between organizations and
// projects, and remote_config.
#include "api/feature_flags_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr int64_t kSecondUs = 1'000'000;
constexpr int64_t kDayUs = 24 * 3600 * kSecondUs;

class FeatureFlagsHandler : public ApiFixture {
 protected:
  static string FlagPath(int64_t id) {
    return "/api/projects/1/feature_flags/" + std::to_string(id) + "/";
  }

  // POSTs a flag, expecting 201, and returns its id (0 on failure).
  int64_t Create(const string& body) {
    http::Response response = Call("POST", "/api/projects/1/feature_flags/", key_, body);
    EXPECT_EQ(response.status, 201) << body << " → " << response.body;
    if (response.status != 201) return 0;
    return int64_t(ParseJson(response.body)->root["id"]);
  }

  // A 400 validation error about `attr` (empty: attr null) with `code`, whose detail contains
  // `detail`.
  static void ExpectValidationError(const http::Response& response, string_view attr,
                                    string_view code, string_view detail) {
    ASSERT_EQ(response.status, 400) << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["type"]), "validation_error") << response.body;
    if (attr.empty()) {
      EXPECT_TRUE(doc->root["attr"].is_null()) << response.body;
    } else {
      EXPECT_EQ(string_view(doc->root["attr"]), attr) << response.body;
    }
    if (!code.empty()) {
      EXPECT_EQ(string_view(doc->root["code"]), code) << response.body;
    }
    EXPECT_NE(string(string_view(doc->root["detail"])).find(detail), string::npos) << response.body;
  }

  size_t StoredFlagCount(bool include_deleted = true) {
    auto flags = meta_->ListFeatureFlags(1, include_deleted);
    EXPECT_TRUE(flags.ok()) << flags.status().ToString();
    return flags.ok() ? flags->size() : 0;
  }
};

TEST_F(FeatureFlagsHandler, RequiresAPersonalApiKey) {
  int64_t id = Create(R"({"key":"beta"})");
  const std::vector<std::pair<string, string>> calls = {
      {"GET", "/api/projects/1/feature_flags/"},
      {"POST", "/api/projects/1/feature_flags/"},
      {"GET", FlagPath(id)},
      {"PATCH", FlagPath(id)},
      {"DELETE", FlagPath(id)},
      {"GET", "/api/projects/1/feature_flags/beta/remote_config/"},
  };
  for (const auto& [method, path] : calls) {
    const string body = R"({"key":"other","active":false})";
    EXPECT_EQ(Call(method, path, "", body).status, 401) << method << " " << path;
    http::Response with_project_token = Call(method, path, project_.api_token, body);
    EXPECT_EQ(with_project_token.status, 401) << method << " " << path;
    EXPECT_EQ(string_view(ParseJson(with_project_token.body)->root["type"]),
              "authentication_error");
    EXPECT_EQ(Call(method, path, "phx_notarealkey000000", body).status, 401) << method << path;
  }
  EXPECT_EQ(StoredFlagCount(), 1u);
  auto stored = meta_->FeatureFlagById(1, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->active);
  EXPECT_FALSE(stored->deleted);
  EXPECT_EQ(stored->version, 1);
}

TEST_F(FeatureFlagsHandler, CreateGetPatchDeleteRoundTripWithVersions) {
  http::Response created = Call("POST", "/api/projects/1/feature_flags", key_, R"json({
      "key": "new-checkout", "name": "The new checkout",
      "filters": {"groups": [{"properties": [], "rollout_percentage": 30}]},
      "ensure_experience_continuity": true, "evaluation_tags": ["web", "web", "app"],
      "evaluation_runtime": "client", "bucketing_identifier": "device_id"})json");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  int64_t id = int64_t(doc->root["id"]);
  EXPECT_GT(id, 0);
  EXPECT_EQ(string_view(doc->root["key"]), "new-checkout");
  EXPECT_EQ(string_view(doc->root["name"]), "The new checkout");
  EXPECT_EQ(int64_t(doc->root["filters"]["groups"].at(0)["rollout_percentage"]), 30);
  EXPECT_TRUE(bool(doc->root["active"]));
  EXPECT_FALSE(bool(doc->root["deleted"]));
  EXPECT_EQ(int64_t(doc->root["version"]), 1);
  EXPECT_TRUE(bool(doc->root["ensure_experience_continuity"]));
  EXPECT_EQ(simdjson::dom::array(doc->root["evaluation_tags"]).size(), 2u);
  EXPECT_EQ(string_view(doc->root["evaluation_tags"].at(1)), "app");
  EXPECT_EQ(string_view(doc->root["evaluation_runtime"]), "client");
  EXPECT_EQ(string_view(doc->root["bucketing_identifier"]), "device_id");
  EXPECT_EQ(string_view(doc->root["created_by"]["email"]), "admin@localhost");
  EXPECT_EQ(string_view(doc->root["created_at"]), "2023-11-14T22:13:20.000000+00:00");
  EXPECT_TRUE(bool(doc->root["is_simple_flag"]));
  EXPECT_EQ(int64_t(doc->root["rollout_percentage"]), 30);
  EXPECT_EQ(string_view(doc->root["status"]), "ACTIVE");
  EXPECT_FALSE(bool(doc->root["has_encrypted_payloads"]));
  EXPECT_FALSE(bool(doc->root["is_remote_configuration"]));
  EXPECT_TRUE(bool(doc->root["can_edit"]));
  EXPECT_EQ(string_view(doc->root["user_access_level"]), "editor");
  for (const char* empty : {"tags", "experiment_set", "surveys", "features"}) {
    EXPECT_EQ(simdjson::dom::array(doc->root[empty]).size(), 0u) << empty;
  }
  auto stored = meta_->FeatureFlagById(1, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->key, "new-checkout");
  EXPECT_EQ(stored->created_by, std::optional<int64_t>(1));
  EXPECT_EQ(stored->evaluation_contexts, (std::vector<string>{"web", "app"}));
  EXPECT_EQ(stored->evaluation_runtime, std::optional<string>("client"));

  clock_.Advance(kSecondUs);
  http::Response patched =
      Call("PATCH", FlagPath(id), key_,
           R"({"active": false, "name": "Paused", "evaluation_runtime": null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto patched_doc = ParseJson(patched.body);
  EXPECT_EQ(int64_t(patched_doc->root["version"]), 2);
  EXPECT_FALSE(bool(patched_doc->root["active"]));
  EXPECT_EQ(string_view(patched_doc->root["evaluation_runtime"]), "all");
  EXPECT_EQ(string_view(patched_doc->root["updated_at"]), "2023-11-14T22:13:21.000000+00:00");
  // Fields the PATCH did not name keep their values.
  EXPECT_EQ(string_view(patched_doc->root["key"]), "new-checkout");
  EXPECT_EQ(int64_t(patched_doc->root["filters"]["groups"].at(0)["rollout_percentage"]), 30);

  // Every PATCH is a version, even one that changes nothing.
  ASSERT_EQ(Call("PATCH", FlagPath(id), key_, "{}").status, 200);
  auto fetched = ParseJson(Call("GET", FlagPath(id), key_).body);
  EXPECT_EQ(int64_t(fetched->root["version"]), 3);
  EXPECT_EQ(string_view(fetched->root["name"]), "Paused");
  EXPECT_EQ(meta_->FeatureFlagById(1, id)->version, 3);

  http::Response deleted = Call("DELETE", FlagPath(id), key_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  auto after = ParseJson(Call("GET", FlagPath(id), key_).body);
  EXPECT_TRUE(bool(after->root["deleted"]));
  EXPECT_EQ(string_view(after->root["status"]), "DELETED");
  EXPECT_EQ(int64_t(after->root["version"]), 4);
  EXPECT_TRUE(meta_->FeatureFlagById(1, id)->deleted);
  auto list = ParseJson(Call("GET", "/api/projects/1/feature_flags/", key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 0);
  // Deleting again changes nothing.
  EXPECT_EQ(Call("DELETE", FlagPath(id), key_).status, 204);
  EXPECT_EQ(meta_->FeatureFlagById(1, id)->version, 4);
}

TEST_F(FeatureFlagsHandler, AMinimalFlagGetsPostHogsDefaults) {
  http::Response created = Call("POST", "/api/projects/1/feature_flags/", key_, R"({"key":"x"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  EXPECT_EQ(string_view(doc->root["name"]), "");
  EXPECT_TRUE(bool(doc->root["active"]));
  EXPECT_FALSE(bool(doc->root["ensure_experience_continuity"]));
  EXPECT_EQ(string_view(doc->root["evaluation_runtime"]), "all");
  EXPECT_TRUE(doc->root["bucketing_identifier"].is_null());
  auto groups = simdjson::dom::array(doc->root["filters"]["groups"]);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups.at(0)["rollout_percentage"].is_null());
  EXPECT_EQ(simdjson::dom::array(groups.at(0)["properties"]).size(), 0u);
  EXPECT_TRUE(bool(doc->root["is_simple_flag"]));
  EXPECT_TRUE(doc->root["rollout_percentage"].is_null());

  // A flag with properties or variants is not simple.
  http::Response targeted = Call("POST", "/api/projects/1/feature_flags/", key_, R"json({
      "key": "y", "filters": {"groups": [{"properties": [
          {"key": "email", "value": "@acme.com", "operator": "icontains", "type": "person"}],
          "rollout_percentage": 100}]}})json");
  ASSERT_EQ(targeted.status, 201) << targeted.body;
  auto targeted_doc = ParseJson(targeted.body);
  EXPECT_FALSE(bool(targeted_doc->root["is_simple_flag"]));
  EXPECT_TRUE(targeted_doc->root["rollout_percentage"].is_null());

  // A flag older than 30 days, never evaluated, reads INACTIVE as in PostHog.
  clock_.Advance(31 * kDayUs);
  auto old = ParseJson(Call("GET", FlagPath(int64_t(doc->root["id"])), key_).body);
  EXPECT_EQ(string_view(old->root["status"]), "INACTIVE");
}

TEST_F(FeatureFlagsHandler, ValidationErrorsNameTheirFieldAndCreateNothing) {
  ASSERT_TRUE(meta_
                  ->CreateCohort([] {
                    meta::CohortRecord cohort;
                    cohort.team_id = 1;
                    cohort.name = "Paying";
                    cohort.filters_json = R"({"properties":{"type":"AND","values":[]}})";
                    return cohort;
                  }())
                  .ok());
  struct Case {
    string body;
    string attr;
    string code;
    string detail;
  };
  const string person = R"("type": "person", "key": "email")";
  const std::vector<Case> cases = {
      {R"({"name": "no key"})", "key", "required", "This field is required."},
      {R"({"key": ""})", "key", "blank", ""},
      {R"({"key": "has space"})", "key", "invalid_key",
       "Only letters, numbers, hyphens (-) & underscores (_) are allowed."},
      {R"({"key": "é"})", "key", "invalid_key", ""},
      {R"({"key": ")" + string(401, 'k') + R"("})", "key", "max_length", ""},
      {R"({"key": 5})", "key", "invalid_input", ""},
      {R"({"key": "k", "name": 5})", "name", "invalid_input", ""},
      {R"({"key": "k", "filters": []})", "filters", "invalid_input", ""},
      {R"({"key": "k", "filters": {"groups": []}})", "filters", "",
       "Feature flags must have at least one condition set (group)."},
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 50}],
           "multivariate": {"variants": [{"key": "a", "rollout_percentage": 50},
                                         {"key": "b", "rollout_percentage": 40}]}}})",
       "filters", "", "Invalid variant definitions: Variant rollout percentages must sum to 100."},
      {R"({"key": "k", "filters": {"groups": [{"variant": "c", "rollout_percentage": 50}],
           "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}]}}})",
       "filters", "", "Filters are not valid (variant override does not exist)"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "cohort", "key": "id", "value": 999}]}]}})",
       "filters", "cohort_does_not_exist", "Cohort with id 999 does not exist"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "flag", "key": "999", "operator": "flag_evaluates_to", "value": true}]}]}})",
       "filters", "", "Flag dependency references non-existent flag with ID 999"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "flag", "key": "other-flag", "operator": "flag_evaluates_to", "value": true}]}]}})",
       "filters", "", "Flag dependencies must reference flag IDs (integers), not flag keys."},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "flag", "key": "1", "operator": "exact", "value": true}]}]}})",
       "filters", "", "Flag properties must use the 'flag_evaluates_to' operator"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "event", "key": "$browser", "value": "Chrome"}]}]}})",
       "filters", "",
       "Filters are not valid (person-aggregated conditions can only use person, cohort, and flag "
       "properties)"},
      {R"({"key": "k", "filters": {"aggregation_group_type_index": 0, "groups": [{"properties": [
           {)" +
           person + R"(, "value": "a"}]}]}})",
       "filters", "",
       "Filters are not valid (group-aggregated conditions can only use group properties)"},
      {R"({"key": "k", "filters": {"aggregation_group_type_index": 0, "groups": [{"properties": [
           {"type": "group", "group_type_index": 1, "key": "size", "value": "a"}]}]}})",
       "filters", "",
       "Filters are not valid (group properties must match the condition set's group type)"},
      // Mixed targeting: a condition set's own aggregation decides what it may use.
      {R"({"key": "k", "filters": {"groups": [{"aggregation_group_type_index": 0, "properties": [
           {)" +
           person + R"(, "value": "a"}]}]}})",
       "filters", "",
       "Filters are not valid (group-aggregated conditions can only use group properties)"},
      {R"({"key": "k", "filters": {"aggregation_group_type_index": 0, "groups": [
           {"aggregation_group_type_index": null, "properties": [
             {"type": "group", "group_type_index": 0, "key": "size", "value": "a"}]}]}})",
       "filters", "",
       "Filters are not valid (person-aggregated conditions can only use person, cohort, and flag "
       "properties)"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {)" +
           person + R"(, "operator": "gt", "value": 5}]}]}})",
       "filters", "invalid_value", "Invalid value for operator gt: 5"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {)" +
           person + R"(, "operator": "is_date_before", "value": "someday"}]}]}})",
       "filters", "invalid_date", "Invalid date value: someday"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {)" +
           person + R"(, "operator": "in", "value": ["a"]}]}]}})",
       "filters", "invalid_operator",
       "The 'in' operator is only valid for cohort properties, not 'person' properties."},
      // A condition that could never match: an unknown operator or a filter without a key.
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {)" +
           person + R"(, "operator": "bogus", "value": "a"}]}]}})",
       "filters", "invalid_operator", "Unknown operator 'bogus' on property 'email'"},
      {R"({"key": "k", "filters": {"aggregation_group_type_index": 0, "groups": [{"properties": [
           {"type": "group", "group_type_index": 0, "key": "size", "operator": 3,
            "value": "a"}]}]}})",
       "filters", "invalid_operator", "Unknown operator '' on property 'size'"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"type": "person", "key": "", "value": "a"}]}]}})",
       "filters", "invalid_key", "Property filters need a non-empty 'key'"},
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 50}],
           "payloads": {"control": "1"}}})",
       "filters", "", "Payload keys must be 'true' for boolean flags"},
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 50}],
           "payloads": {"true": "{not json"}}})",
       "filters", "", "Payload value is not valid JSON"},
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 50}],
           "payloads": ["x"]}})",
       "filters", "", "Payloads must be passed as a dictionary"},
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 50}],
           "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}]},
           "payloads": {"true": "1"}}})",
       "filters", "", "Payload keys must match a variant key for multivariate flags"},
      // What only the evaluator's parser catches still names the field.
      {R"({"key": "k", "filters": {"groups": [{"rollout_percentage": 150}]}})", "filters", "", ""},
      // A regex RE2 refuses would match nothing: refused, naming the filter and RE2's reason.
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"key": "email", "type": "person", "operator": "regex", "value": "(a"}]}]}})",
       "filters", "",
       "groups[0].properties[0]: the filter on 'email' has a regex that RE2 cannot "
       "use: missing ): (a"},
      {R"({"key": "k", "filters": {"groups": [{"properties": [
           {"key": "email", "type": "person", "operator": "not_regex", "value": "(?=x)b"}]}]}})",
       "filters", "", "the filter on 'email' has a regex that RE2 cannot use"},
      {R"({"key": "k", "active": "yes"})", "active", "invalid_input", ""},
      {R"({"key": "k", "deleted": 1})", "deleted", "invalid_input", ""},
      {R"({"key": "k", "ensure_experience_continuity": "no"})", "ensure_experience_continuity",
       "invalid_input", ""},
      {R"({"key": "k", "evaluation_runtime": "mobile"})", "evaluation_runtime", "invalid_choice",
       "\"mobile\" is not a valid choice."},
      {R"({"key": "k", "bucketing_identifier": "email"})", "bucketing_identifier", "invalid_choice",
       ""},
      {R"({"key": "k", "evaluation_tags": [1]})", "evaluation_tags", "invalid_input", ""},
      {R"({"key": "k", "evaluation_tags": "web"})", "evaluation_tags", "invalid_input", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectValidationError(Call("POST", "/api/projects/1/feature_flags/", key_, c.body), c.attr,
                          c.code, c.detail);
  }
  EXPECT_EQ(StoredFlagCount(), 0u);

  // Malformed bodies are parse errors.
  for (const string body : {"{", "[1]", R"({"key": "k",})"}) {
    http::Response response = Call("POST", "/api/projects/1/feature_flags/", key_, body);
    EXPECT_EQ(response.status, 400) << body;
    EXPECT_EQ(string_view(ParseJson(response.body)->root["code"]), "parse_error") << body;
  }

  // The same checks guard PATCH, which then changes nothing.
  int64_t id = Create(R"({"key": "stable", "filters": {"groups": [{"rollout_percentage": 10}]}})");
  ExpectValidationError(Call("PATCH", FlagPath(id), key_, R"({"key": "bad key"})"), "key",
                        "invalid_key", "");
  ExpectValidationError(
      Call("PATCH", FlagPath(id), key_,
           R"({"name": "changed", "filters": {"groups": [{"rollout_percentage": 10}],
               "multivariate": {"variants": [{"key": "a", "rollout_percentage": 10}]}}})"),
      "filters", "", "must sum to 100");
  auto stored = meta_->FeatureFlagById(1, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version, 1);
  EXPECT_EQ(stored->name, "");
  EXPECT_EQ(stored->key, "stable");
}

TEST_F(FeatureFlagsHandler, ValidFiltersAreAccepted) {
  ASSERT_GT(Create(R"json({"key": "groups-flag", "filters": {"aggregation_group_type_index": 0,
      "groups": [{"properties": [{"type": "group", "group_type_index": 0, "key": "plan",
                                  "value": "pro", "operator": "exact"}],
                  "rollout_percentage": 100}]}})json"),
            0);
  ASSERT_GT(Create(R"json({"key": "multi", "filters": {
      "groups": [{"properties": [], "rollout_percentage": 100, "variant": "test"},
                 {"properties": [{"type": "person", "key": "created", "operator": "is_date_after",
                                  "value": "-7d"}], "rollout_percentage": 12.5}],
      "multivariate": {"variants": [{"key": "control", "rollout_percentage": 33.3},
                                    {"key": "test", "rollout_percentage": 33.3},
                                    {"key": "third", "rollout_percentage": 33.4}]},
      "payloads": {"test": "{\"color\": \"blue\"}", "control": 5}}})json"),
            0);
  // Every operator the web app's condition editor offers for a person property.
  ASSERT_GT(Create(R"json({"key": "operators", "filters": {"groups": [{"properties": [
      {"type": "person", "key": "a", "operator": "exact", "value": ["x", "y"]},
      {"type": "person", "key": "b", "operator": "is_not", "value": ["x"]},
      {"type": "person", "key": "c", "operator": "icontains", "value": "x"},
      {"type": "person", "key": "d", "operator": "not_icontains", "value": "x"},
      {"type": "person", "key": "e", "operator": "regex", "value": "^x"},
      {"type": "person", "key": "f", "operator": "not_regex", "value": "^x"},
      {"type": "person", "key": "g", "operator": "gt", "value": "5"},
      {"type": "person", "key": "h", "operator": "lte", "value": "5"},
      {"type": "person", "key": "i", "operator": "is_set", "value": "is_set"},
      {"type": "person", "key": "j", "operator": "is_not_set", "value": "is_not_set"},
      {"type": "person", "key": "k", "operator": "is_date_before", "value": "2024-01-01"},
      {"type": "person", "key": "l", "operator": "semver_gte", "value": "1.2.0"}],
      "rollout_percentage": 100}]}})json"),
            0);
  // Mixed targeting: companies by a group property, and persons by email, in one flag.
  ASSERT_GT(Create(R"json({"key": "mixed", "filters": {"groups": [
      {"aggregation_group_type_index": 0, "rollout_percentage": 100,
       "properties": [{"type": "group", "group_type_index": 0, "key": "plan", "value": "pro"}]},
      {"aggregation_group_type_index": null, "rollout_percentage": 100,
       "properties": [{"type": "person", "key": "email", "value": "a@b.c"}]}]}})json"),
            0);
}

TEST_F(FeatureFlagsHandler, CohortsWithBehavioralCriteriaAreRefusedAsPostHogDoes) {
  auto cohort = [&](const string& name, const string& criterion) {
    http::Response created = Call("POST", "/api/projects/1/cohorts/", key_,
                                  R"({"name": ")" + name + R"(", "filters": {"properties": {
                                      "type": "AND", "values": [)" +
                                      criterion + "]}}}");
    EXPECT_EQ(created.status, 201) << created.body;
    return std::to_string(int64_t(ParseJson(created.body)->root["id"]));
  };
  const string active = cohort("Active", R"({"type": "behavioral", "value": "performed_event",
      "key": "$pageview", "event_type": "events", "time_value": 7, "time_interval": "day"})");
  const string nested =
      cohort("Nested", R"({"type": "cohort", "key": "id", "value": )" + active + "}");
  const string pro = cohort("Pro", R"({"type": "person", "key": "plan", "value": "pro"})");
  auto flag = [&](const string& key, const string& cohort_id) {
    return Call("POST", "/api/projects/1/feature_flags/", key_,
                R"({"key": ")" + key + R"(", "filters": {"groups": [{"properties": [
                    {"type": "cohort", "key": "id", "value": )" +
                    cohort_id + R"(}], "rollout_percentage": 100}]}})");
  };
  ExpectValidationError(flag("direct", active), "filters", "behavioral_cohort_found",
                        "Cohort 'Active' with filters on events cannot be used in feature flags.");
  ExpectValidationError(flag("nested", nested), "filters", "behavioral_cohort_found",
                        "Cohort 'Active' with filters on events");
  EXPECT_EQ(flag("by-plan", pro).status, 201);
}

TEST_F(FeatureFlagsHandler, ObjectPayloadsAreStoredAsJsonStrings) {
  int64_t id = Create(R"json({"key": "configured", "filters": {
      "groups": [{"properties": [], "rollout_percentage": 100}],
      "payloads": {"true": {"theme": "dark", "size": 3}}}})json");
  auto stored = meta_->FeatureFlagById(1, id);
  ASSERT_TRUE(stored.ok());
  auto filters = ParseJson(stored->filters_json);
  EXPECT_EQ(string_view(filters->root["payloads"]["true"]), R"({"theme":"dark","size":3})");
  auto served = ParseJson(Call("GET", FlagPath(id), key_).body);
  EXPECT_EQ(string_view(served->root["filters"]["payloads"]["true"]),
            R"({"theme":"dark","size":3})");
}

TEST_F(FeatureFlagsHandler, KeysAreUniqueAmongLiveFlagsAndFreedBySoftDeletion) {
  int64_t beta = Create(R"({"key": "beta"})");
  int64_t other = Create(R"({"key": "other"})");
  ExpectValidationError(Call("POST", "/api/projects/1/feature_flags/", key_, R"({"key": "beta"})"),
                        "key", "unique", "There is already a feature flag with this key.");
  ExpectValidationError(Call("PATCH", FlagPath(other), key_, R"({"key": "beta"})"), "key", "unique",
                        "There is already a feature flag with this key.");
  // Renaming a flag to its own key is fine.
  EXPECT_EQ(Call("PATCH", FlagPath(beta), key_, R"({"key": "beta"})").status, 200);

  // PATCH {"deleted": true} soft-deletes too, as PostHog's UI does it.
  http::Response deleted = Call("PATCH", FlagPath(beta), key_, R"({"deleted": true})");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_TRUE(bool(ParseJson(deleted.body)->root["deleted"]));
  int64_t reborn = Create(R"({"key": "beta"})");
  EXPECT_NE(reborn, beta);
  EXPECT_GT(reborn, other);
  // The deleted flag cannot come back while its key is taken again.
  ExpectValidationError(Call("PATCH", FlagPath(beta), key_, R"({"deleted": false})"), "key",
                        "unique", "");
  EXPECT_TRUE(meta_->FeatureFlagById(1, beta)->deleted);
  EXPECT_EQ(StoredFlagCount(/*include_deleted=*/false), 2u);
}

TEST_F(FeatureFlagsHandler, DependenciesMustExistBeActiveAndAcyclic) {
  int64_t a = Create(R"({"key": "a"})");
  int64_t disabled = Create(R"({"key": "off", "active": false})");
  auto depends_on = [](int64_t id) {
    return R"({"groups": [{"properties": [{"type": "flag", "key": ")" + std::to_string(id) +
           R"(", "operator": "flag_evaluates_to", "value": true}]}]})";
  };
  int64_t b = Create(R"({"key": "b", "filters": )" + depends_on(a) + "}");
  ASSERT_GT(b, 0);

  ExpectValidationError(Call("PATCH", FlagPath(a), key_, R"({"filters": )" + depends_on(b) + "}"),
                        "filters", "", "Circular dependency detected: a → b → a");
  ExpectValidationError(Call("PATCH", FlagPath(a), key_, R"({"filters": )" + depends_on(a) + "}"),
                        "filters", "", "Feature flag 'a' cannot depend on itself");
  ExpectValidationError(
      Call("POST", "/api/projects/1/feature_flags/", key_,
           R"({"key": "c", "filters": )" + depends_on(disabled) + "}"),
      "filters", "",
      "Cannot create dependency on disabled flag 'off' (ID: " + std::to_string(disabled) + ")");

  // a cannot be deleted or disabled while b depends on it.
  const string dependents = "b (ID: " + std::to_string(b) + ")";
  ExpectValidationError(
      Call("DELETE", FlagPath(a), key_), "", "",
      "Cannot delete this feature flag because other flags depend on it: " + dependents);
  ExpectValidationError(Call("PATCH", FlagPath(a), key_, R"({"deleted": true})"), "", "",
                        "other flags depend on it: " + dependents);
  ExpectValidationError(
      Call("PATCH", FlagPath(a), key_, R"({"active": false})"), "", "",
      "Cannot disable this feature flag because other flags depend on it: " + dependents);
  EXPECT_TRUE(meta_->FeatureFlagById(1, a)->active);
  EXPECT_FALSE(meta_->FeatureFlagById(1, a)->deleted);

  // Once b is disabled, a may be disabled; b cannot be enabled again while a is off.
  ASSERT_EQ(Call("PATCH", FlagPath(b), key_, R"({"active": false})").status, 200);
  ASSERT_EQ(Call("PATCH", FlagPath(a), key_, R"({"active": false})").status, 200);
  ExpectValidationError(Call("PATCH", FlagPath(b), key_, R"({"active": true})"), "", "",
                        "Cannot enable this feature flag because it depends on disabled flags: a");
  EXPECT_FALSE(meta_->FeatureFlagById(1, b)->active);
}

TEST_F(FeatureFlagsHandler, PatchWithoutGroupsKeepsTheStoredFilters) {
  int64_t id = Create(R"({"key": "f", "filters": {"groups": [{"rollout_percentage": 42}]}})");
  ASSERT_EQ(Call("PATCH", FlagPath(id), key_, R"({"filters": {"payloads": {}}})").status, 200);
  auto filters = ParseJson(meta_->FeatureFlagById(1, id)->filters_json);
  EXPECT_EQ(int64_t(filters->root["groups"].at(0)["rollout_percentage"]), 42);
  // With groups, the filters are replaced (an empty list is allowed on update).
  ASSERT_EQ(Call("PATCH", FlagPath(id), key_, R"({"filters": {"groups": []}})").status, 200);
  auto replaced = ParseJson(meta_->FeatureFlagById(1, id)->filters_json);
  EXPECT_EQ(simdjson::dom::array(replaced->root["groups"]).size(), 0u);
}

TEST_F(FeatureFlagsHandler, ListsNewestFirstWithFiltersAndPages) {
  const std::vector<std::pair<string, bool>> flags = {{"alpha", true},
                                                      {"beta-Signup", false},
                                                      {"gamma", true},
                                                      {"delta", true},
                                                      {"epsilon", false}};
  for (const auto& [key, active] : flags) {
    Create(R"({"key": ")" + key + R"(", "active": )" + (active ? "true" : "false") + "}");
    clock_.Advance(kSecondUs);
  }
  Create(R"json({"key": "described", "name": "Signup experiment", "filters": {
      "groups": [{"rollout_percentage": 100}],
      "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}]}}})json");
  int64_t gone = Create(R"({"key": "gone"})");
  ASSERT_EQ(Call("DELETE", FlagPath(gone), key_).status, 204);

  auto keys = [&](const string& query) {
    http::Response response = Call("GET", "/api/projects/1/feature_flags/" + query, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    auto doc = ParseJson(response.body);
    std::vector<string> result;
    for (simdjson::dom::element flag : simdjson::dom::array(doc->root["results"])) {
      result.emplace_back(string_view(flag["key"]));
    }
    return result;
  };
  EXPECT_EQ(keys(""), (std::vector<string>{"described", "epsilon", "delta", "gamma", "beta-Signup",
                                           "alpha"}));
  EXPECT_EQ(keys("?active=true"), (std::vector<string>{"described", "delta", "gamma", "alpha"}));
  EXPECT_EQ(keys("?active=false"), (std::vector<string>{"epsilon", "beta-Signup"}));
  EXPECT_EQ(keys("?search=signup"), (std::vector<string>{"described", "beta-Signup"}));
  EXPECT_EQ(keys("?type=multivariant"), (std::vector<string>{"described"}));
  EXPECT_EQ(keys("?type=boolean&active=false"), (std::vector<string>{"epsilon", "beta-Signup"}));
  EXPECT_EQ(keys("?created_by_id=1&search=ALPHA"), (std::vector<string>{"alpha"}));
  EXPECT_TRUE(keys("?created_by_id=2").empty());

  auto first = ParseJson(Call("GET", "/api/projects/1/feature_flags/?limit=4", key_).body);
  EXPECT_EQ(int64_t(first->root["count"]), 6);
  EXPECT_EQ(simdjson::dom::array(first->root["results"]).size(), 4u);
  string next(string_view(first->root["next"]));
  EXPECT_NE(next.find("limit=4&offset=4"), string::npos) << next;
  EXPECT_TRUE(first->root["previous"].is_null());
  auto second =
      ParseJson(Call("GET", "/api/projects/1/feature_flags/?limit=4&offset=4", key_).body);
  EXPECT_EQ(int64_t(second->root["count"]), 6);
  EXPECT_EQ(simdjson::dom::array(second->root["results"]).size(), 2u);
  EXPECT_EQ(string_view(second->root["results"].at(1)["key"]), "alpha");
  EXPECT_TRUE(second->root["next"].is_null());
  EXPECT_NE(string(string_view(second->root["previous"])).find("offset=0"), string::npos);
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/?limit=0", key_).status, 400);
}

TEST_F(FeatureFlagsHandler, OtherOrganizationsAndProjectsSeeNotFound) {
  int64_t id = Create(R"({"key": "private"})");
  string other_key = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/", other_key).status, 404);
  EXPECT_EQ(Call("POST", "/api/projects/1/feature_flags/", other_key, R"({"key":"x"})").status,
            404);
  EXPECT_EQ(Call("GET", FlagPath(id), other_key).status, 404);
  EXPECT_EQ(Call("PATCH", FlagPath(id), other_key, R"({"active": false})").status, 404);
  EXPECT_EQ(Call("DELETE", FlagPath(id), other_key).status, 404);
  EXPECT_TRUE(meta_->FeatureFlagById(1, id)->active);
  EXPECT_FALSE(meta_->FeatureFlagById(1, id)->deleted);
  EXPECT_EQ(StoredFlagCount(), 1u);

  // Another project of the same organization has its own flags.
  auto second = meta_->CreateProject(project_.organization_id, "Second");
  ASSERT_TRUE(second.ok());
  string second_path = "/api/projects/" + std::to_string(second->id) + "/feature_flags/";
  EXPECT_EQ(Call("GET", second_path + std::to_string(id) + "/", key_).status, 404);
  auto list = ParseJson(Call("GET", second_path, key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 0);
  // The same key may exist in both projects.
  EXPECT_EQ(Call("POST", second_path, key_, R"({"key": "private"})").status, 201);
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/not-a-number/", key_).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/99999/", key_).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/@current/feature_flags/" + std::to_string(id), key_).status,
            200);
}

TEST_F(FeatureFlagsHandler, RemoteConfigServesTheTruePayload) {
  Create(R"json({"key": "config", "filters": {"groups": [{"rollout_percentage": 100}],
      "payloads": {"true": "{\"color\": \"blue\"}"}}})json");
  int64_t bare = Create(R"({"key": "bare"})");
  const string token = "?token=" + project_.api_token;

  http::Response response =
      Call("GET", "/api/projects/@current/feature_flags/config/remote_config/" + token, key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(string_view(doc->root), R"({"color": "blue"})");

  // The project's secret key works instead of a personal API key.
  http::Response with_secret =
      Call("GET", "/api/projects/@current/feature_flags/config/remote_config" + token,
           project_.secret_api_token);
  EXPECT_EQ(with_secret.status, 200) << with_secret.body;
  EXPECT_EQ(with_secret.body, response.body);

  // A flag without a payload answers an empty body; by id too.
  http::Response empty =
      Call("GET", "/api/projects/1/feature_flags/" + std::to_string(bare) + "/remote_config", key_);
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body.empty()) << empty.body;

  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/missing/remote_config" + token, key_).status,
            404);
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/config/remote_config?token=phc_other", key_)
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/config/remote_config" + token,
                 "phs_notarealsecret")
                .status,
            401);
}

}  // namespace
}  // namespace hoglet::api::testing
