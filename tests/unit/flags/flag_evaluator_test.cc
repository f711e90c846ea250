#include "flags/flag_evaluator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flag_test_support.h"
#include "flags/flag_hash.h"

namespace hoglet::flags {
namespace {

using ::testing::ElementsAre;
using testing::EvaluateOne;
using testing::MakeCohort;
using testing::MakeFlag;
using testing::MakeSnapshot;
using testing::RequestFor;
using testing::ResultFor;
using testing::RolloutFlag;
using ::testing::UnorderedElementsAre;

// posthog-python's TestConsistency vectors (capture-and-flags §3.8): digit i is the value for
// distinct_id_i, ten rows of one hundred.
constexpr const char* kSimpleFlagVector[] = {
    "0110100101011010001101001011000111100000011011000110000101010110101011001001010010001101101111"
    "101100",
    "1111001011100000100111001010010000000011001001100101011100010000110110101101011101001101011001"
    "111011",
    "0010100110101000000010110010100010100010010110000100000000000001101011010100011110000011100110"
    "000010",
    "1111011100101001110100011010101111100101011101011011111000001010011000101111000011001101111011"
    "100110",
    "0100100000000001100100101001000000100000000011100010100010000000100000000101011100011101011000"
    "100001",
    "0101101000100110100000011001001110001000010100010110101010010010101010011110100000100100110000"
    "111001",
    "0011110001000100111100110101001101111001001101010010000111010010010000101011001011100001101000"
    "100001",
    "1100011110110111010010111101010100110010100001010001110001011000001010011011110010010101100010"
    "110001",
    "0101101001000111000001001111100000000111001101101010001001001111001011001001101001110000010100"
    "000110",
    "1110000111101101010100001111001011000000101011001111001011001110100110001001000111101010101001"
    "001011",
};

constexpr const char* kMultivariateFlagVector[] = {
    "2210021000130121004103000111111303210300120112010011121022321012401110120300000015021203300003"
    "001103",
    "3032300210010000111000110110000000001111211120212102201000310010000100000001131100100520201315"
    "300400",
    "0030030122201311000001112000200101001111313112330210210100151000011202330130010310311012210002"
    "001103",
    "0103032100131250010003021000030030013001004432135015011100025211200302503100400200141200013301"
    "110101",
    "3300100221110510002314130110311304511000111011210121012011010101000331002311000210130100013300"
    "003441",
    "2010213030113000421001401310030101132401000021201011011231110003011131121541204000400300013321"
    "210100",
    "0001102001021113200530010001233001031000041000300210023110110023230010010200001030100232411101"
    "020000",
    "0100000102000020103001303002012100000200130100000120001150001030020000042120202010110201050110"
    "001013",
    "0011005003031133010000010000212105100411004102331100011103330011020020312511015000311241210002"
    "300100",
    "0000110301033110202100020301511001000141115000200011001121111131020032301321300110001321110323"
    "003101",
};

std::vector<std::string> ReturnedKeys(const std::vector<FlagResult>& results) {
  std::vector<std::string> keys;
  for (const FlagResult& result : results) keys.push_back(result.flag->key);
  return keys;
}

filters::PropertyValue Str(std::string text) {
  return filters::PropertyValue::String(std::move(text));
}

TEST(FlagEvaluator, SimpleFlagMatchesTheConsistencyVector) {
  auto snapshot = MakeSnapshot({RolloutFlag(1, "simple-flag", 45)});
  int enabled = 0;
  for (int i = 0; i < 1000; ++i) {
    bool expected = kSimpleFlagVector[i / 100][i % 100] == '1';
    FlagResult result =
        EvaluateOne(*snapshot, RequestFor("distinct_id_" + std::to_string(i)), "simple-flag");
    ASSERT_EQ(result.enabled, expected) << "distinct_id_" << i;
    EXPECT_EQ(result.variant, std::nullopt);
    EXPECT_EQ(result.reason, expected ? Reason::kConditionMatch : Reason::kOutOfRolloutBound);
    EXPECT_EQ(result.condition_index, 0);
    enabled += result.enabled;
  }
  EXPECT_EQ(enabled, 446);
}

TEST(FlagEvaluator, MultivariateFlagMatchesTheConsistencyVector) {
  auto snapshot = MakeSnapshot({MakeFlag(1, "multivariate-flag", R"({
      "groups": [{"properties": [], "rollout_percentage": 55}],
      "multivariate": {"variants": [
          {"key": "first-variant", "name": "First Variant", "rollout_percentage": 50},
          {"key": "second-variant", "name": "Second Variant", "rollout_percentage": 20},
          {"key": "third-variant", "name": "Third Variant", "rollout_percentage": 20},
          {"key": "fourth-variant", "name": "Fourth Variant", "rollout_percentage": 5},
          {"key": "fifth-variant", "name": "Fifth Variant", "rollout_percentage": 5}]}})")});
  const char* const kVariants[] = {nullptr,         "first-variant",  "second-variant",
                                   "third-variant", "fourth-variant", "fifth-variant"};
  int counts[6] = {};
  for (int i = 0; i < 1000; ++i) {
    int digit = kMultivariateFlagVector[i / 100][i % 100] - '0';
    FlagResult result =
        EvaluateOne(*snapshot, RequestFor("distinct_id_" + std::to_string(i)), "multivariate-flag");
    ASSERT_EQ(result.enabled, digit != 0) << "distinct_id_" << i;
    if (digit == 0) {
      EXPECT_EQ(result.variant, std::nullopt);
    } else {
      ASSERT_TRUE(result.variant.has_value()) << "distinct_id_" << i;
      EXPECT_EQ(*result.variant, kVariants[digit]) << "distinct_id_" << i;
    }
    ++counts[digit];
  }
  EXPECT_THAT(counts, ElementsAre(444, 290, 110, 111, 24, 21));
}

// posthog-go's test-variant-override-clashing fixture: conditions run in array order, so the
// first matching override wins even though a later condition names another variant.
TEST(FlagEvaluator, VariantOverrideOfTheFirstMatchingConditionWins) {
  auto snapshot = MakeSnapshot({MakeFlag(1, "beta-feature", R"({
      "groups": [
        {"properties": [{"key": "email", "type": "person", "value": "test@posthog.com",
                         "operator": "exact"}], "rollout_percentage": 100,
         "variant": "second-variant"},
        {"properties": [{"key": "email", "type": "person", "value": "test@posthog.com",
                         "operator": "exact"}], "rollout_percentage": 100,
         "variant": "first-variant"},
        {"rollout_percentage": 50, "variant": "first-variant"}],
      "multivariate": {"variants": [{"key": "first-variant", "rollout_percentage": 50},
                                    {"key": "second-variant", "rollout_percentage": 25},
                                    {"key": "third-variant", "rollout_percentage": 25}]},
      "payloads": {"first-variant": "{\"test\": 1}", "second-variant": "{\"test\": 2}"}})")});
  EvaluationRequest request = RequestFor("test_id");
  request.person_properties["email"] = Str("test@posthog.com");
  FlagResult result = EvaluateOne(*snapshot, request, "beta-feature");
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.variant, "second-variant");
  EXPECT_EQ(result.condition_index, 0);
  EXPECT_EQ(result.payload, R"("{\"test\": 2}")");

  // Without the email only the rollout condition can match, and it overrides to first-variant.
  FlagResult other = EvaluateOne(*snapshot, RequestFor("distinct_id_1"), "beta-feature");
  if (other.enabled) {
    EXPECT_EQ(other.variant, "first-variant");
    EXPECT_EQ(other.condition_index, 2);
    EXPECT_EQ(other.payload, R"("{\"test\": 1}")");
  } else {
    EXPECT_EQ(other.reason, Reason::kOutOfRolloutBound);
    EXPECT_EQ(other.condition_index, 2);
  }
}

TEST(FlagEvaluator, OverrideNamingNoVariantFallsBackToTheHashedVariant) {
  FeatureFlag flag = MakeFlag(1, "beta-feature", R"({"groups": [{"rollout_percentage": 100}],
      "multivariate": {"variants": [{"key": "a", "rollout_percentage": 50},
                                    {"key": "b", "rollout_percentage": 50}]}})");
  flag.filters.groups[0].variant = "gone";  // e.g. stored before the variant was removed
  auto snapshot = MakeSnapshot({flag});
  // beta-feature.user-123variant hashes to 0.5366: the second half, "b".
  FlagResult result = EvaluateOne(*snapshot, RequestFor("user-123"), "beta-feature");
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.variant, "b");
}

TEST(FlagEvaluator, ReportsEachReasonWithPostHogsDescription) {
  FeatureFlag inactive = RolloutFlag(1, "inactive", 100);
  inactive.active = false;
  auto snapshot = MakeSnapshot(
      {inactive,
       MakeFlag(2, "second-condition",
                R"({"groups":[{"rollout_percentage":0},{"rollout_percentage":100}]})"),
       MakeFlag(3, "no-match", R"({"groups":[{"properties":[{"key":"plan","value":"pro"}]}]})"),
       RolloutFlag(4, "beta-feature", 50),
       MakeFlag(5, "group", R"({"aggregation_group_type_index":0,"groups":[{}]})"),
       MakeFlag(6, "enrollment", R"({"feature_enrollment":true,"groups":[]})"),
       MakeFlag(7, "checkout", R"({"groups":[{}],"holdout":{"id":7,"exclusion_percentage":10}})"),
       MakeFlag(8, "broken", R"({"groups":[{"properties":[
           {"key":"nope","type":"flag","value":true,"operator":"flag_evaluates_to"}]}]})"),
       MakeFlag(9, "skipped", R"({"groups":[{"aggregation_group_type_index":0},
           {"properties":[{"key":"plan","value":"pro"}]}]})"),
       MakeFlag(10, "empty", R"({"groups":[]})")},
      {}, {{"company", 0}});
  EvaluationRequest request = RequestFor("user-123");
  request.person_properties["$feature_enrollment/enrollment"] = filters::PropertyValue::Bool(true);
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, request);
  ASSERT_EQ(results.size(), 10u);

  struct Expected {
    std::string_view key;
    bool enabled;
    Reason reason;
    std::string_view code;
    std::optional<int> index;
    std::string_view description;
  };
  const Expected kExpected[] = {
      {"inactive", false, Reason::kFlagDisabled, "flag_disabled", std::nullopt,
       "Feature flag is disabled"},
      {"second-condition", true, Reason::kConditionMatch, "condition_match", 1,
       "Matched condition set 2"},
      {"no-match", false, Reason::kNoConditionMatch, "no_condition_match", 0,
       "No matching condition set"},
      {"beta-feature", false, Reason::kOutOfRolloutBound, "out_of_rollout_bound", 0,
       "Out of rollout bound"},
      {"group", false, Reason::kNoGroupType, "no_group_type", 0, "No group type"},
      {"enrollment", true, Reason::kSuperConditionValue, "super_condition_value", 0,
       "Super condition value"},
      {"checkout", true, Reason::kHoldoutConditionValue, "holdout_condition_value", std::nullopt,
       "Holdout condition value"},
      {"broken", false, Reason::kMissingDependency, "missing_dependency", std::nullopt,
       "Flag cannot be evaluated due to missing dependency"},
      {"skipped", false, Reason::kNoConditionMatch, "no_condition_match", 1,
       "No matching condition set (group conditions were not evaluated because no group type "
       "was provided)"},
      {"empty", false, Reason::kNoConditionMatch, "no_condition_match", std::nullopt,
       "No matching condition set"},
  };
  for (const Expected& expected : kExpected) {
    const FlagResult* result = ResultFor(results, expected.key);
    ASSERT_NE(result, nullptr) << expected.key;
    EXPECT_EQ(result->enabled, expected.enabled) << expected.key;
    EXPECT_EQ(result->reason, expected.reason) << expected.key;
    EXPECT_EQ(ReasonCode(result->reason), expected.code) << expected.key;
    EXPECT_EQ(result->condition_index, expected.index) << expected.key;
    EXPECT_EQ(result->Description(), expected.description) << expected.key;
    EXPECT_FALSE(result->failed) << expected.key;
  }
}

