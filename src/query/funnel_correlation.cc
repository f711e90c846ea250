#include "query/funnel_correlation.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "query/event_rows.h"
#include "query/funnel_correlation_spans.h"
#include "query/part_blocks.h"
#include "store/block_reader.h"

namespace hoglet::query {
namespace {

// The actors who have each value, as indexes (repeats allowed until counted).
class ValueActors {
 public:
  void Add(std::string_view name, uint32_t actor) {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      it = by_name_.emplace(std::string(name), std::vector<uint32_t>()).first;
    // An actor's events come together (the scan reads a block in person order): most repeats
    // are the last one added.
    if (it->second.empty() || it->second.back() != actor) it->second.push_back(actor);
  }

  // Each value's distinct actors, converted or not; only the values more than `more_than` have.
  std::vector<CorrelationCount> Counts(const std::vector<bool>& converted, int64_t more_than = -1) {
    std::vector<CorrelationCount> out;
    for (auto& [name, actors] : by_name_) {
      std::sort(actors.begin(), actors.end());
      actors.erase(std::unique(actors.begin(), actors.end()), actors.end());
      CorrelationCount count{name, 0, 0};
      for (uint32_t actor : actors) ++(converted[actor] ? count.success : count.failure);
      if (count.success + count.failure > more_than) out.push_back(std::move(count));
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<uint32_t>, std::less<>> by_name_;
};

// The actors' events in their time in the funnel: their names, or (event_with_properties) the
// string properties of the named events.
Status ScanActorEvents(const FunnelCorrelationQuery& query, const DateRange& range,
                       const TrendsContext& context, const store::ScanSource& source,
                       int64_t team_id, const CorrelationActors& actors, ValueActors* values) {
  const std::set<std::string> steps = StepEventNames(query.funnel, context);
  const bool with_properties = query.type == CorrelationType::kEventWithProperties;
  const std::set<std::string> wanted(query.event_names.begin(), query.event_names.end());
  const std::set<std::string> excluded =
      with_properties ? std::set<std::string>(query.event_exclude_property_names.begin(),
                                              query.event_exclude_property_names.end())
                      : std::set<std::string>(query.exclude_event_names.begin(),
                                              query.exclude_event_names.end());
  const int64_t from_us = range.from_us();
  const int64_t to_us = range.to_us();
  const EventRowsContext rows_context = EventRowsContextOf(context);
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot, source.Snapshot(team_id, from_us, to_us));
  for (const auto& part : snapshot.parts) {
    HOGLET_RETURN_IF_ERROR(ScanPartBlocks(
        *part, from_us, to_us, context.budget, [&](store::BlockReader* block) -> Status {
          HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
          HOGLET_ASSIGN_OR_RETURN(const store::DictStrings* names, block->EventNames());
          // Which of the block's event names count, decided once per name.
          std::vector<bool> name_counts(names->dict.size());
          for (size_t i = 0; i < names->dict.size(); ++i) {
            const std::string& name = names->dict[i];
            name_counts[i] = !steps.contains(name) &&
                             (with_properties ? wanted.contains(name) : !excluded.contains(name));
          }
          EventRows rows(block, rows_context);
          const std::vector<std::string>* properties = nullptr;
          for (size_t row = 0; row < timestamps->size(); ++row) {
            const int64_t ts = (*timestamps)[row];
            if (ts < from_us || ts >= to_us || !name_counts[names->index[row]]) continue;
            HOGLET_ASSIGN_OR_RETURN(std::optional<Uuid> row_actor,
                                    RowActor(query.funnel, rows, row));
            if (!row_actor) continue;
            auto actor = actors.find(*row_actor);
            if (actor == actors.end()) continue;
            const ActorSpan& span = actor->second;
            if (ts <= span.from_us || ts >= span.to_us) continue;
            const std::string& event = names->at(row);
            if (!with_properties) {
              values->Add(event, span.index);
              continue;
            }
            if (properties == nullptr) {
              HOGLET_ASSIGN_OR_RETURN(properties, block->PropertiesJson());
            }
            StatusOr<filters::Properties> parsed = filters::ParseProperties((*properties)[row]);
            if (!parsed.ok()) continue;
            for (const auto& [key, value] : *parsed) {
              if (value.kind != filters::PropertyValue::Kind::kString || excluded.contains(key)) {
                continue;
              }
              values->Add(event + "::" + key + "::" + value.text, span.index);
            }
          }
          return Status::Ok();
        }));
  }
  return Status::Ok();
}

// The key of each group actor of a funnel over groups, read from the events of the range (the
// GroupActor of a key cannot be turned back into it).
StatusOr<std::unordered_map<Uuid, std::string, UuidHash>> GroupKeys(
    const FunnelCorrelationQuery& query, const DateRange& range, const TrendsContext& context,
    const store::ScanSource& source, int64_t team_id, const CorrelationActors& actors) {
  const int index = *query.funnel.aggregation_group_type_index;
  std::unordered_map<Uuid, std::string, UuidHash> keys;
  const int64_t from_us = range.from_us();
  const int64_t to_us = range.to_us();
  const EventRowsContext rows_context = EventRowsContextOf(context);
  HOGLET_ASSIGN_OR_RETURN(store::ScanSnapshot snapshot, source.Snapshot(team_id, from_us, to_us));
  for (const auto& part : snapshot.parts) {
    if (keys.size() == actors.size()) break;
    HOGLET_RETURN_IF_ERROR(ScanPartBlocks(
        *part, from_us, to_us, context.budget, [&](store::BlockReader* block) -> Status {
          HOGLET_ASSIGN_OR_RETURN(const std::vector<int64_t>* timestamps, block->Timestamps());
          EventRows rows(block, rows_context);
          std::string last;  // a block's rows of one group come together
          for (size_t row = 0; row < timestamps->size(); ++row) {
            const int64_t ts = (*timestamps)[row];
            if (ts < from_us || ts >= to_us) continue;
            HOGLET_ASSIGN_OR_RETURN(std::string key, rows.GroupKeyOf(index, row));
            if (key.empty() || key == last) continue;
            last = key;
            const Uuid actor = GroupActor(index, key);
            if (actors.contains(actor)) keys.try_emplace(actor, std::move(key));
          }
          return Status::Ok();
        }));
  }
  return keys;
}

// The actors' current properties: their persons', or their groups'.
Status ReadActorProperties(const FunnelCorrelationQuery& query, const DateRange& range,
                           const TrendsContext& context, const store::ScanSource& source,
                           int64_t team_id, const CorrelationActors& actors, ValueActors* values) {
  const std::optional<int> group_type = query.funnel.aggregation_group_type_index;
  std::unordered_map<Uuid, std::string, UuidHash> group_keys;
  if (group_type) {
    if (context.group_properties == nullptr) {
      return InternalError("a property correlation over groups needs the groups' properties");
    }
    HOGLET_ASSIGN_OR_RETURN(group_keys, GroupKeys(query, range, context, source, team_id, actors));
  } else {
    if (context.person_properties == nullptr) {
      return InternalError("a property correlation needs the persons' properties");
    }
    std::vector<Uuid> persons;
    persons.reserve(actors.size());
    for (const auto& [person, span] : actors) persons.push_back(person);
    HOGLET_RETURN_IF_ERROR(context.person_properties->Load(persons));
  }
  const filters::Properties none;
  const std::set<std::string> excluded(query.exclude_names.begin(), query.exclude_names.end());
  const bool all = std::find(query.names.begin(), query.names.end(), "$all") != query.names.end();
  for (const auto& [actor, span] : actors) {
    const filters::Properties* properties = &none;
    if (group_type) {
      auto key = group_keys.find(actor);
      if (key != group_keys.end()) {
        HOGLET_ASSIGN_OR_RETURN(properties, context.group_properties->Of(*group_type, key->second));
      }
    } else {
      HOGLET_ASSIGN_OR_RETURN(properties, context.person_properties->Of(actor));
    }
    if (all) {
      for (const auto& [key, value] : *properties) {
        if (value.kind != filters::PropertyValue::Kind::kString || excluded.contains(key)) {
          continue;
        }
        values->Add(key + "::" + value.text, span.index);
      }
      continue;
    }
    for (const std::string& key : query.names) {
      if (excluded.contains(key)) continue;
      auto found = properties->find(key);
      const bool text =
          found != properties->end() && found->second.kind == filters::PropertyValue::Kind::kString;
      values->Add(key + "::" + (text ? found->second.text : std::string()), span.index);
    }
  }
  return Status::Ok();
}

}  // namespace

double CorrelationOddsRatio(int64_t success, int64_t failure, int64_t success_total,
                            int64_t failure_total) {
  const auto numerator = static_cast<double>(success + kCorrelationPrior) *
                         static_cast<double>(failure_total - failure + kCorrelationPrior);
  const auto denominator = static_cast<double>(success_total - success + kCorrelationPrior) *
                           static_cast<double>(failure + kCorrelationPrior);
  return numerator / denominator;
}

FunnelCorrelationResult RankCorrelations(const std::vector<CorrelationCount>& counts,
                                         int64_t success_total, int64_t failure_total) {
  FunnelCorrelationResult result;
  if (success_total == 0 || failure_total == 0) {
    result.skewed = true;
    return result;
  }
  result.skewed = success_total > 10 * failure_total || failure_total > 10 * success_total;
  const double min_actors =
      std::min(static_cast<double>(kCorrelationMinActors),
               kCorrelationMinActorShare * static_cast<double>(success_total + failure_total));
  std::vector<FunnelCorrelationRow> successes;
  std::vector<FunnelCorrelationRow> failures;
  for (const CorrelationCount& count : counts) {
    if (static_cast<double>(count.success + count.failure) < min_actors) continue;
    FunnelCorrelationRow row;
    row.name = count.name;
    row.success_count = count.success;
    row.failure_count = count.failure;
    row.odds_ratio =
        CorrelationOddsRatio(count.success, count.failure, success_total, failure_total);
    row.success = row.odds_ratio > 1;
    (row.success ? successes : failures).push_back(std::move(row));
  }
  auto by = [](bool descending) {
    return [descending](const FunnelCorrelationRow& a, const FunnelCorrelationRow& b) {
      if (a.odds_ratio != b.odds_ratio) {
        return descending ? a.odds_ratio > b.odds_ratio : a.odds_ratio < b.odds_ratio;
      }
      return a.name < b.name;
    };
  };
  std::sort(successes.begin(), successes.end(), by(true));
  std::sort(failures.begin(), failures.end(), by(false));
  if (successes.size() > kCorrelationTop) successes.resize(kCorrelationTop);
  if (failures.size() > kCorrelationTop) failures.resize(kCorrelationTop);
  result.rows = std::move(successes);
  result.rows.insert(result.rows.end(), std::make_move_iterator(failures.begin()),
                     std::make_move_iterator(failures.end()));
  return result;
}

StatusOr<FunnelCorrelationResult> RunFunnelCorrelation(const FunnelCorrelationQuery& query,
                                                       const DateRange& range,
                                                       const TrendsContext& context,
                                                       const store::ScanSource& source,
                                                       int64_t team_id) {
  HOGLET_ASSIGN_OR_RETURN(
      CorrelationActors actors,
      FunnelActorSpans(query.funnel, query.funnel_step, range, context, source, team_id));
  std::vector<bool> converted(actors.size());
  int64_t success_total = 0;
  for (const auto& [actor, span] : actors) {
    converted[span.index] = span.converted;
    success_total += span.converted ? 1 : 0;
  }
  const auto failure_total = static_cast<int64_t>(actors.size()) - success_total;
  if (success_total == 0 || failure_total == 0)
    return RankCorrelations({}, success_total, failure_total);

  ValueActors values;
  if (query.type == CorrelationType::kProperties) {
    HOGLET_RETURN_IF_ERROR(
        ReadActorProperties(query, range, context, source, team_id, actors, &values));
    return RankCorrelations(values.Counts(converted), success_total, failure_total);
  }
  HOGLET_RETURN_IF_ERROR(ScanActorEvents(query, range, context, source, team_id, actors, &values));
  // Event properties that at most 2 actors have are the long tail PostHog leaves out.
  const int64_t more_than = query.type == CorrelationType::kEventWithProperties ? 2 : -1;
  return RankCorrelations(values.Counts(converted, more_than), success_total, failure_total);
}

}  // namespace hoglet::query
