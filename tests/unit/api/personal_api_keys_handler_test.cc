// /api/personal_api_keys/: the plain key is shown once, lists carry only masks, deleting a key
// revokes it at once, a user sees and deletes only their own keys, scopes are validated and
// shown as stored, and a key without full access may only read itself.
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

TEST_F(PersonalApiKeysHandler, ScopesAreStoredAndShown) {
  http::Response created = Call("POST", "/api/personal_api_keys/", key_,
                                R"({"label":"flags","scopes":["feature_flag:read","query:read"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  simdjson::dom::array scopes = doc->root["scopes"].get_array();
  ASSERT_EQ(scopes.size(), 2u);
  EXPECT_EQ(string_view(scopes.at(0)), "feature_flag:read");
  EXPECT_EQ(string_view(scopes.at(1)), "query:read");
  string id(string_view(doc->root["id"]));

  auto one = ParseJson(Call("GET", "/api/personal_api_keys/" + id + "/", key_).body);
  EXPECT_EQ(one->root["scopes"].get_array().size(), 2u);

  // Without scopes, full access, as PostHog shows a key without scopes.
  http::Response unscoped = Call("POST", "/api/personal_api_keys/", key_, R"({"label":"all"})");
  ASSERT_EQ(unscoped.status, 201) << unscoped.body;
  auto all = ParseJson(unscoped.body);
  ASSERT_EQ(all->root["scopes"].get_array().size(), 1u);
  EXPECT_EQ(string_view(all->root["scopes"].get_array().at(0)), "*");
}

TEST_F(PersonalApiKeysHandler, InvalidScopesAre400NamingTheScope) {
  struct Case {
    string scopes;
    string detail;  // a part of the detail
  };
  const std::vector<Case> cases = {
      {R"(["feature_flag:delete"])", "'feature_flag:delete'"},
      {R"(["query:read","flags:read"])", "'flags:read'"},
      {R"(["feature_flag"])", "'feature_flag'"},
      {R"([])", "at least one scope"},
      {R"("feature_flag:read")", "must be a list"},
      {R"([1])", "scopes[0]"},
      {R"(null)", "must be a list"},
  };
  for (const Case& c : cases) {
    http::Response response =
        Call("POST", "/api/personal_api_keys/", key_, R"({"label":"x","scopes":)" + c.scopes + "}");
    ASSERT_EQ(response.status, 400) << c.scopes << " → " << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["attr"]), "scopes") << response.body;
    EXPECT_EQ(string_view(doc->root["code"]), "invalid_input") << response.body;
    EXPECT_NE(string(string_view(doc->root["detail"])).find(c.detail), string::npos)
        << response.body;
  }
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->size(), 1u);
}

TEST_F(PersonalApiKeysHandler, PatchChangesLabelAndScopes) {
  auto created = ParseJson(
      Call("POST", "/api/personal_api_keys/", key_, R"({"label":"ci","scopes":["query:read"]})")
          .body);
  string id(string_view(created->root["id"]));
  string path = "/api/personal_api_keys/" + id + "/";

  http::Response patched =
      Call("PATCH", path, key_, R"({"scopes":["feature_flag:write","person:read"]})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto doc = ParseJson(patched.body);
  EXPECT_EQ(string_view(doc->root["label"]), "ci");
  ASSERT_EQ(doc->root["scopes"].get_array().size(), 2u);
  EXPECT_EQ(string_view(doc->root["scopes"].get_array().at(0)), "feature_flag:write");
  EXPECT_EQ(doc->root["value"].error(), simdjson::NO_SUCH_FIELD);

  patched = Call("PATCH", path, key_, R"({"label":"deploys"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(string_view(ParseJson(patched.body)->root["label"]), "deploys");
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->back().scopes.size(), 2u);

  http::Response bad = Call("PATCH", path, key_, R"({"scopes":["person:delete"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(string_view(ParseJson(bad.body)->root["attr"]), "scopes");
  bad = Call("PATCH", path, key_, R"({"label":""})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(string_view(ParseJson(bad.body)->root["attr"]), "label");
  EXPECT_EQ(Call("PATCH", "/api/personal_api_keys/nope/", key_, R"({"label":"x"})").status, 404);
  EXPECT_EQ(Call("PATCH", path, SecondOrganizationKey(), R"({"label":"x"})").status, 404);
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->back().label, "deploys");
}

// PostHog lets a personal API key only read itself here; Hoglet lets a full-access key manage
// keys (it has no login) and holds every other key to PostHog's rule, so a narrow key cannot
// mint a broader one.
TEST_F(PersonalApiKeysHandler, AScopedKeyMayOnlyReadItself) {
  auto created = meta_->CreatePersonalApiKey(1, "narrow", {"feature_flag:write"});
  ASSERT_TRUE(created.ok());
  const string narrow = created->plain_key;
  const string own = "/api/personal_api_keys/" + created->key.id + "/";

  for (const string& path : {string("/api/personal_api_keys/@current/"), own}) {
    http::Response me = Call("GET", path, narrow);
    ASSERT_EQ(me.status, 200) << path << " → " << me.body;
    auto doc = ParseJson(me.body);
    EXPECT_EQ(string_view(doc->root["id"]), created->key.id);
    EXPECT_EQ(string_view(doc->root["scopes"].get_array().at(0)), "feature_flag:write");
  }
  const string bootstrap_key =
      "/api/personal_api_keys/" + meta_->ListPersonalApiKeys(1)->front().id + "/";
  EXPECT_EQ(Call("GET", bootstrap_key, narrow).status, 403);
  EXPECT_EQ(Call("GET", "/api/personal_api_keys/", narrow).status, 403);
  http::Response minted =
      Call("POST", "/api/personal_api_keys/", narrow, R"({"label":"wider","scopes":["*"]})");
  EXPECT_EQ(minted.status, 403) << minted.body;
  EXPECT_NE(minted.body.find("full access"), string::npos) << minted.body;
  EXPECT_EQ(Call("PATCH", own, narrow, R"({"scopes":["*"]})").status, 403);
  EXPECT_EQ(Call("DELETE", bootstrap_key, narrow).status, 403);
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->size(), 2u);
  EXPECT_EQ(meta_->ListPersonalApiKeys(1)->back().scopes,
            std::vector<string>{"feature_flag:write"});

  // The full-access key reads itself at @current too.
  http::Response me = Call("GET", "/api/personal_api_keys/@current/", key_);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(string_view(ParseJson(me.body)->root["label"]), "Bootstrap key");
}

// PostHog's agent toolkit reads the key at @current (without the trailing slash) to learn its
// scopes and the teams and organizations it is limited to: lists, empty for a key limited to none.
TEST_F(PersonalApiKeysHandler, CurrentKeyNamesTheTeamsAndOrganizationsItIsLimitedTo) {
  http::Response me = Call("GET", "/api/personal_api_keys/@current", key_);
  ASSERT_EQ(me.status, 200) << me.body;
  auto doc = ParseJson(me.body);
  ASSERT_TRUE(doc->root["scoped_teams"].is_array()) << me.body;
  EXPECT_EQ(doc->root["scoped_teams"].get_array().size(), 0u);
  ASSERT_TRUE(doc->root["scoped_organizations"].is_array()) << me.body;
  EXPECT_EQ(doc->root["scoped_organizations"].get_array().size(), 0u);
  EXPECT_TRUE(doc->root["last_rolled_at"].is_null());
  EXPECT_EQ(string_view(doc->root["scopes"].get_array().at(0)), "*");
}

}  // namespace
}  // namespace hoglet::api::testing
