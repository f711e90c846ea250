// The stored `filters` JSON of a feature flag or a cohort, opened as an object before its fields
// are read. Both are checked the same way, so a malformed definition is reported in the same
// words wherever it is parsed.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "base/status.h"

namespace hoglet::flags {

// The object `json` holds, parsed by `parser`, which owns it: the object is valid until the
// parser parses again or is destroyed. `what` names the document in messages ("filters",
// "cohort filters"). kInvalidArgument (reason "invalid_input") "<what> are not valid JSON: …"
// or "<what> must be a JSON object".
StatusOr<simdjson::dom::object> ParseFiltersObject(simdjson::dom::parser& parser,
                                                   std::string_view json, std::string_view what);

}  // namespace hoglet::flags
