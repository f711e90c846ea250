// The counting half of a retention run (the scan half: retention_runner.cc): each actor's cohorts
// (query/retention_cohorts.h) added to its breakdown value's cells, the actors of one cohort
// collected when asked, and the cells finished (averages) once every actor is counted.
//
// Example (retention_runner.cc):
//   CountActor(query, range, actor, events, columns, out, empty, &tallies);
//   …
//   for (RetentionTally& tally : tallies) Average(&tally);
//
// CountActor keeps scratch space per thread; each thread counts into tallies of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/uuid.h"
#include "query/date_range.h"
#include "query/retention_cohorts.h"
#include "query/retention_query.h"
#include "query/retention_runner.h"

namespace hoglet::query {

// What one run collects: the cohort table, and the actors of one cohort when asked (of one
// breakdown value when `breakdown` is set).
struct RetentionOutput {
  RetentionResult* result = nullptr;
  std::optional<size_t> cohort;
  std::vector<RetentionActor>* actors = nullptr;
  const std::string* breakdown = nullptr;
  // The index of `breakdown` among the values the scan saw; kNoBreakdownValue when it saw none
  // such.
  std::optional<uint32_t> breakdown_index;
};

inline constexpr uint32_t kNoBreakdownValue = std::numeric_limits<uint32_t>::max();

// One breakdown value's cells while the actors are counted.
struct RetentionTally {
  RetentionTable counts;
  RetentionValues values;
};

// The events of one actor (all its breakdown values, in RetentionEventBefore order): its cohorts,
// counted in tallies[its value's index] (`empty` when that has no cells yet). `actor` is the
// actor itself when the output collects actors.
void CountActor(const RetentionQuery& query, const DateRange& range, const Uuid& actor,
                std::span<const RetentionEvent> events, size_t columns, const RetentionOutput& out,
                const RetentionTally& empty, std::vector<RetentionTally>* tallies);

// Averages: each cell's sum divided by its actors.
void Average(RetentionTally* tally);

// One actor counted under several breakdown values: listed once, with the offsets of all.
void MergeActors(std::vector<RetentionActor>* actors);

}  // namespace hoglet::query
