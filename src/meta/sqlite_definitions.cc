#include "meta/sqlite_definitions.h"

#include <string>
#include <string_view>
#include <variant>

#include "base/uuid.h"
#include "meta/sqlite_json_check.h"
#include "sqlite/transaction.h"

namespace hoglet::meta {
namespace {

// The search as `AND name LIKE ? ESCAPE '\'` clauses (one per word) and their patterns.
struct SearchClause {
  std::string sql;
  std::vector<std::string> patterns;
};

StatusOr<SearchClause> BuildSearch(std::string_view search) {
  if (search.size() > DefinitionListQuery::kMaxSearchBytes) {
    return InvalidArgumentError("search must be at most " +
                                    std::to_string(DefinitionListQuery::kMaxSearchBytes) +
                                    " bytes long",
                                "invalid_search");
  }
  SearchClause clause;
  size_t pos = 0;
  while (pos < search.size()) {
    size_t start = search.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    size_t end = search.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = search.size();
    // LIKE's wildcards in the user's words are literal characters.
    std::string pattern = "%";
    for (char c : search.substr(start, end - start)) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c);
    }
    pattern.push_back('%');
    clause.sql += " AND name LIKE ? ESCAPE '\\'";
    clause.patterns.push_back(std::move(pattern));
    pos = end;
  }
  return clause;
}

// The values bound to a statement's `?`s, in order.
using SqlArgs = std::vector<std::variant<int64_t, std::string>>;

Status BindArgs(sqlite::Statement& statement, const SqlArgs& args) {
  int index = 0;
  for (const auto& arg : args) {
    HOGLET_RETURN_IF_ERROR(
        std::visit([&](const auto& value) { return statement.Bind(++index, value); }, arg));
  }
  return Status::Ok();
}

StatusOr<int64_t> CountWhere(sqlite::Connection& db, std::string_view table, std::string_view where,
                             const SqlArgs& args) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement count,
      db.Prepare("SELECT COUNT(*) FROM " + std::string(table) + " WHERE " + std::string(where)));
  HOGLET_RETURN_IF_ERROR(BindArgs(count, args));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, count.Step());
  if (!has_row) return InternalError("SELECT COUNT(*) returned no row");
  return count.ColumnInt64(0);
}

// The rows of `table` matching `where` (one `?`, bound to team_id).
StatusOr<size_t> CountRows(sqlite::Connection& db, std::string_view table, std::string_view where,
                           int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement count,
      db.Prepare("SELECT COUNT(*) FROM " + std::string(table) + " WHERE " + std::string(where)));
  HOGLET_RETURN_IF_ERROR(count.BindAll(team_id));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, count.Step());
  if (!has_row) return InternalError("SELECT COUNT(*) returned no row");
  return static_cast<size_t>(count.ColumnInt64(0));
}

constexpr std::string_view kEventColumns =
    "id, uuid, team_id, name, created_at, last_seen_at, description, tags, verified, updated_at, "
    "updated_by";
constexpr std::string_view kPropertyColumns =
    "id, uuid, team_id, type, name, property_type, is_numerical, created_at, last_seen_at, "
    "description, tags, verified, updated_at, updated_by, group_type_index";
constexpr int kPropertyColumnCount = 15;

// The stored group_type_index of a property that is not a group's.
constexpr int64_t kNoGroupType = -1;
constexpr int kMaxGroupTypeIndex = 4;

DefinitionNotes ReadNotes(const sqlite::Statement& row, int first) {
  DefinitionNotes notes;
  notes.description = row.ColumnText(first);
  notes.tags_json = row.ColumnText(first + 1);
  notes.verified = row.ColumnBool(first + 2);
  notes.updated_at_us = row.ColumnInt64(first + 3);
  notes.updated_by = row.ColumnOptionalInt64(first + 4);
  return notes;
}

EventDefinition ReadEventDefinition(const sqlite::Statement& row) {
  EventDefinition definition;
  definition.id = row.ColumnInt64(0);
  definition.uuid = row.ColumnText(1);
  definition.team_id = row.ColumnInt64(2);
  definition.name = row.ColumnText(3);
  definition.created_at_us = row.ColumnInt64(4);
  definition.last_seen_at_us = row.ColumnInt64(5);
  definition.notes = ReadNotes(row, 6);
  return definition;
}

