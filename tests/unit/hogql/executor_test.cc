// HogQL on the embedded engine over a real columnar store: the columns of events, properties and
// persons at query time, HogQL's null semantics, grouping, ordering and limits, time functions in
// the project's zone, the scan bounds read from WHERE, and the refusals with their positions
// (analytics §4, §5).
#include "hogql/executor/executor.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/hogql/executor_fixture.h"

namespace hoglet::hogql {
namespace {

TEST_F(HogQLExecutor, ColumnsNamesAndTypes) {
  AddBrowsers();
  StatusOr<HogQLResult> result =
      Run("SELECT event, timestamp, distinct_id, properties.$browser, properties['plan'], "
          "count() AS c, toDate(timestamp) FROM events GROUP BY event, timestamp, distinct_id, "
          "properties.$browser, properties['plan'] ORDER BY timestamp LIMIT 1");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->columns,
            (std::vector<std::string>{"event", "timestamp", "distinct_id", "$browser", "plan", "c",
                                      "toDate(timestamp)"}));
  EXPECT_EQ(result->types,
            (std::vector<std::string>{"String", "DateTime64(6, 'UTC')", "String",
                                      "Nullable(String)", "Nullable(String)", "UInt64", "Date"}));
  EXPECT_EQ(Rows("SELECT event, timestamp, distinct_id, properties.$browser, properties['plan'] "
                 "FROM events ORDER BY timestamp LIMIT 1"),
            R"([["pageview","2024-01-09T10:00:00Z","d1","Chrome","pro"]])");
  EXPECT_EQ(Rows("SELECT e.event, events.distinct_id FROM events AS e WHERE e.event = 'signup'"),
            R"([["signup","d3"]])");
}

// A GROUP BY of the event name or distinct id finds each block's dictionary entries' groups
// once: parts whose dictionaries list the values in other orders still count each value once.
TEST_F(HogQLExecutor, GroupByADictionaryColumnAcrossBlocksWithOtherDictionaries) {
  Add("a", 1, "2024-01-09T10:00:00Z");
  Add("b", 2, "2024-01-09T10:01:00Z");
  Add("a", 1, "2024-01-09T10:02:00Z");
  ASSERT_TRUE(Run("SELECT 1").ok());  // one part each
  Add("b", 3, "2024-01-09T11:00:00Z");
  Add("c", 2, "2024-01-09T11:01:00Z");
  ASSERT_TRUE(Run("SELECT 1").ok());
  Add("c", 3, "2024-01-09T12:00:00Z");
  Add("a", 2, "2024-01-09T12:01:00Z");
  Add("a", 3, "2024-01-09T12:02:00Z");
  EXPECT_EQ(Rows("SELECT event, count() AS c FROM events GROUP BY event ORDER BY event"),
            R"([["a",4],["b",2],["c",2]])");
  EXPECT_EQ(Rows("SELECT distinct_id, count(), min(event), max(event) FROM events "
                 "WHERE event != 'b' GROUP BY distinct_id ORDER BY distinct_id"),
            R"([["d1",2,"a","a"],["d2",2,"a","c"],["d3",2,"a","c"]])");
  EXPECT_EQ(Rows("SELECT DISTINCT event FROM events ORDER BY event"), R"([["a"],["b"],["c"]])");
  // count() alone is tallied per dictionary entry of a block; a WHERE (or another aggregate)
  // takes the row-by-row path, and both agree, also with a time range cutting a part.
  EXPECT_EQ(Rows("SELECT event, count(), count() AS again FROM events GROUP BY event "
                 "ORDER BY event"),
            R"([["a",4,4],["b",2,2],["c",2,2]])");
  EXPECT_EQ(Rows("SELECT distinct_id, count() FROM events GROUP BY distinct_id "
                 "ORDER BY distinct_id"),
            Rows("SELECT distinct_id, count() FROM events WHERE 1 GROUP BY distinct_id "
                 "ORDER BY distinct_id"));
  EXPECT_EQ(Rows("SELECT event, count() FROM events WHERE timestamp >= '2024-01-09 11:00:30' "
                 "GROUP BY event ORDER BY event"),
            R"([["a",2],["c",2]])");
  EXPECT_EQ(Rows("SELECT event, count() FROM events WHERE timestamp >= '2024-01-09 11:00:30' "
                 "AND 1 GROUP BY event ORDER BY event"),
            R"([["a",2],["c",2]])");
}

// An aggregation that reads one property alone is computed once per distinct value of a block
// (its dictionary-coded column) and takes each value's number of rows: it answers as the
// row-by-row path does (forced here by also reading the event name), rows without the property
// (absent, null) included.
TEST_F(HogQLExecutor, AnAggregationOfOnePropertyAnswersAsRowByRow) {
  const char* urls[] = {R"({"url":"/blog/a"})",
                        R"({"url":"/blog/b"})",
                        R"({"url":"/pricing"})",
                        R"({"url":null})",
                        "{}",
                        R"({"url":"/blog/a","n":1})"};
  for (int i = 0; i < 60; ++i) {
    Add("pageview", 1 + i % 3, i < 30 ? "2024-01-09T10:00:00Z" : "2024-01-09T12:00:00Z",
        urls[i % 6]);
  }
  for (const std::string& query :
       {std::string("SELECT properties.url AS u, count() AS c FROM events "
                    "WHERE properties.url LIKE '%/blog/%' GROUP BY u ORDER BY u"),
        std::string("SELECT properties.url AS u, count(), countIf(properties.url = '/pricing'), "
                    "min(properties.url), uniq(properties.url), sum(length(properties.url)) "
                    "FROM events GROUP BY u ORDER BY u"),
        std::string("SELECT count(), count(properties.url), uniq(properties.url) FROM events "
                    "WHERE properties.url != '/pricing' OR properties.url IS NULL"),
        std::string("SELECT DISTINCT properties.url FROM events ORDER BY properties.url")}) {
    std::string row_by_row = query;
    const size_t where = row_by_row.find(" WHERE ");
    const size_t from = row_by_row.find(" FROM events");
    if (where != std::string::npos) {
      row_by_row.insert(where + 7, "event != '' AND (");
      const size_t end = row_by_row.find(" GROUP BY") != std::string::npos
                             ? row_by_row.find(" GROUP BY")
                             : row_by_row.size();
      row_by_row.insert(end, ")");
    } else {
      row_by_row.insert(from + 12, " WHERE event != ''");
    }
    const std::string fast = Rows(query);
    EXPECT_NE(fast.find('['), std::string::npos) << query << " → " << fast;
    EXPECT_EQ(fast, Rows(row_by_row)) << query << " | " << row_by_row;
  }
  EXPECT_EQ(Rows("SELECT properties.url AS u, count() AS c FROM events "
                 "WHERE properties.url LIKE '%/blog/%' GROUP BY u ORDER BY u"),
            R"([["/blog/a",20],["/blog/b",10]])");
}

TEST_F(HogQLExecutor, MissingNullAndEmptyPropertiesAreNull) {
  AddBrowsers();
  EXPECT_EQ(Rows("SELECT properties.$browser FROM events WHERE event = 'pageview' "
                 "ORDER BY timestamp"),
            R"([["Chrome"],["Chrome"],["Firefox"],[null],[null]])");
  // Positive comparisons are false on NULL, negative ones true (analytics §4.3).
  EXPECT_EQ(Rows("SELECT countIf(properties.$browser = 'Chrome'), "
                 "countIf(properties.$browser != 'Chrome'), "
                 "countIf(properties.$browser IN ('Chrome', 'Firefox')), "
                 "countIf(properties.$browser NOT IN ('Chrome')), "
                 "countIf(properties.$browser LIKE '%ire%'), "
                 "countIf(properties.$browser NOT LIKE '%ire%'), "
                 "countIf(properties.$browser ILIKE 'chr%'), "
                 "countIf(properties.$browser =~ '^F'), countIf(properties.$browser !~ '^F'), "
                 "countIf(properties.$browser IS NULL), countIf(properties.$browser IS NOT NULL), "
                 "countIf(properties.$browser = NULL), countIf(properties.$browser < 'D') "
                 "FROM events WHERE event = 'pageview'"),
            "[[2,3,3,3,1,4,2,1,4,2,3,2,2]]");
  EXPECT_EQ(Rows("SELECT count(), count(properties.$browser), count(DISTINCT properties.$browser), "
                 "uniq(properties.$browser) FROM events"),
            "[[6,3,2,2]]");
  // NULL arithmetic is NULL; NOT NULL is NULL; WHERE NULL keeps nothing.
  EXPECT_EQ(Rows("SELECT toFloat(properties.price) + 1, isNull(NOT properties.$browser = 'x') "
                 "FROM events WHERE event = 'signup'"),
            "[[null,0]]");
  EXPECT_EQ(Rows("SELECT coalesce(properties.$browser, 'none'), ifNull(properties.plan, '-'), "
                 "$session_id FROM events WHERE event = 'signup'"),
            R"([["none","free","s1"]])");
}

TEST_F(HogQLExecutor, PropertiesCompareWithNumbersAsNumbers) {
  AddBrowsers();
  // "10" > 9 as numbers (not as text); "abc" and missing values are not numbers.
  EXPECT_EQ(Rows("SELECT distinct_id, properties.price FROM events WHERE properties.price > 6 "
                 "ORDER BY timestamp"),
            R"([["d1","10"],["d2","7"]])");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE properties.price = 5"), "[[1]]");
  EXPECT_EQ(Rows("SELECT sum(toFloat(properties.price)), avg(toInt(properties.price)), "
                 "min(toFloat(properties.price)), max(properties.price) FROM events"),
            R"([[22,7.333333333333333,5,"abc"]])");  // max of strings is by text
  // Quantiles interpolate between the two values nearest the level: [5, 7, 10].
  EXPECT_EQ(
      Rows("SELECT median(toFloat(properties.price)), quantile(0.75)(toFloat(properties.price)), "
           "quantile(0.25)(toInt(properties.price)), quantile(1)(toInt(properties.price)) "
           "FROM events"),
      "[[7,8.5,6,10]]");
  EXPECT_EQ(Rows("SELECT median(toFloat(properties.price)) FROM events WHERE event = 'none'"),
            "[[null]]");
  EXPECT_EQ(Rows("SELECT sumIf(toInt(properties.price), distinct_id = 'd1'), "
                 "maxIf(toInt(properties.price), distinct_id = 'd2') FROM events"),
            "[[15,7]]");
  EXPECT_EQ(Error("SELECT sum(properties.price) FROM events"),
            "line 1, column 8: sum() needs numbers, and properties are strings: write "
            "sum(toFloat(…))");
  EXPECT_EQ(Error("SELECT properties.price * 2 FROM events"),
            "line 1, column 8: arithmetic needs numbers, and 'properties.price' is a string: "
            "wrap it in toFloat(…) or toInt(…)");
}

TEST_F(HogQLExecutor, GroupHavingOrderAndPositions) {
  AddBrowsers();
  EXPECT_EQ(Rows("select properties.$browser, count() from events where event = 'pageview' "
                 "group by 1 order by 2 desc, 1"),
            R"([["Chrome",2],[null,2],["Firefox",1]])");
  EXPECT_EQ(Rows("SELECT properties.$browser AS b, count() AS c FROM events GROUP BY b "
                 "HAVING c > 1 ORDER BY b NULLS FIRST"),
            R"([[null,3],["Chrome",2]])");
  EXPECT_EQ(Rows("SELECT distinct_id, count() FROM events GROUP BY distinct_id "
                 "ORDER BY count() DESC, distinct_id DESC LIMIT 2"),
            R"([["d3",2],["d2",2]])");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE event = 'nothing'"), "[[0]]");
  EXPECT_EQ(Rows("SELECT count(*), COUNT(*) FROM events"), "[[6,6]]");
  EXPECT_EQ(Rows("SELECT event, count() FROM events WHERE event = 'nothing' GROUP BY event"), "[]");
  EXPECT_EQ(Rows("SELECT DISTINCT event FROM events ORDER BY event"),
            R"([["pageview"],["signup"]])");
  EXPECT_EQ(Rows("SELECT toDate(timestamp) AS day, uniq(distinct_id) FROM events "
                 "GROUP BY day ORDER BY day"),
            R"([["2024-01-09",2],["2024-01-10",2]])");
  EXPECT_EQ(Error("SELECT event, count() FROM events GROUP BY distinct_id"),
            "line 1, column 8: 'event' is neither in GROUP BY nor inside an aggregate function");
  EXPECT_EQ(Error("SELECT event FROM events WHERE count() > 1"),
            "line 1, column 32: aggregate functions are not allowed in WHERE: use HAVING");
  EXPECT_EQ(Error("SELECT sum(count()) FROM events"),
            "line 1, column 12: an aggregate function cannot be inside another one");
  EXPECT_EQ(Error("SELECT event FROM events ORDER BY 3"),
            "line 1, column 35: position 3 is not a column of the SELECT list (it has 1)");
}

TEST_F(HogQLExecutor, LimitsAndOffsets) {
  for (int i = 0; i < 120; ++i) Add("tick", i % 5, "2024-01-09T10:00:00Z");
  StatusOr<HogQLResult> all = Run("SELECT event FROM events");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->rows.size(), 100u);
  EXPECT_TRUE(all->has_more);
  EXPECT_EQ(all->limit, 100);
  EXPECT_EQ(all->hogql, "SELECT event FROM events LIMIT 100");
  StatusOr<HogQLResult> given = Run("SELECT event FROM events LIMIT 10 OFFSET 115");
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given->rows.size(), 5u);
  EXPECT_FALSE(given->has_more);
  EXPECT_EQ(given->offset, 115);
  StatusOr<HogQLResult> capped = Run("SELECT event FROM events LIMIT 1000000");
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->limit, kMaxRowLimit);
  EXPECT_EQ(capped->rows.size(), 120u);
  // 24 events of each of d0 … d4.
  EXPECT_EQ(Rows("SELECT distinct_id FROM events ORDER BY distinct_id DESC LIMIT 2 OFFSET 23"),
            R"([["d4"],["d3"]])");
  EXPECT_EQ(Error("SELECT event FROM events LIMIT 1 OFFSET 5000000"),
            "line 1, column 41: OFFSET is at most 1000000 here: narrow WHERE or order "
            "differently");
  EXPECT_EQ(Error("SELECT event FROM events LIMIT -1"),
            "line 1, column 32: LIMIT must be a non-negative whole number here");
}

