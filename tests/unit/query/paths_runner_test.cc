// PathsQuery on the embedded engine over a real columnar store: path items, step-numbered edges
// and their weights and conversion times, 30-minute session splits, collapsed repeats, ties at
// equal timestamps, cleaning and groupings, start and end points, step and edge limits, weight
// bounds, pruning of unreachable edges, persons at query time, the actors of an edge or node, the
// paths before, after and between a funnel's steps, and the 400s of the parser (analytics §3.5,
// §6.19).
#include "query/paths_runner.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "base/json_writer.h"
#include "query/funnel_path_windows.h"
#include "query/paths_query_parser.h"
#include "query/paths_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

std::string Paths(const std::string& filter, const std::string& extra = "") {
  std::string json = R"({"kind": "PathsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "pathsFilter": )" +
                     filter;
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

class PathsRunner : public InsightTestStore {
 protected:
  void View(int person, const char* time, const std::string& url) {
    Add("$pageview", person, time, R"({"$current_url": ")" + url + R"("})");
  }

  StatusOr<PathsQuery> Parse(const std::string& json) {
    simdjson::dom::parser parser;
    return ParsePathsQuery(parser.parse(json).value());
  }

  std::vector<PathEdge> Run(const std::string& json) {
    Flush();
    auto query = Parse(json);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    auto range = DateRange::Resolve(query->date_range, Interval::kDay, context_.clock);
    EXPECT_TRUE(range.ok()) << range.status().ToString();
    auto result = RunPaths(*query, *range, context_, *store_->scan_source(), kTestTeam);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : std::vector<PathEdge>{};
  }

  // Each edge as "<source> -> <target>: <value>".
  std::vector<std::string> Edges(const std::string& json) {
    std::vector<std::string> out;
    for (const PathEdge& edge : Run(json)) {
      out.push_back(edge.source + " -> " + edge.target + ": " + std::to_string(edge.value));
    }
    return out;
  }

  std::vector<std::string> Actors(const std::string& json) {
    Flush();
    auto query = Parse(json);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    if (!query.ok()) return {};
    auto range = DateRange::Resolve(query->date_range, Interval::kDay, context_.clock);
    auto actors = RunPathsActors(*query, *range, context_, *store_->scan_source(), kTestTeam);
    EXPECT_TRUE(actors.ok()) << actors.status().ToString();
    std::vector<std::string> out;
    if (!actors.ok()) return out;
    for (const PathActor& actor : *actors) {
      out.push_back(std::to_string(actor.person.bytes[15]) + ":" +
                    std::to_string(actor.event_count));
    }
    return out;
  }
};

constexpr const char* kPageviews = R"({"includeEventTypes": ["$pageview"]})";

