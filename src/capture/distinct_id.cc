#include "capture/distinct_id.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "base/json_writer.h"

namespace hoglet::capture {
namespace {

void AppendCanonical(simdjson::dom::element value, std::string* out) {
  switch (value.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object object;
      if (value.get(object) != simdjson::SUCCESS) return;
      std::vector<std::pair<std::string_view, simdjson::dom::element>> fields;
      for (simdjson::dom::key_value_pair field : object) {
        fields.emplace_back(field.key, field.value);
      }
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out->push_back('{');
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(out, fields[i].first);
        out->push_back(':');
        AppendCanonical(fields[i].second, out);
      }
      out->push_back('}');
      break;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array array;
      if (value.get(array) != simdjson::SUCCESS) return;
      out->push_back('[');
      bool first = true;
      for (simdjson::dom::element item : array) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonical(item, out);
      }
      out->push_back(']');
      break;
    }
    case simdjson::dom::element_type::STRING: {
      std::string_view text;
      if (value.get(text) == simdjson::SUCCESS) AppendJsonString(out, text);
      break;
    }
    default:
      out->append(simdjson::minify(value));
      break;
  }
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

}  // namespace

std::string CanonicalJson(simdjson::dom::element value) {
  std::string out;
  AppendCanonical(value, &out);
  return out;
}

std::string CleanDistinctId(std::string_view text, size_t* total_chars) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxDistinctIdChars * 4));
  size_t chars = 0;
  size_t i = 0;
  for (; i < text.size() && chars < kMaxDistinctIdChars;) {
    unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    len = std::min(len, text.size() - i);
    if (lead == 0) {
      out.append("\xEF\xBF\xBD");  // U+FFFD
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
    ++chars;
  }
  if (total_chars != nullptr) {
    for (; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++chars;
    }
    *total_chars = chars;
  }
  return out;
}

std::optional<std::string> NormalizeDistinctId(simdjson::dom::element value, size_t* chars) {
  switch (value.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return std::nullopt;
    case simdjson::dom::element_type::STRING: {
      std::string_view text;
      if (value.get(text) != simdjson::SUCCESS || IsBlank(text)) return std::nullopt;
      return CleanDistinctId(text, chars);
    }
    default:
      return CleanDistinctId(CanonicalJson(value), chars);
  }
}

}  // namespace hoglet::capture
