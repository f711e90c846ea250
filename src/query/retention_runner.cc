#include "query/retention_runner.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "query/aggregate.h"
#include "query/event_rows.h"
#include "query/part_blocks.h"
#include "query/query_json.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

constexpr uint8_t kStart = 1;
constexpr uint8_t kReturn = 2;

// One event kept for retention: the actor it counts for, its period (an index into the range's
// buckets) and whether it starts a cohort or returns.
struct RetentionEvent {
  Uuid actor;
  uint32_t breakdown = 0;  // index into the breakdown values seen (0 without a breakdown)
  int32_t period = 0;
  uint8_t kind = 0;
};

// An actor with one breakdown value: PostHog groups retention by both.
struct ActorKey {
  Uuid actor;
  uint32_t breakdown = 0;
  bool operator==(const ActorKey& other) const {
    return actor == other.actor && breakdown == other.breakdown;
  }
};
struct ActorKeyHash {
  size_t operator()(const ActorKey& key) const {
    return UuidHash()(key.actor) * 31 + key.breakdown;
  }
};

// A breakdown value as PostHog's retention reads it: the property as text, "" when missing.
std::string BreakdownText(const filters::Properties& properties, const std::string& key) {
  auto found = properties.find(key);
  if (found == properties.end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
    return "";
  }
  return found->second.ToText();
}

// The first start event of an actor seen so far (first-time retention).
struct FirstStart {
  int64_t timestamp_us = std::numeric_limits<int64_t>::max();
  bool matches = false;  // it matches the start entity's property filters
};

EventConditions EntityConditions(const Series& entity, bool with_properties) {
  EventConditions conditions;
  conditions.event = entity.event;
  conditions.action_id = entity.action_id;
  if (with_properties) conditions.filters = {&entity.properties};
  return conditions;
}

class RetentionScan {
 public:
  RetentionScan(const RetentionQuery& query, const DateRange& range, const TrendsContext& context)
      : query_(query),
        range_(range),
        context_(context),
        // First-time retention finds each actor's first start event over all time.
        from_us_(query.type == RetentionType::kRecurring ? range.from_us()
                                                         : std::numeric_limits<int64_t>::min()),
        to_us_(range.to_us()),
        rows_context_(EventRowsContextOf(context)),
        target_(EntityConditions(query.target, true)),
        target_any_(EntityConditions(query.target, false)),
        returning_(EntityConditions(query.returning, true)) {
    base_.filters = {&query.properties,
                     query.filter_test_accounts ? &context.test_account_filters : nullptr};
  }

  int64_t from_us() const { return from_us_; }
  int64_t to_us() const { return to_us_; }

  Status ScanPart(const store::Part& part) {
    return ScanPartBlocks(
        part, from_us_, to_us_, context_.budget, [this](store::BlockReader* block) -> Status {
          HOGLET_RETURN_IF_ERROR(ScanBlock(block));
          if (events_.size() + first_.size() > kMaxRetentionEvents) {
            return InvalidArgumentError(
                "the retention reads more than " + std::to_string(kMaxRetentionEvents) +
                    " events; choose a shorter date range or narrower entities",
                "too_many_events");
          }
          return Status::Ok();
        });
  }

  // The breakdown values seen, by index.
  std::vector<std::string>& values() { return values_; }

  // The events kept, with the first-time starts added; `this` is spent.
  std::vector<RetentionEvent> TakeEvents() {
    for (const auto& [key, first] : first_) {
      if (!first.matches) continue;
      const int64_t period = range_.BucketIndex(first.timestamp_us);
      if (period >= 0) {
        events_.push_back({key.actor, key.breakdown, static_cast<int32_t>(period), kStart});
      }
    }
    first_.clear();
    return std::move(events_);
  }

