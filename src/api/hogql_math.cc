#include "api/hogql_math.h"

#include <charconv>
#include <string>
#include <string_view>

#include "base/time_format.h"
#include "hogql/parser.h"
#include "hogql/printer.h"

namespace hoglet::api {
namespace {

// The HogQL start of the bucket an event falls in, by the range's interval.
std::string_view BucketStart(query::Interval interval) {
  switch (interval) {
    case query::Interval::kMinute:
      return "toStartOfMinute(timestamp)";
    case query::Interval::kHour:
      return "toStartOfHour(timestamp)";
    case query::Interval::kDay:
      return "toStartOfDay(timestamp)";
    case query::Interval::kWeek:
      return "toStartOfWeek(timestamp)";
    case query::Interval::kMonth:
      return "toStartOfMonth(timestamp)";
  }
  return "toStartOfDay(timestamp)";
}

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

}  // namespace

StatusOr<std::vector<double>> RunHogQLMath(const query::HogQLMathSeries& series,
                                           const hogql::HogQLRunContext& context,
                                           const store::ScanSource& source, int64_t team_id) {
  StatusOr<hogql::ExprPtr> parsed = hogql::ParseExpr(series.expression);
  if (!parsed.ok()) {
    return Status(parsed.status().code(), series.field + ": " + parsed.status().message(),
                  std::string(parsed.status().reason()));
  }
  const std::string expression = hogql::PrintHogQL(**parsed);
  std::string text = "SELECT ";
  if (!series.total_value) {
    text += BucketStart(series.range->interval());
    text += " AS hoglet_bucket, ";
  }
  text += "(" + expression + ") AS hoglet_value FROM events WHERE timestamp >= toDateTime(" +
          hogql::QuoteString(FormatIsoMicros(series.from_us)) + ") AND timestamp <= toDateTime(" +
          hogql::QuoteString(FormatIsoMicros(series.to_us)) + ")";
  if (!series.total_value) text += " GROUP BY hoglet_bucket";
  // One row per bucket at most, and the one row of a total.
  text += " LIMIT " + std::to_string(series.range->bucket_starts().size() + 1);

  hogql::HogQLRunContext run = context;
  run.narrow = series.narrow;
  StatusOr<hogql::HogQLResult> ran = hogql::RunHogQL(text, run, &source, team_id);
  if (!ran.ok()) {
    if (ran.status().code() != StatusCode::kInvalidArgument) return ran.status();
    return AboutField(ran.status(), series.field);
  }
  if (series.total_value) {
    if (ran->rows.empty()) return std::vector<double>{0.0};
    HOGLET_ASSIGN_OR_RETURN(double value, AsNumber(ran->rows.front().back(), series.field));
    return std::vector<double>{value};
  }
  std::vector<double> values(series.range->bucket_starts().size(), 0.0);
  for (const std::vector<hogql::Value>& row : ran->rows) {
    const int64_t bucket =
        series.range->BucketIndex(BucketInstant(row.front(), series.range->zone()));
    if (bucket < 0) continue;
    HOGLET_ASSIGN_OR_RETURN(double value, AsNumber(row.back(), series.field));
    values[static_cast<size_t>(bucket)] += value;
  }
  return values;
}

}  // namespace hoglet::api
