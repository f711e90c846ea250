// FunnelCorrelationQuery on the embedded engine over a real columnar store: PostHog's odds ratio
// with its prior, the significance cut, the order and top 10s, skew, and which events, event
// properties and person properties count for each actor (analytics §3.3).
#include "query/funnel_correlation.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "base/json_writer.h"
#include "query/funnel_correlation_actors.h"
#include "query/funnel_correlation_json.h"
#include "query/funnel_correlation_parser.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

TEST(CorrelationOddsRatio, PostHogsExampleWithAPriorOfOne) {
  // 5 of 7 converted actors and 1 of 11 unconverted ones watched the video:
  // ((5 + 1) × (11 − 1 + 1)) / ((7 − 5 + 1) × (1 + 1)) = (6 × 11) / (3 × 2) = 66 / 6 = 11.
  EXPECT_DOUBLE_EQ(CorrelationOddsRatio(5, 1, 7, 11), 11.0);
  // Nobody has it: (1 × 11) / (8 × 1) = 1.375 — the prior keeps it finite.
  EXPECT_DOUBLE_EQ(CorrelationOddsRatio(0, 0, 7, 10), 11.0 / 8.0);
}

TEST(RankCorrelations, SignificanceOrderTopTensAndSkew) {
  // 60 converted, 40 not: 100 actors, so a value needs min(25, 2 % × 100) = 2 actors.
  std::vector<CorrelationCount> counts = {{"once", 1, 0}};  // 1 actor: dropped
  // 12 success values: s = 30 + i, f = 5: the ratio grows with i.
  for (int i = 0; i < 12; ++i) counts.push_back({"s" + std::to_string(i), 30 + i, 5});
  // A failure value: s = 2, f = 20: (3 × 21) / (59 × 21) = 3 / 59.
  counts.push_back({"f", 2, 20});
  // Near 1: (20 + 1) × (40 − 13 + 1) / ((60 − 20 + 1) × (13 + 1)) = 21 × 28 / (41 × 14)
  //   = 588 / 574 > 1, so a success; (19 + 1) × (40 − 14 + 1) / ((60 − 19 + 1) × 15) =
  //   540 / 630 < 1, a failure.
  counts.push_back({"even_hi", 20, 13});
  counts.push_back({"even_lo", 19, 14});
  FunnelCorrelationResult result = RankCorrelations(counts, 60, 40);
  EXPECT_FALSE(result.skewed);
  ASSERT_EQ(result.rows.size(), 12u);  // 10 successes (of 13), then the 2 failures
  EXPECT_EQ(result.rows[0].name, "s11");
  EXPECT_EQ(result.rows[9].name, "s2");
  for (size_t i = 0; i < 10; ++i) EXPECT_TRUE(result.rows[i].success) << i;
  EXPECT_EQ(result.rows[10].name, "f");
  EXPECT_DOUBLE_EQ(result.rows[10].odds_ratio, 3.0 / 59.0);
  EXPECT_FALSE(result.rows[10].success);
  EXPECT_EQ(result.rows[11].name, "even_lo");
  EXPECT_DOUBLE_EQ(result.rows[11].odds_ratio, 540.0 / 630.0);

  // 11 converted to 1 not is skewed (above 10:1); no unconverted actor is no answer.
  EXPECT_TRUE(RankCorrelations({{"x", 5, 1}}, 11, 1).skewed);
  EXPECT_FALSE(RankCorrelations({{"x", 5, 1}}, 10, 1).skewed);
  FunnelCorrelationResult none = RankCorrelations({{"x", 5, 0}}, 5, 0);
  EXPECT_TRUE(none.skewed);
  EXPECT_TRUE(none.rows.empty());
}

