// Test helpers for the log: an Env that injects failures into segment files, and synchronous
// wrappers around the callback API.
#pragma once

#include <errno.h>
#include <string.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "log/env.h"
#include "log/event_log.h"

namespace hoglet::log::testing {

// Wraps Env::Default(). Faults apply only to segment files (names ending in ".seg"), so
// metadata and consumer offsets keep working. All switches are thread-safe.
class FaultEnv final : public Env {
 public:
  std::atomic<bool> fail_writes{false};     // WriteAt writes half, then fails with ENOSPC
  std::atomic<bool> fail_syncs{false};      // Sync fails with EIO
  std::atomic<bool> fail_truncates{false};  // Truncate fails with EIO
  std::atomic<bool> fail_creates{false};    // creating a segment file fails with ENOSPC
  std::atomic<bool> fail_allocates{false};  // reserving space fails with ENOSPC (disk full)
  std::atomic<int> syncs{0};                // successful segment syncs
  std::atomic<int> writes{0};               // segment WriteAt calls

  // While closed, segment syncs block until Open() (lets a test pile up pending appends).
  void CloseGate() {
    std::lock_guard<std::mutex> lock(mu_);
    gate_open_ = false;
  }
  void OpenGate() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      gate_open_ = true;
    }
    cv_.notify_all();
  }
  // Waits until a sync is blocked at the closed gate.
  void WaitForBlockedSync() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return blocked_ > 0; });
  }

  StatusOr<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override {
    if (!path.ends_with(".seg")) return base_->OpenFile(path, mode);
    if (fail_creates.load() && mode == OpenMode::kCreateTruncate) {
      return UnavailableError("open " + path + ": " + strerror(ENOSPC));
    }
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<File> file, base_->OpenFile(path, mode));
    return std::unique_ptr<File>(new FaultFile(this, path, std::move(file)));
  }
  Status CreateDir(const std::string& path) override { return base_->CreateDir(path); }
  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override {
    return base_->ListDir(path);
  }
  Status RemoveFile(const std::string& path) override { return base_->RemoveFile(path); }
  Status RenameFile(const std::string& from, const std::string& to) override {
    return base_->RenameFile(from, to);
  }
  Status SyncDir(const std::string& path) override { return base_->SyncDir(path); }
  bool FileExists(const std::string& path) override { return base_->FileExists(path); }
  StatusOr<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    return base_->LockFile(path);
  }

 private:
  class FaultFile final : public File {
   public:
    FaultFile(FaultEnv* env, std::string path, std::unique_ptr<File> base)
        : env_(env), path_(std::move(path)), base_(std::move(base)) {}
    StatusOr<size_t> ReadAt(uint64_t position, size_t n, char* buf) const override {
      return base_->ReadAt(position, n, buf);
    }
    Status WriteAt(uint64_t position, std::string_view data) override {
      ++env_->writes;
      if (env_->fail_writes.load()) {
        HOGLET_RETURN_IF_ERROR(base_->WriteAt(position, data.substr(0, data.size() / 2)));
        return UnavailableError("write " + path_ + ": " + strerror(ENOSPC));
      }
      return base_->WriteAt(position, data);
    }
    Status Sync() override {
      {
        std::unique_lock<std::mutex> lock(env_->mu_);
        ++env_->blocked_;
        env_->cv_.notify_all();
        env_->cv_.wait(lock, [this] { return env_->gate_open_; });
        --env_->blocked_;
      }
      if (env_->fail_syncs.load())
        return UnavailableError("fdatasync " + path_ + ": " + strerror(EIO));
      ++env_->syncs;
      return base_->Sync();
    }
    Status Truncate(uint64_t size) override {
      if (env_->fail_truncates.load()) {
        return UnavailableError("truncate " + path_ + ": " + strerror(EIO));
      }
      return base_->Truncate(size);
    }
    Status Allocate(uint64_t position, uint64_t length) override {
      if (env_->fail_allocates.load()) {
        return UnavailableError("reserve space in " + path_ + ": " + strerror(ENOSPC));
      }
      return base_->Allocate(position, length);
    }
    StatusOr<uint64_t> Size() const override { return base_->Size(); }

   private:
    FaultEnv* env_;
    std::string path_;
    std::unique_ptr<File> base_;
  };

  Env* base_ = Env::Default();
  std::mutex mu_;
  std::condition_variable cv_;
  bool gate_open_ = true;  // guarded by mu_
  int blocked_ = 0;        // guarded by mu_
};

// Appends and waits for the callback.
inline StatusOr<uint64_t> AppendAndWait(EventLog& log, int partition,
                                        std::vector<std::string> payloads) {
  auto promise = std::make_shared<std::promise<StatusOr<uint64_t>>>();
  auto future = promise->get_future();
  log.Append(partition, std::move(payloads),
             [promise](StatusOr<uint64_t> result) { promise->set_value(std::move(result)); });
  return future.get();
}

// Every record of `partition` from `from` to the current end.
inline StatusOr<std::vector<Record>> ReadAll(EventLog& log, int partition, uint64_t from = 0) {
  std::vector<Record> all;
  while (from < log.EndOffset(partition)) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<Record> batch,
                            log.Read(partition, from, 1000, 1 << 20, std::chrono::milliseconds(0)));
    if (batch.empty()) break;
    from = batch.back().offset + 1;
    for (Record& record : batch) all.push_back(std::move(record));
  }
  return all;
}

// The paths of the segment files of `partition_dir`, sorted (names sort by offset).
inline std::vector<std::string> SegmentFiles(const std::string& partition_dir) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(partition_dir)) {
    if (entry.path().extension() == ".seg") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace hoglet::log::testing
