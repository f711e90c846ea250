// FunnelsQuery on the embedded engine over a real columnar store: step counts and conversion
// times, each order type, exclusions, breakdowns with "Other", time-to-convert bins, person
// identity at query time, and the answer's JSON shape (analytics §3.3, §6).
#include "query/funnels_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/json_writer.h"
#include "base/time_format.h"
#include "filters/property_value.h"
#include "query/funnel_actors.h"
#include "query/funnels_query_parser.h"
#include "query/funnels_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

class FakePersonProperties final : public PersonProperties {
 public:
  void Set(int person, const char* json) {
    by_person_[PersonUuid(person)] = *filters::ParseProperties(json);
  }
  // Reads of a person that no Load named before (a scan reading row by row).
  int unloaded_reads = 0;
  Status Load(const std::vector<Uuid>& persons) override {
    loaded_.insert(persons.begin(), persons.end());
    return Status::Ok();
  }
  StatusOr<const filters::Properties*> Of(const Uuid& person) override {
    if (!loaded_.contains(person)) ++unloaded_reads;
    auto found = by_person_.find(person);
    return found != by_person_.end() ? &found->second : &none_;
  }

 private:
  std::unordered_map<Uuid, filters::Properties, UuidHash> by_person_;
  std::set<Uuid> loaded_;
  filters::Properties none_;
};

// A funnel over two or three steps: "signup" → "purchase" (→ "review").
std::string Funnel(const std::string& extra = "", bool three = false) {
  std::string json = R"({"kind": "FunnelsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "signup"},
                 {"kind": "EventsNode", "event": "purchase"})";
  if (three) json += R"(, {"kind": "EventsNode", "event": "review"})";
  json += "]";
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

