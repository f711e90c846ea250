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

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/property_value.h"
#include "query/actor_numbers.h"
#include "store/block_reader.h"

namespace hoglet::query {

// Distinct ids whose person changed since their events were stored (merges): PostHog's
// person_distinct_id_overrides. An id not listed keeps the person stored on its events.
//
// Scans ask it for every distinct id of every block they read, and most ids are not listed:
// a bit array (two bits per id, eight bits per id in all) answers most of those at once; the
// rest probe an open-addressing table of (hash, entry) slots, contiguous in memory, comparing
// the full hash before the id's text. Each id is hashed once per lookup.
//
// Built with Set, then only read: the same overrides serve every query while the project's
// merges stay as they are (api/overrides_cache.h). A part never changes, so what a block's
// dictionary resolves to is remembered by (part, block) for as long as the overrides live, up
// to kMaxRemembered ids (a pointer each: 16 MB): repeated queries over the same parts look no id
// up.
//
// The persons events count for under these overrides are numbered (numbers(): query/
// actor_numbers.h) for distinct counts; the numbers of a block's rows are kept in the block cache
// under a name holding serial(), which is unique to these overrides as they stand.
//
// Set (which forgets what was remembered) is not thread-safe; the const methods are, once the
// overrides are built.
class PersonOverrides {
 public:
  static constexpr size_t kMaxRemembered = size_t{2} << 20;

  PersonOverrides();
  PersonOverrides(const PersonOverrides&) = delete;
  PersonOverrides& operator=(const PersonOverrides&) = delete;

  // `distinct_id` now belongs to `person` (a later Set of the same id replaces it).
  void Set(std::string distinct_id, const Uuid& person);
  // The person `distinct_id` belongs to now; null when it keeps the one stored on its events.
  const Uuid* Find(std::string_view distinct_id) const;
  size_t size() const { return entries_.size(); }

  // Unique in the process to these overrides as they stand (a Set gives them a new one).
  uint64_t serial() const { return serial_; }
  // The numbers of the persons events count for (shared by the queries using these overrides).
  ActorNumbers& numbers() const { return numbers_; }

  // For each id of the dictionary of block `block` of part `part_id`, the person it belongs to
  // now (null: the stored one).
  std::shared_ptr<const std::vector<const Uuid*>> ResolveDictionary(
      uint64_t part_id, size_t block, const std::vector<std::string>& dictionary) const;

 private:
  struct Entry {
    std::string distinct_id;
    Uuid person;
  };
  struct Slot {
    uint64_t hash = 0;
    uint32_t entry = 0;  // index into entries_ + 1; 0: empty
  };

  // The slot holding `distinct_id`, or the empty slot where it would go.
  size_t SlotOf(std::string_view distinct_id, uint64_t hash) const;
  void Rebuild(size_t slots);
  void Mark(uint64_t hash);
  bool MaybeListed(uint64_t hash) const;

  uint64_t serial_;
  mutable ActorNumbers numbers_;
  std::vector<Entry> entries_;
  std::vector<Slot> slots_;     // a power of two, at most half full; empty until the first Set
  std::vector<uint64_t> bits_;  // a power of two of words, eight bits per entry at least

  // (part id, block) → its dictionary resolved; guarded by remembered_mu_.
  mutable std::mutex remembered_mu_;
  mutable std::map<std::pair<uint64_t, size_t>, std::shared_ptr<const std::vector<const Uuid*>>>
      remembered_;
  mutable size_t remembered_ids_ = 0;
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
  // Whether Of, Load and OfMany only read now (every person asked is answered from memory), so
  // that the threads of one scan may share this object. False by default.
  virtual bool SharedByThreads() const { return false; }
  // Of for each of persons[0, count), into out[i]: what a scan asks for the persons of a
  // block's rows once it has loaded them. By default Of one after another.
  virtual Status OfMany(const Uuid* persons, size_t count, const filters::Properties** out) {
    for (size_t i = 0; i < count; ++i) {
      HOGLET_ASSIGN_OR_RETURN(out[i], Of(persons[i]));
    }
    return Status::Ok();
  }
};

// The person each row of the block counts for now, by row: the block's stored persons when no
// distinct id of the block moved (or `overrides` is null), else `moved` filled with them and the
// moved ids' new persons. Valid as long as the block reader and `moved`. Errors are the store's.
StatusOr<const std::vector<Uuid>*> ResolveEventPersons(store::BlockReader* block,
                                                       const PersonOverrides* overrides,
                                                       std::vector<Uuid>* moved);

// Unselects the rows of the block whose event is not one of `names` (all of them, without reading
// further, when the block's dictionary holds none of the names).
Status SelectEventNames(store::BlockReader* block, const std::vector<std::string>& names,
                        store::RowSelection* rows);

}  // namespace hoglet::query
