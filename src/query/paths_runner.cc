#include "query/paths_runner.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "query/actor_events.h"
#include "query/actor_passes.h"
#include "query/event_persons.h"
#include "query/event_rows.h"
#include "query/funnel_path_windows.h"
#include "query/part_blocks.h"
#include "query/path_items.h"
#include "query/path_sessions.h"
#include "query/query_actors.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

// One event kept for the paths, beside its person's number: its time and its cleaned item (an
// index into the scan's items).
struct KeptEvent {
  int64_t timestamp_us = 0;
  uint32_t item = 0;
};

// Cleaning runs regexes; the items of a project repeat, so each raw item is cleaned once, up to
// this many distinct ones.
constexpr size_t kMaxCleanedCache = 100'000;

std::optional<std::string> TextOf(const store::PropertyColumnData* column, size_t row) {
  if (column == nullptr) return std::nullopt;
  const store::PropertyValue* value = column->Get(row);
  return value != nullptr ? store::StringifyProperty(*value) : std::nullopt;
}

// The paths' passes over their persons: a pass keeps the events of its share's persons that the
// paths read, cleaned into items (each distinct item kept once, in `items`, which the caller
// keeps while it reads the paths), then hands each person's events, in time order, to
// `run_person` with the person's number (PersonOf gives the person). Passes read apart
// (query/actor_passes.h): each keeps its blocks' events by keeper, and the first one's items
// become every pass's.
class PathScan final : public ActorPass {
 public:
  using RunPerson = std::function<Status(uint32_t number, const std::vector<PathEvent>& events)>;

  // `funnel`, when set, names the persons read and the windows of their events. `actors`
  // numbers the persons alike for every scan of the query.
  PathScan(const PathsQuery& query, const DateRange& range, const TrendsContext& context,
           const FunnelPathWindows* funnel, QueryActors* actors, std::deque<std::string>* items,
           RunPerson run_person)
      : query_(query),
        context_(context),
        funnel_(funnel),
        from_us_(range.from_us()),
        to_us_(range.to_us()),
        rows_context_(EventRowsContextOf(context)),
        excluded_(query.exclude_items.begin(), query.exclude_items.end()),
        items_(*items),
        run_person_(std::move(run_person)) {
    if (rows_context_.overrides == nullptr) rows_context_.overrides = &actors->no_overrides;
    base_.filters = {&query.properties,
                     query.filter_test_accounts ? &context.test_account_filters : nullptr};
  }

  int64_t from_us() const override { return from_us_; }
  int64_t to_us() const override { return to_us_; }
  size_t kept() const override { return keepers_.size(); }

  void Begin(const ActorShare& share) override { keepers_.Begin(share, 1); }

  bool reads_apart() const override { return true; }

  void BeginApart(const ActorShare& round, uint32_t keepers) override {
    keepers_.Begin(round, keepers);
  }

  // The other passes' items become this one's.
  Status Gather(std::span<ActorPass* const> passes) override {
    for (ActorPass* pass : passes) {
      if (pass != this) AdoptItemsOf(static_cast<PathScan*>(pass));
    }
    return Status::Ok();
  }

  // Keeper `share`'s persons, from every pass's events (gathered by passes[0]).
  Status FinishShare(std::span<ActorPass* const> passes, uint32_t share) override {
    std::vector<ActorEvents<KeptEvent>*> keepers;
    for (ActorPass* pass : passes) {
      keepers.push_back(&static_cast<PathScan*>(pass)->keepers_[share]);
    }
    return RunPersons(keepers, static_cast<const PathScan*>(passes.front())->item_text_);
  }

  Uuid PersonOf(uint32_t number) const {
    Uuid person;
    rows_context_.overrides->numbers().ActorsOf(&number, 1, &person);
    return person;
  }

  Status Finish() override {
    ActorEvents<KeptEvent>* const own[] = {&keepers_[0]};
    return RunPersons(own, item_text_);
  }

  Status ScanBlock(store::BlockReader* block) override {
    HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
    store::RowSelection rows = RowsInTime(*timestamps, from_us_, to_us_);
    if (!store::AnySelected(rows)) return Status::Ok();
    HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* names, block->EventNames());
    for (size_t row = 0; row < rows.size(); ++row) {
      if (rows[row] && !TypeIncluded(names->at(row))) rows[row] = 0;
    }
    if (!store::AnySelected(rows)) return Status::Ok();
    EventRows event_rows(block, rows_context_);
    HOGLET_RETURN_IF_ERROR(event_rows.Narrow(base_, &rows));
    if (!store::AnySelected(rows)) return Status::Ok();

