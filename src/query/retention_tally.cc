#include "query/retention_tally.h"

#include <algorithm>
#include <utility>

namespace hoglet::query {
namespace {

// Adds one actor's cohorts to `tally`, and to the output's actors when it is the cohort asked
// and `collect`.
void CountCohorts(const Uuid& actor, const std::vector<ActorCohort>& cohorts, size_t columns,
                  const RetentionOutput& out, bool collect, RetentionTally* tally) {
  for (const ActorCohort& cohort : cohorts) {
    const auto c = static_cast<size_t>(cohort.cohort);
    std::vector<int64_t> counted;
    for (size_t i = 0; i < cohort.offsets.size(); ++i) {
      const auto k = static_cast<size_t>(cohort.offsets[i]);
      if (k >= columns) continue;
      ++tally->counts[c][k];
      if (!tally->values.empty()) tally->values[c][k] += cohort.sums[i];
      counted.push_back(cohort.offsets[i]);
    }
    if (collect && out.cohort == c && !counted.empty()) {
      out.actors->push_back({actor, std::move(counted), ""});
    }
  }
}

}  // namespace

void CountActor(const RetentionQuery& query, const DateRange& range, const Uuid& actor,
                std::span<const RetentionEvent> events, size_t columns, const RetentionOutput& out,
                const RetentionTally& empty, std::vector<RetentionTally>* tallies) {
  const bool windows = query.window == RetentionWindow::k24HourWindows;
  int64_t t0_us = std::numeric_limits<int64_t>::max();
  if (windows) {
    // t0: the first-time anchor, or the first start event in the range.
    const RetentionEventKind first = query.type == RetentionType::kRecurring
                                         ? RetentionEventKind::kStart
                                         : RetentionEventKind::kAnchor;
    for (const RetentionEvent& e : events) {
      if (e.kind == first) t0_us = std::min(t0_us, e.timestamp_us);
    }
    if (t0_us == std::numeric_limits<int64_t>::max()) return;
  }
  // Kept from actor to actor on the thread.
  thread_local std::vector<ActorCohort> cohorts;
  thread_local std::vector<RetentionEvent> at_or_after_t0;
  thread_local std::vector<int32_t> starts;
  thread_local std::vector<int32_t> returns;
  // A plain count is added up from the actor's periods without making its cohorts.
  const bool plain = !windows && query.aggregation == RetentionAggregation::kCount &&
                     query.brackets.empty() && !query.cumulative && out.actors == nullptr;
  for (size_t begin = 0; begin < events.size();) {
    size_t end = begin;
    while (end < events.size() && events[end].breakdown == events[begin].breakdown) ++end;
    cohorts.clear();
    std::span<const RetentionEvent> value_events = events.subspan(begin, end - begin);
    if (plain) {
      CalendarPeriods(query, value_events, &starts, &returns);
      RetentionTally& tally = (*tallies)[events[begin].breakdown];
      if (tally.counts.empty()) tally = empty;
      for (int32_t cohort : starts) {
        std::vector<int64_t>& row = tally.counts[static_cast<size_t>(cohort)];
        ++row[0];
        for (int32_t r : returns) {
          const int64_t offset = r - cohort;
          if (offset > 0 && offset < query.total_intervals &&
              static_cast<size_t>(offset) < columns) {
            ++row[static_cast<size_t>(offset)];
          }
        }
      }
      begin = end;
      continue;
    }
    if (windows) {
      at_or_after_t0.clear();
      for (const RetentionEvent& e : value_events) {
        if (e.kind != RetentionEventKind::kAnchor && e.timestamp_us >= t0_us) {
          at_or_after_t0.push_back(e);
        }
      }
      WindowCohorts(query, range, t0_us, at_or_after_t0, &cohorts);
    } else {
      CalendarCohorts(query, value_events, &cohorts);
    }
    RetentionTally& tally = (*tallies)[events[begin].breakdown];
    if (tally.counts.empty()) tally = empty;
    const bool collect = out.actors != nullptr &&
                         (!out.breakdown_index || *out.breakdown_index == events[begin].breakdown);
    CountCohorts(actor, cohorts, columns, out, collect, &tally);
    begin = end;
  }
}

void Average(RetentionTally* tally) {
  for (size_t c = 0; c < tally->values.size(); ++c) {
    for (size_t k = 0; k < tally->values[c].size(); ++k) {
      if (tally->counts[c][k] > 0) {
        tally->values[c][k] /= static_cast<double>(tally->counts[c][k]);
      }
    }
  }
}

void MergeActors(std::vector<RetentionActor>* actors) {
  std::sort(actors->begin(), actors->end(),
            [](const RetentionActor& a, const RetentionActor& b) { return a.actor < b.actor; });
  std::vector<RetentionActor> merged;
  for (RetentionActor& actor : *actors) {
    if (merged.empty() || !(merged.back().actor == actor.actor)) {
      merged.push_back(std::move(actor));
      continue;
    }
    std::vector<int64_t>& into = merged.back().appearances;
    into.insert(into.end(), actor.appearances.begin(), actor.appearances.end());
    std::sort(into.begin(), into.end());
    into.erase(std::unique(into.begin(), into.end()), into.end());
  }
  *actors = std::move(merged);
}

}  // namespace hoglet::query
