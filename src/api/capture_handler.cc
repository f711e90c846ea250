#include "api/capture_handler.h"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include "base/logging.h"
#include "http/error_response.h"

namespace hoglet::api {
namespace {

http::Response Accepted(bool beacon) {
  if (beacon) return http::Response{204, "", "", {}};
  return http::Response::Json(200, R"({"status":"Ok"})");
}

// Collects the outcome of one request's appends (one per partition) and answers once.
struct PendingAppends {
  PendingAppends(size_t appends, bool beacon, http::Responder respond)
      : remaining(appends), beacon(beacon), respond(std::move(respond)) {}

  void Done(const Status& status) {
    if (!status.ok()) {
      std::lock_guard lock(mu);
      if (first_error.ok()) first_error = status;
    }
    if (remaining.fetch_sub(1) != 1) return;
    if (first_error.ok()) {
      respond(Accepted(beacon));
    } else {
      LogWarning("capture: events not acknowledged: " + first_error.ToString());
      respond(http::ErrorResponse(first_error));
    }
  }

  std::atomic<size_t> remaining;
  const bool beacon;
  http::Responder respond;
  std::mutex mu;
  Status first_error;  // guarded by mu
};

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
  auto pending = std::make_shared<PendingAppends>(by_partition.size(), beacon, std::move(respond));
  for (auto& [partition, records] : by_partition) {
    context.log->Append(partition, std::move(records),
                        [pending](StatusOr<uint64_t> result) { pending->Done(result.status()); });
  }
}

void HandleReplay(const ApiContext&, http::Request&&, http::Responder respond) {
  respond(http::Response::Json(200, R"({"status":"Ok"})"));
}

}  // namespace hoglet::api
