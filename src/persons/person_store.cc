#include "persons/person_store.h"

#include "filters/property_value.h"

namespace hoglet::persons {

bool MatchesPropertyFilters(const PersonListQuery& query, std::string_view properties_json) {
  if (query.properties.empty()) return true;
  StatusOr<filters::Properties> parsed = filters::ParseProperties(properties_json);
  const filters::Properties properties = parsed.ok() ? *std::move(parsed) : filters::Properties();
  return filters::MatchTree(query.properties, [&](const filters::PropertyFilter& filter) {
    return filters::MatchProperty(filter, properties, query.filter_context);
  });
}

}  // namespace hoglet::persons
