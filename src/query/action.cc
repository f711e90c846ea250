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

// The URL condition as a property filter on $current_url: contains as a case-sensitive search
// for the literal text, exact as equality, regex as written.
StatusOr<filters::FilterNode> UrlFilter(const std::string& url, const std::string& matching,
                                        const std::string& field) {
  std::string op;
  std::string value;
  if (matching == "contains") {
    op = "regex";
    value = RE2::QuoteMeta(url);
  } else if (matching == "exact") {
    op = "exact";
    value = url;
  } else if (matching == "regex") {
    op = "regex";
    value = url;
  } else {
    return Invalid(field + ".url_matching",
                   "'" + matching + "' is not one of contains, exact, regex");
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("key");
  w.String("$current_url");
  w.Key("type");
  w.String("event");
  w.Key("operator");
  w.String(op);
  w.Key("value");
  w.String(value);
  w.EndObject();
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.filter.reject_invalid_regex = true;
  options.root_name = field + ".url";
  return filters::ParseFilterTree(std::move(w).Take(), options);
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
    HOGLET_ASSIGN_OR_RETURN(filters::FilterNode url_filter,
                            UrlFilter(*url, url_matching.value_or("contains"), field));
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

  for (std::string_view key : {"text", "href", "selector", "tag_name"}) {
    HOGLET_ASSIGN_OR_RETURN(std::optional<std::string> condition,
                            OptionalText(step, key, field + "." + std::string(key)));
    if (condition) parsed.element_conditions.emplace_back(key);
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
