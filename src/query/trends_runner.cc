#include "query/trends_runner.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <system_error>
#include <thread>
#include <tuple>

#include "base/civil_time.h"
#include "base/json_writer.h"
#include "query/active_windows.h"
#include "query/aggregate.h"
#include "query/breakdown_keys.h"
#include "query/bucket_lookup.h"
#include "query/first_times.h"
#include "query/part_blocks.h"
#include "query/query_actors.h"
#include "query/series_states.h"
#include "query/trends_lines.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

// The math a series really computes: weekly_active with weeks or months, and monthly_active with
// months, are plain distinct persons per bucket.
Math EffectiveMath(Math math, Interval interval) {
  if (math == Math::kHogQL) return Math::kTotal;  // scanned only for its actors
  if (math == Math::kWeeklyActive && !IsShorter(interval, Interval::kWeek)) return Math::kDau;
  if (math == Math::kMonthlyActive && !IsShorter(interval, Interval::kMonth)) return Math::kDau;
  return math;
}

// Whether the math counts actors (persons, or groups when aggregating by group).
bool CountsActors(Math math) {
  return math != Math::kTotal && math != Math::kUniqueSession && !MathNeedsProperty(math);
}

bool IsFirstTime(Math math) {
  return math == Math::kFirstTimeForUser || math == Math::kFirstMatchingEventForUser;
}

bool IsActiveWindow(Math math) {
  return math == Math::kWeeklyActive || math == Math::kMonthlyActive;
}

// A property as HogQL's toFloat reads it: numbers as themselves, numeric strings parsed,
// anything else not a number.
std::optional<double> AsNumber(const store::PropertyValue* value) {
  if (value == nullptr) return std::nullopt;
  if (value->kind == store::PropertyValue::Kind::kNumber) return value->number;
  if (value->kind != store::PropertyValue::Kind::kString || value->text.empty()) {
    return std::nullopt;
  }
  double number = 0;
  const char* begin = value->text.data();
  const char* end = begin + value->text.size();
  auto [ptr, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || ptr != end) return std::nullopt;
  return number;
}

}  // namespace

EventRowsContext EventRowsContextOf(const TrendsContext& context) {
  EventRowsContext rows;
  rows.match.now_us = context.clock.now_us;
  rows.match.time_zone = context.clock.zone;
  rows.match.dialect = filters::Dialect::kHogQL;
  rows.overrides = context.overrides;
  rows.person_properties = context.person_properties;
  rows.group_properties = context.group_properties;
  rows.cohorts = context.cohorts;
  rows.hogql_filters = context.hogql_filters;
  rows.actions = &context.actions;
  return rows;
}

std::string BreakdownKey(const Breakdown& breakdown, const std::vector<std::string>& labels) {
  if (!breakdown.multiple) return labels.empty() ? std::string() : labels.front();
  JsonWriter w;
  w.BeginArray();
  for (const std::string& label : labels) w.String(label);
  w.EndArray();
  return std::move(w).Take();
}

std::string BreakdownNullKey(const Breakdown& breakdown) {
  return BreakdownKey(breakdown,
                      std::vector<std::string>(std::max<size_t>(breakdown.properties.size(), 1),
                                               std::string(kBreakdownNullLabel)));
}

std::string BreakdownOtherKey(const Breakdown& breakdown) {
  return BreakdownKey(breakdown,
                      std::vector<std::string>(std::max<size_t>(breakdown.properties.size(), 1),
                                               std::string(kBreakdownOtherLabel)));
}

bool CohortsInQueryOrder(const Breakdown& breakdown) {
  if (!breakdown.by_cohort()) return false;
  return breakdown.cohorts.size() == 1 ||
         std::find(breakdown.cohorts.begin(), breakdown.cohorts.end(), kAllUsersCohort) !=
             breakdown.cohorts.end();
}

