#include "api/property_filter_parser.h"

namespace hoglet::api {

StatusOr<filters::FilterNode> ParsePropertyFilters(std::string_view json,
                                                   filters::FilterType type) {
  filters::FilterTreeOptions options;
  options.filter.default_type = type;
  options.filter.strict = true;
  options.only_type = type;
  options.max_filters = kMaxListFilters;
  return filters::ParseFilterTree(json, options);
}

}  // namespace hoglet::api
