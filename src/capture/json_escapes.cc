#include "capture/json_escapes.h"

#include <cstring>

namespace hoglet::capture {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of a "\uXXXX" escape starting at `pos` (the backslash), or -1.
int EscapedUnit(const std::string& s, size_t pos) {
  if (pos + 6 > s.size() || s[pos] != '\\' || s[pos + 1] != 'u') return -1;
  int unit = 0;
  for (size_t i = pos + 2; i < pos + 6; ++i) {
    int v = HexValue(s[i]);
    if (v < 0) return -1;
    unit = unit * 16 + v;
  }
  return unit;
}

bool IsHigh(int unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool IsLow(int unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

}  // namespace

bool RepairLoneSurrogateEscapes(std::string* json) {
  std::string& s = *json;
  // Cheap exit: most payloads contain no "\u" escape of a surrogate at all.
  if (s.find("\\u") == std::string::npos) return false;
  bool changed = false;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '\\') {
      ++i;
      continue;
    }
    int unit = EscapedUnit(s, i);
    if (unit < 0) {
      i += 2;  // any other escape, including "\\", covers exactly two characters
      continue;
    }
    if (IsHigh(unit) && IsLow(EscapedUnit(s, i + 6))) {
      i += 12;  // a well-formed pair
      continue;
    }
    if (IsHigh(unit) || IsLow(unit)) {
      std::memcpy(&s[i], "\\ufffd", 6);
      changed = true;
    }
    i += 6;
  }
  return changed;
}

}  // namespace hoglet::capture
