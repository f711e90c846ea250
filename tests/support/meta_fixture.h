// A real SQLite metadata store in a temporary directory, bootstrapped (organization, user,
// project 1, personal API key), on a manual clock: what the API's and the flags service's tests
// start from.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "base/clock.h"
#include "meta/meta_store.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::testing {

inline constexpr int64_t kStartUs = 1'700'000'000'000'000;

class MetaFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = meta::OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    meta_ = std::move(opened).value();
    auto boot = meta_->Bootstrap(meta::BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    project_ = boot->project;
    key_ = boot->personal_api_key;
  }

  // A feature flag of project 1 with these stored filters (the test fails when it cannot be
  // stored).
  void CreateFlag(const std::string& key, const std::string& filters, bool continuity = false) {
    meta::FeatureFlagRecord flag;
    flag.team_id = project_.id;
    flag.key = key;
    flag.filters_json = filters;
    flag.ensure_experience_continuity = continuity;
    auto created = meta_->CreateFeatureFlag(flag);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
  }

  TempDir dir_;
  ManualClock clock_{kStartUs};
  std::unique_ptr<meta::MetaStore> meta_;
  meta::Project project_;  // project 1, from the bootstrap
  std::string key_;        // the bootstrap user's personal API key
};

}  // namespace hoglet::testing
