#include "query/trends_result_json.h"

#include <simdjson.h>

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

namespace {

// The days and labels of a range's buckets.
struct Buckets {
  std::vector<std::string> days;
  std::vector<std::string> labels;
};

Buckets BucketsOf(const DateRange& range) {
  Buckets buckets;
  for (int64_t bucket : range.bucket_starts()) {
    buckets.days.push_back(BucketDay(bucket, range.interval()));
    buckets.labels.push_back(BucketLabel(bucket, range));
  }
  return buckets;
}

void WriteAction(const Series& series, size_t index, const std::string& name,
                 const std::vector<std::string>& days, JsonWriter* w) {
  w->BeginObject();
  w->Key("id");
  if (series.action_id) {
    w->Int(*series.action_id);
  } else {
    WriteOptionalString(series.event, w);
  }
  w->Key("type");
  w->String(series.action_id ? "actions" : "events");
  w->Key("order");
  w->Int(static_cast<int64_t>(index));
  w->Key("name");
  w->String(name);
  w->Key("custom_name");
  WriteOptionalString(series.custom_name, w);
  w->Key("math");
  w->String(MathName(series.math));
  w->Key("math_property");
  WriteOptionalString(series.math_property, w);
  w->Key("math_hogql");
  WriteOptionalString(series.math_hogql, w);
  w->Key("math_group_type_index");
  if (series.math_group_type_index) {
    w->Int(*series.math_group_type_index);
  } else {
    w->Null();
  }
  w->Key("properties");
  w->BeginObject();
  w->EndObject();
  w->Key("days");
  WriteStrings(days, w);
  w->EndObject();
}

// The line's label: the series' name (or the formula), with the breakdown value.
std::string LineLabel(const TrendsQuery& query, const TrendsAnswer& answer,
                      const TrendsLine& line) {
  if (line.formula) {
    const FormulaNode& formula = query.formulas[*line.formula];
    return formula.custom_name ? *formula.custom_name : "Formula (" + formula.text + ")";
  }
  const std::string& name = answer.series_names[line.series];
  if (!line.breakdown_value) return name;
  std::string value = *line.breakdown_value;
  if (auto name = answer.breakdown_names.find(value); name != answer.breakdown_names.end()) {
    value = name->second;  // a cohort's name
  } else if (query.breakdown->multiple) {
    // The values joined by "::", as PostHog labels several breakdowns.
    simdjson::dom::parser parser;
    simdjson::dom::array values;
    if (parser.parse(value).get(values) == simdjson::SUCCESS) {
      value.clear();
      for (simdjson::dom::element item : values) {
        std::string_view text;
        if (item.get(text) != simdjson::SUCCESS) continue;
        if (!value.empty()) value += "::";
        value += text;
      }
    }
  }
  if (query.series.size() == 1) return value;
  return name + " - " + value;
}

}  // namespace

void WriteTrendsResults(const TrendsQuery& query, const TrendsAnswer& answer, JsonWriter* w) {
  const bool total_value = query.display == Display::kTotalValue;
  const DateRange& range = answer.range;
  const Buckets current = BucketsOf(range);
  const Buckets previous = answer.previous ? BucketsOf(*answer.previous) : Buckets{};
  const std::vector<std::string> none;
  w->BeginArray();
  for (const TrendsLine& line : answer.result.lines) {
    const Buckets& buckets = line.previous ? previous : current;
    w->BeginObject();
    w->Key("data");
    w->BeginArray();
    for (double value : line.data) WriteNumber(value, w);
    w->EndArray();
    w->Key("labels");
    WriteStrings(total_value ? none : buckets.labels, w);
    w->Key("days");
    WriteStrings(total_value ? none : buckets.days, w);
    w->Key("count");
    WriteNumber(line.count, w);
    if (total_value) {
      w->Key("aggregated_value");
      WriteNumber(line.aggregated_value, w);
    }
    w->Key("label");
    w->String(LineLabel(query, answer, line));
    if (line.breakdown_value) {
      w->Key("breakdown_value");
      if (query.breakdown->multiple) {
        w->Raw(*line.breakdown_value);  // the JSON array of the values (BreakdownKey)
      } else if (answer.breakdown_names.contains(*line.breakdown_value)) {
        // A cohort: its id, or "all".
        if (*line.breakdown_value == std::to_string(kAllUsersCohort)) {
          w->String("all");
        } else {
          w->Int(std::stoll(*line.breakdown_value));
        }
      } else {
        w->String(*line.breakdown_value);
      }
    }
    if (answer.previous) {
      w->Key("compare");
      w->Bool(true);
      w->Key("compare_label");
      w->String(line.previous ? "previous" : "current");
    }
    w->Key("action");
    if (line.formula) {
      w->Null();
    } else {
      WriteAction(query.series[line.series], line.series, answer.series_names[line.series],
                  current.days, w);
    }
    w->Key("order");
    w->Int(static_cast<int64_t>(line.formula ? *line.formula : line.series));
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
    if (query.compare) {
      w->Key("compare");
      w->Bool(true);
    }
    w->EndObject();
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace hoglet::query