TEST_F(HogQLExecutor, GroupCountIsBounded) {
  for (int i = 0; i < 10; ++i) Add("tick", i, "2024-01-09T10:00:00Z");
  context_.max_groups = 5;
  StatusOr<HogQLResult> result = Run("SELECT distinct_id, count() FROM events GROUP BY 1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "hogql_too_many_groups");
  EXPECT_FALSE(Run("SELECT DISTINCT distinct_id FROM events").ok());
  EXPECT_TRUE(Run("SELECT event, count() FROM events GROUP BY 1").ok());
  context_.max_distinct_values = 5;
  result = Run("SELECT uniq(distinct_id), count(DISTINCT distinct_id) FROM events");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "hogql_too_many_distinct_values");
}

TEST_F(HogQLExecutor, TheCheckEndsTheScan) {
  Add("tick", 1, "2024-01-09T10:00:00Z");
  context_.check = [] { return UnavailableError("the query was cancelled", "cancelled"); };
  StatusOr<HogQLResult> result = Run("SELECT count() FROM events");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "cancelled");
}

TEST_F(HogQLExecutor, TimeFunctionsReadTheProjectsZone) {
  context_.zone = *TimeZone::Load("America/Los_Angeles");
  Add("tick", 1, "2024-03-10T06:30:00Z");  // 9 March, 22:30 in Los Angeles
  Add("tick", 1, "2024-03-10T12:00:00Z");  // 10 March, 05:00 (PDT, after the change)
  EXPECT_EQ(Rows("SELECT toDate(timestamp), toStartOfDay(timestamp), toStartOfHour(timestamp), "
                 "toStartOfMonth(timestamp), toStartOfWeek(timestamp), timestamp "
                 "FROM events ORDER BY timestamp"),
            R"([["2024-03-09","2024-03-09T00:00:00-08:00","2024-03-09T22:00:00-08:00",)"
            R"("2024-03-01","2024-03-03","2024-03-09T22:30:00-08:00"],)"
            R"(["2024-03-10","2024-03-10T00:00:00-08:00","2024-03-10T05:00:00-07:00",)"
            R"("2024-03-01","2024-03-10","2024-03-10T05:00:00-07:00"]])");
  context_.week_mode = 3;  // the project's weeks start on Monday
  EXPECT_EQ(Rows("SELECT toStartOfWeek(timestamp), toStartOfWeek(timestamp, 0) FROM events "
                 "ORDER BY timestamp"),
            R"([["2024-03-04","2024-03-03"],["2024-03-04","2024-03-10"]])");
  StatusOr<HogQLResult> typed = Run("SELECT timestamp, toStartOfDay(timestamp) FROM events");
  ASSERT_TRUE(typed.ok());
  EXPECT_EQ(typed->types[0], "DateTime64(6, 'America/Los_Angeles')");
  // A date literal is a local date: 10 March starts at 08:00Z.
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp >= '2024-03-10'"), "[[1]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp < '2024-03-10 00:00:00'"), "[[1]]");
  EXPECT_EQ(Rows("SELECT toString(timestamp), dateDiff('day', min(timestamp), max(timestamp)) "
                 "FROM events GROUP BY timestamp ORDER BY timestamp LIMIT 1"),
            R"([["2024-03-09 22:30:00.000000",0]])");
  EXPECT_EQ(Error("SELECT count() FROM events WHERE timestamp > 'yesterday'"),
            "line 1, column 46: 'yesterday' is not a date or date-time (write '2024-01-31' or "
            "'2024-01-31 13:45:00')");
}

TEST_F(HogQLExecutor, StartOfHourKeepsTheRepeatedHourOfAFallBackDayApart) {
  context_.zone = *TimeZone::Load("America/New_York");
  Add("tick", 1, "2024-11-03T05:20:00Z");  // 01:20 EDT
  Add("tick", 1, "2024-11-03T05:40:00Z");  // 01:40 EDT
  Add("tick", 1, "2024-11-03T06:20:00Z");  // 01:20 EST, an hour after the first
  Add("tick", 1, "2024-11-03T07:10:00Z");  // 02:10 EST
  EXPECT_EQ(Rows("SELECT toStartOfHour(timestamp) AS h, count() FROM events GROUP BY h "
                 "ORDER BY h"),
            R"([["2024-11-03T01:00:00-04:00",2],["2024-11-03T01:00:00-05:00",1],)"
            R"(["2024-11-03T02:00:00-05:00",1]])");
  EXPECT_EQ(Rows("SELECT toStartOfMinute(timestamp), toStartOfDay(timestamp) FROM events "
                 "WHERE timestamp > '2024-11-03 01:50:00' ORDER BY timestamp LIMIT 1"),
            R"([["2024-11-03T01:20:00-05:00","2024-11-03T00:00:00-04:00"]])");
}

TEST_F(HogQLExecutor, RelativeTimesAndScanBounds) {
  Add("tick", 1, "2024-01-01T10:00:00Z");
  Add("tick", 1, "2024-01-09T10:00:00Z");
  Add("tock", 1, "2024-01-10T10:00:00Z");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp > now() - INTERVAL 7 DAY"), "[[2]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp >= today()"), "[[1]]");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE timestamp BETWEEN '2024-01-01' AND "
                 "'2024-01-09 12:00:00' AND event IN ('tick', 'tock')"),
            "[[2]]");
  EXPECT_EQ(Rows("SELECT dateDiff('hour', now() - INTERVAL 1 DAY, now()), "
                 "toString(today() - INTERVAL 1 MONTH)"),
            R"([[24,"2023-12-10"]])");

  StatusOr<PlannedQuery> plan = PlanHogQL(
      "SELECT 1 FROM events WHERE event = 'tick' AND timestamp > now() - INTERVAL 7 DAY AND "
      "timestamp < '2024-01-10'",
      {TimeZone::Utc(), At("2024-01-10T15:00:00Z")});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->event_names, std::vector<std::string>{"tick"});
  EXPECT_EQ(plan->from_us, At("2024-01-03T15:00:00Z"));
  EXPECT_EQ(plan->to_us, At("2024-01-10T00:00:00Z"));
  // An OR does not bound the scan.
  plan = PlanHogQL("SELECT 1 FROM events WHERE event = 'a' OR timestamp > '2024-01-01'", {});
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->event_names.empty());
  EXPECT_EQ(plan->from_us, INT64_MIN);
}

