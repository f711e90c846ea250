#include "api/person_filters.h"

#include "api/property_filter_parser.h"

namespace hoglet::api {

StatusOr<PersonFilterSet> PersonFilterSet::Parse(std::string_view json) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<store::PropertyFilter> filters,
                          ParsePropertyFilters(json, "person"));
  PersonFilterSet set;
  for (const store::PropertyFilter& filter : filters) {
    auto compiled = store::CompiledFilter::Compile(filter);
    if (!compiled.ok()) {
      return InvalidArgumentError(
          "properties: the filter on '" + filter.key + "': " + compiled.status().message(),
          "invalid_input");
    }
    set.filters_.push_back(std::move(compiled).value());
  }
  return set;
}
bool PersonFilterSet::Matches(std::string_view properties_json,
                              store::PropertiesParser& parser) const {
  for (const store::CompiledFilter& filter : filters_) {
    std::optional<store::PropertyValue> value = parser.Find(properties_json, filter.key());
    if (!filter.Matches(value ? &*value : nullptr)) return false;
  }
  return true;
}

}  // namespace hoglet::api
