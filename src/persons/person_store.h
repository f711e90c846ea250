// Persons, distinct ids, groups, group types and ingestion warnings: the state person processing
// reads and writes (the role of Postgres's posthog_person* tables), and what the API reads.
//
// Writes happen only inside a `Transaction` (see PersonStore::Begin): person processing of one
// ingestion batch runs in one transaction, so a crash leaves either the state before the batch
// or after it, never half a merge.
//
// Thread safety: every method may be called from any thread. At most one transaction is open at
// a time; Begin() waits for the current one to finish.
//
// Freshness: the read side (PersonStore's own methods) sees only committed state. A commit (or
// a method that writes in its own transaction) is visible to the next call on any thread of this
// process once it has returned: a merge, a deletion, a new distinct id. The embedded store has
// one writing process per file (persons/sqlite_person_store.h); an adapter over a shared
// database makes a commit visible to every process by the same moment.
//
// Implementations: persons/sqlite_person_store.h (embedded); a Postgres adapter implements the
// same.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"
#include "persons/person.h"

namespace hoglet::persons {

// Reads and writes of one transaction. Reads see the transaction's own writes.
class Transaction {
 public:
  virtual ~Transaction() = default;

  // The person a distinct id maps to (distinct_ids not filled), if any.
  virtual StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                             std::string_view distinct_id) = 0;
  // Creates a person with the given distinct ids. kAlreadyExists if one is already mapped.
  virtual Status CreatePerson(const Person& person) = 0;
  // Replaces properties, is_identified, created_at and version of an existing person.
  // kNotFound when the team has no person with this uuid.
  virtual Status UpdatePerson(const Person& person) = 0;
  // Points `distinct_id` at `person_uuid` (creating or moving the mapping).
  virtual Status SetDistinctId(int64_t team_id, std::string_view distinct_id,
                               const Uuid& person_uuid) = 0;
  // Moves every distinct id of `from` to `to` and deletes `from`. kNotFound when the team has
  // no person `from`.
  virtual Status MergePersonInto(int64_t team_id, const Uuid& from, const Uuid& to) = 0;

  // Whether a distinct id was seen on a personless event ($process_person_profile: false).
  virtual StatusOr<bool> IsPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) = 0;
  virtual Status MarkPersonlessDistinctId(int64_t team_id, std::string_view distinct_id) = 0;

  // The index of a group type, assigning the first free one (0..4) on first sight; nullopt
  // when the team already has five other types.
  virtual StatusOr<std::optional<int>> GroupTypeIndex(int64_t team_id,
                                                      std::string_view group_type) = 0;
  virtual StatusOr<std::optional<Group>> GroupByKey(int64_t team_id, int group_type_index,
                                                    std::string_view group_key) = 0;
  virtual Status UpsertGroup(const Group& group) = 0;

  virtual Status AddWarning(const IngestionWarning& warning) = 0;

  // Makes every write durable. Without Commit, destruction rolls back.
  virtual Status Commit() = 0;
};

// One row of person_distinct_ids. `version` is 0 when the id was first assigned to the person it
// maps to and grows by one each time the mapping moves (a merge, or a personless id adopted by a
// person with another uuid): rows with version > 0 are PostHog's person_distinct_id_overrides.
struct DistinctIdMapping {
  std::string distinct_id;
  Uuid person_uuid;
  int64_t version = 0;
};

// PersonStore::ScanPersonProperties hands over at most this many persons at a time.
inline constexpr size_t kPersonScanChunk = 20'000;

// A person's properties as PersonStore::PersonPropertiesByUuid reads them.
struct PersonPropertiesRow {
  Uuid uuid;
  std::string properties;  // JSON object text
};

// When a person was created, as PersonStore::PersonCreatedAtByUuid reads it.
struct PersonCreatedRow {
  Uuid uuid;
  int64_t created_at_us = 0;
};

// Counters of an implementation's in-memory cache (all zero when it has none).
struct PersonStoreStats {
  size_t cache_entries = 0;  // distinct-id and person entries together
  size_t cache_bytes = 0;    // approximate heap held by the cache
  uint64_t cache_hits = 0;
  uint64_t cache_misses = 0;
};

struct PersonListQuery {
  int64_t team_id = 0;
  std::optional<std::string> distinct_id;  // exact
  std::optional<std::string> search;       // substring of a distinct id or of email/name props
  // Person-property filters (filters/filter_tree.h), matched with the filter model's semantics
  // (filters/property_match.h), as flags and cohorts match them; the default, an empty AND,
  // keeps everyone. `offset` and `limit` count the persons that match.
  filters::FilterNode properties;
  filters::MatchContext filter_context;  // "now" and the project's zone, for date filters
  // With property filters, at most this many persons matching the other parameters are examined
  // (newest first), which bounds the work of one page.
  size_t max_scanned = 100'000;
  size_t limit = 100;
  size_t offset = 0;
};

// Whether a person's properties (JSON object text; anything else reads as no properties)
// satisfy query.properties. For implementations of PersonStore::ListPersons.
bool MatchesPropertyFilters(const PersonListQuery& query, std::string_view properties_json);

class PersonStore {
 public:
  virtual ~PersonStore() = default;

  virtual StatusOr<std::unique_ptr<Transaction>> Begin() = 0;

