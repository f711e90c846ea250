#include "api/flags_response.h"

#include <cctype>

#include "api/remote_config_json.h"
#include "base/json_writer.h"

namespace hoglet::api {
namespace {

bool Enabled(const FlagAnswer& answer) { return answer.result.enabled && !answer.result.failed; }

std::string_view KeyOf(const FlagAnswer& answer) { return answer.result.flag->key; }

// The value SDKs see: the variant of a multivariate match, else whether the flag is enabled.
void WriteValue(const FlagAnswer& answer, JsonWriter* w) {
  if (Enabled(answer) && answer.result.variant) {
    w->String(*answer.result.variant);
  } else {
    w->Bool(Enabled(answer));
  }
}

// A payload as a JSON-encoded string (see the header).
void WritePayload(std::string_view stored, JsonWriter* w) {
  size_t start = 0;
  while (start < stored.size() && std::isspace(static_cast<unsigned char>(stored[start]))) {
    ++start;
  }
  if (start < stored.size() && stored[start] == '"') {
    w->Raw(stored.substr(start));
  } else {
    w->String(stored.substr(start));
  }
}

bool HasPayload(const FlagAnswer& answer) {
  return Enabled(answer) && answer.result.payload.has_value();
}

void WriteDetails(const FlagAnswer& answer, JsonWriter* w) {
  const flags::FlagResult& r = answer.result;
  w->BeginObject();
  w->Key("key");
  w->String(r.flag->key);
  w->Key("enabled");
  w->Bool(Enabled(answer));
  w->Key("variant");
  if (Enabled(answer) && r.variant) {
    w->String(*r.variant);
  } else {
    w->Null();
  }
  if (r.failed) {
    w->Key("failed");
    w->Bool(true);
  }
  w->Key("reason");
  w->BeginObject();
  w->Key("code");
  if (r.failed && !answer.error_code.empty()) {
    w->String(answer.error_code);
    w->Key("condition_index");
    w->Null();
  } else {
    w->String(flags::ReasonCode(r.reason));
    w->Key("condition_index");
    if (r.condition_index) {
      w->Int(*r.condition_index);
    } else {
      w->Null();
    }
    w->Key("description");
    w->String(r.Description());
  }
  w->EndObject();
  w->Key("metadata");
  w->BeginObject();
  w->Key("id");
  w->Int(r.flag->id);
  w->Key("version");
  w->Int(r.flag->version);
  w->Key("description");
  w->Null();
  w->Key("payload");
  if (HasPayload(answer)) {
    WritePayload(*r.payload, w);
  } else {
    w->Null();
  }
  w->EndObject();
  w->EndObject();
}

}  // namespace

ResponseShape ShapeFor(bool decide, std::optional<int> version) {
  if (!decide) {
    return version && *version >= 2 ? ResponseShape::kDetailed : ResponseShape::kLegacy;
  }
  if (!version) return ResponseShape::kDecideV1;
  if (*version >= 4) return ResponseShape::kDetailed;
  if (*version == 3) return ResponseShape::kLegacy;
  if (*version == 2) return ResponseShape::kDecideV2;
  return ResponseShape::kDecideV1;
}

std::string WriteFlagsResponse(const FlagsResponseInput& input) {
  static const std::vector<FlagAnswer> kNoFlags;
  const std::vector<FlagAnswer>& answers = input.flags != nullptr ? *input.flags : kNoFlags;
  bool errors = false;
  for (const FlagAnswer& answer : answers) errors = errors || answer.result.failed;

  JsonWriter w;
  w.BeginObject();
  switch (input.shape) {
    case ResponseShape::kDetailed:
      w.Key("flags");
      w.BeginObject();
      for (const FlagAnswer& answer : answers) {
        w.Key(KeyOf(answer));
        WriteDetails(answer, &w);
      }
      w.EndObject();
      break;
    case ResponseShape::kLegacy:
      w.Key("featureFlags");
      w.BeginObject();
      for (const FlagAnswer& answer : answers) {
        w.Key(KeyOf(answer));
        WriteValue(answer, &w);
      }
      w.EndObject();
      w.Key("featureFlagPayloads");
      w.BeginObject();
      for (const FlagAnswer& answer : answers) {
        if (!HasPayload(answer)) continue;
        w.Key(KeyOf(answer));
        WritePayload(*answer.result.payload, &w);
      }
      w.EndObject();
      break;
    case ResponseShape::kDecideV1:
      w.Key("featureFlags");
      w.BeginArray();
      for (const FlagAnswer& answer : answers) {
        if (Enabled(answer)) w.String(KeyOf(answer));
      }
      w.EndArray();
      break;
    case ResponseShape::kDecideV2:
      w.Key("featureFlags");
      w.BeginObject();
      for (const FlagAnswer& answer : answers) {
        if (!Enabled(answer)) continue;
        w.Key(KeyOf(answer));
        WriteValue(answer, &w);
      }
      w.EndObject();
      break;
  }
  w.Key("errorsWhileComputingFlags");
  w.Bool(errors);
  w.Key("requestId");
  w.String(input.request_id.ToString());
  w.Key("evaluatedAt");
  w.Int(input.evaluated_at_ms);
  switch (input.config) {
    case ConfigFields::kNone:
      break;
    case ConfigFields::kMinimal:
      w.Key("supportedCompression");
      w.BeginArray();
      w.String("gzip");
      w.String("gzip-js");
      w.EndArray();
      break;
    case ConfigFields::kFull:
      if (input.project != nullptr) {
        WriteRemoteConfigFields(*input.project, input.has_feature_flags, &w);
      }
      break;
  }
  w.EndObject();
  return std::move(w).Take();
}

}  // namespace hoglet::api
