// Static cohorts from CSV files (multipart POST and PATCH …/cohorts/), the CSV and multipart
// readers behind them, and …/cohorts/{id}/persons/ for static and dynamic cohorts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/cohort_csv.h"
#include "api/multipart_form.h"
#include "tests/support/fake_person_store.h"
#include "tests/unit/api/api_fixture.h"

namespace hoglet::api::testing {
namespace {

using std::string;
using std::string_view;

constexpr char kBoundary[] = "----hogletBoundary7MA4YWxk";

// A multipart body of text fields and one file field named csv (when `csv` is not null).
string Multipart(const std::vector<std::pair<string, string>>& fields, const char* csv) {
  string body;
  for (const auto& [name, value] : fields) {
    body += string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name +
            "\"\r\n\r\n" + value + "\r\n";
  }
  if (csv != nullptr) {
    body += string("--") + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"ids.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n" +
            csv + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

string ContentType() { return string("multipart/form-data; boundary=") + kBoundary; }

TEST(MultipartForm, SplitsPartsWithNamesFileNamesAndBytes) {
  string body = "preamble\r\n" + Multipart({{"name", "Beta users"}, {"is_static", "true"}},
                                           "a,b\r\n\r\n--not-a-boundary\r\n");
  auto parts = ParseMultipartForm(ContentType(), body);
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_EQ((*parts)[0].name, "name");
  EXPECT_EQ((*parts)[0].data, "Beta users");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[2].name, "csv");
  EXPECT_EQ((*parts)[2].filename, "ids.csv");
  EXPECT_EQ((*parts)[2].content_type, "text/csv");
  EXPECT_EQ((*parts)[2].data, "a,b\r\n\r\n--not-a-boundary\r\n");
  EXPECT_EQ(FindPart(*parts, "is_static")->data, "true");
  EXPECT_EQ(FindPart(*parts, "missing"), nullptr);
  // A quoted boundary parameter is unquoted.
  EXPECT_TRUE(
      ParseMultipartForm(string("multipart/form-data; boundary=\"") + kBoundary + "\"", body).ok());
}

TEST(MultipartForm, RefusesMalformedBodies) {
  string good = Multipart({{"name", "x"}}, nullptr);
  EXPECT_FALSE(ParseMultipartForm("application/json", good).ok());
  EXPECT_FALSE(ParseMultipartForm("multipart/form-data", good).ok());  // no boundary
  EXPECT_FALSE(ParseMultipartForm(ContentType(), "no boundary here").ok());
  string unterminated =
      string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue";
  EXPECT_FALSE(ParseMultipartForm(ContentType(), unterminated).ok());
  string nameless = string("--") + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" +
                    kBoundary + "--";
  EXPECT_FALSE(ParseMultipartForm(ContentType(), nameless).ok());
  auto limited = ParseMultipartForm(ContentType(), Multipart({{"a", "1"}, {"b", "2"}}, nullptr), 1);
  EXPECT_FALSE(limited.ok());
}

TEST(CohortCsv, FirstColumnOrTheDistinctIdColumn) {
  auto plain = DistinctIdsFromCsv("user-1,extra\nuser-2\r\n\n user-3 \nuser-1\n");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain, (std::vector<string>{"user-1", "user-2", "user-3"}));

  auto headed = DistinctIdsFromCsv(
      "\xEF\xBB\xBF"
      "email,Distinct_ID\na@x.com,\"id, with comma\"\n"
      "b@x.com,\"say \"\"hi\"\"\"\nc@x.com\n");
  ASSERT_TRUE(headed.ok()) << headed.status().ToString();
  EXPECT_EQ(*headed, (std::vector<string>{"id, with comma", "say \"hi\""}));
}

TEST(CohortCsv, RefusesBadFiles) {
  EXPECT_FALSE(DistinctIdsFromCsv("").ok());
  EXPECT_FALSE(DistinctIdsFromCsv("distinct_id\n").ok());
  EXPECT_FALSE(DistinctIdsFromCsv("\"open quote\nuser-2\n").ok());
  EXPECT_FALSE(DistinctIdsFromCsv("user-\xff\n").ok());
  EXPECT_FALSE(DistinctIdsFromCsv(string(kMaxCohortCsvBytes + 1, 'a')).ok());
  string many;
  for (size_t i = 0; i <= kMaxCohortCsvDistinctIds; ++i) many += std::to_string(i) + "\n";
  auto too_many = DistinctIdsFromCsv(many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.status().message().find("more than 100000"), string::npos);
}

class CohortUpload : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    context_.persons = &persons_;
  }

  // A person with `distinct_id` and `properties`, created `n` seconds after the start.
  string AddPerson(int n, const string& distinct_id, const string& properties = "{}") {
    persons::Person person;
    person.uuid = *Uuid::Parse("00000000-0000-4000-8000-0000000000" + std::to_string(10 + n));
    person.team_id = 1;
    person.distinct_ids = {distinct_id};
    person.properties = properties;
    person.created_at_us = kStartUs + n * 1'000'000;
    persons_.persons.push_back(person);
    return person.uuid.ToString();
  }

