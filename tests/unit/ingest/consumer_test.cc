// The ingestion consumer against a real log, metadata and persons database, with failures
// injected into person processing (a wrapped PersonStore) and the event store (a fake): a
// poisoned event is skipped after bounded retries while the rest of its batch is stored, an
// unavailable backend is waited for without skipping anything, and a batch of large persons is
// stored in pieces bounded in bytes.
#include "ingest/consumer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "capture/captured_event.h"
#include "log/wal_log.h"
#include "meta/sqlite_meta_store.h"
#include "persons/sqlite_person_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::ingest {
namespace {

using persons::Person;
using persons::PersonStore;
using persons::Transaction;

// How an injected failure shows itself.
enum class Fault { kNone, kInternal, kUnavailable, kDataLoss, kBadAlloc, kLengthError };

Status Raise(Fault fault, const std::string& what) {
  switch (fault) {
    case Fault::kNone:
      return Status::Ok();
    case Fault::kInternal:
      return InternalError(what + " is poisoned");
    case Fault::kUnavailable:
      return UnavailableError(what + ": disk full");
    case Fault::kDataLoss:
      return DataLossError(what + ": database disk image is malformed");
    case Fault::kBadAlloc:
      throw std::bad_alloc();
    case Fault::kLengthError:
      throw std::length_error(what + ": basic_string::_M_create");
  }
  return Status::Ok();
}

// Decides, for a distinct id, whether and how the wrapped component fails; counts the failures.
class FaultPlan {
 public:
  void Poison(std::string distinct_id, Fault fault) {
    std::lock_guard lock(mu_);
    poisoned_[std::move(distinct_id)] = fault;
  }
  // Every call fails with `fault` (kNone: none does).
  void FailEverything(Fault fault) { everything_.store(fault); }

  Status Check(const std::string& distinct_id) {
    Fault fault = everything_.load();
    if (fault == Fault::kNone) {
      std::lock_guard lock(mu_);
      auto it = poisoned_.find(distinct_id);
      if (it != poisoned_.end()) fault = it->second;
    }
    if (fault != Fault::kNone) failures_.fetch_add(1);
    return Raise(fault, distinct_id);
  }
  int failures() const { return failures_.load(); }

 private:
  std::mutex mu_;
  std::map<std::string, Fault> poisoned_;
  std::atomic<Fault> everything_{Fault::kNone};
  std::atomic<int> failures_{0};
};

class FaultyTransaction final : public Transaction {
 public:
  FaultyTransaction(std::unique_ptr<Transaction> inner, FaultPlan& plan)
      : inner_(std::move(inner)), plan_(plan) {}

  StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                     std::string_view distinct_id) override {
    HOGLET_RETURN_IF_ERROR(plan_.Check(std::string(distinct_id)));
    return inner_->PersonByDistinctId(team_id, distinct_id);
  }
  Status CreatePerson(const Person& person) override { return inner_->CreatePerson(person); }
  Status UpdatePerson(const Person& person) override { return inner_->UpdatePerson(person); }
  Status SetDistinctId(int64_t team_id, std::string_view distinct_id,
                       const Uuid& person_uuid) override {
    return inner_->SetDistinctId(team_id, distinct_id, person_uuid);
  }
  Status MergePersonInto(int64_t team_id, const Uuid& from, const Uuid& to) override {
    return inner_->MergePersonInto(team_id, from, to);
  }
  StatusOr<bool> IsPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) override {
    return inner_->IsPersonlessDistinctId(team_id, distinct_id);
  }
  Status MarkPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) override {
    return inner_->MarkPersonlessDistinctId(team_id, distinct_id);
  }
  StatusOr<std::optional<int>> GroupTypeIndex(int64_t team_id,
                                              std::string_view group_type) override {
    return inner_->GroupTypeIndex(team_id, group_type);
  }
  StatusOr<std::optional<persons::Group>> GroupByKey(int64_t team_id, int group_type_index,
                                                     std::string_view group_key) override {
    return inner_->GroupByKey(team_id, group_type_index, group_key);
  }
  Status UpsertGroup(const persons::Group& group) override { return inner_->UpsertGroup(group); }
  Status AddWarning(const persons::IngestionWarning& warning) override {
    return inner_->AddWarning(warning);
  }
  Status Commit() override { return inner_->Commit(); }

 private:
  std::unique_ptr<Transaction> inner_;
  FaultPlan& plan_;
};

