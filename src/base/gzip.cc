#include "base/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace hoglet {
namespace {

constexpr size_t kChunkBytes = 64 << 10;

// Owns a z_stream set up for inflation; releases it on every path out.
class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (initialised_) inflateEnd(&stream_);
  }

  bool Init() {
    // 15 + 32: maximum window, automatic gzip/zlib header detection.
    initialised_ = inflateInit2(&stream_, 15 + 32) == Z_OK;
    return initialised_;
  }
  bool Reset() { return inflateReset(&stream_) == Z_OK; }
  z_stream* stream() { return &stream_; }

 private:
  z_stream stream_{};
  bool initialised_ = false;
};

Status TooLarge(size_t limit) {
  return PayloadTooLargeError("the decompressed payload is larger than the limit of " +
                                  std::to_string(limit) +
                                  " bytes; send smaller batches or raise the payload limit",
                              "payload_too_large");
}

}  // namespace

bool HasGzipMagic(std::string_view data) {
  return data.size() >= 3 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b && static_cast<unsigned char>(data[2]) == 0x08;
}

StatusOr<std::string> Inflate(std::string_view data, size_t max_output_bytes) {
  Inflater inflater;
  if (!inflater.Init()) return InternalError("zlib could not initialise an inflate stream");
  z_stream* zs = inflater.stream();
  std::string out;
  size_t consumed = 0;
  bool stream_ended = false;
  while (true) {
    size_t avail_in = std::min<size_t>(data.size() - consumed, UINT_MAX);
    zs->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
    zs->avail_in = static_cast<uInt>(avail_in);
    // Never let zlib write past the limit: offer at most limit + 1 bytes of room in total, so
    // one byte too many is detected without producing more.
    size_t room_left = max_output_bytes + 1 - out.size();
    size_t chunk = std::min(kChunkBytes, room_left);
    size_t old_size = out.size();
    out.resize(old_size + chunk);
    zs->next_out = reinterpret_cast<Bytef*>(out.data() + old_size);
    zs->avail_out = static_cast<uInt>(chunk);
    int rc = inflate(zs, Z_NO_FLUSH);
    consumed += avail_in - zs->avail_in;
    out.resize(old_size + (chunk - zs->avail_out));
    if (out.size() > max_output_bytes) return TooLarge(max_output_bytes);
    if (rc == Z_STREAM_END) {
      stream_ended = true;
      // Another gzip member may follow (gzip allows concatenation); trailing zero padding is
      // tolerated as gunzip does.
      std::string_view rest = data.substr(consumed);
      if (rest.empty() || std::all_of(rest.begin(), rest.end(), [](char c) { return c == 0; })) {
        break;
      }
      if (!HasGzipMagic(rest) || !inflater.Reset()) {
        return InvalidArgumentError("unexpected bytes after the end of the compressed stream",
                                    "request_decoding_error");
      }
      stream_ended = false;
      continue;
    }
    // Z_BUF_ERROR with fresh output room means no progress is possible: the input ran out.
    if (rc == Z_BUF_ERROR) break;
    if (rc != Z_OK) {
      std::string why = zs->msg != nullptr ? zs->msg : "corrupt data";
      return InvalidArgumentError("the body is not valid gzip/zlib data (" + why + ")",
                                  "request_decoding_error");
    }
  }
  if (!stream_ended) {
    return InvalidArgumentError("the gzip/zlib data ends before the end of the compressed stream",
                                "request_decoding_error");
  }
  return out;
}

std::string GzipCompress(std::string_view data, int level) {
  z_stream zs{};
  // 15 + 16: maximum window, gzip header and trailer.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? zs.total_out : 0);
  deflateEnd(&zs);
  return out;
}

}  // namespace hoglet
