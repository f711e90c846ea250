#include "flags/flags_response.h"

#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "flags/remote_config_json.h"

namespace hoglet::flags {
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

// A payload as a JSON-encoded string (see the header), appended to `out`.
void AppendPayload(std::string_view stored, std::string* out) {
  size_t start = 0;
  while (start < stored.size() && std::isspace(static_cast<unsigned char>(stored[start]))) {
    ++start;
  }
  if (start < stored.size() && stored[start] == '"') {
    out->append(stored.substr(start));
  } else {
    AppendJsonString(out, stored.substr(start));
  }
}

bool HasPayload(const FlagAnswer& answer) {
  return Enabled(answer) && answer.result.payload.has_value();
}

// The detailed answers as one JSON object, {key: {key, enabled, variant, [failed], reason,
// metadata}, ...}. Written from literal fragments rather than key by key through JsonWriter:
// this object is nearly all of every /flags answer, and writing it was most of the CPU a
// request took.
std::string DetailsObject(const std::vector<FlagAnswer>& answers) {
  std::string out;
  out.reserve(64 + answers.size() * 256);
  out.push_back('{');
  for (const FlagAnswer& answer : answers) {
    const FlagResult& r = answer.result;
    if (out.size() > 1) out.push_back(',');
    AppendJsonString(&out, r.flag->key);
    out.append(":{\"key\":");
    AppendJsonString(&out, r.flag->key);
    out.append(Enabled(answer) ? ",\"enabled\":true" : ",\"enabled\":false");
    out.append(",\"variant\":");
    if (Enabled(answer) && r.variant) {
      AppendJsonString(&out, *r.variant);
    } else {
      out.append("null");
    }
    if (r.failed) out.append(",\"failed\":true");
    out.append(",\"reason\":{\"code\":");
    if (r.failed && !answer.error_code.empty()) {
      AppendJsonString(&out, answer.error_code);
      out.append(",\"condition_index\":null");
    } else {
      AppendJsonString(&out, ReasonCode(r.reason));
      out.append(",\"condition_index\":");
      if (r.condition_index) {
        AppendJsonInt(&out, *r.condition_index);
      } else {
        out.append("null");
      }
      out.append(",\"description\":");
      AppendJsonString(&out, r.Description());
    }
    out.append("},\"metadata\":{\"id\":");
    AppendJsonInt(&out, r.flag->id);
    out.append(",\"version\":");
    AppendJsonInt(&out, r.flag->version);
    out.append(",\"description\":null,\"payload\":");
    if (HasPayload(answer)) {
      AppendPayload(*r.payload, &out);
    } else {
      out.append("null");
    }
    out.append("}}");
  }
  out.push_back('}');
  return out;
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
      w.Raw(DetailsObject(answers));
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
        std::string payload;
        AppendPayload(*answer.result.payload, &payload);
        w.Raw(payload);
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

}  // namespace hoglet::flags
