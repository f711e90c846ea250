#include "api/personal_api_keys_handler.h"

#include <optional>
#include <string>
#include <vector>

#include "api/handler_result.h"
#include "api/json_body.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"
#include "meta/api_key_scopes.h"

namespace hoglet::api {
namespace {

// Writes the key's fields into an object the caller has begun, so create can add "value".
void WriteKeyFields(const meta::PersonalApiKey& key, JsonWriter* w) {
  w->Key("id");
  w->String(key.id);
  w->Key("label");
  w->String(key.label);
  w->Key("mask_value");
  w->String(key.mask_value);
  w->Key("created_at");
  w->String(FormatIsoMicros(key.created_at_us));
  w->Key("last_used_at");
  if (key.last_used_at_us) {
    w->String(FormatIsoMicros(*key.last_used_at_us));
  } else {
    w->Null();
  }
  w->Key("user_id");
  w->Int(key.user_id);
  w->Key("scopes");
  w->BeginArray();
  for (const std::string& scope : key.scopes) w->String(scope);
  w->EndArray();
  // A key reaches every project of its user's organization: it is scoped to no team and no
  // organization, which PostHog writes as empty lists (clients read the lists, never a null).
  w->Key("scoped_teams");
  w->Raw("[]");
  w->Key("scoped_organizations");
  w->Raw("[]");
  w->Key("last_rolled_at");
  w->Null();
}

http::Response KeyResponse(int status, const meta::PersonalApiKey& key) {
  JsonWriter w;
  w.BeginObject();
  WriteKeyFields(key, &w);
  w.EndObject();
  return http::Response::Json(status, std::move(w).Take());
}

// A 400 about one body field, with PostHog's code for an invalid value.
http::Response FieldError(const Status& status, std::string_view attr) {
  return http::ErrorResponse(InvalidArgumentError(status.message(), "invalid_input"), attr);
}

// The store refuses a label or scopes with kInvalidArgument; the reason tells which field.
http::Response StoreFieldError(const Status& status) {
  return FieldError(status, status.reason() == "invalid_scope" ? "scopes" : "label");
}

// The `scopes` field of a create or update body: absent (nullopt), or a validated list.
StatusOr<std::optional<std::vector<std::string>>> ScopesField(const JsonBody& body) {
  HOGLET_ASSIGN_OR_RETURN(auto scopes, body.StringList("scopes"));
  if (!scopes) return scopes;
  HOGLET_ASSIGN_OR_RETURN(auto normalized, meta::NormalizeScopes(*std::move(scopes)));
  return std::optional<std::vector<std::string>>(std::move(normalized));
}

// The key id the path names: "@current" is the key sending the request.
std::string KeyIdFromPath(const meta::AuthenticatedKey& caller, const http::Request& request) {
  std::string_view id = request.PathParam("id");
  return id == "@current" ? caller.key_id : std::string(id);
}

Status KeyNotFound(std::string_view id) {
  return NotFoundError("personal API key " + std::string(id) + " not found");
}

}  // namespace

void HandleListPersonalApiKeys(const ApiContext& context, const meta::AuthenticatedKey& caller,
                               http::Request&&, http::Responder respond) {
  auto keys = context.meta->ListPersonalApiKeys(caller.user.id);
  if (!keys.ok()) return respond(http::ErrorResponse(keys.status()));
  JsonWriter w;
  w.BeginArray();
  for (const meta::PersonalApiKey& key : *keys) {
    w.BeginObject();
    WriteKeyFields(key, &w);
    w.EndObject();
  }
  w.EndArray();
  respond(http::Response::Json(200, std::move(w).Take()));
}

void HandleCreatePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  auto label = body->String("label");
  if (!label.ok()) return respond(http::ErrorResponse(label.status(), "label"));
  if (!label->has_value()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("a new personal API key needs a 'label'", "required"), "label"));
  }
  auto scopes = ScopesField(*body);
  if (!scopes.ok()) return respond(FieldError(scopes.status(), "scopes"));
  std::vector<std::string> granted =
      scopes->value_or(std::vector<std::string>{std::string(meta::kFullAccessScope)});
  auto created = context.meta->CreatePersonalApiKey(caller.user.id, **label, std::move(granted));
  if (!created.ok()) {
    if (created.status().code() == StatusCode::kInvalidArgument) {
      return respond(StoreFieldError(created.status()));
    }
    return respond(http::ErrorResponse(created.status()));
  }
  JsonWriter w;
  w.BeginObject();
  WriteKeyFields(created->key, &w);
  w.Key("value");
  w.String(created->plain_key);
  w.EndObject();
  respond(http::Response::Json(201, std::move(w).Take()));
}

void HandleGetPersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                             http::Request&& request, http::Responder respond) {
  auto keys = context.meta->ListPersonalApiKeys(caller.user.id);
  if (!keys.ok()) return respond(http::ErrorResponse(keys.status()));
  std::string id = KeyIdFromPath(caller, request);
  for (const meta::PersonalApiKey& key : *keys) {
    if (key.id == id) return respond(KeyResponse(200, key));
  }
  respond(http::ErrorResponse(KeyNotFound(request.PathParam("id"))));
}

void HandleUpdatePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  meta::PersonalApiKeyUpdate update;
  auto label = body->String("label");
  if (!label.ok()) return respond(http::ErrorResponse(label.status(), "label"));
  update.label = *std::move(label);
  auto scopes = ScopesField(*body);
  if (!scopes.ok()) return respond(FieldError(scopes.status(), "scopes"));
  update.scopes = *std::move(scopes);
  auto updated =
      context.meta->UpdatePersonalApiKey(caller.user.id, KeyIdFromPath(caller, request), update);
  if (updated.ok()) return respond(KeyResponse(200, *updated));
  switch (updated.status().code()) {
    case StatusCode::kNotFound:
      return respond(http::ErrorResponse(KeyNotFound(request.PathParam("id"))));
    case StatusCode::kInvalidArgument:
      return respond(StoreFieldError(updated.status()));
    default:
      return respond(http::ErrorResponse(updated.status()));
  }
}

void HandleDeletePersonalApiKey(const ApiContext& context, const meta::AuthenticatedKey& caller,
                                http::Request&& request, http::Responder respond) {
  Status deleted =
      context.meta->DeletePersonalApiKey(caller.user.id, KeyIdFromPath(caller, request));
  if (deleted.code() == StatusCode::kNotFound) {
    return respond(http::ErrorResponse(KeyNotFound(request.PathParam("id"))));
  }
  if (!deleted.ok()) return respond(http::ErrorResponse(deleted));
  respond(NoContentResponse());
}

}  // namespace hoglet::api
