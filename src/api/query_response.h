// The parts every query runner's answer shares (events_query_run.h, hogql_query_run.h,
// actors_query_run.h, trends_query_run.h): reading the query spec the query endpoint passed on,
// and writing PostHog's paging and closing fields around a runner's own `results`, `columns` and
// `types`.
//
// Example (the closing of an ActorsQuery answer):
//   WriteQueryPage(has_more, actors.limit, actors.offset, &w);
//   ...
//   WriteQueryClosing({.null_hogql = true, .timezone = zone.name()}, &w);
//   return std::move(w).Take();
//
// Pure functions; call them from any thread.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/json_writer.h"
#include "base/status.h"

namespace hoglet::api {

// The query object `spec_json` holds, parsed by `parser`, which owns it (valid until the parser
// parses again). kInvalidArgument "query: must be a JSON object" (reason "invalid_input") when it
// is not one.
StatusOr<simdjson::dom::element> ParseQuerySpec(simdjson::dom::parser& parser,
                                                std::string_view spec_json);

// Where a page of rows stands: "hasMore", "limit", "offset".
void WriteQueryPage(bool has_more, int64_t limit, int64_t offset, JsonWriter* w);

// What varies in the closing fields of an answer.
struct QueryClosing {
  // Writes "hogql": null; an answer that printed HogQL writes its text earlier instead.
  bool null_hogql = false;
  // Writes "timezone" (the project's time zone); a trends answer writes it earlier instead.
  std::optional<std::string_view> timezone;
};

// The fields that close every query answer, in PostHog's order, then the closing brace of the
// answer object: "timings" ([]), "hogql" (see QueryClosing), "modifiers" (the persons-on-events
// mode this server computes with), "timezone" (see QueryClosing), "error" (null).
void WriteQueryClosing(const QueryClosing& closing, JsonWriter* w);

}  // namespace hoglet::api
