#include "api/hogql_math.h"

#include <charconv>
#include <map>
#include <string>
#include <string_view>

#include "base/time_format.h"
#include "hogql/executor/plan.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace hoglet::api {
namespace {

// An error of the composed query, told against the series' field; positions in the composed
// text are not the client's, so they are dropped.
Status AboutField(const Status& error, const std::string& field) {
  std::string_view message = error.message();
  if (message.starts_with("line ")) {
    size_t colon = message.find(": ");
    if (colon != std::string_view::npos) message.remove_prefix(colon + 2);
  }
  return Status(error.code(), field + ": " + std::string(message), std::string(error.reason()));
}

// A value of the aggregate as a number: NULL is 0; a string must be a number.
StatusOr<double> AsNumber(const hogql::Value& value, const std::string& field) {
  switch (value.kind) {
    case hogql::Value::Kind::kNull:
      return 0.0;
    case hogql::Value::Kind::kInt:
      return static_cast<double>(value.i);
    case hogql::Value::Kind::kFloat:
      return value.f;
    case hogql::Value::Kind::kString: {
      double number = 0;
      const char* end = value.s.data() + value.s.size();
      auto [ptr, error] = std::from_chars(value.s.data(), end, number);
      if (error == std::errc() && ptr == end && !value.s.empty()) return number;
      break;
    }
    default:
      break;
  }
  return InvalidArgumentError(field + ": the expression must compute a number", "invalid_input");
}

// The instant a bucket column's value starts at: a date-time as it is, a date (weeks, months)
// at its local midnight.
int64_t BucketInstant(const hogql::Value& value, const TimeZone& zone) {
  if (value.kind == hogql::Value::Kind::kDate) {
    return zone.LocalToUtcMicros(value.i * 86'400'000'000);
  }
  return value.i;
}

// The HogQL of each breakdown property's label, as PostHog reads it:
// ifNull(nullIf(toString(value), ''), '<null label>') of properties.<key>,
// person.properties.<key> or the expression. kInvalidArgument naming the breakdown's field for
// an expression that does not parse.
StatusOr<std::vector<std::string>> BreakdownLabels(const query::Breakdown* breakdown) {
  std::vector<std::string> labels;
  if (breakdown == nullptr) return labels;
  for (size_t i = 0; i < breakdown->properties.size(); ++i) {
    const query::BreakdownProperty& by = breakdown->properties[i];
    std::string value;
    if (by.hogql) {
      StatusOr<hogql::ExprPtr> parsed = hogql::ParseExpr(by.property);
      if (!parsed.ok()) {
        const std::string field =
            breakdown->multiple
                ? "query.breakdownFilter.breakdowns[" + std::to_string(i) + "].property"
                : std::string("query.breakdownFilter.breakdown");
        return Status(parsed.status().code(), field + ": " + parsed.status().message(),
                      std::string(parsed.status().reason()));
      }
      value = "(" + hogql::PrintHogQL(**parsed) + ")";
    } else {
      value = std::string(by.person ? "person.properties." : "properties.") +
              hogql::QuoteIdentifier(by.property);
    }
    labels.push_back("ifNull(nullIf(toString(" + value + "), ''), " +
                     hogql::QuoteString(query::kBreakdownNullLabel) + ")");
  }
  return labels;
}

}  // namespace

std::string HogQLBucketStart(const query::DateRange& range) {
  switch (range.interval()) {
    case query::Interval::kMinute:
      return "toStartOfMinute(timestamp)";
    case query::Interval::kHour:
      return "toStartOfHour(timestamp)";
    case query::Interval::kDay:
      return "toStartOfDay(timestamp)";
    case query::Interval::kWeek:
      return range.week_start() == query::WeekStart::kMonday ? "toStartOfWeek(timestamp, 3)"
                                                             : "toStartOfWeek(timestamp, 0)";
    case query::Interval::kMonth:
      return "toStartOfMonth(timestamp)";
  }
  return "toStartOfDay(timestamp)";
}

StatusOr<std::vector<query::HogQLMathValues>> RunHogQLMath(const query::HogQLMathSeries& series,
                                                           const hogql::HogQLRunContext& context,
                                                           const store::ScanSource& source,
                                                           int64_t team_id) {
  StatusOr<hogql::ExprPtr> parsed = hogql::ParseExpr(series.expression);
  if (!parsed.ok()) {
    return Status(parsed.status().code(), series.field + ": " + parsed.status().message(),
                  std::string(parsed.status().reason()));
  }
  const std::string expression = hogql::PrintHogQL(**parsed);
  HOGLET_ASSIGN_OR_RETURN(std::vector<std::string> labels, BreakdownLabels(series.breakdown));
  std::string text = "SELECT ";
  std::string group_by;
  if (!series.total_value) {
    text += HogQLBucketStart(*series.range);
    text += " AS hoglet_bucket, ";
    group_by = "hoglet_bucket";
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string alias = "hoglet_breakdown_" + std::to_string(i);
    text += labels[i] + " AS " + alias + ", ";
    group_by += (group_by.empty() ? "" : ", ") + alias;
  }
  text += "(" + expression + ") AS hoglet_value FROM events WHERE timestamp >= toDateTime(" +
          hogql::QuoteString(FormatIsoMicros(series.from_us)) + ") AND timestamp <= toDateTime(" +
          hogql::QuoteString(FormatIsoMicros(series.to_us)) + ")";
  if (!group_by.empty()) text += " GROUP BY " + group_by;
  // One row per bucket (and breakdown value); past the engine's most rows, the breakdown has
  // too many values.
  const size_t buckets = series.range->bucket_starts().size() + 1;
  const int64_t limit = labels.empty() ? static_cast<int64_t>(buckets) : hogql::kMaxRowLimit;
  text += " LIMIT " + std::to_string(limit);

  hogql::HogQLRunContext run = context;
  run.narrow = series.narrow;
  StatusOr<hogql::HogQLResult> ran = hogql::RunHogQL(text, run, &source, team_id);
  if (!ran.ok()) {
    if (ran.status().code() != StatusCode::kInvalidArgument) return ran.status();
    return AboutField(ran.status(), series.field);
  }
  if (!labels.empty() && ran->rows.size() >= static_cast<size_t>(hogql::kMaxRowLimit)) {
    return InvalidArgumentError(
        series.field +
            ": the breakdown has too many values for math "
            "'hogql' (more than " +
            std::to_string(hogql::kMaxRowLimit) +
            " values and buckets); break down by a property with fewer values",
        "too_many_breakdown_values");
  }
  // Groups in the order they first come; the runner ranks them.
  std::vector<query::HogQLMathValues> groups;
  std::map<std::string, size_t> index_of;
  const size_t width = series.total_value ? 1 : series.range->bucket_starts().size();
  const size_t first_label = series.total_value ? 0 : 1;
  auto group_of = [&](const std::vector<hogql::Value>& row) -> query::HogQLMathValues& {
    std::string key;
    if (series.breakdown != nullptr) {
      std::vector<std::string> row_labels;
      for (size_t i = 0; i < labels.size(); ++i) {
        const hogql::Value& label = row[first_label + i];
        row_labels.push_back(label.kind == hogql::Value::Kind::kString
                                 ? label.s
                                 : std::string(query::kBreakdownNullLabel));
      }
      key = query::BreakdownKey(*series.breakdown, row_labels);
    }
    auto [found, added] = index_of.try_emplace(key, groups.size());
    if (added) groups.push_back({key, std::vector<double>(width, 0.0)});
    return groups[found->second];
  };
  for (const std::vector<hogql::Value>& row : ran->rows) {
    size_t slot = 0;
    if (!series.total_value) {
      const int64_t bucket =
          series.range->BucketIndex(BucketInstant(row.front(), series.range->zone()));
      if (bucket < 0) continue;
      slot = static_cast<size_t>(bucket);
    }
    HOGLET_ASSIGN_OR_RETURN(double value, AsNumber(row.back(), series.field));
    group_of(row).values[slot] += value;
  }
  if (groups.empty() && series.breakdown == nullptr)
    groups.push_back({"", std::vector<double>(width, 0.0)});
  return groups;
}

}  // namespace hoglet::api