PropertyDefinition ReadPropertyDefinition(const sqlite::Statement& row) {
  PropertyDefinition definition;
  definition.id = row.ColumnInt64(0);
  definition.uuid = row.ColumnText(1);
  definition.team_id = row.ColumnInt64(2);
  definition.owner = static_cast<PropertyOwner>(row.ColumnInt64(3));
  definition.name = row.ColumnText(4);
  if (!row.ColumnIsNull(5)) definition.property_type = ParsePropertyType(row.ColumnText(5));
  definition.is_numerical = row.ColumnBool(6);
  definition.created_at_us = row.ColumnInt64(7);
  definition.last_seen_at_us = row.ColumnOptionalInt64(8);
  definition.notes = ReadNotes(row, 9);
  const int64_t group_type_index = row.ColumnInt64(14);
  if (group_type_index != kNoGroupType) {
    definition.group_type_index = static_cast<int>(group_type_index);
  }
  return definition;
}

// The group_type_index a sighting is stored under; nullopt when it cannot be recorded (a group
// property without a valid group type, or another with one).
std::optional<int64_t> StoredGroupType(const PropertyDefinitionSeen& seen) {
  switch (seen.owner) {
    case PropertyOwner::kEvent:
    case PropertyOwner::kPerson:
      if (seen.group_type_index) return std::nullopt;
      return kNoGroupType;
    case PropertyOwner::kGroup:
      if (!seen.group_type_index || *seen.group_type_index < 0 ||
          *seen.group_type_index > kMaxGroupTypeIndex) {
        return std::nullopt;
      }
      return *seen.group_type_index;
  }
  return std::nullopt;
}

// The row of `table` with this team and UUID, read by `read`; kNotFound naming `what`.
template <typename T>
StatusOr<T> SelectByUuid(sqlite::Connection& db, std::string_view table, std::string_view columns,
                         int64_t team_id, std::string_view uuid, std::string_view what,
                         T (*read)(const sqlite::Statement&)) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement select,
                          db.Prepare("SELECT " + std::string(columns) + " FROM " +
                                     std::string(table) + " WHERE team_id = ? AND uuid = ?"));
  HOGLET_RETURN_IF_ERROR(select.BindAll(team_id, std::string(uuid)));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
  if (!has_row) {
    return NotFoundError("no " + std::string(what) + " with id " + std::string(uuid) +
                         " in this project");
  }
  return read(select);
}

// Applies `change` to the notes of the row of `table` with this team and UUID.
Status UpdateNotes(sqlite::Connection& db, std::string_view table, int64_t team_id,
                   std::string_view uuid, const DefinitionNotesChange& change,
                   std::optional<int64_t> user_id, int64_t now_us) {
  if (change.tags_json) {
    HOGLET_RETURN_IF_ERROR(
        CheckJsonShape(db, *change.tags_json, JsonShape::kArrayOfStrings, "tags", "invalid_tags"));
  }
  std::string sql = "UPDATE " + std::string(table) + " SET updated_at = ?, updated_by = ?";
  if (change.description) sql += ", description = ?";
  if (change.tags_json) sql += ", tags = ?";
  if (change.verified) sql += ", verified = ?";
  sql += " WHERE team_id = ? AND uuid = ?";
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement update, db.Prepare(sql));
  int index = 0;
  HOGLET_RETURN_IF_ERROR(update.Bind(++index, now_us));
  HOGLET_RETURN_IF_ERROR(update.Bind(++index, user_id));
  if (change.description) HOGLET_RETURN_IF_ERROR(update.Bind(++index, *change.description));
  if (change.tags_json) HOGLET_RETURN_IF_ERROR(update.Bind(++index, *change.tags_json));
  if (change.verified) HOGLET_RETURN_IF_ERROR(update.Bind(++index, *change.verified));
  HOGLET_RETURN_IF_ERROR(update.Bind(++index, team_id));
  HOGLET_RETURN_IF_ERROR(update.Bind(++index, std::string(uuid)));
  return update.Run();
}

}  // namespace

