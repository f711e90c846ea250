// Property filters over real HTTP against the real binary: a regex over a megabyte property
// answers (std::regex once overflowed the stack on it and took the server down), a pattern RE2
// refuses is a 400 naming the filter, and a flag, a cohort, the events list and the persons list
// agree on which values each operator matches.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using std::string;

string PercentEncode(const string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// The distinct ids of an events-list or persons-list body's results.
std::set<string> DistinctIds(const string& body, bool persons) {
  simdjson::dom::parser parser;
  std::set<string> ids;
  simdjson::dom::array results;
  EXPECT_EQ(parser.parse(body)["results"].get_array().get(results), simdjson::SUCCESS) << body;
  for (simdjson::dom::element result : results) {
    if (persons) {
      for (simdjson::dom::element id : result["distinct_ids"].get_array()) {
        ids.insert(string(std::string_view(id)));
      }
    } else {
      ids.insert(string(std::string_view(result["distinct_id"])));
    }
  }
  return ids;
}

class PropertyFiltersTest : public ::testing::Test {
 protected:
  // Events up to 2 MB, so that a 1 MiB property fits in one.
  void SetUp() override {
    server_ = std::make_unique<TestServer>(dir_.path(),
                                           std::vector<string>{"--max-event-bytes", "2000000"});
  }

  HttpResponse Api(const string& method, const string& target, const string& body) {
    return HttpRequest(server_->port(), method, target, body,
                       {{"Authorization", string("Bearer ") + kTestPersonalApiKey},
                        {"Content-Type", "application/json"}});
  }

  // The id of a created flag or cohort.
  int64_t Create(const string& path, const string& body) {
    HttpResponse response = Api("POST", path, body);
    EXPECT_EQ(response.status, 201) << body << " → " << response.body;
    simdjson::dom::parser parser;
    int64_t id = 0;
    EXPECT_EQ(parser.parse(response.body)["id"].get_int64().get(id), simdjson::SUCCESS);
    return id;
  }

  TempDir dir_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(PropertyFiltersTest, RegexOverAMegabytePropertyAnswersAndTheServerStaysUp) {
  string big(1 << 20, 'a');
  for (size_t i = 1; i < big.size(); i += 2) big[i] = 'b';
  for (const char* ending : {"", "c"}) {
    string event = R"({"api_key":")" + string(kTestProjectToken) +
                   R"(","event":"big","distinct_id":"d)" + ending + R"(","properties":{"big":")" +
                   big + ending + "\"}}";
    HttpResponse captured = server_->Post("/e/", event);
    ASSERT_EQ(captured.status, 200) << captured.body;
  }
  ASSERT_EQ(CountResults(WaitForEvents(*server_, "event=big", 2)), 2u);

  string regex = PercentEncode(R"([{"key":"big","value":"(a|b)*c","operator":"regex"}])");
  HttpResponse matched = server_->Get("/api/projects/1/events/?properties=" + regex);
  ASSERT_EQ(matched.status, 200) << matched.body.substr(0, 200);
  EXPECT_EQ(DistinctIds(matched.body, false), std::set<string>{"dc"});
  string not_regex = PercentEncode(R"([{"key":"big","value":"(a|b)*c","operator":"not_regex"}])");
  HttpResponse unmatched = server_->Get("/api/projects/1/events/?properties=" + not_regex);
  ASSERT_EQ(unmatched.status, 200) << unmatched.body.substr(0, 200);
  EXPECT_EQ(DistinctIds(unmatched.body, false), std::set<string>{"d"});

  // A pattern RE2 refuses is the client's mistake, named.
  string invalid = PercentEncode(R"([{"key":"big","value":"(a|b","operator":"regex"}])");
  HttpResponse refused = server_->Get("/api/projects/1/events/?properties=" + invalid);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("the filter on 'big' has a regex that RE2 cannot use: missing )"),
            string::npos)
      << refused.body;
  HttpResponse persons = server_->Get("/api/projects/1/persons/?properties=" + invalid);
  EXPECT_EQ(persons.status, 400);
  EXPECT_NE(persons.body.find("'big'"), string::npos) << persons.body;

  // Still serving.
  EXPECT_EQ(server_->Get("/api/projects/1/events/?limit=1").status, 200);
  EXPECT_EQ(server_->Terminate(), 0) << server_->output();
}

// One value per person and per event (`v`); a filter per operator, as a flag condition, as a
// cohort that a flag targets, on the events list and on the persons list. Flags and cohorts pick
// the same persons, and so do the two lists; the lists read values as PostHog's HogQL does
// (analytics §3.1, §4.3), so where that differs from the flags' reading (case-sensitive `exact`,
// no truthiness, JSON null and "" as no value) the lists' answers are spelled out instead.
TEST_F(PropertyFiltersTest, FlagsCohortsEventsAndPersonsAgreeForEveryOperator) {
  const std::vector<string> values = {
      R"("Chrome")",
      R"("chrome")",
      R"("5")",
      "5",
      "5.5",
      "-2",
      "true",
      "false",
      R"("true")",
      "null",
      R"("")",
      R"("2024-01-02")",
      R"("2024-06-30")",
      R"("1.2.3")",
      R"("v2.0")",
      R"([1,2])",
      "",  // "": no property at all
  };
  const std::vector<string> filters = {
      R"("operator":"exact","value":"chrome")",
      R"("operator":"exact","value":["5","null"])",
      R"("operator":"exact","value":"true")",
      R"("operator":"exact","value":false)",
      R"("operator":"exact","value":5)",
      R"("operator":"is_not","value":"chrome")",
      R"("operator":"is_set")",
      R"("operator":"is_not_set")",
      R"("operator":"icontains","value":"HRO")",
      R"("operator":"not_icontains","value":"5")",
      R"("operator":"icontains_multi","value":["ru","2.3"])",
      R"("operator":"not_icontains_multi","value":["ru","2.3"])",
      R"("operator":"starts_with","value":"CH")",
      R"("operator":"not_starts_with","value":"2024")",
      R"("operator":"ends_with","value":"E")",
      R"("operator":"not_ends_with","value":"0")",
      R"("operator":"regex","value":"^-?[0-9.]+$")",
      R"("operator":"not_regex","value":"^[a-z]")",
      R"("operator":"gt","value":"5")",
      R"("operator":"gte","value":"5")",
      R"("operator":"lt","value":"5.5")",
      R"("operator":"lte","value":"-2")",
      R"("operator":"is_date_before","value":"2024-03-01")",
      R"("operator":"is_date_after","value":"2024-01-01")",
      R"("operator":"is_date_exact","value":"2024-06-30")",
      R"("operator":"semver_eq","value":"1.2.3")",
      R"("operator":"semver_neq","value":"1.2.3")",
      R"("operator":"semver_gt","value":"1.5.0")",
      R"("operator":"semver_lte","value":"2.0.0")",
      R"("operator":"semver_tilde","value":"1.2.0")",
      R"("operator":"semver_caret","value":"2.0.0")",
      R"("operator":"semver_wildcard","value":"1.*")",
  };

  // A person and an event per value: the person's `v` set by the event, which carries it too.
  string batch = R"({"api_key":")" + string(kTestProjectToken) + R"(","batch":[)";
  for (size_t i = 0; i < values.size(); ++i) {
    string properties = values[i].empty()
                            ? R"({"$set":{"w":1}})"
                            : R"({"v":)" + values[i] + R"(,"$set":{"v":)" + values[i] + "}}";
    batch += string(i ? "," : "") + R"({"event":"agree","distinct_id":"p)" + std::to_string(i) +
             R"(","properties":)" + properties + "}";
  }
  ASSERT_EQ(server_->Post("/batch/", batch + "]}").status, 200);
  ASSERT_EQ(CountResults(WaitForEvents(*server_, "event=agree", values.size())), values.size());

  std::vector<std::set<string>> matched_events(filters.size());
  for (size_t f = 0; f < filters.size(); ++f) {
    SCOPED_TRACE(filters[f]);
    string person_filter = R"({"key":"v","type":"person",)" + filters[f] + "}";
    string event_filter = R"({"key":"v","type":"event",)" + filters[f] + "}";
    string key = "f" + std::to_string(f);
    Create("/api/projects/1/feature_flags/",
           R"({"key":")" + key + R"(","filters":{"groups":[{"properties":[)" + person_filter +
               R"(],"rollout_percentage":100}]}})");
    int64_t cohort =
        Create("/api/projects/1/cohorts/", R"({"name":")" + key +
                                               R"(","filters":{"properties":{"type":"AND",)"
                                               R"("values":[)" +
                                               person_filter + "]}}}");
    Create("/api/projects/1/feature_flags/",
           R"({"key":"c)" + key +
               R"(","filters":{"groups":[{"properties":[{"key":"id",)"
               R"("type":"cohort","value":)" +
               std::to_string(cohort) + R"(}],"rollout_percentage":100}]}})");

    HttpResponse events = server_->Get("/api/projects/1/events/?event=agree&properties=" +
                                       PercentEncode("[" + event_filter + "]"));
    ASSERT_EQ(events.status, 200) << events.body;
    std::set<string> by_events = DistinctIds(events.body, false);
    HttpResponse persons = server_->Get("/api/projects/1/persons/?properties=" +
                                        PercentEncode("[" + person_filter + "]"));
    ASSERT_EQ(persons.status, 200) << persons.body;
    std::set<string> by_persons = DistinctIds(persons.body, true);
    EXPECT_EQ(by_events, by_persons);
    EXPECT_FALSE(by_events.empty() || by_events.size() == values.size())
        << "a filter that tells no values apart shows nothing";
    matched_events[f] = std::move(by_events);
  }
  // A few, spelled out: numbers as their JSON text; for the lists, HogQL's readings.
  using Ids = std::set<string>;
  auto all_but = [&](const Ids& left_out) {
    Ids ids;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!left_out.contains("p" + std::to_string(i))) ids.insert("p" + std::to_string(i));
    }
    return ids;
  };
  const std::map<size_t, Ids> hogql_reading = {
      {0, {"p1"}},                                     // exact "chrome": case-sensitive
      {1, {"p2", "p3"}},                               // exact ["5","null"]: null is no value
      {3, {"p7"}},                                     // exact false: the text "false" only
      {5, all_but({"p1"})},                            // is_not "chrome"
      {6, all_but({"p9", "p10", "p16"})},              // is_set: not null, "" or missing
      {7, {"p9", "p10", "p16"}},                       // is_not_set
      {17, all_but({"p1", "p6", "p7", "p8", "p14"})},  // not_regex "^[a-z]": null is no value
  };
  for (const auto& [f, ids] : hogql_reading) {
    EXPECT_EQ(matched_events[f], ids) << filters[f];
  }
  EXPECT_EQ(matched_events[2], (Ids{"p6", "p8"}));
  EXPECT_EQ(matched_events[16], (Ids{"p13", "p2", "p3", "p4", "p5"}));

  simdjson::dom::parser parser;
  for (size_t i = 0; i < values.size(); ++i) {
    string id = "p" + std::to_string(i);
    SCOPED_TRACE(id + " v=" + values[i]);
    HttpResponse flags = server_->Post("/flags/?v=2", R"({"token":")" + string(kTestProjectToken) +
                                                          R"(","distinct_id":")" + id + "\"}");
    ASSERT_EQ(flags.status, 200) << flags.body;
    simdjson::dom::element answer = parser.parse(flags.body)["flags"];
    for (size_t f = 0; f < filters.size(); ++f) {
      SCOPED_TRACE(filters[f]);
      string key = "f" + std::to_string(f);
      bool by_flag = bool(answer[key]["enabled"]);
      bool by_cohort = bool(answer["c" + key]["enabled"]);
      EXPECT_EQ(by_flag, by_cohort);
      if (!hogql_reading.contains(f)) {
        EXPECT_EQ(by_flag, matched_events[f].count(id) == 1);
      }
    }
  }
}

}  // namespace
}  // namespace hoglet::testing
