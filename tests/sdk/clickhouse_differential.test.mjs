// Differential test against ClickHouse, the engine PostHog runs its queries on: a seeded
// generator's traffic (projects in three time zones across daylight-saving changes, identify and
// alias merges, person and group properties, properties of every JSON type, out-of-order
// batches) goes to Hoglet through the real posthog-node SDK and, with persons resolved as PostHog
// reads them, into a private ClickHouse 18.16. Trends and HogQL queries are then asked of
// Hoglet's query API and, as hand-written SQL, of ClickHouse; the answers must agree (counts
// exactly, floats within 1e-9 relative). Where 18.16 cannot express a query, a computation over
// the generator's rows in this file decides.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';
import { startClickHouse } from './reference/clickhouse_server.mjs';
import { createEventsTable, loadEvents, propertyNumber, propertyText, quote } from
  './reference/clickhouse_events.mjs';
import { generate, referenceRows } from './reference/generator.mjs';
import { trendsReference } from './reference/trends_reference.mjs';
import { funnelReference } from './reference/funnel_reference.mjs';
import { retentionReference } from './reference/retention_reference.mjs';
import { addDays, isoWithOffset, localDate, weekStart, zonedTimeToMs } from './reference/calendar.mjs';

const SEED = Number(process.env.DIFFERENTIAL_SEED || 20261101);
const PROJECTS = [
  // The 2026 daylight-saving ends: Europe on 25 October, the United States on 1 November.
  { key: 'utc', timezone: 'UTC', weekStartDay: 0, users: 60, visitors: 80, dstDay: '2026-11-01' },
  { key: 'ny', timezone: 'America/New_York', weekStartDay: 0, users: 60, visitors: 80,
    dstDay: '2026-11-01' },
  { key: 'berlin', timezone: 'Europe/Berlin', weekStartDay: 1, users: 60, visitors: 80,
    dstDay: '2026-10-25' },
];
const data = generate({
  seed: SEED,
  startMs: Date.parse('2026-10-05T00:00:00Z'),
  endMs: Date.parse('2026-11-18T00:00:00Z'),
  projects: PROJECTS,
});

let hoglet;
let clickhouse;
// key -> {id, timezone, weekStartDay, rows}
const projects = new Map();

async function hogletQuery(projectId, query) {
  const { status, body } = await hoglet.api('POST', `/api/projects/${projectId}/query/`,
                                            { query, refresh: 'force_blocking' });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function countAtHoglet(projectId) {
  const answer = await hogletQuery(projectId, { kind: 'HogQLQuery',
                                                query: 'SELECT count() FROM events' });
  return answer.results[0][0];
}

// Sends one phase's messages with posthog-node, 100 to a batch, and waits until Hoglet holds
// `expected` events of the project.
async function send(project, token, messages, expected) {
  const client = new PostHog(token, { host: hoglet.host, flushAt: 100, flushInterval: 0,
                                      disableGeoip: true });
  for (let i = 0; i < messages.length; i += 100) {
    for (const m of messages.slice(i, i + 100)) {
      if (m.kind === 'capture') {
        client.capture({ distinctId: m.distinctId, event: m.event, properties: m.properties,
                         timestamp: new Date(m.timestamp), uuid: m.uuid, groups: m.groups });
      } else if (m.kind === 'identify') {
        client.identify({ distinctId: m.distinctId, properties: m.properties });
      } else if (m.kind === 'alias') {
        client.alias({ distinctId: m.distinctId, alias: m.alias });
      } else {
        client.groupIdentify({ groupType: m.groupType, groupKey: m.groupKey,
                               properties: m.properties });
      }
    }
    await client.flush();
  }
  await client.shutdown();
  const count = await hoglet.waitFor(async () => {
    const n = await countAtHoglet(project.id);
    return n === expected ? n : null;
  }, 60000);
  assert.equal(count, expected, `project ${project.key}: events stored by Hoglet`);
}

before(async () => {
  // Without fsync: each batch spans six weeks, so it writes a part per day it touches, and the
  // test is about answers, not durability.
  const started = await Promise.allSettled([startHoglet({ env: { HOGLET_FSYNC: 'false' } }),
                                            startClickHouse()]);
  // Whichever started is stopped by after(), also when the other did not.
  hoglet = started[0].value;
  clickhouse = started[1].value;
  for (const s of started) if (s.status === 'rejected') throw s.reason;
  await createEventsTable(clickhouse);
  await Promise.all(data.projects.map(async (generated) => {
    let id = 1;
    let token = PROJECT_TOKEN;
    if (generated.key !== 'utc') {
      const created = await hoglet.api('POST', '/api/projects/', { name: generated.key });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      ({ id, api_token: token } = created.body);
    }
    const patched = await hoglet.api('PATCH', `/api/projects/${id}/`, {
      timezone: generated.timezone, week_start_day: generated.weekStartDay });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.timezone, generated.timezone);
    const project = { ...generated, id };
    let expected = 0;
    for (const phase of generated.phases) {
      expected += phase.length;
      await send(project, token, phase, expected);
    }
    const rows = referenceRows(generated, Date.now());
    await loadEvents(clickhouse, id, rows);
    projects.set(generated.key, { ...project, rows });
  }));
});

after(async () => {
  if (clickhouse) assert.equal(await clickhouse.stop(), 0);
  if (hoglet) assert.equal(await hoglet.stop(), 0);
});

