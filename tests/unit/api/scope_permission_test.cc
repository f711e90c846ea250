// Scopes of personal API keys at the HTTP edge: every private route asks for PostHog's scope
// object (read for GET, write otherwise), write implies read, "*" reaches everything, a missing
// scope answers 403 naming it, and organizations stay isolated whatever a key's scopes.
#include "api/scope_permission.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "flags/flags_service.h"
#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;
using Scopes = std::vector<string>;

meta::AuthenticatedKey KeyWith(Scopes scopes) {
  meta::AuthenticatedKey key;
  key.user.id = 1;
  key.key_id = "key-1";
  key.scopes = std::move(scopes);
  return key;
}

http::Request RequestFor(string method, string id = {}) {
  http::Request request;
  request.method = std::move(method);
  if (!id.empty()) request.path_params = {{"id", std::move(id)}};
  return request;
}

TEST(RouteScope, ActionFollowsTheMethodUnlessDeclared) {
  const RouteScope flag = RouteScope::Object("feature_flag");
  const auto reader = KeyWith({"feature_flag:read"});
  EXPECT_TRUE(flag.Authorize(reader, RequestFor("GET")).ok());
  EXPECT_TRUE(flag.Authorize(reader, RequestFor("HEAD")).ok());
  for (const char* method : {"POST", "PATCH", "PUT", "DELETE"}) {
    Status denied = flag.Authorize(reader, RequestFor(method));
    EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << method;
    EXPECT_EQ(denied.message(), "API key missing required scope 'feature_flag:write'");
    EXPECT_EQ(denied.reason(), "permission_denied");
  }
  const RouteScope write = RouteScope::Object("cohort", meta::ScopeAction::kWrite);
  EXPECT_EQ(write.Authorize(KeyWith({"cohort:read"}), RequestFor("GET")).message(),
            "API key missing required scope 'cohort:write'");
  EXPECT_TRUE(write.Authorize(KeyWith({"cohort:write"}), RequestFor("PATCH")).ok());
}

TEST(RouteScope, FullAccessRoutesNeedStar) {
  const RouteScope full = RouteScope::FullAccess();
  EXPECT_TRUE(full.Authorize(KeyWith({"*"}), RequestFor("POST")).ok());
  EXPECT_TRUE(full.Authorize(KeyWith({"query:read", "*"}), RequestFor("GET")).ok());
  Status denied =
      full.Authorize(KeyWith({"feature_flag:write", "project:write"}), RequestFor("GET"));
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("full access"), string::npos) << denied.message();
}

TEST(RouteScope, AnyKeyMayReadItself) {
  const RouteScope own = RouteScope::OwnKeyOrFullAccess();
  const auto scoped = KeyWith({"query:read"});
  EXPECT_TRUE(own.Authorize(scoped, RequestFor("GET", "@current")).ok());
  EXPECT_TRUE(own.Authorize(scoped, RequestFor("GET", "key-1")).ok());
  EXPECT_EQ(own.Authorize(scoped, RequestFor("GET", "key-2")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(own.Authorize(KeyWith({"*"}), RequestFor("GET", "key-2")).ok());
}

class ScopePermission : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
    flags_ = std::make_unique<flags::FlagsService>(*meta_, persons_, clock_);
    context_.flags = flags_.get();
    meta::FeatureFlagRecord flag;
    flag.team_id = project_.id;
    flag.key = "beta";
    flag.filters_json = R"({"groups":[{"properties":[],"rollout_percentage":100}]})";
    auto created = meta_->CreateFeatureFlag(flag);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    flag_id_ = std::to_string(created->id);
    meta::CohortRecord cohort;
    cohort.team_id = project_.id;
    cohort.name = "testers";
    cohort.is_static = true;
    auto stored = meta_->CreateCohort(cohort);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    cohort_id_ = std::to_string(stored->id);
  }

  // A new key of the bootstrap user with exactly these scopes.
  string Key(Scopes scopes) {
    auto created = meta_->CreatePersonalApiKey(1, "scoped", std::move(scopes));
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->plain_key : string();
  }

  // A 403 whose detail names `scope` as missing.
  void ExpectMissingScope(const http::Response& response, const string& scope) {
    EXPECT_EQ(response.status, 403) << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["code"]), "permission_denied") << response.body;
    EXPECT_EQ(string_view(doc->root["detail"]), "API key missing required scope '" + scope + "'")
        << response.body;
  }

  size_t FlagCount() { return meta_->ListFeatureFlags(project_.id, true)->size(); }

  FakePersonStore persons_;
  std::unique_ptr<flags::FlagsService> flags_;
  string flag_id_;
  string cohort_id_;
};

