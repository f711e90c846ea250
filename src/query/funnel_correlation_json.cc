#include "query/funnel_correlation_json.h"

namespace hoglet::query {

void WriteFunnelCorrelationResult(const FunnelCorrelationResult& result, JsonWriter* w) {
  w->BeginObject();
  w->Key("events");
  w->BeginArray();
  for (const FunnelCorrelationRow& row : result.rows) {
    w->BeginObject();
    w->Key("event");
    w->BeginObject();
    w->Key("event");
    w->String(row.name);
    w->Key("properties");
    w->BeginObject();
    w->EndObject();
    w->Key("elements");
    w->BeginArray();
    w->EndArray();
    w->EndObject();
    w->Key("success_count");
    w->Int(row.success_count);
    w->Key("failure_count");
    w->Int(row.failure_count);
    w->Key("odds_ratio");
    w->Double(row.odds_ratio);
    w->Key("correlation_type");
    w->String(row.success ? "success" : "failure");
    w->EndObject();
  }
  w->EndArray();
  w->Key("skewed");
  w->Bool(result.skewed);
  w->EndObject();
}

}  // namespace hoglet::query
