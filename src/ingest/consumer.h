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
// Memory: a batch is at most max_batch_records records and about max_batch_bytes bytes as read,
// but person processing copies each event's person properties onto it (persons-on-events). Each
// batch is therefore processed and stored in pieces whose events — properties plus person
// properties — reach max_batch_bytes (PersonProcessor::ProcessBatch stops there), each piece
// one persons transaction and one store append carrying the log position it covers; a stored
// piece's events are released before the next is built.
//
// Failures:
//   - A record that cannot be decoded or built is skipped with a log warning (it can never
//     succeed).
//   - kUnavailable and kResourceExhausted from persons or the store — disk full, I/O,
//     backpressure — are retried with backoff for as long as they last, never skipped, so
//     nothing acknowledged is lost to a full disk. So is kDataLoss (a damaged file of our own):
//     the log keeps the events until the file is repaired.
//   - Any other error, or an exception (std::bad_alloc, std::length_error, ...) thrown while
//     processing, is retried max_attempts times with backoff; then the events are isolated by
//     halving the piece, and only an event that still fails on its own is skipped, with the
//     ingestion warning `ingestion_failed` (eventUuid, distinctId, event, stage, reason). The
//     rest is stored and the log moves on, so a poisoned event cannot stop ingestion or a
//     restart.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
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
  // Bytes of records read at once, and of events (properties and person properties) held per
  // piece of a batch (see Memory above).
  size_t max_batch_bytes = 16 << 20;
  int64_t poll_wait_ms = 100;  // how long one read waits for new records
  // Tries of a step failing for another reason than a backend failure before its events are
  // isolated (see Failures above).
  int max_attempts = 4;
  // Wait after the first failure of a step; doubles after each further one, up to the maximum.
  int64_t retry_backoff_ms = 10;
  int64_t max_retry_backoff_ms = 5000;
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
  // Events skipped with an `ingestion_failed` warning since Start.
  uint64_t events_skipped() const { return events_skipped_.load(); }

 private:
  void Run(int partition);
  // A batch's events, with what each needs besides: its record's offset, its project's opt-out
  // setting and, once person processing has run, whether it is to be dropped.
  // events[i] waits for person processing with its properties moved to inputs[i]; the results
  // fill them back in.
  struct Batch {
    int partition = 0;
    uint64_t end_offset = 0;     // the offset after the batch's last record
    uint64_t stored_offset = 0;  // the highest position a successful append recorded
    std::vector<store::Event> events;
    std::vector<persons::PersonEventInput> inputs;
    std::vector<uint64_t> offsets;  // of each event's record
    std::vector<bool> dropped;      // refused by person processing, or skipped

    // The log position covering every record before events[index] (end_offset past the end).
    uint64_t OffsetBefore(size_t index) const;
  };

  // Stores one batch; returns the offset to continue from (the batch's first record when
  // stopped part-way: it is then replayed).
  uint64_t ProcessBatch(int partition, const std::vector<log::Record>& records);
  // Decodes and normalises a batch; records that can never be stored are skipped with a warning.
  Batch Normalise(int partition, const std::vector<log::Record>& records);
  // Person processing, then store, of events [begin, end) in pieces (see Memory); isolates
  // events that keep failing. False when stopped part-way.
  bool IngestRange(Batch& batch, size_t begin, size_t end);
  // Appends events [begin, end), already person-processed, isolating ones that keep failing.
  bool StoreRange(Batch& batch, size_t begin, size_t end);
  // Runs `step` until it succeeds: a backend failure forever (until stopped), anything else
  // options_.max_attempts times; an exception counts as a kInternal failure. Returns the last
  // status.
  template <typename Step>
  Status Retry(std::string_view what, int partition, Step&& step);
  // Skips events[index] with an ingestion warning; false when stopped while recording it.
  bool SkipEvent(Batch& batch, size_t index, std::string_view stage, const Status& reason);
  // The events [begin, end) that were not dropped, as the store takes them.
  static std::vector<store::Event> StorableEvents(const Batch& batch, size_t begin, size_t end);
  // Frees what events [begin, end) hold once they are stored or skipped.
  static void Release(Batch& batch, size_t begin, size_t end);

  log::EventLog& log_;
  store::EventStore& store_;
  meta::MetaStore& meta_;
  persons::PersonProcessor& persons_;
  DefinitionsTracker& definitions_;
  const Clock& clock_;
  const ConsumerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> events_ingested_{0};
  std::atomic<uint64_t> events_skipped_{0};
  std::vector<std::thread> threads_;
};

}  // namespace hoglet::ingest
