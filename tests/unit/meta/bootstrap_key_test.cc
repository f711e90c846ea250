// The personal API key Bootstrap creates from the operator's setting: created on a fresh store
// and at a later start when it is new, but never again once it was deleted (revoked).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "base/clock.h"
#include "base/sha256.h"
#include "meta/schema_migrations.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr char kInitKey[] = "phx_configuredbootstrapkey0000000000000001";

class BootstrapKey : public ::testing::Test {
 protected:
  std::unique_ptr<MetaStore> Open() {
    auto store = OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  static BootstrapRequest WithKey(std::string key) {
    BootstrapRequest request;
    request.personal_api_key = std::move(key);
    return request;
  }

  // Deletes the key with this plain value through the store, as DELETE /api/personal_api_keys/
  // does.
  static void DeleteKey(MetaStore& store, const std::string& plain) {
    auto caller = store.AuthenticatePersonalApiKey(plain);
    ASSERT_TRUE(caller.ok()) << caller.status().ToString();
    ASSERT_TRUE(store.DeletePersonalApiKey(caller->user.id, caller->key_id).ok());
  }

  testing::TempDir dir_;
  ManualClock clock_{1'700'000'000'000'000};
};

TEST_F(BootstrapKey, ARevokedBootstrapKeyStaysRevokedAcrossRestarts) {
  {
    auto store = Open();
    auto first = store->Bootstrap(WithKey(kInitKey));
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->created);
    EXPECT_FALSE(first->personal_api_key_revoked);
    DeleteKey(*store, kInitKey);
  }
  for (int restart = 0; restart < 2; ++restart) {
    auto store = Open();
    auto again = store->Bootstrap(WithKey(kInitKey));
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_FALSE(again->created);
    EXPECT_FALSE(again->personal_api_key_added);
    EXPECT_TRUE(again->personal_api_key_revoked);
    EXPECT_EQ(store->AuthenticatePersonalApiKey(kInitKey).status().code(),
              StatusCode::kUnauthenticated);
    EXPECT_TRUE(store->ListPersonalApiKeys(1)->empty());
  }
}

TEST_F(BootstrapKey, AKeyAddedAtALaterStartIsRememberedToo) {
  auto store = Open();
  ASSERT_TRUE(store->Bootstrap({}).ok());
  auto added = store->Bootstrap(WithKey(kInitKey));
  ASSERT_TRUE(added.ok());
  EXPECT_TRUE(added->personal_api_key_added);
  DeleteKey(*store, kInitKey);

  auto again = store->Bootstrap(WithKey(kInitKey));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->personal_api_key_revoked);
  EXPECT_FALSE(again->personal_api_key_added);
  EXPECT_EQ(store->AuthenticatePersonalApiKey(kInitKey).status().code(),
            StatusCode::kUnauthenticated);

  // A new value is a new key: it is added.
  auto replaced = store->Bootstrap(WithKey("phx_replacementbootstrapkey000000000000001"));
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->personal_api_key_added);
  EXPECT_FALSE(replaced->personal_api_key_revoked);
}

TEST_F(BootstrapKey, AFreshDataDirectoryCreatesTheKey) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Bootstrap(WithKey(kInitKey)).ok());
    DeleteKey(*store, kInitKey);
  }
  testing::TempDir fresh;
  auto store = OpenSqliteMetaStore(fresh.Join("meta.sqlite"), clock_);
  ASSERT_TRUE(store.ok());
  auto boot = (*store)->Bootstrap(WithKey(kInitKey));
  ASSERT_TRUE(boot.ok());
  EXPECT_TRUE(boot->created);
  EXPECT_TRUE((*store)->AuthenticatePersonalApiKey(kInitKey).ok());
}

// A data directory from before bootstrap keys were remembered (schema version 4): its bootstrap
// key, still present, is recognised by its label, so deleting it after the upgrade is final.
TEST_F(BootstrapKey, AnExistingBootstrapKeyIsRememberedByTheUpgrade) {
  std::string sql =
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at INTEGER NOT NULL);";
  for (const sqlite::Migration& migration : SchemaMigrations()) {
    if (migration.version > 4) break;
    sql += std::string(migration.sql);
    sql +=
        "INSERT INTO schema_migrations VALUES (" + std::to_string(migration.version) + ", 'v', 0);";
  }
  sql +=
      "INSERT INTO organizations VALUES ('org-1', 'Org', 0);"
      "INSERT INTO users (uuid, organization_id, email, created_at) "
      "VALUES ('user-1', 'org-1', 'admin@localhost', 0);"
      "INSERT INTO projects (organization_id, name, api_token, secret_api_token, created_at) "
      "VALUES ('org-1', 'Default project', 'phc_old_project_token', 'phs_old_secret', 0);"
      "INSERT INTO personal_api_keys (id, user_id, label, secure_value, mask_value, created_at) "
      "VALUES ('key-1', 1, 'Bootstrap key', '" +
      Sha256Hex(kInitKey) + "', 'phx_...0001', 0);";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.Join("meta.sqlite").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Bootstrap(WithKey(kInitKey)).ok());
  DeleteKey(*store, kInitKey);
  auto again = store->Bootstrap(WithKey(kInitKey));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->personal_api_key_revoked);
  EXPECT_EQ(store->AuthenticatePersonalApiKey(kInitKey).status().code(),
            StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace hoglet::meta