namespace {

bool CountsDistinctActors(Math math) {
  return math == Math::kDau || math == Math::kWeeklyActive || math == Math::kMonthlyActive ||
         math == Math::kUniqueGroup;
}

class SeriesScan {
 public:
  SeriesScan(const TrendsQuery& query, size_t index, const DateRange& range,
             const TrendsContext& context,
             const std::vector<std::unique_ptr<RowExpression>>* expressions, QueryActors* actors)
      : query_(query),
        index_(index),
        series_(query.series[index]),
        range_(range),
        context_(context),
        math_(EffectiveMath(series_.math, range.interval())),
        total_value_(query.display == Display::kTotalValue),
        rows_context_(EventRowsContextOf(context)),
        states_(math_, total_value_ ? 1 : std::max<size_t>(range.bucket_starts().size(), 1)),
        keys_(query.breakdown ? &*query.breakdown : nullptr, expressions, context.cohorts,
              context.person_properties),
        actors_(actors) {
    if (rows_context_.overrides == nullptr) rows_context_.overrides = &actors->no_overrides;
    conditions_.event = series_.event;
    conditions_.action_id = series_.action_id;
    conditions_.filters = {&series_.properties, &query.properties,
                           query.filter_test_accounts ? &context.test_account_filters : nullptr};
    conditions_.sampling_factor = query.sampling_factor;
    if (math_ == Math::kUniqueGroup) {
      group_actor_index_ = series_.math_group_type_index;
    } else if (CountsActors(math_) && !IsFirstTime(math_)) {
      group_actor_index_ = query.aggregation_group_type_index;
    }
    from_us_ = range.scan_from_us();
    to_us_ = range.to_us();
    bins_from_us_ = from_us_;
    if (IsFirstTime(math_)) {
      // A person's first event may lie before the range: every event up to its end is read.
      first_times_.emplace(math_ == Math::kFirstMatchingEventForUser, from_us_);
      series_events_.event = conditions_.event;
      series_events_.action_id = conditions_.action_id;
      series_events_.sampling_factor = conditions_.sampling_factor;
      series_filters_.filters = conditions_.filters;
      from_us_ = std::numeric_limits<int64_t>::min();
    }
    if (IsActiveWindow(math_)) {
      int days = math_ == Math::kWeeklyActive ? 7 : 30;
      if (total_value_) {
        // Unique persons over the `days` before date_to.
        CivilTime start = CivilTime::FromMicros(range.to_local_us());
        start.AddDays(-days);
        from_us_ = range.zone().LocalToUtcMicros(start.ToMicros());
      } else {
        windows_ = ActiveWindows(range, days);
        if (!windows_.empty()) from_us_ = windows_.from_us() + 1;
        // Counted per stretch unless each event counted is told per window.
        by_stretch_ = !windows_.empty() && !context.counted;
        if (by_stretch_) states_ = SeriesStates(math_, windows_.stretches());
      }
    }
  }

  Status ScanPart(const store::Part& part) {
    return ScanPartBlocks(
        part, from_us_, to_us_, context_.budget, [this](store::BlockReader* block) -> Status {
          HOGLET_RETURN_IF_ERROR(ScanBlock(block));
          if (states_.states().size() > kMaxScannedBreakdownValues) {
            return InvalidArgumentError("the breakdown has more than " +
                                            std::to_string(kMaxScannedBreakdownValues) +
                                            " distinct values; break down by a property with fewer "
                                            "values",
                                        "too_many_breakdown_values");
          }
          return Status::Ok();
        });
  }

  // Whether the breakdown needs a first pass over the part (BinPart) before ScanPart.
  bool needs_bins() const { return keys_.needs_bins(); }

  // The first pass of a histogram breakdown: the bounds of its bins over the series' events.
  Status BinPart(const store::Part& part) {
    return ScanPartBlocks(
        part, bins_from_us_, to_us_, context_.budget, [this](store::BlockReader* block) -> Status {
          HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
          store::RowSelection rows = RowsInTime(*timestamps, bins_from_us_, to_us_);
          if (!store::AnySelected(rows)) return Status::Ok();
          EventRows event_rows(block, rows_context_);
          HOGLET_RETURN_IF_ERROR(event_rows.Narrow(conditions_, &rows));
          if (!store::AnySelected(rows)) return Status::Ok();
          return keys_.AddToBins(block, &event_rows, rows);
        });
  }

