// List bodies, page links and `search` matching, shared by every list endpoint.
#include "api/pagination.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hoglet::api {
namespace {

http::Request ListRequest(std::string query) {
  http::Request request;
  request.method = "GET";
  request.path = "/api/projects/1/cohorts";
  request.query = std::move(query);
  request.headers.emplace_back("Host", "hoglet.test");
  return request;
}

TEST(Pagination, LinksKeepTheOtherParametersAndMoveTheOffset) {
  http::Request request = ListRequest("search=a%20b&limit=2&offset=3");
  QueryParams params = request.Params();
  PageLinks links = LinksFor(request, params, {.limit = 2, .offset = 3}, /*has_more=*/true);
  EXPECT_EQ(links.next, "http://hoglet.test/api/projects/1/cohorts/?search=a%20b&limit=2&offset=5");
  EXPECT_EQ(links.previous,
            "http://hoglet.test/api/projects/1/cohorts/?search=a%20b&limit=2&offset=1");
  PageLinks first = LinksFor(request, params, {.limit = 2, .offset = 0}, /*has_more=*/false);
  EXPECT_EQ(first.next, std::nullopt);
  EXPECT_EQ(first.previous, std::nullopt);
}

TEST(Pagination, PageOfAListHeldInMemory) {
  http::Request request = ListRequest("limit=2&offset=1");
  std::vector<int> items = {10, 20, 30, 40};
  http::Response response =
      PageOfListResponse(request, request.Params(), {.limit = 2, .offset = 1}, items,
                         [](int item, JsonWriter* w) { w->Int(item); });
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body,
            R"({"count":4,"next":"http://hoglet.test/api/projects/1/cohorts/?limit=2&offset=3",)"
            R"("previous":"http://hoglet.test/api/projects/1/cohorts/?limit=2&offset=0",)"
            R"("results":[20,30]})");
}

TEST(Pagination, UncountedAndUnpagedLists) {
  EXPECT_EQ(ListResponse(std::nullopt, {}, [](JsonWriter* w) { w->Int(1); }).body,
            R"({"next":null,"previous":null,"results":[1]})");
  EXPECT_EQ(ListResponse(0, {}, [](JsonWriter*) {}).body,
            R"({"count":0,"next":null,"previous":null,"results":[]})");
}

TEST(Pagination, SearchIgnoresAsciiCase) {
  EXPECT_TRUE(MatchesSearch("Beta Testers", "TEST"));
  EXPECT_TRUE(MatchesSearch("anything", ""));
  EXPECT_TRUE(MatchesSearch("", ""));
  EXPECT_FALSE(MatchesSearch("beta", "alpha"));
  EXPECT_FALSE(MatchesSearch("", "a"));
}

}  // namespace
}  // namespace hoglet::api
