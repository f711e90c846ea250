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

}  // namespace
}  // namespace hoglet::api
