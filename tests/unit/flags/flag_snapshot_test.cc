#include "flags/flag_snapshot.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "flag_test_support.h"

namespace hoglet::flags {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeCohort;
using testing::MakeFlag;
using testing::MakeSnapshot;
using testing::RolloutFlag;

// A flag whose only condition requires `dependency` (a key or an id) to be enabled.
FeatureFlag DependentFlag(int64_t id, std::string key, std::string_view dependency) {
  return MakeFlag(id, std::move(key),
                  R"({"groups":[{"properties":[{"key":")" + std::string(dependency) +
                      R"(","type":"flag","value":true,"operator":"flag_evaluates_to"}]}]})");
}

std::vector<std::string> Keys(const FlagSnapshot& snapshot) {
  std::vector<std::string> keys;
  for (const FeatureFlag& flag : snapshot.flags()) keys.push_back(flag.key);
  return keys;
}

const filters::PropertyFilter& FirstFilter(const FlagSnapshot& snapshot, std::string_view key) {
  return snapshot.FlagByKey(key)->filters.groups[0].properties[0];
}

TEST(FlagSnapshot, DropsDeletedFlagsAndKeepsInactiveOnes) {
  FeatureFlag deleted = RolloutFlag(1, "gone", 100);
  deleted.deleted = true;
  FeatureFlag inactive = RolloutFlag(2, "off", 100);
  inactive.active = false;
  auto snapshot = MakeSnapshot({deleted, inactive, RolloutFlag(3, "on", 100)});
  EXPECT_THAT(Keys(*snapshot), ElementsAre("off", "on"));
  EXPECT_EQ(snapshot->FlagByKey("gone"), nullptr);
  ASSERT_NE(snapshot->FlagByKey("off"), nullptr);
  EXPECT_FALSE(snapshot->FlagByKey("off")->active);
  EXPECT_EQ(snapshot->PositionOf("on"), 1u);
  EXPECT_EQ(snapshot->PositionOf("gone"), std::nullopt);
  EXPECT_FALSE(snapshot->HasDependencies());
}

TEST(FlagSnapshot, OrdersDependenciesFirstThenByKey) {
  // a → c → e; b and d are independent.
  auto snapshot =
      MakeSnapshot({DependentFlag(1, "a", "c"), RolloutFlag(2, "b", 50), DependentFlag(3, "c", "e"),
                    RolloutFlag(4, "d", 50), RolloutFlag(5, "e", 50)});
  EXPECT_THAT(Keys(*snapshot), ElementsAre("b", "d", "e", "c", "a"));
  EXPECT_TRUE(snapshot->HasDependencies());
  size_t a = *snapshot->PositionOf("a");
  std::vector<uint32_t> deps(snapshot->DependenciesOf(a).begin(),
                             snapshot->DependenciesOf(a).end());
  EXPECT_THAT(deps, ElementsAre(*snapshot->PositionOf("e"), *snapshot->PositionOf("c")));
}

TEST(FlagSnapshot, ResolvesFlagIdsToKeysAndAddsDependencyChains) {
  auto snapshot = MakeSnapshot(
      {DependentFlag(1, "top", "2"), DependentFlag(2, "middle", "3"), RolloutFlag(3, "base", 100)});
  const filters::PropertyFilter& top = FirstFilter(*snapshot, "top");
  EXPECT_EQ(top.key, "middle");
  EXPECT_THAT(top.dependency_chain, ElementsAre("base", "middle"));
  const filters::PropertyFilter& middle = FirstFilter(*snapshot, "middle");
  EXPECT_EQ(middle.key, "base");
  EXPECT_THAT(middle.dependency_chain, ElementsAre("base"));
  EXPECT_FALSE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("top")));
}

TEST(FlagSnapshot, AcceptsDependenciesNamedByKey) {
  auto snapshot = MakeSnapshot({DependentFlag(1, "top", "base"), RolloutFlag(2, "base", 100)});
  EXPECT_EQ(FirstFilter(*snapshot, "top").key, "base");
  EXPECT_THAT(FirstFilter(*snapshot, "top").dependency_chain, ElementsAre("base"));
  EXPECT_FALSE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("top")));
}

