#include "api/ingestion_warnings_handler.h"

#include <algorithm>
#include <string>
#include <vector>

#include "api/auth.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "store/properties_parser.h"

namespace hoglet::api {
namespace {

// The warnings of one type, newest first.
struct TypeSummary {
  std::string type;
  int64_t last_seen_us = 0;
  int64_t count = 0;
  std::vector<const persons::IngestionWarning*> samples;
};

std::vector<TypeSummary> Summarise(const std::vector<persons::IngestionWarning>& warnings,
                                   int64_t since_us) {
  std::vector<TypeSummary> summaries;
  for (const persons::IngestionWarning& warning : warnings) {
    if (warning.timestamp_us < since_us) continue;
    auto summary = std::find_if(summaries.begin(), summaries.end(),
                                [&](const TypeSummary& s) { return s.type == warning.type; });
    if (summary == summaries.end()) {
      summaries.push_back(TypeSummary{warning.type, warning.timestamp_us, 0, {}});
      summary = summaries.end() - 1;
    }
    summary->last_seen_us = std::max(summary->last_seen_us, warning.timestamp_us);
    ++summary->count;
    summary->samples.push_back(&warning);
  }
  for (TypeSummary& summary : summaries) {
    std::stable_sort(
        summary.samples.begin(), summary.samples.end(),
        [](const auto* a, const auto* b) { return a->timestamp_us > b->timestamp_us; });
    if (summary.samples.size() > kWarningsPerType) summary.samples.resize(kWarningsPerType);
  }
  std::stable_sort(summaries.begin(), summaries.end(),
                   [](const auto& a, const auto& b) { return a.last_seen_us > b.last_seen_us; });
  return summaries;
}

}  // namespace

void HandleListIngestionWarnings(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                 http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto warnings = context.persons->ListWarnings(project->id, kMaxWarningsRead);
  if (!warnings.ok()) return respond(http::ErrorResponse(warnings.status()));

  const int64_t since_us = context.clock->NowMicros() - kWarningsWindowUs;
  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> scratch;
  JsonWriter w;
  w.BeginObject();
  w.Key("results");
  w.BeginArray();
  for (const TypeSummary& summary : Summarise(*warnings, since_us)) {
    w.BeginObject();
    w.Key("type");
    w.String(summary.type);
    w.Key("lastSeen");
    w.String(FormatIsoMicros(summary.last_seen_us));
    w.Key("warnings");
    w.BeginArray();
    for (const persons::IngestionWarning* warning : summary.samples) {
      scratch.clear();
      bool valid = parser.Parse(warning->details, &scratch).ok();
      w.BeginObject();
      w.Key("type");
      w.String(warning->type);
      w.Key("timestamp");
      w.String(FormatIsoMicros(warning->timestamp_us));
      w.Key("details");
      w.Raw(valid ? std::string_view(warning->details) : std::string_view("{}"));
      w.EndObject();
    }
    w.EndArray();
    w.Key("count");
    w.Int(summary.count);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
