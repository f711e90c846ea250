#include "api/groups_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/pagination.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "store/properties_parser.h"

namespace hoglet::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;
constexpr int kMaxGroupTypeIndex = 4;  // PostHog: five group types per project

StatusOr<int> ParseGroupTypeIndex(const QueryParams& params) {
  auto text = QueryParam(params, "group_type_index");
  if (!text || text->empty()) {
    return InvalidArgumentError(
        "group_type_index is required: the index (0 to 4) of the group "
        "type to list, see groups_types",
        "required");
  }
  int index = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), index);
  if (ec != std::errc() || end != text->data() + text->size() || index < 0 ||
      index > kMaxGroupTypeIndex) {
    return InvalidArgumentError(
        "group_type_index: '" + *text + "' must be a whole number from 0 to 4", "invalid_input");
  }
  return index;
}

constexpr size_t kMaxSearchedGroups = 100'000;
constexpr size_t kSearchBatch = 1000;

void WriteGroup(const persons::Group& group, store::PropertiesParser& parser,
                std::vector<std::pair<std::string, store::PropertyValue>>& scratch, JsonWriter* w) {
  scratch.clear();
  bool valid = parser.Parse(group.properties, &scratch).ok();
  w->BeginObject();
  w->Key("group_type_index");
  w->Int(group.group_type_index);
  w->Key("group_key");
  w->String(group.group_key);
  w->Key("group_properties");
  w->Raw(valid ? std::string_view(group.properties) : std::string_view("{}"));
  w->Key("created_at");
  w->String(FormatIsoMicros(group.created_at_us));
  w->EndObject();
}

// Groups of the type whose key or properties' JSON text contains `search` (ASCII letters
// without case, as PostHog's icontains), from `offset` on, at most `limit`, among the newest
// kMaxSearchedGroups.
StatusOr<std::vector<persons::Group>> SearchGroups(persons::PersonStore& store, int64_t team_id,
                                                   int index, std::string_view search,
                                                   size_t offset, size_t limit) {
  std::vector<persons::Group> page;
  size_t matched = 0;
  for (size_t scanned = 0; scanned < kMaxSearchedGroups && page.size() < limit;) {
    HOGLET_ASSIGN_OR_RETURN(auto batch, store.ListGroups(team_id, index, kSearchBatch, scanned));
    for (persons::Group& group : batch) {
      if (!MatchesSearch(group.group_key, search) && !MatchesSearch(group.properties, search)) {
        continue;
      }
      if (matched++ >= offset && page.size() < limit) page.push_back(std::move(group));
    }
    if (batch.size() < kSearchBatch) break;
    scanned += batch.size();
  }
  return page;
}

}  // namespace

void HandleListGroups(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto index = ParseGroupTypeIndex(params);
  if (!index.ok()) return respond(http::ErrorResponse(index.status(), "group_type_index"));
  auto page = ParsePageRequest(params, kDefaultLimit, kMaxLimit);
  if (!page.ok()) return respond(http::ErrorResponse(page.status()));
  std::string search = QueryParam(params, "search").value_or("");
  auto groups = search.empty() ? context.persons->ListGroups(project->id, *index, page->limit + 1,
                                                             page->offset)
                               : SearchGroups(*context.persons, project->id, *index, search,
                                              page->offset, page->limit + 1);
  if (!groups.ok()) return respond(http::ErrorResponse(groups.status()));
  bool has_more = groups->size() > page->limit;
  if (has_more) groups->resize(page->limit);

  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> scratch;
  const PageLinks links = LinksFor(request, params, *page, has_more);
  respond(ListResponse(std::nullopt, links, [&](JsonWriter* w) {
    for (const persons::Group& group : *groups) WriteGroup(group, parser, scratch, w);
  }));
}

namespace {

// The project's group types by index, each with its names (null until set).
void RespondGroupTypes(const ApiContext& context, int64_t team_id, http::Responder& respond) {
  auto types = context.persons->GroupTypes(team_id);
  if (!types.ok()) return respond(http::ErrorResponse(types.status()));
  auto names = context.meta->ListGroupTypeNames(team_id);
  if (!names.ok()) return respond(http::ErrorResponse(names.status()));
  std::sort(types->begin(), types->end(),
            [](const auto& a, const auto& b) { return a.group_type_index < b.group_type_index; });
  auto write_name = [](const std::optional<std::string>& name, JsonWriter* w) {
    if (name) {
      w->String(*name);
    } else {
      w->Null();
    }
  };
  JsonWriter w;
  w.BeginArray();
  for (const persons::GroupType& type : *types) {
    meta::GroupTypeNames named;
    for (const meta::GroupTypeNames& n : *names) {
      if (n.group_type_index == type.group_type_index) named = n;
    }
    w.BeginObject();
    w.Key("group_type");
    w.String(type.group_type);
    w.Key("group_type_index");
    w.Int(type.group_type_index);
    w.Key("name_singular");
    write_name(named.name_singular, &w);
    w.Key("name_plural");
    write_name(named.name_plural, &w);
    w.EndObject();
  }
  w.EndArray();
  respond(http::Response::Json(200, std::move(w).Take()));
}

// One name of a row of the update body: absent (keep), null (clear) or a string.
Status ReadName(simdjson::dom::object row, std::string_view key, std::optional<std::string>* name) {
  simdjson::dom::element value;
  if (row[key].get(value) != simdjson::SUCCESS) return Status::Ok();
  if (value.is_null()) {
    name->reset();
    return Status::Ok();
  }
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    return InvalidArgumentError(std::string(key) + ": not a valid string.", "invalid_input");
  }
  if (text.size() > meta::kMaxGroupTypeNameBytes) {
    return InvalidArgumentError(std::string(key) + ": ensure this field has no more than " +
                                    std::to_string(meta::kMaxGroupTypeNameBytes) + " characters.",
                                "max_length");
  }
  *name = std::string(text);
  return Status::Ok();
}

