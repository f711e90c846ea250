// Property filters of type "hogql" (analytics §3.1): the events on which the expression holds as
// a WHERE clause reads it, in the query's filters, a series' filters, AND/OR groups beside other
// filter types and funnel steps; each expression compiled once per run; an expression the engine
// refuses is an error naming it. Every expected number is counted by hand from the events added.
#include "query/hogql_filters.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "hogql/executor/row_expression_compiler.h"
#include "query/funnels_query_parser.h"
#include "query/funnels_runner.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

// Counts the expressions it compiles.
class CountingCompiler final : public RowExpressionCompiler {
 public:
  explicit CountingCompiler(const RowExpressionCompiler* compiler) : compiler_(compiler) {}
  StatusOr<std::unique_ptr<RowExpression>> Compile(std::string_view text) const override {
    ++compiled;
    return compiler_->Compile(text);
  }
  mutable int compiled = 0;

 private:
  const RowExpressionCompiler* compiler_;
};

class HogQLFiltersTest : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.person_properties = &persons_;
    hogql_context_.zone = context_.clock.zone;
    hogql_context_.now_us = context_.clock.now_us;
    hogql_context_.overrides = &overrides_;
    hogql_context_.person_properties = &persons_;
    context_.hogql_filters = &filters_;
    // On 10 January: p1 two $pageviews on Chrome (one priced 30), p2 one on Chrome priced 5, p3
    // one on Firefox, p4 one without properties; p1 and p3 on the pro plan.
    Add("$pageview", 1, "2024-01-10T09:00:00Z", R"({"$browser": "Chrome", "price": 30})");
    Add("$pageview", 1, "2024-01-10T10:00:00Z", R"({"$browser": "Chrome"})");
    Add("$pageview", 2, "2024-01-10T11:00:00Z", R"({"$browser": "Chrome", "price": 5})");
    Add("$pageview", 3, "2024-01-10T12:00:00Z", R"({"$browser": "Firefox"})");
    Add("$pageview", 4, "2024-01-10T13:00:00Z");
    Add("purchase", 1, "2024-01-10T14:00:00Z");
    Add("purchase", 3, "2024-01-10T14:00:00Z");
    persons_.Set(1, R"({"plan": "pro"})");
    persons_.Set(3, R"({"plan": "pro"})");
  }

  // The total of the answer's one line over the range, or the error's message, for a trends
  // query of $pageviews with `extra` members.
  std::string Total(const std::string& extra) {
    return TotalOf(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
        "series": [{"kind": "EventsNode", "event": "$pageview"}])" +
                   extra + "}");
  }

  std::string TotalOf(const std::string& json) {
    Flush();
    simdjson::dom::parser parser;
    StatusOr<TrendsQuery> query = ParseTrendsQuery(parser.parse(json).value());
    if (!query.ok()) return query.status().message();
    StatusOr<TrendsAnswer> answer = AnswerTrends(*query, context_, source(), kTestTeam);
    if (!answer.ok()) return answer.status().message();
    if (answer->result.lines.size() != 1)
      return "lines: " + std::to_string(answer->result.lines.size());
    double total = 0;
    for (double v : answer->result.lines.front().data) total += v;
    return std::to_string(static_cast<int64_t>(total));
  }

  static std::string Filter(const std::string& expression) {
    return R"({"type": "hogql", "key": ")" + expression + R"("})";
  }

  MapPersonProperties persons_;
  hogql::HogQLRunContext hogql_context_;
  hogql::RowExpressionCompiler compiler_{&hogql_context_, kTestTeam};
  CountingCompiler counting_{&compiler_};
  HogQLFilters filters_{&counting_};
};

TEST_F(HogQLFiltersTest, KeepTheEventsOnWhichTheExpressionHolds) {
  EXPECT_EQ(Total(""), "5");
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("properties.$browser = 'Chrome'") + "]"), "3");
  // NULL (no price) does not hold; neither does a comparison that is false.
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("toFloat(properties.price) > 10") + "]"), "1");
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("properties.price IS NULL") + "]"), "3");
  // Persons' current properties, as HogQL queries read them.
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("person.properties.plan = 'pro'") + "]"), "3");
  // A number is a condition: non-zero holds.
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("length(properties.$browser)") + "]"), "4");
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("0") + "]"), "0");
}