  // Read side (the API). Persons come with their distinct ids.
  virtual StatusOr<std::optional<Person>> PersonByUuid(int64_t team_id, const Uuid& uuid) = 0;
  virtual StatusOr<std::optional<Person>> PersonByDistinctId(int64_t team_id,
                                                             std::string_view distinct_id) = 0;
  // The stored properties (JSON object text) of each of `uuids` the team has a person for, in
  // one read however many are asked (queries resolve the persons of a whole block of events
  // at once). Persons without a record are left out; duplicates in `uuids` are answered once.
  // No order is promised. Distinct ids are not read.
  virtual StatusOr<std::vector<PersonPropertiesRow>> PersonPropertiesByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) = 0;
  // Every person of the team with its stored properties, `visit` called with at most
  // kPersonScanChunk at a time, in storage order: a query that reads most of the team's persons
  // reads them this way, sequentially, rather than by uuid. Other reads may run between chunks.
  // Stops at `visit`'s first error.
  virtual Status ScanPersonProperties(
      int64_t team_id,
      const std::function<Status(const std::vector<PersonPropertiesRow>&)>& visit) = 0;
  // Every person of the team with its creation time, as ScanPersonProperties reads them.
  virtual Status ScanPersonCreatedAt(
      int64_t team_id,
      const std::function<Status(const std::vector<PersonCreatedRow>&)>& visit) = 0;
  // How many persons the team has.
  virtual StatusOr<size_t> PersonCount(int64_t team_id) = 0;
  // The creation time of each of `uuids` the team has a person for, read as
  // PersonPropertiesByUuid reads properties (lifecycle queries ask for every active person).
  virtual StatusOr<std::vector<PersonCreatedRow>> PersonCreatedAtByUuid(
      int64_t team_id, const std::vector<Uuid>& uuids) = 0;
  // Newest first (created_at, then uuid).
  virtual StatusOr<std::vector<Person>> ListPersons(const PersonListQuery& query) = 0;
  // Deletes the person and its distinct id mappings. kNotFound when absent.
  virtual Status DeletePerson(int64_t team_id, const Uuid& uuid) = 0;

  virtual StatusOr<std::vector<GroupType>> GroupTypes(int64_t team_id) = 0;
  // One group, if it exists.
  virtual StatusOr<std::optional<Group>> GroupByKey(int64_t team_id, int group_type_index,
                                                    std::string_view group_key) = 0;
  // Groups of one type, newest first, `offset`/`limit` paged.
  virtual StatusOr<std::vector<Group>> ListGroups(int64_t team_id, int group_type_index,
                                                  size_t limit, size_t offset) = 0;
  // Newest first: the most recently added first (whatever their timestamps).
  virtual StatusOr<std::vector<IngestionWarning>> ListWarnings(int64_t team_id, size_t limit) = 0;

  // Every distinct id mapped to the person, with its mapping version, ordered by distinct id.
  virtual StatusOr<std::vector<DistinctIdMapping>> DistinctIdMappings(int64_t team_id,
                                                                      const Uuid& person_uuid) = 0;

  // The team's distinct ids whose mapping moved since they were first assigned (version > 0,
  // PostHog's person_distinct_id_overrides), each with the person it maps to now: what queries
  // read to count an event for the person its distinct id belongs to today. Reflects every
  // committed transaction.
  virtual StatusOr<std::vector<DistinctIdMapping>> DistinctIdOverrides(int64_t team_id) = 0;

  // Feature flag state kept with persons (PostHog's posthog_featureflaghashkeyoverride and
  // posthog_cohortpeople). Both follow a person through merges (MergePersonInto moves them to
  // the surviving person, which keeps its own on conflict) and go when the person is deleted.
  //
  // Experience continuity: flag key → the id the person is bucketed by. Empty for a person
  // without overrides or an unknown person.
  virtual StatusOr<std::unordered_map<std::string, std::string>> HashKeyOverrides(
      int64_t team_id, const Uuid& person_uuid) = 0;
  // Stores `hash_key` for each of `flag_keys` the person has no override for yet (existing ones
  // are kept); nothing for an unknown person. Writes in its own transaction (it waits for an
  // open one to finish).
  virtual Status AddHashKeyOverrides(int64_t team_id, const Uuid& person_uuid,
                                     const std::vector<std::string>& flag_keys,
                                     std::string_view hash_key) = 0;
  // Ids of the static cohorts the person is in, ascending.
  virtual StatusOr<std::vector<int64_t>> StaticCohortsOf(int64_t team_id,
                                                         const Uuid& person_uuid) = 0;
  // Adds persons to a static cohort (already-present ones are skipped; unknown uuids are
  // skipped). Returns how many were added. Its own transaction.
  virtual StatusOr<size_t> AddPersonsToStaticCohort(int64_t team_id, int64_t cohort_id,
                                                    const std::vector<Uuid>& person_uuids) = 0;
  // How many persons a static cohort has.
  virtual StatusOr<size_t> StaticCohortSize(int64_t team_id, int64_t cohort_id) = 0;

  // A number that grows with every committed change to the team's persons, distinct ids,
  // groups or static cohorts (merges and deletions included), for keying cached query answers.
  // Starts again at 0 with the process. Thread-safe, never blocks on a transaction.
  virtual uint64_t DataVersion(int64_t team_id) const = 0;

  // A number that grows with every committed change to the team's distinct-id overrides
  // (DistinctIdOverrides: an id moved to another person, a merge, a deletion), and not with
  // other changes: what the overrides read for queries are kept by. Starts again at 0 with the
  // process. Thread-safe, never blocks on a transaction. By default DataVersion.
  virtual uint64_t OverridesVersion(int64_t team_id) const { return DataVersion(team_id); }

  // Cache counters, for metrics and benchmarks. Thread-safe, never blocks on a transaction.
  virtual PersonStoreStats Stats() const { return {}; }
};

}  // namespace hoglet::persons