TEST_F(PathsRunner, StepNumberedEdgesWeightsAndConversionTimesInMs) {
  View(1, "2024-01-02T10:00:00Z", "https://x.io/home/");
  View(1, "2024-01-02T10:01:00Z", "https://x.io/pricing");
  View(1, "2024-01-02T10:01:30Z", "https://x.io/signup");
  View(2, "2024-01-03T09:00:00Z", "https://x.io/home");
  View(2, "2024-01-03T09:03:00Z", "https://x.io/pricing/");
  Add("clicked", 2, "2024-01-03T09:04:00Z");  // not a page view
  std::vector<PathEdge> edges = Run(Paths(kPageviews));
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].source, "1_https://x.io/home");
  EXPECT_EQ(edges[0].target, "2_https://x.io/pricing");
  EXPECT_EQ(edges[0].value, 2);
  EXPECT_DOUBLE_EQ(edges[0].average_conversion_ms, 120'000.0);  // (60 s + 180 s) / 2
  EXPECT_EQ(edges[1].source, "2_https://x.io/pricing");
  EXPECT_EQ(edges[1].target, "3_https://x.io/signup");
  EXPECT_DOUBLE_EQ(edges[1].average_conversion_ms, 30'000.0);

  JsonWriter w;
  WritePathsResults(edges, &w);
  const std::string json = std::move(w).Take();
  EXPECT_TRUE(json.starts_with(
      R"([{"source":"1_https://x.io/home","target":"2_https://x.io/pricing","value":2,)"
      R"("average_conversion_time":120000},{"source":"2_https://x.io/pricing",)"))
      << json;
}

TEST_F(PathsRunner, EveryEventTypeNamesItemsByUrlScreenOrEventName) {
  View(1, "2024-01-02T10:00:00Z", "/");
  Add("$screen", 1, "2024-01-02T10:01:00Z", R"({"$screen_name": "Settings"})");
  Add("saved", 1, "2024-01-02T10:02:00Z");
  Add("$autocapture", 1, "2024-01-02T10:03:00Z");
  EXPECT_EQ(Edges(Paths("{}")),
            (std::vector<std::string>{"1_/ -> 2_Settings: 1", "2_Settings -> 3_saved: 1",
                                      "3_saved -> 4_$autocapture: 1"}));
  // custom_event: the events whose name does not start with '$'.
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$screen", "custom_event"]})")),
            (std::vector<std::string>{"1_Settings -> 2_saved: 1"}));
}

TEST_F(PathsRunner, ThirtyMinuteGapStartsANewSession) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:29:59Z", "/b");
  View(1, "2024-01-02T10:59:59Z", "/c");  // exactly 30 minutes later: a new session
  View(1, "2024-01-02T11:10:00Z", "/d");
  EXPECT_EQ(Edges(Paths(kPageviews)),
            (std::vector<std::string>{"1_/a -> 2_/b: 1", "1_/c -> 2_/d: 1"}));
}

TEST_F(PathsRunner, RepeatsCollapseAndAreTimedAtTheirLastEvent) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/a");
  View(1, "2024-01-02T10:05:00Z", "/b");
  View(1, "2024-01-02T10:06:00Z", "/a");
  std::vector<PathEdge> edges = Run(Paths(kPageviews));
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0].source, "1_/a");
  EXPECT_EQ(edges[0].target, "2_/b");
  EXPECT_DOUBLE_EQ(edges[0].average_conversion_ms, 240'000.0);  // from the second /a
  EXPECT_EQ(edges[1].source, "2_/b");
  EXPECT_EQ(edges[1].target, "3_/a");
}

TEST_F(PathsRunner, EventsAtTheSameTimeAreOrderedByItem) {
  View(1, "2024-01-02T10:00:00Z", "/z");
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:00:10Z", "/m");
  EXPECT_EQ(Edges(Paths(kPageviews)),
            (std::vector<std::string>{"1_/a -> 2_/z: 1", "2_/z -> 3_/m: 1"}));
}

TEST_F(PathsRunner, CleaningRegexesThenGroupings) {
  View(1, "2024-01-02T10:00:00Z", "/product/12");
  View(1, "2024-01-02T10:01:00Z", "/product/34/reviews");
  View(1, "2024-01-02T10:02:00Z", "/blog/post-1");
  View(2, "2024-01-02T11:00:00Z", "/product/56");
  View(2, "2024-01-02T11:01:00Z", "/blog/post-2");
  const std::string filter = R"({"includeEventTypes": ["$pageview"],
      "localPathCleaningFilters": [{"regex": "/\\d+", "alias": "/:id"},
                                   {"regex": "^/product/:id/(\\w+)$", "alias": "/product/\\1"}],
      "pathGroupings": ["/blog/*"]})";
  EXPECT_EQ(Edges(Paths(filter)),
            (std::vector<std::string>{"1_/product/:id -> 2_/blog/*: 1",
                                      "1_/product/:id -> 2_/product/reviews: 1",
                                      "2_/product/reviews -> 3_/blog/*: 1"}));
}