// The rows of an update body with the names each sets, merged over the stored ones; every row
// names a group type the project has (else kNotFound).
StatusOr<std::vector<meta::GroupTypeNames>> ParseNameUpdates(
    std::string_view body, const std::vector<persons::GroupType>& types,
    const std::vector<meta::GroupTypeNames>& stored) {
  simdjson::dom::parser parser;
  simdjson::dom::array rows;
  if (parser.parse(body.data(), body.size()).get(rows) != simdjson::SUCCESS) {
    return InvalidArgumentError(
        "the body must be a JSON list of {group_type_index, name_singular, name_plural}",
        "parse_error");
  }
  std::vector<meta::GroupTypeNames> updates;
  for (simdjson::dom::element element : rows) {
    simdjson::dom::object row;
    int64_t index = 0;
    if (element.get(row) != simdjson::SUCCESS) {
      return InvalidArgumentError("each row must be an object", "invalid_input");
    }
    if (row["group_type_index"].get(index) != simdjson::SUCCESS) {
      return InvalidArgumentError("group_type_index: a whole number is required", "required");
    }
    bool known = std::any_of(types.begin(), types.end(), [&](const persons::GroupType& t) {
      return t.group_type_index == index;
    });
    if (!known) {
      return NotFoundError("the project has no group type with index " + std::to_string(index));
    }
    meta::GroupTypeNames names;
    names.group_type_index = static_cast<int>(index);
    for (const meta::GroupTypeNames& n : stored) {
      if (n.group_type_index == index) names = n;
    }
    for (const meta::GroupTypeNames& n : updates) {
      if (n.group_type_index == index) names = n;
    }
    HOGLET_RETURN_IF_ERROR(ReadName(row, "name_singular", &names.name_singular));
    HOGLET_RETURN_IF_ERROR(ReadName(row, "name_plural", &names.name_plural));
    updates.push_back(std::move(names));
  }
  return updates;
}

}  // namespace

void HandleListGroupTypes(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  RespondGroupTypes(context, project->id, respond);
}

void HandleUpdateGroupTypeMetadata(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                   http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto types = context.persons->GroupTypes(project->id);
  if (!types.ok()) return respond(http::ErrorResponse(types.status()));
  auto stored = context.meta->ListGroupTypeNames(project->id);
  if (!stored.ok()) return respond(http::ErrorResponse(stored.status()));
  // Every row is checked before any is stored, so a refused body changes nothing.
  auto updates = ParseNameUpdates(request.body, *types, *stored);
  if (!updates.ok()) return respond(http::ErrorResponse(updates.status()));
  for (const meta::GroupTypeNames& names : *updates) {
    Status set = context.meta->SetGroupTypeNames(project->id, names);
    if (!set.ok()) return respond(http::ErrorResponse(set));
  }
  RespondGroupTypes(context, project->id, respond);
}

void HandleFindGroup(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  QueryParams params = request.Params();
  auto index = ParseGroupTypeIndex(params);
  if (!index.ok()) return respond(http::ErrorResponse(index.status(), "group_type_index"));
  auto key = QueryParam(params, "group_key");
  if (!key || key->empty()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("group_key is required: the key of the group to find", "required"),
        "group_key"));
  }
  auto group = context.persons->GroupByKey(project->id, *index, *key);
  if (!group.ok()) return respond(http::ErrorResponse(group.status()));
  if (!*group) {
    return respond(http::ErrorResponse(
        NotFoundError("no group of type " + std::to_string(*index) + " with key '" + *key + "'")));
  }
  store::PropertiesParser parser;
  std::vector<std::pair<std::string, store::PropertyValue>> scratch;
  JsonWriter w;
  WriteGroup(**group, parser, scratch, &w);
  respond(http::Response::Json(200, std::move(w).Take()));
}

}  // namespace hoglet::api
