#include "store/columnar_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "store/event_order.h"
#include "store/store_layout.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_test_util.h"
#include "tests/unit/store/test_events.h"

namespace hoglet::store {
namespace {

using namespace hoglet::store::testing;  // NOLINT: test helpers

std::vector<uint64_t> Numbers(const std::vector<Event>& events) {
  std::vector<uint64_t> out;
  for (const Event& e : events) out.push_back(e.uuid.bytes[15] | (uint64_t{e.uuid.bytes[14]} << 8));
  return out;
}

TEST(ColumnarStore, ListsNewestFirstAcrossDaysWithUuidTieBreak) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  std::vector<Event> batch = {
      MakeEvent(1, 1, kDay0Us + kHourUs), MakeEvent(1, 2, kDay0Us + 2 * kDayUs),
      MakeEvent(1, 3, kDay0Us + kDayUs + 5), MakeEvent(1, 4, kDay0Us + kDayUs + 5),
      MakeEvent(1, 5, kDay0Us - kHourUs, "{}", "x", 9)};
  ASSERT_TRUE(store->Append(batch, {0, 5}).ok());
  std::vector<Event> all = List(*store, AllOf(1));
  EXPECT_EQ(Numbers(all), (std::vector<uint64_t>{2, 4, 3, 1, 5}));
  EXPECT_EQ(all[0], batch[1]);  // every field survives
  EXPECT_EQ(Numbers(List(*store, AllOf(1, 2))), (std::vector<uint64_t>{2, 4}));
  EXPECT_EQ(Numbers(List(*store, AllOf(1, 3))), (std::vector<uint64_t>{2, 4, 3}));
  EXPECT_TRUE(List(*store, AllOf(1, 0)).empty());
}

TEST(ColumnarStore, LimitPicksNewestEvenWhenSpreadOverParts) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  for (uint64_t batch = 0; batch < 5; ++batch) {
    std::vector<Event> events;
    for (uint64_t i = 0; i < 20; ++i) {
      uint64_t n = batch * 20 + i;
      // Interleave timestamps across batches so the newest are spread over every part.
      events.push_back(
          MakeEvent(1, n, kDay0Us + static_cast<int64_t>(i * 5 + batch), "{}", "e", n % 7));
    }
    ASSERT_TRUE(store->Append(events, {0, batch + 1}).ok());
  }
  std::vector<Event> top = List(*store, AllOf(1, 7));
  ASSERT_EQ(top.size(), 7u);
  for (size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].timestamp_us, kDay0Us + 99 - static_cast<int64_t>(i));
  }
}

TEST(ColumnarStore, FiltersOnEventDistinctIdPersonAndTimeRange) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  std::vector<Event> batch;
  for (uint64_t i = 0; i < 40; ++i) {
    batch.push_back(MakeEvent(1, i, kDay0Us + static_cast<int64_t>(i) * kHourUs, "{}",
                              i % 2 ? "odd" : "even", i % 4));
  }
  ASSERT_TRUE(store->Append(batch, {0, 1}).ok());

  EventQuery q = AllOf(1);
  q.event = "odd";
  EXPECT_EQ(List(*store, q).size(), 20u);
  q.distinct_id = "user-3";
  std::vector<Event> got = List(*store, q);
  EXPECT_EQ(got.size(), 10u);
  for (const Event& e : got) EXPECT_EQ(e.distinct_id, "user-3");

  q = AllOf(1);
  q.person_id = TestUuid(2, 0x70);
  EXPECT_EQ(List(*store, q).size(), 10u);

  q = AllOf(1);
  q.after_us = kDay0Us + 10 * kHourUs;   // exclusive
  q.before_us = kDay0Us + 30 * kHourUs;  // exclusive
  got = List(*store, q);
  ASSERT_EQ(got.size(), 19u);
  EXPECT_EQ(got.front().timestamp_us, kDay0Us + 29 * kHourUs);
  EXPECT_EQ(got.back().timestamp_us, kDay0Us + 11 * kHourUs);

  q.event = "nope";
  EXPECT_TRUE(List(*store, q).empty());
}

