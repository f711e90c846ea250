// What bounds a query: its budget (deadline, cancellation), the answers kept for repeated
// queries, and the background jobs with their per-project limit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "base/clock.h"
#include "query/query_budget.h"
#include "query/query_jobs.h"
#include "query/result_cache.h"

namespace hoglet::query {
namespace {

TEST(QueryBudget, StopsPastTheDeadlineAndOnceCancelled) {
  ManualClock clock(1'000'000);
  std::atomic<bool> cancelled{false};
  QueryBudget budget(&clock, 5'000'000, &cancelled);
  EXPECT_TRUE(budget.Check().ok());
  clock.Advance(5'000'000);
  EXPECT_TRUE(budget.Check().ok()) << "the deadline itself is still inside";
  clock.Advance(1);
  EXPECT_EQ(budget.Check().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(budget.Check().message().find("limit of 5 s"), std::string::npos);

  QueryBudget fresh(&clock, 5'000'000, &cancelled);
  cancelled = true;
  EXPECT_EQ(fresh.Check().code(), StatusCode::kUnavailable);
  EXPECT_EQ(fresh.Check().reason(), "cancelled");

  QueryBudget uncancellable(&clock, 5'000'000, nullptr);
  EXPECT_TRUE(uncancellable.Check().ok());
}

TEST(ResultCache, KeepsAnswersByKeyAndDropsTheLeastRecentlyUsedPastItsBytes) {
  ResultCache cache(100);
  EXPECT_FALSE(cache.Get("a").has_value());
  cache.Put("a", {std::string(40, 'a'), 1});
  cache.Put("b", {std::string(40, 'b'), 2});
  ASSERT_TRUE(cache.Get("a").has_value());  // a is now the most recently used
  EXPECT_EQ(cache.Get("a")->computed_at_us, 1);
  cache.Put("c", {std::string(40, 'c'), 3});  // over 100 bytes with keys: b goes
  EXPECT_TRUE(cache.Get("a").has_value());
  EXPECT_FALSE(cache.Get("b").has_value());
  EXPECT_TRUE(cache.Get("c").has_value());
  EXPECT_LE(cache.bytes(), 100u);

  cache.Put("a", {"{}", 9});  // replaced in place
  EXPECT_EQ(cache.Get("a")->json, "{}");
  EXPECT_EQ(cache.Get("a")->computed_at_us, 9);

  cache.Put("huge", {std::string(500, 'x'), 4});
  EXPECT_FALSE(cache.Get("huge").has_value()) << "an answer larger than the cache is not kept";
  EXPECT_TRUE(cache.Get("c").has_value()) << "and evicts nothing";
}

// A task that waits until released, counting how many run at once.
class Gate {
 public:
  QueryJobs::Task Task(std::string answer) {
    return [this, answer](const std::atomic<bool>& cancelled) -> StatusOr<std::string> {
      std::unique_lock<std::mutex> lock(mu_);
      ++started_;
      changed_.notify_all();
      // Polled: the cancellation flag has no way to wake the wait.
      while (!open_ && !cancelled.load()) changed_.wait_for(lock, std::chrono::milliseconds(2));
      if (cancelled) return UnavailableError("the query was cancelled", "cancelled");
      return answer;
    };
  }
  void WaitStarted(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [&] { return started_ >= n; });
  }
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  int started_ = 0;
  bool open_ = false;
};

StatusOr<QueryStatus> WaitComplete(QueryJobs& jobs, int64_t team, const std::string& id) {
  for (int i = 0; i < 2000; ++i) {
    auto status = jobs.Get(team, id);
    if (!status.ok() || status->complete) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return DeadlineExceededError("the job never completed");
}

TEST(QueryJobs, RunsInTheBackgroundAndRemembersTheAnswerForItsProjectOnly) {
  SystemClock clock;
  QueryJobs jobs({}, &clock);
  Gate gate;
  auto started = jobs.Start(1, "q1", gate.Task(R"({"results":[1]})"));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_FALSE(started->complete);
  EXPECT_EQ(jobs.Start(1, "q1", gate.Task("{}")).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(jobs.Get(2, "q1").status().code(), StatusCode::kNotFound) << "another project's";
  gate.Open();
  auto done = WaitComplete(jobs, 1, "q1");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_TRUE(done->complete);
  EXPECT_FALSE(done->error);
  EXPECT_EQ(done->results.value_or(""), R"({"results":[1]})");
  EXPECT_GE(done->end_time_us, done->start_time_us);
}

TEST(QueryJobs, LimitsQueriesRunningAtOnceInOneProject) {
  SystemClock clock;
  QueryJobs::Options options;
  options.max_running_per_team = 2;
  QueryJobs jobs(options, &clock);
  Gate gate;
  ASSERT_TRUE(jobs.Start(1, "a", gate.Task("{}")).ok());
  ASSERT_TRUE(jobs.Start(1, "b", gate.Task("{}")).ok());
  auto third = jobs.Start(1, "c", gate.Task("{}"));
  EXPECT_EQ(third.status().code(), StatusCode::kResourceExhausted);
  auto now = jobs.RunNow(1, [](const std::atomic<bool>&) -> StatusOr<std::string> { return "x"; });
  EXPECT_EQ(now.status().code(), StatusCode::kResourceExhausted) << "blocking ones count too";
  EXPECT_TRUE(jobs.Start(2, "a", gate.Task("{}")).ok()) << "another project has its own slots";

  gate.Open();
  ASSERT_TRUE(WaitComplete(jobs, 1, "a").ok());
  ASSERT_TRUE(WaitComplete(jobs, 1, "b").ok());
  auto after = jobs.RunNow(
      1, [](const std::atomic<bool>&) -> StatusOr<std::string> { return std::string("{}"); });
  EXPECT_TRUE(after.ok()) << "finished queries free their slots";
}

TEST(QueryJobs, CancelStopsARunningQueryAsAnError) {
  SystemClock clock;
  QueryJobs jobs({}, &clock);
  Gate gate;
  ASSERT_TRUE(jobs.Start(1, "slow", gate.Task("{}")).ok());
  gate.WaitStarted(1);
  EXPECT_EQ(jobs.Cancel(2, "slow").code(), StatusCode::kNotFound);
  ASSERT_TRUE(jobs.Cancel(1, "slow").ok());
  auto done = WaitComplete(jobs, 1, "slow");
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->complete);
  EXPECT_TRUE(done->error);
  EXPECT_NE(done->error_message.find("cancelled"), std::string::npos);
  EXPECT_FALSE(done->results.has_value());
}

TEST(QueryJobs, ForgetsFinishedQueriesAfterAWhile) {
  ManualClock clock(1'000'000);
  QueryJobs::Options options;
  options.keep_finished_us = 10'000'000;
  QueryJobs jobs(options, &clock);
  ASSERT_TRUE(jobs.Start(1, "old",
                         [](const std::atomic<bool>&) -> StatusOr<std::string> {
                           return std::string("{}");
                         })
                  .ok());
  ASSERT_TRUE(WaitComplete(jobs, 1, "old").ok());
  clock.Advance(10'000'001);
  ASSERT_TRUE(jobs.Start(1, "new",
                         [](const std::atomic<bool>&) -> StatusOr<std::string> {
                           return std::string("{}");
                         })
                  .ok());
  EXPECT_EQ(jobs.Get(1, "old").status().code(), StatusCode::kNotFound);
}

TEST(QueryJobs, TheDestructorCancelsWhatIsStillRunning) {
  SystemClock clock;
  Gate gate;
  {
    QueryJobs jobs({}, &clock);
    ASSERT_TRUE(jobs.Start(1, "stuck", gate.Task("{}")).ok());
    gate.WaitStarted(1);
  }  // returns only because the task saw its cancellation
  SUCCEED();
}

}  // namespace
}  // namespace hoglet::query
