// Event and property definitions in the SQLite metadata store: upsert rules, search, paging and
// lifetime with the project.
#include "meta/definitions.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;
constexpr int64_t kHourUs = 3'600'000'000;

class DefinitionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    auto boot = store_->Bootstrap(BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    team_ = boot->project.id;
  }

  std::vector<EventDefinition> Events(DefinitionListQuery query = {}) {
    query.team_id = team_;
    auto page = store_->ListEventDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->results : std::vector<EventDefinition>{};
  }

  std::vector<PropertyDefinition> Properties(DefinitionListQuery query = {}) {
    query.team_id = team_;
    auto page = store_->ListPropertyDefinitions(query);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->results : std::vector<PropertyDefinition>{};
  }

  static std::vector<std::string> Names(const std::vector<EventDefinition>& rows) {
    std::vector<std::string> names;
    for (const auto& row : rows) names.push_back(row.name);
    return names;
  }

  hoglet::testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<MetaStore> store_;
  int64_t team_ = 0;
};

TEST_F(DefinitionsTest, RecordsNewEventsWithCreationAndLastSeenTimes) {
  ASSERT_TRUE(store_->RecordDefinitions(team_, {{"$pageview", kStart - kHourUs}}, {}, {}).ok());
  auto rows = Events();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "$pageview");
  EXPECT_EQ(rows[0].team_id, team_);
  EXPECT_EQ(rows[0].created_at_us, kStart);
  EXPECT_EQ(rows[0].last_seen_at_us, kStart - kHourUs);
  EXPECT_EQ(rows[0].uuid.size(), 36u);
}

TEST_F(DefinitionsTest, LastSeenOnlyMovesForward) {
  ASSERT_TRUE(
      store_->RecordDefinitions(team_, {{"signup", kStart}}, {{"plan", {}, kStart}}, {}).ok());
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_, {{"signup", kStart - kHourUs}},
                                      {{"plan", PropertyType::kString, kStart - kHourUs}}, {})
                  .ok());
  EXPECT_EQ(Events()[0].last_seen_at_us, kStart);
  EXPECT_EQ(Properties()[0].last_seen_at_us, kStart);
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_, {{"signup", kStart + kHourUs}},
                                      {{"plan", PropertyType::kString, kStart + kHourUs}}, {})
                  .ok());
  EXPECT_EQ(Events()[0].last_seen_at_us, kStart + kHourUs);
  EXPECT_EQ(Properties()[0].last_seen_at_us, kStart + kHourUs);
  EXPECT_EQ(Events().size(), 1u);
}

TEST_F(DefinitionsTest, FirstTypedSightingFixesThePropertyType) {
  ASSERT_TRUE(store_->RecordDefinitions(team_, {}, {{"amount", std::nullopt, kStart}}, {}).ok());
  EXPECT_FALSE(Properties()[0].property_type.has_value());
  ASSERT_TRUE(
      store_->RecordDefinitions(team_, {}, {{"amount", PropertyType::kNumeric, kStart}}, {}).ok());
  ASSERT_TRUE(
      store_->RecordDefinitions(team_, {}, {{"amount", PropertyType::kString, kStart}}, {}).ok());
  auto rows = Properties();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].property_type, PropertyType::kNumeric);
  EXPECT_TRUE(rows[0].is_numerical);
  EXPECT_EQ(rows[0].owner, PropertyOwner::kEvent);
}

TEST_F(DefinitionsTest, SkipsNamesTooLongForPostHog) {
  std::string long_name(kMaxDefinitionNameBytes + 1, 'x');
  std::string longest(kMaxDefinitionNameBytes, 'y');
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_, {{long_name, kStart}, {longest, kStart}},
                                      {{long_name, PropertyType::kString, kStart}}, {})
                  .ok());
  EXPECT_EQ(Names(Events()), std::vector<std::string>{longest});
  EXPECT_TRUE(Properties().empty());
}

