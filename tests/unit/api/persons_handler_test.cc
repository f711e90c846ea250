// The persons endpoints over a fake person store: list shape, display names, filters, paging,
// get and delete by UUID.
#include "api/persons_handler.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr int64_t kSecondUs = 1'000'000;

class PersonsHandler : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
  }

  persons::Person& Add(int n, std::string properties, std::vector<string> distinct_ids,
                       int64_t team_id = 1) {
    persons::Person person;
    person.uuid = *Uuid::Parse("00000000-0000-4000-8000-00000000000" + std::to_string(n));
    person.team_id = team_id;
    person.properties = std::move(properties);
    person.distinct_ids = std::move(distinct_ids);
    person.created_at_us = kStartUs + n * kSecondUs;
    person.is_identified = n % 2 == 0;
    persons_.persons.push_back(person);
    return persons_.persons.back();
  }

  static std::vector<string> Names(const JsonDoc& doc) {
    std::vector<string> names;
    for (simdjson::dom::element row : simdjson::dom::array(doc.root["results"])) {
      names.emplace_back(string_view(row["name"]));
    }
    return names;
  }

  FakePersonStore persons_;
};

TEST_F(PersonsHandler, RequireAKeyOfTheOwningOrganization) {
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", "").status, 401);
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", SecondOrganizationKey()).status, 404);
}

