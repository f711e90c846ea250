// The person each event counts for at query time (analytics §1.4, PostHog's
// `person_id_override_properties_joined`): the person its distinct id belongs to now, so a merge
// re-attributes history at once, whatever person ingestion stamped on the event; and the
// person's properties as they are now. Trends and HogQL read events through these.
//
// Also the block pruning every scan shares: keeping the rows of some event names through a
// block's event-name dictionary.
//
// Not thread-safe: the functions are pure; a PersonProperties is used by one thread.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/property_value.h"
#include "store/block_reader.h"

namespace hoglet::query {

// Distinct ids whose person changed since their events were stored (merges): PostHog's
// person_distinct_id_overrides. An id not listed keeps the person stored on its events.
struct PersonOverrides {
  std::unordered_map<std::string, Uuid> person_of;
};

// The current properties of persons, read by person filters, person breakdowns and HogQL's
// `person.properties` (PostHog's default: a person's properties as they are now, not as
// ingestion stamped them on the event).
class PersonProperties {
 public:
  virtual ~PersonProperties() = default;
  // The properties of `person` now; empty for a person without a record (personless events).
  // The pointer stays valid as long as this object.
  virtual StatusOr<const filters::Properties*> Of(const Uuid& person) = 0;
  // Reads the properties of the listed persons (repeats allowed) that were not read yet, in as
  // few reads as the source allows, so that Of answers them from memory: what a scan calls once
  // per block before asking Of row by row. Optional: Of reads whatever was not loaded.
  virtual Status Load(const std::vector<Uuid>& /*persons*/) { return Status::Ok(); }
};

// (*persons)[row]: the person each row of the block counts for now. `overrides` may be null
// (every row keeps its stored person). Errors are the store's.
Status ResolveEventPersons(store::BlockReader* block, const PersonOverrides* overrides,
                           std::vector<Uuid>* persons);

// Unselects the rows of the block whose event is not one of `names` (all of them, without reading
// further, when the block's dictionary holds none of the names).
Status SelectEventNames(store::BlockReader* block, const std::vector<std::string>& names,
                        store::RowSelection* rows);

}  // namespace hoglet::query
