// Behavioural cohorts on the real binary: events captured with their timestamps, a cohort saved
// with behavioural criteria through the cohorts API, its persons listed, and a trends query
// filtered and broken down by it, all evaluated against the server's clock.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Now minus `days`, as an ISO-8601 UTC timestamp.
std::string DaysAgo(int days) {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() -
                                                       std::chrono::hours(24 * days));
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

class BehavioralCohortsTest : public ::testing::Test {
 protected:
  HttpResponse Api(const std::string& method, const std::string& target,
                   const std::string& body = {}) {
    return HttpRequest(server_.port(), method, target, body,
                       Headers{{"Authorization", std::string("Bearer ") + kTestPersonalApiKey},
                               {"Content-Type", "application/json"}});
  }
  void Capture(const std::string& distinct_id, const std::string& event, int days_ago) {
    std::string body = R"({"api_key":")" + std::string(kTestProjectToken) + R"(","event":")" +
                       event + R"(","distinct_id":")" + distinct_id + R"(","timestamp":")" +
                       DaysAgo(days_ago) + R"("})";
    ASSERT_EQ(server_.Post("/capture/", body).status, 200);
  }
  int64_t CreateCohort(const std::string& criteria) {
    HttpResponse created = Api("POST", "/api/projects/1/cohorts/",
                               R"({"name": "b", "filters": {"properties": {"type": "AND",
                                   "values": [)" +
                                   criteria + "]}}}");
    EXPECT_EQ(created.status, 201) << created.body;
    if (created.status != 201) return 0;
    return int64_t(parser_.parse(created.body)["id"]);
  }
  // The distinct ids of the cohort's persons, sorted.
  std::vector<std::string> Members(int64_t cohort) {
    HttpResponse listed =
        Api("GET", "/api/projects/1/cohorts/" + std::to_string(cohort) + "/persons/");
    EXPECT_EQ(listed.status, 200) << listed.body;
    std::vector<std::string> ids;
    if (listed.status != 200) return ids;
    for (simdjson::dom::element person : parser_.parse(listed.body)["results"].get_array()) {
      ids.emplace_back(std::string_view(person["distinct_ids"].at(0)));
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  // The count of a trends query of "report viewed" over the last 60 days filtered by `cohort`.
  int64_t TrendsCount(int64_t cohort) {
    HttpResponse answer =
        Api("POST", "/api/projects/1/query/",
            R"({"query": {"kind": "TrendsQuery", "dateRange": {"date_from": "-60d"},
            "series": [{"kind": "EventsNode", "event": "report viewed"}],
            "properties": [{"key": "id", "value": )" +
                std::to_string(cohort) + R"(, "type": "cohort"}]}})");
    EXPECT_EQ(answer.status, 200) << answer.body;
    if (answer.status != 200) return -1;
    return int64_t(parser_.parse(answer.body)["results"].at(0)["count"]);
  }

  TempDir dir_;
  TestServer server_{dir_.path()};
  simdjson::dom::parser parser_;
};

constexpr char kViewedInTheLast30Days[] =
    R"({"type": "behavioral", "value": "performed_event", "key": "report viewed",
        "event_type": "events", "time_value": 30, "time_interval": "day")";

TEST_F(BehavioralCohortsTest, PersonsListsAndTrendsFiltersEvaluateTheCriteria) {
  // u1: three views in the last days; u2: one; u3: one, 40 days ago, and a signup.
  for (int days : {1, 2, 3}) Capture("u1", "report viewed", days);
  Capture("u2", "report viewed", 2);
  Capture("u3", "report viewed", 40);
  Capture("u3", "signed up", 1);
  ASSERT_EQ(CountResults(WaitForEvents(server_, "", 6)), 6u);

  const int64_t viewed = CreateCohort(std::string(kViewedInTheLast30Days) + "}");
  EXPECT_EQ(Members(viewed), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(TrendsCount(viewed), 4);

  const int64_t often = CreateCohort(
      R"({"type": "behavioral", "value": "performed_event_multiple", "key": "report viewed",
          "event_type": "events", "time_value": 30, "time_interval": "day", "operator": "gte",
          "operator_value": 2})");
  EXPECT_EQ(Members(often), std::vector<std::string>{"u1"});
  EXPECT_EQ(TrendsCount(often), 3);

  // Signed up, and did not view a report in the last 30 days.
  const int64_t lapsed = CreateCohort(std::string(kViewedInTheLast30Days) + R"(, "negation": true},
      {"type": "behavioral", "value": "performed_event", "key": "signed up",
       "event_type": "events", "time_value": 7, "time_interval": "day"})");
  EXPECT_EQ(Members(lapsed), std::vector<std::string>{"u3"});
  EXPECT_EQ(TrendsCount(lapsed), 1);

  // A breakdown by the cohorts counts each person's events in each of its cohorts.
  HttpResponse broken = Api("POST", "/api/projects/1/query/",
                            R"({"query": {"kind": "TrendsQuery", "dateRange": {"date_from": "-60d"},
          "series": [{"kind": "EventsNode", "event": "report viewed"}],
          "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [)" +
                                std::to_string(often) + "," + std::to_string(lapsed) + "]}}}");
  ASSERT_EQ(broken.status, 200) << broken.body;
  std::vector<std::pair<int64_t, int64_t>> counts;
  for (simdjson::dom::element line : parser_.parse(broken.body)["results"].get_array()) {
    counts.emplace_back(int64_t(line["breakdown_value"]), int64_t(line["count"]));
  }
  std::sort(counts.begin(), counts.end());
  EXPECT_EQ(counts, (std::vector<std::pair<int64_t, int64_t>>{{often, 3}, {lapsed, 1}}));
}

TEST_F(BehavioralCohortsTest, UnevaluatedCriteriaAreRefusedNamingTheValue) {
  HttpResponse refused = Api("POST", "/api/projects/1/cohorts/",
                             R"({"name": "r", "filters": {"properties": {"type": "AND", "values": [
        {"type": "behavioral", "value": "performed_event_daily", "key": "report viewed",
         "event_type": "events", "time_value": 1, "time_interval": "day"}]}}})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(refused.body.find("performed_event_daily"), std::string::npos) << refused.body;
}

}  // namespace
}  // namespace hoglet::testing