class FunnelsRunner : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.person_properties = &persons_;
  }

  FunnelsResult Run(const std::string& json) {
    Flush();
    simdjson::dom::parser parser;
    auto query = ParseFunnelsQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    query_ = *query;
    auto range = DateRange::Resolve(query->date_range, query->interval, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    auto result = RunFunnels(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : FunnelsResult{};
  }

  // Each line as "<value>: <count>/<count>…".
  std::vector<std::string> Counts(const std::string& json) {
    std::vector<std::string> out;
    for (const FunnelLine& line : Run(json).lines) {
      std::string text = line.breakdown_value + ":";
      for (const FunnelStepResult& step : line.steps) text += " " + std::to_string(step.count);
      out.push_back(text);
    }
    return out;
  }

  // The persons (by number) behind `step` of the funnel, or the error's message.
  std::vector<int> Actors(const std::string& json, int64_t step,
                          std::optional<std::string> breakdown = std::nullopt,
                          std::string* error = nullptr) {
    FunnelActorsPoint point;
    point.funnel_step = step;
    point.breakdown = std::move(breakdown);
    return ActorsAt(json, point, error);
  }

  // The persons (by number) who entered a trends funnel on `day` and converted (or dropped off).
  std::vector<int> EntryActors(const std::string& json, const std::string& day, bool drop_off,
                               std::string* error = nullptr) {
    FunnelActorsPoint point;
    point.entrance_local_us = At((day + "T00:00:00Z").c_str());
    point.drop_off = drop_off;
    return ActorsAt(json, point, error);
  }

  std::vector<int> ActorsAt(const std::string& json, const FunnelActorsPoint& point,
                            std::string* error) {
    Run(json);
    auto range = DateRange::Resolve(query_.date_range, query_.interval, context_.clock);
    auto found = FunnelActors(query_, point, *range, context_, source(), kTestTeam, "query.source");
    if (!found.ok()) {
      if (error != nullptr) *error = found.status().message();
      return {};
    }
    std::vector<int> out;
    for (const Uuid& person : *found) out.push_back(person.bytes[15]);
    return out;
  }

  std::string Json(const FunnelsResult& result) {
    JsonWriter w;
    WriteFunnelsResults(query_, {}, result, &w);
    return std::move(w).Take();
  }

  FakePersonProperties persons_;
  FunnelsQuery query_;
};

TEST_F(FunnelsRunner, CountsAndConversionTimesIgnoringZeroSecondSteps) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T11:00:00Z");  // 3600 s
  Add("signup", 2, "2024-01-03T10:00:00Z");
  Add("purchase", 2, "2024-01-03T12:00:00Z");  // 7200 s
  Add("signup", 3, "2024-01-03T10:00:00Z");    // never purchases
  Add("purchase", 4, "2024-01-03T10:00:00Z");  // never signs up: not in the funnel
  Add("signup", 5, "2024-01-04T10:00:00Z");
  Add("purchase", 5, "2024-01-20T10:00:00Z");  // after the range
  Add("signup", 6, "2024-01-05T10:00:00Z");
  Add("purchase", 6, "2024-01-05T10:00:00Z");  // 0 s: counted, not in the times
  Add("signup", 7, "2023-12-31T10:00:00Z");    // before the range
  Add("purchase", 7, "2024-01-01T10:00:00Z");

  FunnelsResult result = Run(Funnel());
  ASSERT_EQ(result.lines.size(), 1u);
  const FunnelLine& line = result.lines[0];
  ASSERT_EQ(line.steps.size(), 2u);
  EXPECT_EQ(line.steps[0].count, 5);
  EXPECT_EQ(line.steps[1].count, 3);
  EXPECT_FALSE(line.steps[0].average_conversion_s);
  EXPECT_EQ(line.steps[1].average_conversion_s, 5400.0);
  EXPECT_EQ(line.steps[1].median_conversion_s, 5400.0);

  // The answer's shape: one step object per step.
  simdjson::dom::parser parser;
  simdjson::dom::element json = parser.parse(Json(result)).value();
  simdjson::dom::array steps = json.get_array().value();
  ASSERT_EQ(steps.size(), 2u);
  simdjson::dom::object first = steps.at(0).get_object().value();
  EXPECT_EQ(std::string_view(first["action_id"].get_string().value()), "signup");
  EXPECT_EQ(std::string_view(first["name"].get_string().value()), "signup");
  EXPECT_TRUE(first["custom_name"].is_null());
  EXPECT_EQ(first["order"].get_int64().value(), 0);
  EXPECT_EQ(first["count"].get_int64().value(), 5);
  EXPECT_EQ(std::string_view(first["type"].get_string().value()), "events");
  EXPECT_EQ(first["people"].get_array().value().size(), 0u);
  EXPECT_TRUE(first["average_conversion_time"].is_null());
  EXPECT_TRUE(first["median_conversion_time"].is_null());
  EXPECT_TRUE(first["dropped_people_url"].is_null());
  EXPECT_TRUE(first["converted_people_url"].is_string());
  simdjson::dom::object second = steps.at(1).get_object().value();
  EXPECT_EQ(second["average_conversion_time"].get_double().value(), 5400.0);
  EXPECT_TRUE(second["dropped_people_url"].is_string());
  EXPECT_TRUE(first["breakdown_value"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_F(FunnelsRunner, MedianOfAnEvenCountIsTheMidpoint) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T10:00:10Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");
  Add("purchase", 2, "2024-01-02T10:00:20Z");
  Add("signup", 3, "2024-01-02T10:00:00Z");
  Add("purchase", 3, "2024-01-02T10:01:30Z");
  Add("signup", 4, "2024-01-02T10:00:00Z");
  Add("purchase", 4, "2024-01-02T10:00:40Z");
  FunnelsResult result = Run(Funnel());
  ASSERT_EQ(result.lines.size(), 1u);
  EXPECT_EQ(result.lines[0].steps[1].median_conversion_s, 30.0);
  EXPECT_EQ(result.lines[0].steps[1].average_conversion_s, 40.0);
}

TEST_F(FunnelsRunner, NoActorIsAnEmptyAnswer) {
  Add("purchase", 1, "2024-01-02T10:00:00Z");
  FunnelsResult result = Run(Funnel());
  EXPECT_TRUE(result.lines.empty());
  EXPECT_EQ(Json(result), "[]");
}

TEST_F(FunnelsRunner, TheWindowCountsFromTheFirstStep) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T10:30:00Z");
  Add("review", 1, "2024-01-02T11:00:01Z");  // 1 h 1 s after signup
  Add("signup", 2, "2024-01-02T10:00:00Z");
  Add("purchase", 2, "2024-01-02T10:30:00Z");
  Add("review", 2, "2024-01-02T11:00:00Z");  // exactly 1 h: inside
  EXPECT_EQ(Counts(Funnel(R"("funnelsFilter": {"funnelWindowInterval": 1,
                              "funnelWindowIntervalUnit": "hour"})",
                          true)),
            (std::vector<std::string>{": 2 2 1"}));
}

TEST_F(FunnelsRunner, StrictFunnelsBreakOnAnyOtherEvent) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("$pageview", 1, "2024-01-02T10:01:00Z");
  Add("purchase", 1, "2024-01-02T10:02:00Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");
  Add("purchase", 2, "2024-01-02T10:02:00Z");
  EXPECT_EQ(Counts(Funnel()), (std::vector<std::string>{": 2 2"}));
  EXPECT_EQ(Counts(Funnel(R"("funnelsFilter": {"funnelOrderType": "strict"})")),
            (std::vector<std::string>{": 2 1"}));
}

