// /api/projects/{id}/annotations/: PostHog's annotation JSON, create / patch / soft-delete round
// trips, the insight and dashboard an annotation names, organization-scoped annotations seen from
// the organization's other projects, the list filters, the 400s naming the field, scopes and
// isolation.
#include "api/annotations_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class AnnotationsHandler : public ApiFixture {
 protected:
  // POSTs `body` to `collection` of `project`; the new id (0 on failure).
  int64_t Create(const string& body, const string& collection = "annotations",
                 int64_t project = 1) {
    http::Response response = Call(
        "POST", "/api/projects/" + std::to_string(project) + "/" + collection + "/", key_, body);
    EXPECT_EQ(response.status, 201) << body << " → " << response.body;
    if (response.status != 201) return 0;
    return int64_t(ParseJson(response.body)->root["id"]);
  }
  static string Path(int64_t id, int64_t project = 1) {
    return "/api/projects/" + std::to_string(project) + "/annotations/" + std::to_string(id) + "/";
  }
  // The contents of the annotations a list request answers, in order.
  std::vector<string> Listed(const string& query, int64_t project = 1) {
    http::Response response =
        Call("GET", "/api/projects/" + std::to_string(project) + "/annotations/" + query, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<string> contents;
    auto doc = ParseJson(response.body);
    simdjson::dom::array results;
    if (doc->root["results"].get(results) != simdjson::SUCCESS) return contents;
    for (simdjson::dom::element a : results) contents.emplace_back(string_view(a["content"]));
    return contents;
  }
  string Attr(const http::Response& response) {
    auto doc = ParseJson(response.body);
    string_view attr;
    return doc->root["attr"].get(attr) == simdjson::SUCCESS ? string(attr) : string();
  }
};

TEST_F(AnnotationsHandler, CreateAnswersPostHogsAnnotationShape) {
  int64_t insight = Create(R"({"name":"Views","query":{"kind":"InsightVizNode","source":)"
                           R"({"kind":"TrendsQuery","series":[]}}})",
                           "insights");
  http::Response response =
      Call("POST", "/api/projects/1/annotations/", key_,
           R"({"content":"Release 1.2","date_marker":"2026-03-01T10:00:00+02:00",)"
           R"("dashboard_item":)" +
               std::to_string(insight) + R"(,"emoji":"🚀"})");
  ASSERT_EQ(response.status, 201) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::element a = doc->root;
  EXPECT_EQ(string_view(a["content"]), "Release 1.2");
  EXPECT_EQ(string_view(a["date_marker"]), "2026-03-01T08:00:00.000000+00:00");
  EXPECT_EQ(string_view(a["scope"]), "dashboard_item") << "PostHog's default scope";
  EXPECT_EQ(string_view(a["creation_type"]), "USR");
  EXPECT_EQ(int64_t(a["dashboard_item"]), insight);
  EXPECT_EQ(string_view(a["insight_name"]), "Views");
  EXPECT_EQ(string_view(a["insight_short_id"]).size(), 8u);
  EXPECT_TRUE(a["dashboard_id"].is_null());
  EXPECT_TRUE(a["dashboard_name"].is_null());
  EXPECT_EQ(string_view(a["emoji"]), "🚀");
  EXPECT_TRUE(a["hidden_in_user_interface"].is_null());
  EXPECT_FALSE(bool(a["deleted"]));
  EXPECT_EQ(string_view(a["created_by"]["email"]), "admin@localhost");
  EXPECT_FALSE(string_view(a["created_at"]).empty());
  EXPECT_FALSE(string_view(a["updated_at"]).empty());
}

