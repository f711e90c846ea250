// HogQL over more than the events table (analytics §4): the person store's tables (persons,
// person_distinct_ids, groups), subqueries in FROM, CTEs, UNION ALL, joins, IN (SELECT …),
// LIMIT BY, and the bound on the rows a query holds.
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/hogql/executor_fixture.h"

namespace hoglet::hogql {
namespace {

class HogQLSources : public HogQLExecutor {
 protected:
  void SetUp() override {
    HogQLExecutor::SetUp();
    tables_.AddPerson(1, R"({"email":"a@x.com","plan":"pro","age":30})", true, {"anon-1"});
    tables_.AddPerson(2, R"({"email":"b@y.com","plan":null})");
    // Person 3 has events but no record (a personless distinct id).
    tables_.AddGroup(0, "acme", R"({"name":"Acme","seats":12})");
    tables_.AddGroup(1, "eu", R"({"name":""})");
    AddBrowsers();
  }

  std::vector<std::string> Types(const std::string& text) {
    StatusOr<HogQLResult> result = Run(text);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->types : std::vector<std::string>{};
  }
};

TEST_F(HogQLSources, PersonsTable) {
  EXPECT_EQ(Rows("SELECT id, created_at, properties.email, properties.plan, properties.age, "
                 "is_identified, team_id FROM persons ORDER BY created_at"),
            R"([["aa000000-0000-0000-0000-000000000001","2024-01-01T00:00:00Z","a@x.com","pro",)"
            R"("30",1,7],["aa000000-0000-0000-0000-000000000002","2024-01-02T00:00:00Z",)"
            R"("b@y.com",null,null,0,7]])");
  EXPECT_EQ(
      Types("SELECT id, created_at, properties.email, is_identified FROM persons"),
      (std::vector<std::string>{"UUID", "DateTime64(6, 'UTC')", "Nullable(String)", "UInt8"}));
  EXPECT_EQ(Rows("SELECT p.properties['email'] FROM persons AS p WHERE p.is_identified"),
            R"([["a@x.com"]])");
  EXPECT_EQ(Rows("SELECT count() FROM persons WHERE properties.email LIKE '%@y.com'"), "[[1]]");
  StatusOr<HogQLResult> star = Run("SELECT * FROM persons ORDER BY created_at LIMIT 1");
  ASSERT_TRUE(star.ok()) << star.status().ToString();
  EXPECT_EQ(star->columns, (std::vector<std::string>{"id", "created_at", "team_id", "properties",
                                                     "is_identified"}));
}

TEST_F(HogQLSources, PersonDistinctIdsAndGroupsTables) {
  EXPECT_EQ(Rows("SELECT distinct_id, person_id FROM person_distinct_ids ORDER BY distinct_id"),
            R"([["anon-1","aa000000-0000-0000-0000-000000000001"],)"
            R"(["d1","aa000000-0000-0000-0000-000000000001"],)"
            R"(["d2","aa000000-0000-0000-0000-000000000002"]])");
  EXPECT_EQ(Rows("SELECT index, key, created_at, properties.name, properties.seats FROM groups "
                 "ORDER BY index"),
            R"([[0,"acme","2024-01-02T00:00:00Z","Acme","12"],)"
            R"([1,"eu","2024-01-02T00:00:00Z",null,null]])");
}

TEST_F(HogQLSources, InnerAndLeftJoins) {
  EXPECT_EQ(Rows("SELECT e.event, p.properties.email FROM events e JOIN persons p ON "
                 "e.person_id = p.id ORDER BY e.timestamp"),
            R"([["pageview","a@x.com"],["pageview","a@x.com"],["pageview","b@y.com"],)"
            R"(["pageview","b@y.com"]])");
  // LEFT JOIN keeps person 3's events, with the defaults of the persons' columns.
  EXPECT_EQ(Rows("SELECT e.event, p.properties.email, p.id, p.is_identified FROM events AS e "
                 "LEFT JOIN persons AS p ON p.id = e.person_id WHERE e.distinct_id = 'd3' "
                 "ORDER BY e.event"),
            R"([["pageview",null,"00000000-0000-0000-0000-000000000000",0],)"
            R"(["signup",null,"00000000-0000-0000-0000-000000000000",0]])");
  EXPECT_EQ(Rows("SELECT p.properties.email AS email, count() AS c FROM events e LEFT JOIN "
                 "persons p ON e.person_id = p.id GROUP BY email ORDER BY c DESC, email"),
            R"([["a@x.com",2],["b@y.com",2],[null,2]])");
  // Three tables, and keys on either side of `=`.
  EXPECT_EQ(Rows("SELECT pdi.distinct_id, p.properties.plan FROM person_distinct_ids AS pdi "
                 "JOIN persons AS p ON p.id = pdi.person_id JOIN events AS e ON "
                 "e.distinct_id = pdi.distinct_id WHERE e.properties.$browser = 'Chrome' "
                 "ORDER BY e.timestamp"),
            R"([["d1","pro"],["d1","pro"]])");
  EXPECT_EQ(Rows("SELECT count() FROM persons CROSS JOIN groups"), "[[4]]");
}

TEST_F(HogQLSources, JoinsReadOnlyTheEventsWhereAllows) {
  // The scan of the joined events reads the three events of January 10 only: within the bound.
  context_.max_rows = 3;
  EXPECT_EQ(Rows("SELECT e.distinct_id, p.properties.email FROM events e LEFT JOIN persons p ON "
                 "e.person_id = p.id WHERE e.timestamp >= '2024-01-10' AND e.event = 'pageview' "
                 "ORDER BY e.timestamp"),
            R"([["d2","b@y.com"],["d3",null]])");
  context_.max_rows = 1'000'000;
  // Events on the right of a LEFT JOIN are filtered after it: padding must not pass WHERE.
  EXPECT_EQ(Rows("SELECT count() FROM persons p LEFT JOIN events e ON e.person_id = p.id WHERE "
                 "e.event != 'pageview'"),
            "[[0]]");
  // `person` names the persons table here, not the event's person.
  EXPECT_EQ(Rows("SELECT count() FROM events e JOIN persons person ON e.distinct_id = 'd1' AND "
                 "person.id = e.person_id WHERE person.properties.email = 'a@x.com'"),
            "[[2]]");
}

TEST_F(HogQLSources, JoinedColumnsNeedTheirTableWhenAmbiguous) {
  EXPECT_EQ(Error("SELECT created_at FROM persons p JOIN groups g ON p.id = g.key"),
            "line 1, column 8: column 'created_at' is ambiguous: name its table (p.created_at "
            "or g.created_at)");
  EXPECT_EQ(Error("SELECT 1 FROM events e JOIN persons p ON e.person_id > p.id"),
            "line 1, column 42: a join condition is equalities of the two sides joined by AND "
            "(a = b)");
  EXPECT_EQ(Error("SELECT 1 FROM events e JOIN persons p ON e.nope = p.id"),
            "line 1, column 42: unknown column 'e.nope' (the events table in a join has uuid, "
            "event, properties, timestamp, distinct_id, person_id, $session_id, $window_id, "
            "$group_0, $group_1, $group_2, $group_3, $group_4)");
  EXPECT_EQ(Error("SELECT e.person.properties.email FROM events e JOIN persons p ON "
                  "e.person_id = p.id"),
            "line 1, column 8: unknown column 'e.person.properties.email' (the events table in a "
            "join has uuid, event, properties, timestamp, distinct_id, person_id, $session_id, "
            "$window_id, $group_0, $group_1, $group_2, $group_3, $group_4): join the persons "
            "table to read the person");
  EXPECT_EQ(Error("SELECT p.nope FROM persons p JOIN person_distinct_ids d ON p.id = d.person_id"),
            "line 1, column 8: unknown column 'p.nope' (table 'p' has id, created_at, team_id, "
            "properties, is_identified)");
}

TEST_F(HogQLSources, SubqueriesAndCtes) {
  EXPECT_EQ(Rows("SELECT t.event, t.c FROM (SELECT event, count() AS c FROM events GROUP BY "
                 "event) AS t ORDER BY t.c DESC"),
            R"([["pageview",5],["signup",1]])");
  EXPECT_EQ(Rows("SELECT max(n), min(n) FROM (SELECT distinct_id, count() AS n FROM events "
                 "GROUP BY distinct_id)"),
            "[[2,2]]");
  EXPECT_EQ(Rows("WITH counts AS (SELECT person_id, count() AS n FROM events GROUP BY "
                 "person_id) SELECT p.properties.email, c.n FROM counts c JOIN persons p ON "
                 "c.person_id = p.id ORDER BY p.properties.email"),
            R"([["a@x.com",2],["b@y.com",2]])");
  EXPECT_EQ(Rows("WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT y FROM b"),
            "[[2]]");
  EXPECT_EQ(Rows("WITH 5 AS five SELECT five + 1"), "[[6]]");
  // A subquery keeps the JSON of `properties`, and its own LIMIT.
  EXPECT_EQ(Rows("SELECT s.props.email FROM (SELECT properties AS props FROM persons ORDER BY "
                 "created_at DESC LIMIT 1) s"),
            R"([["b@y.com"]])");
  EXPECT_EQ(Error("WITH x AS (SELECT 1 FROM x) SELECT 1 FROM x"),
            "line 1, column 26: table 'x' is not supported yet: this server queries events, "
            "persons, person_distinct_ids and groups");
}

TEST_F(HogQLSources, UnionAll) {
  EXPECT_EQ(Rows("SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT NULL"), "[[1],[2],[null]]");
  EXPECT_EQ(Types("SELECT 1 AS x UNION ALL SELECT NULL"),
            (std::vector<std::string>{"Nullable(UInt64)"}));
  EXPECT_EQ(Rows("SELECT * FROM (SELECT distinct_id AS id FROM persons AS p JOIN "
                 "person_distinct_ids AS d ON p.id = d.person_id UNION ALL SELECT key FROM "
                 "groups) ORDER BY id"),
            R"([["acme"],["anon-1"],["d1"],["d2"],["eu"]])");
  EXPECT_EQ(Error("SELECT 1 UNION ALL SELECT 'a'"),
            "line 1, column 20: column 1 of UNION ALL is of different types in its members "
            "(UInt64 and String)");
  EXPECT_EQ(Error("SELECT 1 UNION ALL SELECT 1, 2"),
            "line 1, column 20: the members of UNION ALL must have the same number of columns "
            "(1 and 2)");
}

TEST_F(HogQLSources, SourcesNest) {
  EXPECT_EQ(Rows("SELECT * FROM (SELECT 1 AS a, 2 AS b) WHERE a = 1"), "[[1,2]]");
  EXPECT_EQ(Rows("SELECT 1 WHERE 2 IN (SELECT 1 UNION ALL SELECT 2)"), "[[1]]");
  EXPECT_EQ(Rows("SELECT count() FROM events e JOIN events f ON e.uuid = f.uuid"), "[[6]]");
  EXPECT_EQ(Rows("SELECT e.event, count() AS c FROM events e JOIN (SELECT id FROM persons WHERE "
                 "is_identified) AS p ON e.person_id = p.id GROUP BY e.event ORDER BY c"),
            R"([["pageview",2]])");
  StatusOr<HogQLResult> capped = Run("SELECT number FROM (SELECT 1 AS number UNION ALL SELECT 2)");
  ASSERT_TRUE(capped.ok()) << capped.status().ToString();
  EXPECT_EQ(capped->limit, 100);
  EXPECT_FALSE(capped->has_more);
  EXPECT_EQ(capped->hogql, "SELECT number FROM (SELECT 1 AS number UNION ALL SELECT 2) LIMIT 100");
}

TEST_F(HogQLSources, InSubquery) {
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE person_id IN (SELECT id FROM persons WHERE "
                 "properties.email LIKE '%@x.com')"),
            "[[2]]");
  EXPECT_EQ(Rows("SELECT distinct_id FROM events WHERE distinct_id NOT IN (SELECT distinct_id "
                 "FROM person_distinct_ids) GROUP BY distinct_id"),
            R"([["d3"]])");
  EXPECT_EQ(Rows("SELECT count() FROM events WHERE properties.plan IN (SELECT NULL)"), "[[4]]");
}

TEST_F(HogQLSources, LimitBy) {
  EXPECT_EQ(Rows("SELECT distinct_id, timestamp FROM events ORDER BY timestamp DESC LIMIT 1 BY "
                 "distinct_id"),
            R"([["d3","2024-01-10T03:00:00Z"],["d2","2024-01-10T01:00:00Z"],)"
            R"(["d1","2024-01-09T11:00:00Z"]])");
  EXPECT_EQ(Rows("SELECT distinct_id, timestamp FROM events ORDER BY timestamp LIMIT 1 OFFSET 1 "
                 "BY distinct_id LIMIT 2"),
            R"([["d1","2024-01-09T11:00:00Z"],["d2","2024-01-10T01:00:00Z"]])");
  EXPECT_EQ(Rows("SELECT event, distinct_id, count() AS c FROM events GROUP BY event, "
                 "distinct_id ORDER BY c DESC, distinct_id LIMIT 1 BY event"),
            R"([["pageview","d1",2],["signup","d3",1]])");
}

TEST_F(HogQLSources, RowsHeldAreBounded) {
  context_.max_rows = 3;
  StatusOr<HogQLResult> result = Run("SELECT count() FROM events e JOIN persons p ON 1 = 1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "hogql_too_many_rows");
  EXPECT_EQ(result.status().message(),
            "a subquery holds more than 3 rows, the bound on the rows one query holds: narrow "
            "it with WHERE or LIMIT");
  EXPECT_EQ(Error("SELECT count() FROM persons CROSS JOIN groups"),
            "the JOIN holds more than 3 rows, the bound on the rows one query holds: narrow it "
            "with WHERE or LIMIT");
  EXPECT_EQ(Error("SELECT distinct_id FROM person_distinct_ids, persons"),
            "the JOIN holds more than 3 rows, the bound on the rows one query holds: narrow it "
            "with WHERE or LIMIT");
  EXPECT_EQ(Rows("SELECT count() FROM (SELECT event FROM events LIMIT 3)"), "[[3]]");
  context_.max_rows = 1;
  EXPECT_EQ(Error("SELECT id FROM persons"),
            "the persons table holds more than 1 rows, the bound on the rows one query holds: "
            "narrow it with WHERE or LIMIT");
}

TEST_F(HogQLSources, PersonTablesNeedAReader) {
  context_.person_tables = nullptr;
  StatusOr<HogQLResult> result = Run("SELECT id FROM persons");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace hoglet::hogql
