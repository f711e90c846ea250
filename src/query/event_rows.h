// The rows of one block a query keeps, and the persons and groups they count for: the one place
// where an event query (a trends series, an EventsQuery, the actors of a trends point) narrows a
// block's rows by event name, action and property filters — event filters on the block's typed
// columns, person and cohort filters on the current properties of the person each row counts for
// now (query/event_persons.h), group filters on the current properties of the row's group, HogQL
// filters by their expression (query/hogql_filters.h).
//
// Example (per block of a scan):
//   EventRows rows(&reader, context);
//   HOGLET_RETURN_IF_ERROR(rows.Narrow(conditions, &selection));
//   HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, rows.Persons());
//
// Not thread-safe: one EventRows per block, used by the thread scanning it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "base/uuid.h"
#include "filters/filter_tree.h"
#include "filters/property_match.h"
#include "filters/property_value.h"
#include "query/action.h"
#include "query/cohort_membership.h"
#include "query/event_persons.h"
#include "query/hogql_filters.h"
#include "store/block_reader.h"

namespace hoglet::query {

// The current properties of groups, read by group filters and group breakdowns.
class GroupProperties {
 public:
  virtual ~GroupProperties() = default;
  // The properties of the group of type `group_type_index` with key `key`; empty for a group
  // without a record. The pointer stays valid as long as this object.
  virtual StatusOr<const filters::Properties*> Of(int group_type_index, std::string_view key) = 0;
};

// An action as the metadata store has it.
struct ResolvedAction {
  std::string name;
  bool deleted = false;  // matches nothing
  ActionSteps steps;
};

// What the filters read besides the block. The pointers may be null when no filter needs them
// (a filter that does is then an internal error); they are used by the calling thread.
struct EventRowsContext {
  filters::MatchContext match;
  const PersonOverrides* overrides = nullptr;
  PersonProperties* person_properties = nullptr;
  GroupProperties* group_properties = nullptr;
  CohortMembership* cohorts = nullptr;
  // Null in a run that cannot evaluate HogQL: a HogQL filter is then refused (kInvalidArgument).
  HogQLFilters* hogql_filters = nullptr;
  // By id; an id without an entry matches nothing.
  const std::map<int64_t, ResolvedAction>* actions = nullptr;
};

// The conditions a query puts on its events, AND-ed.
struct EventConditions {
  std::optional<std::string> event;                 // nullopt: any event name
  std::optional<int64_t> action_id;                 // the events matching a step of the action
  std::vector<const filters::FilterNode*> filters;  // null or empty entries hold for every row
  std::optional<Uuid> person;                       // the events of this person (now)
  // samplingFactor (0 < factor < 1): only the events whose distinct id is in the sample
  // (query/sampling.h).
  std::optional<double> sampling_factor;
};

class EventRows {
 public:
  EventRows(store::BlockReader* block, const EventRowsContext& context)
      : block_(block), context_(context) {}

  // Unselects the rows that do not meet `conditions`.
  Status Narrow(const EventConditions& conditions, store::RowSelection* rows);

  // The person each row of the block counts for now (resolved once per block).
  StatusOr<const std::vector<Uuid>*> Persons();
  // The number (PersonOverrides::numbers()) of the person each row of the block counts for now,
  // kept in the block cache for the next query under the same overrides. Needs the overrides.
  StatusOr<const std::vector<uint32_t>*> PersonNumbers();
  // The current properties of the person of `row` (empty for a person without a record).
  StatusOr<const filters::Properties*> PersonPropertiesOf(size_t row);
  // Reads the current properties of the persons of the selected rows at once (one batch per
  // block), before a loop asks PersonPropertiesOf row by row: those rows are then answered
  // without a lookup.
  Status LoadPersonProperties(const store::RowSelection& rows);
  // The key of the row's group of type `index` ($group_<index>), "" when it has none.
  StatusOr<std::string> GroupKeyOf(int index, size_t row);
  // The current properties of the row's group of type `index` (none without a group).
  StatusOr<const filters::Properties*> GroupPropertiesOf(int index, size_t row);

 private:
  // The filters the store cannot apply on the event's own properties: person, cohort, group,
  // element and HogQL filters.
  Status NarrowOtherLeaf(const filters::PropertyFilter& filter, store::RowSelection* rows);
  Status NarrowToSample(double factor, store::RowSelection* rows);
  Status NarrowElementLeaf(const filters::PropertyFilter& filter, store::RowSelection* rows);
  Status NarrowHogQLLeaf(const filters::PropertyFilter& filter, store::RowSelection* rows);
  Status NarrowAction(int64_t action_id, const store::BlockReader::OtherLeaf& leaf,
                      store::RowSelection* rows);

  store::BlockReader* const block_;
  const EventRowsContext& context_;
  const std::vector<Uuid>* persons_ = nullptr;  // resolved: the block's, or moved_
  std::vector<Uuid> moved_;
  std::shared_ptr<const std::vector<uint32_t>> person_numbers_;
  // Per row, its person's properties once LoadPersonProperties read them (null: not read).
  std::vector<const filters::Properties*> row_properties_;
  // What PersonPropertiesOf answered last, for last_person_ (null before the first answer).
  Uuid last_person_;
  const filters::Properties* last_properties_ = nullptr;
  const filters::Properties no_properties_;
};

}  // namespace hoglet::query
