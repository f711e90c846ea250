// The MetaStore contract (meta/meta_store.h), part two: event and property definitions, feature
// flags, cohorts, actions, annotations and FlagsGeneration. Part one is meta_store_contract.h;
// the fixture and how an implementation instantiates both are in meta_store_contract_fixture.h.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "meta/meta_store.h"
#include "tests/contract/meta_store_contract_fixture.h"

namespace hoglet::meta::contract {

class MetaStoreRecordsContract : public MetaStoreContractFixture {
 protected:
  FeatureFlagRecord Flag(const std::string& key, int64_t team_id = 0) const {
    FeatureFlagRecord flag;
    flag.team_id = team_id == 0 ? project_.id : team_id;
    flag.key = key;
    flag.filters_json = R"({"groups":[{"rollout_percentage":50}]})";
    return flag;
  }
  CohortRecord Cohort(const std::string& name) const {
    CohortRecord cohort;
    cohort.team_id = project_.id;
    cohort.name = name;
    return cohort;
  }
  ActionRecord Action(const std::string& name) const {
    ActionRecord action;
    action.team_id = project_.id;
    action.name = name;
    action.steps_json = R"([{"event":"$pageview"}])";
    return action;
  }
  std::vector<std::string> EventNames(DefinitionListQuery query) const {
    auto page = store_->ListEventDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> names;
    if (page.ok()) {
      for (const EventDefinition& d : page->results) names.push_back(d.name);
    }
    return names;
  }
  DefinitionListQuery Query(int64_t team_id, std::string search = "", size_t limit = 100,
                            size_t offset = 0) const {
    DefinitionListQuery q;
    q.team_id = team_id;
    q.search = std::move(search);
    q.limit = limit;
    q.offset = offset;
    return q;
  }
  Status Record(int64_t team_id, std::vector<EventDefinitionSeen> events,
                std::vector<PropertyDefinitionSeen> properties = {}, DefinitionLimits limits = {}) {
    return store_->RecordDefinitions(team_id, events, properties, limits).status();
  }
};

// --- Definitions ---

TEST_P(MetaStoreRecordsContract, NewEventNamesAreInsertedAndListedByName) {
  ASSERT_TRUE(Record(project_.id, {{"signup", 10}, {"$pageview", 20}, {"checkout", 5}}).ok());
  auto page = store_->ListEventDefinitions(Query(project_.id));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->results.size(), 3u);
  EXPECT_EQ(page->results[0].name, "$pageview");
  EXPECT_EQ(page->results[0].created_at_us, kStartUs);
  EXPECT_EQ(page->results[0].last_seen_at_us, 20);
  EXPECT_EQ(EventNames(Query(project_.id, "", 1, 1)), (std::vector<std::string>{"checkout"}));
  EXPECT_EQ(store_->ListEventDefinitions(Query(project_.id, "", 1, 1))->total, 3);
}

TEST_P(MetaStoreRecordsContract, ASeenEventKeepsTheLatestLastSeen) {
  ASSERT_TRUE(Record(project_.id, {{"signup", 100}}).ok());
  ASSERT_TRUE(Record(project_.id, {{"signup", 50}}).ok());
  EXPECT_EQ(store_->ListEventDefinitions(Query(project_.id))->results[0].last_seen_at_us, 100);
  ASSERT_TRUE(Record(project_.id, {{"signup", 200}}).ok());
  EXPECT_EQ(store_->ListEventDefinitions(Query(project_.id))->results[0].last_seen_at_us, 200);
}

