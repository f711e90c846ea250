// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected), the checksum of every WAL record,
// segment header and offsets file.
//
// Example:
//   uint32_t crc = Crc32c("123456789");          // 0xE3069283
//   crc = Crc32cExtend(Crc32c(header), payload);  // checksum of header + payload
//
// Uses the SSE4.2 crc32 instruction when the CPU has it, a slicing-by-8 table otherwise; both
// give identical results. Pure functions; safe to call from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace hoglet::log {

// The CRC-32C of `data` appended to data whose CRC-32C was `crc`.
uint32_t Crc32cExtend(uint32_t crc, std::string_view data);

// The CRC-32C of `data`.
inline uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

namespace crc32c_internal {
// The table-driven implementation, exposed so tests can check it against the hardware one.
uint32_t ExtendPortable(uint32_t crc, std::string_view data);
}  // namespace crc32c_internal

}  // namespace hoglet::log
