#include "flags/flag_definitions_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "flag_test_support.h"

namespace hoglet::flags {
namespace {

namespace dom = simdjson::dom;

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::MakeCohort;
using testing::MakeFlag;
using testing::MakeSnapshot;
using testing::RolloutFlag;

class Document {
 public:
  explicit Document(std::string json) : json_(std::move(json)) {
    simdjson::error_code error = parser_.parse(json_).get(root_);
    EXPECT_EQ(error, simdjson::SUCCESS) << json_;
  }

  dom::element root() const { return root_; }

  dom::object Flag(std::string_view key) const {
    dom::array flags = root_["flags"].get_array().value();
    for (dom::element flag : flags) {
      if (flag["key"].get_string().value() == key) return flag.get_object().value();
    }
    ADD_FAILURE() << "no flag " << key << " in " << json_;
    return {};
  }

  std::vector<std::string> FlagKeys() const {
    std::vector<std::string> keys;
    dom::array flags = root_["flags"].get_array().value();
    for (dom::element flag : flags) {
      keys.emplace_back(flag["key"].get_string().value());
    }
    return keys;
  }

  std::vector<std::string> CohortIds() const {
    std::vector<std::string> ids;
    dom::object cohorts = root_["cohorts"].get_object().value();
    for (dom::key_value_pair field : cohorts) {
      ids.emplace_back(field.key);
    }
    return ids;
  }

 private:
  std::string json_;
  dom::parser parser_;
  dom::element root_;
};

std::vector<std::string> Strings(dom::element array) {
  std::vector<std::string> out;
  dom::array items = array.get_array().value();
  for (dom::element item : items) {
    out.emplace_back(item.get_string().value());
  }
  return out;
}

TEST(FlagDefinitionsJson, DescribesEveryFlag) {
  FeatureFlag beta = RolloutFlag(12, "beta", 50);
  beta.name = "Beta users";
  beta.version = 3;
  beta.ensure_experience_continuity = true;
  beta.evaluation_contexts = {"web", "docs"};
  beta.bucket_by_device_id = true;
  FeatureFlag server = RolloutFlag(13, "server", 10);
  server.active = false;
  server.evaluation_runtime = EvaluationRuntime::kServer;
  Document doc(FlagDefinitionsJson(*MakeSnapshot({beta, server})));

  dom::object flag = doc.Flag("beta");
  EXPECT_EQ(flag["id"].get_int64().value(), 12);
  EXPECT_EQ(flag["team_id"].get_int64().value(), 1);
  EXPECT_EQ(flag["name"].get_string().value(), "Beta users");
  EXPECT_FALSE(flag["deleted"].get_bool().value());
  EXPECT_TRUE(flag["active"].get_bool().value());
  EXPECT_TRUE(flag["ensure_experience_continuity"].get_bool().value());
  EXPECT_FALSE(flag["has_encrypted_payloads"].get_bool().value());
  EXPECT_EQ(flag["version"].get_int64().value(), 3);
  EXPECT_EQ(flag["evaluation_runtime"].get_string().value(), "all");
  EXPECT_THAT(Strings(flag["evaluation_tags"]), ElementsAre("web", "docs"));
  EXPECT_THAT(Strings(flag["evaluation_contexts"]), ElementsAre("web", "docs"));
  EXPECT_EQ(flag["bucketing_identifier"].get_string().value(), "device_id");
  EXPECT_EQ(flag["filters"]["groups"].at(0)["rollout_percentage"].get_double().value(), 50);

  dom::object inactive = doc.Flag("server");
  EXPECT_FALSE(inactive["active"].get_bool().value());
  EXPECT_EQ(inactive["evaluation_runtime"].get_string().value(), "server");
  EXPECT_EQ(inactive["bucketing_identifier"].get_string().value(), "distinct_id");
  EXPECT_THAT(Strings(inactive["evaluation_tags"]), IsEmpty());

  EXPECT_TRUE(doc.root()["group_type_mapping"].get_object().value().size() == 0);
  EXPECT_THAT(doc.CohortIds(), IsEmpty());
}

TEST(FlagDefinitionsJson, KeepsStoredFiltersIncludingUnknownFields) {
  FeatureFlag flag = MakeFlag(1, "kept", R"({"groups":[{"properties":[
      {"key":"email","value":"@acme.com","operator":"icontains","type":"person"}],
      "rollout_percentage":25.5,"description":"acme"}],
      "payloads":{"true":"{\"a\":1}"},"custom":{"x":[1,2]}})");
  Document doc(FlagDefinitionsJson(*MakeSnapshot({flag})));
  dom::element filters = doc.Flag("kept")["filters"];
  EXPECT_EQ(simdjson::minify(filters),
            R"({"groups":[{"properties":[{"key":"email","value":"@acme.com","operator":)"
            R"("icontains","type":"person"}],"rollout_percentage":25.5,"description":"acme"}],)"
            R"("payloads":{"true":"{\"a\":1}"},"custom":{"x":[1,2]}})");
}

