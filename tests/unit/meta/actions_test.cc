// Actions in the SQLite metadata store: what is stored and validated, updates, soft deletion,
// ordering, project isolation and restarts.
#include "meta/actions.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "meta/sqlite_meta_store.h"
#include "tests/support/temp_dir.h"

namespace hoglet::meta {
namespace {

constexpr int64_t kStart = 1'700'000'000'000'000;

class Actions : public ::testing::Test {
 protected:
  void SetUp() override {
    Reopen();
    auto boot = store_->Bootstrap(BootstrapRequest{});
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    team_ = boot->project.id;
    auto other = store_->CreateProject(boot->project.organization_id, "Other");
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    other_team_ = other->id;
  }

  void Reopen() {
    store_.reset();
    auto opened = OpenSqliteMetaStore(dir_.Join("meta.sqlite"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  ActionRecord Action(std::string name, int64_t team_id = 0) {
    ActionRecord action;
    action.team_id = team_id == 0 ? team_ : team_id;
    action.name = std::move(name);
    action.steps_json = R"([{"event":"$pageview","url":"/pricing","url_matching":"contains"}])";
    return action;
  }

  ActionRecord MustCreate(const ActionRecord& action) {
    auto created = store_->CreateAction(action);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : ActionRecord{};
  }

  std::vector<std::string> Names(int64_t team_id, bool include_deleted) {
    auto actions = store_->ListActions(team_id, include_deleted);
    EXPECT_TRUE(actions.ok()) << actions.status().ToString();
    std::vector<std::string> names;
    if (actions.ok()) {
      for (const ActionRecord& action : *actions) names.push_back(action.name);
    }
    return names;
  }

  hoglet::testing::TempDir dir_;
  ManualClock clock_{kStart};
  std::unique_ptr<MetaStore> store_;
  int64_t team_ = 0;
  int64_t other_team_ = 0;
};

TEST_F(Actions, CreateStoresEveryFieldAndUpdateKeepsTheCreation) {
  ActionRecord action = Action("Viewed pricing");
  action.description = "the pricing page";
  action.created_by = 1;
  ActionRecord created = MustCreate(action);
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.name, "Viewed pricing");
  EXPECT_EQ(created.description, "the pricing page");
  EXPECT_EQ(created.steps_json, action.steps_json);
  EXPECT_EQ(created.created_by, 1);
  EXPECT_EQ(created.created_at_us, kStart);
  EXPECT_EQ(created.updated_at_us, kStart);

  clock_.Advance(5'000'000);
  created.name = "Pricing";
  created.steps_json = "[]";
  created.created_by = 2;  // not stored by an update
  auto updated = store_->UpdateAction(created);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->name, "Pricing");
  EXPECT_EQ(updated->steps_json, "[]");
  EXPECT_EQ(updated->created_by, 1);
  EXPECT_EQ(updated->created_at_us, kStart);
  EXPECT_EQ(updated->updated_at_us, kStart + 5'000'000);

  Reopen();
  auto read = store_->ActionById(team_, created.id);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->name, "Pricing");
}

TEST_F(Actions, NameAndStepsAreValidated) {
  EXPECT_EQ(store_->CreateAction(Action("")).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateAction(Action(std::string(kMaxActionNameBytes + 1, 'a')))
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  ActionRecord object_steps = Action("object");
  object_steps.steps_json = R"({"event":"x"})";
  auto refused = store_->CreateAction(object_steps);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "steps must be a JSON array");
  ActionRecord broken = Action("broken");
  broken.steps_json = "[";
  EXPECT_EQ(store_->CreateAction(broken).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateAction(Action("nowhere", 9999)).status().code(),
            StatusCode::kNotFound);
}

TEST_F(Actions, SoftDeletedActionsAreListedOnlyWhenAskedAndProjectsAreIsolated) {
  ActionRecord first = MustCreate(Action("first"));
  MustCreate(Action("second"));
  MustCreate(Action("elsewhere", other_team_));
  first.deleted = true;
  ASSERT_TRUE(store_->UpdateAction(first).ok());
  EXPECT_EQ(Names(team_, false), std::vector<std::string>{"second"});
  EXPECT_EQ(Names(team_, true), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(Names(other_team_, false), std::vector<std::string>{"elsewhere"});
  // Another project's id is not found, on reads and on updates.
  EXPECT_EQ(store_->ActionById(other_team_, first.id).status().code(), StatusCode::kNotFound);
  first.team_id = other_team_;
  EXPECT_EQ(store_->UpdateAction(first).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace hoglet::meta