 private:
  Status ScanBlock(store::BlockReader* block) {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows(timestamps->size(), 0);
    for (size_t row = 0; row < rows.size(); ++row) {
      const int64_t ts = (*timestamps)[row];
      rows[row] = ts >= from_us_ && ts <= to_us_;
    }
    if (!store::AnySelected(rows)) return Status::Ok();
    EventRows event_rows(block, rows_context_);
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(base_, &rows));
    if (!store::AnySelected(rows)) return Status::Ok();

    store::RowSelection starts = rows;
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(target_, &starts));
    store::RowSelection returns = rows;
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(returning_, &returns));
    // First-ever occurrence: the first start event whatever its properties.
    const bool first_ever = query_.type == RetentionType::kFirstEverOccurrence;
    store::RowSelection any_starts;
    if (first_ever) {
      any_starts = rows;
      HOGLET_RETURN_IF_ERROR(event_rows.Narrow(target_any_, &any_starts));
    }

    const std::vector<Uuid>* persons = nullptr;
    const BreakdownProperty* by = nullptr;
    const store::PropertyColumnData* breakdown_column = nullptr;
    if (query_.breakdown) {
      by = &query_.breakdown->properties.front();
      if (!by->person && !by->group_type_index) {
        HOGLET_ASSIGN_OR_RETURN(breakdown_column, block->Property(by->property));
      }
    }
    for (size_t row = 0; row < rows.size(); ++row) {
      const bool start = starts[row] != 0;
      const bool any_start = first_ever ? any_starts[row] != 0 : start;
      if (!any_start && !returns[row]) continue;
      Uuid actor;
      if (query_.aggregation_group_type_index) {
        const int index = *query_.aggregation_group_type_index;
        HOGLET_ASSIGN_OR_RETURN(std::string key, event_rows.GroupKeyOf(index, row));
        if (key.empty()) continue;  // an event without the group counts for no actor
        actor = GroupActor(index, key);
      } else {
        if (persons == nullptr) {
          HOGLET_ASSIGN_OR_RETURN(persons, event_rows.Persons());
        }
        actor = (*persons)[row];
      }
      uint32_t breakdown = 0;
      if (by != nullptr) {
        std::string value;
        if (by->person) {
          HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                                  event_rows.PersonPropertiesOf(row));
          value = BreakdownText(*properties, by->property);
        } else if (by->group_type_index) {
          HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                                  event_rows.GroupPropertiesOf(*by->group_type_index, row));
          value = BreakdownText(*properties, by->property);
        } else if (breakdown_column != nullptr) {
          const store::PropertyValue* cell = breakdown_column->Get(row);
          if (cell != nullptr) value = store::StringifyProperty(*cell).value_or("");
        }
        auto [found, added] =
            value_index_.try_emplace(value, static_cast<uint32_t>(values_.size()));
        if (added) values_.push_back(value);
        breakdown = found->second;
      }
      const int64_t ts = (*timestamps)[row];
      const int64_t period = range_.BucketIndex(ts);
      if (query_.type == RetentionType::kRecurring) {
        if (start && period >= 0) {
          events_.push_back({actor, breakdown, static_cast<int32_t>(period), kStart});
        }
      } else if (any_start) {
        FirstStart& first = first_[ActorKey{actor, breakdown}];
        if (ts < first.timestamp_us) {
          first.timestamp_us = ts;
          first.matches = start;
        } else if (ts == first.timestamp_us) {
          first.matches = first.matches || start;
        }
      }
      if (returns[row] && period >= 0) {
        events_.push_back({actor, breakdown, static_cast<int32_t>(period), kReturn});
      }
    }
    return Status::Ok();
  }

  const RetentionQuery& query_;
  const DateRange& range_;
  const TrendsContext& context_;
  const int64_t from_us_;
  const int64_t to_us_;
  EventRowsContext rows_context_;
  EventConditions base_;
  EventConditions target_;
  EventConditions target_any_;
  EventConditions returning_;
  std::vector<RetentionEvent> events_;
  std::unordered_map<ActorKey, FirstStart, ActorKeyHash> first_;
  std::vector<std::string> values_{""};
  std::unordered_map<std::string, uint32_t> value_index_{{"", 0}};
};

