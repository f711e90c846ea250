// The bodies of /flags and /decide answers (capture-and-flags §2.4, §2.5): one evaluation, four
// shapes, chosen by endpoint and version (§2.1):
//   kDetailed  /flags?v=2+, /decide?v=4+: {"flags": {key: {key, enabled, variant, [failed],
//              reason: {code, condition_index, description}, metadata: {id, version,
//              description, payload}}}, ...}
//   kLegacy    /flags?v=1, /decide?v=3: {"featureFlags": {key: true|false|"variant"} (every
//              evaluated flag), "featureFlagPayloads": {key: payload} (enabled flags that have
//              one), ...}
//   kDecideV1  /decide?v=1: {"featureFlags": [keys of enabled flags], ...}
//   kDecideV2  /decide?v=2: {"featureFlags": {key: true|"variant"} (enabled flags only), ...}
// Every shape then carries errorsWhileComputingFlags, requestId and evaluatedAt (Unix ms), and,
// when config is on, the remote-config fields (remote_config_json.h) flattened at the top level.
//
// Payloads are always sent as JSON-encoded strings ("{\"a\":1}"), which every SDK JSON-parses:
// a payload stored as a string is sent as it is; one stored as another JSON value is sent as
// the string of its JSON text.
//
// Pure; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/uuid.h"
#include "flags/flag_evaluator.h"
#include "meta/meta_store.h"

namespace hoglet::flags {

enum class ResponseShape { kDetailed, kLegacy, kDecideV1, kDecideV2 };

// The shape for an endpoint (/decide or /flags) and the version asked for (§2.1). `version` is
// nullopt when the request named none (after the defaults of §2.1 are applied).
ResponseShape ShapeFor(bool decide, std::optional<int> version);

// One flag of the answer: the evaluator's result, or a failure found while gathering what the
// evaluation needed (then result.failed is true and `error_code` says why, e.g.
// "database_error"; empty means the evaluator's own reason).
struct FlagAnswer {
  FlagResult result;
  std::string error_code;
};

enum class ConfigFields {
  kNone,     // config off
  kMinimal,  // only supportedCompression (the answer to GET /flags)
  kFull,     // every remote-config field
};

struct FlagsResponseInput {
  ResponseShape shape = ResponseShape::kDetailed;
  const std::vector<FlagAnswer>* flags = nullptr;  // null: no flags (disable_flags, GET)
  Uuid request_id;
  int64_t evaluated_at_ms = 0;
  ConfigFields config = ConfigFields::kNone;
  const meta::Project* project = nullptr;  // for kFull
  bool has_feature_flags = false;          // for kFull
};

// The JSON body. errorsWhileComputingFlags is true when any answer failed.
std::string WriteFlagsResponse(const FlagsResponseInput& input);

}  // namespace hoglet::flags
