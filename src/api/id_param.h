// Ids in paths and query parameters (`/feature_flags/{id}`, `created_by_id=7`): decimal integers,
// read the same way by every handler.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"

namespace hoglet::api {

// The id `text` spells: a whole decimal number (an optional '-', digits, nothing else); nullopt
// for anything else, the empty string included.
std::optional<int64_t> ParseId(std::string_view text);

// The record the `{id}` path parameter names, read by `lookup(id)` (a StatusOr of the record).
// kNotFound "no <what> with id '<text>'" when the parameter is not an id, and "no <what> with id
// <text> in this project" when the lookup finds nothing; other errors as the lookup returns them.
template <typename Lookup>
auto RecordFromPath(const http::Request& request, std::string_view what, Lookup&& lookup)
    -> decltype(lookup(int64_t{})) {
  std::string_view text = request.PathParam("id");
  std::optional<int64_t> id = ParseId(text);
  if (!id) return NotFoundError("no " + std::string(what) + " with id '" + std::string(text) + "'");
  auto record = lookup(*id);
  if (!record.ok() && record.status().code() == StatusCode::kNotFound) {
    return NotFoundError("no " + std::string(what) + " with id " + std::string(text) +
                         " in this project");
  }
  return record;
}

}  // namespace hoglet::api