TEST_P(MetaStoreRecordsContract, APropertyKeepsItsFirstTypedSighting) {
  ASSERT_TRUE(
      Record(project_.id, {}, {{"plan", std::nullopt, 1}, {"count", PropertyType::kNumeric, 1}})
          .ok());
  ASSERT_TRUE(Record(project_.id, {},
                     {{"plan", PropertyType::kString, 2}, {"count", PropertyType::kString, 2}})
                  .ok());
  ASSERT_TRUE(Record(project_.id, {}, {{"plan", PropertyType::kBoolean, 3}}).ok());
  auto page = store_->ListPropertyDefinitions(Query(project_.id));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->results.size(), 2u);
  EXPECT_EQ(page->results[0].name, "count");
  EXPECT_EQ(page->results[0].property_type, PropertyType::kNumeric);
  EXPECT_TRUE(page->results[0].is_numerical);
  EXPECT_EQ(page->results[0].owner, PropertyOwner::kEvent);
  EXPECT_EQ(page->results[1].name, "plan");
  EXPECT_EQ(page->results[1].property_type, PropertyType::kString);
}

TEST_P(MetaStoreRecordsContract, SearchMatchesEveryWordCaseInsensitively) {
  ASSERT_TRUE(Record(project_.id, {{"Signed Up", 1}, {"signup_started", 1}, {"logout", 1}}).ok());
  EXPECT_EQ(EventNames(Query(project_.id, "SIGN up")),
            (std::vector<std::string>{"Signed Up", "signup_started"}));
  EXPECT_EQ(EventNames(Query(project_.id, "sign started")),
            (std::vector<std::string>{"signup_started"}));
  EXPECT_EQ(store_->ListEventDefinitions(Query(project_.id, std::string(201, 's'))).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(MetaStoreRecordsContract, LimitsLeaveNewNamesOutAndCountThem) {
  std::vector<EventDefinitionSeen> events = {{"a", 1}, {"b", 1}, {"c", 1}};
  std::string too_long(kMaxDefinitionNameBytes + 1, 'x');
  events.push_back({too_long, 1});
  DefinitionLimits limits;
  limits.max_new = 2;
  auto recorded = store_->RecordDefinitions(project_.id, events, {}, limits);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->new_events, 2u);
  EXPECT_EQ(recorded->skipped_events, (std::vector<size_t>{2}));
  EXPECT_EQ(recorded->event_definitions, 2u);
  EXPECT_EQ(EventNames(Query(project_.id)), (std::vector<std::string>{"a", "b"}));
}

TEST_P(MetaStoreRecordsContract, DefinitionsBelongToOneProject) {
  Project theirs = OtherProject();
  ASSERT_TRUE(Record(theirs.id, {{"their_event", 1}}, {{"their_prop", std::nullopt, 1}}).ok());
  EXPECT_TRUE(EventNames(Query(project_.id)).empty());
  EXPECT_TRUE(store_->ListPropertyDefinitions(Query(project_.id))->results.empty());
  EXPECT_TRUE(EventNames(Query(999)).empty());
  EXPECT_EQ(Record(999, {{"x", 1}}).code(), StatusCode::kNotFound);
}

TEST_P(MetaStoreRecordsContract, DefinitionsSurviveAReopen) {
  ASSERT_TRUE(Record(project_.id, {{"signup", 7}}, {{"plan", PropertyType::kString, 7}}).ok());
  Reopen();
  EXPECT_EQ(EventNames(Query(project_.id)), (std::vector<std::string>{"signup"}));
  EXPECT_EQ(store_->ListPropertyDefinitions(Query(project_.id))->results.size(), 1u);
}

TEST_P(MetaStoreRecordsContract, PersonPropertiesAreListedByTheirType) {
  ASSERT_TRUE(Record(project_.id, {},
                     {{"plan", PropertyType::kNumeric, 1},
                      {"plan", PropertyType::kString, 1, PropertyOwner::kPerson},
                      {"email", PropertyType::kString, 1, PropertyOwner::kPerson}})
                  .ok());
  DefinitionListQuery persons = Query(project_.id);
  persons.owner = PropertyOwner::kPerson;
  auto page = store_->ListPropertyDefinitions(persons);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 2);
  ASSERT_EQ(page->results.size(), 2u);
  EXPECT_EQ(page->results[0].name, "email");
  EXPECT_EQ(page->results[1].name, "plan");
  EXPECT_EQ(page->results[1].owner, PropertyOwner::kPerson);
  EXPECT_EQ(page->results[1].property_type, PropertyType::kString);
  auto events = store_->ListPropertyDefinitions(Query(project_.id));
  ASSERT_EQ(events->results.size(), 1u);
  EXPECT_EQ(events->results[0].property_type, PropertyType::kNumeric);
}

