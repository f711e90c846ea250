#include "log/event_log.h"

#include <cstdint>

namespace hoglet::log {

int PartitionForKey(std::string_view key, int partition_count) {
  if (partition_count <= 1) return 0;
  // 64-bit FNV-1a. Fixed forever: it decides which partition existing data lives in.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return static_cast<int>(hash % static_cast<uint64_t>(partition_count));
}

}  // namespace hoglet::log
