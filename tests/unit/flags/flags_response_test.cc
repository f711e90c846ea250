// The four /flags and /decide response shapes, the version matrix, payload encoding, failures
// and the config fields.
#include "flags/flags_response.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

namespace hoglet::flags {
namespace {

using std::string;
using std::string_view;

FeatureFlag Flag(int64_t id, string key, int64_t version = 1) {
  FeatureFlag flag;
  flag.id = id;
  flag.team_id = 1;
  flag.key = std::move(key);
  flag.version = version;
  return flag;
}

class FlagsResponseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    project_.id = 1;
    project_.api_token = "phc_project";
    // An enabled boolean flag with a payload stored as a JSON string.
    boolean_.result.flag = &boolean_flag_;
    boolean_.result.enabled = true;
    boolean_.result.reason = Reason::kConditionMatch;
    boolean_.result.condition_index = 0;
    boolean_.result.payload = boolean_payload_;
    // A multivariate match whose payload was stored as an object.
    variant_.result.flag = &variant_flag_;
    variant_.result.enabled = true;
    variant_.result.variant = "test";
    variant_.result.reason = Reason::kConditionMatch;
    variant_.result.condition_index = 1;
    variant_.result.payload = variant_payload_;
    // A flag that did not match.
    off_.result.flag = &off_flag_;
    off_.result.reason = Reason::kOutOfRolloutBound;
    off_.result.condition_index = 0;
    // A flag whose stored state could not be read.
    failed_.result.flag = &failed_flag_;
    failed_.result.failed = true;
    failed_.error_code = "database_error";
  }

  simdjson::dom::element Write(ResponseShape shape, const std::vector<FlagAnswer>& answers,
                               ConfigFields config = ConfigFields::kNone) {
    FlagsResponseInput input;
    input.shape = shape;
    input.flags = &answers;
    input.request_id = *Uuid::Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    input.evaluated_at_ms = 1'737'312'368'000;
    input.config = config;
    input.project = &project_;
    input.has_feature_flags = true;
    body_ = WriteFlagsResponse(input);
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(body_).get(root), simdjson::SUCCESS) << body_;
    return root;
  }

  meta::Project project_;
  FeatureFlag boolean_flag_ = Flag(11, "beta", 3);
  FeatureFlag variant_flag_ = Flag(12, "mv");
  FeatureFlag off_flag_ = Flag(13, "off");
  FeatureFlag failed_flag_ = Flag(14, "needs-person");
  string boolean_payload_ = R"("{\"a\":1}")";
  string variant_payload_ = R"({"b": [1, 2]})";
  FlagAnswer boolean_, variant_, off_, failed_;
  string body_;
  simdjson::dom::parser parser_;
};

TEST(FlagsResponseShape, VersionMatrix) {
  EXPECT_EQ(ShapeFor(false, std::nullopt), ResponseShape::kLegacy);
  EXPECT_EQ(ShapeFor(false, 1), ResponseShape::kLegacy);
  EXPECT_EQ(ShapeFor(false, 2), ResponseShape::kDetailed);
  EXPECT_EQ(ShapeFor(false, 7), ResponseShape::kDetailed);
  EXPECT_EQ(ShapeFor(true, std::nullopt), ResponseShape::kDecideV1);
  EXPECT_EQ(ShapeFor(true, 1), ResponseShape::kDecideV1);
  EXPECT_EQ(ShapeFor(true, 2), ResponseShape::kDecideV2);
  EXPECT_EQ(ShapeFor(true, 3), ResponseShape::kLegacy);
  EXPECT_EQ(ShapeFor(true, 4), ResponseShape::kDetailed);
  EXPECT_EQ(ShapeFor(true, 0), ResponseShape::kDecideV1);
  EXPECT_EQ(ShapeFor(true, -2), ResponseShape::kDecideV1);
}

