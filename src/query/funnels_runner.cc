#include "query/funnels_runner.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "query/actor_events.h"
#include "query/actor_numbers.h"
#include "query/actor_passes.h"
#include "query/breakdown_keys.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "query/group_actor.h"
#include "query/part_blocks.h"
#include "query/query_actors.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

// One event kept for the funnel, 24 bytes beside its actor's number: its time, the steps and
// exclusions it matches, and its breakdown value (the scan's value index plus one; 0: none).
struct KeptEvent {
  int64_t timestamp_us = 0;
  uint32_t steps = 0;
  uint32_t exclusions = 0;
  uint32_t breakdown = 0;
};

// An actor's events in time order; steps, exclusions and values break ties so the order does
// not depend on how the events were stored.
bool TimeOrder(const FunnelEvent& a, const FunnelEvent& b) {
  return std::tie(a.timestamp_us, a.steps, a.exclusions, a.breakdown) <
         std::tie(b.timestamp_us, b.steps, b.exclusions, b.breakdown);
}

// The conditions of a step or an exclusion (the query's filters are applied before them).
EventConditions ConditionsOf(const Series& node) {
  EventConditions conditions;
  conditions.event = node.event;
  conditions.action_id = node.action_id;
  conditions.filters = {&node.properties};
  return conditions;
}

// The funnel's passes over its actors: a pass keeps the events of its share's actors that match
// a step or an exclusion (every event, for strict funnels) and pass the query's and test-account
// filters, then hands each actor's events, in time order, to `run_actor`, with the actor's
// number (ActorOf gives the actor). Passes read apart (query/actor_passes.h): each keeps its
// blocks' events by keeper, and the first one's breakdown values become every pass's.
class FunnelScan final : public ActorPass {
 public:
  using RunActor = std::function<Status(uint32_t number, std::vector<FunnelEvent>& events)>;

  // `actors` numbers the actors alike for every scan of the query.
  FunnelScan(const FunnelsQuery& query, const DateRange& range, const TrendsContext& context,
             QueryActors* actors, RunActor run_actor)
      : query_(query),
        context_(context),
        from_us_(range.from_us()),
        to_us_(range.to_us()),
        rows_context_(EventRowsContextOf(context)),
        run_actor_(std::move(run_actor)),
        actors_(*actors) {
    if (rows_context_.overrides == nullptr) rows_context_.overrides = &actors_.no_overrides;
    base_.filters = {&query.properties,
                     query.filter_test_accounts ? &context.test_account_filters : nullptr};
    for (const Series& step : query.steps) steps_.push_back(ConditionsOf(step));
    for (const FunnelExclusion& exclusion : query.exclusions) {
      exclusions_.push_back(ConditionsOf(exclusion.node));
    }
  }

  int64_t from_us() const override { return from_us_; }
  int64_t to_us() const override { return to_us_; }
  size_t kept() const override { return keepers_.size(); }

  void Begin(const ActorShare& share) override { keepers_.Begin(share, 1); }

  bool reads_apart() const override { return true; }

  void BeginApart(const ActorShare& round, uint32_t keepers) override {
    keepers_.Begin(round, keepers);
  }

  // The other passes' breakdown values become this one's.
  Status Gather(std::span<ActorPass* const> passes) override {
    for (ActorPass* pass : passes) {
      if (pass != this) AdoptValuesOf(static_cast<FunnelScan*>(pass));
    }
    return Status::Ok();
  }

  // The actor of a number run_actor was given: a person, or the group it counts for.
  Uuid ActorOf(uint32_t number) const {
    Uuid actor;
    numbering().ActorsOf(&number, 1, &actor);
    return actor;
  }

  // Each actor's events together, in time order.
  Status Finish() override {
    ActorEvents<KeptEvent>* const own[] = {&keepers_[0]};
    return RunActors(own, values_);
  }

