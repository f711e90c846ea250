// /api/projects/: authentication, create/update/delete round trips, validation errors that name
// their field, "@current", and isolation between organizations.
#include "api/projects_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/project_json.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class ProjectsHandler : public ApiFixture {
 protected:
  string ProjectPath(int64_t id) { return "/api/projects/" + std::to_string(id) + "/"; }
};

TEST_F(ProjectsHandler, RequiresAPersonalApiKey) {
  const std::vector<std::pair<string, string>> calls = {
      {"GET", "/api/projects/"},     {"POST", "/api/projects/"},     {"GET", "/api/projects/1/"},
      {"PATCH", "/api/projects/1/"}, {"DELETE", "/api/projects/1/"},
  };
  for (const auto& [method, path] : calls) {
    http::Response anonymous = Call(method, path, "", R"({"name":"x"})");
    EXPECT_EQ(anonymous.status, 401) << method << " " << path;
    http::Response with_project_token = Call(method, path, project_.api_token, R"({"name":"x"})");
    EXPECT_EQ(with_project_token.status, 401) << method << " " << path;
    auto doc = ParseJson(with_project_token.body);
    EXPECT_EQ(string_view(doc->root["type"]), "authentication_error");
    http::Response unknown = Call(method, path, "phx_notarealkey000000", R"({"name":"x"})");
    EXPECT_EQ(unknown.status, 401) << method << " " << path;
  }
  EXPECT_EQ(meta_->ProjectsOfOrganization(project_.organization_id)->size(), 1u);
  EXPECT_EQ(meta_->ProjectById(1)->name, project_.name);
}

TEST_F(ProjectsHandler, CreatePatchDeleteRoundTrip) {
  http::Response created =
      Call("POST", "/api/projects/", key_, R"({"name":"Shop","timezone":"Europe/Paris"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  int64_t id = int64_t(doc->root["id"]);
  EXPECT_GT(id, 1);
  EXPECT_EQ(string_view(doc->root["name"]), "Shop");
  EXPECT_EQ(string_view(doc->root["timezone"]), "Europe/Paris");
  EXPECT_EQ(string_view(doc->root["organization"]), project_.organization_id);
  string api_token(string_view(doc->root["api_token"]));
  EXPECT_EQ(api_token.rfind("phc_", 0), 0u) << api_token;
  EXPECT_EQ(string_view(doc->root["secret_api_token"]).rfind("phs_", 0), 0u);
  EXPECT_EQ(meta_->ProjectByToken(api_token)->id, id);

  http::Response patched = Call("PATCH", ProjectPath(id), key_, R"json({
      "name": "Shop (prod)", "week_start_day": 1, "anonymize_ips": true,
      "person_processing_opt_out": true, "unknown_field": {"ignored": true},
      "test_account_filters": [{"key": "email", "value": "@example.com",
                                "operator": "not_icontains", "type": "person"}]})json");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto fetched_response = Call("GET", ProjectPath(id), key_);
  ASSERT_EQ(fetched_response.status, 200);
  auto fetched = ParseJson(fetched_response.body);
  EXPECT_EQ(string_view(fetched->root["name"]), "Shop (prod)");
  EXPECT_EQ(string_view(fetched->root["timezone"]), "Europe/Paris");
  EXPECT_EQ(int64_t(fetched->root["week_start_day"]), 1);
  EXPECT_TRUE(bool(fetched->root["anonymize_ips"]));
  EXPECT_TRUE(bool(fetched->root["person_processing_opt_out"]));
  EXPECT_EQ(string_view(fetched->root["test_account_filters"].at(0)["operator"]), "not_icontains");
  auto stored = meta_->ProjectById(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->week_start_day, 1);
  EXPECT_TRUE(stored->anonymize_ips);

  auto list = ParseJson(Call("GET", "/api/projects/", key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 2);
  EXPECT_TRUE(list->root["results"].at(0)["secret_api_token"].error() == simdjson::NO_SUCH_FIELD);

  http::Response deleted = Call("DELETE", ProjectPath(id), key_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(Call("GET", ProjectPath(id), key_).status, 404);
  EXPECT_EQ(Call("DELETE", ProjectPath(id), key_).status, 404);
  EXPECT_FALSE(meta_->ProjectByToken(api_token).ok());
  auto after = ParseJson(Call("GET", "/api/projects/", key_).body);
  EXPECT_EQ(int64_t(after->root["count"]), 1);
}

TEST_F(ProjectsHandler, ValidationErrorsNameTheFieldAndChangeNothing) {
  struct Case {
    string body;
    string attr;
  };
  const std::vector<Case> cases = {
      {R"({"name":""})", "name"},
      {R"({"name":5})", "name"},
      {R"({"name":")" + string(201, 'n') + R"("})", "name"},
      {R"({"timezone":""})", "timezone"},
      {R"({"timezone":"paris"})", "timezone"},
      {R"({"timezone":"Europe/Paris Nord"})", "timezone"},
      {R"({"timezone":"Europe"})", "timezone"},
      {R"({"timezone":null})", "timezone"},
      {R"({"week_start_day":2})", "week_start_day"},
      {R"({"week_start_day":"1"})", "week_start_day"},
      {R"({"week_start_day":1.5})", "week_start_day"},
      {R"({"anonymize_ips":"yes"})", "anonymize_ips"},
      {R"({"person_processing_opt_out":1})", "person_processing_opt_out"},
      {R"({"test_account_filters":{}})", "test_account_filters"},
      {R"({"test_account_filters":"[]"})", "test_account_filters"},
      // A valid field before an invalid one is not applied either.
      {R"({"name":"Changed","anonymize_ips":"yes"})", "anonymize_ips"},
  };
  for (const Case& c : cases) {
    http::Response response = Call("PATCH", "/api/projects/1/", key_, c.body);
    ASSERT_EQ(response.status, 400) << c.body << " → " << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["type"]), "validation_error") << c.body;
    EXPECT_EQ(string_view(doc->root["code"]), "invalid_input") << c.body;
    EXPECT_EQ(string_view(doc->root["attr"]), c.attr) << c.body;
    EXPECT_FALSE(string_view(doc->root["detail"]).empty());
  }
  EXPECT_EQ(*meta_->ProjectById(1), project_);

  // Creation validates in the same way and creates nothing on failure.
  http::Response bad_create =
      Call("POST", "/api/projects/", key_, R"({"name":"New","timezone":"Nowhere"})");
  EXPECT_EQ(bad_create.status, 400);
  EXPECT_EQ(string_view(ParseJson(bad_create.body)->root["attr"]), "timezone");
  http::Response nameless = Call("POST", "/api/projects/", key_, R"({"timezone":"UTC"})");
  EXPECT_EQ(nameless.status, 400);
  auto nameless_doc = ParseJson(nameless.body);
  EXPECT_EQ(string_view(nameless_doc->root["attr"]), "name");
  EXPECT_EQ(string_view(nameless_doc->root["code"]), "required");
  EXPECT_EQ(meta_->ProjectsOfOrganization(project_.organization_id)->size(), 1u);
}

