#include "query/trends_result_json.h"

#include <cmath>

#include "query/bucket_label.h"

namespace hoglet::query {
namespace {

void WriteOptionalString(const std::optional<std::string>& value, JsonWriter* w) {
  if (value) {
    w->String(*value);
  } else {
    w->Null();
  }
}

void WriteStrings(const std::vector<std::string>& values, JsonWriter* w) {
  w->BeginArray();
  for (const std::string& value : values) w->String(value);
  w->EndArray();
}

}  // namespace

void WriteNumber(double value, JsonWriter* w) {
  if (std::isfinite(value) && std::floor(value) == value && std::fabs(value) < 9.0e15) {
    w->Int(static_cast<int64_t>(value));
  } else {
    w->Double(value);
  }
}

void WriteTrendsResults(const TrendsQuery& query, const DateRange& range,
                        const TrendsResult& result, JsonWriter* w) {
  const bool total_value = query.display == Display::kTotalValue;
  std::vector<std::string> days;
  std::vector<std::string> labels;
  if (!total_value) {
    for (int64_t bucket : range.bucket_starts()) {
      days.push_back(BucketDay(bucket, range.interval()));
      labels.push_back(BucketLabel(bucket, range));
    }
  }
  w->BeginArray();
  for (const TrendsLine& line : result.lines) {
    const Series& series = query.series[line.series];
    std::string name = series.event ? *series.event : "All events";
    w->BeginObject();
    w->Key("data");
    w->BeginArray();
    for (double value : line.data) WriteNumber(value, w);
    w->EndArray();
    w->Key("labels");
    WriteStrings(labels, w);
    w->Key("days");
    WriteStrings(days, w);
    w->Key("count");
    WriteNumber(line.count, w);
    if (total_value) {
      w->Key("aggregated_value");
      WriteNumber(line.aggregated_value, w);
    }
    w->Key("label");
    w->String(line.breakdown_value ? name + " - " + *line.breakdown_value : name);
    if (line.breakdown_value) {
      w->Key("breakdown_value");
      w->String(*line.breakdown_value);
    }
    w->Key("action");
    w->BeginObject();
    w->Key("id");
    WriteOptionalString(series.event, w);
    w->Key("type");
    w->String("events");
    w->Key("order");
    w->Int(static_cast<int64_t>(line.series));
    w->Key("name");
    w->String(name);
    w->Key("custom_name");
    WriteOptionalString(series.custom_name, w);
    w->Key("math");
    w->String(MathName(series.math));
    w->Key("math_property");
    WriteOptionalString(series.math_property, w);
    w->Key("math_hogql");
    w->Null();
    w->Key("math_group_type_index");
    w->Null();
    w->Key("properties");
    w->BeginObject();
    w->EndObject();
    w->Key("days");
    WriteStrings(days, w);
    w->EndObject();
    w->Key("order");
    w->Int(static_cast<int64_t>(line.series));
    w->Key("filter");
    w->BeginObject();
    w->Key("insight");
    w->String("TRENDS");
    w->Key("interval");
    w->String(IntervalName(range.interval()));
    w->Key("date_from");
    w->String(range.FromIso());
    w->Key("date_to");
    w->String(range.ToIso());
    w->Key("display");
    w->String(query.display_name);
    w->EndObject();
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace hoglet::query
