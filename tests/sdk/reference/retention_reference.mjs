// PostHog's retention (analytics §3.4) as ClickHouse 18.16 SQL over the reference events table,
// by day or by week (the project's week start; 18.16 has no toStartOfWeek, so a Sunday week is
// the Monday-based week of the next day). Per actor: the periods it did the start event in
// (every such period for recurring retention; for first-time retention the period of its first
// start event ever, over all the data, when that is in the range) and the periods it returned in;
// each start period counts the actor at offset 0 and at every offset 1…N−1 it returned in.
//
// A case is {target, returning, intervals, type ('retention_first_time' or recurring), period
// ('Day' or 'Week'), dateFrom, dateTo ('YYYY-MM-DD' in the project's zone), where: [SQL], group,
// breakdown (an event property)}. The answer is the cohort table [cohort][offset], or with a
// breakdown {value: table}, an actor's events grouped by their value ("" when missing).
import { propertyText, quote } from './clickhouse_events.mjs';

const DAY_MS = 86400000;

// The number of the period holding a local date 'YYYY-MM-DD' (any origin; only differences count).
function periodNumber(date, period, weekStartDay) {
  const days = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  // 1970-01-01 was a Thursday: day d is weekday (d + 4) % 7, Sunday 0.
  return period === 'Week' ? Math.floor((days + 4 - weekStartDay) / 7) : days;
}

export async function retentionReference(clickhouse, project, c) {
  const tz = quote(project.timezone);
  const actor = c.group ? 'group_0' : 'person_id';
  const period = c.period || 'Day';
  const weekStartDay = project.weekStartDay || 0;
  const number = period === 'Week'
    ? (sql) => `toRelativeWeekNum(toDate(${sql}, ${tz})${weekStartDay === 0 ? ' + 1' : ''})`
    : (sql) => `toRelativeDayNum(${sql}, ${tz})`;
  const from = `${number(`toDateTime(${quote(`${c.dateFrom} 00:00:00`)}, ${tz})`)}`;
  const to = `${number(`toDateTime(${quote(`${c.dateTo} 00:00:00`)}, ${tz})`)} + 1`;
  const inRange = `${number('timestamp')} >= ${from} AND ${number('timestamp')} < ${to}`;
  const starts = c.type === 'retention_first_time'
    ? `arrayFilter(x -> x >= ${from} AND x < ${to},
                   [${number(`minIf(timestamp, event = ${quote(c.target)})`)}])`
    : `groupUniqArrayIf(${number('timestamp')}, event = ${quote(c.target)} AND ${inRange})`;
  const where = [`team_id = ${project.id}`, `${actor} != ''`,
                 `event IN (${[...new Set([c.target, c.returning])].map(quote).join(', ')})`,
                 ...(c.where || [])];
  const value = c.breakdown ? `ifNull(${propertyText('properties', c.breakdown)}, '')` : `''`;
  const rows = await clickhouse.rows(
    `SELECT bv, s - ${from}, k, count(DISTINCT actor) FROM (
       SELECT actor, bv, s,
              arrayJoin(arrayConcat([0], arrayFilter(x -> x > 0 AND x < ${c.intervals},
                                                     arrayMap(r -> r - s, rets)))) AS k
       FROM (
         SELECT ${actor} AS actor, ${value} AS bv, ${starts} AS starts,
                groupUniqArrayIf(${number('timestamp')},
                                 event = ${quote(c.returning)} AND ${inRange}) AS rets
         FROM events WHERE ${where.join(' AND ')} GROUP BY actor, bv)
       ARRAY JOIN starts AS s)
     GROUP BY bv, s, k`);
  const cohorts = periodNumber(c.dateTo, period, weekStartDay) -
    periodNumber(c.dateFrom, period, weekStartDay) + 1;
  const empty = () => Array.from({ length: cohorts }, () => new Array(c.intervals).fill(0));
  const tables = {};
  for (const [bv, cohort, k, n] of rows) {
    tables[bv] ??= empty();
    tables[bv][Number(cohort)][Number(k)] = Number(n);
  }
  if (c.breakdown) return tables;
  return tables[''] || empty();
}
