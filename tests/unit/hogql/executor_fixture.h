// The fixture of the HogQL executor's tests and of the queries composed over it (EventsQuery): a
// real columnar store of events, persons' current properties and the person store's tables served
// by fakes, and helpers that run a query and show its rows as JSON or its error.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/json_writer.h"
#include "base/time_format.h"
#include "hogql/executor/executor.h"
#include "hogql/executor/person_tables.h"
#include "hogql/executor/planner.h"
#include "query/aggregate.h"
#include "store/columnar_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::hogql {

inline constexpr int64_t kTeam = 7;

inline int64_t At(const char* iso) { return *ParseIsoMicros(iso); }

inline Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = 0xAA;
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

class FakePersonProperties final : public query::PersonProperties {
 public:
  void Set(int person, const char* json) {
    by_person_[PersonUuid(person)] = *filters::ParseProperties(json);
  }
  StatusOr<const filters::Properties*> Of(const Uuid& person) override {
    auto found = by_person_.find(person);
    return found != by_person_.end() ? &found->second : &none_;
  }

 private:
  std::unordered_map<Uuid, filters::Properties, query::UuidHash> by_person_;
  filters::Properties none_;
};

// The persons and groups tables of one project.
class FakePersonTables final : public PersonTableReader {
 public:
  // Person `n` (distinct ids "d<n>" and `more`), created on day `n` of January 2024.
  void AddPerson(int n, std::string properties, bool identified = false,
                 std::vector<std::string> more = {}) {
    PersonRecord person;
    person.id = PersonUuid(n).ToString();
    person.created_at_us = At("2024-01-01T00:00:00Z") + (n - 1) * 86'400'000'000LL;
    person.properties = std::move(properties);
    person.is_identified = identified;
    person.distinct_ids = {"d" + std::to_string(n)};
    for (std::string& id : more) person.distinct_ids.push_back(std::move(id));
    persons_.push_back(std::move(person));
  }
  void AddGroup(int index, std::string key, std::string properties) {
    groups_.push_back({index, std::move(key), At("2024-01-02T00:00:00Z"), std::move(properties)});
  }
  StatusOr<std::vector<PersonRecord>> Persons(size_t max_rows) override {
    return std::vector<PersonRecord>(persons_.begin(),
                                     persons_.begin() + std::min(persons_.size(), max_rows + 1));
  }
  StatusOr<std::vector<GroupRecord>> Groups(size_t max_rows) override {
    return std::vector<GroupRecord>(groups_.begin(),
                                    groups_.begin() + std::min(groups_.size(), max_rows + 1));
  }

 private:
  std::vector<PersonRecord> persons_;
  std::vector<GroupRecord> groups_;
};

class HogQLExecutor : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.fsync = false;
    options.merge_threads = 0;
    store_ = *store::OpenColumnarStore(options);
    context_.now_us = At("2024-01-10T15:00:00Z");
    context_.overrides = &overrides_;
    context_.person_properties = &persons_;
    context_.person_tables = &tables_;
  }
  void TearDown() override { store_->Close(); }

  // One event of `person` (its distinct id is "d<person>").
  void Add(const char* event, int person, const char* time, std::string properties = "{}",
           int64_t team = kTeam) {
    store::Event e;
    e.uuid.bytes[0] = static_cast<uint8_t>(++sequence_ >> 8);
    e.uuid.bytes[1] = static_cast<uint8_t>(sequence_);
    e.team_id = team;
    e.event = event;
    e.distinct_id = "d" + std::to_string(person);
    e.person_id = PersonUuid(person);
    e.timestamp_us = At(time);
    e.created_at_us = e.timestamp_us;
    e.properties = std::move(properties);
    pending_.push_back(std::move(e));
  }

  StatusOr<HogQLResult> Run(const std::string& text) {
    if (!pending_.empty()) {
      EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
      pending_.clear();
    }
    return RunHogQL(text, context_, store_->scan_source(), kTeam);
  }

  // The rows as JSON, e.g. [["a",1],["b",2]].
  std::string Rows(const std::string& text) {
    StatusOr<HogQLResult> result = Run(text);
    EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
    if (!result.ok()) return result.status().ToString();
    JsonWriter w;
    w.BeginArray();
    for (const auto& row : result->rows) {
      w.BeginArray();
      for (const Value& value : row) WriteValueJson(value, context_.zone, &w);
      w.EndArray();
    }
    w.EndArray();
    return std::move(w).Take();
  }

  // The message of the error a query gives.
  std::string Error(const std::string& text) {
    StatusOr<HogQLResult> result = Run(text);
    EXPECT_FALSE(result.ok()) << text;
    if (result.ok()) return "ok";
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().ToString();
    return result.status().message();
  }

  void AddBrowsers() {
    Add("pageview", 1, "2024-01-09T10:00:00Z", R"({"$browser":"Chrome","price":10,"plan":"pro"})");
    Add("pageview", 1, "2024-01-09T11:00:00Z", R"({"$browser":"Chrome","price":"5"})");
    Add("pageview", 2, "2024-01-09T12:00:00Z", R"({"$browser":"Firefox","price":7})");
    Add("pageview", 2, "2024-01-10T01:00:00Z", R"({"$browser":"","price":"abc"})");
    Add("pageview", 3, "2024-01-10T02:00:00Z", R"({"$browser":null})");
    Add("signup", 3, "2024-01-10T03:00:00Z", R"({"plan":"free","$session_id":"s1"})");
  }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  std::vector<store::Event> pending_;
  uint64_t offset_ = 0;
  int sequence_ = 0;
  query::PersonOverrides overrides_;
  FakePersonProperties persons_;
  FakePersonTables tables_;
  HogQLRunContext context_;
};

}  // namespace hoglet::hogql