TEST_F(DefinitionsTest, SearchMatchesEveryWordCaseInsensitively) {
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_,
                                      {{"Signed Up", kStart},
                                       {"signup_done", kStart},
                                       {"$pageview", kStart},
                                       {"100%_up", kStart}},
                                      {}, {})
                  .ok());
  DefinitionListQuery query;
  query.search = "SIGN";
  EXPECT_EQ(Names(Events(query)), (std::vector<std::string>{"Signed Up", "signup_done"}));
  query.search = "up  signed";
  EXPECT_EQ(Names(Events(query)), std::vector<std::string>{"Signed Up"});
  // LIKE wildcards are literal characters in a search.
  query.search = "%_";
  EXPECT_EQ(Names(Events(query)), std::vector<std::string>{"100%_up"});
  query.search = std::string(DefinitionListQuery::kMaxSearchBytes + 1, 'a');
  query.team_id = team_;
  auto too_long = store_->ListEventDefinitions(query);
  EXPECT_EQ(too_long.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DefinitionsTest, PagesAreOrderedByNameAndCountEveryMatch) {
  std::vector<EventDefinitionSeen> events;
  for (const char* name : {"d", "b", "e", "a", "c"}) events.push_back({name, kStart});
  ASSERT_TRUE(store_->RecordDefinitions(team_, events, {}, {}).ok());
  DefinitionListQuery query;
  query.team_id = team_;
  query.limit = 2;
  query.offset = 1;
  auto page = store_->ListEventDefinitions(query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  EXPECT_EQ(Names(page->results), (std::vector<std::string>{"b", "c"}));
}

TEST_F(DefinitionsTest, PropertyOwnersAreSeparateLists) {
  ASSERT_TRUE(
      store_->RecordDefinitions(team_, {}, {{"email", PropertyType::kString, kStart}}, {}).ok());
  DefinitionListQuery query;
  query.owner = PropertyOwner::kPerson;
  EXPECT_TRUE(Properties(query).empty());
  EXPECT_EQ(Properties().size(), 1u);
}

TEST_F(DefinitionsTest, ProjectsDoNotSeeEachOthersDefinitions) {
  auto project = store_->ProjectById(team_);
  ASSERT_TRUE(project.ok());
  auto other = store_->CreateProject(project->organization_id, "Other");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->RecordDefinitions(other->id, {{"other_event", kStart}}, {}, {}).ok());
  EXPECT_TRUE(Events().empty());
  // Deleting the project deletes its definitions; recording for it is refused.
  ASSERT_TRUE(store_->DeleteProject(other->id).ok());
  DefinitionListQuery query;
  query.team_id = other->id;
  auto page = store_->ListEventDefinitions(query);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
  EXPECT_EQ(store_->RecordDefinitions(other->id, {{"late", kStart}}, {}, {}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(DefinitionsTest, DefinitionsSurviveReopening) {
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_, {{"kept", kStart}},
                                      {{"ts", PropertyType::kDateTime, kStart}}, {})
                  .ok());
  store_.reset();
  auto reopened = OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(reopened).value();
  EXPECT_EQ(Names(Events()), std::vector<std::string>{"kept"});
  EXPECT_EQ(Properties()[0].property_type, PropertyType::kDateTime);
}

TEST_F(DefinitionsTest, NewNamesStopAtTheLimitOfOneCall) {
  DefinitionLimits limits;
  limits.max_new = 3;
  auto recorded = store_->RecordDefinitions(team_, {{"first", kStart}, {"second", kStart}},
                                            {{"a", PropertyType::kString, kStart},
                                             {"b", PropertyType::kString, kStart},
                                             {"c", PropertyType::kString, kStart}},
                                            limits);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  // Event names come first; then properties in the order given until the budget is spent.
  EXPECT_EQ(recorded->new_events, 2u);
  EXPECT_EQ(recorded->new_properties, 1u);
  EXPECT_TRUE(recorded->skipped_events.empty());
  EXPECT_EQ(recorded->skipped_properties, (std::vector<size_t>{1, 2}));  // "b" and "c"
  EXPECT_EQ(recorded->property_definitions, 1u);
  ASSERT_EQ(Properties().size(), 1u);
  EXPECT_EQ(Properties()[0].name, "a");
}

TEST_F(DefinitionsTest, KnownNamesAreUpdatedPastEveryLimit) {
  ASSERT_TRUE(
      store_->RecordDefinitions(team_, {{"seen", kStart}}, {{"p", std::nullopt, kStart}}, {}).ok());
  DefinitionLimits none;
  none.max_new = 0;
  none.max_event_definitions = 0;
  none.max_property_definitions = 0;
  auto recorded = store_->RecordDefinitions(
      team_, {{"seen", kStart + kHourUs}},
      {{"p", PropertyType::kNumeric, kStart + kHourUs}, {"q", PropertyType::kNumeric, kStart}},
      none);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_TRUE(recorded->skipped_events.empty());
  EXPECT_EQ(recorded->skipped_properties, std::vector<size_t>{1});  // "q"
  EXPECT_EQ(Events()[0].last_seen_at_us, kStart + kHourUs);
  auto properties = Properties();
  ASSERT_EQ(properties.size(), 1u);
  EXPECT_EQ(properties[0].last_seen_at_us, kStart + kHourUs);
  EXPECT_EQ(properties[0].property_type, PropertyType::kNumeric);
  EXPECT_TRUE(properties[0].is_numerical);
}

TEST_F(DefinitionsTest, ProjectTotalsAreCapped) {
  DefinitionLimits limits;
  limits.max_event_definitions = 2;
  limits.max_property_definitions = 3;
  std::vector<EventDefinitionSeen> events;
  std::vector<PropertyDefinitionSeen> properties;
  for (int i = 0; i < 10; ++i) {
    events.push_back({"e" + std::to_string(i), kStart});
    properties.push_back({"p" + std::to_string(i), PropertyType::kNumeric, kStart});
  }
  auto first = store_->RecordDefinitions(team_, events, properties, limits);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->event_definitions, 2u);
  EXPECT_EQ(first->property_definitions, 3u);
  EXPECT_EQ(first->skipped_events, (std::vector<size_t>{2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(first->skipped_properties, (std::vector<size_t>{3, 4, 5, 6, 7, 8, 9}));
  // A later call counts what is stored: nothing more fits.
  auto second = store_->RecordDefinitions(team_, {{"late", kStart}},
                                          {{"late", PropertyType::kString, kStart}}, limits);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->new_events + second->new_properties, 0u);
  EXPECT_EQ(Events().size(), 2u);
  EXPECT_EQ(Properties().size(), 3u);
}

TEST_F(DefinitionsTest, PersonPropertiesAreTheirOwnDefinitions) {
  PropertyDefinitionSeen person_plan{"plan", PropertyType::kString, kStart, PropertyOwner::kPerson};
  PropertyDefinitionSeen person_age{"age", std::nullopt, kStart, PropertyOwner::kPerson};
  PropertyDefinitionSeen group_key{"industry", PropertyType::kString, kStart,
                                   PropertyOwner::kGroup};
  auto recorded = store_->RecordDefinitions(
      team_, {}, {{"plan", PropertyType::kNumeric, kStart}, person_plan, person_age, group_key},
      {});
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  // A group property without its group type is not recorded.
  EXPECT_EQ(recorded->new_properties, 3u);
  EXPECT_EQ(recorded->property_definitions, 1u);
  EXPECT_EQ(recorded->person_property_definitions, 2u);

  DefinitionListQuery persons;
  persons.owner = PropertyOwner::kPerson;
  auto listed = Properties(persons);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "age");
  EXPECT_EQ(listed[0].owner, PropertyOwner::kPerson);
  EXPECT_FALSE(listed[0].property_type.has_value());
  EXPECT_EQ(listed[1].name, "plan");
  EXPECT_EQ(listed[1].property_type, PropertyType::kString);
  auto events = Properties();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].property_type, PropertyType::kNumeric);
  DefinitionListQuery groups;
  groups.owner = PropertyOwner::kGroup;
  EXPECT_TRUE(Properties(groups).empty());

  // A later sighting updates the person definition only: the first type stays, untyped gets one.
  person_plan.property_type = PropertyType::kBoolean;
  person_plan.seen_at_us = kStart + kHourUs;
  person_age.property_type = PropertyType::kNumeric;
  ASSERT_TRUE(store_->RecordDefinitions(team_, {}, {person_plan, person_age}, {}).ok());
  listed = Properties(persons);
  EXPECT_EQ(listed[0].property_type, PropertyType::kNumeric);
  EXPECT_TRUE(listed[0].is_numerical);
  EXPECT_EQ(listed[1].property_type, PropertyType::kString);
  EXPECT_EQ(listed[1].last_seen_at_us, kStart + kHourUs);
  EXPECT_EQ(Properties()[0].last_seen_at_us, kStart);
}