StatusOr<RecordedDefinitions> UpsertDefinitions(
    sqlite::Connection& db, int64_t team_id, const std::vector<EventDefinitionSeen>& events,
    const std::vector<PropertyDefinitionSeen>& properties, const DefinitionLimits& limits,
    int64_t now_us) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
  RecordedDefinitions recorded;
  HOGLET_ASSIGN_OR_RETURN(recorded.event_definitions,
                          CountRows(db, "event_definitions", "team_id = ?", team_id));
  HOGLET_ASSIGN_OR_RETURN(
      recorded.property_definitions,
      CountRows(db, "property_definitions", "team_id = ? AND type = 1", team_id));
  HOGLET_ASSIGN_OR_RETURN(
      recorded.person_property_definitions,
      CountRows(db, "property_definitions", "team_id = ? AND type = 2", team_id));
  HOGLET_ASSIGN_OR_RETURN(
      recorded.group_property_definitions,
      CountRows(db, "property_definitions", "team_id = ? AND type = 3", team_id));
  auto may_insert = [&](size_t held, size_t max_held) {
    return recorded.new_events + recorded.new_properties < limits.max_new && held < max_held;
  };

  // A known name is updated in place; only a name the update did not find is new, and a new
  // name is inserted only while the limits allow.
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement update_event,
                          db.Prepare("UPDATE event_definitions SET last_seen_at = "
                                     "MAX(last_seen_at, ?1) WHERE team_id = ?2 AND name = ?3"));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert_event,
      db.Prepare("INSERT INTO event_definitions (uuid, team_id, name, created_at, last_seen_at) "
                 "VALUES (?, ?, ?, ?, ?)"));
  for (size_t i = 0; i < events.size(); ++i) {
    const EventDefinitionSeen& seen = events[i];
    if (seen.name.size() > kMaxDefinitionNameBytes) continue;
    HOGLET_RETURN_IF_ERROR(update_event.BindAll(seen.seen_at_us, team_id, seen.name));
    HOGLET_RETURN_IF_ERROR(update_event.Run());
    HOGLET_RETURN_IF_ERROR(update_event.Reset());
    if (db.Changes() > 0) continue;
    if (!may_insert(recorded.event_definitions, limits.max_event_definitions)) {
      recorded.skipped_events.push_back(i);
      continue;
    }
    HOGLET_RETURN_IF_ERROR(insert_event.BindAll(Uuid::V7(now_us).ToString(), team_id, seen.name,
                                                now_us, seen.seen_at_us));
    HOGLET_RETURN_IF_ERROR(insert_event.Run());
    HOGLET_RETURN_IF_ERROR(insert_event.Reset());
    ++recorded.new_events;
    ++recorded.event_definitions;
  }

  // Bare column names on the right of SET are the stored values: the stored type wins once there
  // is one.
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement update_property,
      db.Prepare("UPDATE property_definitions SET "
                 "last_seen_at = MAX(COALESCE(last_seen_at, ?1), ?1), "
                 "is_numerical = CASE WHEN property_type IS NULL THEN ?2 ELSE is_numerical END, "
                 "property_type = COALESCE(property_type, ?3) "
                 "WHERE team_id = ?4 AND type = ?5 AND group_type_index = ?6 AND name = ?7"));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement insert_property,
      db.Prepare("INSERT INTO property_definitions (uuid, team_id, type, group_type_index, name, "
                 "property_type, is_numerical, created_at, last_seen_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (size_t i = 0; i < properties.size(); ++i) {
    const PropertyDefinitionSeen& seen = properties[i];
    if (seen.name.size() > kMaxDefinitionNameBytes) continue;
    const std::optional<int64_t> group_type = StoredGroupType(seen);
    if (!group_type) continue;
    const auto owner = static_cast<int64_t>(seen.owner);
    std::optional<std::string> type_name;
    if (seen.property_type) type_name = std::string(PropertyTypeName(*seen.property_type));
    const bool numeric = seen.property_type == PropertyType::kNumeric;
    HOGLET_RETURN_IF_ERROR(update_property.BindAll(seen.seen_at_us, numeric, type_name, team_id,
                                                   owner, *group_type, seen.name));
    HOGLET_RETURN_IF_ERROR(update_property.Run());
    HOGLET_RETURN_IF_ERROR(update_property.Reset());
    if (db.Changes() > 0) continue;
    size_t* held = &recorded.property_definitions;
    size_t max_held = limits.max_property_definitions;
    if (seen.owner == PropertyOwner::kPerson) {
      held = &recorded.person_property_definitions;
      max_held = limits.max_person_property_definitions;
    } else if (seen.owner == PropertyOwner::kGroup) {
      held = &recorded.group_property_definitions;
      max_held = limits.max_group_property_definitions;
    }
    if (!may_insert(*held, max_held)) {
      recorded.skipped_properties.push_back(i);
      continue;
    }
    HOGLET_RETURN_IF_ERROR(insert_property.BindAll(Uuid::V7(now_us).ToString(), team_id, owner,
                                                   *group_type, seen.name, type_name, numeric,
                                                   now_us, seen.seen_at_us));
    HOGLET_RETURN_IF_ERROR(insert_property.Run());
    HOGLET_RETURN_IF_ERROR(insert_property.Reset());
    ++recorded.new_properties;
    ++*held;
  }
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  return recorded;
}

