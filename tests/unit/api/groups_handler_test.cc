// groups/, groups_types/ and ingestion_warnings/ over a fake person store.
#include "api/groups_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/ingestion_warnings_handler.h"
#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr int64_t kDayUs = 86'400'000'000;

class GroupsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
  }

  void AddGroup(int index, string key, string properties, int64_t created_at_us,
                int64_t team_id = 1) {
    persons::Group group;
    group.team_id = team_id;
    group.group_type_index = index;
    group.group_key = std::move(key);
    group.properties = std::move(properties);
    group.created_at_us = created_at_us;
    persons_.groups.push_back(group);
  }

  void AddWarning(string type, int64_t timestamp_us, string details = "{}", int64_t team_id = 1) {
    persons_.warnings.push_back({team_id, std::move(type), std::move(details), timestamp_us});
  }

  FakePersonStore persons_;
};

TEST_F(GroupsHandler, RequireAKeyOfTheOwningOrganization) {
  for (const char* path :
       {"/api/projects/1/groups/?group_type_index=0", "/api/projects/1/groups_types/",
        "/api/projects/1/ingestion_warnings/"}) {
    EXPECT_EQ(Call("GET", path, "").status, 401) << path;
    EXPECT_EQ(Call("GET", path, project_.api_token).status, 401) << path;
  }
  EXPECT_EQ(Call("GET", "/api/projects/1/groups_types/", SecondOrganizationKey()).status, 404);
}

