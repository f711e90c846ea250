#include "query/retention_runner.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>

#include "query/actor_events.h"
#include "query/actor_numbers.h"
#include "query/actor_passes.h"
#include "query/aggregate.h"
#include "query/bucket_lookup.h"
#include "query/event_rows.h"
#include "query/group_actor.h"
#include "query/part_blocks.h"
#include "query/query_actors.h"
#include "query/query_json.h"
#include "query/retention_cohorts.h"
#include "query/retention_tally.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

// An actor's number with one breakdown value, in one word: PostHog groups retention by both.
uint64_t ActorKey(uint32_t number, uint32_t breakdown) {
  return uint64_t{number} << 32 | breakdown;
}

// A breakdown value as PostHog's retention reads it: the property as text, "" when missing.
std::string BreakdownText(const filters::Properties& properties, const std::string& key) {
  auto found = properties.find(key);
  if (found == properties.end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
    return "";
  }
  return found->second.ToText();
}

// A property as PostHog's toFloat reads it: the number its text spells, 0 otherwise.
double NumberOrZero(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) return 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value) ? value : 0;
}

// The first start event of an actor seen so far (first-time retention).
struct FirstStart {
  int64_t timestamp_us = std::numeric_limits<int64_t>::max();
  bool matches = false;  // it matches the start entity's property filters

  // Meets a start at `timestamp_us`: the earliest is the first; of equal ones, any that matches.
  void Meet(int64_t at_us, bool start_matches) {
    if (at_us < timestamp_us) {
      timestamp_us = at_us;
      matches = start_matches;
    } else if (at_us == timestamp_us) {
      matches = matches || start_matches;
    }
  }
};

// One event kept for retention, 24 bytes beside its actor's number: a row that starts a cohort
// and returns is kept once, and made into its RetentionEvents (start, return, anchor) when its
// actor is run.
struct KeptEvent {
  static constexpr uint32_t kStart = 1;
  static constexpr uint32_t kReturn = 2;
  static constexpr uint32_t kAnchor = 4;
  static constexpr uint32_t kKindBits = 3;

  int64_t timestamp_us = 0;
  double value = 0;  // the aggregation property's value (sum and average only)
  int32_t period = 0;
  uint32_t bits = 0;  // breakdown index << kKindBits | the kinds

  uint32_t breakdown() const { return bits >> kKindBits; }
  void set_breakdown(uint32_t breakdown) {
    bits = breakdown << kKindBits | (bits & ((1u << kKindBits) - 1));
  }
};

EventConditions EntityConditions(const Series& entity, bool with_properties) {
  EventConditions conditions;
  conditions.event = entity.event;
  conditions.action_id = entity.action_id;
  if (with_properties) conditions.filters = {&entity.properties};
  return conditions;
}

// Retention's passes over its actors: a pass keeps the start and return events of its share's
// actors (and each one's first start, for first-time retention) with the actors' numbers, then
// hands each actor's, in RetentionEventBefore order, to `run_actor` (ActorOf gives the actor of
// a number). The breakdown values and group keys seen are kept across passes. Passes read apart
// (query/actor_passes.h): each keeps its blocks' events and first starts, and a keeper's actors
// are run from every pass's; the first pass's breakdown values become every pass's.
class RetentionScan final : public ActorPass {
 public:
  // `values`: the breakdown values seen so far, by index.
  using RunActor = std::function<Status(std::span<const RetentionEvent> events,
                                        const std::vector<std::string>& values)>;

