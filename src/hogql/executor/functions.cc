#include "hogql/executor/functions.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <unordered_set>

#include "base/civil_time.h"
#include "base/time_format.h"
#include "query/aggregate.h"

namespace hoglet::hogql {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

ColumnType Of(BaseType base, bool nullable = false) { return {base, nullable}; }

bool AnyNullable(const std::vector<ColumnType>& args) {
  for (const ColumnType& arg : args) {
    if (arg.nullable || arg.base == BaseType::kNothing) return true;
  }
  return false;
}

// The local wall clock of a date or date-time value (a string is read as a date-time first);
// nullopt for anything else.
std::optional<CivilTime> LocalTime(const Value& v, const TimeZone& zone) {
  if (v.kind == Value::Kind::kDate) return CivilTime::FromMicros(v.i * kMicrosPerDay);
  int64_t instant = 0;
  if (v.kind == Value::Kind::kDateTime) {
    instant = v.i;
  } else if (v.kind == Value::Kind::kString) {
    std::optional<int64_t> parsed = ParseDateTimeText(v.s, zone);
    if (!parsed) return std::nullopt;
    instant = *parsed;
  } else {
    return std::nullopt;
  }
  return CivilTime::FromMicros(instant + zone.UtcOffsetMicros(instant));
}

// The instant of a date (its local midnight), date-time or date-time text; nullopt otherwise.
std::optional<int64_t> InstantOf(const Value& v, const TimeZone& zone) {
  if (v.kind == Value::Kind::kDate) return zone.LocalToUtcMicros(v.i * kMicrosPerDay);
  if (v.kind == Value::Kind::kDateTime) return v.i;
  if (v.kind == Value::Kind::kString) return ParseDateTimeText(v.s, zone);
  return std::nullopt;
}

Value DateOf(const CivilTime& t) { return Value::Date(DaysFromCivil(t.year, t.month, t.day)); }

Value DateTimeOf(const CivilTime& t, const TimeZone& zone) {
  return Value::DateTime(zone.LocalToUtcMicros(t.ToMicros()));
}

// --- Result types ------------------------------------------------------------------------------

ColumnType DateLike(const std::vector<ColumnType>& args, BaseType base) {
  bool nullable = AnyNullable(args) || args[0].base == BaseType::kString;
  return Of(base, nullable);
}
ColumnType ToDateType(const std::vector<ColumnType>& args) {
  return DateLike(args, BaseType::kDate);
}
ColumnType ToDateTimeType(const std::vector<ColumnType>& args) {
  return DateLike(args, BaseType::kDateTime);
}
ColumnType UInt8Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kUInt8, AnyNullable(args));
}
ColumnType NotNullUInt8(const std::vector<ColumnType>&) { return Of(BaseType::kUInt8); }
ColumnType StringType(const std::vector<ColumnType>& args) {
  return Of(BaseType::kString, AnyNullable(args));
}
ColumnType NotNullString(const std::vector<ColumnType>&) { return Of(BaseType::kString); }
ColumnType UInt16Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kUInt16, AnyNullable(args) || args[0].base == BaseType::kString);
}
ColumnType UInt32Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kUInt32, AnyNullable(args) || args[0].base == BaseType::kString);
}
ColumnType UInt64Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kUInt64, AnyNullable(args));
}
ColumnType Int64Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kInt64, AnyNullable(args));
}
ColumnType NullableInt64(const std::vector<ColumnType>&) { return Of(BaseType::kInt64, true); }
ColumnType NullableFloat64(const std::vector<ColumnType>&) { return Of(BaseType::kFloat64, true); }
ColumnType Float64Type(const std::vector<ColumnType>& args) {
  return Of(BaseType::kFloat64, AnyNullable(args));
}
ColumnType NowType(const std::vector<ColumnType>&) { return Of(BaseType::kDateTime); }
ColumnType TodayType(const std::vector<ColumnType>&) { return Of(BaseType::kDate); }
ColumnType IntervalType(const std::vector<ColumnType>&) { return Of(BaseType::kInterval); }
ColumnType FirstArgType(const std::vector<ColumnType>& args) { return args[0]; }
ColumnType NullableFirst(const std::vector<ColumnType>& args) { return args[0].Nullable(); }

