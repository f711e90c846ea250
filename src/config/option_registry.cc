#include "config/option_registry.h"

#include <cstdint>
#include <utility>

#include "config/value_parsers.h"

namespace hoglet::config {
namespace {

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;
constexpr int64_t kGiB = 1024 * kMiB;

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

OptionSpec MakeSpec(std::string name, OptionKind kind, std::string value_name, std::string help) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.kind = kind;
  spec.value_name = std::move(value_name);
  spec.help = std::move(help);
  return spec;
}

OptionSpec StringOption(std::string name, std::string value_name, std::string help,
                        std::string ServeOptions::*field, bool allow_empty) {
  OptionSpec spec =
      MakeSpec(std::move(name), OptionKind::kString, std::move(value_name), std::move(help));
  spec.apply = [field, allow_empty](std::string_view text, ServeOptions& options) -> Status {
    if (text.empty() && !allow_empty) return InvalidArgumentError("must not be empty");
    options.*field = std::string(text);
    return Status::Ok();
  };
  spec.format = [field](const ServeOptions& options) { return Quoted(options.*field); };
  return spec;
}

OptionSpec TokenOption(std::string name, std::string help, std::string ServeOptions::*field,
                       std::string prefix, std::string what) {
  OptionSpec spec = MakeSpec(std::move(name), OptionKind::kString, "TOKEN", std::move(help));
  spec.secret = true;
  spec.apply = [field, prefix, what](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_RETURN_IF_ERROR(CheckTokenShape(text, prefix, what));
    options.*field = std::string(text);
    return Status::Ok();
  };
  spec.format = [field](const ServeOptions& options) { return Quoted(options.*field); };
  return spec;
}

template <typename T>
OptionSpec IntegerOption(std::string name, std::string help, T ServeOptions::*field, int64_t min,
                         int64_t max) {
  OptionSpec spec = MakeSpec(std::move(name), OptionKind::kInteger, "N", std::move(help));
  spec.apply = [field, min, max](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, min, max));
    options.*field = static_cast<T>(value);
    return Status::Ok();
  };
  spec.format = [field](const ServeOptions& options) { return std::to_string(options.*field); };
  return spec;
}

OptionSpec BytesOption(std::string name, std::string help, int64_t ServeOptions::*field,
                       int64_t min, int64_t max) {
  OptionSpec spec = MakeSpec(std::move(name), OptionKind::kBytes, "BYTES", std::move(help));
  spec.apply = [field, min, max](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_ASSIGN_OR_RETURN(options.*field, ParseBytes(text, min, max));
    return Status::Ok();
  };
  spec.format = [field](const ServeOptions& options) { return FormatBytes(options.*field); };
  return spec;
}

OptionSpec BoolOption(std::string name, std::string help, bool ServeOptions::*field) {
  OptionSpec spec = MakeSpec(std::move(name), OptionKind::kBool, "BOOL", std::move(help));
  spec.apply = [field](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_ASSIGN_OR_RETURN(options.*field, ParseBool(text));
    return Status::Ok();
  };
  spec.format = [field](const ServeOptions& options) {
    return std::string(options.*field ? "true" : "false");
  };
  return spec;
}