TEST(ColumnarStore, PropertyFiltersUseTypedColumnsAndMissingSemantics) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  std::vector<Event> batch = {
      MakeEvent(1, 1, kDay0Us + 1, R"({"$browser":"Chrome","n":5})"),
      MakeEvent(1, 2, kDay0Us + 2, R"({"$browser":"Firefox","n":"5"})"),
      MakeEvent(1, 3, kDay0Us + 3, R"({"$browser":null,"n":12.5})"),
      MakeEvent(1, 4, kDay0Us + 4, R"({"n":true})"),
  };
  ASSERT_TRUE(store->Append(batch, {0, 1}).ok());
  auto run = [&](std::string_view key, std::string_view op, std::string_view value) {
    EventQuery q = AllOf(1);
    std::string filter = R"({"key":")" + std::string(key) + R"(","operator":")" + std::string(op) +
                         "\"" + (value.empty() ? "" : ",\"value\":" + std::string(value)) + "}";
    q.properties = EventFilters("[" + filter + "]");
    std::vector<uint64_t> n = Numbers(List(*store, q));
    std::sort(n.begin(), n.end());
    return n;
  };
  using V = std::vector<uint64_t>;
  EXPECT_EQ(run("$browser", "exact", R"("Chrome")"), V({1}));
  EXPECT_EQ(run("$browser", "exact", R"("chrome")"), V({1}));  // case-insensitive
  EXPECT_EQ(run("$browser", "exact", R"(["Chrome","Firefox"])"), V({1, 2}));
  EXPECT_EQ(run("$browser", "is_not", R"("Chrome")"), V({2, 3, 4}));
  EXPECT_EQ(run("$browser", "icontains", R"("FIRE")"), V({2}));
  EXPECT_EQ(run("$browser", "not_icontains", R"("fire")"), V({1, 3, 4}));
  EXPECT_EQ(run("$browser", "regex", R"("^C")"), V({1}));
  EXPECT_EQ(run("$browser", "not_regex", R"("^C")"), V({2, 3, 4}));
  EXPECT_EQ(run("$browser", "is_set", ""), V({1, 2, 3}));
  EXPECT_EQ(run("$browser", "is_not_set", ""), V({4}));
  // A JSON null is a value whose text is "null", as flags read it.
  EXPECT_EQ(run("$browser", "exact", R"("null")"), V({3}));
  EXPECT_EQ(run("$browser", "regex", R"("^nu")"), V({3}));
  EXPECT_EQ(run("n", "exact", R"("5")"), V({1, 2}));
  EXPECT_EQ(run("n", "exact", "5"), V({1, 2}));
  EXPECT_EQ(run("n", "exact", R"("5.0")"), V({}));  // text equality: 5 reads as "5"
  EXPECT_EQ(run("n", "icontains", R"("2.5")"), V({3}));
  EXPECT_EQ(run("n", "gt", "5"), V({3}));
  EXPECT_EQ(run("n", "gte", "5"), V({1, 2, 3}));
  EXPECT_EQ(run("n", "lt", "12.5"), V({1, 2}));
  EXPECT_EQ(run("n", "lte", "12.5"), V({1, 2, 3}));
  EXPECT_EQ(run("n", "exact", "true"), V({4}));
  EXPECT_EQ(run("n", "exact", R"("false")"), V({1, 2, 3}));  // boolean-like: truthiness
  // A key no event has.
  EXPECT_EQ(run("missing", "exact", R"("x")"), V({}));
  EXPECT_EQ(run("missing", "is_not", R"("x")"), V({1, 2, 3, 4}));
  EXPECT_EQ(run("missing", "is_not_set", ""), V({1, 2, 3, 4}));
}

TEST(ColumnarStore, PropertyFilterGroupsCombineRows) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  ASSERT_TRUE(store
                  ->Append({MakeEvent(1, 1, kDay0Us + 1, R"({"os":"Mac","v":"1.2.0"})"),
                            MakeEvent(1, 2, kDay0Us + 2, R"({"os":"Linux","v":"2.0.1"})"),
                            MakeEvent(1, 3, kDay0Us + 3, R"({"os":"Windows","v":"1.10.0"})"),
                            MakeEvent(1, 4, kDay0Us + 4, R"({"v":"0.9"})")},
                           {0, 1})
                  .ok());
  auto run = [&](std::string_view json) {
    EventQuery q = AllOf(1);
    q.properties = EventFilters(json);
    std::vector<uint64_t> n = Numbers(List(*store, q));
    std::sort(n.begin(), n.end());
    return n;
  };
  using V = std::vector<uint64_t>;
  EXPECT_EQ(run(R"({"type":"OR","values":[{"key":"os","value":"mac"},
                                          {"key":"v","value":"2.0.0","operator":"semver_gt"}]})"),
            V({1, 2}));
  EXPECT_EQ(run(R"({"type":"AND","values":[
                   {"type":"OR","values":[{"key":"os","value":"Linux"},{"key":"os","value":"Windows"}]},
                   {"key":"v","value":"1.*","operator":"semver_wildcard"}]})"),
            V({3}));
  EXPECT_EQ(run(R"([{"key":"os","operator":"is_set","negation":true}])"), V({4}));
  EXPECT_EQ(run(R"({"type":"OR","values":[]})"), V({}));
  EXPECT_EQ(run(R"({"type":"AND","values":[]})"), V({1, 2, 3, 4}));
}