TEST_P(MetaStoreRecordsContract, GroupPropertiesAreKeptPerGroupType) {
  auto group = [](std::string name, int index, std::optional<PropertyType> type) {
    PropertyDefinitionSeen seen{std::move(name), type, 5, PropertyOwner::kGroup};
    seen.group_type_index = index;
    return seen;
  };
  PropertyDefinitionSeen without_type{"size", PropertyType::kNumeric, 5, PropertyOwner::kGroup};
  PropertyDefinitionSeen event_with_type{"size", PropertyType::kNumeric, 5};
  event_with_type.group_type_index = 0;
  DefinitionLimits limits;
  limits.max_group_property_definitions = 3;
  auto recorded =
      store_->RecordDefinitions(project_.id, {},
                                {group("industry", 0, PropertyType::kString),
                                 group("industry", 1, PropertyType::kNumeric),
                                 group("employees", 0, PropertyType::kNumeric),
                                 group("industry", 0, std::nullopt),
                                 group("founded", 1, std::nullopt),
                                 group("bad", 5, std::nullopt),
                                 without_type,
                                 event_with_type,
                                 {"industry", PropertyType::kString, 5, PropertyOwner::kPerson}},
                                limits);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->new_properties, 4u);
  EXPECT_EQ(recorded->group_property_definitions, 3u);
  EXPECT_EQ(recorded->person_property_definitions, 1u);
  EXPECT_EQ(recorded->skipped_properties, (std::vector<size_t>{4}));

  DefinitionListQuery groups = Query(project_.id);
  groups.owner = PropertyOwner::kGroup;
  auto all = store_->ListPropertyDefinitions(groups);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->total, 3);
  groups.group_type_index = 0;
  auto first = store_->ListPropertyDefinitions(groups);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->results.size(), 2u);
  EXPECT_EQ(first->results[0].name, "employees");
  EXPECT_EQ(first->results[1].name, "industry");
  EXPECT_EQ(first->results[1].owner, PropertyOwner::kGroup);
  EXPECT_EQ(first->results[1].group_type_index, 0);
  EXPECT_EQ(first->results[1].property_type, PropertyType::kString);
  groups.group_type_index = 1;
  auto second = store_->ListPropertyDefinitions(groups);
  ASSERT_EQ(second->results.size(), 1u);
  EXPECT_EQ(second->results[0].property_type, PropertyType::kNumeric);
  EXPECT_EQ(second->results[0].group_type_index, 1);
  DefinitionListQuery persons = Query(project_.id);
  persons.owner = PropertyOwner::kPerson;
  auto person = store_->ListPropertyDefinitions(persons);
  ASSERT_EQ(person->results.size(), 1u);
  EXPECT_EQ(person->results[0].group_type_index, std::nullopt);
  EXPECT_TRUE(store_->ListPropertyDefinitions(Query(project_.id))->results.empty());
  Reopen();
  groups.group_type_index = std::nullopt;
  EXPECT_EQ(store_->ListPropertyDefinitions(groups)->total, 3);
}

