// The PersonStore contract run against the embedded SQLite store, with its cache and without.
#include "tests/contract/person_store_contract.h"

#include "persons/sqlite_person_store.h"

namespace hoglet::persons::contract {
namespace {

StatusOr<std::unique_ptr<PersonStore>> OpenSqlite(const std::string& dir) {
  return OpenSqlitePersonStore(dir + "/persons.sqlite");
}

StatusOr<std::unique_ptr<PersonStore>> OpenSqliteUncached(const std::string& dir) {
  SqlitePersonStoreOptions options;
  options.cache_capacity = 0;
  return OpenSqlitePersonStore(dir + "/persons.sqlite", options);
}

INSTANTIATE_TEST_SUITE_P(Embedded, PersonStoreContract,
                         ::testing::Values(PersonStoreFactory{"Sqlite", OpenSqlite},
                                           PersonStoreFactory{"SqliteUncached",
                                                              OpenSqliteUncached}),
                         PersonStoreFactoryName);

}  // namespace
}  // namespace hoglet::persons::contract
