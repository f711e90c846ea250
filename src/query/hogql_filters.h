// The property filters of type "hogql" a query applies (analytics §3.1):
//   {"type": "hogql", "key": "properties.$browser = 'Chrome' AND person.properties.plan = 'pro'"}
// keeps the events on which the expression holds, as PostHog's HogQL WHERE clause reads it. Each
// expression is compiled once per query run by the HogQL engine (query/row_expression.h) and
// serves every block the run narrows (query/event_rows.h).
//
// Thread safety: compiled expressions read persons through the compiler's context, so a run
// with HogQL filters scans on one thread (the trends runner's ScansEventsOnly says so); the
// map of compiled expressions is guarded all the same.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"
#include "filters/property_filter.h"
#include "query/row_expression.h"

namespace hoglet::query {

class HogQLFilters {
 public:
  // `compiler` must outlive this object.
  explicit HogQLFilters(const RowExpressionCompiler* compiler) : compiler_(compiler) {}
  HogQLFilters(const HogQLFilters&) = delete;
  HogQLFilters& operator=(const HogQLFilters&) = delete;

  // The condition of `filter` (of type "hogql"), compiled at its first use. kInvalidArgument
  // "the HogQL filter '<key>': line L, column C: …" (the key cut at 100 bytes) for an expression
  // the engine refuses.
  StatusOr<const RowExpression*> Condition(const filters::PropertyFilter& filter);

 private:
  const RowExpressionCompiler* compiler_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<RowExpression>, std::less<>> compiled_;  // by key; mu_
};

}  // namespace hoglet::query
