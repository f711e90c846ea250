// A file of a part opened read-only through the file-system seam (fs/env.h), for positioned reads
// from several threads at once (parts are immutable once published).
//
// Errors: the Env's for opening (kNotFound, kUnavailable); kDataLoss for a read of a range past
// the end of the file, which only a corrupt index asks for.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "fs/env.h"

namespace hoglet::store {

class ReadOnlyFile final {
 public:
  static StatusOr<ReadOnlyFile> Open(fs::Env* env, const std::string& path);

  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Reads exactly `length` bytes at `offset`.
  StatusOr<std::string> ReadAt(uint64_t offset, uint64_t length) const;

 private:
  ReadOnlyFile(std::unique_ptr<fs::File> file, std::string path, uint64_t size)
      : file_(std::move(file)), path_(std::move(path)), size_(size) {}

  std::unique_ptr<fs::File> file_;
  std::string path_;
  uint64_t size_ = 0;
};

}  // namespace hoglet::store