TEST(FlagDefinitionsJson, ResolvesDependencyKeysAndAddsChains) {
  FeatureFlag top = MakeFlag(1, "top", R"({"groups":[{"properties":[
      {"key":"2","type":"flag","value":true,"operator":"flag_evaluates_to","dependency_chain":[]},
      {"key":"plan","value":"pro"}]}]})");
  FeatureFlag middle = MakeFlag(2, "middle", R"({"groups":[{"properties":[
      {"key":"3","type":"flag","value":"blue","operator":"flag_evaluates_to"}]}]})");
  FeatureFlag broken = MakeFlag(4, "broken", R"({"groups":[{"properties":[
      {"key":"77","type":"flag","value":true,"operator":"flag_evaluates_to"}]}]})");
  Document doc(
      FlagDefinitionsJson(*MakeSnapshot({top, middle, RolloutFlag(3, "base", 100), broken})));
  EXPECT_THAT(doc.FlagKeys(), ElementsAre("base", "broken", "middle", "top"));

  dom::element top_filter = doc.Flag("top")["filters"]["groups"].at(0)["properties"].at(0);
  EXPECT_EQ(top_filter["key"].get_string().value(), "middle");
  EXPECT_THAT(Strings(top_filter["dependency_chain"]), ElementsAre("base", "middle"));
  EXPECT_EQ(top_filter["operator"].get_string().value(), "flag_evaluates_to");
  dom::element person_filter = doc.Flag("top")["filters"]["groups"].at(0)["properties"].at(1);
  EXPECT_EQ(person_filter["dependency_chain"].error(), simdjson::NO_SUCH_FIELD);

  dom::element middle_filter = doc.Flag("middle")["filters"]["groups"].at(0)["properties"].at(0);
  EXPECT_EQ(middle_filter["key"].get_string().value(), "base");
  EXPECT_EQ(middle_filter["value"].get_string().value(), "blue");
  EXPECT_THAT(Strings(middle_filter["dependency_chain"]), ElementsAre("base"));

  dom::element broken_filter = doc.Flag("broken")["filters"]["groups"].at(0)["properties"].at(0);
  EXPECT_EQ(broken_filter["key"].get_string().value(), "77");
  EXPECT_THAT(Strings(broken_filter["dependency_chain"]), IsEmpty());
}

TEST(FlagDefinitionsJson, ServesReferencedDynamicCohortsOnly) {
  Cohort outer = MakeCohort(10, R"({"properties":{"type":"OR","values":[
      {"type":"AND","values":[{"key":"id","type":"cohort","value":11},
                              {"key":"id","type":"cohort","value":12}]}]}})");
  Cohort inner = MakeCohort(11, R"({"properties":{"type":"AND","values":[
      {"key":"plan","type":"person","value":"pro","operator":"exact","negation":false},
      {"key":"1","type":"flag","value":true,"operator":"flag_evaluates_to"}]}})");
  Cohort static_cohort = MakeCohort(12, "{}", /*is_static=*/true);
  Cohort unused = MakeCohort(13, R"({"properties":{"type":"OR","values":[]}})");
  Cohort used_by_inactive = MakeCohort(14, "{}");
  FeatureFlag user = MakeFlag(
      2, "cohort-user", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":10}]}]})");
  FeatureFlag inactive = MakeFlag(
      3, "inactive", R"({"groups":[{"properties":[{"key":"id","type":"cohort","value":14}]}]})");
  inactive.active = false;
  Document doc(FlagDefinitionsJson(*MakeSnapshot(
      {user, inactive, RolloutFlag(1, "base", 100)},
      {outer, inner, static_cohort, unused, used_by_inactive}, {{"company", 0}, {"project", 1}})));
  EXPECT_THAT(doc.CohortIds(), ElementsAre("10", "11", "14"));
  dom::element cohorts = doc.root()["cohorts"];
  EXPECT_EQ(cohorts["10"]["type"].get_string().value(), "OR");
  EXPECT_EQ(cohorts["10"]["values"].at(0)["values"].at(1)["value"].get_int64().value(), 12);
  dom::element flag_leaf = cohorts["11"]["values"].at(1);
  EXPECT_EQ(flag_leaf["key"].get_string().value(), "base");
  EXPECT_THAT(Strings(flag_leaf["dependency_chain"]), ElementsAre("base"));
  EXPECT_EQ(cohorts["11"]["values"].at(0)["key"].get_string().value(), "plan");
  EXPECT_EQ(simdjson::minify(cohorts["14"]), R"({"type":"AND","values":[]})");

  dom::element mapping = doc.root()["group_type_mapping"];
  EXPECT_EQ(mapping["0"].get_string().value(), "company");
  EXPECT_EQ(mapping["1"].get_string().value(), "project");
}

TEST(FlagDefinitionsJson, IsDeterministic) {
  auto build = [] {
    return MakeSnapshot({RolloutFlag(2, "b", 10), RolloutFlag(1, "a", 20)}, {},
                        {{"project", 1}, {"company", 0}});
  };
  std::string first = FlagDefinitionsJson(*build());
  EXPECT_EQ(first, FlagDefinitionsJson(*build()));
  Document doc(first);
  EXPECT_THAT(doc.FlagKeys(), ElementsAre("a", "b"));
}

}  // namespace
}  // namespace hoglet::flags
