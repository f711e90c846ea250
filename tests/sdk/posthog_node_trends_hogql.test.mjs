// The HogQL a trends answer carries (its `hogql` field) computes the answer's numbers: for a
// corpus of TrendsQueries over events posthog-node sent, in a project whose zone is not UTC, the
// text is run back as a HogQLQuery and its rows must equal the trends answer per series, bucket
// and breakdown value; PostHog's own parser (@posthog/hogql-parser) must parse every text; and
// the shapes the server does not print answer `hogql: null`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import createHogQLParser from '@posthog/hogql-parser';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';

let server;
let posthogParser;
before(async () => {
  server = await startHoglet();
  posthogParser = await createHogQLParser();
  const zoned = await server.api('PATCH', '/api/projects/@current/', {
    timezone: 'America/New_York',
  });
  assert.equal(zoned.status, 200, JSON.stringify(zoned.body));
  await sendEvents();
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const HOUR_MS = 3600 * 1000;
const EVENTS = 240;

// A deterministic spread of events over the last six days, at every hour of the day (so some
// fall on a different calendar day in New York than in UTC), with browsers, prices (numbers,
// numeric strings, text, missing), sessions and persons with properties.
async function sendEvents() {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 100, flushInterval: 0 });
  let seed = 7;
  const next = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const browsers = ['Chrome', 'Firefox', 'Safari', 'Edge', undefined, ''];
  const prices = [3, 10.5, '7', 'free', undefined, 42, 0];
  const now = Date.now();
  for (let i = 0; i < EVENTS; ++i) {
    const user = `hq-user-${next(12)}`;
    const properties = { $session_id: `hq-session-${next(30)}` };
    const browser = browsers[next(browsers.length)];
    if (browser !== undefined) properties.$browser = browser;
    const price = prices[next(prices.length)];
    if (price !== undefined) properties.price = price;
    client.capture({
      distinctId: user,
      event: next(3) === 0 ? 'hq bought' : 'hq viewed',
      timestamp: new Date(now - (1 + next(6 * 24 - 2)) * HOUR_MS - next(3600) * 1000),
      properties,
    });
  }
  for (let u = 0; u < 12; ++u) {
    if (u % 4 === 3) continue;  // some persons have no plan
    client.identify({ distinctId: `hq-user-${u}`, properties: { plan: ['free', 'pro', 'team'][u % 3] } });
  }
  await client.shutdown();
  const seen = await server.waitFor(async () => {
    const { body } = await server.api('POST', '/api/projects/1/query/', {
      query: { kind: 'HogQLQuery', query: "select count() from events where event like 'hq %'" },
    });
    return body?.results?.[0]?.[0] === EVENTS;
  }, 20000);
  assert.ok(seen, 'the events arrived');
  // Person properties are applied by ingestion: wait for the last identify to land.
  const planned = await server.waitFor(async () => {
    const { body } = await server.api('POST', '/api/projects/1/query/', {
      query: { kind: 'HogQLQuery',
               query: 'select count() from persons where properties.plan is not null' },
    });
    return body?.results?.[0]?.[0] >= 9;
  }, 20000);
  assert.ok(planned, 'the persons have their plans');
}

function trendsQuery(series, extra = {}) {
  return { kind: 'TrendsQuery', dateRange: { date_from: '-7d' }, series, ...extra };
}