TEST_F(AnnotationsHandler, PatchDeleteAndTheListNewestFirstWithItsFilters) {
  int64_t first = Create(R"({"content":"Launch","scope":"project",)"
                         R"("date_marker":"2026-01-01T00:00:00Z"})");
  int64_t second = Create(R"({"content":"Incident","scope":"project",)"
                          R"("date_marker":"2026-02-01T00:00:00Z"})");
  Create(R"({"content":"Pricing","scope":"organization","date_marker":"2026-03-01T00:00:00Z"})");
  EXPECT_EQ(Listed(""), (std::vector<string>{"Pricing", "Incident", "Launch"}));
  EXPECT_EQ(Listed("?search=incid"), (std::vector<string>{"Incident"}));
  EXPECT_EQ(Listed("?scope=organization"), (std::vector<string>{"Pricing"}));
  EXPECT_EQ(Listed("?after=2026-01-15T00:00:00Z&before=2026-02-15T00:00:00Z"),
            (std::vector<string>{"Incident"}));

  http::Response patched = Call("PATCH", Path(first), key_, R"({"content":"Launch day"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(string_view(ParseJson(patched.body)->root["date_marker"]),
            "2026-01-01T00:00:00.000000+00:00")
      << "fields absent from the body stay";
  EXPECT_EQ(Call("PATCH", Path(second), key_, R"({"deleted":true})").status, 200);
  EXPECT_EQ(Call("DELETE", Path(first), key_).status, 405) << "deleting is a PATCH in PostHog";
  EXPECT_EQ(Call("DELETE", Path(999), key_).status, 404);
  EXPECT_EQ(Listed(""), (std::vector<string>{"Pricing", "Launch day"}));
  http::Response kept = Call("GET", Path(second), key_);
  ASSERT_EQ(kept.status, 200);
  EXPECT_TRUE(bool(ParseJson(kept.body)->root["deleted"]));
}

TEST_F(AnnotationsHandler, OrganizationAnnotationsShowInTheOrganizationsOtherProjects) {
  auto sibling = meta_->CreateProject(project_.organization_id, "Sibling");
  ASSERT_TRUE(sibling.ok()) << sibling.status().ToString();
  Create(R"({"content":"Everywhere","scope":"organization"})");
  Create(R"({"content":"Only here","scope":"project"})");
  EXPECT_EQ(Listed("", sibling->id), (std::vector<string>{"Everywhere"}));
}

TEST_F(AnnotationsHandler, MalformedFieldsAre400sNamingThem) {
  const std::pair<string, string> cases[] = {
      {R"({"scope":"recording"})", "scope"},
      {R"({"scope":7})", "scope"},
      {R"({"creation_type":"BOT"})", "creation_type"},
      {R"({"date_marker":"yesterday"})", "date_marker"},
      {R"({"content":")" + string(8193, 'a') + R"("})", "content"},
      {R"({"emoji":")" + string(70, 'x') + R"("})", "emoji"},
      {R"({"dashboard_item":"seven"})", "dashboard_item"},
      {R"({"hidden_in_user_interface":"yes"})", "hidden_in_user_interface"},
  };
  for (const auto& [body, attr] : cases) {
    http::Response response = Call("POST", "/api/projects/1/annotations/", key_, body);
    EXPECT_EQ(response.status, 400) << body << " → " << response.body;
    EXPECT_EQ(Attr(response), attr) << body;
  }
  EXPECT_EQ(Call("POST", "/api/projects/1/annotations/", key_, R"({"dashboard_item":999})").status,
            404);
  EXPECT_EQ(Call("POST", "/api/projects/1/annotations/", key_, "[1]").status, 400);
}

TEST_F(AnnotationsHandler, KeysNeedTheScopeAndOtherOrganizationsSeeNothing) {
  int64_t id = Create(R"({"content":"Launch","scope":"organization"})");
  auto reader = meta_->CreatePersonalApiKey(1, "reader", {"annotation:read"});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Call("GET", Path(id), reader->plain_key).status, 200);
  http::Response refused = Call("PATCH", Path(id), reader->plain_key, R"({"content":"x"})");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("annotation:write"), string::npos) << refused.body;
  EXPECT_EQ(Call("GET", "/api/projects/1/annotations/", project_.api_token).status, 401);
  string theirs = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", Path(id), theirs).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/1/annotations/", theirs).status, 404);
  EXPECT_EQ(Call("PATCH", Path(id), theirs, R"({"deleted":true})").status, 404);
}

}  // namespace
}  // namespace hoglet::api::testing
