// Time as a dependency. Code that needs "now" takes a `const Clock&` so tests can pin it.
// All instants in Hoglet are int64 microseconds since the Unix epoch, UTC.
#pragma once

#include <atomic>
#include <cstdint>

namespace hoglet {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, microseconds since the Unix epoch. Thread-safe.
  virtual int64_t NowMicros() const = 0;
};

// The real wall clock (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  // The process-wide instance.
  static const SystemClock& Get();
};

// A clock that only moves when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_micros = 0) : now_(now_micros) {}
  int64_t NowMicros() const override { return now_.load(std::memory_order_relaxed); }
  void Set(int64_t now_micros) { now_.store(now_micros, std::memory_order_relaxed); }
  void Advance(int64_t micros) { now_.fetch_add(micros, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hoglet
