// The per-person insights of bench/clickhouse_compare.mjs: funnels, retention, lifecycle,
// stickiness and paths, each as the query Hoglet's query API answers and as the SQL PostHog would
// run on ClickHouse, written in 18.16's dialect (windowFunnel, groupUniqArray and array
// functions; no window functions, arrayZip or toStartOfWeek). Each case also reduces both answers
// to the same comparable value (step counts, cohort tables, per-day statuses, the stickiness
// histogram, the path edges), so a timing is printed only next to a check that both engines
// answered the same question alike.
import { propertyText, quote } from '../tests/sdk/reference/clickhouse_events.mjs';
import { funnelReference } from '../tests/sdk/reference/funnel_reference.mjs';
import { retentionReference } from '../tests/sdk/reference/retention_reference.mjs';

const DAY_MS = 86400000;
const SESSION_GAP_S = 1800;  // PostHog's paths cut sessions at 30 minutes of inactivity

const url = propertyText('properties', '$current_url');
const urlContains = (text) => `positionCaseInsensitive(ifNull(${url}, ''), ${quote(text)}) > 0`;
const urlFilter = (text) => [{ key: '$current_url', operator: 'icontains', value: text,
                               type: 'event' }];

// The steps of the funnels: pageview → click → purchase, and a landing-to-purchase journey of
// five steps (no event matches two adjacent steps, where windowFunnel and PostHog differ).
const THREE_STEPS = [{ event: '$pageview' }, { event: 'clicked button' }, { event: 'purchase' }];
const FIVE_STEPS = [
  { event: '$pageview', properties: urlFilter('/blog'), where: urlContains('/blog') },
  { event: '$pageview', properties: urlFilter('/pricing'), where: urlContains('/pricing') },
  { event: 'clicked button' }, { event: 'signup' }, { event: 'purchase' },
];

