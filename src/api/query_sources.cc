#include "api/query_sources.h"

#include "meta/project_time_zone.h"
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

std::unique_ptr<query::ScannedBehavior> StoredBehavior(
    const meta::MetaStore& meta, const meta::Project& project, const store::ScanSource* source,
    const query::PersonOverrides* overrides, const query::QueryBudget* budget, int64_t now_us) {
  query::BehaviorScanContext context;
  context.source = source;
  context.team_id = project.id;
  context.now_us = now_us;
  context.overrides = overrides;
  context.budget = budget;
  context.match = {now_us, meta::ProjectTimeZone(project), filters::Dialect::kHogQL};
  context.action = [&meta, team_id = project.id](int64_t id) {
    return ResolveAction(meta, team_id, id, "cohort filters (behavioral key)");
  };
  return std::make_unique<query::ScannedBehavior>(std::move(context));
}

}  // namespace hoglet::api
