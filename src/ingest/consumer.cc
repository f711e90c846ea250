#include "ingest/consumer.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <new>
#include <utility>

#include "base/json_writer.h"
#include "base/logging.h"
#include "capture/captured_event.h"
#include "ingest/event_builder.h"

namespace hoglet::ingest {
namespace {

// Longest failure reason an `ingestion_failed` warning repeats.
constexpr size_t kMaxReasonChars = 1000;

// A backend that cannot take work now (disk full, I/O, backpressure) or whose own files are
// damaged: waiting (or the operator) is the remedy, and the log keeps the events meanwhile.
// Skipping instead would turn a full disk into lost acknowledged events.
bool IsBackendFailure(const Status& status) {
  return status.code() == StatusCode::kUnavailable ||
         status.code() == StatusCode::kResourceExhausted || status.code() == StatusCode::kDataLoss;
}

// Runs `step`, turning an exception into a Status. This is the edge where person processing
// and the store — and the allocator and containers under them — may throw into the data path.
template <typename Step>
Status Guarded(Step& step) {
  try {
    return step();
  } catch (const std::bad_alloc&) {
    return InternalError("out of memory (std::bad_alloc)");
  } catch (const std::exception& e) {
    return InternalError(std::string("exception: ") + e.what());
  } catch (...) {
    return InternalError("unknown exception");
  }
}

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace

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
      SleepMs(backoff_ms);
      backoff_ms = std::min<int64_t>(backoff_ms * 2, 5000);
      continue;
    }
    if (records->empty()) continue;
    offset = ProcessBatch(partition, *records);
    backoff_ms = 10;
  }
}

uint64_t Consumer::Batch::OffsetBefore(size_t index) const {
  return index < offsets.size() ? offsets[index] : end_offset;
}

Consumer::Batch Consumer::Normalise(int partition, const std::vector<log::Record>& records) {
  int64_t now = clock_.NowMicros();
  Batch out;
  out.partition = partition;
  out.end_offset = records.back().offset + 1;
  // Reserved up front so that adding an event cannot throw half-way through the three vectors.
  out.events.reserve(records.size());
  out.inputs.reserve(records.size());
  out.offsets.reserve(records.size());
  for (const log::Record& record : records) {
    std::string where =
        "partition " + std::to_string(partition) + " offset " + std::to_string(record.offset);
    try {
      auto captured = capture::DecodeCapturedEvent(record.payload);
      if (!captured.ok()) {
        LogWarning("ingest: skipping unreadable record at " + where + ": " +
                   captured.status().ToString());
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
      persons::PersonEventInput input;
      input.team_id = event->team_id;
      input.team_person_processing_opt_out = project->person_processing_opt_out;
      input.event_uuid = event->uuid;
      input.event = event->event;
      input.distinct_id = event->distinct_id;
      input.timestamp_us = event->timestamp_us;
      input.properties = std::move(event->properties);  // back on the event after persons
      input.warnings = std::move(warnings);
      out.events.push_back(std::move(*event));
      out.inputs.push_back(std::move(input));
      out.offsets.push_back(record.offset);
    } catch (const std::exception& e) {
      LogWarning("ingest: skipping record at " + where + " that could not be built: " + e.what());
    }
  }
  out.dropped.assign(out.events.size(), false);
  return out;
}

template <typename Step>
Status Consumer::Retry(std::string_view what, int partition, Step&& step) {
  int64_t backoff_ms = options_.retry_backoff_ms;
  int failures = 0;
  while (true) {
    Status status = Guarded(step);
    if (status.ok()) return status;
    bool transient = IsBackendFailure(status);
    if (!transient) ++failures;
    if (stopping_.load() || (!transient && failures >= options_.max_attempts)) return status;
    LogError("ingest: " + std::string(what) + " of partition " + std::to_string(partition) +
             " failed, retrying: " + status.ToString());
    SleepMs(backoff_ms);
    backoff_ms = std::min(backoff_ms * 2, options_.max_retry_backoff_ms);
  }
}

std::vector<store::Event> Consumer::StorableEvents(const Batch& batch, size_t begin, size_t end) {
  std::vector<store::Event> events;
  events.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    if (!batch.dropped[i]) events.push_back(batch.events[i]);
  }
  return events;
}

void Consumer::Release(Batch& batch, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    batch.events[i] = store::Event();
    batch.inputs[i] = persons::PersonEventInput();
  }
}