StatusOr<RecordedEventProperties> InsertEventProperties(sqlite::Connection& db, int64_t team_id,
                                                        const std::vector<EventPropertySeen>& pairs,
                                                        const EventPropertyLimits& limits) {
  HOGLET_ASSIGN_OR_RETURN(sqlite::Transaction txn, sqlite::Transaction::Begin(db));
  RecordedEventProperties recorded;
  HOGLET_ASSIGN_OR_RETURN(recorded.event_properties,
                          CountRows(db, "event_properties", "team_id = ?", team_id));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement insert,
                          db.Prepare("INSERT OR IGNORE INTO event_properties (team_id, event, "
                                     "property) VALUES (?, ?, ?)"));
  HOGLET_ASSIGN_OR_RETURN(sqlite::Statement exists,
                          db.Prepare("SELECT 1 FROM event_properties WHERE team_id = ? AND "
                                     "event = ? AND property = ?"));
  for (size_t i = 0; i < pairs.size(); ++i) {
    const EventPropertySeen& pair = pairs[i];
    if (pair.event.size() > kMaxDefinitionNameBytes ||
        pair.property.size() > kMaxDefinitionNameBytes) {
      continue;
    }
    if (recorded.new_pairs < limits.max_new &&
        recorded.event_properties < limits.max_event_properties) {
      HOGLET_RETURN_IF_ERROR(insert.BindAll(team_id, pair.event, pair.property));
      HOGLET_RETURN_IF_ERROR(insert.Run());
      HOGLET_RETURN_IF_ERROR(insert.Reset());
      if (db.Changes() > 0) {
        ++recorded.new_pairs;
        ++recorded.event_properties;
      }
      continue;
    }
    // Past a bound only a pair that is already stored is not a skip.
    HOGLET_RETURN_IF_ERROR(exists.BindAll(team_id, pair.event, pair.property));
    HOGLET_ASSIGN_OR_RETURN(bool known, exists.Step());
    HOGLET_RETURN_IF_ERROR(exists.Reset());
    if (!known) recorded.skipped.push_back(i);
  }
  HOGLET_RETURN_IF_ERROR(txn.Commit());
  return recorded;
}

StatusOr<DefinitionPage<EventDefinition>> SelectEventDefinitions(sqlite::Connection& db,
                                                                 const DefinitionListQuery& query) {
  HOGLET_ASSIGN_OR_RETURN(SearchClause search, BuildSearch(query.search));
  const std::string where = "team_id = ?" + search.sql;
  SqlArgs args = {query.team_id};
  args.insert(args.end(), search.patterns.begin(), search.patterns.end());
  DefinitionPage<EventDefinition> page;
  HOGLET_ASSIGN_OR_RETURN(page.total, CountWhere(db, "event_definitions", where, args));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kEventColumns) + " FROM event_definitions WHERE " + where +
                 " ORDER BY name, id LIMIT ? OFFSET ?"));
  args.emplace_back(static_cast<int64_t>(query.limit));
  args.emplace_back(static_cast<int64_t>(query.offset));
  HOGLET_RETURN_IF_ERROR(BindArgs(select, args));
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    page.results.push_back(ReadEventDefinition(select));
  }
  return page;
}

