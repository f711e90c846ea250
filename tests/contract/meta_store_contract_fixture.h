// The fixture of the MetaStore contract suites (meta_store_contract.h, projects, users and keys;
// meta_store_records_contract.h, definitions, flags, cohorts and actions;
// meta_store_insights_contract.h, insights and dashboards). An implementation runs all three by
// instantiating them with a factory that opens it over a directory on a clock:
//
//   INSTANTIATE_TEST_SUITE_P(Postgres, MetaStoreContract,
//                            ::testing::Values(MetaStoreFactory{"Postgres", OpenMine}),
//                            MetaStoreFactoryName);
//   INSTANTIATE_TEST_SUITE_P(Postgres, MetaStoreRecordsContract, ...same values...);
//   INSTANTIATE_TEST_SUITE_P(Postgres, MetaStoreInsightsContract, ...same values...);
//
// Each test gets a fresh temporary directory and a manual clock starting at kStartUs; Reopen()
// drops the store and opens the factory again over the same directory, which is how durability
// is checked. Only the interface is used.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "base/clock.h"
#include "meta/meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta::contract {

struct MetaStoreFactory {
  std::string name;
  // Opens the implementation over `dir` (empty the first time, the previous data on a reopen),
  // stamping instants from `clock`, which outlives the store.
  std::function<StatusOr<std::unique_ptr<MetaStore>>(const std::string& dir, const Clock& clock)>
      open;
};

inline void PrintTo(const MetaStoreFactory& factory, std::ostream* os) { *os << factory.name; }

inline std::string MetaStoreFactoryName(const ::testing::TestParamInfo<MetaStoreFactory>& info) {
  return info.param.name;
}

class MetaStoreContractFixture : public ::testing::TestWithParam<MetaStoreFactory> {
 protected:
  static constexpr int64_t kStartUs = 1'700'000'000'000'000;
  static constexpr int64_t kSecondUs = 1'000'000;

  // Opens the store and bootstraps it: organization, user, project 1 and a full-access key.
  void SetUp() override {
    Open();
    auto boot = store_->Bootstrap(BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    ASSERT_TRUE(boot->created);
    project_ = boot->project;
    bootstrap_key_ = boot->personal_api_key;
    auto auth = store_->AuthenticatePersonalApiKey(bootstrap_key_);
    ASSERT_TRUE(auth.ok()) << auth.status().ToString();
    user_ = auth->user;
  }

  void Open() {
    auto opened = GetParam().open(dir_.path(), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = *std::move(opened);
  }
  void Reopen() {
    store_.reset();
    Open();
  }

  // A second project, in a second organization.
  Project OtherProject() {
    auto org = store_->CreateOrganization("Other");
    EXPECT_TRUE(org.ok()) << org.status().ToString();
    auto project = store_->CreateProject(org->id, "Theirs");
    EXPECT_TRUE(project.ok()) << project.status().ToString();
    return project.ok() ? *project : Project{};
  }

  hoglet::testing::TempDir dir_;
  ManualClock clock_{kStartUs};
  std::unique_ptr<MetaStore> store_;
  Project project_;            // from the bootstrap
  User user_;                  // the bootstrap user
  std::string bootstrap_key_;  // the bootstrap user's plain personal API key
};

}  // namespace hoglet::meta::contract
