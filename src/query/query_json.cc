#include "query/query_json.h"

#include <cmath>

#include "query/trends_query.h"

namespace hoglet::query {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

Status Invalid(const std::string& field, const std::string& message) {
  return InvalidArgumentError(field + ": " + message, "invalid_input");
}

Status NotYet(const std::string& field, const std::string& what) {
  return InvalidArgumentError(field + ": " + what + " is not supported by this server yet",
                              "unsupported");
}

StatusOr<element> ParseQueryJson(simdjson::dom::parser* parser, std::string_view json) {
  element value;
  if (parser->parse(json.data(), json.size()).get(value) != simdjson::SUCCESS ||
      !value.is_object()) {
    return InvalidArgumentError("query: must be a JSON object", "invalid_input");
  }
  return value;
}

// The member `key` of `parent`; nullopt when it is absent or null.
std::optional<element> Member(object parent, std::string_view key) {
  element value;
  if (parent[key].get(value) != simdjson::SUCCESS || value.type() == element_type::NULL_VALUE) {
    return std::nullopt;
  }
  return value;
}

StatusOr<std::optional<std::string>> OptionalString(object parent, std::string_view key,
                                                    const std::string& field) {
  std::optional<element> value = Member(parent, key);
  if (!value) return std::optional<std::string>();
  std::string_view text;
  if (value->get(text) != simdjson::SUCCESS) return Invalid(field, "must be a string or null");
  return std::optional<std::string>(std::string(text));
}

StatusOr<bool> OptionalBool(object parent, std::string_view key, const std::string& field) {
  std::optional<element> value = Member(parent, key);
  if (!value) return false;
  bool flag = false;
  if (value->get(flag) != simdjson::SUCCESS) return Invalid(field, "must be true or false");
  return flag;
}

StatusOr<object> OptionalObject(object parent, std::string_view key, const std::string& field,
                                bool* present) {
  std::optional<element> value = Member(parent, key);
  *present = value.has_value();
  object out;
  if (*present && value->get(out) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  return out;
}

// A group type index (0 to kMaxGroupTypeIndex), absent or null when nullopt.
StatusOr<std::optional<int>> GroupTypeIndex(std::optional<element> value,
                                            const std::string& field) {
  if (!value || value->is_null()) return std::nullopt;
  int64_t index = -1;
  if (value->get(index) != simdjson::SUCCESS || index < 0 || index > kMaxGroupTypeIndex) {
    return Invalid(field,
                   "must be a group type index from 0 to " + std::to_string(kMaxGroupTypeIndex));
  }
  return static_cast<int>(index);
}

// Event, person, group, cohort and element filters: a list (AND) or an AND/OR group.
StatusOr<filters::FilterNode> Filters(std::optional<element> value, const std::string& field) {
  if (!value) return filters::FilterNode();
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.filter.reject_invalid_regex = true;
  options.filter.strict = true;
  options.max_filters = 100;
  options.root_name = field;
  HOGLET_ASSIGN_OR_RETURN(filters::FilterNode node,
                          filters::ParseFilterTree(simdjson::minify(*value), options));
  Status unsupported = Status::Ok();
  filters::ForEachFilter(node, [&](const filters::PropertyFilter& filter) {
    if (unsupported.ok() && filter.type != filters::FilterType::kEvent &&
        filter.type != filters::FilterType::kPerson &&
        filter.type != filters::FilterType::kCohort && filter.type != filters::FilterType::kGroup &&
        filter.type != filters::FilterType::kElement) {
      unsupported =
          NotYet(field, "a filter of type '" + filter.type_name + "' (on '" + filter.key + "')");
    } else if (unsupported.ok() && filter.type == filters::FilterType::kGroup &&
               (!filter.group_type_index || *filter.group_type_index < 0 ||
                *filter.group_type_index > kMaxGroupTypeIndex)) {
      unsupported = Invalid(field, "the group filter on '" + filter.key +
                                       "' needs a group_type_index from 0 to " +
                                       std::to_string(kMaxGroupTypeIndex));
    }
  });
  HOGLET_RETURN_IF_ERROR(unsupported);
  return node;
}

StatusOr<std::optional<int64_t>> OptionalInt(object parent, std::string_view key,
                                             const std::string& field) {
  std::optional<element> value = Member(parent, key);
  if (!value) return std::optional<int64_t>();
  int64_t number = 0;
  if (value->get(number) == simdjson::SUCCESS) return std::optional<int64_t>(number);
  double real = 0;
  if (value->get(real) == simdjson::SUCCESS && std::isfinite(real) && std::floor(real) == real &&
      std::fabs(real) < 9e15) {
    return std::optional<int64_t>(static_cast<int64_t>(real));
  }
  return Invalid(field, "must be a whole number");
}

StatusOr<std::vector<std::string>> OptionalStringList(object parent, std::string_view key,
                                                      const std::string& field, size_t max_items) {
  std::vector<std::string> out;
  std::optional<element> value = Member(parent, key);
  if (!value) return out;
  simdjson::dom::array items;
  if (value->get(items) != simdjson::SUCCESS) return Invalid(field, "must be a list of strings");
  if (items.size() > max_items) {
    return Invalid(field, "has more than " + std::to_string(max_items) + " entries");
  }
  size_t index = 0;
  for (element item : items) {
    std::string_view text;
    if (item.get(text) != simdjson::SUCCESS) {
      return Invalid(field + "[" + std::to_string(index) + "]", "must be a string");
    }
    out.emplace_back(text);
    ++index;
  }
  return out;
}

}  // namespace hoglet::query
