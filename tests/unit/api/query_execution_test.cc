// The parts of api/query_execution.h that need no stores: refresh modes and how a query spec is
// unwrapped and matched to the runner of its kind.
#include "api/query_execution.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

TEST(QueryExecution, RefreshModesAreReadByPostHogsNames) {
  EXPECT_EQ(*ParseRefresh("blocking"), Refresh::kBlocking);
  EXPECT_EQ(*ParseRefresh("force_blocking"), Refresh::kForceBlocking);
  EXPECT_EQ(*ParseRefresh("true"), Refresh::kForceBlocking);
  EXPECT_EQ(*ParseRefresh("lazy_async"), Refresh::kAsync);
  EXPECT_EQ(*ParseRefresh("force_cache"), Refresh::kForceCache);
  EXPECT_EQ(*ParseRefresh("async_except_on_cache_miss"), Refresh::kAsyncExceptOnCacheMiss);
  auto unknown = ParseRefresh("sometimes");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("force_cache"), std::string::npos);
}

TEST(QueryExecution, DisplayNodesAreUnwrappedToTheQueryTheyShow) {
  auto prepared = PrepareQuery(std::string_view(
      R"({"kind":"InsightVizNode","source":{"kind":"TrendsQuery", "series":[]}})"));
  ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
  EXPECT_EQ(prepared->kind, "TrendsQuery");
  EXPECT_EQ(prepared->spec_json, R"({"kind":"TrendsQuery","series":[]})");
  EXPECT_NE(prepared->runner, nullptr);
  auto bare = PrepareQuery(std::string_view(R"({"kind":"TrendsQuery","series":[]})"));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->spec_json, prepared->spec_json) << "wrapped or not, one cache entry";
}

TEST(QueryExecution, QueriesThatCannotRunAreRefusedWithAReason) {
  auto unknown = PrepareQuery(std::string_view(R"({"kind":"NoSuchQuery"})"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().reason(), "unsupported_query_kind");
  EXPECT_NE(unknown.status().message().find("NoSuchQuery"), std::string::npos);
  for (const char* spec : {"[]", "{", R"({"source":{}})", R"({"kind":"InsightVizNode"})"}) {
    auto refused = PrepareQuery(std::string_view(spec));
    ASSERT_FALSE(refused.ok()) << spec;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << spec;
  }
}

}  // namespace
}  // namespace hoglet::api