async function run(query) {
  const { status, body } = await server.api('POST', '/api/projects/1/query/', { query });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

// The bucket a HogQL date-time stands for, as the trends answer names it in `days`.
function bucketName(iso, interval) {
  const day = iso.slice(0, 10);
  return interval === 'hour' || interval === 'minute' ? `${day} ${iso.slice(11, 19)}` : day;
}

const TOTAL_DISPLAYS = ['BoldNumber', 'ActionsPie', 'ActionsBarValue', 'ActionsTable', 'WorldMap'];
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// Runs `query` as trends, then its `hogql` as a HogQLQuery, and compares the two.
async function checkAgrees(query) {
  const trends = await run(query);
  assert.equal(typeof trends.hogql, 'string', 'the answer carries its HogQL');
  const parsed = JSON.parse(posthogParser.parseSelect(trends.hogql, true));
  assert.equal(parsed.error, undefined, `PostHog's parser refuses: ${JSON.stringify(parsed)}`);

  const hogql = await run({ kind: 'HogQLQuery', query: trends.hogql });
  assert.equal(hogql.hasMore, false);
  const column = (name) => hogql.columns.indexOf(name);
  const [seriesAt, dayAt, valueAt, totalAt] =
      ['series', 'day_start', 'breakdown_value', 'total'].map(column);
  assert.ok(totalAt >= 0, `columns ${hogql.columns}`);
  const interval = query.interval ?? 'day';
  const key = (series, day, value) => JSON.stringify([series, day, value ?? null]);
  const rows = new Map();
  for (const row of hogql.results) {
    const series = seriesAt >= 0 ? row[seriesAt] : 0;
    const day = dayAt >= 0 ? bucketName(row[dayAt], interval) : null;
    const value = valueAt >= 0 ? row[valueAt] : null;
    rows.set(key(series, day, value), row[totalAt] ?? 0);
  }

  let compared = 0;
  const expected = new Set();
  for (const line of trends.results) {
    const series = line.order;
    const value = query.breakdownFilter ? line.breakdown_value : null;
    if (TOTAL_DISPLAYS.includes(query.trendsFilter?.display)) {
      const k = key(series, null, value);
      expected.add(k);
      assert.ok(close(rows.get(k) ?? 0, line.aggregated_value),
                `${k}: HogQL ${rows.get(k)}, trends ${line.aggregated_value}`);
      ++compared;
      continue;
    }
    line.days.forEach((day, i) => {
      const k = key(series, day, value);
      expected.add(k);
      assert.ok(close(rows.get(k) ?? 0, line.data[i]),
                `${k}: HogQL ${rows.get(k)}, trends ${line.data[i]}`);
      if (line.data[i] !== 0) ++compared;
    });
  }
  for (const [k, total] of rows) {
    assert.ok(expected.has(k) || total === 0, `HogQL row ${k} (${total}) is not in the trends answer`);
  }
  assert.ok(compared > 0, 'the query counts something');
  return { trends, hogql };
}

const viewed = (extra = {}) => ({ kind: 'EventsNode', event: 'hq viewed', ...extra });
const bought = (extra = {}) => ({ kind: 'EventsNode', event: 'hq bought', ...extra });

const corpus = [
  ['total by day', trendsQuery([viewed()])],
  ['all events', trendsQuery([{ kind: 'EventsNode', event: null }])],
  ['dau by hour', trendsQuery([viewed({ math: 'dau' })], { interval: 'hour' })],
  ['unique sessions by week', trendsQuery([bought({ math: 'unique_session' })],
                                          { interval: 'week' })],
  ['total by month over -30d', trendsQuery([viewed()], { interval: 'month',
                                                         dateRange: { date_from: '-30d' } })],
  ['sum of a property', trendsQuery([viewed({ math: 'sum', math_property: 'price' })])],
  ['avg of a property', trendsQuery([viewed({ math: 'avg', math_property: 'price' })])],
  ['min and max of a property', trendsQuery([
    bought({ math: 'min', math_property: 'price' }),
    bought({ math: 'max', math_property: 'price' }),
  ])],
  ['median and p90 of a property, by browser', trendsQuery([
    viewed({ math: 'median', math_property: 'price' }),
    bought({ math: 'p90', math_property: 'price' }),
  ], { breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } })],
  ['p75 of a property over the range', trendsQuery([viewed({ math: 'p75', math_property: 'price' })],
                                                   { trendsFilter: { display: 'ActionsPie' } })],
  ['series filters', trendsQuery([
    viewed({ properties: [{ key: '$browser', value: 'Chrome', operator: 'exact', type: 'event' }] }),
    viewed({ properties: [{ key: '$browser', value: ['Chrome', 'Safari'], operator: 'is_not',
                            type: 'event' }] }),
    viewed({ properties: [{ key: '$browser', value: 'fire', operator: 'icontains', type: 'event' }] }),
    viewed({ properties: [{ key: 'price', operator: 'is_set', type: 'event' }] }),
    viewed({ properties: [{ key: 'price', value: 5, operator: 'gt', type: 'event' }] }),
    viewed({ properties: [{ key: '$browser', value: '^(Ed|Sa)', operator: 'regex', type: 'event' }] }),
  ])],
  ['global person filter in a group', trendsQuery([viewed(), bought({ math: 'dau' })], {
    properties: { type: 'OR', values: [
      { type: 'AND', values: [{ key: 'plan', value: 'pro', operator: 'exact', type: 'person' }] },
      { type: 'AND', values: [{ key: 'plan', operator: 'is_not_set', type: 'person' }] },
    ] },
  })],
  ['explicit range by day', trendsQuery([viewed()], {
    dateRange: { date_from: '-4d', date_to: '-1d' },
  })],
  ['breakdown by an event property', trendsQuery([viewed()], {
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  })],
  ['breakdown with a limit: Other', trendsQuery([viewed({ math: 'dau' })], {
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event', breakdown_limit: 2 },
  })],
  ['breakdown with a limit, Other hidden', trendsQuery([viewed()], {
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event', breakdown_limit: 3,
                       breakdown_hide_other_aggregation: true },
  })],
  ['breakdown by a person property, two series', trendsQuery([
    viewed(), bought({ math: 'sum', math_property: 'price' }),
  ], { breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' } })],
  ['total value with a breakdown', trendsQuery([viewed({ math: 'dau' })], {
    trendsFilter: { display: 'BoldNumber' },
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  })],
];

for (const [name, query] of corpus) {
  test(`the HogQL of "${name}" computes the trends answer`, async () => {
    await checkAgrees(query);
  });
}

test('shapes without HogQL answer hogql: null', async () => {
  for (const query of [
    trendsQuery([viewed(), bought()], {
      trendsFilter: { formulaNodes: [{ formula: 'A + B' }] },
    }),
    trendsQuery([viewed({ math: 'weekly_active' })]),
    trendsQuery([viewed({ math: 'avg_count_per_actor' })]),
    trendsQuery([viewed()], { compareFilter: { compare: true } }),
    trendsQuery([viewed()], { trendsFilter: { display: 'ActionsLineGraphCumulative' } }),
    trendsQuery([viewed({ properties: [{ key: 'price', value: 'x', operator: 'is_date_before',
                                         type: 'event' }] })]),
  ]) {
    const answer = await run(query);
    assert.equal(answer.hogql, null, JSON.stringify(query));
    assert.ok(answer.results.length > 0);
  }
});
