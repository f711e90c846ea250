#include "persons/person_processor.h"

#include <gtest/gtest.h>

#include <string>

#include "base/json_writer.h"
#include "persons/person_uuid.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons {
namespace {

constexpr int64_t kTeam = 1;
constexpr int64_t kMinuteUs = 60'000'000;

class PersonProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqlitePersonStore(dir_.Join("persons.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    processor_ = std::make_unique<PersonProcessor>(*store_);
  }

  PersonEventInput Event(std::string event, std::string distinct_id, std::string properties,
                         int64_t timestamp_us = 0) {
    PersonEventInput in;
    in.team_id = kTeam;
    in.event_uuid = Uuid::V7(++counter_);
    in.event = std::move(event);
    in.distinct_id = std::move(distinct_id);
    in.timestamp_us = timestamp_us != 0 ? timestamp_us : 1'700'000'000'000'000 + counter_;
    in.properties = std::move(properties);
    return in;
  }

  PersonEventResult Process(const PersonEventInput& in) {
    auto results = processor_->ProcessBatch({in});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? (*results)[0] : PersonEventResult{};
  }

  Person PersonOf(const std::string& distinct_id, int64_t team = kTeam) {
    auto person = store_->PersonByDistinctId(team, distinct_id);
    EXPECT_TRUE(person.ok() && person->has_value()) << distinct_id;
    return person.ok() && person->has_value() ? **person : Person{};
  }

  bool HasPerson(const std::string& distinct_id) {
    auto person = store_->PersonByDistinctId(kTeam, distinct_id);
    return person.ok() && person->has_value();
  }

  std::vector<std::string> WarningTypes() {
    std::vector<std::string> types;
    auto warnings = store_->ListWarnings(kTeam, 100);
    EXPECT_TRUE(warnings.ok());
    if (!warnings.ok()) return types;
    for (const IngestionWarning& w : *warnings) types.push_back(w.type);
    return types;
  }

  testing::TempDir dir_;
  std::unique_ptr<PersonStore> store_;
  std::unique_ptr<PersonProcessor> processor_;
  int64_t counter_ = 0;
};

TEST_F(PersonProcessorTest, CreatesPersonWithSetOverSetOnceAndCreatorUuid) {
  PersonEventInput in = Event("$pageview", "anon-1",
                              R"({"$set":{"plan":"pro"},"$set_once":{"plan":"free","first":1}})");
  PersonEventResult result = Process(in);
  Person person = PersonOf("anon-1");
  EXPECT_EQ(person.uuid, DeterministicPersonId(kTeam, "anon-1"));
  EXPECT_EQ(result.person_id, person.uuid);
  EXPECT_EQ(result.mode, PersonMode::kFull);
  EXPECT_EQ(person.created_at_us, in.timestamp_us);
  EXPECT_FALSE(person.is_identified);
  EXPECT_EQ(person.properties, R"({"plan":"pro","first":1,"$creator_event_uuid":")" +
                                   in.event_uuid.ToString() + R"("})");
  EXPECT_EQ(result.person_properties, person.properties);
}

TEST_F(PersonProcessorTest, UpdatesBumpVersionOnlyOnChange) {
  Process(Event("e", "u", R"({"$set":{"a":1}})"));
  Process(Event("e", "u", R"({"$set":{"a":1}})"));
  EXPECT_EQ(PersonOf("u").version, 0);
  PersonEventResult result = Process(Event("e", "u", R"({"$set":{"a":2},"$unset":["zzz"]})"));
  EXPECT_EQ(PersonOf("u").version, 1);
  EXPECT_NE(result.person_properties.find(R"("a":2)"), std::string::npos);
}

TEST_F(PersonProcessorTest, IdentifyMergesAnonymousIntoNewId) {
  Process(Event("$pageview", "anon", R"({"$set":{"seen":true}})"));
  PersonEventResult result =
      Process(Event("$identify", "user@x", R"({"$anon_distinct_id":"anon","$set":{"n":1}})"));
  Person person = PersonOf("user@x");
  EXPECT_EQ(person.uuid, DeterministicPersonId(kTeam, "anon"));
  EXPECT_EQ(result.person_id, person.uuid);
  EXPECT_TRUE(person.is_identified);
  EXPECT_EQ(person.distinct_ids, (std::vector<std::string>{"anon", "user@x"}));
  EXPECT_NE(person.properties.find(R"("seen":true)"), std::string::npos);
  EXPECT_NE(person.properties.find(R"("n":1)"), std::string::npos);
}

