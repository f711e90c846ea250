#include "flags/cohort.h"

#include <simdjson.h>

#include <utility>

#include "flags/filters_json.h"

namespace hoglet::flags {

StatusOr<filters::FilterNode> ParseCohortFilters(std::string_view json,
                                                 const filters::FilterParseOptions& options) {
  namespace dom = simdjson::dom;
  dom::parser parser;
  HOGLET_ASSIGN_OR_RETURN(dom::object object, ParseFiltersObject(parser, json, "cohort filters"));
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