TEST_F(DefinitionsTest, PersonPropertiesHaveTheirOwnProjectCap) {
  DefinitionLimits limits;
  limits.max_property_definitions = 1;
  limits.max_person_property_definitions = 2;
  std::vector<PropertyDefinitionSeen> properties = {
      {"e1", PropertyType::kString, kStart},
      {"e2", PropertyType::kString, kStart},
      {"p1", PropertyType::kString, kStart, PropertyOwner::kPerson},
      {"p2", PropertyType::kString, kStart, PropertyOwner::kPerson},
      {"p3", PropertyType::kString, kStart, PropertyOwner::kPerson}};
  auto recorded = store_->RecordDefinitions(team_, {}, properties, limits);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->skipped_properties, (std::vector<size_t>{1, 4}));  // "e2" and "p3"
  EXPECT_EQ(recorded->property_definitions, 1u);
  EXPECT_EQ(recorded->person_property_definitions, 2u);
}

TEST_F(DefinitionsTest, EventPropertyPairsAnswerWhichPropertiesAnEventHas) {
  ASSERT_TRUE(store_
                  ->RecordDefinitions(team_, {},
                                      {{"page", PropertyType::kString, kStart},
                                       {"pages", PropertyType::kNumeric, kStart},
                                       {"source", PropertyType::kString, kStart},
                                       {"unpaired", PropertyType::kString, kStart}},
                                      {})
                  .ok());
  auto recorded = store_->RecordEventProperties(team_,
                                                {{"viewed", "page"},
                                                 {"viewed", "pages"},
                                                 {"signed up", "source"},
                                                 {"signed up", "page"},
                                                 {"viewed", "page"}},
                                                {});
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->new_pairs, 4u);  // the repeated pair once
  EXPECT_EQ(recorded->event_properties, 4u);
  auto again = store_->RecordEventProperties(team_, {{"viewed", "page"}}, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_pairs, 0u);

  auto names = [](const std::vector<PropertyDefinition>& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row.name);
    return out;
  };
  auto seen = [](const std::vector<PropertyDefinition>& rows) {
    std::vector<std::optional<bool>> out;
    for (const auto& row : rows) out.push_back(row.seen_on_filtered_events);
    return out;
  };
  // Without event names: every property, by name, nothing marked.
  auto all = Properties();
  EXPECT_EQ(names(all), (std::vector<std::string>{"page", "pages", "source", "unpaired"}));
  EXPECT_EQ(seen(all), (std::vector<std::optional<bool>>(4, std::nullopt)));
  // With event names: marked, those seen first.
  DefinitionListQuery signed_up;
  signed_up.event_names = {"signed up"};
  auto marked = Properties(signed_up);
  EXPECT_EQ(names(marked), (std::vector<std::string>{"page", "source", "pages", "unpaired"}));
  EXPECT_EQ(seen(marked), (std::vector<std::optional<bool>>{true, true, false, false}));
  // Filtered: only those seen with one of the names; total counts the filtered set.
  signed_up.filter_by_event_names = true;
  signed_up.event_names = {"signed up", "viewed"};
  auto page = store_->ListPropertyDefinitions([&] {
    DefinitionListQuery query = signed_up;
    query.team_id = team_;
    query.limit = 2;
    return query;
  }());
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(names(page->results), (std::vector<std::string>{"page", "pages"}));
  // Filtered with a search.
  signed_up.search = "pag";
  EXPECT_EQ(names(Properties(signed_up)), (std::vector<std::string>{"page", "pages"}));
  // Filtered without names: the properties seen with any event.
  DefinitionListQuery any;
  any.filter_by_event_names = true;
  EXPECT_EQ(names(Properties(any)), (std::vector<std::string>{"page", "pages", "source"}));
  // Person properties are not paired: the event names change nothing for them.
  ASSERT_TRUE(
      store_
          ->RecordDefinitions(team_, {},
                              {{"page", PropertyType::kString, kStart, PropertyOwner::kPerson}}, {})
          .ok());
  DefinitionListQuery persons;
  persons.owner = PropertyOwner::kPerson;
  persons.filter_by_event_names = true;
  auto person_rows = Properties(persons);
  ASSERT_EQ(person_rows.size(), 1u);
  EXPECT_FALSE(person_rows[0].seen_on_filtered_events.has_value());
  // Too many names is refused.
  DefinitionListQuery many;
  many.team_id = team_;
  many.event_names.assign(DefinitionListQuery::kMaxEventNames + 1, "e");
  EXPECT_EQ(store_->ListPropertyDefinitions(many).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(DefinitionsTest, EventPropertyPairsAreBounded) {
  EventPropertyLimits limits;
  limits.max_new = 2;
  limits.max_event_properties = 3;
  std::string too_long(kMaxDefinitionNameBytes + 1, 'x');
  auto first = store_->RecordEventProperties(
      team_, {{"e", "a"}, {too_long, "b"}, {"e", too_long}, {"e", "b"}, {"e", "c"}}, limits);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->new_pairs, 2u);
  EXPECT_EQ(first->skipped, std::vector<size_t>{4});  // long names are not skips, just dropped
  auto second = store_->RecordEventProperties(team_, {{"e", "a"}, {"e", "c"}, {"e", "d"}}, limits);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->new_pairs, 1u);
  EXPECT_EQ(second->skipped, std::vector<size_t>{2});  // the project is full; "a" is known
  EXPECT_EQ(second->event_properties, 3u);

  auto other = store_->RecordEventProperties(team_ + 100, {{"e", "a"}}, {});
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
}

