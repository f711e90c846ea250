#include "store/columnar_store.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_set>

#include "base/logging.h"
#include "store/event_order.h"
#include "store/event_scan.h"
#include "store/merger.h"
#include "store/part_reader.h"
#include "store/part_writer.h"
#include "store/scan_source.h"
#include "store/store_layout.h"
#include "store/store_recovery.h"
#include "store/uuid_dedupe.h"

namespace hoglet::store {
namespace {

using PartList = std::vector<std::shared_ptr<const Part>>;
// One team's live parts: day → parts. Both levels are immutable once published, so a reader
// holding a TeamSnapshot sees a consistent set of parts however the store changes meanwhile.
using TeamSnapshot = std::map<int64_t, std::shared_ptr<const PartList>>;
using DayKey = std::pair<int64_t, int64_t>;  // (team_id, day)

// A part written to its temporary directory, not yet published.
struct PendingPart {
  std::string tmp_dir;
  std::string final_dir;
};

class ColumnarStore final : public EventStore, public ScanSource {
 public:
  ColumnarStore(ColumnarStoreOptions options, RecoveredStore recovered, UuidDedupe dedupe,
                std::shared_ptr<BlockCache> blocks)
      : options_(std::move(options)),
        blocks_(std::move(blocks)),
        clock_(options_.clock != nullptr ? *options_.clock : SystemClock::Get()),
        env_(options_.env != nullptr ? options_.env : fs::Env::Default()),
        dedupe_(std::move(dedupe)),
        next_part_id_(recovered.next_part_id),
        durable_offsets_(std::move(recovered.durable_offsets)) {
    std::map<int64_t, TeamSnapshot> teams;
    for (auto& [key, parts] : recovered.parts) {
      teams[key.first][key.second] = std::make_shared<const PartList>(std::move(parts));
      known_day_dirs_.insert(key);
      merge_queue_.push_back(key);  // MergeDay does nothing where there is too little to merge
    }
    for (auto& [team, snapshot] : teams) {
      teams_[team] = std::make_shared<const TeamSnapshot>(std::move(snapshot));
    }
    for (int i = 0; i < options_.merge_threads; ++i) {
      merge_threads_.emplace_back([this] { MergeLoop(); });
    }
  }

  ~ColumnarStore() override { Close(); }

  Status Append(std::vector<Event> events, LogPosition position) override;
  uint64_t DurableOffset(int partition) const override;
  StatusOr<std::vector<Event>> ListEvents(const EventQuery& query) const override;
  void Close() override;
  const ScanSource* scan_source() const override { return this; }

  StatusOr<ScanSnapshot> Snapshot(int64_t team_id, int64_t from_us, int64_t to_us) const override;
  StatusOr<std::optional<int64_t>> FirstEventTime(int64_t team_id) const override;
  uint64_t DataVersion(int64_t team_id) const override;

 private:
  PartWriterOptions WriterOptions() const {
    return {options_.block_rows, options_.block_bytes, options_.max_property_columns,
            options_.fsync, env_};
  }
  Status EnsureDayDir(int64_t team_id, int64_t day);
  StatusOr<PendingPart> WritePart(int64_t team_id, int64_t day, const std::vector<Event>& rows,
                                  std::vector<LogPosition> positions);
  Status RecordOffset(LogPosition position, bool persist);
  // Replaces `removed` by `added` in the (team, day) list, atomically for readers.
  void SwapParts(DayKey key, const PartList& removed, const PartList& added);
  std::shared_ptr<const PartList> DayParts(DayKey key) const;
  // The team's live parts; nullptr when it has none.
  std::shared_ptr<const TeamSnapshot> Team(int64_t team_id) const;
  void ScheduleMergeIfNeeded(DayKey key);
  PartList PickMergeSources(DayKey key) const;
  void MergeLoop();
  Status MergeDay(DayKey key);

  const ColumnarStoreOptions options_;
  const std::shared_ptr<BlockCache> blocks_;  // decoded blocks of every part
  const Clock& clock_;
  fs::Env* const env_;

