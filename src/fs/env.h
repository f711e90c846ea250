// The file-system seam (after LevelDB's Env): every byte the log and the store read or write and
// every directory operation goes through an `Env`, so tests can wrap the real one and inject
// failures (ENOSPC on write, EIO on fsync, short writes) without a special file system.
//
// Example:
//   Env* env = Env::Default();
//   HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<File> file, env->OpenFile(path, OpenMode::kCreate));
//   HOGLET_RETURN_IF_ERROR(file->WriteAt(0, bytes));
//   HOGLET_RETURN_IF_ERROR(file->Sync());
//
// Errors: every I/O failure is kUnavailable with the path and strerror in the message (the disk
// cannot take work now), except a missing file or directory, which is kNotFound.
//
// Ownership and threads: Env::Default() is a process-wide singleton and thread-safe. A `File`
// owns its descriptor (closed in the destructor); ReadAt may run concurrently with WriteAt and
// other ReadAt calls on the same File (pread/pwrite); Sync and Truncate are not to be called
// concurrently with WriteAt.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace hoglet::fs {

class File {
 public:
  virtual ~File() = default;

  // Reads up to `n` bytes at byte `position` into `buf`; returns how many were read (fewer only
  // at end of file).
  virtual StatusOr<size_t> ReadAt(uint64_t position, size_t n, char* buf) const = 0;
  // Writes all of `data` at byte `position` (retrying short writes).
  virtual Status WriteAt(uint64_t position, std::string_view data) = 0;
  // Makes written data and the file size durable (fdatasync).
  virtual Status Sync() = 0;
  // Sets the file size to `size` bytes. Blocks reserved past `size` by Allocate are released.
  virtual Status Truncate(uint64_t size) = 0;
  // Reserves disk blocks for bytes [position, position + length) without changing the file
  // size, so writes there later cannot fail for want of space. kUnavailable (ENOSPC) when the
  // disk cannot hold them. On a file system that cannot reserve (no fallocate), succeeds
  // without reserving. May run concurrently with WriteAt and ReadAt.
  virtual Status Allocate(uint64_t position, uint64_t length) = 0;
  virtual StatusOr<uint64_t> Size() const = 0;
};

// An exclusive advisory lock on a file, held until destruction.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

enum class OpenMode {
  kReadOnly,        // an existing file, for reading only
  kReadWrite,       // an existing file, for reading and writing
  kCreate,          // created if missing, kept otherwise, for reading and writing
  kCreateTruncate,  // created if missing, emptied otherwise, for reading and writing
};

class Env {
 public:
  virtual ~Env() = default;

  // The real POSIX file system.
  static Env* Default();

  virtual StatusOr<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) = 0;
  // Creates `path` (one level) if it does not exist.
  virtual Status CreateDir(const std::string& path) = 0;
  // The names (not paths) of the entries of `path`, without "." and "..", unordered.
  virtual StatusOr<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Removes an empty directory.
  virtual Status RemoveDir(const std::string& path) = 0;
  // Whether `path` is a directory (kNotFound when it does not exist).
  virtual StatusOr<bool> IsDirectory(const std::string& path) = 0;
  // Atomically replaces `to` by `from`.
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // Makes the directory's entries (created, renamed, removed files) durable.
  virtual Status SyncDir(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  // Takes an exclusive lock on `path` (created if missing); kUnavailable if another open log,
  // in this process or another, holds it.
  virtual StatusOr<std::unique_ptr<FileLock>> LockFile(const std::string& path) = 0;
};

// Replaces `path` with `contents` so that a crash leaves either the old or the new file: writes
// `path`.tmp, syncs it, renames it over `path` and syncs the directory. With `sync` false the
// two syncs are skipped (tests and benchmarks only).
Status WriteFileAtomically(Env* env, const std::string& path, std::string_view contents, bool sync);

// Creates or empties `path` and writes `contents`; with `sync` the file is made durable (not its
// directory entry: sync the directory too when that matters).
Status WriteFile(Env* env, const std::string& path, std::string_view contents, bool sync);

// Creates `path` and its missing parents (mkdir -p).
Status MakeDirs(Env* env, const std::string& path);

// Removes a file or a directory and everything in it; a missing path is not an error.
Status RemoveTree(Env* env, const std::string& path);

// The whole contents of `path`.
StatusOr<std::string> ReadFileToString(Env* env, const std::string& path);

// The directory part of `path` ("." when it has none).
std::string DirName(const std::string& path);

}  // namespace hoglet::fs
