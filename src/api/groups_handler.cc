#include "api/groups_handler.h"

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

void HandleListGroupTypes(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  auto project = AuthorizeCaller(context, caller, request, PersonStoreUse::kReads);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  auto types = context.persons->GroupTypes(project->id);
  if (!types.ok()) return respond(http::ErrorResponse(types.status()));
  std::sort(types->begin(), types->end(),
            [](const auto& a, const auto& b) { return a.group_type_index < b.group_type_index; });
  JsonWriter w;
  w.BeginArray();
  for (const persons::GroupType& type : *types) {
    w.BeginObject();
    w.Key("group_type");
    w.String(type.group_type);
    w.Key("group_type_index");
    w.Int(type.group_type_index);
    w.Key("name_singular");
    w.Null();
    w.Key("name_plural");
    w.Null();
    w.EndObject();
  }
  w.EndArray();
  respond(http::Response::Json(200, std::move(w).Take()));
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
