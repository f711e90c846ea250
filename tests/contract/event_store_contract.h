// The EventStore contract (store/event_store.h, store/scan_source.h) as value-parameterized
// tests. An implementation runs them by instantiating the suite with a factory that opens it
// over a directory:
//
//   INSTANTIATE_TEST_SUITE_P(Columnar, EventStoreContract,
//                            ::testing::Values(EventStoreFactory{"Columnar", OpenMine}),
//                            EventStoreFactoryName);
//
// Each test gets a fresh temporary directory; Reopen() closes the store and opens the factory
// again over the same directory, which is how durability is checked. Only the interfaces are
// used, so an adapter (ClickHouse) passes or fails on what the headers promise.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "store/event_store.h"
#include "store/scan_source.h"
#include "tests/support/temp_dir.h"

namespace hoglet::store::contract {

struct EventStoreFactory {
  std::string name;
  // Opens the implementation over `dir`: empty the first time, the previous data on a reopen.
  std::function<StatusOr<std::unique_ptr<EventStore>>(const std::string& dir)> open;
};

inline void PrintTo(const EventStoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string EventStoreFactoryName(const ::testing::TestParamInfo<EventStoreFactory>& info) {
  return info.param.name;
}

class EventStoreContract : public ::testing::TestWithParam<EventStoreFactory> {
 protected:
  static constexpr int64_t kDay0Us = int64_t{1710028800} * 1000 * 1000;  // 2024-03-10
  static constexpr int64_t kHourUs = int64_t{3600} * 1000 * 1000;

  void SetUp() override { Open(); }
  void TearDown() override {
    if (store_) store_->Close();
  }

  void Open() {
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = *std::move(opened);
  }
  // Closes the store and opens it again over the same data.
  void Reopen() {
    store_->Close();
    store_.reset();
    Open();
  }

  static Uuid EventUuid(uint64_t n) {
    Uuid u;
    u.bytes[0] = 0xe0;
    for (int i = 0; i < 8; ++i) u.bytes[15 - i] = static_cast<uint8_t>(n >> (8 * i));
    return u;
  }
  static Uuid PersonUuid(uint64_t n) {
    Uuid u = EventUuid(n);
    u.bytes[0] = 0x70;
    return u;
  }
  static Event MakeEvent(int64_t team, uint64_t n, int64_t timestamp_us,
                         std::string name = "$pageview", uint64_t person = 1,
                         std::string properties = "{}") {
    Event e;
    e.uuid = EventUuid(n);
    e.team_id = team;
    e.event = std::move(name);
    e.distinct_id = "user-" + std::to_string(person);
    e.person_id = PersonUuid(person);
    e.timestamp_us = timestamp_us;
    e.created_at_us = timestamp_us + 1000;
    e.properties = std::move(properties);
    return e;
  }

  Status Append(std::vector<Event> events, int partition = 0, uint64_t next_offset = 0) {
    return store_->Append(std::move(events), LogPosition{partition, next_offset});
  }
  std::vector<Event> List(EventQuery query) const {
    auto events = store_->ListEvents(query);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *std::move(events) : std::vector<Event>();
  }
  static EventQuery AllOf(int64_t team, size_t limit = 100000) {
    EventQuery q;
    q.team_id = team;
    q.limit = limit;
    return q;
  }
  static std::vector<Uuid> Uuids(const std::vector<Event>& events) {
    std::vector<Uuid> out;
    for (const Event& e : events) out.push_back(e.uuid);
    return out;
  }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<EventStore> store_;
};

// --- Append and ListEvents ---

TEST_P(EventStoreContract, AppendedEventsComeBackAsTheyWereStored) {
  Event e = MakeEvent(1, 1, kDay0Us, "signed_up", 7, R"({"plan":"pro","n":3})");
  e.person_properties = R"({"email":"a@b.c"})";
  e.person_created_at_us = kDay0Us - 5;
  e.person_mode = 2;
  ASSERT_TRUE(Append({e}).ok());
  std::vector<Event> listed = List(AllOf(1));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], e);
}

