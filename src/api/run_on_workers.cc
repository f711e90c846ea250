#include "api/run_on_workers.h"

#include <memory>
#include <utility>

#include "http/error_response.h"

namespace hoglet::api {

void RunOnWorkers(const ApiContext& context, http::Responder respond,
                  std::function<void(http::Responder)> work) {
  // The pool takes copyable tasks; the responder is shared so it can be used either by the task
  // or, when the queue is full, here.
  auto shared_respond = std::make_shared<http::Responder>(std::move(respond));
  bool queued = context.workers->TrySubmit(
      [shared_respond, work = std::move(work)] { work(std::move(*shared_respond)); });
  if (!queued) {
    (*shared_respond)(http::ErrorResponse(
        UnavailableError("the server is busy; retry shortly", "service_unavailable")));
  }
}

}  // namespace hoglet::api