TEST(FlagEvaluator, BestNonMatchingReasonWinsAndTiesGoToTheLaterCondition) {
  auto snapshot = MakeSnapshot(
      {
          // out_of_rollout_bound (condition 0) outranks no_condition_match (condition 1).
          MakeFlag(1, "rollout-first", R"({"groups":[{"rollout_percentage":0},
          {"properties":[{"key":"plan","value":"pro"}]}]})"),
          // Two non-matching conditions of the same rank: the later index.
          MakeFlag(2, "tie", R"({"groups":[{"properties":[{"key":"plan","value":"pro"}]},
          {"properties":[{"key":"plan","value":"max"}]}]})"),
          // A skipped group condition ranks below a person condition that ran.
          MakeFlag(3, "group-last", R"({"groups":[{"rollout_percentage":0},
          {"aggregation_group_type_index":0}]})"),
      },
      {}, {{"company", 0}});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-123"));
  const FlagResult* rollout_first = ResultFor(results, "rollout-first");
  EXPECT_EQ(rollout_first->reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(rollout_first->condition_index, 0);
  const FlagResult* tie = ResultFor(results, "tie");
  EXPECT_EQ(tie->reason, Reason::kNoConditionMatch);
  EXPECT_EQ(tie->condition_index, 1);
  EXPECT_FALSE(tie->group_conditions_skipped);
  const FlagResult* group_last = ResultFor(results, "group-last");
  EXPECT_EQ(group_last->reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(group_last->condition_index, 0);
  EXPECT_FALSE(group_last->group_conditions_skipped);
}

TEST(FlagEvaluator, EarlyExitStopsAtTheFirstRolloutMiss) {
  auto snapshot =
      MakeSnapshot({MakeFlag(1, "exit", R"({"early_exit":true,
           "groups":[{"rollout_percentage":0},{"rollout_percentage":100}]})"),
                    MakeFlag(2, "no-exit",
                             R"({"groups":[{"rollout_percentage":0},{"rollout_percentage":100}]})"),
                    MakeFlag(3, "exit-after-property-miss", R"({"early_exit":true,
           "groups":[{"properties":[{"key":"plan","value":"pro"}]},
                     {"rollout_percentage":100}]})")});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-123"));
  const FlagResult* exit = ResultFor(results, "exit");
  EXPECT_FALSE(exit->enabled);
  EXPECT_EQ(exit->reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(exit->condition_index, 0);
  EXPECT_TRUE(ResultFor(results, "no-exit")->enabled);
  EXPECT_TRUE(ResultFor(results, "exit-after-property-miss")->enabled);
}

