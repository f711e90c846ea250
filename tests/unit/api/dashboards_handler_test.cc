// /api/projects/{id}/dashboards/{id}/: what PostHog's dashboard page and clients send for tiles
// (layouts, new, edited and deleted text tiles in PATCH `tiles`), the order tiles are served in,
// `filters_override` / `variables_override` and run_insights' shape, and their 400s. Results need
// the query engine (no event store here: results are null); the web app and @posthog/cli tests
// check them end to end.
#include "api/dashboards_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/dashboard_overrides.h"
#include "base/url.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr char kTrendsQuery[] = R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery",)"
                                R"("series":[{"kind":"EventsNode","event":"$pageview"}]}})";

class DashboardsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    http::Response created = Call("POST", "/api/projects/1/dashboards/", key_,
                                  R"({"name":"Growth","filters":{"date_from":"-30d"}})");
    ASSERT_EQ(created.status, 201) << created.body;
    dashboard_ = int64_t(ParseJson(created.body)->root["id"]);
    http::Response insight = Call("POST", "/api/projects/1/insights/", key_,
                                  R"({"name":"Views","query":)" + string(kTrendsQuery) +
                                      R"(,"dashboards":[)" + std::to_string(dashboard_) + "]}");
    ASSERT_EQ(insight.status, 201) << insight.body;
    insight_ = int64_t(ParseJson(insight.body)->root["id"]);
  }
  string Path(const string& rest = "") const {
    return "/api/projects/1/dashboards/" + std::to_string(dashboard_) + "/" + rest;
  }
  http::Response Patch(const string& body) { return Call("PATCH", Path(), key_, body); }
  // The dashboard's tiles as GET answers them: (id, text body or "insight N", sm layout).
  struct Tile {
    int64_t id;
    string shown;
    string sm;
  };
  std::vector<Tile> Tiles(const string& query = "") {
    http::Response got = Call("GET", Path(query), key_);
    EXPECT_EQ(got.status, 200) << got.body;
    std::vector<Tile> tiles;
    auto doc = ParseJson(got.body);
    simdjson::dom::array list;
    if (doc->root["tiles"].get(list) != simdjson::SUCCESS) return tiles;
    for (simdjson::dom::element tile : list) {
      Tile t{int64_t(tile["id"]), "", ""};
      if (!tile["text"].is_null()) {
        t.shown = string(string_view(tile["text"]["body"]));
      } else {
        t.shown = "insight " + std::to_string(int64_t(tile["insight"]["id"]));
      }
      simdjson::dom::element sm;
      if (tile["layouts"]["sm"].get(sm) == simdjson::SUCCESS) t.sm = simdjson::minify(sm);
      tiles.push_back(t);
    }
    return tiles;
  }
  static string Attr(const http::Response& response) {
    auto doc = ParseJson(response.body);
    string_view attr;
    return doc->root["attr"].get(attr) == simdjson::SUCCESS ? string(attr) : string();
  }
  int64_t dashboard_ = 0;
  int64_t insight_ = 0;
};

