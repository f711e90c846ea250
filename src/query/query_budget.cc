#include "query/query_budget.h"

#include <string>

namespace hoglet::query {

Status QueryBudget::Check() const {
  if (cancelled_ != nullptr && cancelled_->load(std::memory_order_relaxed)) {
    return UnavailableError("the query was cancelled", "cancelled");
  }
  if (clock_->NowMicros() > deadline_us_) {
    return DeadlineExceededError("the query ran longer than its limit of " +
                                     std::to_string(timeout_us_ / 1'000'000) +
                                     " s; narrow the date range or the filters",
                                 "timeout");
  }
  return Status::Ok();
}

}  // namespace hoglet::query