TEST_F(PathsRunner, ExcludedItemsLeaveThePath) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/ads");
  View(1, "2024-01-02T10:02:00Z", "/b");
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "excludeEvents": ["/ads"]})")),
            (std::vector<std::string>{"1_/a -> 2_/b: 1"}));
}

TEST_F(PathsRunner, StartPointCutsThePathAndDropsSessionsWithoutIt) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/start");
  View(1, "2024-01-02T10:02:00Z", "/b");
  View(2, "2024-01-02T10:00:00Z", "/a");
  View(2, "2024-01-02T10:01:00Z", "/b");
  // One trailing '/' of a single point is dropped, as page URLs have none.
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "startPoint": "/start/"})")),
            (std::vector<std::string>{"1_/start -> 2_/b: 1"}));
}

TEST_F(PathsRunner, EndPointKeepsTheLastStepsBeforeIt) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/b");
  View(1, "2024-01-02T10:02:00Z", "/c");
  View(1, "2024-01-02T10:03:00Z", "/end");
  View(1, "2024-01-02T10:04:00Z", "/after");
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "endPoint": "/end",
                            "stepLimit": 3})")),
            (std::vector<std::string>{"1_/b -> 2_/c: 1", "2_/c -> 3_/end: 1"}));
}

TEST_F(PathsRunner, BothPointsElideTheMiddlePastTheStepLimit) {
  const char* urls[] = {"/s", "/1", "/2", "/3", "/4", "/e"};
  int minute = 0;
  for (const char* url : urls) {
    std::string time = "2024-01-02T10:0" + std::to_string(minute++) + ":00Z";
    View(1, time.c_str(), url);
  }
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "startPoint": "/s",
                            "endPoint": "/e", "stepLimit": 4})")),
            (std::vector<std::string>{"1_/s -> 2_/1: 1", "2_/1 -> 3_...: 1", "3_... -> 4_/4: 1",
                                      "4_/4 -> 5_/e: 1"}));
}

TEST_F(PathsRunner, StepLimitKeepsTheFirstSteps) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/b");
  View(1, "2024-01-02T10:02:00Z", "/c");
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "stepLimit": 2})")),
            (std::vector<std::string>{"1_/a -> 2_/b: 1"}));
}

TEST_F(PathsRunner, EdgeLimitWeightBoundsAndUnreachableEdgesPruned) {
  // Three sessions /a → /b → /c and one /x → /y → /z.
  for (int person = 1; person <= 3; ++person) {
    View(person, "2024-01-02T10:00:00Z", "/a");
    View(person, "2024-01-02T10:01:00Z", "/b");
    View(person, "2024-01-02T10:02:00Z", "/c");
  }
  View(4, "2024-01-02T10:00:00Z", "/x");
  View(4, "2024-01-02T10:01:00Z", "/y");
  View(4, "2024-01-02T10:02:00Z", "/z");
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "edgeLimit": 3})")),
            (std::vector<std::string>{"1_/a -> 2_/b: 3", "2_/b -> 3_/c: 3", "1_/x -> 2_/y: 1"}));
  // Weight bounds apply before the limit.
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "minEdgeWeight": 2})")),
            (std::vector<std::string>{"1_/a -> 2_/b: 3", "2_/b -> 3_/c: 3"}));
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "maxEdgeWeight": 1})")),
            (std::vector<std::string>{"1_/x -> 2_/y: 1", "2_/y -> 3_/z: 1"}));
}