  // Keeper `share`'s actors, from every pass's events (gathered by passes[0]).
  Status FinishShare(std::span<ActorPass* const> passes, uint32_t share) override {
    std::vector<ActorEvents<KeptEvent>*> keepers;
    for (ActorPass* pass : passes) {
      keepers.push_back(&static_cast<FunnelScan*>(pass)->keepers_[share]);
    }
    return RunActors(keepers, static_cast<const FunnelScan*>(passes.front())->values_);
  }

  Status ScanBlock(store::BlockReader* block) override {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows = RowsInTime(*timestamps, from_us_, to_us_);
    if (!store::AnySelected(rows)) return Status::Ok();
    EventRows event_rows(block, rows_context_);
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(base_, &rows));
    if (!store::AnySelected(rows)) return Status::Ok();

    // Bit k of steps[row]: the row matches step k; of exclusions[row]: an exclusion guards step k.
    std::vector<uint32_t> steps(rows.size(), 0);
    std::vector<uint32_t> exclusions(rows.size(), 0);
    store::RowSelection matched;
    for (size_t s = 0; s < steps_.size(); ++s) {
      matched = rows;
      HOGLET_RETURN_IF_ERROR(event_rows.Narrow(steps_[s], &matched));
      for (size_t row = 0; row < rows.size(); ++row) {
        if (matched[row]) steps[row] |= 1u << s;
      }
    }
    for (size_t e = 0; e < exclusions_.size(); ++e) {
      matched = rows;
      HOGLET_RETURN_IF_ERROR(event_rows.Narrow(exclusions_[e], &matched));
      uint32_t guarded = 0;
      const FunnelExclusion& exclusion = query_.exclusions[e];
      for (size_t k = exclusion.from_step + 1; k <= exclusion.to_step; ++k) guarded |= 1u << k;
      for (size_t row = 0; row < rows.size(); ++row) {
        if (matched[row]) exclusions[row] |= guarded;
      }
    }
    // Strict funnels read every event of the actor: any other event breaks a chain.
    if (query_.order != FunnelOrder::kStrict) {
      for (size_t row = 0; row < rows.size(); ++row) {
        if (steps[row] == 0 && exclusions[row] == 0) rows[row] = 0;
      }
      if (!store::AnySelected(rows)) return Status::Ok();
    }

