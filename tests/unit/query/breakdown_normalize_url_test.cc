// breakdownFilter.breakdown_normalize_url (and an item's normalize_url in `breakdowns`): a URL
// breakdown value loses its trailing '/', '?' and '#' characters, "/" when nothing is left, so
// "https://a.io/b/" and "https://a.io/b" count in one line (PostHog's
// `empty(trimRight(v, '/?#')) ? '/' : trimRight(v, '/?#')`). Counted by hand from the events.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <string>

#include "query/breakdown_keys.h"
#include "query/trends_insight.h"
#include "query/trends_query_parser.h"
#include "tests/unit/query/insight_test_store.h"

namespace hoglet::query {
namespace {

TEST(NormalizeBreakdownUrl, DropsTrailingSlashesQuestionMarksAndHashes) {
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b/"), "https://a.io/b");
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b/?#"), "https://a.io/b");
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b#/"), "https://a.io/b");
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b"), "https://a.io/b");
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b?x=1"), "https://a.io/b?x=1");
  EXPECT_EQ(NormalizeBreakdownUrl("https://a.io/b#top"), "https://a.io/b#top");
  EXPECT_EQ(NormalizeBreakdownUrl("/"), "/");
  EXPECT_EQ(NormalizeBreakdownUrl("//?"), "/");
  EXPECT_EQ(NormalizeBreakdownUrl(""), "/");
}

class BreakdownNormalizeUrl : public InsightTestStore {
 protected:
  void SetUp() override {
    InsightTestStore::SetUp();
    context_.person_properties = &persons_;
    Add("$pageview", 1, "2024-01-09T10:00:00Z", R"({"$current_url": "https://a.io/b/"})");
    Add("$pageview", 1, "2024-01-09T10:01:00Z", R"({"$current_url": "https://a.io/b/"})");
    Add("$pageview", 1, "2024-01-09T10:02:00Z", R"({"$current_url": "https://a.io/b"})");
    Add("$pageview", 2, "2024-01-09T10:03:00Z", R"({"$current_url": "https://a.io/b?#"})");
    Add("$pageview", 2, "2024-01-09T10:04:00Z", R"({"$current_url": "https://a.io/b?x=1"})");
    Add("$pageview", 2, "2024-01-09T10:05:00Z", R"({"$current_url": "/"})");
    Add("$pageview", 3, "2024-01-09T10:06:00Z", R"({"$current_url": ""})");
    Add("$pageview", 3, "2024-01-09T10:07:00Z", R"({})");
    Add("$pageview", 3, "2024-01-09T10:08:00Z", R"({"$current_url": null})");
    persons_.Set(1, R"({"landing": "https://p.io/"})");
    persons_.Set(2, R"({"landing": "https://p.io"})");
    persons_.Set(3, R"({"landing": "https://q.io/#"})");
  }

  // Each line's breakdown value and total over the range, or {"error": message}.
  std::map<std::string, int> Totals(const std::string& breakdown_filter) {
    Flush();
    simdjson::dom::parser parser;
    StatusOr<TrendsQuery> query =
        ParseTrendsQuery(parser
                             .parse(R"({"kind": "TrendsQuery", "dateRange": {"date_from": "-2d"},
                       "series": [{"kind": "EventsNode", "event": "$pageview"}],
                       "trendsFilter": {"display": "ActionsTable"},
                       "breakdownFilter": )" +
                                    breakdown_filter + "}")
                             .value());
    if (!query.ok()) return {{query.status().message(), -1}};
    StatusOr<TrendsAnswer> answer = AnswerTrends(*query, context_, source(), kTestTeam);
    if (!answer.ok()) return {{answer.status().message(), -1}};
    std::map<std::string, int> totals;
    for (const TrendsLine& line : answer->result.lines) {
      totals[line.breakdown_value.value_or("-")] = static_cast<int>(line.aggregated_value);
    }
    return totals;
  }

  MapPersonProperties persons_;
};

TEST_F(BreakdownNormalizeUrl, WithoutItEachSpellingIsItsOwnLine) {
  EXPECT_EQ(Totals(R"({"breakdown": "$current_url", "breakdown_type": "event"})"),
            (std::map<std::string, int>{{"https://a.io/b/", 2},
                                        {"https://a.io/b", 1},
                                        {"https://a.io/b?#", 1},
                                        {"https://a.io/b?x=1", 1},
                                        {"/", 1},
                                        {"$$_posthog_breakdown_null_$$", 3}}));
}

TEST_F(BreakdownNormalizeUrl, EventPropertyValuesAreNormalized) {
  // "" reads as "/"; missing and null stay the null label.
  EXPECT_EQ(Totals(R"({"breakdown": "$current_url", "breakdown_type": "event",
                        "breakdown_normalize_url": true})"),
            (std::map<std::string, int>{{"https://a.io/b", 4},
                                        {"https://a.io/b?x=1", 1},
                                        {"/", 2},
                                        {"$$_posthog_breakdown_null_$$", 2}}));
}

TEST_F(BreakdownNormalizeUrl, PersonPropertiesAndItemsOfSeveralBreakdowns) {
  EXPECT_EQ(Totals(R"({"breakdown": "landing", "breakdown_type": "person",
                        "breakdown_normalize_url": true})"),
            (std::map<std::string, int>{{"https://p.io", 6}, {"https://q.io", 3}}));
  EXPECT_EQ(Totals(R"({"breakdowns": [{"property": "landing", "type": "person",
                                        "normalize_url": true},
                                       {"property": "landing", "type": "person"}]})"),
            (std::map<std::string, int>{{R"(["https://p.io","https://p.io/"])", 3},
                                        {R"(["https://p.io","https://p.io"])", 3},
                                        {R"(["https://q.io","https://q.io/#"])", 3}}));
}

TEST_F(BreakdownNormalizeUrl, RefusesAFlagThatIsNotABool) {
  auto totals = Totals(R"({"breakdown": "$current_url", "breakdown_normalize_url": "yes"})");
  ASSERT_EQ(totals.size(), 1u);
  EXPECT_NE(totals.begin()->first.find("query.breakdownFilter.breakdown_normalize_url"),
            std::string::npos)
      << totals.begin()->first;
}

}  // namespace
}  // namespace hoglet::query
