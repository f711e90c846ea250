#include "log/partition.h"

#include <algorithm>
#include <utility>

#include "base/logging.h"
#include "log/record_format.h"

namespace hoglet::log {
namespace {

// Upper bound on the bytes one group commit writes (at least one whole append is always
// taken). Large enough to amortise an fsync over thousands of records, small enough that the
// encode buffer stays modest and a segment overshoots segment_bytes by little.
constexpr size_t kMaxGroupBytes = 8 << 20;
// batch_index is 32 bits; no append may hold more records than that.
constexpr size_t kMaxRecordsPerAppend = size_t{1} << 30;
// Disk blocks are reserved this far ahead of what appends need, so most reservations are a
// comparison, not a system call.
constexpr uint64_t kReserveAheadBytes = 1 << 20;
// Waits longer than this are treated as "wait until data or Close()".
constexpr std::chrono::hours kForever(24 * 365);

}  // namespace

StatusOr<std::unique_ptr<Partition>> Partition::Open(const PartitionOptions& options) {
  fs::Env* env = options.env;
  HOGLET_RETURN_IF_ERROR(env->CreateDir(options.dir));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(options.dir));
  std::vector<uint64_t> bases;
  for (const std::string& name : names) {
    uint64_t base;
    if (Segment::ParseFileName(name, &base)) bases.push_back(base);
  }
  std::sort(bases.begin(), bases.end());

  std::vector<std::shared_ptr<Segment>> segments;
  for (size_t i = 0; i < bases.size(); ++i) {
    const bool is_last = i + 1 == bases.size();
    HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<Segment> segment,
                            Segment::Recover(env, Segment::PathFor(options.dir, bases[i]), bases[i],
                                             is_last, options.sync));
    if (!segments.empty() && segments.back()->end_offset() != segment->base_offset()) {
      return DataLossError(options.dir + ": records " +
                           std::to_string(segments.back()->end_offset()) + " to " +
                           std::to_string(segment->base_offset()) + " are missing between " +
                           segments.back()->path() + " and " + segment->path());
    }
    segments.push_back(std::move(segment));
  }
  if (segments.empty()) {
    HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<Segment> first,
                            Segment::Create(env, options.dir, 0, options.sync));
    segments.push_back(std::move(first));
  }
  return std::unique_ptr<Partition>(new Partition(options, std::move(segments)));
}

Partition::Partition(const PartitionOptions& options,
                     std::vector<std::shared_ptr<Segment>> segments)
    : options_(options), segments_(std::move(segments)) {
  active_ = segments_.back();
  durable_end_ = active_->end_offset();
  next_offset_ = durable_end_;
  active_size_ = active_->size_bytes();
  written_size_ = active_size_;
  allocated_end_ = active_size_;
  writer_ = std::thread([this] { WriterLoop(); });
}

Partition::~Partition() {
  Close();
  std::lock_guard<std::mutex> join_lock(join_mu_);
  if (writer_.joinable()) writer_.detach();  // only when destroyed from a callback
}

StatusOr<size_t> Partition::AppendBytes(const std::vector<std::string>& payloads) const {
  size_t bytes = 0;
  for (const std::string& payload : payloads) {
    if (payload.size() > kMaxPayloadBytes) {
      return PayloadTooLargeError("a record of " + std::to_string(payload.size()) +
                                  " bytes is over the event log's limit of " +
                                  std::to_string(kMaxPayloadBytes) + " bytes");
    }
    bytes += payload.size() + kFrameHeaderBytes;
  }
  if (bytes > options_.max_pending_bytes || payloads.size() > kMaxRecordsPerAppend) {
    return PayloadTooLargeError("an append of " + std::to_string(bytes) +
                                " bytes can never fit under max_pending_bytes (" +
                                std::to_string(options_.max_pending_bytes) + ")");
  }
  return bytes;
}

void Partition::Append(std::vector<std::string> payloads, EventLog::AppendCallback done) {
  StatusOr<size_t> bytes = AppendBytes(payloads);
  if (!bytes.ok()) return done(bytes.status());
  Status reserved = Reserve(*bytes);
  if (!reserved.ok()) return done(std::move(reserved));
  AppendReserved(std::move(payloads), *bytes, std::move(done));
}

Status Partition::Reserve(size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing_) return UnavailableError("the event log is closed");
  if (pending_bytes_ + bytes > options_.max_pending_bytes) {
    return ResourceExhaustedError("the event log has " + std::to_string(pending_bytes_) +
                                  " bytes waiting to be written in " + options_.dir + " (limit " +
                                  std::to_string(options_.max_pending_bytes) + "); retry later");
  }
  Status room = ReserveUpTo(written_size_ + pending_bytes_ + bytes);
  if (!room.ok()) {
    return UnavailableError("the disk holding the event log is full (" + room.message() +
                            "); nothing of this request was stored, retry later");
  }
  pending_bytes_ += bytes;
  return Status::Ok();
}

