#include "api/cohorts_handler.h"

#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/auth.h"
#include "api/cohort_json.h"
#include "api/cohort_members.h"
#include "api/feature_flag_json.h"
#include "api/handler_result.h"
#include "api/id_param.h"
#include "api/json_body.h"
#include "api/multipart_form.h"
#include "api/pagination.h"
#include "api/resource_crud.h"
#include "api/static_cohort_upload.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "base/uuid.h"
#include "flags/cohort.h"
#include "flags/feature_flag_validation.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

namespace dom = simdjson::dom;

constexpr size_t kMaxPersonsPerAdd = 1000;  // PostHog's DEFAULT_COHORT_INSERT_BATCH_SIZE

Status ValidationError(std::string message) {
  return InvalidArgumentError(std::move(message), "invalid_input");
}

// PostHog's cohort_filters_have_values: the top-level group has at least one value.
bool HasCriteria(std::string_view filters_json) {
  dom::parser parser;
  dom::array values;
  return parser.parse(filters_json).at_key("properties").at_key("values").get_array().get(values) ==
             simdjson::SUCCESS &&
         values.size() > 0;
}

// The first criterion under `node` that cohort membership cannot evaluate (it matches person
// properties, other cohorts and the behavioural criteria filters/behavioral_criterion.h
// reads: query/cohort_membership.h), or null.
const filters::PropertyFilter* UnmatchableCriterion(const filters::FilterNode& node) {
  if (node.kind == filters::FilterNode::Kind::kLeaf) {
    bool matchable = node.filter.type == filters::FilterType::kPerson ||
                     node.filter.type == filters::FilterType::kCohort ||
                     node.filter.behavioral != nullptr;
    return matchable ? nullptr : &node.filter;
  }
  for (const filters::FilterNode& child : node.children) {
    if (const filters::PropertyFilter* found = UnmatchableCriterion(child)) return found;
  }
  return nullptr;
}

// A cohort's filters as PostHog's validate_filters checks them (attr "filters"), and only
// criteria this server matches: an event criterion, or a behavioural one of a kind it does not
// evaluate, is refused rather than stored to match nobody.
Status CheckCohortFilters(std::string_view filters_json, bool is_static) {
  if (is_static && !HasCriteria(filters_json)) return Status::Ok();
  dom::parser parser;
  dom::element properties;
  if (parser.parse(filters_json).at_key("properties").get(properties) != simdjson::SUCCESS) {
    return ValidationError("Must contain a 'properties' key with type and values");
  }
  filters::FilterParseOptions options;
  options.reject_invalid_regex = true;
  auto parsed = flags::ParseCohortFilters(filters_json, options);
  if (!parsed.ok()) return ValidationError(parsed.status().message());
  if (const filters::PropertyFilter* unmatchable = UnmatchableCriterion(*parsed)) {
    if (!unmatchable->behavioral_error.empty()) {
      return ValidationError("the behavioral criterion on '" + unmatchable->key +
                             "': " + unmatchable->behavioral_error);
    }
    return ValidationError("cohort criteria of type '" + unmatchable->type_name +
                           "' are not supported: only person properties, behavioral criteria and "
                           "other cohorts are matched");
  }
  return Status::Ok();
}

// Whether cohort `id` with `filters_json` would reach itself through the cohorts it refers to.
bool CreatesLoop(int64_t id, std::string_view filters_json,
                 const std::vector<meta::CohortRecord>& cohorts) {
  std::unordered_map<int64_t, std::vector<int64_t>> graph;
  for (const auto& cohort : cohorts)
    graph[cohort.id] = flags::ReferencedCohortIds(cohort.filters_json);
  graph[id] = flags::ReferencedCohortIds(filters_json);
  std::unordered_set<int64_t> seen;
  std::vector<int64_t> pending = graph[id];
  while (!pending.empty()) {
    int64_t next = pending.back();
    pending.pop_back();
    if (next == id) return true;
    if (!seen.insert(next).second) continue;
    auto found = graph.find(next);
    if (found != graph.end()) {
      pending.insert(pending.end(), found->second.begin(), found->second.end());
    }
  }
  return false;
}