TEST_F(PathsRunner, EdgeLimitCutBeforeReachabilityDropsOrphans) {
  for (int person = 1; person <= 3; ++person) {
    View(person, "2024-01-02T10:00:00Z", "/h");
    View(person, "2024-01-02T10:01:00Z", "/i");
  }
  View(4, "2024-01-02T10:00:00Z", "/a");
  View(4, "2024-01-02T10:01:00Z", "/q");
  View(4, "2024-01-02T10:02:00Z", "/z");
  View(5, "2024-01-02T10:00:00Z", "/b");
  View(5, "2024-01-02T10:01:00Z", "/q");
  View(5, "2024-01-02T10:02:00Z", "/z");
  // By weight: 1_/h→2_/i (3), 2_/q→3_/z (2), 1_/a→2_/q (1), 1_/b→2_/q (1). The limit keeps the
  // first two; 2_/q is then reached by no kept edge, so its edge goes.
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "edgeLimit": 2})")),
            (std::vector<std::string>{"1_/h -> 2_/i: 3"}));
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["$pageview"], "edgeLimit": 3})")),
            (std::vector<std::string>{"1_/h -> 2_/i: 3", "2_/q -> 3_/z: 2", "1_/a -> 2_/q: 1"}));
}

TEST_F(PathsRunner, PersonsAreResolvedAsTheyAreNow) {
  // Two distinct ids, one person after a merge: their events form one path.
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$current_url": "/a"})", "anon");
  Add("$pageview", 2, "2024-01-02T10:01:00Z", R"({"$current_url": "/b"})", "user");
  overrides_.Set("anon", PersonUuid(2));
  EXPECT_EQ(Edges(Paths(kPageviews)), (std::vector<std::string>{"1_/a -> 2_/b: 1"}));
}

TEST_F(PathsRunner, QueryPropertiesAndDateRangeFilterEvents) {
  Add("$pageview", 1, "2024-01-02T10:00:00Z", R"({"$current_url": "/a", "$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-02T10:01:00Z", R"({"$current_url": "/b", "$browser": "Chrome"})");
  Add("$pageview", 1, "2024-01-02T10:02:00Z", R"({"$current_url": "/c", "$browser": "Safari"})");
  View(2, "2023-12-31T10:00:00Z", "/old");  // before date_from
  View(2, "2024-01-01T00:01:00Z", "/new");
  View(2, "2024-01-01T00:02:00Z", "/newer");
  EXPECT_EQ(Edges(Paths(kPageviews, R"("properties": [{"key": "$browser", "value": "Chrome",
                                        "operator": "exact", "type": "event"}])")),
            (std::vector<std::string>{"1_/a -> 2_/b: 1"}));
  EXPECT_EQ(
      Edges(Paths(kPageviews)),
      (std::vector<std::string>{"1_/a -> 2_/b: 1", "1_/new -> 2_/newer: 1", "2_/b -> 3_/c: 1"}));
}

TEST_F(PathsRunner, HogQLPropertyNamesCustomEvents) {
  Add("clicked", 1, "2024-01-02T10:00:00Z", R"({"button": "buy"})");
  Add("clicked", 1, "2024-01-02T10:01:00Z", R"({"button": "pay"})");
  EXPECT_EQ(Edges(Paths(R"({"includeEventTypes": ["hogql"],
                            "pathsHogQLExpression": "properties.button"})")),
            (std::vector<std::string>{"1_buy -> 2_pay: 1"}));
}

TEST_F(PathsRunner, HogQLExpressionForms) {
  // Each expression as a JSON string.
  for (const char* expression : {R"("properties.$button")", R"("properties['$button']")",
                                 R"("properties.\"$button\"")", R"(" properties.`$button` ")"}) {
    auto query = Parse(Paths(std::string(R"({"pathsHogQLExpression": )") + expression + "}"));
    ASSERT_TRUE(query.ok()) << expression << ": " << query.status().ToString();
    EXPECT_EQ(query->hogql_property, "$button") << expression;
  }
  auto event = Parse(Paths(R"({"pathsHogQLExpression": "event"})"));
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->hogql_property, std::nullopt);
  // Listed types without "hogql": the expression is not read.
  auto unused = Parse(Paths(R"({"includeEventTypes": ["$pageview"],
                               "pathsHogQLExpression": "properties.$button"})"));
  ASSERT_TRUE(unused.ok());
  EXPECT_EQ(unused->hogql_property, std::nullopt);
}

