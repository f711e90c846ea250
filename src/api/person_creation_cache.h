// Every person of a project with its creation time, kept from one query to the next while the
// project's persons stay as they are: a lifecycle query asks for the creation of every person
// active in its range, so it reads all of the project's persons from the person store, and the
// next lifecycle query finds them in memory instead.
//
// Kept as api/project_tables.h keeps a project's tables: while the person store's DataVersion of
// the project has not moved (read before the persons are, so a change committed during the read
// leaves a table no later query takes). Bounded: at most kMaxEntries tables and kMaxBytes in all,
// the least recently used dropped first; a table larger than kMaxBytes is not kept.
//
// Thread-safe. The tables handed out are shared and immutable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "api/project_tables.h"
#include "base/uuid_map.h"

namespace hoglet::api {

// Each person of a project, with when it was created (UTC microseconds).
using PersonCreationTable = UuidMap<int64_t>;
using SharedCreationTable = std::shared_ptr<const PersonCreationTable>;

class PersonCreationCache {
 public:
  static constexpr size_t kMaxEntries = 8;
  static constexpr size_t kMaxBytes = size_t{256} << 20;

  // The project's persons read at data version `version`; null when none is kept.
  SharedCreationTable Find(int64_t team_id, uint64_t version);
  // Keeps `table`, every person of the project read at data version `version`, replacing the
  // project's table of another version.
  void Put(int64_t team_id, uint64_t version, SharedCreationTable table);

  size_t entries() const;

 private:
  ProjectTables<PersonCreationTable> tables_{kMaxEntries, kMaxBytes};
};

}  // namespace hoglet::api
