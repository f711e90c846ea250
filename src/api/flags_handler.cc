#include "api/flags_handler.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "api/run_on_workers.h"
#include "flags/flags_service.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

// The flags endpoints answer errors as plain text, as PostHog's flags service does.
http::Response TextError(const Status& status) {
  http::Response response{
      http::HttpStatusFor(status), "text/plain; charset=utf-8", status.message(), {}};
  if (status.code() == StatusCode::kUnavailable) response.headers.emplace_back("Retry-After", "1");
  return response;
}

bool HasBrowserHeaders(const http::Request& request) {
  return !request.Header("Origin").empty() || !request.Header("Referer").empty() ||
         !request.Header("Sec-Fetch-Mode").empty() || !request.Header("Sec-Fetch-Site").empty();
}

}  // namespace

void HandleFlags(const ApiContext& context, http::Request&& request, http::Responder respond) {
  if (request.method == "HEAD") return respond(http::Response::Json(200, ""));
  flags::FlagsQuery query = flags::ParseFlagsQuery(request.query);
  if (request.method == "GET") {
    return respond(http::Response::Json(200, context.flags->MinimalAnswer(query.version)));
  }

  auto decoded = flags::DecodeFlagsRequest({.content_type = request.Header("Content-Type"),
                                            .content_encoding = request.Header("Content-Encoding"),
                                            .body = request.body,
                                            .compression = query.compression},
                                           flags::FlagsRequestLimits{});
  if (!decoded.ok()) return respond(TextError(decoded.status()));
  flags::AnswerOptions options =
      flags::AnswerOptionsFor(request.path.starts_with("/decide"), query);
  options.runtime = flags::ResolveRuntime(decoded->evaluation_runtime, request.Header("User-Agent"),
                                          HasBrowserHeaders(request));
  auto call = context.flags->Accept(std::move(decoded).value(), options);
  if (!call.ok()) return respond(TextError(call.status()));

  if (std::optional<std::string> body = context.flags->AnswerFromMemory(*call)) {
    return respond(http::Response::Json(200, std::move(*body)));
  }
  auto shared_call = std::make_shared<flags::FlagsCall>(std::move(call).value());
  RunOnWorkers(context, std::move(respond), [&context, shared_call](http::Responder respond) {
    auto body = context.flags->Answer(*shared_call);
    if (!body.ok()) return respond(TextError(body.status()));
    respond(http::Response::Json(200, std::move(body).value()));
  });
}

}  // namespace hoglet::api
