#include "api/trends_hogql.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "api/hogql_math.h"
#include "base/civil_time.h"
#include "hogql/parser.h"
#include "hogql/printer.h"
#include "query/trends_runner.h"

namespace hoglet::api {
namespace {

using filters::FilterNode;
using filters::FilterType;
using filters::Operator;
using filters::PropertyFilter;
using filters::PropertyValue;
using query::Math;

// Rows of a whole answer: every bucket of every series and breakdown value, as far as the
// HogQL engine returns rows.
constexpr std::string_view kRowLimit = "50000";

// A local time as a date-time literal the engine reads in the project's zone.
std::string LocalLiteral(int64_t local_us) {
  CivilTime t = CivilTime::FromMicros(local_us);
  char text[40];
  int length =
      std::snprintf(text, sizeof(text), "%04lld-%02u-%02u %02u:%02u:%02u",
                    static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
  std::string out(text, static_cast<size_t>(length));
  if (t.micros != 0) {
    length = std::snprintf(text, sizeof(text), ".%06u", t.micros);
    out.append(text, static_cast<size_t>(length));
  }
  return hogql::QuoteString(out);
}

std::string PropertyField(std::string_view key, bool person) {
  return std::string(person ? "person.properties." : "properties.") + hogql::QuoteIdentifier(key);
}

// A number the filter compares with, as a HogQL literal: a JSON number, or a string holding one.
std::optional<std::string> NumberLiteral(const PropertyValue& value) {
  double number = 0;
  if (value.kind == PropertyValue::Kind::kNumber) {
    number = value.number;
  } else if (value.kind == PropertyValue::Kind::kString && !value.text.empty()) {
    const char* end = value.text.data() + value.text.size();
    auto [ptr, error] = std::from_chars(value.text.data(), end, number);
    if (error != std::errc() || ptr != end) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(number) || std::fabs(number) >= 1e15) return std::nullopt;
  char text[40];
  int length = std::abs(number - std::round(number)) == 0
                   ? std::snprintf(text, sizeof(text), "%.0f", number)
                   : std::snprintf(text, sizeof(text), "%.17g", number);
  std::string out(text, static_cast<size_t>(length));
  if (out.find_first_of("eE") != std::string::npos) return std::nullopt;
  return out;
}

// `text` as a LIKE pattern matching itself: %, _ and \ escaped.
std::string LikeEscaped(std::string_view text) {
  std::string out;
  for (char ch : text) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out;
}

// One filter as HogQL with the filter engine's reading of properties in queries
// (filters/property_match.h, Dialect::kHogQL): a missing key, JSON null and "" are NULL; the
// negative operators hold for them, the others do not.
std::optional<std::string> FilterExpression(const PropertyFilter& filter) {
  if (filter.type == FilterType::kHogQL) return "(" + filter.key + ")";
  if (filter.type != FilterType::kEvent && filter.type != FilterType::kPerson) return std::nullopt;
  const std::string field = PropertyField(filter.key, filter.type == FilterType::kPerson);
  if (filter.op == Operator::kIsSet) return "isNotNull(" + field + ")";
  if (filter.op == Operator::kIsNotSet) return "isNull(" + field + ")";
  if (filter.value.kind == PropertyValue::Kind::kNull) return "false";
  const std::string text = hogql::QuoteString(filter.value.ToText());
  switch (filter.op) {
    case Operator::kExact:
    case Operator::kIsNot: {
      const bool is = filter.op == Operator::kExact;
      if (filter.value.kind != PropertyValue::Kind::kArray) {
        return field + (is ? " = " : " != ") + text;
      }
      if (filter.value_items.empty()) return is ? "false" : "true";
      if (filter.value_items.size() == 1) {
        return field + (is ? " = " : " != ") + hogql::QuoteString(filter.value_items[0].ToText());
      }
      std::string list;
      for (const PropertyValue& item : filter.value_items) {
        if (!list.empty()) list += ", ";
        list += hogql::QuoteString(item.ToText());
      }
      return field + (is ? " IN (" : " NOT IN (") + list + ")";
    }
    case Operator::kIContains:
    case Operator::kNotIContains:
    case Operator::kStartsWith:
    case Operator::kNotStartsWith:
    case Operator::kEndsWith:
    case Operator::kNotEndsWith: {
      if (filter.value.kind == PropertyValue::Kind::kArray) return std::nullopt;
      const bool negated = filter.op == Operator::kNotIContains ||
                           filter.op == Operator::kNotStartsWith ||
                           filter.op == Operator::kNotEndsWith;
      const bool any_prefix =
          filter.op == Operator::kIContains || filter.op == Operator::kNotIContains ||
          filter.op == Operator::kEndsWith || filter.op == Operator::kNotEndsWith;
      const bool any_suffix =
          filter.op == Operator::kIContains || filter.op == Operator::kNotIContains ||
          filter.op == Operator::kStartsWith || filter.op == Operator::kNotStartsWith;
      std::string pattern = std::string(any_prefix ? "%" : "") +
                            LikeEscaped(filter.value.ToText()) + (any_suffix ? "%" : "");
      return field + (negated ? " NOT ILIKE " : " ILIKE ") + hogql::QuoteString(pattern);
    }
    case Operator::kRegex:
    case Operator::kNotRegex:
      // An invalid pattern matches nothing for both operators; the engine would refuse it.
      if (filter.regex == nullptr || filter.value.kind == PropertyValue::Kind::kArray) {
        return std::nullopt;
      }
      return field + (filter.op == Operator::kRegex ? " =~ " : " !~ ") + text;
    case Operator::kGt:
    case Operator::kGte:
    case Operator::kLt:
    case Operator::kLte: {
      std::optional<std::string> number = NumberLiteral(filter.value);
      if (!number) return std::nullopt;
      std::string_view op = filter.op == Operator::kGt    ? " > "
                            : filter.op == Operator::kGte ? " >= "
                            : filter.op == Operator::kLt  ? " < "
                                                          : " <= ";
      return "toFloat(" + field + ")" + std::string(op) + *number;
    }
    default:
      return std::nullopt;
  }
}

std::optional<std::string> TreeExpression(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kLeaf) {
    std::optional<std::string> leaf = FilterExpression(node.filter);
    if (leaf && node.filter.negation) return "not(" + *leaf + ")";
    return leaf;
  }
  if (node.children.empty()) return node.kind == FilterNode::Kind::kAnd ? "true" : "false";
  std::vector<std::string> parts;
  for (const FilterNode& child : node.children) {
    std::optional<std::string> part = TreeExpression(child);
    if (!part) return std::nullopt;
    parts.push_back(std::move(*part));
  }
  if (parts.size() == 1) return parts.front();
  std::string out = node.kind == FilterNode::Kind::kAnd ? "and(" : "or(";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    out += parts[i];
  }
  return out + ")";
}

// The series' math over a bucket's events, 0 where the property has no number (as the trends
// aggregates finish an empty state).
std::optional<std::string> MathExpression(const query::Series& series) {
  std::string value;
  if (query::MathNeedsProperty(series.math)) {
    if (!series.math_property) return std::nullopt;
    value = "toFloat(" + PropertyField(*series.math_property, false) + ")";
  }
  switch (series.math) {
    case Math::kTotal:
      return "count()";
    case Math::kDau:
      return "count(DISTINCT person_id)";
    case Math::kUniqueSession:
      return "count(DISTINCT $session_id)";
    case Math::kSum:
      return "sum(" + value + ")";
    case Math::kAvg:
      return "if(count(" + value + ") = 0, 0, avg(" + value + "))";
    case Math::kMin:
      return "ifNull(min(" + value + "), 0)";
    case Math::kMax:
      return "ifNull(max(" + value + "), 0)";
    case Math::kMedian:
    case Math::kP75:
    case Math::kP90:
    case Math::kP95:
    case Math::kP99: {
      const char* level = series.math == Math::kMedian ? "0.5"
                          : series.math == Math::kP75  ? "0.75"
                          : series.math == Math::kP90  ? "0.9"
                          : series.math == Math::kP95  ? "0.95"
                                                       : "0.99";
      return "if(count(" + value + ") = 0, 0, quantile(" + level + ")(" + value + "))";
    }
    default:
      return std::nullopt;
  }
}

bool Supported(const query::TrendsQuery& trends) {
  if (!trends.formulas.empty() || trends.compare || trends.smoothing_intervals != 1 ||
      trends.display == query::Display::kCumulative || trends.aggregation_group_type_index ||
      trends.sampling_factor ||
      (trends.breakdown && trends.breakdown->properties.size() == 1 &&
       trends.breakdown->properties[0].normalize_url)) {
    return false;
  }
  if (trends.series.empty()) return false;
  if (trends.breakdown) {
    const query::Breakdown& breakdown = *trends.breakdown;
    if (breakdown.by_cohort() || breakdown.multiple || breakdown.properties.size() != 1) {
      return false;
    }
    const query::BreakdownProperty& property = breakdown.properties.front();
    if (property.hogql || property.group_type_index || property.histogram_bin_count) return false;
  }
  return true;
}

// The SELECT of series `index`, with its index as the first column (`series`) when `tagged`
// (several series, one UNION ALL), then ordered and limited by the wrapping SELECT instead.
std::optional<std::string> SeriesSelect(const query::TrendsQuery& trends, size_t index,
                                        const query::DateRange& range,
                                        const filters::FilterNode& test_account_filters,
                                        bool tagged) {
  const query::Series& series = trends.series[index];
  if (series.action_id) return std::nullopt;
  std::optional<std::string> math = MathExpression(series);
  if (!math) return std::nullopt;

  std::vector<std::string> where;
  where.push_back(
      "timestamp >= " +
      LocalLiteral(range.scan_from_us() + range.zone().UtcOffsetMicros(range.scan_from_us())));
  where.push_back("timestamp <= " + LocalLiteral(range.to_local_us()));
  if (series.event) where.push_back("event = " + hogql::QuoteString(*series.event));
  for (const FilterNode* tree : {&series.properties, &trends.properties}) {
    if (tree->empty()) continue;
    std::optional<std::string> condition = TreeExpression(*tree);
    if (!condition) return std::nullopt;
    where.push_back(std::move(*condition));
  }
  if (trends.filter_test_accounts && !test_account_filters.empty()) {
    std::optional<std::string> condition = TreeExpression(test_account_filters);
    if (!condition) return std::nullopt;
    where.push_back(std::move(*condition));
  }
  std::string condition = "and(";
  for (size_t i = 0; i < where.size(); ++i) {
    if (i > 0) condition += ", ";
    condition += where[i];
  }
  condition += ")";

  const bool buckets = trends.display != query::Display::kTotalValue;
  const std::string tag = tagged ? std::to_string(index) + " AS series, " : "";
  const std::string from = " FROM events AS e WHERE " + condition;
  const std::string order_limit = tagged ? ""
                                         : std::string(buckets ? " ORDER BY day_start ASC" : "") +
                                               " LIMIT " + std::string(kRowLimit);
  if (!trends.breakdown) {
    if (!buckets) return "SELECT " + tag + *math + " AS total" + from + order_limit;
    return "SELECT " + tag + HogQLBucketStart(range) + " AS day_start, " + *math + " AS total" +
           from + " GROUP BY day_start" + order_limit;
  }

  const query::Breakdown& breakdown = *trends.breakdown;
  const query::BreakdownProperty& property = breakdown.properties.front();
  const std::string null_label = hogql::QuoteString(query::kBreakdownNullLabel);
  const std::string other_label = hogql::QuoteString(query::kBreakdownOtherLabel);
  const std::string value = "ifNull(nullIf(toString(" +
                            PropertyField(property.property, property.person) + "), ''), " +
                            null_label + ")";
  const std::string day = buckets ? "day_start, " : "";
  // Per bucket and value.
  const std::string inner =
      "SELECT " + (buckets ? HogQLBucketStart(range) + " AS day_start, " : std::string()) + value +
      " AS value, " + *math + " AS value_total" + from + " GROUP BY " + day + "value";
  // The values shown: the null label last, then by the line's sum, then by value.
  const std::string top =
      "SELECT value FROM (" + inner + ") GROUP BY value ORDER BY value = " + null_label +
      " ASC, sum(value_total) DESC, value ASC LIMIT " + std::to_string(breakdown.limit);
  std::string ranked = "SELECT " + day + "if(value IN (" + top + "), value, " + other_label +
                       ") AS breakdown_value, value_total FROM (" + inner + ")";
  if (breakdown.hide_other) ranked += " WHERE value IN (" + top + ")";
  return "SELECT " + tag + day + "breakdown_value, sum(value_total) AS total FROM (" + ranked +
         ") GROUP BY " + day + "breakdown_value" +
         (tagged ? std::string()
                 : std::string(" ORDER BY ") + day + "breakdown_value ASC LIMIT " +
                       std::string(kRowLimit));
}

}  // namespace

