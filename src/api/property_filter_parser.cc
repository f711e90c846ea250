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

}  // namespace

StatusOr<std::vector<store::PropertyFilter>> ParsePropertyFilters(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) {
    return InvalidArgumentError(
        "properties must be a JSON list of filters, e.g. "
        R"([{"key":"$browser","value":"Chrome","operator":"exact"}])");
  }
  // PostHog also sends {"type": "AND", "values": [...]} groups; a flat list is the common form.
  simdjson::dom::array list;
  if (root.get_array().get(list) != simdjson::SUCCESS) {
    simdjson::dom::array values;
    if (root["values"].get_array().get(values) != simdjson::SUCCESS) {
      return InvalidArgumentError("properties must be a JSON list of filters");
    }
    list = values;
  }
  std::vector<store::PropertyFilter> filters;
  for (simdjson::dom::element item : list) {
    if (filters.size() == kMaxFilters) {
      return InvalidArgumentError("at most " + std::to_string(kMaxFilters) +
                                  " property filters are accepted");
    }
    std::string_view key;
    if (item["key"].get_string().get(key) != simdjson::SUCCESS || key.empty()) {
      return InvalidArgumentError("every property filter needs a string 'key'");
    }
    std::string_view type = "event";
    if (item["type"].error() == simdjson::SUCCESS) {
      if (item["type"].get_string().get(type) != simdjson::SUCCESS) type = "";
    }
    if (type != "event") {
      return InvalidArgumentError("property filter on '" + std::string(key) + "': type '" +
                                  std::string(type) +
                                  "' is not supported here; only event properties are");
    }
    std::string_view op_name = "exact";
    if (item["operator"].error() == simdjson::SUCCESS &&
        item["operator"].get_string().get(op_name) != simdjson::SUCCESS) {
      op_name = "";
    }
    auto op = Operators().find(op_name);
    if (op == Operators().end()) {
      return InvalidArgumentError("property filter on '" + std::string(key) +
                                  "': unknown operator '" + std::string(op_name) + "'");
    }
    store::PropertyFilter filter;
    filter.key = std::string(key);
    filter.op = op->second;
    simdjson::dom::element value;
    if (item["value"].get(value) == simdjson::SUCCESS) {
      filter.value_json = simdjson::minify(value);
    } else if (filter.op != store::PropertyFilter::Op::kIsSet &&
               filter.op != store::PropertyFilter::Op::kIsNotSet) {
      return InvalidArgumentError("property filter on '" + std::string(key) + "' needs a 'value'");
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

}  // namespace hoglet::api
