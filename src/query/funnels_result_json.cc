#include "query/funnels_result_json.h"

#include <optional>
#include <string>
#include <vector>

#include "base/url.h"

namespace hoglet::query {
namespace {

void WriteOptional(const std::optional<double>& value, JsonWriter* w) {
  if (value) {
    w->Double(*value);
  } else {
    w->Null();
  }
}

// The persons behind a step, as PostHog's legacy funnel persons path takes them: funnel_step is
// 1-based, negative for those who dropped off before it.
std::string PeopleUrl(int64_t funnel_step, const FunnelsQuery& query, const FunnelLine& line) {
  std::string url = "/api/person/funnel/?funnel_step=" + std::to_string(funnel_step);
  if (query.breakdown) url += "&funnel_step_breakdown=" + PercentEncode(line.breakdown_value);
  return url;
}

void WriteStep(const FunnelsQuery& query, const std::map<int64_t, ResolvedAction>& actions,
               const FunnelLine& line, size_t index, JsonWriter* w) {
  const Series& step = query.steps[index];
  w->BeginObject();
  if (query.order == FunnelOrder::kUnordered) {
    w->Key("action_id");
    w->Null();
    w->Key("name");
    w->String("Completed " + std::to_string(index + 1) + (index == 0 ? " step" : " steps"));
    w->Key("custom_name");
    w->Null();
  } else if (step.action_id) {
    auto found = actions.find(*step.action_id);
    w->Key("action_id");
    w->Int(*step.action_id);
    w->Key("name");
    w->String(found != actions.end() ? found->second.name
                                     : "action " + std::to_string(*step.action_id));
  } else {
    w->Key("action_id");
    if (step.event) {
      w->String(*step.event);
    } else {
      w->Null();
    }
    w->Key("name");
    if (step.event) {
      w->String(*step.event);
    } else {
      w->Null();
    }
  }
  if (query.order != FunnelOrder::kUnordered) {
    w->Key("custom_name");
    if (step.custom_name) {
      w->String(*step.custom_name);
    } else {
      w->Null();
    }
  }
  w->Key("order");
  w->Int(static_cast<int64_t>(index));
  w->Key("people");
  w->BeginArray();
  w->EndArray();
  w->Key("count");
  w->Int(line.steps[index].count);
  w->Key("type");
  w->String(step.action_id ? "actions" : "events");
  w->Key("average_conversion_time");
  WriteOptional(line.steps[index].average_conversion_s, w);
  w->Key("median_conversion_time");
  WriteOptional(line.steps[index].median_conversion_s, w);
  w->Key("converted_people_url");
  w->String(PeopleUrl(static_cast<int64_t>(index) + 1, query, line));
  w->Key("dropped_people_url");
  if (index == 0) {
    w->Null();  // no one drops off before the first step
  } else {
    w->String(PeopleUrl(-static_cast<int64_t>(index) - 1, query, line));
  }
  if (query.breakdown) {
    w->Key("breakdown");
    w->String(line.breakdown_value);
    w->Key("breakdown_value");
    w->String(line.breakdown_value);
  }
  w->EndObject();
}

void WriteSteps(const FunnelsQuery& query, const std::map<int64_t, ResolvedAction>& actions,
                const FunnelLine& line, JsonWriter* w) {
  w->BeginArray();
  for (size_t i = 0; i < query.steps.size(); ++i) WriteStep(query, actions, line, i, w);
  w->EndArray();
}

void WriteStrings(const std::vector<std::string>& values, JsonWriter* w) {
  w->BeginArray();
  for (const std::string& value : values) w->String(value);
  w->EndArray();
}

void WriteTrends(const FunnelsQuery& query, const FunnelTrendsResult& trends, JsonWriter* w) {
  w->BeginArray();
  for (const FunnelTrendsLine& line : trends.lines) {
    w->BeginObject();
    w->Key("count");
    w->Int(static_cast<int64_t>(line.rates.size()));
    w->Key("data");
    w->BeginArray();
    for (double rate : line.rates) w->Double(rate);
    w->EndArray();
    w->Key("days");
    WriteStrings(trends.days, w);
    w->Key("labels");
    WriteStrings(trends.labels, w);
    if (query.breakdown) {
      w->Key("breakdown_value");
      w->String(line.breakdown_value);
    }
    w->EndObject();
  }
  w->EndArray();
}

}  // namespace

void WriteFunnelsResults(const FunnelsQuery& query,
                         const std::map<int64_t, ResolvedAction>& actions,
                         const FunnelsResult& result, JsonWriter* w) {
  if (result.trends) {
    WriteTrends(query, *result.trends, w);
    return;
  }
  if (result.time_to_convert) {
    w->BeginObject();
    w->Key("bins");
    w->BeginArray();
    for (const auto& [start_s, actors] : result.time_to_convert->bins) {
      w->BeginArray();
      w->Int(start_s);
      w->Int(actors);
      w->EndArray();
    }
    w->EndArray();
    w->Key("average_conversion_time");
    WriteOptional(result.time_to_convert->average_conversion_s, w);
    w->EndObject();
    return;
  }
  if (result.lines.empty()) {
    w->BeginArray();
    w->EndArray();
    return;
  }
  if (!query.breakdown) {
    WriteSteps(query, actions, result.lines.front(), w);
    return;
  }
  w->BeginArray();
  for (const FunnelLine& line : result.lines) WriteSteps(query, actions, line, w);
  w->EndArray();
}

}  // namespace hoglet::query
