// The groups an insight's actors are, read from the person store: found again from their
// GroupActor, created at the epoch when they have no record, written as PostHog's actors query
// writes groups, and searched by key or name.
#include "api/group_actors.h"

#include <gtest/gtest.h>

#include <string>

#include "base/json_writer.h"
#include "base/time_format.h"
#include "query/trends_runner.h"
#include "tests/support/fake_person_store.h"

namespace hoglet::api {
namespace {

class StoredGroupActorsTest : public ::testing::Test {
 protected:
  void AddGroup(const std::string& key, std::string properties, int index = 0,
                int64_t team_id = 1) {
    persons::Group group;
    group.team_id = team_id;
    group.group_type_index = index;
    group.group_key = key;
    group.properties = std::move(properties);
    group.created_at_us = *ParseIsoMicros("2024-01-02T03:04:05Z");
    store_.groups.push_back(group);
  }

  hoglet::testing::FakePersonStore store_;
};

TEST_F(StoredGroupActorsTest, GroupsAreFoundFromTheirActorsInTheirTypeAndProjectOnly) {
  AddGroup("acme", R"({"name": "Acme Inc"})");
  AddGroup("globex", R"({"name": "Globex"})", /*index=*/1);
  AddGroup("initech", R"({"name": "Initech"})", 0, /*team_id=*/2);
  StoredGroupActors groups(store_, 1, 0);
  auto acme = groups.Find(query::GroupActor(0, "acme"));
  ASSERT_TRUE(acme.ok());
  ASSERT_NE(*acme, nullptr);
  EXPECT_EQ((*acme)->group_key, "acme");
  EXPECT_EQ(*groups.Find(query::GroupActor(1, "globex")), nullptr);   // another type
  EXPECT_EQ(*groups.Find(query::GroupActor(0, "initech")), nullptr);  // another project
  EXPECT_EQ(*groups.CreatedAtUs(query::GroupActor(0, "acme")),
            *ParseIsoMicros("2024-01-02T03:04:05Z"));
  EXPECT_EQ(*groups.CreatedAtUs(query::GroupActor(0, "initech")), 0);  // no record: the epoch
}

TEST_F(StoredGroupActorsTest, AGroupIsWrittenAndSearchedAsPostHogsActorsQueryDoes) {
  AddGroup("acme", R"({"name": "Acme Inc", "size": 5})");
  AddGroup("broken", "not json");
  JsonWriter w;
  WriteGroupActor(store_.groups[0], &w);
  EXPECT_EQ(
      std::move(w).Take(),
      R"({"id":"acme","type":"group","properties":{"name": "Acme Inc", "size": 5},)"
      R"("group_key":"acme","group_type_index":0,"created_at":"2024-01-02T03:04:05.000000+00:00",)"
      R"("group_properties":{"name": "Acme Inc", "size": 5}})");
  JsonWriter broken;
  WriteGroupActor(store_.groups[1], &broken);
  EXPECT_NE(std::move(broken).Take().find(R"("properties":{},)"), std::string::npos);
  EXPECT_TRUE(GroupMatches(store_.groups[0], "ACME i"));  // the name, any case
  EXPECT_TRUE(GroupMatches(store_.groups[0], "cme"));     // the key
  EXPECT_FALSE(GroupMatches(store_.groups[0], "globex"));
  EXPECT_TRUE(GroupMatches(store_.groups[1], "brok"));
}

}  // namespace
}  // namespace hoglet::api
