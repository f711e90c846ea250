// GET /api/users/@me/: the caller, their organization and their current project; PATCH: the
// password changed with the current one.
#include "api/users_handler.h"

#include <gtest/gtest.h>

#include <string>

#include "api/login_rate_limiter.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class UsersHandler : public ApiFixture {};

TEST_F(UsersHandler, RequiresAPersonalApiKey) {
  EXPECT_EQ(Call("GET", "/api/users/@me/", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/users/@me/", project_.api_token).status, 401);
}

TEST_F(UsersHandler, MeDescribesUserOrganizationAndCurrentProject) {
  http::Response response = Call("GET", "/api/users/@me/", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  auto user = meta_->UserById(1);
  ASSERT_TRUE(user.ok());
  auto org = meta_->OrganizationById(project_.organization_id);
  ASSERT_TRUE(org.ok());

  EXPECT_EQ(int64_t(doc->root["id"]), 1);
  EXPECT_EQ(string_view(doc->root["uuid"]), user->uuid);
  EXPECT_EQ(string_view(doc->root["email"]), "admin@localhost");
  EXPECT_EQ(string_view(doc->root["first_name"]), user->first_name);
  EXPECT_EQ(string_view(doc->root["organization"]["id"]), org->id);
  EXPECT_EQ(string_view(doc->root["organization"]["name"]), org->name);
  EXPECT_EQ(simdjson::dom::array(doc->root["organization"]["teams"]).size(), 1u);
  EXPECT_EQ(int64_t(doc->root["team"]["id"]), 1);
  EXPECT_EQ(string_view(doc->root["team"]["name"]), project_.name);
  EXPECT_EQ(string_view(doc->root["team"]["api_token"]), project_.api_token);
  EXPECT_EQ(doc->root["team"]["secret_api_token"].error(), simdjson::NO_SUCH_FIELD);
  simdjson::dom::array organizations = doc->root["organizations"];
  ASSERT_EQ(organizations.size(), 1u);
  EXPECT_EQ(string_view(organizations.at(0)["id"]), org->id);
  EXPECT_EQ(response.body.find(project_.secret_api_token), string::npos);

  // The user's own uuid names them too; anything else is not found.
  EXPECT_EQ(Call("GET", "/api/users/" + user->uuid + "/", key_).status, 200);
  EXPECT_EQ(Call("GET", "/api/users/2/", key_).status, 404);
}

TEST_F(UsersHandler, PasswordChangesWithTheCurrentOneAndEndsTheSessions) {
  LoginRateLimiter limiter(clock_);
  context_.login_limiter = &limiter;
  ASSERT_TRUE(meta_->SetUserPassword(1, "first password").ok());
  auto session = meta_->CreateSession(1, int64_t{3600} * 1'000'000);
  ASSERT_TRUE(session.ok());
  auto change = [&](const string& body) { return Call("PATCH", "/api/users/@me/", key_, body); };
  auto attr_of = [](const http::Response& response) {
    return string(string_view(ParseJson(response.body)->root["attr"]));
  };

  http::Response wrong = change(R"({"current_password": "nope", "password": "second password"})");
  ASSERT_EQ(wrong.status, 400) << wrong.body;
  EXPECT_EQ(attr_of(wrong), "current_password");
  EXPECT_NE(wrong.body.find("Your current password is incorrect"), string::npos);
  http::Response missing = change(R"({"password": "second password"})");
  ASSERT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(attr_of(missing), "current_password");
  http::Response short_one = change(R"({"current_password": "first password", "password": "x"})");
  ASSERT_EQ(short_one.status, 400) << short_one.body;
  EXPECT_EQ(attr_of(short_one), "password");
  http::Response other = change(R"({"email": "me@example.com"})");
  ASSERT_EQ(other.status, 400) << other.body;
  EXPECT_EQ(attr_of(other), "email");
  EXPECT_TRUE(meta_->AuthenticatePassword("admin@localhost", "first password").ok());
  EXPECT_TRUE(meta_->SessionByToken(session->token).ok());

  http::Response changed =
      change(R"({"current_password": "first password", "password": "second password"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(string_view(ParseJson(changed.body)->root["email"]), "admin@localhost");
  EXPECT_FALSE(meta_->AuthenticatePassword("admin@localhost", "first password").ok());
  EXPECT_TRUE(meta_->AuthenticatePassword("admin@localhost", "second password").ok());
  EXPECT_FALSE(meta_->SessionByToken(session->token).ok());
  EXPECT_EQ(Call("GET", "/api/users/@me/", key_).status, 200);  // the key keeps working
  EXPECT_EQ(Call("PATCH", "/api/users/2/", key_, "{}").status, 404);

  // Changed from a session, the answer starts a new one; the old session is gone.
  auto browser = meta_->CreateSession(1, int64_t{3600} * 1'000'000);
  ASSERT_TRUE(browser.ok());
  http::Response from_session =
      Send("PATCH", "/api/users/@me/",
           {{"Cookie", "sessionid=" + browser->token}, {"X-CSRFToken", browser->csrf_token}},
           R"({"current_password": "second password", "password": "third password"})");
  ASSERT_EQ(from_session.status, 200) << from_session.body;
  EXPECT_FALSE(meta_->SessionByToken(browser->token).ok());
  std::string renewed;
  for (const auto& [name, value] : from_session.headers) {
    if (name == "Set-Cookie" && value.rfind("sessionid=", 0) == 0) {
      renewed = value.substr(10, value.find(';') - 10);
    }
  }
  ASSERT_FALSE(renewed.empty());
  EXPECT_TRUE(meta_->SessionByToken(renewed).ok());
  EXPECT_TRUE(meta_->AuthenticatePassword("admin@localhost", "third password").ok());

  // Wrong current passwords count as failed logins: past the limit, 429.
  int status = 0;
  for (int i = 0; i < 20 && status != 429; ++i) {
    status = change(R"({"current_password": "guess", "password": "third password"})").status;
  }
  EXPECT_EQ(status, 429);
}

TEST_F(UsersHandler, TeamIsNullUntilTheOrganizationHasAProject) {
  string other_key = SecondOrganizationKey();
  http::Response before = Call("GET", "/api/users/@me/", other_key);
  ASSERT_EQ(before.status, 200) << before.body;
  auto doc = ParseJson(before.body);
  EXPECT_EQ(string_view(doc->root["email"]), "other@example.com");
  EXPECT_EQ(string_view(doc->root["organization"]["name"]), "Other org");
  EXPECT_TRUE(doc->root["team"].is_null());

  ASSERT_EQ(Call("POST", "/api/projects/", other_key, R"({"name":"Theirs"})").status, 201);
  auto after = ParseJson(Call("GET", "/api/users/@me/", other_key).body);
  EXPECT_EQ(string_view(after->root["team"]["name"]), "Theirs");
  EXPECT_NE(int64_t(after->root["team"]["id"]), 1);
}

}  // namespace
}  // namespace hoglet::api::testing
