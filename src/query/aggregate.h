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

#include <cstddef>
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
  // The number (query/actor_numbers.h) of the person the row counts for at query time, or of its
  // group (GroupActor) when a series counts groups.
  uint32_t actor = 0;
  std::optional<double> number;  // math_property as a number; nullopt when not numeric
  std::string_view session;      // $session_id ("" when absent)
};

class Aggregate {
 public:
  virtual ~Aggregate() = default;
  virtual void Add(const AggregateInput& row) = 0;
  // Adds `count` rows carrying nothing but themselves, as a scan counting events does (total):
  // each state takes them as that many empty rows.
  virtual void AddRows(uint64_t count) {
    for (uint64_t i = 0; i < count; ++i) Add(AggregateInput{});
  }
  // Adds a row for each of actors[0, count), carrying nothing but its actor, as a scan counting
  // distinct actors does.
  virtual void AddActors(const uint32_t* actors, size_t count) {
    AggregateInput row;
    for (size_t i = 0; i < count; ++i) {
      row.actor = actors[i];
      Add(row);
    }
  }
  // `other` is a state of the same math.
  virtual void Merge(const Aggregate& other) = 0;
  virtual double Finalize() const = 0;
  // The numbers of the distinct actors the state counts, ascending, into `out` (replaced), for
  // the states that keep them (dau, weekly and monthly active, unique_group); false for the
  // others, `out` untouched.
  virtual bool Actors(std::vector<uint32_t>* /*out*/) const { return false; }
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