TEST_F(PersonsHandler, ListsNewestFirstInPostHogShape) {
  Add(1, R"({"email":"ann@example.com","plan":"pro"})", {"ann", "anon-1"});
  Add(2, R"({"name":"Bob"})", {"bob"});
  Add(3, R"({"email":"","username":"carol"})", {"c"});
  Add(4, R"({})", {"dave-device"});
  Add(5, R"({"email":"other@team.com"})", {"x"}, /*team_id=*/2);
  http::Response response = Call("GET", "/api/projects/1/persons/", key_);
  ASSERT_EQ(response.status, 200) << response.body;
  auto doc = ParseJson(response.body);
  EXPECT_EQ(Names(*doc), (std::vector<string>{"dave-device", "carol", "Bob", "ann@example.com"}));
  EXPECT_TRUE(doc->root["next"].is_null());
  EXPECT_TRUE(doc->root["previous"].is_null());
  simdjson::dom::element ann = doc->root["results"].at(3);
  EXPECT_EQ(string_view(ann["id"]), "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(string_view(ann["uuid"]), "00000000-0000-4000-8000-000000000001");
  EXPECT_EQ(simdjson::dom::array(ann["distinct_ids"]).size(), 2u);
  EXPECT_EQ(string_view(ann["distinct_ids"].at(1)), "anon-1");
  EXPECT_EQ(string_view(ann["properties"]["plan"]), "pro");
  EXPECT_FALSE(bool(ann["is_identified"]));
  EXPECT_EQ(string_view(ann["created_at"]), "2023-11-14T22:13:21.000000+00:00");
}

TEST_F(PersonsHandler, PassesDistinctIdAndSearchToTheStore) {
  Add(1, R"({"email":"ann@example.com"})", {"ann"});
  Add(2, R"({"email":"bob@example.com"})", {"bob"});
  auto by_id = ParseJson(Call("GET", "/api/projects/1/persons/?distinct_id=bob", key_).body);
  EXPECT_EQ(Names(*by_id), std::vector<string>{"bob@example.com"});
  auto search = ParseJson(Call("GET", "/api/projects/1/persons/?search=ann%40", key_).body);
  EXPECT_EQ(Names(*search), std::vector<string>{"ann@example.com"});
  ASSERT_FALSE(persons_.list_queries.empty());
  EXPECT_EQ(persons_.list_queries.back().search, "ann@");
}

TEST_F(PersonsHandler, PagesWithANextUrl) {
  for (int n = 1; n <= 5; ++n) Add(n, "{}", {"p" + std::to_string(n)});
  auto first = ParseJson(Call("GET", "/api/projects/1/persons/?limit=2", key_).body);
  EXPECT_EQ(Names(*first), (std::vector<string>{"p5", "p4"}));
  EXPECT_EQ(string_view(first->root["next"]),
            "http://localhost/api/projects/1/persons/?limit=2&offset=2");
  auto last = ParseJson(Call("GET", "/api/projects/1/persons/?limit=2&offset=4", key_).body);
  EXPECT_EQ(Names(*last), std::vector<string>{"p1"});
  EXPECT_TRUE(last->root["next"].is_null());
  EXPECT_EQ(string_view(last->root["previous"]),
            "http://localhost/api/projects/1/persons/?limit=2&offset=2");
}

TEST_F(PersonsHandler, FiltersOnPersonProperties) {
  Add(1, R"({"plan":"pro","age":30})", {"a"});
  Add(2, R"({"plan":"free","age":20})", {"b"});
  Add(3, R"({"plan":"pro","age":40})", {"c"});
  Add(4, R"({"age":50})", {"d"});
  string filter =
      PercentEncode(R"([{"key":"plan","value":"pro","operator":"exact","type":"person"}])");
  auto pro = ParseJson(Call("GET", "/api/projects/1/persons/?properties=" + filter, key_).body);
  EXPECT_EQ(Names(*pro), (std::vector<string>{"c", "a"}));

  string two = PercentEncode(
      R"({"type":"AND","values":[{"key":"age","value":25,"operator":"gt","type":"person"},)"
      R"({"key":"plan","operator":"is_not_set","type":"person"}]})");
  auto old = ParseJson(Call("GET", "/api/projects/1/persons/?properties=" + two, key_).body);
  EXPECT_EQ(Names(*old), std::vector<string>{"d"});

  string either =
      PercentEncode(R"({"type":"OR","values":[{"key":"age","value":50,"type":"person"},)"
                    R"({"key":"plan","value":"free","type":"person"}]})");
  auto or_group =
      ParseJson(Call("GET", "/api/projects/1/persons/?properties=" + either, key_).body);
  EXPECT_EQ(Names(*or_group), (std::vector<string>{"d", "b"}));
  // `exact` is case-sensitive, as in PostHog's persons list.
  string upper =
      PercentEncode(R"([{"key":"plan","value":"FREE","operator":"exact","type":"person"}])");
  auto nobody_upper =
      ParseJson(Call("GET", "/api/projects/1/persons/?properties=" + upper, key_).body);
  EXPECT_TRUE(Names(*nobody_upper).empty());
  string none = PercentEncode(R"({"type":"OR","values":[]})");
  auto nobody = ParseJson(Call("GET", "/api/projects/1/persons/?properties=" + none, key_).body);
  EXPECT_TRUE(Names(*nobody).empty());

  // Paging counts matches, not scanned persons.
  auto paged =
      ParseJson(Call("GET", "/api/projects/1/persons/?limit=1&properties=" + filter, key_).body);
  EXPECT_EQ(Names(*paged), std::vector<string>{"c"});
  EXPECT_FALSE(paged->root["next"].is_null());
  auto second = ParseJson(
      Call("GET", "/api/projects/1/persons/?limit=1&offset=1&properties=" + filter, key_).body);
  EXPECT_EQ(Names(*second), std::vector<string>{"a"});
  EXPECT_TRUE(second->root["next"].is_null());
}

TEST_F(PersonsHandler, RejectsUnsupportedFiltersByName) {
  string cohort = PercentEncode(R"([{"key":"id","value":3,"type":"cohort"}])");
  http::Response response = Call("GET", "/api/projects/1/persons/?properties=" + cohort, key_);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("cohort"), string::npos) << response.body;
  string op = PercentEncode(R"([{"key":"a","value":1,"operator":"between","type":"person"}])");
  response = Call("GET", "/api/projects/1/persons/?properties=" + op, key_);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("between"), string::npos) << response.body;
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/?properties=%5B", key_).status, 400);
  string bad_regex = PercentEncode(R"([{"key":"a","value":"(","operator":"regex"}])");
  response = Call("GET", "/api/projects/1/persons/?properties=" + bad_regex, key_);
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("the filter on 'a' has a regex that RE2 cannot use"), string::npos)
      << response.body;
}

TEST_F(PersonsHandler, GetsAndDeletesByUuid) {
  Add(1, R"({"email":"ann@example.com"})", {"ann"});
  Add(2, R"({})", {"x"}, /*team_id=*/2);
  const string path = "/api/projects/1/persons/00000000-0000-4000-8000-000000000001/";
  http::Response got = Call("GET", path, key_);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(string_view(ParseJson(got.body)->root["name"]), "ann@example.com");

  // Another project's person is not visible here.
  EXPECT_EQ(
      Call("GET", "/api/projects/1/persons/00000000-0000-4000-8000-000000000002/", key_).status,
      404);
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/42/", key_).status, 400);

  http::Response deleted = Call("DELETE", path, key_);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(Call("GET", path, key_).status, 404);
  EXPECT_EQ(Call("DELETE", path, key_).status, 404);
  EXPECT_EQ(Call("DELETE", path, "").status, 401);
}

TEST_F(PersonsHandler, StoreFailuresAndAMissingStoreAre503) {
  persons_.fail = true;
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", key_).status, 503);
  context_.persons = nullptr;
  EXPECT_EQ(Call("GET", "/api/projects/1/persons/", key_).status, 503);
}

}  // namespace
}  // namespace hoglet::api::testing