TEST_F(HogQLExecutor, PersonsAtQueryTime) {
  Add("pageview", 1, "2024-01-09T10:00:00Z");
  Add("pageview", 2, "2024-01-09T11:00:00Z");
  Add("pageview", 3, "2024-01-09T12:00:00Z");
  persons_.Set(1, R"({"email":"a@x.com","plan":""})");
  overrides_.Set("d2", PersonUuid(1));  // d2 was merged into person 1
  EXPECT_EQ(Rows("SELECT count(DISTINCT person_id), uniq(person.id) FROM events"), "[[2,2]]");
  EXPECT_EQ(Rows("SELECT distinct_id, person.properties.email, person.properties.plan "
                 "FROM events ORDER BY distinct_id"),
            R"([["d1","a@x.com",null],["d2","a@x.com",null],["d3",null,null]])");
  EXPECT_EQ(Rows("SELECT person_id = '" + PersonUuid(1).ToString() +
                 "' FROM events ORDER BY distinct_id"),
            "[[1],[1],[0]]");
}

TEST_F(HogQLExecutor, ScalarFunctions) {
  Add("Page View", 1, "2024-01-09T10:00:00Z", R"({"n":"12","obj":{"a":1},"flag":true})");
  EXPECT_EQ(Rows("SELECT lower(event), upper(event), length(event), concat(event, '!', NULL), "
                 "substring(event, 6), substring(event, 1, 4), if(event = 'x', 1, 2), "
                 "toInt(properties.n) + 1, toFloat('1.5'), toString(3), properties.obj, "
                 "properties.flag, JSONExtractString(properties, 'n'), "
                 "JSONExtractString(properties, 'flag'), 7 / 2, 7 % 3, -3, "
                 "multiIf(event = 'a', 'a', event = 'Page View', 'pv', 'other') FROM events"),
            R"([["page view","PAGE VIEW",9,"Page View!","View","Page",2,13,1.5,"3",)"
            R"("{\"a\":1}","true","12","",3.5,1,-3,"pv"]])");
  EXPECT_EQ(Rows("SELECT properties, JSONExtractString(properties, 'n') FROM events"),
            R"([["{\"n\":\"12\",\"obj\":{\"a\":1},\"flag\":true}","12"]])");
  EXPECT_EQ(Rows("SELECT match(event, '^Page'), like(event, '%View'), ilike(event, 'page%'), "
                 "notLike(event, 'P%'), toYear(timestamp), toYYYYMM(timestamp), "
                 "toUnixTimestamp(timestamp) FROM events"),
            "[[1,1,1,0,2024,202401,1704794400]]");
  EXPECT_EQ(Rows("SELECT 1 WHERE 1 = 2"), "[]");
  EXPECT_EQ(Rows("SELECT CASE event WHEN 'x' THEN 1 WHEN 'Page View' THEN 2 ELSE 3 END, "
                 "CASE WHEN event = 'x' THEN 'a' ELSE 'b' END FROM events"),
            R"([[2,"b"]])");
  // Inside its own expression a name is the column, not the alias.
  EXPECT_EQ(Rows("SELECT lower(event) AS event FROM events WHERE event = 'page view'"),
            R"([["page view"]])");
  EXPECT_EQ(Rows("SELECT 1 + 2, 'a' || 'b', toInt('x'), nullIf(1, 1), round(2.5), abs(-2)"),
            R"([[3,"ab",null,null,2,2]])");
}