TEST(FlagSnapshot, MissingDependencyBreaksTheFlagAndItsDependents) {
  auto snapshot = MakeSnapshot({DependentFlag(1, "needs-missing", "99"),
                                DependentFlag(2, "needs-broken", "1"), RolloutFlag(3, "fine", 10)});
  EXPECT_TRUE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("needs-missing")));
  EXPECT_TRUE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("needs-broken")));
  EXPECT_FALSE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("fine")));
  EXPECT_THAT(FirstFilter(*snapshot, "needs-missing").dependency_chain, IsEmpty());
  EXPECT_THAT(FirstFilter(*snapshot, "needs-broken").dependency_chain, IsEmpty());
  EXPECT_EQ(FirstFilter(*snapshot, "needs-broken").key, "needs-missing");
}

TEST(FlagSnapshot, DeletedDependencyIsMissingEvenWhenItsKeyIsReused) {
  FeatureFlag old_base = RolloutFlag(3, "base", 100);
  old_base.deleted = true;
  auto snapshot =
      MakeSnapshot({DependentFlag(1, "top", "3"), old_base, RolloutFlag(4, "base", 100)});
  EXPECT_TRUE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("top")));
  EXPECT_THAT(FirstFilter(*snapshot, "top").dependency_chain, IsEmpty());
}

TEST(FlagSnapshot, CyclesAndSelfDependenciesAreBroken) {
  auto snapshot = MakeSnapshot({DependentFlag(1, "x", "y"), DependentFlag(2, "y", "z"),
                                DependentFlag(3, "z", "x"), DependentFlag(4, "self", "self"),
                                DependentFlag(5, "outside", "x"), RolloutFlag(6, "free", 50)});
  for (std::string_view key : {"x", "y", "z", "self", "outside"}) {
    EXPECT_TRUE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey(key))) << key;
    EXPECT_THAT(FirstFilter(*snapshot, key).dependency_chain, IsEmpty()) << key;
    EXPECT_THAT(snapshot->DependenciesOf(*snapshot->PositionOf(key)), IsEmpty()) << key;
  }
  EXPECT_FALSE(snapshot->HasBrokenDependencies(*snapshot->FlagByKey("free")));
  // Flags that cannot be ordered come after the others, in key order.
  EXPECT_THAT(Keys(*snapshot), ElementsAre("free", "outside", "self", "x", "y", "z"));
}

TEST(FlagSnapshot, FlagsUsedInsideCohortsAreDependencies) {
  Cohort outer = MakeCohort(
      10, R"({"properties":{"type":"OR","values":[{"key":"id","type":"cohort","value":11}]}})");
  Cohort inner = MakeCohort(11, R"({"properties":{"type":"AND","values":[
      {"key":"2","type":"flag","value":true,"operator":"flag_evaluates_to"}]}})");
  FeatureFlag user = MakeFlag(
      1, "cohort-user", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":10}]}]})");
  auto snapshot = MakeSnapshot({user, RolloutFlag(2, "beta", 50)}, {outer, inner});
  EXPECT_THAT(Keys(*snapshot), ElementsAre("beta", "cohort-user"));
  const filters::PropertyFilter& leaf = snapshot->CohortById(11)->root.children[0].filter;
  EXPECT_EQ(leaf.key, "beta");
  EXPECT_THAT(leaf.dependency_chain, ElementsAre("beta"));
  EXPECT_THAT(snapshot->DependenciesOf(1), ElementsAre(0u));
}

TEST(FlagSnapshot, IndexesCohortsAndGroupTypes) {
  Cohort deleted = MakeCohort(3, "{}");
  deleted.deleted = true;
  auto snapshot = MakeSnapshot({}, {MakeCohort(2, "{}"), deleted, MakeCohort(1, "{}", true)},
                               {{"project", 1}, {"company", 0}});
  ASSERT_NE(snapshot->CohortById(1), nullptr);
  EXPECT_TRUE(snapshot->CohortById(1)->is_static);
  EXPECT_NE(snapshot->CohortById(2), nullptr);
  EXPECT_EQ(snapshot->CohortById(3), nullptr);
  EXPECT_EQ(snapshot->cohorts().size(), 2u);
  EXPECT_EQ(snapshot->GroupTypeName(0), "company");
  EXPECT_EQ(snapshot->GroupTypeName(1), "project");
  EXPECT_EQ(snapshot->GroupTypeName(2), std::nullopt);
  EXPECT_EQ(snapshot->group_types()[0].name, "company");
  EXPECT_EQ(snapshot->team_id(), 1);
}

