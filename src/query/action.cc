#include "query/action.h"

#include <re2/re2.h>
#include <simdjson.h>

#include "base/json_writer.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

Status Invalid(const std::string& field, const std::string& message) {
  return InvalidArgumentError(field + ": " + message, "invalid_input");
}

// A text field of the step: nullopt when absent, null or "".
StatusOr<std::optional<std::string>> OptionalText(object step, std::string_view key,
                                                  const std::string& field) {
  element value;
  if (step[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) return Invalid(field, "must be a string or null");
  if (text.empty()) return std::nullopt;
  return std::string(text);
}

// One filter of a step as the filter engine reads it.
StatusOr<filters::FilterNode> StepFilter(std::string_view type, std::string_view key,
                                         std::string_view op, const std::string& value,
                                         const std::string& field) {
  JsonWriter w;
  w.BeginObject();
  w.Key("key");
  w.String(key);
  w.Key("type");
  w.String(type);
  w.Key("operator");
  w.String(op);
  w.Key("value");
  w.String(value);
  w.EndObject();
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.filter.reject_invalid_regex = true;
  options.filter.strict = true;
  options.root_name = field;
  return filters::ParseFilterTree(std::move(w).Take(), options);
}

// The operator of a `*_matching` field: contains (case-sensitive for URLs, as PostHog's LIKE, and
// case-insensitive for elements, as its ILIKE), exact or regex.
StatusOr<std::string> MatchingOperator(const std::optional<std::string>& matching,
                                       std::string_view fallback, bool contains_ignores_case,
                                       const std::string& field) {
  const std::string name = matching.value_or(std::string(fallback));
  if (name == "contains") return std::string(contains_ignores_case ? "icontains" : "regex");
  if (name == "exact" || name == "regex") return name;
  return Invalid(field, "'" + name + "' is not one of contains, exact, regex");
}

StatusOr<ActionStep> ParseStep(element value, const std::string& field) {
  object step;
  if (value.get(step) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  ActionStep parsed;
  HOGLET_ASSIGN_OR_RETURN(parsed.event, OptionalText(step, "event", field + ".event"));
  parsed.filters.kind = filters::FilterNode::Kind::kAnd;

  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> url,
                          OptionalText(step, "url", field + ".url"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> url_matching,
                          OptionalText(step, "url_matching", field + ".url_matching"));
  if (url) {
    HOGLET_ASSIGN_OR_RETURN(
        std::string op, MatchingOperator(url_matching, "contains", false, field + ".url_matching"));
    // contains: a case-sensitive search for the literal text.
    HOGLET_ASSIGN_OR_RETURN(
        filters::FilterNode url_filter,
        StepFilter("event", "$current_url", op,
                   url_matching.value_or("contains") == "contains" ? RE2::QuoteMeta(*url) : *url,
                   field + ".url"));
    parsed.filters.children.push_back(std::move(url_filter));
  }

  element properties;
  if (step["properties"].get(properties) == simdjson::SUCCESS && !properties.is_null()) {
    filters::FilterTreeOptions options;
    options.filter.default_type = filters::FilterType::kEvent;
    options.filter.reject_invalid_regex = true;
    options.root_name = field + ".properties";
    HOGLET_ASSIGN_OR_RETURN(filters::FilterNode node,
                            filters::ParseFilterTree(simdjson::minify(properties), options));
    if (!node.empty()) parsed.filters.children.push_back(std::move(node));
  }

  // The autocapture conditions, read on $autocapture steps only (as PostHog reads them), as
  // element filters on the event's elements chain.
  for (std::string_view key : {"selector", "tag_name", "href", "text"}) {
    const std::string key_field = field + "." + std::string(key);
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> condition,
                            OptionalText(step, key, key_field));
    if (!condition || parsed.event != "$autocapture") continue;
    std::string op = "exact";
    if (key == "href" || key == "text") {
      const std::string matching_key = std::string(key) + "_matching";
      HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> matching,
                              OptionalText(step, matching_key, field + "." + matching_key));
      HOGLET_ASSIGN_OR_RETURN(
          op, MatchingOperator(matching, "exact", true, field + "." + matching_key));
    }
    HOGLET_ASSIGN_OR_RETURN(filters::FilterNode element,
                            StepFilter("element", key, op, *condition, key_field));
    parsed.filters.children.push_back(std::move(element));
  }
  return parsed;
}

}  // namespace

StatusOr<ActionSteps> ParseActionSteps(std::string_view steps_json, std::string_view field) {
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  if (parser.parse(steps_json.data(), steps_json.size()).get(list) != simdjson::SUCCESS) {
    return Invalid(std::string(field), "must be a list of steps");
  }
  if (list.size() > kMaxActionSteps) {
    return Invalid(std::string(field), "at most " + std::to_string(kMaxActionSteps) + " steps");
  }
  ActionSteps steps;
  size_t index = 0;
  for (element value : list) {
    HOGLET_ASSIGN_OR_RETURN(ActionStep step, ParseStep(value, std::string(field) + "[" +
                                                                  std::to_string(index++) + "]"));
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace hoglet::query
