#include "log/frame_reader.h"

#include <algorithm>

namespace hoglet::log {

FrameReader::FrameReader(const fs::File* file, uint64_t start, uint64_t limit, uint64_t expected_offset,
                         size_t chunk_bytes)
    : file_(file),
      limit_(limit),
      chunk_bytes_(std::max<size_t>(chunk_bytes, kFrameHeaderBytes)),
      position_(start),
      frame_position_(start),
      expected_offset_(expected_offset) {}

Status FrameReader::Fill(size_t n) {
  uint64_t buffer_end = buffer_start_ + buffer_.size();
  if (position_ >= buffer_start_ && position_ + n <= buffer_end) return Status::Ok();
  // Refill from position_: keeps memory bounded by one chunk or one frame.
  size_t want =
      static_cast<size_t>(std::min<uint64_t>(std::max(n, chunk_bytes_), limit_ - position_));
  buffer_.resize(want);
  buffer_start_ = position_;
  HOGLET_ASSIGN_OR_RETURN(size_t got, file_->ReadAt(position_, want, buffer_.data()));
  buffer_.resize(got);
  if (got < n) {
    return UnavailableError("segment file shrank while being read (wanted " + std::to_string(n) +
                            " bytes at " + std::to_string(position_) + ", got " +
                            std::to_string(got) + ")");
  }
  return Status::Ok();
}

StatusOr<FrameReader::Outcome> FrameReader::Next(FrameHeader* header, std::string_view* payload) {
  frame_position_ = position_;
  const uint64_t remaining = limit_ - position_;
  if (remaining == 0) return Outcome::kEnd;
  if (remaining < kFrameHeaderBytes) {
    damage_ = "incomplete frame header (" + std::to_string(remaining) + " bytes)";
    return Outcome::kDamaged;
  }
  HOGLET_RETURN_IF_ERROR(Fill(kFrameHeaderBytes));
  const char* bytes = buffer_.data() + (position_ - buffer_start_);
  FrameHeader h = DecodeFrameHeader(bytes);
  if (h.payload_length > kMaxPayloadBytes) {
    damage_ = "frame length " + std::to_string(h.payload_length) + " is over the limit";
    return Outcome::kDamaged;
  }
  const uint64_t frame_bytes = kFrameHeaderBytes + uint64_t{h.payload_length};
  if (frame_bytes > remaining) {
    damage_ = "frame of " + std::to_string(frame_bytes) + " bytes runs past the end (" +
              std::to_string(remaining) + " bytes left)";
    return Outcome::kDamaged;
  }
  HOGLET_RETURN_IF_ERROR(Fill(static_cast<size_t>(frame_bytes)));
  bytes = buffer_.data() + (position_ - buffer_start_);
  std::string_view body(bytes + kFrameHeaderBytes, h.payload_length);
  if (!FrameChecksumMatches(bytes, h, body)) {
    damage_ = "checksum mismatch";
    return Outcome::kDamaged;
  }
  if (h.offset != expected_offset_ || h.batch_index > h.offset) {
    damage_ = "frame carries offset " + std::to_string(h.offset) + " where " +
              std::to_string(expected_offset_) + " was expected";
    return Outcome::kDamaged;
  }
  *header = h;
  *payload = body;
  position_ += frame_bytes;
  ++expected_offset_;
  return Outcome::kFrame;
}

}  // namespace hoglet::log
