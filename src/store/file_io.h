// Small POSIX file helpers for the store: RAII descriptors, whole-file and ranged I/O, fsync of
// files and directories, directory listing and removal.
//
// Every error is kUnavailable (the disk refused) with the path and errno text in the message,
// except a short read of a range the caller believed present, which is kDataLoss. All functions
// are thread-safe (they share no state).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::store {

// Owns one file descriptor; closes it on destruction.
class ScopedFd final {
 public:
  ScopedFd() = default;
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd();
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.release()) {}
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// A file opened read-only, for positioned reads from several threads at once.
class ReadOnlyFile final {
 public:
  static StatusOr<ReadOnlyFile> Open(const std::string& path);

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Reads exactly `length` bytes at `offset`; kDataLoss when the file is shorter.
  StatusOr<std::string> ReadAt(uint64_t offset, uint64_t length) const;

 private:
  ReadOnlyFile(ScopedFd fd, std::string path, uint64_t size)
      : fd_(std::move(fd)), path_(std::move(path)), size_(size) {}

  ScopedFd fd_;
  std::string path_;
  uint64_t size_ = 0;
};

// Creates or truncates `path` and writes `data`; fsyncs the file when `sync`.
Status WriteWholeFile(const std::string& path, std::string_view data, bool sync);
// Appends `data` to `path`, creating it if missing (no fsync).
Status AppendToFile(const std::string& path, std::string_view data);
// Reads a whole file.
StatusOr<std::string> ReadWholeFile(const std::string& path);
// fsync of a file or a directory (a directory fsync makes renames and creations in it durable).
Status SyncPath(const std::string& path);
// mkdir -p.
Status MakeDirs(const std::string& path);
// rename(2): atomic replacement within one file system.
Status RenamePath(const std::string& from, const std::string& to);
// Names of the entries of a directory (no "." or ".."); an empty list when it does not exist.
StatusOr<std::vector<std::string>> ListDir(const std::string& path);
// Removes a file or a directory tree; a missing path is not an error.
Status RemoveTree(const std::string& path);

}  // namespace hoglet::store
