#include "store/read_only_file.h"

#include <utility>

namespace hoglet::store {

StatusOr<ReadOnlyFile> ReadOnlyFile::Open(fs::Env* env, const std::string& path) {
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<fs::File> file,
                          env->OpenFile(path, fs::OpenMode::kReadOnly));
  HOGLET_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  return ReadOnlyFile(std::move(file), path, size);
}

StatusOr<std::string> ReadOnlyFile::ReadAt(uint64_t offset, uint64_t length) const {
  if (offset > size_ || length > size_ - offset) {
    return DataLossError("read past the end of " + path_ + " (corrupt index?)");
  }
  std::string out(length, '\0');
  HOGLET_ASSIGN_OR_RETURN(size_t read, file_->ReadAt(offset, length, out.data()));
  if (read != length) return DataLossError("unexpected end of " + path_);
  return out;
}

}  // namespace hoglet::store
