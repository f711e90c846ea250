// FunnelCorrelationQuery read from PostHog's JSON: its fields, and the 400s that name the field
// (analytics §3.3).
#include "query/funnel_correlation_parser.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

namespace hoglet::query {
namespace {

const char* kFunnel = R"({"kind": "FunnelsQuery", "series": [{"kind": "EventsNode", "event": "a"},
                                                           {"kind": "EventsNode", "event": "b"}]})";

StatusOr<FunnelCorrelationQuery> Parse(const std::string& fields,
                                       const std::string& actors_fields = "") {
  const std::string json = R"({"kind": "FunnelCorrelationQuery", "source": {
      "kind": "FunnelsActorsQuery", )" +
                           actors_fields + R"( "source": )" + kFunnel + "}" +
                           (fields.empty() ? "" : ", ") + fields + "}";
  simdjson::dom::parser parser;
  return ParseFunnelCorrelationQuery(parser.parse(json).value());
}

std::string Refusal(const std::string& fields, const std::string& actors_fields = "") {
  StatusOr<FunnelCorrelationQuery> query = Parse(fields, actors_fields);
  return query.ok() ? "" : query.status().message();
}

TEST(FunnelCorrelationParser, Fields) {
  StatusOr<FunnelCorrelationQuery> query =
      Parse(R"("funnelCorrelationType": "event_with_properties",
               "funnelCorrelationEventNames": ["watched"],
               "funnelCorrelationEventExcludePropertyNames": ["$lib"],
               "funnelCorrelationExcludeEventNames": ["$pageview"])",
            R"("funnelStep": -2,)");
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  EXPECT_EQ(query->type, CorrelationType::kEventWithProperties);
  EXPECT_EQ(query->funnel.steps.size(), 2u);
  EXPECT_EQ(query->funnel_step, -2);
  EXPECT_EQ(query->event_names, (std::vector<std::string>{"watched"}));
  EXPECT_EQ(query->event_exclude_property_names, (std::vector<std::string>{"$lib"}));
  EXPECT_EQ(query->exclude_event_names, (std::vector<std::string>{"$pageview"}));

  StatusOr<FunnelCorrelationQuery> events = Parse(R"("funnelCorrelationType": "events")");
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->funnel_step, 1);  // everyone who entered
}

TEST(FunnelCorrelationParser, RefusalsNameTheField) {
  EXPECT_NE(Refusal("").find("query.funnelCorrelationType"), std::string::npos);
  EXPECT_NE(Refusal(R"("funnelCorrelationType": "sessions")").find("query.funnelCorrelationType"),
            std::string::npos);
  EXPECT_NE(
      Refusal(R"("funnelCorrelationType": "properties")").find("query.funnelCorrelationNames"),
      std::string::npos);
  EXPECT_NE(Refusal(R"("funnelCorrelationType": "event_with_properties")")
                .find("query.funnelCorrelationEventNames"),
            std::string::npos);
  EXPECT_NE(Refusal(R"("funnelCorrelationType": "event_with_properties",
                       "funnelCorrelationEventNames": ["$autocapture"])")
                .find("query.funnelCorrelationEventNames"),
            std::string::npos);
  EXPECT_NE(Refusal(R"("funnelCorrelationType": "events")", R"("funnelStep": 3,)")
                .find("query.source.funnelStep"),
            std::string::npos);
  EXPECT_NE(Refusal(R"("funnelCorrelationType": "events", "funnelCorrelationNames": "plan")")
                .find("query.funnelCorrelationNames"),
            std::string::npos);
  // The funnel's own errors are named from the correlation query.
  simdjson::dom::parser parser;
  StatusOr<FunnelCorrelationQuery> bad = ParseFunnelCorrelationQuery(
      parser
          .parse(
              std::string(R"({"kind": "FunnelCorrelationQuery", "funnelCorrelationType": "events",
                     "source": {"kind": "FunnelsActorsQuery", "source": {"kind": "FunnelsQuery",
                     "series": [{"kind": "EventsNode", "event": "a"}]}}})"))
          .value());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("query.source.source.series"), std::string::npos);
  StatusOr<FunnelCorrelationQuery> no_source = ParseFunnelCorrelationQuery(
      parser
          .parse(std::string(
              R"({"kind": "FunnelCorrelationQuery", "funnelCorrelationType": "events"})"))
          .value());
  ASSERT_FALSE(no_source.ok());
  EXPECT_NE(no_source.status().message().find("query.source"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::query
