// Trends broken down by HogQL expressions (evaluated by the HogQL engine), by cohorts (an event
// once per cohort of its person, "all" for everyone) and into histogram bins (PostHog's
// equal-width bins and "[lo,hi]" labels), with the lines' order, labels and actors
// (analytics §3.1, §3.2). Every expected number is counted by hand from the events added.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/json_writer.h"
#include "filters/filter_tree.h"
#include "hogql/executor/row_expression_compiler.h"
#include "query/cohort_membership.h"
#include "query/funnels_query_parser.h"
#include "query/trends_actors.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "query/trends_result_json.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

class MapCohorts final : public CohortSource {
 public:
  void Static(int64_t id, std::vector<int> persons) {
    QueryCohort cohort;
    cohort.is_static = true;
    cohorts_[id] = cohort;
    for (int n : persons) static_of_[PersonUuid(n)].push_back(id);
  }
  void Dynamic(int64_t id, const char* filters_json) {
    QueryCohort cohort;
    cohort.root = *filters::ParseFilterTree(filters_json);
    cohorts_[id] = std::move(cohort);
  }
  StatusOr<std::optional<QueryCohort>> Cohort(int64_t id) override {
    auto found = cohorts_.find(id);
    if (found == cohorts_.end()) return std::optional<QueryCohort>();
    return std::optional<QueryCohort>(found->second);
  }
  StatusOr<std::vector<int64_t>> StaticCohortsOf(const Uuid& person) override {
    return static_of_[person];
  }

 private:
  std::map<int64_t, QueryCohort> cohorts_;
  std::unordered_map<Uuid, std::vector<int64_t>, UuidHash> static_of_;
};

class TrendsBreakdowns : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.person_properties = &persons_;
    context_.cohorts = &membership_;
    hogql_context_.zone = context_.clock.zone;
    hogql_context_.now_us = context_.clock.now_us;
    hogql_context_.overrides = &overrides_;
    hogql_context_.person_properties = &persons_;
    context_.hogql = &compiler_;
  }

  StatusOr<TrendsQuery> Parse(const std::string& json) {
    simdjson::dom::parser parser;
    return ParseTrendsQuery(parser.parse(json).value());
  }

  // The answer's lines as "<breakdown value>: <data…>" (or "s<series> <value>: …" with
  // `series`), or the error's message.
  std::vector<std::string> Lines(const std::string& json, bool series = false) {
    Flush();
    StatusOr<TrendsQuery> query = Parse(json);
    if (!query.ok()) return {query.status().message()};
    StatusOr<TrendsAnswer> answer = AnswerTrends(*query, context_, source(), kTestTeam);
    if (!answer.ok()) return {answer.status().message()};
    std::vector<std::string> lines;
    for (const TrendsLine& line : answer->result.lines) {
      std::string text = series ? "s" + std::to_string(line.series) + " " : "";
      text += line.breakdown_value.value_or("-") + ":";
      for (double v : line.data) text += " " + std::to_string(static_cast<int64_t>(v));
      if (line.data.empty())
        text += " =" + std::to_string(static_cast<int64_t>(line.aggregated_value));
      lines.push_back(text);
    }
    return lines;
  }

  // The `results` JSON of the answer.
  std::string ResultsJson(const std::string& json) {
    Flush();
    StatusOr<TrendsQuery> query = Parse(json);
    EXPECT_TRUE(query.ok()) << query.status().ToString();
    StatusOr<TrendsAnswer> answer = AnswerTrends(*query, context_, source(), kTestTeam);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return "";
    JsonWriter w;
    WriteTrendsResults(*query, *answer, &w);
    return std::move(w).Take();
  }

  // The actors of a point as "p<person>:<events>", or the error's message.
  std::string Actors(const std::string& json, const std::string& breakdown) {
    Flush();
    StatusOr<TrendsQuery> query = Parse(json);
    if (!query.ok()) return query.status().message();
    TrendsPoint point;
    point.breakdown = breakdown;
    StatusOr<std::vector<TrendsActor>> actors =
        TrendsActors(*query, point, context_, source(), kTestTeam);
    if (!actors.ok()) return actors.status().message();
    std::string out;
    for (const TrendsActor& actor : *actors) {
      out += (out.empty() ? "p" : ",p") + std::to_string(actor.person.bytes[15]) + ":" +
             std::to_string(actor.event_count);
    }
    return out;
  }

  // Five $pageviews on 10 January: p1 twice on a Mac with Chrome, p2 on Windows with Chrome, p3
  // on Linux with Firefox, p4 with neither property.
  void AddBrowsers() {
    Add("$pageview", 1, "2024-01-10T09:00:00Z", R"({"$os": "Mac", "$browser": "Chrome"})");
    Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$os": "Mac", "$browser": "Chrome"})");
    Add("$pageview", 2, "2024-01-10T11:00:00Z", R"({"$os": "Windows", "$browser": "Chrome"})");
    Add("$pageview", 3, "2024-01-10T12:00:00Z", R"({"$os": "Linux", "$browser": "Firefox"})");
    Add("$pageview", 4, "2024-01-10T13:00:00Z", R"({"$os": ""})");
  }

  static std::string Query(const std::string& breakdown_filter, const std::string& extra = "") {
    return R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
        "series": [{"kind": "EventsNode", "event": "$pageview"}], "breakdownFilter": )" +
           breakdown_filter + extra + "}";
  }

  MapPersonProperties persons_;
  MapCohorts cohort_source_;
  CohortMembership membership_{&cohort_source_, {0, TimeZone(), filters::Dialect::kHogQL}};
  hogql::HogQLRunContext hogql_context_;
  hogql::RowExpressionCompiler compiler_{&hogql_context_, kTestTeam};
};

