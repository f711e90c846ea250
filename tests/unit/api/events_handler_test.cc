// GET /api/projects/{id}/events/ over a real columnar store: the byte bound of one page, the
// `next` that continues it, the bounds of `limit`, and property filters with the filter model,
// among them a regex over a megabyte property (std::regex overflowed the stack on it).
#include "api/events_handler.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "base/url.h"
#include "store/columnar_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;

constexpr int64_t kMinuteUs = 60'000'000;

class EventsHandler : public ApiFixture {
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
  }

  void TearDown() override {
    ApiFixture::TearDown();
    store_->Close();
  }

  // Stores events n = 0..sizes.size()-1, one minute apart (n = 0 oldest), each with a property
  // "pad" of sizes[n] bytes.
  void Store(const std::vector<size_t>& sizes) {
    std::vector<store::Event> events;
    for (size_t n = 0; n < sizes.size(); ++n) {
      store::Event event;
      event.uuid = Uuid::V7(kStartUs + static_cast<int64_t>(n));
      event.team_id = project_.id;
      event.event = "e";
      event.distinct_id = "d";
      event.person_id = Uuid::V7(1);
      event.timestamp_us = kStartUs + static_cast<int64_t>(n) * kMinuteUs;
      event.created_at_us = event.timestamp_us;
      event.properties =
          R"({"n":)" + std::to_string(n) + R"(,"pad":")" + string(sizes[n], 'p') + R"("})";
      events.push_back(std::move(event));
    }
    ASSERT_TRUE(store_->Append(std::move(events), {0, ++offset_}).ok());
  }

  struct Page {
    int status = 0;
    std::vector<int64_t> ns;
    string next;  // path and query of `next`; empty when null
    size_t bytes = 0;
  };

  Page Get(const string& target) {
    http::Response response = Call("GET", target, key_);
    Page page;
    page.status = response.status;
    page.bytes = response.body.size();
    if (response.status != 200) return page;
    auto doc = ParseJson(response.body);
    for (simdjson::dom::element event : simdjson::dom::array(doc->root["results"])) {
      page.ns.push_back(int64_t(event["properties"]["n"]));
    }
    std::string_view next;
    if (doc->root["next"].get(next) == simdjson::SUCCESS) {
      page.next = string(next.substr(next.find("/api/")));
    }
    return page;
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
  uint64_t offset_ = 0;
};

TEST_F(EventsHandler, APageStopsOnceItsBodyPassesTheByteCapAndNextContinuesIt) {
  Store(std::vector<size_t>(7, 1000));
  context_.response_limits.events_page_bytes = 3000;  // passed by the third event of a page
  Page first = Get("/api/projects/1/events/?limit=5");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.ns, (std::vector<int64_t>{6, 5, 4}));
  ASSERT_FALSE(first.next.empty());
  EXPECT_LT(first.bytes, 3000u + 1500u);

  // `next` keeps the other parameters (limit=5) and moves the cursor past event 4.
  Page second = Get(first.next);
  EXPECT_EQ(second.ns, (std::vector<int64_t>{3, 2, 1}));
  ASSERT_FALSE(second.next.empty());
  Page third = Get(second.next);
  EXPECT_EQ(third.ns, std::vector<int64_t>{0});
  EXPECT_TRUE(third.next.empty());
}

TEST_F(EventsHandler, AnEventBiggerThanTheCapComesAloneAndWhole) {
  Store({10, 20'000, 10});
  context_.response_limits.events_page_bytes = 2500;
  Page first = Get("/api/projects/1/events/");
  EXPECT_EQ(first.ns, (std::vector<int64_t>{2, 1}));
  EXPECT_GT(first.bytes, 20'000u);
  Page second = Get(first.next);
  EXPECT_EQ(second.ns, std::vector<int64_t>{0});
  EXPECT_TRUE(second.next.empty());
}

TEST_F(EventsHandler, SmallEventsFillTheLimitAcrossStoreReads) {
  // More than one store read (the first asks for 100) and exactly the limit.
  Store(std::vector<size_t>(250, 1));
  Page page = Get("/api/projects/1/events/?limit=240");
  ASSERT_EQ(page.ns.size(), 240u);
  EXPECT_EQ(page.ns.front(), 249);
  EXPECT_EQ(page.ns.back(), 10);
  ASSERT_FALSE(page.next.empty());
  Page rest = Get(page.next);
  EXPECT_EQ(rest.ns.size(), 10u);
  EXPECT_EQ(rest.ns.back(), 0);
  EXPECT_TRUE(rest.next.empty());
}

TEST_F(EventsHandler, TheDefaultCapBoundsAPageOfBigEvents) {
  // 40 events of 200 KB: 8 MB asked for, about 4 MiB answered.
  Store(std::vector<size_t>(40, 200'000));
  Page page = Get("/api/projects/1/events/?limit=40");
  EXPECT_EQ(page.ns.size(), 21u);
  EXPECT_LT(page.bytes, (4u << 20) + 250'000u);
  EXPECT_FALSE(page.next.empty());
}

TEST_F(EventsHandler, LimitIsBounded) {
  EXPECT_EQ(Get("/api/projects/1/events/?limit=0").status, 400);
  EXPECT_EQ(Get("/api/projects/1/events/?limit=10001").status, 400);
  EXPECT_EQ(Get("/api/projects/1/events/?limit=10000").status, 200);
}

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
  // HogQL's reading (analytics §4.3): `exact` is case-sensitive, a JSON null is no value.
  EXPECT_EQ(List(R"([{"key":"$browser","value":"Chrome"}])"), Ids{"chrome"});
  EXPECT_EQ(List(R"([{"key":"$browser","value":"chrome"}])"), Ids{});
  EXPECT_EQ(List(R"([{"key":"n","value":"5"}])"), Ids{"chrome"});
  EXPECT_EQ(List(R"([{"key":"n","value":5,"operator":"gte"}])"), (Ids{"chrome", "firefox"}));
  EXPECT_EQ(List(R"([{"key":"$browser","value":"null"}])"), Ids{});
  EXPECT_EQ(List(R"([{"key":"$browser","operator":"is_not_set"}])"), Ids{"none"});
  EXPECT_EQ(List(R"([{"key":"at","value":"2024-02-01","operator":"is_date_after"}])"),
            Ids{"firefox"});
  EXPECT_EQ(List(R"({"type":"OR","values":[{"key":"$browser","value":"Firefox"},
                                           {"key":"$browser","operator":"is_not_set"}]})"),
            (Ids{"firefox", "none"}));
  http::Response response;
  List(R"([{"key":"id","value":1,"type":"cohort"}])", &response);
  EXPECT_EQ(response.status, 400);
}

}  // namespace
}  // namespace hoglet::api::testing
