#include "api/personal_api_keys_handler.h"

#include <string>

#include "api/auth.h"
#include "api/json_body.h"
#include "base/json_writer.h"
#include "base/time_format.h"
#include "http/error_response.h"

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
  w->String("*");
  w->EndArray();
}

}  // namespace

void HandleListPersonalApiKeys(const ApiContext& context, http::Request&& request,
                               http::Responder respond) {
  auto user = AuthenticateRequest(request, *context.meta);
  if (!user.ok()) return respond(http::ErrorResponse(user.status()));
  auto keys = context.meta->ListPersonalApiKeys(user->id);
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

void HandleCreatePersonalApiKey(const ApiContext& context, http::Request&& request,
                                http::Responder respond) {
  auto user = AuthenticateRequest(request, *context.meta);
  if (!user.ok()) return respond(http::ErrorResponse(user.status()));
  auto body = JsonBody::Parse(request.body);
  if (!body.ok()) return respond(http::ErrorResponse(body.status()));
  auto label = body->String("label");
  if (!label.ok()) return respond(http::ErrorResponse(label.status(), "label"));
  if (!label->has_value()) {
    return respond(http::ErrorResponse(
        InvalidArgumentError("a new personal API key needs a 'label'", "required"), "label"));
  }
  auto created = context.meta->CreatePersonalApiKey(user->id, **label);
  if (!created.ok()) {
    // The store's only client-caused refusal is the label's length.
    if (created.status().code() == StatusCode::kInvalidArgument) {
      return respond(http::ErrorResponse(
          InvalidArgumentError(created.status().message(), "invalid_input"), "label"));
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

void HandleGetPersonalApiKey(const ApiContext& context, http::Request&& request,
                             http::Responder respond) {
  auto user = AuthenticateRequest(request, *context.meta);
  if (!user.ok()) return respond(http::ErrorResponse(user.status()));
  auto keys = context.meta->ListPersonalApiKeys(user->id);
  if (!keys.ok()) return respond(http::ErrorResponse(keys.status()));
  std::string_view id = request.PathParam("id");
  for (const meta::PersonalApiKey& key : *keys) {
    if (key.id != id) continue;
    JsonWriter w;
    w.BeginObject();
    WriteKeyFields(key, &w);
    w.EndObject();
    return respond(http::Response::Json(200, std::move(w).Take()));
  }
  respond(http::ErrorResponse(NotFoundError("personal API key " + std::string(id) + " not found")));
}

void HandleDeletePersonalApiKey(const ApiContext& context, http::Request&& request,
                                http::Responder respond) {
  auto user = AuthenticateRequest(request, *context.meta);
  if (!user.ok()) return respond(http::ErrorResponse(user.status()));
  std::string_view id = request.PathParam("id");
  Status deleted = context.meta->DeletePersonalApiKey(user->id, id);
  if (deleted.code() == StatusCode::kNotFound) {
    return respond(
        http::ErrorResponse(NotFoundError("personal API key " + std::string(id) + " not found")));
  }
  if (!deleted.ok()) return respond(http::ErrorResponse(deleted));
  respond(http::Response{204, "application/json", "", {}});
}

}  // namespace hoglet::api