  std::mutex append_mu_;             // serialises Append
  UuidDedupe dedupe_;                // guarded by append_mu_
  std::set<DayKey> known_day_dirs_;  // guarded by append_mu_
  std::atomic<uint64_t> next_part_id_;

  mutable std::mutex mu_;  // guards the fields below; held only for pointer swaps
  std::map<int64_t, std::shared_ptr<const TeamSnapshot>> teams_;
  std::map<int64_t, uint64_t> data_versions_;
  std::map<int, uint64_t> durable_offsets_;
  std::deque<DayKey> merge_queue_;
  std::set<DayKey> merging_;
  bool stopping_ = false;
  std::condition_variable merge_cv_;

  std::atomic<bool> stop_merges_{false};
  std::vector<std::thread> merge_threads_;
};

Status ColumnarStore::EnsureDayDir(int64_t team_id, int64_t day) {
  if (known_day_dirs_.count({team_id, day}) != 0) return Status::Ok();
  std::string team_dir = TeamDir(options_.dir, team_id);
  HOGLET_RETURN_IF_ERROR(fs::MakeDirs(env_, DayDir(options_.dir, team_id, day)));
  if (options_.fsync) {
    // Make the new directory entries themselves durable, not only their contents.
    HOGLET_RETURN_IF_ERROR(env_->SyncDir(team_dir));
    HOGLET_RETURN_IF_ERROR(env_->SyncDir(options_.dir));
  }
  known_day_dirs_.insert({team_id, day});
  return Status::Ok();
}

StatusOr<PendingPart> ColumnarStore::WritePart(int64_t team_id, int64_t day,
                                               const std::vector<Event>& rows,
                                               std::vector<LogPosition> positions) {
  uint64_t id = next_part_id_.fetch_add(1);
  std::string day_dir = DayDir(options_.dir, team_id, day);
  PendingPart pending{day_dir + "/" + TmpPartDirName(id), day_dir + "/" + PartDirName(id)};
  PartMeta meta;
  meta.part_id = id;
  meta.team_id = team_id;
  meta.day = day;
  meta.written_at_us = clock_.NowMicros();
  meta.positions = std::move(positions);
  StatusOr<std::unique_ptr<PartWriter>> writer =
      PartWriter::Create(pending.tmp_dir, std::move(meta), WriterOptions());
  if (!writer.ok()) return writer.status();
  Status status;
  for (const Event& e : rows) {
    status = (*writer)->Add(e);
    if (!status.ok()) break;
  }
  if (status.ok()) status = (*writer)->Finish().status();
  if (!status.ok()) {
    (void)fs::RemoveTree(env_, pending.tmp_dir);
    return status;
  }
  return pending;
}

Status ColumnarStore::RecordOffset(LogPosition position, bool persist) {
  std::map<int, uint64_t> offsets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    uint64_t& slot = durable_offsets_[position.partition];
    if (slot >= position.next_offset) return Status::Ok();
    if (!persist) {
      slot = position.next_offset;
      return Status::Ok();
    }
    offsets = durable_offsets_;
  }
  offsets[position.partition] = position.next_offset;
  HOGLET_RETURN_IF_ERROR(WriteOffsetsFile(env_, options_.dir, offsets, options_.fsync));
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t& slot = durable_offsets_[position.partition];
  slot = std::max(slot, position.next_offset);
  return Status::Ok();
}

Status ColumnarStore::Append(std::vector<Event> events, LogPosition position) {
  std::lock_guard<std::mutex> append_lock(append_mu_);
  for (const Event& e : events) {
    if (e.team_id == 0) return InvalidArgumentError("event without a team", "missing_team");
  }
  // Drop events already stored, and repeats inside the batch (the first copy wins).
  std::map<DayKey, std::vector<Event>> groups;
  UuidDedupe batch_seen(events.size());
  for (Event& e : events) {
    if (dedupe_.Contains(e.team_id, e.uuid) || batch_seen.Contains(e.team_id, e.uuid)) continue;
    batch_seen.Insert(e.team_id, e.uuid);
    int64_t team = e.team_id;
    int64_t day = DayOf(e.timestamp_us);
    groups[{team, day}].push_back(std::move(e));
  }
  if (groups.empty()) return RecordOffset(position, /*persist=*/true);

  // Write every part before publishing any, so an I/O error leaves nothing of the batch behind.
  // Only the last part carries the position: a crash part-way through publishing leaves
  // DurableOffset behind, and the replayed events that did land are deduplicated.
  std::vector<PendingPart> pending;
  Status status;
  size_t index = 0;
  for (auto& [key, rows] : groups) {
    std::sort(rows.begin(), rows.end(), StorageOrderLess);
    status = EnsureDayDir(key.first, key.second);
    if (!status.ok()) break;
    std::vector<LogPosition> positions;
    if (++index == groups.size()) positions.push_back(position);
    StatusOr<PendingPart> part = WritePart(key.first, key.second, rows, std::move(positions));
    if (!part.ok()) {
      status = part.status();
      break;
    }
    pending.push_back(*part);
  }
  std::vector<std::string> published;
  for (size_t i = 0; status.ok() && i < pending.size(); ++i) {
    status = PublishPart(env_, pending[i].tmp_dir, pending[i].final_dir, options_.fsync);
    if (status.ok()) published.push_back(pending[i].final_dir);
  }
  std::vector<std::shared_ptr<const Part>> opened;
  for (size_t i = 0; status.ok() && i < published.size(); ++i) {
    StatusOr<std::shared_ptr<Part>> part = Part::Open(env_, published[i], blocks_);
    if (!part.ok()) status = part.status();
    if (part.ok()) opened.push_back(*std::move(part));
  }
  if (!status.ok()) {
    for (const PendingPart& p : pending) (void)fs::RemoveTree(env_, p.tmp_dir);
    for (const std::string& dir : published) (void)RemovePartDir(env_, dir);
    return UnavailableError("append failed, nothing of the batch was stored: " + status.ToString());
  }
  for (const auto& part : opened) {
    DayKey key{part->meta().team_id, part->meta().day};
    SwapParts(key, {}, {part});
    ScheduleMergeIfNeeded(key);
  }
  for (const auto& [key, rows] : groups) {
    for (const Event& e : rows) dedupe_.Insert(e.team_id, e.uuid);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [key, rows] : groups) ++data_versions_[key.first];
  }
  return RecordOffset(position, /*persist=*/false);
}

