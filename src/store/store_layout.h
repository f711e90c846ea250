// Where the store keeps things under its root directory, and the offsets file.
//
//   <root>/offsets                                    log positions of Appends that stored
//                                                     no rows (all duplicates or empty)
//   <root>/team-<team_id>/<yyyy-mm-dd>/part-<id>/     a published part (id: 20 decimal digits)
//   <root>/team-<team_id>/<yyyy-mm-dd>/tmp-part-<id>/ a part being written; never read, removed
//                                                     at open
//
// offsets file: u32 magic "HGOF" | u32 version 1 | varint count | count × (zig-zag partition,
// varint next_offset) | u32 CRC-32 of the preceding bytes. Replaced atomically (write
// offsets.tmp, fsync, rename, fsync root).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "fs/env.h"

namespace hoglet::store {

inline constexpr std::string_view kOffsetsFile = "offsets";
inline constexpr std::string_view kPartPrefix = "part-";
inline constexpr std::string_view kTmpPartPrefix = "tmp-part-";

std::string TeamDir(const std::string& root, int64_t team_id);
// "yyyy-mm-dd" of a UTC day number.
std::string DayName(int64_t day);
std::string DayDir(const std::string& root, int64_t team_id, int64_t day);
std::string PartDirName(uint64_t part_id);
std::string TmpPartDirName(uint64_t part_id);
// The id in a "part-<id>" name; nullopt for any other name.
std::optional<uint64_t> ParsePartDirName(std::string_view name);

// Removes a published part directory. It is first renamed to its tmp-part- name, so a crash
// midway leaves a directory that recovery deletes, never a part missing some of its files.
Status RemovePartDir(fs::Env* env, const std::string& part_dir);

// The offsets file: partition → next_offset. A missing file reads as empty; a corrupt one is
// kDataLoss.
StatusOr<std::map<int, uint64_t>> ReadOffsetsFile(fs::Env* env, const std::string& root);
Status WriteOffsetsFile(fs::Env* env, const std::string& root,
                        const std::map<int, uint64_t>& offsets, bool sync);

}  // namespace hoglet::store
