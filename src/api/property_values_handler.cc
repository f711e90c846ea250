#include "api/property_values_handler.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/handler_result.h"
#include "api/query_persons.h"
#include "base/ascii.h"
#include "base/civil_time.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "base/url.h"
#include "filters/property_value.h"
#include "hogql/ast.h"
#include "hogql/executor/executor.h"
#include "hogql/printer.h"
#include "meta/project_time_zone.h"
#include "query/query_budget.h"

namespace hoglet::api {
namespace {

constexpr size_t kValueLimit = 10;
constexpr size_t kMaxKeyBytes = 400;

// Persons read for one suggestion list: a bound on the work of one request.
constexpr size_t kMaxPersonsRead = 100'000;
constexpr size_t kPersonsPage = 1'000;

StatusOr<std::string> RequiredKey(const QueryParams& params) {
  std::optional<std::string> key = QueryParam(params, "key");
  if (!key || key->empty() || key->size() > kMaxKeyBytes) {
    return InvalidArgumentError(
        "key: the property whose values to list is required (at most 400 bytes)", "invalid_input");
  }
  return *key;
}

std::string Quoted(std::string text) {
  hogql::Constant constant;
  constant.value = std::move(text);
  return hogql::PrintHogQL(constant);
}

// The values of event property `key` seen in the last 7 days, the most frequent first.
StatusOr<http::Response> EventPropertyValues(const ApiContext& context,
                                             const meta::Project& project,
                                             const QueryParams& params, const std::string& key) {
  const TimeZone zone = meta::ProjectTimeZone(project);
  const int64_t now_us = context.clock->NowMicros();
  CivilTime start = CivilTime::FromMicros(now_us + zone.UtcOffsetMicros(now_us));
  start.StartOfDay();
  start.AddDays(-7);
  const std::string property = "properties[" + Quoted(key) + "]";
  std::string text = "SELECT " + property + ", count() FROM events WHERE isNotNull(" + property +
                     ") AND timestamp >= toDateTime(" +
                     Quoted(FormatIsoMicros(zone.LocalToUtcMicros(start.ToMicros()))) + ")";
  std::string names;
  for (const auto& [name, value] : params) {
    if (name != "event_name" || value.empty()) continue;
    names += (names.empty() ? "" : ", ") + Quoted(value);
  }
  if (!names.empty()) text += " AND event IN (" + names + ")";
  if (std::optional<std::string> value = QueryParam(params, "value"); value && !value->empty()) {
    text += " AND " + property + " ILIKE " + Quoted("%" + *value + "%");
  }
  text += " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT " + std::to_string(kValueLimit);

  hogql::HogQLRunContext run;
  run.zone = zone;
  run.now_us = now_us;
  const std::atomic<bool> cancelled{false};
  const query::QueryBudget budget(context.clock, query::kDefaultQueryTimeoutUs, &cancelled);
  run.check = [&budget] { return budget.Check(); };
  StatusOr<hogql::HogQLResult> result =
      hogql::RunHogQL(text, run, context.store->scan_source(), project.id);
  HOGLET_RETURN_IF_ERROR(result);
  JsonWriter w;
  w.BeginArray();
  for (const std::vector<hogql::Value>& row : result->rows) {
    w.BeginObject();
    w.Key("name");
    hogql::WriteValueJson(row[0], zone, &w);
    w.EndObject();
  }
  w.EndArray();
  return http::Response::Json(200, std::move(w).Take());
}

// The values of person property `key` among the project's persons, the most frequent first.
StatusOr<http::Response> PersonPropertyValues(const ApiContext& context,
                                              const meta::Project& project,
                                              const QueryParams& params, const std::string& key) {
  const std::string needle = AsciiLower(QueryParam(params, "value").value_or(""));

  struct Counted {
    filters::PropertyValue value;
    int64_t count = 0;
  };
  std::map<std::string, Counted> counts;  // by the value's text
  persons::PersonListQuery list;
  list.team_id = project.id;
  list.limit = kPersonsPage;
  for (size_t read = 0; read < kMaxPersonsRead; read += kPersonsPage) {
    list.offset = read;
    StatusOr<std::vector<persons::Person>> page = context.persons->ListPersons(list);
    HOGLET_RETURN_IF_ERROR(page);
    for (const persons::Person& person : *page) {
      StatusOr<filters::Properties> properties = filters::ParseProperties(person.properties);
      if (!properties.ok()) continue;
      auto found = properties->find(key);
      if (found == properties->end() || found->second.kind == filters::PropertyValue::Kind::kNull) {
        continue;
      }
      std::string text = found->second.ToText();
      if (text.empty() || AsciiLower(text).find(needle) == std::string::npos) continue;
      Counted& counted = counts[text];
      counted.value = found->second;
      ++counted.count;
    }
    if (page->size() < kPersonsPage) break;
  }
  std::vector<std::pair<std::string, Counted>> ranked(counts.begin(), counts.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  if (ranked.size() > kValueLimit) ranked.resize(kValueLimit);
  JsonWriter w;
  w.BeginArray();
  for (const auto& [text, counted] : ranked) {
    w.BeginObject();
    w.Key("name");
    switch (counted.value.kind) {
      case filters::PropertyValue::Kind::kBool:
        w.Bool(counted.value.boolean);
        break;
      case filters::PropertyValue::Kind::kNumber:
      case filters::PropertyValue::Kind::kArray:
      case filters::PropertyValue::Kind::kObject:
        w.Raw(text);
        break;
      default:
        w.String(text);
    }
    w.Key("count");
    w.Int(counted.count);
    w.EndObject();
  }
  w.EndArray();
  return http::Response::Json(200, std::move(w).Take());
}

using PropertyValuesOf = StatusOr<http::Response> (*)(const ApiContext& context,
                                                      const meta::Project& project,
                                                      const QueryParams& params,
                                                      const std::string& key);

// Answers with `values_of` once the caller may see the path's project and the request names the
// property.
void RespondWithValues(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       const http::Request& request, const http::Responder& respond,
                       PropertyValuesOf values_of) {
  RespondInProject(context, caller, request, respond,
                   [&](const meta::Project& project) -> StatusOr<http::Response> {
                     const QueryParams params = request.Params();
                     HOGLET_ASSIGN_OR_RETURN(std::string key, RequiredKey(params));
                     return values_of(context, project, params, key);
                   });
}

}  // namespace

void HandleEventPropertyValues(const ApiContext& context, const meta::AuthenticatedKey& caller,
                               http::Request&& request, http::Responder respond) {
  RespondWithValues(context, caller, request, respond, EventPropertyValues);
}

void HandlePersonPropertyValues(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  RespondWithValues(context, caller, request, respond, PersonPropertyValues);
}

}  // namespace hoglet::api
