#include "log/wal_metadata.h"

#include <cstdint>

#include "log/crc32c.h"

namespace hoglet::log {
namespace {

constexpr std::string_view kMagic = "HOGLTMET";
constexpr uint32_t kVersion = 1;
constexpr size_t kBytes = 20;

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

uint32_t GetU32(std::string_view data, size_t at) {
  uint32_t v = 0;
  for (size_t i = 4; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(data[at + i]);
  return v;
}

}  // namespace

std::string EncodeWalMetadata(int partitions) {
  std::string out(kMagic);
  PutU32(&out, kVersion);
  PutU32(&out, static_cast<uint32_t>(partitions));
  PutU32(&out, Crc32c(out));
  return out;
}

StatusOr<int> DecodeWalMetadata(std::string_view data, const std::string& path) {
  if (data.size() != kBytes || data.substr(0, kMagic.size()) != kMagic ||
      GetU32(data, 16) != Crc32c(data.substr(0, 16))) {
    return DataLossError(path + ": the event log metadata file is damaged");
  }
  uint32_t version = GetU32(data, 8);
  if (version != kVersion) {
    return InvalidArgumentError(path + ": event log metadata version " + std::to_string(version) +
                                " is not supported (this build reads version " +
                                std::to_string(kVersion) + ")");
  }
  uint32_t partitions = GetU32(data, 12);
  if (partitions == 0 || partitions > 1u << 16) {
    return DataLossError(path + ": the event log metadata records an impossible partition count");
  }
  return static_cast<int>(partitions);
}

}  // namespace hoglet::log
