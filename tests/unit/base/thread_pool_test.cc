#include "base/thread_pool.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>
#include <utility>

namespace hoglet {
namespace {

TEST(ThreadPool, RunsEverySubmittedTask) {
  std::atomic<int> done{0};
  {
    ThreadPool pool(2, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.TrySubmit([&] { done.fetch_add(1); }));
  }
  EXPECT_EQ(done.load(), 500);
}

TEST(ThreadPool, ItsThreadsAndThoseTheyStartRunAtTheLowerPriorityItWasGiven) {
  const auto priority = [] { return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())); };
  const int ours = priority();
  std::promise<std::pair<int, int>> seen;
  {
    ThreadPool pool(1, 10, 5);
    ASSERT_TRUE(pool.TrySubmit([&] {
      int started = 0;
      std::thread([&] { started = priority(); }).join();
      seen.set_value({priority(), started});
    }));
  }
  const auto [pool_thread, started_thread] = seen.get_future().get();
  EXPECT_EQ(pool_thread, std::min(ours + 5, 19));
  EXPECT_EQ(started_thread, pool_thread);
  EXPECT_EQ(priority(), ours) << "the caller's priority is its own";
}

TEST(ThreadPool, RefusesWhenQueueIsFull) {
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  ThreadPool pool(1, 2);
  std::promise<void> started;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.set_value();
    gate.wait();
  }));
  started.get_future().wait();
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  release.set_value();
}

}  // namespace
}  // namespace hoglet
