#include "persons/property_updates.h"

#include <gtest/gtest.h>

#include "persons/illegal_distinct_id.h"

namespace hoglet::persons {
namespace {

PropertyUpdate Apply(std::string_view base, std::string_view set, std::string_view set_once = {},
                     std::string_view unset = {}) {
  PropertyOperations ops;
  ops.set = set;
  ops.set_once = set_once;
  ops.unset = unset;
  return ApplyPropertyOperations(base, ops);
}

TEST(PropertyUpdates, SetAddsAndReplacesKeepingOrder) {
  PropertyUpdate update = Apply(R"({"a":1,"b":"x"})", R"({"b":"y","c":true})");
  EXPECT_TRUE(update.changed);
  EXPECT_EQ(update.properties, R"({"a":1,"b":"y","c":true})");
}

TEST(PropertyUpdates, SetWithEqualScalarsIsNoChange) {
  PropertyUpdate update =
      Apply(R"({"a":1,"b":"x","c":null,"d":false})", R"({"a":1.0,"b":"x","c":null,"d":false})");
  EXPECT_FALSE(update.changed);
  EXPECT_EQ(update.properties, R"({"a":1,"b":"x","c":null,"d":false})");
}

TEST(PropertyUpdates, SetWithObjectOrArrayAlwaysChanges) {
  EXPECT_TRUE(Apply(R"({"o":{"k":1}})", R"({"o":{"k":1}})").changed);
  EXPECT_TRUE(Apply(R"({"l":[1]})", R"({"l":[1]})").changed);
}

TEST(PropertyUpdates, SetDistinguishesTypes) {
  PropertyUpdate update = Apply(R"({"a":1})", R"({"a":"1"})");
  EXPECT_TRUE(update.changed);
  EXPECT_EQ(update.properties, R"({"a":"1"})");
}

TEST(PropertyUpdates, SetOnceOnlyWhenUndefinedAndNullCountsAsDefined) {
  PropertyUpdate update = Apply(R"({"a":1,"n":null})", {}, R"({"a":2,"n":"v","b":3})");
  EXPECT_TRUE(update.changed);
  EXPECT_EQ(update.properties, R"({"a":1,"n":null,"b":3})");
  EXPECT_FALSE(Apply(R"({"a":1})", {}, R"({"a":5})").changed);
}

TEST(PropertyUpdates, SetWinsOverSetOnceOnSameKey) {
  PropertyUpdate update = Apply("{}", R"({"k":"set"})", R"({"k":"once"})");
  EXPECT_EQ(update.properties, R"({"k":"set"})");
}

TEST(PropertyUpdates, UnsetTakesArrayOfKeys) {
  PropertyUpdate update = Apply(R"({"a":1,"b":2,"c":3})", {}, {}, R"(["a","c","missing",7])");
  EXPECT_TRUE(update.changed);
  EXPECT_EQ(update.properties, R"({"b":2})");
}

TEST(PropertyUpdates, UnsetTakesObjectKeys) {
  PropertyUpdate update = Apply(R"({"a":1,"b":2})", {}, {}, R"({"b":"ignored"})");
  EXPECT_EQ(update.properties, R"({"a":1})");
  EXPECT_FALSE(Apply(R"({"a":1})", {}, {}, R"(["zzz"])").changed);
}

TEST(PropertyUpdates, OperationsOfWrongTypeAreIgnored) {
  PropertyUpdate update = Apply(R"({"a":1})", R"("not an object")", "[1,2]", R"("a")");
  EXPECT_FALSE(update.changed);
  EXPECT_EQ(update.properties, R"({"a":1})");
}

TEST(PropertyUpdates, EscapedKeysAndValuesRoundTrip) {
  PropertyUpdate update = Apply(R"({"q\"k":"line\nbreak"})", R"({"é":"\u00e9"})");
  EXPECT_EQ(update.properties, "{\"q\\\"k\":\"line\\nbreak\",\"é\":\"é\"}");
}

TEST(PropertyUpdates, OverlayLetsOverlayWin) {
  EXPECT_EQ(OverlayProperties(R"({"a":1,"b":2})", R"({"b":3,"c":4})"), R"({"a":1,"b":3,"c":4})");
  EXPECT_EQ(OverlayProperties("not json", R"({"c":4})"), R"({"c":4})");
}

TEST(PropertyUpdates, GroupSetUsesLooseEquality) {
  EXPECT_FALSE(ApplyGroupSet(R"({"n":1})", R"({"n":"1"})").changed);
  EXPECT_TRUE(ApplyGroupSet(R"({"n":1})", R"({"n":"2"})").changed);
  PropertyUpdate update = ApplyGroupSet(R"({"name":"a","x":1})", R"({"name":"b","y":2})");
  EXPECT_EQ(update.properties, R"({"name":"b","x":1,"y":2})");
}

TEST(IllegalDistinctId, RejectsListedValuesWithTheirCaseRules) {
  for (const char* id : {"",
                         "  ",
                         "anonymous",
                         "ANONYMOUS",
                         "Guest",
                         "distinctid",
                         "distinct_id",
                         "ID",
                         "not_authenticated",
                         "Email",
                         "undefined",
                         "True",
                         "FALSE",
                         "[object Object]",
                         "NaN",
                         "None",
                         "none",
                         "null",
                         "0",
                         " null "}) {
    EXPECT_TRUE(IsIllegalDistinctId(id)) << "'" << id << "'";
  }
}

TEST(IllegalDistinctId, RejectsQuotedForms) {
  for (const char* id :
       {"\"undefined\"", "'null'", "\"Anonymous\"", "'0'", "\"[object Object]\""}) {
    EXPECT_TRUE(IsIllegalDistinctId(id)) << id;
  }
}

TEST(IllegalDistinctId, CaseSensitiveEntriesOnlyMatchExactly) {
  for (const char* id : {"NULL", "Null", "nan", "NONE", "00", "user-1", "'user'", "\"null'"}) {
    EXPECT_FALSE(IsIllegalDistinctId(id)) << id;
  }
}

}  // namespace
}  // namespace hoglet::persons
