#include "log/segment.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "base/logging.h"
#include "log/frame_reader.h"
#include "log/record_format.h"

namespace hoglet::log {
namespace {

// One index entry per this many bytes: a read seeks to within 64 KiB of its offset, and a
// 64 MiB segment needs about a thousand entries (16 KiB of memory).
constexpr uint64_t kIndexIntervalBytes = 64 << 10;
constexpr size_t kScanChunkBytes = 1 << 20;
constexpr std::string_view kSuffix = ".seg";
constexpr size_t kNameDigits = 20;

std::string Describe(const std::string& path, uint64_t position, uint64_t offset) {
  return path + " at byte " + std::to_string(position) + " (record offset " +
         std::to_string(offset) + ")";
}

// True when a good frame of a group commit that started after `expected_offset` lies in bytes
// (damage_position, size) of `file`. Only called while recovering a damaged tail, whose length
// is bounded by one segment.
StatusOr<bool> LaterGroupFollows(const fs::File& file, uint64_t damage_position, uint64_t size,
                                 uint64_t expected_offset) {
  std::string tail(size - damage_position, '\0');
  HOGLET_ASSIGN_OR_RETURN(size_t got, file.ReadAt(damage_position, tail.size(), tail.data()));
  tail.resize(got);
  const uint64_t max_records_left = tail.size() / kFrameHeaderBytes;
  for (size_t q = 1; q + kFrameHeaderBytes <= tail.size(); ++q) {
    FrameHeader h = DecodeFrameHeader(tail.data() + q);
    // Cheap plausibility checks first; the checksum is computed only for candidates.
    if (h.offset <= expected_offset || h.offset - expected_offset > max_records_left) continue;
    if (h.batch_index > h.offset || h.batch_first_offset() <= expected_offset) continue;
    if (h.payload_length > tail.size() - q - kFrameHeaderBytes) continue;
    std::string_view payload(tail.data() + q + kFrameHeaderBytes, h.payload_length);
    if (FrameChecksumMatches(tail.data() + q, h, payload)) return true;
  }
  return false;
}

// Rewrites the header of a segment whose creation was cut short (no record was ever in it).
Status RewriteHeader(fs::File* file, uint64_t base_offset, bool sync) {
  HOGLET_RETURN_IF_ERROR(file->Truncate(0));
  HOGLET_RETURN_IF_ERROR(file->WriteAt(0, EncodeSegmentHeader(base_offset)));
  if (sync) HOGLET_RETURN_IF_ERROR(file->Sync());
  return Status::Ok();
}

}  // namespace

Segment::Segment(std::string path, uint64_t base_offset, std::unique_ptr<fs::File> file)
    : path_(std::move(path)),
      base_offset_(base_offset),
      file_(std::move(file)),
      end_offset_(base_offset),
      size_bytes_(kSegmentHeaderBytes) {}

std::string Segment::PathFor(const std::string& dir, uint64_t base_offset) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020" PRIu64 ".seg", base_offset);
  return dir + "/" + name;
}

bool Segment::ParseFileName(const std::string& name, uint64_t* base_offset) {
  if (name.size() != kNameDigits + kSuffix.size() || !name.ends_with(kSuffix)) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < kNameDigits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *base_offset = value;
  return true;
}

StatusOr<std::shared_ptr<Segment>> Segment::Create(fs::Env* env, const std::string& dir,
                                                   uint64_t base_offset, bool sync) {
  std::string path = PathFor(dir, base_offset);
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<fs::File> file,
                          env->OpenFile(path, fs::OpenMode::kCreateTruncate));
  Status s = file->WriteAt(0, EncodeSegmentHeader(base_offset));
  if (s.ok() && sync) s = file->Sync();
  if (s.ok() && sync) s = env->SyncDir(dir);
  if (!s.ok()) {
    file.reset();
    (void)env->RemoveFile(path);  // best effort; a leftover is rewritten by the next attempt
    return s;
  }
  return std::shared_ptr<Segment>(new Segment(std::move(path), base_offset, std::move(file)));
}

