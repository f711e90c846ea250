// The person property keys a trends query reads, and the queries that may read others.
#include "query/person_keys_read.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "filters/filter_tree.h"
#include "query/trends_query_parser.h"

namespace hoglet::query {
namespace {

using Keys = std::optional<std::vector<std::string>>;

Keys Read(const std::string& json, const filters::FilterNode& test_accounts = {}) {
  simdjson::dom::parser parser;
  StatusOr<TrendsQuery> query = ParseTrendsQuery(parser.parse(json).value());
  EXPECT_TRUE(query.ok()) << query.status().ToString();
  return PersonKeysRead(*query, test_accounts);
}

filters::FilterNode PersonLeaf(const std::string& key) {
  filters::FilterNode node;
  node.kind = filters::FilterNode::Kind::kLeaf;
  node.filter.type = filters::FilterType::kPerson;
  node.filter.key = key;
  return node;
}

TEST(PersonKeysRead, FiltersAndBreakdownsOfPersonsSortedOnce) {
  EXPECT_EQ(Read(R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "event": "a"}]})"),
            Keys(std::vector<std::string>{}));
  EXPECT_EQ(Read(R"({"kind": "TrendsQuery",
      "series": [{"kind": "EventsNode", "event": "a", "properties": [
        {"key": "plan", "value": "pro", "type": "person"},
        {"key": "$browser", "value": "Chrome", "type": "event"}]}],
      "properties": {"type": "OR", "values": [{"type": "AND", "values": [
        {"key": "email", "value": "@x", "operator": "icontains", "type": "person"},
        {"key": "plan", "value": "free", "type": "person"}]}]},
      "breakdownFilter": {"breakdowns": [{"property": "country", "type": "person"},
                                         {"property": "$os", "type": "event"}]}})"),
            Keys(std::vector<std::string>{"country", "email", "plan"}));
}

TEST(PersonKeysRead, TestAccountFiltersCountOnlyWhenApplied) {
  filters::FilterNode test_accounts;
  test_accounts.children.push_back(PersonLeaf("is_staff"));
  const std::string query = R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}]})";
  EXPECT_EQ(Read(query, test_accounts), Keys(std::vector<std::string>{}));
  const std::string filtered =
      R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}], "filterTestAccounts": true})";
  EXPECT_EQ(Read(filtered, test_accounts), Keys(std::vector<std::string>{"is_staff"}));
}

TEST(PersonKeysRead, UnknownWhenPersonsMayBeReadOtherwise) {
  // A cohort filter, a HogQL or cohort breakdown, the HogQL math, an action.
  for (const char* query : {
           R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "properties": [{"key": "id", "value": 3, "type": "cohort"}]})",
           R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "breakdownFilter": {"breakdown": "person.properties.plan", "breakdown_type": "hogql"}})",
           R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode"}],
               "breakdownFilter": {"breakdown": [3], "breakdown_type": "cohort"}})",
           R"({"kind": "TrendsQuery", "series": [{"kind": "EventsNode", "math": "hogql",
               "math_hogql": "count() * 2"}]})",
           R"({"kind": "TrendsQuery", "series": [{"kind": "ActionsNode", "id": 4}]})",
       }) {
    EXPECT_EQ(Read(query), std::nullopt) << query;
  }
}

}  // namespace
}  // namespace hoglet::query
