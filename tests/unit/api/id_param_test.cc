// Ids in paths and query parameters, and the records `{id}` names.
#include "api/id_param.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

TEST(IdParam, ParsesWholeDecimalNumbersOnly) {
  EXPECT_EQ(ParseId("42"), 42);
  EXPECT_EQ(ParseId("-1"), -1);
  EXPECT_EQ(ParseId(""), std::nullopt);
  EXPECT_EQ(ParseId("4x"), std::nullopt);
  EXPECT_EQ(ParseId(" 4"), std::nullopt);
  EXPECT_EQ(ParseId("+4"), std::nullopt);
  EXPECT_EQ(ParseId("99999999999999999999"), std::nullopt);
}

TEST(IdParam, RecordFromPathSaysWhatIsMissing) {
  http::Request request;
  auto lookup = [](int64_t id) -> StatusOr<std::string> {
    if (id == 7) return std::string("seven");
    return NotFoundError("not stored");
  };
  request.path_params = {{"id", "7"}};
  EXPECT_EQ(*RecordFromPath(request, "cohort", lookup), "seven");
  request.path_params = {{"id", "8"}};
  EXPECT_EQ(RecordFromPath(request, "cohort", lookup).status().message(),
            "no cohort with id 8 in this project");
  request.path_params = {{"id", "abc"}};
  auto bad = RecordFromPath(request, "feature flag", lookup);
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "no feature flag with id 'abc'");
}

}  // namespace
}  // namespace hoglet::api