const std::string kNull = "$$_posthog_breakdown_null_$$";
const std::string kOther = "$$_posthog_breakdown_other_$$";

TEST_F(TrendsBreakdowns, HogQLExpressionPerEvent) {
  AddBrowsers();
  // concat reads a NULL as "": p3's and p4's values.
  EXPECT_EQ(Lines(Query(R"j({"breakdown_type": "hogql",
                 "breakdown": "concat(properties.$os, '-', properties.$browser)"})j")),
            (std::vector<std::string>{"Mac-Chrome: 0 2", "-: 0 1", "Linux-Firefox: 0 1",
                                      "Windows-Chrome: 0 1"}));
  // A property read by HogQL: p4 has none, the null label.
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "properties.$browser"})")),
            (std::vector<std::string>{"Chrome: 0 3", "Firefox: 0 1", kNull + ": 0 1"}));
  // "" is the null label too, as toString(x) = '' is.
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "properties.$os"})")),
            (std::vector<std::string>{"Mac: 0 2", "Linux: 0 1", "Windows: 0 1", kNull + ": 0 1"}));
  // Numbers as toString shows them.
  EXPECT_EQ(Lines(Query(R"j({"breakdown_type": "hogql",
                 "breakdown": "length(properties.$browser) * 2"})j")),
            (std::vector<std::string>{"12: 0 3", "14: 0 1", kNull + ": 0 1"}));
}

TEST_F(TrendsBreakdowns, HogQLReadsPersonsAtQueryTimeAndKeepsTheLimit) {
  AddBrowsers();
  persons_.Set(1, R"({"email": "a@example.com"})");
  persons_.Set(2, R"({"email": "b@example.com"})");
  EXPECT_EQ(
      Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "person.properties.email"})")),
      (std::vector<std::string>{"a@example.com: 0 2", "b@example.com: 0 1", kNull + ": 0 2"}));
  // d4 now belongs to p2: its event reads p2's email.
  overrides_.Set("d4", PersonUuid(2));
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "person.properties.email",
                            "breakdown_limit": 1})")),
            (std::vector<std::string>{"a@example.com: 0 2", kOther + ": 0 3"}));
}

TEST_F(TrendsBreakdowns, HogQLItemAmongSeveralBreakdowns) {
  AddBrowsers();
  EXPECT_EQ(Lines(Query(R"j({"breakdowns": [{"property": "lower(properties.$os)", "type": "hogql"},
                                          {"property": "$browser", "type": "event"}]})j")),
            (std::vector<std::string>{R"(["mac","Chrome"]: 0 2)", R"(["linux","Firefox"]: 0 1)",
                                      R"(["windows","Chrome"]: 0 1)",
                                      "[\"" + kNull + "\",\"" + kNull + "\"]: 0 1"}));
}

TEST_F(TrendsBreakdowns, HogQLErrorsNameTheField) {
  AddBrowsers();
  std::vector<std::string> syntax =
      Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "properties.$os +"})"));
  ASSERT_EQ(syntax.size(), 1u);
  EXPECT_EQ(syntax[0].rfind("query.breakdownFilter.breakdown: line 1, column", 0), 0u) << syntax[0];
  std::vector<std::string> aggregate =
      Lines(Query(R"j({"breakdown_type": "hogql", "breakdown": "count()"})j"));
  ASSERT_EQ(aggregate.size(), 1u);
  EXPECT_NE(aggregate[0].find("query.breakdownFilter.breakdown: "), std::string::npos);
  // Text that would end the SELECT it is planned in is not one expression.
  std::vector<std::string> escape =
      Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "1 FROM persons --"})"));
  ASSERT_EQ(escape.size(), 1u);
  EXPECT_EQ(escape[0].rfind("query.breakdownFilter.breakdown: line 1", 0), 0u) << escape[0];
  std::vector<std::string> item = Lines(Query(R"({"breakdowns": [
      {"property": "$browser"}, {"property": "nope(", "type": "hogql"}]})"));
  ASSERT_EQ(item.size(), 1u);
  EXPECT_EQ(item[0].rfind("query.breakdownFilter.breakdowns[1].property: ", 0), 0u) << item[0];
  std::vector<std::string> empty = Lines(Query(R"({"breakdown_type": "hogql", "breakdown": " "})"));
  EXPECT_EQ(empty,
            (std::vector<std::string>{"query.breakdownFilter.breakdown: a hogql breakdown needs an "
                                      "expression"}));
  context_.hogql = nullptr;
  std::vector<std::string> refused =
      Lines(Query(R"({"breakdown_type": "hogql", "breakdown": "properties.$os"})"));
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("not supported"), std::string::npos);
}

