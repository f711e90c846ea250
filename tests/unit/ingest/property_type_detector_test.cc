// PostHog's property type detection rules (analytics §1.9), case by case.
#include "ingest/property_type_detector.h"

#include <gtest/gtest.h>

namespace hoglet::ingest {
namespace {

using meta::PropertyType;
using store::PropertyValue;

// 2024-07-01T00:00:00Z.
constexpr int64_t kNowUs = 1'719'792'000'000'000;
constexpr double kNowSeconds = 1'719'792'000;

std::optional<PropertyType> Detect(std::string_view key, const PropertyValue& value) {
  return DetectPropertyType(key, value, kNowUs);
}

TEST(DetectPropertyType, PrimitiveValues) {
  EXPECT_EQ(Detect("plan", PropertyValue::String("pro")), PropertyType::kString);
  EXPECT_EQ(Detect("count", PropertyValue::Number(3)), PropertyType::kNumeric);
  EXPECT_EQ(Detect("ok", PropertyValue::Bool(false)), PropertyType::kBoolean);
  EXPECT_FALSE(Detect("nothing", PropertyValue::Null()).has_value());
  EXPECT_FALSE(Detect("list", PropertyValue::Json("[1,2]")).has_value());
  EXPECT_FALSE(Detect("object", PropertyValue::Json(R"({"a":1})")).has_value());
}

TEST(DetectPropertyType, BooleanStrings) {
  for (const char* text : {"true", "false", "TRUE", "FALSE", " true "}) {
    EXPECT_EQ(Detect("flag", PropertyValue::String(text)), PropertyType::kBoolean) << text;
  }
  EXPECT_EQ(Detect("flag", PropertyValue::String("True")), PropertyType::kString);
  EXPECT_EQ(Detect("flag", PropertyValue::String("yes")), PropertyType::kString);
}

TEST(DetectPropertyType, KeysThatAreAlwaysStrings) {
  EXPECT_EQ(Detect("utm_source", PropertyValue::Number(123)), PropertyType::kString);
  EXPECT_EQ(Detect("UTM_campaign", PropertyValue::Bool(true)), PropertyType::kString);
  EXPECT_EQ(Detect("$feature/beta", PropertyValue::Bool(false)), PropertyType::kString);
  EXPECT_EQ(Detect("$feature_flag_response", PropertyValue::Bool(true)), PropertyType::kString);
  EXPECT_EQ(Detect("$survey_response", PropertyValue::Number(1)), PropertyType::kString);
  EXPECT_EQ(Detect("$survey_response_2", PropertyValue::Number(2)), PropertyType::kString);
  EXPECT_EQ(Detect("$feature_flag", PropertyValue::Bool(true)), PropertyType::kBoolean);
}

TEST(DetectPropertyType, RecentUnixSecondsUnderATimeLikeKeyAreDateTimes) {
  EXPECT_EQ(Detect("timestamp", PropertyValue::Number(kNowSeconds)), PropertyType::kDateTime);
  EXPECT_EQ(Detect("created_at", PropertyValue::Number(kNowSeconds - 86'400 * 30)),
            PropertyType::kDateTime);
  EXPECT_EQ(Detect("UpdatedAt", PropertyValue::Number(kNowSeconds)), PropertyType::kDateTime);
  EXPECT_EQ(Detect("signup-at", PropertyValue::Number(kNowSeconds)), PropertyType::kDateTime);
  // Older than six months, or under a key without a time word: a number.
  EXPECT_EQ(Detect("timestamp", PropertyValue::Number(kNowSeconds - 86'400 * 200)),
            PropertyType::kNumeric);
  EXPECT_EQ(Detect("amount", PropertyValue::Number(kNowSeconds)), PropertyType::kNumeric);
}

TEST(DetectPropertyType, DateLikeStringsAreDateTimes) {
  for (const char* text : {"2024-01-02", "2024-01-02T03:04:05Z", "2024-01-02 03:04:05",
                           "2024-01-02T03:04:05.123+02:00", "2024/01/02", "01/02/2024 10:00:00",
                           "Tue, 1 Jul 2003 10:52:37 +0200", "1 Jul 2003 10:52 GMT"}) {
    EXPECT_EQ(Detect("when", PropertyValue::String(text)), PropertyType::kDateTime) << text;
  }
  for (const char* text : {"2024", "12345678901", "20240102", "next tuesday", "2024-01-0",
                           "Tue, 1 Jul 2003", "v2024-01-02"}) {
    EXPECT_EQ(Detect("when", PropertyValue::String(text)), PropertyType::kString) << text;
  }
}

TEST(IsLikelyDateString, RequiresADatePartAndNotANumber) {
  EXPECT_TRUE(IsLikelyDateString(" 2024-01-02T03:04:05Z "));
  EXPECT_FALSE(IsLikelyDateString("1719792000"));
  EXPECT_FALSE(IsLikelyDateString("1719792000.5"));
  EXPECT_FALSE(IsLikelyDateString("03:04:05"));
  EXPECT_FALSE(IsLikelyDateString(""));
}

TEST(IsSkippedEventProperty, PersonAndGroupInstructions) {
  for (const char* key :
       {"$set", "$set_once", "$unset", "$groups", "$group_0", "$group_1", "$group_4"}) {
    EXPECT_TRUE(IsSkippedEventProperty(key)) << key;
  }
  for (const char* key : {"$group_5", "$group_10", "$groupidentify", "$current_url", "set"}) {
    EXPECT_FALSE(IsSkippedEventProperty(key)) << key;
  }
}

}  // namespace
}  // namespace hoglet::ingest
