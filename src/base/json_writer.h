// A small streaming JSON writer for responses and records.
//
// Example:
//   JsonWriter w;
//   w.BeginObject();
//   w.Key("status"); w.String("Ok");
//   w.Key("results"); w.BeginArray(); w.Int(1); w.EndArray();
//   w.EndObject();
//   std::string body = std::move(w).Take();
//
// Commas are inserted automatically. The writer does not validate nesting: callers pair
// Begin/End themselves. `Raw` splices already-serialised JSON (e.g. stored properties) verbatim.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hoglet {

class JsonWriter {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Double(double value);  // non-finite values are written as null
  void Bool(bool value);
  void Null();
  void Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void Separate();

  std::string out_;
  bool need_comma_ = false;
};

// Appends `value` as a quoted JSON string (escaping quotes, backslashes and control characters;
// other bytes pass through, so valid UTF-8 in gives valid UTF-8 out).
void AppendJsonString(std::string* out, std::string_view value);

// Appends `value` in decimal.
void AppendJsonInt(std::string* out, int64_t value);

}  // namespace hoglet
