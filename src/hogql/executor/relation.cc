#include "hogql/executor/relation.h"

#include "hogql/executor/join.h"
#include "hogql/executor/person_tables.h"

namespace hoglet::hogql {

StatusOr<Rows> ReadSource(const Source& source, const RunInputs& inputs) {
  const HogQLRunContext& context = *inputs.context;
  switch (source.kind) {
    case Source::Kind::kTable:
      if (context.person_tables == nullptr) {
        return UnavailableError("this server's person store cannot be queried by HogQL here");
      }
      return ReadPersonTable(source.table, *context.person_tables, inputs.team_id,
                             context.max_rows);
    case Source::Kind::kQuery:
    case Source::Kind::kUnion: {
      Rows rows;
      for (const PlannedQuery& query : source.queries) {
        HOGLET_ASSIGN_OR_RETURN(HogQLResult result, RunPlannedQuery(query, inputs));
        if (rows.size() + result.rows.size() > context.max_rows) {
          return TooManyRows("UNION ALL", context.max_rows);
        }
        for (Row& row : result.rows) rows.push_back(std::move(row));
      }
      return rows;
    }
    case Source::Kind::kJoin: {
      HOGLET_ASSIGN_OR_RETURN(Rows left, ReadSource(*source.left, inputs));
      HOGLET_ASSIGN_OR_RETURN(Rows right, ReadSource(*source.right, inputs));
      return JoinRows(source, std::move(left), std::move(right), inputs);
    }
  }
  return InternalError("unknown source");
}

}  // namespace hoglet::hogql
