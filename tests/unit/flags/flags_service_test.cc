// The flags service over a real metadata store and a fake person store: experience continuity,
// static cohorts, the project's time zone, store failures that fail only the flags that needed
// the store, requests answered without the store, group types that appear after the snapshot was
// built, and the local-evaluation document.
#include "flags/flags_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "flags/flag_hash.h"
#include "tests/support/fake_person_store.h"
#include "tests/support/json_doc.h"
#include "tests/support/meta_fixture.h"

namespace hoglet::flags {
namespace {

using ::hoglet::testing::FakePersonStore;
using ::hoglet::testing::JsonDoc;
using ::hoglet::testing::ParseJson;
using std::string;
using std::string_view;

const Uuid kPerson = *Uuid::Parse("00000000-0000-4000-8000-000000000001");

class FlagsServiceTest : public ::hoglet::testing::MetaFixture {
 protected:
  void SetUp() override {
    MetaFixture::SetUp();
    service_ = std::make_unique<FlagsService>(*meta_, persons_, clock_);
  }

  void AddPerson(std::vector<string> distinct_ids, string properties = "{}") {
    persons::Person person;
    person.uuid = kPerson;
    person.team_id = project_.id;
    person.properties = std::move(properties);
    person.distinct_ids = std::move(distinct_ids);
    persons_.persons.push_back(person);
  }

  // The /flags?v=2 answer to a JSON body of the project's token and `fields`, from memory when
  // the service can, else computed as a worker would.
  std::unique_ptr<JsonDoc> Flags(const string& fields) {
    string body = R"({"token":")" + project_.api_token + "\"," + fields + "}";
    auto decoded = DecodeFlagsRequest({.content_type = "application/json",
                                       .content_encoding = "",
                                       .body = body,
                                       .compression = ""},
                                      {});
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    auto call = service_->Accept(std::move(decoded).value(),
                                 AnswerOptionsFor(/*decide=*/false, ParseFlagsQuery("v=2")));
    EXPECT_TRUE(call.ok()) << call.status().ToString();
    if (!call.ok()) return ParseJson("{}");
    if (std::optional<string> answer = service_->AnswerFromMemory(*call)) return ParseJson(*answer);
    auto answer = service_->Answer(*call);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return ParseJson(answer.ok() ? *answer : "{}");
  }

  FakePersonStore persons_;
  std::unique_ptr<FlagsService> service_;
};

constexpr char kFiftyFifty[] =
    R"({"groups":[{"properties":[],"rollout_percentage":100}],"multivariate":{"variants":[)"
    R"({"key":"a","rollout_percentage":50},{"key":"b","rollout_percentage":50}]}})";

string VariantFor(const string& flag_key, const string& id) {
  return FlagHash(flag_key, id, "variant") < 0.5 ? "a" : "b";
}

TEST_F(FlagsServiceTest, ExperienceContinuityKeepsTheAnonymousVariant) {
  CreateFlag("cont", kFiftyFifty, /*continuity=*/true);
  // Two ids that bucket differently, so the test tells the override from plain bucketing.
  string anon = "anon-0";
  for (int i = 1; VariantFor("cont", anon) == VariantFor("cont", "user-1"); ++i) {
    anon = "anon-" + std::to_string(i);
  }
  AddPerson({anon, "user-1"});

  auto first = Flags(R"("distinct_id":"user-1","$anon_distinct_id":")" + anon + "\"");
  EXPECT_EQ(string_view(first->root["flags"]["cont"]["variant"]), VariantFor("cont", anon));
  EXPECT_GE(persons_.add_hash_key_override_calls, 1);
  EXPECT_EQ((persons_.hash_key_overrides[{project_.id, kPerson}]["cont"]), anon);

  // Later requests without the anonymous id still get the stored override.
  auto later = Flags(R"("distinct_id":"user-1")");
  EXPECT_EQ(string_view(later->root["flags"]["cont"]["variant"]), VariantFor("cont", anon));
}

TEST_F(FlagsServiceTest, ContinuityWithoutAPersonBucketsByTheAnonymousId) {
  CreateFlag("cont", kFiftyFifty, /*continuity=*/true);
  string anon = "anon-0";
  for (int i = 1; VariantFor("cont", anon) == VariantFor("cont", "nobody"); ++i) {
    anon = "anon-" + std::to_string(i);
  }
  auto answer = Flags(R"("distinct_id":"nobody","$anon_distinct_id":")" + anon + "\"");
  EXPECT_EQ(string_view(answer->root["flags"]["cont"]["variant"]), VariantFor("cont", anon));
  EXPECT_TRUE(persons_.hash_key_overrides.empty());
  // Without the anonymous id the person is bucketed by their own id.
  auto plain = Flags(R"("distinct_id":"nobody")");
  EXPECT_EQ(string_view(plain->root["flags"]["cont"]["variant"]), VariantFor("cont", "nobody"));
}

