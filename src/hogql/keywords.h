// HogQL's keywords (PostHog's HogQLLexer), matched case-insensitively.
//
// Most keywords may also be names (`SELECT date, count() FROM events`); the parser decides from
// context. A few never may: they are "reserved" here.
#pragma once

#include <string_view>

namespace hoglet::hogql {

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// One of HogQL's keywords (SELECT, date, YYYY, …).
bool IsKeyword(std::string_view word);

// A word that can never be a name without quotes: NULL, INF, NAN and the keywords PostHog's
// grammar leaves out of its identifiers (EXCEPT, INTERSECT, TRY, LET, FN, …).
bool IsReservedWord(std::string_view word);

// SECOND … YEAR (and YYYY): the units of INTERVAL.
bool IsIntervalUnit(std::string_view word);

}  // namespace hoglet::hogql
