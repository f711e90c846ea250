#include "flags/flag_snapshots.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/logging.h"
#include "base/sha256.h"
#include "flags/cohort.h"
#include "flags/feature_flag.h"
#include "flags/flag_definitions_json.h"

namespace hoglet::flags {
namespace {

std::optional<EvaluationRuntime> RuntimeFromName(const std::optional<std::string>& name) {
  if (!name) return std::nullopt;
  if (*name == "client") return EvaluationRuntime::kClient;
  if (*name == "server") return EvaluationRuntime::kServer;
  if (*name == "all") return EvaluationRuntime::kAll;
  return std::nullopt;  // unknown: treated as "all", as a flag without a runtime
}

// Logs why a stored definition is left out: `subject` names it ("cohort 7"), `consequence` says
// what follows for the user.
void WarnInvalidFilters(const std::string& subject, int64_t team_id, const Status& status,
                        std::string_view consequence) {
  LogWarning(subject + " of project " + std::to_string(team_id) + " " + std::string(consequence) +
             ": its filters are invalid (" + status.message() + ")");
}

std::optional<FeatureFlag> ToFeatureFlag(meta::FeatureFlagRecord record) {
  auto filters = ParseFlagFilters(record.filters_json);
  if (!filters.ok()) {
    WarnInvalidFilters("feature flag " + std::to_string(record.id) + " ('" + record.key + "')",
                       record.team_id, filters.status(),
                       "is not served until they are fixed through the feature flags API");
    return std::nullopt;
  }
  FeatureFlag flag;
  flag.id = record.id;
  flag.team_id = record.team_id;
  flag.key = std::move(record.key);
  flag.name = std::move(record.name);
  flag.active = record.active;
  flag.deleted = record.deleted;
  flag.version = record.version;
  flag.ensure_experience_continuity = record.ensure_experience_continuity;
  flag.evaluation_runtime = RuntimeFromName(record.evaluation_runtime);
  flag.evaluation_contexts = std::move(record.evaluation_contexts);
  flag.bucket_by_device_id = record.bucketing_identifier == "device_id";
  flag.filters_json = std::move(record.filters_json);
  flag.filters = std::move(filters).value();
  return flag;
}

std::optional<Cohort> ToCohort(meta::CohortRecord record) {
  auto root = ParseCohortFilters(record.filters_json);
  if (!root.ok()) {
    WarnInvalidFilters("cohort " + std::to_string(record.id), record.team_id, root.status(),
                       "is not used by flags (flags targeting it fail to evaluate)");
    return std::nullopt;
  }
  Cohort cohort;
  cohort.id = record.id;
  cohort.team_id = record.team_id;
  cohort.name = std::move(record.name);
  cohort.is_static = record.is_static;
  cohort.deleted = record.deleted;
  cohort.filters_json = std::move(record.filters_json);
  cohort.root = std::move(root).value();
  return cohort;
}

}  // namespace

FlagSnapshots::FlagSnapshots(meta::MetaStore& meta, persons::PersonStore& persons,
                             const Clock& clock)
    : meta_(meta), persons_(persons), clock_(clock) {}

bool FlagSnapshots::IsCurrent(const Entry& entry, int64_t team_id,
                              std::span<const std::string> group_types) const {
  if (entry.generation != meta_.FlagsGeneration(team_id)) return false;
  if (group_types.empty()) return true;
  if (clock_.NowMicros() - entry.group_types_read_us < kGroupTypesRefreshUs) return true;
  const auto& known = entry.snapshot->group_types();
  for (const std::string& name : group_types) {
    bool found = std::any_of(known.begin(), known.end(),
                             [&](const GroupTypeMapping& m) { return m.name == name; });
    if (!found) return false;
  }
  return true;
}

std::shared_ptr<FlagSnapshots::Entry> FlagSnapshots::Find(int64_t team_id) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(team_id);
  return it == entries_.end() ? nullptr : it->second;
}

std::shared_ptr<const FlagSnapshot> FlagSnapshots::Current(
    int64_t team_id, std::span<const std::string> group_types) const {
  std::shared_ptr<Entry> entry = Find(team_id);
  if (entry == nullptr || !IsCurrent(*entry, team_id, group_types)) return nullptr;
  return entry->snapshot;
}