// PostHog's rules for soft-deleting a cohort: no active flag and no other cohort may use it.
Status CheckDeletable(const ApiContext& context, const meta::CohortRecord& cohort) {
  HOGLET_ASSIGN_OR_RETURN(auto flags, context.meta->ListFeatureFlags(cohort.team_id, false));
  std::vector<std::string> flag_names;
  for (const auto& flag : flags) {
    if (!flag.active) continue;
    auto ids = flags::ReferencedCohortIds(flag.filters_json);
    if (std::find(ids.begin(), ids.end(), cohort.id) != ids.end()) {
      flag_names.push_back(flag.name.empty() ? flag.key : flag.name);
    }
  }
  if (!flag_names.empty()) {
    std::string names;
    for (const auto& name : flag_names) names += (names.empty() ? "" : ", ") + name;
    return ValidationError("This cohort is used in " + std::to_string(flag_names.size()) +
                           " active feature flag(s): " + names +
                           ". Please remove the cohort from these feature flags before deleting "
                           "it.");
  }
  HOGLET_ASSIGN_OR_RETURN(auto cohorts, context.meta->ListCohorts(cohort.team_id, false));
  std::vector<std::string> users;
  for (const auto& other : cohorts) {
    if (other.id == cohort.id) continue;
    auto ids = flags::ReferencedCohortIds(other.filters_json);
    if (std::find(ids.begin(), ids.end(), cohort.id) != ids.end()) {
      users.push_back(other.name.empty() ? "Unnamed" : other.name);
    }
  }
  if (!users.empty()) {
    std::string names;
    for (size_t i = 0; i < users.size() && i < 5; ++i) names += (i ? ", " : "") + users[i];
    if (users.size() > 5) names += ", and " + std::to_string(users.size() - 5) + " more";
    return ValidationError("This cohort is used as criteria in " + std::to_string(users.size()) +
                           " other cohort(s): " + names +
                           ". Please remove this cohort from those cohort definitions before "
                           "deleting it.");
  }
  return Status::Ok();
}

http::Response CohortResponse(const ApiContext& context, int status,
                              const meta::CohortRecord& cohort) {
  JsonWriter w;
  WriteCohortJson(context, cohort, /*count_now=*/true, &w);
  return http::Response::Json(status, std::move(w).Take());
}

// Applies the body's fields to `*cohort` (stored, or defaults for a new one). `*attr` names the
// field at fault.
Status ApplyCohortBody(const JsonBody& body, bool creating, meta::CohortRecord* cohort,
                       std::string* attr) {
  *attr = "name";
  HOGLET_ASSIGN_OR_RETURN(auto name,
                          body.NonBlankString("name", creating ? JsonBody::Presence::kRequired
                                                               : JsonBody::Presence::kOptional));
  if (name) {
    cohort->name = *name;
  }
  *attr = "description";
  HOGLET_ASSIGN_OR_RETURN(auto description, body.String("description"));
  if (description) cohort->description = *description;
  *attr = "is_static";
  HOGLET_ASSIGN_OR_RETURN(auto is_static, body.Bool("is_static"));
  if (is_static) cohort->is_static = *is_static;
  *attr = "deleted";
  HOGLET_ASSIGN_OR_RETURN(auto deleted, body.Bool("deleted"));
  if (deleted) cohort->deleted = *deleted;
  *attr = "filters";
  if (!body.IsNull("filters")) {
    HOGLET_ASSIGN_OR_RETURN(auto filters, body.ObjectJson("filters"));
    if (filters) {
      HOGLET_RETURN_IF_ERROR(CheckCohortFilters(*filters, cohort->is_static));
      cohort->filters_json = *filters;
    }
  } else {
    cohort->filters_json = "{}";
  }
  attr->clear();
  return Status::Ok();
}

// The known persons among `person_ids` (strings that are not UUIDs are skipped).
StatusOr<std::vector<Uuid>> KnownPersons(persons::PersonStore& store, int64_t team_id,
                                         const std::vector<std::string>& person_ids) {
  std::vector<Uuid> known;
  for (const std::string& text : person_ids) {
    auto uuid = Uuid::Parse(text);
    if (!uuid) continue;
    HOGLET_ASSIGN_OR_RETURN(auto person, store.PersonByUuid(team_id, *uuid));
    if (person && std::find(known.begin(), known.end(), *uuid) == known.end()) {
      known.push_back(*uuid);
    }
  }
  return known;
}

// The strings of a list field; kInvalidArgument `message` when it is not a list of strings.
StatusOr<std::optional<std::vector<std::string>>> StringList(const JsonBody& body,
                                                             std::string_view key,
                                                             const std::string& message) {
  auto json = body.ArrayJson(key);
  if (!json.ok()) return ValidationError(message);
  if (!*json) return std::optional<std::vector<std::string>>();
  dom::parser parser;
  dom::array array;
  if (parser.parse(**json).get_array().get(array) != simdjson::SUCCESS) {
    return ValidationError(message);
  }
  std::vector<std::string> values;
  for (dom::element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) return ValidationError(message);
    values.emplace_back(text);
  }
  return std::optional(std::move(values));
}