void Partition::Unreserve(size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_bytes_ -= bytes;
}

void Partition::AppendReserved(std::vector<std::string> payloads, size_t bytes,
                               EventLog::AppendCallback done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closing_) {
      pending_.push_back(PendingAppend{std::move(payloads), std::move(done), bytes});
      writer_wake_.notify_one();
      return;
    }
    pending_bytes_ -= bytes;
  }
  done(UnavailableError("the event log is closed"));
}

Status Partition::ReserveUpTo(uint64_t end) {
  if (end <= allocated_end_) return Status::Ok();
  uint64_t target = end + kReserveAheadBytes;
  HOGLET_RETURN_IF_ERROR(active_->file()->Allocate(allocated_end_, target - allocated_end_));
  allocated_end_ = target;
  return Status::Ok();
}

void Partition::WriterLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    writer_wake_.wait(lock, [this] { return !pending_.empty() || closing_; });
    if (pending_.empty()) return;  // closing, and every accepted append is done

    std::vector<PendingAppend> group;
    size_t group_bytes = 0;
    while (!pending_.empty() &&
           (group.empty() || group_bytes + pending_.front().bytes <= kMaxGroupBytes)) {
      group_bytes += pending_.front().bytes;
      group.push_back(std::move(pending_.front()));
      pending_.pop_front();
    }
    const uint64_t first_offset = next_offset_;
    lock.unlock();

    Status status = WriteGroup(group, first_offset);
    if (!status.ok() && status.code() != StatusCode::kUnavailable) {
      status = UnavailableError(status.message());
    }

    lock.lock();
    pending_bytes_ -= group_bytes;
    written_size_ = active_size_;
    if (status.ok() && next_offset_ > durable_end_) {
      for (size_t i = 0; i < positions_.size(); ++i) {
        active_->AddFrame(first_offset + i, positions_[i]);
      }
      active_->SetDurableEnd(next_offset_, active_size_);
      durable_end_ = next_offset_;
      data_ready_.notify_all();
    }
    lock.unlock();

    uint64_t offset = first_offset;
    for (PendingAppend& append : group) {
      if (status.ok()) {
        append.done(offset);
      } else {
        append.done(status);
      }
      offset += append.payloads.size();
    }
    group.clear();  // drop payloads before waiting again
    lock.lock();
  }
}

Status Partition::WriteGroup(const std::vector<PendingAppend>& group, uint64_t first_offset) {
  fs::File* file = active_->file();
  if (needs_truncate_) {
    Status repaired = file->Truncate(active_size_);
    if (repaired.ok() && options_.sync) repaired = file->Sync();
    if (!repaired.ok()) {
      return UnavailableError("cannot remove the remains of a failed write from " +
                              active_->path() + ": " + repaired.message());
    }
    needs_truncate_ = false;
  }
  MaybeRoll();
  file = active_->file();
  {
    // Blocks reserved for the group are normally there; a truncate after a failed write gave
    // them back, and then they are asked for again before anything is written.
    std::lock_guard<std::mutex> lock(mu_);
    Status room = ReserveUpTo(active_size_ + pending_bytes_);
    if (!room.ok()) {
      return UnavailableError("the disk holding the event log is full (" + room.message() +
                              "); nothing of this append was stored, retry later");
    }
  }

  buffer_.clear();
  positions_.clear();
  uint64_t offset = first_offset;
  for (const PendingAppend& append : group) {
    for (const std::string& payload : append.payloads) {
      positions_.push_back(active_size_ + buffer_.size());
      AppendFrame(&buffer_, offset, static_cast<uint32_t>(offset - first_offset), payload);
      ++offset;
    }
  }
  if (buffer_.empty()) return Status::Ok();

  Status status = file->WriteAt(active_size_, buffer_);
  if (status.ok() && options_.sync) status = file->Sync();
  if (!status.ok()) {
    // Nothing of the group may stay: cut the file back to its last durable size. If even
    // that fails, the next group retries it before writing.
    positions_.clear();
    needs_truncate_ = true;
    Status repaired = file->Truncate(active_size_);
    if (repaired.ok() && options_.sync) repaired = file->Sync();
    if (repaired.ok()) needs_truncate_ = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      allocated_end_ = active_size_;  // the truncate released the reserved blocks
    }
    LogError(
        "event log write failed, " + std::to_string(offset - first_offset) +
        " records refused: " + status.message() +
        (repaired.ok() ? "" : "; truncating the failed write also failed: " + repaired.message()));
    return UnavailableError("cannot write to the event log (" + status.message() +
                            "); nothing of this append was stored, retry later");
  }
  active_size_ += buffer_.size();
  next_offset_ = offset;
  if (buffer_.capacity() > 2 * kMaxGroupBytes) std::string().swap(buffer_);
  return Status::Ok();
}

