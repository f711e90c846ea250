#include "filters/behavioral_criterion.h"

#include <simdjson.h>

#include <charconv>
#include <memory>
#include <string_view>
#include <utility>

#include "base/civil_time.h"
#include "filters/property_value_json.h"

namespace hoglet::filters {
namespace {

namespace dom = simdjson::dom;

constexpr int64_t kMicrosPerSecond = 1'000'000;

// PostHog's INTERVAL_TO_SECONDS, which compares a stopped or restarted criterion's two spans.
int64_t ApproximateSeconds(const RelativeSpan& span) {
  switch (span.unit) {
    case TimeUnit::kMinute:
      return span.value * 60;
    case TimeUnit::kHour:
      return span.value * 3600;
    case TimeUnit::kDay:
      return span.value * 86400;
    case TimeUnit::kWeek:
      return span.value * 604800;
    case TimeUnit::kMonth:
      return span.value * 2592000;
    case TimeUnit::kYear:
      return span.value * 31536000;
  }
  return 0;
}

std::optional<TimeUnit> UnitFromName(std::string_view name) {
  if (name == "minute") return TimeUnit::kMinute;
  if (name == "hour") return TimeUnit::kHour;
  if (name == "day") return TimeUnit::kDay;
  if (name == "week") return TimeUnit::kWeek;
  if (name == "month") return TimeUnit::kMonth;
  if (name == "year") return TimeUnit::kYear;
  return std::nullopt;
}

// The largest time_value (and, for performed_event_regularly, time_value × total_periods): spans
// stay far inside the int64 microsecond range.
constexpr int64_t kMaxSpanValue = 1'000'000;

// PostHog's parse_and_validate_positive_integer: an integer, or a string of one, above 0, at
// most kMaxSpanValue.
std::optional<int64_t> PositiveInteger(const dom::object& object, std::string_view field) {
  constexpr int64_t kMax = kMaxSpanValue;
  dom::element element;
  if (object[field].get(element) != simdjson::SUCCESS) return std::nullopt;
  int64_t value = 0;
  std::string_view text;
  double number = 0;
  if (element.get_string().get(text) == simdjson::SUCCESS) {
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  } else if (element.get_int64().get(value) != simdjson::SUCCESS) {
    // 30.0 reads as 30; 2.5 and anything else is refused.
    if (element.get_double().get(number) != simdjson::SUCCESS || number < 0 ||
        number > static_cast<double>(kMax) || number != static_cast<double>(int64_t(number))) {
      return std::nullopt;
    }
    value = static_cast<int64_t>(number);
  }
  if (value <= 0 || value > kMax) return std::nullopt;
  return value;
}

std::string_view StringField(const dom::object& object, std::string_view field) {
  std::string_view text;
  if (object[field].get_string().get(text) != simdjson::SUCCESS) return {};
  return text;
}

// The span `value_field` × `interval_field`, or the message saying what is wrong.
std::optional<RelativeSpan> SpanOf(const dom::object& object, std::string_view value_field,
                                   std::string_view interval_field, std::string* error) {
  std::optional<int64_t> value = PositiveInteger(object, value_field);
  if (!value) {
    *error = "'" + std::string(value_field) + "' must be a positive integer";
    return std::nullopt;
  }
  std::optional<TimeUnit> unit = UnitFromName(StringField(object, interval_field));
  if (!unit) {
    *error =
        "'" + std::string(interval_field) + "' must be one of minute, hour, day, week, month, year";
    return std::nullopt;
  }
  return RelativeSpan{*value, *unit};
}

// An event ("events": `key` names it) or an action ("actions": `key` is its id), read into
// `event` or `action_id`; false with the message when neither.
bool ReadEntity(std::string_view type, const std::string& key, std::string_view key_field,
                std::string_view type_field, std::string* event, std::optional<int64_t>* action_id,
                std::string* error) {
  if (type == "events") {
    if (key.empty()) {
      *error = "'" + std::string(key_field) + "' must name the event";
      return false;
    }
    *event = key;
    return true;
  }
  if (type == "actions") {
    int64_t id = 0;
    auto [end, parse_error] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (parse_error != std::errc() || end != key.data() + key.size()) {
      *error = "'" + std::string(key_field) + "' must be an action id";
      return false;
    }
    *action_id = id;
    return true;
  }
  *error = "'" + std::string(type_field) + "' must be 'events' or 'actions'";
  return false;
}

std::optional<BehavioralKind> KindFromName(std::string_view name) {
  if (name == "performed_event") return BehavioralKind::kPerformedEvent;
  if (name == "performed_event_multiple") return BehavioralKind::kPerformedEventMultiple;
  if (name == "performed_event_first_time") return BehavioralKind::kPerformedEventFirstTime;
  if (name == "stopped_performing_event") return BehavioralKind::kStoppedPerformingEvent;
  if (name == "restarted_performing_event") return BehavioralKind::kRestartedPerformingEvent;
  if (name == "performed_event_regularly") return BehavioralKind::kPerformedEventRegularly;
  if (name == "performed_event_sequence") return BehavioralKind::kPerformedEventSequence;
  return std::nullopt;
}

std::optional<CountOperator> CountOperatorFromName(std::string_view name) {
  if (name.empty() || name == "eq" || name == "exact") return CountOperator::kEq;
  if (name == "gte") return CountOperator::kGte;
  if (name == "lte") return CountOperator::kLte;
  if (name == "gt") return CountOperator::kGt;
  if (name == "lt") return CountOperator::kLt;
  return std::nullopt;
}

// The criterion, or the message saying why this server cannot evaluate it.
std::optional<BehavioralCriterion> Criterion(const dom::object& object, const std::string& key,
                                             std::string* error) {
  std::string_view value = StringField(object, "value");
  std::optional<BehavioralKind> kind = KindFromName(value);
  if (!kind) {
    *error = "behavioral criteria with value '" + std::string(value.substr(0, 100)) +
             "' are not supported: only performed_event, performed_event_multiple, "
             "performed_event_first_time, stopped_performing_event, "
             "restarted_performing_event, performed_event_regularly and "
             "performed_event_sequence are evaluated";
    return std::nullopt;
  }
  BehavioralCriterion criterion;
  criterion.kind = *kind;

  if (!ReadEntity(StringField(object, "event_type"), key, "key", "event_type", &criterion.event,
                  &criterion.action_id, error)) {
    return std::nullopt;
  }
  if (*kind == BehavioralKind::kPerformedEventSequence) {
    std::string seq_key;
    dom::element seq_element;
    std::string_view seq_text;
    int64_t seq_id = 0;
    if (object["seq_event"].get(seq_element) == simdjson::SUCCESS) {
      if (seq_element.get_string().get(seq_text) == simdjson::SUCCESS) {
        seq_key = std::string(seq_text);
      } else if (seq_element.get_int64().get(seq_id) == simdjson::SUCCESS) {
        seq_key = std::to_string(seq_id);
      }
    }
    if (!ReadEntity(StringField(object, "seq_event_type"), seq_key, "seq_event", "seq_event_type",
                    &criterion.seq_event, &criterion.seq_action_id, error)) {
      return std::nullopt;
    }
  }

  std::optional<RelativeSpan> time = SpanOf(object, "time_value", "time_interval", error);
  if (!time) return std::nullopt;
  criterion.time = *time;
  if (*kind == BehavioralKind::kPerformedEventSequence) {
    std::optional<RelativeSpan> seq = SpanOf(object, "seq_time_value", "seq_time_interval", error);
    if (!seq) return std::nullopt;
    criterion.seq_time = *seq;
  }
  if (*kind == BehavioralKind::kStoppedPerformingEvent ||
      *kind == BehavioralKind::kRestartedPerformingEvent) {
    std::optional<RelativeSpan> seq = SpanOf(object, "seq_time_value", "seq_time_interval", error);
    if (!seq) return std::nullopt;
    if (ApproximateSeconds(*seq) > ApproximateSeconds(*time)) {
      *error =
          "'seq_time_value' × 'seq_time_interval' must not be longer than 'time_value' × "
          "'time_interval'";
      return std::nullopt;
    }
    criterion.seq_time = *seq;
  }
  if (*kind == BehavioralKind::kPerformedEventRegularly) {
    std::optional<int64_t> min_periods = PositiveInteger(object, "min_periods");
    std::optional<int64_t> total_periods = PositiveInteger(object, "total_periods");
    if (!min_periods || !total_periods) {
      *error = "'min_periods' and 'total_periods' must be positive integers";
      return std::nullopt;
    }
    if (*total_periods > BehavioralCriterion::kMaxPeriods) {
      *error =
          "'total_periods' must be at most " + std::to_string(BehavioralCriterion::kMaxPeriods);
      return std::nullopt;
    }
    if (*min_periods > *total_periods) {
      *error = "'min_periods' (" + std::to_string(*min_periods) +
               ") cannot be greater than 'total_periods' (" + std::to_string(*total_periods) + ")";
      return std::nullopt;
    }
    if (time->value * *total_periods > kMaxSpanValue) {
      *error = "'time_value' × 'total_periods' must be at most " + std::to_string(kMaxSpanValue);
      return std::nullopt;
    }
    criterion.min_periods = *min_periods;
    criterion.total_periods = *total_periods;
  }
  if (*kind == BehavioralKind::kPerformedEventMultiple ||
      *kind == BehavioralKind::kPerformedEventRegularly) {
    std::string_view op;
    dom::element op_element;
    if (object["operator"].get(op_element) == simdjson::SUCCESS && !op_element.is_null() &&
        op_element.get_string().get(op) != simdjson::SUCCESS) {
      op = "?";
    }
    std::optional<CountOperator> count_operator = CountOperatorFromName(op);
    if (!count_operator) {
      *error = "'operator' must be one of gte, lte, gt, lt, eq, exact";
      return std::nullopt;
    }
    criterion.count_operator = *count_operator;
    std::optional<int64_t> count = PositiveInteger(object, "operator_value");
    if (!count) {
      *error = "'operator_value' must be a positive integer";
      return std::nullopt;
    }
    criterion.count = *count;
  }

  dom::element event_filters;
  if (object["event_filters"].get(event_filters) == simdjson::SUCCESS && !event_filters.is_null()) {
    FilterTreeOptions options;
    options.filter.default_type = FilterType::kEvent;
    options.filter.reject_invalid_regex = true;
    options.root_name = "event_filters";
    options.max_filters = 100;
    StatusOr<FilterNode> parsed = ParseFilterTree(simdjson::minify(event_filters), options);
    if (!parsed.ok()) {
      *error = std::string(parsed.status().message());
      return std::nullopt;
    }
    bool events_only = true;
    ForEachFilter(*parsed, [&](const PropertyFilter& filter) {
      if (filter.type != FilterType::kEvent && filter.type != FilterType::kElement) {
        events_only = false;
      }
    });
    if (!events_only) {
      *error = "'event_filters' may only hold event and element property filters";
      return std::nullopt;
    }
    criterion.event_filters = *std::move(parsed);
  }
  return criterion;
}

}  // namespace

int64_t RelativeSpan::Before(int64_t now_us) const {
  switch (unit) {
    case TimeUnit::kMinute:
      return now_us - value * 60 * kMicrosPerSecond;
    case TimeUnit::kHour:
      return now_us - value * 3600 * kMicrosPerSecond;
    case TimeUnit::kDay:
      return now_us - value * 86400 * kMicrosPerSecond;
    case TimeUnit::kWeek:
      return now_us - value * 604800 * kMicrosPerSecond;
    case TimeUnit::kMonth:
    case TimeUnit::kYear: {
      CivilTime time = CivilTime::FromMicros(now_us);
      if (unit == TimeUnit::kMonth) {
        time.AddMonths(-value);
      } else {
        time.AddYears(-value);
      }
      return time.ToMicros();
    }
  }
  return now_us;
}

int64_t RelativeSpan::After(int64_t from_us) const {
  switch (unit) {
    case TimeUnit::kMinute:
      return from_us + value * 60 * kMicrosPerSecond;
    case TimeUnit::kHour:
      return from_us + value * 3600 * kMicrosPerSecond;
    case TimeUnit::kDay:
      return from_us + value * 86400 * kMicrosPerSecond;
    case TimeUnit::kWeek:
      return from_us + value * 604800 * kMicrosPerSecond;
    case TimeUnit::kMonth:
    case TimeUnit::kYear: {
      CivilTime time = CivilTime::FromMicros(from_us);
      if (unit == TimeUnit::kMonth) {
        time.AddMonths(value);
      } else {
        time.AddYears(value);
      }
      return time.ToMicros();
    }
  }
  return from_us;
}

bool BehavioralCriterion::CountMatches(int64_t events) const {
  switch (count_operator) {
    case CountOperator::kEq:
      return events == count;
    case CountOperator::kGte:
      return events >= count;
    case CountOperator::kLte:
      return events <= count;
    case CountOperator::kGt:
      return events > count;
    case CountOperator::kLt:
      return events < count;
  }
  return false;
}

void ReadBehavioralCriterion(const dom::object& object, PropertyFilter* filter) {
  std::string error;
  std::optional<BehavioralCriterion> criterion = Criterion(object, filter->key, &error);
  if (!criterion) {
    filter->behavioral_error = std::move(error);
    return;
  }
  filter->behavioral = std::make_shared<const BehavioralCriterion>(*std::move(criterion));
}

}  // namespace hoglet::filters
