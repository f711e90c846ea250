// The person store's tables for HogQL (hogql/executor/person_tables.h) of one project: persons
// with their distinct ids, and the groups of every group type, read from the person store when a
// query reads them (at most once per query each).
//
// Not thread-safe: one StoredPersonTables per query, used by the thread running it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/status.h"
#include "hogql/executor/person_tables.h"
#include "persons/person_store.h"

namespace hoglet::api {

class StoredPersonTables final : public hogql::PersonTableReader {
 public:
  StoredPersonTables(persons::PersonStore& persons, int64_t team_id)
      : persons_(persons), team_id_(team_id) {}

  // Newest first, as the store lists them. Errors are the person store's.
  StatusOr<std::vector<hogql::PersonRecord>> Persons(size_t max_rows) override;
  // By group type index, then as the store lists them.
  StatusOr<std::vector<hogql::GroupRecord>> Groups(size_t max_rows) override;

 private:
  persons::PersonStore& persons_;
  const int64_t team_id_;
};

}  // namespace hoglet::api