TEST_F(ProjectsHandler, MalformedBodiesAre400WithAMessage) {
  const std::vector<string> bodies = {
      "{",
      "[1, 2]",
      "\"name\"",
      "{\"name\": \"a\",}",
      "{\"name\": \"\xff\xfe\"}",
      R"({"test_account_filters": )" + string(100, '[') + string(100, ']') + "}",
  };
  for (const string& body : bodies) {
    for (const char* method : {"PATCH", "POST"}) {
      string path = string(method) == "PATCH" ? "/api/projects/1/" : "/api/projects/";
      http::Response response = Call(method, path, key_, body);
      ASSERT_EQ(response.status, 400) << method << " " << body << " → " << response.body;
      auto doc = ParseJson(response.body);
      EXPECT_EQ(string_view(doc->root["code"]), "parse_error");
      EXPECT_TRUE(doc->root["attr"].is_null());
      EXPECT_FALSE(string_view(doc->root["detail"]).empty());
    }
  }
  EXPECT_EQ(*meta_->ProjectById(1), project_);
  EXPECT_EQ(meta_->ProjectsOfOrganization(project_.organization_id)->size(), 1u);
}

TEST_F(ProjectsHandler, EmptyPatchChangesNothingAndNullWeekStartIsSunday) {
  ASSERT_EQ(Call("PATCH", "/api/projects/1/", key_, R"({"week_start_day":1})").status, 200);
  ASSERT_EQ(meta_->ProjectById(1)->week_start_day, 1);
  http::Response empty = Call("PATCH", "/api/projects/1/", key_, "");
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(meta_->ProjectById(1)->week_start_day, 1);
  http::Response reset = Call("PATCH", "/api/projects/1/", key_, R"({"week_start_day":null})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(int64_t(ParseJson(reset.body)->root["week_start_day"]), 0);
  EXPECT_EQ(meta_->ProjectById(1)->week_start_day, 0);
}

TEST_F(ProjectsHandler, CurrentNamesTheOrganizationsFirstProject) {
  http::Response got = Call("GET", "/api/projects/@current/", key_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(int64_t(ParseJson(got.body)->root["id"]), 1);
  http::Response patched =
      Call("PATCH", "/api/projects/@current/", key_, R"({"timezone":"America/New_York"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(meta_->ProjectById(1)->timezone, "America/New_York");
}

TEST_F(ProjectsHandler, AnotherOrganizationCannotSeeOrChangeProjectOne) {
  string other_key = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", "/api/projects/1/", other_key).status, 404);
  EXPECT_EQ(Call("PATCH", "/api/projects/1/", other_key, R"({"name":"Mine"})").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/projects/1/", other_key).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/@current/", other_key).status, 404);
  auto list = ParseJson(Call("GET", "/api/projects/", other_key).body);
  EXPECT_EQ(int64_t(list->root["count"]), 0);
  EXPECT_EQ(*meta_->ProjectById(1), project_);

  // A project the other organization creates is theirs alone.
  http::Response created = Call("POST", "/api/projects/", other_key, R"({"name":"Theirs"})");
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t id = int64_t(ParseJson(created.body)->root["id"]);
  EXPECT_EQ(Call("GET", ProjectPath(id), other_key).status, 200);
  EXPECT_EQ(Call("GET", ProjectPath(id), key_).status, 404);
  EXPECT_EQ(Call("DELETE", ProjectPath(id), key_).status, 404);
  EXPECT_TRUE(meta_->ProjectById(id).ok());
  EXPECT_EQ(int64_t(ParseJson(Call("GET", "/api/projects/", key_).body)->root["count"]), 1);
}

TEST(ProjectTimezone, AcceptsNamesOfTheTzDatabaseOnly) {
  for (const char* name : {"UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                           "America/Port-au-Prince", "US/Eastern", "GMT"}) {
    EXPECT_TRUE(IsTimezoneName(name)) << name;
  }
  for (const char* name :
       {"", "utc", "Paris", "europe/paris", "Europe/", "/Paris", "Europe//Paris", "Europe/Paris ",
        "Europe/../etc", "Mars/Olympus_Mons", "../../etc/passwd",
        "Area/"
        "Ci\xc3\xa9"}) {
    EXPECT_FALSE(IsTimezoneName(name)) << name;
  }
  EXPECT_FALSE(IsTimezoneName("Europe/" + string(60, 'P')));
}

}  // namespace
}  // namespace hoglet::api::testing