TEST_F(HogQLFiltersTest, SitInSeriesAndInGroupsBesideOtherFilters) {
  // A series' own filter: p3's Firefox, and p4's missing browser (HogQL's `!=` holds for NULL, as
  // PostHog prints it: ifNull(notEquals(…), 1)).
  EXPECT_EQ(TotalOf(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "properties": [)" +
                    Filter("properties.$browser != 'Chrome'") + "]}]}"),
            "2");
  // OR with an event filter: Firefox, or priced.
  EXPECT_EQ(
      Total(R"(, "properties": {"type": "OR", "values": [{"type": "AND", "values": [
      {"key": "$browser", "value": "Firefox", "operator": "exact", "type": "event"},
      )" + Filter("false") +
            R"(]}, {"type": "AND", "values": [)" + Filter("properties.price IS NOT NULL") + "]}]}"),
      "2");
  // AND with a person filter.
  EXPECT_EQ(Total(R"(, "properties": [
      {"key": "plan", "value": "pro", "operator": "exact", "type": "person"},
      )" + Filter("properties.$browser = 'Chrome'") +
                  "]"),
            "2");
}

TEST_F(HogQLFiltersTest, EachExpressionIsCompiledOncePerRun) {
  for (int i = 0; i < 30; ++i) {
    Add("$pageview", 5, "2024-01-10T13:30:00Z", R"({"$browser": "Chrome"})");
    Flush();  // a part, and so a block, each
  }
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("properties.$browser = 'Chrome'") + ", " +
                  Filter("1 = 1") + "]"),
            "33");
  EXPECT_EQ(counting_.compiled, 2);
}

TEST_F(HogQLFiltersTest, AnExpressionTheEngineRefusesIsAnErrorNamingIt) {
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("properties.$browser = ") + "]"),
            "the HogQL filter 'properties.$browser = ': line 1, column 23: expected an "
            "expression after '=', found the end of the query");
  const std::string aggregate = Total(R"(, "properties": [)" + Filter("count() > 1") + "]");
  EXPECT_NE(aggregate.find("the HogQL filter 'count() > 1': line 1, column 1: the expression "
                           "must be over one event"),
            std::string::npos)
      << aggregate;
  // A filter without a "key" is refused by the parser, naming the field.
  EXPECT_NE(Total(R"(, "properties": [{"type": "hogql"}])").find("key"), std::string::npos);
}

TEST_F(HogQLFiltersTest, ARunWithoutHogQLRefusesTheFilter) {
  context_.hogql_filters = nullptr;
  EXPECT_EQ(Total(R"(, "properties": [)" + Filter("1 = 1") + "]"),
            "a HogQL filter ('1 = 1') is not supported here");
}

TEST_F(HogQLFiltersTest, NarrowFunnelSteps) {
  Flush();
  simdjson::dom::parser parser;
  const std::string json = R"({"kind": "FunnelsQuery", "dateRange": {"date_from": "-1d"},
      "series": [{"kind": "EventsNode", "event": "$pageview", "properties": [)" +
                           Filter("properties.$browser IN ('Chrome', 'Firefox')") +
                           R"(]}, {"kind": "EventsNode", "event": "purchase"}],
      "properties": [)" + Filter("person.properties.plan = 'pro'") +
                           "]}";
  auto query = ParseFunnelsQuery(parser.parse(json).value());
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  auto range = DateRange::Resolve(query->date_range, query->interval, context_.clock);
  ASSERT_TRUE(range.ok());
  auto result = RunFunnels(*query, *range, context_, source(), kTestTeam);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->lines.size(), 1u);
  ASSERT_EQ(result->lines.front().steps.size(), 2u);
  EXPECT_EQ(result->lines.front().steps[0].count, 2);  // p1 and p3
  EXPECT_EQ(result->lines.front().steps[1].count, 2);
}

}  // namespace
}  // namespace hoglet::query
