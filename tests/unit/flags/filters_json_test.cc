#include "flags/filters_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace hoglet::flags {
namespace {

using ::testing::StartsWith;

TEST(ParseFiltersObject, OpensAnObjectForReading) {
  simdjson::dom::parser parser;
  StatusOr<simdjson::dom::object> object =
      ParseFiltersObject(parser, R"({"groups": [], "multivariate": null})", "filters");
  ASSERT_TRUE(object.ok()) << object.status().message();
  EXPECT_EQ(object->size(), 2u);
  EXPECT_TRUE((*object)["multivariate"].is_null());
}

TEST(ParseFiltersObject, NamesTheDocumentWhenItIsNotJson) {
  simdjson::dom::parser parser;
  StatusOr<simdjson::dom::object> object = ParseFiltersObject(parser, "{oops", "cohort filters");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(object.status().reason(), "invalid_input");
  EXPECT_THAT(object.status().message(), StartsWith("cohort filters are not valid JSON: "));
}

TEST(ParseFiltersObject, RefusesJsonThatIsNotAnObject) {
  simdjson::dom::parser parser;
  StatusOr<simdjson::dom::object> object = ParseFiltersObject(parser, "[1, 2]", "filters");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.status().message(), "filters must be a JSON object");
  EXPECT_EQ(object.status().reason(), "invalid_input");
}

}  // namespace
}  // namespace hoglet::flags