// The type of a value chosen among `args` (coalesce, ifNull): the first typed argument's, NULL
// only when every argument may be.
ColumnType CommonType(const std::vector<ColumnType>& args, size_t first, size_t step) {
  ColumnType type;
  bool all_nullable = true;
  for (size_t i = first; i < args.size(); i += step) {
    if (type.base == BaseType::kNothing) type.base = args[i].base;
    all_nullable &= args[i].nullable || args[i].base == BaseType::kNothing;
  }
  type.nullable = all_nullable;
  return type;
}
ColumnType CoalesceType(const std::vector<ColumnType>& args) { return CommonType(args, 0, 1); }
ColumnType IfType(const std::vector<ColumnType>& args) {
  ColumnType type = args[1].base != BaseType::kNothing ? args[1] : args[2];
  type.nullable = args[1].nullable || args[2].nullable || args[1].base == BaseType::kNothing ||
                  args[2].base == BaseType::kNothing;
  return type;
}
ColumnType MultiIfType(const std::vector<ColumnType>& args) {
  // Values at 1, 3, …, and the last.
  ColumnType type;
  bool nullable = false;
  for (size_t i = 1; i < args.size(); i += 2) {
    if (type.base == BaseType::kNothing) type.base = args[i].base;
    nullable |= args[i].nullable || args[i].base == BaseType::kNothing;
  }
  const ColumnType& last = args.back();
  if (type.base == BaseType::kNothing) type.base = last.base;
  type.nullable = nullable || last.nullable || last.base == BaseType::kNothing;
  return type;
}

// --- Implementations ---------------------------------------------------------------------------

Value ToDate(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? DateOf(*t) : Value::Null();
}
Value ToDateTime(const std::vector<Value>& a, const EvalContext& c) {
  if (a[0].kind == Value::Kind::kInt) return Value::DateTime(a[0].i * 1'000'000);
  if (a[0].kind == Value::Kind::kFloat) return Value::DateTime(std::llround(a[0].f * 1e6));
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? DateTimeOf(*t, *c.zone) : Value::Null();
}
// Days start at local midnight; hours and minutes are stretches of elapsed time from it, so the
// repeated hour of a fall-back day starts an hour after the first one, as in ClickHouse.
Value StartOfDay(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<int64_t> t = InstantOf(a[0], *c.zone);
  return t ? Value::DateTime(c.zone->StartOfLocalDayMicros(*t)) : Value::Null();
}
Value StartOfHour(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<int64_t> t = InstantOf(a[0], *c.zone);
  return t ? Value::DateTime(c.zone->StartOfElapsedSpanMicros(*t, 3'600'000'000)) : Value::Null();
}
Value StartOfMinute(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<int64_t> t = InstantOf(a[0], *c.zone);
  return t ? Value::DateTime(c.zone->StartOfElapsedSpanMicros(*t, 60'000'000)) : Value::Null();
}
// ClickHouse's modes: even modes start weeks on Sunday, odd ones on Monday.
Value StartOfWeek(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  if (!t) return Value::Null();
  int64_t mode = a.size() > 1 && a[1].kind == Value::Kind::kInt ? a[1].i : 0;
  unsigned weekday = t->Weekday();  // 0 = Monday
  unsigned back = (mode % 2 == 1) ? weekday : (weekday + 1) % 7;
  t->AddDays(-static_cast<int64_t>(back));
  return DateOf(*t);
}
Value Monday(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  if (!t) return Value::Null();
  t->AddDays(-static_cast<int64_t>(t->Weekday()));
  return DateOf(*t);
}
Value StartOfMonth(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  if (!t) return Value::Null();
  t->day = 1;
  return DateOf(*t);
}
Value StartOfQuarter(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  if (!t) return Value::Null();
  t->day = 1;
  t->month = (t->month - 1) / 3 * 3 + 1;
  return DateOf(*t);
}
Value StartOfYear(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  if (!t) return Value::Null();
  t->day = 1;
  t->month = 1;
  return DateOf(*t);
}
Value ToHour(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->hour) : Value::Null();
}
Value ToMonth(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->month) : Value::Null();
}
Value ToDayOfMonth(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->day) : Value::Null();
}
Value ToYear(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->year) : Value::Null();
}
Value ToYYYYMM(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->year * 100 + t->month) : Value::Null();
}
Value ToUnixTimestamp(const std::vector<Value>& a, const EvalContext& c) {
  const Value& v = a[0];
  if (v.kind == Value::Kind::kDateTime) return Value::Int(v.i >= 0 ? v.i / 1'000'000 : 0);
  if (v.kind == Value::Kind::kString) {
    std::optional<int64_t> instant = ParseDateTimeText(v.s, *c.zone);
    if (instant) return Value::Int(*instant >= 0 ? *instant / 1'000'000 : 0);
  }
  return Value::Null();
}
// 1 = Monday … 7 = Sunday.
Value ToDayOfWeek(const std::vector<Value>& a, const EvalContext& c) {
  std::optional<CivilTime> t = LocalTime(a[0], *c.zone);
  return t ? Value::Int(t->Weekday() + 1) : Value::Null();
}
Value Now(const std::vector<Value>&, const EvalContext& c) { return Value::DateTime(c.now_us); }
Value Today(const std::vector<Value>&, const EvalContext& c) {
  return Value::Date(LocalDay(c.now_us, *c.zone));
}

