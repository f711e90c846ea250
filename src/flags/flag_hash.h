// PostHog's deterministic bucketing (capture-and-flags §3.3): SHA-1 of the flag key, a dot, the
// bucketing id and a salt; the first 15 hex digits as an integer, divided by 0xFFFFFFFFFFFFFFF.
// Bit-exact with posthog-js, posthog-node, posthog-python and PostHog's server.
//
//   FlagHash("simple-flag", "distinct_id_0", "")  == 0.7836963764220432
//   FlagHash("beta-feature", "user-123", "variant") == 0.5365856665162976
//   HoldoutHash("user-123") == 0.09568613756179652
#pragma once

#include <string_view>

namespace hoglet::flags {

// A value in [0, 1): hash of `key + "." + id + salt` (UTF-8). Rollout uses salt "", variant
// selection salt "variant".
double FlagHash(std::string_view key, std::string_view id, std::string_view salt);

// A value in [0, 1): hash of `"holdout-" + id` (no key, no dot, no salt).
double HoldoutHash(std::string_view id);

}  // namespace hoglet::flags