TEST(FlagEvaluator, RolloutIsInclusiveAndFractional) {
  // beta-feature.user-123 hashes to 0.6535168611430965.
  auto snapshot = MakeSnapshot({RolloutFlag(1, "beta-feature", 65.35), RolloutFlag(2, "other", 0)});
  EXPECT_FALSE(EvaluateOne(*snapshot, RequestFor("user-123"), "beta-feature").enabled);
  auto above = MakeSnapshot({RolloutFlag(1, "beta-feature", 65.36)});
  EXPECT_TRUE(EvaluateOne(*above, RequestFor("user-123"), "beta-feature").enabled);
  // An empty bucketing id hashes to 0, which even a 0% rollout includes (PostHog's quirk).
  EXPECT_TRUE(EvaluateOne(*snapshot, RequestFor(""), "other").enabled);
}

TEST(FlagEvaluator, GroupFlagsBucketByTheGroupKey) {
  // group-flag hashes: acme 0.063, globex 0.308, user-1 0.445.
  auto snapshot =
      MakeSnapshot({MakeFlag(1, "group-flag", R"({"aggregation_group_type_index":0,
           "groups":[{"properties":[],"rollout_percentage":20}]})"),
                    MakeFlag(2, "unmapped", R"({"aggregation_group_type_index":3,"groups":[{}]})")},
                   {}, {{"company", 0}, {"project", 1}});
  EvaluationRequest request = RequestFor("user-1");
  request.groups["company"] = "acme";
  FlagResult acme = EvaluateOne(*snapshot, request, "group-flag");
  EXPECT_TRUE(acme.enabled);
  EXPECT_EQ(acme.reason, Reason::kConditionMatch);

  request.groups["company"] = "globex";
  FlagResult globex = EvaluateOne(*snapshot, request, "group-flag");
  EXPECT_FALSE(globex.enabled);
  EXPECT_EQ(globex.reason, Reason::kOutOfRolloutBound);

  request.groups.clear();
  request.groups["project"] = "acme";
  FlagResult missing = EvaluateOne(*snapshot, request, "group-flag");
  EXPECT_FALSE(missing.enabled);
  EXPECT_EQ(missing.reason, Reason::kNoGroupType);

  request.groups["company"] = "";  // an empty key is no key
  EXPECT_EQ(EvaluateOne(*snapshot, request, "group-flag").reason, Reason::kNoGroupType);
  EXPECT_EQ(EvaluateOne(*snapshot, request, "unmapped").reason, Reason::kNoGroupType);
}

