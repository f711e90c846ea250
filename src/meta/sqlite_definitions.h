// The SQL behind MetaStore's definition methods (meta/definitions.h), for the SQLite store.
//
// Each function runs on the caller's connection; the caller serialises access to it (the store
// holds its database mutex) and has checked that the project exists. Errors are those of
// sqlite/result_codes.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "meta/definitions.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

// Updates the known definitions and inserts new ones while `limits` allow, in one transaction
// (see MetaStore::RecordDefinitions). `now_us` stamps created_at and the UUIDv7 of new rows.
StatusOr<RecordedDefinitions> UpsertDefinitions(
    sqlite::Connection& db, int64_t team_id, const std::vector<EventDefinitionSeen>& events,
    const std::vector<PropertyDefinitionSeen>& properties, const DefinitionLimits& limits,
    int64_t now_us);

// Inserts the new pairs while `limits` allow, in one transaction (see
// MetaStore::RecordEventProperties).
StatusOr<RecordedEventProperties> InsertEventProperties(sqlite::Connection& db, int64_t team_id,
                                                        const std::vector<EventPropertySeen>& pairs,
                                                        const EventPropertyLimits& limits);

// One page of a project's definitions, ordered by name (property definitions seen with the
// query's event names first), and the number of matches.
// kInvalidArgument for a search longer than DefinitionListQuery::kMaxSearchBytes, or more than
// kMaxEventNames event names.
StatusOr<DefinitionPage<EventDefinition>> SelectEventDefinitions(sqlite::Connection& db,
                                                                 const DefinitionListQuery& query);
StatusOr<DefinitionPage<PropertyDefinition>> SelectPropertyDefinitions(
    sqlite::Connection& db, const DefinitionListQuery& query);

// One definition by its UUID; kNotFound when the project has none.
StatusOr<EventDefinition> SelectEventDefinition(sqlite::Connection& db, int64_t team_id,
                                                std::string_view uuid);
StatusOr<PropertyDefinition> SelectPropertyDefinition(sqlite::Connection& db, int64_t team_id,
                                                      std::string_view uuid);

// Applies `change` to a definition's notes, stamped `now_us` and `user_id`, and reads it back.
// kNotFound when the project has none; kInvalidArgument for tags that are not an array of
// strings.
StatusOr<EventDefinition> UpdateEventDefinitionNotes(sqlite::Connection& db, int64_t team_id,
                                                     std::string_view uuid,
                                                     const DefinitionNotesChange& change,
                                                     std::optional<int64_t> user_id,
                                                     int64_t now_us);
StatusOr<PropertyDefinition> UpdatePropertyDefinitionNotes(sqlite::Connection& db, int64_t team_id,
                                                           std::string_view uuid,
                                                           const DefinitionNotesChange& change,
                                                           std::optional<int64_t> user_id,
                                                           int64_t now_us);

}  // namespace hoglet::meta
