// Personal API keys on the real binary: a key's scopes limit what it may do over HTTP, and the
// bootstrap key (HOGLET_INIT_PERSONAL_API_KEY, still set) stays revoked across a restart once it
// was deleted through the API.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "tests/support/temp_dir.h"
#include "tests/support/test_server.h"

namespace hoglet::testing {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

Headers Bearer(const std::string& key) {
  return {{"Authorization", "Bearer " + key}, {"Content-Type", "application/json"}};
}

// POSTs a new key with `body` using the bootstrap key; its plain value ("" on failure).
std::string CreateKey(const TestServer& server, const std::string& body) {
  HttpResponse created = HttpRequest(server.port(), "POST", "/api/personal_api_keys/", body,
                                     Bearer(kTestPersonalApiKey));
  EXPECT_EQ(created.status, 201) << created.body;
  simdjson::dom::parser parser;
  std::string_view value;
  if (parser.parse(created.body)["value"].get(value) != simdjson::SUCCESS) return {};
  return std::string(value);
}

TEST(PersonalApiKeys, RevokedBootstrapKeyStaysRevokedAcrossARestart) {
  TempDir dir;
  std::string other;
  {
    TestServer server(dir.path());
    ASSERT_EQ(server.Get("/api/projects/").status, 200);
    other = CreateKey(server, R"({"label":"ops"})");
    ASSERT_FALSE(other.empty());
    HttpResponse deleted = HttpRequest(server.port(), "DELETE", "/api/personal_api_keys/@current/",
                                       {}, Bearer(kTestPersonalApiKey));
    ASSERT_EQ(deleted.status, 204) << deleted.body;
    EXPECT_EQ(server.Get("/api/projects/").status, 401);
    EXPECT_EQ(server.Terminate(), 0);
  }

  // The same environment, HOGLET_INIT_PERSONAL_API_KEY included, on the same data directory.
  TestServer restarted(dir.path());
  EXPECT_EQ(restarted.Get("/api/projects/").status, 401);
  EXPECT_NE(restarted.output().find("has since been deleted through the API"), std::string::npos)
      << restarted.output();
  EXPECT_NE(restarted.output().find("phx_...0001"), std::string::npos) << restarted.output();
  HttpResponse listed =
      HttpRequest(restarted.port(), "GET", "/api/personal_api_keys/", {}, Bearer(other));
  ASSERT_EQ(listed.status, 200) << listed.body;
  simdjson::dom::parser parser;
  simdjson::dom::array keys = parser.parse(listed.body).get_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(std::string_view(keys.at(0)["label"]), "ops");
}

TEST(PersonalApiKeys, AFlagReadKeyReadsFlagsAndNothingElse) {
  TempDir dir;
  TestServer server(dir.path());
  const std::string key = CreateKey(server, R"({"label":"sdk","scopes":["feature_flag:read"]})");
  ASSERT_FALSE(key.empty());
  const std::string flags = "/api/projects/@current/feature_flags/";

  EXPECT_EQ(HttpRequest(server.port(), "GET", flags, {}, Bearer(key)).status, 200);
  HttpResponse local =
      HttpRequest(server.port(), "GET",
                  "/api/feature_flag/local_evaluation/?token=" + std::string(kTestProjectToken), {},
                  Bearer(key));
  EXPECT_EQ(local.status, 200) << local.body;

  HttpResponse create = HttpRequest(server.port(), "POST", flags, R"({"key":"nope"})", Bearer(key));
  EXPECT_EQ(create.status, 403) << create.body;
  EXPECT_NE(create.body.find("API key missing required scope 'feature_flag:write'"),
            std::string::npos)
      << create.body;
  HttpResponse persons =
      HttpRequest(server.port(), "GET", "/api/projects/@current/persons/", {}, Bearer(key));
  EXPECT_EQ(persons.status, 403) << persons.body;
  EXPECT_NE(persons.body.find("'person:read'"), std::string::npos) << persons.body;
}

}  // namespace
}  // namespace hoglet::testing
