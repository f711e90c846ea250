#include "api/hogql_person_tables.h"

#include <utility>

namespace hoglet::api {

StatusOr<std::vector<hogql::PersonRecord>> StoredPersonTables::Persons(size_t max_rows) {
  persons::PersonListQuery query;
  query.team_id = team_id_;
  query.limit = max_rows + 1;  // one more tells the bound was passed
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::Person> stored, persons_.ListPersons(query));
  std::vector<hogql::PersonRecord> records;
  records.reserve(stored.size());
  for (persons::Person& person : stored) {
    hogql::PersonRecord record;
    record.id = person.uuid.ToString();
    record.created_at_us = person.created_at_us;
    record.properties = std::move(person.properties);
    record.is_identified = person.is_identified;
    record.distinct_ids = std::move(person.distinct_ids);
    records.push_back(std::move(record));
  }
  return records;
}

StatusOr<std::vector<hogql::GroupRecord>> StoredPersonTables::Groups(size_t max_rows) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<persons::GroupType> types, persons_.GroupTypes(team_id_));
  std::vector<hogql::GroupRecord> records;
  for (const persons::GroupType& type : types) {
    const size_t wanted = max_rows + 1 - records.size();
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::Group> groups,
                            persons_.ListGroups(team_id_, type.group_type_index, wanted, 0));
    for (persons::Group& group : groups) {
      records.push_back({group.group_type_index, std::move(group.group_key), group.created_at_us,
                         std::move(group.properties)});
    }
    if (records.size() > max_rows) break;
  }
  return records;
}

}  // namespace hoglet::api
