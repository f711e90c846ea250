#include "log/wal_log.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

#include "log/consumer_offsets.h"
#include "fs/env.h"
#include "log/partition.h"
#include "log/wal_metadata.h"

namespace hoglet::log {
namespace {

constexpr int kMaxPartitions = 1 << 16;

std::string PartitionDir(const std::string& dir, int partition) {
  char name[32];
  std::snprintf(name, sizeof(name), "partition-%03d", partition);
  return dir + "/" + name;
}

Status CreateDirs(fs::Env* env, const std::string& dir) {
  for (size_t slash = dir.find('/', 1); slash != std::string::npos;
       slash = dir.find('/', slash + 1)) {
    HOGLET_RETURN_IF_ERROR(env->CreateDir(dir.substr(0, slash)));
  }
  return env->CreateDir(dir);
}

Status ValidateOptions(const WalOptions& options) {
  if (options.dir.empty()) return InvalidArgumentError("the event log needs a directory");
  if (options.partitions < 1 || options.partitions > kMaxPartitions) {
    return InvalidArgumentError("the event log needs 1 to " + std::to_string(kMaxPartitions) +
                                " partitions, not " + std::to_string(options.partitions));
  }
  if (options.segment_bytes == 0 || options.max_pending_bytes == 0) {
    return InvalidArgumentError("segment_bytes and max_pending_bytes must be positive");
  }
  return Status::Ok();
}

// Checks the partition count recorded at creation, or records it for a new directory.
Status CheckOrWriteMetadata(fs::Env* env, const WalOptions& options) {
  const std::string path = options.dir + "/META";
  if (env->FileExists(path)) {
    HOGLET_ASSIGN_OR_RETURN(std::string data, fs::ReadFileToString(env, path));
    HOGLET_ASSIGN_OR_RETURN(int partitions, DecodeWalMetadata(data, path));
    if (partitions != options.partitions) {
      return InvalidArgumentError(options.dir + " was created with " + std::to_string(partitions) +
                                  " partitions; opening it with " +
                                  std::to_string(options.partitions) +
                                  " would move existing keys to other partitions");
    }
    return Status::Ok();
  }
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(options.dir));
  for (const std::string& name : names) {
    if (name.starts_with("partition-")) {
      return DataLossError(path + " is missing but " + options.dir +
                           " holds partitions; restore the file or move the data away");
    }
  }
  return fs::WriteFileAtomically(env, path, EncodeWalMetadata(options.partitions), options.fsync);
}

class WalLog final : public EventLog {
 public:
  WalLog(std::unique_ptr<fs::FileLock> lock, std::vector<std::unique_ptr<Partition>> partitions,
         std::unique_ptr<ConsumerOffsets> offsets)
      : lock_(std::move(lock)), partitions_(std::move(partitions)), offsets_(std::move(offsets)) {}

  ~WalLog() override { Close(); }

  int partition_count() const override { return static_cast<int>(partitions_.size()); }

  void Append(int partition, std::vector<std::string> payloads, AppendCallback done) override {
    if (!ValidPartition(partition)) {
      done(InvalidArgumentError("partition " + std::to_string(partition) + " is out of range"));
      return;
    }
    partitions_[partition]->Append(std::move(payloads), std::move(done));
  }

  void AppendAll(std::vector<PartitionAppend> appends, AppendAllCallback done) override {
    // Reserve every part first (in partition order, so concurrent requests claim alike), and
    // queue any only once all are reserved.
    std::sort(appends.begin(), appends.end(),
              [](const PartitionAppend& a, const PartitionAppend& b) {
                return a.partition < b.partition;
              });
    std::vector<size_t> bytes;
    Status refused;
    for (const PartitionAppend& append : appends) {
      if (!ValidPartition(append.partition)) {
        refused = InvalidArgumentError("partition " + std::to_string(append.partition) +
                                       " is out of range");
        break;
      }
      Partition& partition = *partitions_[append.partition];
      StatusOr<size_t> size = partition.AppendBytes(append.payloads);
      if (size.ok()) refused = partition.Reserve(*size);
      if (!size.ok()) refused = size.status();
      if (!refused.ok()) break;
      bytes.push_back(*size);
    }
    if (!refused.ok()) {
      for (size_t i = 0; i < bytes.size(); ++i) {
        partitions_[appends[i].partition]->Unreserve(bytes[i]);
      }
      return done(std::move(refused));
    }
    if (appends.empty()) return done(Status::Ok());

    struct Outcome {
      std::atomic<size_t> remaining;
      std::mutex mu;
      Status first_error;  // guarded by mu
      AppendAllCallback done;
    };
    auto outcome = std::make_shared<Outcome>();
    outcome->remaining = appends.size();
    outcome->done = std::move(done);
    for (size_t i = 0; i < appends.size(); ++i) {
      partitions_[appends[i].partition]->AppendReserved(
          std::move(appends[i].payloads), bytes[i], [outcome](StatusOr<uint64_t> result) {
            if (!result.ok()) {
              std::lock_guard<std::mutex> lock(outcome->mu);
              if (outcome->first_error.ok()) outcome->first_error = result.status();
            }
            if (outcome->remaining.fetch_sub(1) != 1) return;
            std::lock_guard<std::mutex> lock(outcome->mu);
            outcome->done(outcome->first_error);
          });
    }
  }

