// HogQL placeholders (planner.h's Placeholders): {name} and {variables.x} as constants, {filters}
// as the date range's condition (which also bounds the scan), the date-range bounds, and the
// refusals of placeholders without a value, with their positions.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/hogql/executor_fixture.h"

namespace hoglet::hogql {
namespace {

class HogQLPlaceholders : public HogQLExecutor {
 protected:
  void SetUp() override {
    HogQLExecutor::SetUp();
    context_.placeholders = &placeholders_;
    AddBrowsers();
  }
  Placeholders placeholders_;
};

TEST_F(HogQLPlaceholders, ValuesAndVariablesAreConstants) {
  placeholders_.values["browser"] = Value::String("Chrome");
  placeholders_.values["variables.min_price"] = Value::Int(6);
  placeholders_.values["nothing"] = Value::Null();
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE properties.$browser = {browser}"), "[[2]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE toFloat(properties.price) > "
                 "{variables.min_price}"),
            "[[2]]");
  EXPECT_EQ(Rows("SELECT {browser}, {variables.min_price} + 1, {nothing}"),
            R"([["Chrome",7,null]])");
  EXPECT_EQ(Error("SELECT {missing}"),
            "line 1, column 8: placeholder {missing} has no value: send it in `values`");
  EXPECT_EQ(Error("SELECT 1 FROM events WHERE event = {variables.nope}"),
            "line 1, column 36: variable 'nope' has no value: send it in the query's "
            "`variables`");
}

TEST_F(HogQLPlaceholders, FiltersAreTheDateRange) {
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE {filters}"), "[[6]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp >= {filters.dateRange.from}"),
            "[[6]]");
  placeholders_.date_from_us = At("2024-01-09T11:00:00Z");
  placeholders_.date_to_us = At("2024-01-10T02:00:00Z");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE {filters}"), "[[3]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp < {filters.dateRange.to}"), "[[4]]");
  StatusOr<PlannedQuery> plan = PlanHogQL("SELECT event FROM events WHERE {filters}",
                                          {context_.zone, context_.now_us, 0, &placeholders_});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->from_us, At("2024-01-09T11:00:00Z"));
  EXPECT_EQ(plan->to_us, At("2024-01-10T02:00:00Z"));
  // Over a join, the events are narrowed before it.
  tables_.AddPerson(2, R"({"email":"b@y.com"})");
  EXPECT_EQ(Rows("SELECT e.event, p.properties.email FROM events e JOIN persons p ON "
                 "e.person_id = p.id WHERE {filters}"),
            R"([["pageview","b@y.com"],["pageview","b@y.com"]])");
  // Over groups, the date range reads created_at.
  tables_.AddGroup(0, "acme", "{}");
  EXPECT_EQ(Rows("SELECT key FROM groups WHERE {filters}"), "[]");
}

TEST_F(HogQLPlaceholders, FiltersNeedsATableAndKnownNames) {
  EXPECT_EQ(Error("SELECT {filters}"),
            "line 1, column 8: {filters} needs a table: add FROM events");
  EXPECT_EQ(Error("SELECT 1 FROM events WHERE {filters.properties}"),
            "line 1, column 28: {filters.properties} is not a filters placeholder: use "
            "{filters}, {filters.dateRange.from} or {filters.dateRange.to}");
  EXPECT_EQ(Error("SELECT toDate({filters.dateRange.from})"),
            "line 1, column 15: {filters.dateRange.from} must be compared directly (timestamp > "
            "{filters.dateRange.from}) when the date range does not set it");
}

}  // namespace
}  // namespace hoglet::hogql
