#include "api/query_sources.h"

#include "query/action.h"
#include "query/query_filter_types.h"

namespace hoglet::api {

StatusOr<filters::FilterNode> TestAccountFilters(const meta::Project& project) {
  filters::FilterTreeOptions options;
  options.filter.default_type = filters::FilterType::kEvent;
  options.root_name = "the project's test_account_filters";
  HOGLET_ASSIGN_OR_RETURN(filters::FilterNode node,
                          filters::ParseFilterTree(project.test_account_filters, options));
  Status unsupported = Status::Ok();
  filters::ForEachFilter(node, [&](const filters::PropertyFilter& filter) {
    if (unsupported.ok() && !query::IsQueryFilterType(filter.type)) {
      unsupported = InvalidArgumentError(
          "filterTestAccounts: the project's test account filter on '" + filter.key +
              "' is of type '" + filter.type_name +
              "', which this server cannot apply to queries yet; remove it or set "
              "filterTestAccounts to false",
          "unsupported");
    }
  });
  HOGLET_RETURN_IF_ERROR(unsupported);
  return node;
}

StatusOr<query::ResolvedAction> ResolveAction(const meta::MetaStore& meta, int64_t team_id,
                                              int64_t id, const std::string& id_field) {
  StatusOr<meta::ActionRecord> record = meta.ActionById(team_id, id);
  if (record.status().code() == StatusCode::kNotFound) {
    return InvalidArgumentError(
        id_field + ": action " + std::to_string(id) + " does not exist in this project",
        "invalid_input");
  }
  HOGLET_RETURN_IF_ERROR(record.status());
  HOGLET_ASSIGN_OR_RETURN(query::ActionSteps steps,
                          query::ParseActionSteps(record->steps_json, "steps"));
  return query::ResolvedAction{record->name, record->deleted, std::move(steps)};
}

}  // namespace hoglet::api
