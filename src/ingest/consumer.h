// The ingestion consumer: moves events from the log into the event store, one thread per log
// partition, in partition order.
//
// Exactly-once into the store: a partition resumes at max(the log's committed offset, the
// store's durable offset), the store appends with the log position it covers, and the log
// offset is committed only after the store has made the batch durable. A crash anywhere replays
// at most the uncommitted tail, which the store recognises (and de-duplicates by uuid anyway).
//
// Each batch: decode and normalise (ingest/event_builder.h), person processing in one persons
// transaction (persons/person_processor.h), then one store append; the event and property names
// seen are recorded for the API's pickers (ingest/definitions_tracker.h).
//
// Failures: a record that cannot be decoded or built is skipped with a warning (it can never
// succeed); a persons or store failure (disk full, I/O) is retried with backoff, never skipped,
// so nothing acknowledged is lost.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "ingest/definitions_tracker.h"
#include "log/event_log.h"
#include "meta/meta_store.h"
#include "persons/person_processor.h"
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
  Consumer(log::EventLog& log, store::EventStore& store, meta::MetaStore& meta,
           persons::PersonProcessor& persons, DefinitionsTracker& definitions, const Clock& clock,
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
  // A batch's events before person processing, with each event's project opt-out setting.
  struct Normalised {
    std::vector<store::Event> events;
    std::vector<bool> person_processing_opt_out;
    std::vector<std::vector<persons::EventWarning>> warnings;  // what normalisation cut
  };

  // Stores one batch (retrying failures until stopped); returns the offset to continue from.
  uint64_t ProcessBatch(int partition, const std::vector<log::Record>& records);
  // Decodes and normalises a batch; records that can never be stored are skipped with a warning.
  Normalised Normalise(int partition, const std::vector<log::Record>& records);
  StatusOr<std::vector<persons::PersonEventResult>> ProcessPersons(const Normalised& batch);
  // Stamps each event with its person and drops the events person processing refused.
  static std::vector<store::Event> ApplyPersons(
      std::vector<store::Event> events, const std::vector<persons::PersonEventResult>& persons);

  log::EventLog& log_;
  store::EventStore& store_;
  meta::MetaStore& meta_;
  persons::PersonProcessor& persons_;
  DefinitionsTracker& definitions_;
  const Clock& clock_;
  const ConsumerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> events_ingested_{0};
  std::vector<std::thread> threads_;
};

}  // namespace hoglet::ingest