// Equal answers: the same shape, integers exactly, other numbers within 1e-9 relative.
function assertSameAnswer(got, expected, path = 'answer') {
  if (typeof expected === 'number' && typeof got === 'number' &&
      !(Number.isInteger(expected) && Number.isInteger(got))) {
    const scale = Math.max(Math.abs(expected), Math.abs(got), 1e-300);
    assert.ok(Math.abs(got - expected) / scale <= 1e-9,
              `${path}: got ${got}, expected ${expected}`);
    return;
  }
  if (Array.isArray(expected) && Array.isArray(got)) {
    assert.equal(got.length, expected.length,
                 `${path}: ${got.length} items, expected ${expected.length}\n` +
                 `got      ${JSON.stringify(got)}\nexpected ${JSON.stringify(expected)}`);
    expected.forEach((e, i) => assertSameAnswer(got[i], e, `${path}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object' && got && typeof got === 'object') {
    for (const key of Object.keys(expected)) {
      if (expected[key] !== undefined) assertSameAnswer(got[key], expected[key], `${path}.${key}`);
    }
    return;
  }
  assert.deepEqual(got, expected, path);
}

test('the data set holds what the comparisons are about', async () => {
  for (const p of projects.values()) {
    const [[merged, aliased, typesOfPrice]] = await clickhouse.rows(
      `SELECT
         (SELECT count() FROM (SELECT person_id FROM events WHERE team_id = ${p.id}
            AND person_id != '' GROUP BY person_id HAVING uniqExact(distinct_id) > 1)),
         (SELECT count() FROM events WHERE team_id = ${p.id} AND event = '$create_alias'),
         (SELECT uniqExact(substring(visitParamExtractRaw(properties, 'price'), 1, 1))
            FROM events WHERE team_id = ${p.id})`);
    assert.ok(merged >= 10, `${p.key}: ${merged} persons with several distinct ids`);
    assert.ok(aliased >= 3, `${p.key}: ${aliased} aliases`);
    // digits, '"' (numeric and other strings), 't' (true), 'n' (null) and '' (missing)
    assert.ok(typesOfPrice >= 5, `${p.key}: ${typesOfPrice} kinds of price`);
    // Batches are not in time order.
    const times = p.phases[0].filter((m) => m.kind === 'capture').map((m) => m.timestamp);
    const descents = times.filter((t, i) => i > 0 && t < times[i - 1]).length;
    assert.ok(descents > times.length / 3, `${p.key}: ${descents} steps back in time`);
  }
});

// assertSameAnswer, with both whole answers in the message when they differ.
function assertAnswer(got, expected, name) {
  try {
    assertSameAnswer(got, expected, name);
  } catch (error) {
    error.message += `\nHoglet:     ${JSON.stringify(got).slice(0, 3000)}` +
      `\nreference:  ${JSON.stringify(expected).slice(0, 3000)}`;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Trends: each case is the TrendsQuery Hoglet answers and the reference's description of it.

const event = (key, operator, value) => ({ key, operator, value, type: 'event' });
const isNull = (sql) => `(${sql}) IS NULL`;
const text = (key) => propertyText('properties', key);

function trendsCases(p) {
  const range = { dateFrom: '2026-10-12', dateTo: '2026-11-15' };
  const dst = { dateFrom: p.dstDay, dateTo: `${p.dstDay} 23:59:59` };
  const pageviews = { event: '$pageview', ...range };
  const purchases = { event: 'purchase', ...range };
  return [
    { name: 'total by day', ...pageviews },
    { name: 'every event by day', event: null, ...range },
    { name: 'total by hour across the daylight-saving day', event: '$pageview', ...dst,
      interval: 'hour',
      // ClickHouse's toStartOfHour(toTimeZone(…)) keeps the two local 01:00 hours of a fall-back
      // day apart (two buckets both named "01:00:00": 25 in all), and so do PostHog's trends,
      // which bucket and zero-fill in ClickHouse.
    },
    { name: 'total by hour the day after', event: '$pageview', interval: 'hour',
      dateFrom: addDays(p.dstDay, 1), dateTo: `${addDays(p.dstDay, 1)} 23:59:59` },
    { name: 'total by week (partial first week)', ...pageviews, dateFrom: '2026-10-14',
      interval: 'week' },
    { name: 'total by month (widened to the first of the month)', ...pageviews,
      dateFrom: '2026-10-15', interval: 'month' },
    { name: 'dau by day', ...pageviews, math: 'dau' },
    { name: 'dau by week', ...pageviews, math: 'dau', interval: 'week' },
    { name: 'weekly_active by day', ...pageviews, dateFrom: '2026-10-20', math: 'weekly_active' },
    { name: 'monthly_active by day', event: null, dateFrom: '2026-11-01', dateTo: '2026-11-17',
      math: 'monthly_active' },
    { name: 'dau as a BoldNumber: distinct persons of the whole range', ...pageviews,
      math: 'dau', display: 'BoldNumber' },
    { name: 'total as a BoldNumber', event: null, ...range, display: 'BoldNumber' },
    { name: 'cumulative dau: each person once, at their first event', ...pageviews, math: 'dau',
      display: 'ActionsLineGraphCumulative' },
    { name: 'cumulative total', ...purchases, display: 'ActionsLineGraphCumulative' },
    ...['sum', 'avg', 'min', 'max', 'median'].map((math) => ({
      name: `${math} of a numeric property by day`, ...purchases, math, mathProperty: 'price' })),
    ...['p75', 'p90', 'p99'].map((math) => ({
      name: `${math} of a numeric property by week`, ...purchases, interval: 'week', math,
      mathProperty: 'price' })),
    ...['avg', 'min', 'max', 'median', 'p90'].map((math) => ({
      name: `${math}_count_per_actor by day`, ...pageviews, math: `${math}_count_per_actor` })),
    { name: 'unique_group: distinct companies by day', event: null, ...range,
      math: 'unique_group', mathGroupTypeIndex: 0 },
    { name: 'sum of a numeric property by week', event: 'clicked button', ...range,
      interval: 'week', math: 'sum', mathProperty: 'price' },
    { name: '$browser breakdown, limit 3 and Other', ...pageviews,
      breakdownFilter: { breakdown: '$browser', breakdown_type: 'event', breakdown_limit: 3 },
      breakdown: { column: 'properties', key: '$browser', limit: 3 } },
    { name: '$browser breakdown, every value and the null label', ...pageviews, math: 'dau',
      breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
      breakdown: { column: 'properties', key: '$browser', limit: 25 } },
    { name: 'person-property breakdown', event: null, ...range,
      breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
      breakdown: { column: 'person_properties', key: 'plan', limit: 25 } },
    { name: 'group-property breakdown', event: null, ...range,
      breakdownFilter: { breakdown: 'industry', breakdown_type: 'group',
                         breakdown_group_type_index: 0 },
      breakdown: { column: 'group_0_properties', key: 'industry', limit: 25 } },
    { name: 'hogql breakdown: an expression per event', ...purchases,
      breakdownFilter: { breakdown_type: 'hogql',
                         breakdown: "concat(lower(properties.$browser), ':', properties.is_paid)" },
      breakdown: { limit: 25,
                   expr: `concat(ifNull(lower(${text('$browser')}), ''), ':', ` +
                         `ifNull(${text('is_paid')}, ''))` } },
    { name: 'histogram breakdown: price in 4 bins, limit 3 and Other', ...purchases,
      breakdownFilter: { breakdown: 'price', breakdown_type: 'event',
                         breakdown_histogram_bin_count: 4, breakdown_limit: 3 },
      breakdown: { histogram: { column: 'properties', key: 'price', bins: 4 }, limit: 3 } },
    { name: 'histogram breakdown: price in 7 bins, dau', event: 'clicked button', ...range,
      math: 'dau',
      breakdownFilter: { breakdown: 'price', breakdown_type: 'event',
                         breakdown_histogram_bin_count: 7 },
      breakdown: { histogram: { column: 'properties', key: 'price', bins: 7 }, limit: 25 } },
    { name: 'filter: exact, a list', ...pageviews,
      properties: [event('$browser', 'exact', ['Chrome', 'Firefox'])],
      where: [`${text('$browser')} IN ('Chrome', 'Firefox')`] },
    { name: 'filter: is_not matches events without the property', ...pageviews,
      properties: [event('$browser', 'is_not', 'Chrome')],
      where: [`(${isNull(text('$browser'))} OR ${text('$browser')} != 'Chrome')`] },
    { name: 'filter: icontains', ...pageviews,
      properties: [event('$current_url', 'icontains', '/BLOG/')],
      where: [`positionCaseInsensitive(ifNull(${text('$current_url')}, ''), '/BLOG/') > 0`] },
    { name: 'filter: regex', ...pageviews,
      properties: [event('$current_url', 'regex', '^https://www\\.example\\.com/docs')],
      where: [`match(ifNull(${text('$current_url')}, ''), '^https://www\\\\.example\\\\.com/docs')`] },
    { name: 'filter: gt on a numeric property', ...purchases,
      properties: [event('price', 'gt', 100)],
      where: [`${propertyNumber('properties', 'price')} > 100`] },
    { name: 'filter: is_set and is_not_set', event: null, ...range,
      properties: [event('price', 'is_set'), event('quantity', 'is_not_set')],
      where: [`NOT ${isNull(text('price'))}`, isNull(text('quantity'))] },
    { name: 'filter: a boolean property', ...purchases,
      properties: [event('is_paid', 'exact', ['true'])],
      where: [`${text('is_paid')} = 'true'`] },
    { name: 'filter: person property, dau', ...pageviews, math: 'dau',
      properties: [{ key: 'plan', operator: 'exact', value: ['pro', 'enterprise'], type: 'person' }],
      where: [`${propertyText('person_properties', 'plan')} IN ('pro', 'enterprise')`] },
    { name: 'filter: numeric person property and a series filter', ...pageviews,
      properties: [{ key: 'age', operator: 'gte', value: 40, type: 'person' }],
      seriesProperties: [event('$browser', 'exact', 'Safari')],
      where: [`${propertyNumber('person_properties', 'age')} >= 40`,
              `${text('$browser')} = 'Safari'`] },
    { name: 'first_time_for_user by day: first page views ever that fall in the range',
      ...pageviews, math: 'first_time_for_user' },
    { name: 'first_time_for_user by week, the first page view must be a Chrome one', ...pageviews,
      interval: 'week', math: 'first_time_for_user',
      seriesProperties: [event('$browser', 'exact', 'Chrome')],
      where: [`${text('$browser')} = 'Chrome'`] },
    { name: 'first_matching_event_for_user: the first Chrome page view', ...pageviews,
      math: 'first_matching_event_for_user', seriesProperties: [event('$browser', 'exact', 'Chrome')],
      where: [`${text('$browser')} = 'Chrome'`] },
    { name: 'filter: group property', event: null, ...range,
      properties: [{ key: 'industry', operator: 'exact', value: 'finance', type: 'group',
                     group_type_index: 0 }],
      where: [`${propertyText('group_0_properties', 'industry')} = 'finance'`] },
  ];
}

function trendsQuery(c) {
  const series = { kind: 'EventsNode', event: c.event, math: c.math || 'total' };
  if (c.mathProperty) series.math_property = c.mathProperty;
  if (c.mathGroupTypeIndex !== undefined) series.math_group_type_index = c.mathGroupTypeIndex;
  if (c.seriesProperties) series.properties = c.seriesProperties;
  const query = { kind: 'TrendsQuery', interval: c.interval || 'day', series: [series],
                  dateRange: { date_from: c.dateFrom, date_to: c.dateTo } };
  if (c.properties) query.properties = c.properties;
  if (c.breakdownFilter) query.breakdownFilter = c.breakdownFilter;
  if (c.display) query.trendsFilter = { display: c.display };
  return query;
}

for (const generated of data.projects) {
  for (const c of trendsCases(generated)) {
    test(`trends, ${generated.key}: ${c.name}`, async () => {
      const p = projects.get(generated.key);
      const answer = await hogletQuery(p.id, trendsQuery(c));
      const expected = await trendsReference(clickhouse, p.id, p.timezone, p.weekStartDay, c);
      const got = answer.results
        .map((r) => (c.display === 'BoldNumber' ? { aggregated_value: r.aggregated_value }
          : { breakdown_value: c.breakdown ? r.breakdown_value : undefined, days: r.days,
              data: r.data }))
        .sort((a, b) => String(a.breakdown_value).localeCompare(String(b.breakdown_value)));
      assert.equal(answer.timezone, p.timezone);
      assertAnswer(got, expected, c.name);
      if (c.breakdown) {
        const other = expected.some((l) => l.breakdown_value === '$$_posthog_breakdown_other_$$');
        assert.equal(Boolean(answer.hasMore), other, 'hasMore when values were folded into Other');
      }
    });
  }
}

for (const generated of data.projects) {
  test(`trends, ${generated.key}: compared with the previous period`, async () => {
    const p = projects.get(generated.key);
    // 14 days from the day after New York's change: the previous 14 days hold both changes.
    const current = { event: '$pageview', dateFrom: '2026-11-02', dateTo: '2026-11-15' };
    const previous = { ...current, dateFrom: '2026-10-19', dateTo: '2026-11-01' };
    const answer = await hogletQuery(p.id, { ...trendsQuery(current),
                                             compareFilter: { compare: true } });
    const reference = async (c) =>
      (await trendsReference(clickhouse, p.id, p.timezone, p.weekStartDay, c))[0];
    assertAnswer(answer.results.map((r) => ({ compare_label: r.compare_label, days: r.days,
                                                   data: r.data })),
                     [{ compare_label: 'current', ...(await reference(current)) },
                      { compare_label: 'previous', ...(await reference(previous)) }]);
  });

  test(`trends, ${generated.key}: a formula over two series (events per person)`, async () => {
    const p = projects.get(generated.key);
    const range = { event: '$pageview', dateFrom: '2026-10-12', dateTo: '2026-11-15' };
    const query = trendsQuery(range);
    query.series.push({ kind: 'EventsNode', event: '$pageview', math: 'dau' });
    query.trendsFilter = { formulaNodes: [{ formula: 'A / B' }] };
    const answer = await hogletQuery(p.id, query);
    const [total] = await trendsReference(clickhouse, p.id, p.timezone, p.weekStartDay, range);
    const [dau] = await trendsReference(clickhouse, p.id, p.timezone, p.weekStartDay,
                                        { ...range, math: 'dau' });
    assertAnswer(answer.results.map((r) => ({ label: r.label, days: r.days, data: r.data })),
                     [{ label: 'Formula (A / B)', days: total.days,
                        data: total.data.map((n, i) => (dau.data[i] ? n / dau.data[i] : 0)) }]);
  });
}

// ---------------------------------------------------------------------------------------------
// HogQL: each case is the HogQL Hoglet runs and either the ClickHouse SQL that answers it (with
// `map` turning ClickHouse's row into HogQL's: date-times as ISO 8601 in the project's zone) or,
// where 18.16 cannot say it, `reference`: the answer computed here from the generator's rows.

function hogqlCases(p) {
  const tz = quote(p.timezone);
  const from = '2026-10-12';
  const to = '2026-11-16';
  const window = `timestamp >= '${from}' AND timestamp < '${to}'`;
  const chWindow = `timestamp >= toDateTime('${from} 00:00:00', ${tz}) AND ` +
    `timestamp < toDateTime('${to} 00:00:00', ${tz})`;
  // The project's rows: its WHERE is AND-ed after `team_id = id` (parenthesize an OR).
  const ch = (sql) => sql.replace('WHERE', `WHERE team_id = ${p.id} AND`);
  const url = text('$current_url');
  const browser = text('$browser');
  const price = propertyNumber('properties', 'price');
  const iso = (row) => [isoWithOffset(row[0] * 1000, p.timezone), ...row.slice(1)];
  const inWindow = (r) => r.timestamp * 1000 >= zonedTimeToMs(from, p.timezone) &&
    r.timestamp * 1000 < zonedTimeToMs(to, p.timezone);
  const countBy = (rows, key) => {
    const counts = new Map();
    for (const r of rows) counts.set(key(r), (counts.get(key(r)) || 0) + 1);
    return [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  return [
    { name: 'count by event',
      hogql: 'SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC, event',
      sql: ch('SELECT event, count() AS c FROM events WHERE 1 GROUP BY event ORDER BY c DESC, event') },
    { name: 'top URLs with LIKE',
      hogql: "SELECT properties.$current_url AS url, count() AS c FROM events " +
        "WHERE properties.$current_url LIKE '%/blog/%' GROUP BY url ORDER BY c DESC, url LIMIT 10",
      sql: ch(`SELECT ${url} AS url, count() AS c FROM events WHERE url LIKE '%/blog/%' ` +
        'GROUP BY url ORDER BY c DESC, url LIMIT 10') },
    { name: 'URLs with ILIKE and NOT LIKE',
      hogql: "SELECT count() FROM events WHERE properties.$current_url ILIKE '%/BLOG/%' " +
        "AND properties.$current_url NOT LIKE '%?ref=%'",
      sql: ch(`SELECT count() FROM events WHERE lower(${url}) LIKE '%/blog/%' ` +
        `AND NOT ifNull(${url} LIKE '%?ref=%', 0)`) },
    { name: 'group by toStartOfDay in the project zone',
      hogql: `SELECT toStartOfDay(timestamp) AS d, count() FROM events WHERE event = '$pageview' ` +
        `AND ${window} GROUP BY d ORDER BY d`,
      sql: ch(`SELECT toUnixTimestamp(toStartOfDay(timestamp, ${tz})) AS d, count() FROM events ` +
        `WHERE event = '$pageview' AND ${chWindow} GROUP BY d ORDER BY d`),
      map: iso },
    { name: 'group by toStartOfHour across the daylight-saving day',
      hogql: `SELECT toStartOfHour(timestamp) AS h, count() FROM events ` +
        `WHERE timestamp >= '${p.dstDay}' AND timestamp < '${addDays(p.dstDay, 1)}' ` +
        'GROUP BY h ORDER BY h',
      sql: ch(`SELECT toUnixTimestamp(toStartOfHour(timestamp, ${tz})) AS h, count() FROM events ` +
        `WHERE timestamp >= toDateTime('${p.dstDay} 00:00:00', ${tz}) AND ` +
        `timestamp < toDateTime('${addDays(p.dstDay, 1)} 00:00:00', ${tz}) GROUP BY h ORDER BY h`),
      // ClickHouse gives the two local 01:00 hours of a fall-back day two starts (01:00-04:00 and
      // 01:00-05:00 in New York).
      map: iso },
    { name: 'toDate and distinct persons by day',
      hogql: `SELECT toDate(timestamp) AS d, count(DISTINCT person_id) FROM events WHERE ${window} ` +
        'GROUP BY d ORDER BY d',
      sql: ch(`SELECT toString(toDate(timestamp, ${tz})) AS d, uniqExact(person_id) FROM events ` +
        `WHERE ${chWindow} GROUP BY d ORDER BY d`) },
    { name: 'toStartOfMonth and uniq(person_id)',
      hogql: `SELECT toStartOfMonth(timestamp) AS m, uniq(person_id) FROM events WHERE ${window} ` +
        'GROUP BY m ORDER BY m',
      sql: ch(`SELECT toString(toStartOfMonth(toDate(timestamp, ${tz}))) AS m, uniqExact(person_id) ` +
        `FROM events WHERE ${chWindow} GROUP BY m ORDER BY m`) },
    { name: 'uniq(person_id) by event (persons after merges)',
      hogql: `SELECT event, uniq(person_id), uniq(distinct_id) FROM events WHERE ${window} ` +
        'GROUP BY event ORDER BY event',
      sql: ch(`SELECT event, uniqExact(person_id), uniqExact(distinct_id) FROM events ` +
        `WHERE ${chWindow} GROUP BY event ORDER BY event`) },
    { name: 'anonymous events of identified persons',
      hogql: `SELECT count(), uniq(person_id) FROM events WHERE distinct_id LIKE '%-anon-%' ` +
        `AND person.properties.email IS NOT NULL AND ${window}`,
      sql: ch(`SELECT count(), uniqExact(person_id) FROM events WHERE distinct_id LIKE '%-anon-%' ` +
        `AND ${propertyText('person_properties', 'email')} IS NOT NULL AND ${chWindow}`) },
    { name: 'person properties now (set, set once, merged)',
      hogql: 'SELECT person.properties.plan AS plan, person.properties.signup_source AS source, ' +
        'person.properties.landing AS landing, count(DISTINCT person_id), count() FROM events ' +
        `WHERE ${window} GROUP BY plan, source, landing ORDER BY plan, source, landing`,
      sql: ch(`SELECT ${propertyText('person_properties', 'plan')} AS plan, ` +
        `${propertyText('person_properties', 'signup_source')} AS source, ` +
        `${propertyText('person_properties', 'landing')} AS landing, uniqExact(person_id), count() ` +
        `FROM events WHERE ${chWindow} GROUP BY plan, source, landing ORDER BY plan, source, landing`) },
    { name: 'null semantics of a missing, null or empty property',
      hogql: "SELECT countIf(properties.$browser = 'Chrome'), countIf(properties.$browser != 'Chrome'), " +
        'count(properties.$browser), countIf(properties.$browser IS NULL), ' +
        "countIf(properties.$browser NOT IN ('Chrome', 'Safari')) FROM events WHERE event = '$pageview'",
      sql: ch(`SELECT countIf(ifNull(${browser} = 'Chrome', 0)), ` +
        `countIf(ifNull(${browser} != 'Chrome', 1)), count(${browser}), countIf(${browser} IS NULL), ` +
        `countIf(ifNull(${browser} NOT IN ('Chrome', 'Safari'), 1)) FROM events ` +
        "WHERE event = '$pageview'") },
    { name: 'sum, avg, min, max and count of a numeric property',
      hogql: 'SELECT sum(toFloat(properties.price)), avg(toFloat(properties.price)), ' +
        'min(toFloat(properties.price)), max(toFloat(properties.price)), ' +
        "count(toFloat(properties.price)) FROM events WHERE event = 'purchase'",
      sql: ch(`SELECT sum(${price}), avg(${price}), min(${price}), max(${price}), count(${price}) ` +
        "FROM events WHERE event = 'purchase'") },
    { name: 'a property compared with a number',
      hogql: 'SELECT event, count() FROM events WHERE properties.price > 100 GROUP BY event ORDER BY event',
      sql: ch(`SELECT event, count() FROM events WHERE ${price} > 100 GROUP BY event ORDER BY event`) },
    { name: 'a boolean property as text',
      hogql: "SELECT properties.is_paid AS paid, count() FROM events WHERE event IN ('purchase', " +
        "'clicked button') GROUP BY paid ORDER BY paid",
      sql: ch(`SELECT ${text('is_paid')} AS paid, count() FROM events WHERE event IN ('purchase', ` +
        "'clicked button') GROUP BY paid ORDER BY paid") },
    { name: 'multiIf over a numeric property',
      hogql: "SELECT multiIf(toFloat(properties.price) > 100, 'high', toFloat(properties.price) > 0, " +
        "'low', 'none') AS tier, count() FROM events WHERE event = 'purchase' GROUP BY tier ORDER BY tier",
      sql: ch(`SELECT multiIf(ifNull(${price} > 100, 0), 'high', ifNull(${price} > 0, 0), 'low', 'none') ` +
        "AS tier, count() FROM events WHERE event = 'purchase' GROUP BY tier ORDER BY tier") },
    { name: 'groups: $group_0 and its persons',
      hogql: `SELECT $group_0 AS company, count(), uniq(person_id) FROM events WHERE $group_0 != '' ` +
        `AND ${window} GROUP BY company ORDER BY company`,
      sql: ch(`SELECT group_0 AS company, count(), uniqExact(person_id) FROM events ` +
        `WHERE group_0 != '' AND ${chWindow} GROUP BY company ORDER BY company`) },
    { name: 'toHour and toDayOfWeek in the project zone',
      hogql: "SELECT toDayOfWeek(timestamp) AS dow, toHour(timestamp) AS h, count() FROM events " +
        "WHERE event = '$pageview' GROUP BY dow, h ORDER BY dow, h LIMIT 200",
      sql: ch(`SELECT toDayOfWeek(timestamp, ${tz}) AS dow, toHour(timestamp, ${tz}) AS h, count() ` +
        "FROM events WHERE event = '$pageview' GROUP BY dow, h ORDER BY dow, h LIMIT 200") },
    { name: 'top distinct ids, upper and length',
      hogql: `SELECT distinct_id, upper(properties.$browser) AS b, count() AS c, ` +
        `max(length(properties.$current_url)) FROM events WHERE ${window} ` +
        'GROUP BY distinct_id, b ORDER BY c DESC, distinct_id, b LIMIT 8',
      sql: ch(`SELECT distinct_id, upper(${browser}) AS b, count() AS c, max(length(${url})) ` +
        `FROM events WHERE ${chWindow} GROUP BY distinct_id, b ORDER BY c DESC, distinct_id, b ` +
        'LIMIT 8') },
    { name: 'toYYYYMM, toYear and toDayOfMonth',
      hogql: 'SELECT toYYYYMM(timestamp) AS m, toYear(timestamp), toDayOfMonth(timestamp) AS d, ' +
        `count() FROM events WHERE ${window} GROUP BY m, toYear(timestamp), d ORDER BY m, d`,
      sql: ch(`SELECT toYYYYMM(timestamp, ${tz}) AS m, toYear(timestamp, ${tz}), ` +
        `toDayOfMonth(timestamp, ${tz}) AS d, count() FROM events WHERE ${chWindow} ` +
        `GROUP BY m, toYear(timestamp, ${tz}), d ORDER BY m, d`) },
    { name: 'dateDiff in days from a local date-time',
      hogql: "SELECT dateDiff('day', toDateTime('2026-10-01 00:00:00'), timestamp) AS d, count() " +
        `FROM events WHERE ${window} GROUP BY d ORDER BY d`,
      sql: ch(`SELECT dateDiff('day', toDateTime('2026-10-01 00:00:00', ${tz}), timestamp, ${tz}) ` +
        `AS d, count() FROM events WHERE ${chWindow} GROUP BY d ORDER BY d`) },
    { name: 'toUnixTimestamp of the first and last event',
      hogql: 'SELECT event, toUnixTimestamp(min(timestamp)), toUnixTimestamp(max(timestamp)) ' +
        `FROM events WHERE ${window} GROUP BY event ORDER BY event`,
      sql: ch('SELECT event, toUnixTimestamp(min(timestamp)), toUnixTimestamp(max(timestamp)) ' +
        `FROM events WHERE ${chWindow} GROUP BY event ORDER BY event`) },
    { name: 'HAVING, OFFSET and count(DISTINCT) of a property',
      hogql: 'SELECT distinct_id, count() AS c, count(DISTINCT properties.$current_url) FROM events ' +
        `WHERE ${window} GROUP BY distinct_id HAVING c >= 10 ORDER BY c DESC, distinct_id ` +
        'LIMIT 10 OFFSET 3',
      sql: ch(`SELECT distinct_id, count() AS c, uniqExact(${url}) FROM events WHERE ${chWindow} ` +
        'GROUP BY distinct_id HAVING c >= 10 ORDER BY c DESC, distinct_id LIMIT 3, 10') },
    { name: 'BETWEEN, toInt and sum of an if',
      hogql: "SELECT sum(toInt(properties.quantity)), sum(if(properties.is_paid = 'true', 1, 0)), " +
        "count() FROM events WHERE toFloat(properties.price) BETWEEN 10 AND 100",
      sql: ch(`SELECT sum(toInt64OrNull(${text('quantity')})), ` +
        `sum(if(ifNull(${text('is_paid')} = 'true', 0), 1, 0)), count() FROM events ` +
        `WHERE ${price} BETWEEN 10 AND 100`) },
    { name: 'coalesce, concat, nullIf and a regex match',
      hogql: "SELECT coalesce(properties.$browser, 'unknown') AS b, " +
        "concat(event, ':', nullIf(properties.$browser, 'Chrome')) AS e, count() FROM events " +
        "WHERE properties.$browser =~ '^(Chrome|Safari|Edge)$' OR properties.$browser IS NULL " +
        'GROUP BY b, e ORDER BY b, e',
      sql: ch(`SELECT ifNull(${browser}, 'unknown') AS b, ` +
        `concat(event, ':', ifNull(nullIf(${browser}, 'Chrome'), '')) AS e, count() FROM events ` +
        `WHERE (ifNull(match(${browser}, '^(Chrome|Safari|Edge)$'), 0) OR ${browser} IS NULL) ` +
        'GROUP BY b, e ORDER BY b, e') },
    { name: 'substring, trim and lower of a URL',
      hogql: 'SELECT lower(trim(substring(properties.$current_url, 9, 12))) AS host, count() ' +
        "FROM events WHERE event = '$pageview' GROUP BY host ORDER BY host",
      // 18.16 has no trim(): the same with a regular expression.
      sql: ch(`SELECT lower(replaceRegexpAll(substring(${url}, 9, 12), '^\\\\s+|\\\\s+$', '')) ` +
        'AS host, count() FROM events ' +
        "WHERE event = '$pageview' GROUP BY host ORDER BY host") },
    { name: 'round, floor and abs of a numeric property',
      hogql: 'SELECT floor(toFloat(properties.price) / 100) AS bucket, count(), ' +
        'round(avg(toFloat(properties.price)), 2), max(abs(toFloat(properties.price) - 250)) ' +
        "FROM events WHERE event = 'purchase' GROUP BY bucket ORDER BY bucket",
      sql: ch(`SELECT floor(${price} / 100) AS bucket, count(), round(avg(${price}), 2), ` +
        `max(abs(${price} - 250)) FROM events WHERE event = 'purchase' GROUP BY bucket ` +
        'ORDER BY bucket') },
    { name: 'a numeric person property and persons now',
      hogql: 'SELECT person.properties.age > 40 AS older, person.properties.beta AS beta, ' +
        `count(DISTINCT person_id), count() FROM events WHERE ${window} GROUP BY older, beta ` +
        'ORDER BY older, beta',
      sql: ch(`SELECT ifNull(${propertyNumber('person_properties', 'age')} > 40, 0) AS older, ` +
        `${propertyText('person_properties', 'beta')} AS beta, uniqExact(person_id), count() ` +
        `FROM events WHERE ${chWindow} GROUP BY older, beta ORDER BY older, beta`) },
    // 18.16 has no toStartOfWeek: the week (the project's first day) is computed here.
    { name: 'toStartOfWeek in the project zone (reference in JS)',
      hogql: `SELECT toStartOfWeek(timestamp) AS w, count() FROM events WHERE ${window} ` +
        'GROUP BY w ORDER BY w',
      reference: (rows) => countBy(rows.filter(inWindow),
                                   (r) => weekStart(localDate(r.timestamp * 1000, p.timezone),
                                                    p.weekStartDay)) },
    { name: 'toStartOfWeek with mode 1 (Monday; reference in JS)',
      hogql: `SELECT toStartOfWeek(timestamp, 1) AS w, uniq(person_id) FROM events WHERE ${window} ` +
        'GROUP BY w ORDER BY w',
      reference: (rows) => {
        const persons = new Map();
        for (const r of rows.filter(inWindow)) {
          const w = weekStart(localDate(r.timestamp * 1000, p.timezone), 1);
          if (!persons.has(w)) persons.set(w, new Set());
          persons.get(w).add(r.person_id);
        }
        return [...persons].sort().map(([w, ids]) => [w, ids.size]);
      } },
    // 18.16 has no JSONExtractString: read from the generator's rows.
    { name: 'JSONExtractString of the properties (reference in JS)',
      hogql: "SELECT JSONExtractString(properties, '$browser') AS b, count() FROM events " +
        "WHERE event = '$pageview' GROUP BY b ORDER BY b",
      reference: (rows) => countBy(rows.filter((r) => r.event === '$pageview'), (r) => {
        const value = JSON.parse(r.properties).$browser;
        return typeof value === 'string' ? value : '';
      }) },
  ];
}

for (const generated of data.projects) {
  for (const c of hogqlCases({ ...generated, id: 0 })) {
    test(`hogql, ${generated.key}: ${c.name}`, async () => {
      const p = projects.get(generated.key);
      const current = hogqlCases(p).find((x) => x.name === c.name);
      const answer = await hogletQuery(p.id, { kind: 'HogQLQuery', query: current.hogql });
      const expected = current.reference
        ? current.reference(p.rows)
        : (await clickhouse.rows(current.sql)).map(current.map || ((row) => row));
      assertAnswer(answer.results, expected, c.name);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Funnels: ordered funnels without exclusions, whose step counts are what ClickHouse's
// windowFunnel gives per actor (reference/funnel_reference.mjs; no case has an event matching two
// adjacent steps, where windowFunnel and PostHog's aggregate_funnel part ways).

function funnelCases() {
  const range = { dateFrom: '2026-10-12', dateTo: '2026-11-15' };
  return [
    { name: 'signup then purchase, the default 14 days', steps: ['signup', 'purchase'], ...range },
    { name: 'pageview, click, purchase within a day',
      steps: ['$pageview', 'clicked button', 'purchase'], window: [1, 'day', 86400], ...range },
    { name: 'pageview then purchase within an hour, across the daylight-saving changes',
      steps: ['$pageview', 'purchase'], window: [1, 'hour', 3600], dateFrom: '2026-10-20',
      dateTo: '2026-11-10' },
    { name: 'four steps within a week', steps: ['$pageview', 'signup', 'clicked button', 'purchase'],
      window: [1, 'week', 7 * 86400], ...range },
    { name: 'a global filter on every step', steps: ['$pageview', 'purchase'],
      window: [3, 'day', 3 * 86400], ...range,
      properties: [event('$browser', 'exact', 'Chrome')],
      where: [`${text('$browser')} = 'Chrome'`] },
    { name: 'a step filter', steps: ['$pageview', 'purchase'], ...range,
      stepProperties: { 1: [event('price', 'gt', 100)] },
      stepWhere: { 1: `${propertyNumber('properties', 'price')} > 100` } },
    { name: 'companies (aggregation_group_type_index 0)', steps: ['$pageview', 'purchase'],
      window: [2, 'day', 2 * 86400], ...range, group: true },
    { name: 'by browser, first touch', steps: ['$pageview', 'clicked button', 'purchase'],
      ...range, breakdown: '$browser' },
  ];
}

function funnelQuery(c) {
  const query = {
    kind: 'FunnelsQuery',
    dateRange: { date_from: c.dateFrom, date_to: c.dateTo },
    series: c.steps.map((name, i) => {
      const node = { kind: 'EventsNode', event: name };
      if (c.stepProperties?.[i]) node.properties = c.stepProperties[i];
      return node;
    }),
    funnelsFilter: { funnelOrderType: 'ordered' },
  };
  if (c.window) {
    query.funnelsFilter.funnelWindowInterval = c.window[0];
    query.funnelsFilter.funnelWindowIntervalUnit = c.window[1];
  }
  if (c.properties) query.properties = c.properties;
  if (c.group) query.aggregation_group_type_index = 0;
  if (c.breakdown) query.breakdownFilter = { breakdown: c.breakdown, breakdown_type: 'event' };
  return query;
}

for (const generated of data.projects) {
  for (const c of funnelCases()) {
    test(`funnels, ${generated.key}: ${c.name}`, async () => {
      const p = projects.get(generated.key);
      const answer = await hogletQuery(p.id, funnelQuery(c));
      const expected = await funnelReference(clickhouse, p, c);
      if (c.breakdown) {
        assert.ok(Object.keys(expected).length > 1, `${c.name}: the reference has values`);
        const got = Object.fromEntries(answer.results.map((steps) =>
          [steps[0].breakdown_value, steps.map((step) => step.count)]));
        assertAnswer(got, expected, c.name);
        assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
        return;
      }
      assert.ok(expected[0] > 0, `${c.name}: the reference has actors at the first step`);
      const got = answer.results.length === 0 ? c.steps.map(() => 0)
        : answer.results.map((step) => step.count);
      assertAnswer(got, expected, c.name);
      if (answer.results.length > 0) {
        assert.deepEqual(answer.results.map((s) => s.action_id), c.steps);
        assert.equal(answer.results[0].average_conversion_time, null);
      }
    });
  }
}

// Retention by day and by week (analytics §3.4), against reference/retention_reference.mjs.
function retentionCases() {
  const range = { dateFrom: '2026-10-20', dateTo: '2026-11-10' };
  return [
    { name: 'pageviews, recurring, across the daylight-saving change', target: '$pageview',
      returning: '$pageview', intervals: 7, ...range },
    { name: 'signup then purchase, first time', target: 'signup', returning: 'purchase',
      type: 'retention_first_time', intervals: 10, ...range },
    { name: 'pageview then click, recurring, on Chrome', target: '$pageview',
      returning: 'clicked button', intervals: 5, ...range,
      properties: [event('$browser', 'exact', 'Chrome')],
      where: [`${text('$browser')} = 'Chrome'`] },
    { name: 'companies (aggregation_group_type_index 0)', target: '$pageview',
      returning: 'purchase', intervals: 8, ...range, group: true },
    { name: 'pageviews, recurring, by browser', target: '$pageview', returning: '$pageview',
      intervals: 5, ...range, breakdown: '$browser' },
    { name: 'pageview then purchase by week, recurring', target: '$pageview',
      returning: 'purchase', intervals: 4, period: 'Week', ...range },
    { name: 'pageviews by week, first time', target: '$pageview', returning: '$pageview',
      type: 'retention_first_time', intervals: 6, period: 'Week', dateFrom: '2026-10-04',
      dateTo: '2026-11-14' },
  ];
}

function retentionQuery(c) {
  const query = {
    kind: 'RetentionQuery',
    dateRange: { date_from: c.dateFrom, date_to: c.dateTo },
    retentionFilter: {
      period: c.period || 'Day',
      totalIntervals: c.intervals,
      retentionType: c.type || 'retention_recurring',
      targetEntity: { id: c.target, type: 'events' },
      returningEntity: { id: c.returning, type: 'events' },
    },
  };
  if (c.properties) query.properties = c.properties;
  if (c.group) query.aggregation_group_type_index = 0;
  if (c.breakdown) query.breakdownFilter = { breakdown: c.breakdown, breakdown_type: 'event' };
  return query;
}

for (const generated of data.projects) {
  for (const c of retentionCases()) {
    test(`retention, ${generated.key}: ${c.name}`, async () => {
      const p = projects.get(generated.key);
      const answer = await hogletQuery(p.id, retentionQuery(c));
      const expected = await retentionReference(clickhouse, p, c);
      if (c.breakdown) {
        assert.ok(Object.keys(expected).length > 1, `${c.name}: the reference has values`);
        const got = {};
        for (const cohort of answer.results) {
          (got[cohort.breakdown_value] ??= []).push(cohort.values.map((v) => v.count));
        }
        assertAnswer(got, expected, c.name);
        const size = (table) => table.reduce((sum, row) => sum + row[0], 0);
        const order = [...new Set(answer.results.map((cohort) => cohort.breakdown_value))];
        assert.deepEqual(order, Object.keys(expected).sort((a, b) =>
          size(expected[b]) - size(expected[a]) || (a < b ? -1 : a > b ? 1 : 0)));
        return;
      }
      assert.ok(expected.some((row) => row[0] > 0), `${c.name}: the reference has cohorts`);
      assert.ok(expected.some((row) => row.slice(1).some((n) => n > 0)),
                `${c.name}: the reference has returns`);
      const got = answer.results.map((cohort) => cohort.values.map((v) => v.count));
      assertAnswer(got, expected, c.name);
      const first = answer.results[0].date.slice(0, 10);
      if (c.period === 'Week') {
        // The start of the week holding dateFrom, on the project's first day of the week.
        const back = (Date.parse(c.dateFrom) - Date.parse(first)) / 86400000;
        assert.ok(back >= 0 && back < 7, `${first} starts the week of ${c.dateFrom}`);
        assert.equal(new Date(Date.parse(first)).getUTCDay(), p.weekStartDay);
      } else {
        assert.equal(first, c.dateFrom);
      }
    });
  }
}

// Retention's other modes (analytics §3.4), by day over the same range, each as PostHog's runner
// computes it: custom brackets counted from the actor's first start day; a sum or average of a
// property over the cell's events (every start event of the cohort's day at offset 0, every
// returning event at its offset; another returning entity also on the cohort's day, after its
// first start there; a property that is not a number counts 0); 24 hour windows from the first
// start in the range, counted on the hour clock as dateDiff('hour') does.
function retentionModeCases() {
  const range = { dateFrom: '2026-10-20', dateTo: '2026-11-10' };
  return [
    { name: 'pageviews in brackets 1, 2-3, 4-7', target: '$pageview', returning: '$pageview',
      intervals: 5, brackets: [1, 2, 4], ...range },
    { name: 'signups in brackets 2, 5-7, first time', target: 'signup', returning: '$pageview',
      type: 'retention_first_time', intervals: 5, brackets: [2, 5], ...range },
    { name: 'sum of the price of purchases', target: 'purchase', returning: 'purchase',
      intervals: 6, aggregation: 'sum', ...range },
    { name: 'average price, clicks then purchases', target: 'clicked button',
      returning: 'purchase', intervals: 6, aggregation: 'avg', ...range },
    { name: 'pageviews in 24 hour windows', target: '$pageview', returning: '$pageview',
      intervals: 7, windows: true, ...range },
  ];
}

function retentionModeQuery(c) {
  const query = retentionQuery(c);
  if (c.brackets) query.retentionFilter.retentionCustomBrackets = c.brackets;
  if (c.aggregation) {
    query.retentionFilter.aggregationType = c.aggregation;
    query.retentionFilter.aggregationProperty = 'price';
  }
  if (c.windows) query.retentionFilter.timeWindowMode = '24_hour_windows';
  return query;
}

// {counts: [cohort][column], values: [cohort][column] (sum and average)} from ClickHouse.
async function retentionModeReference(p, c) {
  const tz = quote(p.timezone);
  const day = (sql) => `toRelativeDayNum(${sql}, ${tz})`;
  const fromTime = `toDateTime(${quote(`${c.dateFrom} 00:00:00`)}, ${tz})`;
  const from = day(fromTime);
  const to = `${day(`toDateTime(${quote(`${c.dateTo} 00:00:00`)}, ${tz})`)} + 1`;
  const inRange = `${day('timestamp')} >= ${from} AND ${day('timestamp')} < ${to}`;
  const isStart = `event = ${quote(c.target)}`;
  const isReturn = `event = ${quote(c.returning)}`;
  const columns = c.brackets ? c.brackets.length + 1 : c.intervals;
  const cohorts = Math.round((Date.parse(c.dateTo) - Date.parse(c.dateFrom)) / 86400000) + 1;
  const where = `team_id = ${p.id} AND person_id != ''`;
  let sql;
  if (c.windows) {
    const hour = (x) => `intDiv(toUInt32(${x}), 3600)`;  // hours on the UTC clock
    sql = `SELECT intDiv(${hour('t0')} - ${hour(fromTime)}, 24) AS cohort, k,
                  count(DISTINCT actor), 0
           FROM (
             SELECT actor, t0, arrayJoin(arrayConcat([0], arrayMap(
                      t -> intDiv(${hour('t')} - ${hour('t0')}, 24),
                      arrayFilter(t -> t >= t0, rets)))) AS k
             FROM (SELECT person_id AS actor, minIf(timestamp, ${isStart}) AS t0,
                          groupArrayIf(timestamp, ${isReturn}) AS rets
                   FROM events WHERE ${where} AND ${inRange} AND (${isStart} OR ${isReturn})
                   GROUP BY actor HAVING countIf(${isStart}) > 0))
           GROUP BY cohort, k`;
  } else if (c.brackets) {
    // Cohorts (actor, s), each actor's first start day f, and the bracket of each return.
    const bucket = ['r - f <= 0, 0'];
    let end = 0;
    c.brackets.forEach((size, i) => {
      end += size;
      bucket.push(`r - f <= ${end}, ${i + 1}`);
    });
    const cohortsSql = c.type === 'retention_first_time'
      ? `SELECT person_id AS actor, ${day(`minIf(timestamp, ${isStart})`)} AS s FROM events
         WHERE ${where} GROUP BY actor HAVING countIf(${isStart}) > 0 AND s >= ${from} AND s < ${to}`
      : `SELECT DISTINCT person_id AS actor, ${day('timestamp')} AS s FROM events
         WHERE ${where} AND ${isStart} AND ${inRange}`;
    sql = `SELECT s - ${from}, k, count(DISTINCT actor), 0 FROM (
             SELECT actor, s, toInt64(0) AS k FROM (${cohortsSql})
             UNION ALL
             SELECT actor, s, toInt64(b) AS k FROM (${cohortsSql}) ALL INNER JOIN (
               SELECT actor, multiIf(${bucket.join(', ')}, 0) AS b FROM (
                 SELECT DISTINCT person_id AS actor, ${day('timestamp')} AS r FROM events
                 WHERE ${where} AND ${isReturn} AND ${inRange})
               ALL INNER JOIN (SELECT actor, min(s) AS f FROM (${cohortsSql}) GROUP BY actor)
               USING actor) USING actor
             WHERE k > 0)
           GROUP BY s, k`;
  } else {
    // Items: each start event at offset 0 of its day's cohort; each returning event joined to
    // the actor's cohorts, at its offset.
    const value = `ifNull(${propertyNumber('properties', 'price')}, 0)`;
    const atStart = c.target === c.returning ? '0' : '(r = s AND t > first_t)';
    sql = `SELECT s - ${from}, k, count(DISTINCT actor), sum(v) FROM (
             SELECT person_id AS actor, ${day('timestamp')} AS s, toInt64(0) AS k, ${value} AS v
             FROM events WHERE ${where} AND ${isStart} AND ${inRange}
             UNION ALL
             SELECT actor, s, toInt64(r - s) AS k, v FROM (
               SELECT person_id AS actor, ${day('timestamp')} AS r, toUInt32(timestamp) AS t,
                      ${value} AS v
               FROM events WHERE ${where} AND ${isReturn} AND ${inRange})
             ALL INNER JOIN (
               SELECT person_id AS actor, ${day('timestamp')} AS s,
                      min(toUInt32(timestamp)) AS first_t
               FROM events WHERE ${where} AND ${isStart} AND ${inRange} GROUP BY actor, s)
             USING actor
             WHERE (r > s AND r - s < ${c.intervals}) OR ${atStart})
           GROUP BY s, k`;
  }
  const counts = Array.from({ length: cohorts }, () => new Array(columns).fill(0));
  const values = Array.from({ length: cohorts }, () => new Array(columns).fill(0));
  for (const [cohort, k, n, v] of await clickhouse.rows(sql)) {
    const [ci, ki] = [Number(cohort), Number(k)];
    if (ci < 0 || ci >= cohorts || ki >= columns) continue;
    counts[ci][ki] = Number(n);
    values[ci][ki] = c.aggregation === 'avg' ? Number(v) / Number(n) : Number(v);
  }
  return { counts, values };
}

for (const generated of data.projects) {
  for (const c of retentionModeCases()) {
    test(`retention mode, ${generated.key}: ${c.name}`, async () => {
      const p = projects.get(generated.key);
      const answer = await hogletQuery(p.id, retentionModeQuery(c));
      const expected = await retentionModeReference(p, c);
      assert.ok(expected.counts.some((row) => row.slice(1).some((n) => n > 0)),
                `${c.name}: the reference has returns`);
      const got = { counts: answer.results.map((cohort) => cohort.values.map((v) => v.count)) };
      if (c.aggregation) {
        got.values = answer.results.map((cohort) => cohort.values.map((v) => v.aggregation_value));
        assert.ok(expected.values.some((row) => row.some((v) => v > 0)),
                  `${c.name}: the reference has values`);
      } else {
        delete expected.values;
      }
      assertAnswer(got, expected, c.name);
      if (c.brackets) {
        const [a, b] = c.brackets;
        assert.equal(answer.results[0].values[2].label, b === 1 ? `Day ${a + 1}` :
          `Day ${a + 1}-${a + b}`);
      }
    });
  }
}
