#include "hogql/executor/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "base/civil_time.h"
#include "base/time_format.h"

namespace hoglet::hogql {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

std::string BaseName(BaseType base, std::string_view zone) {
  switch (base) {
    case BaseType::kNothing:
      return "Nothing";
    case BaseType::kUInt8:
      return "UInt8";
    case BaseType::kUInt16:
      return "UInt16";
    case BaseType::kUInt32:
      return "UInt32";
    case BaseType::kUInt64:
      return "UInt64";
    case BaseType::kInt64:
      return "Int64";
    case BaseType::kFloat64:
      return "Float64";
    case BaseType::kString:
      return "String";
    case BaseType::kDate:
      return "Date";
    case BaseType::kDateTime:
      return "DateTime64(6, '" + std::string(zone) + "')";
    case BaseType::kUuid:
      return "UUID";
    case BaseType::kInterval:
      return "IntervalDay";
  }
  return "Nothing";
}

bool IsNumber(const Value& v) {
  return v.kind == Value::Kind::kInt || v.kind == Value::Kind::kFloat;
}
double AsDouble(const Value& v) {
  return v.kind == Value::Kind::kInt ? static_cast<double>(v.i) : v.f;
}

template <typename T>
int Sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  if (a.kind == Value::Kind::kInt && b.kind == Value::Kind::kInt) return Sign(a.i, b.i);
  double x = AsDouble(a);
  double y = AsDouble(b);
  if (std::isnan(x) || std::isnan(y)) return std::nullopt;
  return Sign(x, y);
}

// The instant a date or date-time value stands for (a date: its local midnight).
std::optional<int64_t> AsInstant(const Value& v, const TimeZone& zone) {
  switch (v.kind) {
    case Value::Kind::kDateTime:
      return v.i;
    case Value::Kind::kDate:
      return zone.LocalToUtcMicros(v.i * kMicrosPerDay);
    case Value::Kind::kString:
      return ParseDateTimeText(v.s, zone);
    case Value::Kind::kInt:
      return v.i * 1'000'000;
    case Value::Kind::kFloat:
      return static_cast<int64_t>(v.f * 1e6);
    default:
      return std::nullopt;
  }
}