    HOGLET_ASSIGN_OR_RETURN(const std::vector<uint32_t>* numbers, event_rows.PersonNumbers());
    const std::vector<Uuid>* persons = nullptr;
    if (funnel_ != nullptr) {
      HOGLET_ASSIGN_OR_RETURN(persons, event_rows.Persons());
    }
    const store::PropertyColumnData* urls = nullptr;
    const store::PropertyColumnData* screens = nullptr;
    const store::PropertyColumnData* hogql = nullptr;
    if (query_.pageview_urls) {
      HOGLET_ASSIGN_OR_RETURN(urls, block->Property("$current_url"));
    }
    if (query_.screen_names) {
      HOGLET_ASSIGN_OR_RETURN(screens, block->Property("$screen_name"));
    }
    if (query_.hogql_property) {
      HOGLET_ASSIGN_OR_RETURN(hogql, block->Property(*query_.hogql_property));
    }
    // The keeper of the row before's actor (null: not the share's): a block's rows come by actor.
    uint32_t last_number = std::numeric_limits<uint32_t>::max();
    ActorEvents<KeptEvent>* keeper = nullptr;
    for (size_t row = 0; row < rows.size(); ++row) {
      if (!rows[row]) continue;
      if ((*numbers)[row] != last_number) {
        last_number = (*numbers)[row];
        keeper = keepers_.Of(last_number);
      }
      if (keeper == nullptr) continue;
      if (funnel_ != nullptr && !funnel_->Keeps((*persons)[row], (*timestamps)[row])) continue;
      const std::string& event = names->at(row);
      const bool pageview = event == "$pageview";
      const bool screen = event == "$screen";
      std::string raw = RawPathItem(query_, event, pageview ? TextOf(urls, row) : std::nullopt,
                                    screen ? TextOf(screens, row) : std::nullopt,
                                    !pageview && !screen ? TextOf(hogql, row) : std::nullopt);
      const std::optional<uint32_t> item = Cleaned(std::move(raw));
      if (!item) continue;  // excluded
      keeper->Add((*numbers)[row], {(*timestamps)[row], *item});
    }
    return Status::Ok();
  }

 private:
  // Each person's events of `keepers` in time order to run_person; events at the same time are
  // ordered by item, so the paths do not depend on storage order. `item_text`: the items their
  // events index.
  Status RunPersons(std::span<ActorEvents<KeptEvent>* const> keepers,
                    const std::vector<std::string_view>& item_text) {
    auto before = [](const PathEvent& a, const PathEvent& b) {
      return std::tie(a.timestamp_us, a.item) < std::tie(b.timestamp_us, b.item);
    };
    std::vector<PathEvent> person_events;
    return ActorEvents<KeptEvent>::ForEachActorOf(
        keepers, [&](uint32_t number, std::span<KeptEvent> kept) -> Status {
          if (context_.budget != nullptr) HOGLET_RETURN_IF_ERROR(context_.budget->Tick());
          person_events.resize(kept.size());
          for (size_t i = 0; i < kept.size(); ++i) {
            person_events[i] = {kept[i].timestamp_us, item_text[kept[i].item]};
          }
          if (!std::is_sorted(person_events.begin(), person_events.end(), before)) {
            std::sort(person_events.begin(), person_events.end(), before);
          }
          return run_person_(number, person_events);
        });
  }

  // Makes `other`'s kept events index this scan's items (those new to it are added as views of
  // `other`'s, which the caller keeps too).
  void AdoptItemsOf(PathScan* other) {
    std::vector<uint32_t> mapped(other->item_text_.size());
    for (size_t i = 0; i < other->item_text_.size(); ++i) {
      const std::string_view text = other->item_text_[i];
      auto [found, added] = item_index_.try_emplace(text, static_cast<uint32_t>(item_text_.size()));
      if (added) item_text_.push_back(text);
      mapped[i] = found->second;
    }
    other->keepers_.ForEachEvent([&](KeptEvent& event) { event.item = mapped[event.item]; });
  }

  bool TypeIncluded(const std::string& event) const {
    if (query_.ReadsEveryEvent()) return true;
    if (query_.read_pageviews && event == "$pageview") return true;
    if (query_.read_screens && event == "$screen") return true;
    return query_.read_custom_events && !event.starts_with('$');
  }

  // The index of the item `raw` cleans into; nullopt for an excluded item.
  std::optional<uint32_t> Cleaned(std::string raw) {
    auto found = cleaned_.find(raw);
    if (found != cleaned_.end()) return found->second;
    if (cleaned_.size() >= kMaxCleanedCache) cleaned_.clear();
    std::string clean = CleanPathItem(query_, raw);
    std::optional<uint32_t> index;
    if (!excluded_.contains(clean)) {
      auto known = item_index_.find(clean);
      if (known != item_index_.end()) {
        index = known->second;
      } else {
        items_.push_back(std::move(clean));
        index = static_cast<uint32_t>(item_text_.size());
        item_text_.push_back(items_.back());
        item_index_.emplace(items_.back(), *index);
      }
    }
    cleaned_.emplace(std::move(raw), index);
    return index;
  }

  const PathsQuery& query_;
  const TrendsContext& context_;
  const FunnelPathWindows* const funnel_;
  const int64_t from_us_;
  const int64_t to_us_;
  EventRowsContext rows_context_;
  EventConditions base_;
  const std::unordered_set<std::string> excluded_;
  std::unordered_map<std::string, std::optional<uint32_t>> cleaned_;  // raw item → its index
  std::deque<std::string>& items_;                                    // the caller's
  std::vector<std::string_view> item_text_;                           // by index, in items_
  std::unordered_map<std::string_view, uint32_t> item_index_;
  const RunPerson run_person_;
  ActorKeepers<KeptEvent> keepers_;
};