TEST(FlagEvaluator, GroupFlagsMatchGroupProperties) {
  auto snapshot = MakeSnapshot(
      {MakeFlag(1, "enterprise", R"({"aggregation_group_type_index":1,"groups":[{"properties":[
           {"key":"plan","value":"enterprise","type":"group","group_type_index":1}]}]})")},
      {}, {{"company", 0}, {"project", 1}});
  EvaluationRequest request = RequestFor("user-1");
  request.groups["project"] = "p1";
  request.group_properties["company"]["plan"] = Str("enterprise");  // another group type
  request.person_properties["plan"] = Str("enterprise");
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "enterprise").enabled);
  request.group_properties["project"]["plan"] = Str("enterprise");
  FlagResult result = EvaluateOne(*snapshot, request, "enterprise");
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.reason, Reason::kConditionMatch);
}

TEST(FlagEvaluator, MixedTargetingEvaluatesEachConditionWithItsOwnAggregation) {
  // Condition 0: companies, 30% (globex 0.208 in, acme 0.990 out).
  // Condition 1: persons, 50% (user-2 0.456 in, user-1 0.748 out).
  auto snapshot = MakeSnapshot({MakeFlag(1, "mixed", R"({"groups":[
           {"aggregation_group_type_index":0,"rollout_percentage":30},
           {"rollout_percentage":50}]})")},
                               {}, {{"company", 0}});
  EvaluationRequest request = RequestFor("user-1");
  request.groups["company"] = "globex";
  FlagResult by_group = EvaluateOne(*snapshot, request, "mixed");
  EXPECT_TRUE(by_group.enabled);
  EXPECT_EQ(by_group.condition_index, 0);

  request.groups["company"] = "acme";
  FlagResult neither = EvaluateOne(*snapshot, request, "mixed");
  EXPECT_FALSE(neither.enabled);
  EXPECT_EQ(neither.reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(neither.condition_index, 1);

  request.groups.clear();
  FlagResult person_miss = EvaluateOne(*snapshot, request, "mixed");
  EXPECT_EQ(person_miss.reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(person_miss.condition_index, 1);

  request.distinct_id = "user-2";
  FlagResult by_person = EvaluateOne(*snapshot, request, "mixed");
  EXPECT_TRUE(by_person.enabled);
  EXPECT_EQ(by_person.condition_index, 1);
}

TEST(FlagEvaluator, NewHoldoutHoldsOutBelowTheExclusionPercentage) {
  // holdout-user-123 hashes to 0.0957.
  auto held = MakeSnapshot({MakeFlag(1, "checkout", R"({"groups":[{"rollout_percentage":100}],
      "multivariate":{"variants":[{"key":"control","rollout_percentage":50},
                                  {"key":"test","rollout_percentage":50}]},
      "holdout":{"id":7,"exclusion_percentage":10},
      "payloads":{"holdout-7":"\"held\"","test":"\"t\"","control":"\"c\""}})")});
  FlagResult result = EvaluateOne(*held, RequestFor("user-123"), "checkout");
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.variant, "holdout-7");
  EXPECT_EQ(result.reason, Reason::kHoldoutConditionValue);
  EXPECT_EQ(result.condition_index, std::nullopt);
  EXPECT_EQ(result.payload, R"("\"held\"")");

  auto not_held = MakeSnapshot({MakeFlag(1, "checkout", R"({"groups":[{"rollout_percentage":100}],
      "multivariate":{"variants":[{"key":"control","rollout_percentage":50},
                                  {"key":"test","rollout_percentage":50}]},
      "holdout":{"id":7,"exclusion_percentage":9}})")});
  FlagResult through = EvaluateOne(*not_held, RequestFor("user-123"), "checkout");
  EXPECT_TRUE(through.enabled);
  EXPECT_EQ(through.reason, Reason::kConditionMatch);
  // checkout.user-123variant hashes to 0.833: "test".
  EXPECT_EQ(through.variant, "test");
}

TEST(FlagEvaluator, LegacyHoldoutGroupsUseTheirRolloutAndVariant) {
  auto held = MakeSnapshot({MakeFlag(1, "checkout", R"({"groups":[{"rollout_percentage":100}],
      "holdout_groups":[{"properties":[],"rollout_percentage":10,"variant":"holdout-1"}]})")});
  FlagResult result = EvaluateOne(*held, RequestFor("user-123"), "checkout");
  EXPECT_TRUE(result.enabled);
  EXPECT_EQ(result.variant, "holdout-1");
  EXPECT_EQ(result.reason, Reason::kHoldoutConditionValue);

  auto not_held = MakeSnapshot({MakeFlag(1, "checkout", R"({"groups":[{"rollout_percentage":100}],
      "holdout_groups":[{"properties":[],"rollout_percentage":9,"variant":"holdout-1"}]})")});
  FlagResult through = EvaluateOne(*not_held, RequestFor("user-123"), "checkout");
  EXPECT_EQ(through.reason, Reason::kConditionMatch);
  EXPECT_EQ(through.variant, std::nullopt);
}

TEST(FlagEvaluator, FeatureEnrollmentDecidesWhenThePersonHasTheProperty) {
  auto snapshot = MakeSnapshot({MakeFlag(1, "early", R"({"feature_enrollment":true,
      "groups":[{"rollout_percentage":0}],"payloads":{"true":"\"on\""}})")});
  EvaluationRequest request = RequestFor("user-1");
  FlagResult absent = EvaluateOne(*snapshot, request, "early");
  EXPECT_FALSE(absent.enabled);
  EXPECT_EQ(absent.reason, Reason::kOutOfRolloutBound);

  request.person_properties["$feature_enrollment/early"] = Str("true");
  FlagResult enrolled = EvaluateOne(*snapshot, request, "early");
  EXPECT_TRUE(enrolled.enabled);
  EXPECT_EQ(enrolled.reason, Reason::kSuperConditionValue);
  EXPECT_EQ(enrolled.condition_index, 0);
  EXPECT_EQ(enrolled.variant, std::nullopt);
  EXPECT_EQ(enrolled.payload, R"("\"on\"")");

  request.person_properties["$feature_enrollment/early"] = filters::PropertyValue::Bool(false);
  FlagResult opted_out = EvaluateOne(*snapshot, request, "early");
  EXPECT_FALSE(opted_out.enabled);
  EXPECT_EQ(opted_out.reason, Reason::kSuperConditionValue);
  EXPECT_EQ(opted_out.payload, std::nullopt);
}

TEST(FlagEvaluator, LegacySuperGroupsDecideWhenThePersonHasAnyOfTheirKeys) {
  auto snapshot = MakeSnapshot({MakeFlag(1, "early", R"({"groups":[{"rollout_percentage":0}],
      "super_groups":[{"properties":[{"key":"$feature_enrollment/early","value":["true"],
                                      "operator":"exact","type":"person"}],
                       "rollout_percentage":100}]})")});
  EvaluationRequest request = RequestFor("user-1");
  EXPECT_EQ(EvaluateOne(*snapshot, request, "early").reason, Reason::kOutOfRolloutBound);

  request.person_properties["$feature_enrollment/early"] = filters::PropertyValue::Bool(true);
  FlagResult enrolled = EvaluateOne(*snapshot, request, "early");
  EXPECT_TRUE(enrolled.enabled);
  EXPECT_EQ(enrolled.reason, Reason::kSuperConditionValue);
  EXPECT_EQ(enrolled.condition_index, 0);

  request.person_properties["$feature_enrollment/early"] = filters::PropertyValue::Bool(false);
  FlagResult opted_out = EvaluateOne(*snapshot, request, "early");
  EXPECT_FALSE(opted_out.enabled);
  EXPECT_EQ(opted_out.reason, Reason::kSuperConditionValue);
}

FeatureFlag CohortFlag(int64_t id, std::string key, int64_t cohort_id, std::string_view op = "in") {
  return MakeFlag(id, std::move(key),
                  R"({"groups":[{"properties":[{"key":"id","type":"cohort","operator":")" +
                      std::string(op) + R"(","value":)" + std::to_string(cohort_id) + "}]}]}");
}

