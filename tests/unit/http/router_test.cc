#include "http/router.h"

#include <gtest/gtest.h>

namespace hoglet::http {
namespace {

Response Call(const Router& router, std::string method, std::string path, Headers headers = {}) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  request.headers = std::move(headers);
  Response out;
  router.Dispatch(std::move(request), [&out](Response r) { out = std::move(r); });
  return out;
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

Router MakeRouter() {
  Router router;
  router.Add({"GET"}, "/api/projects/{project_id}/events", [](Request&& req, Responder respond) {
    respond(Response::Json(200, "events of " + std::string(req.PathParam("project_id"))));
  });
  router.Add({"POST"}, "/batch",
             [](Request&&, Responder respond) { respond(Response::Json(200, "batch")); });
  return router;
}

TEST(Router, CapturesParametersWithOrWithoutTrailingSlash) {
  Router router = MakeRouter();
  EXPECT_EQ(Call(router, "GET", "/api/projects/7/events/").body, "events of 7");
  EXPECT_EQ(Call(router, "GET", "/api/projects/@current/events").body, "events of @current");
  EXPECT_EQ(Call(router, "POST", "/batch/").body, "batch");
  EXPECT_EQ(Call(router, "POST", "/batch").body, "batch");
}

TEST(Router, UnknownPathIs404AndWrongMethodIs405) {
  Router router = MakeRouter();
  EXPECT_EQ(Call(router, "GET", "/nope").status, 404);
  EXPECT_EQ(Call(router, "GET", "/api/projects/7").status, 404);
  EXPECT_EQ(Call(router, "DELETE", "/batch/").status, 405);
}

TEST(Router, HeadIsServedByGetRoutes) {
  Router router = MakeRouter();
  EXPECT_EQ(Call(router, "HEAD", "/api/projects/1/events").status, 200);
}

TEST(Router, PreflightAndCorsMirrorOrigin) {
  Router router = MakeRouter();
  Response preflight = Call(router, "OPTIONS", "/batch/",
                            {{"Origin", "https://site.test"},
                             {"Access-Control-Request-Headers", "content-type,x-custom"}});
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(HeaderOf(preflight, "Access-Control-Allow-Origin"), "https://site.test");
  EXPECT_EQ(HeaderOf(preflight, "Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(HeaderOf(preflight, "Access-Control-Allow-Headers"), "content-type,x-custom");
  Response missing = Call(router, "GET", "/nope", {{"origin", "https://other.test"}});
  EXPECT_EQ(HeaderOf(missing, "Access-Control-Allow-Origin"), "https://other.test");
}

TEST(Request, ClientIpPrefersFirstForwardedHop) {
  Request request;
  request.peer_ip = "10.0.0.1";
  EXPECT_EQ(request.ClientIp(), "10.0.0.1");
  request.headers = {{"x-forwarded-for", " 203.0.113.7 , 10.0.0.2"}};
  EXPECT_EQ(request.ClientIp(), "203.0.113.7");
}

}  // namespace
}  // namespace hoglet::http
