// Persons' current properties as queries read them from the person store: a block's persons
// loaded in one read, then answered from memory.
#include "api/query_persons.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/fake_person_store.h"

namespace hoglet::api {
namespace {

Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = 0x51;
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

class StoredPersonPropertiesTest : public ::testing::Test {
 protected:
  void AddPerson(int n, std::string properties, int64_t team_id = 1) {
    persons::Person person;
    person.team_id = team_id;
    person.uuid = PersonUuid(n);
    person.properties = std::move(properties);
    store_.persons.push_back(person);
  }

  // The text of `key` in the properties Of gives; "-" when it has none, the error otherwise.
  std::string Read(StoredPersonProperties& properties, int n, const std::string& key) {
    StatusOr<const filters::Properties*> read = properties.Of(PersonUuid(n));
    if (!read.ok()) return read.status().ToString();
    auto found = (*read)->find(key);
    return found != (*read)->end() ? found->second.ToText() : "-";
  }

  hoglet::testing::FakePersonStore store_;
};

TEST_F(StoredPersonPropertiesTest, LoadedPersonsAreAnsweredWithoutAskingTheStoreAgain) {
  AddPerson(1, R"({"plan": "pro"})");
  AddPerson(2, R"({"plan": "free"})");
  AddPerson(3, "not json");
  AddPerson(4, R"({"plan": "other team"})", /*team_id=*/2);
  StoredPersonProperties properties(store_, 1);
  ASSERT_TRUE(properties
                  .Load({PersonUuid(1), PersonUuid(2), PersonUuid(1), PersonUuid(3), PersonUuid(4),
                         PersonUuid(5)})
                  .ok());
  store_.fail = true;  // every read from now on must come from memory
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  EXPECT_EQ(Read(properties, 2, "plan"), "free");
  EXPECT_EQ(Read(properties, 3, "plan"), "-");  // not a JSON object: no properties
  EXPECT_EQ(Read(properties, 4, "plan"), "-");  // another project's person
  EXPECT_EQ(Read(properties, 5, "plan"), "-");  // no record (personless events)
  EXPECT_TRUE(properties.Load({PersonUuid(2), PersonUuid(5)}).ok());  // nothing left to read
}

TEST_F(StoredPersonPropertiesTest, PersonsNotLoadedAreReadOneByOneAndStoreErrorsPass) {
  AddPerson(1, R"({"plan": "pro"})");
  StoredPersonProperties properties(store_, 1);
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  store_.fail = true;
  EXPECT_EQ(Read(properties, 1, "plan"), "pro");
  EXPECT_EQ(properties.Load({PersonUuid(2)}).code(), StatusCode::kUnavailable);
  EXPECT_NE(Read(properties, 2, "plan"), "-");
}

TEST_F(StoredPersonPropertiesTest, KeepOnlyReadsTheKeptKeysOfEachPerson) {
  AddPerson(1, R"({"plan": "pro", "email": "a@x.com", "country": "FR", "plan": "team"})");
  AddPerson(2, R"({"plan": NaN, "email": "b@x.com", "big": 123456789012345678901234567890})");
  AddPerson(3, R"({"email": "c@x.com"})");
  StoredPersonProperties properties(store_, 1);
  properties.KeepOnly({"country", "plan"});
  ASSERT_TRUE(properties.Load({PersonUuid(1), PersonUuid(2)}).ok());
  EXPECT_EQ(Read(properties, 1, "plan"), "team");  // a repeated key keeps its last value
  EXPECT_EQ(Read(properties, 1, "country"), "FR");
  EXPECT_EQ(Read(properties, 1, "email"), "-");  // not kept
  // Not strict JSON: read as ParseProperties reads it (NaN is null), then only the kept keys.
  StatusOr<const filters::Properties*> second = properties.Of(PersonUuid(2));
  ASSERT_TRUE(second.ok());
  ASSERT_EQ((*second)->size(), 1u);
  EXPECT_EQ((*second)->at("plan").kind, filters::PropertyValue::Kind::kNull);
  EXPECT_EQ(Read(properties, 3, "email"), "-");  // read one by one: kept keys only too
}

}  // namespace
}  // namespace hoglet::api
