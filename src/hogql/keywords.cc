#include "hogql/keywords.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace hoglet::hogql {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

template <size_t N>
bool InList(std::string_view word, const std::string_view (&list)[N]) {
  return std::any_of(list, list + N, [&](std::string_view k) { return EqualsIgnoreCase(word, k); });
}

constexpr std::string_view kKeywords[] = {
    "all",        "and",        "anti",         "any",       "array",    "as",
    "asc",        "ascending",  "asof",         "between",   "both",     "by",
    "case",       "cast",       "catch",        "cohort",    "collate",  "columns",
    "cross",      "cube",       "current",      "date",      "day",      "desc",
    "descending", "distinct",   "else",         "end",       "except",   "exclude",
    "extract",    "final",      "fill",         "filter",    "finally",  "first",
    "fn",         "following",  "for",          "from",      "full",     "fun",
    "group",      "grouping",   "having",       "hour",      "id",       "if",
    "ilike",      "ignore",     "include",      "in",        "inf",      "infinity",
    "inner",      "intersect",  "interpolate",  "interval",  "is",       "join",
    "key",        "lambda",     "last",         "leading",   "left",     "let",
    "like",       "limit",      "materialized", "minute",    "month",    "name",
    "natural",    "nan",        "not",          "null",      "nulls",    "offset",
    "on",         "or",         "order",        "outer",     "over",     "partition",
    "pivot",      "positional", "preceding",    "prewhere",  "qualify",  "quarter",
    "range",      "recursive",  "replace",      "return",    "right",    "rollup",
    "row",        "rows",       "sample",       "second",    "select",   "semi",
    "sets",       "settings",   "step",         "substring", "then",     "throw",
    "ties",       "timestamp",  "time",         "local",     "zone",     "to",
    "top",        "totals",     "trailing",     "trim",      "truncate", "try",
    "try_cast",   "unbounded",  "union",        "unpivot",   "using",    "values",
    "week",       "when",       "where",        "while",     "window",   "with",
    "within",     "year",       "yyyy",
};

constexpr std::string_view kReserved[] = {
    "null", "inf",       "infinity", "nan",          "catch", "except", "finally", "fn",
    "fun",  "intersect", "let",      "materialized", "throw", "try",    "while",   "within",
};

constexpr std::string_view kUnits[] = {
    "second", "minute", "hour", "day", "week", "month", "quarter", "year", "yyyy",
};

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsKeyword(std::string_view word) { return InList(word, kKeywords); }
bool IsReservedWord(std::string_view word) { return InList(word, kReserved); }
bool IsIntervalUnit(std::string_view word) { return InList(word, kUnits); }

}  // namespace hoglet::hogql
