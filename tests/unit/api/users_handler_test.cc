// GET /api/users/@me/: the caller, their organization and their current project.
#include "api/users_handler.h"

#include <gtest/gtest.h>

#include <string>

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
