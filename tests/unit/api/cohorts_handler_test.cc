// /api/projects/{id}/cohorts/: authentication, the cohort JSON, create/patch/delete round trips
// with versions, filter validation, static membership through add_persons_to_static_cohort and
// _create_static_person_ids, deletion protection, loops, paging and isolation.
#include "api/cohorts_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/cohort_members.h"
#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr int64_t kSecondUs = 1'000'000;
constexpr char kEmailFilters[] =
    R"({"properties": {"type": "OR", "values": [{"type": "AND", "values": [
        {"key": "email", "type": "person", "value": "@acme.com", "operator": "icontains"}]}]}})";

class CohortsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
  }

  static string CohortPath(int64_t id) {
    return "/api/projects/1/cohorts/" + std::to_string(id) + "/";
  }
  static string AddPath(int64_t id) { return CohortPath(id) + "add_persons_to_static_cohort/"; }

  int64_t Create(const string& body) {
    http::Response response = Call("POST", "/api/projects/1/cohorts/", key_, body);
    EXPECT_EQ(response.status, 201) << body << " → " << response.body;
    if (response.status != 201) return 0;
    return int64_t(ParseJson(response.body)->root["id"]);
  }

  // A person of `team_id`; returns its UUID text.
  string AddPerson(int n, int64_t team_id = 1) {
    persons::Person person;
    person.uuid = *Uuid::Parse("00000000-0000-4000-8000-0000000000" + std::to_string(10 + n));
    person.team_id = team_id;
    person.distinct_ids = {"user-" + std::to_string(n)};
    persons_.persons.push_back(person);
    return person.uuid.ToString();
  }

  static void ExpectValidationError(const http::Response& response, string_view attr,
                                    string_view detail) {
    ASSERT_EQ(response.status, 400) << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["type"]), "validation_error") << response.body;
    if (attr.empty()) {
      EXPECT_TRUE(doc->root["attr"].is_null()) << response.body;
    } else {
      EXPECT_EQ(string_view(doc->root["attr"]), attr) << response.body;
    }
    EXPECT_NE(string(string_view(doc->root["detail"])).find(detail), string::npos) << response.body;
  }

  FakePersonStore persons_;
};

TEST_F(CohortsHandler, RequiresAPersonalApiKey) {
  int64_t id = Create(R"({"name": "Static", "is_static": true})");
  const std::vector<std::pair<string, string>> calls = {
      {"GET", "/api/projects/1/cohorts/"},
      {"POST", "/api/projects/1/cohorts/"},
      {"GET", CohortPath(id)},
      {"PATCH", CohortPath(id)},
      {"DELETE", CohortPath(id)},
      {"PATCH", AddPath(id)},
  };
  const string body = R"({"name": "x", "person_ids": ["00000000-0000-4000-8000-000000000011"]})";
  AddPerson(1);
  for (const auto& [method, path] : calls) {
    EXPECT_EQ(Call(method, path, "", body).status, 401) << method << " " << path;
    EXPECT_EQ(Call(method, path, project_.api_token, body).status, 401) << method << " " << path;
  }
  auto stored = meta_->ListCohorts(1, true);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ(stored->front().name, "Static");
  EXPECT_EQ(persons_.StaticCohortSize(1, id).value(), 0u);
}

