#include "persons/illegal_distinct_id.h"

#include <array>

#include "base/ascii.h"

namespace hoglet::persons {
namespace {

constexpr std::array<std::string_view, 10> kCaseInsensitive = {
    "anonymous",         "guest", "distinctid", "distinct_id", "id",
    "not_authenticated", "email", "undefined",  "true",        "false"};
constexpr std::array<std::string_view, 7> kCaseSensitive = {
    "[object Object]", "NaN", "None", "none", "null", "0", "undefined"};

bool IsListed(std::string_view id) {
  for (std::string_view word : kCaseInsensitive) {
    if (EqualsIgnoreAsciiCase(id, word)) return true;
  }
  for (std::string_view word : kCaseSensitive) {
    if (id == word) return true;
  }
  return false;
}

}  // namespace

bool IsIllegalDistinctId(std::string_view distinct_id) {
  std::string_view id = TrimAscii(distinct_id, kAsciiWhitespace);
  if (id.empty()) return true;
  if (IsListed(id)) return true;
  if (id.size() >= 2 && (id.front() == '"' || id.front() == '\'') && id.back() == id.front()) {
    return IsListed(id.substr(1, id.size() - 2));
  }
  return false;
}

}  // namespace hoglet::persons