TEST_F(FunnelsRunner, UnorderedFunnelsTakeTheStepsInAnyOrder) {
  Add("purchase", 1, "2024-01-02T10:00:00Z");
  Add("signup", 1, "2024-01-02T11:00:00Z");
  Add("review", 2, "2024-01-02T10:00:00Z");
  FunnelsResult result = Run(Funnel(R"("funnelsFilter": {"funnelOrderType": "unordered"})", true));
  ASSERT_EQ(result.lines.size(), 1u);
  EXPECT_EQ(result.lines[0].steps[0].count, 2);
  EXPECT_EQ(result.lines[0].steps[1].count, 1);
  EXPECT_EQ(result.lines[0].steps[2].count, 0);
  EXPECT_EQ(result.lines[0].steps[1].average_conversion_s, 3600.0);
  simdjson::dom::parser parser;
  simdjson::dom::array steps = parser.parse(Json(result)).get_array().value();
  EXPECT_EQ(std::string_view(steps.at(0)["name"].get_string().value()), "Completed 1 step");
  EXPECT_EQ(std::string_view(steps.at(1)["name"].get_string().value()), "Completed 2 steps");
  EXPECT_TRUE(steps.at(1)["action_id"].is_null());
}

TEST_F(FunnelsRunner, AnExclusionRemovesTheActorFromEveryStep) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("cancel", 1, "2024-01-02T10:30:00Z");
  Add("purchase", 1, "2024-01-02T11:00:00Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");
  Add("purchase", 2, "2024-01-02T11:00:00Z");
  Add("cancel", 2, "2024-01-02T12:00:00Z");  // after the step it guards: harmless
  Add("signup", 3, "2024-01-02T10:00:00Z");
  Add("cancel", 3, "2024-01-02T10:30:00Z", R"({"reason": "price"})");
  EXPECT_EQ(Counts(Funnel(R"("funnelsFilter": {"exclusions": [{"kind": "EventsNode",
                              "event": "cancel", "funnelFromStep": 0, "funnelToStep": 1}]})")),
            (std::vector<std::string>{": 1 1"}));
  // The exclusion's own filters narrow it: only person 3's cancel has a reason.
  EXPECT_EQ(Counts(Funnel(R"("funnelsFilter": {"exclusions": [{"kind": "EventsNode",
                              "event": "cancel", "funnelFromStep": 0, "funnelToStep": 1,
                              "properties": [{"key": "reason", "operator": "is_set",
                              "type": "event"}]}]})")),
            (std::vector<std::string>{": 2 2"}));
}

TEST_F(FunnelsRunner, StepAndGlobalFiltersNarrowTheEvents) {
  Add("signup", 1, "2024-01-02T10:00:00Z", R"({"plan": "pro", "$browser": "Chrome"})");
  Add("purchase", 1, "2024-01-02T11:00:00Z", R"({"$browser": "Chrome"})");
  Add("signup", 2, "2024-01-02T10:00:00Z", R"({"plan": "free", "$browser": "Chrome"})");
  Add("purchase", 2, "2024-01-02T11:00:00Z", R"({"$browser": "Safari"})");
  EXPECT_EQ(Counts(R"({"kind": "FunnelsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "signup", "properties": [
                    {"key": "plan", "value": "pro", "operator": "exact", "type": "event"}]},
                 {"kind": "EventsNode", "event": "purchase"}]})"),
            (std::vector<std::string>{": 1 1"}));
  EXPECT_EQ(Counts(Funnel(R"("properties": {"type": "OR", "values": [{"type": "AND", "values": [
                {"key": "$browser", "value": "Chrome", "operator": "exact", "type": "event"}]}]})")),
            (std::vector<std::string>{": 2 1"}));
}

TEST_F(FunnelsRunner, AMergedPersonCountsOnce) {
  // d8's events belong to person 7 after an identify merge.
  Add("signup", 7, "2024-01-02T10:00:00Z");
  Add("purchase", 8, "2024-01-02T11:00:00Z");
  EXPECT_EQ(Counts(Funnel()), (std::vector<std::string>{": 1 0"}));
  overrides_.Set("d8", PersonUuid(7));
  EXPECT_EQ(Counts(Funnel()), (std::vector<std::string>{": 1 1"}));
}