// A request that sends nothing needs the store exactly when some active flag reads it.
bool EmptyRequestCovered(const std::shared_ptr<const FlagSnapshot>& snapshot) {
  return snapshot->CoveredByRequest({}, {}, {});
}

TEST(FlagSnapshot, AnEmptyRequestNeedsTheStoreOnlyForFlagsThatReadIt) {
  EXPECT_TRUE(EmptyRequestCovered(MakeSnapshot({RolloutFlag(1, "a", 50)})));
  EXPECT_TRUE(
      EmptyRequestCovered(MakeSnapshot({RolloutFlag(1, "a", 50), DependentFlag(2, "b", "a")})));

  FeatureFlag person =
      MakeFlag(1, "p", R"({"groups":[{"properties":[{"key":"plan","value":"pro"}]}]})");
  EXPECT_FALSE(EmptyRequestCovered(MakeSnapshot({person})));
  person.active = false;
  EXPECT_TRUE(EmptyRequestCovered(MakeSnapshot({person})));

  FeatureFlag cohort =
      MakeFlag(1, "c", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":4}]}]})");
  EXPECT_FALSE(EmptyRequestCovered(MakeSnapshot({cohort})));
  EXPECT_FALSE(
      EmptyRequestCovered(MakeSnapshot({MakeFlag(1, "e", R"({"feature_enrollment":true})")})));

  FeatureFlag continuity = RolloutFlag(1, "k", 50);
  continuity.ensure_experience_continuity = true;
  auto snapshot = MakeSnapshot({continuity});
  EXPECT_FALSE(EmptyRequestCovered(snapshot));
  EXPECT_TRUE(snapshot->HasContinuityFlags());
  EXPECT_FALSE(MakeSnapshot({RolloutFlag(1, "k", 50)})->HasContinuityFlags());
}

TEST(FlagSnapshot, CoveredByRequestWhenItSendsEveryPropertyTheFlagsRead) {
  const filters::Properties kNone;
  const std::unordered_map<std::string, filters::Properties> kNoGroupProperties;
  const std::unordered_map<std::string, std::string> kNoGroups;
  EXPECT_TRUE(MakeSnapshot({RolloutFlag(1, "a", 50)})
                  ->CoveredByRequest(kNone, kNoGroupProperties, kNoGroups));

  auto snapshot =
      MakeSnapshot({MakeFlag(1, "p", R"({"groups":[{"properties":[{"key":"plan","value":"pro"},
          {"key":"age","value":"30","operator":"gt","type":"person"}]}]})"),
                    MakeFlag(2, "g", R"({"aggregation_group_type_index":0,"groups":[{"properties":[
          {"key":"size","value":"9","operator":"gt","type":"group","group_type_index":0}]}]})")},
                   {}, {{"company", 0}});
  filters::Properties person{{"plan", filters::PropertyValue::String("free")}};
  EXPECT_FALSE(snapshot->CoveredByRequest(person, kNoGroupProperties, kNoGroups));
  person["age"] = filters::PropertyValue::Number(20, "20");
  // Group properties matter only for the groups the request names.
  EXPECT_TRUE(snapshot->CoveredByRequest(person, kNoGroupProperties, kNoGroups));
  const std::unordered_map<std::string, std::string> acme{{"company", "acme"}};
  EXPECT_FALSE(snapshot->CoveredByRequest(person, kNoGroupProperties, acme));
  std::unordered_map<std::string, filters::Properties> sized{
      {"company", {{"name", filters::PropertyValue::Null()}}}};
  EXPECT_FALSE(snapshot->CoveredByRequest(person, sized, acme));
  sized["company"]["size"] = filters::PropertyValue::Number(3, "3");
  EXPECT_TRUE(snapshot->CoveredByRequest(person, sized, acme));

  // Cohorts, early access and continuity overrides live only in the store.
  filters::Properties everything{{"plan", filters::PropertyValue::String("pro")}};
  for (FeatureFlag flag :
       {MakeFlag(1, "c", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":4}]}]})"),
        MakeFlag(1, "e", R"({"feature_enrollment":true})")}) {
    EXPECT_FALSE(MakeSnapshot({flag})->CoveredByRequest(everything, kNoGroupProperties, kNoGroups))
        << flag.key;
  }
  FeatureFlag continuity = RolloutFlag(1, "k", 50);
  continuity.ensure_experience_continuity = true;
  EXPECT_FALSE(
      MakeSnapshot({continuity})->CoveredByRequest(everything, kNoGroupProperties, kNoGroups));
  // Inactive flags read nothing.
  continuity.active = false;
  EXPECT_TRUE(MakeSnapshot({continuity})->CoveredByRequest(kNone, kNoGroupProperties, kNoGroups));
}