function days(dateFrom, dateTo) {
  const out = [];
  for (let ms = Date.parse(dateFrom); ms <= Date.parse(dateTo); ms += DAY_MS) {
    out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

function funnelCase(name, steps, range, breakdown) {
  const query = {
    kind: 'FunnelsQuery',
    dateRange: { date_from: range.dateFrom, date_to: range.dateTo },
    series: steps.map((s) => ({ kind: 'EventsNode', event: s.event,
                                ...(s.properties ? { properties: s.properties } : {}) })),
    funnelsFilter: { funnelOrderType: 'ordered' },
    ...(breakdown ? { breakdownFilter: { breakdown, breakdown_type: 'event' } } : {}),
  };
  const stepWhere = Object.fromEntries(steps.flatMap((s, i) => (s.where ? [[i, s.where]] : [])));
  const counts = (list) => list.map((step) => step.count);
  const valueOf = (step) => (Array.isArray(step.breakdown_value)
    ? step.breakdown_value.join(',') : String(step.breakdown_value ?? ''));
  return {
    name, query,
    hoglet: (body) => (breakdown
      ? Object.fromEntries(body.results.map((list) => [valueOf(list[0]), counts(list)]))
      : (body.results.length ? counts(body.results) : steps.map(() => 0))),
    clickhouse: (clickhouse, project) => funnelReference(clickhouse, project, {
      steps: steps.map((s) => s.event), ...range, stepWhere, breakdown }),
    note: 'step counts compared; windowFunnel gives no conversion times',
  };
}

function retentionCase(name, type, range, intervals) {
  return {
    name,
    query: {
      kind: 'RetentionQuery',
      dateRange: { date_from: range.dateFrom, date_to: range.dateTo },
      retentionFilter: { period: 'Week', totalIntervals: intervals, retentionType: type,
                         targetEntity: { id: '$pageview', type: 'events' },
                         returningEntity: { id: '$pageview', type: 'events' } },
    },
    hoglet: (body) => body.results.map((cohort) => cohort.values.map((v) => v.count)),
    clickhouse: (clickhouse, project) => retentionReference(clickhouse, project, {
      target: '$pageview', returning: '$pageview', type, period: 'Week', intervals, ...range }),
    note: 'every cohort and offset compared',
  };
}

// PostHog's lifecycle (analytics §3.7) by day: per person the sorted distinct active days, the
// first `new` when it is the day of the person's created_at, else `resurrecting`; a later day
// `returning` after an active day, else `resurrecting`; `dormant` (negative) the day after an
// active day without a next one. Reads the `persons` table made by copyPersonsCreatedAt.
function lifecycleCase(name, event, range) {
  const axis = days(range.dateFrom, range.dateTo);
  const statuses = ['new', 'returning', 'resurrecting', 'dormant'];
  return {
    name,
    query: { kind: 'LifecycleQuery', interval: 'day',
             dateRange: { date_from: range.dateFrom, date_to: range.dateTo },
             series: [{ kind: 'EventsNode', event }] },
    hoglet: (body) => Object.fromEntries(body.results.map((r) => [r.status, r.data])),
    async clickhouse(clickhouse, project) {
      const day = (sql) => `toRelativeDayNum(${sql}, ${quote(project.timezone)})`;
      const at = (date) => `toDateTime(${quote(`${date} 00:00:00`)}, ${quote(project.timezone)})`;
      const from = day(at(range.dateFrom));
      const rows = await clickhouse.rows(
        `SELECT pair.1 - ${from} AS d, pair.2 AS status, count() FROM (
           SELECT arrayJoin(arrayConcat(
                    [(toInt64(active[1]), if(active[1] = created, 'new', 'resurrecting'))],
                    arrayMap(i -> (toInt64(active[i]),
                                   if(active[i - 1] = active[i] - 1, 'returning', 'resurrecting')),
                             arraySlice(arrayEnumerate(active), 2)),
                    arrayMap(i -> (toInt64(active[i]) + 1, 'dormant'),
                             arrayFilter(i -> i = length(active) OR active[i + 1] != active[i] + 1,
                                         arrayEnumerate(active))))) AS pair
           FROM (
             SELECT person_id, arraySort(groupUniqArray(${day('timestamp')})) AS active
             FROM events
             WHERE team_id = ${project.id} AND event = ${quote(event)} AND person_id != ''
               AND timestamp >= ${at(range.dateFrom)} - 86400
               AND timestamp < ${at(range.dateTo)} + 86400
             GROUP BY person_id)
           ANY INNER JOIN (SELECT id AS person_id, ${day('created_at')} AS created FROM persons)
           USING person_id)
         WHERE d >= 0 AND d < ${axis.length}
         GROUP BY d, status`);
      const out = Object.fromEntries(statuses.map((s) => [s, axis.map(() => 0)]));
      for (const [d, status, n] of rows) out[status][d] = status === 'dormant' ? -n : n;
      return out;
    },
    note: "persons' created_at copied from Hoglet's person store (set by ingestion order)",
  };
}

function stickinessCase(name, event, range) {
  const axis = days(range.dateFrom, range.dateTo);
  return {
    name,
    query: { kind: 'StickinessQuery', interval: 'day',
             dateRange: { date_from: range.dateFrom, date_to: range.dateTo },
             series: [{ kind: 'EventsNode', event }] },
    hoglet: (body) => body.results[0].data,
    async clickhouse(clickhouse, project) {
      const tz = quote(project.timezone);
      const rows = await clickhouse.rows(
        `SELECT n, count() FROM (
           SELECT person_id, uniqExact(toRelativeDayNum(timestamp, ${tz})) AS n FROM events
           WHERE team_id = ${project.id} AND event = ${quote(event)} AND person_id != ''
             AND timestamp >= toDateTime(${quote(`${range.dateFrom} 00:00:00`)}, ${tz})
             AND timestamp <= toDateTime(${quote(`${range.dateTo} 23:59:59`)}, ${tz})
           GROUP BY person_id)
         GROUP BY n`);
      const data = axis.map(() => 0);
      for (const [n, persons] of rows) data[n - 1] = persons;
      return data;
    },
    note: 'the whole histogram compared',
  };
}

// PostHog's paths (analytics §3.5) over pageviews: per person the pageviews ordered by time (then
// by item), cut into sessions at gaps of 30 minutes or more; in a session consecutive repeats
// collapse into the last of them, the first `steps` items are kept, and each step is an edge
// "<i>_<item>" → "<i+1>_<item>" weighted by the session paths holding it. The top 50 edges by
// weight, then those not reachable from a first step dropped (PostHog does that in Python too).
function pathsCase(name, range, steps) {
  const edgeKey = (e) => `${e[0]}\u0000${e[1]}`;
  const sorted = (edges) => [...edges].sort((a, b) =>
    (edgeKey(a) < edgeKey(b) ? -1 : edgeKey(a) > edgeKey(b) ? 1 : 0));
  return {
    name,
    query: { kind: 'PathsQuery', dateRange: { date_from: range.dateFrom, date_to: range.dateTo },
             pathsFilter: { includeEventTypes: ['$pageview'], stepLimit: steps } },
    hoglet: (body) => sorted(body.results.map((e) => [e.source, e.target, e.value,
                                                      e.average_conversion_time])),
    async clickhouse(clickhouse, project) {
      const tz = quote(project.timezone);
      const item = `replaceRegexpOne(ifNull(${url}, ''), '(.)/$', '\\\\1')`;
      const rows = await clickhouse.rows(
        `SELECT concat(toString(i - 1), '_', path[i - 1]) AS source,
                concat(toString(i), '_', path[i]) AS target,
                count() AS value, avg(at[i] - at[i - 1]) * 1000 AS average_conversion_time
         FROM (
           SELECT arraySlice(arrayFilter((x, j) -> j = length(items) OR x != items[j + 1],
                                         items, arrayEnumerate(items)), 1, ${steps}) AS path,
                  arraySlice(arrayFilter((t, j) -> j = length(items) OR items[j] != items[j + 1],
                                         times, arrayEnumerate(items)), 1, ${steps}) AS at
           FROM (
             SELECT arrayJoin(arrayDistinct(session)) AS s,
                    arrayFilter((x, k) -> k = s, all_items, session) AS items,
                    arrayFilter((t, k) -> k = s, all_times, session) AS times
             FROM (
               SELECT arraySort(groupArray((toUInt32(timestamp), ${item}))) AS visits,
                      arrayMap(v -> v.1, visits) AS all_times,
                      arrayMap(v -> v.2, visits) AS all_items,
                      arrayCumSum(arrayMap(d -> d >= ${SESSION_GAP_S}, arrayDifference(all_times)))
                        AS session
               FROM events
               WHERE team_id = ${project.id} AND event = '$pageview' AND person_id != ''
                 AND timestamp >= toDateTime(${quote(`${range.dateFrom} 00:00:00`)}, ${tz})
                 AND timestamp <= toDateTime(${quote(`${range.dateTo} 23:59:59`)}, ${tz})
               GROUP BY person_id)))
         ARRAY JOIN arrayFilter(j -> j > 1, arrayEnumerate(path)) AS i
         GROUP BY source, target
         ORDER BY value DESC, source, target
         LIMIT 50`);
      const reached = new Set();
      const kept = [];
      const stepOf = (node) => Number(node.slice(0, node.indexOf('_')));
      for (const edge of [...rows].sort((a, b) => stepOf(a[0]) - stepOf(b[0]))) {
        if (stepOf(edge[0]) === 1 || reached.has(edge[0])) {
          kept.push(edge);
          reached.add(edge[1]);
        }
      }
      return sorted(kept);
    },
    note: 'edges, weights and mean times compared',
  };
}

// The cases, over the data of bench/clickhouse_compare.mjs (2026-09-19 … 2026-11-17, UTC).
export function insightCases() {
  const week = { dateFrom: '2026-11-09', dateTo: '2026-11-15' };
  const month = { dateFrom: '2026-10-17', dateTo: '2026-11-15' };
  // Eight Sunday weeks, the last one holding the data's last day.
  const weeks = { dateFrom: '2026-09-27', dateTo: '2026-11-17' };
  return [
    funnelCase('funnel 3 steps, 7 days', THREE_STEPS, week),
    funnelCase('funnel 3 steps, 30 days', THREE_STEPS, month),
    funnelCase('funnel 5 steps, 7 days', FIVE_STEPS, week),
    funnelCase('funnel 5 steps, 30 days', FIVE_STEPS, month),
    funnelCase('funnel 5 steps by $browser, 30 days', FIVE_STEPS, month, '$browser'),
    retentionCase('retention 8 weeks, recurring', 'retention_recurring', weeks, 8),
    retentionCase('retention 8 weeks, first time', 'retention_first_time', weeks, 8),
    lifecycleCase('lifecycle 30 days', '$pageview', month),
    stickinessCase('stickiness 30 days', '$pageview', month),
    pathsCase('paths from $pageview, 5 steps', month, 5),
  ];
}

// Copies every distinct id's person `created_at` from Hoglet into ClickHouse's `persons` table
// (id = the reference's person_id), as PostHog's lifecycle reads it from its person table: the
// reference rows cannot know it, since ingestion sets it from the first event it processes.
// Read through HogQL; a project with more persons than one HogQL query may hold (the persons
// table's row bound) is read by `readAll` instead, when given: every [distinct id, created_at in
// seconds] at once.
export async function copyPersonsCreatedAt(hogletQuery, clickhouse, teamId, readAll) {
  const createTable = () => clickhouse.execute(
    "CREATE TABLE person_created (distinct_id String, created_at DateTime('UTC')) " +
    'ENGINE = Memory');
  // A server started on the data of an earlier run (clickhouse_compare --keep) has both tables.
  await clickhouse.execute('DROP TABLE IF EXISTS person_created');
  await clickhouse.execute('DROP TABLE IF EXISTS persons');
  await createTable();
  const page = 50000;
  try {
    for (let offset = 0; ; offset += page) {
      const answer = await hogletQuery({ kind: 'HogQLQuery', query:
        'SELECT pdi.distinct_id, p.created_at FROM person_distinct_ids AS pdi ' +
        'JOIN persons AS p ON pdi.person_id = p.id ' +
        `ORDER BY pdi.distinct_id LIMIT ${page} OFFSET ${offset}` });
      const rows = answer.results.map(([distinctId, createdAt]) => ({
        distinct_id: distinctId, created_at: Math.floor(Date.parse(createdAt) / 1000) }));
      if (rows.length) await clickhouse.insert('person_created', rows);
      if (rows.length < page) break;
    }
  } catch (error) {
    if (!readAll || !/hogql_too_many_rows/.test(error.message)) throw error;
    await clickhouse.execute('DROP TABLE person_created');
    await createTable();
    const rows = readAll().map(([distinctId, createdAt]) => ({
      distinct_id: distinctId, created_at: createdAt }));
    for (let i = 0; i < rows.length; i += page) {
      await clickhouse.insert('person_created', rows.slice(i, i + page));
    }
  }
  await clickhouse.execute(
    'CREATE TABLE persons ENGINE = MergeTree ORDER BY id AS ' +
    'SELECT person_id AS id, min(created_at) AS created_at FROM events ' +
    `ANY INNER JOIN person_created USING distinct_id WHERE team_id = ${teamId} GROUP BY person_id`);
}

// Equal answers: integers exactly, other numbers within 1e-9 relative.
export function sameAnswer(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isInteger(a) && Number.isInteger(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameAnswer(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = Object.keys(a).sort();
    return sameAnswer(keys, Object.keys(b).sort()) && keys.every((k) => sameAnswer(a[k], b[k]));
  }
  return a === b;
}
