// What one query may spend: a deadline, and a flag that cancels it. The scans check it between
// blocks, so a query stops within one block's work of its limit or its cancellation.
#pragma once

#include <atomic>
#include <cstdint>

#include "base/clock.h"
#include "base/status.h"

namespace hoglet::query {

// PostHog's HogQL queries run with max_execution_time = 60 s.
inline constexpr int64_t kDefaultQueryTimeoutUs = 60'000'000;

class QueryBudget {
 public:
  // `cancelled` may be null (nothing cancels the query). Both must outlive the budget.
  QueryBudget(const Clock* clock, int64_t timeout_us, const std::atomic<bool>* cancelled)
      : clock_(clock),
        deadline_us_(clock->NowMicros() + timeout_us),
        timeout_us_(timeout_us),
        cancelled_(cancelled) {}

  // kDeadlineExceeded past the deadline; kUnavailable (reason "cancelled") once cancelled.
  Status Check() const;
  // Check() on every kTicksPerCheck-th call: for loops over many small items (actors), which
  // would otherwise spend a clock read each.
  static constexpr uint32_t kTicksPerCheck = 256;
  Status Tick() const {
    const uint32_t tick = ticks_.fetch_add(1, std::memory_order_relaxed) + 1;
    return tick % kTicksPerCheck == 0 ? Check() : Status::Ok();
  }

 private:
  const Clock* clock_;
  const int64_t deadline_us_;
  const int64_t timeout_us_;
  const std::atomic<bool>* cancelled_;
  mutable std::atomic<uint32_t> ticks_{0};
};

}  // namespace hoglet::query
