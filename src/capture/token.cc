#include "capture/token.h"

#include <algorithm>

namespace hoglet::capture {
namespace {

std::optional<std::string> StringField(simdjson::dom::object object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value) != simdjson::SUCCESS) return std::nullopt;
  return std::string(value);
}

}  // namespace

std::optional<std::string> EventToken(simdjson::dom::object event) {
  for (std::string_view key : {"token", "$token", "api_key"}) {
    if (auto token = StringField(event, key)) return token;
  }
  simdjson::dom::object properties;
  if (event["properties"].get(properties) == simdjson::SUCCESS) {
    return StringField(properties, "token");
  }
  return std::nullopt;
}

Status ValidateTokenShape(std::string_view token) {
  auto invalid = [](std::string why) {
    return UnauthenticatedError("the project API key " + why +
                                    "; use the project API key (phc_...) from your project "
                                    "settings",
                                "ingest_key_invalid");
  };
  if (token.empty()) return invalid("is empty");
  if (token.size() > kMaxTokenBytes) {
    return invalid("is longer than " + std::to_string(kMaxTokenBytes) + " bytes");
  }
  if (std::any_of(token.begin(), token.end(), [](char c) { return c == '\0'; })) {
    return invalid("contains a NUL character");
  }
  if (std::any_of(token.begin(), token.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return invalid("contains non-ASCII characters");
  }
  if (token.substr(0, 4) == "phx_") {
    return invalid("is a personal API key (phx_...), which must never be sent by clients");
  }
  return Status::Ok();
}

StatusOr<std::string> ResolveToken(const std::optional<std::string>& batch_token,
                                   const std::vector<std::optional<std::string>>& event_tokens) {
  std::optional<std::string> chosen = batch_token;
  if (!chosen) {
    for (const auto& token : event_tokens) {
      if (!token) continue;
      if (!chosen) {
        chosen = token;
      } else if (*chosen != *token) {
        return UnauthenticatedError(
            "the events of this request carry different project API keys; send each project's "
            "events in its own request",
            "multiple_tokens");
      }
    }
  }
  if (!chosen) {
    return UnauthenticatedError(
        "no project API key in the request; set `api_key` in the body or `token` on each event "
        "(properties.token for posthog-js)",
        "ingest_key_required");
  }
  HOGLET_RETURN_IF_ERROR(ValidateTokenShape(*chosen));
  return *chosen;
}

}  // namespace hoglet::capture
