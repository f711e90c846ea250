// A fixed set of worker threads with a bounded queue, for work that may block (queries, metadata
// writes) and so must not run on an I/O thread.
//
// TrySubmit never blocks: when the queue is full it returns false and the caller answers 503
// (backpressure instead of unbounded growth). The destructor finishes queued work and joins.
//
// A pool may run at a lower CPU priority than the rest of the process (`nice`, Linux's nice
// value of each of its threads, inherited by the threads its tasks start): queries yield the CPU
// to capture and ingestion when both want it, and take all of it when they do not.
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
  // `nice` (0–19) is added to the threads' nice value.
  ThreadPool(int threads, size_t max_queued, int nice = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is shutting down. Thread-safe.
  bool TrySubmit(std::function<void()> task);

 private:
  void Run();

  const size_t max_queued_;
  const int nice_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace hoglet
