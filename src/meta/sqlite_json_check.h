// Checks of JSON text the SQLite metadata store is about to write, with SQLite's own JSON parser,
// so that what passes here also passes the tables' CHECK constraints.
//
// Each function runs on the caller's connection, which the caller serialises.
#pragma once

#include <string_view>

#include "base/status.h"
#include "sqlite/connection.h"

namespace hoglet::meta {

enum class JsonShape { kObject, kArray, kArrayOfStrings };

// OK when `json` is valid JSON of `shape`; otherwise kInvalidArgument "<field> must be <shape>"
// with `reason`.
Status CheckJsonShape(sqlite::Connection& db, std::string_view json, JsonShape shape,
                      std::string_view field, std::string_view reason);

}  // namespace hoglet::meta
