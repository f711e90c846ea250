// Trends math "hogql" end to end over a real columnar store: the trends runner hands the series
// to RunHogQLMath, which runs the aggregate per bucket with the HogQL engine on the events the
// series' filters keep; answers are computed by hand. Errors name the series' math_hogql field.
#include "api/hogql_math.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "hogql/executor/row_expression_compiler.h"
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
      run.person_properties = &persons_;
      return RunHogQLMath(series, run, source(), query::kTestTeam);
    };
    context_.person_properties = &persons_;
    row_context_.zone = context_.clock.zone;
    row_context_.now_us = context_.clock.now_us;
    row_context_.overrides = &overrides_;
    row_context_.person_properties = &persons_;
    context_.hogql = &compiler_;  // HogQL breakdowns
    persons_.Set(1, R"j({"tier": "gold"})j");
    persons_.Set(2, R"j({"tier": "silver"})j");
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

  // Each line as "<breakdown value>: <data…>" ("=<aggregated value>" for total-value displays).
  std::vector<std::string> Lines(const std::string& series, const std::string& extra) {
    auto lines = Run(series, extra);
    EXPECT_TRUE(lines.ok()) << lines.status().ToString();
    if (!lines.ok()) return {};
    std::vector<std::string> out;
    for (const query::TrendsLine& line : *lines) {
      std::string text = line.breakdown_value.value_or("-") + ":";
      for (double v : line.data) text += " " + FormatNumber(v);
      if (line.data.empty()) text += " =" + FormatNumber(line.aggregated_value);
      out.push_back(text);
    }
    return out;
  }

  static std::string FormatNumber(double v) {
    std::string text = std::to_string(v);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
    return text;
  }

  std::string Error(const std::string& series, const std::string& extra = "") {
    auto lines = Run(series, extra);
    EXPECT_FALSE(lines.ok());
    EXPECT_EQ(lines.status().code(), StatusCode::kInvalidArgument);
    return lines.ok() ? "" : lines.status().message();
  }

  query::MapPersonProperties persons_;
  hogql::HogQLRunContext row_context_;
  hogql::RowExpressionCompiler compiler_{&row_context_, query::kTestTeam};
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

// With a breakdown, the aggregate is computed per day per breakdown value (not summed from the
// events' values), the values ranked by their total, the null label last.
constexpr const char* kSumOfPrices = R"j({"kind": "EventsNode", "event": "purchase",
    "math": "hogql", "math_hogql": "sum(toFloat(properties.price))"})j";

TEST_F(HogQLMath, PerBreakdownValueOfAnEventProperty) {
  // free: 30 on the 8th; pro: 10 on the 8th, "5" on the 9th (the event without a price adds
  // nothing).
  EXPECT_EQ(Lines(kSumOfPrices, R"j("breakdownFilter": {"breakdown": "plan"})j"),
            (std::vector<std::string>{"free: 30 0 0", "pro: 10 5 0"}));
  // An average per value and day: pro's 10 and 5 are not averaged together.
  EXPECT_EQ(Lines(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "avg(toFloat(properties.price))"})j",
                  R"j("breakdownFilter": {"breakdown": "plan", "breakdown_type": "event"})j"),
            (std::vector<std::string>{"free: 30 0 0", "pro: 10 5 0"}));
  // Missing everywhere: every event in the null label's line.
  EXPECT_EQ(Lines(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "count()"})j",
                  R"j("breakdownFilter": {"breakdown": "coupon"})j"),
            (std::vector<std::string>{"$$_posthog_breakdown_null_$$: 2 2 0"}));
  // The same grouping from a HogQL breakdown.
  EXPECT_EQ(Lines(kSumOfPrices,
                  R"j("breakdownFilter": {"breakdown": "properties.plan",
                                          "breakdown_type": "hogql"})j"),
            (std::vector<std::string>{"free: 30 0 0", "pro: 10 5 0"}));
}

TEST_F(HogQLMath, PerBreakdownValueOfAPersonProperty) {
  // Persons 1 gold (the 8th and the 9th), 2 silver (the 8th), 3 without a tier (the 9th).
  EXPECT_EQ(Lines(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "count() * 10"})j",
                  R"j("breakdownFilter": {"breakdown": "tier", "breakdown_type": "person"})j"),
            (std::vector<std::string>{"gold: 10 10 0", "silver: 10 0 0",
                                      "$$_posthog_breakdown_null_$$: 0 10 0"}));
  // Several breakdowns: the key is the JSON array of the labels.
  EXPECT_EQ(Lines(R"j({"kind": "EventsNode", "event": "purchase", "math": "hogql",
                       "math_hogql": "count()"})j",
                  R"j("breakdownFilter": {"breakdowns": [{"property": "plan"},
                                                         {"property": "tier", "type": "person"}]})j"),
            (std::vector<std::string>{R"(["pro","gold"]: 1 1 0)", R"(["free","silver"]: 1 0 0)",
                                      R"(["pro","$$_posthog_breakdown_null_$$"]: 0 1 0)"}));
}

TEST_F(HogQLMath, TheBreakdownLimitSumsTheRestIntoOther) {
  std::vector<query::TrendsLine> lines =
      *Run(kSumOfPrices, R"j("breakdownFilter": {"breakdown": "plan", "breakdown_limit": 1})j");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].breakdown_value, "free");
  EXPECT_EQ(lines[1].breakdown_value, "$$_posthog_breakdown_other_$$");
  EXPECT_EQ(lines[1].data, (Data{10, 5, 0}));
  EXPECT_EQ(lines[1].count, 15);
  EXPECT_TRUE(Run(kSumOfPrices, R"j("breakdownFilter": {"breakdown": "plan",
                                      "breakdown_limit": 1, "breakdown_hide_other_aggregation": true})j")
                  ->size() == 1);
  // Total-value displays: one value per breakdown value.
  EXPECT_EQ(Lines(kSumOfPrices, R"j("breakdownFilter": {"breakdown": "plan"},
                                    "trendsFilter": {"display": "ActionsTable"})j"),
            (std::vector<std::string>{"free: =30", "pro: =15"}));
}

TEST_F(HogQLMath, BreakdownsTheEngineDoesNotGroupByAreRefused) {
  EXPECT_EQ(Error(kSumOfPrices, R"j("breakdownFilter": {"breakdown": [1],
                                                         "breakdown_type": "cohort"})j"),
            "query.series[0].math: math 'hogql' with a cohort breakdown is not supported by this "
            "server yet");
  EXPECT_EQ(Error(kSumOfPrices, R"j("breakdownFilter": {"breakdown": "plan",
                                                         "breakdown_histogram_bin_count": 3})j"),
            "query.series[0].math: math 'hogql' with a breakdown into histogram bins is not "
            "supported by this server yet");
}

TEST_F(HogQLMath, WithoutTheEngineTheSeriesIsRefused) {
  context_.hogql_math = nullptr;
  EXPECT_EQ(Error(R"j({"kind": "EventsNode", "math": "hogql", "math_hogql": "count()"})j"),
            "query.series[0].math_hogql: math 'hogql' cannot be computed here");
}

}  // namespace
}  // namespace hoglet::api
