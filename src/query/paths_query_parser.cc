#include "query/paths_query_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "filters/property_filter.h"
#include "query/funnels_query_parser.h"
#include "query/insight_parser.h"
#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

StatusOr<std::shared_ptr<const re2::RE2>> Compile(const std::string& pattern,
                                                  const std::string& field) {
  if (pattern.size() > filters::kMaxRegexPatternBytes) {
    return Invalid(field,
                   "is longer than " + std::to_string(filters::kMaxRegexPatternBytes) + " bytes");
  }
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(filters::kRegexMaxMemBytes);
  auto regex = std::make_shared<const re2::RE2>(pattern, options);
  if (!regex->ok()) return Invalid(field, "is not a regular expression: " + regex->error());
  return std::shared_ptr<const re2::RE2>(std::move(regex));
}

// A whole number within [min, max]; nullopt when absent or null.
StatusOr<std::optional<int64_t>> Bounded(object parent, std::string_view key, int64_t min,
                                         int64_t max) {
  const std::string field = "query.pathsFilter." + std::string(key);
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> value, OptionalInt(parent, key, field));
  if (value && (*value < min || *value > max)) {
    return Invalid(
        field, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

// The event property a pathsHogQLExpression reads: `properties.$key`, `properties['key']` or
// `properties."key"`; nullopt for any other expression.
std::optional<std::string> PropertyOfExpression(std::string_view expression) {
  while (!expression.empty() && expression.front() == ' ') expression.remove_prefix(1);
  while (!expression.empty() && expression.back() == ' ') expression.remove_suffix(1);
  constexpr std::string_view kPrefix = "properties";
  if (expression.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = expression.substr(kPrefix.size());
  if (rest.size() > 1 && rest.front() == '.') {
    rest.remove_prefix(1);
    const char quote = rest.front();
    if (rest.size() > 2 && (quote == '"' || quote == '`') && rest.back() == quote) {
      rest = rest.substr(1, rest.size() - 2);
      if (rest.find(quote) != std::string_view::npos || rest.find('\\') != std::string_view::npos) {
        return std::nullopt;
      }
      return std::string(rest);
    }
    for (char c : rest) {
      const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '$';
      if (!word) return std::nullopt;
    }
    return std::string(rest);
  }
  if (rest.size() > 4 && rest.front() == '[' && rest.back() == ']') {
    rest = rest.substr(1, rest.size() - 2);
    const char quote = rest.front();
    if ((quote != '\'' && quote != '"') || rest.back() != quote || rest.size() < 3) {
      return std::nullopt;
    }
    rest = rest.substr(1, rest.size() - 2);
    if (rest.find(quote) != std::string_view::npos || rest.find('\\') != std::string_view::npos) {
      return std::nullopt;
    }
    return std::string(rest);
  }
  return std::nullopt;
}

Status ParseEventTypes(object filter, PathsQuery* query) {
  HOGLET_ASSIGN_OR_RETURN(
      std::vector<std::string> types,
      OptionalStringList(filter, "includeEventTypes", "query.pathsFilter.includeEventTypes", 4));
  HOGLET_ASSIGN_OR_RETURN(
      query->exclude_items,
      OptionalStringList(filter, "excludeEvents", "query.pathsFilter.excludeEvents",
                         kMaxPathExclusions));
  bool hogql = false;
  for (size_t i = 0; i < types.size(); ++i) {
    if (types[i] == "$pageview") {
      query->read_pageviews = true;
    } else if (types[i] == "$screen") {
      query->read_screens = true;
    } else if (types[i] == "custom_event") {
      query->read_custom_events = true;
    } else if (types[i] == "hogql") {
      hogql = true;
    } else {
      return Invalid("query.pathsFilter.includeEventTypes[" + std::to_string(i) + "]",
                     "'" + types[i] +
                         "' is not a path type ($pageview, $screen, custom_event, "
                         "hogql)");
    }
  }
  // As PostHog names items: without includeEventTypes, each naming rule holds unless its type
  // is listed in excludeEvents; with them, only the listed types' rules hold.
  auto named = [&](std::string_view type, bool listed) {
    if (!types.empty()) return listed;
    return std::find(query->exclude_items.begin(), query->exclude_items.end(), type) ==
           query->exclude_items.end();
  };
  query->pageview_urls = named("$pageview", query->read_pageviews);
  query->screen_names = named("$screen", query->read_screens);

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> expression,
      OptionalString(filter, "pathsHogQLExpression", "query.pathsFilter.pathsHogQLExpression"));
  if (expression && !expression->empty() && named("hogql", hogql)) {
    std::optional<std::string> property = PropertyOfExpression(*expression);
    if (property) {
      query->hogql_property = std::move(property);
    } else if (*expression != "event") {
      return NotYet("query.pathsFilter.pathsHogQLExpression",
                    "a path expression other than `event` or `properties.<key>`");
    }
  }
  return Status::Ok();
}

Status ParseCleaning(object filter, PathsQuery* query) {
  // pathReplacements applies the project's path cleaning rules; a project here has none, so it
  // changes nothing (as on PostHog for a project without rules).
  HOGLET_RETURN_IF_ERROR(
      OptionalBool(filter, "pathReplacements", "query.pathsFilter.pathReplacements").status());
  std::optional<element> local = Member(filter, "localPathCleaningFilters");
  if (local) {
    const std::string field = "query.pathsFilter.localPathCleaningFilters";
    simdjson::dom::array list;
    if (local->get(list) != simdjson::SUCCESS) {
      return Invalid(field, "must be a list of {regex, alias}");
    }
    if (list.size() > kMaxPathPatterns) {
      return Invalid(field, "has more than " + std::to_string(kMaxPathPatterns) + " entries");
    }
    size_t index = 0;
    for (element item : list) {
      const std::string at = field + "[" + std::to_string(index++) + "]";
      object entry;
      if (item.get(entry) != simdjson::SUCCESS) return Invalid(at, "must be {regex, alias}");
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> regex,
                              OptionalString(entry, "regex", at + ".regex"));
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> alias,
                              OptionalString(entry, "alias", at + ".alias"));
      // PostHog's form may hold a rule still being written; it cleans nothing.
      if (!regex || regex->empty()) continue;
      PathCleaning cleaning{*regex, alias.value_or(""), nullptr};
      HOGLET_ASSIGN_OR_RETURN(cleaning.compiled, Compile(*regex, at + ".regex"));
      std::string why;
      if (!cleaning.compiled->CheckRewriteString(cleaning.alias, &why)) {
        return Invalid(at + ".alias", why);
      }
      query->cleaning.push_back(std::move(cleaning));
    }
  }

  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> groupings,
                          OptionalStringList(filter, "pathGroupings",
                                             "query.pathsFilter.pathGroupings", kMaxPathPatterns));
  for (size_t i = 0; i < groupings.size(); ++i) {
    // Quoted, then each '*' (quoted as \*) matches anything, as PostHog builds the pattern.
    std::string quoted = re2::RE2::QuoteMeta(groupings[i]);
    std::string pattern;
    for (size_t at = 0; at < quoted.size(); ++at) {
      if (quoted[at] == '\\' && at + 1 < quoted.size() && quoted[at + 1] == '*') {
        pattern += ".*";
        ++at;
      } else if (quoted[at] == '\\' && at + 1 < quoted.size()) {
        pattern += quoted.substr(at, 2);
        ++at;
      } else {
        pattern += quoted[at];
      }
    }
    PathGrouping grouping{groupings[i], nullptr};
    HOGLET_ASSIGN_OR_RETURN(grouping.compiled, Compile(pattern, "query.pathsFilter.pathGroupings[" +
                                                                    std::to_string(i) + "]"));
    query->groupings.push_back(std::move(grouping));
  }
  return Status::Ok();
}