TEST_P(EventStoreContract, ListIsNewestFirst) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us + 2 * kHourUs), MakeEvent(1, 2, kDay0Us),
                      MakeEvent(1, 3, kDay0Us + 30 * kHourUs)})
                  .ok());
  EXPECT_EQ(Uuids(List(AllOf(1))), (std::vector<Uuid>{EventUuid(3), EventUuid(1), EventUuid(2)}));
}

TEST_P(EventStoreContract, EqualTimestampsAreOrderedByUuidDescending) {
  ASSERT_TRUE(Append({MakeEvent(1, 2, kDay0Us), MakeEvent(1, 9, kDay0Us)}).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 5, kDay0Us)}).ok());
  EXPECT_EQ(Uuids(List(AllOf(1))), (std::vector<Uuid>{EventUuid(9), EventUuid(5), EventUuid(2)}));
}

TEST_P(EventStoreContract, LimitKeepsTheNewest) {
  std::vector<Event> events;
  for (uint64_t i = 1; i <= 10; ++i) events.push_back(MakeEvent(1, i, kDay0Us + i * kHourUs));
  ASSERT_TRUE(Append(events).ok());
  EXPECT_EQ(Uuids(List(AllOf(1, 3))),
            (std::vector<Uuid>{EventUuid(10), EventUuid(9), EventUuid(8)}));
}

TEST_P(EventStoreContract, EventWithoutTeamIsInvalidArgument) {
  Status status = Append({MakeEvent(0, 1, kDay0Us)});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
}

TEST_P(EventStoreContract, AppendIsVisibleToAQueryOnAnotherThreadOnceItReturns) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}).ok());
  size_t seen = 0;
  std::thread reader([&] { seen = List(AllOf(1)).size(); });
  reader.join();
  EXPECT_EQ(seen, 1u);
}

// --- Dedupe ---

TEST_P(EventStoreContract, AKnownUuidIsStoredOnce) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 1).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us)}, 0, 3).ok());
  EXPECT_EQ(Uuids(List(AllOf(1))), (std::vector<Uuid>{EventUuid(2), EventUuid(1)}));
}

TEST_P(EventStoreContract, AUuidRepeatedInOneBatchIsStoredOnce) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(1, 1, kDay0Us)}).ok());
  EXPECT_EQ(List(AllOf(1)).size(), 1u);
}

TEST_P(EventStoreContract, TheSameUuidInAnotherTeamIsAnotherEvent) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}).ok());
  ASSERT_TRUE(Append({MakeEvent(2, 1, kDay0Us)}).ok());
  EXPECT_EQ(List(AllOf(1)).size(), 1u);
  EXPECT_EQ(List(AllOf(2)).size(), 1u);
}

TEST_P(EventStoreContract, AppendAtTheSamePositionTwiceStoresOnce) {
  std::vector<Event> batch = {MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us)};
  ASSERT_TRUE(Append(batch, 0, 5).ok());
  ASSERT_TRUE(Append(batch, 0, 5).ok());
  EXPECT_EQ(Uuids(List(AllOf(1))), (std::vector<Uuid>{EventUuid(2), EventUuid(1)}));
  EXPECT_EQ(store_->DurableOffset(0), 5u);
}

TEST_P(EventStoreContract, ReplayingTheLogTailAfterAReopenStoresNothingTwice) {
  std::vector<Event> batch = {MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us + kHourUs)};
  ASSERT_TRUE(Append(batch, 0, 2).ok());
  Reopen();
  ASSERT_TRUE(Append(batch, 0, 2).ok());
  EXPECT_EQ(List(AllOf(1)).size(), 2u);
}

// --- Isolation ---

TEST_P(EventStoreContract, AQueryOfOneTeamNeverSeesAnother) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(2, 2, kDay0Us),
                      MakeEvent(3, 3, kDay0Us + kHourUs)})
                  .ok());
  for (int64_t team : {1, 2, 3}) {
    std::vector<Event> listed = List(AllOf(team));
    ASSERT_EQ(listed.size(), 1u) << "team " << team;
    EXPECT_EQ(listed[0].team_id, team);
  }
  EXPECT_TRUE(List(AllOf(4)).empty());
}

TEST_P(EventStoreContract, FiltersOfAnotherTeamsEventsFindNothing) {
  ASSERT_TRUE(Append({MakeEvent(2, 1, kDay0Us, "secret", 5)}).ok());
  EventQuery q = AllOf(1);
  q.event = "secret";
  EXPECT_TRUE(List(q).empty());
  q = AllOf(1);
  q.distinct_id = "user-5";
  EXPECT_TRUE(List(q).empty());
}