bool Consumer::SkipEvent(Batch& batch, size_t index, std::string_view stage, const Status& reason) {
  const store::Event& event = batch.events[index];
  std::string message = reason.ToString().substr(0, kMaxReasonChars);
  LogError("ingest: skipping event " + event.uuid.ToString() + " (partition " +
           std::to_string(batch.partition) + " offset " + std::to_string(batch.offsets[index]) +
           "), " + std::string(stage) + " kept failing: " + message);
  JsonWriter details;
  details.BeginObject();
  details.Key("eventUuid");
  details.String(event.uuid.ToString());
  details.Key("distinctId");
  details.String(event.distinct_id);
  details.Key("event");
  details.String(event.event);
  details.Key("stage");
  details.String(stage);
  details.Key("reason");
  details.String(message);
  details.EndObject();
  persons::IngestionWarning warning;
  warning.team_id = event.team_id;
  warning.type = "ingestion_failed";
  warning.details = std::move(details).Take();
  warning.timestamp_us = event.timestamp_us;
  Status recorded = Retry("recording an ingestion warning", batch.partition,
                          [&] { return persons_.RecordWarning(warning); });
  if (!recorded.ok()) {
    if (stopping_.load()) return false;
    LogError("ingest: the ingestion warning for skipped event " + event.uuid.ToString() +
             " could not be recorded: " + recorded.ToString());
  }
  batch.dropped[index] = true;
  events_skipped_.fetch_add(1);
  Release(batch, index, index + 1);
  return true;
}

bool Consumer::IngestRange(Batch& batch, size_t begin, size_t end) {
  while (begin < end) {
    // Person processing commits its own transaction: each piece runs once, however often the
    // store then fails, so a retried append does not apply it twice.
    std::vector<persons::PersonEventResult> results;
    Status status = Retry("person processing", batch.partition, [&]() -> Status {
      std::span<const persons::PersonEventInput> inputs(batch.inputs.data() + begin, end - begin);
      HOGLET_ASSIGN_OR_RETURN(results, persons_.ProcessBatch(inputs, options_.max_batch_bytes));
      if (results.empty() || results.size() > inputs.size()) {
        return InternalError("person processing returned " + std::to_string(results.size()) +
                             " results for " + std::to_string(inputs.size()) + " events");
      }
      return Status::Ok();
    });
    if (!status.ok()) {
      if (stopping_.load()) return false;  // replayed after restart
      if (end - begin == 1) return SkipEvent(batch, begin, "person_processing", status);
      size_t mid = begin + (end - begin) / 2;
      return IngestRange(batch, begin, mid) && IngestRange(batch, mid, end);
    }
    size_t done = begin + results.size();
    for (size_t i = begin; i < done; ++i) {
      persons::PersonEventResult& person = results[i - begin];
      if (person.drop) {
        batch.dropped[i] = true;
        continue;
      }
      store::Event& event = batch.events[i];
      event.person_id = person.person_id;
      event.person_properties = std::move(person.person_properties);
      event.person_created_at_us = person.person_created_at_us;
      event.person_mode = static_cast<int64_t>(person.mode);
      event.properties = std::move(person.properties);
    }
    results = {};
    if (!StoreRange(batch, begin, done)) return false;
    begin = done;
  }
  return true;
}

bool Consumer::StoreRange(Batch& batch, size_t begin, size_t end) {
  std::vector<store::Event> events = StorableEvents(batch, begin, end);
  try {
    // Definitions are advisory: a failure is logged and retried with a later batch.
    Status recorded = definitions_.Observe(events);
    if (!recorded.ok()) LogWarning("ingest: recording definitions: " + recorded.ToString());
  } catch (const std::exception& e) {
    LogWarning(std::string("ingest: recording definitions: exception: ") + e.what());
  }
  store::LogPosition position{batch.partition, batch.OffsetBefore(end)};
  size_t count = events.size();
  bool first = true;
  Status status = Retry("storing events", batch.partition, [&]() -> Status {
    // The store takes the events; after a failure they are copied again from the batch.
    std::vector<store::Event> attempt =
        first ? std::move(events) : StorableEvents(batch, begin, end);
    first = false;
    return store_.Append(std::move(attempt), position);
  });
  if (status.ok()) {
    events_ingested_.fetch_add(count);
    batch.stored_offset = std::max(batch.stored_offset, position.next_offset);
    Release(batch, begin, end);
    return true;
  }
  if (stopping_.load()) return false;  // replayed after restart
  if (end - begin == 1) return SkipEvent(batch, begin, "store", status);
  size_t mid = begin + (end - begin) / 2;
  return StoreRange(batch, begin, mid) && StoreRange(batch, mid, end);
}

uint64_t Consumer::ProcessBatch(int partition, const std::vector<log::Record>& records) {
  Batch batch = Normalise(partition, records);
  if (!IngestRange(batch, 0, batch.events.size())) return records.front().offset;
  if (batch.stored_offset < batch.end_offset) {
    // The batch ended with skipped events, or had none to store: the store still learns that
    // the log was consumed this far.
    store::LogPosition position{partition, batch.end_offset};
    Status recorded =
        Retry("recording the store offset", partition, [&] { return store_.Append({}, position); });
    if (!recorded.ok()) {
      if (stopping_.load()) return records.front().offset;
      LogWarning("ingest: recording the store offset failed: " + recorded.ToString());
    }
  }
  Status committed = log_.Commit(options_.name, partition, batch.end_offset);
  if (!committed.ok()) {
    // Not fatal: the store's durable offset already records the progress.
    LogWarning("ingest: committing offset failed: " + committed.ToString());
  }
  return batch.end_offset;
}

}  // namespace hoglet::ingest