TEST_F(CohortsHandler, DynamicCohortRoundTrip) {
  http::Response created = Call(
      "POST", "/api/projects/1/cohorts", key_,
      R"({"name": "Acme", "description": "Acme staff", "filters": )" + string(kEmailFilters) + "}");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  int64_t id = int64_t(doc->root["id"]);
  EXPECT_EQ(string_view(doc->root["name"]), "Acme");
  EXPECT_EQ(string_view(doc->root["description"]), "Acme staff");
  EXPECT_EQ(string_view(doc->root["filters"]["properties"]["type"]), "OR");
  EXPECT_EQ(string_view(doc->root["filters"]["properties"]["values"].at(0)["values"].at(0)["key"]),
            "email");
  EXPECT_FALSE(bool(doc->root["is_static"]));
  EXPECT_FALSE(bool(doc->root["deleted"]));
  EXPECT_FALSE(bool(doc->root["is_calculating"]));
  EXPECT_EQ(int64_t(doc->root["errors_calculating"]), 0);
  EXPECT_EQ(int64_t(doc->root["count"]), 0);  // counted: nobody yet
  EXPECT_EQ(int64_t(doc->root["version"]), 1);
  EXPECT_EQ(string_view(doc->root["created_by"]["email"]), "admin@localhost");
  EXPECT_EQ(string_view(doc->root["created_at"]), "2023-11-14T22:13:20.000000+00:00");
  auto stored = meta_->CohortById(1, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->is_static);
  EXPECT_NE(stored->filters_json.find("icontains"), string::npos);

  http::Response patched = Call("PATCH", CohortPath(id), key_, R"({"name": "Acme people"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(int64_t(ParseJson(patched.body)->root["version"]), 2);
  auto fetched = ParseJson(Call("GET", CohortPath(id), key_).body);
  EXPECT_EQ(string_view(fetched->root["name"]), "Acme people");
  EXPECT_EQ(string_view(fetched->root["description"]), "Acme staff");
  EXPECT_EQ(string_view(fetched->root["filters"]["properties"]["type"]), "OR");
  EXPECT_EQ(meta_->CohortById(1, id)->version, 2);

  EXPECT_EQ(Call("DELETE", CohortPath(id), key_).status, 204);
  auto deleted = ParseJson(Call("GET", CohortPath(id), key_).body);
  EXPECT_TRUE(bool(deleted->root["deleted"]));
  EXPECT_TRUE(meta_->CohortById(1, id)->deleted);
  auto list = ParseJson(Call("GET", "/api/projects/1/cohorts/", key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 0);
}

TEST_F(CohortsHandler, ValidationErrorsNameTheirField) {
  struct Case {
    string body;
    string attr;
    string detail;
  };
  const std::vector<Case> cases = {
      {R"({"filters": {"properties": {"type": "AND", "values": []}}})", "name",
       "This field is required."},
      {R"({"name": ""})", "name", "may not be blank"},
      {R"({"name": 7})", "name", ""},
      {R"({"name": "c", "description": false})", "description", ""},
      {R"({"name": "c", "is_static": "yes"})", "is_static", ""},
      {R"({"name": "c", "filters": []})", "filters", ""},
      {R"({"name": "c", "filters": {"groups": []}})", "filters",
       "Must contain a 'properties' key with type and values"},
      {R"({"name": "c", "filters": {"properties": {"type": "AND", "values": "x"}}})", "filters",
       ""},
      {R"({"name": "c", "filters": {"properties": {"type": "OR", "values": [{"type": "AND",
           "values": [{"key": "email", "type": "person", "operator": "regex", "value": "["}]}]}}})",
       "filters",
       "properties.values[0].values[0]: the filter on 'email' has a regex that RE2 cannot use: "
       "missing ]: ["},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectValidationError(Call("POST", "/api/projects/1/cohorts/", key_, c.body), c.attr, c.detail);
  }
  EXPECT_EQ(meta_->ListCohorts(1, true)->size(), 0u);

  int64_t id = Create(R"({"name": "Kept"})");
  ExpectValidationError(Call("PATCH", CohortPath(id), key_, R"({"name": "New", "filters": 1})"),
                        "filters", "");
  EXPECT_EQ(meta_->CohortById(1, id)->name, "Kept");
  EXPECT_EQ(meta_->CohortById(1, id)->version, 1);
}

