// The person store's tables as HogQL reads them (PostHog's `posthog/hogql/database/schema`):
//
//   persons              id UUID, created_at DateTime, team_id Int64, properties (JSON: read as
//                        properties.x), is_identified UInt8
//   person_distinct_ids  team_id Int64, distinct_id String, person_id UUID (the person the id
//                        belongs to now)
//   groups               index UInt8 (the group type index), team_id Int64, key String,
//                        created_at DateTime, properties (JSON)
//
// The rows come from a PersonTableReader, which the server implements over the person store
// (api/hogql_person_tables.h) for one project: a query never sees another project's rows.
//
// Thread safety: the schemas are immutable; a reader is used by the thread running the query.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "hogql/executor/plan.h"
#include "hogql/executor/value.h"

namespace hoglet::hogql {

struct PersonRecord {
  std::string id;  // the person's UUID as text
  int64_t created_at_us = 0;
  std::string properties = "{}";  // JSON object text
  bool is_identified = false;
  std::vector<std::string> distinct_ids;  // the ids that belong to the person now
};

struct GroupRecord {
  int index = 0;  // the group type index, 0..4
  std::string key;
  int64_t created_at_us = 0;
  std::string properties = "{}";  // JSON object text
};

// The persons and groups of one project.
class PersonTableReader {
 public:
  virtual ~PersonTableReader() = default;
  // At most `max_rows` + 1 records (one more tells the caller the bound was passed). Errors are
  // the store's.
  virtual StatusOr<std::vector<PersonRecord>> Persons(size_t max_rows) = 0;
  virtual StatusOr<std::vector<GroupRecord>> Groups(size_t max_rows) = 0;
};

// The table called `name` ("persons", "person_distinct_ids", "groups"); nullopt for another.
std::optional<PersonTable> FindPersonTable(std::string_view name);

// The columns of `table`, read through `alias`.
std::vector<SourceColumn> PersonTableColumns(PersonTable table, const std::string& alias);

// The rows of `table` for project `team_id`, in the order of PersonTableColumns.
// kInvalidArgument (reason "hogql_too_many_rows") past `max_rows` rows; the reader's errors
// otherwise.
StatusOr<std::vector<std::vector<Value>>> ReadPersonTable(PersonTable table,
                                                          PersonTableReader& reader,
                                                          int64_t team_id, size_t max_rows);

// The error for a relation past the bound on rows held by one query.
Status TooManyRows(std::string_view what, size_t max_rows);

}  // namespace hoglet::hogql