    // The numbers of the actors the rows count for: their persons now (kept with the block), or
    // their groups of aggregation_group_type_index.
    std::vector<uint32_t> group_numbers;
    const std::vector<uint32_t>* numbers = nullptr;
    if (query_.aggregation_group_type_index) {
      std::vector<Uuid> groups;
      HOGLET_RETURN_IF_ERROR(NumberRowGroups(&event_rows, *query_.aggregation_group_type_index,
                                             &actors_.groups, &rows, &groups, &group_numbers));
      numbers = &group_numbers;
    } else {
      HOGLET_ASSIGN_OR_RETURN(numbers, event_rows.PersonNumbers());
    }
    const store::PropertyColumnData* breakdown_column = nullptr;
    const BreakdownProperty* by = nullptr;
    if (query_.breakdown) {
      by = &query_.breakdown->properties.front();
      if (!by->person && !by->group_type_index) {
        HOGLET_ASSIGN_OR_RETURN(breakdown_column, block->Property(by->property));
      }
    }
    // An event property's breakdown value, found once per value of the block's column (a slot:
    // query/property_column.h), as kept.breakdown is (0: none); kNotYet until found.
    constexpr uint32_t kNotYet = std::numeric_limits<uint32_t>::max();
    std::vector<uint32_t> slot_values(breakdown_column != nullptr ? breakdown_column->slots() : 0,
                                      kNotYet);
    // A person breakdown reads the block's persons' properties at once, not row by row.
    if (by != nullptr && by->person) HOGLET_RETURN_IF_ERROR(event_rows.LoadPersonProperties(rows));
    // The keeper of the row before's actor (null: not the share's): a block's rows come by actor.
    uint32_t last_number = std::numeric_limits<uint32_t>::max();
    ActorEvents<KeptEvent>* keeper = nullptr;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      const uint32_t number = (*numbers)[row];
      if (number != last_number) {
        last_number = number;
        keeper = keepers_.Of(number);
      }
      if (keeper == nullptr) continue;
      KeptEvent kept;
      kept.timestamp_us = (*timestamps)[row];
      kept.steps = steps[row];
      kept.exclusions = exclusions[row];
      if (by != nullptr) {
        std::optional<std::string> text;
        uint32_t slot = store::PropertyColumnData::kNoSlot;
        if (by->person) {
          HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                                  event_rows.PersonPropertiesOf(row));
          text = BreakdownPropertyText(*properties, by->property);
        } else if (by->group_type_index) {
          HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                                  event_rows.GroupPropertiesOf(*by->group_type_index, row));
          text = BreakdownPropertyText(*properties, by->property);
        } else if (breakdown_column != nullptr) {
          slot = breakdown_column->SlotOf(row);
          if (slot != store::PropertyColumnData::kNoSlot && slot_values[slot] != kNotYet) {
            kept.breakdown = slot_values[slot];
          } else {
            const store::PropertyValue* value = breakdown_column->Get(row);
            text = value != nullptr ? store::StringifyProperty(*value) : std::nullopt;
            if (text && text->empty()) text.reset();
          }
        }
        if (text) kept.breakdown = ValueIndex(*text) + 1;
        if (slot != store::PropertyColumnData::kNoSlot) slot_values[slot] = kept.breakdown;
      }
      keeper->Add(number, kept);
    }
    return Status::Ok();
  }

 private:
  // Each actor's events of `keepers` together, in time order, to run_actor; `values`: the
  // breakdown values their events index.
  Status RunActors(std::span<ActorEvents<KeptEvent>* const> keepers,
                   const std::deque<std::string>& values) {
    std::vector<FunnelEvent> actor_events;
    return ActorEvents<KeptEvent>::ForEachActorOf(
        keepers, [&](uint32_t number, std::span<KeptEvent> kept) -> Status {
          if (context_.budget != nullptr) HOGLET_RETURN_IF_ERROR(context_.budget->Tick());
          actor_events.resize(kept.size());
          for (size_t i = 0; i < kept.size(); ++i) {
            FunnelEvent& event = actor_events[i];
            event.timestamp_us = kept[i].timestamp_us;
            event.steps = kept[i].steps;
            event.exclusions = kept[i].exclusions;
            event.breakdown.reset();
            if (kept[i].breakdown != 0) event.breakdown = values[kept[i].breakdown - 1];
          }
          if (!std::is_sorted(actor_events.begin(), actor_events.end(), TimeOrder)) {
            std::sort(actor_events.begin(), actor_events.end(), TimeOrder);
          }
          return run_actor_(number, actor_events);
        });
  }

  // Makes `other`'s kept events index this scan's breakdown values; `other` keeps none after.
  void AdoptValuesOf(FunnelScan* other) {
    if (other->values_.empty()) return;
    std::vector<uint32_t> mapped(other->values_.size() + 1, 0);  // other's index + 1 → ours
    for (size_t i = 0; i < other->values_.size(); ++i) {
      mapped[i + 1] = ValueIndex(other->values_[i]) + 1;
    }
    other->keepers_.ForEachEvent(
        [&](KeptEvent& event) { event.breakdown = mapped[event.breakdown]; });
    other->value_index_.clear();
    other->values_.clear();
  }

  const ActorNumbers& numbering() const {
    return query_.aggregation_group_type_index ? actors_.groups
                                               : rows_context_.overrides->numbers();
  }

  // The index of a breakdown value among those the scan met.
  uint32_t ValueIndex(const std::string& text) {
    if (!values_.empty() && values_.back() == text)
      return static_cast<uint32_t>(values_.size() - 1);
    auto found = value_index_.find(text);
    if (found != value_index_.end()) return found->second;
    values_.push_back(text);
    const auto index = static_cast<uint32_t>(values_.size() - 1);
    value_index_.emplace(values_.back(), index);
    return index;
  }

  const FunnelsQuery& query_;
  const TrendsContext& context_;
  const int64_t from_us_;
  const int64_t to_us_;
  EventRowsContext rows_context_;
  EventConditions base_;
  std::vector<EventConditions> steps_;
  std::vector<EventConditions> exclusions_;
  const RunActor run_actor_;
  QueryActors& actors_;
  ActorKeepers<KeptEvent> keepers_;
  // The breakdown values met, by index (a deque: the index's views into it stay valid).
  std::deque<std::string> values_;
  std::unordered_map<std::string_view, uint32_t> value_index_;
};