TEST_F(PathsRunner, ActorsOfAnEdgeANodeAndADropoff) {
  View(1, "2024-01-02T10:00:00Z", "/a");
  View(1, "2024-01-02T10:01:00Z", "/b");
  View(2, "2024-01-02T10:00:00Z", "/a");
  View(2, "2024-01-02T10:01:00Z", "/b");
  View(2, "2024-01-02T10:02:00Z", "/c");
  View(3, "2024-01-02T10:00:00Z", "/x");
  EXPECT_EQ(Actors(Paths(R"({"includeEventTypes": ["$pageview"], "pathStartKey": "1_/a",
                             "pathEndKey": "2_/b"})")),
            (std::vector<std::string>{"1:1", "2:1"}));
  EXPECT_EQ(Actors(Paths(R"({"includeEventTypes": ["$pageview"], "pathEndKey": "3_/c"})")),
            (std::vector<std::string>{"2:1"}));
  EXPECT_EQ(Actors(Paths(R"({"includeEventTypes": ["$pageview"], "pathDropoffKey": "2_/b"})")),
            (std::vector<std::string>{"1:1"}));
}

TEST_F(PathsRunner, ParserRefusesBadFieldsNamingThem) {
  auto message = [&](const std::string& json) {
    auto query = Parse(json);
    return query.ok() ? std::string("ok") : query.status().message();
  };
  EXPECT_NE(message(Paths(R"({"includeEventTypes": ["$click"]})"))
                .find("query.pathsFilter.includeEventTypes[0]"),
            std::string::npos);
  EXPECT_NE(message(Paths(R"({"stepLimit": 1000})")).find("query.pathsFilter.stepLimit"),
            std::string::npos);
  EXPECT_NE(message(Paths(R"({"edgeLimit": "x"})")).find("query.pathsFilter.edgeLimit"),
            std::string::npos);
  EXPECT_NE(message(Paths(R"({"localPathCleaningFilters": [{"regex": "(", "alias": "x"}]})"))
                .find("query.pathsFilter.localPathCleaningFilters[0].regex"),
            std::string::npos);
  EXPECT_NE(message(Paths(R"({"localPathCleaningFilters": [{"regex": "a", "alias": "\\3"}]})"))
                .find("query.pathsFilter.localPathCleaningFilters[0].alias"),
            std::string::npos);
  EXPECT_NE(message(Paths(R"j({"pathsHogQLExpression": "concat(event, 'x')"})j"))
                .find("query.pathsFilter.pathsHogQLExpression"),
            std::string::npos);
  EXPECT_EQ(message(Paths(R"({"stepLimit": 0, "minEdgeWeight": 0})")), "ok");
}

// funnelPathsFilter over the funnel signup → purchase (window `funnels_filter`), on page views.
std::string FunnelPathsOf(const std::string& type, int step,
                          const std::string& funnels_filter = "{}",
                          const std::string& paths_filter = kPageviews) {
  return Paths(paths_filter, R"("funnelPathsFilter": {"funnelPathType": ")" + type +
                                 R"(", "funnelStep": )" + std::to_string(step) +
                                 R"(, "funnelSource": {"kind": "FunnelsQuery",
      "dateRange": {"date_from": "2024-01-01", "date_to": "2024-01-10"},
      "series": [{"kind": "EventsNode", "event": "signup"},
                 {"kind": "EventsNode", "event": "purchase"}],
      "funnelsFilter": )" + funnels_filter +
                                 "}}");
}