void Partition::MaybeRoll() {
  if (active_size_ < options_.segment_bytes || next_offset_ == active_->base_offset()) return;
  std::lock_guard<std::mutex> lock(mu_);
  StatusOr<std::shared_ptr<Segment>> segment =
      Segment::Create(options_.env, options_.dir, next_offset_, options_.sync);
  Status room = segment.status();
  if (room.ok()) {
    // Every reservation granted against the current segment must have its blocks in the new one.
    uint64_t need = (*segment)->size_bytes() + pending_bytes_ + kReserveAheadBytes;
    room = (*segment)->file()->Allocate(0, need);
    if (room.ok()) {
      segments_.push_back(*segment);
      active_ = std::move(*segment);
      active_size_ = active_->size_bytes();
      written_size_ = active_size_;
      allocated_end_ = need;
      roll_failing_ = false;
      return;
    }
    std::string path = (*segment)->path();
    segment->reset();
    (void)options_.env->RemoveFile(path);  // best effort; the next roll rewrites it
  }
  if (!roll_failing_) {
    LogWarning("event log: cannot start a new segment in " + options_.dir + " (" + room.message() +
               "); writing on in " + active_->path());
  }
  roll_failing_ = true;
}

StatusOr<std::vector<Record>> Partition::Read(uint64_t from_offset, size_t max_records,
                                              size_t max_bytes, std::chrono::milliseconds wait) {
  struct Span {
    std::shared_ptr<Segment> segment;
    uint64_t frame_offset;
    uint64_t position;
    uint64_t limit;
  };
  std::vector<Span> spans;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto ready = [&] { return closing_ || durable_end_ > from_offset; };
    if (!ready() && wait.count() > 0) {
      if (wait >= kForever) {
        data_ready_.wait(lock, ready);
      } else {
        data_ready_.wait_for(lock, wait, ready);
      }
    }
    if (closing_) return UnavailableError("the event log is closed");
    if (durable_end_ <= from_offset) return std::vector<Record>{};
    const uint64_t start = segments_.front()->base_offset();
    if (from_offset < start) {
      return NotFoundError("offset " + std::to_string(from_offset) + " of " + options_.dir +
                               " is no longer retained; the oldest retained offset is " +
                               std::to_string(start),
                           "offset_out_of_range");
    }
    auto it = std::upper_bound(
        segments_.begin(), segments_.end(), from_offset,
        [](uint64_t o, const std::shared_ptr<Segment>& s) { return o < s->base_offset(); });
    for (--it; it != segments_.end(); ++it) {
      Span span{*it, 0, 0, (*it)->size_bytes()};
      if (spans.empty()) {
        (*it)->Seek(from_offset, &span.frame_offset, &span.position);
      } else {
        span.frame_offset = (*it)->base_offset();
        span.position = kSegmentHeaderBytes;
      }
      spans.push_back(std::move(span));
    }
  }

  std::vector<Record> records;
  size_t budget = max_bytes;
  max_records = std::max<size_t>(max_records, 1);
  for (const Span& span : spans) {
    HOGLET_ASSIGN_OR_RETURN(bool complete,
                            span.segment->ReadRecords(from_offset, span.frame_offset, span.position,
                                                      span.limit, max_records, &budget, &records));
    if (!complete) break;
  }
  return records;
}

uint64_t Partition::EndOffset() const {
  std::lock_guard<std::mutex> lock(mu_);
  return durable_end_;
}

uint64_t Partition::StartOffset() const {
  std::lock_guard<std::mutex> lock(mu_);
  return segments_.front()->base_offset();
}

void Partition::DeleteSegmentsBelow(uint64_t offset) {
  std::vector<std::shared_ptr<Segment>> doomed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    while (n + 1 < segments_.size() && segments_[n + 1]->base_offset() <= offset) ++n;
    doomed.assign(segments_.begin(), segments_.begin() + n);
    segments_.erase(segments_.begin(), segments_.begin() + n);
  }
  // Readers may still hold a segment; its file stays readable until they let go.
  for (const std::shared_ptr<Segment>& segment : doomed) {
    Status removed = options_.env->RemoveFile(segment->path());
    if (!removed.ok()) LogWarning("retention could not delete a segment: " + removed.message());
  }
}

void Partition::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
  }
  writer_wake_.notify_all();
  data_ready_.notify_all();
  std::lock_guard<std::mutex> join_lock(join_mu_);
  if (writer_.joinable() && writer_.get_id() != std::this_thread::get_id()) writer_.join();
}

}  // namespace hoglet::log
