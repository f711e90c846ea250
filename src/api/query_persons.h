// The persons a query reads, from the person store: the distinct ids merged into other persons
// (PostHog's person_distinct_id_overrides) and persons' current properties, for every query kind
// that resolves persons at query time (query/event_persons.h).
//
// Not thread-safe: one StoredPersonProperties per query, used by the thread running it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api_context.h"
#include "api/kept_person_properties.h"
#include "api/overrides_cache.h"
#include "api/person_creation_cache.h"
#include "api/person_properties_cache.h"
#include "base/status.h"
#include "base/uuid_map.h"
#include "persons/person_store.h"
#include "query/event_persons.h"
#include "query/lifecycle_runner.h"

namespace hoglet::api {

// The project's current distinct-id overrides: from the context's cache when it has one, else read
// from the person store. Errors are the person store's.
StatusOr<SharedOverrides> LoadOverrides(const ApiContext& context, int64_t team_id);

// When a query stops looking persons up by uuid and reads all of the project's in storage order
// instead (PersonStore::ScanPersonProperties, ScanPersonCreatedAt), once: when the lookups so
// far would have paid for that read. A lookup costs about kLookupCostInScannedRows rows of the
// scan; the project's persons are counted once kCountAfterLookups were looked up.
class ReadAllRule {
 public:
  static constexpr size_t kLookupCostInScannedRows = 8;
  static constexpr size_t kCountAfterLookups = 4096;

  // Counts `lookups` more; true when the persons are to be read all at once now.
  StatusOr<bool> Count(persons::PersonStore& persons, int64_t team_id, size_t lookups);

 private:
  size_t looked_up_ = 0;
  std::optional<size_t> person_count_;  // the team's, once counted
};

// Persons' current properties from the person store, each person read and parsed once per
// query; Load reads a block's persons in one batch (PersonStore::PersonPropertiesByUuid). A
// query that keeps only some keys (KeepOnly) holds them in a KeptPersonProperties and reads
// every person of the team in storage order once ReadAllRule says so (without KeepOnly they
// might not all fit); with a PersonPropertiesCache, that read is kept for the next queries of
// the same keys, and a query finding one reads nothing from the store. A person whose stored
// properties are not a JSON object has none.
class StoredPersonProperties final : public query::PersonProperties {
 public:
  // `cache` may be null (nothing kept between queries).
  StoredPersonProperties(persons::PersonStore& persons, int64_t team_id,
                         PersonPropertiesCache* cache = nullptr)
      : persons_(persons), team_id_(team_id), cache_(cache) {}

  // Keeps only these keys of each person's properties (query/person_keys_read.h: the query
  // reads no other), before the first read.
  void KeepOnly(std::vector<std::string> keys);

  StatusOr<const filters::Properties*> Of(const Uuid& person) override;
  Status Load(const std::vector<Uuid>& persons) override;
  Status OfMany(const Uuid* persons, size_t count, const filters::Properties** out) override;
  // Once every person of the team is in memory (from the cache, or read all).
  bool SharedByThreads() const override { return complete_ != nullptr; }

 private:
  Status ReadAll();

  persons::PersonStore& persons_;
  const int64_t team_id_;
  PersonPropertiesCache* const cache_;
  // With KeepOnly: every person of the team, from the cache or once read all …
  SharedKeptProperties complete_;
  // … or the persons read so far.
  std::unique_ptr<KeptPersonProperties> kept_;
  UuidMap<filters::Properties> all_keys_;  // without KeepOnly
  ReadAllRule read_all_rule_;
};

// Persons' creation times from the person store, each person read once per query; Load reads
// many in one batch (PersonStore::PersonCreatedAtByUuid), or every person of the team in storage
// order once ReadAllRule says so; with a PersonCreationCache, that read is kept for the next
// queries, and a query finding one reads nothing from the store.
class StoredPersonCreation final : public query::PersonCreation {
 public:
  // `cache` may be null (nothing kept between queries).
  StoredPersonCreation(persons::PersonStore& persons, int64_t team_id,
                       PersonCreationCache* cache = nullptr);

  Status Load(const std::vector<Uuid>& persons) override;
  StatusOr<std::optional<int64_t>> CreatedAtUs(const Uuid& person) override;
  // Answered from memory once every person was read (from the cache or by Load), the persons'
  // entries fetched a few at a time.
  Status CreatedAtMany(const std::vector<Uuid>& persons,
                       std::vector<std::optional<int64_t>>* out) override;

 private:
  Status ReadAll();

  persons::PersonStore& persons_;
  const int64_t team_id_;
  PersonCreationCache* const cache_;
  SharedCreationTable complete_;  // every person of the team, from the cache or once read all …
  UuidMap<std::optional<int64_t>> read_;  // … or the persons read so far
  ReadAllRule read_all_rule_;
};

}  // namespace hoglet::api
