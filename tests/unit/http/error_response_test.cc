#include "http/error_response.h"

#include <gtest/gtest.h>

namespace hoglet::http {
namespace {

TEST(ErrorResponse, MapsEveryCodeToItsHttpStatus) {
  EXPECT_EQ(HttpStatusFor(InvalidArgumentError("x")), 400);
  EXPECT_EQ(HttpStatusFor(UnauthenticatedError("x")), 401);
  EXPECT_EQ(HttpStatusFor(PermissionDeniedError("x")), 403);
  EXPECT_EQ(HttpStatusFor(NotFoundError("x")), 404);
  EXPECT_EQ(HttpStatusFor(AlreadyExistsError("x")), 409);
  EXPECT_EQ(HttpStatusFor(PayloadTooLargeError("x")), 413);
  EXPECT_EQ(HttpStatusFor(ResourceExhaustedError("x")), 429);
  EXPECT_EQ(HttpStatusFor(UnavailableError("x")), 503);
  EXPECT_EQ(HttpStatusFor(DeadlineExceededError("x")), 504);
  EXPECT_EQ(HttpStatusFor(DataLossError("x")), 500);
  EXPECT_EQ(HttpStatusFor(InternalError("x")), 500);
}

TEST(ErrorResponse, BodyCarriesReasonAndMessage) {
  Response r = ErrorResponse(InvalidArgumentError("distinct_id is \"missing\"", "missing_id"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"type":"validation_error","code":"missing_id","detail":"distinct_id is \"missing\"","attr":null})");
}

TEST(ErrorResponse, RetryableErrorsSayWhenToRetry) {
  Response r = ErrorResponse(UnavailableError("disk full"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
}

}  // namespace
}  // namespace hoglet::http