  // Counts the persons whose first event the scan found in the range (first-time maths); a
  // no-op for the other maths. A cohort breakdown counts each person in each of its cohorts.
  Status Finish() {
    if (by_stretch_) {
      states_ = windows_.Fold(states_, math_);
      by_stretch_ = false;
    }
    if (!first_times_) return Status::Ok();
    Status status = Status::Ok();
    const bool by_cohort = query_.breakdown && query_.breakdown->by_cohort();
    first_times_->ForEachCounted(
        [&](const Uuid& person, int64_t first_us, const std::string& label) {
          int64_t bucket = total_value_ ? 0 : range_.BucketIndex(first_us);
          if (bucket < 0 || !status.ok()) return;
          StatusOr<uint32_t> number = rows_context_.overrides->numbers().Number(person);
          if (!number.ok()) {
            status = number.status();
            return;
          }
          AggregateInput input;
          input.actor = *number;
          auto add = [&](const std::string& key) {
            if (!context_.counted_only) states_.At(key, static_cast<size_t>(bucket)).Add(input);
            if (context_.counted)
              context_.counted(index_, key, static_cast<size_t>(bucket), person, *number);
          };
          if (!by_cohort) {
            add(label);
            return;
          }
          StatusOr<const std::vector<std::string>*> cohorts = keys_.CohortKeysOf(person);
          if (!cohorts.ok()) {
            status = cohorts.status();
            return;
          }
          for (const std::string& key : **cohorts) add(key);
        });
    return status;
  }

  // Narrows a block's rows to the series' events as ScanPart does, time aside.
  Status Narrow(store::BlockReader* block, store::RowSelection* rows) {
    EventRows event_rows(block, rows_context_);
    return event_rows.Narrow(conditions_, rows);
  }

  const SeriesStates& states() const { return states_; }
  // The numbering of the actors the series' distinct counts keep: its groups', or its persons'.
  const ActorNumbers& numbering() const {
    return group_actor_index_ ? actors_->groups : rows_context_.overrides->numbers();
  }
  // Absorbs what `other`, a scan of the same series over other parts, counted.
  void Merge(const SeriesScan& other) { states_.Merge(other.states_); }
  Math math() const { return math_; }
  // The events the series reads: from_us() <= timestamp <= to_us().
  int64_t from_us() const { return from_us_; }
  int64_t to_us() const { return to_us_; }

 private:
  Status ScanBlock(store::BlockReader* block) {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows = RowsInTime(*timestamps, from_us_, to_us_);
    if (!store::AnySelected(rows)) return Status::Ok();
    EventRows event_rows(block, rows_context_);
    if (first_times_) return ScanFirstTimes(block, *timestamps, &event_rows, &rows);
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(conditions_, &rows));
    if (!store::AnySelected(rows)) return Status::Ok();

    // Actor maths by group: the rows without such a group are left out.
    std::vector<Uuid> group_actors;
    std::vector<uint32_t> group_numbers;
    if (group_actor_index_) {
      HOGLET_RETURN_IF_ERROR(NumberRowGroups(&event_rows, *group_actor_index_, &actors_->groups,
                                             &rows, &group_actors, &group_numbers));
      if (!store::AnySelected(rows)) return Status::Ok();
    }

    const store::PropertyColumnData* number_column = nullptr;
    const store::PropertyColumnData* session_column = nullptr;
    HOGLET_ASSIGN_OR_RETURN(BlockKeys keys, keys_.Open(block, &event_rows, rows));
    const bool person_actor = CountsActors(math_) && !group_actor_index_;
    const std::vector<Uuid>* persons = nullptr;
    if (context_.counted) {
      HOGLET_ASSIGN_OR_RETURN(persons, event_rows.Persons());
    }
    const std::vector<uint32_t>* person_numbers = nullptr;
    if ((person_actor && !context_.counted_only) || (context_.counted && !group_actor_index_)) {
      HOGLET_ASSIGN_OR_RETURN(person_numbers, event_rows.PersonNumbers());
    }
    if (MathNeedsProperty(math_)) {
      HOGLET_ASSIGN_OR_RETURN(number_column, block->Property(*series_.math_property));
    }
    if (math_ == Math::kUniqueSession) {
      HOGLET_ASSIGN_OR_RETURN(session_column, block->Property("$session_id"));
    }