class FunnelCorrelation : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.person_properties = &persons_;
  }

  // signup → purchase within a day, 1–10 Jan 2024. Converted: persons 1 and 2; not: 3–7.
  void AddJourneys() {
    Add("signup", 1, "2024-01-02T10:00:00Z");
    Add("$pageview", 1, "2024-01-02T10:10:00Z");
    Add("watched_video", 1, "2024-01-02T10:30:00Z", R"({"source": "ad", "$lib": "web"})");
    Add("purchase", 1, "2024-01-02T11:00:00Z");
    Add("help_page", 1, "2024-01-02T12:00:00Z");  // after converting: not counted

    Add("signup", 2, "2024-01-03T10:00:00Z");
    Add("watched_video", 2, "2024-01-03T10:30:00Z", R"({"source": "ad", "$lib": "web"})");
    Add("purchase", 2, "2024-01-03T20:00:00Z");

    Add("signup", 3, "2024-01-02T10:00:00Z");
    Add("$pageview", 3, "2024-01-02T10:05:00Z");
    Add("help_page", 3, "2024-01-02T11:00:00Z");

    Add("signup", 4, "2024-01-02T10:00:00Z");
    Add("help_page", 4, "2024-01-02T10:20:00Z");
    Add("watched_video", 4, "2024-01-02T10:40:00Z", R"({"source": "ad", "$lib": "web"})");

    Add("signup", 5, "2024-01-04T10:00:00Z");

    Add("watched_video", 6, "2024-01-01T10:00:00Z");  // before its first step: not counted
    Add("signup", 6, "2024-01-02T10:00:00Z");
    Add("watched_video", 6, "2024-01-02T10:00:00Z");  // at its first step: not counted

    Add("signup", 7, "2024-01-02T10:00:00Z");
    Add("watched_video", 7, "2024-01-03T10:00:01Z");  // past its window: not counted
  }

  FunnelCorrelationResult Run(const std::string& correlation) {
    Flush();
    const std::string json = R"({"kind": "FunnelCorrelationQuery", "source": {
        "kind": "FunnelsActorsQuery", "source": {"kind": "FunnelsQuery",
          "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
          "series": [{"kind": "EventsNode", "event": "signup"},
                     {"kind": "EventsNode", "event": "purchase"}],
          "funnelsFilter": {"funnelWindowInterval": 1, "funnelWindowIntervalUnit": "day"}}},
        )" + correlation + "}";
    simdjson::dom::parser parser;
    auto query = ParseFunnelCorrelationQuery(parser.parse(json).value());
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    auto range =
        DateRange::Resolve(query->funnel.date_range, query->funnel.interval, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    auto result = RunFunnelCorrelation(*query, *range, context_, source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : FunnelCorrelationResult{};
  }

  // The persons (by number) behind a row: `row` is the FunnelCorrelationActorsQuery's own fields.
  std::vector<int> Actors(const std::string& correlation, const std::string& row) {
    Flush();
    const std::string json = R"({"kind": "FunnelCorrelationActorsQuery", "source": {
        "kind": "FunnelCorrelationQuery", "source": {
          "kind": "FunnelsActorsQuery", "source": {"kind": "FunnelsQuery",
            "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
            "series": [{"kind": "EventsNode", "event": "signup"},
                       {"kind": "EventsNode", "event": "purchase"}],
            "funnelsFilter": {"funnelWindowInterval": 1, "funnelWindowIntervalUnit": "day"}}},
          )" + correlation + "}, " +
                             row + "}";
    simdjson::dom::parser parser;
    auto request = ParseFunnelCorrelationActorsQuery(parser.parse(json).value(), "query");
    EXPECT_TRUE(request.ok()) << request.status().ToString();
    if (!request.ok()) return {};
    auto range = DateRange::Resolve(request->query.funnel.date_range,
                                    request->query.funnel.interval, context_.clock);
    auto found = FunnelCorrelationActors(request->query, request->point, *range, context_, source(),
                                         kTestTeam);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<int> out;
    if (found.ok()) {
      for (const Uuid& person : *found) out.push_back(person.bytes[15]);
    }
    return out;
  }

  MapPersonProperties persons_;
};

// Each row as "name s/f type".
std::vector<std::string> Rows(const FunnelCorrelationResult& result) {
  std::vector<std::string> out;
  for (const FunnelCorrelationRow& row : result.rows) {
    out.push_back(row.name + " " + std::to_string(row.success_count) + "/" +
                  std::to_string(row.failure_count) + (row.success ? " success" : " failure"));
  }
  return out;
}