// The cohort's resource edge; every stored field is the caller's project's.
StoredResource<meta::CohortRecord> Cohorts(const ApiContext& context) {
  return MetaStoreResource<meta::CohortRecord>(
      "cohort", *context.meta,
      {&meta::MetaStore::CohortById, &meta::MetaStore::ListCohorts, &meta::MetaStore::CreateCohort,
       &meta::MetaStore::UpdateCohort},
      ListOrder::kNewestFirst, [&context](int status, const meta::CohortRecord& cohort) {
        return CohortResponse(context, status, cohort);
      });
}

// The list filters PostHog's cohort list takes besides paging.
bool MatchesListFilters(const meta::CohortRecord& cohort, const QueryParams& params) {
  if (!MatchesSearch(cohort.name, QueryParam(params, "search").value_or(""))) return false;
  auto type = QueryParam(params, "type");
  if (type == "static" && !cohort.is_static) return false;
  if (type == "dynamic" && cohort.is_static) return false;
  auto creator = QueryParam(params, "created_by_id");
  if (creator && !creator->empty() && cohort.created_by != ParseId(*creator)) return false;
  return true;
}

// A PATCH body applied, then PostHog's rules for a static cohort's criteria, deletion and
// cohorts referring to each other.
Status ChangeCohort(const ApiContext& context, const JsonBody& body,
                    const meta::CohortRecord& stored, meta::CohortRecord* changed,
                    std::string* attr) {
  HOGLET_RETURN_IF_ERROR(ApplyCohortBody(body, false, changed, attr));
  bool filters_changed = changed->filters_json != stored.filters_json;
  if (changed->is_static && filters_changed &&
      (HasCriteria(stored.filters_json) || HasCriteria(changed->filters_json))) {
    return ValidationError(
        "Editing the criteria of a static cohort is not supported yet. Create a new static cohort "
        "instead.");
  }
  if (changed->deleted && !stored.deleted) HOGLET_RETURN_IF_ERROR(CheckDeletable(context, stored));
  if (filters_changed) {
    HOGLET_ASSIGN_OR_RETURN(auto cohorts, context.meta->ListCohorts(stored.team_id, true));
    if (CreatesLoop(stored.id, changed->filters_json, cohorts)) {
      return ValidationError("Cohorts cannot reference other cohorts in a loop.");
    }
  }
  return Status::Ok();
}

// Adds the persons of `distinct_ids` to a stored static cohort.
Status AddDistinctIds(const ApiContext& context, const meta::CohortRecord& cohort,
                      const std::vector<std::string>& distinct_ids) {
  HOGLET_RETURN_IF_ERROR(RequirePersonStore(context));
  HOGLET_ASSIGN_OR_RETURN(auto known,
                          PersonsOfDistinctIds(*context.persons, cohort.team_id, distinct_ids));
  return context.persons->AddPersonsToStaticCohort(cohort.team_id, cohort.id, known).status();
}

// POST …/cohorts/ with a CSV file: a new static cohort of the persons it names.
StatusOr<http::Response> CreateFromCsv(const ApiContext& context,
                                       const meta::AuthenticatedKey& caller,
                                       const meta::Project& project, const http::Request& request) {
  std::string attr;
  auto form = ReadStaticCohortForm(request, &attr);
  if (!form.ok()) return http::ErrorResponse(form.status(), attr);
  if (!form->name) return http::ErrorResponse(ValidationError("This field is required."), "name");
  if (form->is_static == false) {
    return http::ErrorResponse(
        ValidationError("A cohort made from a CSV file is static: is_static must be true"),
        "is_static");
  }
  HOGLET_RETURN_IF_ERROR(RequirePersonStore(context));
  meta::CohortRecord cohort;
  cohort.team_id = project.id;
  cohort.created_by = caller.user.id;
  cohort.name = *form->name;
  cohort.description = form->description.value_or("");
  cohort.is_static = true;
  cohort.filters_json = "{}";
  HOGLET_ASSIGN_OR_RETURN(meta::CohortRecord created, context.meta->CreateCohort(cohort));
  HOGLET_RETURN_IF_ERROR(AddDistinctIds(context, created, form->distinct_ids));
  return CohortResponse(context, 201, created);
}

