#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>

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

// Each byte value at each position of strings up to three words long, against a byte-at-a-time
// reference: the word-at-a-time scan must find every byte that needs escaping, wherever it is.
TEST(JsonWriter, EscapesEveryByteWhereverItIs) {
  auto reference = [](std::string_view value) {
    std::string out = "\"";
    for (unsigned char c : value) {
      char buf[8];
      if (c == '"' || c == '\\') {
        out += '\\';
        out += static_cast<char>(c);
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (c == '\b') {
        out += "\\b";
      } else if (c == '\f') {
        out += "\\f";
      } else if (c < 0x20) {
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
    return out + "\"";
  };
  for (size_t size : {1, 7, 8, 9, 16, 17, 24}) {
    for (size_t at = 0; at < size; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string value(size, 'x');
        value[at] = static_cast<char>(c);
        std::string out = "prefix";
        AppendJsonString(&out, value);
        ASSERT_EQ(out, "prefix" + reference(value))
            << "size " << size << " at " << at << " byte " << c;
      }
    }
  }
  std::string out;
  AppendJsonString(&out, "");
  EXPECT_EQ(out, "\"\"");
}

}  // namespace
}  // namespace hoglet
