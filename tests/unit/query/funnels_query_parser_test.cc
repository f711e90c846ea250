// FunnelsQuery read from PostHog's JSON: defaults, every funnelsFilter field, and the 400s that
// name the field (analytics §3.3).
#include "query/funnels_query_parser.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace hoglet::query {
namespace {

constexpr int64_t kSecondUs = 1'000'000;

StatusOr<FunnelsQuery> Parse(const std::string& json) {
  simdjson::dom::parser parser;
  return ParseFunnelsQuery(parser.parse(json).value());
}

std::string WithFilter(const std::string& funnels_filter) {
  return R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
            {"kind": "EventsNode", "event": "b"}, {"kind": "EventsNode", "event": "c"}],
            "funnelsFilter": )" +
         funnels_filter + "}";
}

// The message of a refused query ("" when it was accepted).
std::string Refusal(const std::string& json) {
  StatusOr<FunnelsQuery> query = Parse(json);
  return query.ok() ? "" : query.status().message();
}

TEST(FunnelsQueryParser, Defaults) {
  StatusOr<FunnelsQuery> query = Parse(R"({"kind": "FunnelsQuery",
      "series": [{"kind": "EventsNode", "event": "signup", "custom_name": "Sign up"},
                 {"kind": "ActionsNode", "id": 4}]})");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_EQ(query->steps.size(), 2u);
  EXPECT_EQ(query->steps[0].event, "signup");
  EXPECT_EQ(query->steps[0].custom_name, "Sign up");
  EXPECT_EQ(query->steps[1].action_id, 4);
  EXPECT_EQ(query->order, FunnelOrder::kOrdered);
  EXPECT_EQ(query->viz, FunnelViz::kSteps);
  EXPECT_EQ(query->window_us, 14 * 86'400 * kSecondUs);
  EXPECT_EQ(query->attribution, FunnelAttribution::kFirstTouch);
  EXPECT_EQ(query->from_step, 0u);
  EXPECT_EQ(query->to_step, 1u);
  EXPECT_FALSE(query->breakdown);
}

TEST(FunnelsQueryParser, FunnelsFilterFields) {
  StatusOr<FunnelsQuery> query = Parse(WithFilter(R"({"funnelOrderType": "strict",
      "funnelVizType": "time_to_convert", "funnelWindowInterval": 3,
      "funnelWindowIntervalUnit": "hour", "funnelFromStep": 1, "funnelToStep": 2,
      "binCount": 500, "funnelStepReference": "previous",
      "breakdownAttributionType": "step", "breakdownAttributionValue": 2,
      "exclusions": [{"kind": "EventsNode", "event": "x", "funnelFromStep": 0,
                      "funnelToStep": 2, "properties": [{"key": "k", "value": "v",
                      "operator": "exact", "type": "event"}]}]})"));
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->order, FunnelOrder::kStrict);
  EXPECT_EQ(query->viz, FunnelViz::kTimeToConvert);
  EXPECT_EQ(query->window_us, 3 * 3600 * kSecondUs);
  EXPECT_EQ(query->from_step, 1u);
  EXPECT_EQ(query->to_step, 2u);
  EXPECT_EQ(query->bin_count, 90);  // clamped, as PostHog clamps it
  EXPECT_EQ(query->attribution, FunnelAttribution::kStep);
  EXPECT_EQ(query->attribution_step, 2u);
  ASSERT_EQ(query->exclusions.size(), 1u);
  EXPECT_EQ(query->exclusions[0].node.event, "x");
  EXPECT_EQ(query->exclusions[0].from_step, 0u);
  EXPECT_EQ(query->exclusions[0].to_step, 2u);

  StatusOr<FunnelsQuery> month =
      Parse(WithFilter(R"({"funnelWindowInterval": 1, "funnelWindowIntervalUnit": "month"})"));
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(month->window_us, 30 * 86'400 * kSecondUs);
}

TEST(FunnelsQueryParser, BreakdownAndGroupAggregation) {
  StatusOr<FunnelsQuery> query = Parse(R"({"kind": "FunnelsQuery",
      "series": [{"kind": "EventsNode", "event": "a"}, {"kind": "EventsNode", "event": "b"}],
      "breakdownFilter": {"breakdown": "plan", "breakdown_type": "person", "breakdown_limit": 3},
      "aggregation_group_type_index": 1, "filterTestAccounts": true,
      "properties": {"type": "OR", "values": [{"type": "AND", "values": [
          {"key": "$browser", "value": "Chrome", "operator": "exact", "type": "event"}]}]}})");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  ASSERT_TRUE(query->breakdown);
  EXPECT_TRUE(query->breakdown->properties[0].person);
  EXPECT_EQ(query->breakdown->limit, 3u);
  EXPECT_EQ(query->aggregation_group_type_index, 1);
  EXPECT_TRUE(query->filter_test_accounts);
}

TEST(FunnelsQueryParser, TrendsFromTheFirstToTheLastStepByDefault) {
  StatusOr<FunnelsQuery> query = Parse(WithFilter(R"({"funnelVizType": "trends"})"));
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->viz, FunnelViz::kTrends);
  EXPECT_EQ(query->from_step, 0u);
  EXPECT_EQ(query->to_step, 2u);
  query = Parse(WithFilter(R"({"funnelVizType": "trends", "funnelFromStep": 1,
                               "funnelToStep": 2})"));
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->from_step, 1u);
  EXPECT_EQ(query->to_step, 2u);
}

