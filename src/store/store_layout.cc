#include "store/store_layout.h"

#include <sys/stat.h>

#include <cstdio>

#include "base/time_format.h"
#include "store/byte_codec.h"

namespace hoglet::store {
namespace {

constexpr uint32_t kOffsetsMagic = 0x464f4748;  // "HGOF" little-endian
constexpr uint32_t kOffsetsVersion = 1;

}  // namespace

std::string TeamDir(const std::string& root, int64_t team_id) {
  return root + "/team-" + std::to_string(team_id);
}

std::string DayName(int64_t day) {
  int64_t year;
  unsigned month, mday;
  CivilFromDays(day, &year, &month, &mday);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(year), month, mday);
  return buf;
}

std::string DayDir(const std::string& root, int64_t team_id, int64_t day) {
  return TeamDir(root, team_id) + "/" + DayName(day);
}

std::string PartDirName(uint64_t part_id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(part_id));
  return std::string(kPartPrefix) + buf;
}

std::string TmpPartDirName(uint64_t part_id) { return "tmp-" + PartDirName(part_id); }

std::optional<uint64_t> ParsePartDirName(std::string_view name) {
  if (name.substr(0, kPartPrefix.size()) != kPartPrefix) return std::nullopt;
  name.remove_prefix(kPartPrefix.size());
  if (name.empty() || name.size() > 20) return std::nullopt;
  uint64_t id = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + static_cast<uint64_t>(c - '0');
  }
  return id;
}

StatusOr<std::map<int, uint64_t>> ReadOffsetsFile(fs::Env* env, const std::string& root) {
  std::string path = root + "/" + std::string(kOffsetsFile);
  std::map<int, uint64_t> offsets;
  if (!env->FileExists(path)) return offsets;
  HOGLET_ASSIGN_OR_RETURN(std::string data, fs::ReadFileToString(env, path));
  if (data.size() < 12) return DataLossError("offsets file " + path + " is truncated");
  ByteReader crc_reader(std::string_view(data).substr(data.size() - 4));
  uint32_t crc = 0;
  if (!crc_reader.GetFixed32(&crc) ||
      crc != Crc32(std::string_view(data).substr(0, data.size() - 4))) {
    return DataLossError("offsets file " + path + " fails its checksum");
  }
  ByteReader r(std::string_view(data).substr(0, data.size() - 4));
  uint32_t magic = 0, version = 0;
  uint64_t count = 0;
  if (!r.GetFixed32(&magic) || magic != kOffsetsMagic || !r.GetFixed32(&version) ||
      version != kOffsetsVersion || !r.GetVarint(&count) || count > r.remaining()) {
    return DataLossError("offsets file " + path + " has a bad header");
  }
  for (uint64_t i = 0; i < count; ++i) {
    int64_t partition;
    uint64_t next;
    if (!r.GetSignedVarint(&partition) || !r.GetVarint(&next)) {
      return DataLossError("offsets file " + path + " is truncated");
    }
    offsets[static_cast<int>(partition)] = next;
  }
  return offsets;
}

Status WriteOffsetsFile(fs::Env* env, const std::string& root,
                        const std::map<int, uint64_t>& offsets, bool sync) {
  ByteWriter w;
  w.PutFixed32(kOffsetsMagic);
  w.PutFixed32(kOffsetsVersion);
  w.PutVarint(offsets.size());
  for (const auto& [partition, next] : offsets) {
    w.PutSignedVarint(partition);
    w.PutVarint(next);
  }
  w.PutFixed32(Crc32(w.data()));
  std::string path = root + "/" + std::string(kOffsetsFile);
  return fs::WriteFileAtomically(env, path, w.data(), sync);
}

Status RemovePartDir(fs::Env* env, const std::string& part_dir) {
  size_t slash = part_dir.find_last_of('/');
  std::string parent = slash == std::string::npos ? "." : part_dir.substr(0, slash);
  std::string name = slash == std::string::npos ? part_dir : part_dir.substr(slash + 1);
  std::optional<uint64_t> id = ParsePartDirName(name);
  if (!id) return InternalError("not a part directory: " + part_dir);
  std::string doomed = parent + "/" + TmpPartDirName(*id);
  HOGLET_RETURN_IF_ERROR(env->RenameFile(part_dir, doomed));
  return fs::RemoveTree(env, doomed);
}

}  // namespace hoglet::store
