#include "api/person_filters.h"

#include "api/property_filter_parser.h"
#include "filters/property_value.h"

namespace hoglet::api {

StatusOr<PersonFilterSet> PersonFilterSet::Parse(std::string_view json,
                                                 const filters::MatchContext& context) {
  PersonFilterSet set;
  HOGLET_ASSIGN_OR_RETURN(set.tree_, ParsePropertyFilters(json, filters::FilterType::kPerson));
  set.context_ = context;
  return set;
}

bool PersonFilterSet::Matches(std::string_view properties_json) const {
  StatusOr<filters::Properties> properties = filters::ParseProperties(properties_json);
  const filters::Properties empty;
  const filters::Properties& props = properties.ok() ? *properties : empty;
  return filters::MatchTree(tree_, [&](const filters::PropertyFilter& filter) {
    return filters::MatchProperty(filter, props, context_);
  });
}

}  // namespace hoglet::api
