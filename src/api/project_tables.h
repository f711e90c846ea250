// Tables read from all of a project's persons, kept from one query to the next while the
// project's persons stay as they are: what api/person_properties_cache.h and
// api/person_creation_cache.h keep. An entry is valid while the person store's DataVersion of its
// project has not moved; the caller reads the version before the persons, so a change committed
// during the read leaves an entry no later query takes. Bounded: at most `max_entries` tables and
// `max_bytes` in all (a table's ApproximateBytes), the least recently used dropped first; a table
// larger than `max_bytes` is not kept.
//
// Example:
//   ProjectTables<PersonCreationTable> tables(8, 256 << 20);
//   tables.Put(team_id, version, table, [](const PersonCreationTable&) { return true; });
//   auto kept = tables.Find(team_id, version, [](const PersonCreationTable&) { return true; });
//
// Thread-safe. The tables handed out are shared and immutable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <utility>

namespace hoglet::api {

template <typename Table>
class ProjectTables {
 public:
  using Shared = std::shared_ptr<const Table>;

  ProjectTables(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The most recently used table of the project read at `version` that `matches(const Table&)`
  // accepts, made the most recently used; null when none is kept.
  template <typename Matches>
  Shared Find(int64_t team_id, uint64_t version, Matches matches) {
    std::lock_guard lock(mu_);
    for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
      if (entry->team_id != team_id || entry->version != version || !matches(*entry->table)) {
        continue;
      }
      entries_.splice(entries_.begin(), entries_, entry);
      return entry->table;
    }
    return nullptr;
  }

  // Keeps `table`, read at data version `version`, dropping the project's tables of other
  // versions and those of this one that `replaces(const Table& kept)` says it replaces.
  template <typename Replaces>
  void Put(int64_t team_id, uint64_t version, Shared table, Replaces replaces) {
    const size_t bytes = table->ApproximateBytes();
    std::lock_guard lock(mu_);
    for (auto entry = entries_.begin(); entry != entries_.end();) {
      if (entry->team_id == team_id && (entry->version != version || replaces(*entry->table))) {
        bytes_ -= entry->bytes;
        entry = entries_.erase(entry);
      } else {
        ++entry;
      }
    }
    if (bytes > max_bytes_) return;
    entries_.push_front(Entry{team_id, version, std::move(table), bytes});
    bytes_ += bytes;
    while (entries_.size() > max_entries_ || bytes_ > max_bytes_) {
      bytes_ -= entries_.back().bytes;
      entries_.pop_back();
    }
  }

  size_t entries() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }
  size_t bytes() const {
    std::lock_guard lock(mu_);
    return bytes_;
  }

 private:
  struct Entry {
    int64_t team_id = 0;
    uint64_t version = 0;
    Shared table;
    size_t bytes = 0;
  };

  const size_t max_entries_;
  const size_t max_bytes_;
  mutable std::mutex mu_;
  std::list<Entry> entries_;  // most recently used first; guarded by mu_
  size_t bytes_ = 0;          // of entries_; guarded by mu_
};

}  // namespace hoglet::api