class FunnelPathsRunner : public PathsRunner {
 protected:
  void SetUp() override {
    PathsRunner::SetUp();
    // Person 1 converts: signup at 10:02, purchase at 10:05.
    View(1, "2024-01-02T10:00:00Z", "/a");
    View(1, "2024-01-02T10:01:00Z", "/b");
    Add("signup", 1, "2024-01-02T10:02:00Z");
    View(1, "2024-01-02T10:03:00Z", "/c");
    View(1, "2024-01-02T10:04:00Z", "/c2");
    Add("purchase", 1, "2024-01-02T10:05:00Z");
    View(1, "2024-01-02T10:06:00Z", "/d");
    View(1, "2024-01-02T10:07:00Z", "/e");
    // Person 2 signs up at 10:02 and never purchases.
    View(2, "2024-01-02T10:00:00Z", "/h");
    View(2, "2024-01-02T10:01:00Z", "/i");
    Add("signup", 2, "2024-01-02T10:02:00Z");
    View(2, "2024-01-02T10:03:00Z", "/x");
    View(2, "2024-01-02T10:04:00Z", "/y");
    View(2, "2024-01-02T11:00:00Z", "/early");
    View(2, "2024-01-02T11:30:00Z", "/m");
    View(2, "2024-01-02T11:31:00Z", "/n");
    // Person 3 is not in the funnel.
    View(3, "2024-01-02T10:00:00Z", "/q");
    View(3, "2024-01-02T10:01:00Z", "/r");
  }
};

TEST_F(FunnelPathsRunner, BeforeAStepReadsItsPersonsEventsUpToIt) {
  // Person 1's page views up to the purchase (10:05), included.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_before_step", 2)),
            (std::vector<std::string>{"1_/a -> 2_/b: 1", "2_/b -> 3_/c: 1", "3_/c -> 4_/c2: 1"}));
  // Both persons signed up at 10:02: /a → /b and /h → /i.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_before_step", 1)),
            (std::vector<std::string>{"1_/a -> 2_/b: 1", "1_/h -> 2_/i: 1"}));
}

TEST_F(FunnelPathsRunner, AfterAStepReadsFromItAndSplitsSessionsAtTheFunnelWindow) {
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_after_step", 2)),
            (std::vector<std::string>{"1_/d -> 2_/e: 1"}));
  // From the signup (10:02). The 56- and 30-minute gaps of person 2 are within the 14-day funnel
  // window, so its path is one session: /x /y /early /m /n.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_after_step", 1)),
            (std::vector<std::string>{"1_/c -> 2_/c2: 1", "1_/x -> 2_/y: 1", "2_/c2 -> 3_/d: 1",
                                      "2_/y -> 3_/early: 1", "3_/d -> 4_/e: 1",
                                      "3_/early -> 4_/m: 1", "4_/m -> 5_/n: 1"}));
  // A 40-minute window: /y (10:04) → /early (11:00) is a new session; /early → /m (30 min) not.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_after_step", 1,
                                R"({"funnelWindowInterval": 40, "funnelWindowIntervalUnit":
                                    "minute"})")),
            (std::vector<std::string>{"1_/c -> 2_/c2: 1", "1_/early -> 2_/m: 1", "1_/x -> 2_/y: 1",
                                      "2_/c2 -> 3_/d: 1", "2_/m -> 3_/n: 1", "3_/d -> 4_/e: 1"}));
}

TEST_F(FunnelPathsRunner, BetweenStepsReadsFromThePreviousStepToTheTarget) {
  // Person 1 from the signup (10:02) to the purchase (10:05).
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_between_steps", 2)),
            (std::vector<std::string>{"1_/c -> 2_/c2: 1"}));
}

TEST_F(FunnelPathsRunner, DropOffsAreTimedByTheirLastStep) {
  // Person 2 (signed up, never purchased) up to its signup.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_before_step", -2)),
            (std::vector<std::string>{"1_/h -> 2_/i: 1"}));
  // After a drop-off: from the signup plus the funnel window (one hour: 11:02), so /early (11:00)
  // is left out.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_after_step", -2,
                                R"({"funnelWindowInterval": 1, "funnelWindowIntervalUnit":
                                    "hour"})")),
            (std::vector<std::string>{"1_/m -> 2_/n: 1"}));
  // With the default 14 days, nothing is left in the paths' date range.
  EXPECT_EQ(Edges(FunnelPathsOf("funnel_path_after_step", -2)), (std::vector<std::string>{}));
}

