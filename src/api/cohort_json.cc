#include "api/cohort_json.h"

#include <optional>

#include "api/cohort_members.h"
#include "api/insight_json.h"
#include "base/time_format.h"

namespace hoglet::api {

void WriteCohortJson(const ApiContext& context, const meta::CohortRecord& cohort, bool count_now,
                     JsonWriter* w) {
  std::optional<CohortCounts::Count> dynamic_count;
  if (!cohort.is_static && context.persons != nullptr) {
    if (count_now) {
      StatusOr<meta::Project> project = context.meta->ProjectById(cohort.team_id);
      StatusOr<CohortCounts::Count> counted = project.ok()
                                                  ? CountCohort(context, *project, cohort.id)
                                                  : StatusOr<CohortCounts::Count>(project.status());
      if (counted.ok()) dynamic_count = *std::move(counted);
    } else if (context.cohort_counts != nullptr) {
      dynamic_count = context.cohort_counts->Last(cohort.team_id, cohort.id);
    }
  }
  w->BeginObject();
  w->Key("id");
  w->Int(cohort.id);
  w->Key("name");
  w->String(cohort.name);
  w->Key("description");
  w->String(cohort.description);
  w->Key("groups");
  w->BeginArray();
  w->EndArray();
  w->Key("deleted");
  w->Bool(cohort.deleted);
  w->Key("filters");
  w->Raw(cohort.filters_json == "{}" ? std::string_view(R"({"properties":{}})")
                                     : std::string_view(cohort.filters_json));
  w->Key("query");
  w->Null();
  w->Key("version");
  w->Int(cohort.version);
  w->Key("pending_version");
  w->Null();
  w->Key("is_calculating");
  w->Bool(false);
  w->Key("created_by");
  WriteUserOrNullJson(context, cohort.created_by, w);
  w->Key("created_at");
  w->String(FormatIsoMicros(cohort.created_at_us));
  w->Key("last_calculation");
  if (dynamic_count) {
    w->String(FormatIsoMicros(dynamic_count->computed_at_us));
  } else {
    w->Null();
  }
  w->Key("errors_calculating");
  w->Int(0);
  w->Key("last_error_message");
  w->Null();
  w->Key("count");
  StatusOr<size_t> size = UnavailableError("not counted");
  if (cohort.is_static && context.persons != nullptr) {
    size = context.persons->StaticCohortSize(cohort.team_id, cohort.id);
  } else if (dynamic_count) {
    size = dynamic_count->persons;
  }
  if (size.ok()) {
    w->Int(static_cast<int64_t>(*size));
  } else {
    w->Null();
  }
  w->Key("is_static");
  w->Bool(cohort.is_static);
  w->Key("cohort_type");
  w->Null();
  w->Key("experiment_set");
  w->BeginArray();
  w->EndArray();
  w->EndObject();
}

}  // namespace hoglet::api
