// The MetaStore contract (meta/meta_store.h), part three: saved insights, dashboards and their
// tiles. Parts one and two are meta_store_contract.h and meta_store_records_contract.h; the
// fixture and how an implementation instantiates the parts are in meta_store_contract_fixture.h.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "meta/meta_store.h"
#include "tests/contract/meta_store_contract_fixture.h"

namespace hoglet::meta::contract {

class MetaStoreInsightsContract : public MetaStoreContractFixture {
 protected:
  InsightRecord Insight(const std::string& name) const {
    InsightRecord insight;
    insight.team_id = project_.id;
    insight.name = name;
    insight.query_json = R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery","series":[]}})";
    insight.created_by = user_.id;
    return insight;
  }
  DashboardRecord Dashboard(const std::string& name) const {
    DashboardRecord dashboard;
    dashboard.team_id = project_.id;
    dashboard.name = name;
    return dashboard;
  }
  // The dashboards the insight's live tiles are on, in tile order.
  std::vector<int64_t> DashboardsOf(int64_t insight_id) const {
    auto tiles = store_->TilesOfInsight(project_.id, insight_id);
    EXPECT_TRUE(tiles.ok()) << tiles.status().ToString();
    std::vector<int64_t> ids;
    if (tiles.ok()) {
      for (const DashboardTileRecord& tile : *tiles) ids.push_back(tile.dashboard_id);
    }
    return ids;
  }
};

// --- Insights ---

TEST_P(MetaStoreInsightsContract, InsightsGetAShortIdAndAreUpdatedAndListed) {
  auto created = store_->CreateInsight(Insight("Views"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  ASSERT_EQ(created->short_id.size(), kInsightShortIdChars);
  EXPECT_EQ(created->created_at_us, kStartUs);
  EXPECT_EQ(created->last_modified_at_us, kStartUs);
  EXPECT_EQ(created->name, "Views");
  EXPECT_EQ(store_->InsightByShortId(project_.id, created->short_id)->id, created->id);
  auto second = store_->CreateInsight(Insight("Signups"));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->short_id, created->short_id);

  clock_.Advance(kSecondUs);
  InsightRecord changed = *created;
  changed.description = "daily views";
  changed.favorited = true;
  changed.tags_json = R"(["web"])";
  changed.deleted = true;
  changed.short_id = "ignored0";
  auto updated = store_->UpdateInsight(changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->last_modified_at_us, kStartUs + kSecondUs);
  EXPECT_EQ(updated->created_at_us, kStartUs);
  EXPECT_EQ(updated->short_id, created->short_id) << "the short id never changes";
  EXPECT_EQ(updated->tags_json, R"(["web"])");
  EXPECT_TRUE(updated->favorited);

  auto live = store_->ListInsights(project_.id, false);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 1u);
  EXPECT_EQ((*live)[0].id, second->id);
  Reopen();
  auto all = store_->ListInsights(project_.id, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].description, "daily views");
  EXPECT_EQ((*all)[0].query_json, created->query_json);
}

TEST_P(MetaStoreInsightsContract, AGivenShortIdIsKeptAndUniquePerProject) {
  InsightRecord insight = Insight("a");
  insight.short_id = "AbCd1234";
  auto created = store_->CreateInsight(insight);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->short_id, "AbCd1234");
  EXPECT_EQ(store_->CreateInsight(insight).status().code(), StatusCode::kAlreadyExists);
  Project theirs = OtherProject();
  insight.team_id = theirs.id;
  EXPECT_TRUE(store_->CreateInsight(insight).ok()) << "short ids are unique per project only";
}

