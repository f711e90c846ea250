// Trends math "hogql" end to end over a real columnar store: the trends runner hands the series
// to RunHogQLMath, which runs the aggregate per bucket with the HogQL engine on the events the
// series' filters keep; answers are computed by hand. Errors name the series' math_hogql field.
#include "api/hogql_math.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "query/trends_query_parser.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::api {
namespace {

using query::At;
using Data = std::vector<double>;

class HogQLMath : public query::InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.hogql_math = [this](const query::HogQLMathSeries& series) {
      hogql::HogQLRunContext run;
      run.zone = context_.clock.zone;
      run.now_us = context_.clock.now_us;
      run.week_mode = 0;
      run.overrides = &overrides_;
      return RunHogQLMath(series, run, source(), query::kTestTeam);
    };
    // 2024-01-08 (Monday) … 2024-01-10 (now): prices on two days, an event of another name.
    Add("purchase", 1, "2024-01-08T10:00:00Z", R"j({"price": 10, "plan": "pro"})j");
    Add("purchase", 2, "2024-01-08T11:00:00Z", R"j({"price": 30, "plan": "free"})j");
    Add("purchase", 1, "2024-01-09T09:00:00Z", R"j({"price": "5", "plan": "pro"})j");
    Add("purchase", 3, "2024-01-09T12:00:00Z", R"j({"plan": "pro"})j");
    Add("$pageview", 1, "2024-01-09T12:00:00Z", R"j({"price": 1000})j");
  }

  // The lines of a trends query over 2024-01-08 … 2024-01-10 by day with `series` and `extra`
  // fields; the error message instead when it fails.
  StatusOr<std::vector<query::TrendsLine>> Run(const std::string& series,
                                               const std::string& extra = "") {
    Flush();
    std::string json = R"j({"kind": "TrendsQuery",
        "dateRange": {"date_from": "2024-01-08", "date_to": "2024-01-10T23:59:59"},
        "series": [)j" +
                       series + "]";
    if (!extra.empty()) json += ", " + extra;
    json += "}";
    simdjson::dom::parser parser;
    HOGLET_ASSIGN_OR_RETURN(query::TrendsQuery trends,
                            query::ParseTrendsQuery(parser.parse(json).value()));
    HOGLET_ASSIGN_OR_RETURN(
        query::DateRange range,
        query::DateRange::Resolve(
            trends.date_range,
            trends.display == query::Display::kTotalValue ? query::Interval::kDay : trends.interval,
            context_.clock));
    HOGLET_ASSIGN_OR_RETURN(query::TrendsResult result,
                            query::RunTrends(trends, range, context_, source(), query::kTestTeam));
    return result.lines;
  }

  Data DataOf(const std::string& series, const std::string& extra = "") {
    auto lines = Run(series, extra);
    EXPECT_TRUE(lines.ok()) << lines.status().ToString();
    if (!lines.ok() || lines->empty()) return {};
    return lines->front().data;
  }

  std::string Error(const std::string& series, const std::string& extra = "") {
    auto lines = Run(series, extra);
    EXPECT_FALSE(lines.ok());
    EXPECT_EQ(lines.status().code(), StatusCode::kInvalidArgument);
    return lines.ok() ? "" : lines.status().message();
  }
};

TEST_F(HogQLMath, ComputesTheAggregatePerDayOverTheSeriesEvents) {
  // Numeric strings are numbers to toFloat; the $pageview's price is not the series'.
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "sum(toFloat(properties.price))"})j"),
            (Data{40, 5, 0}));
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "count() * 10 + uniq(distinct_id)"})j"),
            (Data{22, 22, 0}));
  // avg over no event is NULL: 0.
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "avg(toFloat(properties.price))"})j"),
            (Data{20, 5, 0}));
}

TEST_F(HogQLMath, TheSeriesAndQueryFiltersNarrowTheEvents) {
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "sum(toFloat(properties.price))",
                       "properties": [{"key": "plan", "value": "pro", "type": "event"}]})j"),
            (Data{10, 5, 0}));
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": "count()"})j",
                   R"j("properties": [{"key": "price", "operator": "gt", "value": 6,
                                      "type": "event"}])j"),
            (Data{2, 1, 0}));
}

TEST_F(HogQLMath, WeeksTotalsCumulativeAndFormulas) {
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "count()"})j",
                   R"j("interval": "week")j"),
            (Data{4}));
  EXPECT_EQ(DataOf(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "max(toFloat(properties.price))"})j",
                   R"j("trendsFilter": {"display": "ActionsLineGraphCumulative"})j"),
            (Data{30, 35, 35}));
  auto total = Run(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "max(toFloat(properties.price)) - min(toFloat(properties.price))"})j",
                   R"j("trendsFilter": {"display": "BoldNumber"})j");
  ASSERT_TRUE(total.ok()) << total.status().ToString();
  EXPECT_EQ(total->front().aggregated_value, 25);
}

TEST_F(HogQLMath, ErrorsNameTheField) {
  EXPECT_EQ(
      Error(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": "count("})j").substr(0, 43),
      "query.series[0].math_hogql: line 1, column ");
  EXPECT_NE(Error(R"j({"kind": "EventsNode"}, {"kind": "EventsNode", "math": "hogql",
                       "math_hogql": "nosuchfunction(1)"})j")
                .find("query.series[1].math_hogql: "),
            std::string::npos);
  EXPECT_EQ(Error(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": "any(event)"})j"),
            "query.series[0].math_hogql: the expression must compute a number");
  // One expression, not the rest of a query.
  EXPECT_NE(Error(R"j({"kind": "EventsNode", "math": "hogql",
                       "math_hogql": "count() FROM persons"})j")
                .find("query.series[0].math_hogql: line 1"),
            std::string::npos);
  EXPECT_EQ(Error(R"j({"kind": "EventsNode", "math": "hogql"})j"),
            "query.series[0].math_hogql: math 'hogql' needs the HogQL aggregate to compute, "
            "e.g. \"count()\"");
  EXPECT_EQ(Error(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": ")j" +
                  std::string(5000, '1') + R"j("})j"),
            "query.series[0].math_hogql: is longer than 4096 bytes");
}

TEST_F(HogQLMath, WithoutTheEngineTheSeriesIsRefused) {
  context_.hogql_math = nullptr;
  EXPECT_EQ(Error(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": "count()"})j"),
            "query.series[0].math_hogql: math 'hogql' cannot be computed here");
}

}  // namespace
}  // namespace hoglet::api
