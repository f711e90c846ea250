#include "api/property_filter_parser.h"

#include <simdjson.h>

#include <map>
#include <string>

namespace hoglet::api {
namespace {

constexpr size_t kMaxFilters = 100;

const std::map<std::string_view, store::PropertyFilter::Op>& Operators() {
  using Op = store::PropertyFilter::Op;
  static const auto* ops = new std::map<std::string_view, Op>{
      {"exact", Op::kExact},
      {"is_not", Op::kIsNot},
      {"icontains", Op::kIContains},
      {"not_icontains", Op::kNotIContains},
      {"regex", Op::kRegex},
      {"not_regex", Op::kNotRegex},
      {"gt", Op::kGt},
      {"gte", Op::kGte},
      {"lt", Op::kLt},
      {"lte", Op::kLte},
      {"is_set", Op::kIsSet},
      {"is_not_set", Op::kIsNotSet},
  };
  return *ops;
}

Status Invalid(std::string message) {
  return InvalidArgumentError("properties: " + std::move(message), "invalid_input");
}

// A string field's value, `fallback` when absent, "" when present but not a string.
std::string_view StringField(simdjson::dom::element item, std::string_view key,
                             std::string_view fallback) {
  if (item[key].error() != simdjson::SUCCESS) return fallback;
  std::string_view value;
  return item[key].get_string().get(value) == simdjson::SUCCESS ? value : std::string_view();
}

StatusOr<store::PropertyFilter> ParseFilter(simdjson::dom::element item,
                                            std::string_view accepted_type) {
  std::string_view type = StringField(item, "type", accepted_type);
  if (type == "AND" || type == "OR") return Invalid("nested filter groups are not supported");
  if (type != accepted_type) {
    return Invalid("filters of type '" + std::string(type) + "' are not supported here; only " +
                   std::string(accepted_type) + " property filters are");
  }
  std::string_view key;
  if (item["key"].get_string().get(key) != simdjson::SUCCESS || key.empty()) {
    return Invalid("every filter needs a string 'key'");
  }
  std::string_view op_name = StringField(item, "operator", "exact");
  auto op = Operators().find(op_name);
  if (op == Operators().end()) {
    return Invalid("the filter on '" + std::string(key) + "' has an unknown operator '" +
                   std::string(op_name) + "'");
  }
  store::PropertyFilter filter;
  filter.key = std::string(key);
  filter.op = op->second;
  simdjson::dom::element value;
  if (item["value"].get(value) == simdjson::SUCCESS) {
    filter.value_json = simdjson::minify(value);
  } else if (filter.op != store::PropertyFilter::Op::kIsSet &&
             filter.op != store::PropertyFilter::Op::kIsNotSet) {
    return Invalid("the filter on '" + std::string(key) + "' needs a 'value'");
  }
  return filter;
}

}  // namespace

StatusOr<std::vector<store::PropertyFilter>> ParsePropertyFilters(std::string_view json,
                                                                  std::string_view accepted_type) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) {
    return Invalid(R"(must be a JSON list of filters, e.g. [{"key":"$browser","value":"Chrome"}])");
  }
  simdjson::dom::array list;
  if (root.get_array().get(list) != simdjson::SUCCESS) {
    std::string_view group_type = StringField(root, "type", "AND");
    if (group_type != "AND") {
      return Invalid("only an AND group of filters is supported, not '" + std::string(group_type) +
                     "'");
    }
    if (root["values"].get_array().get(list) != simdjson::SUCCESS) {
      return Invalid("must be a JSON list of filters");
    }
  }
  std::vector<store::PropertyFilter> filters;
  for (simdjson::dom::element item : list) {
    if (filters.size() == kMaxFilters) {
      return Invalid("at most " + std::to_string(kMaxFilters) + " filters are accepted");
    }
    HOGLET_ASSIGN_OR_RETURN(store::PropertyFilter filter, ParseFilter(item, accepted_type));
    filters.push_back(std::move(filter));
  }
  return filters;
}

}  // namespace hoglet::api
