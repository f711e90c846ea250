// Sequential, verifying reader of the frames of one segment file (layout in record_format.h).
//
// Example:
//   FrameReader reader(file, kSegmentHeaderBytes, size, base_offset, 1 << 20);
//   FrameHeader header;
//   std::string_view payload;
//   for (;;) {
//     HOGLET_ASSIGN_OR_RETURN(FrameReader::Outcome outcome, reader.Next(&header, &payload));
//     if (outcome != FrameReader::Outcome::kFrame) break;
//     ...
//   }
//
// Each frame is checked for a plausible length, its checksum and the expected offset (offsets
// are consecutive). Damage is reported as an outcome, not an error, because what it means
// depends on where it is (a torn tail during recovery, data loss anywhere else); I/O failures
// are errors (kUnavailable).
//
// Not thread-safe; the File must outlive the reader and may be read by others meanwhile.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "fs/env.h"
#include "log/record_format.h"

namespace hoglet::log {

class FrameReader {
 public:
  enum class Outcome {
    kFrame,    // a good frame was read
    kEnd,      // the reader is exactly at `limit`
    kDamaged,  // the bytes at frame_position() are not the expected frame; see damage()
  };

  // Reads frames in bytes [start, limit) of `file`; the frame at `start` must carry
  // `expected_offset`. Reads the file `chunk_bytes` at a time (more for a larger frame).
  FrameReader(const fs::File* file, uint64_t start, uint64_t limit, uint64_t expected_offset,
              size_t chunk_bytes);

  // The next frame. On kFrame, `*header` and `*payload` describe it; the payload view stays
  // valid until the next call.
  StatusOr<Outcome> Next(FrameHeader* header, std::string_view* payload);

  // Start of the frame last returned, or of the damaged bytes.
  uint64_t frame_position() const { return frame_position_; }
  // End of the last good frame (where the next one starts).
  uint64_t position() const { return position_; }
  // The offset the next frame must carry.
  uint64_t expected_offset() const { return expected_offset_; }
  // Why the last kDamaged outcome was returned.
  const std::string& damage() const { return damage_; }

 private:
  // Makes bytes [position_, position_ + n) available in buffer_; n <= limit_ - position_.
  Status Fill(size_t n);

  const fs::File* file_;
  const uint64_t limit_;
  const size_t chunk_bytes_;
  uint64_t position_;
  uint64_t frame_position_;
  uint64_t expected_offset_;
  std::string buffer_;
  uint64_t buffer_start_ = 0;  // file position of buffer_[0]
  std::string damage_;
};

}  // namespace hoglet::log