StatusOr<DefinitionPage<PropertyDefinition>> SelectPropertyDefinitions(
    sqlite::Connection& db, const DefinitionListQuery& query) {
  HOGLET_ASSIGN_OR_RETURN(SearchClause search, BuildSearch(query.search));
  if (query.event_names.size() > DefinitionListQuery::kMaxEventNames) {
    return InvalidArgumentError("event_names must hold at most " +
                                    std::to_string(DefinitionListQuery::kMaxEventNames) + " names",
                                "invalid_event_names");
  }
  // The event-to-property pairs only speak of event properties (as in PostHog, where person and
  // group definitions are not joined with them).
  const bool event_owner = query.owner == PropertyOwner::kEvent;
  const bool mark_seen = event_owner && !query.event_names.empty();
  const bool keep_seen = event_owner && query.filter_by_event_names;
  // The property keys seen with the event names (with none: with any event).
  std::string seen_sql = "SELECT property FROM event_properties WHERE team_id = ?";
  SqlArgs seen_args = {query.team_id};
  if (!query.event_names.empty()) {
    seen_sql += " AND event IN (";
    for (size_t i = 0; i < query.event_names.size(); ++i) {
      seen_sql += i == 0 ? "?" : ", ?";
      seen_args.emplace_back(query.event_names[i]);
    }
    seen_sql += ")";
  }

  std::string where = "team_id = ? AND type = ?";
  SqlArgs where_args = {query.team_id, static_cast<int64_t>(query.owner)};
  if (query.owner == PropertyOwner::kGroup && query.group_type_index) {
    where += " AND group_type_index = ?";
    where_args.emplace_back(static_cast<int64_t>(*query.group_type_index));
  }
  if (query.is_numerical) {
    where += *query.is_numerical ? " AND is_numerical = 1" : " AND is_numerical = 0";
  }
  if (keep_seen) {
    where += " AND name IN (" + seen_sql + ")";
    where_args.insert(where_args.end(), seen_args.begin(), seen_args.end());
  }
  where += search.sql;
  where_args.insert(where_args.end(), search.patterns.begin(), search.patterns.end());

  DefinitionPage<PropertyDefinition> page;
  HOGLET_ASSIGN_OR_RETURN(page.total, CountWhere(db, "property_definitions", where, where_args));
  SqlArgs args;
  if (mark_seen) args = seen_args;
  args.insert(args.end(), where_args.begin(), where_args.end());
  args.emplace_back(static_cast<int64_t>(query.limit));
  args.emplace_back(static_cast<int64_t>(query.offset));
  HOGLET_ASSIGN_OR_RETURN(
      sqlite::Statement select,
      db.Prepare("SELECT " + std::string(kPropertyColumns) + ", " +
                 (mark_seen ? "name IN (" + seen_sql + ")" : std::string("NULL")) +
                 " AS seen_on_filtered_events FROM property_definitions WHERE " + where +
                 " ORDER BY " + (mark_seen ? "seen_on_filtered_events DESC, " : "") +
                 "name, id LIMIT ? OFFSET ?"));
  HOGLET_RETURN_IF_ERROR(BindArgs(select, args));
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    PropertyDefinition definition = ReadPropertyDefinition(select);
    if (!select.ColumnIsNull(kPropertyColumnCount)) {
      definition.seen_on_filtered_events = select.ColumnBool(kPropertyColumnCount);
    }
    page.results.push_back(std::move(definition));
  }
  return page;
}

StatusOr<EventDefinition> SelectEventDefinition(sqlite::Connection& db, int64_t team_id,
                                                std::string_view uuid) {
  return SelectByUuid<EventDefinition>(db, "event_definitions", kEventColumns, team_id, uuid,
                                       "event definition", ReadEventDefinition);
}

StatusOr<PropertyDefinition> SelectPropertyDefinition(sqlite::Connection& db, int64_t team_id,
                                                      std::string_view uuid) {
  return SelectByUuid<PropertyDefinition>(db, "property_definitions", kPropertyColumns, team_id,
                                          uuid, "property definition", ReadPropertyDefinition);
}

StatusOr<EventDefinition> UpdateEventDefinitionNotes(sqlite::Connection& db, int64_t team_id,
                                                     std::string_view uuid,
                                                     const DefinitionNotesChange& change,
                                                     std::optional<int64_t> user_id,
                                                     int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(SelectEventDefinition(db, team_id, uuid).status());
  HOGLET_RETURN_IF_ERROR(
      UpdateNotes(db, "event_definitions", team_id, uuid, change, user_id, now_us));
  return SelectEventDefinition(db, team_id, uuid);
}

StatusOr<PropertyDefinition> UpdatePropertyDefinitionNotes(sqlite::Connection& db, int64_t team_id,
                                                           std::string_view uuid,
                                                           const DefinitionNotesChange& change,
                                                           std::optional<int64_t> user_id,
                                                           int64_t now_us) {
  HOGLET_RETURN_IF_ERROR(SelectPropertyDefinition(db, team_id, uuid).status());
  HOGLET_RETURN_IF_ERROR(
      UpdateNotes(db, "property_definitions", team_id, uuid, change, user_id, now_us));
  return SelectPropertyDefinition(db, team_id, uuid);
}

}  // namespace hoglet::meta