TEST_F(CohortsHandler, StaticMembership) {
  string ann = AddPerson(1);
  string bob = AddPerson(2);
  string cat = AddPerson(3);
  string stranger = AddPerson(4, /*team_id=*/2);

  http::Response created = Call("POST", "/api/projects/1/cohorts/", key_,
                                R"({"name": "Beta testers", "is_static": true,
                                    "_create_static_person_ids": [")" +
                                    ann + R"("]})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  int64_t id = int64_t(doc->root["id"]);
  EXPECT_TRUE(bool(doc->root["is_static"]));
  EXPECT_EQ(int64_t(doc->root["count"]), 1);

  http::Response added = Call("PATCH", AddPath(id), key_,
                              R"({"person_ids": [")" + bob + R"(", ")" + cat + R"(", ")" + ann +
                                  R"(", "00000000-0000-4000-8000-000000000099", "not-a-uuid", ")" +
                                  stranger + R"("]})");
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_TRUE(bool(ParseJson(added.body)->root["success"]));
  auto fetched = ParseJson(Call("GET", CohortPath(id), key_).body);
  EXPECT_EQ(int64_t(fetched->root["count"]), 3);
  EXPECT_EQ(persons_.StaticCohortsOf(1, *Uuid::Parse(bob)).value(), std::vector<int64_t>{id});
  EXPECT_TRUE(persons_.StaticCohortsOf(2, *Uuid::Parse(stranger)).value().empty());

  ExpectValidationError(Call("PATCH", AddPath(id), key_, R"({"person_ids": []})"), "",
                        "person_ids cannot be empty");
  ExpectValidationError(Call("PATCH", AddPath(id), key_, R"({"person_ids": "x"})"), "",
                        "person_ids must be a list");
  ExpectValidationError(Call("PATCH", AddPath(id), key_, "{}"), "", "person_ids must be a list");
  ExpectValidationError(
      Call("PATCH", AddPath(id), key_, R"({"person_ids": [")" + stranger + R"("]})"), "",
      "No valid users to add to cohort");
  string many = R"({"person_ids": [)";
  for (int i = 0; i < 1001; ++i) many += string(i ? "," : "") + "\"" + bob + "\"";
  ExpectValidationError(Call("PATCH", AddPath(id), key_, many + "]}"), "",
                        "List size exceeds limit");

  int64_t dynamic = Create(R"({"name": "Dynamic", "filters": )" + string(kEmailFilters) + "}");
  ExpectValidationError(
      Call("PATCH", AddPath(dynamic), key_, R"({"person_ids": [")" + bob + R"("]})"), "",
      "Can only add users to static cohorts");
  EXPECT_EQ(Call("PATCH", AddPath(9999), key_, R"({"person_ids": [")" + bob + R"("]})").status,
            404);
  EXPECT_EQ(persons_.StaticCohortSize(1, id).value(), 3u);

  // A static cohort's criteria cannot be edited.
  ExpectValidationError(
      Call("PATCH", CohortPath(id), key_, R"({"filters": )" + string(kEmailFilters) + "}"), "",
      "Editing the criteria of a static cohort is not supported yet.");
}

