// A test fixture for insight runners: a real columnar store in a temporary directory, events
// added by person number (distinct id "d<n>", person PersonUuid(n)), and a TrendsContext with
// the clock, the identity overrides and persons' properties a test sets.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/time_format.h"
#include "filters/property_value.h"
#include "query/aggregate.h"
#include "query/trends_runner.h"
#include "store/columnar_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::query {

inline constexpr int64_t kTestTeam = 7;

inline int64_t At(const char* iso) { return *ParseIsoMicros(iso); }

inline Uuid PersonUuid(int n) {
  Uuid uuid;
  uuid.bytes[0] = 0xAA;
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

// Persons' current properties as a test sets them; a person without any has none.
class MapPersonProperties final : public PersonProperties {
 public:
  void Set(int person, const char* json) {
    by_person_[PersonUuid(person)] = *filters::ParseProperties(json);
  }
  StatusOr<const filters::Properties*> Of(const Uuid& person) override {
    auto found = by_person_.find(person);
    return found != by_person_.end() ? &found->second : &none_;
  }

 private:
  std::unordered_map<Uuid, filters::Properties, UuidHash> by_person_;
  filters::Properties none_;
};

class InsightTestStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ColumnarStoreOptions options;
    options.dir = dir_.Join("events");
    options.fsync = false;
    options.merge_threads = 0;
    store_ = *store::OpenColumnarStore(options);
    context_.clock.now_us = At("2024-01-10T15:00:00Z");
    context_.overrides = &overrides_;
  }
  void TearDown() override { store_->Close(); }

  // One event of `person` (by number; its distinct id is "d<person>" unless `distinct_id`).
  void Add(const char* event, int person, const char* time, std::string properties = "{}",
           std::string distinct_id = "") {
    store::Event e;
    e.uuid.bytes[0] = static_cast<uint8_t>(++sequence_ >> 8);
    e.uuid.bytes[1] = static_cast<uint8_t>(sequence_);
    e.team_id = kTestTeam;
    e.event = event;
    e.distinct_id = distinct_id.empty() ? "d" + std::to_string(person) : distinct_id;
    e.person_id = PersonUuid(person);
    e.timestamp_us = At(time);
    e.created_at_us = e.timestamp_us;
    e.properties = std::move(properties);
    pending_.push_back(std::move(e));
  }

  // Makes the added events visible to scans.
  void Flush() {
    if (pending_.empty()) return;
    EXPECT_TRUE(store_->Append(std::move(pending_), {0, ++offset_}).ok());
    pending_.clear();
  }

  const store::ScanSource& source() { return *store_->scan_source(); }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<store::EventStore> store_;
  PersonOverrides overrides_;
  TrendsContext context_;
  std::vector<store::Event> pending_;
  int sequence_ = 0;
  uint64_t offset_ = 0;
};

}  // namespace hoglet::query
