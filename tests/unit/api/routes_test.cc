// The body limit of each path: the capture endpoints' own, everything else the API's.
#include "api/routes.h"

#include <gtest/gtest.h>

namespace hoglet::api {
namespace {

TEST(Routes, CapturePathsTakeTheirOwnBodyLimits) {
  BodyLimits limits{.events_bytes = 1, .batch_bytes = 2, .replay_bytes = 3, .api_bytes = 4};
  for (const char* path : {"/e", "/e/", "/i/v0/e/", "/capture", "/track/", "/engage"}) {
    EXPECT_EQ(MaxBodyBytesFor(limits, path), 1u) << path;
  }
  EXPECT_EQ(MaxBodyBytesFor(limits, "/batch"), 2u);
  EXPECT_EQ(MaxBodyBytesFor(limits, "/batch/"), 2u);
  EXPECT_EQ(MaxBodyBytesFor(limits, "/s/"), 3u);
  for (const char* path : {"/flags", "/decide/", "/events", "/api/projects/1/events", "/sx"}) {
    EXPECT_EQ(MaxBodyBytesFor(limits, path), 4u) << path;
  }
  EXPECT_EQ(MaxBodyBytesFor(limits, "/api/projects/1/cohorts/"), (8u << 20) + (64u << 10));
  EXPECT_EQ(MaxBodyBytesFor(limits, "/api/projects/1/cohorts/7/"), (8u << 20) + (64u << 10));
}

}  // namespace
}  // namespace hoglet::api
