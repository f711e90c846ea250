// Moving a request's work off the I/O thread: handlers that find, part way through, that they
// must read a store (a snapshot to rebuild, person properties to load) hand the rest of the
// request to the worker pool.
//
// Thread safety: callable from any thread. `work` runs on a worker thread and must call the
// responder it is given exactly once. When the pool's queue is full the request is answered
// 503 with Retry-After at once and `work` never runs.
#pragma once

#include <functional>

#include "api/api_context.h"
#include "http/message.h"

namespace hoglet::api {

void RunOnWorkers(const ApiContext& context, http::Responder respond,
                  std::function<void(http::Responder)> work);

}  // namespace hoglet::api
