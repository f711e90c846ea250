#include "flags/feature_flag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hoglet::flags {
namespace {

using ::testing::HasSubstr;

// The status message of a parse that must fail.
std::string ErrorOf(std::string_view json) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(json);
  EXPECT_FALSE(filters.ok()) << json;
  if (filters.ok()) return "";
  EXPECT_EQ(filters.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(filters.status().reason(), "invalid_input");
  return filters.status().message();
}

TEST(FeatureFlagFilters, ParsesEveryPart) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(R"({
    "aggregation_group_type_index": null,
    "groups": [
      {"properties": [{"key": "email", "value": "@acme.com", "operator": "icontains",
                       "type": "person"}],
       "rollout_percentage": 12.5, "variant": "test"},
      {"properties": [], "rollout_percentage": null, "aggregation_group_type_index": 2}
    ],
    "multivariate": {"variants": [{"key": "control", "name": "Control", "rollout_percentage": 50},
                                  {"key": "test", "rollout_percentage": 50}]},
    "payloads": {"control": "{\"a\":1}", "test": {"b": [1, 2]}},
    "super_groups": [{"properties": [{"key": "$feature_enrollment/x", "value": ["true"]}],
                      "rollout_percentage": 100}],
    "feature_enrollment": true,
    "holdout": {"id": 7, "exclusion_percentage": 10},
    "early_exit": true
  })");
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  EXPECT_FALSE(filters->aggregation_group_type_index.has_value());
  ASSERT_EQ(filters->groups.size(), 2u);
  const Condition& first = filters->groups[0];
  ASSERT_EQ(first.properties.size(), 1u);
  EXPECT_EQ(first.properties[0].key, "email");
  EXPECT_EQ(first.properties[0].op, filters::Operator::kIContains);
  EXPECT_EQ(first.rollout_percentage, 12.5);
  EXPECT_EQ(first.variant, "test");
  EXPECT_FALSE(first.aggregation_group_type_index.has_value());
  const Condition& second = filters->groups[1];
  EXPECT_TRUE(second.properties.empty());
  EXPECT_FALSE(second.rollout_percentage.has_value());
  EXPECT_EQ(second.aggregation_group_type_index, 2);

  ASSERT_EQ(filters->variants.size(), 2u);
  EXPECT_EQ(filters->variants[0].key, "control");
  EXPECT_EQ(filters->variants[0].name, "Control");
  EXPECT_EQ(filters->variants[1].rollout_percentage, 50);

  ASSERT_EQ(filters->super_groups.size(), 1u);
  EXPECT_EQ(filters->super_groups[0].properties[0].key, "$feature_enrollment/x");
  EXPECT_TRUE(filters->feature_enrollment);
  ASSERT_TRUE(filters->holdout.has_value());
  EXPECT_EQ(filters->holdout->id, 7);
  EXPECT_EQ(filters->holdout->exclusion_percentage, 10);
  EXPECT_TRUE(filters->early_exit);
}

TEST(FeatureFlagFilters, PayloadsKeepTheStoredJsonText) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(R"({
    "groups": [],
    "multivariate": {"variants": [{"key": "a", "rollout_percentage": 100}]},
    "payloads": {"true": "{\"a\":1}", "a": { "x" : [1, "two"] }}
  })");
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  // A stored JSON string stays a JSON string literal; an object is its compact text.
  EXPECT_EQ(filters->payloads.at("true"), R"("{\"a\":1}")");
  EXPECT_EQ(filters->payloads.at("a"), R"({"x":[1,"two"]})");

  StatusOr<FlagFilters> null_payload = ParseFlagFilters(R"({"payloads": {"true": null}})");
  ASSERT_TRUE(null_payload.ok()) << null_payload.status().ToString();
  EXPECT_TRUE(null_payload->payloads.empty());
}