uint64_t ColumnarStore::DurableOffset(int partition) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = durable_offsets_.find(partition);
  return it == durable_offsets_.end() ? 0 : it->second;
}

StatusOr<std::vector<Event>> ColumnarStore::ListEvents(const EventQuery& query) const {
  std::shared_ptr<const TeamSnapshot> snapshot = Team(query.team_id);
  TopCandidates top(query.limit);
  if (!snapshot || query.limit == 0) return std::vector<Event>();
  // Newest day first: once `limit` matches are held after a whole day, older days cannot beat
  // them (every row of an older day has an older timestamp).
  std::vector<const Part*> scanned;
  for (auto it = snapshot->rbegin(); it != snapshot->rend(); ++it) {
    int64_t day = it->first;
    if (query.before_us && day > DayOf(*query.before_us)) continue;
    if (query.after_us && day < DayOf(*query.after_us)) break;
    for (const auto& part : *it->second) {
      scanned.push_back(part.get());
      HOGLET_RETURN_IF_ERROR(
          ScanPart(*part, static_cast<uint32_t>(scanned.size() - 1), query, &top));
    }
    if (top.full()) break;
  }
  // `snapshot` keeps every scanned part alive until the rows are read.
  return Materialize(scanned, std::move(top).TakeSorted());
}

