// The options of `hoglet serve`: one typed struct with a documented default for every field,
// loaded once from a TOML file, the environment and the command line (in rising precedence),
// validated, then treated as immutable.
//
// Every option has three spellings, all derived from its snake_case name in the registry
// (config/option_registry.h), which also holds its help text, default, parser and validator:
//   file  top-level TOML key   max_body_bytes_batch = "20MiB"
//   env   HOGLET_<UPPER_SNAKE> HOGLET_MAX_BODY_BYTES_BATCH=20MiB
//   flag  --kebab-case         --max-body-bytes-batch=20MiB  or  --max-body-bytes-batch 20MiB
// The file is named by --config FILE, else by HOGLET_CONFIG; without either no file is read.
// docs/configuration.md lists every option.
//
// Example (main):
//   if (config::HelpRequested(argc - 2, argv + 2)) { std::cout << config::ServeHelp(); ... }
//   auto options = config::LoadServeOptions(argc - 2, argv + 2, config::ProcessEnvironment());
//   if (!options.ok()) { std::cerr << options.status().message() << "\n"; return 2; }
#pragma once

#include <cstdint>
#include <string>

#include "base/logging.h"
#include "base/status.h"
#include "config/environment.h"

namespace hoglet::config {

struct ListenAddress {
  std::string host = "127.0.0.1";  // a name, an IPv4 address or an IPv6 address (no brackets)
  uint16_t port = 8000;            // 0: the system picks a free port

  // "host:port", with brackets around an IPv6 host.
  std::string ToString() const;
  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

// The number of CPUs the process may use, at least 1: the default of http_threads.
int DefaultHttpThreads();

struct ServeOptions {
  // Where every file of this instance lives (log, parts, metadata database).
  std::string data_dir = "./data";
  ListenAddress listen;
  int http_threads = DefaultHttpThreads();
  int log_partitions = 4;
  // fsync the event log before acknowledging a capture request.
  bool fsync = true;
  // Body limits, in bytes, applied before and after decompression.
  int64_t max_body_bytes_events = 2 * 1024 * 1024;
  int64_t max_body_bytes_batch = 20 * 1024 * 1024;
  int64_t max_decompressed_bytes = 20 * 1024 * 1024;
  int max_events_per_request = 10000;
  int max_json_depth = 64;
  int max_properties_per_event = 10000;
  int64_t max_event_bytes = 1000000;
  int request_timeout_ms = 10000;
  int keep_alive_timeout_ms = 75000;
  int ingest_batch_events = 10000;
  // Bounds on the event and property definitions and the event-to-property pairs ingestion
  // records (ingest/definitions_tracker.h).
  int max_new_definitions_per_batch = 1000;
  int max_event_definitions_per_project = 10000;
  int max_property_definitions_per_project = 10000;
  int max_person_property_definitions_per_project = 10000;
  int max_group_property_definitions_per_project = 10000;
  int max_new_event_properties_per_batch = 5000;
  int max_event_properties_per_project = 50000;
  // Size limits of the properties person processing writes (compact JSON text, bytes).
  int64_t max_person_properties_bytes = 640 * 1024;
  int64_t max_group_properties_bytes = 1'000'000;
  // Used by the first start of an empty data directory (and checked on later starts).
  std::string init_project_token;
  std::string init_personal_api_key;
  LogLevel log_level = LogLevel::kInfo;
  int merge_threads = 1;
  // Threads one query's scan may use (query/trends_runner.h); the number of CPUs by default.
  int query_threads = DefaultHttpThreads();
  // Decoded event store blocks kept in memory between queries (store/block_cache.h); 0 keeps none.
  int64_t block_cache_bytes = int64_t{512} << 20;

  // The file the options were read from; empty when none. Not an option itself.
  std::string config_file;
};

// Loads the options. `argv[0..argc)` are the arguments after the subcommand (no program name).
// kInvalidArgument, with a message naming the option as it was written (flag, variable or
// file:key), the rejected value and what is accepted, when: a value does not parse or is out of
// range; a flag, TOML key or positional argument is unknown; the config file cannot be read or
// parsed; or options contradict each other. Secrets (init_personal_api_key) are never echoed.
// `--help`/`-h` are ignored here; see HelpRequested.
StatusOr<ServeOptions> LoadServeOptions(int argc, char** argv, const Environment& env);

// True when the arguments ask for help (--help or -h).
bool HelpRequested(int argc, char** argv);

// The text of `hoglet serve --help`: usage, then every option with its flag, environment
// variable, file key, default and description.
std::string ServeHelp();

// The reference table of docs/configuration.md, generated from the registry (Markdown).
std::string ServeOptionsMarkdown();

}  // namespace hoglet::config
