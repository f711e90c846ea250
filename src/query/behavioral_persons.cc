#include "query/behavioral_persons.h"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "query/part_blocks.h"

namespace hoglet::query {
namespace {

using filters::BehavioralKind;

// What one person did in the windows of a criterion.
struct PersonEvents {
  int64_t recent = 0;    // events in the last window: (now − T, now), or (now − S, now]
  bool middle = false;   // stopped / restarted: some event in (now − T, now − S]
  bool initial = false;  // restarted: some event at or before now − T
  int64_t first_us = std::numeric_limits<int64_t>::max();  // first time: the earliest event
  bool first_passes = false;        // … and whether it passes the event filters
  std::vector<int64_t> per_period;  // regularly: the events in each period, the latest first
  std::vector<int64_t> firsts;      // sequence: the times of the first event …
  std::vector<int64_t> thens;       // … and of the event that must follow it
};

// Whether some first event at t0 is followed by a then-event at t1, t0 < t1 ≤ t0 + `within`.
bool FollowedWithin(std::vector<int64_t>& firsts, std::vector<int64_t>& thens,
                    const filters::RelativeSpan& within) {
  std::sort(thens.begin(), thens.end());
  for (int64_t t0 : firsts) {
    auto next = std::upper_bound(thens.begin(), thens.end(), t0);
    if (next != thens.end() && *next <= within.After(t0)) return true;
  }
  return false;
}

}  // namespace

StatusOr<const PersonSet*> ScannedBehavior::PersonsOf(
    const filters::BehavioralCriterion& criterion) {
  auto found = persons_.find(&criterion);
  if (found != persons_.end()) return &found->second;
  HOGLET_ASSIGN_OR_RETURN(PersonSet persons, Scan(criterion));
  return &persons_.emplace(&criterion, std::move(persons)).first->second;
}

StatusOr<PersonSet> ScannedBehavior::Scan(const filters::BehavioralCriterion& criterion) {
  ++scans_;
  if (context_.source == nullptr) {
    return UnavailableError("this server's event store cannot be queried by the embedded engine");
  }
  for (const std::optional<int64_t>& id : {criterion.action_id, criterion.seq_action_id}) {
    if (!id || actions_.contains(*id)) continue;
    if (!context_.action) return InternalError("a behavioral action criterion without actions");
    HOGLET_ASSIGN_OR_RETURN(actions_[*id], context_.action(*id));
  }
  const int64_t now_us = context_.now_us;
  const int64_t t_us = criterion.time.Before(now_us);
  const int64_t s_us = criterion.seq_time.Before(now_us);
  const BehavioralKind kind = criterion.kind;
  const bool all_time = kind == BehavioralKind::kPerformedEventFirstTime ||
                        kind == BehavioralKind::kRestartedPerformingEvent;
  // performed_event_regularly: period p is (ends[p + 1], ends[p]], ends[p] = now − p·T.
  std::vector<int64_t> ends;
  if (kind == BehavioralKind::kPerformedEventRegularly) {
    for (int64_t p = 0; p <= criterion.total_periods; ++p) {
      ends.push_back(
          filters::RelativeSpan{criterion.time.value * p, criterion.time.unit}.Before(now_us));
    }
  }
  const int64_t from_us = all_time       ? std::numeric_limits<int64_t>::min()
                          : ends.empty() ? t_us
                                         : ends.back();

  EventRowsContext rows_context;
  rows_context.match = context_.match;
  rows_context.overrides = context_.overrides;
  rows_context.actions = &actions_;
  EventConditions entity;  // the event or action
  if (criterion.action_id) {
    entity.action_id = criterion.action_id;
  } else {
    entity.event = criterion.event;
  }
  EventConditions filtered;  // its event filters
  filtered.filters = {&criterion.event_filters};
  // The first time is the person's first event of the event or action, whatever its properties:
  // the filters then only decide whether that first event counts.
  const bool filters_apart = kind == BehavioralKind::kPerformedEventFirstTime;
  if (!filters_apart) entity.filters = filtered.filters;
  // performed_event_sequence: the event that must follow (the event filters are the first's).
  const bool sequence = kind == BehavioralKind::kPerformedEventSequence;
  EventConditions then;
  if (criterion.seq_action_id) {
    then.action_id = criterion.seq_action_id;
  } else {
    then.event = criterion.seq_event;
  }

  std::unordered_map<Uuid, PersonEvents, UuidHash> events;
  auto scan_block = [&](store::BlockReader* block) -> Status {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows = RowsInTime(*timestamps, from_us, now_us);
    if (!store::AnySelected(rows)) return Status::Ok();
    EventRows event_rows(block, rows_context);
    store::RowSelection thens;
    if (sequence) {
      thens = rows;
      HOGLET_RETURN_IF_ERROR(event_rows.Narrow(then, &thens));
    }
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(entity, &rows));
    // A sequence reads its first events (`passing`) and the events that must follow (`thens`).
    store::RowSelection passing;
    if (sequence) {
      passing = rows;
      for (size_t row = 0; row < rows.size(); ++row) rows[row] = rows[row] || thens[row];
    }
    if (!store::AnySelected(rows)) return Status::Ok();
    if (filters_apart) {
      passing = rows;
      HOGLET_RETURN_IF_ERROR(event_rows.Narrow(filtered, &passing));
    }
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, event_rows.Persons());
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row] || (*persons)[row] == Uuid()) continue;
      const int64_t at = (*timestamps)[row];
      PersonEvents& person = events[(*persons)[row]];
      switch (kind) {
        case BehavioralKind::kPerformedEvent:
        case BehavioralKind::kPerformedEventMultiple:
          // PostHog's window is open at both ends: timestamp > now − T AND timestamp < now.
          if (at > t_us && at < now_us) ++person.recent;
          break;
        case BehavioralKind::kPerformedEventFirstTime:
          // Ties in time: the first event passes when one of the simultaneous ones does.
          if (at < person.first_us) {
            person.first_us = at;
            person.first_passes = passing[row];
          } else if (at == person.first_us) {
            person.first_passes = person.first_passes || passing[row];
          }
          break;
        case BehavioralKind::kStoppedPerformingEvent:
        case BehavioralKind::kRestartedPerformingEvent:
          if (at > s_us) {
            ++person.recent;
          } else if (at > t_us) {
            person.middle = true;
          } else {
            person.initial = true;
          }
          break;
        case BehavioralKind::kPerformedEventRegularly: {
          if (at <= ends.back() || at > now_us) break;
          // The first end before `at` opens its period (ends fall from now).
          const auto end = std::upper_bound(ends.begin(), ends.end(), at, std::greater<>());
          const size_t period = static_cast<size_t>(end - ends.begin()) - 1;
          if (person.per_period.empty()) person.per_period.assign(ends.size() - 1, 0);
          ++person.per_period[period];
          break;
        }
        case BehavioralKind::kPerformedEventSequence:
          // PostHog's window: timestamp > now − T, up to now.
          if (at <= t_us || at > now_us) break;
          if (passing[row]) person.firsts.push_back(at);
          if (thens[row]) person.thens.push_back(at);
          break;
      }
    }
    return Status::Ok();
  };
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot,
                          context_.source->Snapshot(context_.team_id, from_us, now_us));
  for (const auto& part : snapshot.parts) {
    HOGLET_RETURN_IF_ERROR(ScanPartBlocks(*part, from_us, now_us, context_.budget, scan_block));
  }

  PersonSet holds;
  for (auto& [person, did] : events) {
    bool in = false;
    switch (kind) {
      case BehavioralKind::kPerformedEvent:
        in = did.recent > 0;
        break;
      case BehavioralKind::kPerformedEventMultiple:
        in = did.recent > 0 && criterion.CountMatches(did.recent);
        break;
      case BehavioralKind::kPerformedEventFirstTime:
        in = did.first_passes && did.first_us >= t_us && did.first_us < now_us;
        break;
      case BehavioralKind::kStoppedPerformingEvent:
        in = did.middle && did.recent == 0;
        break;
      case BehavioralKind::kRestartedPerformingEvent:
        in = did.initial && !did.middle && did.recent > 0;
        break;
      case BehavioralKind::kPerformedEventRegularly:
        in = std::count_if(did.per_period.begin(), did.per_period.end(), [&](int64_t events) {
               return criterion.CountMatches(events);
             }) >= criterion.min_periods;
        break;
      case BehavioralKind::kPerformedEventSequence:
        in = FollowedWithin(did.firsts, did.thens, criterion.seq_time);
        break;
    }
    if (in) holds.insert(person);
  }
  return holds;
}

}  // namespace hoglet::query