TEST_F(DefinitionsTest, PairsAreKeptPerProject) {
  auto org = store_->CreateOrganization("other");
  ASSERT_TRUE(org.ok());
  auto other = store_->CreateProject(org->id, "other");
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ASSERT_TRUE(store_->RecordDefinitions(other->id, {}, {{"p", std::nullopt, kStart}}, {}).ok());
  ASSERT_TRUE(store_->RecordEventProperties(other->id, {{"e", "p"}}, {}).ok());
  // Another project's pairs are not this one's.
  ASSERT_TRUE(store_->RecordDefinitions(team_, {}, {{"p", std::nullopt, kStart}}, {}).ok());
  DefinitionListQuery query;
  query.event_names = {"e"};
  query.filter_by_event_names = true;
  EXPECT_TRUE(Properties(query).empty());
  auto mine = store_->RecordEventProperties(team_, {{"e", "p"}}, {});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->new_pairs, 1u);
  EXPECT_EQ(mine->event_properties, 1u);
  EXPECT_EQ(Properties(query).size(), 1u);
}

TEST(PropertyTypeNames, RoundTripPostHogNames) {
  for (PropertyType type : {PropertyType::kString, PropertyType::kNumeric, PropertyType::kBoolean,
                            PropertyType::kDateTime}) {
    EXPECT_EQ(ParsePropertyType(PropertyTypeName(type)), type);
  }
  EXPECT_EQ(PropertyTypeName(PropertyType::kDateTime), "DateTime");
  EXPECT_FALSE(ParsePropertyType("string").has_value());
  EXPECT_FALSE(ParsePropertyType("Duration").has_value());
}

}  // namespace
}  // namespace hoglet::meta
