// GET /api/projects/{id}/events/ over a real columnar store: property filters with the filter
// model, among them a regex over a megabyte property (std::regex overflowed the stack on it).
#include "api/events_handler.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "base/url.h"
#include "store/columnar_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;

class EventsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.fsync = false;
    options.merge_threads = 0;
    auto opened = store::OpenColumnarStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    context_.store = store_.get();
  }

  void TearDown() override {
    ApiFixture::TearDown();
    store_->Close();
  }

  void Append(uint8_t n, const string& distinct_id, string properties) {
    store::Event event;
    event.uuid.bytes[15] = n;
    event.team_id = project_.id;
    event.event = "big";
    event.distinct_id = distinct_id;
    event.timestamp_us = kStartUs - 1000 + n;
    event.created_at_us = event.timestamp_us;
    event.properties = std::move(properties);
    ASSERT_TRUE(store_->Append({event}, {0, n}).ok());
  }

  // The distinct ids listed for `filters` (a JSON list), or the response when it is not a 200.
  std::set<string> List(const string& filters, http::Response* response = nullptr) {
    http::Response got =
        Call("GET", "/api/projects/1/events/?properties=" + PercentEncode(filters), key_);
    if (response != nullptr) *response = got;
    std::set<string> ids;
    if (got.status != 200) return ids;
    auto doc = ParseJson(got.body);
    for (auto event : doc->root["results"].get_array()) {
      ids.insert(string(std::string_view(event["distinct_id"])));
    }
    return ids;
  }

  std::unique_ptr<store::EventStore> store_;
};

TEST_F(EventsHandler, RegexOverAMegabytePropertyAnswers) {
  string big(1 << 20, 'a');
  for (size_t i = 1; i < big.size(); i += 2) big[i] = 'b';
  Append(1, "plain", R"({"big":")" + big + "\"}");
  Append(2, "ends-in-c", R"({"big":")" + big + "c\"}");

  http::Response response;
  EXPECT_EQ(List(R"([{"key":"big","value":"(a|b)*c","operator":"regex"}])", &response),
            std::set<string>{"ends-in-c"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(List(R"([{"key":"big","value":"(a|b)*c","operator":"not_regex"}])", &response),
            std::set<string>{"plain"});
  EXPECT_EQ(response.status, 200);

  List(R"([{"key":"big","value":"(a|b","operator":"regex"}])", &response);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("properties[0]: the filter on 'big' has a regex that RE2 cannot "
                               "use: missing ): (a|b"),
            string::npos)
      << response.body;
}

TEST_F(EventsHandler, FiltersWithPostHogsSemantics) {
  Append(1, "chrome", R"({"$browser":"Chrome","n":5,"at":"2024-01-02"})");
  Append(2, "firefox", R"({"$browser":"Firefox","n":"5.0","at":"2024-03-01T10:00:00"})");
  Append(3, "none", R"({"$browser":null})");
  using Ids = std::set<string>;
  EXPECT_EQ(List(R"([{"key":"$browser","value":"chrome"}])"), Ids{"chrome"});
  EXPECT_EQ(List(R"([{"key":"n","value":"5"}])"), Ids{"chrome"});
  EXPECT_EQ(List(R"([{"key":"n","value":5,"operator":"gte"}])"), (Ids{"chrome", "firefox"}));
  EXPECT_EQ(List(R"([{"key":"$browser","value":"null"}])"), Ids{"none"});
  EXPECT_EQ(List(R"([{"key":"at","value":"2024-02-01","operator":"is_date_after"}])"),
            Ids{"firefox"});
  EXPECT_EQ(List(R"({"type":"OR","values":[{"key":"$browser","value":"Firefox"},
                                           {"key":"$browser","operator":"is_not_set"}]})"),
            Ids{"firefox"});
  http::Response response;
  List(R"([{"key":"id","value":1,"type":"cohort"}])", &response);
  EXPECT_EQ(response.status, 400);
}

}  // namespace
}  // namespace hoglet::api::testing