TEST_F(FunnelsRunner, BreakdownRanksByTheLastStepAndFoldsTheRestIntoOther) {
  auto both = [&](int person, const char* browser) {
    std::string props = std::string(R"({"$browser": ")") + browser + "\"}";
    Add("signup", person, "2024-01-02T10:00:00Z", props);
    Add("purchase", person, "2024-01-02T11:00:00Z", props);
  };
  both(1, "Chrome");
  both(2, "Chrome");
  both(3, "Safari");
  Add("signup", 4, "2024-01-02T10:00:00Z", R"({"$browser": "Firefox"})");
  Add("signup", 5, "2024-01-02T10:00:00Z", R"({"$browser": "Edge"})");
  Add("signup", 6, "2024-01-02T10:00:00Z");  // no value: ""
  const std::string by_browser =
      R"("breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event")";
  EXPECT_EQ(Counts(Funnel(by_browser + "}")),
            (std::vector<std::string>{"Chrome: 2 2", "Safari: 1 1", ": 1 0", "Edge: 1 0",
                                      "Firefox: 1 0"}));
  EXPECT_EQ(Counts(Funnel(by_browser + R"(, "breakdown_limit": 2})")),
            (std::vector<std::string>{"Chrome: 2 2", "Safari: 1 1", "Other: 3 0"}));

  FunnelsResult result = Run(Funnel(by_browser + R"(, "breakdown_limit": 2})"));
  simdjson::dom::parser parser;
  simdjson::dom::element lines = parser.parse(Json(result)).value();
  ASSERT_EQ(lines.get_array().value().size(), 3u);
  simdjson::dom::object step = lines.at_pointer("/2/1").get_object().value();
  EXPECT_EQ(std::string_view(step["breakdown_value"].get_string().value()), "Other");
  EXPECT_EQ(std::string_view(step["breakdown"].get_string().value()), "Other");
}

TEST_F(FunnelsRunner, PersonPropertyBreakdownsAndAttribution) {
  persons_.Set(1, R"({"plan": "pro"})");
  persons_.Set(2, R"({"plan": "free"})");
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T11:00:00Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");
  EXPECT_EQ(Counts(Funnel(R"("breakdownFilter": {"breakdown": "plan",
                              "breakdown_type": "person"})")),
            (std::vector<std::string>{"pro: 1 1", "free: 1 0"}));

  // Last touch takes the value of the actor's latest event that has one.
  Add("signup", 3, "2024-01-03T10:00:00Z", R"({"src": "ad"})");
  Add("purchase", 3, "2024-01-03T11:00:00Z", R"({"src": "mail"})");
  const std::string by_src = R"("breakdownFilter": {"breakdown": "src"}, )";
  EXPECT_EQ(Counts(Funnel(by_src + R"("funnelsFilter": {})")),
            (std::vector<std::string>{": 2 1", "ad: 1 1"}));
  EXPECT_EQ(Counts(Funnel(by_src + R"("funnelsFilter": {"breakdownAttributionType":
                                       "last_touch"})")),
            (std::vector<std::string>{": 2 1", "mail: 1 1"}));
}

TEST_F(FunnelsRunner, TimeToConvertBins) {
  const char* purchases[] = {"2024-01-02T11:00:00Z", "2024-01-02T12:00:00Z",
                             "2024-01-02T13:00:00Z"};
  for (int person = 1; person <= 3; ++person) {
    Add("signup", person, "2024-01-02T10:00:00Z");
    Add("purchase", person, purchases[person - 1]);
  }
  Add("signup", 4, "2024-01-02T10:00:00Z");  // never converts: not in the bins
  // Three samples: ⌈∛3⌉ = 2 bins of ⌈(10800 − 3600) / 2⌉ = 3600 s, and one closing bin.
  FunnelsResult automatic = Run(Funnel(R"("funnelsFilter": {"funnelVizType": "time_to_convert"})"));
  ASSERT_TRUE(automatic.time_to_convert);
  EXPECT_EQ(automatic.time_to_convert->bins,
            (std::vector<std::pair<int64_t, int64_t>>{{3600, 1}, {7200, 1}, {10800, 1}}));
  EXPECT_EQ(automatic.time_to_convert->average_conversion_s, 7200.0);
  EXPECT_EQ(Json(automatic),
            R"({"bins":[[3600,1],[7200,1],[10800,1]],"average_conversion_time":7200})");

  FunnelsResult one = Run(Funnel(R"("funnelsFilter": {"funnelVizType": "time_to_convert",
                                     "binCount": 1})"));
  ASSERT_TRUE(one.time_to_convert);
  EXPECT_EQ(one.time_to_convert->bins,
            (std::vector<std::pair<int64_t, int64_t>>{{3600, 2}, {10800, 1}}));
}

