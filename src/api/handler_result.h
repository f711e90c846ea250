// How a handler that computes its answer in one go turns it into a response.
//
// Such a handler is written as a function returning StatusOr<http::Response>: every step may fail
// with HOGLET_ASSIGN_OR_RETURN, an error is answered through the one Status → HTTP mapping
// (http/error_response.h), and a response the handler builds itself (a 201, a field error with
// its `attr`) is returned as the value.
//
// Example:
//   RespondInProject(context, caller, request, respond,
//                    [&](const meta::Project& project) -> StatusOr<http::Response> {
//                      HOGLET_ASSIGN_OR_RETURN(auto action, ActionFromPath(..., project.id));
//                      return ActionResponse(context, 200, action);
//                    });
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/auth.h"
#include "base/status.h"
#include "http/error_response.h"
#include "http/message.h"
#include "meta/meta_store.h"

namespace hoglet::api {

// `result`'s response, or the error response of its status.
inline http::Response ResponseOf(StatusOr<http::Response> result) {
  if (!result.ok()) return http::ErrorResponse(result.status());
  return std::move(*result);
}

// The empty 204 a DELETE answers.
inline http::Response NoContentResponse() {
  return http::Response{204, "application/json", "", {}};
}

// The response of `status`: an error response naming `attr` (the request field at fault; empty
// for none; read after `status` is computed, so a step may set it) when it is an error, nullopt
// when it is OK. For a validation step whose failure is the
// handler's answer:
//   if (auto refused = FieldErrorOf(ApplyBody(...), attr)) return *refused;
inline std::optional<http::Response> FieldErrorOf(const Status& status, const std::string& attr) {
  if (status.ok()) return std::nullopt;
  return http::ErrorResponse(status, attr);
}

// Answers `respond` with `handle(project)`, `handle` taking the project the path names once the
// caller may act on it (AuthorizeCaller, with `persons` saying whether the handler reads the
// person store); with the authorization's error when it may not.
template <typename Handle>
void RespondInProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      const http::Request& request, const http::Responder& respond,
                      PersonStoreUse persons, Handle&& handle) {
  StatusOr<meta::Project> project = AuthorizeCaller(context, caller, request, persons);
  if (!project.ok()) return respond(http::ErrorResponse(project.status()));
  respond(ResponseOf(handle(*project)));
}

// The same for a handler that reads only the metadata store.
template <typename Handle>
void RespondInProject(const ApiContext& context, const meta::AuthenticatedKey& caller,
                      const http::Request& request, const http::Responder& respond,
                      Handle&& handle) {
  RespondInProject(context, caller, request, respond, PersonStoreUse::kNone,
                   std::forward<Handle>(handle));
}

}  // namespace hoglet::api