    std::string session_text;
    // The states of the label of the row before: most rows of a block share one label (every
    // row when there is no breakdown), so the states are found without a lookup.
    std::string last_label;
    std::vector<std::unique_ptr<Aggregate>>* last_states = nullptr;
    auto states_of = [&](const std::string& label) -> std::vector<std::unique_ptr<Aggregate>>& {
      if (last_states == nullptr || last_label != label) {
        last_states = &states_.Row(label);
        last_label = label;
      }
      return *last_states;
    };
    // The states of each key of the row's list, found again only when the list changes (when
    // lists are stable, a list is known by its address).
    const bool stable_lists = keys.lists_stable();
    const std::vector<std::string>* last_keys = nullptr;
    std::vector<std::vector<std::unique_ptr<Aggregate>>*> key_states;
    // Without a breakdown every row has the one key "": asked once.
    const std::vector<std::string>* every_rows_keys = nullptr;
    if (!query_.breakdown) {
      HOGLET_ASSIGN_OR_RETURN(every_rows_keys, keys.KeysOf(0));
      if (!context_.counted && (windows_.empty() || by_stretch_)) {
        if (math_ == Math::kTotal) {
          AddPlainRows(*timestamps, rows, *every_rows_keys, nullptr);
          return Status::Ok();
        }
        const std::vector<uint32_t>* actors = group_actor_index_ ? &group_numbers : person_numbers;
        if (CountsDistinctActors(math_) && actors != nullptr) {
          AddPlainRows(*timestamps, rows, *every_rows_keys, actors);
          return Status::Ok();
        }
      }
    }
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      int64_t ts = (*timestamps)[row];
      AggregateInput input;
      if (group_actor_index_) {
        input.actor = group_numbers[row];
      } else if (person_numbers != nullptr) {
        input.actor = (*person_numbers)[row];
      }
      if (number_column != nullptr) input.number = AsNumber(number_column->Get(row));
      if (session_column != nullptr) {
        const store::PropertyValue* session = session_column->Get(row);
        std::optional<std::string> text =
            session != nullptr ? store::StringifyProperty(*session) : std::nullopt;
        session_text = text.value_or("");
        input.session = session_text;
      }
      const std::vector<std::string>* row_keys = every_rows_keys;
      if (row_keys == nullptr) {
        HOGLET_ASSIGN_OR_RETURN(row_keys, keys.KeysOf(row));
      }
      if (row_keys != last_keys || !stable_lists) {
        key_states.clear();
        if (!context_.counted_only) {
          for (const std::string& label : *row_keys) key_states.push_back(&states_of(label));
        }
        last_keys = row_keys;
      }
      auto add = [&](size_t bucket) {
        for (auto* states : key_states) (*states)[bucket]->Add(input);
        if (context_.counted) {
          for (const std::string& label : *row_keys) {
            if (group_actor_index_) {
              context_.counted(index_, label, bucket, group_actors[row], group_numbers[row]);
            } else {
              context_.counted(index_, label, bucket, (*persons)[row], (*person_numbers)[row]);
            }
          }
        }
      };
      if (total_value_) {
        add(0);
      } else if (by_stretch_) {
        if (std::optional<size_t> stretch = windows_.StretchOf(ts)) add(*stretch);
      } else if (!windows_.empty()) {
        windows_.ForEachHolding(ts, add);
      } else {
        int64_t bucket = buckets_.IndexOf(ts);
        if (bucket >= 0) add(static_cast<size_t>(bucket));
      }
    }
    return Status::Ok();
  }

  // The rows of a series without a breakdown, nobody told of each, whose math reads nothing of
  // a row but its bucket (total) and its actor's number (`actors`: distinct actors): handed to
  // the states a run of rows of one bucket at a time, as a count or as the run's actors (a
  // block's rows mostly fall in one bucket).
  void AddPlainRows(const std::vector<int64_t>& timestamps, const store::RowSelection& rows,
                    const std::vector<std::string>& labels, const std::vector<uint32_t>* actors) {
    std::vector<std::vector<std::unique_ptr<Aggregate>>*> labels_states;
    for (const std::string& label : labels) labels_states.push_back(&states_.Row(label));
    int64_t bucket = -1;
    uint64_t tally = 0;
    run_actors_.clear();
    auto add = [&] {
      if (bucket >= 0 && tally > 0) {
        for (auto* states : labels_states) {
          Aggregate& state = *(*states)[static_cast<size_t>(bucket)];
          if (actors != nullptr) {
            state.AddActors(run_actors_.data(), run_actors_.size());
          } else {
            state.AddRows(tally);
          }
        }
      }
      tally = 0;
      run_actors_.clear();
    };
    // The stretch found last holds (stretch_lo, stretch_hi].
    int64_t stretch = -1;
    int64_t stretch_lo = 0;
    int64_t stretch_hi = 0;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      const int64_t ts = timestamps[row];
      int64_t at = 0;  // a total-value display's one bucket (it counts by no stretch)
      if (by_stretch_) {
        if (stretch < 0 || ts <= stretch_lo || ts > stretch_hi) {
          std::optional<size_t> found = windows_.StretchOf(ts);
          stretch = found ? static_cast<int64_t>(*found) : -1;
          if (found) std::tie(stretch_lo, stretch_hi) = windows_.StretchBounds(*found);
        }
        at = stretch;
      } else if (!total_value_) {
        at = buckets_.IndexOf(ts);
      }
      if (at != bucket) {
        add();
        bucket = at;
      }
      ++tally;
      if (actors != nullptr) run_actors_.push_back((*actors)[row]);
    }
    add();
  }

  // The first-time maths: every event of the series' event or action is a candidate first event
  // of its person, whether or not it passes the filters (query/first_times.h).
  Status ScanFirstTimes(store::BlockReader* block, const std::vector<int64_t>& timestamps,
                        EventRows* event_rows, store::RowSelection* rows) {
    HOGLET_RETURN_IF_ERROR(event_rows->Narrow(series_events_, rows));
    if (!store::AnySelected(*rows)) return Status::Ok();
    store::RowSelection matching = *rows;
    HOGLET_RETURN_IF_ERROR(event_rows->Narrow(series_filters_, &matching));
    HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, event_rows->Persons());
    // A cohort breakdown keys the person, not the event: Finish reads its cohorts.
    const bool keyed = query_.breakdown && !query_.breakdown->by_cohort();
    std::optional<BlockKeys> keys;
    if (keyed) {
      HOGLET_ASSIGN_OR_RETURN(BlockKeys opened, keys_.Open(block, event_rows, *rows));
      keys.emplace(std::move(opened));
    }
    std::string label;
    for (size_t row = 0; row < rows->size(); ++row) {
      if (!(*rows)[row]) continue;
      const Uuid& person = (*persons)[row];
      const bool matches = matching[row] != 0;
      label.clear();
      if (keyed && first_times_->WouldBeFirst(person, timestamps[row], matches)) {
        HOGLET_ASSIGN_OR_RETURN(const std::vector<std::string>* row_keys, keys->KeysOf(row));
        label = row_keys->front();
      }
      first_times_->Add(person, timestamps[row], matches, label);
    }
    return Status::Ok();
  }

  const TrendsQuery& query_;
  const size_t index_;
  const Series& series_;
  const DateRange& range_;
  BucketLookup buckets_{range_};
  const TrendsContext& context_;
  const Math math_;
  const bool total_value_;
  EventRowsContext rows_context_;
  EventConditions conditions_;
  // The first-time maths narrow in two steps: the series' event or action, then its filters.
  EventConditions series_events_;
  EventConditions series_filters_;
  std::optional<FirstTimes> first_times_;
  int64_t from_us_ = 0;
  int64_t to_us_ = 0;
  int64_t bins_from_us_ = 0;  // the histogram's first pass reads from here
  ActiveWindows windows_;
  // states_ hold one state per stretch of windows_ until Finish folds them into windows.
  bool by_stretch_ = false;
  SeriesStates states_;
  BreakdownScan keys_;
  std::optional<int> group_actor_index_;  // actor maths count groups of this type
  QueryActors* const actors_;
  std::vector<uint32_t> run_actors_;  // AddPlainRows' run of rows in one bucket
};