Value ToString(const std::vector<Value>& a, const EvalContext& c) {
  return Value::String(ValueToString(a[0], *c.zone));
}
Value ToInt(const std::vector<Value>& a, const EvalContext&) {
  const Value& v = a[0];
  switch (v.kind) {
    case Value::Kind::kInt:
      return v;
    case Value::Kind::kFloat:
      if (!std::isfinite(v.f) || std::fabs(v.f) >= 9.2e18) return Value::Null();
      return Value::Int(static_cast<int64_t>(v.f));
    case Value::Kind::kString: {
      std::optional<int64_t> n = ParseInteger(v.s);
      return n ? Value::Int(*n) : Value::Null();
    }
    case Value::Kind::kDate:
      return Value::Int(v.i);
    case Value::Kind::kDateTime:
      return Value::Int(v.i / 1'000'000);
    default:
      return Value::Null();
  }
}
Value ToFloat(const std::vector<Value>& a, const EvalContext&) {
  const Value& v = a[0];
  switch (v.kind) {
    case Value::Kind::kInt:
      return Value::Float(static_cast<double>(v.i));
    case Value::Kind::kFloat:
      return v;
    case Value::Kind::kString: {
      std::optional<double> n = ParseNumber(v.s);
      return n ? Value::Float(*n) : Value::Null();
    }
    default:
      return Value::Null();
  }
}

std::string TextOf(const Value& v, const EvalContext& c) {
  return v.kind == Value::Kind::kString ? v.s : ValueToString(v, *c.zone);
}

Value Lower(const std::vector<Value>& a, const EvalContext& c) {
  std::string s = TextOf(a[0], c);
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return Value::String(std::move(s));
}
Value Upper(const std::vector<Value>& a, const EvalContext& c) {
  std::string s = TextOf(a[0], c);
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return Value::String(std::move(s));
}
Value Length(const std::vector<Value>& a, const EvalContext& c) {
  return Value::Int(static_cast<int64_t>(TextOf(a[0], c).size()));
}
Value Empty(const std::vector<Value>& a, const EvalContext& c) {
  return Value::Bool(TextOf(a[0], c).empty());
}
Value NotEmpty(const std::vector<Value>& a, const EvalContext& c) {
  return Value::Bool(!TextOf(a[0], c).empty());
}
Value Trim(const std::vector<Value>& a, const EvalContext& c) {
  std::string s = TextOf(a[0], c);
  size_t first = s.find_first_not_of(' ');
  if (first == std::string::npos) return Value::String("");
  size_t last = s.find_last_not_of(' ');
  return Value::String(s.substr(first, last - first + 1));
}
// HogQL's concat reads NULL as "" (it prints each argument as ifNull(toString(x), '')).
Value Concat(const std::vector<Value>& a, const EvalContext& c) {
  std::string s;
  for (const Value& v : a) {
    if (!v.is_null()) s += TextOf(v, c);
  }
  return Value::String(std::move(s));
}
// substring(s, offset[, length]): 1-based byte offsets; a negative offset counts from the end.
Value Substring(const std::vector<Value>& a, const EvalContext& c) {
  std::string s = TextOf(a[0], c);
  if (a[1].kind != Value::Kind::kInt || (a.size() > 2 && a[2].kind != Value::Kind::kInt)) {
    return Value::Null();
  }
  const int64_t size = static_cast<int64_t>(s.size());
  int64_t offset = a[1].i;
  int64_t start = offset > 0 ? offset - 1 : (offset < 0 ? size + offset : size);
  if (start < 0) start = 0;
  if (start >= size) return Value::String("");
  int64_t length = a.size() > 2 ? a[2].i : size - start;
  if (length < 0) length = std::max<int64_t>(0, size - start + length);
  return Value::String(s.substr(static_cast<size_t>(start), static_cast<size_t>(length)));
}