TEST_F(FunnelCorrelation, EventsBetweenTheFirstStepAndTheConversionOrTheWindowEnd) {
  AddJourneys();
  FunnelCorrelationResult result = Run(R"("funnelCorrelationType": "events",
      "funnelCorrelationExcludeEventNames": ["$pageview"])");
  // S = 2 converted (1, 2), F = 5 not (3–7); 7 actors need min(25, 0.14) actors: all kept.
  // watched_video: persons 1, 2 (converted) and 4: s = 2, f = 1:
  //   ((2 + 1) × (5 − 1 + 1)) / ((2 − 2 + 1) × (1 + 1)) = 15 / 2 = 7.5.
  // help_page: persons 3 and 4 (person 1's came after converting): s = 0, f = 2:
  //   ((0 + 1) × (5 − 2 + 1)) / ((2 − 0 + 1) × (2 + 1)) = 4 / 9.
  // The funnel's own events and the excluded $pageview are not values.
  EXPECT_EQ(Rows(result),
            (std::vector<std::string>{"watched_video 2/1 success", "help_page 0/2 failure"}));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(result.rows[0].odds_ratio, 7.5);
  EXPECT_DOUBLE_EQ(result.rows[1].odds_ratio, 4.0 / 9.0);
  EXPECT_FALSE(result.skewed);  // 5 / 2 is not above 10

  // The answer's shape.
  JsonWriter w;
  WriteFunnelCorrelationResult(result, &w);
  EXPECT_EQ(std::move(w).Take(),
            R"({"events":[{"event":{"event":"watched_video","properties":{},"elements":[]},)"
            R"("success_count":2,"failure_count":1,"odds_ratio":7.5,"correlation_type":"success"},)"
            R"({"event":{"event":"help_page","properties":{},"elements":[]},"success_count":0,)"
            R"("failure_count":2,"odds_ratio":0.4444444444444444,"correlation_type":"failure"}],)"
            R"("skewed":false})");
}

TEST_F(FunnelCorrelation, WithoutTheExclusionPageviewsCountToo) {
  AddJourneys();
  // $pageview: persons 1 (converted) and 3: s = 1, f = 1:
  //   ((1 + 1) × (5 − 1 + 1)) / ((2 − 1 + 1) × (1 + 1)) = 10 / 4 = 2.5.
  EXPECT_EQ(Rows(Run(R"("funnelCorrelationType": "events")")),
            (std::vector<std::string>{"watched_video 2/1 success", "$pageview 1/1 success",
                                      "help_page 0/2 failure"}));
}

TEST_F(FunnelCorrelation, PropertiesOfTheNamedEvents) {
  AddJourneys();
  // watched_video's string properties, $lib left out: "source" = "ad" on persons 1, 2 and 4
  // (more than 2 actors): s = 2, f = 1, 7.5 as above.
  EXPECT_EQ(Rows(Run(R"("funnelCorrelationType": "event_with_properties",
                         "funnelCorrelationEventNames": ["watched_video"],
                         "funnelCorrelationEventExcludePropertyNames": ["$lib"])")),
            (std::vector<std::string>{"watched_video::source::ad 2/1 success"}));
}

TEST_F(FunnelCorrelation, PersonProperties) {
  AddJourneys();
  persons_.Set(1, R"({"plan": "pro", "email": "a@x"})");
  persons_.Set(2, R"({"plan": "pro"})");
  persons_.Set(3, R"({"plan": "free"})");
  persons_.Set(4, R"({"plan": "pro"})");
  persons_.Set(5, R"({"plan": "free"})");
  persons_.Set(7, R"({"plan": 5})");  // not a string: read as ""
  // plan::pro: 1, 2 and 4: s = 2, f = 1 → 7.5.
  // plan::free: 3 and 5: s = 0, f = 2 → 4 / 9; plan:: (6 without it, 7's number): the same 4 / 9,
  // so by name.
  FunnelCorrelationResult result = Run(R"("funnelCorrelationType": "properties",
                                           "funnelCorrelationNames": ["plan"])");
  EXPECT_EQ(Rows(result), (std::vector<std::string>{"plan::pro 2/1 success", "plan:: 0/2 failure",
                                                    "plan::free 0/2 failure"}));
  // "$all": every string property; email (person 1 only) is excluded.
  EXPECT_EQ(Rows(Run(R"("funnelCorrelationType": "properties", "funnelCorrelationNames": ["$all"],
                         "funnelCorrelationExcludeNames": ["email"])")),
            (std::vector<std::string>{"plan::pro 2/1 success", "plan::free 0/2 failure"}));
}

TEST_F(FunnelCorrelation, NoConvertedActorIsASkewedEmptyAnswer) {
  Add("signup", 1, "2024-01-02T10:00:00Z");
  Add("watched_video", 1, "2024-01-02T10:30:00Z");
  FunnelCorrelationResult result = Run(R"("funnelCorrelationType": "events")");
  EXPECT_TRUE(result.rows.empty());
  EXPECT_TRUE(result.skewed);
}

TEST_F(FunnelCorrelation, ActorsOfAnEventRow) {
  AddJourneys();
  const std::string events = R"("funnelCorrelationType": "events")";
  const std::string video = R"("funnelCorrelationPersonEntity":
      {"kind": "EventsNode", "event": "watched_video")";
  // watched_video in their time in the funnel: 1, 2 (converted) and 4 (not).
  EXPECT_EQ(Actors(events, video + "}"), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(Actors(events, video + R"(}, "funnelCorrelationPersonConverted": true)"),
            (std::vector<int>{1, 2}));
  EXPECT_EQ(Actors(events, video + R"(}, "funnelCorrelationPersonConverted": false)"),
            (std::vector<int>{4}));
  // help_page: person 1's came after converting.
  EXPECT_EQ(Actors(events, R"("funnelCorrelationPersonEntity":
                                {"kind": "EventsNode", "event": "help_page"})"),
            (std::vector<int>{3, 4}));
  // An event_with_properties row: the event with its property filter.
  EXPECT_EQ(Actors(R"("funnelCorrelationType": "event_with_properties",
                      "funnelCorrelationEventNames": ["watched_video"])",
                   video + R"(, "properties": [{"key": "source", "value": "ad",
                                 "operator": "exact", "type": "event"}]},
                      "funnelCorrelationPersonConverted": true)"),
            (std::vector<int>{1, 2}));
  // The funnel's own events are never a row.
  EXPECT_TRUE(Actors(events, R"("funnelCorrelationPersonEntity":
                                  {"kind": "EventsNode", "event": "purchase"})")
                  .empty());
}

