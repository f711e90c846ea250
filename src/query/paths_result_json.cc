#include "query/paths_result_json.h"

namespace hoglet::query {

void WritePathsResults(const std::vector<PathEdge>& edges, JsonWriter* w) {
  w->BeginArray();
  for (const PathEdge& edge : edges) {
    w->BeginObject();
    w->Key("source");
    w->String(edge.source);
    w->Key("target");
    w->String(edge.target);
    w->Key("value");
    w->Int(edge.value);
    w->Key("average_conversion_time");
    w->Double(edge.average_conversion_ms);
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace hoglet::query