  http::Response Upload(const string& method, const string& path, const string& body,
                        const string& content_type = ContentType()) {
    return Send(method, path, {{"Authorization", "Bearer " + key_}, {"Content-Type", content_type}},
                body);
  }

  std::vector<string> PersonIds(const string& path) {
    http::Response response = Call("GET", path, key_);
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<string> ids;
    if (response.status != 200) return ids;
    auto doc = ParseJson(response.body);
    for (simdjson::dom::element person : simdjson::dom::array(doc->root["results"])) {
      ids.emplace_back(string_view(person["uuid"]));
    }
    return ids;
  }

  static void ExpectFieldError(const http::Response& response, string_view attr) {
    ASSERT_EQ(response.status, 400) << response.body;
    auto doc = ParseJson(response.body);
    EXPECT_EQ(string_view(doc->root["attr"]), attr) << response.body;
  }

  FakePersonStore persons_;
};

TEST_F(CohortUpload, CsvMakesAStaticCohortOfTheKnownDistinctIds) {
  string ann = AddPerson(1, "ann");
  string bob = AddPerson(2, "bob");
  AddPerson(3, "cid");
  http::Response created =
      Upload("POST", "/api/projects/1/cohorts/",
             Multipart({{"name", "From CSV"}, {"is_static", "true"}, {"description", "uploaded"}},
                       "distinct_id\nann\nnobody\nbob\nann\n"));
  ASSERT_EQ(created.status, 201) << created.body;
  auto doc = ParseJson(created.body);
  int64_t id = int64_t(doc->root["id"]);
  EXPECT_TRUE(bool(doc->root["is_static"]));
  EXPECT_EQ(string_view(doc->root["name"]), "From CSV");
  EXPECT_EQ(string_view(doc->root["description"]), "uploaded");
  EXPECT_EQ(int64_t(doc->root["count"]), 2);
  string persons = "/api/projects/1/cohorts/" + std::to_string(id) + "/persons/";
  EXPECT_EQ(PersonIds(persons), (std::vector<string>{bob, ann}));  // newest first

  // A PATCH with another file adds its persons.
  http::Response added = Upload("PATCH", "/api/projects/1/cohorts/" + std::to_string(id) + "/",
                                Multipart({}, "cid\n"));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(int64_t(ParseJson(added.body)->root["count"]), 3);
  EXPECT_EQ(PersonIds(persons).size(), 3u);
}

TEST_F(CohortUpload, BadUploadsNameTheirField) {
  const string path = "/api/projects/1/cohorts/";
  ExpectFieldError(Upload("POST", path, Multipart({{"name", "x"}, {"is_static", "true"}}, nullptr)),
                   "csv");
  ExpectFieldError(
      Upload("POST", path, Multipart({{"name", "x"}, {"is_static", "true"}}, "\"unclosed\n")),
      "csv");
  ExpectFieldError(Upload("POST", path, Multipart({{"name", "x"}}, "distinct_id\n")), "csv");
  ExpectFieldError(Upload("POST", path, Multipart({{"is_static", "true"}}, "ann\n")), "name");
  ExpectFieldError(Upload("POST", path, Multipart({{"name", "  "}}, "ann\n")), "name");
  ExpectFieldError(
      Upload("POST", path, Multipart({{"name", "x"}, {"is_static", "false"}}, "ann\n")),
      "is_static");
  ExpectFieldError(
      Upload("POST", path, Multipart({{"name", "x"}, {"is_static", "maybe"}}, "ann\n")),
      "is_static");
  EXPECT_EQ(Upload("POST", path, "garbage").status, 400);
  EXPECT_EQ(Upload("POST", path, Multipart({{"name", "x"}}, "ann\n"), "multipart/form-data").status,
            400);

  // A dynamic cohort takes no CSV.
  http::Response dynamic = Call("POST", path, key_,
                                R"({"name": "d", "filters": {"properties": {"type": "AND",
                                    "values": [{"key": "plan", "value": "pro", "type": "person"}]}}})");
  ASSERT_EQ(dynamic.status, 201) << dynamic.body;
  string dynamic_path = path + std::to_string(int64_t(ParseJson(dynamic.body)->root["id"])) + "/";
  ExpectFieldError(Upload("PATCH", dynamic_path, Multipart({}, "ann\n")), "csv");
  // No cohort was created by the refused uploads.
  auto list = ParseJson(Call("GET", path, key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 1);
}