TEST(FunnelsQueryParser, RefusalsNameTheField) {
  EXPECT_NE(Refusal(WithFilter(R"({"funnelVizType": "sideways"})"))
                .find("query.funnelsFilter.funnelVizType"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"funnelOrderType": "sideways"})"))
                .find("query.funnelsFilter.funnelOrderType"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"funnelWindowIntervalUnit": "fortnight"})"))
                .find("query.funnelsFilter.funnelWindowIntervalUnit"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"funnelWindowInterval": 0})"))
                .find("query.funnelsFilter.funnelWindowInterval"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"exclusions": [{"kind": "EventsNode", "event": "x",
                "funnelFromStep": 2, "funnelToStep": 1}]})"))
                .find("query.funnelsFilter.exclusions[0].funnelToStep"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"exclusions": [{"kind": "EventsNode", "event": "x",
                "funnelFromStep": 0, "funnelToStep": 7}]})"))
                .find("query.funnelsFilter.exclusions[0].funnelToStep"),
            std::string::npos);
  // Unordered funnels take exclusions over the whole funnel only, and step attribution to the
  // first step only.
  EXPECT_NE(Refusal(WithFilter(R"({"funnelOrderType": "unordered", "exclusions": [
                {"kind": "EventsNode", "event": "x", "funnelFromStep": 0, "funnelToStep": 1}]})"))
                .find("query.funnelsFilter.exclusions[0]"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"funnelOrderType": "unordered",
                "breakdownAttributionType": "step", "breakdownAttributionValue": 1})"))
                .find("query.funnelsFilter.breakdownAttributionValue"),
            std::string::npos);
  EXPECT_NE(Refusal(WithFilter(R"({"funnelVizType": "time_to_convert", "funnelFromStep": 2})"))
                .find("query.funnelsFilter.funnelToStep"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"}]})")
                .find("query.series"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                {"kind": "EventsNode", "event": "b"}], "breakdownFilter": {"breakdowns": [
                {"property": "x"}, {"property": "y"}]}})")
                .find("query.breakdownFilter.breakdowns"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": "a"})").find("query.series"),
            std::string::npos);
}

TEST(FunnelsQueryParser, OptionalSteps) {
  StatusOr<FunnelsQuery> query = Parse(R"({"kind": "FunnelsQuery", "series": [
      {"kind": "EventsNode", "event": "a"},
      {"kind": "EventsNode", "event": "b", "optionalInFunnel": true},
      {"kind": "EventsNode", "event": "c", "optionalInFunnel": false},
      {"kind": "EventsNode", "event": "d", "optionalInFunnel": true},
      {"kind": "EventsNode", "event": "e"}],
      "funnelsFilter": {"funnelOrderType": "strict"}})");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->optional_steps, 0b01010u);  // steps 1 and 3
}

TEST(FunnelsQueryParser, OptionalStepsRefusedWherePostHogRefusesThem) {
  // The first step.
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": [
                {"kind": "EventsNode", "event": "a", "optionalInFunnel": true},
                {"kind": "EventsNode", "event": "b"}]})")
                .find("query.series[0].optionalInFunnel"),
            std::string::npos);
  // Time to convert, trends and unordered funnels.
  const std::string series = R"("series": [{"kind": "EventsNode", "event": "a"},
      {"kind": "EventsNode", "event": "b", "optionalInFunnel": true},
      {"kind": "EventsNode", "event": "c"}])";
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", )" + series +
                    R"(, "funnelsFilter": {"funnelVizType": "trends"}})")
                .find("query.funnelsFilter.funnelVizType"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", )" + series +
                    R"(, "funnelsFilter": {"funnelVizType": "time_to_convert"}})")
                .find("query.funnelsFilter.funnelVizType"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", )" + series +
                    R"(, "funnelsFilter": {"funnelOrderType": "unordered"}})")
                .find("query.funnelsFilter.funnelOrderType"),
            std::string::npos);
  // An optional step followed by the same required step, or by one that matches more.
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                {"kind": "EventsNode", "event": "b", "optionalInFunnel": true},
                {"kind": "EventsNode", "event": "b"}]})")
                .find("query.series[1].optionalInFunnel"),
            std::string::npos);
  EXPECT_NE(Refusal(R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                {"kind": "EventsNode", "event": "b", "optionalInFunnel": true, "properties": [
                  {"key": "plan", "value": ["pro"], "operator": "exact", "type": "event"}]},
                {"kind": "EventsNode", "event": "b"}]})")
                .find("query.series[1].optionalInFunnel"),
            std::string::npos);
  // A narrower following step can still take events the optional one leaves.
  EXPECT_EQ(Refusal(R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                {"kind": "EventsNode", "event": "b", "optionalInFunnel": true},
                {"kind": "EventsNode", "event": "b", "properties": [
                  {"key": "plan", "value": ["pro"], "operator": "exact", "type": "event"}]}]})"),
            "");
}

}  // namespace
}  // namespace hoglet::query