Value Coalesce(const std::vector<Value>& a, const EvalContext&) {
  for (const Value& v : a) {
    if (!v.is_null()) return v;
  }
  return Value::Null();
}
Value If(const std::vector<Value>& a, const EvalContext&) { return Truthy(a[0]) ? a[1] : a[2]; }
Value MultiIf(const std::vector<Value>& a, const EvalContext&) {
  for (size_t i = 0; i + 1 < a.size(); i += 2) {
    if (Truthy(a[i])) return a[i + 1];
  }
  return a.back();
}
// CASE x WHEN a THEN b … ELSE c END: the value of the first WHEN equal to x.
Value CaseWithExpression(const std::vector<Value>& a, const EvalContext& c) {
  for (size_t i = 1; i + 2 < a.size(); i += 2) {
    if (a[0].is_null() || a[i].is_null()) continue;
    std::optional<int> order = CompareValues(a[0], a[i], *c.zone);
    if (order && *order == 0) return a[i + 1];
  }
  return a.back();
}
ColumnType CaseWithExpressionType(const std::vector<ColumnType>& args) {
  std::vector<ColumnType> values(args.begin() + 1, args.end());
  return MultiIfType(values);
}
Value IsNull(const std::vector<Value>& a, const EvalContext&) {
  return Value::Bool(a[0].is_null());
}
Value IsNotNull(const std::vector<Value>& a, const EvalContext&) {
  return Value::Bool(!a[0].is_null());
}
Value NullIf(const std::vector<Value>& a, const EvalContext& c) {
  if (a[0].is_null()) return a[0];
  if (!a[1].is_null()) {
    std::optional<int> order = CompareValues(a[0], a[1], *c.zone);
    if (order && *order == 0) return Value::Null();
  }
  return a[0];
}
Value NotFunction(const std::vector<Value>& a, const EvalContext&) {
  return Value::Bool(!Truthy(a[0]));
}

