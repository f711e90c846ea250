#include "flags/flags_request.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "base/ascii.h"
#include "base/base64.h"
#include "base/gzip.h"
#include "base/lenient_json.h"
#include "base/url.h"
#include "capture/distinct_id.h"
#include "capture/form.h"
#include "capture/json_escapes.h"
#include "capture/query_string.h"

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

// PostHog's wording for a body it cannot read.
Status DecodingError(std::string_view what) {
  return InvalidArgumentError("Failed to decode request: " + std::string(what) +
                                  ". Please check your request format and try again.",
                              "request_decoding_error");
}

std::optional<bool> ParseBool(std::string_view value) {
  std::string lower = AsciiLower(TrimAscii(value, kAsciiWhitespace));
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  return true;  // presence means true, whatever the value
}

// Replaces every invalid UTF-8 sequence by U+FFFD (as a lossy decoder does), so the JSON parser,
// which insists on valid UTF-8, sees text it accepts.
std::string ToValidUtf8(std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  size_t i = 0;
  while (i < text.size()) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char lead = byte(i);
    size_t len = 0;
    if (lead < 0x80) {
      len = 1;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      len = 3;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      len = 4;
    }
    bool valid = len > 0 && i + len <= text.size();
    for (size_t k = 1; valid && k < len; ++k) valid = (byte(i + k) & 0xC0) == 0x80;
    if (valid && len == 3) {
      unsigned char second = byte(i + 1);
      valid = !(lead == 0xE0 && second < 0xA0) && !(lead == 0xED && second > 0x9F);
    } else if (valid && len == 4) {
      unsigned char second = byte(i + 1);
      valid = !(lead == 0xF0 && second < 0x90) && !(lead == 0xF4 && second > 0x8F);
    }
    if (valid) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// A parsed request body; `root` lives as long as the parser.
struct Document {
  dom::parser parser;
  std::string text;  // kept alive for the parser
  dom::object root;
};

// Parses JSON leniently (see the header). kInvalidArgument "invalid JSON" when the text is not
// a JSON object even then; the message names nesting that is too deep.
Status ParseJsonObject(std::string_view raw, const FlagsRequestLimits& limits, Document* doc) {
  doc->text = ToValidUtf8(raw);
  capture::RepairLoneSurrogateEscapes(&doc->text);
  if (doc->parser.allocate(std::max<size_t>(doc->text.size(), 64), limits.max_json_depth) !=
      simdjson::SUCCESS) {
    return InternalError("cannot allocate a JSON parser");
  }
  dom::element element;
  simdjson::error_code error = doc->parser.parse(doc->text).get(element);
  std::string rewritten;
  if (error != simdjson::SUCCESS && error != simdjson::DEPTH_ERROR &&
      RewriteLenientJson(doc->text, {}, &rewritten)) {
    doc->text = std::move(rewritten);
    error = doc->parser.parse(doc->text).get(element);
  }
  if (error == simdjson::DEPTH_ERROR) {
    return DecodingError("JSON nesting too deep (more than " +
                         std::to_string(limits.max_json_depth) + " levels)");
  }
  if (error != simdjson::SUCCESS) return DecodingError("invalid JSON");
  if (element.get_object().get(doc->root) != simdjson::SUCCESS) {
    return DecodingError("invalid JSON: the body must be a JSON object");
  }
  return Status::Ok();
}

// PostHog's base64 repair: percent-decode, drop spaces, pad to a multiple of four.
std::optional<std::string> DecodeLenientBase64(std::string_view text) {
  std::string cleaned = PercentDecode(text, /*plus_as_space=*/false);
  cleaned.erase(std::remove_if(cleaned.begin(), cleaned.end(),
                               [](char c) { return c == ' ' || c == '\n' || c == '\r'; }),
                cleaned.end());
  while (cleaned.size() % 4 != 0) cleaned.push_back('=');
  return Base64Decode(cleaned);
}

enum class Hint { kNone, kGzip, kBase64, kUnsupported };

Hint CompressionHint(std::string_view compression) {
  std::string lower = AsciiLower(TrimAscii(compression, kAsciiWhitespace));
  if (lower.empty()) return Hint::kNone;
  if (lower == "gzip" || lower == "gzip-js") return Hint::kGzip;
  if (lower == "base64") return Hint::kBase64;
  return Hint::kUnsupported;
}

StatusOr<std::string> Gunzip(std::string_view body, const FlagsRequestLimits& limits) {
  auto text = Inflate(body, limits.max_decoded_bytes);
  if (text.ok()) return text;
  if (text.status().code() == StatusCode::kPayloadTooLarge) {
    return PayloadTooLargeError("the request body decompresses to more than " +
                                    std::to_string(limits.max_decoded_bytes) + " bytes",
                                "payload_too_large");
  }
  return DecodingError("gzip decompression failed: " + text.status().message());
}

// The JSON path of §2.2: decompress, parse, else try base64 of JSON.
Status DecodeJsonBody(const FlagsHttpBody& http, const FlagsRequestLimits& limits, Document* doc) {
  std::string inflated;
  std::string_view payload = http.body;
  Hint hint = CompressionHint(http.compression);
  if (hint == Hint::kUnsupported) return DecodingError("Unsupported compression type");
  bool gzip = hint == Hint::kGzip ||
              (hint == Hint::kNone &&
               (AsciiLower(http.content_encoding).find("gzip") != std::string::npos ||
                HasGzipMagic(http.body)));
  if (gzip) {
    HOGLET_ASSIGN_OR_RETURN(inflated, Gunzip(http.body, limits));
    payload = inflated;
  }
  if (payload.size() > limits.max_decoded_bytes) {
    return PayloadTooLargeError(
        "the request body is larger than " + std::to_string(limits.max_decoded_bytes) + " bytes",
        "payload_too_large");
  }
  Status parsed = ParseJsonObject(payload, limits, doc);
  if (parsed.ok()) return parsed;
  if (std::optional<std::string> decoded = DecodeLenientBase64(payload)) {
    if (ParseJsonObject(*decoded, limits, doc).ok()) return Status::Ok();
  }
  return parsed;
}

// The form path of §2.2: `data=<base64>` (or bare base64), never gzip.
Status DecodeFormBody(const FlagsHttpBody& http, const FlagsRequestLimits& limits, Document* doc) {
  Hint hint = CompressionHint(http.compression);
  if (hint == Hint::kGzip) {
    return DecodingError("Gzip compression not supported for form-urlencoded data");
  }
  if (hint == Hint::kUnsupported) return DecodingError("Unsupported compression type");
  std::string_view form = http.body;
  std::string_view data = form;
  if (form.starts_with("data=")) {
    data = form.substr(5);
    data = data.substr(0, data.find('&'));
  } else if (size_t at = form.find("&data="); at != std::string_view::npos) {
    data = form.substr(at + 6);
    data = data.substr(0, data.find('&'));
  }
  std::optional<std::string> decoded = DecodeLenientBase64(data);
  if (!decoded) return DecodingError("Base64 decoding error");
  if (decoded->size() > limits.max_decoded_bytes) {
    return PayloadTooLargeError(
        "the request body is larger than " + std::to_string(limits.max_decoded_bytes) + " bytes",
        "payload_too_large");
  }
  Status parsed = ParseJsonObject(*decoded, limits, doc);
  if (!parsed.ok() && parsed.message().find("too deep") == std::string::npos) {
    return DecodingError("invalid JSON structure");
  }
  return parsed;
}

// Field readers. A field of the wrong type is an error naming it.
Status WrongType(std::string_view field, std::string_view expected) {
  return DecodingError("invalid JSON: `" + std::string(field) + "` must be " +
                       std::string(expected));
}

// The first present, non-null field of `names`, with the name it was found under.
std::optional<std::pair<std::string_view, dom::element>> Field(
    dom::object object, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    dom::element value;
    if (object.at_key(name).get(value) != simdjson::SUCCESS) continue;
    if (value.is_null()) continue;
    return std::make_pair(name, value);
  }
  return std::nullopt;
}

