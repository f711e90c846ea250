#include "api/hogql_placeholders.h"

#include <string>
#include <string_view>

#include "query/query_date.h"

namespace hoglet::api {
namespace {

StatusOr<hogql::Value> JsonValue(simdjson::dom::element value, const std::string& field) {
  switch (value.type()) {
    case simdjson::dom::element_type::STRING:
      return hogql::Value::String(std::string(std::string_view(value)));
    case simdjson::dom::element_type::INT64:
      return hogql::Value::Int(int64_t(value));
    case simdjson::dom::element_type::UINT64:
      return hogql::Value::Float(static_cast<double>(uint64_t(value)));
    case simdjson::dom::element_type::DOUBLE:
      return hogql::Value::Float(double(value));
    case simdjson::dom::element_type::BOOL:
      return hogql::Value::Bool(bool(value));
    case simdjson::dom::element_type::NULL_VALUE:
      return hogql::Value::Null();
    default:
      return InvalidArgumentError(field +
                                      ": a placeholder's value is a string, a number, a "
                                      "boolean or null",
                                  "invalid_input");
  }
}

// A bound of filters.dateRange as UTC microseconds; nullopt when absent, null or "all".
StatusOr<std::optional<int64_t>> DateBound(simdjson::dom::object range, const char* key,
                                           const TimeZone& zone, int64_t now_us) {
  simdjson::dom::element value;
  if (range[key].get(value) != simdjson::SUCCESS || value.is_null()) return std::nullopt;
  std::string_view text;
  const std::string field = std::string("query.filters.dateRange.") + key;
  if (value.get(text) != simdjson::SUCCESS) {
    return InvalidArgumentError(field + ": a date is a string", "invalid_input");
  }
  if (text == "all") return std::nullopt;
  const int64_t now_local_us = now_us + zone.UtcOffsetMicros(now_us);
  HOGLET_ASSIGN_OR_RETURN(query::QueryDate date,
                          query::ParseQueryDate(text, field, now_local_us, zone, false));
  return zone.LocalToUtcMicros(date.local_us);
}

}  // namespace

StatusOr<hogql::Placeholders> ReadPlaceholders(simdjson::dom::element spec, const TimeZone& zone,
                                               int64_t now_us) {
  hogql::Placeholders placeholders;
  simdjson::dom::object values;
  if (spec["values"].get(values) == simdjson::SUCCESS) {
    for (auto [key, value] : values) {
      std::string name(key);
      HOGLET_ASSIGN_OR_RETURN(placeholders.values[name], JsonValue(value, "query.values." + name));
    }
  }
  simdjson::dom::object variables;
  if (spec["variables"].get(variables) == simdjson::SUCCESS) {
    for (auto [id, variable] : variables) {
      const std::string field = "query.variables." + std::string(id);
      std::string_view code_name;
      if (variable["code_name"].get(code_name) != simdjson::SUCCESS) {
        return InvalidArgumentError(field + ".code_name: a variable needs its code name",
                                    "invalid_input");
      }
      simdjson::dom::element value;
      hogql::Value read;
      if (variable["value"].get(value) == simdjson::SUCCESS) {
        HOGLET_ASSIGN_OR_RETURN(read, JsonValue(value, field + ".value"));
      }
      placeholders.values["variables." + std::string(code_name)] = std::move(read);
    }
  }
  simdjson::dom::object filters;
  if (spec["filters"].get(filters) == simdjson::SUCCESS) {
    simdjson::dom::array properties;
    if (filters["properties"].get(properties) == simdjson::SUCCESS && properties.size() > 0) {
      return InvalidArgumentError(
          "query.filters.properties: property filters are not supported "
          "yet",
          "unsupported");
    }
    bool test_accounts = false;
    if (filters["filterTestAccounts"].get(test_accounts) == simdjson::SUCCESS && test_accounts) {
      return InvalidArgumentError("query.filters.filterTestAccounts is not supported yet",
                                  "unsupported");
    }
    simdjson::dom::object range;
    if (filters["dateRange"].get(range) == simdjson::SUCCESS) {
      HOGLET_ASSIGN_OR_RETURN(placeholders.date_from_us,
                              DateBound(range, "date_from", zone, now_us));
      HOGLET_ASSIGN_OR_RETURN(placeholders.date_to_us, DateBound(range, "date_to", zone, now_us));
    }
  }
  return placeholders;
}

}  // namespace hoglet::api