// A real SQLite person store whose transactions fail as `plan` says.
class FaultyPersonStore final : public PersonStore {
 public:
  FaultyPersonStore(std::unique_ptr<PersonStore> inner, FaultPlan& plan)
      : inner_(std::move(inner)), plan_(plan) {}

  StatusOr<std::unique_ptr<Transaction>> Begin() override {
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn, inner_->Begin());
    return std::unique_ptr<Transaction>(new FaultyTransaction(std::move(txn), plan_));
  }
  StatusOr<std::optional<Person>> PersonByUuid(int64_t team_id, const Uuid& uuid) override {
    return inner_->PersonByUuid(team_id, uuid);
  }
  StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                     std::string_view distinct_id) override {
    return inner_->PersonByDistinctId(team_id, distinct_id);
  }
  StatusOr<std::vector<persons::PersonPropertiesRow>> PersonPropertiesByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    return inner_->PersonPropertiesByUuid(team_id, uuids);
  }
  Status ScanPersonProperties(
      int64_t team_id,
      const std::function<Status(const std::vector<persons::PersonPropertiesRow>&)>& visit)
      override {
    return inner_->ScanPersonProperties(team_id, visit);
  }
  Status ScanPersonCreatedAt(
      int64_t team_id,
      const std::function<Status(const std::vector<persons::PersonCreatedRow>&)>& visit) override {
    return inner_->ScanPersonCreatedAt(team_id, visit);
  }
  StatusOr<size_t> PersonCount(int64_t team_id) override { return inner_->PersonCount(team_id); }
  StatusOr<std::vector<persons::PersonCreatedRow>> PersonCreatedAtByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) override {
    return inner_->PersonCreatedAtByUuid(team_id, uuids);
  }
  StatusOr<std::vector<Person>> ListPersons(const persons::PersonListQuery& query) override {
    return inner_->ListPersons(query);
  }
  Status DeletePerson(int64_t team_id, const Uuid& uuid) override {
    return inner_->DeletePerson(team_id, uuid);
  }
  StatusOr<std::vector<persons::GroupType>> GroupTypes(int64_t team_id) override {
    return inner_->GroupTypes(team_id);
  }
  StatusOr<std::optional<persons::Group>> GroupByKey(int64_t team_id, int group_type_index,
                                                     std::string_view group_key) override {
    return inner_->GroupByKey(team_id, group_type_index, group_key);
  }
  StatusOr<std::vector<persons::Group>> ListGroups(int64_t team_id, int group_type_index,
                                                   size_t limit, size_t offset) override {
    return inner_->ListGroups(team_id, group_type_index, limit, offset);
  }
  StatusOr<std::vector<persons::IngestionWarning>> ListWarnings(int64_t team_id,
                                                                size_t limit) override {
    return inner_->ListWarnings(team_id, limit);
  }
  StatusOr<std::vector<persons::DistinctIdMapping>> DistinctIdMappings(
      int64_t team_id, const Uuid& person_uuid) override {
    return inner_->DistinctIdMappings(team_id, person_uuid);
  }
  StatusOr<std::vector<persons::DistinctIdMapping>> DistinctIdOverrides(int64_t team_id) override {
    return inner_->DistinctIdOverrides(team_id);
  }
  StatusOr<std::unordered_map<std::string, std::string>> HashKeyOverrides(
      int64_t team_id, const Uuid& person_uuid) override {
    return inner_->HashKeyOverrides(team_id, person_uuid);
  }
  Status AddHashKeyOverrides(int64_t team_id, const Uuid& person_uuid,
                             const std::vector<std::string>& flag_keys,
                             std::string_view hash_key) override {
    return inner_->AddHashKeyOverrides(team_id, person_uuid, flag_keys, hash_key);
  }
  StatusOr<std::vector<int64_t>> StaticCohortsOf(int64_t team_id,
                                                 const Uuid& person_uuid) override {
    return inner_->StaticCohortsOf(team_id, person_uuid);
  }
  StatusOr<size_t> AddPersonsToStaticCohort(int64_t team_id, int64_t cohort_id,
                                            const std::vector<Uuid>& person_uuids) override {
    return inner_->AddPersonsToStaticCohort(team_id, cohort_id, person_uuids);
  }
  StatusOr<size_t> StaticCohortSize(int64_t team_id, int64_t cohort_id) override {
    return inner_->StaticCohortSize(team_id, cohort_id);
  }
  uint64_t DataVersion(int64_t team_id) const override { return inner_->DataVersion(team_id); }

 private:
  std::unique_ptr<PersonStore> inner_;
  FaultPlan& plan_;
};

