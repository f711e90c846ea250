#include "flags/filters_json.h"

#include <string>

namespace hoglet::flags {

StatusOr<simdjson::dom::object> ParseFiltersObject(simdjson::dom::parser& parser,
                                                   std::string_view json, std::string_view what) {
  simdjson::dom::element root;
  simdjson::error_code error = parser.parse(json.data(), json.size()).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string(what) + " are not valid JSON: " + simdjson::error_message(error),
        "invalid_input");
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string(what) + " must be a JSON object", "invalid_input");
  }
  return object;
}

}  // namespace hoglet::flags
