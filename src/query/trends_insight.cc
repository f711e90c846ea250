#include "query/trends_insight.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "query/sampling.h"

namespace hoglet::query {
namespace {

// The formula's line over a group of series lines (group[i] the line of series i, or null for a
// series without this breakdown value: zeros).
TrendsLine EvaluateFormula(const TrendsQuery& query, size_t index,
                           const std::vector<const TrendsLine*>& group, size_t buckets) {
  const Formula& formula = query.formulas[index].formula;
  TrendsLine line;
  line.formula = index;
  for (const TrendsLine* member : group) {
    if (member != nullptr) {
      line.breakdown_value = member->breakdown_value;
      line.previous = member->previous;
      break;
    }
  }
  std::vector<double> values(group.size());
  if (query.display == Display::kTotalValue) {
    for (size_t s = 0; s < group.size(); ++s) {
      values[s] = group[s] != nullptr ? group[s]->aggregated_value : 0;
    }
    line.aggregated_value = formula.Evaluate(values);
    line.count = 0;  // as PostHog answers a formula's total value
    return line;
  }
  line.data.resize(buckets);
  for (size_t b = 0; b < buckets; ++b) {
    for (size_t s = 0; s < group.size(); ++s) {
      values[s] = group[s] != nullptr && b < group[s]->data.size() ? group[s]->data[b] : 0;
    }
    line.data[b] = formula.Evaluate(values);
  }
  for (double value : line.data) line.count += value;
  return line;
}

// Formula lines over the lines of one period: one per formula without a breakdown, else one per
// formula and breakdown value, ranked as PostHog ranks them (real values by total, then the null
// label, then Other).
std::vector<TrendsLine> ApplyFormulas(const TrendsQuery& query,
                                      const std::vector<const TrendsLine*>& lines, size_t buckets) {
  const size_t series = query.series.size();
  // The group of each breakdown value (one group without a breakdown), in order of appearance.
  std::vector<std::pair<std::string, std::vector<const TrendsLine*>>> groups;
  std::map<std::string, size_t> group_of;
  for (const TrendsLine* line : lines) {
    std::string key = line->breakdown_value.value_or("");
    auto [found, added] = group_of.emplace(key, groups.size());
    if (added) groups.emplace_back(key, std::vector<const TrendsLine*>(series, nullptr));
    groups[found->second].second[line->series] = line;
  }
  std::vector<TrendsLine> out;
  for (size_t index = 0; index < query.formulas.size(); ++index) {
    std::vector<TrendsLine> computed;
    for (const auto& [key, group] : groups) {
      computed.push_back(EvaluateFormula(query, index, group, buckets));
    }
    if (query.breakdown && query.compare) {
      // PostHog ranks a comparison's formula lines by count alone.
      std::stable_sort(computed.begin(), computed.end(),
                       [](const TrendsLine& a, const TrendsLine& b) { return a.count > b.count; });
    } else if (query.breakdown && CohortsInQueryOrder(*query.breakdown)) {
      // Cohort by cohort, in the query's order.
      const std::vector<int64_t>& cohorts = query.breakdown->cohorts;
      auto position = [&](const TrendsLine& line) {
        auto found = std::find_if(cohorts.begin(), cohorts.end(), [&](int64_t cohort) {
          return std::to_string(cohort) == line.breakdown_value;
        });
        return found - cohorts.begin();
      };
      std::stable_sort(
          computed.begin(), computed.end(),
          [&](const TrendsLine& a, const TrendsLine& b) { return position(a) < position(b); });
    } else if (query.breakdown) {
      // Real values, then the null label, then Other; each by total, count, values and value,
      // all descending.
      const std::string null_key = BreakdownNullKey(*query.breakdown);
      const std::string other_key = BreakdownOtherKey(*query.breakdown);
      auto rank = [&](const TrendsLine& line) {
        const std::string& value = *line.breakdown_value;
        int order = value == other_key ? -2 : value == null_key ? -1 : 0;
        double total = line.aggregated_value;
        for (double v : line.data) total += v;
        return std::make_tuple(order, total, line.count, line.data, value);
      };
      std::stable_sort(computed.begin(), computed.end(),
                       [&](const TrendsLine& a, const TrendsLine& b) { return rank(a) > rank(b); });
    }
    for (TrendsLine& line : computed) out.push_back(std::move(line));
  }
  return out;
}

// The count-like values of the series' lines scaled back up by 1/samplingFactor (query/sampling.h).
void CorrectLinesForSampling(const TrendsQuery& query, TrendsResult* result) {
  if (!query.sampling_factor) return;
  const double factor = *query.sampling_factor;
  for (TrendsLine& line : result->lines) {
    if (line.series >= query.series.size() ||
        !MathScaledBySampling(query.series[line.series].math)) {
      continue;
    }
    // Each value apart, the count too (not the sum of the scaled values), as PostHog does.
    for (double& value : line.data) value = CorrectForSampling(value, factor);
    line.count = CorrectForSampling(line.count, factor);
    line.aggregated_value = CorrectForSampling(line.aggregated_value, factor);
  }
}

}  // namespace

StatusOr<TrendsRanges> ResolveTrendsRanges(const TrendsQuery& query, const ProjectClock& clock) {
  // Total-value displays aggregate the whole range: their date maths are by day.
  const Interval interval = query.display == Display::kTotalValue ? Interval::kDay : query.interval;
  HOGLET_ASSIGN_OR_RETURN(DateRange range, DateRange::Resolve(query.date_range, interval, clock));
  std::optional<DateRange> previous;
  if (query.compare) {
    if (query.compare->compare_to) {
      HOGLET_ASSIGN_OR_RETURN(previous, DateRange::ShiftedBack(range, *query.compare->compare_to));
    } else {
      HOGLET_ASSIGN_OR_RETURN(previous, DateRange::PreviousPeriod(range, query.date_range));
    }
  }
  return TrendsRanges{std::move(range), std::move(previous)};
}

std::string SeriesName(const Series& series, const TrendsContext& context) {
  if (series.action_id) {
    auto found = context.actions.find(*series.action_id);
    return found != context.actions.end() ? found->second.name
                                          : "action " + std::to_string(*series.action_id);
  }
  return series.event ? *series.event : "All events";
}

std::vector<std::string> SeriesNames(const std::vector<Series>& series,
                                     const TrendsContext& context) {
  std::vector<std::string> names;
  for (const Series& one : series) names.push_back(SeriesName(one, context));
  return names;
}

StatusOr<TrendsAnswer> AnswerTrends(const TrendsQuery& query, const TrendsContext& context,
                                    const store::ScanSource& source, int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(TrendsRanges ranges, ResolveTrendsRanges(query, context.clock));
  DateRange& range = ranges.current;
  std::optional<DateRange>& previous = ranges.previous;
  HOGLET_ASSIGN_OR_RETURN(TrendsResult current, RunTrends(query, range, context, source, team_id));
  CorrectLinesForSampling(query, &current);
  TrendsResult before;
  if (previous) {
    HOGLET_ASSIGN_OR_RETURN(before, RunTrends(query, *previous, context, source, team_id));
    CorrectLinesForSampling(query, &before);
    for (TrendsLine& line : before.lines) line.previous = true;
  }

  TrendsResult result;
  result.has_more = current.has_more || before.has_more;
  if (query.formulas.empty()) {
    result.lines = std::move(current.lines);
    for (TrendsLine& line : before.lines) result.lines.push_back(std::move(line));
  } else {
    // Each formula's lines for the current period, then for the previous one.
    auto pointers = [](const TrendsResult& half) {
      std::vector<const TrendsLine*> lines;
      for (const TrendsLine& line : half.lines) lines.push_back(&line);
      return lines;
    };
    std::vector<TrendsLine> now =
        ApplyFormulas(query, pointers(current), range.bucket_starts().size());
    std::vector<TrendsLine> then;
    if (previous) then = ApplyFormulas(query, pointers(before), previous->bucket_starts().size());
    for (size_t index = 0; index < query.formulas.size(); ++index) {
      for (std::vector<TrendsLine>* half : {&now, &then}) {
        for (TrendsLine& line : *half) {
          if (line.formula == index) result.lines.push_back(std::move(line));
        }
      }
    }
  }
  TrendsAnswer answer{std::move(range),
                      std::move(previous),
                      std::move(result),
                      SeriesNames(query.series, context),
                      {}};
  if (query.breakdown) {
    for (int64_t cohort : query.breakdown->cohorts) {
      auto found = context.cohort_names.find(cohort);
      answer.breakdown_names[std::to_string(cohort)] = cohort == kAllUsersCohort ? "all users"
                                                       : found != context.cohort_names.end()
                                                           ? found->second
                                                           : "cohort " + std::to_string(cohort);
    }
  }
  return answer;
}

}  // namespace hoglet::query