std::vector<OptionSpec> BuildRegistry() {
  std::vector<OptionSpec> specs;
  specs.push_back(StringOption(
      "data_dir", "PATH",
      "Directory for every file of this instance: event log, event store parts and the "
      "metadata database. Created when missing.",
      &ServeOptions::data_dir, /*allow_empty=*/false));

  OptionSpec listen =
      MakeSpec("listen", OptionKind::kString, "HOST:PORT",
               "Address the HTTP server binds. Port 0 lets the system choose a free port; use "
               "0.0.0.0 or [::] to accept connections from other machines.");
  listen.apply = [](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_ASSIGN_OR_RETURN(options.listen, ParseListenAddress(text));
    return Status::Ok();
  };
  listen.format = [](const ServeOptions& options) { return Quoted(options.listen.ToString()); };
  specs.push_back(std::move(listen));

  OptionSpec http_threads = IntegerOption("http_threads", "Threads serving HTTP connections.",
                                          &ServeOptions::http_threads, 1, 1024);
  http_threads.default_doc = "number of CPUs (at least 1)";
  specs.push_back(std::move(http_threads));

  specs.push_back(IntegerOption("log_partitions",
                                "Partitions of the event log; events of one distinct_id stay in "
                                "one partition, and each partition is ingested in order by one "
                                "consumer.",
                                &ServeOptions::log_partitions, 1, 1024));
  specs.push_back(BoolOption("fsync",
                             "fsync the event log before a capture request is acknowledged. "
                             "false trades durability on power loss for throughput.",
                             &ServeOptions::fsync));
  specs.push_back(BytesOption("max_body_bytes_events",
                              "Largest request body accepted by the capture endpoints other "
                              "than /batch (/e, /i/v0/e, /capture, /track), as received. "
                              "Slightly above "
                              "PostHog's 2 MB so whatever PostHog accepts is accepted.",
                              &ServeOptions::max_body_bytes_events, 1 * kKiB, 1 * kGiB));
  specs.push_back(BytesOption("max_body_bytes_batch",
                              "Largest request body accepted by /batch, as received. Slightly "
                              "above PostHog's 20 MB.",
                              &ServeOptions::max_body_bytes_batch, 1 * kKiB, 1 * kGiB));
  specs.push_back(BytesOption("max_decompressed_bytes",
                              "Largest body after gzip/base64/lz-string decoding; bigger "
                              "payloads are refused with 413. At least max_body_bytes_batch.",
                              &ServeOptions::max_decompressed_bytes, 1 * kKiB, 4 * kGiB));
  specs.push_back(IntegerOption("max_events_per_request", "Most events accepted in one request.",
                                &ServeOptions::max_events_per_request, 1, 1000000));
  specs.push_back(IntegerOption("max_json_depth",
                                "Deepest nesting of arrays and objects accepted in a payload.",
                                &ServeOptions::max_json_depth, 1, 1024));
  specs.push_back(IntegerOption("max_properties_per_event",
                                "Most properties accepted on one event.",
                                &ServeOptions::max_properties_per_event, 1, 1000000));
  specs.push_back(BytesOption("max_event_bytes",
                              "Largest single event (its JSON, minified); a request holding a "
                              "bigger one is refused with 413, as PostHog's capture refuses an "
                              "event over its 1,000,000-byte Kafka message limit.",
                              &ServeOptions::max_event_bytes, 1 * kKiB, 1 * kGiB));
  specs.push_back(IntegerOption("request_timeout_ms",
                                "Time allowed to receive a request and send its response, in "
                                "milliseconds.",
                                &ServeOptions::request_timeout_ms, 100, 3600000));
  specs.push_back(IntegerOption("keep_alive_timeout_ms",
                                "Time a kept-alive connection may wait for its next request before "
                                "the server closes it, in milliseconds.",
                                &ServeOptions::keep_alive_timeout_ms, 100, 3600000));
  specs.push_back(IntegerOption("ingest_batch_events",
                                "Most events an ingest consumer takes from the log per batch.",
                                &ServeOptions::ingest_batch_events, 1, 1000000));
  specs.push_back(IntegerOption(
      "max_new_definitions_per_batch",
      "Most new event and property definitions (the names the UI's pickers list) one ingest "
      "batch records per project. Names over the limit are recorded by later batches; the events "
      "are stored in full either way.",
      &ServeOptions::max_new_definitions_per_batch, 1, 1000000));
  specs.push_back(IntegerOption("max_event_definitions_per_project",
                                "Most event definitions (distinct event names) recorded per "
                                "project; further names get an ingestion warning.",
                                &ServeOptions::max_event_definitions_per_project, 1, 10000000));
  specs.push_back(IntegerOption("max_property_definitions_per_project",
                                "Most event property definitions (distinct property keys) "
                                "recorded per project; further keys get an ingestion warning.",
                                &ServeOptions::max_property_definitions_per_project, 1, 10000000));
  specs.push_back(IntegerOption("max_person_property_definitions_per_project",
                                "Most person property definitions (distinct keys set through $set "
                                "and $set_once) recorded per project; further keys get an "
                                "ingestion warning.",
                                &ServeOptions::max_person_property_definitions_per_project, 1,
                                10000000));
  specs.push_back(IntegerOption("max_group_property_definitions_per_project",
                                "Most group property definitions (distinct keys set through "
                                "$groupidentify's $group_set, of all group types together) "
                                "recorded per project; further keys get an ingestion warning.",
                                &ServeOptions::max_group_property_definitions_per_project, 1,
                                10000000));
  specs.push_back(IntegerOption(
      "max_new_event_properties_per_batch",
      "Most new event-to-property pairs (which property keys were seen with which event name) one "
      "ingest batch records per project. Pairs over the limit are recorded by later batches.",
      &ServeOptions::max_new_event_properties_per_batch, 1, 1000000));
  specs.push_back(IntegerOption("max_event_properties_per_project",
                                "Most event-to-property pairs recorded per project; further pairs "
                                "get an ingestion warning.",
                                &ServeOptions::max_event_properties_per_project, 1, 100000000));
  specs.push_back(BytesOption("max_person_properties_bytes",
                              "Largest a person's properties may grow, as compact JSON. An "
                              "update, identify or merge that would make them larger is refused "
                              "(the event is still stored) with the ingestion warning "
                              "person_properties_size_violation. PostHog's limit (640 KiB).",
                              &ServeOptions::max_person_properties_bytes, 1 * kKiB, 64 * kMiB));
  specs.push_back(BytesOption("max_group_properties_bytes",
                              "Largest a group's properties may grow, as compact JSON. A "
                              "$groupidentify that would make them larger is refused with the "
                              "ingestion warning group_upsert_message_size_too_large. PostHog "
                              "refuses group writes over its 1 MB Kafka message limit.",
                              &ServeOptions::max_group_properties_bytes, 1 * kKiB, 64 * kMiB));
  specs.push_back(TokenOption("init_project_token",
                              "Project API token (phc_...) given to project 1 when the data "
                              "directory is empty; empty generates one. On later starts it must "
                              "match a stored project.",
                              &ServeOptions::init_project_token, "phc_", "project token"));
  specs.push_back(TokenOption("init_personal_api_key",
                              "Personal API key (phx_...) with full access for the first user. "
                              "Created with the data directory, or added to the first user on a "
                              "later start if not stored yet, unless it was deleted through the "
                              "API (a revoked key stays revoked); empty generates one on first "
                              "start only. Stored as a SHA-256 hash.",
                              &ServeOptions::init_personal_api_key, "phx_", "personal API key"));

  OptionSpec log_level =
      MakeSpec("log_level", OptionKind::kString, "LEVEL",
               "Least severe log messages written to stderr: debug, info, warning or "
               "error.");
  log_level.apply = [](std::string_view text, ServeOptions& options) -> Status {
    HOGLET_ASSIGN_OR_RETURN(options.log_level, ParseLogLevel(text));
    return Status::Ok();
  };
  log_level.format = [](const ServeOptions& options) {
    return Quoted(std::string(LogLevelName(options.log_level)));
  };
  specs.push_back(std::move(log_level));

  specs.push_back(IntegerOption("merge_threads",
                                "Background threads merging small event store parts.",
                                &ServeOptions::merge_threads, 1, 64));
  OptionSpec query_threads =
      IntegerOption("query_threads", "Threads one query may scan the event store with.",
                    &ServeOptions::query_threads, 1, 64);
  query_threads.default_doc = "number of CPUs (at least 1)";
  specs.push_back(std::move(query_threads));
  specs.push_back(BytesOption("block_cache_bytes",
                              "Decoded event store columns kept in memory between queries, so "
                              "that repeated queries skip reading and decoding them; 0 keeps none.",
                              &ServeOptions::block_cache_bytes, 0, int64_t{1} << 40));
  return specs;
}

}  // namespace