TEST_F(HogQLExecutor, OrdersMixedValuesConsistently) {
  for (const char* value : {"10", "9", "a", "", "1.5", "-2"}) {
    Add("tick", 1, "2024-01-09T10:00:00Z", std::string(R"({"v":")") + value + R"("})");
  }
  Add("tick", 1, "2024-01-09T10:00:00Z", R"({"v":3})");
  EXPECT_EQ(Rows("SELECT if(properties.v = 'a', 1, properties.v) AS v FROM events ORDER BY v"),
            R"([[1],["-2"],["1.5"],["10"],["3"],["9"],[null]])");
  EXPECT_EQ(Rows("SELECT toFloat(properties.v) AS v FROM events ORDER BY v DESC NULLS FIRST"),
            "[[null],[null],[10],[9],[3],[1.5],[-2]]");
}

TEST_F(HogQLExecutor, ProjectsAreIsolated) {
  Add("pageview", 1, "2024-01-09T10:00:00Z");
  Add("pageview", 1, "2024-01-09T10:00:00Z", "{}", kTeam + 1);
  EXPECT_EQ(Rows("SELECT count() FROM events"), "[[1]]");
}

TEST_F(HogQLExecutor, RefusesWhatItDoesNotRunWithPositions) {
  EXPECT_EQ(Error("SELECT event FROM events RIGHT JOIN persons ON events.person_id = persons.id"),
            "line 1, column 37: RIGHT JOIN is not supported yet: use JOIN, LEFT JOIN or CROSS "
            "JOIN");
  EXPECT_EQ(Error("SELECT id FROM sessions"),
            "line 1, column 16: table 'sessions' is not supported yet: this server queries "
            "events, persons, person_distinct_ids and groups");
  EXPECT_EQ(Error("SELECT 1 UNION DISTINCT SELECT 2"),
            "line 1, column 25: UNION DISTINCT is not supported yet: only UNION ALL is");
  EXPECT_EQ(Error("WITH RECURSIVE x AS (SELECT 1) SELECT 1"),
            "line 1, column 16: WITH RECURSIVE is not supported");
  EXPECT_EQ(Error("SELECT\n  foo(event)\nFROM events"),
            "line 2, column 3: function foo() is not supported by this server yet");
  EXPECT_EQ(Error("SELECT row_number() OVER (ORDER BY timestamp) FROM events"),
            "line 1, column 8: window functions (OVER) are not supported yet");
  EXPECT_EQ(Error("SELECT argMax(event, timestamp) FROM events"),
            "line 1, column 8: aggregate function argMax() is not supported yet");
  EXPECT_EQ(Error("SELECT quantile(1.5)(1) FROM events"),
            "line 1, column 8: quantile(level)(x) takes one level, a number from 0 to 1");
  EXPECT_EQ(Error("SELECT quantiles(0.5)(1) FROM events"),
            "line 1, column 8: parametric functions such as quantiles(…)(…) are not supported yet");
  EXPECT_EQ(Error("SELECT * FROM events"),
            "line 1, column 8: SELECT * is not supported yet: name the columns (event, "
            "timestamp, …)");
  EXPECT_EQ(Error("SELECT nope FROM events"),
            "line 1, column 8: unknown column 'nope' (events has event, timestamp, distinct_id, "
            "uuid, person_id, properties, person, $session_id, …)");
  EXPECT_EQ(Error("SELECT event FROM events WHERE event IN (SELECT 1, 2)"),
            "line 1, column 42: IN (SELECT …) needs a subquery of one column, not 2");
  EXPECT_EQ(Error("SELECT event FROM events WHERE properties.a =~ '('"),
            "line 1, column 48: invalid regular expression: missing ): (");
  EXPECT_EQ(Error("SELECT toDate()"), "line 1, column 8: toDate() takes 1 argument, not 0");
  EXPECT_EQ(Error("SELECT event"),
            "line 1, column 8: column 'event' needs a table: add FROM events");
  EXPECT_EQ(Error("SELECT properties.a.b FROM events"),
            "line 1, column 8: nested property access (properties.a.b) is not supported yet");
  StatusOr<HogQLResult> syntax = Run("SELECT FROM events WHERE");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().reason(), "hogql_syntax_error");
}