TEST_F(FlagsServiceTest, StoredPropertiesAndStaticCohorts) {
  meta::CohortRecord cohort;
  cohort.team_id = project_.id;
  cohort.name = "beta testers";
  cohort.is_static = true;
  auto created = meta_->CreateCohort(cohort);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  CreateFlag("in-cohort", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":)" +
                              std::to_string(created->id) +
                              R"(,"operator":"in"}],"rollout_percentage":100}]})");
  CreateFlag("pro", R"({"groups":[{"properties":[{"key":"plan","value":"pro","type":"person"}],)"
                    R"("rollout_percentage":100}]})");
  CreateFlag("initial-chrome",
             R"({"groups":[{"properties":[{"key":"$initial_browser","value":"Chrome",)"
             R"("type":"person"}],"rollout_percentage":100}]})");
  AddPerson({"user-1"}, R"({"plan":"pro","$browser":"Chrome"})");
  persons_.static_cohorts[{project_.id, created->id}].insert(kPerson);

  auto member = Flags(R"("distinct_id":"user-1")");
  EXPECT_TRUE(bool(member->root["flags"]["in-cohort"]["enabled"]));
  EXPECT_TRUE(bool(member->root["flags"]["pro"]["enabled"]));
  EXPECT_TRUE(bool(member->root["flags"]["initial-chrome"]["enabled"]));

  auto stranger = Flags(R"("distinct_id":"user-2")");
  EXPECT_FALSE(bool(stranger->root["flags"]["in-cohort"]["enabled"]));
  EXPECT_FALSE(bool(stranger->root["flags"]["pro"]["enabled"]));
}

TEST_F(FlagsServiceTest, NaiveDateFiltersReadInTheProjectsTimeZone) {
  CreateFlag("signed-up-in-2023",
             R"({"groups":[{"properties":[{"key":"signed_up","type":"person",)"
             R"("operator":"is_date_before","value":"2024-01-01"}],"rollout_percentage":100}]})");
  // 2023-12-31T12:00Z is still 2023 in UTC, already 2024-01-01 01:00 in Auckland (UTC+13).
  const string request =
      R"("distinct_id":"user-1","person_properties":{"signed_up":"2023-12-31T12:00:00Z"})";
  auto SetTimezone = [this](const string& name) {
    project_.timezone = name;
    auto updated = meta_->UpdateProject(project_);
    ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  };

  EXPECT_EQ(project_.timezone, "UTC");
  EXPECT_TRUE(bool(Flags(request)->root["flags"]["signed-up-in-2023"]["enabled"]));
  SetTimezone("Pacific/Auckland");
  EXPECT_FALSE(bool(Flags(request)->root["flags"]["signed-up-in-2023"]["enabled"]));
  // A property with an explicit offset keeps it: 2023-12-31T10:30Z, before Auckland's new year.
  EXPECT_TRUE(bool(Flags(R"("distinct_id":"user-1","person_properties":)"
                         R"({"signed_up":"2024-01-01T00:30:00+14:00"})")
                       ->root["flags"]["signed-up-in-2023"]["enabled"]));
  // A name the tz database does not know reads as UTC.
  SetTimezone("Mars/Olympus_Mons");
  EXPECT_TRUE(bool(Flags(request)->root["flags"]["signed-up-in-2023"]["enabled"]));
}

