#include "api/feature_flags_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/feature_flag_json.h"
#include "api/handler_result.h"
#include "api/id_param.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/resource_crud.h"
#include "api/scope_permission.h"
#include "base/json_writer.h"
#include "flags/feature_flag_validation.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

namespace dom = simdjson::dom;

// What a flag created without filters serves: one condition set for everyone (what PostHog
// serves for a flag stored without "groups").
constexpr std::string_view kDefaultFilters =
    R"({"groups":[{"properties":[],"rollout_percentage":null}]})";

StatusOr<flags::FlagProject> LoadProject(const ApiContext& context, int64_t team_id) {
  flags::FlagProject project;
  HOGLET_ASSIGN_OR_RETURN(project.flags, context.meta->ListFeatureFlags(team_id, false));
  HOGLET_ASSIGN_OR_RETURN(project.cohorts, context.meta->ListCohorts(team_id, true));
  return project;
}

std::optional<meta::User> CreatorOf(const ApiContext& context,
                                    const meta::FeatureFlagRecord& flag) {
  if (!flag.created_by) return std::nullopt;
  auto user = context.meta->UserById(*flag.created_by);
  if (!user.ok()) return std::nullopt;
  return *user;
}

http::Response FlagResponse(const ApiContext& context, int status,
                            const meta::FeatureFlagRecord& flag) {
  JsonWriter w;
  WriteFeatureFlagJson(flag, CreatorOf(context, flag), context.clock->NowMicros(), &w);
  return http::Response::Json(status, std::move(w).Take());
}

Status UniqueKeyError() {
  return InvalidArgumentError("There is already a feature flag with this key.", "unique");
}

// A list of strings (duplicates dropped, order kept).
StatusOr<std::optional<std::vector<std::string>>> StringList(const JsonBody& body,
                                                             std::string_view key) {
  HOGLET_ASSIGN_OR_RETURN(auto json, body.ArrayJson(key));
  if (!json) return std::optional<std::vector<std::string>>();
  dom::parser parser;
  dom::array array;
  if (parser.parse(*json).get_array().get(array) != simdjson::SUCCESS) {
    return InvalidArgumentError("'" + std::string(key) + "' must be a list", "invalid_input");
  }
  std::vector<std::string> values;
  for (dom::element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return InvalidArgumentError("'" + std::string(key) + "' must be a list of strings",
                                  "invalid_input");
    }
    if (std::find(values.begin(), values.end(), text) == values.end()) values.emplace_back(text);
  }
  return std::optional(std::move(values));
}

