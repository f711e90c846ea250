// Conversions from parsed simdjson DOM elements, shared by the properties parser
// (property_value.cc), the filter parser (property_filter.cc) and the filter-tree parser
// (filter_tree.cc). Private to filters/.
//
// Numbers keep simdjson's printing of them as their literal: integers as written, doubles in
// shortest round-trip form with ".0" kept on integral values ("5.0" stays "5.0"; "5.00" becomes
// "5.0", as PostHog's server prints it). Arrays and objects keep their compact JSON text.
// Pure and thread-safe.
#pragma once

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/property_filter.h"
#include "filters/property_value.h"

namespace hoglet::filters {

PropertyValue PropertyValueFromJson(const simdjson::dom::element& element);

// The items of a JSON array given as text (the `text` of a kArray PropertyValue). False, with
// `*items` unspecified, when `json` is not a JSON array.
bool ParseJsonArrayItems(std::string_view json, std::vector<PropertyValue>* items);

// One filter object (ParsePropertyFilter, property_filter.h, for an element already parsed).
StatusOr<PropertyFilter> PropertyFilterFromJson(const simdjson::dom::element& element,
                                                const FilterParseOptions& options);

// The "type" of a behavioural cohort criterion (behavioral_criterion.h).
inline constexpr std::string_view kBehavioralTypeName = "behavioral";

// Sets filter->behavioral from the criterion object (its key already in filter->key), or
// filter->behavioral_error saying why this server cannot evaluate it.
void ReadBehavioralCriterion(const simdjson::dom::object& object, PropertyFilter* filter);

}  // namespace hoglet::filters
