// The persons behind a trends data point (ActorsQuery over an InsightActorsQuery of a
// TrendsQuery) over data sent by the real posthog-node SDK: per day, series, breakdown value
// (and Other), compared period, with event counts, search, pages, persons merged at query time,
// and 400s that name the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';

let server;
const today = new Date();
const yesterday = new Date(today.getTime() - 86400_000);
const day = (date) => date.toISOString().slice(0, 10);

before(async () => {
  server = await startHoglet();
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 100, flushInterval: 0 });
  const send = (distinctId, browser, count, timestamp) => {
    for (let i = 0; i < count; ++i) {
      client.capture({ distinctId, event: 'act viewed', timestamp,
                       properties: { $browser: browser } });
    }
  };
  client.identify({ distinctId: 'act-a', properties: { email: 'a@example.com', name: 'Ann' } });
  client.identify({ distinctId: 'act-b', properties: { email: 'b@example.com' } });
  client.identify({ distinctId: 'act-c', properties: { email: 'c@example.com' } });
  send('act-a', 'Chrome', 3, today);
  send('act-b', 'Firefox', 1, today);
  send('act-c', 'Safari', 2, today);
  send('act-a', 'Chrome', 1, yesterday);
  client.capture({ distinctId: 'act-b', event: 'act bought', timestamp: today });
  await client.shutdown();
  await server.waitForEvents('event=act%20viewed', 7);
  await server.waitForEvents('event=act%20bought', 1);
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const trends = (extra = {}) => ({
  kind: 'TrendsQuery', dateRange: { date_from: '-7d' },
  series: [{ kind: 'EventsNode', event: 'act viewed' }, { kind: 'EventsNode', event: 'act bought' }],
  ...extra,
});

async function actors(insight, fields = {}, expectedStatus = 200) {
  const { status, body } = await server.api('POST', '/api/environments/1/query/', { query: {
    kind: 'ActorsQuery', select: ['actor', 'event_count'], orderBy: ['event_count DESC'],
    source: { kind: 'InsightActorsQuery', ...insight }, ...fields,
  } });
  assert.equal(status, expectedStatus, JSON.stringify(body));
  return body;
}

const summary = (answer) => answer.results.map(([actor, count]) => [actor.distinct_ids[0], count]);

test('the persons of a day, with the events the point counted', async () => {
  const answer = await actors({ source: trends(), day: day(today) });
  assert.deepEqual(summary(answer), [['act-a', 3], ['act-c', 2], ['act-b', 1]]);
  assert.deepEqual(answer.columns, ['actor', 'event_count']);
  assert.equal(answer.types.length, 2);
  assert.equal(answer.hasMore, false);
  assert.equal(answer.missing_actors_count, 0);
  const [actor] = answer.results[0];
  assert.equal(actor.properties.email, 'a@example.com');
  assert.match(actor.id, /^[0-9a-f-]{36}$/);
  assert.equal(actor.is_identified !== undefined, true);
  assert.ok(actor.created_at);

  // The same number as the trends point.
  const point = await server.api('POST', '/api/projects/1/query/', { query: trends() });
  const index = point.body.results[0].days.indexOf(day(today));
  assert.equal(point.body.results[0].data[index], 6);

  assert.deepEqual(summary(await actors({ source: trends(), day: day(yesterday) })), [['act-a', 1]]);
  assert.deepEqual(summary(await actors({ source: trends(), day: day(today), series: 1 })),
                   [['act-b', 1]]);
  const dau = trends({ series: [{ kind: 'EventsNode', event: 'act viewed', math: 'dau' }] });
  assert.deepEqual(summary(await actors({ source: dau, day: day(today) })),
                   [['act-a', 3], ['act-c', 2], ['act-b', 1]]);
  const total = trends({ trendsFilter: { display: 'BoldNumber' } });
  assert.deepEqual(summary(await actors({ source: total })), [['act-a', 4], ['act-c', 2], ['act-b', 1]]);
});