TEST(FlagEvaluator, StaticCohortsUseTheRequestsMemberships) {
  auto snapshot = MakeSnapshot({CohortFlag(1, "in", 5), CohortFlag(2, "not-in", 5, "not_in")},
                               {MakeCohort(5, "{}", /*is_static=*/true)});
  EvaluationRequest request = RequestFor("user-1");
  std::vector<FlagResult> outside = EvaluateFlags(*snapshot, request);
  EXPECT_FALSE(ResultFor(outside, "in")->enabled);
  EXPECT_EQ(ResultFor(outside, "in")->reason, Reason::kNoConditionMatch);
  EXPECT_TRUE(ResultFor(outside, "not-in")->enabled);

  request.static_cohorts.insert(5);
  std::vector<FlagResult> inside = EvaluateFlags(*snapshot, request);
  EXPECT_TRUE(ResultFor(inside, "in")->enabled);
  EXPECT_FALSE(ResultFor(inside, "not-in")->enabled);
}

TEST(FlagEvaluator, DynamicCohortsEvaluateTheirTreeAgainstPersonProperties) {
  Cohort pro = MakeCohort(6, R"({"properties":{"type":"OR","values":[
      {"type":"AND","values":[{"key":"plan","type":"person","value":"pro","operator":"exact"}]},
      {"type":"AND","values":[{"key":"plan","type":"person","value":"max","operator":"exact"},
                              {"key":"seats","type":"person","operator":"is_set"}]}]}})");
  auto snapshot = MakeSnapshot({CohortFlag(1, "pro-users", 6)}, {pro});
  EvaluationRequest request = RequestFor("user-1");
  request.person_properties["plan"] = Str("free");
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "pro-users").enabled);
  request.person_properties["plan"] = Str("pro");
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "pro-users").enabled);
  request.person_properties["plan"] = Str("max");
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "pro-users").enabled);
  request.person_properties["seats"] = Str("5");
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "pro-users").enabled);
}

TEST(FlagEvaluator, DateFiltersReadNaiveDatesInTheRequestsZone) {
  // Signed up 2023-12-31T12:00Z: before 2024-01-01 in UTC, already 2024-01-01 in Auckland.
  Cohort early = MakeCohort(7, R"({"properties":{"type":"AND","values":[{"type":"AND","values":[
      {"key":"signed_up","type":"person","value":"2024-01-01","operator":"is_date_before"}]}]}})");
  auto snapshot = MakeSnapshot({MakeFlag(1, "early", R"({"groups":[{"properties":[
           {"key":"signed_up","type":"person","value":"2024-01-01","operator":"is_date_before"}]}]})"),
                                CohortFlag(2, "early-cohort", 7)},
                               {early});
  EvaluationRequest request = RequestFor("user-1");
  request.person_properties["signed_up"] = Str("2023-12-31T12:00:00Z");
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "early").enabled);
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "early-cohort").enabled);
  StatusOr<TimeZone> auckland = TimeZone::Load("Pacific/Auckland");
  ASSERT_TRUE(auckland.ok()) << auckland.status().ToString();
  request.time_zone = *auckland;
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "early").enabled);
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "early-cohort").enabled);
}