StatusOr<ScanSnapshot> ColumnarStore::Snapshot(int64_t team_id, int64_t from_us,
                                               int64_t to_us) const {
  ScanSnapshot out;
  out.team_id = team_id;
  std::shared_ptr<const TeamSnapshot> snapshot = Team(team_id);
  if (!snapshot || to_us < from_us) return out;
  for (auto it = snapshot->lower_bound(DayOf(from_us)); it != snapshot->end(); ++it) {
    if (it->first > DayOf(to_us)) break;
    for (const auto& part : *it->second) {
      const PartMeta& meta = part->meta();
      if (meta.row_count == 0 || meta.max_timestamp_us < from_us || meta.min_timestamp_us > to_us) {
        continue;
      }
      out.parts.push_back(part);
    }
  }
  return out;
}

StatusOr<std::optional<int64_t>> ColumnarStore::FirstEventTime(int64_t team_id) const {
  std::shared_ptr<const TeamSnapshot> snapshot = Team(team_id);
  if (!snapshot) return std::optional<int64_t>();
  for (const auto& [day, parts] : *snapshot) {
    std::optional<int64_t> first;
    for (const auto& part : *parts) {
      if (part->meta().row_count == 0) continue;
      int64_t min = part->meta().min_timestamp_us;
      if (!first || min < *first) first = min;
    }
    if (first) return first;
  }
  return std::optional<int64_t>();
}

uint64_t ColumnarStore::DataVersion(int64_t team_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = data_versions_.find(team_id);
  return it == data_versions_.end() ? 0 : it->second;
}

std::shared_ptr<const TeamSnapshot> ColumnarStore::Team(int64_t team_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = teams_.find(team_id);
  return it == teams_.end() ? nullptr : it->second;
}

void ColumnarStore::SwapParts(DayKey key, const PartList& removed, const PartList& added) {
  // Released after the lock: dropping the last reference to a retired part removes its
  // directory, which is disk work that must not happen under mu_.
  std::shared_ptr<const TeamSnapshot> previous;
  std::lock_guard<std::mutex> lock(mu_);
  auto& team_ptr = teams_[key.first];
  previous = team_ptr;
  auto team =
      team_ptr ? std::make_shared<TeamSnapshot>(*team_ptr) : std::make_shared<TeamSnapshot>();
  auto parts = std::make_shared<PartList>();
  if (auto it = team->find(key.second); it != team->end()) {
    for (const auto& p : *it->second) {
      if (std::find(removed.begin(), removed.end(), p) == removed.end()) parts->push_back(p);
    }
  }
  parts->insert(parts->end(), added.begin(), added.end());
  (*team)[key.second] = std::move(parts);
  team_ptr = std::move(team);
}

std::shared_ptr<const PartList> ColumnarStore::DayParts(DayKey key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto team = teams_.find(key.first);
  if (team == teams_.end()) return nullptr;
  auto day = team->second->find(key.second);
  return day == team->second->end() ? nullptr : day->second;
}

void ColumnarStore::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_merges_.store(true);
  merge_cv_.notify_all();
  for (std::thread& t : merge_threads_) t.join();
  merge_threads_.clear();
}

PartList ColumnarStore::PickMergeSources(DayKey key) const {
  PartList sources;
  std::shared_ptr<const PartList> parts = DayParts(key);
  if (!parts) return sources;
  for (const auto& p : *parts) {
    if (p->meta().row_count < options_.small_part_rows) sources.push_back(p);
  }
  std::sort(sources.begin(), sources.end(),
            [](const auto& a, const auto& b) { return a->meta().part_id < b->meta().part_id; });
  if (sources.size() > options_.merge_max_parts) sources.resize(options_.merge_max_parts);
  if (sources.size() < std::max<size_t>(options_.merge_min_parts, 2)) sources.clear();
  return sources;
}

void ColumnarStore::ScheduleMergeIfNeeded(DayKey key) {
  if (options_.merge_threads <= 0 || PickMergeSources(key).empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (std::find(merge_queue_.begin(), merge_queue_.end(), key) != merge_queue_.end()) return;
    merge_queue_.push_back(key);
  }
  merge_cv_.notify_one();
}

