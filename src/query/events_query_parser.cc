#include "query/events_query_parser.h"

#include <algorithm>
#include <string>

#include "base/uuid.h"
#include "query/query_json.h"

namespace hoglet::query {

using simdjson::dom::element;
using simdjson::dom::object;

StatusOr<EventsQuery> ParseEventsQuery(element value) {
  object root;
  if (value.get(root) != simdjson::SUCCESS) return Invalid("query", "must be an object");
  EventsQuery query;
  HOGLET_ASSIGN_OR_RETURN(
      query.select, OptionalStringList(root, "select", "query.select", kMaxEventsQueryEntries));
  HOGLET_ASSIGN_OR_RETURN(query.where,
                          OptionalStringList(root, "where", "query.where", kMaxEventsQueryEntries));
  HOGLET_ASSIGN_OR_RETURN(
      query.order_by, OptionalStringList(root, "orderBy", "query.orderBy", kMaxEventsQueryEntries));
  HOGLET_ASSIGN_OR_RETURN(query.properties,
                          Filters(Member(root, "properties"), "query.properties"));
  HOGLET_ASSIGN_OR_RETURN(query.fixed_properties,
                          Filters(Member(root, "fixedProperties"), "query.fixedProperties"));
  HOGLET_ASSIGN_OR_RETURN(query.event, OptionalString(root, "event", "query.event"));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> events,
                          OptionalStringList(root, "events", "query.events", 100));
  if (!events.empty()) {
    if (events.size() > 1 || (query.event && *query.event != events.front())) {
      return NotYet("query.events", "more than one event name");
    }
    query.event = events.front();
  }
  if (std::optional<element> action = Member(root, "actionId")) {
    int64_t id = 0;
    if (action->get(id) != simdjson::SUCCESS) {
      return Invalid("query.actionId", "must be the id of an action");
    }
    query.action_id = id;
  }
  HOGLET_ASSIGN_OR_RETURN(query.person_id, OptionalString(root, "personId", "query.personId"));
  if (query.person_id && !Uuid::Parse(*query.person_id)) {
    return Invalid("query.personId", "must be a person's UUID");
  }
  HOGLET_ASSIGN_OR_RETURN(query.after, OptionalString(root, "after", "query.after"));
  HOGLET_ASSIGN_OR_RETURN(query.before, OptionalString(root, "before", "query.before"));
  HOGLET_ASSIGN_OR_RETURN(query.filter_test_accounts,
                          OptionalBool(root, "filterTestAccounts", "query.filterTestAccounts"));
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> limit, OptionalInt(root, "limit", "query.limit"));
  if (limit && *limit > 0) query.limit = std::min(*limit, kEventsMaxLimit);
  HOGLET_ASSIGN_OR_RETURN(std::optional<int64_t> offset,
                          OptionalInt(root, "offset", "query.offset"));
  if (offset && *offset > kEventsMaxOffset) {
    return Invalid("query.offset", "is at most " + std::to_string(kEventsMaxOffset) +
                                       " (narrow the query instead)");
  }
  if (offset && *offset > 0) query.offset = *offset;
  if (Member(root, "source")) return NotYet("query.source", "an EventsQuery over an actors query");
  if (Member(root, "actionSteps")) return NotYet("query.actionSteps", "inline action steps");
  return query;
}

}  // namespace hoglet::query
