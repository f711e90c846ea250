// GET event_definitions/ and property_definitions/: PostHog's paged shape over the metadata
// store's definitions.
#include "api/definitions_handler.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

class DefinitionsHandler : public ApiFixture {
 protected:
  void Record(std::vector<meta::EventDefinitionSeen> events,
              std::vector<meta::PropertyDefinitionSeen> properties) {
    ASSERT_TRUE(meta_->RecordDefinitions(project_.id, events, properties, {}).ok());
  }

  static std::vector<string> Names(const JsonDoc& doc) {
    std::vector<string> names;
    for (simdjson::dom::element row : simdjson::dom::array(doc.root["results"])) {
      names.emplace_back(string_view(row["name"]));
    }
    return names;
  }
};

TEST_F(DefinitionsHandler, RequireAKeyOfTheOwningOrganization) {
  const string path = "/api/projects/1/event_definitions/";
  EXPECT_EQ(Call("GET", path, "").status, 401);
  EXPECT_EQ(Call("GET", path, project_.api_token).status, 401);
  EXPECT_EQ(Call("GET", path, SecondOrganizationKey()).status, 404);
  EXPECT_EQ(Call("GET", "/api/projects/1/property_definitions/", "").status, 401);
}

TEST_F(DefinitionsHandler, ListsEventDefinitionsInPostHogShape) {
  Record({{"$pageview", kStartUs - 1'000'000}, {"signed up", kStartUs}}, {});
  http::Response response = Call("GET", "/api/projects/1/event_definitions/", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
  EXPECT_TRUE(doc->root["next"].is_null());
  EXPECT_TRUE(doc->root["previous"].is_null());
  EXPECT_EQ(Names(*doc), (std::vector<string>{"$pageview", "signed up"}));
  simdjson::dom::element first = doc->root["results"].at(0);
  EXPECT_EQ(string_view(first["id"]).size(), 36u);
  EXPECT_EQ(string_view(first["last_seen_at"]), "2023-11-14T22:13:19.000000+00:00");
  EXPECT_EQ(string_view(first["created_at"]), "2023-11-14T22:13:20.000000+00:00");
  EXPECT_EQ(simdjson::dom::array(first["tags"]).size(), 0u);
}

TEST_F(DefinitionsHandler, SearchAndPagesWithNextAndPreviousLinks) {
  Record({{"a_click", kStartUs}, {"b_click", kStartUs}, {"c_click", kStartUs}, {"view", kStartUs}},
         {});
  http::Response response =
      Call("GET", "/api/projects/1/event_definitions/?search=CLICK&limit=1&offset=1", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 3);
  EXPECT_EQ(Names(*doc), std::vector<string>{"b_click"});
  EXPECT_EQ(string_view(doc->root["next"]),
            "http://localhost/api/projects/1/event_definitions/?search=CLICK&limit=1&offset=2");
  EXPECT_EQ(string_view(doc->root["previous"]),
            "http://localhost/api/projects/1/event_definitions/?search=CLICK&limit=1&offset=0");

  auto last = ParseJson(
      Call("GET", "/api/projects/1/event_definitions/?search=click&limit=1&offset=2", key_).body);
  EXPECT_TRUE(last->root["next"].is_null());
  EXPECT_EQ(Names(*last), std::vector<string>{"c_click"});
}

TEST_F(DefinitionsHandler, RejectsBadPagingParameters) {
  EXPECT_EQ(Call("GET", "/api/projects/1/event_definitions/?limit=0", key_).status, 400);
  EXPECT_EQ(Call("GET", "/api/projects/1/event_definitions/?limit=abc", key_).status, 400);
  EXPECT_EQ(Call("GET", "/api/projects/1/property_definitions/?offset=-1", key_).status, 400);
  EXPECT_EQ(
      Call("GET", "/api/projects/1/event_definitions/?search=" + string(201, 'x'), key_).status,
      400);
}

TEST_F(DefinitionsHandler, ListsPropertyDefinitionsWithTypes) {
  Record({}, {{"amount", meta::PropertyType::kNumeric, kStartUs},
              {"$browser", meta::PropertyType::kString, kStartUs},
              {"payload", std::nullopt, kStartUs}});
  http::Response response = Call("GET", "/api/projects/1/property_definitions/?type=event", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(Names(*doc), (std::vector<string>{"$browser", "amount", "payload"}));
  simdjson::dom::element amount = doc->root["results"].at(1);
  EXPECT_EQ(string_view(amount["property_type"]), "Numeric");
  EXPECT_TRUE(bool(amount["is_numerical"]));
  EXPECT_EQ(int64_t(amount["type"]), 1);
  simdjson::dom::element browser = doc->root["results"].at(0);
  EXPECT_EQ(string_view(browser["property_type"]), "String");
  EXPECT_FALSE(bool(browser["is_numerical"]));
  EXPECT_TRUE(doc->root["results"].at(2)["property_type"].is_null());

  auto search =
      ParseJson(Call("GET", "/api/projects/1/property_definitions/?search=%24brow", key_).body);
  EXPECT_EQ(Names(*search), std::vector<string>{"$browser"});
}

TEST_F(DefinitionsHandler, IsNumericalKeepsNumericOrOtherPropertiesWithSearchAndCount) {
  Record({}, {{"amount", meta::PropertyType::kNumeric, kStartUs},
              {"amount_text", meta::PropertyType::kString, kStartUs},
              {"price", meta::PropertyType::kNumeric, kStartUs},
              {"payload", std::nullopt, kStartUs}});
  auto numeric = ParseJson(
      Call("GET", "/api/projects/1/property_definitions/?type=event&is_numerical=true", key_).body);
  EXPECT_EQ(Names(*numeric), (std::vector<string>{"amount", "price"}));
  EXPECT_EQ(int64_t(numeric->root["count"]), 2);
  auto searched = ParseJson(
      Call("GET", "/api/projects/1/property_definitions/?is_numerical=true&search=amo", key_).body);
  EXPECT_EQ(Names(*searched), std::vector<string>{"amount"});
  EXPECT_EQ(int64_t(searched->root["count"]), 1);
  auto others =
      ParseJson(Call("GET", "/api/projects/1/property_definitions/?is_numerical=false", key_).body);
  EXPECT_EQ(Names(*others), (std::vector<string>{"amount_text", "payload"}));
  http::Response bad = Call("GET", "/api/projects/1/property_definitions/?is_numerical=1", key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find(R"("attr":"is_numerical")"), string::npos) << bad.body;
}

TEST_F(DefinitionsHandler, SearchFindsANameBeyondTheFirstPage) {
  std::vector<meta::EventDefinitionSeen> events;
  for (int i = 0; i < 150; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "event_%03d", i);
    events.push_back({name, kStartUs});
  }
  Record(events, {});
  auto first = ParseJson(Call("GET", "/api/projects/1/event_definitions/", key_).body);
  EXPECT_EQ(int64_t(first->root["count"]), 150);
  EXPECT_EQ(Names(*first).size(), 100u);
  EXPECT_EQ(Names(*first).back(), "event_099");
  auto found =
      ParseJson(Call("GET", "/api/projects/1/event_definitions/?search=ENT_14", key_).body);
  EXPECT_EQ(int64_t(found->root["count"]), 10);
  EXPECT_EQ(Names(*found).front(), "event_140");
  EXPECT_EQ(Names(*found).back(), "event_149");
}

TEST_F(DefinitionsHandler, PropertyTypeParameterSelectsTheOwner) {
  Record({}, {{"email", meta::PropertyType::kString, kStartUs}});
  auto person =
      ParseJson(Call("GET", "/api/projects/1/property_definitions/?type=person", key_).body);
  EXPECT_EQ(int64_t(person->root["count"]), 0);
  Record({}, {{"plan", meta::PropertyType::kString, kStartUs, meta::PropertyOwner::kPerson}});
  person = ParseJson(Call("GET", "/api/projects/1/property_definitions/?type=person", key_).body);
  EXPECT_EQ(Names(*person), std::vector<string>{"plan"});
  EXPECT_EQ(int64_t(person->root["results"].at(0)["type"]), 2);
  auto event = ParseJson(Call("GET", "/api/projects/1/property_definitions/", key_).body);
  EXPECT_EQ(Names(*event), std::vector<string>{"email"});
  http::Response bad = Call("GET", "/api/projects/1/property_definitions/?type=cohort", key_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("cohort"), string::npos);
  EXPECT_NE(bad.body.find(R"("attr":"type")"), string::npos) << bad.body;
}

TEST_F(DefinitionsHandler, PersonPropertiesAreSearchedAndPaged) {
  Record({}, {{"email", meta::PropertyType::kString, kStartUs, meta::PropertyOwner::kPerson},
              {"plan", meta::PropertyType::kString, kStartUs, meta::PropertyOwner::kPerson},
              {"plan_seats", meta::PropertyType::kNumeric, kStartUs, meta::PropertyOwner::kPerson},
              {"plan_event", meta::PropertyType::kString, kStartUs}});
  http::Response response =
      Call("GET", "/api/projects/1/property_definitions/?type=person&search=plan&limit=1&offset=1",
           key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
  EXPECT_EQ(Names(*doc), std::vector<string>{"plan_seats"});
  simdjson::dom::element seats = doc->root["results"].at(0);
  EXPECT_EQ(string_view(seats["property_type"]), "Numeric");
  EXPECT_TRUE(bool(seats["is_numerical"]));
  EXPECT_TRUE(seats["is_seen_on_filtered_events"].is_null());
  EXPECT_TRUE(doc->root["next"].is_null());
  EXPECT_EQ(string_view(doc->root["previous"]),
            "http://localhost/api/projects/1/property_definitions/"
            "?type=person&search=plan&limit=1&offset=0");
}

TEST_F(DefinitionsHandler, GroupPropertiesAreListedPerGroupType) {
  meta::PropertyDefinitionSeen industry{"industry", meta::PropertyType::kString, kStartUs,
                                        meta::PropertyOwner::kGroup};
  industry.group_type_index = 0;
  meta::PropertyDefinitionSeen seats{"seats", meta::PropertyType::kNumeric, kStartUs,
                                     meta::PropertyOwner::kGroup};
  seats.group_type_index = 1;
  Record({}, {industry, seats, {"industry", meta::PropertyType::kString, kStartUs}});
  auto first = ParseJson(
      Call("GET", "/api/projects/1/property_definitions/?type=group&group_type_index=0", key_)
          .body);
  EXPECT_EQ(Names(*first), std::vector<string>{"industry"});
  EXPECT_EQ(int64_t(first->root["results"].at(0)["type"]), 3);
  EXPECT_EQ(int64_t(first->root["results"].at(0)["group_type_index"]), 0);
  auto all = ParseJson(Call("GET", "/api/projects/1/property_definitions/?type=group", key_).body);
  EXPECT_EQ(Names(*all), (std::vector<string>{"industry", "seats"}));
  auto events = ParseJson(Call("GET", "/api/projects/1/property_definitions/", key_).body);
  EXPECT_TRUE(events->root["results"].at(0)["group_type_index"].is_null());
  for (const char* bad : {"?type=group&group_type_index=5", "?type=group&group_type_index=x",
                          "?type=person&group_type_index=0", "?group_type_index=1"}) {
    http::Response response =
        Call("GET", string("/api/projects/1/property_definitions/") + bad, key_);
    EXPECT_EQ(response.status, 400) << bad;
    EXPECT_NE(response.body.find(R"("attr":"group_type_index")"), string::npos) << response.body;
  }
}

TEST_F(DefinitionsHandler, EventNamesMarkAndFilterEventProperties) {
  Record({}, {{"page", meta::PropertyType::kString, kStartUs},
              {"pages", meta::PropertyType::kNumeric, kStartUs},
              {"source", meta::PropertyType::kString, kStartUs}});
  ASSERT_TRUE(meta_
                  ->RecordEventProperties(project_.id,
                                          {{"report viewed", "page"},
                                           {"report viewed", "pages"},
                                           {"signed up", "source"},
                                           {"signed up", "page"}},
                                          {})
                  .ok());
  const string base = "/api/projects/1/property_definitions/?type=event";
  // event_names=["signed up"]: marked, those seen first.
  http::Response marked = Call("GET", base + "&event_names=%5B%22signed%20up%22%5D", key_);
  ASSERT_EQ(marked.status, 200) << marked.body;
  auto doc = ParseJson(marked.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 3);
  EXPECT_EQ(Names(*doc), (std::vector<string>{"page", "source", "pages"}));
  EXPECT_TRUE(bool(doc->root["results"].at(0)["is_seen_on_filtered_events"]));
  EXPECT_TRUE(bool(doc->root["results"].at(1)["is_seen_on_filtered_events"]));
  EXPECT_FALSE(bool(doc->root["results"].at(2)["is_seen_on_filtered_events"]));
  // With filter_by_event_names=true: only those seen, and the count says so.
  http::Response filtered = Call(
      "GET", base + "&event_names=%5B%22report%20viewed%22%5D&filter_by_event_names=true&limit=1",
      key_);
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  doc = ParseJson(filtered.body);
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
  EXPECT_EQ(Names(*doc), std::vector<string>{"page"});
  EXPECT_FALSE(doc->root["next"].is_null());
  // filter_by_event_names=false and an empty list change nothing.
  doc = ParseJson(Call("GET", base + "&event_names=%5B%5D&filter_by_event_names=false", key_).body);
  EXPECT_EQ(int64_t(doc->root["count"]), 3);
  EXPECT_TRUE(doc->root["results"].at(0)["is_seen_on_filtered_events"].is_null());
}

TEST_F(DefinitionsHandler, RejectsBadEventNames) {
  const string base = "/api/projects/1/property_definitions/";
  http::Response not_json = Call("GET", base + "?event_names=signed", key_);
  EXPECT_EQ(not_json.status, 400);
  EXPECT_NE(not_json.body.find(R"("attr":"event_names")"), string::npos) << not_json.body;
  EXPECT_EQ(Call("GET", base + "?event_names=%5B1%5D", key_).status, 400);
  string many = "%5B";
  for (size_t i = 0; i <= meta::DefinitionListQuery::kMaxEventNames; ++i) {
    many += (i == 0 ? "" : ",") + string("%22e%22");
  }
  many += "%5D";
  EXPECT_EQ(Call("GET", base + "?event_names=" + many, key_).status, 400);
  // Only event properties are paired with events (as PostHog).
  EXPECT_EQ(Call("GET", base + "?type=person&event_names=%5B%22e%22%5D", key_).status, 400);
  EXPECT_EQ(Call("GET", base + "?filter_by_event_names=maybe", key_).status, 400);
}

TEST_F(DefinitionsHandler, PatchChangesDescriptionTagsAndVerifiedOnly) {
  Record({{"signed up", kStartUs}}, {{"plan", meta::PropertyType::kString, kStartUs}});
  auto list = ParseJson(Call("GET", "/api/projects/1/event_definitions/", key_).body);
  string id(string_view(list->root["results"].at(0)["id"]));
  EXPECT_EQ(string_view(list->root["results"].at(0)["description"]), "");
  EXPECT_FALSE(bool(list->root["results"].at(0)["verified"]));
  EXPECT_TRUE(list->root["results"].at(0)["updated_by"].is_null());

  clock_.Advance(5'000'000);
  http::Response patched =
      Call("PATCH", "/api/projects/1/event_definitions/" + id + "/", key_,
           R"({"description": "A <b>new</b> account", "tags": ["growth", "core"],
               "verified": true, "name": "renamed", "last_seen_at": null})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto doc = ParseJson(patched.body);
  EXPECT_EQ(string_view(doc->root["name"]), "signed up");  // read-only
  EXPECT_EQ(string_view(doc->root["description"]), "A <b>new</b> account");
  EXPECT_EQ(simdjson::dom::array(doc->root["tags"]).size(), 2u);
  EXPECT_EQ(string_view(doc->root["tags"].at(1)), "core");
  EXPECT_TRUE(bool(doc->root["verified"]));
  EXPECT_EQ(string_view(doc->root["updated_at"]), "2023-11-14T22:13:25.000000+00:00");
  EXPECT_EQ(string_view(doc->root["last_updated_at"]), "2023-11-14T22:13:25.000000+00:00");
  EXPECT_FALSE(doc->root["updated_by"].is_null());

  // A later PATCH keeps what it does not name; GET and the list show the stored notes.
  ASSERT_EQ(
      Call("PATCH", "/api/projects/1/event_definitions/" + id + "/", key_, R"({"verified": false})")
          .status,
      200);
  auto got = ParseJson(Call("GET", "/api/projects/1/event_definitions/" + id + "/", key_).body);
  EXPECT_EQ(string_view(got->root["description"]), "A <b>new</b> account");
  EXPECT_FALSE(bool(got->root["verified"]));
  auto again = ParseJson(Call("GET", "/api/projects/1/event_definitions/", key_).body);
  EXPECT_EQ(string_view(again->root["results"].at(0)["description"]), "A <b>new</b> account");

  auto properties = ParseJson(Call("GET", "/api/projects/1/property_definitions/", key_).body);
  string property_id(string_view(properties->root["results"].at(0)["id"]));
  http::Response property =
      Call("PATCH", "/api/projects/1/property_definitions/" + property_id + "/", key_,
           R"({"description": "Billing plan"})");
  ASSERT_EQ(property.status, 200) << property.body;
  EXPECT_EQ(string_view(ParseJson(property.body)->root["description"]), "Billing plan");
  EXPECT_EQ(string_view(ParseJson(property.body)->root["property_type"]), "String");
}

TEST_F(DefinitionsHandler, PatchRefusesBadFieldsAndUnknownIds) {
  Record({{"signed up", kStartUs}}, {});
  auto list = ParseJson(Call("GET", "/api/projects/1/event_definitions/", key_).body);
  string path = "/api/projects/1/event_definitions/" +
                string(string_view(list->root["results"].at(0)["id"])) + "/";
  http::Response tags = Call("PATCH", path, key_, R"({"tags": [1, 2]})");
  EXPECT_EQ(tags.status, 400);
  EXPECT_NE(tags.body.find(R"("attr":"tags")"), string::npos) << tags.body;
  http::Response verified = Call("PATCH", path, key_, R"({"verified": "yes"})");
  EXPECT_EQ(verified.status, 400);
  EXPECT_NE(verified.body.find(R"("attr":"verified")"), string::npos) << verified.body;
  http::Response description =
      Call("PATCH", path, key_, R"({"description": ")" + string(10'001, 'x') + R"("})");
  EXPECT_EQ(description.status, 400);
  EXPECT_NE(description.body.find(R"("attr":"description")"), string::npos) << description.body;
  EXPECT_EQ(Call("PATCH", path, key_, "not json").status, 400);
  EXPECT_EQ(Call("PATCH", "/api/projects/1/event_definitions/0190f000-0000-7000-8000-000000000000/",
                 key_, R"({"description": "x"})")
                .status,
            404);
  EXPECT_EQ(Call("GET", "/api/projects/1/property_definitions/nope/", key_).status, 404);
  EXPECT_EQ(Call("PATCH", path, SecondOrganizationKey(), R"({"description": "x"})").status, 404);
  auto unchanged = ParseJson(Call("GET", path, key_).body);
  EXPECT_EQ(string_view(unchanged->root["description"]), "");
}

}  // namespace
}  // namespace hoglet::api::testing