  // `actors` numbers the actors alike for every scan of the query.
  RetentionScan(const RetentionQuery& query, const DateRange& range, const TrendsContext& context,
                QueryActors* actors, bool keep_group_keys, RunActor run_actor)
      : query_(query),
        range_(range),
        windows_(query.window == RetentionWindow::k24HourWindows),
        aggregated_(query.aggregation != RetentionAggregation::kCount),
        keep_group_keys_(keep_group_keys && query.aggregation_group_type_index.has_value()),
        // First-time retention finds each actor's first start event over all time; with 24
        // hour windows it counts the returns after the range too.
        from_us_(query.type == RetentionType::kRecurring ? range.from_us()
                                                         : std::numeric_limits<int64_t>::min()),
        to_us_(query.type != RetentionType::kRecurring && windows_
                   ? std::numeric_limits<int64_t>::max()
                   : range.to_us()),
        rows_context_(EventRowsContextOf(context)),
        target_(EntityConditions(query.target, true)),
        target_any_(EntityConditions(query.target, false)),
        returning_(EntityConditions(query.returning, true)),
        run_actor_(std::move(run_actor)),
        actors_(*actors),
        // Actors with one first start each (no breakdown, or 24 hour windows, whose first
        // start is the actor's whatever its values) are found by their numbers.
        numbered_firsts_(!query.breakdown || windows_) {
    base_.filters = {&query.properties,
                     query.filter_test_accounts ? &context.test_account_filters : nullptr};
    if (rows_context_.overrides == nullptr) rows_context_.overrides = &actors_.no_overrides;
  }

  int64_t from_us() const override { return from_us_; }
  int64_t to_us() const override { return to_us_; }
  size_t kept() const override { return keepers_.size() + first_.size() + firsts_by_number_; }

  void Begin(const ActorShare& share) override { BeginShares(share, 1); }

  Status Finish() override {
    RetentionScan* const own[] = {this};
    AddFirstStarts(own, 0, &keepers_[0]);
    ActorEvents<KeptEvent>* const keepers[] = {&keepers_[0]};
    return RunActors(keepers);
  }

  bool reads_apart() const override { return true; }

  void BeginApart(const ActorShare& round, uint32_t keepers) override {
    BeginShares(round, keepers);
  }

  // The other passes' breakdown values become this one's, and this one's theirs.
  Status Gather(std::span<ActorPass* const> passes) override {
    for (ActorPass* pass : passes) {
      if (pass != this) AdoptValuesOf(static_cast<RetentionScan*>(pass));
    }
    for (ActorPass* pass : passes) {
      auto* other = static_cast<RetentionScan*>(pass);
      if (other == this) continue;
      other->values_ = values_;
      other->value_index_ = value_index_;
    }
    return Status::Ok();
  }

  // Keeper `share`'s actors, with their first starts, from what every pass kept.
  Status FinishShare(std::span<ActorPass* const> passes, uint32_t share) override {
    std::vector<RetentionScan*> scans;
    std::vector<ActorEvents<KeptEvent>*> keepers;
    for (ActorPass* pass : passes) {
      scans.push_back(static_cast<RetentionScan*>(pass));
      keepers.push_back(&scans.back()->keepers_[share]);
    }
    AddFirstStarts(scans, share, &keepers_[share]);
    return RunActors(keepers);
  }

  // The actor of a number given to run_actor: a person, or the group it counts for.
  Uuid ActorOf(uint32_t number) const {
    Uuid actor;
    numbering().ActorsOf(&number, 1, &actor);
    return actor;
  }

  // The breakdown values seen, by index.
  const std::vector<std::string>& values() const { return values_; }

  // The group keys of the actors seen, when kept.
  std::unordered_map<Uuid, std::string, UuidHash>& group_keys() { return group_keys_; }

