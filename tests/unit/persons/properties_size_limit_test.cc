// The person and group properties size limits of person processing, and the bounded-memory
// form of ProcessBatch.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "persons/person_processor.h"
#include "persons/person_uuid.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::persons {
namespace {

constexpr int64_t kTeam = 1;
constexpr size_t kLimit = 1024;

// `{"<key>":"xxxx…"}` whose text is about `bytes` long.
std::string SetOf(const std::string& key, size_t bytes) {
  return R"({"$set":{")" + key + R"(":")" + std::string(bytes, 'x') + R"("}})";
}

class PropertiesSizeLimit : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqlitePersonStore(dir_.Join("persons.db"));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    PersonProcessorOptions options;
    options.max_person_properties_bytes = kLimit;
    options.max_group_properties_bytes = kLimit;
    processor_ = std::make_unique<PersonProcessor>(*store_, options);
  }

  PersonEventInput Event(std::string event, std::string distinct_id, std::string properties) {
    PersonEventInput in;
    in.team_id = kTeam;
    in.event_uuid = Uuid::V7(++counter_);
    in.event = std::move(event);
    in.distinct_id = std::move(distinct_id);
    in.timestamp_us = 1'700'000'000'000'000 + counter_;
    in.properties = std::move(properties);
    return in;
  }

  PersonEventResult Process(const PersonEventInput& in, PersonProcessor* processor = nullptr) {
    auto results = (processor != nullptr ? processor : processor_.get())->ProcessBatch({in});
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() && !results->empty() ? (*results)[0] : PersonEventResult{};
  }

  Person PersonOf(const std::string& distinct_id) {
    auto person = store_->PersonByDistinctId(kTeam, distinct_id);
    EXPECT_TRUE(person.ok() && person->has_value()) << distinct_id;
    return person.ok() && person->has_value() ? **person : Person{};
  }

  std::vector<IngestionWarning> Warnings() {
    auto warnings = store_->ListWarnings(kTeam, 100);
    EXPECT_TRUE(warnings.ok());
    return warnings.ok() ? *warnings : std::vector<IngestionWarning>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<PersonStore> store_;
  std::unique_ptr<PersonProcessor> processor_;
  int64_t counter_ = 0;
};

TEST_F(PropertiesSizeLimit, UpdatePastTheLimitIsRefusedWithWarning) {
  Process(Event("e", "u", R"({"$set":{"plan":"pro"}})"));
  Person before = PersonOf("u");

  PersonEventInput big = Event("e", "u", SetOf("blob", 2 * kLimit));
  PersonEventResult result = Process(big);

  Person after = PersonOf("u");
  EXPECT_EQ(after.properties, before.properties);
  EXPECT_EQ(after.version, before.version);
  EXPECT_FALSE(result.drop);  // the event itself is still stored
  EXPECT_EQ(result.person_id, before.uuid);
  EXPECT_EQ(result.person_properties, before.properties);  // no copy of the refused $set

  std::vector<IngestionWarning> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].type, "person_properties_size_violation");
  simdjson::dom::parser parser;
  simdjson::dom::element details = parser.parse(warnings[0].details);
  EXPECT_EQ(std::string_view(details["personId"]), before.uuid.ToString());
  EXPECT_EQ(std::string_view(details["distinctId"]), "u");
  EXPECT_EQ(std::string_view(details["eventUuid"]), big.event_uuid.ToString());
  EXPECT_GT(int64_t(details["sizeBytes"]), int64_t(2 * kLimit));
  EXPECT_EQ(int64_t(details["limitBytes"]), int64_t(kLimit));
}

TEST_F(PropertiesSizeLimit, UpdateUpToTheLimitIsApplied) {
  Process(Event("e", "u", R"({"$set":{"plan":"pro"}})"));
  Process(Event("e", "u", SetOf("blob", kLimit / 2)));
  Person person = PersonOf("u");
  EXPECT_NE(person.properties.find("blob"), std::string::npos);
  EXPECT_LE(person.properties.size(), kLimit);
  EXPECT_EQ(person.version, 1);
  EXPECT_TRUE(Warnings().empty());
}

TEST_F(PropertiesSizeLimit, NewPersonPastTheLimitStartsWithoutTheEventsProperties) {
  PersonEventInput big = Event("e", "new", SetOf("blob", 2 * kLimit));
  PersonEventResult result = Process(big);
  Person person = PersonOf("new");
  EXPECT_EQ(person.properties, R"({"$creator_event_uuid":")" + big.event_uuid.ToString() + R"("})");
  EXPECT_EQ(result.person_properties, person.properties);
  EXPECT_FALSE(result.drop);
  ASSERT_EQ(Warnings().size(), 1u);
  EXPECT_EQ(Warnings()[0].type, "person_properties_size_violation");
}

TEST_F(PropertiesSizeLimit, RefusedIdentifyLeavesPersonUnidentified) {
  Process(Event("e", "anon", R"({"$set":{"a":1}})"));
  Process(Event(
      "$identify", "user",
      R"({"$anon_distinct_id":"anon","$set":{"blob":")" + std::string(2 * kLimit, 'x') + R"("}})"));
  Person person = PersonOf("user");
  EXPECT_EQ(person.uuid, DeterministicPersonId(kTeam, "anon"));  // the id is still added
  EXPECT_FALSE(person.is_identified);  // the write, as a whole, was refused
  EXPECT_EQ(person.properties.find("blob"), std::string::npos);
  EXPECT_EQ(Warnings().size(), 1u);
}

