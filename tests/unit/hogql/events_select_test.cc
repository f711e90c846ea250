// An EventsQuery composed into the HogQL SELECT PostHog's runner would run — the "*" and person
// columns, labels, aliases, implied GROUP BY, HAVING, the default order, the page — and that
// SELECT run over a real store with the filter engine narrowing each block (query/event_rows.h).
#include "hogql/executor/events_select.h"

#include <gtest/gtest.h>

#include <string>

#include "filters/filter_tree.h"
#include "hogql/executor/planner.h"
#include "query/event_rows.h"
#include "tests/unit/hogql/executor_fixture.h"

namespace hoglet::hogql {
namespace {

const int64_t kBefore = At("2024-01-10T15:00:05Z");
const int64_t kAfter = At("2024-01-09T00:00:00Z");

std::string Compose(const query::EventsQuery& query) {
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
  EXPECT_TRUE(select.ok()) << select.status().ToString();
  return select.ok() ? select->text : select.status().ToString();
}

// The ORDER BY line(s) of a composed query.
std::string OrderOf(const query::EventsQuery& query) {
  std::string text = Compose(query);
  size_t at = text.find("ORDER BY\n");
  if (at == std::string::npos) return "";
  size_t end = text.find("LIMIT", at);
  return text.substr(at + 9, end - at - 10);
}

TEST(EventsSelect, ComposesOneEntryPerLine) {
  query::EventsQuery query;
  query.select = {"*", "person -- Person", "count() -- Total", "properties.$browser AS browser"};
  query.where = {"event = 'x' -- why", "count() > 1"};
  query.event = "it's";
  query.limit = 10;
  query.offset = 20;
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_TRUE(select.ok()) << select.status().ToString();
  EXPECT_EQ(select->text,
            "SELECT\n"
            "uuid\n, event\n, properties\n, timestamp\n, team_id\n, distinct_id\n"
            ", elements_chain\n, created_at\n, person_mode\n"
            ", distinct_id\n"
            ", count()\n"
            ", properties.$browser AS browser\n"
            "FROM events\n"
            "WHERE\n"
            "(event = 'x')\n"
            "AND event = 'it\\'s'\n"
            "AND timestamp < toDateTime('2024-01-10T15:00:05.000000+00:00')\n"
            "AND timestamp > toDateTime('2024-01-09T00:00:00.000000+00:00')\n"
            "GROUP BY\n"
            "uuid\n, event\n, properties\n, timestamp\n, team_id\n, distinct_id\n"
            ", elements_chain\n, created_at\n, person_mode\n"
            ", distinct_id\n"
            ", properties.$browser\n"
            "HAVING\n"
            "(count() > 1)\n"
            "ORDER BY\n"
            "count() DESC\n"
            "LIMIT 11\n"
            "OFFSET 20\n");
  ASSERT_EQ(select->columns.size(), 4u);
  EXPECT_EQ(select->columns[0].kind, EventsColumn::Kind::kStar);
  EXPECT_EQ(select->columns[0].count, kEventStarFields.size());
  EXPECT_EQ(select->columns[1].kind, EventsColumn::Kind::kPerson);
  EXPECT_EQ(select->columns[1].first, 9u);
  EXPECT_EQ(select->columns[1].name, "person -- Person");
  EXPECT_EQ(select->columns[2].name, "count() -- Total");
  EXPECT_EQ(select->columns[3].name, "browser");
  EXPECT_EQ(select->columns[3].first, 11u);
  EXPECT_EQ(select->select_columns, 12u);
}

TEST(EventsSelect, DefaultOrderIsPostHogs) {
  query::EventsQuery query;
  query.select = {"event", "count()", "sum(1)"};
  EXPECT_EQ(OrderOf(query), "count() DESC");
  query.select = {"event", "sum(1)", "count() -- n"};
  EXPECT_EQ(OrderOf(query), "sum(1) DESC");
  query.select = {"event", "timestamp"};
  EXPECT_EQ(OrderOf(query), "timestamp DESC");
  query.select = {"event", "distinct_id"};
  EXPECT_EQ(OrderOf(query), "event ASC");
  query.select = {};
  EXPECT_EQ(OrderOf(query),
            "uuid ASC\n, event ASC\n, properties ASC\n, timestamp ASC\n, team_id ASC\n, "
            "distinct_id ASC\n, elements_chain ASC\n, created_at ASC\n, person_mode ASC");
  query.select = {"event", "timestamp"};
  query.order_by = {"event", "timestamp ASC, distinct_id DESC"};
  EXPECT_EQ(OrderOf(query), "event\n, timestamp\n, distinct_id DESC");
}

TEST(EventsSelect, WithoutLowerBound) {
  query::EventsQuery query;
  query.select = {"event"};
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, std::nullopt, kBefore);
  ASSERT_TRUE(select.ok());
  EXPECT_EQ(select->text.find("timestamp >"), std::string::npos);
  EXPECT_NE(select->text.find("timestamp <"), std::string::npos);
}

TEST(EventsSelect, EntriesThatDoNotParseAreNamed) {
  query::EventsQuery query;
  query.select = {"event", "count("};
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_FALSE(select.ok());
  EXPECT_EQ(select.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(select.status().message().starts_with("query.select[1]: line 1, column "))
      << select.status().message();

  query.select = {"event"};
  query.where = {"event = 'a'", "event = "};
  select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_FALSE(select.ok());
  EXPECT_TRUE(select.status().message().starts_with("query.where[1]: "));

  query.where = {};
  query.order_by = {"timestamp DESC DESC"};
  select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_FALSE(select.ok());
  EXPECT_TRUE(select.status().message().starts_with("query.orderBy[0]: "));
}

TEST(EventsSelect, PlannerErrorsAreAttributedToTheirEntry) {
  query::EventsQuery query;
  query.select = {"event", "nosuch"};
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_TRUE(select.ok());
  Status planned = PlanHogQL(select->text, {}).status();
  ASSERT_FALSE(planned.ok());
  Status attributed = AttributeError(planned, *select);
  EXPECT_EQ(attributed.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(attributed.message().starts_with("query.select[1]: unknown column 'nosuch'"))
      << attributed.message();
  EXPECT_EQ(attributed.reason(), planned.reason());
  // Errors without a position are left as they are.
  Status other = DeadlineExceededError("too slow");
  EXPECT_EQ(AttributeError(other, *select).message(), "too slow");
}

class EventsSelectRun : public HogQLExecutor {
 protected:
  // The rows of the query composed from `query`, with `filters` applied by the filter engine.
  std::string Events(const query::EventsQuery& query, const char* filters = "[]") {
    StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
    EXPECT_TRUE(select.ok()) << select.status().ToString();
    if (!select.ok()) return "";
    filters::FilterTreeOptions options;
    options.filter.default_type = filters::FilterType::kEvent;
    StatusOr<filters::FilterNode> tree = filters::ParseFilterTree(filters, options);
    EXPECT_TRUE(tree.ok()) << tree.status().ToString();
    query::EventRowsContext rows_context;
    rows_context.match.now_us = context_.now_us;
    rows_context.match.dialect = filters::Dialect::kHogQL;
    rows_context.overrides = &overrides_;
    rows_context.person_properties = &persons_;
    query::EventConditions conditions;
    conditions.filters = {&*tree};
    context_.narrow = [&](store::BlockReader* block, store::RowSelection* rows) {
      query::EventRows event_rows(block, rows_context);
      return event_rows.Narrow(conditions, rows);
    };
    std::string rows = Rows(select->text);
    context_.narrow = nullptr;
    return rows;
  }
};

TEST_F(EventsSelectRun, RunsOverTheStore) {
  AddBrowsers();
  Add("pageview", 4, "2024-01-08T10:00:00Z", R"({"$browser":"Chrome"})");  // before `after`
  persons_.Set(1, R"({"email":"one@example.com"})");
  query::EventsQuery query;
  query.select = {"distinct_id", "properties.$browser", "timestamp"};
  query.event = "pageview";
  EXPECT_EQ(Events(query),
            R"([["d3",null,"2024-01-10T02:00:00Z"],["d2",null,"2024-01-10T01:00:00Z"],)"
            R"(["d2","Firefox","2024-01-09T12:00:00Z"],["d1","Chrome","2024-01-09T11:00:00Z"],)"
            R"(["d1","Chrome","2024-01-09T10:00:00Z"]])");

  query.select = {"properties.$browser", "count()"};
  query.event.reset();
  EXPECT_EQ(Events(query), R"([[null,3],["Chrome",2],["Firefox",1]])");

  // Property filters of the filter engine: event and person properties.
  query.select = {"distinct_id", "event"};
  query.order_by = {"timestamp"};
  EXPECT_EQ(Events(query, R"([{"key":"plan","value":"free"}])"), R"([["d3","signup"]])");
  query.select = {"event", "properties.price"};
  EXPECT_EQ(Events(query, R"([{"key":"email","value":"one@example.com","type":"person"}])"),
            R"([["pageview","10"],["pageview","5"]])");
  query.where = {"timestamp > '2024-01-09 10:30:00'"};
  query.select = {"distinct_id", "count()"};
  query.order_by = {};
  EXPECT_EQ(Events(query, R"([{"key":"$browser","value":"Chrome"}])"), R"([["d1",1]])");
}

TEST_F(EventsSelectRun, StarColumnsAndThePage) {
  Add("a", 1, "2024-01-10T10:00:00Z", R"({"$elements_chain":"a:href=\"/x\""})");
  Add("b", 2, "2024-01-10T11:00:00Z");
  Add("c", 3, "2024-01-10T12:00:00Z");
  query::EventsQuery query;
  query.select = {"*"};
  query.order_by = {"timestamp DESC"};
  query.limit = 2;
  StatusOr<EventsSelect> select = ComposeEventsSelect(query, kAfter, kBefore);
  ASSERT_TRUE(select.ok());
  StatusOr<HogQLResult> result = Run(select->text);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->rows.size(), 3u) << "the page and one row more";
  ASSERT_EQ(result->rows[0].size(), kEventStarFields.size());
  EXPECT_EQ(result->rows[0][1].s, "c");
  EXPECT_EQ(result->rows[2][1].s, "a");
  EXPECT_EQ(result->rows[2][4].i, kTeam);
  EXPECT_EQ(result->rows[2][6].s, "a:href=\"/x\"");
  EXPECT_EQ(result->rows[1][6].s, "");
  EXPECT_EQ(result->rows[2][7].i, At("2024-01-10T10:00:00Z"));
  EXPECT_EQ(result->rows[2][8].s, "full");
  EXPECT_EQ(result->types[7], "DateTime64(6, 'UTC')");
  EXPECT_EQ(result->types[4], "Int64");
}

}  // namespace
}  // namespace hoglet::hogql