TEST(FlagEvaluator, NestedCohortsAndNegatedLeaves) {
  Cohort pro = MakeCohort(6, R"({"properties":{"type":"AND","values":[
      {"key":"plan","type":"person","value":"pro","operator":"exact"}]}})");
  Cohort not_pro = MakeCohort(7, R"({"properties":{"type":"AND","values":[
      {"key":"id","type":"cohort","value":6,"negation":true}]}})");
  Cohort non_pro_or_member = MakeCohort(8, R"({"properties":{"type":"OR","values":[
      {"key":"id","type":"cohort","value":7},{"key":"id","type":"cohort","value":5}]}})");
  auto snapshot = MakeSnapshot(
      {CohortFlag(1, "not-pro", 7), CohortFlag(2, "either", 8), CohortFlag(3, "nested-pro", 6)},
      {pro, not_pro, non_pro_or_member, MakeCohort(5, "{}", true)});
  EvaluationRequest request = RequestFor("user-1");
  request.person_properties["plan"] = Str("pro");
  std::vector<FlagResult> pro_results = EvaluateFlags(*snapshot, request);
  EXPECT_FALSE(ResultFor(pro_results, "not-pro")->enabled);
  EXPECT_FALSE(ResultFor(pro_results, "either")->enabled);
  EXPECT_TRUE(ResultFor(pro_results, "nested-pro")->enabled);

  request.static_cohorts.insert(5);
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "either").enabled);

  request.static_cohorts.clear();
  request.person_properties["plan"] = Str("free");
  std::vector<FlagResult> free_results = EvaluateFlags(*snapshot, request);
  EXPECT_TRUE(ResultFor(free_results, "not-pro")->enabled);
  EXPECT_TRUE(ResultFor(free_results, "either")->enabled);
  EXPECT_FALSE(ResultFor(free_results, "nested-pro")->enabled);
}

TEST(FlagEvaluator, NegatedPropertyLeaf) {
  Cohort not_pro = MakeCohort(6, R"({"properties":{"type":"AND","values":[
      {"key":"plan","type":"person","value":"pro","operator":"exact","negation":true}]}})");
  auto snapshot = MakeSnapshot({CohortFlag(1, "not-pro", 6)}, {not_pro});
  EvaluationRequest request = RequestFor("user-1");
  request.person_properties["plan"] = Str("pro");
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "not-pro").enabled);
  request.person_properties["plan"] = Str("free");
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "not-pro").enabled);
}

TEST(FlagEvaluator, EmptyDynamicCohortMatchesEveryone) {
  auto snapshot = MakeSnapshot({CohortFlag(1, "everyone", 6)}, {MakeCohort(6, "{}")});
  EXPECT_TRUE(EvaluateOne(*snapshot, RequestFor("user-1"), "everyone").enabled);
}

TEST(FlagEvaluator, MissingOrLoopingCohortFailsTheFlag) {
  Cohort a = MakeCohort(1, R"({"properties":{"type":"AND","values":[
      {"key":"id","type":"cohort","value":2}]}})");
  Cohort b = MakeCohort(2, R"({"properties":{"type":"AND","values":[
      {"key":"id","type":"cohort","value":1}]}})");
  auto snapshot = MakeSnapshot(
      {CohortFlag(1, "missing", 99), CohortFlag(2, "looping", 1), RolloutFlag(3, "fine", 100)},
      {a, b});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-1"));
  for (std::string_view key : {"missing", "looping"}) {
    const FlagResult* result = ResultFor(results, key);
    EXPECT_TRUE(result->failed) << key;
    EXPECT_FALSE(result->enabled) << key;
  }
  EXPECT_TRUE(ResultFor(results, "fine")->enabled);
  EXPECT_FALSE(ResultFor(results, "fine")->failed);
}

FeatureFlag RequiresFlag(int64_t id, std::string key, std::string_view dependency,
                         std::string_view value_json) {
  return MakeFlag(id, std::move(key),
                  R"({"groups":[{"properties":[{"key":")" + std::string(dependency) +
                      R"(","type":"flag","operator":"flag_evaluates_to","value":)" +
                      std::string(value_json) + "}]}]}");
}

TEST(FlagEvaluator, DependencyChainsUseEarlierResults) {
  FeatureFlag base = RolloutFlag(1, "base", 100);
  auto snapshot =
      MakeSnapshot({RequiresFlag(3, "top", "2", "true"), RequiresFlag(2, "middle", "base", "true"),
                    base, RequiresFlag(4, "base-off", "1", "false")});
  std::vector<FlagResult> on = EvaluateFlags(*snapshot, RequestFor("user-1"));
  EXPECT_TRUE(ResultFor(on, "base")->enabled);
  EXPECT_TRUE(ResultFor(on, "middle")->enabled);
  EXPECT_TRUE(ResultFor(on, "top")->enabled);
  EXPECT_FALSE(ResultFor(on, "base-off")->enabled);

  base.active = false;  // an inactive dependency evaluates to false
  auto inactive =
      MakeSnapshot({RequiresFlag(3, "top", "2", "true"), RequiresFlag(2, "middle", "base", "true"),
                    base, RequiresFlag(4, "base-off", "1", "false")});
  std::vector<FlagResult> off = EvaluateFlags(*inactive, RequestFor("user-1"));
  EXPECT_EQ(ResultFor(off, "base")->reason, Reason::kFlagDisabled);
  EXPECT_FALSE(ResultFor(off, "middle")->enabled);
  EXPECT_EQ(ResultFor(off, "middle")->reason, Reason::kNoConditionMatch);
  EXPECT_FALSE(ResultFor(off, "top")->enabled);
  EXPECT_TRUE(ResultFor(off, "base-off")->enabled);
}