  Status ScanBlock(store::BlockReader* block) override {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows = RowsInTime(*timestamps, from_us_, to_us_);
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

    // The numbers of the actors the rows count for: their persons now (kept with the block), or
    // their groups of aggregation_group_type_index.
    std::vector<uint32_t> group_numbers;
    const std::vector<uint32_t>* numbers = nullptr;
    if (query_.aggregation_group_type_index) {
      // Only the rows that start or return count for a group.
      for (size_t row = 0; row < rows.size(); ++row) {
        if (!starts[row] && !returns[row] && (!first_ever || !any_starts[row])) rows[row] = 0;
      }
      std::vector<Uuid> groups;
      std::vector<std::string> keys;
      HOGLET_RETURN_IF_ERROR(NumberRowGroups(&event_rows, *query_.aggregation_group_type_index,
                                             &actors_.groups, &rows, &groups, &group_numbers,
                                             keep_group_keys_ ? &keys : nullptr));
      if (keep_group_keys_) {
        for (size_t row = 0; row < rows.size(); ++row) {
          if (rows[row]) group_keys_.try_emplace(groups[row], std::move(keys[row]));
        }
      }
      numbers = &group_numbers;
    } else {
      HOGLET_ASSIGN_OR_RETURN(numbers, event_rows.PersonNumbers());
    }
    const BreakdownProperty* by = nullptr;
    const store::PropertyColumnData* breakdown_column = nullptr;
    if (query_.breakdown) {
      by = &query_.breakdown->properties.front();
      if (!by->person && !by->group_type_index) {
        HOGLET_ASSIGN_OR_RETURN(breakdown_column, block->Property(by->property));
      }
    }
    const store::PropertyColumnData* value_column = nullptr;
    if (aggregated_ && !query_.aggregation_person_property) {
      HOGLET_ASSIGN_OR_RETURN(value_column, block->Property(query_.aggregation_property));
    }
    // Events that start a cohort themselves: recurring retention's; first-time retention keeps
    // its start events for their values (sums) and their breakdown values (24 hour windows).
    const bool keep_starts = query_.type == RetentionType::kRecurring || aggregated_ || windows_;
    // The keeper of the row before's actor (null: not the share's): a block's rows come by actor.
    uint32_t last_number = std::numeric_limits<uint32_t>::max();
    ActorEvents<KeptEvent>* keeper = nullptr;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      const bool start = starts[row] != 0;
      const bool any_start = first_ever ? any_starts[row] != 0 : start;
      if (!any_start && !returns[row]) continue;
      const uint32_t actor = (*numbers)[row];
      if (actor != last_number) {
        last_number = actor;
        keeper = keepers_.Of(actor);
      }
      if (keeper == nullptr) continue;
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
      double value = 0;
      if (aggregated_ && (start || returns[row])) {
        if (query_.aggregation_person_property) {
          HOGLET_ASSIGN_OR_RETURN(const filters::Properties* properties,
                                  event_rows.PersonPropertiesOf(row));
          auto found = properties->find(query_.aggregation_property);
          if (found != properties->end()) value = NumberOrZero(found->second.ToText());
        } else if (value_column != nullptr) {
          const store::PropertyValue* cell = value_column->Get(row);
          if (cell != nullptr) value = NumberOrZero(store::StringifyProperty(*cell).value_or(""));
        }
      }
      const int64_t ts = (*timestamps)[row];
      const auto period = static_cast<int32_t>(buckets_.IndexOf(ts));
      if (query_.type != RetentionType::kRecurring && any_start) {
        FirstStart& first = numbered_firsts_ ? NumberedFirst(actor) : KeyedFirst(actor, breakdown);
        first.Meet(ts, start);
      }
      uint32_t kinds = 0;
      if (start && period >= 0 && keep_starts) kinds |= KeptEvent::kStart;
      if (returns[row] && (period >= 0 || windows_)) kinds |= KeptEvent::kReturn;
      if (kinds != 0) {
        keeper->Add(actor, {ts, value, period, breakdown << KeptEvent::kKindBits | kinds});
      }
    }
    return Status::Ok();
  }

 private:
  const ActorNumbers& numbering() const {
    return query_.aggregation_group_type_index ? actors_.groups
                                               : rows_context_.overrides->numbers();
  }

  // The first start of the actor with the breakdown value. A block holds an actor's events
  // together: most starts are the last one's.
  FirstStart& KeyedFirst(uint32_t number, uint32_t breakdown) {
    const uint64_t key = ActorKey(number, breakdown);
    if (last_first_ == nullptr || last_first_key_ != key) {
      last_first_ = &first_[key];
      last_first_key_ = key;
    }
    return *last_first_;
  }
  // The first start of the actor numbered `number` (query/actor_numbers.h).
  FirstStart& NumberedFirst(uint32_t number) {
    if (number >= first_by_number_.size()) {
      first_by_number_.resize(
          std::max<size_t>(number + 1, first_by_number_.size() + first_by_number_.size() / 2));
    }
    NumberedStart& entry = first_by_number_[number];
    if (!entry.seen) {
      entry.seen = true;
      ++firsts_by_number_;
    }
    return entry.first;
  }

  // Forgets the events and first starts kept; the next scan keeps those of `share`'s actors, in
  // `keepers` keepers (ActorShare::KeeperOf).
  void BeginShares(const ActorShare& share, uint32_t keepers) {
    keepers_.Begin(share, keepers);
    first_.clear();
    last_first_ = nullptr;
    first_by_number_.clear();
    firsts_by_number_ = 0;
  }

  // Each actor's events of `keepers` together, in RetentionEventBefore order, to run_actor.
  Status RunActors(std::span<ActorEvents<KeptEvent>* const> keepers) {
    std::vector<RetentionEvent> events;
    return ActorEvents<KeptEvent>::ForEachActorOf(
        keepers, [&](uint32_t number, std::span<KeptEvent> kept) {
          events.clear();
          for (const KeptEvent& e : kept) {
            auto add = [&](RetentionEventKind kind, double value) {
              events.push_back({number, e.breakdown(), e.period, kind, e.timestamp_us, value});
            };
            if ((e.bits & KeptEvent::kStart) != 0) add(RetentionEventKind::kStart, e.value);
            if ((e.bits & KeptEvent::kReturn) != 0) add(RetentionEventKind::kReturn, e.value);
            if ((e.bits & KeptEvent::kAnchor) != 0) add(RetentionEventKind::kAnchor, 0);
          }
          std::sort(events.begin(), events.end(), RetentionEventBefore);
          return run_actor_(events, values_);
        });
  }

  // The first-time starts of keeper `share`'s actors that `scans` met (the earliest of each
  // actor's over all of them), added to `into` as anchors. An actor's events are sorted before
  // they are counted, so the order the anchors are added in does not matter.
  void AddFirstStarts(std::span<RetentionScan* const> scans, uint32_t share,
                      ActorEvents<KeptEvent>* into) {
    auto anchor = [&](uint32_t number, uint32_t breakdown, const FirstStart& first) {
      if (!first.matches) return;
      const int64_t period = range_.BucketIndex(first.timestamp_us);
      // With 24 hour windows a first start outside the range still anchors the actor.
      if (period >= 0 || windows_) {
        into->Add(number, {first.timestamp_us, 0, static_cast<int32_t>(period),
                           breakdown << KeptEvent::kKindBits | KeptEvent::kAnchor});
      }
    };
    if (scans.size() == 1) {
      const RetentionScan& only = *scans.front();
      for (const auto& [key, first] : only.first_) {
        anchor(static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key), first);
      }
      for (size_t number = 0; number < only.first_by_number_.size(); ++number) {
        if (only.first_by_number_[number].seen) {
          anchor(static_cast<uint32_t>(number), 0, only.first_by_number_[number].first);
        }
      }
    } else {
      std::unordered_map<uint64_t, FirstStart> keyed;
      std::vector<NumberedStart> numbered;
      for (const RetentionScan* scan : scans) {
        for (const auto& [key, first] : scan->first_) {
          if (keepers_.KeeperOf(static_cast<uint32_t>(key >> 32)) != share) continue;
          keyed[key].Meet(first.timestamp_us, first.matches);
        }
        numbered.resize(std::max(numbered.size(), scan->first_by_number_.size()));
        for (size_t number = 0; number < scan->first_by_number_.size(); ++number) {
          const NumberedStart& theirs = scan->first_by_number_[number];
          if (!theirs.seen || keepers_.KeeperOf(static_cast<uint32_t>(number)) != share) continue;
          numbered[number].seen = true;
          numbered[number].first.Meet(theirs.first.timestamp_us, theirs.first.matches);
        }
      }
      for (const auto& [key, first] : keyed) {
        anchor(static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key), first);
      }
      for (size_t number = 0; number < numbered.size(); ++number) {
        if (numbered[number].seen) anchor(static_cast<uint32_t>(number), 0, numbered[number].first);
      }
    }
  }

  // Makes `other`'s kept events and first starts index this scan's breakdown values.
  void AdoptValuesOf(RetentionScan* other) {
    std::vector<uint32_t> mapped(other->values_.size());
    for (size_t i = 0; i < other->values_.size(); ++i) {
      auto [found, added] =
          value_index_.try_emplace(other->values_[i], static_cast<uint32_t>(values_.size()));
      if (added) values_.push_back(other->values_[i]);
      mapped[i] = found->second;
    }
    other->keepers_.ForEachEvent(
        [&](KeptEvent& event) { event.set_breakdown(mapped[event.breakdown()]); });
    std::unordered_map<uint64_t, FirstStart> firsts;
    for (const auto& [key, first] : other->first_) {
      firsts.emplace(ActorKey(static_cast<uint32_t>(key >> 32), mapped[static_cast<uint32_t>(key)]),
                     first);
    }
    other->first_ = std::move(firsts);
    other->last_first_ = nullptr;
  }

  const RetentionQuery& query_;
  const DateRange& range_;
  BucketLookup buckets_{range_};
  const bool windows_;
  const bool aggregated_;
  const bool keep_group_keys_;
  const int64_t from_us_;
  const int64_t to_us_;
  EventRowsContext rows_context_;
  EventConditions base_;
  EventConditions target_;
  EventConditions target_any_;
  EventConditions returning_;
  const RunActor run_actor_;
  ActorKeepers<KeptEvent> keepers_;
  QueryActors& actors_;
  // Each actor's first start (first-time retention): by number when numbered_firsts_, else by
  // number and breakdown value.
  const bool numbered_firsts_;
  struct NumberedStart {
    FirstStart first;
    bool seen = false;
  };
  std::vector<NumberedStart> first_by_number_;
  size_t firsts_by_number_ = 0;  // entries of first_by_number_ seen
  std::unordered_map<uint64_t, FirstStart> first_;
  FirstStart* last_first_ = nullptr;  // in first_ (its nodes stay put), for last_first_key_
  uint64_t last_first_key_ = 0;
  std::vector<std::string> values_{""};
  std::unordered_map<std::string, uint32_t> value_index_{{"", 0}};
  std::unordered_map<Uuid, std::string, UuidHash> group_keys_;
};

