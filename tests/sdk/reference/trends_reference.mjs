// PostHog's trends (analytics §3.1–3.2) written by hand as ClickHouse 18.16 SQL over the
// reference events table: the buckets of the project's calendar, the range a series reads, each
// math, the breakdown ranking with its "Other", zero-filled over the axis PostHog draws.
//
// A case is {event, math, mathProperty, interval, dateFrom, dateTo, where: [SQL conditions],
// breakdown: {column, key, limit} or {expr: SQL of the value, limit} or {histogram: {column, key,
// bins}, limit}, display}; dates are 'YYYY-MM-DD' in the project's zone, `dateTo`
// inclusive (to the end of its day). Hourly cases give `dateTo` as 'YYYY-MM-DD HH:MM:SS': an
// absolute end is not moved to the end of its hour or day. The answer is a list of lines
// {breakdown_value, days, data}, or [{aggregated_value}] for the BoldNumber display.
import {
  addDays, dates, localHourLabel, monthStart, monthsBetween, weekStart, zonedTimeToMs,
} from './calendar.mjs';
import { NULL_LABEL, OTHER_LABEL, breakdownValue, propertyNumber, quote } from './clickhouse_events.mjs';

const HOUR_MS = 3600 * 1000;

// PostHog's histogram breakdown: `bins` bins of equal width between the smallest and largest
// number of the events `where` selects, bin x = [w*x + min, w*(x+1) + min), the last widened by
// 0.01; the value is the bin as ClickHouse's toString writes its bounds ("[1,5.5]"), the null
// label for what is not a number. The bounds are read first (shortest round-trip text, so the
// literals are the same doubles).
async function histogramBin(clickhouse, { column, key, bins }, where) {
  const [[min, max]] = await clickhouse.rows(
    `SELECT min(${propertyNumber(column, key)}), max(${propertyNumber(column, key)}) ` +
    `FROM events WHERE ${where}`);
  if (min === null) return quote(NULL_LABEL);
  // Named once (the statement travels in a URL of bounded length); the same alias for the same
  // expression may appear more than once in a statement.
  const number = 'histogram_number';
  const width = `((toFloat64(${max}) - toFloat64(${min})) / ${bins})`;
  const lo = (x) => `(${width} * ${x} + toFloat64(${min}))`;
  const hi = (x) => `(${width} * ${x + 1} + toFloat64(${min})${x + 1 === bins ? ' + 0.01' : ''})`;
  // The first bin that holds the number, as PostHog picks it.
  const arms = [];
  for (let x = 0; x < bins; x++) {
    arms.push(`${lo(x)} <= ${number} AND ${number} < ${hi(x)}`,
              `concat('[', toString(${lo(x)}), ',', toString(${hi(x)}), ']')`);
  }
  arms[0] = arms[0].replace(number, `(${propertyNumber(column, key)} AS ${number})`);
  return `ifNull(multiIf(${arms.join(', ')}, NULL), ${quote(NULL_LABEL)})`;
}

// The bucket key of an event as SQL, and the axis of keys and their `days` labels.
function buckets(c, timezone, weekStartDay) {
  const tz = quote(timezone);
  const localDay = `toDate(timestamp, ${tz})`;
  switch (c.interval) {
    case 'hour': {
      const keys = [];
      const end = zonedTimeToMs(c.dateTo, timezone);
      for (let ms = zonedTimeToMs(c.dateFrom, timezone); ms <= end; ms += HOUR_MS) keys.push(ms / 1000);
      return { sql: `toUnixTimestamp(toStartOfHour(timestamp, ${tz}))`, keys,
               days: keys.map((s) => localHourLabel(s * 1000, timezone)) };
    }
    case 'week': {
      // 18.16 has no toStartOfWeek: a Sunday week starts the day before the Monday of the next day.
      const sql = weekStartDay === 1 ? `toString(toMonday(${localDay}))`
                                     : `toString(toMonday(${localDay} + 1) - 1)`;
      const keys = dates(weekStart(c.dateFrom, weekStartDay), weekStart(c.dateTo, weekStartDay), 7);
      return { sql, keys, days: keys };
    }
    case 'month': {
      const keys = monthsBetween(monthStart(c.dateFrom), c.dateTo);
      return { sql: `toString(toStartOfMonth(${localDay}))`, keys, days: keys };
    }
    default: {
      const keys = dates(c.dateFrom, c.dateTo);
      return { sql: `toString(${localDay})`, keys, days: keys };
    }
  }
}