TEST_F(GroupsHandler, ListsGroupsOfOneTypeNewestFirst) {
  AddGroup(0, "acme", R"({"name":"Acme"})", kStartUs);
  AddGroup(0, "globex", R"({"name":"Globex"})", kStartUs + 1);
  AddGroup(1, "proj-1", "{}", kStartUs);
  AddGroup(0, "foreign", "{}", kStartUs, /*team_id=*/2);
  http::Response response = Call("GET", "/api/projects/1/groups/?group_type_index=0", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::array results = doc->root["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(string_view(results.at(0)["group_key"]), "globex");
  EXPECT_EQ(int64_t(results.at(0)["group_type_index"]), 0);
  EXPECT_EQ(string_view(results.at(1)["group_properties"]["name"]), "Acme");
  EXPECT_EQ(string_view(results.at(1)["created_at"]), "2023-11-14T22:13:20.000000+00:00");
  EXPECT_TRUE(doc->root["next"].is_null());
  EXPECT_TRUE(doc->root["previous"].is_null());

  auto paged =
      ParseJson(Call("GET", "/api/projects/1/groups/?group_type_index=0&limit=1", key_).body);
  EXPECT_EQ(string_view(paged->root["next"]),
            "http://localhost/api/projects/1/groups/?group_type_index=0&limit=1&offset=1");
}

TEST_F(GroupsHandler, GroupTypeIndexIsRequiredAndBounded) {
  for (const char* query : {"", "?group_type_index=", "?group_type_index=5", "?group_type_index=-1",
                            "?group_type_index=x"}) {
    http::Response response = Call("GET", string("/api/projects/1/groups/") + query, key_);
    EXPECT_EQ(response.status, 400) << query;
    EXPECT_NE(response.body.find(R"("attr":"group_type_index")"), string::npos) << response.body;
  }
  EXPECT_EQ(Call("GET", "/api/projects/1/groups/?group_type_index=4", key_).status, 200);
}

TEST_F(GroupsHandler, SearchMatchesKeysAndPropertiesWithoutCase) {
  AddGroup(0, "acme", R"({"name":"Acme Corp"})", kStartUs);
  AddGroup(0, "globex", R"({"name":"Globex","industry":"ACME supplies"})", kStartUs + 1);
  AddGroup(0, "initech", R"({"name":"Initech"})", kStartUs + 2);
  AddGroup(1, "acme-project", "{}", kStartUs);
  auto keys = [&](const string& query) {
    auto doc =
        ParseJson(Call("GET", "/api/projects/1/groups/?group_type_index=0" + query, key_).body);
    std::vector<string> found;
    for (simdjson::dom::element g : simdjson::dom::array(doc->root["results"])) {
      found.emplace_back(string_view(g["group_key"]));
    }
    return found;
  };
  EXPECT_EQ(keys("&search=aCmE"), (std::vector<string>{"globex", "acme"}));
  EXPECT_EQ(keys("&search=initech"), std::vector<string>{"initech"});
  EXPECT_EQ(keys("&search=acme&limit=1&offset=1"), std::vector<string>{"acme"});
  EXPECT_TRUE(keys("&search=umbrella").empty());
}

TEST_F(GroupsHandler, FindsOneGroupByTypeAndKey) {
  AddGroup(0, "acme", R"({"name":"<b>Acme</b>"})", kStartUs);
  AddGroup(0, "acme", R"({"name":"Other team"})", kStartUs, /*team_id=*/2);
  http::Response found =
      Call("GET", "/api/projects/1/groups/find/?group_type_index=0&group_key=acme", key_);
  ASSERT_EQ(found.status, 200) << found.body;
  auto doc = ParseJson(found.body);
  EXPECT_EQ(string_view(doc->root["group_key"]), "acme");
  EXPECT_EQ(string_view(doc->root["group_properties"]["name"]), "<b>Acme</b>");
  EXPECT_EQ(
      Call("GET", "/api/projects/1/groups/find/?group_type_index=1&group_key=acme", key_).status,
      404);
  http::Response no_key = Call("GET", "/api/projects/1/groups/find/?group_type_index=0", key_);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_NE(no_key.body.find(R"("attr":"group_key")"), string::npos) << no_key.body;
  EXPECT_EQ(Call("GET", "/api/projects/1/groups/find/?group_key=acme", key_).status, 400);
  EXPECT_EQ(
      Call("GET", "/api/projects/1/groups/find/?group_type_index=0&group_key=acme", "").status,
      401);
}

TEST_F(GroupsHandler, ListsGroupTypesByIndex) {
  persons_.group_types = {{1, "project", 1}, {1, "company", 0}, {2, "elsewhere", 0}};
  http::Response response = Call("GET", "/api/projects/1/groups_types/", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::array types = doc->root;
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(string_view(types.at(0)["group_type"]), "company");
  EXPECT_EQ(int64_t(types.at(0)["group_type_index"]), 0);
  EXPECT_TRUE(types.at(0)["name_singular"].is_null());
  EXPECT_TRUE(types.at(0)["name_plural"].is_null());
  EXPECT_EQ(string_view(types.at(1)["group_type"]), "project");
}

TEST_F(GroupsHandler, UpdateMetadataSetsAndClearsNamesAndAnswersTheList) {
  persons_.group_types = {{1, "company", 0}, {1, "project", 1}, {2, "elsewhere", 0}};
  const string path = "/api/projects/1/groups_types/update_metadata/";
  http::Response response =
      Call("PATCH", path, key_,
           R"([{"group_type_index":0,"name_singular":"Firm","name_plural":"Firms"},)"
           R"({"group_type_index":1,"name_plural":"Projects"}])");
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::array types = doc->root;
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(string_view(types.at(0)["name_singular"]), "Firm");
  EXPECT_EQ(string_view(types.at(0)["name_plural"]), "Firms");
  EXPECT_TRUE(types.at(1)["name_singular"].is_null());
  EXPECT_EQ(string_view(types.at(1)["name_plural"]), "Projects");

  // The list shows them; another project's type 0 keeps no names.
  auto listed = ParseJson(Call("GET", "/api/projects/1/groups_types/", key_).body);
  EXPECT_EQ(string_view(listed->root.at(0)["name_plural"]), "Firms");
  auto other = meta_->ListGroupTypeNames(2);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());

  // An absent name is kept, null clears one; PUT is accepted too.
  response = Call("PUT", path, key_, R"([{"group_type_index":0,"name_singular":null}])");
  ASSERT_EQ(response.status, 200) << response.body;
  doc = ParseJson(response.body);
  EXPECT_TRUE(doc->root.at(0)["name_singular"].is_null());
  EXPECT_EQ(string_view(doc->root.at(0)["name_plural"]), "Firms");
}

TEST_F(GroupsHandler, UpdateMetadataRefusesBadRowsAndStoresNothing) {
  persons_.group_types = {{1, "company", 0}};
  const string path = "/api/projects/1/groups_types/update_metadata/";
  // Row 1 is valid, row 2 names a type the project does not have: nothing is stored.
  EXPECT_EQ(Call("PATCH", path, key_,
                 R"([{"group_type_index":0,"name_plural":"Firms"},{"group_type_index":3}])")
                .status,
            404);
  EXPECT_EQ(Call("PATCH", path, key_, R"({"group_type_index":0})").status, 400);
  EXPECT_EQ(Call("PATCH", path, key_, R"([{"name_plural":"Firms"}])").status, 400);
  EXPECT_EQ(Call("PATCH", path, key_, R"([{"group_type_index":0,"name_plural":7}])").status, 400);
  EXPECT_EQ(Call("PATCH", path, key_,
                 R"([{"group_type_index":0,"name_plural":")" + string(401, 'x') + R"("}])")
                .status,
            400);
  auto stored = meta_->ListGroupTypeNames(1);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
  // 400 bytes are accepted.
  EXPECT_EQ(Call("PATCH", path, key_,
                 R"([{"group_type_index":0,"name_plural":")" + string(400, 'x') + R"("}])")
                .status,
            200);
  EXPECT_EQ(Call("PATCH", path, SecondOrganizationKey(), "[]").status, 404);
}

TEST_F(GroupsHandler, IngestionWarningsAreGroupedByTypeWithinThirtyDays) {
  AddWarning("cannot_merge_already_identified", kStartUs - 2 * kDayUs,
             R"({"sourcePersonDistinctId":"a"})");
  AddWarning("cannot_merge_already_identified", kStartUs - kDayUs,
             R"({"sourcePersonDistinctId":"b"})");
  AddWarning("event_dropped_too_old", kStartUs - 3 * kDayUs);
  AddWarning("ignored_invalid_timestamp", kStartUs - 31 * kDayUs);  // outside the window
  AddWarning("group_key_too_long", kStartUs, "{}", /*team_id=*/2);  // another project
  http::Response response = Call("GET", "/api/projects/1/ingestion_warnings/", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  simdjson::dom::array results = doc->root["results"];
  ASSERT_EQ(results.size(), 2u);
  simdjson::dom::element merge = results.at(0);
  EXPECT_EQ(string_view(merge["type"]), "cannot_merge_already_identified");
  EXPECT_EQ(int64_t(merge["count"]), 2);
  EXPECT_EQ(string_view(merge["lastSeen"]), "2023-11-13T22:13:20.000000+00:00");
  simdjson::dom::array samples = merge["warnings"];
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(string_view(samples.at(0)["details"]["sourcePersonDistinctId"]), "b");
  EXPECT_EQ(string_view(samples.at(0)["type"]), "cannot_merge_already_identified");
  EXPECT_EQ(string_view(samples.at(1)["timestamp"]), "2023-11-12T22:13:20.000000+00:00");
  EXPECT_EQ(string_view(results.at(1)["type"]), "event_dropped_too_old");
  EXPECT_EQ(int64_t(results.at(1)["count"]), 1);
}

TEST_F(GroupsHandler, WarningSamplesAreCappedButCounted) {
  for (size_t i = 0; i < kWarningsPerType + 5; ++i) {
    AddWarning("invalid_heatmap_data", kStartUs - static_cast<int64_t>(i) * 1000);
  }
  auto doc = ParseJson(Call("GET", "/api/projects/1/ingestion_warnings/", key_).body);
  simdjson::dom::element only = doc->root["results"].at(0);
  EXPECT_EQ(int64_t(only["count"]), static_cast<int64_t>(kWarningsPerType + 5));
  EXPECT_EQ(simdjson::dom::array(only["warnings"]).size(), kWarningsPerType);
}

TEST_F(GroupsHandler, MissingPersonStoreIs503) {
  context_.persons = nullptr;
  EXPECT_EQ(Call("GET", "/api/projects/1/groups_types/", key_).status, 503);
  EXPECT_EQ(Call("GET", "/api/projects/1/ingestion_warnings/", key_).status, 503);
}

}  // namespace
}  // namespace hoglet::api::testing