// What one run collects: the cohort table, and the actors of one cohort when asked.
struct RetentionOutput {
  RetentionResult* result = nullptr;
  std::optional<size_t> cohort;
  std::vector<RetentionActor>* actors = nullptr;
};

// Adds one actor's cohorts to the output: `starts` are its start periods (ascending, unique),
// `returns` its returning periods with their event counts (ascending).
void CountActor(const RetentionQuery& query, const Uuid& actor, const std::vector<int32_t>& starts,
                const std::vector<std::pair<int32_t, int64_t>>& returns, const RetentionOutput& out,
                RetentionTable* table) {
  const int64_t lookahead = query.total_intervals;
  for (int32_t cohort : starts) {
    std::vector<int64_t> counted;
    std::vector<int64_t>& row = (*table)[static_cast<size_t>(cohort)];
    ++row[0];
    int64_t last = 0;
    auto first = std::upper_bound(returns.begin(), returns.end(),
                                  std::make_pair(cohort, std::numeric_limits<int64_t>::max()));
    for (auto it = first; it != returns.end(); ++it) {
      const int64_t offset = it->first - cohort;
      if (offset >= lookahead) break;
      if (it->second < query.minimum_occurrences) continue;
      if (query.cumulative) {
        last = offset;
      } else {
        ++row[static_cast<size_t>(offset)];
        counted.push_back(offset);
      }
    }
    for (int64_t k = 1; k <= last; ++k) {
      ++row[static_cast<size_t>(k)];
      counted.push_back(k);
    }
    if (out.actors != nullptr && out.cohort == static_cast<size_t>(cohort)) {
      RetentionActor found{actor, {0}};
      found.appearances.insert(found.appearances.end(), counted.begin(), counted.end());
      out.actors->push_back(std::move(found));
    }
  }
}

