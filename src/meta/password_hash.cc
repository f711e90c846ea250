#include "meta/password_hash.h"

#include <argon2.h>

#include <array>
#include <charconv>
#include <cstring>
#include <optional>

#include "base/random.h"

namespace hoglet::meta {
namespace {

constexpr std::string_view kEncodingPrefix = "$argon2id$v=19$";

bool LengthAllowed(std::string_view password) {
  return password.size() >= kMinPasswordBytes && password.size() <= kMaxPasswordBytes;
}

// Consumes `name` followed by a decimal number from the front of `text`.
std::optional<uint32_t> ConsumeParameter(std::string_view& text, std::string_view name) {
  if (!text.starts_with(name)) return std::nullopt;
  text.remove_prefix(name.size());
  uint32_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return value;
}

// Checks the variant, the version and the cost parameters before libargon2 sees the encoding:
// the library would otherwise honour whatever cost a stored string asks for.
bool ParametersAcceptable(std::string_view encoded) {
  if (!encoded.starts_with(kEncodingPrefix)) return false;
  encoded.remove_prefix(kEncodingPrefix.size());
  std::optional<uint32_t> memory = ConsumeParameter(encoded, "m=");
  std::optional<uint32_t> time = ConsumeParameter(encoded, ",t=");
  std::optional<uint32_t> lanes = ConsumeParameter(encoded, ",p=");
  return memory && time && lanes && encoded.starts_with('$') &&
         *memory <= kMaxVerifyMemoryCostKiB && *time <= kMaxVerifyTimeCost &&
         *lanes <= kMaxVerifyParallelism;
}

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password) {
  if (!LengthAllowed(password)) {
    return InvalidArgumentError("a password must be " + std::to_string(kMinPasswordBytes) + " to " +
                                    std::to_string(kMaxPasswordBytes) +
                                    " bytes long; the given one has " +
                                    std::to_string(password.size()) + " bytes",
                                "invalid_password");
  }
  std::array<uint8_t, kPasswordSaltBytes> salt;
  SecureRandomBytes(salt);
  // argon2_encodedlen counts the terminating NUL.
  std::string encoded(argon2_encodedlen(kArgon2TimeCost, kArgon2MemoryCostKiB, kArgon2Parallelism,
                                        kPasswordSaltBytes, kPasswordHashBytes, Argon2_id),
                      '\0');
  int result = argon2id_hash_encoded(kArgon2TimeCost, kArgon2MemoryCostKiB, kArgon2Parallelism,
                                     password.data(), password.size(), salt.data(), salt.size(),
                                     kPasswordHashBytes, encoded.data(), encoded.size());
  if (result == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return ResourceExhaustedError("hashing a password: cannot allocate " +
                                  std::to_string(kArgon2MemoryCostKiB) + " KiB for Argon2id");
  }
  if (result != ARGON2_OK) {
    return InternalError(std::string("hashing a password with Argon2id: ") +
                         argon2_error_message(result));
  }
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  if (!LengthAllowed(password) || !ParametersAcceptable(encoded)) return false;
  // libargon2 reads a NUL-terminated string; an embedded NUL would hide the rest of it.
  if (encoded.find('\0') != std::string_view::npos) return false;
  const std::string terminated(encoded);
  return argon2_verify(terminated.c_str(), password.data(), password.size(), Argon2_id) ==
         ARGON2_OK;
}

}  // namespace hoglet::meta