TEST_F(FunnelPathsRunner, ActorsOfANodeOfFunnelPaths) {
  EXPECT_EQ(Actors(FunnelPathsOf("funnel_path_after_step", 1, R"({})",
                                 R"({"includeEventTypes": ["$pageview"],
                                             "pathEndKey": "2_/y"})")),
            (std::vector<std::string>{"2:1"}));
  // Every person with a path: persons 1 and 2, not person 3.
  EXPECT_EQ(Actors(FunnelPathsOf("funnel_path_before_step", 1)),
            (std::vector<std::string>{"1:2", "2:2"}));
  EXPECT_EQ(Actors(FunnelPathsOf("funnel_path_before_step", 2, "{}",
                                 R"({"includeEventTypes": ["$pageview"],
                                     "pathDropoffKey": "4_/c2"})")),
            (std::vector<std::string>{"1:1"}));
}

TEST(FunnelPathWindows, TargetStepTimesTheWindow) {
  FunnelPaths paths;
  paths.funnel.steps.resize(3);
  const std::vector<int64_t> times = {At("2024-01-31T10:00:00Z"), At("2024-02-01T10:00:00Z")};
  const uint32_t first_two = 0b011;
  paths.type = FunnelPathType::kBetweenSteps;
  paths.step = 2;
  auto window = FunnelPathWindowOf(paths, first_two, times);
  ASSERT_TRUE(window);
  EXPECT_EQ(window->from_us, times[0]);
  EXPECT_EQ(window->to_us, times[1]);
  paths.step = 3;  // did not reach step 3
  EXPECT_FALSE(FunnelPathWindowOf(paths, first_two, times));
  // −3: reached step 2 and not step 3; between steps 1 and 2, the last two reached.
  paths.step = -3;
  window = FunnelPathWindowOf(paths, first_two, times);
  ASSERT_TRUE(window);
  EXPECT_EQ(window->from_us, times[0]);
  EXPECT_EQ(window->to_us, times[1]);
  // After a drop-off at step 2: a month after Jan 31 is Feb 29 (2024), at the same time of day.
  paths.type = FunnelPathType::kAfterStep;
  paths.step = -2;
  paths.funnel.window_interval = 1;
  paths.funnel.window_unit = "month";
  EXPECT_FALSE(FunnelPathWindowOf(paths, first_two, times));  // reached step 2
  window = FunnelPathWindowOf(paths, 0b001, {times[0]});
  ASSERT_TRUE(window);
  EXPECT_EQ(window->from_us, At("2024-02-29T10:00:00Z"));
  // Before a step: up to it.
  paths.type = FunnelPathType::kBeforeStep;
  paths.step = 2;
  window = FunnelPathWindowOf(paths, first_two, times);
  ASSERT_TRUE(window);
  EXPECT_EQ(window->to_us, times[1]);
}