// PATCH …/cohorts/{id}/ with a CSV file: its persons join the static cohort, and the form's
// name and description replace the stored ones.
StatusOr<http::Response> AddCsv(const ApiContext& context, const meta::Project& project,
                                const http::Request& request) {
  HOGLET_ASSIGN_OR_RETURN(meta::CohortRecord cohort,
                          ResourceFromPath(Cohorts(context), project, request));
  std::string attr;
  auto form = ReadStaticCohortForm(request, &attr);
  if (!form.ok()) return http::ErrorResponse(form.status(), attr);
  if (!cohort.is_static) {
    return http::ErrorResponse(ValidationError("Can only add users to static cohorts"), "csv");
  }
  HOGLET_RETURN_IF_ERROR(AddDistinctIds(context, cohort, form->distinct_ids));
  if (form->name || form->description) {
    if (form->name) cohort.name = *form->name;
    if (form->description) cohort.description = *form->description;
    HOGLET_ASSIGN_OR_RETURN(cohort, context.meta->UpdateCohort(cohort));
  }
  return CohortResponse(context, 200, cohort);
}

}  // namespace

void HandleListCohorts(const ApiContext& context, const meta::AuthenticatedKey& caller,
                       http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return ListRecords(Cohorts(context), project, request, MatchesListFilters,
                       [&](const meta::CohortRecord& cohort, JsonWriter* w) {
                         WriteCohortJson(context, cohort, /*count_now=*/false, w);
                       });
  });
}

void HandleCreateCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        if (IsMultipartForm(request.Header("Content-Type"))) {
          return CreateFromCsv(context, caller, project, request);
        }
        HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
        meta::CohortRecord cohort;
        cohort.team_id = project.id;
        cohort.created_by = caller.user.id;
        std::string attr;
        if (auto refused = FieldErrorOf(ApplyCohortBody(body, true, &cohort, &attr), attr)) {
          return *refused;
        }
        auto person_ids = StringList(body, "_create_static_person_ids",
                                     "'_create_static_person_ids' must be a list of person UUIDs");
        if (!person_ids.ok()) {
          return http::ErrorResponse(person_ids.status(), "_create_static_person_ids");
        }
        bool adds_persons = cohort.is_static && *person_ids && !(*person_ids)->empty();
        if (adds_persons) HOGLET_RETURN_IF_ERROR(RequirePersonStore(context));

        HOGLET_ASSIGN_OR_RETURN(meta::CohortRecord created, context.meta->CreateCohort(cohort));
        if (adds_persons) {
          HOGLET_ASSIGN_OR_RETURN(auto known,
                                  KnownPersons(*context.persons, created.team_id, **person_ids));
          HOGLET_RETURN_IF_ERROR(
              context.persons->AddPersonsToStaticCohort(created.team_id, created.id, known));
        }
        return CohortResponse(context, 201, created);
      });
}

void HandleGetCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                     http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return GetRecord(Cohorts(context), project, request);
  });
}

void HandleUpdateCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    if (IsMultipartForm(request.Header("Content-Type"))) return AddCsv(context, project, request);
    return UpdateRecord<meta::CohortRecord>(
        Cohorts(context), project, request,
        [&](const JsonBody& body, const meta::CohortRecord* stored, meta::CohortRecord* changed,
            std::string* attr) { return ChangeCohort(context, body, *stored, changed, attr); });
  });
}

void HandleDeleteCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                        http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return SoftDeleteRecord(Cohorts(context), project, request,
                            [&](const meta::CohortRecord& stored, const meta::CohortRecord&) {
                              return CheckDeletable(context, stored);
                            });
  });
}

void HandleAddPersonsToStaticCohort(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                    http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        HOGLET_ASSIGN_OR_RETURN(meta::CohortRecord cohort,
                                ResourceFromPath(Cohorts(context), project, request));
        if (!cohort.is_static) return ValidationError("Can only add users to static cohorts");
        HOGLET_ASSIGN_OR_RETURN(JsonBody body, JsonBody::Parse(request.body));
        HOGLET_ASSIGN_OR_RETURN(auto person_ids,
                                StringList(body, "person_ids", "person_ids must be a list"));
        if (!person_ids) return ValidationError("person_ids must be a list");
        if (person_ids->empty()) return ValidationError("person_ids cannot be empty");
        if (person_ids->size() > kMaxPersonsPerAdd) {
          return ValidationError("List size exceeds limit");
        }
        HOGLET_RETURN_IF_ERROR(RequirePersonStore(context));
        HOGLET_ASSIGN_OR_RETURN(auto known,
                                KnownPersons(*context.persons, cohort.team_id, *person_ids));
        if (known.empty()) return ValidationError("No valid users to add to cohort");
        HOGLET_RETURN_IF_ERROR(
            context.persons->AddPersonsToStaticCohort(cohort.team_id, cohort.id, known));
        return http::Response::Json(200, R"({"success":true})");
      });
}

}  // namespace hoglet::api