// Whether threads may scan a series' parts apart and merge their states: the scan reads nothing
// but the events' own columns and persons' properties already in memory (ReadByThreads), no
// group, cohort or HogQL breakdown, no person breakdown while persons are still being read, no
// histogram (its bins need a first pass over every part), no first-time math (a person's first
// event may be in any part), and nobody told of each event counted.
bool ScansInParallel(const TrendsQuery& query, size_t index, const TrendsContext& context) {
  const Series& series = query.series[index];
  if (context.counted || series.math == Math::kHogQL || IsFirstTime(series.math)) return false;
  if (query.breakdown) {
    if (query.breakdown->by_cohort()) return false;
    for (const BreakdownProperty& by : query.breakdown->properties) {
      if (by.hogql || by.group_type_index || by.histogram_bin_count) return false;
      if (by.person && !PersonsReadByThreads(context)) return false;
    }
  }
  return ReadByThreads(series.properties, context) && ReadByThreads(query.properties, context) &&
         (!query.filter_test_accounts || ReadByThreads(context.test_account_filters, context)) &&
         (!series.action_id || ActionReadByThreads(*series.action_id, context));
}

// Scans the snapshot's parts into `scan`, with up to `threads` threads (the calling one among
// them) when the series reads only the events: each thread scans its share of the parts with a
// scan of its own (`another`), whose states are merged into `scan` in a fixed order.
Status ScanSeriesParts(const store::ScanSnapshot& snapshot, size_t threads,
                       const std::function<std::unique_ptr<SeriesScan>()>& another,
                       SeriesScan* scan) {
  threads = std::clamp<size_t>(std::min(threads, snapshot.parts.size()), 1, 64);
  if (threads == 1) {
    for (const auto& part : snapshot.parts) HOGLET_RETURN_IF_ERROR(scan->ScanPart(*part));
    return Status::Ok();
  }
  const std::vector<std::vector<size_t>> split = SplitParts(snapshot, threads);
  std::atomic<bool> failed = false;
  auto scan_share = [&](SeriesScan* into, const std::vector<size_t>& parts) -> Status {
    for (size_t part : parts) {
      if (failed) return Status::Ok();  // another share failed: its error is the answer
      Status status = into->ScanPart(*snapshot.parts[part]);
      if (!status.ok()) {
        failed = true;
        return status;
      }
    }
    return Status::Ok();
  };
  std::vector<std::unique_ptr<SeriesScan>> others;
  for (size_t i = 1; i < threads; ++i) others.push_back(another());
  std::vector<Status> statuses(threads - 1, Status::Ok());
  std::vector<std::thread> running;
  for (size_t i = 1; i < threads; ++i) {
    SeriesScan* other = others[i - 1].get();
    Status* status = &statuses[i - 1];
    const std::vector<size_t>* parts = &split[i];
    try {
      running.emplace_back([=, &scan_share] { *status = scan_share(other, *parts); });
    } catch (const std::system_error&) {
      *status = scan_share(other, *parts);  // no thread to be had: scanned here
    }
  }
  Status mine = scan_share(scan, split[0]);
  for (std::thread& thread : running) thread.join();
  HOGLET_RETURN_IF_ERROR(mine);
  for (const Status& status : statuses) HOGLET_RETURN_IF_ERROR(status);
  for (const auto& other : others) scan->Merge(*other);
  return Status::Ok();
}

