// The `tags` field of an insight or dashboard body: a JSON array of strings, kept as JSON text
// in the metadata store.
#pragma once

#include <optional>
#include <string>

#include "api/json_body.h"
#include "base/status.h"

namespace hoglet::api {

// The tags as a JSON array text; nullopt when the field is absent. kInvalidArgument (as
// JsonBody::StringList) when it is not an array of strings.
StatusOr<std::optional<std::string>> TagsField(const JsonBody& body);

}  // namespace hoglet::api
