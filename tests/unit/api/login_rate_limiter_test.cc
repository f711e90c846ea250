// LoginRateLimiter: failures counted per address and per email over a sliding window, the
// Retry-After it computes, success clearing, and its bounded memory.
#include "api/login_rate_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace hoglet::api {
namespace {

constexpr int64_t kSecondUs = 1'000'000;

class LoginRateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{1'700'000'000'000'000};
  LoginRateLimiter limiter_{clock_, LoginRateLimits{3, 60 * kSecondUs, 100}};
};

TEST_F(LoginRateLimiterTest, RefusesPastTheLimitUntilTheOldestFailureLeavesTheWindow) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limiter_.Admit("10.0.0.1", "a@x.com", nullptr).ok()) << i;
    limiter_.RecordFailure("10.0.0.1", "a@x.com");
    clock_.Advance(10 * kSecondUs);
  }
  int64_t retry_after_s = 0;
  Status refused = limiter_.Admit("10.0.0.1", "a@x.com", &retry_after_s);
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.reason(), "too_many_login_attempts");
  EXPECT_EQ(retry_after_s, 30);  // the first failure was 30 s ago in a 60 s window
  clock_.Advance(30 * kSecondUs);
  EXPECT_TRUE(limiter_.Admit("10.0.0.1", "a@x.com", nullptr).ok());
}

TEST_F(LoginRateLimiterTest, CountsPerEmailAcrossAddressesAndPerAddressAcrossEmails) {
  for (int i = 0; i < 3; ++i) limiter_.RecordFailure("10.0.0." + std::to_string(i), "a@x.com");
  EXPECT_FALSE(limiter_.Admit("10.9.9.9", "a@x.com", nullptr).ok());
  EXPECT_FALSE(limiter_.Admit("10.9.9.9", "A@X.COM", nullptr).ok());  // case does not reset it
  EXPECT_TRUE(limiter_.Admit("10.9.9.9", "b@x.com", nullptr).ok());

  for (int i = 0; i < 3; ++i) limiter_.RecordFailure("10.1.1.1", "u" + std::to_string(i) + "@x");
  EXPECT_FALSE(limiter_.Admit("10.1.1.1", "new@x.com", nullptr).ok());
}

TEST_F(LoginRateLimiterTest, SuccessClearsItsKeys) {
  limiter_.RecordFailure("10.0.0.1", "a@x.com");
  limiter_.RecordFailure("10.0.0.1", "a@x.com");
  limiter_.RecordSuccess("10.0.0.1", "a@x.com");
  limiter_.RecordFailure("10.0.0.1", "a@x.com");
  limiter_.RecordFailure("10.0.0.1", "a@x.com");
  EXPECT_TRUE(limiter_.Admit("10.0.0.1", "a@x.com", nullptr).ok());
}

TEST_F(LoginRateLimiterTest, MemoryIsBounded) {
  for (int i = 0; i < 1000; ++i) {
    limiter_.RecordFailure("10.0." + std::to_string(i), "u" + std::to_string(i) + "@x");
  }
  // Only the newest keys are remembered; the newest address is still counted.
  limiter_.RecordFailure("10.0.999", "z1@x");
  limiter_.RecordFailure("10.0.999", "z2@x");
  EXPECT_FALSE(limiter_.Admit("10.0.999", "other@x", nullptr).ok());
}

}  // namespace
}  // namespace hoglet::api