TEST_F(FlagsServiceTest, AFailedStoreReadFailsOnlyTheFlagsThatNeedIt) {
  CreateFlag("everyone", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  CreateFlag("pro", R"({"groups":[{"properties":[{"key":"plan","value":"pro","type":"person"}],)"
                    R"("rollout_percentage":100}]})");
  AddPerson({"user-1"}, R"({"plan":"pro"})");
  auto healthy = Flags(R"("distinct_id":"user-1")");  // builds the snapshot
  EXPECT_TRUE(bool(healthy->root["flags"]["pro"]["enabled"]));
  EXPECT_FALSE(bool(healthy->root["errorsWhileComputingFlags"]));

  persons_.fail = true;
  auto broken = Flags(R"("distinct_id":"user-1")");
  EXPECT_TRUE(bool(broken->root["errorsWhileComputingFlags"]));
  EXPECT_TRUE(bool(broken->root["flags"]["pro"]["failed"]));
  EXPECT_FALSE(bool(broken->root["flags"]["pro"]["enabled"]));
  EXPECT_TRUE(bool(broken->root["flags"]["everyone"]["enabled"]));
  EXPECT_EQ(broken->root["flags"]["everyone"]["failed"].error(), simdjson::NO_SUCH_FIELD);
}

TEST_F(FlagsServiceTest, FlagsNeedingNothingStoredNeverTouchTheStore) {
  CreateFlag("everyone", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  auto first = Flags(R"("distinct_id":"u")");  // builds the snapshot
  EXPECT_TRUE(bool(first->root["flags"]["everyone"]["enabled"]));
  persons_.fail = true;  // any read would now fail the flag
  auto second = Flags(R"("distinct_id":"u")");
  EXPECT_TRUE(bool(second->root["flags"]["everyone"]["enabled"]));
  EXPECT_FALSE(bool(second->root["errorsWhileComputingFlags"]));
}

TEST_F(FlagsServiceTest, RequestsSendingEveryPropertyTheFlagsReadSkipTheStore) {
  CreateFlag("pro", R"({"groups":[{"properties":[{"key":"plan","value":"pro","type":"person"}],)"
                    R"("rollout_percentage":100}]})");
  AddPerson({"user-1"}, R"({"plan":"free"})");
  auto stored = Flags(R"("distinct_id":"user-1")");
  EXPECT_FALSE(bool(stored->root["flags"]["pro"]["enabled"]));

  persons_.fail = true;  // any read would now fail the flag
  auto sent = Flags(R"("distinct_id":"user-1","person_properties":{"plan":"pro"})");
  EXPECT_TRUE(bool(sent->root["flags"]["pro"]["enabled"]));
  EXPECT_FALSE(bool(sent->root["errorsWhileComputingFlags"]));
  // Without the property the stored person is needed, and cannot be read.
  auto unsent = Flags(R"("distinct_id":"user-1","person_properties":{"email":"a@b.c"})");
  EXPECT_TRUE(bool(unsent->root["flags"]["pro"]["failed"]));
  EXPECT_TRUE(bool(unsent->root["errorsWhileComputingFlags"]));
}

TEST_F(FlagsServiceTest, NewFlagsAndGroupTypesArePickedUp) {
  CreateFlag("companies", R"({"aggregation_group_type_index":0,"groups":[{"properties":[],)"
                          R"("rollout_percentage":100}]})");
  auto before = Flags(R"("distinct_id":"u","groups":{"company":"acme"})");
  EXPECT_FALSE(bool(before->root["flags"]["companies"]["enabled"]));
  EXPECT_EQ(string_view(before->root["flags"]["companies"]["reason"]["code"]), "no_group_type");

  persons_.group_types.push_back({project_.id, "company", 0});
  clock_.Advance(FlagSnapshots::kGroupTypesRefreshUs);
  auto after = Flags(R"("distinct_id":"u","groups":{"company":"acme"})");
  EXPECT_TRUE(bool(after->root["flags"]["companies"]["enabled"])) << after->root;

  CreateFlag("later", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  auto with_new = Flags(R"("distinct_id":"u")");
  EXPECT_TRUE(bool(with_new->root["flags"]["later"]["enabled"]));
}

TEST_F(FlagsServiceTest, GroupTypesAreReadAtMostOncePerSecond) {
  CreateFlag("companies", R"({"aggregation_group_type_index":0,"groups":[{"properties":[],)"
                          R"("rollout_percentage":100}]})");
  Flags(R"("distinct_id":"u","groups":{"company":"acme"})");
  persons_.group_types.push_back({project_.id, "company", 0});
  // Within the second, the snapshot read before the type existed is still used.
  auto soon = Flags(R"("distinct_id":"u","groups":{"company":"acme"})");
  EXPECT_FALSE(bool(soon->root["flags"]["companies"]["enabled"]));
  EXPECT_NE(service_->snapshots().Current(project_.id), nullptr);
}

TEST_F(FlagsServiceTest, DefinitionsAreComputedOncePerSnapshot) {
  CreateFlag("everyone", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  auto first = service_->snapshots().Definitions(project_.id);
  auto second = service_->snapshots().Definitions(project_.id);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());  // the same document, not a recomputed one
  CreateFlag("another", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  auto third = service_->snapshots().Definitions(project_.id);
  ASSERT_TRUE(third.ok());
  EXPECT_NE((*third)->etag, (*first)->etag);
}

}  // namespace
}  // namespace hoglet::flags