// The actors of one breakdown value, as they accumulate: how many reached each step, and the
// non-zero conversion times into each step.
struct LineState {
  std::vector<int64_t> counts;
  std::vector<std::vector<double>> times_s;

  explicit LineState(size_t steps = 0) : counts(steps, 0), times_s(steps) {}

  // Each step the actor's chain went through counts it (with optional steps the counts need not
  // decrease). The k-th difference of its required steps' timestamps is a conversion time of
  // step k, as PostHog's timings array is read: with optional steps before it, that is an earlier
  // step than the one converted to.
  void Add(const FunnelActorResult& actor) {
    for (size_t i = 0; i < counts.size(); ++i) {
      if ((actor.steps_reached >> i & 1u) != 0) ++counts[i];
    }
    const std::vector<int64_t>& at = actor.step_timestamps_us;
    for (size_t i = 1; i < at.size() && i < times_s.size(); ++i) {
      const double seconds = static_cast<double>(at[i] - at[i - 1]) / 1e6;
      if (seconds > 0) times_s[i].push_back(seconds);
    }
  }

  void Merge(const LineState& other) {
    for (size_t i = 0; i < counts.size(); ++i) {
      counts[i] += other.counts[i];
      times_s[i].insert(times_s[i].end(), other.times_s[i].begin(), other.times_s[i].end());
    }
  }

  FunnelLine Finish(std::string value) {
    FunnelLine line;
    line.breakdown_value = std::move(value);
    for (size_t i = 0; i < counts.size(); ++i) {
      FunnelStepResult step;
      step.count = counts[i];
      if (i > 0 && !times_s[i].empty()) {
        // The median sorts the times: summed in that order, the mean does not depend on the
        // order the actors were counted in.
        step.median_conversion_s = InterpolatedMedian(&times_s[i]);
        double sum = 0;
        for (double t : times_s[i]) sum += t;
        step.average_conversion_s = sum / static_cast<double>(times_s[i].size());
      }
      line.steps.push_back(step);
    }
    return line;
  }
};

// PostHog's order of breakdown values: by the last step's count, then the step before's…,
// descending; equal counts by value, so the answer does not depend on scan order.
bool RanksBefore(const std::vector<int64_t>& a_counts, const std::string& a_value,
                 const std::vector<int64_t>& b_counts, const std::string& b_value) {
  for (size_t i = a_counts.size(); i-- > 0;) {
    if (a_counts[i] != b_counts[i]) return a_counts[i] > b_counts[i];
  }
  return a_value < b_value;
}

