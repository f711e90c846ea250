// The answer to DELETE on a resource PostHog only soft-deletes (its ForbidDestroyModel: insights,
// dashboards): 405, telling the client to PATCH {"deleted": true} instead.
#pragma once

#include "http/message.h"

namespace hoglet::api {

http::Response ForbidDestroyResponse();

}  // namespace hoglet::api
