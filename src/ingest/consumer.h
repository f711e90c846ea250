// The ingestion consumer: moves events from the log into the event store, one thread per log
// partition, in partition order.
//
// Exactly-once into the store: a partition resumes at max(the log's committed offset, the
// store's durable offset), the store appends with the log position it covers, and the log
// offset is committed only after the store has made the batch durable. A crash anywhere replays
// at most the uncommitted tail, which the store recognises (and de-duplicates by uuid anyway).
//
// Failures: a record that cannot be decoded or built is skipped with a warning (it can never
// succeed); a store failure (disk full, I/O) is retried with backoff, never skipped, so nothing
// acknowledged is lost.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "log/event_log.h"
#include "meta/meta_store.h"
#include "store/event_store.h"

namespace hoglet::ingest {

struct ConsumerOptions {
  std::string name = "ingest";  // the consumer name offsets are committed under
  size_t max_batch_records = 10'000;
  size_t max_batch_bytes = 16 << 20;
  int64_t poll_wait_ms = 100;  // how long one read waits for new records
};

class Consumer {
 public:
  Consumer(log::EventLog& log, store::EventStore& store, meta::MetaStore& meta, const Clock& clock,
           ConsumerOptions options);
  ~Consumer();

  // Starts one thread per partition.
  void Start();
  // Finishes the batch in hand on every partition, then joins. Idempotent.
  void Stop();

  // Events written to the store since Start (for metrics and tests).
  uint64_t events_ingested() const { return events_ingested_.load(); }

 private:
  void Run(int partition);
  // Processes one batch; returns the offset to continue from.
  uint64_t ProcessBatch(int partition, std::vector<log::Record> records);

  log::EventLog& log_;
  store::EventStore& store_;
  meta::MetaStore& meta_;
  const Clock& clock_;
  const ConsumerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> events_ingested_{0};
  std::vector<std::thread> threads_;
};

}  // namespace hoglet::ingest