TEST(FeatureFlagFilters, ToleratesUnknownFieldsAndNulls) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(R"({
    "groups": [{"properties": null, "description": "beta users", "sort_key": "x"}],
    "multivariate": null, "payloads": null, "holdout": null, "super_groups": null,
    "feature_enrollment": null, "early_exit": null, "new_thing": {"nested": [1]}
  })");
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  ASSERT_EQ(filters->groups.size(), 1u);
  EXPECT_TRUE(filters->groups[0].properties.empty());
  EXPECT_TRUE(filters->variants.empty());
  EXPECT_TRUE(filters->payloads.empty());
  EXPECT_FALSE(filters->holdout.has_value());
  EXPECT_FALSE(filters->feature_enrollment);
}

TEST(FeatureFlagFilters, EmptyObjectIsAFlagWithoutConditions) {
  StatusOr<FlagFilters> filters = ParseFlagFilters("{}");
  ASSERT_TRUE(filters.ok());
  EXPECT_TRUE(filters->groups.empty());
  EXPECT_TRUE(filters->variants.empty());
}

TEST(FeatureFlagFilters, ParsesLegacyHoldoutGroups) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(R"({
    "groups": [{"rollout_percentage": 100}],
    "holdout_groups": [{"properties": [], "rollout_percentage": 10, "variant": "holdout-1"}],
    "payloads": {"holdout-1": "\"held\""}
  })");
  ASSERT_TRUE(filters.ok()) << filters.status().ToString();
  ASSERT_EQ(filters->holdout_groups.size(), 1u);
  EXPECT_EQ(filters->holdout_groups[0].variant, "holdout-1");
  EXPECT_EQ(filters->payloads.at("holdout-1"), R"("\"held\"")");
}

TEST(FeatureFlagFilters, RejectsRolloutOutOfRangeNamingTheField) {
  EXPECT_EQ(ErrorOf(R"({"groups":[{"rollout_percentage":50},{"rollout_percentage":101}]})"),
            "groups[1].rollout_percentage must be a number between 0 and 100");
  EXPECT_EQ(ErrorOf(R"({"groups":[{"rollout_percentage":-1}]})"),
            "groups[0].rollout_percentage must be a number between 0 and 100");
  EXPECT_EQ(ErrorOf(R"({"groups":[{"rollout_percentage":"50"}]})"),
            "groups[0].rollout_percentage must be a number between 0 and 100");
}

TEST(FeatureFlagFilters, RejectsBadVariants) {
  EXPECT_EQ(ErrorOf(R"({"multivariate":{"variants":[{"key":"a","rollout_percentage":50},
                                                   {"key":"b","rollout_percentage":40}]}})"),
            "multivariate.variants rollout percentages must sum to 100");
  EXPECT_THAT(ErrorOf(R"({"multivariate":{"variants":[{"key":"a","rollout_percentage":50},
                                                    {"key":"a","rollout_percentage":50}]}})"),
              HasSubstr("multivariate.variants[1].key"));
  EXPECT_THAT(ErrorOf(R"({"multivariate":{"variants":[{"key":"","rollout_percentage":100}]}})"),
              HasSubstr("multivariate.variants[0].key must be a non-empty string"));
  EXPECT_THAT(ErrorOf(R"({"multivariate":{"variants":[{"key":"a"}]}})"),
              HasSubstr("multivariate.variants[0].rollout_percentage"));
  EXPECT_THAT(ErrorOf(R"({"multivariate":[1]})"), HasSubstr("multivariate"));
}

TEST(FeatureFlagFilters, AcceptsFractionalVariantPercentagesSummingTo100) {
  StatusOr<FlagFilters> filters = ParseFlagFilters(R"({"multivariate":{"variants":[
      {"key":"a","rollout_percentage":33.33},{"key":"b","rollout_percentage":33.33},
      {"key":"c","rollout_percentage":33.34}]}})");
  EXPECT_TRUE(filters.ok()) << filters.status().ToString();
}

