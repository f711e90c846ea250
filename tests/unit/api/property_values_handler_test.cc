// GET …/events/values/ over a real columnar store and …/persons/values/ over the persons: the
// most frequent values first, at most 10, the last seven days, `value` and `event_name`, and the
// 400 naming a missing key.
#include "api/property_values_handler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store/columnar_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

constexpr int64_t kDayUs = 86'400'000'000;

class PropertyValuesHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.merge_threads = 0;
    options.fsync = false;
    auto opened = store::OpenColumnarStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    context_.store = store_.get();
    context_.persons = &persons_;
  }

  void TearDown() override {
    ApiFixture::TearDown();
    store_->Close();
  }

  // One event `days_ago` days before now.
  void Add(const std::string& event, const std::string& properties, int64_t days_ago = 0) {
    store::Event e;
    e.uuid = Uuid::V7(kStartUs + static_cast<int64_t>(pending_.size()));
    e.team_id = project_.id;
    e.event = event;
    e.distinct_id = "d";
    e.person_id = Uuid::V7(1);
    e.timestamp_us = kStartUs - days_ago * kDayUs - 1000;
    e.created_at_us = e.timestamp_us;
    e.properties = properties;
    pending_.push_back(std::move(e));
  }

  std::string Get(const std::string& target, int status = 200) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    http::Response response = Call("GET", target, key_);
    EXPECT_EQ(response.status, status) << target << ": " << response.body;
    return response.body;
  }

  std::unique_ptr<store::EventStore> store_;
  std::vector<store::Event> pending_;
  uint64_t offset_ = 0;
  FakePersonStore persons_;
};

TEST_F(PropertyValuesHandler, EventValuesMostFrequentFirst) {
  for (int i = 0; i < 3; ++i) Add("view", R"({"$browser":"Chrome"})");
  Add("view", R"({"$browser":"Firefox"})");
  Add("buy", R"({"$browser":"Firefox","n":5})");
  Add("buy", R"({"$browser":"Firefox","n":5})");
  Add("view", R"({"$browser":""})");
  Add("view", R"({"$browser":null})");
  Add("view", R"({"$browser":"Opera"})", 9);  // before the last seven days
  for (int i = 0; i < 12; ++i) Add("many", R"({"k":"v)" + std::to_string(i) + R"("})");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=%24browser"),
            R"([{"name":"Chrome"},{"name":"Firefox"}])");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=%24browser&value=FIRE"),
            R"([{"name":"Firefox"}])");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=%24browser&event_name=buy"),
            R"([{"name":"Firefox"}])");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=%24browser&event_name=buy&event_name=view"),
            R"([{"name":"Chrome"},{"name":"Firefox"}])");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=n"), R"([{"name":"5"}])");
  EXPECT_EQ(Get("/api/projects/1/events/values/?key=it%27s"), "[]");
  std::string many = Get("/api/projects/1/events/values/?key=k");
  EXPECT_EQ(std::count(many.begin(), many.end(), '{'), 10) << many;
  EXPECT_NE(Get("/api/projects/1/events/values/", 400).find("key: "), std::string::npos);
}

TEST_F(PropertyValuesHandler, PersonValuesWithTheirCounts) {
  for (const char* properties :
       {R"({"email":"a@x.io","age":30})", R"({"email":"a@x.io","vip":true})",
        R"({"email":"b@x.io","age":30})", R"({"email":""})", "not json"}) {
    persons::Person person;
    person.uuid = Uuid::V7(kStartUs + static_cast<int64_t>(persons_.persons.size()));
    person.team_id = project_.id;
    person.properties = properties;
    persons_.persons.push_back(person);
  }
  EXPECT_EQ(Get("/api/projects/1/persons/values/?key=email"),
            R"([{"name":"a@x.io","count":2},{"name":"b@x.io","count":1}])");
  EXPECT_EQ(Get("/api/projects/1/persons/values/?key=email&value=B%40"),
            R"([{"name":"b@x.io","count":1}])");
  EXPECT_EQ(Get("/api/projects/1/persons/values/?key=age"), R"([{"name":30,"count":2}])");
  EXPECT_EQ(Get("/api/projects/1/persons/values/?key=vip"), R"([{"name":true,"count":1}])");
  EXPECT_EQ(Get("/api/projects/1/persons/values/?key=none"), "[]");
  EXPECT_NE(Get("/api/projects/1/persons/values/?value=a", 400).find("key: "), std::string::npos);
}

}  // namespace
}  // namespace hoglet::api::testing