TEST_F(PropertiesSizeLimit, MergeWhoseUnionIsPastTheLimitIsRefused) {
  Process(Event("e", "anon", SetOf("from_anon", kLimit * 2 / 3)));
  Process(Event("e", "user", SetOf("from_user", kLimit * 2 / 3)));
  Person anon = PersonOf("anon");
  Person user = PersonOf("user");

  PersonEventResult result =
      Process(Event("$identify", "user", R"({"$anon_distinct_id":"anon","$set":{"n":1}})"));

  // Both persons stay; the event updates its own person as if it had not asked to merge.
  EXPECT_EQ(PersonOf("anon").uuid, anon.uuid);
  EXPECT_EQ(PersonOf("anon").properties, anon.properties);
  Person after = PersonOf("user");
  EXPECT_EQ(after.uuid, user.uuid);
  EXPECT_NE(after.properties.find(R"("n":1)"), std::string::npos);
  EXPECT_EQ(after.properties.find("from_anon"), std::string::npos);
  EXPECT_EQ(result.person_id, user.uuid);
  EXPECT_EQ(result.person_properties, after.properties);
  std::vector<IngestionWarning> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].type, "person_properties_size_violation");
  EXPECT_NE(warnings[0].details.find(user.uuid.ToString()), std::string::npos);
}

TEST_F(PropertiesSizeLimit, PersonAlreadyPastTheLimitMayShrinkButNotGrow) {
  PersonProcessorOptions roomy;
  roomy.max_person_properties_bytes = 4 * kLimit;
  PersonProcessor before_the_limit(*store_, roomy);
  Process(Event("e", "u",
                R"({"$set":{"a":")" + std::string(kLimit * 3 / 4, 'a') + R"(","b":")" +
                    std::string(kLimit * 3 / 4, 'b') + R"("}})"),
          &before_the_limit);
  ASSERT_GT(PersonOf("u").properties.size(), kLimit);

  Process(Event("e", "u", R"({"$set":{"c":1}})"));
  EXPECT_EQ(PersonOf("u").properties.find(R"("c")"), std::string::npos);
  Process(Event("e", "u", R"({"$unset":["a"]})"));
  EXPECT_EQ(PersonOf("u").properties.find(R"("a")"), std::string::npos);
  Process(Event("e", "u", R"({"$set":{"c":1}})"));  // under the limit again
  EXPECT_NE(PersonOf("u").properties.find(R"("c":1)"), std::string::npos);
}

TEST_F(PropertiesSizeLimit, GroupWritePastTheLimitIsRefused) {
  Process(Event("$groupidentify", "g",
                R"({"$group_type":"company","$group_key":"acme","$group_set":{"n":"A"}})"));
  PersonEventResult result =
      Process(Event("$groupidentify", "g",
                    R"({"$group_type":"company","$group_key":"acme","$group_set":{"blob":")" +
                        std::string(2 * kLimit, 'x') + R"("}})"));
  EXPECT_FALSE(result.drop);
  auto group = store_->GroupByKey(kTeam, 0, "acme");
  ASSERT_TRUE(group.ok() && group->has_value());
  EXPECT_EQ((*group)->properties, R"({"n":"A"})");
  EXPECT_EQ((*group)->version, 1);

  Process(Event("$groupidentify", "g",
                R"({"$group_type":"company","$group_key":"huge","$group_set":{"blob":")" +
                    std::string(2 * kLimit, 'x') + R"("}})"));
  auto huge = store_->GroupByKey(kTeam, 0, "huge");
  ASSERT_TRUE(huge.ok());
  EXPECT_FALSE(huge->has_value());

  std::vector<IngestionWarning> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 2u);
  for (const IngestionWarning& warning : warnings) {
    EXPECT_EQ(warning.type, "group_upsert_message_size_too_large");
    EXPECT_NE(warning.details.find(R"("groupTypeIndex":0)"), std::string::npos);
  }
}

TEST_F(PropertiesSizeLimit, BatchStopsOnceResultsReachTheByteBudget) {
  for (int i = 0; i < 4; ++i) Process(Event("e", "p" + std::to_string(i), SetOf("v", 800)));
  std::vector<PersonEventInput> batch;
  for (int i = 0; i < 4; ++i) batch.push_back(Event("e", "p" + std::to_string(i), "{}"));
  // Each result carries ~850 bytes of person properties: 2000 bytes are reached by the third.
  auto results = processor_->ProcessBatch(std::span<const PersonEventInput>(batch), 2000);
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  EXPECT_EQ(results->size(), 3u);
  auto one = processor_->ProcessBatch(std::span<const PersonEventInput>(batch), 0);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto all = processor_->ProcessBatch(std::span<const PersonEventInput>(batch), SIZE_MAX);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
}

TEST_F(PropertiesSizeLimit, RecordWarningCommitsOneWarning) {
  IngestionWarning warning;
  warning.team_id = kTeam;
  warning.type = "ingestion_failed";
  warning.details = R"({"eventUuid":"x"})";
  ASSERT_TRUE(processor_->RecordWarning(warning).ok());
  ASSERT_EQ(Warnings().size(), 1u);
  EXPECT_EQ(Warnings()[0].type, "ingestion_failed");
}

}  // namespace
}  // namespace hoglet::persons