TEST(FlagSnapshot, KnowsWhichFlagsReadStoredState) {
  FeatureFlag person = MakeFlag(
      1, "p", R"({"groups":[{"properties":[{"key":"plan","value":"pro","type":"person"}]}]})");
  person.active = false;  // still read when another flag depends on it
  FeatureFlag cohort =
      MakeFlag(2, "c", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":4}]}]})");
  auto snapshot = MakeSnapshot(
      {person, cohort, RolloutFlag(3, "plain", 50), DependentFlag(4, "needs-p", "p"),
       DependentFlag(5, "needs-plain", "plain"),
       MakeFlag(6, "early", R"({"feature_enrollment":true})")},
      {MakeCohort(4, R"({"properties":{"type":"AND","values":[]}})", true)}, {{"company", 0}});
  for (const char* key : {"p", "c", "needs-p", "early"}) {
    EXPECT_TRUE(snapshot->ReadsStoredState(*snapshot->FlagByKey(key))) << key;
  }
  for (const char* key : {"plain", "needs-plain"}) {
    EXPECT_FALSE(snapshot->ReadsStoredState(*snapshot->FlagByKey(key))) << key;
  }
  EXPECT_TRUE(snapshot->HasStaticCohorts());
  EXPECT_FALSE(MakeSnapshot({person})->HasStaticCohorts());
  EXPECT_EQ(snapshot->GroupTypeIndex("company"), 0);
  EXPECT_EQ(snapshot->GroupTypeIndex("project"), std::nullopt);
}

TEST(FlagSnapshot, ContinuityFlagsArePersonFlagsNotBucketedByDevice) {
  FeatureFlag person = RolloutFlag(1, "person", 50);
  FeatureFlag device = RolloutFlag(2, "device", 50);
  device.bucket_by_device_id = true;
  FeatureFlag group = MakeFlag(3, "group", R"({"aggregation_group_type_index":0,"groups":[]})");
  FeatureFlag inactive = RolloutFlag(4, "inactive", 50);
  inactive.active = false;
  for (FeatureFlag* flag : {&person, &device, &group, &inactive}) {
    flag->ensure_experience_continuity = true;
  }
  auto snapshot = MakeSnapshot({person, device, group, inactive, RolloutFlag(5, "plain", 50)});
  EXPECT_THAT(snapshot->ContinuityFlagKeys(), ElementsAre("person"));
  EXPECT_TRUE(snapshot->IsContinuityFlag(*snapshot->FlagByKey("person")));
  EXPECT_FALSE(snapshot->IsContinuityFlag(*snapshot->FlagByKey("device")));
  EXPECT_FALSE(snapshot->IsContinuityFlag(*snapshot->FlagByKey("plain")));
  EXPECT_THAT(MakeSnapshot({RolloutFlag(1, "plain", 50)})->ContinuityFlagKeys(), IsEmpty());
}

}  // namespace
}  // namespace hoglet::flags