void ColumnarStore::MergeLoop() {
  while (true) {
    DayKey key;
    {
      std::unique_lock<std::mutex> lock(mu_);
      merge_cv_.wait(lock, [this] {
        if (stopping_) return true;
        for (const DayKey& k : merge_queue_) {
          if (merging_.count(k) == 0) return true;
        }
        return false;
      });
      if (stopping_) return;
      auto it = std::find_if(merge_queue_.begin(), merge_queue_.end(),
                             [this](const DayKey& k) { return merging_.count(k) == 0; });
      key = *it;
      merge_queue_.erase(it);
      merging_.insert(key);
    }
    Status status = MergeDay(key);
    if (!status.ok() && !stop_merges_.load()) {
      LogWarning("merging parts of team " + std::to_string(key.first) + ", day " +
                 DayName(key.second) + " failed: " + status.ToString() +
                 "; the parts stay as they are and the merge is retried after the next append");
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      merging_.erase(key);
    }
    // More small parts may remain (more than merge_max_parts, or appends meanwhile).
    if (status.ok()) ScheduleMergeIfNeeded(key);
  }
}

Status ColumnarStore::MergeDay(DayKey key) {
  PartList sources = PickMergeSources(key);
  if (sources.empty()) return Status::Ok();
  uint64_t id = next_part_id_.fetch_add(1);
  std::string day_dir = DayDir(options_.dir, key.first, key.second);
  std::string tmp_dir = day_dir + "/" + TmpPartDirName(id);
  std::string final_dir = day_dir + "/" + PartDirName(id);
  PartMeta meta;
  meta.part_id = id;
  meta.team_id = key.first;
  meta.day = key.second;
  meta.positions = MergedPositions(sources);
  for (const auto& p : sources) {
    meta.replaces.push_back(p->meta().part_id);
    // The merged part is as recent as its newest source, which keeps the dedupe window exact.
    meta.written_at_us = std::max(meta.written_at_us, p->meta().written_at_us);
  }
  HOGLET_ASSIGN_OR_RETURN(std::unique_ptr<PartWriter> writer,
                          PartWriter::Create(tmp_dir, std::move(meta), WriterOptions()));
  Status status = MergeParts(sources, writer.get(), &stop_merges_);
  if (status.ok()) status = writer->Finish().status();
  if (status.ok()) status = PublishPart(env_, tmp_dir, final_dir, options_.fsync);
  if (!status.ok()) {
    (void)fs::RemoveTree(env_, tmp_dir);
    return status;
  }
  StatusOr<std::shared_ptr<Part>> merged = Part::Open(env_, final_dir, blocks_);
  if (!merged.ok()) {
    // Unpublish it: left on disk, it would retire the sources at the next start while a later
    // merge of the same sources could publish them a second time.
    (void)RemovePartDir(env_, final_dir);
    return merged.status();
  }
  // Publish the merged part and retire its sources in one swap. The sources' directories are
  // removed when the last snapshot holding them is released; until then running queries keep
  // reading them. Should the process die first, recovery discards them via `replaces`.
  for (const auto& p : sources) p->MarkObsolete();
  SwapParts(key, sources, {*merged});
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<EventStore>> OpenColumnarStore(const ColumnarStoreOptions& options) {
  if (options.dir.empty()) return InvalidArgumentError("store directory not set");
  const Clock& clock = options.clock != nullptr ? *options.clock : SystemClock::Get();
  UuidDedupe seed(options.dedupe_max_entries);
  auto blocks = std::make_shared<BlockCache>(options.block_cache_bytes);
  HOGLET_ASSIGN_OR_RETURN(
      RecoveredStore recovered,
      RecoverStore(options.env != nullptr ? options.env : fs::Env::Default(), options.dir,
                   clock.NowMicros(), options.dedupe_window_us, options.fsync, &seed, blocks));
  return std::unique_ptr<EventStore>(std::make_unique<ColumnarStore>(
      options, std::move(recovered), std::move(seed), std::move(blocks)));
}

}  // namespace hoglet::store