// A line of a series before its breakdown values are ranked, with its breakdown key.
struct Ranked {
  std::string label;
  TrendsLine line;
};

// The lines of a series with math "hogql", one per breakdown value (one in all without a
// breakdown), computed by context.hogql_math over the events `scan` narrows to.
StatusOr<std::vector<Ranked>> HogQLMathLines(const TrendsQuery& query, size_t index,
                                             const DateRange& range, const TrendsContext& context,
                                             SeriesScan& scan) {
  const std::string field = "query.series[" + std::to_string(index) + "].math_hogql";
  if (!context.hogql_math) {
    return InvalidArgumentError(field + ": math 'hogql' cannot be computed here", "unsupported");
  }
  HogQLMathSeries request;
  request.expression = *query.series[index].math_hogql;
  request.field = field;
  request.range = &range;
  request.total_value = query.display == Display::kTotalValue;
  request.from_us = scan.from_us();
  request.to_us = scan.to_us();
  request.narrow = [&scan](store::BlockReader* block, store::RowSelection* rows) {
    return scan.Narrow(block, rows);
  };
  if (query.breakdown) request.breakdown = &*query.breakdown;
  HOGLET_ASSIGN_OR_RETURN(std::vector<HogQLMathValues> groups, context.hogql_math(request));
  std::vector<Ranked> lines;
  for (HogQLMathValues& group : groups) {
    TrendsLine line;
    line.series = index;
    if (query.breakdown) line.breakdown_value = group.key;
    if (request.total_value) {
      line.aggregated_value = group.values.empty() ? 0 : group.values.front();
      line.count = line.aggregated_value;
    } else {
      line.data = std::move(group.values);
      if (query.display == Display::kCumulative) RunningSum(&line.data);
      FinishBuckets(query, range, &line);
    }
    lines.push_back({std::move(group.key), std::move(line)});
  }
  return lines;
}