StatusOr<std::optional<std::string>> StringField(dom::object object,
                                                 std::initializer_list<std::string_view> names) {
  auto field = Field(object, names);
  if (!field) return std::optional<std::string>();
  std::string_view text;
  if (field->second.get_string().get(text) != simdjson::SUCCESS) {
    return WrongType(field->first, "a string");
  }
  return std::optional<std::string>(std::string(text));
}

// A string, or a number kept as written (distinct ids, group keys).
std::optional<std::string> StringOrNumber(dom::element value) {
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (value.is_number()) return simdjson::minify(value);
  return std::nullopt;
}

StatusOr<std::optional<std::string>> IdField(dom::object object,
                                             std::initializer_list<std::string_view> names) {
  auto field = Field(object, names);
  if (!field) return std::optional<std::string>();
  std::optional<std::string> text = StringOrNumber(field->second);
  if (!text) return WrongType(field->first, "a string or a number");
  return std::optional<std::string>(capture::CleanDistinctId(*text));
}

StatusOr<bool> BoolField(dom::object object, std::string_view name) {
  auto field = Field(object, {name});
  if (!field) return false;
  bool value = false;
  if (field->second.get_bool().get(value) != simdjson::SUCCESS) {
    return WrongType(name, "true or false");
  }
  return value;
}