function runningSums(values) {
  let sum = 0;
  return values.map((v) => (sum += v));
}

function aggregate(c) {
  const value = c.mathProperty ? propertyNumber('properties', c.mathProperty) : null;
  switch (c.math || 'total') {
    case 'total': return 'count()';
    case 'dau': return 'uniqExact(person_id)';
    case 'sum': return `ifNull(sum(${value}), 0)`;
    case 'avg': return `ifNull(avg(${value}), 0)`;
    case 'min': return `ifNull(min(${value}), 0)`;
    case 'max': return `ifNull(max(${value}), 0)`;
    case 'median': return `ifNull(quantile(0.5)(${value}), 0)`;
    case 'p75': return `ifNull(quantile(0.75)(${value}), 0)`;
    case 'p90': return `ifNull(quantile(0.9)(${value}), 0)`;
    case 'p99': return `ifNull(quantile(0.99)(${value}), 0)`;
    case 'unique_group': return "uniqExactIf(group_0, group_0 != '')";
    default: throw new Error(`no reference for math ${c.math}`);
  }
}

// The first local day the series reads: the range's first day, widened to its month for
// monthly buckets and back by the active window for weekly / monthly active users.
function firstDay(c) {
  if (c.math === 'weekly_active') return addDays(c.dateFrom, -7);
  if (c.math === 'monthly_active') return addDays(c.dateFrom, -30);
  if (c.interval === 'month') return monthStart(c.dateFrom);
  return c.dateFrom;
}