TEST_F(PersonProcessorTest, IdentifyWithBothPersonsMergesIntoTarget) {
  Process(Event("e", "anon", R"({"$set":{"shared":"anon","only_anon":1}})", 5'000));
  Process(Event("e", "user", R"({"$set":{"shared":"user"}})", 9'000));
  Process(Event("e", "user", R"({"$set":{"v":1}})", 9'500));  // user version 1
  PersonEventResult result =
      Process(Event("$identify", "user", R"({"$anon_distinct_id":"anon"})", 10'000));
  Person person = PersonOf("anon");
  EXPECT_EQ(person.uuid, DeterministicPersonId(kTeam, "user"));
  EXPECT_EQ(result.person_id, person.uuid);
  EXPECT_EQ(person.created_at_us, 5'000);
  EXPECT_EQ(person.version, 2);
  EXPECT_TRUE(person.is_identified);
  EXPECT_NE(person.properties.find(R"("shared":"user")"), std::string::npos);
  EXPECT_NE(person.properties.find(R"("only_anon":1)"), std::string::npos);
  EXPECT_EQ(person.distinct_ids, (std::vector<std::string>{"anon", "user"}));
  EXPECT_FALSE(store_->PersonByUuid(kTeam, DeterministicPersonId(kTeam, "anon"))->has_value());
  auto mappings = store_->DistinctIdMappings(kTeam, person.uuid);
  EXPECT_EQ((*mappings)[0].version, 1);  // anon moved: an override
}

TEST_F(PersonProcessorTest, AlreadyIdentifiedPersonIsNotMergedByIdentify) {
  Process(Event("$identify", "first", R"({"$anon_distinct_id":"a1"})"));
  Process(Event("e", "second", "{}"));
  Process(Event("$identify", "second", R"({"$anon_distinct_id":"first","$set":{"k":1}})"));
  EXPECT_NE(PersonOf("first").uuid, PersonOf("second").uuid);
  EXPECT_NE(PersonOf("second").properties.find(R"("k":1)"), std::string::npos);
  EXPECT_EQ(WarningTypes(), std::vector<std::string>{"cannot_merge_already_identified"});

  Process(Event("$create_alias", "second", R"({"alias":"first"})"));
  EXPECT_NE(PersonOf("first").uuid, PersonOf("second").uuid);

  Process(Event("$merge_dangerously", "second", R"({"alias":"first"})"));
  EXPECT_EQ(PersonOf("first").uuid, PersonOf("second").uuid);
}

TEST_F(PersonProcessorTest, IllegalIdsNeverMerge) {
  Process(Event("e", "real-user", "{}"));
  for (const char* illegal : {"null", "'undefined'", "\"anonymous\"", "Anonymous", "0", " "}) {
    std::string props = R"({"$anon_distinct_id":)";
    AppendJsonString(&props, illegal);
    props += "}";
    Process(Event("$identify", "real-user", props));
    EXPECT_FALSE(HasPerson(illegal)) << illegal;
  }
  Process(Event("$identify", "NaN", R"({"$anon_distinct_id":"real-user"})"));
  EXPECT_FALSE(PersonOf("real-user").is_identified);
  EXPECT_EQ(WarningTypes().size(), 7u);
  EXPECT_EQ(WarningTypes()[0], "cannot_merge_with_illegal_distinct_id");
  // A legal id that merely looks similar merges.
  Process(Event("$identify", "real-user", R"({"$anon_distinct_id":"NULL"})"));
  EXPECT_EQ(PersonOf("NULL").uuid, PersonOf("real-user").uuid);
}

TEST_F(PersonProcessorTest, AliasAddsIdToExistingPerson) {
  Process(Event("e", "main", "{}"));
  Process(Event("$create_alias", "main", R"({"alias":"other-id"})"));
  EXPECT_EQ(PersonOf("other-id").uuid, DeterministicPersonId(kTeam, "main"));
  EXPECT_TRUE(PersonOf("main").is_identified);
}

TEST_F(PersonProcessorTest, SameIdIdentifyIsNoMerge) {
  Process(Event("$identify", "me", R"({"$anon_distinct_id":"me"})"));
  EXPECT_FALSE(PersonOf("me").is_identified);
  EXPECT_TRUE(WarningTypes().empty());
}

TEST_F(PersonProcessorTest, PersonlessEventGetsDeterministicIdAndStrippedProperties) {
  PersonEventResult result =
      Process(Event("$pageview", "p1",
                    R"({"$process_person_profile":false,"$set":{"a":1},"$group_0":"x","k":2})"));
  EXPECT_EQ(result.mode, PersonMode::kPropertyless);
  EXPECT_EQ(result.person_id, DeterministicPersonId(kTeam, "p1"));
  EXPECT_EQ(result.person_created_at_us, 5'000'000);
  EXPECT_EQ(result.person_properties, "{}");
  EXPECT_EQ(result.properties, R"({"$process_person_profile":false,"k":2})");
  EXPECT_FALSE(HasPerson("p1"));
}

TEST_F(PersonProcessorTest, IdentifyAdoptsPersonlessId) {
  Process(Event("e", "anon-pl", R"({"$process_person_profile":false})"));
  Process(Event("$identify", "user-pl", R"({"$anon_distinct_id":"anon-pl"})"));
  Person person = PersonOf("user-pl");
  // The personless id's events already carry its deterministic uuid: the person takes it.
  EXPECT_EQ(person.uuid, DeterministicPersonId(kTeam, "anon-pl"));
  auto mappings = store_->DistinctIdMappings(kTeam, person.uuid);
  ASSERT_EQ(mappings->size(), 2u);
  EXPECT_EQ((*mappings)[0].version, 0);
  EXPECT_EQ((*mappings)[1].version, 0);
}

TEST_F(PersonProcessorTest, PersonlessIdJoiningAnotherPersonGetsOverrideVersion) {
  Process(Event("e", "anon-2", R"({"$process_person_profile":false})"));
  Process(Event("e", "known", "{}"));
  Process(Event("$identify", "known", R"({"$anon_distinct_id":"anon-2"})"));
  auto mappings = store_->DistinctIdMappings(kTeam, DeterministicPersonId(kTeam, "known"));
  ASSERT_EQ(mappings->size(), 2u);
  EXPECT_EQ((*mappings)[0].distinct_id, "anon-2");
  EXPECT_EQ((*mappings)[0].version, 1);
}

TEST_F(PersonProcessorTest, PersonlessEventForOldPersonForceUpgrades) {
  Process(Event("e", "old", R"({"$set":{"a":1}})", 1'000'000'000));
  PersonEventResult soon =
      Process(Event("e", "old", R"({"$process_person_profile":false})", 1'000'000'000 + 1'000));
  EXPECT_EQ(soon.mode, PersonMode::kPropertyless);
  EXPECT_EQ(soon.person_id, DeterministicPersonId(kTeam, "old"));
  EXPECT_EQ(soon.person_properties, "{}");
  PersonEventResult later = Process(Event(
      "e", "old", R"({"$process_person_profile":false,"$groups":{"org":"o1"},"$set":{"a":9}})",
      1'000'000'000 + 2 * kMinuteUs));
  EXPECT_EQ(later.mode, PersonMode::kForceUpgrade);
  EXPECT_EQ(later.properties,
            R"({"$process_person_profile":false,"$groups":{"org":"o1"},"$group_0":"o1"})");
  EXPECT_NE(later.person_properties.find(R"("a":1)"), std::string::npos);
  EXPECT_NE(PersonOf("old").properties.find(R"("a":1)"), std::string::npos);

  PersonEventInput opted_out = Event("e", "old", "{}", 1'000'000'000 + 3 * kMinuteUs);
  opted_out.team_person_processing_opt_out = true;
  EXPECT_EQ(Process(opted_out).mode, PersonMode::kPropertyless);
}

TEST_F(PersonProcessorTest, IdentifyWithProcessingOffIsDropped) {
  for (const char* event : {"$identify", "$create_alias", "$merge_dangerously", "$groupidentify"}) {
    EXPECT_TRUE(Process(Event(event, "x", R"({"$process_person_profile":false})")).drop) << event;
  }
  PersonEventInput opted_out = Event("$identify", "y", R"({"$anon_distinct_id":"z"})");
  opted_out.team_person_processing_opt_out = true;
  EXPECT_TRUE(Process(opted_out).drop);
  EXPECT_FALSE(HasPerson("y"));
  EXPECT_EQ(WarningTypes().size(), 5u);
  EXPECT_EQ(WarningTypes()[0], "invalid_event_when_process_person_profile_is_false");
}

TEST_F(PersonProcessorTest, NonBooleanProcessPersonProfileIsOnWithWarning) {
  PersonEventResult result = Process(Event("e", "q", R"({"$process_person_profile":"false"})"));
  EXPECT_EQ(result.mode, PersonMode::kFull);
  EXPECT_TRUE(HasPerson("q"));
  EXPECT_EQ(result.properties, "{}");
  EXPECT_EQ(WarningTypes(), std::vector<std::string>{"invalid_process_person_profile"});
}

TEST_F(PersonProcessorTest, WarningsDecidedBeforehandAreRecordedWithTheEvent) {
  PersonEventInput in = Event("e", std::string(200, 'd'), "{}");
  in.warnings = {{"distinct_id_truncated", R"("distinctIdLength":5000)"}};
  Process(in);
  // Even an event that person processing drops keeps its warning.
  PersonEventInput dropped = Event("$identify", "x", R"({"$process_person_profile":false})");
  dropped.warnings = {{"event_name_truncated", ""}};
  EXPECT_TRUE(Process(dropped).drop);

  auto warnings = store_->ListWarnings(kTeam, 100);
  ASSERT_TRUE(warnings.ok());
  ASSERT_EQ(warnings->size(), 3u);
  const IngestionWarning& cut = warnings->back();  // newest first
  EXPECT_EQ(cut.type, "distinct_id_truncated");
  EXPECT_EQ(cut.details, R"({"eventUuid":")" + in.event_uuid.ToString() + R"(","distinctId":")" +
                             std::string(200, 'd') + R"(","distinctIdLength":5000})");
  EXPECT_EQ(WarningTypes(),
            (std::vector<std::string>{"invalid_event_when_process_person_profile_is_false",
                                      "event_name_truncated", "distinct_id_truncated"}));
}

TEST_F(PersonProcessorTest, SetThatIsNotAnObjectIsIgnoredWithWarning) {
  Process(Event("e", "s", R"({"$set":"nope","$set_once":{"ok":1}})"));
  EXPECT_NE(PersonOf("s").properties.find(R"("ok":1)"), std::string::npos);
  EXPECT_EQ(WarningTypes(), std::vector<std::string>{"invalid_person_property_operation"});
}

TEST_F(PersonProcessorTest, GroupTypesGetIndexesUpToFiveAndSixthIsIgnored) {
  PersonEventResult result = Process(
      Event("e", "g", R"({"$groups":{"a":"ka","b":"kb","c":"kc","d":"kd","e":"ke","f":"kf"}})"));
  EXPECT_EQ(result.properties,
            R"({"$groups":{"a":"ka","b":"kb","c":"kc","d":"kd","e":"ke","f":"kf"},)"
            R"("$group_0":"ka","$group_1":"kb","$group_2":"kc","$group_3":"kd","$group_4":"ke"})");
  auto types = store_->GroupTypes(kTeam);
  ASSERT_EQ(types->size(), 5u);
  EXPECT_EQ((*types)[4].group_type, "e");
  PersonEventResult again = Process(Event("e", "g", R"({"$groups":{"c":"other","f":"x"}})"));
  EXPECT_EQ(again.properties, R"({"$groups":{"c":"other","f":"x"},"$group_2":"other"})");
}

TEST_F(PersonProcessorTest, GroupIdentifyUpsertsGroup) {
  Process(Event("$groupidentify", "g",
                R"({"$group_type":"company","$group_key":"acme","$group_set":{"n":"A","s":1}})",
                2'000));
  Process(Event("$groupidentify", "g",
                R"({"$group_type":"company","$group_key":"acme","$group_set":{"n":"B"},)"
                R"("$set":{"person_key":1}})",
                1'000));
  auto groups = store_->ListGroups(kTeam, 0, 10, 0);
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].properties, R"({"n":"B","s":1})");
  EXPECT_EQ((*groups)[0].created_at_us, 1'000);
  EXPECT_EQ((*groups)[0].version, 2);
  EXPECT_EQ(PersonOf("g").properties.find("person_key"), std::string::npos);

  PersonEventResult too_long = Process(
      Event("$groupidentify", "g",
            R"({"$group_type":"company","$group_key":")" + std::string(401, 'k') + R"("})"));
  EXPECT_TRUE(too_long.drop);
  EXPECT_EQ(WarningTypes(), std::vector<std::string>{"group_key_too_long"});
}

TEST_F(PersonProcessorTest, SnapshotIncludesThisEventsSet) {
  Process(Event("e", "snap", R"({"$set":{"a":1,"b":1}})"));
  PersonEventResult result = Process(Event("e", "snap", R"({"$set":{"b":{"x":1}}})"));
  EXPECT_NE(result.person_properties.find(R"("b":{"x":1})"), std::string::npos);
  EXPECT_NE(result.person_properties.find(R"("a":1)"), std::string::npos);
}

TEST_F(PersonProcessorTest, SameDistinctIdInTwoTeamsGivesTwoPersons) {
  PersonEventInput one = Event("e", "shared", R"({"$set":{"t":1}})");
  PersonEventInput two = Event("e", "shared", R"({"$set":{"t":2}})");
  two.team_id = 2;
  auto results = processor_->ProcessBatch({one, two});
  ASSERT_TRUE(results.ok());
  EXPECT_NE((*results)[0].person_id, (*results)[1].person_id);
  EXPECT_NE(PersonOf("shared", 2).properties.find(R"("t":2)"), std::string::npos);
}

TEST_F(PersonProcessorTest, BatchAppliesInIngestionOrderInOneTransaction) {
  auto results = processor_->ProcessBatch({
      Event("e", "anon-b", R"({"$set":{"x":1}})"),
      Event("$identify", "user-b", R"({"$anon_distinct_id":"anon-b"})"),
      Event("e", "user-b", R"({"$set":{"x":2}})", 1),
  });
  ASSERT_TRUE(results.ok());
  EXPECT_EQ((*results)[0].person_id, (*results)[2].person_id);
  EXPECT_NE(PersonOf("anon-b").properties.find(R"("x":2)"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::persons
