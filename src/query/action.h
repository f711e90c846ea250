// An action (analytics §1.7) as queries read it: a named OR of steps, each the AND of an event
// name, a URL condition on `$current_url` and property filters. An action without steps matches
// every event, a step without conditions every event; a deleted action matches none.
//
// A step's JSON (PostHog's ActionStepJSON), every field optional:
//   {"event": "$pageview", "url": "/pricing", "url_matching": "contains" | "exact" | "regex",
//    "properties": [<property filter>, …],
//    "text", "text_matching", "href", "href_matching", "selector", "tag_name"}
// `url_matching` defaults to "contains", which is case-sensitive (PostHog's LIKE); regexes are
// RE2's. On a step of `$autocapture` events, `selector`, `tag_name`, `href` and `text` become
// element filters on the event's elements chain (filters/element_filter.h); `href_matching` and
// `text_matching` default to "exact", and their "contains" ignores case (PostHog's ILIKE). On
// other steps PostHog ignores them, and so does this.
//
// Example:
//   HOGLET_ASSIGN_OR_RETURN(ActionSteps steps, ParseActionSteps(record.steps_json, "steps"));
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "filters/filter_tree.h"

namespace hoglet::query {

struct ActionStep {
  std::optional<std::string> event;  // nullopt: any event
  // The URL condition, the properties and the autocapture conditions, AND-ed.
  filters::FilterNode filters;
};

using ActionSteps = std::vector<ActionStep>;

// At most this many steps per action.
inline constexpr size_t kMaxActionSteps = 100;

// kInvalidArgument naming the field ("steps[1].url_matching: 'fuzzy' is not one of contains,
// exact, regex") for steps that are not a list of step objects, an unknown matching, a regex RE2
// refuses, or malformed property filters.
StatusOr<ActionSteps> ParseActionSteps(std::string_view steps_json, std::string_view field);

}  // namespace hoglet::query