TEST(FeatureFlagFilters, RejectsVariantOverrideThatDoesNotExist) {
  EXPECT_THAT(ErrorOf(R"({"groups":[{"variant":"missing"}],
                          "multivariate":{"variants":[{"key":"a","rollout_percentage":100}]}})"),
              HasSubstr("groups[0].variant"));
  EXPECT_THAT(ErrorOf(R"({"groups":[{"variant":"a"}]})"), HasSubstr("groups[0].variant"));
}

TEST(FeatureFlagFilters, RejectsGroupTypeIndexOutsideZeroToFour) {
  EXPECT_EQ(ErrorOf(R"({"aggregation_group_type_index":5})"),
            "aggregation_group_type_index must be null or an integer from 0 to 4");
  EXPECT_EQ(ErrorOf(R"({"groups":[{"aggregation_group_type_index":"0"}]})"),
            "groups[0].aggregation_group_type_index must be null or an integer from 0 to 4");
}

TEST(FeatureFlagFilters, RejectsPayloadKeysThatNameNothing) {
  EXPECT_THAT(ErrorOf(R"({"payloads":{"control":"1"}})"), HasSubstr("payloads[\"control\"]"));
  EXPECT_THAT(ErrorOf(R"({"payloads":"x"})"), HasSubstr("payloads must be an object"));
}

TEST(FeatureFlagFilters, NamesTheBadPropertyFilter) {
  std::string message =
      ErrorOf(R"({"groups":[{"properties":[]},{"properties":[{"key":"a"},{"value":1}]}]})");
  EXPECT_THAT(message, HasSubstr("groups[1].properties[1]"));
  EXPECT_THAT(message, HasSubstr("key"));
  EXPECT_THAT(ErrorOf(R"({"groups":[{"properties":{"key":"a"}}]})"),
              HasSubstr("groups[0].properties must be a list"));
  EXPECT_THAT(ErrorOf(R"({"super_groups":[{"properties":[7]}]})"),
              HasSubstr("super_groups[0].properties[0]"));
}

TEST(FeatureFlagFilters, RejectsWrongShapes) {
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("filters must be a JSON object"));
  EXPECT_THAT(ErrorOf("{"), HasSubstr("not valid JSON"));
  EXPECT_EQ(ErrorOf(R"({"groups":{}})"), "groups must be a list");
  EXPECT_EQ(ErrorOf(R"({"groups":[1]})"), "groups[0] must be an object");
  EXPECT_EQ(ErrorOf(R"({"groups":[{"variant":3}]})"),
            "groups[0].variant must be null or a variant key");
  EXPECT_EQ(ErrorOf(R"({"holdout":{"id":"7","exclusion_percentage":10}})"),
            "holdout.id must be an integer");
  EXPECT_EQ(ErrorOf(R"({"holdout":{"id":7,"exclusion_percentage":200}})"),
            "holdout.exclusion_percentage must be a number between 0 and 100");
  EXPECT_EQ(ErrorOf(R"({"early_exit":"yes"})"), "early_exit must be a boolean");
  EXPECT_EQ(ErrorOf(R"({"feature_enrollment":1})"), "feature_enrollment must be a boolean");
}

TEST(EvaluationRuntime, ParsesNamesInAnyCase) {
  EXPECT_EQ(ParseEvaluationRuntime("all"), EvaluationRuntime::kAll);
  EXPECT_EQ(ParseEvaluationRuntime("CLIENT"), EvaluationRuntime::kClient);
  EXPECT_EQ(ParseEvaluationRuntime("Server"), EvaluationRuntime::kServer);
  EXPECT_EQ(ParseEvaluationRuntime("browser"), std::nullopt);
  EXPECT_EQ(ParseEvaluationRuntime(""), std::nullopt);
  for (EvaluationRuntime runtime :
       {EvaluationRuntime::kAll, EvaluationRuntime::kClient, EvaluationRuntime::kServer}) {
    EXPECT_EQ(ParseEvaluationRuntime(EvaluationRuntimeName(runtime)), runtime);
  }
}

}  // namespace
}  // namespace hoglet::flags
