#include "api/person_json.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "base/time_format.h"

namespace hoglet::api {

// PostHog's display name: email, name or username when set, else the first distinct id.
namespace {

std::string DisplayName(const persons::Person& person,
                        const std::vector<std::pair<std::string, store::PropertyValue>>& props) {
  for (std::string_view key : {"email", "name", "username"}) {
    auto found = std::find_if(props.begin(), props.end(),
                              [key](const auto& entry) { return entry.first == key; });
    if (found == props.end()) continue;
    std::optional<std::string> text = store::StringifyProperty(found->second);
    if (text && !text->empty()) return *text;
  }
  if (!person.distinct_ids.empty()) return person.distinct_ids.front();
  return person.uuid.ToString();
}

}  // namespace

void WritePerson(const persons::Person& person, store::PropertiesParser& parser, JsonWriter* w) {
  std::vector<std::pair<std::string, store::PropertyValue>> props;
  bool valid = parser.Parse(person.properties, &props).ok();
  std::string uuid = person.uuid.ToString();
  w->BeginObject();
  w->Key("id");
  w->String(uuid);
  w->Key("uuid");
  w->String(uuid);
  w->Key("name");
  w->String(DisplayName(person, props));
  w->Key("distinct_ids");
  w->BeginArray();
  for (const std::string& distinct_id : person.distinct_ids) w->String(distinct_id);
  w->EndArray();
  w->Key("properties");
  w->Raw(valid ? std::string_view(person.properties) : std::string_view("{}"));
  w->Key("is_identified");
  w->Bool(person.is_identified);
  w->Key("created_at");
  w->String(FormatIsoMicros(person.created_at_us));
  w->EndObject();
}

}  // namespace hoglet::api