// Scans the series' events into its aggregate states (scan.states()).
Status ScanSeries(SeriesScan& scan, const store::ScanSource& source, int64_t team_id,
                  size_t threads, const std::function<std::unique_ptr<SeriesScan>()>& another) {
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot,
                          source.Snapshot(team_id, scan.from_us(), scan.to_us()));
  if (scan.needs_bins()) {
    for (const auto& part : snapshot.parts) HOGLET_RETURN_IF_ERROR(scan.BinPart(*part));
  }
  HOGLET_RETURN_IF_ERROR(ScanSeriesParts(snapshot, threads, another, &scan));
  return scan.Finish();
}

}  // namespace

bool PersonsReadByThreads(const TrendsContext& context) {
  return context.person_properties != nullptr && context.person_properties->SharedByThreads();
}

bool ReadByThreads(const filters::FilterNode& filters, const TrendsContext& context) {
  const bool persons_shared = PersonsReadByThreads(context);
  bool shared = true;
  filters::ForEachFilter(filters, [&](const filters::PropertyFilter& filter) {
    if (filter.type != filters::FilterType::kEvent &&
        filter.type != filters::FilterType::kElement &&
        !(filter.type == filters::FilterType::kPerson && persons_shared)) {
      shared = false;
    }
  });
  return shared;
}

bool ActionReadByThreads(int64_t action_id, const TrendsContext& context) {
  auto action = context.actions.find(action_id);
  if (action == context.actions.end()) return true;  // matches nothing
  for (const ActionStep& step : action->second.steps) {
    if (!ReadByThreads(step.filters, context)) return false;
  }
  return true;
}