TEST(FlagEvaluator, DependencyOnAVariant) {
  FeatureFlag colour = MakeFlag(1, "colour", R"({"groups":[{"rollout_percentage":100}],
      "multivariate":{"variants":[{"key":"blue","rollout_percentage":100},
                                  {"key":"red","rollout_percentage":0}]}})");
  auto snapshot = MakeSnapshot({colour, RequiresFlag(2, "wants-blue", "colour", R"("blue")"),
                                RequiresFlag(3, "wants-red", "colour", R"("red")"),
                                RequiresFlag(4, "wants-any", "colour", "true"),
                                RequiresFlag(5, "wants-off", "colour", "false")});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-1"));
  EXPECT_EQ(ResultFor(results, "colour")->variant, "blue");
  EXPECT_TRUE(ResultFor(results, "wants-blue")->enabled);
  EXPECT_FALSE(ResultFor(results, "wants-red")->enabled);
  EXPECT_TRUE(ResultFor(results, "wants-any")->enabled);
  EXPECT_FALSE(ResultFor(results, "wants-off")->enabled);
}

TEST(FlagEvaluator, CyclicOrMissingDependenciesReportMissingDependency) {
  auto snapshot =
      MakeSnapshot({RequiresFlag(1, "a", "b", "true"), RequiresFlag(2, "b", "a", "true"),
                    RequiresFlag(3, "c", "404", "false"), RolloutFlag(4, "d", 100)});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-1"));
  for (std::string_view key : {"a", "b", "c"}) {
    const FlagResult* result = ResultFor(results, key);
    EXPECT_FALSE(result->enabled) << key;
    EXPECT_EQ(result->reason, Reason::kMissingDependency) << key;
    EXPECT_EQ(result->condition_index, std::nullopt) << key;
  }
  EXPECT_TRUE(ResultFor(results, "d")->enabled);
}

TEST(FlagEvaluator, FlagsUsedByCohortsAreEvaluatedFirst) {
  Cohort beta_users = MakeCohort(6, R"({"properties":{"type":"AND","values":[
      {"key":"2","type":"flag","operator":"flag_evaluates_to","value":true}]}})");
  auto snapshot =
      MakeSnapshot({CohortFlag(1, "cohort-of-beta", 6), RolloutFlag(2, "zeta", 100)}, {beta_users});
  EvaluationRequest request = RequestFor("user-1");
  request.flag_keys = std::vector<std::string>{"cohort-of-beta"};
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, request);
  EXPECT_THAT(ReturnedKeys(results), ElementsAre("cohort-of-beta"));
  EXPECT_TRUE(results[0].enabled);
}

TEST(FlagEvaluator, FlagKeysReturnOnlyThoseButEvaluateTheirDependencies) {
  auto snapshot = MakeSnapshot({RolloutFlag(1, "base", 100), RequiresFlag(2, "top", "base", "true"),
                                RolloutFlag(3, "other", 100)});
  EvaluationRequest request = RequestFor("user-1");
  request.flag_keys = std::vector<std::string>{"top", "not-a-flag"};
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, request);
  EXPECT_THAT(ReturnedKeys(results), ElementsAre("top"));
  EXPECT_TRUE(results[0].enabled);

  // A long key list takes the hashed path; the answer is the same.
  std::vector<std::string> many = {"top", "other"};
  for (int i = 0; i < 20; ++i) many.push_back("absent-" + std::to_string(i));
  request.flag_keys = many;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              ElementsAre("other", "top"));  // snapshot order
}

TEST(FlagEvaluator, RuntimeSelectsFlags) {
  auto runtime_flag = [](int64_t id, std::string key, std::optional<EvaluationRuntime> runtime) {
    FeatureFlag flag = RolloutFlag(id, std::move(key), 100);
    flag.evaluation_runtime = runtime;
    return flag;
  };
  auto snapshot = MakeSnapshot({runtime_flag(1, "any", std::nullopt),
                                runtime_flag(2, "all", EvaluationRuntime::kAll),
                                runtime_flag(3, "client", EvaluationRuntime::kClient),
                                runtime_flag(4, "server", EvaluationRuntime::kServer)});
  EvaluationRequest request = RequestFor("user-1");
  request.runtime = std::nullopt;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)), UnorderedElementsAre("any", "all"));
  request.runtime = EvaluationRuntime::kClient;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("any", "all", "client"));
  request.runtime = EvaluationRuntime::kServer;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("any", "all", "server"));
  request.runtime = EvaluationRuntime::kAll;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("any", "all", "client", "server"));
}

TEST(FlagEvaluator, EvaluationContextsSelectTaggedFlags) {
  auto tagged = [](int64_t id, std::string key, std::vector<std::string> tags) {
    FeatureFlag flag = RolloutFlag(id, std::move(key), 100);
    flag.evaluation_contexts = std::move(tags);
    return flag;
  };
  auto snapshot = MakeSnapshot({tagged(1, "untagged", {}), tagged(2, "web", {"web", "docs"}),
                                tagged(3, "mobile", {"ios", "android"})});
  EvaluationRequest request = RequestFor("user-1");
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("untagged", "web", "mobile"));
  request.evaluation_contexts = {"docs"};
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("untagged", "web"));
  request.evaluation_contexts = {"android", "tv"};
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)),
              UnorderedElementsAre("untagged", "mobile"));
}

