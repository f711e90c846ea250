#include "ingest/consumer.h"

#include <algorithm>
#include <chrono>

#include "base/logging.h"
#include "capture/captured_event.h"
#include "ingest/event_builder.h"

namespace hoglet::ingest {

Consumer::Consumer(log::EventLog& log, store::EventStore& store, meta::MetaStore& meta,
                   const Clock& clock, ConsumerOptions options)
    : log_(log), store_(store), meta_(meta), clock_(clock), options_(std::move(options)) {}

Consumer::~Consumer() { Stop(); }

void Consumer::Start() {
  for (int p = 0; p < log_.partition_count(); ++p) {
    threads_.emplace_back([this, p] { Run(p); });
  }
}

void Consumer::Stop() {
  stopping_.store(true);
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Consumer::Run(int partition) {
  uint64_t offset =
      std::max(log_.Committed(options_.name, partition), store_.DurableOffset(partition));
  int64_t backoff_ms = 10;
  while (!stopping_.load()) {
    auto records =
        log_.Read(partition, offset, options_.max_batch_records, options_.max_batch_bytes,
                  std::chrono::milliseconds(options_.poll_wait_ms));
    if (!records.ok()) {
      if (stopping_.load()) break;
      LogError("ingest: reading partition " + std::to_string(partition) + " at offset " +
               std::to_string(offset) + " failed: " + records.status().ToString());
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
      backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000);
      continue;
    }
    if (records->empty()) continue;
    offset = ProcessBatch(partition, std::move(*records));
    backoff_ms = 10;
  }
}

uint64_t Consumer::ProcessBatch(int partition, std::vector<log::Record> records) {
  uint64_t next_offset = records.back().offset + 1;
  int64_t now = clock_.NowMicros();
  std::vector<store::Event> events;
  events.reserve(records.size());
  for (const log::Record& record : records) {
    auto captured = capture::DecodeCapturedEvent(record.payload);
    if (!captured.ok()) {
      LogWarning("ingest: skipping unreadable record at partition " + std::to_string(partition) +
                 " offset " + std::to_string(record.offset) + ": " + captured.status().ToString());
      continue;
    }
    auto project = meta_.ProjectById(captured->team_id);
    if (!project.ok()) continue;  // the project was deleted after capture accepted the event
    auto event = BuildEvent(*captured, *project, now);
    if (!event.ok()) {
      LogWarning("ingest: skipping event: " + event.status().ToString());
      continue;
    }
    events.push_back(std::move(*event));
  }

  size_t count = events.size();
  int64_t backoff_ms = 10;
  for (;;) {
    // The store may consume the vector even on failure; retry with a fresh copy.
    Status status = store_.Append(events, {partition, next_offset});
    if (status.ok()) break;
    if (stopping_.load()) return records.front().offset;  // replayed after restart
    LogError("ingest: storing " + std::to_string(count) + " events of partition " +
             std::to_string(partition) + " failed, retrying: " + status.ToString());
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000);
  }
  events_ingested_.fetch_add(count);
  Status committed = log_.Commit(options_.name, partition, next_offset);
  if (!committed.ok()) {
    // Not fatal: the store's durable offset already records the progress.
    LogWarning("ingest: committing offset failed: " + committed.ToString());
  }
  return next_offset;
}

}  // namespace hoglet::ingest