TEST(FunnelsBins, NoConversionIsOneEmptyMinuteAndNoAverage) {
  FunnelTimeToConvert bins = TimeToConvertBins({}, std::nullopt);
  EXPECT_EQ(bins.bins, (std::vector<std::pair<int64_t, int64_t>>{{0, 0}, {60, 0}}));
  EXPECT_FALSE(bins.average_conversion_s);
  // Equal times: bins of 60 s from the time.
  FunnelTimeToConvert same = TimeToConvertBins({90, 90}, std::nullopt);
  EXPECT_EQ(same.bins, (std::vector<std::pair<int64_t, int64_t>>{{90, 2}, {150, 0}, {210, 0}}));
}

}  // namespace
}  // namespace hoglet::query

namespace hoglet::query {
namespace {

TEST_F(FunnelsRunner, ActorsWhoReachedAStepOrDroppedOffBeforeIt) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T10:30:00Z");
  Add("review", 1, "2024-01-02T10:40:00Z");
  Add("signup", 2, "2024-01-03T10:00:00Z");    // never purchases
  Add("purchase", 3, "2024-01-03T10:00:00Z");  // never signs up: in no step
  Add("signup", 4, "2024-01-04T10:00:00Z");
  Add("purchase", 4, "2024-01-04T12:00:00Z");  // past the one-hour window
  Add("signup", 5, "2024-01-05T10:00:00Z");
  Add("purchase", 5, "2024-01-05T10:00:00Z");  // the same instant: converted
  const std::string funnel = Funnel(R"("funnelsFilter": {"funnelWindowInterval": 1,
                                  "funnelWindowIntervalUnit": "hour"})",
                                    true);
  EXPECT_EQ(Counts(funnel), (std::vector<std::string>{": 4 2 1"}));
  EXPECT_EQ(Actors(funnel, 1), (std::vector<int>{1, 2, 4, 5}));
  EXPECT_EQ(Actors(funnel, 2), (std::vector<int>{1, 5}));
  EXPECT_EQ(Actors(funnel, 3), (std::vector<int>{1}));
  EXPECT_EQ(Actors(funnel, -2), (std::vector<int>{2, 4}));
  EXPECT_EQ(Actors(funnel, -3), (std::vector<int>{5}));
}

TEST_F(FunnelsRunner, AMergedPersonIsOneActor) {
  Add("signup", 7, "2024-01-02T10:00:00Z");
  Add("purchase", 8, "2024-01-02T11:00:00Z");
  Add("signup", 8, "2024-01-01T10:00:00Z");
  EXPECT_EQ(Actors(Funnel(), 1), (std::vector<int>{7, 8}));
  EXPECT_EQ(Actors(Funnel(), -2), (std::vector<int>{7}));
  // d8 is merged into person 7: one actor who signed up twice and purchased.
  overrides_.Set("d8", PersonUuid(7));
  EXPECT_EQ(Actors(Funnel(), 1), (std::vector<int>{7}));
  EXPECT_EQ(Actors(Funnel(), 2), (std::vector<int>{7}));
  EXPECT_EQ(Actors(Funnel(), -2), (std::vector<int>{}));
}

TEST_F(FunnelsRunner, ActorsOfABreakdownValueAndOfOther) {
  auto both = [&](int person, const char* browser) {
    std::string props = std::string(R"({"$browser": ")") + browser + "\"}";
    Add("signup", person, "2024-01-02T10:00:00Z", props);
    Add("purchase", person, "2024-01-02T11:00:00Z", props);
  };
  both(1, "Chrome");
  both(2, "Chrome");
  both(3, "Safari");
  Add("signup", 4, "2024-01-02T10:00:00Z", R"({"$browser": "Firefox"})");
  Add("signup", 5, "2024-01-02T10:00:00Z", R"({"$browser": "Edge"})");
  Add("signup", 6, "2024-01-02T10:00:00Z");  // no value: ""
  const std::string funnel = Funnel(
      R"("breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event",
                             "breakdown_limit": 2})");
  EXPECT_EQ(Counts(funnel), (std::vector<std::string>{"Chrome: 2 2", "Safari: 1 1", "Other: 3 0"}));
  EXPECT_EQ(Actors(funnel, 2, "Chrome"), (std::vector<int>{1, 2}));
  EXPECT_EQ(Actors(funnel, -2, "Chrome"), (std::vector<int>{}));
  EXPECT_EQ(Actors(funnel, 1, "Other"), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(Actors(funnel, -2, "Other"), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(Actors(funnel, 1), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  // Without the limit, actors without a value are the "" line.
  const std::string all =
      Funnel(R"("breakdownFilter": {"breakdown": "$browser", "breakdown_type": "event"})");
  EXPECT_EQ(Actors(all, 1, ""), (std::vector<int>{6}));
  EXPECT_EQ(Actors(all, 1, "Other"), (std::vector<int>{}));
}

TEST_F(FunnelsRunner, ActorsOfAStepThatIsNotInTheFunnelAreRefused) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  for (int64_t step : {0, -1, 3, -3}) {
    std::string error;
    Actors(Funnel(), step, std::nullopt, &error);
    EXPECT_TRUE(error.starts_with("query.source.funnelStep:")) << step << ": " << error;
  }
  std::string error;
  Actors(Funnel(), 1, "Chrome", &error);
  EXPECT_TRUE(error.starts_with("query.source.funnelStepBreakdown:")) << error;
}

TEST_F(FunnelsRunner, PersonBreakdownsReadPersonsOncePerBlock) {
  for (int person = 1; person <= 20; ++person) {
    persons_.Set(person, person % 2 == 0 ? R"({"plan": "pro"})" : R"({"plan": "free"})");
    Add("signup", person, "2024-01-02T10:00:00Z");
    Add("purchase", person, "2024-01-02T11:00:00Z");
  }
  EXPECT_EQ(Counts(Funnel(R"("breakdownFilter": {"breakdown": "plan",
                              "breakdown_type": "person"})")),
            (std::vector<std::string>{"free: 10 10", "pro: 10 10"}));
  EXPECT_EQ(persons_.unloaded_reads, 0);
}

}  // namespace
}  // namespace hoglet::query

