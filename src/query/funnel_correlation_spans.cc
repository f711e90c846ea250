#include "query/funnel_correlation_spans.h"

#include "query/funnel_actors.h"
#include "query/funnels_runner.h"

namespace hoglet::query {

std::set<std::string> StepEventNames(const FunnelsQuery& funnel, const TrendsContext& context) {
  std::set<std::string> names;
  for (const Series& step : funnel.steps) {
    if (step.event) names.insert(*step.event);
    if (!step.action_id) continue;
    auto action = context.actions.find(*step.action_id);
    if (action == context.actions.end()) continue;
    for (const ActionStep& action_step : action->second.steps) {
      if (action_step.event && !action_step.event->empty()) names.insert(*action_step.event);
    }
  }
  return names;
}

StatusOr<std::optional<Uuid>> RowActor(const FunnelsQuery& funnel, EventRows& rows, size_t row) {
  if (funnel.aggregation_group_type_index) {
    const int index = *funnel.aggregation_group_type_index;
    HOGLET_ASSIGN_OR_RETURN(std::string key, rows.GroupKeyOf(index, row));
    if (key.empty()) return std::optional<Uuid>();
    return std::optional<Uuid>(GroupActor(index, key));
  }
  HOGLET_ASSIGN_OR_RETURN(const std::vector<Uuid>* persons, rows.Persons());
  return std::optional<Uuid>((*persons)[row]);
}

StatusOr<CorrelationActors> FunnelActorSpans(const FunnelsQuery& query, int64_t funnel_step,
                                             const DateRange& range, const TrendsContext& context,
                                             const store::ScanSource& source, int64_t team_id) {
  FunnelsQuery funnel = query;
  funnel.viz = FunnelViz::kSteps;
  const size_t last = funnel.steps.size() - 1;
  CorrelationActors actors;
  auto observe = [&](const Uuid& actor, const FunnelActorResult& result, size_t) {
    if (!ActorAtStep(funnel, funnel_step, result.steps_reached)) return;
    ActorSpan span;
    span.converted = (result.steps_reached >> last & 1u) != 0;
    span.from_us = result.step_timestamps_us.front();
    span.to_us =
        span.converted ? result.step_timestamps_us.back() : span.from_us + funnel.window_us;
    auto [it, added] = actors.try_emplace(actor, span);
    if (added) {
      it->second.index = static_cast<uint32_t>(actors.size() - 1);
    } else if (span.converted && !it->second.converted) {
      span.index = it->second.index;
      it->second = span;
    }
  };
  HOGLET_RETURN_IF_ERROR(RunFunnels(funnel, range, context, source, team_id, observe).status());
  return actors;
}

}  // namespace hoglet::query
