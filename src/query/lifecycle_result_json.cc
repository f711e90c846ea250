#include "query/lifecycle_result_json.h"

#include <cstdio>
#include <string>
#include <vector>

#include "base/civil_time.h"

namespace hoglet::query {
namespace {

// "5-Jan-2024", with " 13:00" for hours and minutes.
std::string LifecycleLabel(int64_t bucket_local_us, Interval interval) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  CivilTime t = CivilTime::FromMicros(bucket_local_us);
  char text[40];
  if (interval == Interval::kHour || interval == Interval::kMinute) {
    std::snprintf(text, sizeof text, "%u-%s-%04lld %02u:%02u", t.day, kMonths[(t.month - 1) % 12],
                  static_cast<long long>(t.year), t.hour, t.minute);
  } else {
    std::snprintf(text, sizeof text, "%u-%s-%04lld", t.day, kMonths[(t.month - 1) % 12],
                  static_cast<long long>(t.year));
  }
  return text;
}

}  // namespace

void WriteLifecycleResults(const LifecycleQuery& query, const LifecycleAnswer& answer,
                           JsonWriter* w) {
  const Series& series = query.trends.series.front();
  const Interval interval = answer.range.interval();
  std::vector<std::string> labels;
  std::vector<std::string> days;
  for (int64_t bucket : answer.range.bucket_starts()) {
    labels.push_back(LifecycleLabel(bucket, interval));
    days.push_back(BucketDay(bucket, interval));
  }
  w->BeginArray();
  for (const LifecycleLine& line : answer.lines) {
    const std::string status(LifecycleStatusName(line.status));
    w->BeginObject();
    w->Key("action");
    w->BeginObject();
    w->Key("id");
    if (series.action_id) {
      w->String(std::to_string(*series.action_id));
    } else if (series.event) {
      w->String(*series.event);
    } else {
      w->Null();
    }
    w->Key("name");
    w->String(answer.series_name);
    w->Key("type");
    w->String(series.action_id ? "actions" : "events");
    w->Key("order");
    w->Int(0);
    w->Key("math");
    w->String("total");
    w->EndObject();
    w->Key("data");
    w->BeginArray();
    for (int64_t value : line.data) w->Int(value);
    w->EndArray();
    w->Key("count");
    w->Int(line.count);
    w->Key("labels");
    w->BeginArray();
    for (const std::string& label : labels) w->String(label);
    w->EndArray();
    w->Key("days");
    w->BeginArray();
    for (const std::string& day : days) w->String(day);
    w->EndArray();
    w->Key("label");
    w->String(answer.series_name + " - " + status);
    w->Key("status");
    w->String(status);
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace hoglet::query