// std::regex recursed once per character and overflowed the stack on a long value; RE2 runs in
// linear time and bounded memory.
TEST(ColumnarStore, RegexOverAMegabytePropertyAnswers) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  std::string big(1 << 20, 'a');
  for (size_t i = 1; i < big.size(); i += 2) big[i] = 'b';
  ASSERT_TRUE(store
                  ->Append({MakeEvent(1, 1, kDay0Us + 1, R"({"big":")" + big + "\"}"),
                            MakeEvent(1, 2, kDay0Us + 2, R"({"big":")" + big + "c\"}")},
                           {0, 1})
                  .ok());
  EventQuery q = AllOf(1);
  q.properties = EventFilters(R"([{"key":"big","value":"(a|b)*c","operator":"regex"}])");
  EXPECT_EQ(Numbers(List(*store, q)), std::vector<uint64_t>({2}));
  q.properties = EventFilters(R"([{"key":"big","value":"(a|b)*c","operator":"not_regex"}])");
  EXPECT_EQ(Numbers(List(*store, q)), std::vector<uint64_t>({1}));
}

TEST(ColumnarStore, KeysOverTheColumnCapAreFilteredFromJson) {
  hoglet::testing::TempDir dir;
  ColumnarStoreOptions options = TestOptions(dir.path());
  options.max_property_columns = 1;
  auto store = OpenOrDie(options);
  ASSERT_TRUE(store
                  ->Append({MakeEvent(1, 1, kDay0Us, R"({"a":1,"b":"yes"})"),
                            MakeEvent(1, 2, kDay0Us + 1, R"({"a":2})")},
                           {0, 1})
                  .ok());
  EventQuery q = AllOf(1);
  q.properties = EventFilters(R"([{"key":"b","value":"yes"}])");
  EXPECT_EQ(Numbers(List(*store, q)), std::vector<uint64_t>({1}));
  q.properties = EventFilters(R"([{"key":"b","operator":"is_not_set"}])");
  EXPECT_EQ(Numbers(List(*store, q)), std::vector<uint64_t>({2}));
}

TEST(ColumnarStore, TeamsNeverSeeEachOther) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  ASSERT_TRUE(store
                  ->Append({MakeEvent(1, 1, kDay0Us), MakeEvent(2, 2, kDay0Us),
                            MakeEvent(2, 1, kDay0Us + 1)},
                           {0, 3})
                  .ok());
  std::vector<Event> one = List(*store, AllOf(1));
  std::vector<Event> two = List(*store, AllOf(2));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].team_id, 1);
  ASSERT_EQ(two.size(), 2u);  // the same uuid in another team is a different event
  for (const Event& e : two) EXPECT_EQ(e.team_id, 2);
  EXPECT_TRUE(List(*store, AllOf(3)).empty());
}

TEST(ColumnarStore, RejectsEventsWithoutTeam) {
  hoglet::testing::TempDir dir;
  auto store = OpenOrDie(TestOptions(dir.path()));
  EXPECT_EQ(store->Append({MakeEvent(1, 1, kDay0Us), MakeEvent(0, 2, kDay0Us)}, {0, 2}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(List(*store, AllOf(1)).empty());
  EXPECT_EQ(store->DurableOffset(0), 0u);
}

TEST(ColumnarStore, ReappendedUuidsAreSkippedBeforeAndAfterReopen) {
  hoglet::testing::TempDir dir;
  std::vector<Event> batch = {MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us + 1),
                              MakeEvent(1, 2, kDay0Us + 2)};  // a repeat inside the batch
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append(batch, {0, 3}).ok());
    EXPECT_EQ(List(*store, AllOf(1)).size(), 2u);
    ASSERT_TRUE(store->Append(batch, {0, 3}).ok());
    EXPECT_EQ(List(*store, AllOf(1)).size(), 2u);
  }
  auto store = OpenOrDie(TestOptions(dir.path()));
  batch.push_back(MakeEvent(1, 3, kDay0Us + 3));
  ASSERT_TRUE(store->Append(batch, {0, 4}).ok());
  EXPECT_EQ(Numbers(List(*store, AllOf(1))), std::vector<uint64_t>({3, 2, 1}));
}