StatusOr<std::shared_ptr<FlagSnapshots::Entry>> FlagSnapshots::Build(int64_t team_id) {
  // Read the generation first: a change that lands while the records are read leaves the new
  // entry with an older generation, so the next request rebuilds again instead of keeping a
  // snapshot that misses the change.
  uint64_t generation = meta_.FlagsGeneration(team_id);
  int64_t read_at_us = clock_.NowMicros();
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::FeatureFlagRecord> flag_records,
                          meta_.ListFeatureFlags(team_id, /*include_deleted=*/false));
  HOGLET_ASSIGN_OR_RETURN(std::vector<meta::CohortRecord> cohort_records,
                          meta_.ListCohorts(team_id, /*include_deleted=*/false));
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::GroupType> group_type_rows,
                          persons_.GroupTypes(team_id));

  std::vector<FeatureFlag> flag_list;
  flag_list.reserve(flag_records.size());
  for (meta::FeatureFlagRecord& record : flag_records) {
    if (auto flag = ToFeatureFlag(std::move(record))) flag_list.push_back(std::move(*flag));
  }
  std::vector<Cohort> cohorts;
  cohorts.reserve(cohort_records.size());
  for (meta::CohortRecord& record : cohort_records) {
    if (auto cohort = ToCohort(std::move(record))) cohorts.push_back(std::move(*cohort));
  }
  std::vector<GroupTypeMapping> group_types;
  group_types.reserve(group_type_rows.size());
  for (persons::GroupType& row : group_type_rows) {
    group_types.push_back({std::move(row.group_type), row.group_type_index});
  }

  auto entry = std::make_shared<Entry>();
  entry->snapshot = FlagSnapshot::Build(team_id, std::move(flag_list), std::move(cohorts),
                                        std::move(group_types));
  entry->generation = generation;
  entry->group_types_read_us = read_at_us;
  return entry;
}

StatusOr<std::shared_ptr<const FlagSnapshot>> FlagSnapshots::Get(
    int64_t team_id, std::span<const std::string> group_types) {
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<Entry> entry, GetEntry(team_id, group_types));
  return entry->snapshot;
}

StatusOr<std::shared_ptr<FlagSnapshots::Entry>> FlagSnapshots::GetEntry(
    int64_t team_id, std::span<const std::string> group_types) {
  std::shared_ptr<Entry> entry = Find(team_id);
  if (entry != nullptr && IsCurrent(*entry, team_id, group_types)) return entry;

  std::lock_guard build_lock(build_mu_);
  // Another thread may have rebuilt while this one waited.
  entry = Find(team_id);
  if (entry != nullptr && IsCurrent(*entry, team_id, group_types)) return entry;
  HOGLET_ASSIGN_OR_RETURN(entry, Build(team_id));
  {
    std::lock_guard lock(mu_);
    entries_[team_id] = entry;
  }
  return entry;
}

StatusOr<std::shared_ptr<const FlagDefinitionsDocument>> FlagSnapshots::Definitions(
    int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<Entry> entry, GetEntry(team_id, {}));
  {
    std::lock_guard lock(mu_);
    if (entry->definitions != nullptr) return entry->definitions;
  }
  // Computed outside the lock; two threads racing on a fresh snapshot both compute it and the
  // first to publish wins (the documents are identical).
  auto document = std::make_shared<FlagDefinitionsDocument>();
  document->body = FlagDefinitionsJson(*entry->snapshot);
  document->etag = "\"" + Sha256Hex(document->body).substr(0, 32) + "\"";
  std::lock_guard lock(mu_);
  if (entry->definitions == nullptr) entry->definitions = std::move(document);
  return entry->definitions;
}

bool HasActiveFlags(const FlagSnapshot& snapshot) {
  const auto& all = snapshot.flags();
  return std::any_of(all.begin(), all.end(),
                     [](const FeatureFlag& flag) { return flag.active && !flag.deleted; });
}

}  // namespace hoglet::flags