TEST_F(ScopePermission, FlagReadKeyReadsFlagsAndLocalEvaluationButWritesNothing) {
  const string key = Key({"feature_flag:read"});
  const string flags = "/api/projects/1/feature_flags/";
  EXPECT_EQ(Call("GET", flags, key).status, 200);
  EXPECT_EQ(Call("GET", flags + flag_id_ + "/", key).status, 200);
  EXPECT_EQ(Call("GET", flags + flag_id_ + "/remote_config/", key).status, 200);
  for (const string& target : {"/api/feature_flag/local_evaluation/?token=" + project_.api_token,
                               "/flags/definitions?token=" + project_.api_token}) {
    http::Response response = Call("GET", target, key);
    EXPECT_EQ(response.status, 200) << target << " → " << response.body;
    EXPECT_NE(response.body.find("\"beta\""), string::npos) << response.body;
  }

  ExpectMissingScope(Call("POST", flags, key, R"({"key":"new-flag"})"), "feature_flag:write");
  ExpectMissingScope(Call("PATCH", flags + flag_id_ + "/", key, R"({"active":false})"),
                     "feature_flag:write");
  ExpectMissingScope(Call("DELETE", flags + flag_id_ + "/", key), "feature_flag:write");
  EXPECT_EQ(FlagCount(), 1u);
  EXPECT_TRUE(meta_->FeatureFlagById(project_.id, std::stoll(flag_id_))->active);

  ExpectMissingScope(Call("GET", "/api/projects/1/persons/", key), "person:read");
  ExpectMissingScope(Call("GET", "/api/projects/1/events/", key), "query:read");
  ExpectMissingScope(Call("GET", "/api/projects/1/cohorts/", key), "cohort:read");
  ExpectMissingScope(Call("GET", "/api/projects/", key), "project:read");
  ExpectMissingScope(Call("GET", "/api/users/@me/", key), "user:read");
}

TEST_F(ScopePermission, WriteImpliesRead) {
  const string key = Key({"feature_flag:write"});
  const string flags = "/api/projects/1/feature_flags/";
  EXPECT_EQ(Call("GET", flags, key).status, 200);
  EXPECT_EQ(Call("POST", flags, key, R"({"key":"new-flag"})").status, 201);
  EXPECT_EQ(Call("GET", "/flags/definitions?token=" + project_.api_token, key).status, 200);
  EXPECT_EQ(FlagCount(), 2u);
  ExpectMissingScope(Call("GET", "/api/projects/1/persons/", key), "person:read");
}

TEST_F(ScopePermission, LocalEvaluationAnswersPostHogsForbiddenBody) {
  const string key = Key({"query:read"});
  http::Response response =
      Call("GET", "/api/feature_flag/local_evaluation?token=" + project_.api_token, key);
  ASSERT_EQ(response.status, 403) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(string_view(doc->root["type"]), "authentication_error");
  EXPECT_EQ(string_view(doc->root["code"]), "permission_denied");
  EXPECT_EQ(string_view(doc->root["detail"]), "API key missing required scope 'feature_flag:read'");
  ExpectMissingScope(
      Call("GET", "/api/projects/1/feature_flags/" + flag_id_ + "/remote_config/", key),
      "feature_flag:read");
  // The project's secret key is not a personal API key: no scopes apply to it.
  http::Response secret =
      Call("GET", "/flags/definitions?token=" + project_.api_token, project_.secret_api_token);
  EXPECT_EQ(secret.status, 200) << secret.body;
}

