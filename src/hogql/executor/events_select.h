// An EventsQuery (query/events_query.h) as the HogQL SELECT over `events` that answers it, as
// PostHog's EventsQueryRunner composes one: the `select` entries (their `-- label` comments
// dropped; "*" expanded to the event's fields, "person" read as distinct_id and looked up after),
// the `where` entries, the event name and the time bounds AND-ed in WHERE (entries with
// aggregates in HAVING), GROUP BY of the non-aggregate columns when any column aggregates,
// `orderBy` or PostHog's default order (count() DESC; else the first aggregate DESC; else
// timestamp DESC when `timestamp` is selected; else the first column), and LIMIT limit + 1 (the
// extra row tells whether there are more) with OFFSET.
//
// The property filters, the action and the person are not part of the text: the executor applies
// them through the filter engine (HogQLRunContext::narrow).
//
// Each entry of the query sits on a line of its own, so an error the planner reports at
// "line L, column C" is attributed to the entry (AttributeError).
//
// Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "query/events_query.h"

namespace hoglet::hogql {

// The fields of the object PostHog answers for "*", in its order.
inline constexpr std::array<std::string_view, 9> kEventStarFields = {
    "uuid",        "event",          "properties", "timestamp",  "team_id",
    "distinct_id", "elements_chain", "created_at", "person_mode"};

// One column of the answer and the SELECT columns it is made of.
struct EventsColumn {
  enum class Kind {
    kExpression,  // one SELECT column
    kStar,        // kEventStarFields.size() SELECT columns, shown as one object
    kPerson,      // the distinct_id column, shown as the person it belongs to
  };
  Kind kind = Kind::kExpression;
  std::string name;  // as PostHog names it: the entry as written, or its alias
  size_t first = 0;  // its first SELECT column
  size_t count = 1;
};

struct EventsSelect {
  std::string text;  // the HogQL SELECT
  std::vector<EventsColumn> columns;
  size_t select_columns = 0;             // the columns of the SELECT
  std::vector<std::string> line_fields;  // per line of `text`: the query field it holds, or ""
};

// `after_us` nullopt: no lower bound ("all"). Bounds are exclusive, as PostHog's. kInvalidArgument
// naming the entry ("query.where[1]: line 1, column 7: …") for an entry that does not parse.
StatusOr<EventsSelect> ComposeEventsSelect(const query::EventsQuery& query,
                                           std::optional<int64_t> after_us, int64_t before_us);

// An error of running `select.text` ("line L, column C: …") restated for the query field on
// line L ("query.select[2]: …"); other errors unchanged.
Status AttributeError(const Status& error, const EventsSelect& select);

}  // namespace hoglet::hogql