// Every query of the parser's corpus either runs or is refused with a 400's error: none crashes
// or fails otherwise.
TEST_F(HogQLExecutor, EveryCorpusQueryRunsOrIsRefused) {
  AddBrowsers();
  persons_.Set(1, R"({"email":"a@x.com"})");
  std::ifstream file(std::string(HOGLET_TESTDATA_DIR) + "/hogql/corpus.sql");
  ASSERT_TRUE(file.good());
  std::vector<std::string> queries;
  std::string line;
  bool select = false;
  while (std::getline(file, line)) {
    if (line.starts_with("-- @")) {
      select = line.starts_with("-- @select");
      if (select) queries.emplace_back();
      continue;
    }
    if (select && !queries.empty()) queries.back() += line + "\n";
  }
  ASSERT_GT(queries.size(), 100u);
  size_t ran = 0;
  for (const std::string& query : queries) {
    StatusOr<HogQLResult> result = Run(query);
    if (result.ok()) {
      ++ran;
      for (const auto& row : result->rows) EXPECT_EQ(row.size(), result->columns.size()) << query;
      EXPECT_EQ(result->types.size(), result->columns.size()) << query;
    } else {
      EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument)
          << query << ": " << result.status().ToString();
      EXPECT_TRUE(result.status().message().starts_with("line ")) << result.status().message();
    }
  }
  EXPECT_GT(ran, 20u);
}

