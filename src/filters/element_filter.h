// PostHog's `element` property filters (analytics §1.7, §3.1) on the autocapture elements chain
// of an event (elements_chain.h):
//
//   {"type": "element", "key": "selector", "value": "a.btn", "operator": "exact"}
//   {"type": "element", "key": "text", "value": "Sign up", "operator": "icontains"}
//
// Keys: `selector` (a CSS selector, element_selector.h) and `tag_name` (some element of the
// chain has that tag), each with `exact` or `is_not` only, a list of values meaning any of them;
// `href` (the chain's first href) and `text` (some text of the chain) with every string operator
// of property_match.h, as HogQL reads them.
//
// Pure and thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "filters/property_filter.h"
#include "filters/property_match.h"

namespace hoglet::filters {

// Completes a parsed element filter: compiles its selectors. kInvalidArgument naming the filter
// when `strict` and the key is not one of selector, tag_name, text, href, or a selector or
// tag_name filter has an operator other than exact and is_not, or a value that is not a string.
// Otherwise such a filter matches nothing.
Status PrepareElementFilter(PropertyFilter* filter, bool strict);

// Whether the element filter holds for an event whose `$elements_chain` is `elements_chain` (""
// for an event without one).
bool MatchElementFilter(const PropertyFilter& filter, std::string_view elements_chain,
                        const MatchContext& context);

}  // namespace hoglet::filters
