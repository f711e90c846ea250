#include "api/group_actors.h"

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "base/ascii.h"
#include "base/time_format.h"
#include "query/trends_runner.h"
#include "store/properties_parser.h"

namespace hoglet::api {
namespace {

constexpr size_t kGroupsPage = 10'000;

}  // namespace

Status StoredGroupActors::LoadGroups() {
  if (loaded_) return Status::Ok();
  for (size_t offset = 0;; offset += kGroupsPage) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<persons::Group> page,
                            persons_.ListGroups(team_id_, group_type_index_, kGroupsPage, offset));
    for (persons::Group& group : page) {
      const Uuid actor = query::GroupActor(group_type_index_, group.group_key);
      groups_.try_emplace(actor, std::move(group));
    }
    if (page.size() < kGroupsPage) break;
  }
  loaded_ = true;
  return Status::Ok();
}

StatusOr<const persons::Group*> StoredGroupActors::Find(const Uuid& actor) {
  HOGLET_RETURN_IF_ERROR(LoadGroups());
  auto found = groups_.find(actor);
  return found == groups_.end() ? nullptr : &found->second;
}

StatusOr<std::optional<int64_t>> StoredGroupActors::CreatedAtUs(const Uuid& actor) {
  HOGLET_ASSIGN_OR_RETURN(const persons::Group* group, Find(actor));
  return std::optional<int64_t>(group == nullptr ? 0 : group->created_at_us);
}

void WriteGroupActor(const persons::Group& group, JsonWriter* w) {
  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> scratch;
  const std::string_view properties =
      parser.Parse(group.properties, &scratch).ok() ? std::string_view(group.properties) : "{}";
  w->BeginObject();
  w->Key("id");
  w->String(group.group_key);
  w->Key("type");
  w->String("group");
  w->Key("properties");
  w->Raw(properties);
  w->Key("group_key");
  w->String(group.group_key);
  w->Key("group_type_index");
  w->Int(group.group_type_index);
  w->Key("created_at");
  w->String(FormatIsoMicros(group.created_at_us));
  w->Key("group_properties");
  w->Raw(properties);
  w->EndObject();
}

bool GroupMatches(const persons::Group& group, const std::string& search) {
  const std::string needle = AsciiLower(search);
  if (AsciiLower(group.group_key).find(needle) != std::string::npos) return true;
  simdjson::dom::parser parser;
  simdjson::dom::element properties;
  if (parser.parse(group.properties).get(properties) != simdjson::SUCCESS) return false;
  std::string_view name;
  return properties["name"].get(name) == simdjson::SUCCESS &&
         AsciiLower(name).find(needle) != std::string::npos;
}

}  // namespace hoglet::api