// Whether the funnel's passes may run on several threads: every filter it narrows by is read by
// threads (ReadByThreads), its breakdown is an event property (or a person property with the
// persons' properties in memory), and nobody is told of each actor (the actors' lists are made
// on one thread).
bool FunnelInParallel(const FunnelsQuery& query, const TrendsContext& context,
                      const FunnelActorObserver& observer) {
  if (observer) return false;
  if (query.breakdown) {
    if (query.breakdown->by_cohort()) return false;
    for (const BreakdownProperty& by : query.breakdown->properties) {
      if (by.hogql || by.group_type_index || by.histogram_bin_count) return false;
      if (by.person && !PersonsReadByThreads(context)) return false;
    }
  }
  if (!ReadByThreads(query.properties, context)) return false;
  if (query.filter_test_accounts && !ReadByThreads(context.test_account_filters, context)) {
    return false;
  }
  auto read = [&](const Series& node) {
    return ReadByThreads(node.properties, context) &&
           (!node.action_id || ActionReadByThreads(*node.action_id, context));
  };
  for (const Series& step : query.steps) {
    if (!read(step)) return false;
  }
  for (const FunnelExclusion& exclusion : query.exclusions) {
    if (!read(exclusion.node)) return false;
  }
  return true;
}

}  // namespace

std::optional<double> InterpolatedMedian(std::vector<double>* values) {
  if (values->empty()) return std::nullopt;
  std::sort(values->begin(), values->end());
  const size_t n = values->size();
  const double position = 0.5 * static_cast<double>(n - 1);
  const size_t lower = static_cast<size_t>(std::floor(position));
  const double fraction = position - static_cast<double>(lower);
  if (lower + 1 >= n) return (*values)[lower];
  return (*values)[lower] + fraction * ((*values)[lower + 1] - (*values)[lower]);
}

FunnelTimeToConvert TimeToConvertBins(const std::vector<double>& times_s,
                                      std::optional<int> bin_count) {
  const int64_t bins =
      bin_count
          ? *bin_count
          : std::clamp<int64_t>(
                static_cast<int64_t>(std::ceil(std::cbrt(static_cast<double>(times_s.size())))), 1,
                60);
  double min_s = 0;
  double max_s = 0;
  if (!times_s.empty()) {
    min_s = std::floor(*std::min_element(times_s.begin(), times_s.end()));
    max_s = std::ceil(*std::max_element(times_s.begin(), times_s.end()));
  }
  double width = std::ceil((max_s - min_s) / static_cast<double>(bins));
  if (!(width > 0)) width = 60;
  FunnelTimeToConvert out;
  std::vector<int64_t> counts(static_cast<size_t>(bins) + 1, 0);
  for (double t : times_s) {
    const auto index = static_cast<int64_t>(std::floor((t - min_s) / width));
    if (index >= 0 && index <= bins) ++counts[static_cast<size_t>(index)];
  }
  for (int64_t k = 0; k <= bins; ++k) {
    out.bins.emplace_back(
        static_cast<int64_t>(std::llround(min_s + static_cast<double>(k) * width)),
        counts[static_cast<size_t>(k)]);
  }
  if (!times_s.empty()) {
    double sum = 0;
    for (double t : times_s) sum += t;
    out.average_conversion_s = sum / static_cast<double>(times_s.size());
  }
  return out;
}

