// GET /api/projects/{id}/events/: authentication, filters, ordering and pagination.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

class EventsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    server_ = new TestServer(dir_->path());
    // 30 events: 3 names × 10, distinct ids u0..u4, timestamps one minute apart.
    std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)";
    for (int i = 0; i < 30; ++i) {
      if (i > 0) batch += ",";
      char ts[64];
      snprintf(ts, sizeof(ts), "2026-03-01T10:%02d:00.000Z", i);
      const char* names[] = {"$pageview", "clicked", "purchased"};
      batch += R"({"event":")" + std::string(names[i % 3]) + R"(","distinct_id":"u)" +
               std::to_string(i % 5) + R"(","timestamp":")" + ts + R"(","properties":{"n":)" +
               std::to_string(i) + R"(,"browser":")" + (i % 2 ? "Firefox" : "Chrome") + R"("}})";
    }
    batch += "]}";
    auto response = server_->Post("/batch/", batch);
    ASSERT_EQ(response.status, 200) << response.body;
    ASSERT_EQ(CountResults(WaitForEvents(*server_, "limit=100", 30)), 30u);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static std::vector<int64_t> Ns(const std::string& body) {
    simdjson::dom::parser parser;
    std::vector<int64_t> ns;
    for (auto event : parser.parse(body)["results"].get_array()) {
      ns.push_back(int64_t(event["properties"]["n"]));
    }
    return ns;
  }

  static TempDir* dir_;
  static TestServer* server_;
};

TempDir* EventsApiTest::dir_ = nullptr;
TestServer* EventsApiTest::server_ = nullptr;

TEST_F(EventsApiTest, RequiresPersonalApiKey) {
  EXPECT_EQ(server_->Get("/api/projects/1/events/", false).status, 401);
  auto with_project_token =
      HttpRequest(server_->port(), "GET", "/api/projects/1/events/", {},
                  {{"Authorization", std::string("Bearer ") + kTestProjectToken}});
  EXPECT_EQ(with_project_token.status, 401);
  EXPECT_NE(with_project_token.body.find("personal API key"), std::string::npos);
  auto wrong_key = HttpRequest(server_->port(), "GET", "/api/projects/1/events/", {},
                               {{"Authorization", "Bearer phx_wrong"}});
  EXPECT_EQ(wrong_key.status, 401);
}

TEST_F(EventsApiTest, OtherProjectIdsAreNotFound) {
  EXPECT_EQ(server_->Get("/api/projects/2/events/").status, 404);
  EXPECT_EQ(server_->Get("/api/projects/abc/events/").status, 404);
}

TEST_F(EventsApiTest, ListsProjectsOfTheKeysOrganization) {
  auto response = server_->Get("/api/projects/");
  ASSERT_EQ(response.status, 200);
  simdjson::dom::parser parser;
  auto first = parser.parse(response.body)["results"].at(0);
  EXPECT_EQ(int64_t(first["id"]), 1);
  EXPECT_EQ(std::string_view(first["api_token"]), kTestProjectToken);
  EXPECT_EQ(server_->Get("/api/projects/@current/").status, 200);
}

TEST_F(EventsApiTest, NewestFirst) {
  auto ns = Ns(server_->Get("/api/projects/1/events/?limit=5").body);
  EXPECT_EQ(ns, (std::vector<int64_t>{29, 28, 27, 26, 25}));
}

TEST_F(EventsApiTest, FiltersByEventAndDistinctId) {
  auto ns = Ns(server_->Get("/api/projects/1/events/?event=purchased&distinct_id=u2").body);
  EXPECT_EQ(ns, (std::vector<int64_t>{17, 2}));
}

TEST_F(EventsApiTest, FiltersByTimeRange) {
  auto ns = Ns(server_
                   ->Get("/api/projects/1/events/?after=2026-03-01T10:04:00Z&before=2026-03-01T10:"
                         "08:00Z")
                   .body);
  EXPECT_EQ(ns, (std::vector<int64_t>{7, 6, 5}));
}

TEST_F(EventsApiTest, FiltersByProperties) {
  std::string filter =
      "%5B%7B%22key%22%3A%22browser%22%2C%22value%22%3A%22Firefox%22%2C%22"
      "operator%22%3A%22exact%22%7D%2C%7B%22key%22%3A%22n%22%2C%22value%22%3A20%"
      "2C%22operator%22%3A%22gt%22%7D%5D";  // browser = Firefox and n > 20
  auto ns = Ns(server_->Get("/api/projects/1/events/?properties=" + filter).body);
  EXPECT_EQ(ns, (std::vector<int64_t>{29, 27, 25, 23, 21}));
}

TEST_F(EventsApiTest, PaginatesWithNextUntilExhausted) {
  std::set<int64_t> seen;
  std::string target = "/api/projects/1/events/?limit=7";
  int pages = 0;
  while (!target.empty() && pages < 10) {
    auto response = server_->Get(target);
    ASSERT_EQ(response.status, 200);
    for (int64_t n : Ns(response.body)) EXPECT_TRUE(seen.insert(n).second) << n;
    target = NextPageTarget(response.body);
    ++pages;
  }
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_EQ(pages, 5);
}

TEST_F(EventsApiTest, PaginationNeverSkipsEventsSharingATimestamp) {
  // One request without timestamps: every event gets the same receive time.
  std::string batch = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","batch":[)";
  for (int i = 0; i < 25; ++i) {
    batch += std::string(i ? "," : "") + R"({"event":"tied","distinct_id":"t","properties":{"n":)" +
             std::to_string(i) + "}}";
  }
  ASSERT_EQ(server_->Post("/batch/", batch + "]}").status, 200);
  ASSERT_EQ(CountResults(WaitForEvents(*server_, "event=tied&limit=100", 25)), 25u);
  std::set<int64_t> seen;
  std::string target = "/api/projects/1/events/?event=tied&limit=4";
  for (int pages = 0; !target.empty() && pages < 20; ++pages) {
    auto response = server_->Get(target);
    ASSERT_EQ(response.status, 200) << response.body;
    for (int64_t n : Ns(response.body)) EXPECT_TRUE(seen.insert(n).second) << n;
    target = NextPageTarget(response.body);
  }
  EXPECT_EQ(seen.size(), 25u);
}

TEST_F(EventsApiTest, BadParametersAre400WithReason) {
  auto limit = server_->Get("/api/projects/1/events/?limit=20000");
  EXPECT_EQ(limit.status, 400);
  EXPECT_NE(limit.body.find("limit"), std::string::npos);
  EXPECT_EQ(server_->Get("/api/projects/1/events/?after=yesterday").status, 400);
  EXPECT_EQ(server_->Get("/api/projects/1/events/?properties=%5B%7B%7D%5D").status, 400);
  EXPECT_EQ(server_->Get("/api/projects/1/events/?person_id=nope").status, 400);
}

}  // namespace
}  // namespace hoglet::testing
