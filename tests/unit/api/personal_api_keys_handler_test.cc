// /api/personal_api_keys/: the plain key is shown once, lists carry only masks, deleting a key
// revokes it at once, and a user sees and deletes only their own keys.
#include "api/personal_api_keys_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class PersonalApiKeysHandler : public ApiFixture {};

TEST_F(PersonalApiKeysHandler, RequiresAPersonalApiKey) {
  EXPECT_EQ(Call("GET", "/api/personal_api_keys/", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/personal_api_keys/", project_.api_token).status, 401);
  EXPECT_EQ(Call("POST", "/api/personal_api_keys/", "", R"({"label":"x"})").status, 401);
  EXPECT_EQ(Call("POST", "/api/personal_api_keys/", project_.api_token, R"({"label":"x"})").status,
            401);
  EXPECT_EQ(Call("DELETE", "/api/personal_api_keys/anything/", "").status, 401);
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->size(), 1u);
}

TEST_F(PersonalApiKeysHandler, CreateListDeleteAndRevoke) {
  http::Response created = Call("POST", "/api/personal_api_keys/", key_, R"({"label":"ci"})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  string value(string_view(doc->root["value"]));
  string id(string_view(doc->root["id"]));
  EXPECT_EQ(value.rfind("phx_", 0), 0u) << value;
  EXPECT_EQ(string_view(doc->root["label"]), "ci");
  EXPECT_EQ(string_view(doc->root["mask_value"]), "phx_..." + value.substr(value.size() - 4));
  EXPECT_TRUE(doc->root["last_used_at"].is_null());

  // The new key works on its own.
  EXPECT_EQ(Call("GET", "/api/projects/", value).status, 200);

  http::Response listed = Call("GET", "/api/personal_api_keys/", key_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.find(value), string::npos) << "a list must never carry a plain key";
  EXPECT_EQ(listed.body.find(key_), string::npos);
  auto list = ParseJson(listed.body);
  simdjson::dom::array keys = list->root.get_array();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(string_view(keys.at(1)["id"]), id);
  EXPECT_EQ(keys.at(1)["value"].error(), simdjson::NO_SUCH_FIELD);
  // The bootstrap key authenticated this very request, so its last use is recorded.
  EXPECT_FALSE(keys.at(0)["last_used_at"].is_null());

  http::Response one = Call("GET", "/api/personal_api_keys/" + id + "/", key_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(string_view(ParseJson(one.body)->root["label"]), "ci");

  http::Response deleted = Call("DELETE", "/api/personal_api_keys/" + id + "/", key_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(Call("GET", "/api/projects/", value).status, 401);
  EXPECT_EQ(Call("GET", "/api/personal_api_keys/" + id + "/", key_).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/personal_api_keys/" + id + "/", key_).status, 404);
  EXPECT_EQ(ParseJson(Call("GET", "/api/personal_api_keys/", key_).body)->root.get_array().size(),
            1u);
}

TEST_F(PersonalApiKeysHandler, ALabelIsRequiredAndBounded) {
  struct Case {
    string body;
    string code;
  };
  const std::vector<Case> cases = {
      {R"({})", "required"},
      {R"({"label":5})", "invalid_input"},
      {R"({"label":null})", "invalid_input"},
      {R"({"label":""})", "invalid_input"},
      {R"({"label":")" + string(256, 'l') + R"("})", "invalid_input"},
  };
  for (const Case& c : cases) {
    http::Response response = Call("POST", "/api/personal_api_keys/", key_, c.body);
    ASSERT_EQ(response.status, 400) << c.body << " → " << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["attr"]), "label") << c.body;
    EXPECT_EQ(string_view(doc->root["code"]), c.code) << c.body;
  }
  http::Response malformed = Call("POST", "/api/personal_api_keys/", key_, "{label: x}");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(string_view(ParseJson(malformed.body)->root["code"]), "parse_error");
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->size(), 1u);
}

TEST_F(PersonalApiKeysHandler, AnotherUsersKeyIsNotFound) {
  string other_key = SecondOrganizationKey();
  auto mine = meta_->ListPersonalApiKeys(1);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  string my_key_id = mine->front().id;

  EXPECT_EQ(Call("GET", "/api/personal_api_keys/" + my_key_id + "/", other_key).status, 404);
  EXPECT_EQ(Call("DELETE", "/api/personal_api_keys/" + my_key_id + "/", other_key).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/", key_).status, 200);  // still valid

  auto others = ParseJson(Call("GET", "/api/personal_api_keys/", other_key).body);
  simdjson::dom::array list = others->root.get_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(string_view(list.at(0)["label"]), "other key");
}

}  // namespace
}  // namespace hoglet::api::testing
