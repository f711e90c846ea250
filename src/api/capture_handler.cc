#include "api/capture_handler.h"

#include <map>
#include <memory>

#include "base/logging.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

http::Response Accepted(bool beacon) {
  if (beacon) return http::Response{204, "", "", {}};
  return http::Response::Json(200, R"({"status":"Ok"})");
}

}  // namespace

void HandleCapture(const ApiContext& context, http::Request&& request, http::Responder respond) {
  capture::CaptureRequest decode_request{
      .path = request.path,
      .query = request.query,
      .content_type = request.Header("Content-Type"),
      .content_encoding = request.Header("Content-Encoding"),
      .body = request.body,
      .ip = request.ClientIp(),
      .now_us = context.clock->NowMicros(),
  };
  bool beacon = QueryParam(request.Params(), "beacon") == "1";
  auto batch = capture::DecodeCaptureRequest(decode_request, context.capture_limits);
  if (!batch.ok()) return respond(http::ErrorResponse(batch.status()));
  if (batch->events.empty()) return respond(Accepted(beacon));

  auto project = context.meta->ProjectByToken(batch->token);
  if (!project.ok()) {
    return respond(http::ErrorResponse(UnauthenticatedError(
        "no project has the API key '" + batch->token +
            "': copy the project API key (phc_…) from your Hoglet project settings",
        "invalid_api_key")));
  }

  std::map<int, std::vector<std::string>> by_partition;
  int partitions = context.log->partition_count();
  for (capture::CapturedEvent& event : batch->events) {
    event.team_id = project->id;
    int partition = log::PartitionForKey(capture::PartitionKey(event), partitions);
    by_partition[partition].push_back(capture::EncodeCapturedEvent(event));
  }
  std::vector<log::PartitionAppend> appends;
  appends.reserve(by_partition.size());
  for (auto& [partition, records] : by_partition) {
    appends.push_back({partition, std::move(records)});
  }
  // All of the request's events are stored, or none: a 503 never hides a partial write.
  context.log->AppendAll(std::move(appends),
                         [beacon, respond = std::move(respond)](const Status& status) {
                           if (status.ok()) return respond(Accepted(beacon));
                           LogWarning("capture: events not acknowledged: " + status.ToString());
                           respond(http::ErrorResponse(status));
                         });
}

void HandleReplay(const ApiContext&, http::Request&&, http::Responder respond) {
  respond(http::Response::Json(200, R"({"status":"Ok"})"));
}

}  // namespace hoglet::api
