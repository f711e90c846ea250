#include "ingest/consumer.h"

#include <algorithm>
#include <chrono>

#include "base/logging.h"
#include "capture/captured_event.h"
#include "ingest/event_builder.h"

namespace hoglet::ingest {

Consumer::Consumer(log::EventLog& log, store::EventStore& store, meta::MetaStore& meta,
                   persons::PersonProcessor& persons, DefinitionsTracker& definitions,
                   const Clock& clock, ConsumerOptions options)
    : log_(log),
      store_(store),
      meta_(meta),
      persons_(persons),
      definitions_(definitions),
      clock_(clock),
      options_(std::move(options)) {}

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
    offset = ProcessBatch(partition, *records);
    backoff_ms = 10;
  }
}

Consumer::Normalised Consumer::Normalise(int partition, const std::vector<log::Record>& records) {
  int64_t now = clock_.NowMicros();
  Normalised out;
  out.events.reserve(records.size());
  for (const log::Record& record : records) {
    auto captured = capture::DecodeCapturedEvent(record.payload);
    if (!captured.ok()) {
      LogWarning("ingest: skipping unreadable record at partition " + std::to_string(partition) +
                 " offset " + std::to_string(record.offset) + ": " + captured.status().ToString());
      continue;
    }
    auto project = meta_.ProjectById(captured->team_id);
    if (!project.ok()) continue;  // the project was deleted after capture accepted the event
    std::vector<persons::EventWarning> warnings;
    auto event = BuildEvent(*captured, *project, now, &warnings);
    if (!event.ok()) {
      LogWarning("ingest: skipping event: " + event.status().ToString());
      continue;
    }
    out.events.push_back(std::move(*event));
    out.person_processing_opt_out.push_back(project->person_processing_opt_out);
    out.warnings.push_back(std::move(warnings));
  }
  return out;
}

StatusOr<std::vector<persons::PersonEventResult>> Consumer::ProcessPersons(
    const Normalised& batch) {
  std::vector<persons::PersonEventInput> inputs;
  inputs.reserve(batch.events.size());
  for (size_t i = 0; i < batch.events.size(); ++i) {
    const store::Event& event = batch.events[i];
    persons::PersonEventInput input;
    input.team_id = event.team_id;
    input.team_person_processing_opt_out = batch.person_processing_opt_out[i];
    input.event_uuid = event.uuid;
    input.event = event.event;
    input.distinct_id = event.distinct_id;
    input.timestamp_us = event.timestamp_us;
    input.properties = event.properties;
    input.warnings = batch.warnings[i];
    inputs.push_back(std::move(input));
  }
  return persons_.ProcessBatch(inputs);
}

std::vector<store::Event> Consumer::ApplyPersons(
    std::vector<store::Event> events, const std::vector<persons::PersonEventResult>& persons) {
  std::vector<store::Event> kept;
  kept.reserve(events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const persons::PersonEventResult& person = persons[i];
    if (person.drop) continue;
    store::Event& event = events[i];
    event.person_id = person.person_id;
    event.person_properties = person.person_properties;
    event.person_created_at_us = person.person_created_at_us;
    event.person_mode = static_cast<int64_t>(person.mode);
    event.properties = person.properties;
    kept.push_back(std::move(event));
  }
  return kept;
}

uint64_t Consumer::ProcessBatch(int partition, const std::vector<log::Record>& records) {
  uint64_t next_offset = records.back().offset + 1;
  Normalised batch = Normalise(partition, records);

  // Person processing commits its own transaction; it runs once per batch, retried until the
  // persons store takes it, so a later store failure does not apply it twice.
  std::vector<persons::PersonEventResult> persons;
  for (int64_t backoff_ms = 10;; backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000)) {
    auto processed = ProcessPersons(batch);
    if (processed.ok() && processed->size() == batch.events.size()) {
      persons = std::move(*processed);
      break;
    }
    if (stopping_.load()) return records.front().offset;  // replayed after restart
    LogError(
        "ingest: person processing of partition " + std::to_string(partition) +
        " failed, retrying: " +
        (processed.ok() ? std::string("result count mismatch") : processed.status().ToString()));
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
  }

  bool observed = false;
  for (int64_t backoff_ms = 10;; backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000)) {
    // The store takes the events; after a (rare) failure they are rebuilt from the records.
    std::vector<store::Event> events = ApplyPersons(
        batch.events.empty() ? Normalise(partition, records).events : std::move(batch.events),
        persons);
    batch.events.clear();
    if (!observed) {
      observed = true;
      // Definitions are advisory: a failure is logged and retried with a later batch.
      Status recorded = definitions_.Observe(events);
      if (!recorded.ok()) LogWarning("ingest: recording definitions: " + recorded.ToString());
    }
    size_t count = events.size();
    Status status = store_.Append(std::move(events), {partition, next_offset});
    if (status.ok()) {
      events_ingested_.fetch_add(count);
      break;
    }
    if (stopping_.load()) return records.front().offset;  // replayed after restart
    LogError("ingest: storing " + std::to_string(count) + " events of partition " +
             std::to_string(partition) + " failed, retrying: " + status.ToString());
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
  }
  Status committed = log_.Commit(options_.name, partition, next_offset);
  if (!committed.ok()) {
    // Not fatal: the store's durable offset already records the progress.
    LogWarning("ingest: committing offset failed: " + committed.ToString());
  }
  return next_offset;
}

}  // namespace hoglet::ingest
