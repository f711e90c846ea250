#include "base/status.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd", "not_even");
  return x / 2;
}

StatusOr<int> Quarter(int x) {
  HOGLET_ASSIGN_OR_RETURN(int half, Half(x));
  HOGLET_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int x) {
  HOGLET_RETURN_IF_ERROR(Half(x));
  return Status::Ok();
}

TEST(Status, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, ReasonDefaultsToCodeName) {
  EXPECT_EQ(NotFoundError("x").reason(), "not_found");
  EXPECT_EQ(InvalidArgumentError("x", "missing_distinct_id").reason(), "missing_distinct_id");
}

TEST(Status, WithContextPrefixesMessage) {
  Status s = UnavailableError("disk full").WithContext("wal append");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "wal append: disk full");
}

TEST(StatusOr, MacrosPropagateErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  StatusOr<int> bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "not_even");
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

TEST(StatusOr, BuiltFromOkStatusIsInternalError) {
  StatusOr<int> s = Status::Ok();
  EXPECT_EQ(s.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace hoglet
