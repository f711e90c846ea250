#include "api/forbid_destroy.h"

#include "base/status.h"
#include "http/error_response.h"

namespace hoglet::api {

http::Response ForbidDestroyResponse() {
  http::Response refused = http::ErrorResponse(InvalidArgumentError(
      "Hard delete of this model is not allowed. Use a patch API call to set \"deleted\" to true",
      "method_not_allowed"));
  refused.status = 405;
  return refused;
}

}  // namespace hoglet::api
