#include "api/dashboard_filters.h"

#include <simdjson.h>

#include <optional>

#include "base/json_writer.h"

namespace hoglet::api {
namespace {

using simdjson::dom::element;

bool IsDisplayNode(std::string_view kind) {
  return kind == "InsightVizNode" || kind == "DataVisualizationNode" || kind == "DataTableNode";
}

bool TakesDashboardFilters(std::string_view kind) {
  return kind == "TrendsQuery" || kind == "FunnelsQuery" || kind == "RetentionQuery" ||
         kind == "PathsQuery" || kind == "StickinessQuery" || kind == "LifecycleQuery";
}

// What a dashboard's filters change; unset members change nothing.
struct Overrides {
  std::optional<element> date_from;
  std::optional<element> date_to;
  std::optional<element> properties;  // a non-empty list or a group

  bool dates() const { return date_from.has_value() || date_to.has_value(); }
  bool any() const { return dates() || properties.has_value(); }
};

Overrides ReadOverrides(element filters) {
  Overrides overrides;
  element value;
  if (filters["date_from"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    overrides.date_from = value;
  }
  if (filters["date_to"].get(value) == simdjson::SUCCESS && !value.is_null()) {
    overrides.date_to = value;
  }
  simdjson::dom::array list;
  if (filters["properties"].get(value) == simdjson::SUCCESS &&
      (value.is_object() || (value.get(list) == simdjson::SUCCESS && list.size() > 0))) {
    overrides.properties = value;
  }
  return overrides;
}

void WriteOptional(const std::optional<element>& value, JsonWriter* w) {
  if (value) {
    w->Raw(simdjson::minify(*value));
  } else {
    w->Null();
  }
}

// `properties` (a list or a group) as an AND group's member.
void WriteAsGroup(element properties, JsonWriter* w) {
  if (properties.is_object()) {
    w->Raw(simdjson::minify(properties));
    return;
  }
  w->BeginObject();
  w->Key("type");
  w->String("AND");
  w->Key("values");
  w->Raw(simdjson::minify(properties));
  w->EndObject();
}

// The source query with the overrides applied.
void WriteSource(simdjson::dom::object source, const Overrides& overrides, JsonWriter* w) {
  w->BeginObject();
  element existing_properties;
  bool has_properties = false;
  for (auto [key, value] : source) {
    if (overrides.dates() && key == "dateRange") continue;
    if (overrides.properties && key == "properties") {
      existing_properties = value;
      has_properties = !value.is_null();
      continue;
    }
    w->Key(key);
    w->Raw(simdjson::minify(value));
  }
  if (overrides.dates()) {
    w->Key("dateRange");
    w->BeginObject();
    w->Key("date_from");
    WriteOptional(overrides.date_from, w);
    w->Key("date_to");
    WriteOptional(overrides.date_to, w);
    w->EndObject();
  }
  if (overrides.properties) {
    w->Key("properties");
    simdjson::dom::array own;
    simdjson::dom::array theirs;
    if (!has_properties) {
      w->Raw(simdjson::minify(*overrides.properties));
    } else if (existing_properties.get(own) == simdjson::SUCCESS &&
               overrides.properties->get(theirs) == simdjson::SUCCESS) {
      // Two lists: one list, every filter AND-ed.
      w->BeginArray();
      for (element filter : own) w->Raw(simdjson::minify(filter));
      for (element filter : theirs) w->Raw(simdjson::minify(filter));
      w->EndArray();
    } else {
      w->BeginObject();
      w->Key("type");
      w->String("AND");
      w->Key("values");
      w->BeginArray();
      WriteAsGroup(existing_properties, w);
      WriteAsGroup(*overrides.properties, w);
      w->EndArray();
      w->EndObject();
    }
  }
  w->EndObject();
}

// `node` (a display node or a query) with the overrides applied to the query it runs; false when
// that query does not take dashboard filters.
bool WriteNode(element node, const Overrides& overrides, int depth, JsonWriter* w) {
  simdjson::dom::object fields;
  std::string_view kind;
  if (depth > 4 || node.get(fields) != simdjson::SUCCESS ||
      fields["kind"].get(kind) != simdjson::SUCCESS) {
    return false;
  }
  if (TakesDashboardFilters(kind)) {
    WriteSource(fields, overrides, w);
    return true;
  }
  element source;
  if (!IsDisplayNode(kind) || fields["source"].get(source) != simdjson::SUCCESS) return false;
  JsonWriter inner;
  if (!WriteNode(source, overrides, depth + 1, &inner)) return false;
  w->BeginObject();
  for (auto [key, value] : fields) {
    w->Key(key);
    if (key == "source") {
      w->Raw(inner.str());
    } else {
      w->Raw(simdjson::minify(value));
    }
  }
  w->EndObject();
  return true;
}

}  // namespace

StatusOr<std::string> ApplyDashboardFilters(std::string_view query_json,
                                            std::string_view filters_json) {
  simdjson::dom::parser filters_parser;
  element filters;
  if (filters_parser.parse(filters_json.data(), filters_json.size()).get(filters) !=
          simdjson::SUCCESS ||
      !filters.is_object()) {
    return InvalidArgumentError("dashboard filters must be a JSON object", "invalid_input");
  }
  simdjson::dom::parser query_parser;
  element query;
  if (query_parser.parse(query_json.data(), query_json.size()).get(query) != simdjson::SUCCESS ||
      !query.is_object()) {
    return InvalidArgumentError("query: must be a JSON object", "invalid_input");
  }
  const Overrides overrides = ReadOverrides(filters);
  if (!overrides.any()) return std::string(query_json);
  JsonWriter w;
  if (!WriteNode(query, overrides, 0, &w)) return std::string(query_json);
  return std::move(w).Take();
}

}  // namespace hoglet::api