// An in-memory event store that fails an append holding an event of a poisoned distinct id.
class FakeEventStore final : public store::EventStore {
 public:
  explicit FakeEventStore(FaultPlan& plan) : plan_(plan) {}

  struct AppendRecord {
    size_t events = 0;
    size_t bytes = 0;  // properties and person properties of its events
    uint64_t next_offset = 0;
  };

  Status Append(std::vector<store::Event> events, store::LogPosition position) override {
    for (const store::Event& event : events) HOGLET_RETURN_IF_ERROR(plan_.Check(event.distinct_id));
    std::lock_guard lock(mu_);
    AppendRecord append;
    append.events = events.size();
    append.next_offset = position.next_offset;
    for (store::Event& event : events) {
      append.bytes += event.properties.size() + event.person_properties.size();
      stored_.push_back(std::move(event));
    }
    appends_.push_back(append);
    durable_[position.partition] = std::max(durable_[position.partition], position.next_offset);
    return Status::Ok();
  }
  uint64_t DurableOffset(int partition) const override {
    std::lock_guard lock(mu_);
    auto it = durable_.find(partition);
    return it == durable_.end() ? 0 : it->second;
  }
  StatusOr<std::vector<store::Event>> ListEvents(const store::EventQuery&) const override {
    std::lock_guard lock(mu_);
    return stored_;
  }
  void Close() override {}

  std::vector<store::Event> stored() const {
    std::lock_guard lock(mu_);
    return stored_;
  }
  std::vector<AppendRecord> appends() const {
    std::lock_guard lock(mu_);
    return appends_;
  }

 private:
  FaultPlan& plan_;
  mutable std::mutex mu_;
  std::vector<store::Event> stored_;
  std::vector<AppendRecord> appends_;
  std::map<int, uint64_t> durable_;
};

class ConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::WalOptions wal;
    wal.dir = dir_.Join("log");
    wal.partitions = 1;
    wal.fsync = false;
    auto log = log::OpenWalLog(wal);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
    auto meta = meta::OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    ASSERT_TRUE(meta.ok()) << meta.status().ToString();
    meta_ = std::move(meta).value();
    auto boot = meta_->Bootstrap(meta::BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    project_ = boot->project;
    auto persons = persons::OpenSqlitePersonStore(dir_.Join("persons.sqlite"));
    ASSERT_TRUE(persons.ok()) << persons.status().ToString();
    persons_ = std::make_unique<FaultyPersonStore>(std::move(persons).value(), person_faults_);
    processor_ = std::make_unique<persons::PersonProcessor>(*persons_);
    store_ = std::make_unique<FakeEventStore>(store_faults_);
    definitions_ = std::make_unique<DefinitionsTracker>(*meta_, clock_);
    options_.max_attempts = 3;
    options_.retry_backoff_ms = 1;
    options_.max_retry_backoff_ms = 20;
    options_.poll_wait_ms = 10;
  }

  void TearDown() override {
    if (consumer_) consumer_->Stop();
  }

  // Appends one captured event per distinct id (properties as given) and returns their uuids.
  std::vector<std::string> Capture(const std::vector<std::string>& distinct_ids,
                                   const std::string& properties = "{}") {
    std::vector<std::string> uuids;
    std::vector<std::string> payloads;
    for (const std::string& distinct_id : distinct_ids) {
      capture::CapturedEvent event;
      event.uuid = Uuid::V7(1'700'000'000'000'000 + ++counter_).ToString();
      event.team_id = project_.id;
      event.token = project_.api_token;
      event.distinct_id = distinct_id;
      event.event = "tick";
      event.data = R"({"event":"tick","properties":)" + properties + "}";
      event.timestamp_us = 1'700'000'000'000'000 + counter_;
      event.now_us = event.timestamp_us;
      uuids.push_back(event.uuid);
      payloads.push_back(capture::EncodeCapturedEvent(event));
    }
    std::promise<Status> done;
    log_->Append(0, std::move(payloads),
                 [&](StatusOr<uint64_t> first) { done.set_value(first.status()); });
    EXPECT_TRUE(done.get_future().get().ok());
    return uuids;
  }

  void StartConsumer() {
    consumer_ = std::make_unique<Consumer>(*log_, *store_, *meta_, *processor_, *definitions_,
                                           clock_, options_);
    consumer_->Start();
  }

  // Waits until the store's durable offset reaches the log's end (or a few seconds pass).
  bool WaitForOffset(uint64_t offset) {
    for (int i = 0; i < 1000; ++i) {
      if (store_->DurableOffset(0) >= offset && log_->Committed(options_.name, 0) >= offset) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  std::set<std::string> StoredDistinctIds() {
    std::set<std::string> ids;
    for (const store::Event& event : store_->stored()) ids.insert(event.distinct_id);
    return ids;
  }

  std::vector<persons::IngestionWarning> Warnings() {
    auto warnings = persons_->ListWarnings(project_.id, 100);
    EXPECT_TRUE(warnings.ok());
    return warnings.ok() ? *warnings : std::vector<persons::IngestionWarning>{};
  }

  testing::TempDir dir_;
  ManualClock clock_{1'700'000'000'000'000};
  FaultPlan person_faults_;
  FaultPlan store_faults_;
  std::unique_ptr<log::EventLog> log_;
  std::unique_ptr<meta::MetaStore> meta_;
  meta::Project project_;
  std::unique_ptr<PersonStore> persons_;
  std::unique_ptr<persons::PersonProcessor> processor_;
  std::unique_ptr<FakeEventStore> store_;
  std::unique_ptr<DefinitionsTracker> definitions_;
  ConsumerOptions options_;
  std::unique_ptr<Consumer> consumer_;
  int64_t counter_ = 0;
};

std::vector<std::string> Ids(const std::string& prefix, int n) {
  std::vector<std::string> ids;
  for (int i = 0; i < n; ++i) ids.push_back(prefix + std::to_string(i));
  return ids;
}

// Checks the one warning is `ingestion_failed` for `uuid` at `stage`.
void ExpectIngestionFailed(const std::vector<persons::IngestionWarning>& warnings,
                           const std::string& uuid, const std::string& stage) {
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].type, "ingestion_failed");
  simdjson::dom::parser parser;
  simdjson::dom::element details = parser.parse(warnings[0].details);
  EXPECT_EQ(std::string_view(details["eventUuid"]), uuid);
  EXPECT_EQ(std::string_view(details["stage"]), stage);
  EXPECT_FALSE(std::string_view(details["reason"]).empty());
}

TEST_F(ConsumerTest, PoisonedEventInPersonProcessingIsSkippedAndTheRestStored) {
  std::vector<std::string> ids = Ids("user-", 16);
  ids[5] = "poison";
  person_faults_.Poison("poison", Fault::kInternal);
  std::vector<std::string> uuids = Capture(ids);
  StartConsumer();
  ASSERT_TRUE(WaitForOffset(16));
  consumer_->Stop();

  std::set<std::string> expected(ids.begin(), ids.end());
  expected.erase("poison");
  EXPECT_EQ(StoredDistinctIds(), expected);
  EXPECT_EQ(consumer_->events_skipped(), 1u);
  ExpectIngestionFailed(Warnings(), uuids[5], "person_processing");
  // Bounded: max_attempts per halving step, log2(16) + 1 steps contain the event.
  EXPECT_LE(person_faults_.failures(), options_.max_attempts * 5);
  EXPECT_GE(person_faults_.failures(), options_.max_attempts);
}

TEST_F(ConsumerTest, ExceptionsFromPersonProcessingBecomeSkips) {
  person_faults_.Poison("oom", Fault::kBadAlloc);
  person_faults_.Poison("thrower", Fault::kLengthError);
  std::vector<std::string> uuids = Capture({"a", "oom", "b", "thrower", "c"});
  StartConsumer();
  ASSERT_TRUE(WaitForOffset(5));
  EXPECT_EQ(StoredDistinctIds(), (std::set<std::string>{"a", "b", "c"}));
  std::vector<persons::IngestionWarning> warnings = Warnings();  // newest first
  ASSERT_EQ(warnings.size(), 2u);
  ExpectIngestionFailed({warnings[0]}, uuids[3], "person_processing");
  ExpectIngestionFailed({warnings[1]}, uuids[1], "person_processing");
  EXPECT_NE(warnings[0].details.find("basic_string"), std::string::npos);
  EXPECT_NE(warnings[1].details.find("bad_alloc"), std::string::npos);
}

TEST_F(ConsumerTest, EventTheStoreKeepsRefusingIsSkippedAndTheRestStored) {
  store_faults_.Poison("poison", Fault::kLengthError);
  std::vector<std::string> ids = Ids("user-", 9);
  ids.push_back("poison");  // the last event: the store must still learn the batch's end
  std::vector<std::string> uuids = Capture(ids);
  StartConsumer();
  ASSERT_TRUE(WaitForOffset(10));

  EXPECT_EQ(StoredDistinctIds().size(), 9u);
  EXPECT_EQ(StoredDistinctIds().count("poison"), 0u);
  ExpectIngestionFailed(Warnings(), uuids[9], "store");
  EXPECT_LE(store_faults_.failures(), options_.max_attempts * 5);
  // Person processing ran once for it before the store refused it.
  EXPECT_TRUE(persons_->PersonByDistinctId(project_.id, "poison")->has_value());
}

TEST_F(ConsumerTest, UnavailableStoreIsRetriedUntilItRecoversAndNothingIsSkipped) {
  store_faults_.FailEverything(Fault::kUnavailable);
  Capture(Ids("user-", 5));
  StartConsumer();
  // Far more failures than max_attempts, and still nothing given up.
  for (int i = 0; i < 500 && store_faults_.failures() < 4 * options_.max_attempts; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(store_faults_.failures(), 4 * options_.max_attempts);
  EXPECT_TRUE(store_->stored().empty());
  EXPECT_EQ(log_->Committed(options_.name, 0), 0u);

  store_faults_.FailEverything(Fault::kNone);
  ASSERT_TRUE(WaitForOffset(5));
  EXPECT_EQ(StoredDistinctIds().size(), 5u);
  EXPECT_EQ(consumer_->events_skipped(), 0u);
  EXPECT_TRUE(Warnings().empty());
}

TEST_F(ConsumerTest, DamagedPersonsDatabaseIsWaitedForNotSkipped) {
  person_faults_.FailEverything(Fault::kDataLoss);
  Capture(Ids("user-", 3));
  StartConsumer();
  for (int i = 0; i < 500 && person_faults_.failures() < 4 * options_.max_attempts; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(person_faults_.failures(), 4 * options_.max_attempts);
  EXPECT_EQ(consumer_->events_skipped(), 0u);
  EXPECT_EQ(log_->Committed(options_.name, 0), 0u);

  person_faults_.FailEverything(Fault::kNone);
  ASSERT_TRUE(WaitForOffset(3));
  EXPECT_EQ(StoredDistinctIds().size(), 3u);
}

TEST_F(ConsumerTest, UnavailablePersonsAreRetriedUntilTheyRecover) {
  person_faults_.FailEverything(Fault::kUnavailable);
  Capture(Ids("user-", 5));
  StartConsumer();
  for (int i = 0; i < 500 && person_faults_.failures() < 4 * options_.max_attempts; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(person_faults_.failures(), 4 * options_.max_attempts);
  EXPECT_TRUE(store_->stored().empty());

  person_faults_.FailEverything(Fault::kNone);
  ASSERT_TRUE(WaitForOffset(5));
  EXPECT_EQ(StoredDistinctIds().size(), 5u);
  EXPECT_EQ(consumer_->events_skipped(), 0u);
}

TEST_F(ConsumerTest, StoppingWhileUnavailableLeavesTheBatchToReplay) {
  store_faults_.FailEverything(Fault::kUnavailable);
  Capture(Ids("user-", 3));
  StartConsumer();
  while (store_faults_.failures() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  consumer_->Stop();
  EXPECT_EQ(log_->Committed(options_.name, 0), 0u);
  EXPECT_EQ(store_->DurableOffset(0), 0u);

  store_faults_.FailEverything(Fault::kNone);
  StartConsumer();
  ASSERT_TRUE(WaitForOffset(3));
  EXPECT_EQ(StoredDistinctIds().size(), 3u);
}

TEST_F(ConsumerTest, BatchOfLargePersonsIsStoredInPiecesBoundedInBytes) {
  options_.max_batch_bytes = 64 << 10;
  std::string set = R"({"$set":{"blob":")" + std::string(8 << 10, 'x') + R"("}})";
  std::vector<std::string> ids = Ids("big-", 40);
  Capture(ids, set);  // each event: ~8 KiB of properties, ~8 KiB of person properties
  StartConsumer();
  ASSERT_TRUE(WaitForOffset(40));

  EXPECT_EQ(StoredDistinctIds().size(), 40u);
  std::vector<FakeEventStore::AppendRecord> appends = store_->appends();
  EXPECT_GT(appends.size(), 4u);
  uint64_t previous = 0;
  for (const FakeEventStore::AppendRecord& append : appends) {
    // The budget, plus the one event that reached it.
    EXPECT_LE(append.bytes, options_.max_batch_bytes + (20 << 10));
    EXPECT_GT(append.next_offset, previous);
    previous = append.next_offset;
  }
  EXPECT_EQ(previous, 40u);
}

}  // namespace
}  // namespace hoglet::ingest