StatusOr<TrendsResult> RunTrends(const TrendsQuery& query, const DateRange& range,
                                 const TrendsContext& context, const store::ScanSource& source,
                                 int64_t team_id) {
  // The breakdown's HogQL expressions, compiled once for every series.
  std::vector<std::unique_ptr<RowExpression>> expressions;
  if (query.breakdown) {
    for (size_t i = 0; i < query.breakdown->properties.size(); ++i) {
      const BreakdownProperty& by = query.breakdown->properties[i];
      expressions.emplace_back();
      if (!by.hogql) continue;
      const std::string field =
          query.breakdown->multiple
              ? "query.breakdownFilter.breakdowns[" + std::to_string(i) + "].property"
              : std::string("query.breakdownFilter.breakdown");
      if (context.hogql == nullptr) {
        return InvalidArgumentError(field + ": HogQL breakdowns are not supported here",
                                    "unsupported");
      }
      StatusOr<std::unique_ptr<RowExpression>> compiled = context.hogql->Compile(by.property);
      if (!compiled.ok()) {
        const Status& error = compiled.status();
        if (error.code() != StatusCode::kInvalidArgument) return error;
        return InvalidArgumentError(field + ": " + error.message(), std::string(error.reason()));
      }
      expressions.back() = *std::move(compiled);
    }
  }

  TrendsResult result;
  QueryActors actors;
  for (size_t index = 0; index < query.series.size(); ++index) {
    SeriesScan scan(query, index, range, context, &expressions, &actors);
    const bool total_value = query.display == Display::kTotalValue;
    const bool cumulative = query.display == Display::kCumulative;
    std::vector<Ranked> lines;
    if (query.series[index].math == Math::kHogQL && !context.counted) {
      HOGLET_ASSIGN_OR_RETURN(lines, HogQLMathLines(query, index, range, context, scan));
    } else {
      const size_t threads = ScansInParallel(query, index, context) ? context.scan_threads : 1;
      HOGLET_RETURN_IF_ERROR(ScanSeries(scan, source, team_id, threads, [&] {
        return std::make_unique<SeriesScan>(query, index, range, context, &expressions, &actors);
      }));
    }
    if (context.bucket_actors && !context.counted && CountsDistinctActors(scan.math())) {
      std::vector<uint32_t> numbers;
      for (const auto& [label, states] : scan.states().states()) {
        for (size_t bucket = 0; bucket < states.size(); ++bucket) {
          if (!states[bucket]->Actors(&numbers) || numbers.empty()) continue;
          HOGLET_RETURN_IF_ERROR(
              context.bucket_actors(index, label, bucket, numbers, scan.numbering()));
        }
      }
    }
    for (const auto& [label, states] : scan.states().states()) {
      TrendsLine line;
      line.series = index;
      if (query.breakdown) line.breakdown_value = label;
      if (total_value) {
        line.aggregated_value = states.front()->Finalize();
        line.count = line.aggregated_value;
      } else if (cumulative && CountsDistinctActors(scan.math())) {
        line.data = CumulativeDistinct(states);
      } else {
        for (const auto& state : states) line.data.push_back(state->Finalize());
        if (cumulative) RunningSum(&line.data);
      }
      if (!total_value) FinishBuckets(query, range, &line);
      lines.push_back({label, std::move(line)});
    }
    if (!query.breakdown) {
      if (lines.empty()) {
        TrendsLine empty;
        empty.series = index;
        if (!total_value) empty.data.assign(range.bucket_starts().size(), 0);
        result.lines.push_back(std::move(empty));
      } else {
        result.lines.push_back(std::move(lines.front().line));
      }
      continue;
    }
    // Breakdown values by (real values, then the null label), total descending, value.
    const Breakdown& breakdown = *query.breakdown;
    if (CohortsInQueryOrder(breakdown)) {
      // One run per cohort, as PostHog runs them: every cohort's line, without a limit; ordered
      // below.
      for (Ranked& ranked : lines) result.lines.push_back(std::move(ranked.line));
      continue;
    }
    const std::string null_key = BreakdownNullKey(breakdown);
    const std::string other_key = BreakdownOtherKey(breakdown);
    std::sort(lines.begin(), lines.end(), [&](const Ranked& a, const Ranked& b) {
      bool a_null = a.label == null_key;
      bool b_null = b.label == null_key;
      double a_total = a.line.aggregated_value + a.line.count;
      double b_total = b.line.aggregated_value + b.line.count;
      return std::make_tuple(a_null, -a_total, a.label) <
             std::make_tuple(b_null, -b_total, b.label);
    });
    size_t limit = query.breakdown->limit;
    if (lines.size() > limit) {
      result.has_more = true;
      if (!query.breakdown->hide_other) {
        TrendsLine other;
        other.series = index;
        other.breakdown_value = other_key;
        if (!total_value) other.data.assign(range.bucket_starts().size(), 0);
        for (size_t i = limit; i < lines.size(); ++i) {
          const TrendsLine& rest = lines[i].line;
          for (size_t b = 0; b < rest.data.size(); ++b) other.data[b] += rest.data[b];
          other.aggregated_value += rest.aggregated_value;
          other.count += rest.count;
        }
        lines.resize(limit);
        lines.push_back({other_key, std::move(other)});
      } else {
        lines.resize(limit);
      }
    }
    for (Ranked& ranked : lines) result.lines.push_back(std::move(ranked.line));
  }
  if (query.breakdown && CohortsInQueryOrder(*query.breakdown)) {
    // Cohort by cohort in the query's order, each with its series in order.
    const std::vector<int64_t>& cohorts = query.breakdown->cohorts;
    auto position = [&](const TrendsLine& line) {
      for (size_t i = 0; i < cohorts.size(); ++i) {
        if (std::to_string(cohorts[i]) == line.breakdown_value) return i;
      }
      return cohorts.size();
    };
    std::stable_sort(
        result.lines.begin(), result.lines.end(),
        [&](const TrendsLine& a, const TrendsLine& b) { return position(a) < position(b); });
  }
  return result;
}

}  // namespace hoglet::query