TEST_F(CohortsHandler, CohortsInUseCannotBeDeletedAndLoopsAreRefused) {
  int64_t base = Create(R"({"name": "Base", "filters": )" + string(kEmailFilters) + "}");
  const string uses_base = R"({"properties": {"type": "AND", "values": [
      {"type": "cohort", "key": "id", "value": )" +
                           std::to_string(base) + "}]}}";
  int64_t derived = Create(R"({"name": "Derived", "filters": )" + uses_base + "}");

  ExpectValidationError(Call("DELETE", CohortPath(base), key_), "",
                        "This cohort is used as criteria in 1 other cohort(s): Derived.");
  const string uses_derived = R"({"properties": {"type": "AND", "values": [
      {"type": "cohort", "key": "id", "value": )" +
                              std::to_string(derived) + "}]}}";
  ExpectValidationError(
      Call("PATCH", CohortPath(base), key_, R"({"filters": )" + uses_derived + "}"), "",
      "Cohorts cannot reference other cohorts in a loop.");
  ASSERT_EQ(Call("DELETE", CohortPath(derived), key_).status, 204);
  EXPECT_EQ(meta_->CohortById(1, base)->version, 1);

  // An active flag targeting the cohort protects it; an inactive one does not.
  meta::FeatureFlagRecord flag;
  flag.team_id = 1;
  flag.key = "acme-only";
  flag.name = "Acme only";
  flag.filters_json = R"({"groups":[{"properties":[{"type":"cohort","key":"id","value":)" +
                      std::to_string(base) + "}]}]}";
  auto created = meta_->CreateFeatureFlag(flag);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ExpectValidationError(Call("PATCH", CohortPath(base), key_, R"({"deleted": true})"), "",
                        "This cohort is used in 1 active feature flag(s): Acme only.");
  EXPECT_FALSE(meta_->CohortById(1, base)->deleted);
  meta::FeatureFlagRecord inactive = *created;
  inactive.active = false;
  ASSERT_TRUE(meta_->UpdateFeatureFlag(inactive).ok());
  EXPECT_EQ(Call("PATCH", CohortPath(base), key_, R"({"deleted": true})").status, 200);
  EXPECT_TRUE(meta_->CohortById(1, base)->deleted);
}

