// Every person of a project with the properties a query kept (api/kept_person_properties.h), kept
// from one query to the next while the project's persons stay as they are: a query that reads
// most of a project's persons (a breakdown by a person property) reads them all from the person
// store, and the next query over the same keys finds them in memory instead.
//
// An entry is valid while the person store's DataVersion of its project has not moved (any
// committed change to its persons moves it). The version is read before the persons are, so a
// change committed during the read leaves an entry no later query takes. Bounded: at most
// kMaxEntries tables and kMaxBytes in all, the least recently used dropped first; a table larger
// than kMaxBytes is not kept.
//
// Thread-safe. The tables handed out are shared and immutable; a query keeps its own reference
// for as long as it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api/kept_person_properties.h"
#include "api/project_tables.h"

namespace hoglet::api {

using SharedKeptProperties = std::shared_ptr<const KeptPersonProperties>;

class PersonPropertiesCache {
 public:
  static constexpr size_t kMaxEntries = 8;
  static constexpr size_t kMaxBytes = size_t{256} << 20;

  // The project's persons with `keys` (sorted, unique) read at data version `version`; null when
  // none is kept.
  SharedKeptProperties Find(int64_t team_id, const std::vector<std::string>& keys,
                            uint64_t version);
  // Keeps `table`, every person of the project read at data version `version`, replacing the
  // project's tables of other versions.
  void Put(int64_t team_id, uint64_t version, SharedKeptProperties table);

  size_t entries() const;
  size_t bytes() const;

 private:
  ProjectTables<KeptPersonProperties> tables_{kMaxEntries, kMaxBytes};
};

}  // namespace hoglet::api
