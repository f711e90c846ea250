// The configuration posthog-js and the mobile SDKs read at start-up (capture-and-flags §2.5,
// §2.7): compression, the analytics endpoint, and every optional product switched off (session
// recording, surveys, heatmaps, web vitals), following the minimal config PostHog itself falls
// back to. One writer for both places that serve it: remote config (/array/<token>/config and
// config.js) and the flattened config fields of /flags and /decide responses.
//
// Example:
//   JsonWriter w;
//   w.BeginObject();
//   WriteRemoteConfigFields(project, /*has_feature_flags=*/true, &w);
//   w.EndObject();
//
// Pure; safe to call from any thread.
#pragma once

#include "base/json_writer.h"
#include "meta/meta_store.h"

namespace hoglet::flags {

// Writes the config members (keys and values) into the object `w` has open. `has_feature_flags`
// is false when the project has no active flag: posthog-js then never calls /flags.
void WriteRemoteConfigFields(const meta::Project& project, bool has_feature_flags, JsonWriter* w);

}  // namespace hoglet::flags
