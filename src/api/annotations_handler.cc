#include "api/annotations_handler.h"

#include <optional>
#include <string>
#include <string_view>

#include "api/forbid_destroy.h"
#include "api/handler_result.h"
#include "api/insight_json.h"
#include "api/json_body.h"
#include "api/pagination.h"
#include "api/resource_crud.h"
#include "base/json_writer.h"
#include "base/time_format.h"

namespace hoglet::api {
namespace {

void WriteOptionalString(const std::optional<std::string>& value, JsonWriter* w) {
  if (value) {
    w->String(*value);
  } else {
    w->Null();
  }
}

void WriteOptionalInt(const std::optional<int64_t>& value, JsonWriter* w) {
  if (value) {
    w->Int(*value);
  } else {
    w->Null();
  }
}

void WriteAnnotationJson(const ApiContext& context, const meta::AnnotationRecord& annotation,
                         JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  w->Int(annotation.id);
  w->Key("content");
  WriteOptionalString(annotation.content, w);
  w->Key("date_marker");
  WriteOptionalString(annotation.date_marker_us
                          ? std::optional<std::string>(FormatIsoMicros(*annotation.date_marker_us))
                          : std::nullopt,
                      w);
  w->Key("creation_type");
  w->String(annotation.creation_type);
  w->Key("dashboard_item");
  WriteOptionalInt(annotation.insight_id, w);
  w->Key("dashboard_id");
  WriteOptionalInt(annotation.dashboard_id, w);
  auto dashboard = annotation.dashboard_id
                       ? context.meta->DashboardById(annotation.team_id, *annotation.dashboard_id)
                       : StatusOr<meta::DashboardRecord>(NotFoundError("no dashboard"));
  w->Key("dashboard_name");
  WriteOptionalString(dashboard.ok() ? std::optional<std::string>(dashboard->name) : std::nullopt,
                      w);
  auto insight = annotation.insight_id
                     ? context.meta->InsightById(annotation.team_id, *annotation.insight_id)
                     : StatusOr<meta::InsightRecord>(NotFoundError("no insight"));
  w->Key("insight_short_id");
  WriteOptionalString(insight.ok() ? std::optional<std::string>(insight->short_id) : std::nullopt,
                      w);
  w->Key("insight_name");
  WriteOptionalString(insight.ok() ? insight->name : std::nullopt, w);
  w->Key("insight_derived_name");
  WriteOptionalString(insight.ok() ? insight->derived_name : std::nullopt, w);
  w->Key("created_by");
  WriteUserOrNullJson(context, annotation.created_by, w);
  w->Key("created_at");
  w->String(FormatIsoMicros(annotation.created_at_us));
  w->Key("updated_at");
  w->String(FormatIsoMicros(annotation.updated_at_us));
  w->Key("deleted");
  w->Bool(annotation.deleted);
  w->Key("scope");
  w->String(annotation.scope);
  w->Key("emoji");
  WriteOptionalString(annotation.emoji, w);
  w->Key("hidden_in_user_interface");
  if (annotation.hidden_in_user_interface) {
    w->Bool(*annotation.hidden_in_user_interface);
  } else {
    w->Null();
  }
  w->EndObject();
}

http::Response AnnotationResponse(const ApiContext& context, int status,
                                  const meta::AnnotationRecord& annotation) {
  JsonWriter w;
  WriteAnnotationJson(context, annotation, &w);
  return http::Response::Json(status, std::move(w).Take());
}

// A nullable string field: absent leaves `*field`, null clears it.
Status ApplyNullableString(const JsonBody& body, std::string_view key,
                           std::optional<std::string>* field) {
  if (!body.Has(key)) return Status::Ok();
  if (body.IsNull(key)) {
    field->reset();
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(auto value, body.String(key));
  *field = value;
  return Status::Ok();
}

// A nullable integer id field, likewise.
Status ApplyNullableId(const JsonBody& body, std::string_view key, std::optional<int64_t>* field) {
  if (!body.Has(key)) return Status::Ok();
  if (body.IsNull(key)) {
    field->reset();
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(auto value, body.Int(key));
  *field = value;
  return Status::Ok();
}

// Applies the body's fields to `*annotation` (stored, or defaults for a new one). `*attr` names
// the field at fault.
Status ApplyAnnotationBody(const JsonBody& body, meta::AnnotationRecord* annotation,
                           std::string* attr) {
  *attr = "content";
  HOGLET_RETURN_IF_ERROR(ApplyNullableString(body, "content", &annotation->content));
  if (annotation->content && annotation->content->size() > meta::kMaxAnnotationContentBytes) {
    return InvalidArgumentError("Ensure this field has no more than " +
                                    std::to_string(meta::kMaxAnnotationContentBytes) +
                                    " characters.",
                                "max_length");
  }
  *attr = "date_marker";
  std::optional<std::string> date_marker;
  HOGLET_RETURN_IF_ERROR(ApplyNullableString(body, "date_marker", &date_marker));
  if (body.Has("date_marker")) {
    annotation->date_marker_us.reset();
    if (date_marker) {
      annotation->date_marker_us = ParseIsoMicros(*date_marker);
      if (!annotation->date_marker_us) {
        return InvalidArgumentError(
            "Datetime has wrong format. Use an ISO 8601 date-time such as "
            "2026-01-02T03:04:05Z.",
            "invalid");
      }
    }
  }
  *attr = "scope";
  HOGLET_ASSIGN_OR_RETURN(auto scope, body.String("scope"));
  if (scope) {
    if (*scope != meta::kAnnotationScopeInsight && *scope != meta::kAnnotationScopeDashboard &&
        *scope != meta::kAnnotationScopeProject && *scope != meta::kAnnotationScopeOrganization) {
      return InvalidArgumentError("\"" + *scope +
                                      "\" is not a valid choice: dashboard_item, dashboard, "
                                      "project or organization.",
                                  "invalid_choice");
    }
    annotation->scope = *scope;
  }
  *attr = "creation_type";
  HOGLET_ASSIGN_OR_RETURN(auto creation_type, body.String("creation_type"));
  if (creation_type) {
    if (*creation_type != "USR" && *creation_type != "GIT") {
      return InvalidArgumentError("\"" + *creation_type + "\" is not a valid choice: USR or GIT.",
                                  "invalid_choice");
    }
    annotation->creation_type = *creation_type;
  }
  *attr = "dashboard_item";
  HOGLET_RETURN_IF_ERROR(ApplyNullableId(body, "dashboard_item", &annotation->insight_id));
  *attr = "dashboard_id";
  HOGLET_RETURN_IF_ERROR(ApplyNullableId(body, "dashboard_id", &annotation->dashboard_id));
  *attr = "emoji";
  HOGLET_RETURN_IF_ERROR(ApplyNullableString(body, "emoji", &annotation->emoji));
  if (annotation->emoji && annotation->emoji->size() > meta::kMaxAnnotationEmojiBytes) {
    return InvalidArgumentError("Ensure this field has no more than 16 characters.", "max_length");
  }
  *attr = "hidden_in_user_interface";
  if (body.Has("hidden_in_user_interface")) {
    HOGLET_ASSIGN_OR_RETURN(auto hidden, body.Bool("hidden_in_user_interface"));
    annotation->hidden_in_user_interface = hidden;
  }
  *attr = "deleted";
  HOGLET_ASSIGN_OR_RETURN(auto deleted, body.Bool("deleted"));
  if (deleted) annotation->deleted = *deleted;
  attr->clear();
  return Status::Ok();
}

StoredResource<meta::AnnotationRecord> Annotations(const ApiContext& context) {
  return MetaStoreResource<meta::AnnotationRecord>(
      "annotation", *context.meta,
      {&meta::MetaStore::AnnotationById, &meta::MetaStore::ListAnnotations,
       &meta::MetaStore::CreateAnnotation, &meta::MetaStore::UpdateAnnotation},
      ListOrder::kById, [&context](int status, const meta::AnnotationRecord& annotation) {
        return AnnotationResponse(context, status, annotation);
      });
}

ApplyChange<meta::AnnotationRecord> ChangeAnnotation() {
  return [](const JsonBody& body, const meta::AnnotationRecord*, meta::AnnotationRecord* annotation,
            std::string* attr) { return ApplyAnnotationBody(body, annotation, attr); };
}

// Whether the list's filters (search, scope, after, before) keep `annotation`.
bool KeptByFilters(const meta::AnnotationRecord& annotation, const QueryParams& params) {
  if (!MatchesSearch(annotation.content.value_or(""), QueryParam(params, "search").value_or(""))) {
    return false;
  }
  if (auto scope = QueryParam(params, "scope");
      scope && !scope->empty() && *scope != annotation.scope) {
    return false;
  }
  for (std::string_view bound : {"after", "before"}) {
    auto text = QueryParam(params, bound);
    if (!text || text->empty()) continue;
    std::optional<int64_t> limit_us = ParseIsoMicros(*text);
    if (!limit_us) continue;
    if (!annotation.date_marker_us) return false;
    if (bound == "after" ? *annotation.date_marker_us <= *limit_us
                         : *annotation.date_marker_us >= *limit_us) {
      return false;
    }
  }
  return true;
}

}  // namespace

void HandleListAnnotations(const ApiContext& context, const meta::AuthenticatedKey& caller,
                           http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return ListRecords(Annotations(context), project, request, KeptByFilters,
                       [&](const meta::AnnotationRecord& annotation, JsonWriter* w) {
                         WriteAnnotationJson(context, annotation, w);
                       });
  });
}

void HandleCreateAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    meta::AnnotationRecord annotation;
    annotation.team_id = project.id;
    annotation.created_by = caller.user.id;
    annotation.scope = std::string(meta::kAnnotationScopeInsight);
    return CreateRecord(Annotations(context), request, std::move(annotation), ChangeAnnotation());
  });
}

void HandleGetAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                         http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return GetRecord(Annotations(context), project, request);
  });
}

void HandleUpdateAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond) {
  RespondInProject(context, caller, request, respond, [&](const meta::Project& project) {
    return UpdateRecord(Annotations(context), project, request, ChangeAnnotation());
  });
}

void HandleDeleteAnnotation(const ApiContext& context, const meta::AuthenticatedKey& caller,
                            http::Request&& request, http::Responder respond) {
  RespondInProject(
      context, caller, request, respond,
      [&](const meta::Project& project) -> StatusOr<http::Response> {
        HOGLET_RETURN_IF_ERROR(ResourceFromPath(Annotations(context), project, request).status());
        return ForbidDestroyResponse();
      });
}

}  // namespace hoglet::api
