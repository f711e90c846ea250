// Which property filter types a query can apply to the events it reads: event, person, cohort,
// group, element (autocapture) and HogQL expression filters. Flag filters and unknown types
// belong to flag conditions only; a query that meets one refuses it with a message naming the
// filter.
#pragma once

#include "filters/property_filter.h"

namespace hoglet::query {

// Whether the query engines apply filters of `type`.
constexpr bool IsQueryFilterType(filters::FilterType type) {
  return type == filters::FilterType::kEvent || type == filters::FilterType::kPerson ||
         type == filters::FilterType::kCohort || type == filters::FilterType::kGroup ||
         type == filters::FilterType::kElement || type == filters::FilterType::kHogQL;
}

}  // namespace hoglet::query
