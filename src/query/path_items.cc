#include "query/path_items.h"

#include <re2/re2.h>

namespace hoglet::query {

std::string RawPathItem(const PathsQuery& query, std::string_view event,
                        const std::optional<std::string>& current_url,
                        const std::optional<std::string>& screen_name,
                        const std::optional<std::string>& hogql_value) {
  if (event == "$screen" && query.screen_names) return screen_name.value_or("");
  if (event == "$pageview" && query.pageview_urls) {
    std::string url = current_url.value_or("");
    // PostHog's replaceRegexpAll(url, '(.)/$', '\1'): one '/' after at least one character.
    if (url.size() > 1 && url.back() == '/') url.pop_back();
    return url;
  }
  if (query.hogql_property) return hogql_value.value_or("");
  return std::string(event);
}

std::string CleanPathItem(const PathsQuery& query, std::string item) {
  for (const PathCleaning& cleaning : query.cleaning) {
    re2::RE2::GlobalReplace(&item, *cleaning.compiled, cleaning.alias);
  }
  for (const PathGrouping& grouping : query.groupings) {
    if (re2::RE2::PartialMatch(item, *grouping.compiled)) return grouping.pattern;
  }
  return item;
}

}  // namespace hoglet::query