std::optional<std::string> TrendsHogQL(const query::TrendsQuery& trends,
                                       const query::DateRange& range,
                                       const filters::FilterNode& test_account_filters) {
  if (!Supported(trends)) return std::nullopt;
  const bool several = trends.series.size() > 1;
  std::string text;
  for (size_t index = 0; index < trends.series.size(); ++index) {
    std::optional<std::string> select =
        SeriesSelect(trends, index, range, test_account_filters, several);
    if (!select) return std::nullopt;
    if (index > 0) text += " UNION ALL ";
    text += *select;
  }
  if (several) {
    const bool buckets = trends.display != query::Display::kTotalValue;
    std::string columns = std::string("series, ") + (buckets ? "day_start, " : "") +
                          (trends.breakdown ? "breakdown_value, " : "") + "total";
    std::string order = std::string("series ASC") + (buckets ? ", day_start ASC" : "") +
                        (trends.breakdown ? ", breakdown_value ASC" : "");
    text = "SELECT " + columns + " FROM (" + text + ") ORDER BY " + order + " LIMIT " +
           std::string(kRowLimit);
  }
  // Printed as the HogQL printer prints every query's `hogql`; text it cannot parse is a bug
  // here, answered as a shape without HogQL rather than as text that does not run.
  StatusOr<hogql::ExprPtr> parsed = hogql::ParseSelect(text);
  if (!parsed.ok()) return std::nullopt;
  return hogql::PrintHogQL(**parsed);
}

}  // namespace hoglet::api