namespace hoglet::query {
namespace {

// The rates of each line of a trends funnel, as "<value>: <rate> <rate>…" over its days.
std::vector<std::string> Rates(const FunnelsResult& result) {
  std::vector<std::string> out;
  if (!result.trends) return out;
  for (const FunnelTrendsLine& line : result.trends->lines) {
    std::string text = line.breakdown_value + ":";
    for (double rate : line.rates) {
      std::string number = std::to_string(rate);
      number.erase(number.find_last_not_of('0') + 1);
      if (number.back() == '.') number.pop_back();
      text += " " + number;
    }
    out.push_back(text);
  }
  return out;
}

TEST_F(FunnelsRunner, TrendsConversionRatePerEntryDay) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T11:00:00Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");  // enters on the 2nd, never buys
  Add("signup", 3, "2024-01-03T10:00:00Z");
  Add("purchase", 3, "2024-01-05T10:00:00Z");  // converts two days later: counted on the 3rd
  Add("signup", 4, "2024-01-03T09:00:00Z");    // enters on the 3rd and again on the 4th
  Add("signup", 4, "2024-01-04T10:00:00Z");
  Add("purchase", 4, "2024-01-04T12:00:00Z");
  Add("signup", 5, "2024-01-05T10:00:00Z");
  Add("purchase", 5, "2024-01-05T10:00:00Z");  // the same instant: converted
  Add("signup", 8, "2024-01-06T10:00:00Z");
  Add("purchase", 9, "2024-01-06T11:00:00Z");  // d9 is another person until the merge
  Add("purchase", 6, "2024-01-07T11:00:00Z");  // never signs up: no entry
  const std::string trends = Funnel(R"("funnelsFilter": {"funnelVizType": "trends"})");
  EXPECT_EQ(Rates(Run(trends)), (std::vector<std::string>{": 0 50 100 100 100 0 0 0 0 0"}));
  overrides_.Set("d9", PersonUuid(8));
  FunnelsResult merged = Run(trends);
  EXPECT_EQ(Rates(merged), (std::vector<std::string>{": 0 50 100 100 100 100 0 0 0 0"}));
  ASSERT_TRUE(merged.trends);
  EXPECT_EQ(merged.trends->lines[0].from_counts,
            (std::vector<int64_t>{0, 2, 2, 1, 1, 1, 0, 0, 0, 0}));

  // The persons behind the points: those who converted, or dropped off, among a day's entries.
  EXPECT_EQ(EntryActors(trends, "2024-01-02", false), (std::vector<int>{1}));
  EXPECT_EQ(EntryActors(trends, "2024-01-02", true), (std::vector<int>{2}));
  EXPECT_EQ(EntryActors(trends, "2024-01-03", false), (std::vector<int>{3, 4}));
  EXPECT_EQ(EntryActors(trends, "2024-01-04", false), (std::vector<int>{4}));
  EXPECT_EQ(EntryActors(trends, "2024-01-06", false), (std::vector<int>{8}));
  EXPECT_EQ(EntryActors(trends, "2024-01-07", true), (std::vector<int>{}));
  std::string error;
  EntryActors(trends, "2024-02-01", false, &error);
  EXPECT_TRUE(error.starts_with("query.source.funnelTrendsEntrancePeriodStart:")) << error;
  error.clear();
  Actors(trends, 2, std::nullopt, &error);
  EXPECT_TRUE(error.starts_with("query.source.funnelTrendsEntrancePeriodStart:")) << error;
  error.clear();
  EntryActors(Funnel(), "2024-01-02", false, &error);
  EXPECT_TRUE(error.starts_with("query.source.funnelTrendsEntrancePeriodStart:")) << error;