TEST_F(DashboardsHandler, LayoutsArePatchedAsPostHogsClientSendsThemAndOrderTheTiles) {
  std::vector<Tile> tiles = Tiles();
  ASSERT_EQ(tiles.size(), 1u);
  const int64_t chart = tiles[0].id;
  // A text tile as the dashboard page adds one: PATCH tiles [{text: {body}}].
  http::Response added = Patch(R"({"tiles":[{"text":{"body":"Read me"}}]})");
  ASSERT_EQ(added.status, 200) << added.body;
  tiles = Tiles();
  ASSERT_EQ(tiles.size(), 2u);
  const int64_t note = tiles[1].id;
  EXPECT_EQ(tiles[1].shown, "Read me");

  // saveLayouts: every tile's {id, layouts}; the note now above the chart.
  http::Response moved =
      Patch(R"({"tiles":[{"id":)" + std::to_string(chart) +
            R"(,"layouts":{"sm":{"x":0,"y":2,"w":6,"h":5},"xs":{"x":0,"y":2,"w":1,"h":5}}},)"
            R"({"id":)" +
            std::to_string(note) +
            R"(,"layouts":{"sm":{"x":6,"y":0,"w":6,"h":2},"xs":{"x":0,"y":0,"w":1,"h":2}}}]})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto doc = ParseJson(moved.body);
  EXPECT_EQ(int64_t(doc->root["tiles"].at(0)["id"]), note) << "reading order: y, then x";
  EXPECT_EQ(int64_t(doc->root["tiles"].at(0)["order"]), 0);
  tiles = Tiles();
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_EQ(tiles[0].id, note);
  EXPECT_EQ(tiles[0].sm, R"({"x":6,"y":0,"w":6,"h":2})");
  EXPECT_EQ(tiles[1].id, chart);
  EXPECT_EQ(tiles[1].sm, R"({"x":0,"y":2,"w":6,"h":5})");

  // Side by side on one row: x decides.
  ASSERT_EQ(Patch(R"({"tiles":[{"id":)" + std::to_string(chart) +
                  R"(,"layouts":{"sm":{"x":0,"y":0,"w":6,"h":5}}}]})")
                .status,
            200);
  tiles = Tiles();
  EXPECT_EQ(tiles[0].id, chart);
  EXPECT_EQ(tiles[1].id, note);
}

TEST_F(DashboardsHandler, TextTilesAreEditedAndDeletedThroughTiles) {
  ASSERT_EQ(
      Patch(
          R"({"tiles":[{"text":{"body":"<b>x</b>"},"layouts":{"sm":{"x":0,"y":9,"w":12,"h":1}}}]})")
          .status,
      200);
  std::vector<Tile> tiles = Tiles();
  ASSERT_EQ(tiles.size(), 2u);
  // A tile without a layout (the chart) comes after those that have one.
  const int64_t note = tiles[0].id;
  EXPECT_EQ(tiles[0].shown, "<b>x</b>") << "stored as sent; the app shows it as text";
  EXPECT_EQ(tiles[0].sm, R"({"x":0,"y":9,"w":12,"h":1})");

  // The text card modal's edit: {id, text: {id, body, ...}}; layouts stay.
  http::Response edited =
      Patch(R"({"tiles":[{"id":)" + std::to_string(note) + R"(,"text":{"id":)" +
            std::to_string(note) + R"(,"body":"Second thoughts","created_by":null}}]})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  tiles = Tiles();
  ASSERT_EQ(tiles.size(), 2u);
  EXPECT_EQ(tiles[0].shown, "Second thoughts");
  EXPECT_EQ(tiles[0].sm, R"({"x":0,"y":9,"w":12,"h":1})");

  // removeTile: {id, deleted: true}.
  ASSERT_EQ(Patch(R"({"tiles":[{"id":)" + std::to_string(note) + R"(,"deleted":true}]})").status,
            200);
  tiles = Tiles();
  ASSERT_EQ(tiles.size(), 1u);
  EXPECT_EQ(tiles[0].shown, "insight " + std::to_string(insight_));
  // An entry that changes nothing is ignored, as in PostHog.
  EXPECT_EQ(Patch(R"({"tiles":[{"id":)" + std::to_string(tiles[0].id) + "}]}").status, 200);
}

TEST_F(DashboardsHandler, BadTilesAnswer400NamingTiles) {
  const int64_t chart = Tiles()[0].id;
  for (const string& body : {
           string(R"({"tiles":[{"text":{"body":""}}]})"),
           R"({"tiles":[{"text":{"body":")" + string(4001, 'a') + R"("}}]})",
           string(R"({"tiles":[{"text":"words"}]})"),
           string(R"({"tiles":[7]})"),
           string(R"({"tiles":[{"layouts":{}}]})"),
           string(R"({"tiles":[{"id":987654,"layouts":{}}]})"),
           R"({"tiles":[{"id":)" + std::to_string(chart) + R"(,"layouts":[]}]})",
           R"({"tiles":[{"id":)" + std::to_string(chart) + R"(,"color":5}]})",
           R"({"tiles":[{"id":)" + std::to_string(chart) + R"(,"deleted":"yes"}]})",
           R"({"tiles":[{"id":)" + std::to_string(chart) + R"(,"text":{"body":"over a chart"}}]})",
           string(R"({"tiles":{}})"),
       }) {
    http::Response refused = Patch(body);
    EXPECT_EQ(refused.status, 400) << body.substr(0, 80) << " → " << refused.body;
    EXPECT_EQ(Attr(refused), "tiles") << body.substr(0, 80);
  }
  std::vector<Tile> tiles = Tiles();
  ASSERT_EQ(tiles.size(), 1u) << "nothing was added";
  EXPECT_EQ(tiles[0].shown, "insight " + std::to_string(insight_));
}

TEST_F(DashboardsHandler, OverridesChangeTheFiltersOfOneRequestOnly) {
  http::Response got = Call(
      "GET",
      Path("?filters_override=" +
           PercentEncode(
               R"({"date_from":"-7d","properties":[{"key":"$browser","value":"Chrome"}]})") +
           "&variables_override=" +
           PercentEncode(
               R"({"v1":{"code_name":"plan","variableId":"v1","value":"pro"},"v2":{"value":1}})")),
      key_);
  ASSERT_EQ(got.status, 200) << got.body;
  auto doc = ParseJson(got.body);
  EXPECT_EQ(simdjson::minify(doc->root["filters"]),
            R"({"date_from":"-7d","properties":[{"key":"$browser","value":"Chrome"}]})");
  EXPECT_EQ(simdjson::minify(doc->root["persisted_filters"]), R"({"date_from":"-30d"})");
  EXPECT_EQ(simdjson::minify(doc->root["variables"]),
            R"({"v1":{"code_name":"plan","variableId":"v1","value":"pro"}})")
      << "entries without code_name are dropped";
  EXPECT_TRUE(doc->root["persisted_variables"].is_null());

  doc = ParseJson(Call("GET", Path(), key_).body);
  EXPECT_EQ(simdjson::minify(doc->root["filters"]), R"({"date_from":"-30d"})") << "not persisted";

  for (const char* param : {"filters_override", "variables_override"}) {
    for (const char* value : {"{oops", "[1]", "3"}) {
      http::Response refused =
          Call("GET", Path("?" + string(param) + "=" + PercentEncode(value)), key_);
      EXPECT_EQ(refused.status, 400) << param << "=" << value;
      EXPECT_EQ(Attr(refused), param);
      EXPECT_NE(refused.body.find("Invalid JSON passed in"), string::npos) << refused.body;
    }
  }
  // An empty dashboard filter is persisted as null.
  ASSERT_EQ(Patch(R"({"filters":{}})").status, 200);
  doc = ParseJson(Call("GET", Path(), key_).body);
  EXPECT_TRUE(doc->root["persisted_filters"].is_null());
  EXPECT_EQ(simdjson::minify(doc->root["filters"]), "{}");
}

TEST(DashboardOverrides, TopLevelKeysReplaceNestedOnesAreNotMerged) {
  auto merged =
      MergeFiltersOverride(R"({"date_from":"-30d","properties":[{"key":"a"}]})",
                           string(R"({"properties":[],"date_to":"-1d"})"), "filters_override");
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, R"({"date_from":"-30d","properties":[],"date_to":"-1d"})");
  EXPECT_EQ(*MergeFiltersOverride(R"({"date_from":"-30d"})", std::nullopt, "filters_override"),
            R"({"date_from":"-30d"})");
  EXPECT_EQ(*MergeFiltersOverride(R"({"date_from":"-30d"})", string(), "filters_override"),
            R"({"date_from":"-30d"})");
  EXPECT_FALSE(MergeFiltersOverride("{}", string("null"), "filters_override").ok());
}

TEST_F(DashboardsHandler, RunInsightsAnswersEachInsightTilesResult) {
  ASSERT_EQ(Patch(R"({"tiles":[{"text":{"body":"not an insight"}}]})").status, 200);
  const int64_t chart = Tiles()[0].id;
  http::Response ran = Call("GET", Path("run_insights/?refresh=force_cache"), key_);
  ASSERT_EQ(ran.status, 200) << ran.body;
  auto doc = ParseJson(ran.body);
  simdjson::dom::array results = doc->root["results"].get_array();
  ASSERT_EQ(results.size(), 1u) << "text tiles have no result";
  EXPECT_EQ(int64_t(results.at(0)["id"]), chart);
  simdjson::dom::element insight = results.at(0)["insight"];
  EXPECT_EQ(int64_t(insight["id"]), insight_);
  EXPECT_EQ(string_view(insight["name"]), "Views");
  EXPECT_EQ(string_view(insight["short_id"]).size(), 8u);
  EXPECT_TRUE(insight["derived_name"].is_null());
  EXPECT_TRUE(insight["result"].is_null()) << "nothing cached, nothing computed";
  EXPECT_TRUE(insight["query"].error() == simdjson::NO_SUCH_FIELD) << "identifiers and result";

  http::Response bad = Call("GET", Path("run_insights/?refresh=sometimes"), key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Attr(bad), "refresh");
  bad = Call("GET", Path("run_insights/?filters_override=%7B"), key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Attr(bad), "filters_override");
  bad = Call("GET", Path("run_insights/?output_format=optimized"), key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Attr(bad), "output_format");
  EXPECT_EQ(Call("GET", "/api/projects/1/dashboards/987654/run_insights/", key_).status, 404);

  // query:read is the scope PostHog asks for; dashboard:read alone is not enough.
  auto query_reader = meta_->CreatePersonalApiKey(1, "q", {"query:read"});
  ASSERT_TRUE(query_reader.ok());
  EXPECT_EQ(Call("GET", Path("run_insights/"), query_reader->plain_key).status, 200);
  auto dashboard_reader = meta_->CreatePersonalApiKey(1, "d", {"dashboard:read"});
  ASSERT_TRUE(dashboard_reader.ok());
  EXPECT_EQ(Call("GET", Path("run_insights/"), dashboard_reader->plain_key).status, 403);
  EXPECT_EQ(Call("GET", Path("run_insights/"), SecondOrganizationKey()).status, 404);
}

}  // namespace
}  // namespace hoglet::api::testing
