#include "meta/sqlite_definitions.h"

#include <string>
#include <string_view>

#include "base/uuid.h"

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

// Binds team_id, [type,] the search patterns and, when `paged`, limit and offset.
Status BindListQuery(Statement& statement, const DefinitionListQuery& query,
                     const SearchClause& search, bool with_owner, bool paged) {
  int index = 0;
  HOGLET_RETURN_IF_ERROR(statement.Bind(++index, query.team_id));
  if (with_owner) {
    HOGLET_RETURN_IF_ERROR(statement.Bind(++index, static_cast<int64_t>(query.owner)));
  }
  for (const std::string& pattern : search.patterns) {
    HOGLET_RETURN_IF_ERROR(statement.Bind(++index, pattern));
  }
  if (paged) {
    HOGLET_RETURN_IF_ERROR(statement.Bind(++index, static_cast<int64_t>(query.limit)));
    HOGLET_RETURN_IF_ERROR(statement.Bind(++index, static_cast<int64_t>(query.offset)));
  }
  return Status::Ok();
}

StatusOr<int64_t> CountMatches(Database& db, std::string_view table, std::string_view where,
                               const DefinitionListQuery& query, const SearchClause& search,
                               bool with_owner) {
  HOGLET_ASSIGN_OR_RETURN(Statement count, db.Prepare("SELECT COUNT(*) FROM " + std::string(table) +
                                                      " WHERE " + std::string(where) + search.sql));
  HOGLET_RETURN_IF_ERROR(BindListQuery(count, query, search, with_owner, /*paged=*/false));
  HOGLET_ASSIGN_OR_RETURN(bool has_row, count.Step());
  if (!has_row) return InternalError("SELECT COUNT(*) returned no row");
  return count.ColumnInt64(0);
}

}  // namespace

Status UpsertDefinitions(Database& db, int64_t team_id,
                         const std::vector<EventDefinitionSeen>& events,
                         const std::vector<PropertyDefinitionSeen>& properties, int64_t now_us) {
  HOGLET_ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(db));
  HOGLET_ASSIGN_OR_RETURN(
      Statement upsert_event,
      db.Prepare("INSERT INTO event_definitions (uuid, team_id, name, created_at, last_seen_at) "
                 "VALUES (?, ?, ?, ?, ?) ON CONFLICT (team_id, name) DO UPDATE SET "
                 "last_seen_at = MAX(last_seen_at, excluded.last_seen_at)"));
  for (const EventDefinitionSeen& seen : events) {
    if (seen.name.size() > kMaxDefinitionNameBytes) continue;
    HOGLET_RETURN_IF_ERROR(upsert_event.BindAll(Uuid::V7(now_us).ToString(), team_id, seen.name,
                                                now_us, seen.seen_at_us));
    HOGLET_RETURN_IF_ERROR(upsert_event.Run());
    HOGLET_RETURN_IF_ERROR(upsert_event.Reset());
  }
  // In the DO UPDATE clause bare column names are the stored values: the stored type wins once
  // there is one.
  HOGLET_ASSIGN_OR_RETURN(
      Statement upsert_property,
      db.Prepare("INSERT INTO property_definitions (uuid, team_id, type, name, property_type, "
                 "is_numerical, created_at, last_seen_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (team_id, type, name) DO UPDATE SET "
                 "last_seen_at = MAX(COALESCE(last_seen_at, excluded.last_seen_at), "
                 "excluded.last_seen_at), "
                 "is_numerical = CASE WHEN property_type IS NULL THEN excluded.is_numerical "
                 "ELSE is_numerical END, "
                 "property_type = COALESCE(property_type, excluded.property_type)"));
  for (const PropertyDefinitionSeen& seen : properties) {
    if (seen.name.size() > kMaxDefinitionNameBytes) continue;
    std::string uuid = Uuid::V7(now_us).ToString();
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(1, uuid));
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(2, team_id));
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(3, seen.name));
    if (seen.property_type) {
      HOGLET_RETURN_IF_ERROR(upsert_property.Bind(4, PropertyTypeName(*seen.property_type)));
    } else {
      HOGLET_RETURN_IF_ERROR(upsert_property.Bind(4, std::optional<int64_t>()));
    }
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(5, seen.property_type == PropertyType::kNumeric));
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(6, now_us));
    HOGLET_RETURN_IF_ERROR(upsert_property.Bind(7, seen.seen_at_us));
    HOGLET_RETURN_IF_ERROR(upsert_property.Run());
    HOGLET_RETURN_IF_ERROR(upsert_property.Reset());
  }
  return txn.Commit();
}

StatusOr<DefinitionPage<EventDefinition>> SelectEventDefinitions(Database& db,
                                                                 const DefinitionListQuery& query) {
  HOGLET_ASSIGN_OR_RETURN(SearchClause search, BuildSearch(query.search));
  DefinitionPage<EventDefinition> page;
  HOGLET_ASSIGN_OR_RETURN(page.total, CountMatches(db, "event_definitions", "team_id = ?", query,
                                                   search, /*with_owner=*/false));
  HOGLET_ASSIGN_OR_RETURN(
      Statement select,
      db.Prepare("SELECT id, uuid, team_id, name, created_at, last_seen_at FROM event_definitions "
                 "WHERE team_id = ?" +
                 search.sql + " ORDER BY name, id LIMIT ? OFFSET ?"));
  HOGLET_RETURN_IF_ERROR(BindListQuery(select, query, search, /*with_owner=*/false, true));
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    EventDefinition row;
    row.id = select.ColumnInt64(0);
    row.uuid = select.ColumnText(1);
    row.team_id = select.ColumnInt64(2);
    row.name = select.ColumnText(3);
    row.created_at_us = select.ColumnInt64(4);
    row.last_seen_at_us = select.ColumnInt64(5);
    page.results.push_back(std::move(row));
  }
  return page;
}

StatusOr<DefinitionPage<PropertyDefinition>> SelectPropertyDefinitions(
    Database& db, const DefinitionListQuery& query) {
  HOGLET_ASSIGN_OR_RETURN(SearchClause search, BuildSearch(query.search));
  DefinitionPage<PropertyDefinition> page;
  HOGLET_ASSIGN_OR_RETURN(page.total, CountMatches(db, "property_definitions",
                                                   "team_id = ? AND type = ?", query, search,
                                                   /*with_owner=*/true));
  HOGLET_ASSIGN_OR_RETURN(
      Statement select,
      db.Prepare("SELECT id, uuid, team_id, type, name, property_type, is_numerical, created_at, "
                 "last_seen_at FROM property_definitions WHERE team_id = ? AND type = ?" +
                 search.sql + " ORDER BY name, id LIMIT ? OFFSET ?"));
  HOGLET_RETURN_IF_ERROR(BindListQuery(select, query, search, /*with_owner=*/true, true));
  while (true) {
    HOGLET_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    PropertyDefinition row;
    row.id = select.ColumnInt64(0);
    row.uuid = select.ColumnText(1);
    row.team_id = select.ColumnInt64(2);
    row.owner = static_cast<PropertyOwner>(select.ColumnInt64(3));
    row.name = select.ColumnText(4);
    if (!select.ColumnIsNull(5)) row.property_type = ParsePropertyType(select.ColumnText(5));
    row.is_numerical = select.ColumnBool(6);
    row.created_at_us = select.ColumnInt64(7);
    row.last_seen_at_us = select.ColumnOptionalInt64(8);
    page.results.push_back(std::move(row));
  }
  return page;
}

}  // namespace hoglet::meta
