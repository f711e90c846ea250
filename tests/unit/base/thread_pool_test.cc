#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

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
