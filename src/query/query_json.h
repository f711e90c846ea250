// Reading the fields of a query's JSON (PostHog's query schema) with messages that name the
// field: the helpers every query parser shares (trends_query_parser.h, events_query_parser.h,
// actors_query_parser.h).
//
// Every error is kInvalidArgument naming the field ("query.limit: must be a whole number"), with
// reason "invalid_input", or "unsupported" for what this server does not compute yet.
//
// Pure functions over simdjson's DOM; call them from any thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/filter_tree.h"

namespace hoglet::query {

// "<field>: <message>", reason "invalid_input".
Status Invalid(const std::string& field, const std::string& message);
// "<field>: <what> is not supported by this server yet", reason "unsupported".
Status NotYet(const std::string& field, const std::string& what);

// The query object a runner is given as JSON text, parsed by `parser` (which owns it).
// kInvalidArgument ("query: must be a JSON object") otherwise.
StatusOr<simdjson::dom::element> ParseQueryJson(simdjson::dom::parser* parser,
                                                std::string_view json);

// The member `key` of `parent`; nullopt when it is absent or null.
std::optional<simdjson::dom::element> Member(simdjson::dom::object parent, std::string_view key);

StatusOr<std::optional<std::string>> OptionalString(simdjson::dom::object parent,
                                                    std::string_view key, const std::string& field);
// Absent or null is false.
StatusOr<bool> OptionalBool(simdjson::dom::object parent, std::string_view key,
                            const std::string& field);
// A whole number (a number with a fraction is refused); nullopt when absent or null.
StatusOr<std::optional<int64_t>> OptionalInt(simdjson::dom::object parent, std::string_view key,
                                             const std::string& field);
// `*present` says whether the member was there (not null).
StatusOr<simdjson::dom::object> OptionalObject(simdjson::dom::object parent, std::string_view key,
                                               const std::string& field, bool* present);
// A list of strings; empty when absent or null. At most `max_items`.
StatusOr<std::vector<std::string>> OptionalStringList(simdjson::dom::object parent,
                                                      std::string_view key,
                                                      const std::string& field, size_t max_items);

// A group type index (0 to 4), nullopt when absent or null.
StatusOr<std::optional<int>> GroupTypeIndex(std::optional<simdjson::dom::element> value,
                                            const std::string& field);

// Event, person, group and cohort property filters: a list (AND) or an AND/OR group, at most
// 100 filters; an empty tree when `value` is nullopt. Other filter types are refused as not
// supported yet.
StatusOr<filters::FilterNode> Filters(std::optional<simdjson::dom::element> value,
                                      const std::string& field);

}  // namespace hoglet::query