TEST_P(MetaStoreInsightsContract, InsightsReportEachDocumentedError) {
  InsightRecord unknown_project = Insight("x");
  unknown_project.team_id = 999;
  EXPECT_EQ(store_->CreateInsight(unknown_project).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      store_->CreateInsight(Insight(std::string(kMaxInsightNameBytes + 1, 'a'))).status().code(),
      StatusCode::kInvalidArgument);
  for (const char* query : {"[]", "{", "\"TrendsQuery\""}) {
    InsightRecord bad = Insight("x");
    bad.query_json = query;
    EXPECT_EQ(store_->CreateInsight(bad).status().code(), StatusCode::kInvalidArgument) << query;
  }
  for (const char* tags : {"{}", "[1]", "nope"}) {
    InsightRecord bad = Insight("x");
    bad.tags_json = tags;
    EXPECT_EQ(store_->CreateInsight(bad).status().code(), StatusCode::kInvalidArgument) << tags;
  }
  InsightRecord bad_short_id = Insight("x");
  bad_short_id.short_id = "short";
  EXPECT_EQ(store_->CreateInsight(bad_short_id).status().code(), StatusCode::kInvalidArgument);
  InsightRecord no_query = Insight("legacy");
  no_query.query_json.reset();
  EXPECT_TRUE(store_->CreateInsight(no_query).ok()) << "an insight may have no query";

  auto created = store_->CreateInsight(Insight("ok"));
  ASSERT_TRUE(created.ok());
  InsightRecord missing = *created;
  missing.id = 999;
  EXPECT_EQ(store_->UpdateInsight(missing).status().code(), StatusCode::kNotFound);
  Project theirs = OtherProject();
  EXPECT_EQ(store_->InsightById(theirs.id, created->id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->InsightByShortId(theirs.id, created->short_id).status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->ListInsights(theirs.id, true)->empty());
}

// --- Dashboards and tiles ---

TEST_P(MetaStoreInsightsContract, DashboardsAreCreatedUpdatedAndListed) {
  DashboardRecord dashboard = Dashboard("Growth");
  dashboard.filters_json = R"({"date_from":"-30d"})";
  dashboard.pinned = true;
  auto created = store_->CreateDashboard(dashboard);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->created_at_us, kStartUs);
  EXPECT_EQ(created->filters_json, R"({"date_from":"-30d"})");
  EXPECT_TRUE(created->pinned);
  DashboardRecord changed = *created;
  changed.name = "Growth (old)";
  changed.deleted = true;
  ASSERT_TRUE(store_->UpdateDashboard(changed).ok());
  EXPECT_TRUE(store_->ListDashboards(project_.id, false)->empty());
  Reopen();
  auto all = store_->ListDashboards(project_.id, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].name, "Growth (old)");
  EXPECT_TRUE((*all)[0].deleted);
}

