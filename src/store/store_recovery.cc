#include "store/store_recovery.h"

#include <algorithm>
#include <set>

#include "base/logging.h"
#include "store/store_layout.h"

namespace hoglet::store {
namespace {

Status SeedDedupe(std::vector<std::shared_ptr<const Part>> parts, int64_t cutoff_us,
                  UuidDedupe* dedupe) {
  std::erase_if(parts, [cutoff_us](const auto& p) { return p->meta().written_at_us < cutoff_us; });
  // Oldest first, so that when the cap bites the FIFO keeps the newest parts' rows.
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) {
    return a->meta().written_at_us < b->meta().written_at_us;
  });
  uint64_t total = 0;
  for (const auto& p : parts) total += p->meta().row_count;
  for (const auto& part : parts) {
    // Parts that would be evicted entirely are not read at all.
    if (total > dedupe->max_entries() && total - part->meta().row_count >= dedupe->max_entries()) {
      total -= part->meta().row_count;
      continue;
    }
    HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<const ColumnIndex> index, part->TimestampIndex());
    PartCursor cursor(*part);
    for (size_t block = 0; block < index->blocks.size(); ++block) {
      HOGLET_ASSIGN_OR_RETURN(std::vector<Uuid> uuids, cursor.Uuids(block));
      for (const Uuid& u : uuids) dedupe->Insert(part->meta().team_id, u);
    }
  }
  return Status::Ok();
}

Status RecoverDay(fs::Env* env, const std::string& dir, const std::shared_ptr<BlockCache>& blocks,
                  RecoveredStore* out, std::vector<std::shared_ptr<const Part>>* all_parts) {
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  std::vector<std::shared_ptr<const Part>> parts;
  for (const std::string& name : names) {
    std::string path = dir + "/" + name;
    if (name.starts_with(kTmpPartPrefix)) {
      LogInfo("removing unfinished part " + path + " left by an interrupted write or merge");
      HOGLET_RETURN_IF_ERROR(fs::RemoveTree(env, path));
      continue;
    }
    std::optional<uint64_t> id = ParsePartDirName(name);
    if (!id) continue;  // not ours; leave it alone
    HOGLET_ASSIGN_OR_RETURN(std::shared_ptr<Part> part, Part::Open(env, path, blocks));
    if (part->meta().part_id != *id) {
      return DataLossError("part " + path + " holds the meta of part " +
                           std::to_string(part->meta().part_id));
    }
    out->next_part_id = std::max(out->next_part_id, *id + 1);
    parts.push_back(std::move(part));
  }
  std::set<uint64_t> replaced;
  for (const auto& p : parts) replaced.insert(p->meta().replaces.begin(), p->meta().replaces.end());
  for (const auto& p : parts) {
    for (const LogPosition& pos : p->meta().positions) {
      uint64_t& slot = out->durable_offsets[pos.partition];
      slot = std::max(slot, pos.next_offset);
    }
    if (replaced.count(p->meta().part_id) != 0) {
      LogInfo("removing part " + p->dir() + ", already merged into a newer part");
      p->MarkObsolete();  // the directory goes when `parts` releases it
      continue;
    }
    out->parts[{p->meta().team_id, p->meta().day}].push_back(p);
    all_parts->push_back(p);
  }
  return Status::Ok();
}

}  // namespace

StatusOr<RecoveredStore> RecoverStore(fs::Env* env, const std::string& root, int64_t now_us,
                                      int64_t dedupe_window_us, bool sync, UuidDedupe* dedupe,
                                      const std::shared_ptr<BlockCache>& blocks) {
  HOGLET_RETURN_IF_ERROR(fs::MakeDirs(env, root));
  if (sync) HOGLET_RETURN_IF_ERROR(env->SyncDir(root));
  RecoveredStore out;
  HOGLET_ASSIGN_OR_RETURN(out.durable_offsets, ReadOffsetsFile(env, root));
  std::vector<std::shared_ptr<const Part>> all_parts;
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> teams, env->ListDir(root));
  for (const std::string& team : teams) {
    if (!team.starts_with("team-")) continue;
    std::string team_dir = root + "/" + team;
    HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> days, env->ListDir(team_dir));
    for (const std::string& day : days) {
      HOGLET_RETURN_IF_ERROR(RecoverDay(env, team_dir + "/" + day, blocks, &out, &all_parts));
    }
  }
  for (auto& [key, parts] : out.parts) {
    std::sort(parts.begin(), parts.end(),
              [](const auto& a, const auto& b) { return a->meta().part_id < b->meta().part_id; });
  }
  HOGLET_RETURN_IF_ERROR(SeedDedupe(std::move(all_parts), now_us - dedupe_window_us, dedupe));
  return out;
}

}  // namespace hoglet::store