Status ParsePathsFilter(object filter, PathsQuery* query) {
  HOGLET_RETURN_IF_ERROR(ParseEventTypes(filter, query));
  HOGLET_RETURN_IF_ERROR(ParseCleaning(filter, query));
  HOGLET_ASSIGN_OR_RETURN(query->start_point,
                          OptionalString(filter, "startPoint", "query.pathsFilter.startPoint"));
  HOGLET_ASSIGN_OR_RETURN(query->end_point,
                          OptionalString(filter, "endPoint", "query.pathsFilter.endPoint"));
  // An empty point is no point, as PostHog reads it.
  if (query->start_point && query->start_point->empty()) query->start_point.reset();
  if (query->end_point && query->end_point->empty()) query->end_point.reset();

  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> steps,
                          Bounded(filter, "stepLimit", 0, kMaxPathStepLimit));
  if (steps && *steps > 0) query->step_limit = *steps;
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> edges,
                          Bounded(filter, "edgeLimit", 0, kMaxPathEdgeLimit));
  if (edges && *edges > 0) query->edge_limit = *edges;
  // A weight bound of 0 is no bound, as PostHog reads it.
  constexpr int64_t kMaxWeight = int64_t{1} << 53;
  HOGLET_ASSIGN_OR_RETURN(query->min_edge_weight, Bounded(filter, "minEdgeWeight", 0, kMaxWeight));
  if (query->min_edge_weight == 0) query->min_edge_weight.reset();
  HOGLET_ASSIGN_OR_RETURN(query->max_edge_weight, Bounded(filter, "maxEdgeWeight", 0, kMaxWeight));
  if (query->max_edge_weight == 0) query->max_edge_weight.reset();

  HOGLET_ASSIGN_OR_RETURN(query->actor_keys.start,
                          OptionalString(filter, "pathStartKey", "query.pathsFilter.pathStartKey"));
  HOGLET_ASSIGN_OR_RETURN(query->actor_keys.end,
                          OptionalString(filter, "pathEndKey", "query.pathsFilter.pathEndKey"));
  HOGLET_ASSIGN_OR_RETURN(
      query->actor_keys.dropoff,
      OptionalString(filter, "pathDropoffKey", "query.pathsFilter.pathDropoffKey"));
  for (std::optional<std::string>* key :
       {&query->actor_keys.start, &query->actor_keys.end, &query->actor_keys.dropoff}) {
    if (*key && (*key)->empty()) key->reset();
  }
  return Status::Ok();
}

