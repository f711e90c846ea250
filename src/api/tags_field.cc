#include "api/tags_field.h"

#include <vector>

#include "base/json_writer.h"

namespace hoglet::api {

StatusOr<std::optional<std::string>> TagsField(const JsonBody& body) {
  HOGLET_ASSIGN_OR_RETURN(auto tags, body.StringList("tags"));
  if (!tags) return std::optional<std::string>();
  JsonWriter w;
  w.BeginArray();
  for (const std::string& tag : *tags) w.String(tag);
  w.EndArray();
  return std::optional<std::string>(std::move(w).Take());
}

}  // namespace hoglet::api
