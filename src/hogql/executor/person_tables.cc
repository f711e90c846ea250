#include "hogql/executor/person_tables.h"

namespace hoglet::hogql {
namespace {

SourceColumn Column(const std::string& alias, const char* name, BaseType base, bool json = false) {
  return {alias, name, {base, false}, json};
}

}  // namespace

std::optional<PersonTable> FindPersonTable(std::string_view name) {
  if (name == "persons") return PersonTable::kPersons;
  if (name == "person_distinct_ids") return PersonTable::kDistinctIds;
  if (name == "groups") return PersonTable::kGroups;
  return std::nullopt;
}

std::vector<SourceColumn> PersonTableColumns(PersonTable table, const std::string& alias) {
  switch (table) {
    case PersonTable::kPersons:
      return {Column(alias, "id", BaseType::kUuid),
              Column(alias, "created_at", BaseType::kDateTime),
              Column(alias, "team_id", BaseType::kInt64),
              Column(alias, "properties", BaseType::kString, /*json=*/true),
              Column(alias, "is_identified", BaseType::kUInt8)};
    case PersonTable::kDistinctIds:
      return {Column(alias, "team_id", BaseType::kInt64),
              Column(alias, "distinct_id", BaseType::kString),
              Column(alias, "person_id", BaseType::kUuid)};
    case PersonTable::kGroups:
      return {Column(alias, "index", BaseType::kUInt8), Column(alias, "team_id", BaseType::kInt64),
              Column(alias, "key", BaseType::kString),
              Column(alias, "created_at", BaseType::kDateTime),
              Column(alias, "properties", BaseType::kString, /*json=*/true)};
  }
  return {};
}

Status TooManyRows(std::string_view what, size_t max_rows) {
  return InvalidArgumentError(std::string(what) + " holds more than " + std::to_string(max_rows) +
                                  " rows, the bound on the rows one query holds: narrow it "
                                  "with WHERE or LIMIT",
                              "hogql_too_many_rows");
}

StatusOr<std::vector<std::vector<Value>>> ReadPersonTable(PersonTable table,
                                                          PersonTableReader& reader,
                                                          int64_t team_id, size_t max_rows) {
  std::vector<std::vector<Value>> rows;
  const Value team = Value::Int(team_id);
  if (table == PersonTable::kGroups) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<GroupRecord> groups, reader.Groups(max_rows));
    if (groups.size() > max_rows) return TooManyRows("the groups table", max_rows);
    for (GroupRecord& group : groups) {
      rows.push_back({Value::Int(group.index), team, Value::String(std::move(group.key)),
                      Value::DateTime(group.created_at_us),
                      Value::String(std::move(group.properties))});
    }
    return rows;
  }
  HOGLET_ASSIGN_OR_RETURN(std::vector<PersonRecord> persons, reader.Persons(max_rows));
  if (persons.size() > max_rows) return TooManyRows("the persons table", max_rows);
  for (PersonRecord& person : persons) {
    if (table == PersonTable::kPersons) {
      rows.push_back({Value::UuidText(person.id), Value::DateTime(person.created_at_us), team,
                      Value::String(std::move(person.properties)),
                      Value::Bool(person.is_identified)});
      continue;
    }
    for (std::string& distinct_id : person.distinct_ids) {
      if (rows.size() >= max_rows) return TooManyRows("the person_distinct_ids table", max_rows);
      rows.push_back({team, Value::String(std::move(distinct_id)), Value::UuidText(person.id)});
    }
  }
  return rows;
}

}  // namespace hoglet::hogql
