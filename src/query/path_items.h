// The path item an event stands for in a PathsQuery (analytics §3.5, step 1): a $pageview its
// $current_url with one trailing '/' removed ("/pricing/" → "/pricing", "/" stays), a $screen its
// $screen_name, any other event its name (or the property pathsHogQLExpression reads); a missing
// value is "". The item is then cleaned by each cleaning regex in turn (replaceRegexpAll) and
// replaced by the first grouping pattern it contains.
//
// Example:
//   std::string item = CleanPathItem(query, RawPathItem(query, "$pageview", url, {}, {}));
//
// Pure functions; call them from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "query/paths_query.h"

namespace hoglet::query {

// The item before cleaning. `current_url`, `screen_name` and `hogql_value` are the event's
// values of $current_url, $screen_name and the query's hogql_property (nullopt when missing).
std::string RawPathItem(const PathsQuery& query, std::string_view event,
                        const std::optional<std::string>& current_url,
                        const std::optional<std::string>& screen_name,
                        const std::optional<std::string>& hogql_value);

// The item after the query's cleaning regexes and groupings.
std::string CleanPathItem(const PathsQuery& query, std::string item);

}  // namespace hoglet::query