TEST_F(CohortUpload, PersonsOfADynamicCohortAreThoseItsFiltersMatch) {
  string pro1 = AddPerson(1, "p1", R"({"plan": "pro", "email": "a@acme.com"})");
  AddPerson(2, "f1", R"({"plan": "free"})");
  string pro2 = AddPerson(3, "p2", R"({"plan": "pro"})");
  AddPerson(4, "n1", "{}");
  string acme = AddPerson(5, "a2", R"({"plan": "free", "email": "b@ACME.com"})");
  http::Response created = Call("POST", "/api/projects/1/cohorts/", key_, R"({"name": "Pro or acme",
      "filters": {"properties": {"type": "OR", "values": [
        {"type": "AND", "values": [{"key": "plan", "value": "pro", "type": "person",
                                    "operator": "exact"}]},
        {"type": "AND", "values": [{"key": "email", "value": "acme.com", "type": "person",
                                    "operator": "icontains"}]}]}}})");
  ASSERT_EQ(created.status, 201) << created.body;
  string persons = "/api/projects/1/cohorts/" +
                   std::to_string(int64_t(ParseJson(created.body)->root["id"])) + "/persons/";
  EXPECT_EQ(PersonIds(persons), (std::vector<string>{acme, pro2, pro1}));

  // Pages count cohort members, not scanned persons.
  EXPECT_EQ(PersonIds(persons + "?limit=1&offset=1"), std::vector<string>{pro2});
  auto page = ParseJson(Call("GET", persons + "?limit=2", key_).body);
  EXPECT_FALSE(page->root["next"].is_null());
  auto last = ParseJson(Call("GET", persons + "?limit=2&offset=2", key_).body);
  EXPECT_TRUE(last->root["next"].is_null());

  EXPECT_EQ(Call("GET", "/api/projects/1/cohorts/999/persons/", key_).status, 404);
  EXPECT_EQ(Call("GET", persons + "?limit=0", key_).status, 400);
  EXPECT_EQ(Call("GET", persons, "").status, 401);
}

TEST_F(CohortUpload, BehavioralCriteriaAreSavedAsWritten) {
  http::Response created = Call("POST", "/api/projects/1/cohorts/", key_, R"({"name": "b",
      "filters": {"properties": {"type": "OR", "values": [{"type": "AND", "values": [
        {"key": "plan", "value": "pro", "type": "person"},
        {"type": "behavioral", "value": "performed_event_multiple", "key": "signed up",
         "event_type": "events", "time_value": 30, "time_interval": "day", "operator": "gte",
         "operator_value": 2, "negation": true,
         "event_filters": [{"key": "$browser", "value": "Chrome", "type": "event"}]}]}]}}})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto cohort = ParseJson(created.body);
  simdjson::dom::element criterion =
      cohort->root["filters"]["properties"]["values"].at(0)["values"].at(1);
  EXPECT_EQ(string_view(criterion["value"]), "performed_event_multiple");
  EXPECT_EQ(int64_t(criterion["operator_value"]), 2);
  EXPECT_EQ(string_view(criterion["event_filters"].at(0)["value"]), "Chrome");
}

TEST_F(CohortUpload, CriteriaTheServerCannotMatchAreRefused) {
  http::Response sequence = Call("POST", "/api/projects/1/cohorts/", key_, R"({"name": "b",
      "filters": {"properties": {"type": "OR", "values": [{"type": "AND", "values": [
        {"key": "plan", "value": "pro", "type": "person"},
        {"type": "behavioral", "value": "performed_event_daily", "key": "signed up",
         "event_type": "events", "time_value": 30, "time_interval": "day"}]}]}}})");
  ASSERT_EQ(sequence.status, 400) << sequence.body;
  EXPECT_EQ(string_view(ParseJson(sequence.body)->root["attr"]), "filters");
  EXPECT_NE(sequence.body.find("value 'performed_event_daily' are not supported"), string::npos)
      << sequence.body;
  http::Response no_window = Call("POST", "/api/projects/1/cohorts/", key_, R"({"name": "w",
      "filters": {"properties": {"type": "AND", "values": [
        {"type": "behavioral", "value": "performed_event", "key": "signed up",
         "event_type": "events"}]}}})");
  ASSERT_EQ(no_window.status, 400) << no_window.body;
  EXPECT_NE(no_window.body.find("time_value"), string::npos) << no_window.body;
  http::Response group = Call("POST", "/api/projects/1/cohorts/", key_, R"({"name": "g",
      "filters": {"properties": {"type": "AND", "values": [
        {"key": "industry", "value": "tech", "type": "group", "group_type_index": 0}]}}})");
  EXPECT_EQ(group.status, 400) << group.body;
  auto list = ParseJson(Call("GET", "/api/projects/1/cohorts/", key_).body);
  EXPECT_EQ(int64_t(list->root["count"]), 0);
}

TEST_F(CohortUpload, ADeletedCohortHasNobody) {
  AddPerson(1, "ann");
  http::Response created = Upload("POST", "/api/projects/1/cohorts/",
                                  Multipart({{"name", "s"}, {"is_static", "true"}}, "ann\n"));
  ASSERT_EQ(created.status, 201) << created.body;
  string path = "/api/projects/1/cohorts/" +
                std::to_string(int64_t(ParseJson(created.body)->root["id"])) + "/";
  EXPECT_EQ(PersonIds(path + "persons/").size(), 1u);
  ASSERT_EQ(Call("PATCH", path, key_, R"({"deleted": true})").status, 200);
  EXPECT_TRUE(PersonIds(path + "persons/").empty());
}

}  // namespace
}  // namespace hoglet::api::testing
