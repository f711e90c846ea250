// Fuzzes HogQL end to end up to the data: any text must parse and plan (hogql/executor/planner.h)
// or be refused with kInvalidArgument, and a query that reads no events (without FROM, or over
// subqueries, UNION ALL and joins of such queries) must also run to an answer or a refusal —
// never crash, overflow the stack or loop.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hogql/executor/executor.h"
#include "hogql/executor/planner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hoglet::hogql::PlanContext plan_context;
  plan_context.now_us = 1'700'000'000'000'000;
  auto plan = hoglet::hogql::PlanHogQL(text, plan_context);
  if (!plan.ok()) {
    if (plan.status().code() != hoglet::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (plan->from_events) return 0;
  hoglet::hogql::HogQLRunContext run;
  run.now_us = plan_context.now_us;
  run.max_rows = 1000;  // joins of constant rows stay small
  auto result = hoglet::hogql::RunHogQL(text, run, nullptr, 1);
  // Without FROM: at most one row.
  if (result.ok() && plan->source == nullptr && result->rows.size() > 1) std::abort();
  return 0;
}