TEST_F(HogQLExecutor, EventColumnsOfTheWholeEvent) {
  Add("a", 1, "2024-01-10T10:00:00Z", R"({"$elements_chain":"button:text=\"Go\""})");
  Add("b", 2, "2024-01-10T11:00:00Z");
  EXPECT_EQ(Rows("SELECT event, team_id, created_at, person_mode, elements_chain FROM events "
                 "ORDER BY event"),
            R"([["a",7,"2024-01-10T10:00:00Z","full","button:text=\"Go\""],)"
            R"(["b",7,"2024-01-10T11:00:00Z","full",""]])");
}

TEST_F(HogQLExecutor, NarrowRunsBeforeWhere) {
  AddBrowsers();
  int blocks = 0;
  context_.narrow = [&](store::BlockReader* block, store::RowSelection* rows) -> Status {
    ++blocks;
    HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* names, block->EventNames());
    for (size_t row = 0; row < rows->size(); ++row) {
      if (names->at(row) == "signup") (*rows)[row] = 0;
    }
    return Status::Ok();
  };
  EXPECT_EQ(Rows("SELECT event, count() FROM events GROUP BY event"), R"([["pageview",5]])");
  EXPECT_GT(blocks, 0);
  context_.narrow = [](store::BlockReader*, store::RowSelection*) -> Status {
    return InvalidArgumentError("no", "narrowed");
  };
  EXPECT_EQ(Error("SELECT event FROM events"), "no");
  context_.narrow = nullptr;
}

}  // namespace
}  // namespace hoglet::hogql
