// Saved insights and dashboards on the real binary: an insight's result is its query run through
// the query API's path, cached under the same key as POST …/query/, shown on the dashboards it is
// placed on, and recomputed when asked once new events arrive.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr char kQuery[] =
    R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery","dateRange":{"date_from":"-7d"},)"
    R"("series":[{"kind":"EventsNode","event":"report viewed"}]}})";

class InsightsApiTest : public ::testing::Test {
 protected:
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = {}) {
    return HttpRequest(server_.port(), method, target, body,
                       Headers{{"Authorization", std::string("Bearer ") + kTestPersonalApiKey},
                               {"Content-Type", "application/json"}});
  }
  void Capture(const std::string& distinct_id) {
    std::string body = R"({"api_key":")" + std::string(kTestProjectToken) +
                       R"(","event":"report viewed","distinct_id":")" + distinct_id + R"("})";
    ASSERT_EQ(server_.Post("/capture/", body).status, 200);
  }
  // The total count of the first series of an insight body's `result`; -1 without one.
  static int64_t ResultCount(simdjson::dom::element insight) {
    int64_t count = -1;
    if (insight["result"].at(0)["count"].get(count) != simdjson::SUCCESS) return -1;
    return count;
  }

  TempDir dir_;
  TestServer server_{dir_.path()};
  simdjson::dom::parser parser_;
};

TEST_F(InsightsApiTest, ResultsAreComputedWhenAskedAndSharedWithTheQueryApi) {
  Capture("u1");
  Capture("u1");
  Capture("u2");
  ASSERT_EQ(CountResults(WaitForEvents(server_, "event=report%20viewed", 3)), 3u);

  HttpResponse created = Api("POST", "/api/projects/1/insights/",
                             std::string(R"({"name":"Views","query":)") + kQuery + "}");
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = int64_t(parser_.parse(created.body)["id"]);
  const std::string path = "/api/projects/1/insights/" + std::to_string(id) + "/";
  EXPECT_TRUE(parser_.parse(created.body)["result"].is_null());

  // Computed on request, then served from the cache, which POST /query/ shares. The cache key
  // holds the minute, so a pair that straddles a minute boundary is tried again.
  bool cached = false;
  for (int attempt = 0; attempt < 3 && !cached; ++attempt) {
    HttpResponse computed = Api("GET", path + "?refresh=blocking");
    ASSERT_EQ(computed.status, 200) << computed.body;
    simdjson::dom::element insight = parser_.parse(computed.body);
    EXPECT_EQ(ResultCount(insight), 3) << computed.body;
    EXPECT_FALSE(insight["last_refresh"].is_null());
    HttpResponse again = Api("GET", path);
    ASSERT_EQ(again.status, 200);
    HttpResponse query = Api("POST", "/api/projects/1/query/",
                             std::string(R"({"query":)") + kQuery + R"(,"refresh":"force_cache"})");
    ASSERT_EQ(query.status, 200) << query.body;
    simdjson::dom::element answer = parser_.parse(query.body);
    bool query_cached = false;
    cached = answer["is_cached"].get(query_cached) == simdjson::SUCCESS && query_cached &&
             ResultCount(parser_.parse(again.body)) == 3;
  }
  EXPECT_TRUE(cached) << "the insight's answer is the query API's cache entry";

  // On a dashboard: the tile's insight carries the same result; new events need a refresh.
  HttpResponse dashboard = Api("POST", "/api/projects/1/dashboards/", R"({"name":"Reports"})");
  ASSERT_EQ(dashboard.status, 201) << dashboard.body;
  const int64_t dashboard_id = int64_t(parser_.parse(dashboard.body)["id"]);
  ASSERT_EQ(Api("PATCH", path, "{\"dashboards\":[" + std::to_string(dashboard_id) + "]}").status,
            200);
  Capture("u3");
  ASSERT_EQ(CountResults(WaitForEvents(server_, "event=report%20viewed", 4)), 4u);
  HttpResponse shown = Api(
      "GET", "/api/projects/1/dashboards/" + std::to_string(dashboard_id) + "/?refresh=blocking");
  ASSERT_EQ(shown.status, 200) << shown.body;
  simdjson::dom::element tile = parser_.parse(shown.body)["tiles"].at(0);
  EXPECT_EQ(int64_t(tile["insight"]["id"]), id);
  EXPECT_EQ(ResultCount(tile["insight"]), 4) << shown.body;
  EXPECT_EQ(int64_t(tile["insight"]["dashboards"].at(0)), dashboard_id);
}

TEST_F(InsightsApiTest, AStoredQueryTheServerCannotRunIsRefused) {
  HttpResponse refused = Api("POST", "/api/projects/1/insights/",
                             R"({"query":{"kind":"InsightVizNode","source":{"kind":"Nope"}}})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("\"attr\":\"query\""), std::string::npos) << refused.body;
  HttpResponse listed = Api("GET", "/api/projects/1/insights/");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(int64_t(parser_.parse(listed.body)["count"]), 0);
}

}  // namespace
}  // namespace hoglet::testing