bool Digits(std::string_view text, size_t at, size_t count, unsigned* out) {
  if (at + count > text.size()) return false;
  unsigned value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + static_cast<unsigned>(text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string TypeName(ColumnType type, std::string_view zone) {
  std::string name = BaseName(type.base, zone);
  if (type.nullable || type.base == BaseType::kNothing) return "Nullable(" + name + ")";
  return name;
}

std::optional<double> ParseNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') text.remove_prefix(1);
  double number = 0;
  auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<int64_t> ParseInteger(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  int64_t number = 0;
  auto [ptr, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return number;
}

std::optional<int64_t> ParseDateTimeText(std::string_view text, const TimeZone& zone) {
  CivilTime t;
  unsigned year = 0;
  if (!Digits(text, 0, 4, &year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !Digits(text, 5, 2, &t.month) || !Digits(text, 8, 2, &t.day)) {
    return std::nullopt;
  }
  t.year = year;
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > DaysInMonth(t.year, t.month)) {
    return std::nullopt;
  }
  size_t at = 10;
  if (at < text.size()) {
    if (text[at] != ' ' && text[at] != 'T') return std::nullopt;
    if (!Digits(text, at + 1, 2, &t.hour) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !Digits(text, at + 4, 2, &t.minute)) {
      return std::nullopt;
    }
    at += 6;
    if (at < text.size() && text[at] == ':') {
      if (!Digits(text, at + 1, 2, &t.second)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == '.') {
        ++at;
        unsigned micros = 0;
        int digits = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          if (digits < 6) {
            micros = micros * 10 + static_cast<unsigned>(text[at] - '0');
            ++digits;
          }
          ++at;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 6; ++digits) micros *= 10;
        t.micros = micros;
      }
    }
    if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  }
  int64_t local_us = t.ToMicros();
  std::string_view rest = text.substr(at);
  if (rest.empty()) return zone.LocalToUtcMicros(local_us);
  if (rest == "Z" || rest == "z") return local_us;
  unsigned hours = 0;
  unsigned minutes = 0;
  if ((rest[0] != '+' && rest[0] != '-') || !Digits(rest, 1, 2, &hours)) return std::nullopt;
  if (rest.size() == 6 && rest[3] == ':') {
    if (!Digits(rest, 4, 2, &minutes)) return std::nullopt;
  } else if (rest.size() == 5) {
    if (!Digits(rest, 3, 2, &minutes)) return std::nullopt;
  } else if (rest.size() != 3) {
    return std::nullopt;
  }
  int64_t offset_us = (static_cast<int64_t>(hours) * 60 + minutes) * 60'000'000;
  return rest[0] == '+' ? local_us - offset_us : local_us + offset_us;
}

int64_t LocalDay(int64_t utc_us, const TimeZone& zone) {
  int64_t local = utc_us + zone.UtcOffsetMicros(utc_us);
  return local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
}

std::optional<int> CompareValues(const Value& a, const Value& b, const TimeZone& zone) {
  using K = Value::Kind;
  if (IsNumber(a) && IsNumber(b)) return CompareNumbers(a, b);
  if ((a.kind == K::kString || a.kind == K::kUuid) &&
      (b.kind == K::kString || b.kind == K::kUuid)) {
    int c = a.s.compare(b.s);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind == K::kString && IsNumber(b)) {
    std::optional<double> x = ParseNumber(a.s);
    if (!x) return std::nullopt;
    return CompareNumbers(Value::Float(*x), b);
  }
  if (IsNumber(a) && b.kind == K::kString) {
    std::optional<int> c = CompareValues(b, a, zone);
    if (!c) return std::nullopt;
    return -*c;
  }
  if (a.kind == K::kDate && b.kind == K::kDate) return Sign(a.i, b.i);
  if (a.kind == K::kDate && b.kind == K::kString) {
    std::optional<int64_t> instant = ParseDateTimeText(b.s, zone);
    if (!instant) return std::nullopt;
    return Sign(a.i, LocalDay(*instant, zone));
  }
  if (a.kind == K::kString && b.kind == K::kDate) {
    std::optional<int> c = CompareValues(b, a, zone);
    if (!c) return std::nullopt;
    return -*c;
  }
  if (a.kind == K::kDateTime || b.kind == K::kDateTime || a.kind == K::kDate ||
      b.kind == K::kDate) {
    std::optional<int64_t> x = AsInstant(a, zone);
    std::optional<int64_t> y = AsInstant(b, zone);
    if (!x || !y) return std::nullopt;
    return Sign(*x, *y);
  }
  return std::nullopt;
}

int OrderValues(const Value& a, const Value& b, const TimeZone& zone) {
  // A total order (sorting needs one): NULLs last, numbers by value (NaN after them), dates and
  // date-times by instant, strings and UUIDs bytewise, and different classes by class.
  using K = Value::Kind;
  auto rank = [](const Value& v) {
    switch (v.kind) {
      case K::kInt:
      case K::kFloat:
        return 0;
      case K::kDate:
      case K::kDateTime:
        return 1;
      case K::kString:
      case K::kUuid:
        return 2;
      case K::kInterval:
        return 3;
      case K::kNull:
        return 4;
    }
    return 4;
  };
  const int ra = rank(a);
  const int rb = rank(b);
  if (ra != rb) return Sign(ra, rb);
  switch (ra) {
    case 0: {
      if (a.kind == K::kInt && b.kind == K::kInt) return Sign(a.i, b.i);
      const double x = AsDouble(a);
      const double y = AsDouble(b);
      if (std::isnan(x) || std::isnan(y)) return Sign(std::isnan(x), std::isnan(y));
      return Sign(x, y);
    }
    case 1: {
      const int64_t x = *AsInstant(a, zone);
      const int64_t y = *AsInstant(b, zone);
      if (x != y) return Sign(x, y);
      return Sign(static_cast<int>(a.kind), static_cast<int>(b.kind));
    }
    case 2: {
      int c = a.s.compare(b.s);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case 3:
      return Sign(a.i, b.i);
    default:
      return 0;
  }
}

bool Truthy(const Value& v) {
  if (v.kind == Value::Kind::kInt) return v.i != 0;
  if (v.kind == Value::Kind::kFloat) return v.f != 0 && !std::isnan(v.f);
  return false;
}

std::string ValueToString(const Value& v, const TimeZone& zone) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return "";
    case Value::Kind::kInt:
      return std::to_string(v.i);
    case Value::Kind::kFloat: {
      if (std::isnan(v.f)) return "nan";
      if (std::isinf(v.f)) return v.f > 0 ? "inf" : "-inf";
      char buf[64];
      auto result = std::to_chars(buf, buf + sizeof buf, v.f);
      return std::string(buf, result.ptr);
    }
    case Value::Kind::kString:
    case Value::Kind::kUuid:
      return v.s;
    case Value::Kind::kDate: {
      int64_t year = 0;
      unsigned month = 0;
      unsigned day = 0;
      CivilFromDays(v.i, &year, &month, &day);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
      return buf;
    }
    case Value::Kind::kDateTime: {
      CivilTime t = CivilTime::FromMicros(v.i + zone.UtcOffsetMicros(v.i));
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02u:%02u:%02u.%06u",
                    static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second,
                    t.micros);
      return buf;
    }
    case Value::Kind::kInterval:
      return std::to_string(v.i);
  }
  return "";
}