// Every private route, the scope PostHog's matching viewset asks for, and a request to it. A key
// with every other scope gets 403 naming the missing one; a key with just that scope (or "*")
// gets past the check (whatever the handler then answers).
TEST_F(ScopePermission, EveryPrivateRouteAsksForItsPostHogScope) {
  struct Route {
    string method;
    string target;
    string scope;
    string body;
  };
  const string p = "/api/projects/1";
  const string flag = p + "/feature_flags/" + flag_id_ + "/";
  const string person = p + "/persons/00000000-0000-4000-8000-000000000001/";
  const string cohort = p + "/cohorts/" + cohort_id_ + "/";
  const std::vector<Route> routes = {
      {"GET", "/api/projects/", "project:read", ""},
      {"POST", "/api/projects/", "project:write", R"({"name":"second"})"},
      {"GET", p + "/", "project:read", ""},
      {"PATCH", p + "/", "project:write", R"({"name":"renamed"})"},
      {"DELETE", "/api/projects/999/", "project:write", ""},
      {"GET", "/api/users/@me/", "user:read", ""},
      // limit=0 is refused before the (absent) event store is read.
      {"GET", p + "/events/?limit=0", "query:read", ""},
      {"GET", p + "/event_definitions/", "event_definition:read", ""},
      {"GET", p + "/property_definitions/", "property_definition:read", ""},
      {"GET", p + "/persons/", "person:read", ""},
      {"GET", person, "person:read", ""},
      {"DELETE", person, "person:write", ""},
      {"GET", p + "/groups/?group_type_index=0", "group:read", ""},
      {"GET", p + "/groups_types/", "group:read", ""},
      {"PATCH", p + "/groups_types/update_metadata/", "group:write", "[]"},
      {"GET", p + "/ingestion_warnings/", "ingestion_warning:read", ""},
      {"GET", p + "/feature_flags/", "feature_flag:read", ""},
      {"POST", p + "/feature_flags/", "feature_flag:write", R"({"key":"from-table"})"},
      {"GET", flag, "feature_flag:read", ""},
      {"PATCH", flag, "feature_flag:write", R"({"name":"x"})"},
      {"PUT", flag, "feature_flag:write", R"({"name":"y"})"},
      {"GET", flag + "remote_config/", "feature_flag:read", ""},
      {"GET", "/api/feature_flag/local_evaluation?token=" + project_.api_token, "feature_flag:read",
       ""},
      {"GET", "/flags/definitions?token=" + project_.api_token, "feature_flag:read", ""},
      {"GET", p + "/cohorts/", "cohort:read", ""},
      {"POST", p + "/cohorts/", "cohort:write", R"({"name":"c","is_static":true})"},
      {"GET", cohort, "cohort:read", ""},
      {"PATCH", cohort, "cohort:write", R"({"name":"d"})"},
      {"PATCH", cohort + "add_persons_to_static_cohort/", "cohort:write",
       R"({"person_ids":["00000000-0000-4000-8000-000000000001"]})"},
      {"DELETE", cohort, "cohort:write", ""},
      {"DELETE", flag, "feature_flag:write", ""},
  };
  const std::vector<string> objects = {"project",
                                       "user",
                                       "query",
                                       "event_definition",
                                       "property_definition",
                                       "person",
                                       "group",
                                       "ingestion_warning",
                                       "feature_flag",
                                       "cohort"};
  for (const Route& route : routes) {
    const string object = route.scope.substr(0, route.scope.find(':'));
    Scopes others;
    for (const string& o : objects) {
      if (o != object) others.push_back(o + ":write");
    }
    if (route.scope.ends_with(":write")) others.push_back(object + ":read");
    http::Response denied = Call(route.method, route.target, Key(others), route.body);
    EXPECT_EQ(denied.status, 403) << route.method << " " << route.target << " → " << denied.body;
    EXPECT_NE(denied.body.find("'" + route.scope + "'"), string::npos)
        << route.method << " " << route.target << " → " << denied.body;

    for (const Scopes& allowed : {Scopes{route.scope}, Scopes{"*"}}) {
      http::Response passed = Call(route.method, route.target, Key(allowed), route.body);
      EXPECT_NE(passed.status, 401) << route.method << " " << route.target << " " << passed.body;
      EXPECT_NE(passed.status, 403) << route.method << " " << route.target << " " << passed.body;
    }
  }
}

TEST_F(ScopePermission, NarrowingAKeyAppliesToItsNextRequest) {
  const string key = Key({"*"});
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", key).status, 200);
  auto keys = meta_->ListPersonalApiKeys(1);
  ASSERT_TRUE(keys.ok());
  const string id = keys->back().id;
  http::Response patched = Call("PATCH", "/api/personal_api_keys/" + id + "/", key_,
                                R"({"scopes":["feature_flag:read"]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  ExpectMissingScope(Call("GET", "/api/projects/1/persons/", key), "person:read");
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/", key).status, 200);
}

TEST_F(ScopePermission, OrganizationsStayIsolatedWhateverTheScopes) {
  string other = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", "/api/projects/1/feature_flags/", other).status, 404);
  EXPECT_EQ(Call("GET", "/flags/definitions?token=" + project_.api_token, other).status, 401);
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", other).status, 404);
}

}  // namespace
}  // namespace hoglet::api::testing
