#include "persons/illegal_distinct_id.h"

#include <array>
#include <cctype>

namespace hoglet::persons {
namespace {

constexpr std::array<std::string_view, 10> kCaseInsensitive = {
    "anonymous",         "guest", "distinctid", "distinct_id", "id",
    "not_authenticated", "email", "undefined",  "true",        "false"};
constexpr std::array<std::string_view, 7> kCaseSensitive = {
    "[object Object]", "NaN", "None", "none", "null", "0", "undefined"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

bool IsListed(std::string_view id) {
  for (std::string_view word : kCaseInsensitive) {
    if (EqualsIgnoreCase(id, word)) return true;
  }
  for (std::string_view word : kCaseSensitive) {
    if (id == word) return true;
  }
  return false;
}

}  // namespace

bool IsIllegalDistinctId(std::string_view distinct_id) {
  std::string_view id = Trim(distinct_id);
  if (id.empty()) return true;
  if (IsListed(id)) return true;
  if (id.size() >= 2 && (id.front() == '"' || id.front() == '\'') && id.back() == id.front()) {
    return IsListed(id.substr(1, id.size() - 2));
  }
  return false;
}

}  // namespace hoglet::persons