void WriteValueJson(const Value& v, const TimeZone& zone, JsonWriter* w) {
  switch (v.kind) {
    case Value::Kind::kNull:
      w->Null();
      return;
    case Value::Kind::kInt:
    case Value::Kind::kInterval:
      w->Int(v.i);
      return;
    case Value::Kind::kFloat:
      w->Double(v.f);
      return;
    case Value::Kind::kString:
    case Value::Kind::kUuid:
    case Value::Kind::kDate:
      w->String(ValueToString(v, zone));
      return;
    case Value::Kind::kDateTime: {
      int64_t offset_us = zone.UtcOffsetMicros(v.i);
      CivilTime t = CivilTime::FromMicros(v.i + offset_us);
      char buf[64];
      int n =
          std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u",
                        static_cast<long long>(t.year), t.month, t.day, t.hour, t.minute, t.second);
      std::string text(buf, static_cast<size_t>(n));
      if (t.micros != 0) {
        std::snprintf(buf, sizeof buf, ".%06u", t.micros);
        text += buf;
      }
      if (offset_us == 0) {
        text += 'Z';
      } else {
        int64_t minutes = (offset_us < 0 ? -offset_us : offset_us) / 60'000'000;
        std::snprintf(buf, sizeof buf, "%c%02lld:%02lld", offset_us < 0 ? '-' : '+',
                      static_cast<long long>(minutes / 60), static_cast<long long>(minutes % 60));
        text += buf;
      }
      w->String(text);
      return;
    }
  }
}

void AppendGroupKey(const Value& v, std::string* key) {
  key->push_back(static_cast<char>(v.kind));
  switch (v.kind) {
    case Value::Kind::kNull:
      return;
    case Value::Kind::kFloat: {
      double f = v.f == 0 ? 0 : v.f;  // -0 groups with 0
      char bytes[sizeof f];
      std::memcpy(bytes, &f, sizeof f);
      key->append(bytes, sizeof f);
      return;
    }
    case Value::Kind::kString:
    case Value::Kind::kUuid: {
      uint32_t size = static_cast<uint32_t>(v.s.size());
      char bytes[sizeof size];
      std::memcpy(bytes, &size, sizeof size);
      key->append(bytes, sizeof size);
      key->append(v.s);
      return;
    }
    default: {
      char bytes[sizeof v.i];
      std::memcpy(bytes, &v.i, sizeof v.i);
      key->append(bytes, sizeof v.i);
      key->push_back(static_cast<char>(v.unit));
      return;
    }
  }
}

void AppendMatchKey(const Value& v, std::string* key) {
  if (v.kind == Value::Kind::kUuid) {
    AppendGroupKey(Value::String(v.s), key);
  } else if (v.kind == Value::Kind::kFloat && std::isfinite(v.f) && v.f == std::trunc(v.f) &&
             std::fabs(v.f) < 9.0e18) {
    AppendGroupKey(Value::Int(static_cast<int64_t>(v.f)), key);
  } else {
    AppendGroupKey(v, key);
  }
}

}  // namespace hoglet::hogql
