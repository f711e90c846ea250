#include "log/consumer_offsets.h"

#include <algorithm>
#include <cstring>

#include "log/crc32c.h"

namespace hoglet::log {
namespace {

constexpr std::string_view kMagic = "HOGLTOFS";
constexpr uint32_t kVersion = 1;
constexpr std::string_view kSuffix = ".offsets";
constexpr size_t kMaxNameBytes = 200;

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// Reads little-endian integers from a byte string, remembering whether it ran short.
class Cursor final {
 public:
  explicit Cursor(std::string_view data) : data_(data) {}
  bool U32(uint32_t* v) { return Take(4, v); }
  bool U64(uint64_t* v) { return Take(8, v); }
  bool Bytes(size_t n, std::string_view* out) {
    if (data_.size() - pos_ < n) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  size_t position() const { return pos_; }

 private:
  template <typename T>
  bool Take(size_t n, T* v) {
    if (data_.size() - pos_ < n) return false;
    T value = 0;
    for (size_t i = n; i-- > 0;) value = (value << 8) | static_cast<unsigned char>(data_[pos_ + i]);
    *v = value;
    pos_ += n;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
};

std::string Encode(std::string_view name, const std::vector<uint64_t>& offsets) {
  std::string out(kMagic);
  PutU32(&out, kVersion);
  PutU32(&out, static_cast<uint32_t>(name.size()));
  out.append(name);
  PutU32(&out, static_cast<uint32_t>(offsets.size()));
  for (uint64_t offset : offsets) PutU64(&out, offset);
  PutU32(&out, Crc32c(out));
  return out;
}

Status Decode(std::string_view data, const std::string& path, int partitions, std::string* name,
              std::vector<uint64_t>* offsets) {
  auto damaged = [&](std::string_view why) {
    return DataLossError(path + ": consumer offsets file is damaged (" + std::string(why) + ")");
  };
  if (data.size() < kMagic.size() + 4 || data.substr(0, kMagic.size()) != kMagic) {
    return damaged("bad magic");
  }
  const size_t body = data.size() - 4;
  Cursor crc_cursor(data.substr(body));
  uint32_t crc = 0;
  crc_cursor.U32(&crc);
  if (crc != Crc32c(data.substr(0, body))) return damaged("checksum mismatch");

  Cursor cursor(data.substr(kMagic.size(), body - kMagic.size()));
  uint32_t version = 0;
  uint32_t name_length = 0;
  uint32_t count = 0;
  std::string_view name_bytes;
  if (!cursor.U32(&version)) return damaged("truncated");
  if (version != kVersion) {
    return InvalidArgumentError(path + ": consumer offsets format version " +
                                std::to_string(version) + " is not supported");
  }
  if (!cursor.U32(&name_length) || !cursor.Bytes(name_length, &name_bytes) || !cursor.U32(&count)) {
    return damaged("truncated");
  }
  if (count != static_cast<uint32_t>(partitions)) {
    return DataLossError(path + ": records " + std::to_string(count) +
                         " partitions but the log has " + std::to_string(partitions));
  }
  offsets->assign(count, 0);
  for (uint64_t& offset : *offsets) {
    if (!cursor.U64(&offset)) return damaged("truncated");
  }
  *name = std::string(name_bytes);
  return Status::Ok();
}

bool IsPlain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

std::string ConsumerOffsets::FileNameFor(std::string_view consumer) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string name;
  for (size_t i = 0; i < consumer.size(); ++i) {
    char c = consumer[i];
    if (IsPlain(c) && !(i == 0 && c == '.')) {
      name.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      name.push_back('%');
      name.push_back(kHex[byte >> 4]);
      name.push_back(kHex[byte & 0xF]);
    }
  }
  return name + std::string(kSuffix);
}

ConsumerOffsets::ConsumerOffsets(fs::Env* env, std::string dir, int partitions, bool sync)
    : env_(env), dir_(std::move(dir)), partitions_(partitions), sync_(sync) {}

StatusOr<std::unique_ptr<ConsumerOffsets>> ConsumerOffsets::Open(fs::Env* env, const std::string& dir,
                                                                 int partitions, bool sync) {
  HOGLET_RETURN_IF_ERROR(env->CreateDir(dir));
  std::unique_ptr<ConsumerOffsets> store(new ConsumerOffsets(env, dir, partitions, sync));
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  for (const std::string& file_name : names) {
    const std::string path = dir + "/" + file_name;
    if (file_name.ends_with(".tmp")) {  // a commit cut short; the old file is still in force
      (void)env->RemoveFile(path);
      continue;
    }
    if (!file_name.ends_with(kSuffix)) continue;
    HOGLET_ASSIGN_OR_RETURN(std::string data, fs::ReadFileToString(env, path));
    std::string name;
    std::vector<uint64_t> offsets;
    HOGLET_RETURN_IF_ERROR(Decode(data, path, partitions, &name, &offsets));
    if (FileNameFor(name) != file_name) {
      return DataLossError(path + ": holds the offsets of consumer \"" + name +
                           "\", which belong in " + FileNameFor(name));
    }
    store->offsets_[name] = std::move(offsets);
  }
  return store;
}

Status ConsumerOffsets::Commit(std::string_view consumer, int partition, uint64_t next_offset) {
  if (consumer.empty() || consumer.size() > kMaxNameBytes) {
    return InvalidArgumentError("a consumer name must have 1 to " + std::to_string(kMaxNameBytes) +
                                " bytes");
  }
  if (partition < 0 || partition >= partitions_) {
    return InvalidArgumentError("partition " + std::to_string(partition) + " is out of range");
  }
  std::lock_guard<std::mutex> write_lock(write_mu_);
  std::vector<uint64_t> offsets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = offsets_.find(consumer);
    offsets = it != offsets_.end() ? it->second : std::vector<uint64_t>(partitions_, 0);
  }
  offsets[partition] = next_offset;
  HOGLET_RETURN_IF_ERROR(fs::WriteFileAtomically(env_, dir_ + "/" + FileNameFor(consumer),
                                             Encode(consumer, offsets), sync_));
  std::lock_guard<std::mutex> lock(mu_);
  offsets_[std::string(consumer)] = std::move(offsets);
  return Status::Ok();
}

uint64_t ConsumerOffsets::Committed(std::string_view consumer, int partition) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = offsets_.find(consumer);
  if (it == offsets_.end() || partition < 0 || partition >= partitions_) return 0;
  return it->second[partition];
}

std::optional<uint64_t> ConsumerOffsets::MinCommitted(int partition) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<uint64_t> min;
  for (const auto& [name, offsets] : offsets_) {
    if (partition < 0 || partition >= partitions_) break;
    min = std::min(min.value_or(UINT64_MAX), offsets[partition]);
  }
  return min;
}

}  // namespace hoglet::log