// A string among `choices`, or null. Absent: leaves `*value` alone.
Status ReadChoice(const JsonBody& body, std::string_view key,
                  std::initializer_list<std::string_view> choices,
                  std::optional<std::string>* value) {
  if (!body.Has(key)) return Status::Ok();
  if (body.IsNull(key)) {
    value->reset();
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(auto text, body.String(key));
  if (std::find(choices.begin(), choices.end(), *text) == choices.end()) {
    return InvalidArgumentError("\"" + *text + "\" is not a valid choice.", "invalid_choice");
  }
  *value = *text;
  return Status::Ok();
}

Status ReadBool(const JsonBody& body, std::string_view key, bool* value) {
  HOGLET_ASSIGN_OR_RETURN(auto flag, body.Bool(key));
  if (flag) *value = *flag;
  return Status::Ok();
}

// Applies the body's fields to `*flag` (the stored flag, or defaults for a new one), checking
// each as PostHog's serializer does, in its field order. `*attr` names the field at fault.
Status ApplyFlagBody(const JsonBody& body, const flags::FlagProject& project, bool creating,
                     int64_t now_us, meta::FeatureFlagRecord* flag, std::string* attr) {
  *attr = "name";
  HOGLET_ASSIGN_OR_RETURN(auto name, body.String("name"));
  if (name) flag->name = *name;

  *attr = "key";
  if (creating && !body.Has("key")) {
    return InvalidArgumentError("This field is required.", "required");
  }
  HOGLET_ASSIGN_OR_RETURN(auto key, body.String("key"));
  const std::string stored_key = flag->key;
  if (key) {
    HOGLET_RETURN_IF_ERROR(flags::CheckFlagKey(*key));
    bool taken = std::any_of(project.flags.begin(), project.flags.end(), [&](const auto& other) {
      return other.key == *key && other.id != flag->id;
    });
    if (taken) return UniqueKeyError();
    flag->key = *key;
  }

  *attr = "filters";
  HOGLET_ASSIGN_OR_RETURN(auto filters, body.ObjectJson("filters"));
  bool keeps_stored = false;
  if (filters && !creating) {
    dom::parser parser;
    dom::element groups;
    keeps_stored = parser.parse(*filters).at_key("groups").get(groups) != simdjson::SUCCESS;
  }
  if (filters && !keeps_stored) {
    flags::FlagUnderCheck check;
    check.id = flag->id;
    check.key = creating ? std::string_view(flag->key) : std::string_view(stored_key);
    check.creating = creating;
    check.now_us = now_us;
    HOGLET_ASSIGN_OR_RETURN(flag->filters_json, flags::CheckFlagFilters(*filters, check, project));
  } else if (creating) {
    flag->filters_json = std::string(kDefaultFilters);
  }

  *attr = "deleted";
  HOGLET_RETURN_IF_ERROR(ReadBool(body, "deleted", &flag->deleted));
  *attr = "active";
  HOGLET_RETURN_IF_ERROR(ReadBool(body, "active", &flag->active));
  *attr = "ensure_experience_continuity";
  HOGLET_RETURN_IF_ERROR(
      ReadBool(body, "ensure_experience_continuity", &flag->ensure_experience_continuity));

  for (std::string_view field : {"evaluation_tags", "evaluation_contexts"}) {
    *attr = std::string(field);
    HOGLET_ASSIGN_OR_RETURN(auto tags, StringList(body, field));
    if (tags) {
      flag->evaluation_contexts = std::move(*tags);
      break;
    }
  }
  *attr = "evaluation_runtime";
  HOGLET_RETURN_IF_ERROR(ReadChoice(body, "evaluation_runtime", {"all", "client", "server"},
                                    &flag->evaluation_runtime));
  *attr = "bucketing_identifier";
  HOGLET_RETURN_IF_ERROR(ReadChoice(body, "bucketing_identifier", {"distinct_id", "device_id"},
                                    &flag->bucketing_identifier));
  attr->clear();
  return Status::Ok();
}

// PostHog's update() rules for switching a flag off or on, which look at the other flags.
Status CheckStateChange(const flags::FlagProject& project, const meta::FeatureFlagRecord& stored,
                        const meta::FeatureFlagRecord& changed, bool deleting) {
  if (deleting) {
    auto dependents = flags::FlagsDependingOn(project, stored.id);
    if (!dependents.empty()) {
      return InvalidArgumentError(
          "Cannot delete this feature flag because other flags depend on it: " +
              flags::DescribeFlags(dependents, 5) +
              ". Please update or delete the dependent flags first.",
          "invalid_input");
    }
  }
  if (stored.active && !changed.active) {
    auto dependents = flags::FlagsDependingOn(project, stored.id);
    if (!dependents.empty()) {
      return InvalidArgumentError(
          "Cannot disable this feature flag because other flags depend on it: " +
              flags::DescribeFlags(dependents, 5) +
              ". Please update or disable the dependent flags first.",
          "invalid_input");
    }
  }
  if (!stored.active && changed.active) {
    auto disabled = flags::InactiveDependencies(project, stored.filters_json);
    if (!disabled.empty()) {
      return InvalidArgumentError(
          "Cannot enable this feature flag because it depends on disabled "
          "flags: " +
              flags::DescribeFlags(disabled, 5) + ". Please enable the dependency flags first.",
          "invalid_input");
    }
  }
  return Status::Ok();
}

// Maps the store's answer to a write: a key taken meanwhile is PostHog's "unique" error.
http::Response WriteError(const Status& status) {
  if (status.code() == StatusCode::kAlreadyExists)
    return http::ErrorResponse(UniqueKeyError(), "key");
  return http::ErrorResponse(status);
}

bool HasVariants(std::string_view filters_json) {
  dom::parser parser;
  dom::array variants;
  return parser.parse(filters_json)
                 .at_key("multivariate")
                 .at_key("variants")
                 .get_array()
                 .get(variants) == simdjson::SUCCESS &&
         variants.size() > 0;
}

bool MatchesListFilters(const meta::FeatureFlagRecord& flag, const QueryParams& params) {
  if (auto active = QueryParam(params, "active"); active && *active != "STALE") {
    if (flag.active != (*active == "true")) return false;
  }
  std::string search = QueryParam(params, "search").value_or("");
  if (!MatchesSearch(flag.key, search) && !MatchesSearch(flag.name, search)) return false;
  if (auto type = QueryParam(params, "type");
      type && (*type == "boolean" || *type == "multivariant")) {
    if (HasVariants(flag.filters_json) != (*type == "multivariant")) return false;
  }
  if (auto runtime = QueryParam(params, "evaluation_runtime"); runtime && !runtime->empty()) {
    if (flag.evaluation_runtime.value_or("all") != *runtime) return false;
  }
  if (auto creator = QueryParam(params, "created_by_id"); creator && !creator->empty()) {
    auto id = ParseId(*creator);
    if (!id || flag.created_by != *id) return false;
  }
  return true;
}

// The flag's resource edge; every stored field is the caller's project's.
StoredResource<meta::FeatureFlagRecord> FeatureFlags(const ApiContext& context) {
  StoredResource<meta::FeatureFlagRecord> resource = MetaStoreResource<meta::FeatureFlagRecord>(
      "feature flag", *context.meta,
      {&meta::MetaStore::FeatureFlagById, &meta::MetaStore::ListFeatureFlags,
       &meta::MetaStore::CreateFeatureFlag, &meta::MetaStore::UpdateFeatureFlag},
      ListOrder::kNewestFirst, [&context](int status, const meta::FeatureFlagRecord& flag) {
        return FlagResponse(context, status, flag);
      });
  resource.write_error = WriteError;
  return resource;
}

// A POST or PATCH body applied against the project's other flags; a PATCH then checked by
// PostHog's rules for switching a flag off, on or deleting it.
// Every PATCH is a new version, as in PostHog, even when nothing changed.
ApplyChange<meta::FeatureFlagRecord> ChangeFlag(const ApiContext& context) {
  return [&context](const JsonBody& body, const meta::FeatureFlagRecord* stored,
                    meta::FeatureFlagRecord* flag, std::string* attr) -> Status {
    HOGLET_ASSIGN_OR_RETURN(flags::FlagProject existing, LoadProject(context, flag->team_id));
    const bool creating = stored == nullptr;
    HOGLET_RETURN_IF_ERROR(
        ApplyFlagBody(body, existing, creating, context.clock->NowMicros(), flag, attr));
    if (creating) return Status::Ok();
    auto deleting = body.Bool("deleted");
    return CheckStateChange(existing, *stored, *flag, deleting.ok() && *deleting == true);
  };
}

}  // namespace

