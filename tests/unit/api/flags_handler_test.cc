// The HTTP edge of the flags service: /flags and /decide over HTTP (methods, the body's shapes,
// PostHog's plain-text errors) and local evaluation's authentication across organizations. What
// the service decides is tested in tests/unit/flags/flags_service_test.cc.
#include "api/flags_handler.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "flags/flags_service.h"
#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class FlagsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
    flags_ = std::make_unique<flags::FlagsService>(*meta_, persons_, clock_);
    context_.flags = flags_.get();
  }

  string Body(const string& fields) {
    return R"({"token":")" + project_.api_token + "\"," + fields + "}";
  }

  FakePersonStore persons_;
  std::unique_ptr<flags::FlagsService> flags_;
};

TEST_F(FlagsHandler, AnswersInlineAndOnTheWorkers) {
  CreateFlag("everyone", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  CreateFlag("pro", R"({"groups":[{"properties":[{"key":"plan","value":"pro","type":"person"}],)"
                    R"("rollout_percentage":100}]})");
  persons::Person person;
  person.uuid = *Uuid::Parse("00000000-0000-4000-8000-000000000001");
  person.team_id = project_.id;
  person.properties = R"({"plan":"pro"})";
  person.distinct_ids = {"user-1"};
  persons_.persons.push_back(person);

  // The stored plan is needed: the first answer also builds the snapshot on a worker.
  http::Response stored = Call("POST", "/flags/?v=2", "", Body(R"("distinct_id":"user-1")"));
  ASSERT_EQ(stored.status, 200) << stored.body;
  EXPECT_TRUE(bool(ParseJson(stored.body)->root["flags"]["pro"]["enabled"]));
  // Every property sent: answered from memory.
  http::Response sent = Call("POST", "/decide/?v=3", "",
                             Body(R"("distinct_id":"u","person_properties":{"plan":"free"})"));
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto legacy = ParseJson(sent.body);
  EXPECT_FALSE(bool(legacy->root["featureFlags"]["pro"]));
  EXPECT_TRUE(bool(legacy->root["featureFlags"]["everyone"]));

  EXPECT_EQ(Call("HEAD", "/flags/", "").status, 200);
  http::Response get = Call("GET", "/flags/?v=2", "");
  ASSERT_EQ(get.status, 200) << get.body;
  EXPECT_EQ(ParseJson(get.body)->root["flags"].get_object().size(), 0u);
}

TEST_F(FlagsHandler, ErrorsArePlainTextWithPostHogsWording) {
  http::Response no_token = Call("POST", "/flags/?v=2", "", R"({"distinct_id":"u"})");
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(no_token.body,
            "No API token provided. Please include a valid API token in your request.");
  http::Response no_id = Call("POST", "/flags/?v=2", "", Body(R"("groups":{})"));
  EXPECT_EQ(no_id.status, 400);
  EXPECT_NE(no_id.body.find("distinct_id field is missing"), string::npos) << no_id.body;
  http::Response garbage = Call("POST", "/flags/?v=2", "", "{not json");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_EQ(garbage.body.rfind("Failed to decode request", 0), 0u) << garbage.body;

  // The flag set cannot be loaded (the group types are read from the failing store).
  persons_.fail = true;
  http::Response down = Call("POST", "/flags/?v=2", "", Body(R"("distinct_id":"u")"));
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(down.body, "Service is currently unavailable. Please try again later.");
  bool retry_after = false;
  for (const auto& [name, value] : down.headers) retry_after = retry_after || name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

TEST_F(FlagsHandler, LocalEvaluationKeysMustBelongToTheProject) {
  CreateFlag("everyone", R"({"groups":[{"properties":[],"rollout_percentage":100}]})");
  string target = "/flags/definitions?token=" + project_.api_token;
  EXPECT_EQ(Call("GET", target, key_).status, 200);
  EXPECT_EQ(Call("GET", target, project_.secret_api_token).status, 200);

  http::Response foreign = Call("GET", target, SecondOrganizationKey());
  EXPECT_EQ(foreign.status, 401);
  EXPECT_NE(foreign.body.find("authentication_failed"), string::npos) << foreign.body;

  auto other = meta_->CreateProject(project_.organization_id, "Other project");
  ASSERT_TRUE(other.ok());
  http::Response wrong_secret = Call("GET", target, other->secret_api_token);
  EXPECT_EQ(wrong_secret.status, 401);
  EXPECT_NE(wrong_secret.body.find("Secret API token is invalid."), string::npos);
}

}  // namespace
}  // namespace hoglet::api::testing