TEST_P(MetaStoreRecordsContract, EventPropertyPairsFilterAndMarkPropertyDefinitions) {
  ASSERT_TRUE(Record(project_.id, {},
                     {{"a", std::nullopt, 1}, {"b", std::nullopt, 1}, {"c", std::nullopt, 1}})
                  .ok());
  auto recorded = store_->RecordEventProperties(project_.id, {{"x", "c"}, {"y", "a"}}, {});
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->new_pairs, 2u);
  DefinitionListQuery query = Query(project_.id);
  query.event_names = {"x"};
  auto marked = store_->ListPropertyDefinitions(query);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  ASSERT_EQ(marked->results.size(), 3u);
  EXPECT_EQ(marked->results[0].name, "c");
  EXPECT_EQ(marked->results[0].seen_on_filtered_events, true);
  EXPECT_EQ(marked->results[1].name, "a");
  EXPECT_EQ(marked->results[1].seen_on_filtered_events, false);
  query.filter_by_event_names = true;
  auto filtered = store_->ListPropertyDefinitions(query);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->total, 1);
  EXPECT_EQ(filtered->results[0].name, "c");
  EXPECT_EQ(store_->RecordEventProperties(999, {{"x", "c"}}, {}).status().code(),
            StatusCode::kNotFound);
  Reopen();
  EXPECT_EQ(store_->ListPropertyDefinitions(query)->total, 1);
}

// --- Group type names ---

