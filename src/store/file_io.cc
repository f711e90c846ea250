#include "store/file_io.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

namespace hoglet::store {
namespace {

Status IoError(std::string_view what, const std::string& path, int err) {
  return UnavailableError(std::string(what) + " " + path + ": " + strerror(err));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write", path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

StatusOr<ReadOnlyFile> ReadOnlyFile::Open(const std::string& path) {
  ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return IoError("open", path, errno);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return IoError("stat", path, errno);
  return ReadOnlyFile(std::move(fd), path, static_cast<uint64_t>(st.st_size));
}

StatusOr<std::string> ReadOnlyFile::ReadAt(uint64_t offset, uint64_t length) const {
  if (offset > size_ || length > size_ - offset) {
    return DataLossError("read past the end of " + path_ + " (corrupt index?)");
  }
  std::string out(length, '\0');
  uint64_t done = 0;
  while (done < length) {
    ssize_t n =
        ::pread(fd_.get(), out.data() + done, length - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("read", path_, errno);
    }
    if (n == 0) return DataLossError("unexpected end of " + path_);
    done += static_cast<uint64_t>(n);
  }
  return out;
}

Status WriteWholeFile(const std::string& path, std::string_view data, bool sync) {
  ScopedFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!fd.valid()) return IoError("create", path, errno);
  HOGLET_RETURN_IF_ERROR(WriteAll(fd.get(), data, path));
  if (sync && ::fsync(fd.get()) != 0) return IoError("fsync", path, errno);
  return Status::Ok();
}

Status AppendToFile(const std::string& path, std::string_view data) {
  ScopedFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (!fd.valid()) return IoError("open", path, errno);
  return WriteAll(fd.get(), data, path);
}

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  HOGLET_ASSIGN_OR_RETURN(ReadOnlyFile file, ReadOnlyFile::Open(path));
  return file.ReadAt(0, file.size());
}

Status SyncPath(const std::string& path) {
  ScopedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return IoError("open", path, errno);
  if (::fsync(fd.get()) != 0) return IoError("fsync", path, errno);
  return Status::Ok();
}

Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return UnavailableError("mkdir " + path + ": " + ec.message());
  return Status::Ok();
}

Status RenamePath(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return IoError("rename to " + to, from, errno);
  return Status::Ok();
}

StatusOr<std::vector<std::string>> ListDir(const std::string& path) {
  std::vector<std::string> names;
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    if (errno == ENOENT) return names;
    return IoError("opendir", path, errno);
  }
  while (struct dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  ::closedir(dir);
  return names;
}

Status RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return UnavailableError("remove " + path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace hoglet::store
