#include "api/insight_answer.h"

#include <optional>
#include <utility>

#include "api/dashboard_filters.h"

namespace hoglet::api {

StatusOr<Refresh> InsightRefreshParam(const QueryParams& params) {
  std::optional<std::string> mode = QueryParam(params, "refresh");
  if (!mode || mode->empty()) return Refresh::kForceCache;
  return ParseRefresh(*mode);
}

StatusOr<std::string> InsightAnswer(const ApiContext& context, const meta::Project& project,
                                    const meta::InsightRecord& insight, Refresh refresh,
                                    std::string_view dashboard_filters_json) {
  if (!insight.query_json) return std::string();
  // A server without an answer cache has nothing cached: a force_cache read is a miss.
  if (refresh == Refresh::kForceCache && context.query_cache == nullptr) return std::string();
  std::string query_json = *insight.query_json;
  if (!dashboard_filters_json.empty()) {
    HOGLET_ASSIGN_OR_RETURN(query_json, ApplyDashboardFilters(query_json, dashboard_filters_json));
  }
  HOGLET_ASSIGN_OR_RETURN(PreparedQuery prepared, PrepareQuery(query_json));
  HOGLET_ASSIGN_OR_RETURN(QueryOutcome outcome,
                          ExecuteQuery(context, project, prepared, refresh, std::string()));
  return std::move(outcome.json);
}

}  // namespace hoglet::api
