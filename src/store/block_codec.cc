#include "store/block_codec.h"

#include <lz4.h>
#include <zstd.h>

#include "store/byte_codec.h"

namespace hoglet::store {
namespace {

// Raw blocks are at most a few MB (8192 rows); anything claiming more is corrupt.
constexpr uint64_t kMaxRawBlockBytes = uint64_t{1} << 31;
// Level 3 is ZSTD's default: near its best ratio for short strings at a fraction of the cost.
constexpr int kZstdLevel = 3;

}  // namespace

std::string CompressBlock(Codec codec, std::string_view raw) {
  ByteWriter w;
  // Tiny blocks do not compress; skip the codec's framing overhead.
  if (raw.size() < 64) codec = Codec::kNone;
  w.PutU8(static_cast<uint8_t>(codec));
  w.PutVarint(raw.size());
  std::string& out = w.mutable_data();
  size_t header = out.size();
  switch (codec) {
    case Codec::kNone:
      out.append(raw);
      break;
    case Codec::kLz4: {
      int bound = LZ4_compressBound(static_cast<int>(raw.size()));
      out.resize(header + static_cast<size_t>(bound));
      int n = LZ4_compress_default(raw.data(), out.data() + header, static_cast<int>(raw.size()),
                                   bound);
      out.resize(header + static_cast<size_t>(n));
      break;
    }
    case Codec::kZstd: {
      size_t bound = ZSTD_compressBound(raw.size());
      out.resize(header + bound);
      size_t n = ZSTD_compress(out.data() + header, bound, raw.data(), raw.size(), kZstdLevel);
      // Compression into a ZSTD_compressBound buffer cannot fail.
      out.resize(header + (ZSTD_isError(n) ? 0 : n));
      break;
    }
  }
  return std::move(w).Take();
}

StatusOr<std::string> DecompressBlock(std::string_view block) {
  ByteReader r(block);
  uint8_t codec;
  uint64_t raw_size;
  if (!r.GetU8(&codec) || !r.GetVarint(&raw_size) || raw_size > kMaxRawBlockBytes) {
    return DataLossError("malformed column block header");
  }
  std::string_view payload;
  if (!r.GetBytes(r.remaining(), &payload)) return DataLossError("truncated column block");
  std::string out(raw_size, '\0');
  switch (static_cast<Codec>(codec)) {
    case Codec::kNone:
      if (payload.size() != raw_size) return DataLossError("column block size mismatch");
      out.assign(payload);
      return out;
    case Codec::kLz4: {
      int n = LZ4_decompress_safe(payload.data(), out.data(), static_cast<int>(payload.size()),
                                  static_cast<int>(raw_size));
      if (n < 0 || static_cast<uint64_t>(n) != raw_size) {
        return DataLossError("LZ4 column block does not decompress");
      }
      return out;
    }
    case Codec::kZstd: {
      size_t n = ZSTD_decompress(out.data(), raw_size, payload.data(), payload.size());
      if (ZSTD_isError(n) || n != raw_size) {
        return DataLossError("ZSTD column block does not decompress");
      }
      return out;
    }
  }
  return DataLossError("unknown column block codec " + std::to_string(codec));
}

}  // namespace hoglet::store