TEST_P(MetaStoreInsightsContract, DashboardsReportEachDocumentedError) {
  DashboardRecord unknown_project = Dashboard("x");
  unknown_project.team_id = 999;
  EXPECT_EQ(store_->CreateDashboard(unknown_project).status().code(), StatusCode::kNotFound);
  DashboardRecord bad_filters = Dashboard("x");
  bad_filters.filters_json = "[]";
  EXPECT_EQ(store_->CreateDashboard(bad_filters).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateDashboard(Dashboard(std::string(kMaxDashboardNameBytes + 1, 'a')))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  auto created = store_->CreateDashboard(Dashboard("ok"));
  ASSERT_TRUE(created.ok());
  Project theirs = OtherProject();
  EXPECT_EQ(store_->DashboardById(theirs.id, created->id).status().code(), StatusCode::kNotFound);
  DashboardRecord moved = *created;
  moved.team_id = theirs.id;
  EXPECT_EQ(store_->UpdateDashboard(moved).status().code(), StatusCode::kNotFound);
}

TEST_P(MetaStoreInsightsContract, AnInsightIsPutOnExactlyTheDashboardsGiven) {
  auto insight = store_->CreateInsight(Insight("Views"));
  auto a = store_->CreateDashboard(Dashboard("A"));
  auto b = store_->CreateDashboard(Dashboard("B"));
  ASSERT_TRUE(insight.ok() && a.ok() && b.ok());
  ASSERT_TRUE(store_->SetInsightDashboards(project_.id, insight->id, {a->id, b->id}).ok());
  EXPECT_EQ(DashboardsOf(insight->id), (std::vector<int64_t>{a->id, b->id}));
  auto tiles = store_->TilesOfDashboard(project_.id, a->id);
  ASSERT_TRUE(tiles.ok());
  ASSERT_EQ(tiles->size(), 1u);
  EXPECT_EQ((*tiles)[0].insight_id, insight->id);
  const int64_t tile_on_a = (*tiles)[0].id;

  // Off A: its tile is soft-deleted; back on A: the same tile comes back.
  ASSERT_TRUE(store_->SetInsightDashboards(project_.id, insight->id, {b->id}).ok());
  EXPECT_EQ(DashboardsOf(insight->id), (std::vector<int64_t>{b->id}));
  EXPECT_TRUE(store_->TilesOfDashboard(project_.id, a->id)->empty());
  ASSERT_TRUE(store_->SetInsightDashboards(project_.id, insight->id, {a->id, b->id, a->id}).ok());
  tiles = store_->TilesOfDashboard(project_.id, a->id);
  ASSERT_TRUE(tiles.ok());
  ASSERT_EQ(tiles->size(), 1u);
  EXPECT_EQ((*tiles)[0].id, tile_on_a);

  // A deleted dashboard's tiles are not counted as the insight's.
  DashboardRecord gone = *b;
  gone.deleted = true;
  ASSERT_TRUE(store_->UpdateDashboard(gone).ok());
  EXPECT_EQ(DashboardsOf(insight->id), (std::vector<int64_t>{a->id}));
  Reopen();
  EXPECT_EQ(DashboardsOf(insight->id), (std::vector<int64_t>{a->id}));
}

TEST_P(MetaStoreInsightsContract, PlacingAnInsightIsAllOrNothingAndProjectScoped) {
  auto insight = store_->CreateInsight(Insight("Views"));
  auto a = store_->CreateDashboard(Dashboard("A"));
  ASSERT_TRUE(insight.ok() && a.ok());
  Project theirs = OtherProject();
  DashboardRecord their_dashboard = Dashboard("Theirs");
  their_dashboard.team_id = theirs.id;
  auto foreign = store_->CreateDashboard(their_dashboard);
  ASSERT_TRUE(foreign.ok());
  EXPECT_EQ(store_->SetInsightDashboards(project_.id, insight->id, {a->id, foreign->id}).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(DashboardsOf(insight->id).empty()) << "a refused placement changes nothing";
  EXPECT_EQ(store_->SetInsightDashboards(project_.id, 999, {a->id}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetInsightDashboards(theirs.id, insight->id, {foreign->id}).code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->TilesOfDashboard(theirs.id, a->id)->empty());
}

TEST_P(MetaStoreInsightsContract, TextTilesAreCreatedAndUpdated) {
  auto dashboard = store_->CreateDashboard(Dashboard("Notes"));
  ASSERT_TRUE(dashboard.ok());
  DashboardTileRecord text;
  text.dashboard_id = dashboard->id;
  text.text = "# Weekly numbers";
  text.layouts_json = R"({"sm":{"x":0,"y":0,"w":6,"h":2}})";
  auto created = store_->CreateDashboardTile(project_.id, text);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->text, "# Weekly numbers");
  EXPECT_FALSE(created->insight_id.has_value());
  DashboardTileRecord changed = *created;
  changed.color = "blue";
  changed.text = "# Monthly numbers";
  auto updated = store_->UpdateDashboardTile(project_.id, changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->color, "blue");
  EXPECT_EQ(updated->text, "# Monthly numbers");
  EXPECT_EQ(updated->layouts_json, created->layouts_json);

  DashboardTileRecord both = text;
  auto insight = store_->CreateInsight(Insight("Views"));
  ASSERT_TRUE(insight.ok());
  both.insight_id = insight->id;
  EXPECT_EQ(store_->CreateDashboardTile(project_.id, both).status().code(),
            StatusCode::kInvalidArgument);
  DashboardTileRecord empty_text = text;
  empty_text.text = "";
  EXPECT_EQ(store_->CreateDashboardTile(project_.id, empty_text).status().code(),
            StatusCode::kInvalidArgument);
  DashboardTileRecord insight_tile;
  insight_tile.dashboard_id = dashboard->id;
  insight_tile.insight_id = insight->id;
  ASSERT_TRUE(store_->CreateDashboardTile(project_.id, insight_tile).ok());
  EXPECT_EQ(store_->CreateDashboardTile(project_.id, insight_tile).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->TilesOfDashboard(project_.id, dashboard->id)->size(), 2u);
  Project theirs = OtherProject();
  EXPECT_EQ(store_->CreateDashboardTile(theirs.id, text).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateDashboardTile(theirs.id, changed).status().code(), StatusCode::kNotFound);
}

}  // namespace hoglet::meta::contract
