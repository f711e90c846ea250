#include "flags/cohort.h"

#include <simdjson.h>

#include <utility>

namespace hoglet::flags {

StatusOr<filters::FilterNode> ParseCohortFilters(std::string_view json,
                                                 const filters::FilterParseOptions& options) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  dom::element root;
  simdjson::padded_string padded(json);
  simdjson::error_code error = parser.parse(padded).get(root);
  if (error != simdjson::SUCCESS) {
    return InvalidArgumentError(
        std::string("cohort filters are not valid JSON: ") + simdjson::error_message(error),
        "invalid_input");
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return InvalidArgumentError("cohort filters must be a JSON object", "invalid_input");
  }
  dom::element properties;
  if (object.at_key("properties").get(properties) != simdjson::SUCCESS || properties.is_null()) {
    return filters::FilterNode();
  }
  if (!properties.is_object()) {
    return InvalidArgumentError("properties must be an object", "invalid_input");
  }
  filters::FilterTreeOptions tree;
  tree.filter = options;
  return filters::ParseFilterTree(simdjson::minify(properties), tree);
}

}  // namespace hoglet::flags
