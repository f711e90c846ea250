// SHA-256 digests (OpenSSL EVP), for storing secrets such as personal API keys as hashes.
// Thread-safe.
//
// Example:
//   Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hoglet {

// The 32-byte digest of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);

// The digest as 64 lower-case hex characters.
std::string Sha256Hex(std::string_view data);

}  // namespace hoglet
