// The groups an insight's actors are when it aggregates by a group type (analytics §3.4, §3.6,
// §3.7): the engine counts each group as its GroupActor (query/trends_runner.h), and this reads
// the project's groups of that type from the person store once per query to name them again —
// their keys, properties and creation times — as PostHog's actors query shows groups.
//
// Not thread-safe: one StoredGroupActors per query, used by the thread running it.
//
// Example:
//   StoredGroupActors groups(*context.persons, project.id, 0);
//   HOGLET_ASSIGN_OR_RETURN(const persons::Group* group, groups.Find(actor));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/json_writer.h"
#include "base/status.h"
#include "persons/person_store.h"
#include "query/aggregate.h"
#include "query/lifecycle_runner.h"

namespace hoglet::api {

class StoredGroupActors final : public query::PersonCreation {
 public:
  StoredGroupActors(persons::PersonStore& persons, int64_t team_id, int group_type_index)
      : persons_(persons), team_id_(team_id), group_type_index_(group_type_index) {}

  // The group's created_at. A group without a record was created at the epoch, as PostHog's
  // join reads it: its first active period is never its creation's.
  StatusOr<std::optional<int64_t>> CreatedAtUs(const Uuid& actor) override;

  // The group counted as `actor`; nullptr when no group of this type has that GroupActor.
  StatusOr<const persons::Group*> Find(const Uuid& actor);

 private:
  Status LoadGroups();  // all the groups of the type, once

  persons::PersonStore& persons_;
  const int64_t team_id_;
  const int group_type_index_;
  bool loaded_ = false;
  std::unordered_map<Uuid, persons::Group, query::UuidHash> groups_;
};

// A group as PostHog's actors query writes it: {"id": key, "type": "group", "properties",
// "group_key", "group_type_index", "created_at", "group_properties"}.
void WriteGroupActor(const persons::Group& group, JsonWriter* w);

// PostHog's group search: the key or the "name" property containing the text,
// case-insensitively.
bool GroupMatches(const persons::Group& group, const std::string& search);

}  // namespace hoglet::api
