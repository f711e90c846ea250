// The MetaStore contract run against the embedded SQLite store.
#include "tests/contract/meta_store_contract.h"

#include "meta/sqlite_meta_store.h"
#include "tests/contract/meta_store_insights_contract.h"
#include "tests/contract/meta_store_records_contract.h"

namespace hoglet::meta::contract {
namespace {

StatusOr<std::unique_ptr<MetaStore>> OpenSqlite(const std::string& dir, const Clock& clock) {
  return OpenSqliteMetaStore(dir + "/meta.sqlite", clock);
}

const MetaStoreFactory kSqlite{"Sqlite", OpenSqlite};

INSTANTIATE_TEST_SUITE_P(Embedded, MetaStoreContract, ::testing::Values(kSqlite),
                         MetaStoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Embedded, MetaStoreRecordsContract, ::testing::Values(kSqlite),
                         MetaStoreFactoryName);
INSTANTIATE_TEST_SUITE_P(Embedded, MetaStoreInsightsContract, ::testing::Values(kSqlite),
                         MetaStoreFactoryName);

}  // namespace
}  // namespace hoglet::meta::contract