export async function trendsReference(clickhouse, teamId, timezone, weekStartDay, c) {
  const tz = quote(timezone);
  const axis = buckets(c, timezone, weekStartDay);
  const start = `timestamp >= toDateTime(${quote(`${firstDay(c)} 00:00:00`)}, ${tz})`;
  const upToEnd = [
    `team_id = ${teamId}`,
    c.interval === 'hour'
      ? `timestamp <= toDateTime(${quote(c.dateTo)}, ${tz})`
      : `timestamp < toDateTime(${quote(`${addDays(c.dateTo, 1)} 00:00:00`)}, ${tz})`,
    ...(c.event ? [`event = ${quote(c.event)}`] : []),
  ];
  const where = [start, ...upToEnd, ...(c.where || [])].join(' AND ');

  let bucket = axis.sql;
  let value = /weekly_active|monthly_active|_count_per_actor|first_/.test(c.math || '') ? null
    : aggregate(c);
  if (c.math === 'weekly_active' || c.math === 'monthly_active') {
    // Each event is active on its own day and the 6 (29) days after: one row per such day.
    const span = c.math === 'weekly_active' ? 7 : 30;
    bucket = `toString(toDate(timestamp, ${tz}) + arrayJoin(range(${span})))`;
    value = 'uniqExact(person_id)';
  }

  // Total-value displays: one aggregate over the range (DAU = distinct persons of the range).
  if (c.display === 'BoldNumber') {
    const [[total]] = await clickhouse.rows(`SELECT ${value} FROM events WHERE ${where}`);
    return [{ aggregated_value: total }];
  }
  // Cumulative distinct persons: each person counted once, in the bucket of their first event.
  if (c.display === 'ActionsLineGraphCumulative' && c.math === 'dau') {
    const firsts = await clickhouse.rows(
      `SELECT ${bucket.replaceAll('timestamp', 'first')} AS bucket, count() FROM ` +
      `(SELECT person_id, min(timestamp) AS first FROM events WHERE ${where} GROUP BY person_id) ` +
      'GROUP BY bucket');
    const values = new Map(firsts.map(([key, n]) => [String(key), n]));
    return [{ days: axis.days, data: runningSums(axis.keys.map((k) => values.get(String(k)) ?? 0)) }];
  }

  // First-time maths: every event of the series up to the range's end is a candidate first
  // event; a person counts once, in the bucket of the first one, when that is the first one that
  // passes the filters on or after the range's start (first_time_for_user: the first of all;
  // first_matching_event_for_user: the first that passes the filters).
  if (c.math === 'first_time_for_user' || c.math === 'first_matching_event_for_user') {
    const conditions = (c.where || []).join(' AND ') || '1';
    const first = c.math === 'first_time_for_user' ? 'min(timestamp)'
                                                   : `minIf(timestamp, ${conditions})`;
    const firsts = await clickhouse.rows(
      `SELECT ${bucket.replaceAll('timestamp', 'first')} AS bucket, count() FROM ` +
      `(SELECT person_id, ${first} AS first, minIf(timestamp, ${start} AND ${conditions}) AS ` +
      `first_in FROM events WHERE ${upToEnd.join(' AND ')} GROUP BY person_id ` +
      'HAVING first = first_in AND first_in != toDateTime(0)) GROUP BY bucket');
    const values = new Map(firsts.map(([key, n]) => [String(key), n]));
    return [{ days: axis.days, data: axis.keys.map((k) => values.get(String(k)) ?? 0) }];
  }

  // Events per person in each bucket, then one aggregate over the persons.
  const perActor = /^(avg|min|max|median|p90)_count_per_actor$/.exec(c.math || '');
  if (perActor) {
    const over = { avg: 'avg(n)', min: 'min(n)', max: 'max(n)', median: 'quantile(0.5)(n)',
                   p90: 'quantile(0.9)(n)' }[perActor[1]];
    const rows = await clickhouse.rows(
      `SELECT bucket, ${over} FROM (SELECT ${bucket} AS bucket, person_id, count() AS n ` +
      `FROM events WHERE ${where} GROUP BY bucket, person_id) GROUP BY bucket`);
    const values = new Map(rows.map(([key, v]) => [String(key), v]));
    return [{ days: axis.days, data: axis.keys.map((k) => values.get(String(k)) ?? 0) }];
  }

  let label = `''`;
  if (c.breakdown) {
    const b = c.breakdown.expr ? c.breakdown.expr
      : c.breakdown.histogram ? await histogramBin(clickhouse, c.breakdown.histogram, where)
        : breakdownValue(c.breakdown.column, c.breakdown.key);
    // Ranked by the total over the range, real values before the null label, then by value.
    const top = `SELECT ${b} AS v FROM events WHERE ${where} GROUP BY v ` +
      `ORDER BY v = ${quote(NULL_LABEL)}, count() DESC, v LIMIT ${c.breakdown.limit}`;
    label = `if(${b} IN (${top}), ${b}, ${quote(OTHER_LABEL)})`;
  }

  const rows = await clickhouse.rows(
    `SELECT ${label} AS label, ${bucket} AS bucket, ${value} AS value FROM events ` +
    `WHERE ${where} GROUP BY label, bucket`);
  const lines = new Map();
  if (!c.breakdown) lines.set('', new Map());
  for (const [line, key, v] of rows) {
    if (!lines.has(line)) lines.set(line, new Map());
    lines.get(line).set(String(key), v);
  }
  const cumulative = c.display === 'ActionsLineGraphCumulative';
  return [...lines].map(([line, values]) => {
    const data = axis.keys.map((k) => values.get(String(k)) ?? 0);
    return { breakdown_value: c.breakdown ? line : undefined, days: axis.days,
             data: cumulative ? runningSums(data) : data };
  }).sort((a, b) => String(a.breakdown_value).localeCompare(String(b.breakdown_value)));
}