StatusOr<std::optional<std::vector<std::string>>> StringListField(
    dom::object object, std::initializer_list<std::string_view> names, size_t max_items) {
  auto field = Field(object, names);
  if (!field) return std::optional<std::vector<std::string>>();
  dom::array array;
  if (field->second.get_array().get(array) != simdjson::SUCCESS) {
    return WrongType(field->first, "an array of strings");
  }
  if (array.size() > max_items) {
    return DecodingError("`" + std::string(field->first) + "` has " + std::to_string(array.size()) +
                         " items, more than the " + std::to_string(max_items) + " allowed");
  }
  std::vector<std::string> items;
  items.reserve(array.size());
  for (dom::element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return WrongType(field->first, "an array of strings");
    }
    items.emplace_back(text);
  }
  return std::optional<std::vector<std::string>>(std::move(items));
}

StatusOr<filters::Properties> PropertiesOf(dom::element value, std::string_view field,
                                           const FlagsRequestLimits& limits) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return WrongType(field, "an object");
  if (object.size() > limits.max_properties) {
    return DecodingError("`" + std::string(field) + "` has " + std::to_string(object.size()) +
                         " properties, more than the " + std::to_string(limits.max_properties) +
                         " allowed");
  }
  auto properties = filters::ParseProperties(simdjson::minify(object));
  if (!properties.ok()) return WrongType(field, "an object");
  return properties;
}

Status ReadFields(dom::object root, const FlagsRequestLimits& limits, FlagsRequest* out) {
  HOGLET_ASSIGN_OR_RETURN(auto token, StringField(root, {"token", "api_key", "$token"}));
  out->token = token.value_or("");
  HOGLET_ASSIGN_OR_RETURN(out->distinct_id, IdField(root, {"distinct_id", "$distinct_id"}));
  HOGLET_ASSIGN_OR_RETURN(out->anon_distinct_id,
                          IdField(root, {"anon_distinct_id", "$anon_distinct_id"}));
  HOGLET_ASSIGN_OR_RETURN(out->device_id, IdField(root, {"device_id", "$device_id"}));
  HOGLET_ASSIGN_OR_RETURN(out->disable_flags, BoolField(root, "disable_flags"));
  HOGLET_ASSIGN_OR_RETURN(out->geoip_disable, BoolField(root, "geoip_disable"));
  HOGLET_ASSIGN_OR_RETURN(out->timezone, StringField(root, {"timezone"}));
  HOGLET_ASSIGN_OR_RETURN(out->evaluation_runtime, StringField(root, {"evaluation_runtime"}));
  HOGLET_ASSIGN_OR_RETURN(
      out->flag_keys,
      StringListField(root, {"flag_keys", "flag_keys_to_evaluate"}, limits.max_flag_keys));
  HOGLET_ASSIGN_OR_RETURN(auto contexts,
                          StringListField(root, {"evaluation_contexts", "evaluation_environments"},
                                          limits.max_evaluation_contexts));
  out->evaluation_contexts = contexts.value_or(std::vector<std::string>{});

  if (auto field = Field(root, {"person_properties", "$properties"})) {
    HOGLET_ASSIGN_OR_RETURN(out->person_properties,
                            PropertiesOf(field->second, field->first, limits));
  }
  if (auto field = Field(root, {"groups", "$groups"})) {
    dom::object groups;
    if (field->second.get_object().get(groups) != simdjson::SUCCESS) {
      return WrongType(field->first, "an object of group type → group key");
    }
    if (groups.size() > limits.max_groups) {
      return DecodingError("`" + std::string(field->first) + "` names " +
                           std::to_string(groups.size()) + " groups, more than the " +
                           std::to_string(limits.max_groups) + " allowed");
    }
    for (dom::key_value_pair group : groups) {
      if (group.value.is_null()) continue;
      std::optional<std::string> key = StringOrNumber(group.value);
      // PostHog stringifies any other JSON value; keep that rather than refuse the request.
      out->groups.insert_or_assign(std::string(group.key),
                                   key ? std::move(*key) : simdjson::minify(group.value));
    }
  }
  if (auto field = Field(root, {"group_properties", "$group_properties"})) {
    dom::object by_type;
    if (field->second.get_object().get(by_type) != simdjson::SUCCESS) {
      return WrongType(field->first, "an object of group type → properties");
    }
    if (by_type.size() > limits.max_groups) {
      return DecodingError("`" + std::string(field->first) + "` has " +
                           std::to_string(by_type.size()) + " group types, more than the " +
                           std::to_string(limits.max_groups) + " allowed");
    }
    for (dom::key_value_pair group : by_type) {
      if (group.value.is_null()) continue;
      HOGLET_ASSIGN_OR_RETURN(filters::Properties properties,
                              PropertiesOf(group.value, field->first, limits));
      out->group_properties.insert_or_assign(std::string(group.key), std::move(properties));
    }
  }
  if (!out->device_id || out->device_id->empty()) {
    auto it = out->person_properties.find("$device_id");
    if (it != out->person_properties.end() &&
        it->second.kind == filters::PropertyValue::Kind::kString && !it->second.text.empty()) {
      out->device_id = it->second.text;
    }
  }
  return Status::Ok();
}

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return text.find(n) != std::string_view::npos; });
}

