#include "http/accept_encoding.h"

#include <algorithm>
#include <optional>

#include "base/ascii.h"

namespace hoglet::http {
namespace {

// A weight (qvalue, §12.4.2): "0" to "0.999" or "1" to "1.000", as thousandths; nullopt when it
// does not parse.
std::optional<int> ParseWeight(std::string_view text) {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
  int thousandths = text[0] == '1' ? 1000 : 0;
  if (text.size() == 1) return thousandths;
  if (text[1] != '.' || text.size() > 5) return std::nullopt;
  int scale = 100;
  for (char c : text.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    if (thousandths == 1000 && c != '0') return std::nullopt;
    thousandths += (c - '0') * scale;
    scale /= 10;
  }
  return thousandths;
}

// The weight of one list entry ("gzip;q=0.5" → 500, "gzip" → 1000); nullopt when malformed.
std::optional<int> EntryWeight(std::string_view parameters) {
  int weight = 1000;
  while (!parameters.empty()) {
    size_t semicolon = parameters.find(';');
    std::string_view parameter = TrimBlanks(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? "" : parameters.substr(semicolon + 1);
    size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    if (!EqualsIgnoreAsciiCase(TrimBlanks(parameter.substr(0, equals)), "q")) continue;
    std::optional<int> parsed = ParseWeight(TrimBlanks(parameter.substr(equals + 1)));
    if (!parsed) return std::nullopt;
    weight = *parsed;
  }
  return weight;
}

}  // namespace

bool AcceptsContentCoding(std::string_view accept_encoding, std::string_view coding) {
  std::optional<int> named;     // the weight of `coding` by name, when listed
  std::optional<int> wildcard;  // the weight of `*`, when listed
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view entry = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
    size_t semicolon = entry.find(';');
    std::string_view name = TrimBlanks(entry.substr(0, semicolon));
    if (name.empty()) continue;  // "gzip, , br": empty list elements are allowed (§5.6.1)
    std::optional<int> weight =
        EntryWeight(semicolon == std::string_view::npos ? "" : entry.substr(semicolon + 1));
    if (!weight) weight = 0;  // a malformed entry accepts nothing
    bool is_coding = EqualsIgnoreAsciiCase(name, coding) ||
                     (coding == "gzip" && EqualsIgnoreAsciiCase(name, "x-gzip"));
    // When a coding is listed twice, the lower weight wins: a refusal is never overridden.
    if (is_coding) named = named ? std::min(*named, *weight) : *weight;
    if (name == "*") wildcard = wildcard ? std::min(*wildcard, *weight) : *weight;
  }
  if (named) return *named > 0;
  return wildcard.value_or(0) > 0;
}

}  // namespace hoglet::http
