#include "api/person_filters.h"

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

StatusOr<store::PropertyFilter> ParseFilter(simdjson::dom::element item) {
  std::string_view type = "person";
  if (item["type"].error() == simdjson::SUCCESS &&
      item["type"].get_string().get(type) != simdjson::SUCCESS) {
    return Invalid("a filter's 'type' must be a string");
  }
  if (type == "AND" || type == "OR") {
    return Invalid("nested filter groups are not supported on the persons list");
  }
  if (type != "person") {
    return Invalid("filters of type '" + std::string(type) +
                   "' are not supported on the persons list; only person property filters are");
  }
  std::string_view key;
  if (item["key"].get_string().get(key) != simdjson::SUCCESS || key.empty()) {
    return Invalid("every filter needs a string 'key'");
  }
  std::string_view op_name = "exact";
  if (item["operator"].error() == simdjson::SUCCESS &&
      item["operator"].get_string().get(op_name) != simdjson::SUCCESS) {
    op_name = "";
  }
  auto op = Operators().find(op_name);
  if (op == Operators().end()) {
    return Invalid("the filter on '" + std::string(key) + "' has an unsupported operator '" +
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

StatusOr<PersonFilterSet> PersonFilterSet::Parse(std::string_view json) {
  PersonFilterSet set;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (parser.parse(padded).get(root) != simdjson::SUCCESS) {
    return Invalid(
        R"(must be a JSON list of filters, e.g. [{"key":"email","value":"a@b.c","type":"person"}])");
  }
  simdjson::dom::array list;
  if (root.get_array().get(list) != simdjson::SUCCESS) {
    std::string_view group_type = "AND";
    if (root["type"].error() == simdjson::SUCCESS &&
        root["type"].get_string().get(group_type) != simdjson::SUCCESS) {
      group_type = "";
    }
    if (group_type != "AND") {
      return Invalid("only an AND group of filters is supported, not '" + std::string(group_type) +
                     "'");
    }
    if (root["values"].get_array().get(list) != simdjson::SUCCESS) {
      return Invalid("must be a JSON list of filters");
    }
  }
  for (simdjson::dom::element item : list) {
    if (set.filters_.size() == kMaxFilters) {
      return Invalid("at most " + std::to_string(kMaxFilters) + " filters are accepted");
    }
    HOGLET_ASSIGN_OR_RETURN(store::PropertyFilter filter, ParseFilter(item));
    auto compiled = store::CompiledFilter::Compile(filter);
    if (!compiled.ok()) {
      return Invalid("the filter on '" + filter.key + "': " + compiled.status().message());
    }
    set.filters_.push_back(std::move(compiled).value());
  }
  return set;
}

bool PersonFilterSet::Matches(std::string_view properties_json,
                              store::PropertiesParser& parser) const {
  for (const store::CompiledFilter& filter : filters_) {
    std::optional<store::PropertyValue> value = parser.Find(properties_json, filter.key());
    if (!filter.Matches(value ? &*value : nullptr)) return false;
  }
  return true;
}

}  // namespace hoglet::api
