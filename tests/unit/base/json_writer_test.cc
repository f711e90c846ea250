#include "base/json_writer.h"

#include <gtest/gtest.h>

namespace hoglet {
namespace {

TEST(JsonWriter, WritesNestedValuesWithCommas) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.Int(1);
  w.Key("b");
  w.BeginArray();
  w.String("x");
  w.Bool(true);
  w.Null();
  w.Double(1.5);
  w.EndArray();
  w.Key("c");
  w.Raw("{\"k\":2}");
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":1,"b":["x",true,null,1.5],"c":{"k":2}})");
}

TEST(JsonWriter, EscapesControlCharacters) {
  std::string out;
  AppendJsonString(&out, std::string("q\"b\\n\n\x01\xc3\xa9", 9));
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\n\\u0001\xc3\xa9\"");
}

}  // namespace
}  // namespace hoglet
