// /api/projects/{id}/insights/ and /dashboards/: the insight and dashboard JSON, create / patch /
// soft-delete round trips, short ids, placing insights on dashboards, the list filters, the 400s
// naming the field, the 405 on DELETE, scopes and isolation. Results need the query engine and
// are covered by the integration test (tests/integration/insights_api_test.cc); here no event
// store exists, so results are null.
#include "api/insights_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr char kTrendsQuery[] = R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery",)"
                                R"("series":[{"kind":"EventsNode","event":"$pageview"}]}})";

class InsightsHandler : public ApiFixture {
 protected:
  // POSTs `body` to `collection` (insights or dashboards) of project 1; the new id (0 on failure).
  int64_t Create(const string& collection, const string& body) {
    http::Response response = Call("POST", "/api/projects/1/" + collection + "/", key_, body);
    EXPECT_EQ(response.status, 201) << body << " → " << response.body;
    if (response.status != 201) return 0;
    return int64_t(ParseJson(response.body)->root["id"]);
  }
  int64_t CreateInsight(const string& name) {
    return Create("insights", R"({"name":")" + name + R"(","query":)" + kTrendsQuery + "}");
  }
  static string InsightPath(int64_t id) {
    return "/api/projects/1/insights/" + std::to_string(id) + "/";
  }
  static string DashboardPath(int64_t id) {
    return "/api/projects/1/dashboards/" + std::to_string(id) + "/";
  }
  // The names of the insights a list request answers, in order.
  std::vector<string> ListedNames(const string& query) {
    http::Response response = Call("GET", "/api/projects/1/insights/" + query, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<string> names;
    auto doc = ParseJson(response.body);
    simdjson::dom::array results;
    if (doc->root["results"].get(results) != simdjson::SUCCESS) return names;
    for (simdjson::dom::element insight : results) names.emplace_back(string_view(insight["name"]));
    return names;
  }
  string Attr(const http::Response& response) {
    auto doc = ParseJson(response.body);
    string_view attr;
    return doc->root["attr"].get(attr) == simdjson::SUCCESS ? string(attr) : string();
  }
};

TEST_F(InsightsHandler, CreateAnswersPostHogsInsightShape) {
  http::Response response =
      Call("POST", "/api/projects/1/insights/", key_,
           R"({"name":"Views","description":"daily","tags":["web"],"favorited":true,"query":)" +
               string(kTrendsQuery) + "}");
  ASSERT_EQ(response.status, 201) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::element insight = doc->root;
  EXPECT_EQ(string_view(insight["name"]), "Views");
  EXPECT_EQ(string_view(insight["short_id"]).size(), 8u);
  EXPECT_EQ(string_view(insight["query"]["source"]["kind"]), "TrendsQuery");
  EXPECT_EQ(string_view(insight["description"]), "daily");
  EXPECT_EQ(string_view(insight["tags"].at(0)), "web");
  EXPECT_TRUE(bool(insight["favorited"]));
  EXPECT_FALSE(bool(insight["deleted"]));
  EXPECT_FALSE(bool(insight["saved"]));
  EXPECT_TRUE(insight["result"].is_null()) << "nothing is computed unless asked";
  EXPECT_FALSE(bool(insight["is_cached"]));
  EXPECT_EQ(string_view(insight["timezone"]), "UTC");
  EXPECT_EQ(insight["dashboards"].get_array().value().size(), 0u);
  EXPECT_EQ(string_view(insight["created_by"]["email"]), "admin@localhost");
  EXPECT_EQ(string_view(insight["last_modified_by"]["email"]), "admin@localhost");
  EXPECT_EQ(string_view(insight["user_access_level"]), "editor");
  EXPECT_TRUE(insight["derived_name"].is_null());
}

TEST_F(InsightsHandler, AnInsightIsReadByIdOrShortIdAndPatched) {
  int64_t id = CreateInsight("Views");
  http::Response by_id = Call("GET", InsightPath(id), key_);
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  string short_id(string_view(ParseJson(by_id.body)->root["short_id"]));
  http::Response by_short_id = Call("GET", "/api/projects/1/insights/" + short_id + "/", key_);
  ASSERT_EQ(by_short_id.status, 200) << by_short_id.body;
  EXPECT_EQ(int64_t(ParseJson(by_short_id.body)->root["id"]), id);
  EXPECT_EQ(Call("GET", "/api/environments/1/insights/" + std::to_string(id) + "/", key_).status,
            200);

  clock_.Advance(1'000'000);
  http::Response patched =
      Call("PATCH", InsightPath(id), key_, R"({"name":null,"derived_name":"Pageview count"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto doc = ParseJson(patched.body);
  EXPECT_TRUE(doc->root["name"].is_null());
  EXPECT_EQ(string_view(doc->root["derived_name"]), "Pageview count");
  EXPECT_EQ(string_view(doc->root["short_id"]), short_id);
  EXPECT_NE(string_view(doc->root["last_modified_at"]), string_view(doc->root["created_at"]));
}

TEST_F(InsightsHandler, DeleteIsRefusedAndPatchSoftDeletes) {
  int64_t id = CreateInsight("Views");
  http::Response deleted = Call("DELETE", InsightPath(id), key_);
  EXPECT_EQ(deleted.status, 405) << deleted.body;
  EXPECT_NE(deleted.body.find("deleted"), string::npos) << "says how to delete";
  ASSERT_EQ(Call("PATCH", InsightPath(id), key_, R"({"deleted":true})").status, 200);
  EXPECT_TRUE(ListedNames("").empty());
  http::Response still = Call("GET", InsightPath(id), key_);
  ASSERT_EQ(still.status, 200);
  EXPECT_TRUE(bool(ParseJson(still.body)->root["deleted"]));
}

TEST_F(InsightsHandler, BadBodiesAnswer400NamingTheField) {
  http::Response not_json = Call("POST", "/api/projects/1/insights/", key_, "{nope");
  EXPECT_EQ(not_json.status, 400);
  http::Response unknown_kind = Call("POST", "/api/projects/1/insights/", key_,
                                     R"({"query":{"kind":"InsightVizNode",)"
                                     R"("source":{"kind":"NoSuchQuery"}}})");
  EXPECT_EQ(unknown_kind.status, 400);
  EXPECT_EQ(Attr(unknown_kind), "query");
  EXPECT_NE(unknown_kind.body.find("NoSuchQuery"), string::npos) << unknown_kind.body;
  EXPECT_NE(unknown_kind.body.find("TrendsQuery"), string::npos) << "names what runs";
  for (const char* body : {R"({"query":[1]})", R"({"query":{"source":{}}})"}) {
    http::Response bad = Call("POST", "/api/projects/1/insights/", key_, body);
    EXPECT_EQ(bad.status, 400) << body;
    EXPECT_EQ(Attr(bad), "query") << body;
  }
  http::Response long_name =
      Call("POST", "/api/projects/1/insights/", key_, R"({"name":")" + string(401, 'a') + R"("})");
  EXPECT_EQ(long_name.status, 400);
  EXPECT_EQ(Attr(long_name), "name");
  http::Response bad_tags = Call("POST", "/api/projects/1/insights/", key_, R"({"tags":[1]})");
  EXPECT_EQ(bad_tags.status, 400);
  EXPECT_EQ(Attr(bad_tags), "tags");
  http::Response bad_dashboards =
      Call("POST", "/api/projects/1/insights/", key_, R"({"dashboards":[999]})");
  EXPECT_EQ(bad_dashboards.status, 400);
  EXPECT_EQ(Attr(bad_dashboards), "dashboards");
  EXPECT_TRUE(ListedNames("").empty()) << "nothing refused is stored";
  http::Response bad_refresh = Call("GET", "/api/projects/1/insights/?refresh=sometimes", key_);
  EXPECT_EQ(bad_refresh.status, 400);
  EXPECT_EQ(Attr(bad_refresh), "refresh");
  EXPECT_EQ(Call("GET", "/api/projects/1/insights/abc/", key_).status, 404);
}

TEST_F(InsightsHandler, ListFiltersAndOrdersByLastChange) {
  int64_t views = CreateInsight("Views");
  clock_.Advance(1'000'000);
  CreateInsight("Signups");
  clock_.Advance(1'000'000);
  int64_t saved = Create("insights", R"({"name":"Saved","saved":true,"description":"kept"})");
  EXPECT_EQ(ListedNames(""), (std::vector<string>{"Saved", "Signups", "Views"}));
  clock_.Advance(1'000'000);
  ASSERT_EQ(Call("PATCH", InsightPath(views), key_, R"({"favorited":true})").status, 200);
  EXPECT_EQ(ListedNames("")[0], "Views");
  EXPECT_EQ(ListedNames("?favorited=true"), (std::vector<string>{"Views"}));
  EXPECT_EQ(ListedNames("?saved=true"), (std::vector<string>{"Saved"}));
  EXPECT_EQ(ListedNames("?search=KEPT"), (std::vector<string>{"Saved"}));
  string short_id(
      string_view(ParseJson(Call("GET", InsightPath(saved), key_).body)->root["short_id"]));
  EXPECT_EQ(ListedNames("?short_id=" + short_id), (std::vector<string>{"Saved"}));
  http::Response page = Call("GET", "/api/projects/1/insights/?limit=1", key_);
  auto doc = ParseJson(page.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 3);
  EXPECT_FALSE(doc->root["next"].is_null());
}

TEST_F(InsightsHandler, InsightsArePutOnDashboardsAndShownInTheirTiles) {
  int64_t dashboard = Create("dashboards", R"({"name":"Growth","filters":{"date_from":"-30d"}})");
  int64_t other = Create("dashboards", R"({"name":"Other"})");
  int64_t views = CreateInsight("Views");
  http::Response placed = Call("PATCH", InsightPath(views), key_,
                               "{\"dashboards\":[" + std::to_string(dashboard) + "]}");
  ASSERT_EQ(placed.status, 200) << placed.body;
  auto insight = ParseJson(placed.body);
  EXPECT_EQ(int64_t(insight->root["dashboards"].at(0)), dashboard);
  EXPECT_EQ(int64_t(insight->root["dashboard_tiles"].at(0)["dashboard_id"]), dashboard);

  http::Response shown = Call("GET", DashboardPath(dashboard), key_);
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto doc = ParseJson(shown.body);
  EXPECT_EQ(string_view(doc->root["name"]), "Growth");
  EXPECT_EQ(string_view(doc->root["filters"]["date_from"]), "-30d");
  simdjson::dom::array tiles = doc->root["tiles"].get_array();
  ASSERT_EQ(tiles.size(), 1u);
  EXPECT_EQ(int64_t(tiles.at(0)["insight"]["id"]), views);
  EXPECT_TRUE(tiles.at(0)["text"].is_null());
  EXPECT_EQ(ListedNames("?dashboards=[" + std::to_string(dashboard) + "]"),
            (std::vector<string>{"Views"}));
  EXPECT_TRUE(ListedNames("?dashboards=[" + std::to_string(other) + "]").empty());
  EXPECT_EQ(ListedNames("?saved=true"), (std::vector<string>{"Views"}))
      << "an insight on a dashboard counts as saved";

  // A text card, then the insight moved to the other dashboard.
  http::Response text = Call("POST", DashboardPath(dashboard) + "create_text_tile/", key_,
                             R"({"body":"# Notes","layouts":{"sm":{"x":0,"y":0,"w":6,"h":2}}})");
  ASSERT_EQ(text.status, 200) << text.body;
  ASSERT_EQ(
      Call("PATCH", InsightPath(views), key_, "{\"dashboards\":[" + std::to_string(other) + "]}")
          .status,
      200);
  doc = ParseJson(Call("GET", DashboardPath(dashboard), key_).body);
  tiles = doc->root["tiles"].get_array();
  ASSERT_EQ(tiles.size(), 1u);
  EXPECT_EQ(string_view(tiles.at(0)["text"]["body"]), "# Notes");

  // A soft-deleted insight leaves its dashboards.
  ASSERT_EQ(Call("PATCH", InsightPath(views), key_, R"({"deleted":true})").status, 200);
  doc = ParseJson(Call("GET", DashboardPath(other), key_).body);
  EXPECT_EQ(doc->root["tiles"].get_array().value().size(), 0u);
}

TEST_F(InsightsHandler, DashboardsAreListedPatchedAndOnlySoftDeleted) {
  int64_t growth = Create("dashboards", R"({"name":"Growth","description":"weekly"})");
  Create("dashboards", R"({"name":"Alpha"})");
  Create("dashboards", R"({"name":"Pinned","pinned":true})");
  http::Response listed = Call("GET", "/api/projects/1/dashboards/", key_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  auto doc = ParseJson(listed.body);
  simdjson::dom::array results = doc->root["results"].get_array();
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(string_view(results.at(0)["name"]), "Pinned");
  EXPECT_EQ(string_view(results.at(1)["name"]), "Alpha");
  EXPECT_TRUE(results.at(0)["tiles"].error() == simdjson::NO_SUCH_FIELD) << "the list's shape";

  EXPECT_EQ(Call("DELETE", DashboardPath(growth), key_).status, 405);
  http::Response bad = Call("PATCH", DashboardPath(growth), key_, R"({"filters":[]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Attr(bad), "filters");
  http::Response renamed =
      Call("PATCH", DashboardPath(growth), key_, R"({"name":"Growth 2","deleted":true})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(string_view(ParseJson(renamed.body)->root["name"]), "Growth 2");
  doc = ParseJson(Call("GET", "/api/projects/1/dashboards/", key_).body);
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
}

TEST_F(InsightsHandler, KeysNeedTheScopesAndOtherOrganizationsSeeNothing) {
  int64_t id = CreateInsight("Views");
  int64_t dashboard = Create("dashboards", R"({"name":"Growth"})");
  auto reader = meta_->CreatePersonalApiKey(1, "reader", {"insight:read", "dashboard:read"});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Call("GET", InsightPath(id), reader->plain_key).status, 200);
  EXPECT_EQ(Call("GET", DashboardPath(dashboard), reader->plain_key).status, 200);
  http::Response refused = Call("PATCH", InsightPath(id), reader->plain_key, R"({"name":"x"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("insight:write"), string::npos) << refused.body;
  auto flags_only = meta_->CreatePersonalApiKey(1, "flags", {"feature_flag:read"});
  ASSERT_TRUE(flags_only.ok());
  EXPECT_EQ(Call("GET", "/api/projects/1/insights/", flags_only->plain_key).status, 403);
  EXPECT_EQ(Call("GET", "/api/projects/1/dashboards/", flags_only->plain_key).status, 403);
  EXPECT_EQ(Call("GET", "/api/projects/1/insights/", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/projects/1/insights/", project_.api_token).status, 401)
      << "a project token is refused";

  string theirs = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", InsightPath(id), theirs).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/1/insights/", theirs).status, 404);
  EXPECT_EQ(Call("GET", DashboardPath(dashboard), theirs).status, 404);
  EXPECT_EQ(Call("PATCH", InsightPath(id), theirs, R"({"deleted":true})").status, 404);
}

}  // namespace
}  // namespace hoglet::api::testing
