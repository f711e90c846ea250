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

// PostHog's parse_and_validate_positive_integer: an integer, or a string of one, above 0. Values
// are bounded so that spans stay far inside the int64 microsecond range.
std::optional<int64_t> PositiveInteger(const dom::object& object, std::string_view field) {
  constexpr int64_t kMax = 1'000'000;
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

std::optional<BehavioralKind> KindFromName(std::string_view name) {
  if (name == "performed_event") return BehavioralKind::kPerformedEvent;
  if (name == "performed_event_multiple") return BehavioralKind::kPerformedEventMultiple;
  if (name == "performed_event_first_time") return BehavioralKind::kPerformedEventFirstTime;
  if (name == "stopped_performing_event") return BehavioralKind::kStoppedPerformingEvent;
  if (name == "restarted_performing_event") return BehavioralKind::kRestartedPerformingEvent;
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
             "performed_event_first_time, stopped_performing_event and "
             "restarted_performing_event are evaluated";
    return std::nullopt;
  }
  BehavioralCriterion criterion;
  criterion.kind = *kind;

  std::string_view event_type = StringField(object, "event_type");
  if (event_type == "events") {
    if (key.empty()) {
      *error = "'key' must name the event";
      return std::nullopt;
    }
    criterion.event = key;
  } else if (event_type == "actions") {
    int64_t id = 0;
    auto [end, parse_error] = std::from_chars(key.data(), key.data() + key.size(), id);
    if (parse_error != std::errc() || end != key.data() + key.size()) {
      *error = "'key' must be an action id";
      return std::nullopt;
    }
    criterion.action_id = id;
  } else {
    *error = "'event_type' must be 'events' or 'actions'";
    return std::nullopt;
  }

  std::optional<RelativeSpan> time = SpanOf(object, "time_value", "time_interval", error);
  if (!time) return std::nullopt;
  criterion.time = *time;
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
  if (*kind == BehavioralKind::kPerformedEventMultiple) {
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
