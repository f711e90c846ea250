// One project's flag set compiled for evaluation: flags in dependency order, cohorts by id, and
// the group type mapping. Immutable once built; shared as `std::shared_ptr<const FlagSnapshot>`
// and replaced as a whole when a flag, a cohort or the group types change, so evaluation takes no
// lock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status.h"
#include "filters/property_value.h"
#include "flags/cohort.h"
#include "flags/feature_flag.h"

namespace hoglet::flags {

struct GroupTypeMapping {
  std::string name;  // e.g. "company"
  int index = 0;     // 0..4
};

class FlagSnapshot {
 public:
  // Compiles a project's flags (deleted ones are dropped; inactive ones kept), its cohorts
  // (deleted ones dropped) and its group types. Flag dependencies (filters of type "flag", whose
  // key may be a flag id or key; in flag conditions and in the cohorts those conditions use) are
  // resolved to keys, each gets its `dependency_chain` (the flags to evaluate first, in order,
  // ending with the dependency itself; empty when it cannot be resolved), and a flag whose
  // dependencies are missing, deleted or cyclic is marked so that it evaluates as
  // failed-dependency. Never fails on a bad flag: a flag is self-contained.
  static std::shared_ptr<const FlagSnapshot> Build(int64_t team_id, std::vector<FeatureFlag> flags,
                                                   std::vector<Cohort> cohorts,
                                                   std::vector<GroupTypeMapping> group_types);

  int64_t team_id() const { return team_id_; }
  // Every non-deleted flag, each after the flags it depends on; ties in key order (flags on a
  // dependency cycle, which cannot be ordered, come last in key order).
  const std::vector<FeatureFlag>& flags() const { return flags_; }
  const FeatureFlag* FlagByKey(std::string_view key) const;
  // Position in flags() of the flag with this key; nullopt when there is none.
  std::optional<size_t> PositionOf(std::string_view key) const;
  // Positions of every flag the flag at `position` depends on, directly or through other flags
  // and cohorts, in evaluation order (each before `position`). Empty for a broken chain.
  std::span<const uint32_t> DependenciesOf(size_t position) const;
  // Whether any flag depends on another (evaluation then keeps every result for lookups).
  bool HasDependencies() const { return has_dependencies_; }
  const Cohort* CohortById(int64_t id) const;
  const std::vector<Cohort>& cohorts() const { return cohorts_; }
  const std::vector<GroupTypeMapping>& group_types() const { return group_types_; }
  std::optional<std::string_view> GroupTypeName(int index) const;
  // The index of the project's group type with this name; nullopt when the project has none.
  std::optional<int> GroupTypeIndex(std::string_view name) const;
  // Whether a cohort of the snapshot is static (its members are kept by the person store).
  bool HasStaticCohorts() const { return has_static_cohorts_; }

  // True when the flag's dependency chain could not be resolved (missing, deleted or cyclic).
  bool HasBrokenDependencies(const FeatureFlag& flag) const;
  // Whether an active flag ensures experience continuity (reads hash-key overrides).
  bool HasContinuityFlags() const { return has_continuity_flags_; }
  // Whether the flag buckets by an experience-continuity override: active, ensuring continuity,
  // aggregated by person and not bucketed by device id.
  bool IsContinuityFlag(const FeatureFlag& flag) const;
  // The keys of those flags, in the order of flags(): the overrides a request reads and writes.
  const std::vector<std::string>& ContinuityFlagKeys() const { return continuity_flag_keys_; }
  // Whether the flag's answer can depend on what only the person store has (person, group or
  // cohort filters, early access, continuity overrides), through its own conditions or those of
  // a flag it depends on: the flags a failed store read fails.
  bool ReadsStoredState(const FeatureFlag& flag) const;
  // Whether a request that sends these properties already carries everything the active flags
  // read, so stored state cannot change the answer: every person property key and every group
  // property key (of the group types the request names in `groups`) that a filter reads is in
  // the request, and no active flag reads cohorts, feature enrollment or continuity overrides.
  // The stored person and groups would only be overlaid by the request's values, as PostHog's
  // service reasons when it skips its database. Pass the request's own properties, before any
  // `$initial_*` filling. Always true when no active flag reads stored state at all.
  bool CoveredByRequest(
      const filters::Properties& person_properties,
      const std::unordered_map<std::string, filters::Properties>& group_properties,
      const std::unordered_map<std::string, std::string>& groups) const;

 private:
  FlagSnapshot() = default;

  // Fills the stored-read fields below from the active flags (the end of Build).
  void CollectStoredReads();
  // Fills the per-flag stored-state fields below (the end of Build).
  void CollectPerFlagReads();
  // Position in flags_ of a flag of this snapshot (by address, else by key).
  std::optional<size_t> PositionOfFlag(const FeatureFlag& flag) const;

  // Lets FlagByKey look a string_view up without building a std::string.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };

  int64_t team_id_ = 0;
  std::vector<FeatureFlag> flags_;
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> flag_index_;
  std::vector<std::vector<uint32_t>> dependencies_;  // by position in flags_
  bool has_dependencies_ = false;
  std::vector<Cohort> cohorts_;
  std::unordered_map<int64_t, size_t> cohort_index_;
  std::vector<GroupTypeMapping> group_types_;
  std::vector<bool> broken_dependencies_;  // by position in flags_
  bool has_continuity_flags_ = false;
  bool has_static_cohorts_ = false;
  std::vector<bool> continuity_flags_;  // by position in flags_: IsContinuityFlag
  std::vector<std::string> continuity_flag_keys_;
  std::vector<bool> reads_stored_state_;  // by position in flags_: ReadsStoredState
  // What active flags read beyond the request: cohorts or continuity overrides (only the store
  // has them), else these person property keys and (group type name, key) pairs of the
  // project's group types.
  bool reads_store_only_state_ = false;
  std::vector<std::string> person_keys_read_;                         // sorted, unique
  std::vector<std::pair<std::string, std::string>> group_keys_read_;  // sorted, unique
};

}  // namespace hoglet::flags
