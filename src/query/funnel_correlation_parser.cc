#include "query/funnel_correlation_parser.h"

#include <optional>
#include <string>
#include <string_view>

#include "query/funnels_query_parser.h"
#include "query/insight_parser.h"
#include "query/query_json.h"

namespace hoglet::query {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// At most this many names in each of the query's lists.
constexpr size_t kMaxNames = 500;

// The object member `key` of `parent` whose kind is `kind`.
StatusOr<element> Source(object parent, const std::string& field, std::string_view kind) {
  std::optional<element> source = Member(parent, "source");
  std::string_view found;
  if (!source || !source->is_object() || (*source)["kind"].get(found) != simdjson::SUCCESS ||
      found != kind) {
    return Invalid(field, "must be a " + std::string(kind));
  }
  return *source;
}

}  // namespace

StatusOr<FunnelCorrelationQuery> ParseFunnelCorrelationQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  FunnelCorrelationQuery query;

  HOGLET_ASSIGN_OR_RETURN(element actors, Source(root, "query.source", "FunnelsActorsQuery"));
  object actors_object = actors.get_object().value_unsafe();
  HOGLET_ASSIGN_OR_RETURN(element funnel,
                          Source(actors_object, "query.source.source", "FunnelsQuery"));
  StatusOr<FunnelsQuery> parsed = ParseFunnelsQuery(funnel);
  if (!parsed.ok()) {
    std::string message = parsed.status().message();
    if (message.starts_with("query")) message = "query.source.source" + message.substr(5);
    return InvalidArgumentError(message, std::string(parsed.status().reason()));
  }
  query.funnel = *std::move(parsed);
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> step,
                          OptionalInt(actors_object, "funnelStep", "query.source.funnelStep"));
  const auto steps = static_cast<int64_t>(query.funnel.steps.size());
  query.funnel_step = step.value_or(1);
  if (query.funnel_step == 0 || query.funnel_step == -1 || query.funnel_step > steps ||
      query.funnel_step < -steps) {
    return Invalid("query.source.funnelStep",
                   "must be 1…" + std::to_string(steps) + " (reached the step) or −2…−" +
                       std::to_string(steps) + " (dropped off before it); steps are 1-based");
  }
  if (Member(actors_object, "funnelStepBreakdown")) {
    return NotYet("query.source.funnelStepBreakdown",
                  "the correlation of one breakdown value of a funnel");
  }

  HOGLET_ASSIGN_OR_RETURN(
      std::optional<std::string> type,
      OptionalString(root, "funnelCorrelationType", "query.funnelCorrelationType"));
  if (type == "events") {
    query.type = CorrelationType::kEvents;
  } else if (type == "properties") {
    query.type = CorrelationType::kProperties;
  } else if (type == "event_with_properties") {
    query.type = CorrelationType::kEventWithProperties;
  } else {
    return Invalid("query.funnelCorrelationType",
                   type ? "'" + *type +
                              "' is not a correlation (events, properties, "
                              "event_with_properties)"
                        : "is required (events, properties, event_with_properties)");
  }

  HOGLET_ASSIGN_OR_RETURN(query.names,
                          OptionalStringList(root, "funnelCorrelationNames",
                                             "query.funnelCorrelationNames", kMaxNames));
  HOGLET_ASSIGN_OR_RETURN(query.exclude_names,
                          OptionalStringList(root, "funnelCorrelationExcludeNames",
                                             "query.funnelCorrelationExcludeNames", kMaxNames));
  HOGLET_ASSIGN_OR_RETURN(query.event_names,
                          OptionalStringList(root, "funnelCorrelationEventNames",
                                             "query.funnelCorrelationEventNames", kMaxNames));
  HOGLET_ASSIGN_OR_RETURN(
      query.exclude_event_names,
      OptionalStringList(root, "funnelCorrelationExcludeEventNames",
                         "query.funnelCorrelationExcludeEventNames", kMaxNames));
  HOGLET_ASSIGN_OR_RETURN(
      query.event_exclude_property_names,
      OptionalStringList(root, "funnelCorrelationEventExcludePropertyNames",
                         "query.funnelCorrelationEventExcludePropertyNames", kMaxNames));
  if (query.type == CorrelationType::kProperties && query.names.empty()) {
    return Invalid("query.funnelCorrelationNames",
                   "a property correlation needs at least one property (or \"$all\")");
  }
  if (query.type == CorrelationType::kEventWithProperties) {
    if (query.event_names.empty()) {
      return Invalid("query.funnelCorrelationEventNames",
                     "an event property correlation needs at least one event name");
    }
    for (const std::string& name : query.event_names) {
      if (name == "$autocapture") {
        return NotYet("query.funnelCorrelationEventNames",
                      "correlating the elements of $autocapture events");
      }
    }
  }
  return query;
}

StatusOr<FunnelCorrelationActorsRequest> ParseFunnelCorrelationActorsQuery(
    element value, const std::string& field) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid(field, "must be an object");
  HOGLET_ASSIGN_OR_RETURN(element source,
                          Source(root, field + ".source", "FunnelCorrelationQuery"));
  FunnelCorrelationActorsRequest request;
  StatusOr<FunnelCorrelationQuery> parsed = ParseFunnelCorrelationQuery(source);
  if (!parsed.ok()) {
    // The correlation's fields are named from the actors query ("query.source.source…").
    std::string message = parsed.status().message();
    if (message.starts_with("query")) message = field + ".source" + message.substr(5);
    return InvalidArgumentError(message, std::string(parsed.status().reason()));
  }
  request.query = *std::move(parsed);

  std::optional<element> converted = Member(root, "funnelCorrelationPersonConverted");
  if (converted) {
    bool flag = false;
    if (converted->get(flag) != simdjson::SUCCESS) {
      return Invalid(field + ".funnelCorrelationPersonConverted", "must be true, false or null");
    }
    request.point.converted = flag;
  }
  if (request.query.type == CorrelationType::kProperties) {
    std::optional<element> values = Member(root, "funnelCorrelationPropertyValues");
    if (!values) {
      return Invalid(field + ".funnelCorrelationPropertyValues",
                     "the actors of a property correlation need the property filters of the row");
    }
    HOGLET_ASSIGN_OR_RETURN(request.point.property_values,
                            Filters(values, field + ".funnelCorrelationPropertyValues"));
    return request;
  }
  std::optional<element> entity = Member(root, "funnelCorrelationPersonEntity");
  if (!entity) {
    return Invalid(field + ".funnelCorrelationPersonEntity",
                   "the actors of an event correlation need the row's event (an EventsNode)");
  }
  HOGLET_ASSIGN_OR_RETURN(request.point.entity,
                          ParseSeriesNode(*entity, field + ".funnelCorrelationPersonEntity"));
  if (!request.point.entity.event || request.point.entity.action_id) {
    return Invalid(field + ".funnelCorrelationPersonEntity",
                   "must be an EventsNode naming the row's event");
  }
  return request;
}

}  // namespace hoglet::query