  StatusOr<std::vector<Record>> Read(int partition, uint64_t from_offset, size_t max_records,
                                     size_t max_bytes, std::chrono::milliseconds wait) override {
    if (!ValidPartition(partition)) {
      return InvalidArgumentError("partition " + std::to_string(partition) + " is out of range");
    }
    return partitions_[partition]->Read(from_offset, max_records, max_bytes, wait);
  }

  uint64_t EndOffset(int partition) const override {
    return ValidPartition(partition) ? partitions_[partition]->EndOffset() : 0;
  }

  Status Commit(std::string_view consumer, int partition, uint64_t next_offset) override {
    if (closed_.load()) return UnavailableError("the event log is closed");
    if (!ValidPartition(partition)) {
      return InvalidArgumentError("partition " + std::to_string(partition) + " is out of range");
    }
    const uint64_t end = partitions_[partition]->EndOffset();
    if (next_offset > end) {
      return InvalidArgumentError("cannot commit offset " + std::to_string(next_offset) +
                                  " of partition " + std::to_string(partition) +
                                  ": the log ends at " + std::to_string(end));
    }
    HOGLET_RETURN_IF_ERROR(offsets_->Commit(consumer, partition, next_offset));
    ApplyRetention(partition);
    return Status::Ok();
  }

  uint64_t Committed(std::string_view consumer, int partition) const override {
    return offsets_->Committed(consumer, partition);
  }

  void Close() override {
    closed_.store(true);
    for (const std::unique_ptr<Partition>& partition : partitions_) partition->Close();
  }

  void ApplyRetention(int partition) {
    std::optional<uint64_t> min = offsets_->MinCommitted(partition);
    if (min.has_value()) partitions_[partition]->DeleteSegmentsBelow(*min);
  }

 private:
  bool ValidPartition(int partition) const {
    return partition >= 0 && partition < partition_count();
  }

  const std::unique_ptr<fs::FileLock> lock_;  // released last, after the partitions are closed
  const std::vector<std::unique_ptr<Partition>> partitions_;
  const std::unique_ptr<ConsumerOffsets> offsets_;
  std::atomic<bool> closed_{false};
};

}  // namespace

StatusOr<std::unique_ptr<EventLog>> OpenWalLog(const WalOptions& options) {
  HOGLET_RETURN_IF_ERROR(ValidateOptions(options));
  fs::Env* env = options.env != nullptr ? options.env : fs::Env::Default();
  HOGLET_RETURN_IF_ERROR(CreateDirs(env, options.dir));
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<fs::FileLock> lock, env->LockFile(options.dir + "/LOCK"));
  HOGLET_RETURN_IF_ERROR(CheckOrWriteMetadata(env, options));

  std::vector<std::unique_ptr<Partition>> partitions;
  for (int i = 0; i < options.partitions; ++i) {
    PartitionOptions partition_options;
    partition_options.env = env;
    partition_options.dir = PartitionDir(options.dir, i);
    partition_options.segment_bytes = options.segment_bytes;
    partition_options.max_pending_bytes = options.max_pending_bytes;
    partition_options.sync = options.fsync;
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<Partition> partition,
                            Partition::Open(partition_options));
    partitions.push_back(std::move(partition));
  }
  HOGLET_ASSIGN_OR_RETURN(
      std::unique_ptr<ConsumerOffsets> offsets,
      ConsumerOffsets::Open(env, options.dir + "/consumers", options.partitions, options.fsync));
  auto log = std::make_unique<WalLog>(std::move(lock), std::move(partitions), std::move(offsets));
  // A crash between a commit and its deletions leaves consumed segments behind.
  for (int i = 0; i < options.partitions; ++i) log->ApplyRetention(i);
  return std::unique_ptr<EventLog>(std::move(log));
}

}  // namespace hoglet::log