Status Run(const RetentionQuery& query, const DateRange& range, const TrendsContext& context,
           const store::ScanSource& source, int64_t team_id, const RetentionOutput& out) {
  RetentionScan scan(query, range, context);
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot,
                          source.Snapshot(team_id, scan.from_us(), scan.to_us()));
  for (const auto& part : snapshot.parts) HOGLET_RETURN_IF_ERROR(scan.ScanPart(*part));

  std::vector<RetentionEvent> events = scan.TakeEvents();
  std::sort(events.begin(), events.end(), [](const RetentionEvent& a, const RetentionEvent& b) {
    return std::tie(a.actor, a.breakdown, a.period, a.kind) <
           std::tie(b.actor, b.breakdown, b.period, b.kind);
  });

  const RetentionTable empty(range.bucket_starts().size(),
                             std::vector<int64_t>(static_cast<size_t>(query.total_intervals), 0));
  std::vector<RetentionTable> tables(scan.values().size());
  std::vector<int32_t> starts;
  std::vector<std::pair<int32_t, int64_t>> returns;
  for (size_t begin = 0; begin < events.size();) {
    starts.clear();
    returns.clear();
    size_t end = begin;
    for (; end < events.size() && events[end].actor == events[begin].actor &&
           events[end].breakdown == events[begin].breakdown;
         ++end) {
      const RetentionEvent& e = events[end];
      if (e.kind == kStart) {
        if (starts.empty() || starts.back() != e.period) starts.push_back(e.period);
      } else if (!returns.empty() && returns.back().first == e.period) {
        ++returns.back().second;
      } else {
        returns.emplace_back(e.period, 1);
      }
    }
    if (context.budget != nullptr) HOGLET_RETURN_IF_ERROR(context.budget->Check());
    RetentionTable& table = tables[events[begin].breakdown];
    if (table.empty()) table = empty;
    CountActor(query, events[begin].actor, starts, returns, out, &table);
    begin = end;
  }
  if (!query.breakdown) {
    out.result->counts = tables.empty() || tables[0].empty() ? empty : std::move(tables[0]);
    return Status::Ok();
  }

  // PostHog's ranking: the values by the size of their cohorts, largest first, then by value;
  // past the limit, the counts summed into the Other line.
  std::vector<std::pair<int64_t, size_t>> ranked;  // (−size, index)
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].empty()) continue;
    int64_t size = 0;
    for (const std::vector<int64_t>& row : tables[i]) size += row[0];
    ranked.emplace_back(-size, i);
  }
  const std::vector<std::string>& values = scan.values();
  std::sort(ranked.begin(), ranked.end(), [&values](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : values[a.second] < values[b.second];
  });
  const size_t limit = query.breakdown->limit;
  RetentionBreakdownLine other{std::string(kBreakdownOtherLabel), empty};
  for (size_t r = 0; r < ranked.size(); ++r) {
    RetentionTable& table = tables[ranked[r].second];
    if (r < limit) {
      out.result->breakdowns.push_back({values[ranked[r].second], std::move(table)});
      continue;
    }
    for (size_t c = 0; c < table.size(); ++c) {
      for (size_t k = 0; k < table[c].size(); ++k) other.counts[c][k] += table[c][k];
    }
  }
  if (ranked.size() > limit && !query.breakdown->hide_other) {
    out.result->breakdowns.push_back(std::move(other));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<DateRange> RetentionRange(const RetentionQuery& query, const ProjectClock& clock) {
  HOGLET_ASSIGN_OR_RETURN(DateRange given,
                          DateRange::Resolve(query.date_range, query.period, clock));
  const Interval period = query.period;
  const WeekStart week_start = clock.week_start;
  // The range ends (exclusive) where the period after date_to's starts.
  const int64_t to_local_us =
      BucketStart(AddIntervals(given.to_local_us(), period, 1), period, week_start);
  const int64_t from_local_us =
      query.date_range.date_from
          ? BucketStart(given.from_local_us(), period, week_start)
          : BucketStart(AddIntervals(to_local_us, period, -query.total_intervals), period,
                        week_start);
  HOGLET_ASSIGN_OR_RETURN(DateRange range,
                          DateRange::Span(from_local_us, to_local_us - 1, period, clock));
  const size_t cells = range.bucket_starts().size() * static_cast<size_t>(query.total_intervals);
  if (cells > kMaxRetentionCells) {
    return Invalid("query.dateRange",
                   "the retention table would hold " + std::to_string(cells) +
                       " cells (periods × totalIntervals), more than " +
                       std::to_string(kMaxRetentionCells) +
                       "; choose a shorter date range, a longer period or fewer intervals");
  }
  return range;
}

StatusOr<RetentionResult> RunRetention(const RetentionQuery& query, const DateRange& range,
                                       const TrendsContext& context,
                                       const store::ScanSource& source, int64_t team_id) {
  RetentionResult result;
  HOGLET_RETURN_IF_ERROR(Run(query, range, context, source, team_id, {&result, {}, nullptr}));
  return result;
}

StatusOr<std::vector<RetentionActor>> RetentionActors(const RetentionQuery& query,
                                                      const DateRange& range,
                                                      const TrendsContext& context,
                                                      const store::ScanSource& source,
                                                      int64_t team_id, size_t cohort) {
  if (cohort >= range.bucket_starts().size()) {
    return InvalidArgumentError("interval: the retention has " +
                                    std::to_string(range.bucket_starts().size()) +
                                    " cohorts, numbered from 0",
                                "invalid_input");
  }
  RetentionResult result;
  std::vector<RetentionActor> actors;
  HOGLET_RETURN_IF_ERROR(Run(query, range, context, source, team_id, {&result, cohort, &actors}));
  std::sort(actors.begin(), actors.end(), [](const RetentionActor& a, const RetentionActor& b) {
    if (a.appearances.size() != b.appearances.size()) {
      return a.appearances.size() > b.appearances.size();
    }
    return a.actor < b.actor;
  });
  return actors;
}

}  // namespace hoglet::query
