// Retention over data sent by the real posthog-node SDK, read through PostHog's query API
// (POST /api/projects/:id/query/ and /api/environments/:id/query/): the cohort table by day,
// recurring and first-time, identity at query time (after an identify merge the merged person
// counts once, with its anonymous events), and the 400s that name the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';

let server;
before(async () => {
  server = await startHoglet();
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

const DAY_MS = 24 * 3600 * 1000;

function retention(retentionFilter = {}, extra = {}) {
  return {
    query: {
      kind: 'InsightVizNode',
      source: {
        kind: 'RetentionQuery',
        dateRange: { date_from: '-3d' },
        retentionFilter: {
          period: 'Day',
          totalIntervals: 4,
          targetEntity: { id: 'ret visit', type: 'events' },
          returningEntity: { id: 'ret visit', type: 'events' },
          ...retentionFilter,
        },
        ...extra,
      },
    },
  };
}

async function query(body, path = '/api/projects/1/query/') {
  const { status, body: answer } = await server.api('POST', path, { ...body, refresh: 'force_blocking' });
  assert.equal(status, 200, JSON.stringify(answer));
  return answer;
}

const table = (answer) => answer.results.map((cohort) => cohort.values.map((cell) => cell.count));

test('retention over posthog-node events, before and after an identify merge', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  for (const [id, daysAgo] of [
    ['anon-r1', 3],
    ['user-r1', 1],  // the same visitor, once identified
    ['r2', 3],
    ['r2', 2],
    ['r3', 2],
  ]) {
    client.capture({ distinctId: id, event: 'ret visit', timestamp: new Date(now - daysAgo * DAY_MS) });
  }
  await client.shutdown();
  await server.waitForEvents('event=ret%20visit', 5);

  const before = await query(retention());
  assert.deepEqual(table(before), [[2, 1, 0, 0], [2, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]);
  const first = before.results[0];
  assert.equal(first.label, 'Day 0');
  assert.deepEqual(first.values[1], { count: 1, label: 'Day 1' });
  const day = new Date(now - 3 * DAY_MS).toISOString().slice(0, 10);
  assert.equal(first.date, `${day}T00:00:00Z`);
  assert.equal(before.results[3].label, 'Day 3');
  assert.equal(before.timezone, 'UTC');

  const client2 = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client2.capture({ distinctId: 'user-r1', event: '$identify',
                    properties: { $anon_distinct_id: 'anon-r1' } });
  await client2.shutdown();
  const merged = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-r1');
    const person = body.results[0];
    return person && person.distinct_ids.includes('anon-r1') ? person : null;
  });
  assert.ok(merged, 'anon-r1 and user-r1 are one person');

  const after = await query(retention(), '/api/environments/1/query/');
  assert.deepEqual(table(after), [[2, 1, 1, 0], [2, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]],
                   'the merged person came back on day 2, and counts once');

  const firstTime = await query(retention({ retentionType: 'retention_first_time' }));
  assert.deepEqual(table(firstTime), [[2, 1, 1, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);

  const cumulative = await query(retention({ cumulative: true }));
  assert.deepEqual(table(cumulative)[0], [2, 2, 1, 0]);

  // The persons of the first cohort, each with the days it was counted on.
  const actors = await query({
    query: {
      kind: 'ActorsQuery',
      source: { kind: 'InsightActorsQuery', interval: 0, source: retention().query.source },
      select: ['person', 'day_0', 'day_1', 'day_2', 'day_3'],
      orderBy: ['length(appearances) DESC', 'actor_id'],
    },
  });
  assert.deepEqual(actors.columns, ['person', 'day_0', 'day_1', 'day_2', 'day_3']);
  assert.deepEqual(
    actors.results.map(([person, ...days]) => [[...person.distinct_ids].sort().join(','), days])
      .sort(),
    [['anon-r1,user-r1', [1, 0, 1, 0]], ['r2', [1, 1, 0, 0]]]);
  const third = await query({
    query: { kind: 'InsightActorsQuery', interval: 2, source: retention().query.source },
  });
  assert.deepEqual(third.results.map(([person]) => [...person.distinct_ids].sort().join(',')),
                   ['anon-r1,user-r1']);
});

test('a malformed retention is a 400 that names the field', async () => {
  for (const [body, pattern] of [
    [retention({ period: 'Fortnight' }), /query\.retentionFilter\.period/],
    [retention({ totalIntervals: 0 }), /query\.retentionFilter\.totalIntervals/],
    [retention({ retentionType: 'retention_sometimes' }), /query\.retentionFilter\.retentionType/],
    [retention({ targetEntity: { id: 'x', type: 'cohorts' } }),
     /query\.retentionFilter\.targetEntity\.type/],
    [retention({ targetEntity: { id: 999, type: 'actions' } }),
     /query\.retentionFilter\.targetEntity\.id/],
    [{ query: { kind: 'InsightActorsQuery', interval: 4, source: retention().query.source } },
     /query\.interval/],
  ]) {
    const { status, body: answer } = await server.api('POST', '/api/projects/1/query/', body);
    assert.equal(status, 400, JSON.stringify(answer));
    assert.match(answer.detail, pattern);
  }
});