TEST_F(FlagsResponseTest, DetailedShape) {
  auto root = Write(ResponseShape::kDetailed, {boolean_, variant_, off_});
  auto beta = root["flags"]["beta"];
  EXPECT_EQ(string_view(beta["key"]), "beta");
  EXPECT_TRUE(bool(beta["enabled"]));
  EXPECT_TRUE(beta["variant"].is_null());
  EXPECT_TRUE(beta["failed"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(string_view(beta["reason"]["code"]), "condition_match");
  EXPECT_EQ(int64_t(beta["reason"]["condition_index"]), 0);
  EXPECT_EQ(string_view(beta["reason"]["description"]), "Matched condition set 1");
  EXPECT_EQ(int64_t(beta["metadata"]["id"]), 11);
  EXPECT_EQ(int64_t(beta["metadata"]["version"]), 3);
  EXPECT_TRUE(beta["metadata"]["description"].is_null());
  EXPECT_EQ(string_view(beta["metadata"]["payload"]), R"({"a":1})");

  auto mv = root["flags"]["mv"];
  EXPECT_EQ(string_view(mv["variant"]), "test");
  EXPECT_EQ(string_view(mv["reason"]["description"]), "Matched condition set 2");
  // A payload stored as an object is sent as the string of its JSON.
  EXPECT_EQ(string_view(mv["metadata"]["payload"]), R"({"b": [1, 2]})");

  auto off = root["flags"]["off"];
  EXPECT_FALSE(bool(off["enabled"]));
  EXPECT_EQ(string_view(off["reason"]["code"]), "out_of_rollout_bound");
  EXPECT_TRUE(off["metadata"]["payload"].is_null());

  EXPECT_FALSE(bool(root["errorsWhileComputingFlags"]));
  EXPECT_EQ(string_view(root["requestId"]), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(int64_t(root["evaluatedAt"]), 1'737'312'368'000);
  EXPECT_TRUE(root["supportedCompression"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_TRUE(root["featureFlags"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_F(FlagsResponseTest, FailedFlagsAreMarkedAndSetErrorsWhileComputing) {
  auto root = Write(ResponseShape::kDetailed, {boolean_, failed_});
  auto failed = root["flags"]["needs-person"];
  EXPECT_TRUE(bool(failed["failed"]));
  EXPECT_FALSE(bool(failed["enabled"]));
  EXPECT_EQ(string_view(failed["reason"]["code"]), "database_error");
  EXPECT_TRUE(failed["reason"]["condition_index"].is_null());
  EXPECT_TRUE(bool(root["errorsWhileComputingFlags"]));
  EXPECT_TRUE(bool(root["flags"]["beta"]["enabled"]));

  auto legacy = Write(ResponseShape::kLegacy, {failed_});
  EXPECT_FALSE(bool(legacy["featureFlags"]["needs-person"]));
  EXPECT_TRUE(bool(legacy["errorsWhileComputingFlags"]));
}

TEST_F(FlagsResponseTest, LegacyShapeHasEveryFlagAndPayloadsOfEnabledOnes) {
  FlagAnswer off_with_payload = off_;
  off_with_payload.result.payload = boolean_payload_;  // never sent for a disabled flag
  auto root = Write(ResponseShape::kLegacy, {boolean_, variant_, off_with_payload});
  auto flags = root["featureFlags"];
  EXPECT_TRUE(bool(flags["beta"]));
  EXPECT_EQ(string_view(flags["mv"]), "test");
  EXPECT_FALSE(bool(flags["off"]));
  simdjson::dom::object payloads = root["featureFlagPayloads"];
  EXPECT_EQ(payloads.size(), 2u);
  EXPECT_EQ(string_view(payloads["beta"]), R"({"a":1})");
  EXPECT_EQ(string_view(payloads["mv"]), R"({"b": [1, 2]})");
  EXPECT_TRUE(root["flags"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(string_view(root["requestId"]), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
}

TEST_F(FlagsResponseTest, DecideV1ListsEnabledKeys) {
  auto root = Write(ResponseShape::kDecideV1, {boolean_, off_, variant_, failed_});
  std::vector<string> keys;
  for (simdjson::dom::element key : simdjson::dom::array(root["featureFlags"])) {
    keys.emplace_back(string_view(key));
  }
  EXPECT_EQ(keys, (std::vector<string>{"beta", "mv"}));
}

TEST_F(FlagsResponseTest, DecideV2MapsEnabledKeysToValues) {
  auto root = Write(ResponseShape::kDecideV2, {boolean_, off_, variant_});
  simdjson::dom::object flags = root["featureFlags"];
  EXPECT_EQ(flags.size(), 2u);
  EXPECT_TRUE(bool(flags["beta"]));
  EXPECT_EQ(string_view(flags["mv"]), "test");
  EXPECT_TRUE(root["featureFlagPayloads"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_F(FlagsResponseTest, ConfigFields) {
  auto none = Write(ResponseShape::kDetailed, {}, ConfigFields::kNone);
  EXPECT_TRUE(none["supportedCompression"].error() == simdjson::NO_SUCH_FIELD);

  auto minimal = Write(ResponseShape::kLegacy, {}, ConfigFields::kMinimal);
  EXPECT_EQ(simdjson::dom::array(minimal["supportedCompression"]).size(), 2u);
  EXPECT_TRUE(minimal["sessionRecording"].error() == simdjson::NO_SUCH_FIELD);
  EXPECT_EQ(simdjson::dom::object(minimal["featureFlags"]).size(), 0u);

  auto full = Write(ResponseShape::kDetailed, {boolean_}, ConfigFields::kFull);
  EXPECT_EQ(string_view(full["supportedCompression"].at(0)), "gzip");
  EXPECT_EQ(string_view(full["supportedCompression"].at(1)), "gzip-js");
  EXPECT_EQ(string_view(full["token"]), "phc_project");
  EXPECT_TRUE(bool(full["hasFeatureFlags"]));
  EXPECT_FALSE(bool(full["sessionRecording"]));
  EXPECT_FALSE(bool(full["autocapture_opt_out"]));
  EXPECT_EQ(string_view(full["analytics"]["endpoint"]), "/e/");
  EXPECT_TRUE(bool(full["flags"]["beta"]["enabled"]));
}

TEST_F(FlagsResponseTest, NoFlagsIsAnEmptyAnswer) {
  FlagsResponseInput input;
  input.shape = ResponseShape::kDetailed;
  string body = WriteFlagsResponse(input);
  simdjson::dom::element root;
  ASSERT_EQ(parser_.parse(body).get(root), simdjson::SUCCESS) << body;
  EXPECT_EQ(simdjson::dom::object(root["flags"]).size(), 0u);
  EXPECT_FALSE(bool(root["errorsWhileComputingFlags"]));
}

}  // namespace
}  // namespace hoglet::flags