// dateDiff('unit', a, b): how many unit boundaries lie between a and b on the project's clock.
Value DateDiff(const std::vector<Value>& a, const EvalContext& c) {
  if (a[0].kind != Value::Kind::kString) return Value::Null();
  std::optional<CivilTime> x = LocalTime(a[1], *c.zone);
  std::optional<CivilTime> y = LocalTime(a[2], *c.zone);
  if (!x || !y) return Value::Null();
  const std::string& unit = a[0].s;
  auto floor_div = [](int64_t v, int64_t d) { return v >= 0 ? v / d : -((-v + d - 1) / d); };
  const int64_t lx = x->ToMicros();
  const int64_t ly = y->ToMicros();
  auto in = [&](int64_t unit_us) {
    return Value::Int(floor_div(ly, unit_us) - floor_div(lx, unit_us));
  };
  if (unit == "second" || unit == "seconds" || unit == "ss" || unit == "s") return in(1'000'000);
  if (unit == "minute" || unit == "minutes" || unit == "mi" || unit == "n") return in(60'000'000);
  if (unit == "hour" || unit == "hours" || unit == "hh" || unit == "h") return in(3'600'000'000);
  if (unit == "day" || unit == "days" || unit == "dd" || unit == "d") return in(kMicrosPerDay);
  if (unit == "week" || unit == "weeks" || unit == "wk" || unit == "ww") {
    // Weeks start on Monday; 1970-01-01 was a Thursday.
    int64_t dx = floor_div(lx, kMicrosPerDay) + 3;
    int64_t dy = floor_div(ly, kMicrosPerDay) + 3;
    return Value::Int(floor_div(dy, 7) - floor_div(dx, 7));
  }
  const int64_t mx = x->year * 12 + x->month - 1;
  const int64_t my = y->year * 12 + y->month - 1;
  if (unit == "month" || unit == "months" || unit == "mm" || unit == "m")
    return Value::Int(my - mx);
  if (unit == "quarter" || unit == "quarters" || unit == "qq" || unit == "q") {
    return Value::Int(floor_div(my, 3) - floor_div(mx, 3));
  }
  if (unit == "year" || unit == "years" || unit == "yyyy" || unit == "yy") {
    return Value::Int(y->year - x->year);
  }
  return Value::Null();
}

Value Round(const std::vector<Value>& a, const EvalContext&) {
  double x = a[0].kind == Value::Kind::kInt ? static_cast<double>(a[0].i) : a[0].f;
  if (a[0].kind != Value::Kind::kInt && a[0].kind != Value::Kind::kFloat) return Value::Null();
  int64_t digits = a.size() > 1 && a[1].kind == Value::Kind::kInt ? a[1].i : 0;
  double scale = std::pow(10.0, static_cast<double>(digits));
  // ClickHouse rounds halves to even for floats.
  return Value::Float(std::nearbyint(x * scale) / scale);
}
Value Floor(const std::vector<Value>& a, const EvalContext&) {
  if (a[0].kind == Value::Kind::kInt) return a[0];
  if (a[0].kind != Value::Kind::kFloat) return Value::Null();
  return Value::Float(std::floor(a[0].f));
}
Value Ceil(const std::vector<Value>& a, const EvalContext&) {
  if (a[0].kind == Value::Kind::kInt) return a[0];
  if (a[0].kind != Value::Kind::kFloat) return Value::Null();
  return Value::Float(std::ceil(a[0].f));
}
Value Abs(const std::vector<Value>& a, const EvalContext&) {
  if (a[0].kind == Value::Kind::kInt) return Value::Int(a[0].i < 0 ? -a[0].i : a[0].i);
  if (a[0].kind != Value::Kind::kFloat) return Value::Null();
  return Value::Float(std::fabs(a[0].f));
}

template <IntervalUnit kUnit>
Value MakeInterval(const std::vector<Value>& a, const EvalContext&) {
  if (a[0].kind == Value::Kind::kInt) return Value::Interval(a[0].i, kUnit);
  if (a[0].kind == Value::Kind::kString) {
    std::optional<int64_t> n = ParseInteger(a[0].s);
    if (n) return Value::Interval(*n, kUnit);
  }
  return Value::Null();
}

constexpr size_t kMany = 1000;

const std::array kScalarFunctions = {
    ScalarFunction{"toDate", 1, 1, true, ToDateType, ToDate},
    ScalarFunction{"toDateTime", 1, 1, true, ToDateTimeType, ToDateTime},
    ScalarFunction{"toStartOfDay", 1, 1, true, ToDateTimeType, StartOfDay},
    ScalarFunction{"toStartOfHour", 1, 1, true, ToDateTimeType, StartOfHour},
    ScalarFunction{"toStartOfMinute", 1, 1, true, ToDateTimeType, StartOfMinute},
    ScalarFunction{"toStartOfWeek", 1, 2, true, ToDateType, StartOfWeek},
    ScalarFunction{"toMonday", 1, 1, true, ToDateType, Monday},
    ScalarFunction{"toStartOfMonth", 1, 1, true, ToDateType, StartOfMonth},
    ScalarFunction{"toStartOfQuarter", 1, 1, true, ToDateType, StartOfQuarter},
    ScalarFunction{"toStartOfYear", 1, 1, true, ToDateType, StartOfYear},
    ScalarFunction{"toYear", 1, 1, true, UInt16Type, ToYear},
    ScalarFunction{"toYYYYMM", 1, 1, true, UInt32Type, ToYYYYMM},
    ScalarFunction{"toUnixTimestamp", 1, 1, true, UInt32Type, ToUnixTimestamp},
    ScalarFunction{"toHour", 1, 1, true, UInt8Type, ToHour},
    ScalarFunction{"toMonth", 1, 1, true, UInt8Type, ToMonth},
    ScalarFunction{"toDayOfMonth", 1, 1, true, UInt8Type, ToDayOfMonth},
    ScalarFunction{"toDayOfWeek", 1, 1, true, UInt8Type, ToDayOfWeek},
    ScalarFunction{"now", 0, 0, true, NowType, Now},
    ScalarFunction{"today", 0, 0, true, TodayType, Today},
    ScalarFunction{"toString", 1, 1, true, StringType, ToString},
    ScalarFunction{"toInt", 1, 1, true, NullableInt64, ToInt},
    ScalarFunction{"toFloat", 1, 1, true, NullableFloat64, ToFloat},
    ScalarFunction{"lower", 1, 1, true, StringType, Lower},
    ScalarFunction{"upper", 1, 1, true, StringType, Upper},
    ScalarFunction{"length", 1, 1, true, UInt64Type, Length},
    ScalarFunction{"empty", 1, 1, true, UInt8Type, Empty},
    ScalarFunction{"notEmpty", 1, 1, true, UInt8Type, NotEmpty},
    ScalarFunction{"trim", 1, 1, true, StringType, Trim},
    ScalarFunction{"concat", 1, kMany, false, NotNullString, Concat},
    ScalarFunction{"substring", 2, 3, true, StringType, Substring},
    ScalarFunction{"coalesce", 1, kMany, false, CoalesceType, Coalesce},
    ScalarFunction{"ifNull", 2, 2, false, CoalesceType, Coalesce},
    ScalarFunction{"if", 3, 3, false, IfType, If},
    ScalarFunction{"multiIf", 3, kMany, false, MultiIfType, MultiIf},
    ScalarFunction{"_caseWithExpression", 4, kMany, false, CaseWithExpressionType,
                   CaseWithExpression},
    ScalarFunction{"isNull", 1, 1, false, NotNullUInt8, IsNull},
    ScalarFunction{"isNotNull", 1, 1, false, NotNullUInt8, IsNotNull},
    ScalarFunction{"nullIf", 2, 2, false, NullableFirst, NullIf},
    ScalarFunction{"not", 1, 1, true, UInt8Type, NotFunction},
    ScalarFunction{"dateDiff", 3, 3, true, Int64Type, DateDiff},
    ScalarFunction{"round", 1, 2, true, Float64Type, Round},
    ScalarFunction{"floor", 1, 1, true, FirstArgType, Floor},
    ScalarFunction{"ceil", 1, 1, true, FirstArgType, Ceil},
    ScalarFunction{"abs", 1, 1, true, FirstArgType, Abs},
    ScalarFunction{"toIntervalSecond", 1, 1, true, IntervalType,
                   MakeInterval<IntervalUnit::kSecond>},
    ScalarFunction{"toIntervalMinute", 1, 1, true, IntervalType,
                   MakeInterval<IntervalUnit::kMinute>},
    ScalarFunction{"toIntervalHour", 1, 1, true, IntervalType, MakeInterval<IntervalUnit::kHour>},
    ScalarFunction{"toIntervalDay", 1, 1, true, IntervalType, MakeInterval<IntervalUnit::kDay>},
    ScalarFunction{"toIntervalWeek", 1, 1, true, IntervalType, MakeInterval<IntervalUnit::kWeek>},
    ScalarFunction{"toIntervalMonth", 1, 1, true, IntervalType, MakeInterval<IntervalUnit::kMonth>},
    ScalarFunction{"toIntervalQuarter", 1, 1, true, IntervalType,
                   MakeInterval<IntervalUnit::kQuarter>},
    ScalarFunction{"toIntervalYear", 1, 1, true, IntervalType, MakeInterval<IntervalUnit::kYear>},
};

// --- Aggregates --------------------------------------------------------------------------------

class CountState final : public AggregateState {
 public:
  size_t Add(const Value&) override {
    ++count_;
    return 0;
  }
  size_t AddRepeated(const Value&, int64_t times) override {
    count_ += times;
    return 0;
  }
  void Merge(const AggregateState& other) override {
    count_ += static_cast<const CountState&>(other).count_;
  }
  Value Finalize() const override { return Value::Int(count_); }

 private:
  int64_t count_ = 0;
};

class UniqState final : public AggregateState {
 public:
  size_t Add(const Value& value) override {
    std::string key;
    AppendGroupKey(value, &key);
    return seen_.insert(std::move(key)).second ? 1 : 0;
  }
  void Merge(const AggregateState& other) override {
    const auto& theirs = static_cast<const UniqState&>(other).seen_;
    seen_.insert(theirs.begin(), theirs.end());
  }
  Value Finalize() const override { return Value::Int(static_cast<int64_t>(seen_.size())); }

 private:
  std::unordered_set<std::string> seen_;
};

class SumState final : public AggregateState {
 public:
  explicit SumState(bool average) : average_(average) {}
  size_t Add(const Value& value) override {
    if (value.kind == Value::Kind::kInt) {
      int_sum_ =
          static_cast<int64_t>(static_cast<uint64_t>(int_sum_) + static_cast<uint64_t>(value.i));
      float_sum_ += static_cast<double>(value.i);
    } else if (value.kind == Value::Kind::kFloat) {
      floats_ = true;
      float_sum_ += value.f;
    } else {
      return 0;
    }
    ++count_;
    return 0;
  }
  void Merge(const AggregateState& other) override {
    const auto& o = static_cast<const SumState&>(other);
    int_sum_ =
        static_cast<int64_t>(static_cast<uint64_t>(int_sum_) + static_cast<uint64_t>(o.int_sum_));
    float_sum_ += o.float_sum_;
    floats_ |= o.floats_;
    count_ += o.count_;
  }
  Value Finalize() const override {
    if (average_) {
      return Value::Float(count_ == 0 ? std::nan("") : float_sum_ / static_cast<double>(count_));
    }
    return floats_ ? Value::Float(float_sum_) : Value::Int(int_sum_);
  }

 private:
  const bool average_;
  int64_t int_sum_ = 0;
  double float_sum_ = 0;
  bool floats_ = false;
  int64_t count_ = 0;
};

class ExtremeState final : public AggregateState {
 public:
  enum class Pick { kMin, kMax, kAny };
  explicit ExtremeState(Pick pick) : pick_(pick) {}
  size_t Add(const Value& value) override {
    if (best_.is_null()) {
      best_ = value;
      return 0;
    }
    if (pick_ == Pick::kAny) return 0;
    // Values of one column share a kind; the zone does not change how they order.
    int order = OrderValues(value, best_, TimeZone::Utc());
    if ((pick_ == Pick::kMin && order < 0) || (pick_ == Pick::kMax && order > 0)) best_ = value;
    return 0;
  }
  void Merge(const AggregateState& other) override {
    const Value& theirs = static_cast<const ExtremeState&>(other).best_;
    if (!theirs.is_null()) Add(theirs);
  }
  Value Finalize() const override { return best_; }

 private:
  const Pick pick_;
  Value best_;
};

// quantile(level)(x) and median(x) hold every value and interpolate between the two nearest the
// level, as ClickHouse's quantile does over the values it keeps (all of them up to 8192, a
// sample past that) and as trends' quantile maths compute (query/aggregate.h). NaN over none.
class QuantileState final : public AggregateState {
 public:
  explicit QuantileState(double level) : level_(level) {}
  size_t Add(const Value& value) override {
    if (value.kind == Value::Kind::kInt) {
      values_.push_back(static_cast<double>(value.i));
    } else if (value.kind == Value::Kind::kFloat) {
      values_.push_back(value.f);
    } else {
      return 0;
    }
    return 1;
  }
  void Merge(const AggregateState& other) override {
    const auto& theirs = static_cast<const QuantileState&>(other).values_;
    values_.insert(values_.end(), theirs.begin(), theirs.end());
  }
  Value Finalize() const override {
    if (values_.empty()) return Value::Float(std::nan(""));
    std::vector<double> sorted = values_;
    return Value::Float(query::InterpolatedQuantile(&sorted, level_));
  }

 private:
  const double level_;
  std::vector<double> values_;
};

ColumnType CountType(const std::vector<ColumnType>&) { return Of(BaseType::kUInt64); }
// sum needs numbers: a string argument has no sum type (the planner refuses it).
ColumnType SumType(const std::vector<ColumnType>& args) {
  if (!args[0].numeric()) return Of(BaseType::kNothing);
  if (args[0].base == BaseType::kFloat64) return Of(BaseType::kFloat64);
  return Of(args[0].base == BaseType::kInt64 ? BaseType::kInt64 : BaseType::kUInt64);
}
ColumnType AvgType(const std::vector<ColumnType>& args) {
  if (!args[0].numeric()) return Of(BaseType::kNothing);
  return Of(BaseType::kFloat64);
}
ColumnType ExtremeType(const std::vector<ColumnType>& args) { return args[0].Nullable(); }

std::unique_ptr<AggregateState> MakeCount(bool distinct, double) {
  if (distinct) return std::make_unique<UniqState>();
  return std::make_unique<CountState>();
}
std::unique_ptr<AggregateState> MakeUniq(bool, double) { return std::make_unique<UniqState>(); }
std::unique_ptr<AggregateState> MakeSum(bool, double) { return std::make_unique<SumState>(false); }
std::unique_ptr<AggregateState> MakeAvg(bool, double) { return std::make_unique<SumState>(true); }
std::unique_ptr<AggregateState> MakeMin(bool, double) {
  return std::make_unique<ExtremeState>(ExtremeState::Pick::kMin);
}
std::unique_ptr<AggregateState> MakeMax(bool, double) {
  return std::make_unique<ExtremeState>(ExtremeState::Pick::kMax);
}
std::unique_ptr<AggregateState> MakeQuantile(bool, double level) {
  return std::make_unique<QuantileState>(level);
}
std::unique_ptr<AggregateState> MakeAny(bool, double) {
  return std::make_unique<ExtremeState>(ExtremeState::Pick::kAny);
}

// count takes 0 or 1 argument: the planner reads `args` as the most it takes.
const std::array kAggregateFunctions = {
    AggregateFunction{"count", 1, false, CountType, MakeCount},
    AggregateFunction{"countIf", 0, true, CountType, MakeCount},
    AggregateFunction{"uniq", 1, false, CountType, MakeUniq},
    AggregateFunction{"uniqExact", 1, false, CountType, MakeUniq},
    AggregateFunction{"uniqIf", 1, true, CountType, MakeUniq},
    AggregateFunction{"uniqExactIf", 1, true, CountType, MakeUniq},
    AggregateFunction{"sum", 1, false, SumType, MakeSum},
    AggregateFunction{"sumIf", 1, true, SumType, MakeSum},
    AggregateFunction{"avg", 1, false, AvgType, MakeAvg},
    AggregateFunction{"avgIf", 1, true, AvgType, MakeAvg},
    AggregateFunction{"min", 1, false, ExtremeType, MakeMin},
    AggregateFunction{"minIf", 1, true, ExtremeType, MakeMin},
    AggregateFunction{"max", 1, false, ExtremeType, MakeMax},
    AggregateFunction{"maxIf", 1, true, ExtremeType, MakeMax},
    AggregateFunction{"any", 1, false, ExtremeType, MakeAny},
    AggregateFunction{"anyIf", 1, true, ExtremeType, MakeAny},
    AggregateFunction{"median", 1, false, AvgType, MakeQuantile},
    AggregateFunction{"quantile", 1, false, AvgType, MakeQuantile},
};

}  // namespace