std::string OptionSpec::FlagName() const {
  std::string flag = "--" + name;
  for (char& c : flag) {
    if (c == '_') c = '-';
  }
  return flag;
}

std::string OptionSpec::EnvName() const {
  std::string env = "HOGLET_" + name;
  for (char& c : env) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return env;
}

std::string OptionSpec::DefaultText() const {
  return default_doc.empty() ? format(ServeOptions{}) : default_doc;
}

const std::vector<OptionSpec>& ServeOptionSpecs() {
  static const std::vector<OptionSpec> specs = BuildRegistry();
  return specs;
}

const OptionSpec* FindOptionByName(std::string_view name) {
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const OptionSpec* FindOptionByFlag(std::string_view flag) {
  for (const OptionSpec& spec : ServeOptionSpecs()) {
    if (std::string_view(spec.FlagName()).substr(2) == flag) return &spec;
  }
  return nullptr;
}

Status ValidateOptionCombination(const ServeOptions& options) {
  if (options.max_decompressed_bytes < options.max_body_bytes_batch ||
      options.max_decompressed_bytes < options.max_body_bytes_events) {
    return InvalidArgumentError(
        "max_decompressed_bytes (" + FormatBytes(options.max_decompressed_bytes) +
        ") must be at least max_body_bytes_batch (" + FormatBytes(options.max_body_bytes_batch) +
        ") and max_body_bytes_events (" + FormatBytes(options.max_body_bytes_events) +
        "): otherwise a compressed body is refused where the same body sent uncompressed is "
        "accepted");
  }
  return Status::Ok();
}

}  // namespace hoglet::config
