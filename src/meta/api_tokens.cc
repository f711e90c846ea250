#include "meta/api_tokens.h"

#include "base/random.h"
#include "base/sha256.h"

namespace hoglet::meta {
namespace {

bool IsTokenChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

}  // namespace

std::string GenerateToken(std::string_view prefix) { return RandomToken(prefix); }

Status ValidateToken(std::string_view token, std::string_view prefix, std::string_view what) {
  std::string rule = std::string(what) + " must start with '" + std::string(prefix) + "' and be " +
                     std::to_string(kMinTokenLength) + " to " + std::to_string(kMaxTokenLength) +
                     " characters from [A-Za-z0-9_]";
  if (!token.starts_with(prefix)) {
    return InvalidArgumentError(rule + "; the given value has another prefix", "invalid_token");
  }
  if (token.size() < kMinTokenLength || token.size() > kMaxTokenLength) {
    return InvalidArgumentError(
        rule + "; the given value has " + std::to_string(token.size()) + " characters",
        "invalid_token");
  }
  for (char c : token) {
    if (!IsTokenChar(c)) {
      return InvalidArgumentError(rule + "; the given value contains another character",
                                  "invalid_token");
    }
  }
  return Status::Ok();
}

std::string HashPersonalApiKey(std::string_view plain_key) { return Sha256Hex(plain_key); }

std::string MaskPersonalApiKey(std::string_view plain_key) {
  std::string mask(plain_key.substr(0, kPersonalApiKeyPrefix.size()));
  mask += "...";
  if (plain_key.size() >= kPersonalApiKeyPrefix.size() + 4) {
    mask += plain_key.substr(plain_key.size() - 4);
  }
  return mask;
}

}  // namespace hoglet::meta