StatusOr<FunnelsResult> RunFunnels(const FunnelsQuery& query, const DateRange& range,
                                   const TrendsContext& context, const store::ScanSource& source,
                                   int64_t team_id, const FunnelActorObserver& observer) {
  FunnelActorSpec spec;
  spec.steps = query.steps.size();
  spec.breakdown = query.breakdown.has_value();
  spec.window_us = query.window_us;
  spec.order = query.order;
  spec.attribution = query.attribution;
  spec.attribution_step = query.attribution_step;
  spec.optional_steps = query.optional_steps;

  // What one thread's passes count (query/actor_passes.h): threads count apart, then their
  // tallies are merged in thread order.
  struct Tally {
    std::map<std::string, LineState> lines;
    std::optional<FunnelTrends> trends;
    std::vector<double> convert_times_s;
    std::vector<FunnelActorResult> results;
    std::unique_ptr<FunnelScan> scan;
  };
  const size_t threads = FunnelInParallel(query, context, observer) ? context.scan_threads : 1;
  std::vector<Tally> tallies(std::max<size_t>(threads, 1));
  QueryActors actors;
  std::vector<ActorPass*> passes;
  for (Tally& tally : tallies) {
    if (query.viz == FunnelViz::kTrends) tally.trends.emplace(query, range);
    auto run_actor = [&, &tally = tally](uint32_t number,
                                         std::vector<FunnelEvent>& actor_events) -> Status {
      const Uuid actor = observer ? tally.scan->ActorOf(number) : Uuid();
      if (tally.trends) {
        tally.trends->AddActor(spec, actor_events, actor, observer);
        return Status::Ok();
      }
      tally.results.clear();
      RunActorFunnel(spec, actor_events, &tally.results);
      for (const FunnelActorResult& result : tally.results) {
        if (observer) observer(actor, result, 0);
        tally.lines.try_emplace(result.breakdown, spec.steps).first->second.Add(result);
        if (query.viz == FunnelViz::kTimeToConvert && result.step_reached >= query.to_step) {
          tally.convert_times_s.push_back(
              static_cast<double>(result.step_timestamps_us[query.to_step] -
                                  result.step_timestamps_us[query.from_step]) /
              1e6);
        }
      }
      return Status::Ok();
    };
    tally.scan = std::make_unique<FunnelScan>(query, range, context, &actors, run_actor);
    passes.push_back(tally.scan.get());
  }
  HOGLET_ASSIGN_OR_RETURN(
      store::ScanSnapshot snapshot,
      source.Snapshot(team_id, tallies.front().scan->from_us(), tallies.front().scan->to_us()));
  HOGLET_RETURN_IF_ERROR(RunActorPasses(snapshot, EventsIn<KeptEvent>(context.actor_pass_bytes),
                                        "funnel", context.budget, passes));
  Tally& all = tallies.front();
  for (size_t t = 1; t < tallies.size(); ++t) {
    Tally& other = tallies[t];
    for (auto& [value, state] : other.lines) {
      auto [into, added] = all.lines.try_emplace(value, spec.steps);
      into->second.Merge(state);
    }
    if (all.trends) all.trends->Merge(*other.trends);
    all.convert_times_s.insert(all.convert_times_s.end(), other.convert_times_s.begin(),
                               other.convert_times_s.end());
  }

  FunnelsResult out;
  if (all.trends) {
    out.trends = all.trends->Finish(kFunnelOtherLabel);
    return out;
  }
  if (query.viz == FunnelViz::kTimeToConvert) {
    // Sorted, so the bins' mean does not depend on the order the actors were counted in.
    std::sort(all.convert_times_s.begin(), all.convert_times_s.end());
    out.time_to_convert = TimeToConvertBins(all.convert_times_s, query.bin_count);
  }
  std::map<std::string, LineState>& lines = all.lines;
  struct Ranked {
    std::string value;
    LineState state;
  };
  std::vector<Ranked> ranked;
  for (auto& [value, state] : lines) ranked.push_back({value, std::move(state)});
  auto order = [](const Ranked& a, const Ranked& b) {
    return RanksBefore(a.state.counts, a.value, b.state.counts, b.value);
  };
  std::sort(ranked.begin(), ranked.end(), order);
  if (query.breakdown && ranked.size() > query.breakdown->limit) {
    Ranked other{std::string(kFunnelOtherLabel), LineState(spec.steps)};
    for (size_t i = query.breakdown->limit; i < ranked.size(); ++i) {
      other.state.Merge(ranked[i].state);
    }
    ranked.resize(query.breakdown->limit);
    ranked.push_back(std::move(other));
    std::sort(ranked.begin(), ranked.end(), order);
  }
  for (Ranked& line : ranked) out.lines.push_back(line.state.Finish(std::move(line.value)));
  return out;
}

}  // namespace hoglet::query