// --- Filters ---

TEST_P(EventStoreContract, FiltersByEventNameDistinctIdAndPerson) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us, "a", 1), MakeEvent(1, 2, kDay0Us, "b", 2),
                      MakeEvent(1, 3, kDay0Us, "a", 3)})
                  .ok());
  EventQuery q = AllOf(1);
  q.event = "a";
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(3), EventUuid(1)}));
  q = AllOf(1);
  q.distinct_id = "user-2";
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(2)}));
  q = AllOf(1);
  q.person_id = PersonUuid(3);
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(3)}));
  q = AllOf(1);
  q.distinct_ids = std::vector<std::string>{"user-1", "user-2"};
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(2), EventUuid(1)}));
  q = AllOf(1);
  q.distinct_ids = std::vector<std::string>{};
  EXPECT_TRUE(List(q).empty());
}

TEST_P(EventStoreContract, AfterAndBeforeAreExclusive) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us + kHourUs),
                      MakeEvent(1, 3, kDay0Us + 2 * kHourUs)})
                  .ok());
  EventQuery q = AllOf(1);
  q.after_us = kDay0Us;
  q.before_us = kDay0Us + 2 * kHourUs;
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(2)}));
}

TEST_P(EventStoreContract, PagingByTimestampAndUuidVisitsEveryEventOnce) {
  std::vector<Event> events;
  for (uint64_t i = 1; i <= 7; ++i) events.push_back(MakeEvent(1, i, kDay0Us + (i / 3) * kHourUs));
  ASSERT_TRUE(Append(events).ok());
  std::vector<Uuid> seen;
  EventQuery q = AllOf(1, 2);
  for (int page = 0; page < 10; ++page) {
    std::vector<Event> listed = List(q);
    if (listed.empty()) break;
    for (const Event& e : listed) seen.push_back(e.uuid);
    q.before_us = listed.back().timestamp_us;
    q.before_uuid = listed.back().uuid;
  }
  EXPECT_EQ(seen, Uuids(List(AllOf(1))));
  EXPECT_EQ(seen.size(), 7u);
}

TEST_P(EventStoreContract, PropertyFiltersKeepOnlyMatchingEvents) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us, "e", 1, R"({"plan":"pro"})"),
                      MakeEvent(1, 2, kDay0Us, "e", 1, R"({"plan":"free"})")})
                  .ok());
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  auto tree = filters::ParseFilterTree(
      R"([{"key":"plan","value":"pro","operator":"exact","type":"event"}])", options);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EventQuery q = AllOf(1);
  q.properties = *tree;
  EXPECT_EQ(Uuids(List(q)), (std::vector<Uuid>{EventUuid(1)}));
}

// --- Durability and log positions ---

TEST_P(EventStoreContract, AppendedEventsSurviveAReopen) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(2, 2, kDay0Us)}, 0, 2).ok());
  std::vector<Event> before = List(AllOf(1));
  Reopen();
  EXPECT_EQ(List(AllOf(1)), before);
  EXPECT_EQ(List(AllOf(2)).size(), 1u);
}

TEST_P(EventStoreContract, DurableOffsetIsZeroForAPartitionNeverAppended) {
  EXPECT_EQ(store_->DurableOffset(0), 0u);
  EXPECT_EQ(store_->DurableOffset(5), 0u);
}

TEST_P(EventStoreContract, DurableOffsetFollowsEachPartitionSeparately) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 10).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 2, kDay0Us)}, 1, 4).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 3, kDay0Us)}, 0, 12).ok());
  EXPECT_EQ(store_->DurableOffset(0), 12u);
  EXPECT_EQ(store_->DurableOffset(1), 4u);
  EXPECT_EQ(store_->DurableOffset(2), 0u);
}

TEST_P(EventStoreContract, DurableOffsetIsTheHighestEvenAfterALowerAppend) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 10).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 2, kDay0Us)}, 0, 6).ok());
  EXPECT_EQ(store_->DurableOffset(0), 10u);
  Reopen();
  EXPECT_EQ(store_->DurableOffset(0), 10u);
}

