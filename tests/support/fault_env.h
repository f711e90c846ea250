// An Env that injects failures (a write cut short by a full disk, fsync, truncate, create,
// reserve, rename and directory-sync errors) into the real file system's operations, for the
// crash-path tests of the log and the store.
#pragma once

#include <errno.h>
#include <string.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "fs/env.h"

namespace hoglet::testing {

// Wraps Env::Default(). File faults apply only to files whose path ends with `suffix` (the log's
// tests pass ".seg", so metadata and consumer offsets keep working); rename and directory-sync
// faults apply to every path. All switches are thread-safe.
class FaultEnv final : public fs::Env {
 public:
  explicit FaultEnv(std::string suffix = "") : suffix_(std::move(suffix)) {}

  std::atomic<bool> fail_writes{false};     // WriteAt writes half, then fails with ENOSPC
  std::atomic<bool> fail_syncs{false};      // Sync fails with EIO
  std::atomic<bool> fail_truncates{false};  // Truncate fails with EIO
  std::atomic<bool> fail_creates{false};    // creating a segment file fails with ENOSPC
  std::atomic<bool> fail_allocates{false};  // reserving space fails with ENOSPC (disk full)
  std::atomic<bool> fail_renames{false};    // RenameFile fails with EIO
  std::atomic<bool> fail_dir_syncs{false};  // SyncDir fails with EIO
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

  StatusOr<std::unique_ptr<fs::File>> OpenFile(const std::string& path,
                                               fs::OpenMode mode) override {
    if (!path.ends_with(suffix_)) return base_->OpenFile(path, mode);
    if (fail_creates.load() && mode == fs::OpenMode::kCreateTruncate) {
      return UnavailableError("open " + path + ": " + strerror(ENOSPC));
    }
    HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<fs::File> file, base_->OpenFile(path, mode));
    return std::unique_ptr<fs::File>(new FaultFile(this, path, std::move(file)));
  }
  Status CreateDir(const std::string& path) override { return base_->CreateDir(path); }
  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override {
    return base_->ListDir(path);
  }
  Status RemoveFile(const std::string& path) override { return base_->RemoveFile(path); }
  Status RemoveDir(const std::string& path) override { return base_->RemoveDir(path); }
  StatusOr<bool> IsDirectory(const std::string& path) override { return base_->IsDirectory(path); }
  Status RenameFile(const std::string& from, const std::string& to) override {
    if (fail_renames.load()) return UnavailableError("rename " + from + ": " + strerror(EIO));
    return base_->RenameFile(from, to);
  }
  Status SyncDir(const std::string& path) override {
    if (fail_dir_syncs.load()) return UnavailableError("fsync " + path + ": " + strerror(EIO));
    return base_->SyncDir(path);
  }
  bool FileExists(const std::string& path) override { return base_->FileExists(path); }
  StatusOr<std::unique_ptr<fs::FileLock>> LockFile(const std::string& path) override {
    return base_->LockFile(path);
  }

 private:
  class FaultFile final : public fs::File {
   public:
    FaultFile(FaultEnv* env, std::string path, std::unique_ptr<fs::File> base)
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
    std::unique_ptr<fs::File> base_;
  };

  const std::string suffix_;
  fs::Env* base_ = fs::Env::Default();
  std::mutex mu_;
  std::condition_variable cv_;
  bool gate_open_ = true;  // guarded by mu_
  int blocked_ = 0;        // guarded by mu_
};

}  // namespace hoglet::testing