bool StartsWithAny(std::string_view text, std::initializer_list<std::string_view> prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return text.starts_with(p); });
}

}  // namespace

FlagsQuery ParseFlagsQuery(std::string_view query) {
  FlagsQuery out;
  for (auto& [key, value] : ParseQueryString(query)) {
    if (key == "v" || key == "version") {
      if (value.empty()) continue;
      std::optional<int64_t> number = capture::ParseInt64(TrimAscii(value, kAsciiWhitespace));
      out.version =
          number && *number >= INT32_MIN && *number <= INT32_MAX ? static_cast<int>(*number) : 1;
    } else if (key == "config") {
      out.config = ParseBool(value);
    } else if (key == "compression") {
      out.compression = value;
    } else if (key == "only_evaluate_survey_feature_flags") {
      out.only_survey_flags = ParseBool(value).value_or(false);
    }
  }
  return out;
}

StatusOr<FlagsRequest> DecodeFlagsRequest(const FlagsHttpBody& http,
                                          const FlagsRequestLimits& limits) {
  std::string content_type = AsciiLower(
      TrimAscii(http.content_type.substr(0, http.content_type.find(';')), kAsciiWhitespace));
  Document doc;
  if (content_type.empty() || content_type == "application/json" || content_type == "text/plain") {
    HOGLET_RETURN_IF_ERROR(DecodeJsonBody(http, limits, &doc));
  } else if (capture::IsFormContentType(http.content_type)) {
    HOGLET_RETURN_IF_ERROR(DecodeFormBody(http, limits, &doc));
  } else {
    return DecodingError("unsupported content type: " + std::string(http.content_type));
  }
  FlagsRequest out;
  HOGLET_RETURN_IF_ERROR(ReadFields(doc.root, limits, &out));
  return out;
}

std::optional<EvaluationRuntime> ResolveRuntime(const std::optional<std::string>& requested,
                                                std::string_view user_agent,
                                                bool has_browser_headers) {
  if (requested) {
    std::string lower = AsciiLower(TrimAscii(*requested, kAsciiWhitespace));
    if (lower == "client") return EvaluationRuntime::kClient;
    if (lower == "server") return EvaluationRuntime::kServer;
    return EvaluationRuntime::kAll;
  }
  if (!user_agent.empty()) {
    if (ContainsAny(user_agent, {"Mozilla/", "Chrome/", "Safari/", "Firefox/", "Edge/"})) {
      return EvaluationRuntime::kClient;
    }
    if (StartsWithAny(user_agent,
                      {"posthog-python/", "posthog-ruby/", "posthog-php/", "posthog-java/",
                       "posthog-go/", "posthog-node/", "posthog-dotnet/", "posthog-elixir/"}) ||
        ContainsAny(user_agent, {"python-requests/", "curl/"})) {
      return EvaluationRuntime::kServer;
    }
    if (StartsWithAny(user_agent, {"posthog-android/", "posthog-ios/", "posthog-react-native/",
                                   "posthog-flutter/"})) {
      return EvaluationRuntime::kClient;
    }
  }
  if (has_browser_headers) return EvaluationRuntime::kClient;
  return std::nullopt;
}

void FillInitialProperties(filters::Properties* properties) {
  constexpr std::string_view kInitial = "$initial_";
  std::vector<std::pair<std::string, const filters::PropertyValue*>> missing;
  for (const auto& [key, value] : *properties) {
    if (key.starts_with(kInitial) || key.empty()) continue;
    std::string initial(kInitial);
    initial.append(key.starts_with('$') ? std::string_view(key).substr(1) : std::string_view(key));
    if (!properties->contains(initial)) missing.emplace_back(std::move(initial), &value);
  }
  // Copy after the walk: inserting while iterating an unordered_map may rehash it.
  std::vector<std::pair<std::string, filters::PropertyValue>> copies;
  copies.reserve(missing.size());
  for (auto& [key, value] : missing) copies.emplace_back(std::move(key), *value);
  for (auto& [key, value] : copies) properties->emplace(std::move(key), std::move(value));
}

}  // namespace hoglet::flags