  simdjson::dom::parser parser;
  simdjson::dom::element json = parser.parse(Json(merged)).value();
  ASSERT_EQ(json.get_array().value().size(), 1u);
  EXPECT_EQ(int64_t(json.at_pointer("/0/count").get_int64().value()), 10);
  EXPECT_EQ(double(json.at_pointer("/0/data/1").get_double().value()), 50.0);
  EXPECT_EQ(std::string_view(json.at_pointer("/0/days/0").get_string().value()), "2024-01-01");
  EXPECT_EQ(std::string_view(json.at_pointer("/0/labels/1").get_string().value()), "2-Jan-2024");
  EXPECT_TRUE(json.at_pointer("/0/breakdown_value").error());
}

TEST_F(FunnelsRunner, TrendsRatesFromAndToChosenStepsAndEmptyRanges) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("purchase", 1, "2024-01-02T11:00:00Z");
  Add("signup", 2, "2024-01-02T10:00:00Z");
  Add("purchase", 2, "2024-01-02T11:00:00Z");
  Add("review", 2, "2024-01-02T12:00:00Z");
  Add("signup", 3, "2024-01-02T10:00:00Z");
  // From step 1 (purchase) to step 2 (review): 1 of the 2 who purchased.
  EXPECT_EQ(Rates(Run(Funnel(R"("funnelsFilter": {"funnelVizType": "trends",
                                  "funnelFromStep": 1, "funnelToStep": 2})",
                             true))),
            (std::vector<std::string>{": 0 50 0 0 0 0 0 0 0 0"}));
  // Whole funnel: 1 of 3.
  EXPECT_EQ(Rates(Run(Funnel(R"("funnelsFilter": {"funnelVizType": "trends"})", true))),
            (std::vector<std::string>{": 0 33.33 0 0 0 0 0 0 0 0"}));
  // No one entered: one line of zeros.
  EXPECT_EQ(Rates(Run(R"({"kind": "FunnelsQuery", "funnelsFilter": {"funnelVizType": "trends"},
      "dateRange": {"date_from": "2024-01-08", "date_to": "2024-01-09"},
      "series": [{"kind": "EventsNode", "event": "signup"},
                 {"kind": "EventsNode", "event": "purchase"}]})")),
            (std::vector<std::string>{": 0 0"}));
}

TEST_F(FunnelsRunner, TrendsByBreakdownValue) {
  Add("signup", 1, "2024-01-02T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("purchase", 1, "2024-01-02T11:00:00Z", R"({"$browser": "Chrome"})");
  Add("signup", 2, "2024-01-02T10:00:00Z", R"({"$browser": "Safari"})");
  Add("signup", 3, "2024-01-03T10:00:00Z", R"({"$browser": "Chrome"})");
  Add("signup", 4, "2024-01-03T10:00:00Z", R"({"$browser": "Edge"})");
  const std::string trends =
      R"({"kind": "FunnelsQuery", "funnelsFilter": {"funnelVizType": "trends"},
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-03"},
      "series": [{"kind": "EventsNode", "event": "signup"},
                 {"kind": "EventsNode", "event": "purchase"}],
      "breakdownFilter": {"breakdown": "$browser", "breakdown_limit": 2}})";
  FunnelsResult result = Run(trends);
  EXPECT_EQ(Rates(result),
            (std::vector<std::string>{"Chrome: 0 100 0", "Edge: 0 0 0", "Other: 0 0 0"}));
  simdjson::dom::parser parser;
  simdjson::dom::element json = parser.parse(Json(result)).value();
  EXPECT_EQ(std::string_view(json.at_pointer("/0/breakdown_value").get_string().value()), "Chrome");
}

