#include "flags/flag_snapshot.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_set>
#include <utility>

namespace hoglet::flags {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

bool IsDigits(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Calls fn on every property filter of the flag's conditions, super conditions and holdouts.
template <typename Flag, typename Fn>
void ForEachConditionFilter(Flag& flag, Fn&& fn) {
  for (auto* conditions :
       {&flag.filters.groups, &flag.filters.super_groups, &flag.filters.holdout_groups}) {
    for (auto& condition : *conditions) {
      for (auto& filter : condition.properties) fn(filter);
    }
  }
}

// Whether the flag's own conditions read what only the person store has: person, group or
// cohort filters, early access, or continuity overrides. Active or not: an inactive flag can
// still be evaluated as a dependency.
bool ReadsStoredStateItself(const FeatureFlag& flag) {
  if (flag.ensure_experience_continuity || flag.filters.feature_enrollment) return true;
  bool reads = false;
  ForEachConditionFilter(flag, [&](const filters::PropertyFilter& filter) {
    reads = reads || filter.type == filters::FilterType::kPerson ||
            filter.type == filters::FilterType::kGroup ||
            filter.type == filters::FilterType::kCohort;
  });
  return reads;
}

int64_t CohortIdOf(const filters::PropertyFilter& filter) {
  return static_cast<int64_t>(filter.value.number);
}

// The dependency graph between flags (by position in the key-sorted list of live flags).
struct Graph {
  std::vector<std::vector<size_t>> deps;  // direct dependencies, deduplicated, in order seen
  std::vector<bool> missing;              // a direct dependency is missing or deleted

  void Add(size_t from, size_t to) {
    if (std::find(deps[from].begin(), deps[from].end(), to) == deps[from].end()) {
      deps[from].push_back(to);
    }
  }
};

// Marks every flag that is on a cycle, reaches one, or reaches a missing dependency.
class BrokenFinder {
 public:
  explicit BrokenFinder(const Graph& graph)
      : graph_(graph), state_(graph.deps.size(), kUnvisited), broken_(graph.deps.size()) {}

  std::vector<bool> Run() && {
    for (size_t i = 0; i < graph_.deps.size(); ++i) Visit(i);
    return std::move(broken_);
  }

 private:
  enum State { kUnvisited, kVisiting, kDone };

  void Visit(size_t node) {
    if (state_[node] != kUnvisited) return;
    state_[node] = kVisiting;
    bool broken = graph_.missing[node];
    for (size_t dep : graph_.deps[node]) {
      if (state_[dep] == kVisiting) {
        broken = true;  // a cycle: every flag on it is still being visited and inherits this
        continue;
      }
      Visit(dep);
      broken = broken || broken_[dep];
    }
    broken_[node] = broken;
    state_[node] = kDone;
  }

  const Graph& graph_;
  std::vector<State> state_;
  std::vector<bool> broken_;
};

// Every flag `node` depends on, transitively, dependencies first. The graph below a flag that
// is not broken is acyclic.
void PostOrder(const Graph& graph, size_t node, std::vector<bool>* seen, std::vector<size_t>* out) {
  for (size_t dep : graph.deps[node]) {
    if ((*seen)[dep]) continue;
    (*seen)[dep] = true;
    PostOrder(graph, dep, seen, out);
    out->push_back(dep);
  }
}

}  // namespace

std::shared_ptr<const FlagSnapshot> FlagSnapshot::Build(int64_t team_id,
                                                        std::vector<FeatureFlag> flags,
                                                        std::vector<Cohort> cohorts,
                                                        std::vector<GroupTypeMapping> group_types) {
  std::shared_ptr<FlagSnapshot> snapshot(new FlagSnapshot());
  snapshot->team_id_ = team_id;

  // Flag ids, deleted ones included, so that a dependency on a deleted flag reads as missing.
  std::unordered_map<int64_t, std::pair<std::string, bool>> flags_by_id;
  for (const FeatureFlag& flag : flags) flags_by_id[flag.id] = {flag.key, flag.deleted};

  std::vector<FeatureFlag> live;
  for (FeatureFlag& flag : flags) {
    if (!flag.deleted) live.push_back(std::move(flag));
  }
  std::sort(live.begin(), live.end(), [](const FeatureFlag& a, const FeatureFlag& b) {
    return a.key != b.key ? a.key < b.key : a.id < b.id;
  });
  std::unordered_map<std::string_view, size_t> live_by_key;
  for (size_t i = 0; i < live.size(); ++i) live_by_key.emplace(live[i].key, i);

  std::erase_if(cohorts, [](const Cohort& cohort) { return cohort.deleted; });
  std::sort(cohorts.begin(), cohorts.end(),
            [](const Cohort& a, const Cohort& b) { return a.id < b.id; });
  std::unordered_map<int64_t, size_t> cohort_by_id;
  for (size_t i = 0; i < cohorts.size(); ++i) cohort_by_id.emplace(cohorts[i].id, i);

  // Resolves a flag filter's key (a flag id or key) in place; the live flag's position or kNone.
  auto resolve = [&](std::string* key) -> size_t {
    if (IsDigits(*key)) {
      auto by_id = flags_by_id.find(std::stoll(*key));
      if (by_id != flags_by_id.end()) {
        if (by_id->second.second) return kNone;  // deleted
        *key = by_id->second.first;
      }
    }
    auto it = live_by_key.find(*key);
    return it == live_by_key.end() ? kNone : it->second;
  };

  // Cohorts: flag leaves resolved, and what each cohort refers to directly.
  std::vector<std::vector<size_t>> cohort_flag_deps(cohorts.size());
  std::vector<bool> cohort_missing_flag(cohorts.size());
  std::vector<std::vector<size_t>> cohort_refs(cohorts.size());  // nested cohorts
  for (size_t c = 0; c < cohorts.size(); ++c) {
    filters::ForEachFilter(cohorts[c].root, [&](filters::PropertyFilter& filter) {
      if (filter.type == filters::FilterType::kFlag) {
        size_t position = resolve(&filter.key);
        if (position == kNone) {
          cohort_missing_flag[c] = true;
        } else {
          cohort_flag_deps[c].push_back(position);
        }
      } else if (filter.type == filters::FilterType::kCohort) {
        auto it = cohort_by_id.find(CohortIdOf(filter));
        if (it != cohort_by_id.end()) cohort_refs[c].push_back(it->second);
      }
    });
  }

  Graph graph;
  graph.deps.resize(live.size());
  graph.missing.resize(live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    std::vector<size_t> pending_cohorts;
    ForEachConditionFilter(live[i], [&](filters::PropertyFilter& filter) {
      if (filter.type == filters::FilterType::kFlag) {
        size_t position = resolve(&filter.key);
        if (position == kNone) {
          graph.missing[i] = true;
        } else {
          graph.Add(i, position);
        }
      } else if (filter.type == filters::FilterType::kCohort) {
        auto it = cohort_by_id.find(CohortIdOf(filter));
        if (it != cohort_by_id.end()) pending_cohorts.push_back(it->second);
      }
    });
    // Flags used inside the cohorts this flag uses, through nested cohorts too.
    std::vector<bool> seen(cohorts.size());
    while (!pending_cohorts.empty()) {
      size_t c = pending_cohorts.back();
      pending_cohorts.pop_back();
      if (seen[c]) continue;
      seen[c] = true;
      if (cohort_missing_flag[c]) graph.missing[i] = true;
      for (size_t position : cohort_flag_deps[c]) graph.Add(i, position);
      for (size_t nested : cohort_refs[c]) pending_cohorts.push_back(nested);
    }
  }

  std::vector<bool> broken = BrokenFinder(graph).Run();
  std::vector<std::vector<size_t>> closure(live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    if (broken[i]) continue;
    std::vector<bool> seen(live.size());
    PostOrder(graph, i, &seen, &closure[i]);
  }
  auto chain_of = [&](size_t position) {
    std::vector<std::string> chain;
    if (position == kNone || broken[position]) return chain;
    for (size_t dep : closure[position]) chain.push_back(live[dep].key);
    chain.push_back(live[position].key);
    return chain;
  };
  for (FeatureFlag& flag : live) {
    ForEachConditionFilter(flag, [&](filters::PropertyFilter& filter) {
      if (filter.type != filters::FilterType::kFlag) return;
      auto it = live_by_key.find(filter.key);
      filter.dependency_chain = chain_of(it == live_by_key.end() ? kNone : it->second);
    });
  }
  for (Cohort& cohort : cohorts) {
    filters::ForEachFilter(cohort.root, [&](filters::PropertyFilter& filter) {
      if (filter.type != filters::FilterType::kFlag) return;
      auto it = live_by_key.find(filter.key);
      filter.dependency_chain = chain_of(it == live_by_key.end() ? kNone : it->second);
    });
  }

  // Dependencies first, ties in key order (Kahn's algorithm, smallest position first). Flags on
  // a cycle never become ready; they go last, in key order.
  std::vector<size_t> waiting_on(live.size());
  std::vector<std::vector<size_t>> dependents(live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    waiting_on[i] = graph.deps[i].size();
    for (size_t dep : graph.deps[i]) dependents[dep].push_back(i);
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < live.size(); ++i) {
    if (waiting_on[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  std::vector<bool> placed(live.size());
  while (!ready.empty()) {
    size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    placed[next] = true;
    for (size_t dependent : dependents[next]) {
      if (--waiting_on[dependent] == 0) ready.push(dependent);
    }
  }
  for (size_t i = 0; i < live.size(); ++i) {
    if (!placed[i]) order.push_back(i);
  }

  std::vector<uint32_t> new_position(live.size());
  for (size_t i = 0; i < order.size(); ++i) new_position[order[i]] = static_cast<uint32_t>(i);
  snapshot->flags_.reserve(live.size());
  snapshot->broken_dependencies_.resize(live.size());
  snapshot->dependencies_.resize(live.size());
  for (size_t i = 0; i < order.size(); ++i) {
    size_t old = order[i];
    snapshot->broken_dependencies_[i] = broken[old];
    std::vector<uint32_t>& deps = snapshot->dependencies_[i];
    for (size_t dep : closure[old]) deps.push_back(new_position[dep]);
    std::sort(deps.begin(), deps.end());
    if (!graph.deps[old].empty() || graph.missing[old]) snapshot->has_dependencies_ = true;
    snapshot->flags_.push_back(std::move(live[old]));
  }
  for (size_t i = 0; i < snapshot->flags_.size(); ++i) {
    snapshot->flag_index_.emplace(snapshot->flags_[i].key, i);
  }

  snapshot->cohorts_ = std::move(cohorts);
  for (size_t i = 0; i < snapshot->cohorts_.size(); ++i) {
    snapshot->cohort_index_.emplace(snapshot->cohorts_[i].id, i);
  }
  std::sort(group_types.begin(), group_types.end(),
            [](const GroupTypeMapping& a, const GroupTypeMapping& b) { return a.index < b.index; });
  snapshot->group_types_ = std::move(group_types);

  snapshot->CollectStoredReads();
  snapshot->CollectPerFlagReads();
  return snapshot;
}

void FlagSnapshot::CollectPerFlagReads() {
  has_static_cohorts_ = std::any_of(cohorts_.begin(), cohorts_.end(),
                                    [](const Cohort& cohort) { return cohort.is_static; });
  std::vector<bool> reads_itself(flags_.size());
  for (size_t i = 0; i < flags_.size(); ++i) reads_itself[i] = ReadsStoredStateItself(flags_[i]);
  reads_stored_state_.resize(flags_.size());
  continuity_flags_.resize(flags_.size());
  for (size_t i = 0; i < flags_.size(); ++i) {
    const std::vector<uint32_t>& deps = dependencies_[i];
    reads_stored_state_[i] =
        reads_itself[i] ||
        std::any_of(deps.begin(), deps.end(), [&](uint32_t d) { return reads_itself[d]; });
    const FeatureFlag& flag = flags_[i];
    continuity_flags_[i] = flag.active && flag.ensure_experience_continuity &&
                           !flag.bucket_by_device_id &&
                           !flag.filters.aggregation_group_type_index.has_value();
    if (continuity_flags_[i]) continuity_flag_keys_.push_back(flag.key);
  }
}

void FlagSnapshot::CollectStoredReads() {
  // A group type the project does not have has no stored properties to read.
  auto add_group_key = [&](int index, const std::string& key) {
    if (std::optional<std::string_view> type = GroupTypeName(index)) {
      group_keys_read_.emplace_back(std::string(*type), key);
    }
  };
  // The properties a filter reads, as the evaluator resolves them: a group filter reads its own
  // group type, else the condition's aggregation; an unknown filter type reads the aggregation's
  // group or the person.
  auto add = [&](const filters::PropertyFilter& filter, std::optional<int> aggregation) {
    switch (filter.type) {
      case filters::FilterType::kFlag:
        break;
      case filters::FilterType::kCohort:
        reads_store_only_state_ = true;
        break;
      case filters::FilterType::kPerson:
        person_keys_read_.push_back(filter.key);
        break;
      case filters::FilterType::kGroup:
        if (filter.group_type_index) aggregation = filter.group_type_index;
        if (aggregation) add_group_key(*aggregation, filter.key);
        break;
      case filters::FilterType::kEvent:
      case filters::FilterType::kElement:  // as any other type: flags do not read elements
      case filters::FilterType::kHogQL:    // nor HogQL
      case filters::FilterType::kOther:
        if (aggregation) {
          add_group_key(*aggregation, filter.key);
        } else {
          person_keys_read_.push_back(filter.key);
        }
        break;
    }
  };
  for (const FeatureFlag& flag : flags_) {
    if (!flag.active) continue;
    const FlagFilters& filters = flag.filters;
    if (flag.ensure_experience_continuity) has_continuity_flags_ = true;
    if (flag.ensure_experience_continuity || filters.feature_enrollment) {
      reads_store_only_state_ = true;
    }
    for (const Condition& condition : filters.groups) {
      std::optional<int> aggregation = condition.aggregation_group_type_index
                                           ? condition.aggregation_group_type_index
                                           : filters.aggregation_group_type_index;
      for (const filters::PropertyFilter& filter : condition.properties) add(filter, aggregation);
    }
    // Early-access and holdout conditions are matched against the person.
    for (const auto* conditions : {&filters.super_groups, &filters.holdout_groups}) {
      for (const Condition& condition : *conditions) {
        for (const filters::PropertyFilter& filter : condition.properties)
          add(filter, std::nullopt);
      }
    }
  }
  std::sort(person_keys_read_.begin(), person_keys_read_.end());
  person_keys_read_.erase(std::unique(person_keys_read_.begin(), person_keys_read_.end()),
                          person_keys_read_.end());
  std::sort(group_keys_read_.begin(), group_keys_read_.end());
  group_keys_read_.erase(std::unique(group_keys_read_.begin(), group_keys_read_.end()),
                         group_keys_read_.end());
}

bool FlagSnapshot::CoveredByRequest(
    const filters::Properties& person_properties,
    const std::unordered_map<std::string, filters::Properties>& group_properties,
    const std::unordered_map<std::string, std::string>& groups) const {
  if (reads_store_only_state_) return false;
  for (const std::string& key : person_keys_read_) {
    if (!person_properties.contains(key)) return false;
  }
  for (const auto& [type, key] : group_keys_read_) {
    // The store is read only for the groups the request names.
    if (!groups.contains(type)) continue;
    auto sent = group_properties.find(type);
    if (sent == group_properties.end() || !sent->second.contains(key)) return false;
  }
  return true;
}

const FeatureFlag* FlagSnapshot::FlagByKey(std::string_view key) const {
  auto it = flag_index_.find(key);
  return it == flag_index_.end() ? nullptr : &flags_[it->second];
}

std::optional<size_t> FlagSnapshot::PositionOf(std::string_view key) const {
  auto it = flag_index_.find(key);
  if (it == flag_index_.end()) return std::nullopt;
  return it->second;
}

std::span<const uint32_t> FlagSnapshot::DependenciesOf(size_t position) const {
  if (position >= dependencies_.size()) return {};
  return dependencies_[position];
}

const Cohort* FlagSnapshot::CohortById(int64_t id) const {
  auto it = cohort_index_.find(id);
  return it == cohort_index_.end() ? nullptr : &cohorts_[it->second];
}

std::optional<std::string_view> FlagSnapshot::GroupTypeName(int index) const {
  for (const GroupTypeMapping& mapping : group_types_) {
    if (mapping.index == index) return std::string_view(mapping.name);
  }
  return std::nullopt;
}

std::optional<int> FlagSnapshot::GroupTypeIndex(std::string_view name) const {
  for (const GroupTypeMapping& mapping : group_types_) {
    if (mapping.name == name) return mapping.index;
  }
  return std::nullopt;
}

std::optional<size_t> FlagSnapshot::PositionOfFlag(const FeatureFlag& flag) const {
  if (flags_.empty() || &flag < flags_.data() || &flag >= flags_.data() + flags_.size()) {
    return PositionOf(flag.key);
  }
  return static_cast<size_t>(&flag - flags_.data());
}

bool FlagSnapshot::HasBrokenDependencies(const FeatureFlag& flag) const {
  std::optional<size_t> position = PositionOfFlag(flag);
  return position && broken_dependencies_[*position];
}

bool FlagSnapshot::IsContinuityFlag(const FeatureFlag& flag) const {
  std::optional<size_t> position = PositionOfFlag(flag);
  return position && continuity_flags_[*position];
}

bool FlagSnapshot::ReadsStoredState(const FeatureFlag& flag) const {
  std::optional<size_t> position = PositionOfFlag(flag);
  return position && reads_stored_state_[*position];
}

}  // namespace hoglet::flags