test('breakdown values, Other, and a person filter', async () => {
  const byBrowser = trends({ breakdownFilter: { breakdown: '$browser', breakdown_limit: 1 } });
  assert.deepEqual(summary(await actors({ source: byBrowser, day: day(today), breakdown: 'Safari' })),
                   [['act-c', 2]]);
  assert.deepEqual(summary(await actors({ source: byBrowser, day: day(today),
                                          breakdown: ['Firefox'] })), [['act-b', 1]]);
  // With a limit of one value, Chrome is kept and the others are Other.
  assert.deepEqual(summary(await actors({ source: byBrowser, day: day(today),
                                          breakdown: '$$_posthog_breakdown_other_$$' })),
                   [['act-c', 2], ['act-b', 1]]);
  const filtered = trends({ properties: [{ key: 'email', value: 'b@example.com', type: 'person' }] });
  assert.deepEqual(summary(await actors({ source: filtered, day: day(today) })), [['act-b', 1]]);
});

test('order, search, pages, and the client of @posthog/cli selecting matched_recordings', async () => {
  const ascending = await actors({ source: trends(), day: day(today) },
                                 { orderBy: ['event_count ASC', 'actor_id DESC'] });
  assert.deepEqual(summary(ascending), [['act-b', 1], ['act-c', 2], ['act-a', 3]]);
  assert.deepEqual(summary(await actors({ source: trends(), day: day(today) }, { search: 'ANN' })),
                   [['act-a', 3]]);
  assert.deepEqual(summary(await actors({ source: trends(), day: day(today) },
                                        { search: 'b@example' })), [['act-b', 1]]);
  const page = await actors({ source: trends(), day: day(today) }, { limit: 2 });
  assert.deepEqual(summary(page), [['act-a', 3], ['act-c', 2]]);
  assert.equal(page.hasMore, true);
  assert.equal(page.limit, 2);
  const next = await actors({ source: trends(), day: day(today) }, { limit: 2, offset: 2 });
  assert.deepEqual(summary(next), [['act-b', 1]]);
  assert.equal(next.hasMore, false);
  const withRecordings = await actors({ source: trends(), day: day(today) },
                                      { select: ['actor', 'event_count', 'matched_recordings'] });
  assert.deepEqual(withRecordings.results.map((row) => row[2]), [[], [], []]);
  const bare = await server.api('POST', '/api/projects/1/query/', { query: {
    kind: 'InsightActorsQuery', source: trends(), day: day(yesterday) } });
  assert.equal(bare.status, 200, JSON.stringify(bare.body));
  assert.equal(bare.body.results.length, 1);
});

test('a merge moves the events to the person they belong to now', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'act-c', event: '$identify',
                   properties: { $anon_distinct_id: 'act-b' } });
  await client.shutdown();
  const merged = await server.waitFor(async () => {
    const answer = await actors({ source: trends(), day: day(today) });
    return answer.results.length === 2 ? answer : null;
  });
  assert.ok(merged, 'act-b and act-c are one person');
  assert.deepEqual(merged.results.map(([, count]) => count), [3, 3]);
  assert.deepEqual(merged.results[1][0].distinct_ids.slice().sort(), ['act-b', 'act-c']);
});

test('bad input is a 400 that names the field', async () => {
  const cases = [
    [{ source: trends(), day: '2024-13-45' }, {}, /query\.source\.day/],
    [{ source: trends(), day: '2001-01-01' }, {}, /query\.source\.day/],
    [{ source: trends(), day: day(today), series: 5 }, {}, /query\.source\.series/],
    [{ source: trends(), day: day(today), breakdown: 'x' }, {}, /query\.source\.breakdown/],
    [{ source: trends(), day: day(today), compare: 'previous' }, {}, /query\.source\.compare/],
    [{ source: trends(), day: day(today), compare: 'later' }, {}, /query\.source\.compare/],
    [{ source: { kind: 'FunnelsQuery', series: [] } }, {}, /query\.source\.source\.kind/],
    [{ source: trends({ series: [{ kind: 'EventsNode', math: 'nope' }] }) }, {},
     /query\.source\.source\.series\[0\]\.math/],
    [{ source: trends(), day: day(today) }, { select: ['actor', 'nope'] }, /query\.select\[1\]/],
    [{ source: trends(), day: day(today) }, { orderBy: ['nope DESC'] }, /query\.orderBy\[0\]/],
    [{ source: trends(), day: day(today) }, { limit: 'x' }, /query\.limit/],
  ];
  for (const [insight, fields, pattern] of cases) {
    const body = await actors(insight, fields, 400);
    assert.match(body.detail, pattern, JSON.stringify([insight, fields]));
  }
});
