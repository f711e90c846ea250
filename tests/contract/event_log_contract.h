// The EventLog contract (log/event_log.h) as value-parameterized tests. An implementation runs
// them by instantiating the suite with a factory that opens it over a directory (see
// event_log_contract_test.cc):
//
//   INSTANTIATE_TEST_SUITE_P(Kafka, EventLogContract,
//                            ::testing::Values(EventLogFactory{"Kafka", OpenMine, kTooLarge}),
//                            EventLogFactoryName);
//
// Each test gets a fresh temporary directory; Reopen() closes the log and opens the factory again
// over the same directory, which is how durability is checked. Only the interface is used. The
// log must have at least two partitions.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "log/event_log.h"
#include "tests/support/temp_dir.h"

namespace hoglet::log::contract {

struct EventLogFactory {
  std::string name;
  // Opens the implementation over `dir`: empty the first time, the previous data on a reopen.
  std::function<StatusOr<std::unique_ptr<EventLog>>(const std::string& dir)> open;
  // A record size the opened log refuses with kPayloadTooLarge.
  size_t too_large_record_bytes = 0;
};

inline void PrintTo(const EventLogFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string EventLogFactoryName(const ::testing::TestParamInfo<EventLogFactory>& info) {
  return info.param.name;
}

class EventLogContract : public ::testing::TestWithParam<EventLogFactory> {
 protected:
  static constexpr std::chrono::milliseconds kNoWait{0};

  void SetUp() override {
    Open();
    ASSERT_GE(log_->partition_count(), 2);
  }
  void TearDown() override {
    if (log_) log_->Close();
  }

  void Open() {
    auto opened = GetParam().open(dir_.path());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    log_ = *std::move(opened);
  }
  void Reopen() {
    log_->Close();
    log_.reset();
    Open();
  }

  // Appends and waits for the callback, checking it is called exactly once.
  StatusOr<uint64_t> Append(int partition, std::vector<std::string> payloads) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    auto promise = std::make_shared<std::promise<StatusOr<uint64_t>>>();
    auto future = promise->get_future();
    log_->Append(partition, std::move(payloads), [calls, promise](StatusOr<uint64_t> result) {
      if (calls->fetch_add(1) == 0) promise->set_value(std::move(result));
    });
    StatusOr<uint64_t> result = future.get();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(calls->load(), 1);
    return result;
  }
  Status AppendAll(std::vector<PartitionAppend> appends) {
    std::promise<Status> promise;
    auto future = promise.get_future();
    log_->AppendAll(std::move(appends), [&promise](Status status) { promise.set_value(status); });
    return future.get();
  }
  std::vector<std::string> Payloads(int partition, uint64_t from = 0) {
    std::vector<std::string> out;
    while (from < log_->EndOffset(partition)) {
      auto batch = log_->Read(partition, from, 1000, 1 << 20, kNoWait);
      EXPECT_TRUE(batch.ok()) << batch.status().ToString();
      if (!batch.ok() || batch->empty()) break;
      for (const Record& record : *batch) {
        EXPECT_EQ(record.offset, from) << "offsets are consecutive";
        from = record.offset + 1;
        out.push_back(record.payload);
      }
    }
    return out;
  }

  hoglet::testing::TempDir dir_;
  std::unique_ptr<EventLog> log_;
};

// --- Append and offsets ---

TEST_P(EventLogContract, AppendReportsTheOffsetOfItsFirstRecord) {
  EXPECT_EQ(log_->EndOffset(0), 0u);
  auto first = Append(0, {"a", "b", "c"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, 0u);
  auto second = Append(0, {"d"});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 3u);
  EXPECT_EQ(log_->EndOffset(0), 4u);
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a", "b", "c", "d"}));
}

TEST_P(EventLogContract, AnAcknowledgedRecordIsReadableAtOnceOnAnotherThread) {
  ASSERT_TRUE(Append(2, {"a"}).ok());
  uint64_t end = 0;
  std::vector<std::string> payloads;
  std::thread reader([&] {
    end = log_->EndOffset(2);
    payloads = Payloads(2);
  });
  reader.join();
  EXPECT_EQ(end, 1u);
  EXPECT_EQ(payloads, (std::vector<std::string>{"a"}));
}

TEST_P(EventLogContract, PartitionsHaveTheirOwnOffsetsAndRecords) {
  ASSERT_TRUE(Append(0, {"a0", "b0"}).ok());
  auto other = Append(1, {"a1"});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, 0u);
  EXPECT_EQ(log_->EndOffset(0), 2u);
  EXPECT_EQ(log_->EndOffset(1), 1u);
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a0", "b0"}));
  EXPECT_EQ(Payloads(1), (std::vector<std::string>{"a1"}));
}