// Cohort 5 lists p1 and p2; cohort 6 holds the persons on the "pro" plan: p2 and p3.
class CohortBreakdowns : public TrendsBreakdowns {
 protected:
  void SetUp() override {
    TrendsBreakdowns::SetUp();
    cohort_source_.Static(5, {1, 2});
    cohort_source_.Dynamic(6, R"({"type": "AND", "values": [
        {"type": "person", "key": "plan", "value": "pro", "operator": "exact"}]})");
    persons_.Set(2, R"({"plan": "pro"})");
    persons_.Set(3, R"({"plan": "pro"})");
    context_.cohort_names = {{5, "Early"}, {6, "Pro plan"}};
    AddBrowsers();
  }
};

TEST_F(CohortBreakdowns, AnEventCountsOncePerCohortOfItsPerson) {
  // p2's event counts in both cohorts; p4 is in neither. Several cohorts without "all" are
  // ranked by total.
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "cohort", "breakdown": [6, 5]})")),
            (std::vector<std::string>{"5: 0 3", "6: 0 2"}));
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "cohort", "breakdown": [6, 5],
                            "breakdown_limit": 1})")),
            (std::vector<std::string>{"5: 0 3", kOther + ": 0 2"}));
  // Distinct persons per cohort.
  EXPECT_EQ(Lines(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "dau"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [5, 6]}})"),
            (std::vector<std::string>{"5: 0 2", "6: 0 2"}));
}

TEST_F(CohortBreakdowns, WithAllTheCohortsComeInTheQuerysOrder) {
  // "all" is every person; one run per cohort, in the order asked, each with every series.
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "cohort", "breakdown": [6, "all"]})")),
            (std::vector<std::string>{"6: 0 2", "0: 0 5"}));
  EXPECT_EQ(Lines(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "$pageview", "math": "dau"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [6, "all"]}})",
                  /*series=*/true),
            (std::vector<std::string>{"s0 6: 0 2", "s1 6: 0 2", "s0 0: 0 5", "s1 0: 0 4"}));
  // A single cohort, given without a list.
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "cohort", "breakdown": 5})")),
            (std::vector<std::string>{"5: 0 3"}));
}

TEST_F(CohortBreakdowns, FormulasKeepTheCohortsOrder) {
  // A - B per cohort: events minus persons, "6" (2 - 2) before "0" (5 - 4).
  EXPECT_EQ(Lines(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "$pageview", "math": "dau"}],
      "trendsFilter": {"formulaNodes": [{"formula": "A - B"}]},
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [6, "all"]}})"),
            (std::vector<std::string>{"6: 0 0", "0: 0 1"}));
}

TEST_F(CohortBreakdowns, FirstTimeMathsCountAPersonInEachOfItsCohorts) {
  Add("$pageview", 2, "2024-01-01T09:00:00Z");  // p2's first pageview, before the range
  EXPECT_EQ(Lines(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "math": "first_time_for_user"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [5, 6]}})"),
            (std::vector<std::string>{"5: 0 1", "6: 0 1"}));
}

TEST_F(CohortBreakdowns, ValuesAndLabelsAsPostHogWritesThem) {
  std::string json = ResultsJson(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [6, "all"]}})");
  EXPECT_NE(json.find(R"("label":"Pro plan","breakdown_value":6,)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("label":"all users","breakdown_value":"all",)"), std::string::npos)
      << json;
  json = ResultsJson(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview"},
                 {"kind": "EventsNode", "event": "signup"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [5]}})");
  EXPECT_NE(json.find(R"("label":"$pageview - Early","breakdown_value":5,)"), std::string::npos)
      << json;
}

TEST_F(CohortBreakdowns, ActorsOfACohortsPoint) {
  const std::string query = Query(R"({"breakdown_type": "cohort", "breakdown": [5, 6]})");
  EXPECT_EQ(Actors(query, "5"), "p1:2,p2:1");
  EXPECT_EQ(Actors(query, "6"), "p2:1,p3:1");
  const std::string with_all = Query(R"({"breakdown_type": "cohort", "breakdown": ["all", 6]})");
  EXPECT_EQ(Actors(with_all, "0"), "p1:2,p2:1,p3:1,p4:1");
}