TEST_P(MetaStoreRecordsContract, GroupTypeNamesAreSetClearedAndKeptPerProject) {
  EXPECT_TRUE(store_->ListGroupTypeNames(project_.id)->empty());
  ASSERT_TRUE(store_->SetGroupTypeNames(project_.id, {1, "Firm", "Firms"}).ok());
  ASSERT_TRUE(store_->SetGroupTypeNames(project_.id, {0, std::nullopt, "Teams"}).ok());
  std::vector<GroupTypeNames> expected = {{0, std::nullopt, "Teams"}, {1, "Firm", "Firms"}};
  EXPECT_EQ(*store_->ListGroupTypeNames(project_.id), expected);
  ASSERT_TRUE(store_->SetGroupTypeNames(project_.id, {1, std::nullopt, "Companies"}).ok());
  Reopen();
  expected = {{0, std::nullopt, "Teams"}, {1, std::nullopt, "Companies"}};
  EXPECT_EQ(*store_->ListGroupTypeNames(project_.id), expected);
  EXPECT_TRUE(store_->ListGroupTypeNames(project_.id + 1000)->empty());
  EXPECT_EQ(store_->SetGroupTypeNames(project_.id + 1000, {0, "A", "As"}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->SetGroupTypeNames(project_.id, {5, "A", "As"}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      store_->SetGroupTypeNames(project_.id, {0, std::string(kMaxGroupTypeNameBytes + 1, 'x'), {}})
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      store_->SetGroupTypeNames(project_.id, {0, std::string(kMaxGroupTypeNameBytes, 'x'), {}})
          .ok());
}

// --- Feature flags ---

TEST_P(MetaStoreRecordsContract, ANewFlagGetsAnIdVersionOneAndTimestamps) {
  FeatureFlagRecord flag = Flag("beta");
  flag.name = "Beta";
  flag.ensure_experience_continuity = true;
  flag.created_by = user_.id;
  auto created = store_->CreateFeatureFlag(flag);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->created_at_us, kStartUs);
  EXPECT_EQ(created->updated_at_us, kStartUs);
  auto found = store_->FeatureFlagById(project_.id, created->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->key, "beta");
  EXPECT_EQ(found->name, "Beta");
  EXPECT_EQ(found->filters_json, flag.filters_json);
  EXPECT_TRUE(found->ensure_experience_continuity);
  EXPECT_EQ(found->created_by, std::optional<int64_t>(user_.id));
}

TEST_P(MetaStoreRecordsContract, CreateFlagReportsEachDocumentedError) {
  ASSERT_TRUE(store_->CreateFeatureFlag(Flag("beta")).ok());
  EXPECT_EQ(store_->CreateFeatureFlag(Flag("beta")).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateFeatureFlag(Flag("x", 999)).status().code(), StatusCode::kNotFound);
  for (std::string key : {std::string(), std::string("has space"), std::string("é"),
                          std::string(kMaxFeatureFlagKeyBytes + 1, 'k')}) {
    EXPECT_EQ(store_->CreateFeatureFlag(Flag(key)).status().code(), StatusCode::kInvalidArgument)
        << key;
  }
  FeatureFlagRecord not_object = Flag("ok-key_1");
  not_object.filters_json = "[]";
  EXPECT_EQ(store_->CreateFeatureFlag(not_object).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(MetaStoreRecordsContract, ADeletedFlagsKeyMayBeUsedAgain) {
  auto created = store_->CreateFeatureFlag(Flag("beta"));
  ASSERT_TRUE(created.ok());
  FeatureFlagRecord deleted = *created;
  deleted.deleted = true;
  ASSERT_TRUE(store_->UpdateFeatureFlag(deleted).ok());
  auto again = store_->CreateFeatureFlag(Flag("beta"));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(again->id, created->id);
}

TEST_P(MetaStoreRecordsContract, UpdateFlagBumpsTheVersionAndKeepsTheFixedFields) {
  auto created = store_->CreateFeatureFlag(Flag("beta"));
  ASSERT_TRUE(created.ok());
  clock_.Advance(kSecondUs);
  FeatureFlagRecord changed = *created;
  changed.active = false;
  changed.filters_json = R"({"groups":[]})";
  changed.created_at_us = 1;   // ignored
  changed.created_by = 12345;  // ignored
  changed.version = 77;        // ignored: stored + 1
  auto updated = store_->UpdateFeatureFlag(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->updated_at_us, kStartUs + kSecondUs);
  EXPECT_EQ(updated->created_at_us, kStartUs);
  EXPECT_EQ(updated->created_by, created->created_by);
  auto found = store_->FeatureFlagById(project_.id, created->id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->active);
  EXPECT_EQ(found->filters_json, R"({"groups":[]})");
  EXPECT_EQ(found->version, 2);
}

TEST_P(MetaStoreRecordsContract, UpdateFlagReportsEachDocumentedError) {
  auto beta = store_->CreateFeatureFlag(Flag("beta"));
  auto gamma = store_->CreateFeatureFlag(Flag("gamma"));
  ASSERT_TRUE(beta.ok() && gamma.ok());
  FeatureFlagRecord unknown = *beta;
  unknown.id = 999;
  EXPECT_EQ(store_->UpdateFeatureFlag(unknown).status().code(), StatusCode::kNotFound);
  FeatureFlagRecord clash = *gamma;
  clash.key = "beta";
  EXPECT_EQ(store_->UpdateFeatureFlag(clash).status().code(), StatusCode::kAlreadyExists);
  FeatureFlagRecord bad = *gamma;
  bad.filters_json = "nope";
  EXPECT_EQ(store_->UpdateFeatureFlag(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(MetaStoreRecordsContract, AProjectNeverSeesOrChangesAnotherProjectsFlags) {
  Project theirs = OtherProject();
  auto their_flag = store_->CreateFeatureFlag(Flag("beta", theirs.id));
  ASSERT_TRUE(their_flag.ok());
  EXPECT_TRUE(store_->CreateFeatureFlag(Flag("beta")).ok()) << "keys are unique per project";
  EXPECT_EQ(store_->FeatureFlagById(project_.id, their_flag->id).status().code(),
            StatusCode::kNotFound);
  FeatureFlagRecord hijack = *their_flag;
  hijack.team_id = project_.id;
  hijack.active = false;
  EXPECT_EQ(store_->UpdateFeatureFlag(hijack).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->FeatureFlagById(theirs.id, their_flag->id)->active);
  auto ours = store_->ListFeatureFlags(project_.id, true);
  ASSERT_TRUE(ours.ok());
  ASSERT_EQ(ours->size(), 1u);
  EXPECT_EQ((*ours)[0].team_id, project_.id);
}

TEST_P(MetaStoreRecordsContract, FlagsAreListedByIdWithDeletedOnesOnlyWhenAsked) {
  auto a = store_->CreateFeatureFlag(Flag("a"));
  auto b = store_->CreateFeatureFlag(Flag("b"));
  auto c = store_->CreateFeatureFlag(Flag("c"));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  FeatureFlagRecord deleted = *b;
  deleted.deleted = true;
  ASSERT_TRUE(store_->UpdateFeatureFlag(deleted).ok());
  auto live = store_->ListFeatureFlags(project_.id, false);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ((*live)[0].id, a->id);
  EXPECT_EQ((*live)[1].id, c->id);
  auto all = store_->ListFeatureFlags(project_.id, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[1].id, b->id);
  EXPECT_TRUE((*all)[1].deleted);
  EXPECT_TRUE(store_->FeatureFlagById(project_.id, b->id).ok()) << "deleted flags stay readable";
}

// --- Cohorts ---

TEST_P(MetaStoreRecordsContract, CohortsAreCreatedUpdatedAndListedLikeFlags) {
  EXPECT_EQ(store_->CreateCohort(Cohort("")).status().code(), StatusCode::kInvalidArgument);
  CohortRecord unknown_project = Cohort("x");
  unknown_project.team_id = 999;
  EXPECT_EQ(store_->CreateCohort(unknown_project).status().code(), StatusCode::kNotFound);
  auto created = store_->CreateCohort(Cohort("Power users"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->created_at_us, kStartUs);
  CohortRecord changed = *created;
  changed.is_static = true;
  changed.deleted = true;
  auto updated = store_->UpdateCohort(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->version, 2);
  EXPECT_TRUE(store_->CohortById(project_.id, created->id)->is_static);
  EXPECT_TRUE(store_->ListCohorts(project_.id, false)->empty());
  EXPECT_EQ(store_->ListCohorts(project_.id, true)->size(), 1u);
  Project theirs = OtherProject();
  EXPECT_EQ(store_->CohortById(theirs.id, created->id).status().code(), StatusCode::kNotFound);
  changed.id = 999;
  EXPECT_EQ(store_->UpdateCohort(changed).status().code(), StatusCode::kNotFound);
}

// --- FlagsGeneration ---

TEST_P(MetaStoreRecordsContract, FlagsGenerationGrowsWithEveryFlagOrCohortChangeOfTheProject) {
  Project theirs = OtherProject();
  EXPECT_EQ(store_->FlagsGeneration(project_.id), 0u);
  uint64_t generation = 0;
  auto grew = [&](const char* what) {
    uint64_t now = store_->FlagsGeneration(project_.id);
    EXPECT_GT(now, generation) << what;
    generation = now;
  };
  auto flag = store_->CreateFeatureFlag(Flag("beta"));
  ASSERT_TRUE(flag.ok());
  grew("flag created");
  flag->active = false;
  ASSERT_TRUE(store_->UpdateFeatureFlag(*flag).ok());
  grew("flag updated");
  auto cohort = store_->CreateCohort(Cohort("c"));
  ASSERT_TRUE(cohort.ok());
  grew("cohort created");
  ASSERT_TRUE(store_->UpdateCohort(*cohort).ok());
  grew("cohort updated");
  EXPECT_EQ(store_->FlagsGeneration(theirs.id), 0u) << "another project's is its own";
  ASSERT_TRUE(store_->CreateFeatureFlag(Flag("theirs", theirs.id)).ok());
  EXPECT_EQ(store_->FlagsGeneration(project_.id), generation);
}

TEST_P(MetaStoreRecordsContract, AChangedFlagIsVisibleAtOnceOnAnotherThread) {
  auto flag = store_->CreateFeatureFlag(Flag("beta"));
  ASSERT_TRUE(flag.ok());
  uint64_t before = store_->FlagsGeneration(project_.id);
  flag->active = false;
  ASSERT_TRUE(store_->UpdateFeatureFlag(*flag).ok());
  uint64_t generation = 0;
  bool active = true;
  std::thread reader([&] {
    generation = store_->FlagsGeneration(project_.id);
    active = store_->FeatureFlagById(project_.id, flag->id)->active;
  });
  reader.join();
  EXPECT_GT(generation, before);
  EXPECT_FALSE(active);
}

TEST_P(MetaStoreRecordsContract, FlagsGenerationIsKeptAcrossAReopen) {
  ASSERT_TRUE(store_->CreateFeatureFlag(Flag("beta")).ok());
  ASSERT_TRUE(store_->CreateFeatureFlag(Flag("gamma")).ok());
  uint64_t generation = store_->FlagsGeneration(project_.id);
  Reopen();
  EXPECT_EQ(store_->FlagsGeneration(project_.id), generation);
  auto flags = store_->ListFeatureFlags(project_.id, false);
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->size(), 2u);
  ASSERT_TRUE(store_->CreateFeatureFlag(Flag("delta")).ok());
  EXPECT_GT(store_->FlagsGeneration(project_.id), generation) << "one number, one flag set";
}

// --- Actions ---

TEST_P(MetaStoreRecordsContract, ActionsAreCreatedUpdatedAndListedById) {
  auto created = store_->CreateAction(Action("Signed up"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->created_at_us, kStartUs);
  auto second = store_->CreateAction(Action("Bought"));
  ASSERT_TRUE(second.ok());
  clock_.Advance(kSecondUs);
  ActionRecord changed = *created;
  changed.description = "d";
  changed.deleted = true;
  auto updated = store_->UpdateAction(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->updated_at_us, kStartUs + kSecondUs);
  EXPECT_EQ(updated->created_at_us, kStartUs);
  EXPECT_EQ(store_->ActionById(project_.id, created->id)->description, "d");
  auto live = store_->ListActions(project_.id, false);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].id, second->id);
  auto all = store_->ListActions(project_.id, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, created->id);
  Reopen();
  EXPECT_EQ(store_->ListActions(project_.id, true)->size(), 2u);
}

TEST_P(MetaStoreRecordsContract, ActionsReportEachDocumentedError) {
  ActionRecord unknown_project = Action("x");
  unknown_project.team_id = 999;
  EXPECT_EQ(store_->CreateAction(unknown_project).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->CreateAction(Action("")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateAction(Action(std::string(kMaxActionNameBytes + 1, 'a'))).status().code(),
            StatusCode::kInvalidArgument);
  ActionRecord bad_steps = Action("x");
  bad_steps.steps_json = "{}";
  EXPECT_EQ(store_->CreateAction(bad_steps).status().code(), StatusCode::kInvalidArgument);
  auto created = store_->CreateAction(Action("ok"));
  ASSERT_TRUE(created.ok());
  ActionRecord missing = *created;
  missing.id = 999;
  EXPECT_EQ(store_->UpdateAction(missing).status().code(), StatusCode::kNotFound);
  Project theirs = OtherProject();
  EXPECT_EQ(store_->ActionById(theirs.id, created->id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListActions(theirs.id, true)->empty());
}

// --- Annotations ---

TEST_P(MetaStoreRecordsContract, AnnotationsAreCreatedUpdatedAndListedNewestFirst) {
  AnnotationRecord release;
  release.team_id = project_.id;
  release.content = "Release 1.2";
  release.date_marker_us = kStartUs - 2 * kSecondUs;
  release.created_by = user_.id;
  auto created = store_->CreateAnnotation(release);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->organization_id, project_.organization_id);
  EXPECT_EQ(created->scope, "project");
  EXPECT_EQ(created->creation_type, "USR");
  EXPECT_EQ(created->created_at_us, kStartUs);
  AnnotationRecord incident = release;
  incident.content = "Incident";
  incident.date_marker_us = kStartUs - kSecondUs;
  incident.emoji = "🔥";
  auto later = store_->CreateAnnotation(incident);
  ASSERT_TRUE(later.ok()) << later.status().ToString();

  clock_.Advance(kSecondUs);
  AnnotationRecord changed = *created;
  changed.content = "Release 1.2.1";
  changed.hidden_in_user_interface = true;
  auto updated = store_->UpdateAnnotation(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->content, "Release 1.2.1");
  EXPECT_EQ(updated->hidden_in_user_interface, std::optional<bool>(true));
  EXPECT_EQ(updated->created_at_us, kStartUs);
  EXPECT_EQ(updated->updated_at_us, kStartUs + kSecondUs);
  EXPECT_EQ(store_->AnnotationById(project_.id, created->id)->content, "Release 1.2.1");

  auto listed = store_->ListAnnotations(project_.id, false);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, later->id) << "the newest date_marker first";
  EXPECT_EQ((*listed)[0].emoji, "🔥");
  changed.deleted = true;
  ASSERT_TRUE(store_->UpdateAnnotation(changed).ok());
  EXPECT_EQ(store_->ListAnnotations(project_.id, false)->size(), 1u);
  EXPECT_EQ(store_->ListAnnotations(project_.id, true)->size(), 2u);
  Reopen();
  EXPECT_EQ(store_->ListAnnotations(project_.id, true)->size(), 2u);
}

TEST_P(MetaStoreRecordsContract, OrganizationAnnotationsShowInTheOrganizationsOtherProjects) {
  auto sibling = store_->CreateProject(project_.organization_id, "Sibling");
  ASSERT_TRUE(sibling.ok()) << sibling.status().ToString();
  Project theirs = OtherProject();
  AnnotationRecord everywhere;
  everywhere.team_id = project_.id;
  everywhere.content = "Pricing change";
  everywhere.scope = "organization";
  auto shared = store_->CreateAnnotation(everywhere);
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  AnnotationRecord here = everywhere;
  here.scope = "project";
  ASSERT_TRUE(store_->CreateAnnotation(here).ok());

  auto seen = store_->ListAnnotations(sibling->id, false);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].id, shared->id);
  EXPECT_TRUE(store_->AnnotationById(sibling->id, shared->id).ok());
  EXPECT_TRUE(store_->ListAnnotations(theirs.id, true)->empty());
  EXPECT_EQ(store_->AnnotationById(theirs.id, shared->id).status().code(), StatusCode::kNotFound);
  AnnotationRecord from_sibling = *shared;
  from_sibling.team_id = sibling->id;
  EXPECT_EQ(store_->UpdateAnnotation(from_sibling).status().code(), StatusCode::kNotFound)
      << "only its own project changes it";
}

TEST_P(MetaStoreRecordsContract, AnnotationsReportEachDocumentedError) {
  AnnotationRecord note;
  note.team_id = 999;
  EXPECT_EQ(store_->CreateAnnotation(note).status().code(), StatusCode::kNotFound);
  note.team_id = project_.id;
  AnnotationRecord bad = note;
  bad.scope = "recording";
  EXPECT_EQ(store_->CreateAnnotation(bad).status().code(), StatusCode::kInvalidArgument);
  bad = note;
  bad.creation_type = "BOT";
  EXPECT_EQ(store_->CreateAnnotation(bad).status().code(), StatusCode::kInvalidArgument);
  bad = note;
  bad.content = std::string(kMaxAnnotationContentBytes + 1, 'a');
  EXPECT_EQ(store_->CreateAnnotation(bad).status().code(), StatusCode::kInvalidArgument);
  bad = note;
  bad.insight_id = 12345;
  EXPECT_EQ(store_->CreateAnnotation(bad).status().code(), StatusCode::kNotFound);
  bad = note;
  bad.dashboard_id = 12345;
  EXPECT_EQ(store_->CreateAnnotation(bad).status().code(), StatusCode::kNotFound);
  auto created = store_->CreateAnnotation(note);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  AnnotationRecord missing = *created;
  missing.id = 999;
  EXPECT_EQ(store_->UpdateAnnotation(missing).status().code(), StatusCode::kNotFound);
}

}  // namespace hoglet::meta::contract
