// MetaStore::SetUserPassword and AuthenticatePassword on the SQLite store: the right password
// authenticates, every failure looks the same, and the plain password never reaches the file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "base/clock.h"
#include "meta/password_hash.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;
constexpr std::string_view kPassword = "Plain-Password-7f3a9c";

class SqliteMetaStorePassword : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    auto org = store_->CreateOrganization("Org");
    ASSERT_TRUE(org.ok()) << org.status().ToString();
    auto user = store_->CreateUser(org->id, "ada@example.com", "Ada");
    ASSERT_TRUE(user.ok()) << user.status().ToString();
    user_ = *user;
  }

  std::string path() const { return dir_.Join("meta.sqlite"); }

  std::unique_ptr<MetaStore> Open() {
    auto store = OpenSqliteMetaStore(path(), clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Every byte of the database, WAL included.
  std::string FileBytes() const {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      std::ifstream in(path() + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
  }

  // users.password_hash of `user_id`, "NULL" when unset.
  std::string StoredHash(int64_t user_id) const {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(
        sqlite3_prepare_v2(db, "SELECT password_hash FROM users WHERE id = ?", -1, &stmt, nullptr),
        SQLITE_OK);
    sqlite3_bind_int64(stmt, 1, user_id);
    std::string text = "no row";
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* value = sqlite3_column_text(stmt, 0);
      text = value ? reinterpret_cast<const char*>(value) : "NULL";
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return text;
  }

  void ExpectRejected(std::string_view email, std::string_view password) {
    auto who = store_->AuthenticatePassword(email, password);
    ASSERT_FALSE(who.ok()) << email << " / " << password;
    EXPECT_EQ(who.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(who.status().message(), "email or password is wrong");
    EXPECT_EQ(who.status().reason(), "invalid_credentials");
  }

  hoglet::testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<MetaStore> store_;
  User user_;
};

TEST_F(SqliteMetaStorePassword, TheRightPasswordAuthenticatesTheUser) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, kPassword).ok());
  auto who = store_->AuthenticatePassword("ada@example.com", kPassword);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->id, user_.id);
  EXPECT_EQ(who->uuid, user_.uuid);
  EXPECT_EQ(who->email, "ada@example.com");
  EXPECT_EQ(who->first_name, "Ada");
  EXPECT_EQ(who->organization_id, user_.organization_id);
  EXPECT_EQ(who->created_at_us, kStart);
}

TEST_F(SqliteMetaStorePassword, WrongPasswordUnknownEmailAndNoPasswordGiveTheSameError) {
  // Before any password is set, even a well-formed attempt fails.
  ExpectRejected("ada@example.com", kPassword);
  ASSERT_TRUE(store_->SetUserPassword(user_.id, kPassword).ok());
  ExpectRejected("ada@example.com", "Plain-Password-7f3a9d");
  ExpectRejected("nobody@example.com", kPassword);
  ExpectRejected("ADA@example.com", kPassword);
  ExpectRejected("ada@example.com", "short");
  ExpectRejected("", kPassword);
}

TEST_F(SqliteMetaStorePassword, ANewPasswordReplacesTheOldOne) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, kPassword).ok());
  ASSERT_TRUE(store_->SetUserPassword(user_.id, "another password").ok());
  ExpectRejected("ada@example.com", kPassword);
  EXPECT_TRUE(store_->AuthenticatePassword("ada@example.com", "another password").ok());
}

TEST_F(SqliteMetaStorePassword, SurvivesAReopen) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, kPassword).ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  auto who = store_->AuthenticatePassword("ada@example.com", kPassword);
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->id, user_.id);
}

TEST_F(SqliteMetaStorePassword, RejectsUnknownUsersAndPasswordsOutOfBounds) {
  EXPECT_EQ(store_->SetUserPassword(user_.id + 100, kPassword).code(), StatusCode::kNotFound);
  for (size_t length : {size_t{0}, kMinPasswordBytes - 1, kMaxPasswordBytes + 1}) {
    Status set = store_->SetUserPassword(user_.id, std::string(length, 'x'));
    EXPECT_EQ(set.code(), StatusCode::kInvalidArgument) << length;
  }
  EXPECT_EQ(StoredHash(user_.id), "NULL");
}

TEST_F(SqliteMetaStorePassword, StoresOnlyAnArgon2idHash) {
  ASSERT_TRUE(store_->SetUserPassword(user_.id, kPassword).ok());
  std::string stored = StoredHash(user_.id);
  EXPECT_TRUE(stored.starts_with("$argon2id$v=19$")) << stored;
  EXPECT_TRUE(VerifyPassword(kPassword, stored));
  // The bytes written so far (main file and WAL) hold the hash and never the password.
  std::string bytes = FileBytes();
  EXPECT_NE(bytes.find(stored), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
  store_.reset();  // checkpoints the WAL into the main file
  bytes = FileBytes();
  EXPECT_NE(bytes.find(stored), std::string::npos);
  EXPECT_EQ(bytes.find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace hoglet::meta