// Whether the paths' passes may run on several threads: their filters are read by threads
// (ReadByThreads) and no funnel names their persons.
bool PathsInParallel(const PathsQuery& query, const TrendsContext& context) {
  return !query.funnel_paths && ReadByThreads(query.properties, context) &&
         (!query.filter_test_accounts || ReadByThreads(context.test_account_filters, context));
}

// Scans the events and calls `visit` with each session path of each person, on `items->size()`
// threads at most (query/actor_passes.h; one when the paths may not run on several): a thread's
// paths' items are kept in its own (*items)[thread], which the caller keeps while it reads them,
// and `visit` is told the thread. The person is given when `with_persons`, else left empty.
Status ForEachSessionPath(
    const PathsQuery& query, const DateRange& range, const TrendsContext& context,
    const store::ScanSource& source, int64_t team_id, std::vector<std::deque<std::string>>* items,
    bool with_persons,
    const std::function<void(size_t thread, const Uuid& person, const SessionPath& path)>& visit) {
  std::optional<FunnelPathWindows> funnel;
  int64_t session_gap_us = kPathSessionGapUs;
  if (query.funnel_paths) {
    HOGLET_ASSIGN_OR_RETURN(funnel,
                            RunFunnelPathWindows(*query.funnel_paths, context, source, team_id));
    if (funnel->persons() == 0) return Status::Ok();
    session_gap_us = FunnelPathSessionGapUs(query.funnel_paths->funnel, context.clock.zone);
  }
  if (items->empty()) items->resize(1);
  const size_t threads = PathsInParallel(query, context) ? items->size() : 1;
  struct Share {
    std::vector<SessionPath> paths;
    std::unique_ptr<PathScan> scan;
  };
  std::vector<Share> shares(threads);
  QueryActors actors;
  std::vector<ActorPass*> passes;
  for (size_t t = 0; t < threads; ++t) {
    Share& share = shares[t];
    auto run_person = [&, t, &share = share](uint32_t number,
                                             const std::vector<PathEvent>& events) -> Status {
      share.paths.clear();
      SessionPathsOf(query, events, &share.paths, session_gap_us);
      const Uuid person =
          with_persons && !share.paths.empty() ? share.scan->PersonOf(number) : Uuid();
      for (const SessionPath& path : share.paths) visit(t, person, path);
      return Status::Ok();
    };
    share.scan = std::make_unique<PathScan>(query, range, context, funnel ? &*funnel : nullptr,
                                            &actors, &(*items)[t], run_person);
    passes.push_back(share.scan.get());
  }
  HOGLET_ASSIGN_OR_RETURN(
      store::ScanSnapshot snapshot,
      source.Snapshot(team_id, shares.front().scan->from_us(), shares.front().scan->to_us()));
  return RunActorPasses(snapshot, EventsIn<KeptEvent>(context.actor_pass_bytes), "paths query",
                        context.budget, passes);
}

