#include "query/funnel_correlation_actors.h"

#include <set>

#include "query/event_rows.h"
#include "query/funnel_correlation_spans.h"
#include "query/part_blocks.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

bool Wanted(const CorrelationActorsPoint& point, const ActorSpan& span) {
  return !point.converted || *point.converted == span.converted;
}

// The actors who did the point's event, with its filters, in their time in the funnel.
Status ScanEntityEvents(const FunnelCorrelationQuery& query, const CorrelationActorsPoint& point,
                        const DateRange& range, const TrendsContext& context,
                        const store::ScanSource& source, int64_t team_id,
                        const CorrelationActors& actors, std::set<Uuid>* found) {
  if (point.entity.event && StepEventNames(query.funnel, context).contains(*point.entity.event)) {
    return Status::Ok();  // the funnel's own events are never correlated
  }
  EventConditions conditions;
  conditions.event = point.entity.event;
  conditions.filters = {&point.entity.properties};
  const EventRowsContext rows_context = EventRowsContextOf(context);
  const int64_t from_us = range.from_us();
  const int64_t to_us = range.to_us();
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot, source.Snapshot(team_id, from_us, to_us));
  for (const auto& part : snapshot.parts) {
    HOGLET_RETURN_IF_ERROR(ScanPartBlocks(
        *part, from_us, to_us, context.budget, [&](store::BlockReader* block) -> Status {
          HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
          store::RowSelection rows(timestamps->size(), 0);
          for (size_t row = 0; row < rows.size(); ++row) {
            rows[row] = (*timestamps)[row] >= from_us && (*timestamps)[row] < to_us;
          }
          if (!store::AnySelected(rows)) return Status::Ok();
          EventRows event_rows(block, rows_context);
          HOGLET_RETURN_IF_ERROR(event_rows.Narrow(conditions, &rows));
          if (!store::AnySelected(rows)) return Status::Ok();
          for (size_t row = 0; row < rows.size(); ++row) {
            if (!rows[row]) continue;
            HOGLET_ASSIGN_OR_RETURN(std::optional<Uuid> row_actor,
                                    RowActor(query.funnel, event_rows, row));
            if (!row_actor) continue;
            auto actor = actors.find(*row_actor);
            if (actor == actors.end() || !Wanted(point, actor->second)) continue;
            const int64_t ts = (*timestamps)[row];
            if (ts > actor->second.from_us && ts < actor->second.to_us) found->insert(actor->first);
          }
          return Status::Ok();
        }));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<Uuid>> FunnelCorrelationActors(const FunnelCorrelationQuery& query,
                                                    const CorrelationActorsPoint& point,
                                                    const DateRange& range,
                                                    const TrendsContext& context,
                                                    const store::ScanSource& source,
                                                    int64_t team_id) {
  std::set<Uuid> found;
  if (query.type == CorrelationType::kProperties) {
    FunnelsQuery funnel = query.funnel;
    filters::FilterNode both;
    both.kind = filters::FilterNode::Kind::kAnd;
    both.children = {funnel.properties, point.property_values};
    funnel.properties = std::move(both);
    HOGLET_ASSIGN_OR_RETURN(
        CorrelationActors actors,
        FunnelActorSpans(funnel, query.funnel_step, range, context, source, team_id));
    for (const auto& [actor, span] : actors) {
      if (Wanted(point, span)) found.insert(actor);
    }
  } else {
    HOGLET_ASSIGN_OR_RETURN(
        CorrelationActors actors,
        FunnelActorSpans(query.funnel, query.funnel_step, range, context, source, team_id));
    HOGLET_RETURN_IF_ERROR(
        ScanEntityEvents(query, point, range, context, source, team_id, actors, &found));
  }
  return std::vector<Uuid>(found.begin(), found.end());
}

}  // namespace hoglet::query