StatusOr<std::shared_ptr<Segment>> Segment::Recover(fs::Env* env, const std::string& path,
                                                    uint64_t base_offset, bool is_last, bool sync) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<fs::File> file, env->OpenFile(path, fs::OpenMode::kReadWrite));
  HOGLET_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  std::string header(kSegmentHeaderBytes, '\0');
  HOGLET_ASSIGN_OR_RETURN(size_t got, file->ReadAt(0, header.size(), header.data()));
  header.resize(got);
  StatusOr<uint64_t> decoded = DecodeSegmentHeader(header, path);
  if (!decoded.ok()) {
    // The header is synced before any record is written, so a bad header with nothing after
    // it in the newest segment is a creation cut short, not lost data.
    bool torn_creation =
        decoded.status().code() == StatusCode::kDataLoss && is_last && size <= kSegmentHeaderBytes;
    if (!torn_creation) return decoded.status();
    LogWarning("rewriting the incomplete header of " + path + " (created just before a crash)");
    HOGLET_RETURN_IF_ERROR(RewriteHeader(file.get(), base_offset, sync));
    return std::shared_ptr<Segment>(new Segment(path, base_offset, std::move(file)));
  }
  if (*decoded != base_offset) {
    return DataLossError(path + ": header says the segment starts at offset " +
                         std::to_string(*decoded) + " but its name says " +
                         std::to_string(base_offset));
  }

  std::shared_ptr<Segment> segment(new Segment(path, base_offset, std::move(file)));
  FrameReader reader(segment->file(), kSegmentHeaderBytes, size, base_offset, kScanChunkBytes);
  FrameHeader frame;
  std::string_view payload;
  for (;;) {
    HOGLET_ASSIGN_OR_RETURN(FrameReader::Outcome outcome, reader.Next(&frame, &payload));
    if (outcome == FrameReader::Outcome::kFrame) {
      segment->AddFrame(frame.offset, reader.frame_position());
      continue;
    }
    if (outcome == FrameReader::Outcome::kDamaged) {
      const uint64_t position = reader.frame_position();
      const uint64_t offset = reader.expected_offset();
      std::string where = reader.damage() + " in " + Describe(path, position, offset);
      if (!is_last) {
        return DataLossError(where + "; the segment is sealed, so acknowledged records are lost");
      }
      HOGLET_ASSIGN_OR_RETURN(bool later,
                              LaterGroupFollows(*segment->file(), position, size, offset));
      if (later) {
        return DataLossError(where + "; records acknowledged after it follow, so acknowledged " +
                             "data is damaged");
      }
      LogWarning("truncating the torn tail of " + path + ": " + std::to_string(size - position) +
                 " bytes from byte " + std::to_string(position) + " (" + reader.damage() +
                 "); records from offset " + std::to_string(offset) + " were never acknowledged");
      HOGLET_RETURN_IF_ERROR(segment->file()->Truncate(position));
      if (sync) HOGLET_RETURN_IF_ERROR(segment->file()->Sync());
    }
    break;
  }
  segment->SetDurableEnd(reader.expected_offset(), reader.position());
  return segment;
}

void Segment::AddFrame(uint64_t offset, uint64_t position) {
  if (index_.empty() || position - index_.back().position >= kIndexIntervalBytes) {
    index_.push_back({offset, position});
  }
}

void Segment::SetDurableEnd(uint64_t end_offset, uint64_t size_bytes) {
  end_offset_ = end_offset;
  size_bytes_ = size_bytes;
}

void Segment::Seek(uint64_t offset, uint64_t* frame_offset, uint64_t* position) const {
  auto it = std::upper_bound(index_.begin(), index_.end(), offset,
                             [](uint64_t o, const IndexEntry& e) { return o < e.offset; });
  if (it == index_.begin()) {
    *frame_offset = base_offset_;
    *position = kSegmentHeaderBytes;
    return;
  }
  --it;
  *frame_offset = it->offset;
  *position = it->position;
}

StatusOr<bool> Segment::ReadRecords(uint64_t from, uint64_t frame_offset, uint64_t position,
                                    uint64_t limit, size_t max_records, size_t* budget_bytes,
                                    std::vector<Record>* out) const {
  size_t chunk = std::clamp<size_t>(*budget_bytes + kFrameHeaderBytes, 4 << 10, 1 << 20);
  FrameReader reader(file_.get(), position, limit, frame_offset, chunk);
  FrameHeader frame;
  std::string_view payload;
  while (out->size() < max_records) {
    HOGLET_ASSIGN_OR_RETURN(FrameReader::Outcome outcome, reader.Next(&frame, &payload));
    if (outcome == FrameReader::Outcome::kEnd) return true;
    if (outcome == FrameReader::Outcome::kDamaged) {
      return DataLossError(reader.damage() + " in acknowledged data: " +
                           Describe(path_, reader.frame_position(), reader.expected_offset()));
    }
    if (frame.offset < from) continue;
    if (!out->empty() && payload.size() > *budget_bytes) return false;
    out->push_back(Record{frame.offset, std::string(payload)});
    *budget_bytes -= std::min(*budget_bytes, payload.size());
  }
  return false;
}

}  // namespace hoglet::log