void HandleListFeatureFlags(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    const int64_t now_us = context.clock->NowMicros();
    return ListRecords(FeatureFlags(context), project, request, MatchesListFilters,
                       [&](const meta::FeatureFlagRecord& flag, JsonWriter* w) {
                         WriteFeatureFlagJson(flag, CreatorOf(context, flag), now_us, w);
                       });
  });
}

void HandleCreateFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    meta::FeatureFlagRecord flag;
    flag.team_id = project.id;
    flag.created_by = caller.user.id;
    flag.evaluation_runtime = "all";
    return CreateRecord(FeatureFlags(context), request, std::move(flag), ChangeFlag(context));
  });
}

void HandleGetFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                          http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return GetRecord(FeatureFlags(context), project, request);
  });
}

void HandleUpdateFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return UpdateRecord(FeatureFlags(context), project, request, ChangeFlag(context));
  });
}

void HandleDeleteFeatureFlag(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return SoftDeleteRecord(FeatureFlags(context), project, request,
                            [&](const meta::FeatureFlagRecord& stored,
                                const meta::FeatureFlagRecord& changed) -> Status {
                              HOGLET_ASSIGN_OR_RETURN(flags::FlagProject existing,
                                                      LoadProject(context, project.id));
                              return CheckStateChange(existing, stored, changed, true);
                            });
  });
}

void HandleFeatureFlagRemoteConfig(const ApiContext& context, http::Request&& request,
                                   http::Responder respond) {
  // A project secret key (phs_) stands for its project; anything else is a personal API key.
  StatusOr<meta::Project> project = NotFoundError("no project");
  std::string_view authorization = request.Header("Authorization");
  constexpr std::string_view kSecretBearer = "Bearer phs_";
  if (authorization.substr(0, kSecretBearer.size()) == kSecretBearer) {
    project = context.meta->ProjectBySecretToken(authorization.substr(7));
    if (!project.ok()) {
      return respond(http::ErrorResponse(
          UnauthenticatedError("project secret API key is not valid", "authentication_failed")));
    }
    std::string_view id = request.PathParam("project_id");
    if (id != "@current" && ParseId(id) != project->id) {
      return respond(
          http::ErrorResponse(NotFoundError("project " + std::string(id) + " not found")));
    }
  } else {
    auto caller = AuthenticateRequest(request, *context.meta);
    if (!caller.ok()) return respond(http::ErrorResponse(caller.status()));
    Status allowed = RequireScope(*caller, "feature_flag", meta::ScopeAction::kRead);
    if (!allowed.ok()) return respond(http::ErrorResponse(allowed));
    project = AuthorizeCaller(context, *caller, request);
    if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  }
  if (auto token = QueryParam(request.Params(), "token"); token && *token != project->api_token) {
    return respond(http::ErrorResponse(PermissionDeniedError(
        "the token parameter is not this project's token", "permission_denied")));
  }

  std::string_view reference = request.PathParam("id");
  auto flags = context.meta->ListFeatureFlags(project->id, false);
  if (!flags.ok()) return respond(http::ErrorResponse(flags.status()));
  auto id = ParseId(reference);
  auto flag = std::find_if(flags->begin(), flags->end(),
                           [&](const auto& f) { return id ? f.id == *id : f.key == reference; });
  if (flag == flags->end()) {
    return respond(http::ErrorResponse(
        NotFoundError("no feature flag '" + std::string(reference) + "' in this project")));
  }
  dom::parser parser;
  dom::element payload;
  std::string body;
  if (parser.parse(flag->filters_json).at_key("payloads").at_key("true").get(payload) ==
      simdjson::SUCCESS) {
    std::string_view text;
    bool empty =
        payload.is_null() || (payload.get_string().get(text) == simdjson::SUCCESS && text.empty());
    if (!empty) body = simdjson::minify(payload);
  }
  respond(http::Response::Json(200, std::move(body)));
}

}  // namespace hoglet::api