TEST(FlagEvaluator, SurveyOnlyRequestsKeepSurveyTargetingFlags) {
  auto snapshot = MakeSnapshot({RolloutFlag(1, "survey-targeting-abc", 100),
                                RolloutFlag(2, "survey-other", 100), RolloutFlag(3, "plain", 100)});
  EvaluationRequest request = RequestFor("user-1");
  request.only_survey_flags = true;
  EXPECT_THAT(ReturnedKeys(EvaluateFlags(*snapshot, request)), ElementsAre("survey-targeting-abc"));
}

TEST(FlagEvaluator, SelectedFlagsStillSeeUnselectedDependencies) {
  FeatureFlag server_only = RolloutFlag(1, "server-only", 100);
  server_only.evaluation_runtime = EvaluationRuntime::kServer;
  auto snapshot = MakeSnapshot({server_only, RequiresFlag(2, "needs-it", "1", "true")});
  EvaluationRequest request = RequestFor("user-1");
  request.runtime = EvaluationRuntime::kClient;
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, request);
  EXPECT_THAT(ReturnedKeys(results), ElementsAre("needs-it"));
  EXPECT_TRUE(results[0].enabled);
}

TEST(FlagEvaluator, PayloadsOnlyForEnabledFlags) {
  auto snapshot = MakeSnapshot(
      {MakeFlag(1, "on", R"({"groups":[{"rollout_percentage":100}],
           "payloads":{"true":"{\"a\":1}"}})"),
       MakeFlag(2, "off", R"({"groups":[{"rollout_percentage":0}],"payloads":{"true":"1"}})"),
       MakeFlag(3, "object", R"({"groups":[{"rollout_percentage":100}],
           "payloads":{"true":{"b":[1,2]}}})"),
       MakeFlag(4, "variant", R"({"groups":[{"rollout_percentage":100,"variant":"x"}],
           "multivariate":{"variants":[{"key":"x","rollout_percentage":50},
                                       {"key":"y","rollout_percentage":50}]},
           "payloads":{"true":"\"boolean\"","y":"\"why\"","x":"\"ex\""}})"),
       MakeFlag(5, "none", R"({"groups":[{"rollout_percentage":100}]})")});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-123"));
  EXPECT_EQ(ResultFor(results, "on")->payload, R"("{\"a\":1}")");
  EXPECT_EQ(ResultFor(results, "off")->payload, std::nullopt);
  EXPECT_EQ(ResultFor(results, "object")->payload, R"({"b":[1,2]})");
  EXPECT_EQ(ResultFor(results, "variant")->payload, R"("\"ex\"")");
  EXPECT_EQ(ResultFor(results, "none")->payload, std::nullopt);
}

TEST(FlagEvaluator, DeviceIdBucketing) {
  // device-flag hashes: user-2 0.829, device-1 0.412.
  FeatureFlag flag = RolloutFlag(1, "device-flag", 50);
  flag.bucket_by_device_id = true;
  auto snapshot = MakeSnapshot({flag});
  EvaluationRequest request = RequestFor("user-2");
  FlagResult no_device = EvaluateOne(*snapshot, request, "device-flag");
  EXPECT_FALSE(no_device.enabled);
  EXPECT_EQ(no_device.reason, Reason::kOutOfRolloutBound);
  EXPECT_EQ(no_device.condition_index, 0);

  request.device_id = "";
  EXPECT_EQ(EvaluateOne(*snapshot, request, "device-flag").reason, Reason::kOutOfRolloutBound);

  request.device_id = "device-1";
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "device-flag").enabled);

  auto by_person = MakeSnapshot({RolloutFlag(1, "device-flag", 50)});
  EXPECT_FALSE(EvaluateOne(*by_person, request, "device-flag").enabled);
}

TEST(FlagEvaluator, HashKeyOverridesBucketContinuityFlags) {
  // continuity hashes: user-2 0.553, anon-1 0.747, device-1 0.438.
  FeatureFlag flag = RolloutFlag(1, "continuity", 50);
  flag.ensure_experience_continuity = true;
  auto snapshot = MakeSnapshot({flag});
  EvaluationRequest request = RequestFor("user-2");
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "continuity").enabled);
  request.hash_key_overrides["continuity"] = "device-1";
  EXPECT_TRUE(EvaluateOne(*snapshot, request, "continuity").enabled);
  request.hash_key_overrides["continuity"] = "anon-1";
  EXPECT_FALSE(EvaluateOne(*snapshot, request, "continuity").enabled);
}

TEST(FlagEvaluator, ResultsFollowSnapshotOrder) {
  auto snapshot = MakeSnapshot({RolloutFlag(1, "b", 100), RolloutFlag(2, "a", 100),
                                RequiresFlag(3, "0-first-by-key", "b", "true")});
  std::vector<FlagResult> results = EvaluateFlags(*snapshot, RequestFor("user-1"));
  EXPECT_THAT(ReturnedKeys(results), ElementsAre("a", "b", "0-first-by-key"));
  for (const FlagResult& result : results) {
    EXPECT_EQ(result.flag, snapshot->FlagByKey(result.flag->key));
  }
}

TEST(FlagEvaluator, HashesMatchTheSpecVectors) {
  EXPECT_DOUBLE_EQ(FlagHash("simple-flag", "distinct_id_0", ""), 0.7836963764220432);
  EXPECT_DOUBLE_EQ(FlagHash("beta-feature", "user-123", "variant"), 0.5365856665162976);
  EXPECT_DOUBLE_EQ(HoldoutHash("user-123"), 0.09568613756179652);
}

}  // namespace
}  // namespace hoglet::flags
