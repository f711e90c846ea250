#include "query/stickiness_result_json.h"

#include <string>

namespace hoglet::query {

void WriteStickinessResults(const StickinessQuery& query, const StickinessAnswer& answer,
                            JsonWriter* w) {
  const std::string unit(IntervalName(answer.range.interval()));
  const bool cumulative = query.mode == StickinessMode::kCumulative;
  w->BeginArray();
  for (const StickinessLine& line : answer.lines) {
    const Series& series = query.trends.series[line.series];
    const std::string& name = answer.series_names[line.series];
    w->BeginObject();
    w->Key("count");
    w->Int(line.count);
    w->Key("data");
    w->BeginArray();
    for (int64_t value : line.data) w->Int(value);
    w->EndArray();
    w->Key("days");
    w->BeginArray();
    for (size_t day = 1; day <= line.data.size(); ++day) w->Int(static_cast<int64_t>(day));
    w->EndArray();
    w->Key("label");
    w->String(name);
    w->Key("labels");
    w->BeginArray();
    for (size_t day = 1; day <= line.data.size(); ++day) {
      w->String(std::to_string(day) + " " + unit + (day == 1 ? "" : "s") +
                (cumulative ? " or more" : ""));
    }
    w->EndArray();
    w->Key("action");
    w->BeginObject();
    w->Key("order");
    w->Int(static_cast<int64_t>(line.series));
    w->Key("type");
    w->String(series.action_id ? "actions" : "events");
    w->Key("name");
    w->String(name);
    w->Key("custom_name");
    if (series.custom_name) {
      w->String(*series.custom_name);
    } else {
      w->Null();
    }
    w->Key("id");
    if (series.action_id) {
      w->Int(*series.action_id);
    } else if (series.event) {
      w->String(*series.event);
    } else {
      w->Null();
    }
    w->Key("math");
    w->String(MathName(series.math));
    w->EndObject();
    if (answer.previous) {
      w->Key("compare");
      w->Bool(true);
      w->Key("compare_label");
      w->String(line.previous ? "previous" : "current");
    }
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace hoglet::query