// PostHog's validate_results: the edges whose source is a "1_" node or reachable from one.
std::vector<PathEdge> Reachable(std::vector<PathEdge> edges) {
  std::unordered_map<std::string, std::vector<const std::string*>> next;
  std::vector<const std::string*> stack;
  for (const PathEdge& edge : edges) {
    next[edge.source].push_back(&edge.target);
    if (edge.source.starts_with("1_")) stack.push_back(&edge.source);
  }
  std::unordered_set<std::string> seen;
  while (!stack.empty()) {
    const std::string* node = stack.back();
    stack.pop_back();
    if (!seen.insert(*node).second) continue;
    auto found = next.find(*node);
    if (found == next.end()) continue;
    for (const std::string* target : found->second) {
      if (!seen.contains(*target)) stack.push_back(target);
    }
  }
  std::vector<PathEdge> out;
  for (PathEdge& edge : edges) {
    if (seen.contains(edge.source)) out.push_back(std::move(edge));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<PathEdge>> RunPaths(const PathsQuery& query, const DateRange& range,
                                         const TrendsContext& context,
                                         const store::ScanSource& source, int64_t team_id) {
  struct Weight {
    int64_t count = 0;
    int64_t total_us = 0;
  };
  // An edge from the item at step `index` to the next step's, the items' texts in `items`.
  struct EdgeKey {
    size_t index = 0;
    std::string_view source;
    std::string_view target;
    bool operator==(const EdgeKey&) const = default;
  };
  struct EdgeHash {
    size_t operator()(const EdgeKey& key) const {
      const std::hash<std::string_view> hash;
      return (hash(key.source) * 31 + hash(key.target)) * 31 + key.index;
    }
  };
  using Weights = std::unordered_map<EdgeKey, Weight, EdgeHash>;
  const size_t threads = std::max<size_t>(context.scan_threads, 1);
  std::vector<std::deque<std::string>> items(threads);
  std::vector<Weights> by_thread(threads);
  HOGLET_RETURN_IF_ERROR(
      ForEachSessionPath(query, range, context, source, team_id, &items, false,
                         [&](size_t thread, const Uuid&, const SessionPath& path) {
                           Weights& weights = by_thread[thread];
                           for (size_t i = 1; i < path.items.size(); ++i) {
                             Weight& weight = weights[{i - 1, path.items[i - 1], path.items[i]}];
                             ++weight.count;
                             weight.total_us += path.times_us[i] - path.times_us[i - 1];
                           }
                         }));
  // The threads' edges together (their keys view each thread's items, all still kept).
  Weights& weights = by_thread.front();
  for (size_t t = 1; t < threads; ++t) {
    for (const auto& [key, theirs] : by_thread[t]) {
      Weight& weight = weights[key];
      weight.count += theirs.count;
      weight.total_us += theirs.total_us;
    }
  }

  std::vector<PathEdge> edges;
  for (const auto& [key, weight] : weights) {
    if (query.min_edge_weight && weight.count < *query.min_edge_weight) continue;
    if (query.max_edge_weight && weight.count > *query.max_edge_weight) continue;
    edges.push_back(
        {PathNode(key.index, key.source), PathNode(key.index + 1, key.target), weight.count,
         static_cast<double>(weight.total_us) / static_cast<double>(weight.count) / 1000.0});
  }
  std::sort(edges.begin(), edges.end(), [](const PathEdge& a, const PathEdge& b) {
    if (a.value != b.value) return a.value > b.value;
    return std::tie(a.source, a.target) < std::tie(b.source, b.target);
  });
  if (edges.size() > static_cast<size_t>(query.edge_limit)) {
    edges.resize(static_cast<size_t>(query.edge_limit));
  }
  return Reachable(std::move(edges));
}

StatusOr<std::vector<PathActor>> RunPathsActors(const PathsQuery& query, const DateRange& range,
                                                const TrendsContext& context,
                                                const store::ScanSource& source, int64_t team_id) {
  const PathActorKeys& keys = query.actor_keys;
  std::map<Uuid, int64_t> counts;
  std::vector<std::deque<std::string>> items(1);  // one thread: the counts are shared
  HOGLET_RETURN_IF_ERROR(ForEachSessionPath(
      query, range, context, source, team_id, &items, true,
      [&](size_t, const Uuid& person, const SessionPath& path) {
        int64_t matched = 0;
        if (keys.dropoff) {
          const size_t last = path.items.size() - 1;
          matched = PathNode(last, path.items[last]) == *keys.dropoff ? 1 : 0;
        } else {
          for (size_t i = 0; i < path.items.size(); ++i) {
            if (keys.start && (i == 0 || PathNode(i - 1, path.items[i - 1]) != *keys.start)) {
              continue;
            }
            if (keys.end && PathNode(i, path.items[i]) != *keys.end) continue;
            ++matched;
          }
        }
        if (matched > 0) counts[person] += matched;
      }));
  std::vector<PathActor> actors;
  for (const auto& [person, count] : counts) actors.push_back({person, count});
  std::stable_sort(actors.begin(), actors.end(), [](const PathActor& a, const PathActor& b) {
    return a.event_count > b.event_count;
  });
  return actors;
}

}  // namespace hoglet::query