const ScalarFunction* FindScalarFunction(std::string_view name) {
  for (const ScalarFunction& function : kScalarFunctions) {
    if (function.name == name) return &function;
  }
  // ClickHouse's case-insensitive aliases.
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static const std::array<std::pair<std::string_view, std::string_view>, 8> kAliases = {{
      {"coalesce", "coalesce"},
      {"lower", "lower"},
      {"upper", "upper"},
      {"length", "length"},
      {"concat", "concat"},
      {"substring", "substring"},
      {"if", "if"},
      {"datediff", "dateDiff"},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (lower == alias) return FindScalarFunction(canonical);
  }
  return nullptr;
}

const AggregateFunction* FindAggregateFunction(std::string_view name) {
  for (const AggregateFunction& function : kAggregateFunctions) {
    if (function.name == name) return &function;
  }
  // SQL's aggregates are case-insensitive in ClickHouse: COUNT(*), SUM(x), …
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  for (std::string_view known : {"count", "sum", "avg", "min", "max"}) {
    if (lower == known) return FindAggregateFunction(known);
  }
  return nullptr;
}

bool IsOtherAggregateName(std::string_view name) {
  static const std::set<std::string_view> kOthers = {
      "quantiles",       "quantileExact",  "argMin",        "argMax",
      "groupArray",      "groupUniqArray", "topK",          "stddevPop",
      "stddevSamp",      "varPop",         "varSamp",       "corr",
      "covarPop",        "uniqHLL12",      "uniqCombined",  "sumMap",
      "countDistinctIf", "medianIf",       "quantileIf",    "argMaxIf",
      "argMinIf",        "groupArrayIf",   "uniqUpTo",      "windowFunnel",
      "retention",       "sequenceMatch",  "sequenceCount", "anyLast",
      "histogram",       "groupBitmap",    "row_number",    "rank",
      "dense_rank",      "lagInFrame",     "leadInFrame",   "first_value",
      "last_value"};
  return kOthers.contains(name);
}

bool ContainsAggregate(const Expr& expr) {
  if (const Call* call = expr.TryAs<Call>();
      call != nullptr && !call->is_window() &&
      (FindAggregateFunction(call->name) != nullptr || IsOtherAggregateName(call->name))) {
    return true;
  }
  if (expr.kind == ExprKind::kSelectQuery || expr.kind == ExprKind::kSelectSetQuery) return false;
  bool found = false;
  ForEachChild(expr, [&](const Expr& child) { found = found || ContainsAggregate(child); });
  return found;
}

}  // namespace hoglet::hogql
