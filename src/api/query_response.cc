#include "api/query_response.h"

namespace hoglet::api {

StatusOr<simdjson::dom::element> ParseQuerySpec(simdjson::dom::parser& parser,
                                                std::string_view spec_json) {
  simdjson::dom::element spec;
  if (parser.parse(spec_json.data(), spec_json.size()).get(spec) != simdjson::SUCCESS ||
      !spec.is_object()) {
    return InvalidArgumentError("query: must be a JSON object", "invalid_input");
  }
  return spec;
}

void WriteQueryPage(bool has_more, int64_t limit, int64_t offset, JsonWriter* w) {
  w->Key("hasMore");
  w->Bool(has_more);
  w->Key("limit");
  w->Int(limit);
  w->Key("offset");
  w->Int(offset);
}

void WriteQueryClosing(const QueryClosing& closing, JsonWriter* w) {
  w->Key("timings");
  w->BeginArray();
  w->EndArray();
  if (closing.null_hogql) {
    w->Key("hogql");
    w->Null();
  }
  w->Key("modifiers");
  w->BeginObject();
  w->Key("personsOnEventsMode");
  w->String("person_id_override_properties_joined");
  w->EndObject();
  if (closing.timezone) {
    w->Key("timezone");
    w->String(*closing.timezone);
  }
  w->Key("error");
  w->Null();
  w->EndObject();
}

}  // namespace hoglet::api