// PostHog's own journeys for steps a → b (optional) → c → d (optional) → e, one person each.
class OptionalFunnelSteps : public FunnelsRunner {
 protected:
  void AddJourneys() {
    const auto add = [this](int person,
                            const std::vector<std::pair<const char*, const char*>>& at) {
      for (const auto& [event, time] : at) Add(event, person, time);
    };
    add(1, {{"a", "2024-01-02T10:00:00Z"}});
    add(2, {{"a", "2024-01-02T10:00:00Z"},
            {"b", "2024-01-02T10:01:00Z"},
            {"c", "2024-01-02T10:02:00Z"}});
    add(3, {{"a", "2024-01-02T10:00:00Z"}, {"c", "2024-01-02T10:02:00Z"}});
    add(4, {{"a", "2024-01-02T10:00:00Z"},
            {"b", "2024-01-02T10:01:00Z"},
            {"c", "2024-01-02T10:02:00Z"},
            {"d", "2024-01-02T10:03:00Z"},
            {"e", "2024-01-02T10:04:00Z"}});
    add(5, {{"a", "2024-01-02T10:00:00Z"},
            {"b", "2024-01-02T10:01:00Z"},
            {"c", "2024-01-02T10:02:00Z"},
            {"e", "2024-01-02T10:04:00Z"}});
    add(6, {{"a", "2024-01-02T10:00:00Z"},
            {"c", "2024-01-02T10:02:00Z"},
            {"d", "2024-01-02T10:03:00Z"}});
    add(7, {{"a", "2024-01-02T10:00:00Z"},
            {"c", "2024-01-02T10:02:00Z"},
            {"d", "2024-01-02T10:03:00Z"},
            {"e", "2024-01-02T10:04:00Z"}});
    // Slower than the others: c after 5 min, e 10 min after c.
    add(8, {{"a", "2024-01-02T10:00:00Z"},
            {"c", "2024-01-02T10:05:00Z"},
            {"e", "2024-01-02T10:15:00Z"}});
  }

  static std::string Query() {
    return R"({"kind": "FunnelsQuery",
        "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
        "series": [{"kind": "EventsNode", "event": "a"},
                   {"kind": "EventsNode", "event": "b", "optionalInFunnel": true},
                   {"kind": "EventsNode", "event": "c"},
                   {"kind": "EventsNode", "event": "d", "optionalInFunnel": true},
                   {"kind": "EventsNode", "event": "e"}]})";
  }
};

TEST_F(OptionalFunnelSteps, EachStepCountsThoseWhoWentThroughIt) {
  AddJourneys();
  // a: everyone (8); b: persons 2, 4, 5 (3); c: all but person 1 (7); d: 4, 6, 7 (3);
  // e: 4, 5, 7, 8 (4) — PostHog's counts for these journeys.
  EXPECT_EQ(Counts(Query()), (std::vector<std::string>{": 8 3 7 3 4"}));
}

TEST_F(OptionalFunnelSteps, ConversionTimesAreThoseOfTheRequiredStepsInPostHogsSlots) {
  AddJourneys();
  // PostHog's timings are the differences of the required steps' timestamps (a, c, e); the k-th
  // difference is read as step k's conversion time.
  // Slot 1 (step b): c − a of persons 2–8: 120 s × 6 and 300 s (person 8):
  //   mean (6 × 120 + 300) / 7 = 1020 / 7 = 145.714…, median 120.
  // Slot 2 (step c): e − c of those who reached e: persons 4, 5, 7 (120 s) and 8 (600 s):
  //   mean (3 × 120 + 600) / 4 = 240, median (120 + 120) / 2 = 120.
  // Slots 3 and 4: no third difference, so none.
  FunnelsResult result = Run(Query());
  ASSERT_EQ(result.lines.size(), 1u);
  const std::vector<FunnelStepResult>& steps = result.lines[0].steps;
  ASSERT_EQ(steps.size(), 5u);
  EXPECT_DOUBLE_EQ(*steps[1].average_conversion_s, 1020.0 / 7);
  EXPECT_EQ(steps[1].median_conversion_s, 120.0);
  EXPECT_EQ(steps[2].average_conversion_s, 240.0);
  EXPECT_EQ(steps[2].median_conversion_s, 120.0);
  EXPECT_FALSE(steps[3].average_conversion_s);
  EXPECT_FALSE(steps[4].average_conversion_s);
}

TEST_F(OptionalFunnelSteps, ActorsOfAStepAndOfADropOff) {
  AddJourneys();
  EXPECT_EQ(Actors(Query(), 2), (std::vector<int>{2, 4, 5}));  // did b
  EXPECT_EQ(Actors(Query(), 4), (std::vector<int>{4, 6, 7}));  // did d
  EXPECT_EQ(Actors(Query(), 5), (std::vector<int>{4, 5, 7, 8}));
  // A drop-off at a step: reached the required step before it and not that step.
  EXPECT_EQ(Actors(Query(), -2), (std::vector<int>{1, 3, 6, 7, 8}));  // a, not b
  EXPECT_EQ(Actors(Query(), -3), (std::vector<int>{1}));              // a, not c
  EXPECT_EQ(Actors(Query(), -5), (std::vector<int>{2, 3, 6}));        // c, not e
}

}  // namespace
}  // namespace hoglet::query
