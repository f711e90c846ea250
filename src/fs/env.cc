#include "fs/env.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace hoglet::fs {
namespace {

Status ErrnoStatus(std::string_view what, const std::string& path, int err) {
  std::string message = std::string(what) + " " + path + ": " + strerror(err);
  if (err == ENOENT) return NotFoundError(std::move(message));
  return UnavailableError(std::move(message));
}

// Owns one descriptor; closes it on destruction.
class ScopedFd final {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class PosixFile final : public File {
 public:
  PosixFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  StatusOr<size_t> ReadAt(uint64_t position, size_t n, char* buf) const override {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::pread(fd_.get(), buf + done, n - done, static_cast<off_t>(position + done));
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read", path_, errno);
      }
      if (r == 0) break;
      done += static_cast<size_t>(r);
    }
    return done;
  }

  Status WriteAt(uint64_t position, std::string_view data) override {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t w = ::pwrite(fd_.get(), data.data() + done, data.size() - done,
                           static_cast<off_t>(position + done));
      if (w < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write", path_, errno);
      }
      done += static_cast<size_t>(w);
    }
    return Status::Ok();
  }

  Status Sync() override {
    while (::fdatasync(fd_.get()) != 0) {
      if (errno != EINTR) return ErrnoStatus("fdatasync", path_, errno);
    }
    return Status::Ok();
  }

  Status Truncate(uint64_t size) override {
    while (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) {
      if (errno != EINTR) return ErrnoStatus("truncate", path_, errno);
    }
    return Status::Ok();
  }

  Status Allocate(uint64_t position, uint64_t length) override {
    while (::fallocate(fd_.get(), FALLOC_FL_KEEP_SIZE, static_cast<off_t>(position),
                       static_cast<off_t>(length)) != 0) {
      if (errno == EINTR) continue;
      if (errno == EOPNOTSUPP || errno == ENOSYS) return Status::Ok();  // cannot reserve here
      return ErrnoStatus("reserve space in", path_, errno);
    }
    return Status::Ok();
  }

  StatusOr<uint64_t> Size() const override {
    struct stat st;
    if (::fstat(fd_.get(), &st) != 0) return ErrnoStatus("stat", path_, errno);
    return static_cast<uint64_t>(st.st_size);
  }

 private:
  const std::string path_;
  ScopedFd fd_;
};

class PosixFileLock final : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}  // closing the descriptor releases the lock

 private:
  ScopedFd fd_;
};

class PosixEnv final : public Env {
 public:
  StatusOr<std::unique_ptr<File>> OpenFile(const std::string& path, OpenMode mode) override {
    int flags = mode == OpenMode::kReadOnly ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CLOEXEC;
    if (mode == OpenMode::kCreate) flags |= O_CREAT;
    if (mode == OpenMode::kCreateTruncate) flags |= O_CREAT | O_TRUNC;
    int fd;
    do {
      fd = ::open(path.c_str(), flags, 0644);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    return std::unique_ptr<File>(new PosixFile(path, fd));
  }

  Status CreateDir(const std::string& path) override {
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", path, errno);
    }
    return Status::Ok();
  }

  StatusOr<std::vector<std::string>> ListDir(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return ErrnoStatus("opendir", path, errno);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* entry = ::readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    int err = errno;
    ::closedir(dir);
    if (err != 0) return ErrnoStatus("readdir", path, err);
    return names;
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus("unlink", path, errno);
    return Status::Ok();
  }

  Status RemoveDir(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return ErrnoStatus("rmdir", path, errno);
    return Status::Ok();
  }

  StatusOr<bool> IsDirectory(const std::string& path) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
    return S_ISDIR(st.st_mode);
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("rename to " + to, from, errno);
    return Status::Ok();
  }

  Status SyncDir(const std::string& path) override {
    int raw = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (raw < 0) return ErrnoStatus("open directory", path, errno);
    ScopedFd fd(raw);
    if (::fsync(fd.get()) != 0) return ErrnoStatus("fsync directory", path, errno);
    return Status::Ok();
  }

  bool FileExists(const std::string& path) override { return ::access(path.c_str(), F_OK) == 0; }

  StatusOr<std::unique_ptr<FileLock>> LockFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("open lock file", path, errno);
    auto lock = std::make_unique<PosixFileLock>(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int err = errno;
      if (err == EWOULDBLOCK) {
        return UnavailableError(path + " is locked: another log has this directory open");
      }
      return ErrnoStatus("lock", path, err);
    }
    return std::unique_ptr<FileLock>(std::move(lock));
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never destroyed: used until process exit
  return env;
}

Status WriteFile(Env* env, const std::string& path, std::string_view contents, bool sync) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<File> file,
                          env->OpenFile(path, OpenMode::kCreateTruncate));
  HOGLET_RETURN_IF_ERROR(file->WriteAt(0, contents));
  if (sync) HOGLET_RETURN_IF_ERROR(file->Sync());
  return Status::Ok();
}

Status WriteFileAtomically(Env* env, const std::string& path, std::string_view contents,
                           bool sync) {
  const std::string tmp = path + ".tmp";
  HOGLET_RETURN_IF_ERROR(WriteFile(env, tmp, contents, sync));
  HOGLET_RETURN_IF_ERROR(env->RenameFile(tmp, path));
  if (sync) HOGLET_RETURN_IF_ERROR(env->SyncDir(DirName(path)));
  return Status::Ok();
}

Status MakeDirs(Env* env, const std::string& path) {
  if (path.empty() || env->FileExists(path)) return Status::Ok();
  const std::string parent = DirName(path);
  if (parent != path) HOGLET_RETURN_IF_ERROR(MakeDirs(env, parent));
  return env->CreateDir(path);
}

Status RemoveTree(Env* env, const std::string& path) {
  StatusOr<bool> is_dir = env->IsDirectory(path);
  if (is_dir.status().code() == StatusCode::kNotFound) return Status::Ok();
  HOGLET_RETURN_IF_ERROR(is_dir.status());
  if (!*is_dir) return env->RemoveFile(path);
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(path));
  for (const std::string& name : names) HOGLET_RETURN_IF_ERROR(RemoveTree(env, path + "/" + name));
  return env->RemoveDir(path);
}

StatusOr<std::string> ReadFileToString(Env* env, const std::string& path) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<File> file, env->OpenFile(path, OpenMode::kReadOnly));
  HOGLET_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  std::string contents(size, '\0');
  HOGLET_ASSIGN_OR_RETURN(size_t read, file->ReadAt(0, contents.size(), contents.data()));
  contents.resize(read);
  return contents;
}

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace hoglet::fs
