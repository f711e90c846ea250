// The aggregate states of trends maths (analytics §3.2), mergeable like ClickHouse's aggregate
// functions: a state takes rows (Add), absorbs another state of the same math (Merge), so parts
// and threads can aggregate apart and combine, and gives its value (Finalize).
//
//   total                           count()
//   dau / weekly_active / …         distinct persons
//   unique_session                  distinct $session_id ("" for events without one counts once)
//   unique_group                    distinct groups (the actor is the group)
//   sum / avg / min / max           of the numeric values; 0 when there are none
//   median / p75 / p90 / p95 / p99  interpolated quantile of the numeric values (ClickHouse's
//                                   quantile(level), exact); 0 when there are none
//   *_count_per_actor               events per person, then avg / min / max / quantile of those
//
// New maths are registered in NewAggregate, the one place that knows them all. Not thread-safe
// (Finalize too may reorganise a state): one state per thread, merged afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "query/trends_query.h"

namespace hoglet::query {

// What one row contributes; each math reads what it needs.
struct AggregateInput {
  Uuid actor;                    // the person resolved at query time, or the group (GroupActor)
  std::optional<double> number;  // math_property as a number; nullopt when not numeric
  std::string_view session;      // $session_id ("" when absent)
};

class Aggregate {
 public:
  virtual ~Aggregate() = default;
  virtual void Add(const AggregateInput& row) = 0;
  // `other` is a state of the same math.
  virtual void Merge(const Aggregate& other) = 0;
  virtual double Finalize() const = 0;
  // An empty state of the same math.
  virtual std::unique_ptr<Aggregate> NewEmpty() const = 0;
};

std::unique_ptr<Aggregate> NewAggregate(Math math);

// ClickHouse's interpolated quantile of `values` (sorted in place); 0 for none.
double InterpolatedQuantile(std::vector<double>* values, double level);

struct UuidHash {
  size_t operator()(const Uuid& uuid) const;
};

}  // namespace hoglet::query
