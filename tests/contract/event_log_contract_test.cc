// The EventLog contract run against the embedded write-ahead log.
#include "tests/contract/event_log_contract.h"

#include "log/wal_log.h"

namespace hoglet::log::contract {
namespace {

constexpr size_t kMaxPendingBytes = size_t{1} << 20;

StatusOr<std::unique_ptr<EventLog>> OpenWal(const std::string& dir) {
  WalOptions options;
  options.dir = dir;
  options.partitions = 4;
  options.segment_bytes = 4096;  // several segments per test, so reads cross segment rolls
  options.max_pending_bytes = kMaxPendingBytes;  // a record larger than this never fits
  options.fsync = false;  // durability across a process restart is what a reopen checks
  return OpenWalLog(options);
}

INSTANTIATE_TEST_SUITE_P(Embedded, EventLogContract,
                         ::testing::Values(EventLogFactory{"Wal", OpenWal, 2 * kMaxPendingBytes}),
                         EventLogFactoryName);

}  // namespace
}  // namespace hoglet::log::contract