StatusOr<FunnelPaths> ParseFunnelPathsFilter(object filter) {
  constexpr std::string_view kField = "query.funnelPathsFilter";
  const std::string source_field = std::string(kField) + ".funnelSource";
  FunnelPaths paths;
  std::optional<element> source = Member(filter, "funnelSource");
  std::string_view kind;
  if (!source || !source->is_object() ||
      ((*source)["kind"].get(kind) == simdjson::SUCCESS && kind != "FunnelsQuery")) {
    return Invalid(source_field, "must be the FunnelsQuery whose step the paths start from");
  }
  StatusOr<FunnelsQuery> funnel = ParseFunnelsQuery(*source);
  if (!funnel.ok()) {
    // The funnel's fields are named from the paths query ("query.funnelPathsFilter.funnelSource
    // .series[0]…").
    std::string message = funnel.status().message();
    if (message.starts_with("query")) message = source_field + message.substr(5);
    return InvalidArgumentError(message, std::string(funnel.status().reason()));
  }
  paths.funnel = *std::move(funnel);
  if (paths.funnel.viz == FunnelViz::kTrends) {
    return Invalid(source_field + ".funnelsFilter.funnelVizType",
                   "the paths of a funnel step read a steps funnel, not a trends one");
  }
  paths.funnel.viz = FunnelViz::kSteps;  // a time-to-convert funnel's steps are its steps
  if (paths.funnel.aggregation_group_type_index) {
    return NotYet(source_field + ".aggregation_group_type_index",
                  "the paths of a funnel over groups (paths are persons')");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> type,
      OptionalString(filter, "funnelPathType", std::string(kField) + ".funnelPathType"));
  if (type == "funnel_path_before_step") {
    paths.type = FunnelPathType::kBeforeStep;
  } else if (type == "funnel_path_after_step") {
    paths.type = FunnelPathType::kAfterStep;
  } else if (type == "funnel_path_between_steps") {
    paths.type = FunnelPathType::kBetweenSteps;
  } else {
    return Invalid(std::string(kField) + ".funnelPathType",
                   "must be funnel_path_before_step, funnel_path_after_step or "
                   "funnel_path_between_steps");
  }

  const std::string step_field = std::string(kField) + ".funnelStep";
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> step,
                          OptionalInt(filter, "funnelStep", step_field));
  const auto steps = static_cast<int64_t>(paths.funnel.steps.size());
  if (!step) return Invalid(step_field, "the funnel step the paths start from is required");
  if (*step == 0 || *step == -1 || *step > steps || *step < -steps) {
    return Invalid(step_field, "must be 1…" + std::to_string(steps) +
                                   " (reached the step) or −2…−" + std::to_string(steps) +
                                   " (dropped off before it); steps are 1-based");
  }
  paths.step = *step;
  const size_t target = paths.target_step();
  if (paths.type == FunnelPathType::kBetweenSteps && target == 0) {
    return Invalid(step_field, "funnel_path_between_steps needs a step before the target one: 2…" +
                                   std::to_string(steps) + ", or −3…−" + std::to_string(steps));
  }
  // PostHog times the paths by the events of the funnel's steps; a skipped optional step has
  // none.
  for (size_t timed : {target, paths.type == FunnelPathType::kBetweenSteps ? target - 1 : target}) {
    if ((paths.funnel.optional_steps >> timed & 1u) != 0) {
      return NotYet(step_field, "the paths around an optional funnel step (step " +
                                    std::to_string(timed + 1) + ")");
    }
  }
  return paths;
}

}  // namespace

StatusOr<PathsQuery> ParsePathsQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  PathsQuery query;
  HOGLET_ASSIGN_OR_RETURN(query.date_range, ParseDateRange(root));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));
  HOGLET_RETURN_IF_ERROR(RefuseSampling(root));
  bool funnel_present = false;
  HOGLET_ASSIGN_OR_RETURN(
      object funnel_filter,
      OptionalObject(root, "funnelPathsFilter", "query.funnelPathsFilter", &funnel_present));
  if (funnel_present) {
    HOGLET_ASSIGN_OR_RETURN(query.funnel_paths, ParseFunnelPathsFilter(funnel_filter));
  }
  bool present = false;
  HOGLET_ASSIGN_OR_RETURN(object filter,
                          OptionalObject(root, "pathsFilter", "query.pathsFilter", &present));
  if (present) HOGLET_RETURN_IF_ERROR(ParsePathsFilter(filter, &query));
  return query;
}

}  // namespace hoglet::query
