// Test helpers for the log: synchronous wrappers around the callback API, and segment files.
#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "log/event_log.h"

namespace hoglet::log::testing {

// Appends and waits for the callback.
inline StatusOr<uint64_t> AppendAndWait(EventLog& log, int partition,
                                        std::vector<std::string> payloads) {
  auto promise = std::make_shared<std::promise<StatusOr<uint64_t>>>();
  auto future = promise->get_future();
  log.Append(partition, std::move(payloads),
             [promise](StatusOr<uint64_t> result) { promise->set_value(std::move(result)); });
  return future.get();
}

// Every record of `partition` from `from` to the current end.
inline StatusOr<std::vector<Record>> ReadAll(EventLog& log, int partition, uint64_t from = 0) {
  std::vector<Record> all;
  while (from < log.EndOffset(partition)) {
    HOGLET_ASSIGN_OR_RETURN(std::vector<Record> batch,
                            log.Read(partition, from, 1000, 1 << 20, std::chrono::milliseconds(0)));
    if (batch.empty()) break;
    from = batch.back().offset + 1;
    for (Record& record : batch) all.push_back(std::move(record));
  }
  return all;
}

// The paths of the segment files of `partition_dir`, sorted (names sort by offset).
inline std::vector<std::string> SegmentFiles(const std::string& partition_dir) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(partition_dir)) {
    if (entry.path().extension() == ".seg") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace hoglet::log::testing