TEST_P(EventStoreContract, DurableOffsetMovesForABatchOfOnlyDuplicates) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 1).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 2).ok());
  EXPECT_EQ(store_->DurableOffset(0), 2u);
}

TEST_P(EventStoreContract, DurableOffsetSurvivesAReopen) {
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}, 0, 7).ok());
  ASSERT_TRUE(Append({MakeEvent(1, 2, kDay0Us)}, 3, 9).ok());
  Reopen();
  EXPECT_EQ(store_->DurableOffset(0), 7u);
  EXPECT_EQ(store_->DurableOffset(3), 9u);
}

// --- ScanSource (only for implementations the query engine scans itself) ---

TEST_P(EventStoreContract, DataVersionGrowsWhenRowsOfTheTeamAreStored) {
  const ScanSource* scan = store_->scan_source();
  if (scan == nullptr) GTEST_SKIP() << "no scan source: queries are printed as SQL";
  uint64_t v0 = scan->DataVersion(1);
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}).ok());
  uint64_t v1 = scan->DataVersion(1);
  EXPECT_GT(v1, v0);
  ASSERT_TRUE(Append({MakeEvent(1, 2, kDay0Us)}).ok());
  EXPECT_GT(scan->DataVersion(1), v1);
}

TEST_P(EventStoreContract, FirstEventTimeIsTheEarliestTimestampOfTheTeam) {
  const ScanSource* scan = store_->scan_source();
  if (scan == nullptr) GTEST_SKIP() << "no scan source: queries are printed as SQL";
  auto none = scan->FirstEventTime(1);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(
      Append({MakeEvent(1, 1, kDay0Us + 3 * kHourUs), MakeEvent(1, 2, kDay0Us + 40 * kHourUs),
              MakeEvent(2, 3, kDay0Us - 50 * kHourUs)})
          .ok());
  auto first = scan->FirstEventTime(1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, std::optional<int64_t>(kDay0Us + 3 * kHourUs));
}

TEST_P(EventStoreContract, ASnapshotHoldsOnlyTheTeamsPartsInTheRange) {
  const ScanSource* scan = store_->scan_source();
  if (scan == nullptr) GTEST_SKIP() << "no scan source: queries are printed as SQL";
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us), MakeEvent(2, 2, kDay0Us),
                      MakeEvent(1, 3, kDay0Us + 72 * kHourUs)})
                  .ok());
  auto snapshot = scan->Snapshot(1, kDay0Us, kDay0Us + kHourUs);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ(snapshot->team_id, 1);
  uint64_t rows = 0;
  for (const auto& part : snapshot->parts) {
    EXPECT_EQ(part->meta().team_id, 1);
    EXPECT_LE(part->meta().min_timestamp_us, kDay0Us + kHourUs);
    EXPECT_GE(part->meta().max_timestamp_us, kDay0Us);
    rows += part->meta().row_count;
  }
  EXPECT_EQ(rows, 1u);
}

TEST_P(EventStoreContract, ASnapshotKeepsItsPartsReadableThroughLaterAppendsAndMerges) {
  const ScanSource* scan = store_->scan_source();
  if (scan == nullptr) GTEST_SKIP() << "no scan source: queries are printed as SQL";
  ASSERT_TRUE(Append({MakeEvent(1, 1, kDay0Us)}).ok());
  auto snapshot = scan->Snapshot(1, kDay0Us - kHourUs, kDay0Us + kHourUs);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  for (uint64_t n = 2; n <= 6; ++n) ASSERT_TRUE(Append({MakeEvent(1, n, kDay0Us)}).ok());
  uint64_t rows = 0;
  for (const auto& part : snapshot->parts) {
    rows += part->meta().row_count;
    auto index = part->TimestampIndex();
    EXPECT_TRUE(index.ok()) << index.status().ToString();
  }
  EXPECT_EQ(rows, 1u);
  auto later = scan->Snapshot(1, kDay0Us - kHourUs, kDay0Us + kHourUs);
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  uint64_t later_rows = 0;
  for (const auto& part : later->parts) later_rows += part->meta().row_count;
  EXPECT_EQ(later_rows, 6u);
}

}  // namespace hoglet::store::contract