TEST_P(EventLogContract, RecordsAreOpaqueBytes) {
  std::string binary("\0\xff\n\x01zz", 6);
  ASSERT_TRUE(Append(0, {binary, ""}).ok());
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{binary, ""}));
}

TEST_P(EventLogContract, AppendsToOnePartitionKeepTheOrderOfTheirCalls) {
  constexpr int kAppends = 50;
  std::mutex mu;
  std::vector<std::pair<int, uint64_t>> acks;
  std::promise<void> all_done;
  std::atomic<int> remaining{kAppends};
  for (int i = 0; i < kAppends; ++i) {
    log_->Append(0, {"r" + std::to_string(i)}, [&, i](StatusOr<uint64_t> offset) {
      EXPECT_TRUE(offset.ok()) << offset.status().ToString();
      {
        std::lock_guard<std::mutex> lock(mu);
        acks.emplace_back(i, offset.ok() ? *offset : 0);
      }
      if (--remaining == 0) all_done.set_value();
    });
  }
  all_done.get_future().wait();
  std::vector<std::string> expected;
  for (int i = 0; i < kAppends; ++i) expected.push_back("r" + std::to_string(i));
  EXPECT_EQ(Payloads(0), expected);
  for (const auto& [i, offset] : acks) EXPECT_EQ(offset, static_cast<uint64_t>(i));
}

TEST_P(EventLogContract, ConcurrentAppendsEachGetConsecutiveOffsets) {
  constexpr int kThreads = 4;
  constexpr int kAppendsPerThread = 20;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::vector<std::pair<uint64_t, std::string>> acked;  // first offset, first payload
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kAppendsPerThread; ++i) {
        std::string tag = std::to_string(t) + "-" + std::to_string(i);
        auto offset = Append(0, {tag + "/0", tag + "/1"});
        ASSERT_TRUE(offset.ok()) << offset.status().ToString();
        std::lock_guard<std::mutex> lock(mu);
        acked.emplace_back(*offset, tag);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::vector<std::string> payloads = Payloads(0);
  ASSERT_EQ(payloads.size(), size_t{2 * kThreads * kAppendsPerThread});
  for (const auto& [offset, tag] : acked) {
    ASSERT_LT(offset + 1, payloads.size());
    EXPECT_EQ(payloads[offset], tag + "/0");
    EXPECT_EQ(payloads[offset + 1], tag + "/1");
  }
}

TEST_P(EventLogContract, AppendAllWritesEveryPartOrNone) {
  Status ok = AppendAll({PartitionAppend{0, {"a", "b"}}, PartitionAppend{1, {"c"}}});
  ASSERT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Payloads(1), (std::vector<std::string>{"c"}));
  std::string huge(GetParam().too_large_record_bytes, 'x');
  Status refused = AppendAll({PartitionAppend{0, {"small"}}, PartitionAppend{1, {huge}}});
  EXPECT_EQ(refused.code(), StatusCode::kPayloadTooLarge) << refused.ToString();
  EXPECT_EQ(log_->EndOffset(0), 2u);
  EXPECT_EQ(log_->EndOffset(1), 1u);
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a", "b"}));
}

// --- Read ---

TEST_P(EventLogContract, ReadStartsAtTheAskedOffsetAndStopsAtMaxRecords) {
  ASSERT_TRUE(Append(0, {"a", "b", "c", "d", "e"}).ok());
  auto records = log_->Read(0, 1, 2, 1 << 20, kNoWait);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].offset, 1u);
  EXPECT_EQ((*records)[0].payload, "b");
  EXPECT_EQ((*records)[1].offset, 2u);
  EXPECT_EQ((*records)[1].payload, "c");
}

TEST_P(EventLogContract, ReadReturnsAtLeastOneRecordLargerThanMaxBytes) {
  ASSERT_TRUE(Append(0, {std::string(4096, 'a'), std::string(4096, 'b')}).ok());
  auto records = log_->Read(0, 0, 100, 16, kNoWait);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_GE(records->size(), 1u);
  EXPECT_LE(records->size(), 2u);
  EXPECT_EQ((*records)[0].payload, std::string(4096, 'a'));
}