TEST_F(CohortsHandler, ListsNewestFirstWithFiltersAndPages) {
  for (const char* name : {"Alpha", "Beta", "Gamma"}) {
    Create(R"({"name": ")" + string(name) + R"(", "is_static": true})");
    clock_.Advance(kSecondUs);
  }
  Create(R"({"name": "Alphabet soup", "filters": )" + string(kEmailFilters) + "}");
  auto names = [&](const string& query) {
    http::Response response = Call("GET", "/api/projects/1/cohorts/" + query, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<string> result;
    auto doc = ParseJson(response.body);
    for (simdjson::dom::element cohort : simdjson::dom::array(doc->root["results"])) {
      result.emplace_back(string_view(cohort["name"]));
    }
    return result;
  };
  EXPECT_EQ(names(""), (std::vector<string>{"Alphabet soup", "Gamma", "Beta", "Alpha"}));
  EXPECT_EQ(names("?search=alpha"), (std::vector<string>{"Alphabet soup", "Alpha"}));
  EXPECT_EQ(names("?type=static"), (std::vector<string>{"Gamma", "Beta", "Alpha"}));
  EXPECT_EQ(names("?type=dynamic"), (std::vector<string>{"Alphabet soup"}));
  EXPECT_EQ(names("?limit=2&offset=2"), (std::vector<string>{"Beta", "Alpha"}));
  auto page = ParseJson(Call("GET", "/api/projects/1/cohorts/?limit=3", key_).body);
  EXPECT_EQ(int64_t(page->root["count"]), 4);
  EXPECT_NE(string(string_view(page->root["next"])).find("offset=3"), string::npos);
  // Static cohorts report their size; a dynamic one its last count (null before any).
  EXPECT_EQ(int64_t(page->root["results"].at(1)["count"]), 0);
  EXPECT_TRUE(page->root["results"].at(0)["count"].is_null());
}

TEST_F(CohortsHandler, ADynamicCohortIsCountedWhenReadAndTheListShowsTheLastCount) {
  CohortCounts counts;
  context_.cohort_counts = &counts;
  auto add = [&](int n, const string& email) {
    AddPerson(n);
    persons_.persons.back().properties = R"({"email": ")" + email + R"("})";
  };
  add(1, "ann@acme.com");
  add(2, "bob@other.com");
  add(3, "cy@ACME.com");
  http::Response created = Call("POST", "/api/projects/1/cohorts", key_,
                                R"({"name": "Acme", "filters": )" + string(kEmailFilters) + "}");
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  const int64_t id = int64_t(doc->root["id"]);
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
  EXPECT_EQ(string_view(doc->root["last_calculation"]), "2023-11-14T22:13:20.000000+00:00");

  auto listed_count = [&] {
    auto list = ParseJson(Call("GET", "/api/projects/1/cohorts/", key_).body);
    return int64_t(list->root["results"].at(0)["count"]);
  };
  EXPECT_EQ(listed_count(), 2);
  // The list keeps the last count; reading the cohort counts again (the fake person store
  // moves its data version on every call, so every read finds its inputs moved).
  add(4, "dee@acme.com");
  EXPECT_EQ(listed_count(), 2);
  EXPECT_EQ(int64_t(ParseJson(Call("GET", CohortPath(id), key_).body)->root["count"]), 3);
  EXPECT_EQ(listed_count(), 3);
}

TEST_F(CohortsHandler, APersonsCohortsAreThoseThatHoldItNow) {
  AddPerson(1);
  persons_.persons.back().properties = R"({"email": "ann@acme.com"})";
  const string bob = AddPerson(2);
  persons_.persons.back().properties = R"({"email": "bob@other.com"})";
  const string ann = persons_.persons.front().uuid.ToString();
  const int64_t acme = Create(R"({"name": "Acme", "filters": )" + string(kEmailFilters) + "}");
  const int64_t beta = Create(R"({"name": "Beta", "is_static": true,
                                  "_create_static_person_ids": [")" +
                              bob + R"("]})");
  const int64_t gone = Create(R"({"name": "Gone", "filters": )" + string(kEmailFilters) + "}");
  ASSERT_EQ(Call("PATCH", CohortPath(gone), key_, R"({"deleted": true})").status, 200);
  auto names = [&](const string& uuid) {
    http::Response response =
        Call("GET", "/api/projects/1/persons/cohorts/?person_id=" + uuid, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<std::pair<int64_t, string>> found;
    if (response.status != 200) return found;
    auto doc = ParseJson(response.body);
    for (simdjson::dom::element cohort : simdjson::dom::array(doc->root["results"])) {
      found.emplace_back(int64_t(cohort["id"]), string(string_view(cohort["name"])));
    }
    return found;
  };
  EXPECT_EQ(names(ann), (std::vector<std::pair<int64_t, string>>{{acme, "Acme"}}));
  EXPECT_EQ(names(bob), (std::vector<std::pair<int64_t, string>>{{beta, "Beta"}}));
  // Ann leaves Acme by her email changing: membership is decided when asked.
  persons_.persons.front().properties = R"({"email": "ann@elsewhere.com"})";
  EXPECT_TRUE(names(ann).empty());

  ExpectValidationError(Call("GET", "/api/projects/1/persons/cohorts/?person_id=7", key_),
                        "person_id", "is not a person UUID");
  ExpectValidationError(Call("GET", "/api/projects/1/persons/cohorts/", key_), "person_id",
                        "is not a person UUID");
  EXPECT_EQ(
      Call("GET", "/api/projects/1/persons/cohorts/?person_id=00000000-0000-4000-8000-000000000099",
           key_)
          .status,
      404);
}

TEST_F(CohortsHandler, OtherOrganizationsSeeNotFound) {
  int64_t id = Create(R"({"name": "Mine", "is_static": true})");
  string ann = AddPerson(1);
  string other = SecondOrganizationKey();
  EXPECT_EQ(Call("GET", "/api/projects/1/cohorts/", other).status, 404);
  EXPECT_EQ(Call("GET", CohortPath(id), other).status, 404);
  EXPECT_EQ(Call("PATCH", CohortPath(id), other, R"({"name": "Theirs"})").status, 404);
  EXPECT_EQ(Call("DELETE", CohortPath(id), other).status, 404);
  EXPECT_EQ(Call("PATCH", AddPath(id), other, R"({"person_ids": [")" + ann + R"("]})").status, 404);
  EXPECT_EQ(meta_->CohortById(1, id)->name, "Mine");
  EXPECT_FALSE(meta_->CohortById(1, id)->deleted);
  EXPECT_EQ(persons_.StaticCohortSize(1, id).value(), 0u);
}

}  // namespace
}  // namespace hoglet::api::testing