TEST_F(CohortBreakdowns, MalformedCohortListsAreRefused) {
  EXPECT_EQ(Lines(Query(R"({"breakdown_type": "cohort", "breakdown": []})")),
            (std::vector<std::string>{
                "query.breakdownFilter.breakdown: a cohort breakdown needs at least one cohort"}));
  EXPECT_EQ(
      Lines(Query(R"({"breakdown_type": "cohort", "breakdown": [5, {"id": 6}]})")),
      (std::vector<std::string>{
          "query.breakdownFilter.breakdown: a cohort breakdown lists cohort ids or \"all\""}));
  // A cohort the project does not have.
  std::vector<std::string> missing =
      Lines(Query(R"({"breakdown_type": "cohort", "breakdown": [5, 99]})"));
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("cohort 99 does not exist"), std::string::npos) << missing[0];
  // Funnels do not break down by cohort.
  const std::string funnel_json = R"({"kind": "FunnelsQuery", "series": [
      {"kind": "EventsNode", "event": "a"}, {"kind": "EventsNode", "event": "b"}],
      "breakdownFilter": {"breakdown_type": "cohort", "breakdown": [5]}})";
  simdjson::dom::parser parser;
  auto funnel = ParseFunnelsQuery(parser.parse(funnel_json).value());
  ASSERT_FALSE(funnel.ok());
  EXPECT_NE(funnel.status().message().find("not supported"), std::string::npos);
}

TEST_F(TrendsBreakdowns, HistogramBinsBetweenTheSmallestAndLargestValue) {
  Add("purchase", 1, "2024-01-10T09:00:00Z", R"({"price": 1})");
  Add("purchase", 1, "2024-01-10T10:00:00Z", R"({"price": "2"})");
  Add("purchase", 2, "2024-01-09T11:00:00Z", R"({"price": 5.5})");
  Add("purchase", 3, "2024-01-10T12:00:00Z", R"({"price": 10})");
  Add("purchase", 3, "2024-01-10T13:00:00Z", R"({"price": "free"})");
  Add("purchase", 4, "2024-01-10T14:00:00Z");
  Add("other", 4, "2024-01-10T14:00:00Z", R"({"price": 1000})");  // not the series' event
  const std::string series = R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "purchase"}], "breakdownFilter": )";
  // min 1, max 10: bins of width 3, the last widened by 0.01.
  EXPECT_EQ(
      Lines(series + R"({"breakdown": "price", "breakdown_histogram_bin_count": 3}})"),
      (std::vector<std::string>{"[1,4]: 0 2", "[4,7]: 1 0", "[7,10.01]: 0 1", kNull + ": 0 2"}));
  // Two bins of width 4.5: 5.5 starts the second.
  EXPECT_EQ(Lines(series + R"({"breakdown": "price", "breakdown_histogram_bin_count": 2}})"),
            (std::vector<std::string>{"[1,5.5]: 0 2", "[5.5,10.01]: 1 1", kNull + ": 0 2"}));
  // One bin holds every number.
  EXPECT_EQ(Lines(series + R"({"breakdown": "price", "breakdown_histogram_bin_count": 1}})"),
            (std::vector<std::string>{"[1,10.01]: 1 3", kNull + ": 0 2"}));
  // A person property, in bins of its own values.
  persons_.Set(1, R"({"age": 20})");
  persons_.Set(3, R"({"age": 31})");
  EXPECT_EQ(Lines(series + R"({"breakdowns": [{"property": "age", "type": "person",
                                              "histogram_bin_count": 2}]}})"),
            (std::vector<std::string>{"[\"[20,25.5]\"]: 0 2", "[\"[25.5,31.01]\"]: 0 2",
                                      "[\"" + kNull + "\"]: 1 1"}));
  // The actors of a bin.
  EXPECT_EQ(Actors(series + R"({"breakdown": "price", "breakdown_histogram_bin_count": 2}})",
                   "[5.5,10.01]"),
            "p2:1,p3:1");
}

TEST_F(TrendsBreakdowns, HistogramBinCountsAreBounded) {
  EXPECT_EQ(Lines(Query(R"({"breakdown": "price", "breakdown_histogram_bin_count": 0})")),
            (std::vector<std::string>{"query.breakdownFilter.breakdown_histogram_bin_count: must "
                                      "be a whole number from 1 to 1000"}));
  EXPECT_EQ(Lines(Query(R"({"breakdowns": [{"property": "price", "histogram_bin_count": "x"}]})")),
            (std::vector<std::string>{"query.breakdownFilter.breakdowns[0].histogram_bin_count: "
                                      "must be a whole number from 1 to 1000"}));
}

}  // namespace
}  // namespace hoglet::query
