// The projects' distinct-id overrides (query/event_persons.h), read from the person store once
// per version of its data rather than once per query: a project with many merges has tens of
// thousands of them, and building the lookup took a noticeable share of a short query.
//
// An entry is valid while the person store's OverridesVersion of its project has not moved
// (merges and deletions move it; new persons and property changes do not); it is read before the
// overrides are, so a change committed during the read makes the next query read them again
// rather than keep a stale set. Bounded: the overrides of at most kMaxProjects
// projects are kept, the least recently used dropped first.
//
// Thread-safe. The overrides handed out are shared and immutable; a query keeps its own
// reference for as long as it runs.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>

#include "base/status.h"
#include "persons/person_store.h"
#include "query/event_persons.h"

namespace hoglet::api {

using SharedOverrides = std::shared_ptr<const query::PersonOverrides>;

// Reads a project's overrides from the store. Errors are the person store's.
StatusOr<SharedOverrides> ReadOverrides(persons::PersonStore& persons, int64_t team_id);

class OverridesCache {
 public:
  static constexpr size_t kMaxProjects = 8;

  explicit OverridesCache(persons::PersonStore& persons) : persons_(persons) {}

  // The project's current overrides, read from the store when its data moved since the last
  // read. Errors are the person store's.
  StatusOr<SharedOverrides> Get(int64_t team_id);

 private:
  struct Entry {
    int64_t team_id = 0;
    uint64_t version = 0;
    SharedOverrides overrides;
  };

  persons::PersonStore& persons_;
  std::mutex mu_;
  std::list<Entry> entries_;  // most recently used first; guarded by mu_
};

}  // namespace hoglet::api
