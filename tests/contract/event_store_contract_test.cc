// The EventStore contract run against the embedded columnar store.
#include "tests/contract/event_store_contract.h"

#include "store/columnar_store.h"

namespace hoglet::store::contract {
namespace {

StatusOr<std::unique_ptr<EventStore>> OpenColumnar(const std::string& dir) {
  ColumnarStoreOptions options;
  options.dir = dir;
  options.fsync = false;  // durability across a process restart is what a reopen checks
  options.merge_threads = 0;
  return OpenColumnarStore(options);
}

// The same with background merges folding every two small parts, so the contract also holds
// while parts are replaced under the queries.
StatusOr<std::unique_ptr<EventStore>> OpenColumnarMerging(const std::string& dir) {
  ColumnarStoreOptions options;
  options.dir = dir;
  options.fsync = false;
  options.merge_threads = 1;
  options.merge_min_parts = 2;
  return OpenColumnarStore(options);
}

INSTANTIATE_TEST_SUITE_P(Embedded, EventStoreContract,
                         ::testing::Values(EventStoreFactory{"Columnar", OpenColumnar},
                                           EventStoreFactory{"ColumnarMerging",
                                                             OpenColumnarMerging}),
                         EventStoreFactoryName);

}  // namespace
}  // namespace hoglet::store::contract