// Whether retention's passes may run on several threads: every filter it narrows by is read by
// threads (ReadByThreads), and its breakdown and aggregation read the events or the persons'
// properties already in memory.
bool RetentionInParallel(const RetentionQuery& query, const TrendsContext& context) {
  if (query.breakdown) {
    if (query.breakdown->by_cohort()) return false;
    for (const BreakdownProperty& by : query.breakdown->properties) {
      if (by.hogql || by.group_type_index || by.histogram_bin_count) return false;
      if (by.person && !PersonsReadByThreads(context)) return false;
    }
  }
  if (query.aggregation != RetentionAggregation::kCount && query.aggregation_person_property &&
      !PersonsReadByThreads(context)) {
    return false;
  }
  auto read = [&](const Series& entity) {
    return ReadByThreads(entity.properties, context) &&
           (!entity.action_id || ActionReadByThreads(*entity.action_id, context));
  };
  return ReadByThreads(query.properties, context) &&
         (!query.filter_test_accounts || ReadByThreads(context.test_account_filters, context)) &&
         read(query.target) && read(query.returning);
}

Status Run(const RetentionQuery& query, const DateRange& range, const TrendsContext& context,
           const store::ScanSource& source, int64_t team_id, RetentionOutput out) {
  const auto columns = static_cast<size_t>(RetentionColumns(query));
  const size_t cohorts = range.bucket_starts().size();
  const bool aggregated = query.aggregation != RetentionAggregation::kCount;
  const RetentionTally empty{
      RetentionTable(cohorts, std::vector<int64_t>(columns, 0)),
      aggregated ? RetentionValues(cohorts, std::vector<double>(columns, 0)) : RetentionValues()};
  // What one thread's passes count (query/actor_passes.h), by the index of the breakdown value
  // in its scan; threads count apart, then their cells are merged in thread order.
  struct Share {
    std::vector<RetentionTally> tallies;
    std::unique_ptr<RetentionScan> scan;
  };
  const size_t threads =
      out.actors == nullptr && RetentionInParallel(query, context) ? context.scan_threads : 1;
  std::vector<Share> shares(std::max<size_t>(threads, 1));
  QueryActors actors;
  std::vector<ActorPass*> passes;
  for (Share& share : shares) {
    auto run_actor = [&, &share = share](std::span<const RetentionEvent> events,
                                         const std::vector<std::string>& values) -> Status {
      std::vector<RetentionTally>& tallies = share.tallies;
      // The values keep their indexes from pass to pass; new ones are added.
      if (tallies.size() < values.size()) {
        tallies.resize(values.size());
        if (out.breakdown != nullptr) {
          auto found = std::find(values.begin(), values.end(), *out.breakdown);
          out.breakdown_index = found == values.end()
                                    ? kNoBreakdownValue
                                    : static_cast<uint32_t>(found - values.begin());
        }
      }
      if (context.budget != nullptr) HOGLET_RETURN_IF_ERROR(context.budget->Tick());
      const Uuid actor = out.actors != nullptr ? share.scan->ActorOf(events[0].actor) : Uuid();
      CountActor(query, range, actor, events, columns, out, empty, &tallies);
      return Status::Ok();
    };
    share.scan = std::make_unique<RetentionScan>(query, range, context, &actors,
                                                 out.actors != nullptr, run_actor);
    passes.push_back(share.scan.get());
  }
  const RetentionScan& scan = *shares.front().scan;
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot,
                          source.Snapshot(team_id, scan.from_us(), scan.to_us()));
  HOGLET_RETURN_IF_ERROR(RunActorPasses(snapshot, EventsIn<KeptEvent>(context.actor_pass_bytes),
                                        "retention", context.budget, passes));
  // The first thread's values and cells, the others' added by value.
  std::vector<std::string> values = scan.values();
  std::vector<RetentionTally> tallies = std::move(shares.front().tallies);
  tallies.resize(values.size());
  std::unordered_map<std::string, size_t> value_index;
  for (size_t i = 0; i < values.size(); ++i) value_index.emplace(values[i], i);
  for (size_t t = 1; t < shares.size(); ++t) {
    const std::vector<std::string>& theirs = shares[t].scan->values();
    for (size_t i = 0; i < shares[t].tallies.size(); ++i) {
      RetentionTally& other = shares[t].tallies[i];
      if (other.counts.empty()) continue;
      auto [found, added] = value_index.try_emplace(theirs[i], values.size());
      if (added) {
        values.push_back(theirs[i]);
        tallies.emplace_back();
      }
      RetentionTally& into = tallies[found->second];
      if (into.counts.empty()) {
        into = std::move(other);
        continue;
      }
      for (size_t c = 0; c < into.counts.size(); ++c) {
        for (size_t k = 0; k < into.counts[c].size(); ++k) {
          into.counts[c][k] += other.counts[c][k];
          if (!into.values.empty()) into.values[c][k] += other.values[c][k];
        }
      }
    }
  }
  if (out.actors != nullptr) {
    if (query.breakdown && out.breakdown == nullptr) MergeActors(out.actors);
    for (RetentionActor& actor : *out.actors) {
      auto found = shares.front().scan->group_keys().find(actor.actor);
      if (found != shares.front().scan->group_keys().end()) actor.group_key = found->second;
    }
  }
  for (RetentionTally& tally : tallies) {
    if (query.aggregation == RetentionAggregation::kAvg) Average(&tally);
  }
  if (!query.breakdown) {
    RetentionTally only =
        tallies.empty() || tallies[0].counts.empty() ? empty : std::move(tallies[0]);
    out.result->counts = std::move(only.counts);
    out.result->values = std::move(only.values);
    return Status::Ok();
  }

  // PostHog's ranking: the values by the size of their cohorts, largest first, then by value;
  // past the limit, the cells summed into the Other line.
  std::vector<std::pair<int64_t, size_t>> ranked;  // (−size, index)
  for (size_t i = 0; i < tallies.size(); ++i) {
    if (tallies[i].counts.empty()) continue;
    int64_t size = 0;
    for (const std::vector<int64_t>& row : tallies[i].counts) size += row[0];
    ranked.emplace_back(-size, i);
  }
  std::sort(ranked.begin(), ranked.end(), [&values](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : values[a.second] < values[b.second];
  });
  const size_t limit = query.breakdown->limit;
  RetentionBreakdownLine other{std::string(kBreakdownOtherLabel), empty.counts, empty.values};
  for (size_t r = 0; r < ranked.size(); ++r) {
    RetentionTally& tally = tallies[ranked[r].second];
    if (r < limit) {
      out.result->breakdowns.push_back(
          {values[ranked[r].second], std::move(tally.counts), std::move(tally.values)});
      continue;
    }
    for (size_t c = 0; c < tally.counts.size(); ++c) {
      for (size_t k = 0; k < tally.counts[c].size(); ++k) {
        other.counts[c][k] += tally.counts[c][k];
        if (!other.values.empty()) other.values[c][k] += tally.values[c][k];
      }
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
  const size_t cells = range.bucket_starts().size() * static_cast<size_t>(RetentionColumns(query));
  if (cells > kMaxRetentionCells) {
    return Invalid("query.dateRange",
                   "the retention table would hold " + std::to_string(cells) +
                       " cells (periods × columns), more than " +
                       std::to_string(kMaxRetentionCells) +
                       "; choose a shorter date range, a longer period or fewer intervals");
  }
  return range;
}

StatusOr<RetentionResult> RunRetention(const RetentionQuery& query, const DateRange& range,
                                       const TrendsContext& context,
                                       const store::ScanSource& source, int64_t team_id) {
  RetentionResult result;
  HOGLET_RETURN_IF_ERROR(
      Run(query, range, context, source, team_id, {&result, {}, nullptr, nullptr, {}}));
  return result;
}

StatusOr<std::vector<RetentionActor>> RetentionActors(const RetentionQuery& query,
                                                      const DateRange& range,
                                                      const TrendsContext& context,
                                                      const store::ScanSource& source,
                                                      int64_t team_id, size_t cohort,
                                                      const std::optional<std::string>& breakdown) {
  if (cohort >= range.bucket_starts().size()) {
    return InvalidArgumentError("interval: the retention has " +
                                    std::to_string(range.bucket_starts().size()) +
                                    " cohorts, numbered from 0",
                                "invalid_input");
  }
  if (breakdown && !query.breakdown) {
    return InvalidArgumentError("breakdown: the retention query has no breakdown", "invalid_input");
  }
  RetentionResult result;
  std::vector<RetentionActor> actors;
  const std::string* value = breakdown ? &*breakdown : nullptr;
  HOGLET_RETURN_IF_ERROR(
      Run(query, range, context, source, team_id, {&result, cohort, &actors, value, {}}));
  std::sort(actors.begin(), actors.end(), [](const RetentionActor& a, const RetentionActor& b) {
    if (a.appearances.size() != b.appearances.size()) {
      return a.appearances.size() > b.appearances.size();
    }
    return a.actor < b.actor;
  });
  return actors;
}

}  // namespace hoglet::query
