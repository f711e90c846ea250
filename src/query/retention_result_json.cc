#include "query/retention_result_json.h"

#include <string>

namespace hoglet::query {
namespace {

// "Hour", "Day", "Week", "Month".
std::string PeriodTitle(Interval period) {
  std::string name(IntervalName(period));
  if (!name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name;
}

// The cohorts of one table, into the open array; with "breakdown_value" when `breakdown`.
void WriteCohorts(const std::string& title, const DateRange& range, const RetentionTable& table,
                  const std::string* breakdown, JsonWriter* w) {
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
      w->Key("label");
      w->String(title + std::to_string(offset));
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
  w->BeginArray();
  if (query.breakdown) {
    for (const RetentionBreakdownLine& line : result.breakdowns) {
      WriteCohorts(title, range, line.counts, &line.value, w);
    }
  } else {
    WriteCohorts(title, range, result.counts, nullptr, w);
  }
  w->EndArray();
}

}  // namespace hoglet::query