TEST_P(EventLogContract, ReadAtTheEndTimesOutEmpty) {
  ASSERT_TRUE(Append(0, {"a"}).ok());
  auto start = std::chrono::steady_clock::now();
  auto records = log_->Read(0, 1, 10, 1 << 20, std::chrono::milliseconds(30));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_TRUE(records->empty());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(25));
}

TEST_P(EventLogContract, AWaitingReadReturnsTheNextAppendedRecord) {
  auto reader = std::async(std::launch::async,
                           [&] { return log_->Read(1, 0, 10, 1 << 20, std::chrono::seconds(10)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Append(1, {"late"}).ok());
  auto records = reader.get();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].payload, "late");
}

// --- Consumers ---

TEST_P(EventLogContract, CommittedIsZeroUntilAConsumerCommits) {
  EXPECT_EQ(log_->Committed("ingest", 0), 0u);
}

TEST_P(EventLogContract, CommittedOffsetsArePerConsumerAndPartition) {
  ASSERT_TRUE(Append(0, {"a", "b", "c"}).ok());
  ASSERT_TRUE(Append(1, {"x"}).ok());
  ASSERT_TRUE(log_->Commit("ingest", 0, 2).ok());
  ASSERT_TRUE(log_->Commit("ingest", 1, 1).ok());
  ASSERT_TRUE(log_->Commit("replay", 0, 3).ok());
  EXPECT_EQ(log_->Committed("ingest", 0), 2u);
  EXPECT_EQ(log_->Committed("ingest", 1), 1u);
  EXPECT_EQ(log_->Committed("replay", 0), 3u);
  EXPECT_EQ(log_->Committed("replay", 1), 0u);
  EXPECT_EQ(log_->Committed("other", 0), 0u);
}

TEST_P(EventLogContract, RecordsAtAndAfterTheLowestCommitStayReadable) {
  ASSERT_TRUE(Append(0, {"a", "b", "c"}).ok());
  ASSERT_TRUE(log_->Commit("ingest", 0, 2).ok());
  auto records = log_->Read(0, 2, 10, 1 << 20, kNoWait);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ((*records)[0].payload, "c");
}

// --- Durability ---

TEST_P(EventLogContract, AcknowledgedRecordsAndCommitsSurviveAReopen) {
  ASSERT_TRUE(Append(0, {"a", "b"}).ok());
  ASSERT_TRUE(Append(1, {"c"}).ok());
  ASSERT_TRUE(log_->Commit("ingest", 0, 1).ok());
  Reopen();
  EXPECT_EQ(log_->EndOffset(0), 2u);
  EXPECT_EQ(log_->EndOffset(1), 1u);
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Payloads(1), (std::vector<std::string>{"c"}));
  EXPECT_EQ(log_->Committed("ingest", 0), 1u);
  auto next = Append(0, {"d"});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 2u);
}

// --- Close ---

TEST_P(EventLogContract, CloseWakesAWaitingReader) {
  auto reader = std::async(std::launch::async,
                           [&] { return log_->Read(0, 0, 10, 1 << 20, std::chrono::seconds(30)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto start = std::chrono::steady_clock::now();
  log_->Close();
  ASSERT_EQ(reader.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  auto records = reader.get();
  EXPECT_TRUE(!records.ok() || records->empty());
}

TEST_P(EventLogContract, CallsAfterCloseFailFastWithUnavailable) {
  ASSERT_TRUE(Append(0, {"a"}).ok());
  log_->Close();
  auto appended = Append(0, {"b"});
  EXPECT_EQ(appended.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(AppendAll({PartitionAppend{0, {"c"}}}).code(), StatusCode::kUnavailable);
  auto records = log_->Read(0, 0, 10, 1 << 20, std::chrono::seconds(10));
  EXPECT_EQ(records.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(log_->Commit("ingest", 0, 1).code(), StatusCode::kUnavailable);
}

TEST_P(EventLogContract, AppendsAcceptedBeforeCloseAreCompleted) {
  std::promise<StatusOr<uint64_t>> done;
  auto future = done.get_future();
  log_->Append(0, {"a", "b"}, [&done](StatusOr<uint64_t> r) { done.set_value(std::move(r)); });
  log_->Close();
  StatusOr<uint64_t> result = future.get();
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*result, 0u);
  Reopen();
  EXPECT_EQ(Payloads(0), (std::vector<std::string>{"a", "b"}));
}

}  // namespace hoglet::log::contract
