// A fixed set of worker threads with a bounded queue, for work that may block (queries, metadata
// writes) and so must not run on an I/O thread.
//
// TrySubmit never blocks: when the queue is full it returns false and the caller answers 503
// (backpressure instead of unbounded growth). The destructor finishes queued work and joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hoglet {

class ThreadPool {
 public:
  ThreadPool(int threads, size_t max_queued);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is shutting down. Thread-safe.
  bool TrySubmit(std::function<void()> task);

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace hoglet