TEST(FunnelPathWindows, SessionGapIsTheFunnelWindowFrom2018InTheProjectZone) {
  FunnelsQuery funnel;
  constexpr int64_t kDayUs = 86'400'000'000;
  EXPECT_EQ(FunnelPathSessionGapUs(funnel, TimeZone::Utc()), 14 * kDayUs);
  // A unit without funnelWindowInterval is 14 days, as PostHog reads it.
  funnel.window_unit = "hour";
  EXPECT_EQ(FunnelPathSessionGapUs(funnel, TimeZone::Utc()), 14 * kDayUs);
  funnel.window_interval = 3;
  EXPECT_EQ(FunnelPathSessionGapUs(funnel, TimeZone::Utc()), 3 * 3'600'000'000);
  // Two months from 2018-01-01: January and February, 59 days.
  funnel.window_interval = 2;
  funnel.window_unit = "month";
  EXPECT_EQ(FunnelPathSessionGapUs(funnel, TimeZone::Utc()), 59 * kDayUs);
  // Three months in New York cross the clocks going forward (2018-03-11): 90 days less an hour.
  funnel.window_interval = 3;
  auto zone = TimeZone::Load("America/New_York");
  ASSERT_TRUE(zone.ok());
  EXPECT_EQ(FunnelPathSessionGapUs(funnel, *zone), 90 * kDayUs - 3'600'000'000);
}

TEST_F(PathsRunner, FunnelPathsFilterRefusesBadFieldsNamingThem) {
  auto message = [&](const std::string& json) {
    auto query = Parse(json);
    return query.ok() ? std::string("ok") : query.status().message();
  };
  auto names = [&](const std::string& json, const std::string& field) {
    const std::string got = message(json);
    EXPECT_TRUE(got.starts_with(field + ":")) << got;
  };
  EXPECT_EQ(message(FunnelPathsOf("funnel_path_before_step", 2)), "ok");
  EXPECT_EQ(message(FunnelPathsOf("funnel_path_after_step", -2)), "ok");
  names(FunnelPathsOf("funnel_path_before_step", 3), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_before_step", 0), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_before_step", -1), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_after_step", -3), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_between_steps", 1), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_between_steps", -2), "query.funnelPathsFilter.funnelStep");
  names(FunnelPathsOf("funnel_path_sideways", 1), "query.funnelPathsFilter.funnelPathType");
  names(FunnelPathsOf("funnel_path_after_step", 1, R"({"funnelVizType": "trends"})"),
        "query.funnelPathsFilter.funnelSource.funnelsFilter.funnelVizType");
  names(FunnelPathsOf("funnel_path_after_step", 1, R"({"funnelWindowInterval": -4})"),
        "query.funnelPathsFilter.funnelSource.funnelsFilter.funnelWindowInterval");
  names(Paths(kPageviews, R"("funnelPathsFilter": {"funnelPathType": "funnel_path_after_step",
                                                   "funnelSource": {"kind": "FunnelsQuery",
                                                   "series": [{"kind": "EventsNode", "event": "a"},
                                                   {"kind": "EventsNode", "event": "b"}]}})"),
        "query.funnelPathsFilter.funnelStep");
  names(Paths(kPageviews, R"("funnelPathsFilter": {"funnelPathType": "funnel_path_after_step",
                                                   "funnelStep": 1})"),
        "query.funnelPathsFilter.funnelSource");
  names(Paths(kPageviews, R"("funnelPathsFilter": {"funnelPathType": "funnel_path_after_step",
                                                   "funnelStep": 1, "funnelSource":
                                                   {"kind": "FunnelsQuery", "series": []}})"),
        "query.funnelPathsFilter.funnelSource.series");
  names(Paths(kPageviews, R"("funnelPathsFilter": {"funnelPathType": "funnel_path_after_step",
                                                   "funnelStep": 1, "funnelSource":
                                                   {"kind": "TrendsQuery", "series": []}})"),
        "query.funnelPathsFilter.funnelSource");
  names(Paths(kPageviews, R"("funnelPathsFilter": [1])"), "query.funnelPathsFilter");
  // A target step that is optional has no event to time the paths by.
  names(Paths(kPageviews, R"("funnelPathsFilter": {"funnelPathType": "funnel_path_before_step",
                                                   "funnelStep": 2, "funnelSource":
                                                   {"kind": "FunnelsQuery", "series": [
                                                   {"kind": "EventsNode", "event": "a"},
                                                   {"kind": "EventsNode", "event": "b",
                                                    "optionalInFunnel": true},
                                                   {"kind": "EventsNode", "event": "c"}]}})"),
        "query.funnelPathsFilter.funnelStep");
}

}  // namespace
}  // namespace hoglet::query
