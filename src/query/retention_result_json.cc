#include "query/retention_result_json.h"

#include <string>
#include <vector>

namespace hoglet::query {
namespace {

// "Hour", "Day", "Week", "Month".
std::string PeriodTitle(Interval period) {
  std::string name(IntervalName(period));
  if (!name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// The label of each column: "Day 0", "Day 1", …; with brackets "Day 0" then each bracket's
// periods ("Day 1", "Day 2-3", "Day 4-7").
std::vector<std::string> ColumnLabels(const RetentionQuery& query, const std::string& title) {
  std::vector<std::string> labels{title + "0"};
  if (query.brackets.empty()) {
    for (int64_t k = 1; k < query.total_intervals; ++k) labels.push_back(title + std::to_string(k));
    return labels;
  }
  int64_t first = 1;
  for (int64_t size : query.brackets) {
    const int64_t last = first + size - 1;
    labels.push_back(title + std::to_string(first) +
                     (last == first ? "" : "-" + std::to_string(last)));
    first = last + 1;
  }
  return labels;
}

// The cohorts of one table, into the open array; with "breakdown_value" when `breakdown`, and
// each cell's "aggregation_value" when `values` holds them.
void WriteCohorts(const std::string& title, const std::vector<std::string>& labels,
                  const DateRange& range, const RetentionTable& table,
                  const RetentionValues& values, const std::string* breakdown, JsonWriter* w) {
  const std::vector<int64_t>& starts = range.bucket_starts();
  for (size_t cohort = 0; cohort < table.size(); ++cohort) {
    w->BeginObject();
    w->Key("values");
    w->BeginArray();
    const std::vector<int64_t>& counts = table[cohort];
    for (size_t offset = 0; offset < counts.size(); ++offset) {
      w->BeginObject();
      w->Key("count");
      w->Int(counts[offset]);
      if (!values.empty()) {
        w->Key("aggregation_value");
        w->Double(values[cohort][offset]);
      }
      w->Key("label");
      w->String(offset < labels.size() ? labels[offset] : title + std::to_string(offset));
      w->EndObject();
    }
    w->EndArray();
    w->Key("label");
    w->String(title + std::to_string(cohort));
    w->Key("date");
    std::string date = IsoWithOffset(starts[cohort], range.zone());
    if (date.size() > 6 && date.compare(date.size() - 6, 6, "+00:00") == 0) {
      date.replace(date.size() - 6, 6, "Z");
    }
    w->String(date);
    if (breakdown != nullptr) {
      w->Key("breakdown_value");
      w->String(*breakdown);
    }
    w->EndObject();
  }
}

}  // namespace

void WriteRetentionResults(const RetentionQuery& query, const DateRange& range,
                           const RetentionResult& result, JsonWriter* w) {
  const std::string title = PeriodTitle(query.period) + " ";
  const std::vector<std::string> labels = ColumnLabels(query, title);
  w->BeginArray();
  if (query.breakdown) {
    for (const RetentionBreakdownLine& line : result.breakdowns) {
      WriteCohorts(title, labels, range, line.counts, line.values, &line.value, w);
    }
  } else {
    WriteCohorts(title, labels, range, result.counts, result.values, nullptr, w);
  }
  w->EndArray();
}

}  // namespace hoglet::query