TEST_F(FunnelCorrelation, ActorsOfAPropertyRow) {
  AddJourneys();
  persons_.Set(1, R"({"plan": "pro"})");
  persons_.Set(2, R"({"plan": "pro"})");
  persons_.Set(3, R"({"plan": "free"})");
  persons_.Set(4, R"({"plan": "pro"})");
  const std::string properties =
      R"("funnelCorrelationType": "properties", "funnelCorrelationNames": ["plan"])";
  const std::string pro = R"("funnelCorrelationPropertyValues": [
      {"key": "plan", "value": "pro", "operator": "exact", "type": "person"}])";
  EXPECT_EQ(Actors(properties, pro), (std::vector<int>{1, 2, 4}));
  EXPECT_EQ(Actors(properties, pro + R"(, "funnelCorrelationPersonConverted": false)"),
            (std::vector<int>{4}));
}

TEST(FunnelCorrelationActorsParser, RefusalsNameTheField) {
  const auto refusal = [](const std::string& correlation, const std::string& row) {
    const std::string json = R"({"kind": "FunnelCorrelationActorsQuery", "source": {
        "kind": "FunnelCorrelationQuery", "source": {"kind": "FunnelsActorsQuery", "source": {
          "kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                                             {"kind": "EventsNode", "event": "b"}]}},
        )" + correlation + "}" +
                             row + "}";
    simdjson::dom::parser parser;
    auto request = ParseFunnelCorrelationActorsQuery(parser.parse(json).value(), "query.source");
    return request.ok() ? std::string() : request.status().message();
  };
  EXPECT_NE(refusal(R"("funnelCorrelationType": "events")", "")
                .find("query.source.funnelCorrelationPersonEntity"),
            std::string::npos);
  EXPECT_NE(refusal(R"("funnelCorrelationType": "properties", "funnelCorrelationNames": ["x"])", "")
                .find("query.source.funnelCorrelationPropertyValues"),
            std::string::npos);
  EXPECT_NE(refusal(R"("funnelCorrelationType": "events")",
                    R"(, "funnelCorrelationPersonEntity": {"kind": "EventsNode", "event": "x"},
                       "funnelCorrelationPersonConverted": "yes")")
                .find("query.source.funnelCorrelationPersonConverted"),
            std::string::npos);
  EXPECT_NE(refusal(R"("funnelCorrelationType": "nothing")", "")
                .find("query.source.source.funnelCorrelationType"),
            std::string::npos);
}

}  // namespace
}  // namespace hoglet::query
