// PostHog's ordered funnel (analytics §3.3) as ClickHouse 18.16 SQL over the reference events
// table: windowFunnel(window)(timestamp, step_0, step_1, …) per actor gives the longest chain of
// steps in order with every step within `window` seconds of the chain's first, a newer first step
// starting a fresh chain; an actor that reached level L counts at steps 0…L−1. PostHog's own
// aggregate_funnel agrees on the level; it differs from windowFunnel only for an event that
// matches two adjacent steps (which a case must not have) and it adds conversion times, which
// windowFunnel does not compute.
//
// A case is {steps: [event name…], dateFrom, dateTo ('YYYY-MM-DD' in the project's zone, dateTo
// to the end of its day), window: [n, unit, seconds] (14 days without), stepWhere: {i: SQL},
// where: [SQL], group (companies instead of persons), breakdown (an event property)}. The answer
// is the count at each step, or with a breakdown {value: counts}: each actor's value is the one
// on its earliest step event that has one, "" when none does (first-touch attribution). Events
// of the same second are ordered as Hoglet orders them, by the steps they match (bit k: step k),
// then by the value: PostHog's argMinIf leaves that choice to the order it reads them in.
import { propertyText, quote } from './clickhouse_events.mjs';

export async function funnelReference(clickhouse, project, c) {
  const tz = quote(project.timezone);
  const actor = c.group ? 'group_0' : 'person_id';
  // windowFunnel takes UInt8 conditions: a filter on a missing property is false, not NULL.
  const conditions = c.steps.map((name, i) =>
    `ifNull(event = ${quote(name)}${c.stepWhere?.[i] ? ` AND ${c.stepWhere[i]}` : ''}, 0)`);
  const where = [
    `team_id = ${project.id}`,
    `timestamp >= toDateTime(${quote(`${c.dateFrom} 00:00:00`)}, ${tz})`,
    `timestamp <= toDateTime(${quote(`${c.dateTo} 23:59:59`)}, ${tz})`,
    `event IN (${[...new Set(c.steps)].map(quote).join(', ')})`,
    `${actor} != ''`,
    ...(c.where || []),
  ];
  // Only events that match a step take part, also in the breakdown's attribution.
  if (c.stepWhere) where.push(`(${conditions.join(' OR ')})`);
  const window = c.window ? c.window[2] : 14 * 86400;
  const value = c.breakdown ? `ifNull(${propertyText('properties', c.breakdown)}, '')` : null;
  const stepMask = conditions.map((condition, i) => `${condition} * ${2 ** i}`).join(' + ');
  const rows = await clickhouse.rows(
    `SELECT ${value ? 'bv' : "''"}, level, count() FROM (
       SELECT ${actor}, windowFunnel(${window})(timestamp, ${conditions.join(', ')}) AS level
              ${value ? `, argMinIf(${value}, (timestamp, ${stepMask}, ${value}), ${value} != '')
                           AS bv` : ''}
       FROM events WHERE ${where.join(' AND ')} GROUP BY ${actor})
     GROUP BY ${value ? 'bv, ' : ''}level`);
  const tables = {};
  for (const [bv, level, n] of rows) {
    tables[bv] ??= c.steps.map(() => 0);
    for (let k = 0; k < Number(level); k++) tables[bv][k] += Number(n);
  }
  for (const bv of Object.keys(tables)) if (tables[bv][0] === 0) delete tables[bv];
  if (c.breakdown) return tables;
  return tables[''] || c.steps.map(() => 0);
}