TEST(ColumnarStore, DedupeWindowExcludesOldPartsAtOpen) {
  hoglet::testing::TempDir dir;
  ManualClock clock(kDay0Us);
  ColumnarStoreOptions options = TestOptions(dir.path());
  options.clock = &clock;
  options.dedupe_window_us = kHourUs;
  {
    auto store = OpenOrDie(options);
    ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 1}).ok());
  }
  clock.Advance(2 * kHourUs);  // the part is now outside the window
  auto store = OpenOrDie(options);
  ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 2}).ok());
  EXPECT_EQ(List(*store, AllOf(1)).size(), 2u);  // documented: beyond the window, no dedupe
}

TEST(ColumnarStore, DurableOffsetSurvivesReopenIncludingDuplicateOnlyAppends) {
  hoglet::testing::TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    EXPECT_EQ(store->DurableOffset(0), 0u);
    ASSERT_TRUE(
        store->Append({MakeEvent(1, 1, kDay0Us), MakeEvent(1, 2, kDay0Us + kDayUs)}, {0, 10}).ok());
    ASSERT_TRUE(store->Append({MakeEvent(1, 3, kDay0Us)}, {1, 7}).ok());
    EXPECT_EQ(store->DurableOffset(0), 10u);
    ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 11}).ok());  // all duplicates
    ASSERT_TRUE(store->Append({}, {0, 12}).ok());                          // nothing at all
    EXPECT_EQ(store->DurableOffset(0), 12u);
  }
  auto store = OpenOrDie(TestOptions(dir.path()));
  EXPECT_EQ(store->DurableOffset(0), 12u);
  EXPECT_EQ(store->DurableOffset(1), 7u);
  EXPECT_EQ(store->DurableOffset(2), 0u);
}

TEST(ColumnarStore, LeftoverTempPartIsRemovedAtOpen) {
  hoglet::testing::TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 1}).ok());
  }
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  std::string tmp = day_dir + "/" + TmpPartDirName(999);
  std::filesystem::create_directories(tmp);
  std::ofstream(tmp + "/meta") << "half written";
  auto store = OpenOrDie(TestOptions(dir.path()));
  EXPECT_FALSE(std::filesystem::exists(tmp));
  EXPECT_EQ(List(*store, AllOf(1)).size(), 1u);
}

TEST(ColumnarStore, RemovingAPartNeverLeavesAPartWithoutItsMeta) {
  hoglet::testing::TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 1}).ok());
    ASSERT_TRUE(store->Append({MakeEvent(1, 2, kDay0Us)}, {0, 2}).ok());
  }
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  std::set<std::string> parts = EntriesWithPrefix(day_dir, "part-");
  ASSERT_EQ(parts.size(), 2u);
  std::string doomed = day_dir + "/" + *parts.begin();
  ASSERT_TRUE(RemovePartDir(fs::Env::Default(), doomed).ok());
  EXPECT_FALSE(std::filesystem::exists(doomed));
  EXPECT_EQ(EntriesWithPrefix(day_dir, "tmp-part-").size(), 0u);
  // A crash between the rename and the removal leaves a tmp-part- directory, which open removes.
  std::string survivor = day_dir + "/" + *parts.rbegin();
  auto id = ParsePartDirName(*parts.rbegin());
  ASSERT_TRUE(id.has_value());
  std::filesystem::rename(survivor, day_dir + "/" + TmpPartDirName(*id));
  std::filesystem::remove(day_dir + "/" + TmpPartDirName(*id) + "/meta");
  auto store = OpenOrDie(TestOptions(dir.path()));
  EXPECT_EQ(EntriesWithPrefix(day_dir, "tmp-part-").size(), 0u);
}

TEST(ColumnarStore, CorruptPublishedPartFailsOpenWithDataLoss) {
  hoglet::testing::TempDir dir;
  {
    auto store = OpenOrDie(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append({MakeEvent(1, 1, kDay0Us)}, {0, 1}).ok());
  }
  std::string day_dir = DayDir(dir.path(), 1, DayOf(kDay0Us));
  std::set<std::string> parts = EntriesWithPrefix(day_dir, "part-");
  ASSERT_EQ(parts.size(), 1u);
  std::ofstream(day_dir + "/" + *parts.begin() + "/meta", std::ios::trunc) << "garbage";
  EXPECT_EQ(OpenColumnarStore(TestOptions(dir.path())).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace hoglet::store
