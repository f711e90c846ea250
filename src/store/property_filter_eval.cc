#include "store/property_filter_eval.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace hoglet::store {
namespace {

using Op = PropertyFilter::Op;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<double> NumberOf(const PropertyValue& value) {
  if (value.kind == PropertyValue::Kind::kNumber) return value.number;
  if (value.kind == PropertyValue::Kind::kString) return ParseNumber(value.text);
  return std::nullopt;
}

bool NeedsOperand(Op op) { return op != Op::kIsSet && op != Op::kIsNotSet; }

bool IsNegative(Op op) {
  return op == Op::kIsNot || op == Op::kNotIContains || op == Op::kNotRegex;
}

}  // namespace

std::optional<double> ParseNumber(const std::string& text) {
  size_t begin = text.find_first_not_of(' ');
  size_t end = text.find_last_not_of(' ');
  if (begin == std::string::npos) return std::nullopt;
  const char* first = text.data() + begin;
  const char* last = text.data() + end + 1;
  if (*first == '+') ++first;  // from_chars rejects a leading plus
  double v = 0;
  auto result = std::from_chars(first, last, v);
  if (result.ec != std::errc() || result.ptr != last || !std::isfinite(v)) return std::nullopt;
  return v;
}

StatusOr<CompiledFilter> CompiledFilter::Compile(const PropertyFilter& filter) {
  CompiledFilter out;
  out.key_ = filter.key;
  out.op_ = filter.op;
  if (!NeedsOperand(filter.op)) return out;

  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(filter.value_json.data(), filter.value_json.size(), true).get(root) !=
      simdjson::SUCCESS) {
    return InvalidArgumentError("property filter on '" + filter.key +
                                    "' has a value that is not JSON: " + filter.value_json,
                                "invalid_property_filter");
  }
  std::vector<simdjson::dom::element> items;
  if (root.type() == simdjson::dom::element_type::ARRAY) {
    simdjson::dom::array array;
    if (root.get_array().get(array) == simdjson::SUCCESS) {
      for (simdjson::dom::element e : array) items.push_back(e);
    }
  } else {
    items.push_back(root);
  }
  for (simdjson::dom::element e : items) {
    Operand operand;
    switch (e.type()) {
      case simdjson::dom::element_type::STRING:
        operand.text = std::string(e.get_string().value_unsafe());
        operand.number = ParseNumber(operand.text);
        break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
      case simdjson::dom::element_type::DOUBLE:
        operand.number = e.get_double().value_unsafe();
        operand.text = FormatNumber(*operand.number);
        operand.is_json_number = true;
        break;
      case simdjson::dom::element_type::BOOL:
        operand.text = e.get_bool().value_unsafe() ? "true" : "false";
        break;
      case simdjson::dom::element_type::NULL_VALUE:
        operand.text = "null";
        break;
      case simdjson::dom::element_type::ARRAY:
      case simdjson::dom::element_type::OBJECT:
        operand.text = simdjson::minify(e);
        break;
    }
    operand.lower = Lower(operand.text);
    out.operands_.push_back(std::move(operand));
  }
  if (filter.op == Op::kRegex || filter.op == Op::kNotRegex) {
    // std::regex reports a bad pattern by throwing; this is the edge where that is converted.
    try {
      for (const Operand& operand : out.operands_) {
        out.regexes_.push_back(std::make_shared<const std::regex>(operand.text));
      }
    } catch (const std::regex_error&) {
      out.regex_invalid_ = true;
      out.regexes_.clear();
    }
  }
  return out;
}

bool CompiledFilter::Equals(const PropertyValue& value, const std::string& text,
                            const std::optional<double>& number) const {
  std::optional<std::string> str = StringifyProperty(value);
  if (!str) return false;
  if (*str == text) return true;
  if (!number) return false;
  std::optional<double> mine = NumberOf(value);
  return mine && *mine == *number;
}

bool CompiledFilter::AnyEquals(const PropertyValue& value) const {
  for (const Operand& operand : operands_) {
    // Numeric equality applies when either side is a JSON number; two strings compare as text.
    bool numeric = operand.is_json_number || value.kind == PropertyValue::Kind::kNumber;
    if (Equals(value, operand.text, numeric ? operand.number : std::nullopt)) return true;
  }
  return false;
}

bool CompiledFilter::AnyContains(const std::string& text) const {
  std::string lower = Lower(text);
  for (const Operand& operand : operands_) {
    if (lower.find(operand.lower) != std::string::npos) return true;
  }
  return false;
}

bool CompiledFilter::AnyRegex(const std::string& text) const {
  for (const auto& re : regexes_) {
    try {
      if (std::regex_search(text, *re)) return true;
    } catch (const std::regex_error&) {
      // Pathological patterns can exhaust the matcher's stack budget; such a row does not match.
    }
  }
  return false;
}

bool CompiledFilter::Compare(const PropertyValue& value) const {
  std::optional<double> mine = NumberOf(value);
  if (!mine) return false;
  for (const Operand& operand : operands_) {
    if (!operand.number) continue;
    double theirs = *operand.number;
    bool hit = false;
    switch (op_) {
      case Op::kGt:
        hit = *mine > theirs;
        break;
      case Op::kGte:
        hit = *mine >= theirs;
        break;
      case Op::kLt:
        hit = *mine < theirs;
        break;
      case Op::kLte:
        hit = *mine <= theirs;
        break;
      default:
        break;
    }
    if (hit) return true;
  }
  return false;
}

bool CompiledFilter::Matches(const PropertyValue* value) const {
  if (op_ == Op::kIsSet) return value != nullptr;
  if (op_ == Op::kIsNotSet) return value == nullptr;
  if ((op_ == Op::kRegex || op_ == Op::kNotRegex) && regex_invalid_) return false;
  std::optional<std::string> text;
  if (value != nullptr) text = StringifyProperty(*value);
  if (!text) return IsNegative(op_);  // missing or JSON null reads as NULL
  switch (op_) {
    case Op::kExact:
      return AnyEquals(*value);
    case Op::kIsNot:
      return !AnyEquals(*value);
    case Op::kIContains:
      return AnyContains(*text);
    case Op::kNotIContains:
      return !AnyContains(*text);
    case Op::kRegex:
      return AnyRegex(*text);
    case Op::kNotRegex:
      return !AnyRegex(*text);
    case Op::kGt:
    case Op::kGte:
    case Op::kLt:
    case Op::kLte:
      return Compare(*value);
    case Op::kIsSet:
    case Op::kIsNotSet:
      break;
  }
  return false;
}

}  // namespace hoglet::store
