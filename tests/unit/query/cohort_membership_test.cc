// Cohort filters in queries: static lists, dynamic filters over current person properties read
// as HogQL reads them, nested cohorts, not_in, negation, deleted and unknown cohorts, loops.
#include "query/cohort_membership.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "filters/property_filter.h"

namespace hoglet::query {
namespace {

Uuid Person(int n) {
  Uuid uuid;
  uuid.bytes[15] = static_cast<uint8_t>(n);
  return uuid;
}

class FakeCohorts final : public CohortSource {
 public:
  void Dynamic(int64_t id, const char* filters_json, bool deleted = false) {
    QueryCohort cohort;
    cohort.deleted = deleted;
    cohort.root = *filters::ParseFilterTree(filters_json);
    cohorts_[id] = std::move(cohort);
  }
  void Static(int64_t id, std::vector<int> persons) {
    QueryCohort cohort;
    cohort.is_static = true;
    cohorts_[id] = std::move(cohort);
    for (int n : persons) static_of_[n].push_back(id);
  }
  StatusOr<std::optional<QueryCohort>> Cohort(int64_t id) override {
    ++reads_;
    auto found = cohorts_.find(id);
    if (found == cohorts_.end()) return std::nullopt;
    return found->second;
  }
  StatusOr<std::vector<int64_t>> StaticCohortsOf(const Uuid& person) override {
    return static_of_[person.bytes[15]];
  }
  int reads() const { return reads_; }

 private:
  std::map<int64_t, QueryCohort> cohorts_;
  std::map<int, std::vector<int64_t>> static_of_;
  int reads_ = 0;
};

class CohortMembershipTest : public ::testing::Test {
 protected:
  bool Matches(const char* filter_json, int person, const char* properties = "{}") {
    filters::FilterParseOptions options;
    auto filter = filters::ParsePropertyFilter(filter_json, options);
    EXPECT_TRUE(filter.ok()) << filter.status().ToString();
    auto in = membership_.Matches(*filter, Person(person), *filters::ParseProperties(properties));
    EXPECT_TRUE(in.ok()) << in.status().ToString();
    return in.ok() && *in;
  }

  FakeCohorts cohorts_;
  CohortMembership membership_{&cohorts_, {0, TimeZone(), filters::Dialect::kHogQL}};
};

TEST_F(CohortMembershipTest, StaticAndDynamicCohorts) {
  cohorts_.Static(1, {7});
  cohorts_.Dynamic(2, R"([{"key": "plan", "value": "pro", "type": "person"}])");
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 1})", 7));
  EXPECT_FALSE(Matches(R"({"type": "cohort", "key": "id", "value": 1})", 8));
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 2})", 8, R"({"plan": "pro"})"));
  // HogQL's reading: case-sensitive.
  EXPECT_FALSE(Matches(R"({"type": "cohort", "key": "id", "value": 2})", 8, R"({"plan": "Pro"})"));
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 2, "operator": "not_in"})", 8,
                      R"({"plan": "free"})"));
  // Each cohort is read once.
  EXPECT_EQ(cohorts_.reads(), 2);
}

TEST_F(CohortMembershipTest, NestedNegatedAndDeletedCohorts) {
  cohorts_.Static(1, {7});
  cohorts_.Dynamic(3, R"({"type": "OR", "values": [
      {"key": "id", "value": 1, "type": "cohort"},
      {"key": "plan", "value": "pro", "type": "person"}]})");
  cohorts_.Dynamic(4, R"([{"key": "id", "value": 1, "type": "cohort", "negation": true}])");
  cohorts_.Dynamic(5, R"([])", /*deleted=*/true);
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 3})", 7));
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 3})", 9, R"({"plan": "pro"})"));
  EXPECT_FALSE(Matches(R"({"type": "cohort", "key": "id", "value": 3})", 9));
  EXPECT_FALSE(Matches(R"({"type": "cohort", "key": "id", "value": 4})", 7));
  EXPECT_TRUE(Matches(R"({"type": "cohort", "key": "id", "value": 4})", 9));
  EXPECT_FALSE(Matches(R"({"type": "cohort", "key": "id", "value": 5})", 9));
}

TEST_F(CohortMembershipTest, UnknownCohortsAndLoopsAreClearErrors) {
  cohorts_.Dynamic(6, R"([{"key": "id", "value": 6, "type": "cohort"}])");
  auto unknown = membership_.Matches(
      *filters::ParsePropertyFilter(R"({"type": "cohort", "key": "id", "value": 99})"), Person(1),
      {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "cohort 99 does not exist in this project");
  auto loop = membership_.Matches(
      *filters::ParsePropertyFilter(R"({"type": "cohort", "key": "id", "value": 6})"), Person(1),
      {});
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.status().message().find("loop"), std::string::npos);
}

}  // namespace
}  // namespace hoglet::query
