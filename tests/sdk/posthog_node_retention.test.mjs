// Retention over data sent by the real posthog-node SDK, read through PostHog's query API
// (POST /api/projects/:id/query/ and /api/environments/:id/query/): the cohort table by day,
// recurring and first-time, identity at query time (after an identify merge the merged person
// counts once, with its anonymous events), 24 hour windows, custom brackets, sums and averages
// of a property, the groups of a cohort, the persons of a broken-down cell, and the 400s that
// name the field.
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
    [retention({ timeWindowMode: '24_hour_windows', cumulative: true }),
     /query\.retentionFilter\.cumulative.*Cumulative retention is not supported for 24 hour windows/],
    [retention({ timeWindowMode: 'rolling' }), /query\.retentionFilter\.timeWindowMode/],
    [retention({ retentionCustomBrackets: [1, 0] }),
     /query\.retentionFilter\.retentionCustomBrackets\[1\]/],
    [retention({ aggregationType: 'median' }), /query\.retentionFilter\.aggregationType/],
    [retention({ aggregationType: 'sum', aggregationProperty: 'amount', cumulative: true }),
     /query\.retentionFilter\.aggregationType/],
  ]) {
    const { status, body: answer } = await server.api('POST', '/api/projects/1/query/', body);
    assert.equal(status, 400, JSON.stringify(answer));
    assert.match(answer.detail, pattern);
  }
});

// Visitor w1 (company acme) at 10:00 on day 0, 09:00 and 11:00 on day 1 (23 and 25 hours
// later), 12:00 on day 2; visitor w2 (company globex) at 23:00 on day 1, 22:00 on day 2 and
// 00:00 on day 3 — day 0 being three days ago, in UTC.
test('24 hour windows, custom brackets, sums and the groups of a cohort', async () => {
  const day0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
  const at = (days, hours) => new Date(day0 + days * DAY_MS + hours * 3600 * 1000);
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [key, name] of [['acme', 'Acme Inc'], ['globex', 'Globex']]) {
    client.groupIdentify({ groupType: 'company', groupKey: key, properties: { name } });
  }
  for (const [id, company, days, hours, amount] of [
    ['w1', 'acme', 0, 10, 10], ['w1', 'acme', 1, 9, 20], ['w1', 'acme', 1, 11, 30],
    ['w1', 'acme', 2, 12, 40],
    ['w2', 'globex', 1, 23, 5], ['w2', 'globex', 2, 22, 6], ['w2', 'globex', 3, 0, '7'],
  ]) {
    client.capture({ distinctId: id, event: 'win visit', timestamp: at(days, hours),
                     properties: { amount }, groups: { company } });
  }
  await client.shutdown();
  await server.waitForEvents('event=win%20visit', 7);
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return body.results.length === 2 ? body.results : null;
  });
  const visits = { targetEntity: { id: 'win visit', type: 'events' },
                   returningEntity: { id: 'win visit', type: 'events' } };

  // Windows from each visitor's first visit: w1 back 25 and 50 hours later (23 hours is still
  // window 0); w2 first at 23:00 on day 1, back 25 hours later.
  const windows = await query(retention({ ...visits, timeWindowMode: '24_hour_windows' }));
  assert.deepEqual(table(windows), [[1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);

  // Brackets day 1, days 2-3, from each visitor's first day: both back 1 and 2 days later.
  const brackets = await query(retention({ ...visits, retentionCustomBrackets: [1, 2] }));
  assert.deepEqual(table(brackets), [[1, 1, 1], [2, 2, 2], [2, 2, 2], [1, 1, 1]]);
  assert.deepEqual(brackets.results[0].values.map((cell) => cell.label),
                   ['Day 0', 'Day 1', 'Day 2-3']);

  // The amounts of each cohort's day at day 0, of the returning visits at their day.
  const sum = await query(retention({ ...visits, aggregationType: 'sum',
                                      aggregationProperty: 'amount' }));
  assert.deepEqual(table(sum), [[1, 1, 1, 0], [2, 2, 1, 0], [2, 1, 0, 0], [1, 0, 0, 0]]);
  const values = (answer) => answer.results.map((c) => c.values.map((v) => v.aggregation_value));
  assert.deepEqual(values(sum), [[10, 50, 40, 0], [55, 46, 7, 0], [46, 7, 0, 0], [7, 0, 0, 0]]);
  assert.deepEqual(sum.results[1].values[0], { count: 2, aggregation_value: 55, label: 'Day 0' });
  const avg = await query(retention({ ...visits, aggregationType: 'avg',
                                      aggregationProperty: 'amount' }));
  assert.deepEqual(values(avg), [[10, 50, 40, 0], [27.5, 23, 7, 0], [23, 7, 0, 0], [7, 0, 0, 0]]);

  // By company: the groups of day 1's cohort, most retained first.
  const companies = retention(visits, { aggregation_group_type_index: 0 }).query.source;
  assert.deepEqual(table(await query({ query: companies })),
                   [[1, 1, 1, 0], [2, 2, 1, 0], [2, 1, 0, 0], [1, 0, 0, 0]]);
  const actors = await query({
    query: {
      kind: 'ActorsQuery',
      source: { kind: 'InsightActorsQuery', interval: 1, source: companies },
      select: ['actor', 'day_0', 'day_1', 'day_2'],
      orderBy: ['length(appearances) DESC', 'actor_id'],
    },
  });
  assert.deepEqual(actors.results.map(([group, ...days]) => [group.group_key, days]),
                   [['globex', [1, 1, 1]], ['acme', [1, 1, 0]]]);
  const [globex] = actors.results[0];
  assert.equal(globex.type, 'group');
  assert.equal(globex.id, 'globex');
  assert.equal(globex.group_type_index, 0);
  assert.equal(globex.group_properties.name, 'Globex');
  assert.equal(actors.missing_actors_count, 0);
  const searched = await query({
    query: { kind: 'ActorsQuery', search: 'acme inc', select: ['actor'],
             source: { kind: 'InsightActorsQuery', interval: 1, source: companies } },
  });
  assert.deepEqual(searched.results.map(([group]) => group.group_key), ['acme']);
});

// Visitor b1 on Chrome on days 0 and 1 and on Safari on day 2, b2 on Safari on days 0 and 2, b3
// without a browser on day 1 — day 0 being three days ago, in UTC. The persons of a broken-down
// cell are those counted under its breakdown value.
test('the persons of a broken-down retention cell', async () => {
  const day0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 3 * DAY_MS;
  const at = (days) => new Date(day0 + days * DAY_MS + 12 * 3600 * 1000);
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [id, days, browser] of [
    ['b1', 0, 'Chrome'], ['b1', 1, 'Chrome'], ['b1', 2, 'Safari'],
    ['b2', 0, 'Safari'], ['b2', 2, 'Safari'],
    ['b3', 1, null],
  ]) {
    client.capture({ distinctId: id, event: 'bd visit', timestamp: at(days),
                     properties: browser ? { $browser: browser } : {} });
  }
  await client.shutdown();
  await server.waitForEvents('event=bd%20visit', 6);
  const visits = { targetEntity: { id: 'bd visit', type: 'events' },
                   returningEntity: { id: 'bd visit', type: 'events' } };
  const byBrowser = retention(visits, {
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } }).query.source;
  const answer = await query({ query: byBrowser });
  const lines = {};
  for (const cohort of answer.results) {
    (lines[cohort.breakdown_value] ??= []).push(cohort.values.map((cell) => cell.count));
  }
  assert.deepEqual(lines, {
    Safari: [[1, 0, 1, 0], [0, 0, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0]],
    Chrome: [[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    '': [[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  });

  const days = ['day_0', 'day_1', 'day_2', 'day_3'];
  const persons = async (interval, breakdown, source = byBrowser) => {
    const actors = await query({
      query: {
        kind: 'ActorsQuery', select: ['person', ...days],
        orderBy: ['length(appearances) DESC', 'actor_id'],
        source: { kind: 'InsightActorsQuery', interval, breakdown, source },
      },
    });
    return actors.results.map(([person, ...counted]) => [person.distinct_ids[0], counted]).sort();
  };
  assert.deepEqual(await persons(0, ['Safari']), [['b2', [1, 0, 1, 0]]]);
  assert.deepEqual(await persons(2, ['Safari']), [['b1', [1, 0, 0, 0]], ['b2', [1, 0, 0, 0]]]);
  assert.deepEqual(await persons(0, ['Chrome']), [['b1', [1, 1, 0, 0]]]);
  assert.deepEqual(await persons(1, ['']), [['b3', [1, 0, 0, 0]]], 'the missing value');
  assert.deepEqual(await persons(1, ['Firefox']), [], 'a value never seen lists nobody');
  // Every cell of every line: its persons counted at each offset are the cell's count.
  for (const [value, rows] of Object.entries(lines)) {
    for (let c = 0; c < rows.length; c += 1) {
      const listed = await persons(c, [value]);
      assert.deepEqual(days.map((_, k) => listed.filter(([, counted]) => counted[k]).length),
                       rows[c], `${value} cohort ${c}`);
    }
  }
  // Without a value: the cohort over all values, b1 once.
  assert.deepEqual(await persons(0, undefined), [['b1', [1, 1, 0, 0]], ['b2', [1, 0, 1, 0]]]);

  // Past the limit the cells are summed into Other, whose label names no value: nobody, as in
  // PostHog.
  const limited = retention(visits, {
    breakdownFilter: { breakdown: '$browser', breakdown_limit: 1 } }).query.source;
  const other = (await query({ query: limited })).results.filter(
    (cohort) => cohort.breakdown_value === '$$_posthog_breakdown_other_$$');
  assert.deepEqual(other[1].values.map((cell) => cell.count), [2, 0, 0, 0]);
  assert.deepEqual(await persons(1, ['$$_posthog_breakdown_other_$$'], limited), []);

  for (const [insight, pattern] of [
    [{ kind: 'InsightActorsQuery', interval: 0, breakdown: ['Chrome'],
       source: retention(visits).query.source }, /query\.breakdown.*has no breakdown/],
    [{ kind: 'InsightActorsQuery', interval: 0, breakdown: { value: 'Chrome' }, source: byBrowser },
     /query\.breakdown/],
    [{ kind: 'InsightActorsQuery', interval: 0, breakdown: [['Chrome']], source: byBrowser },
     /query\.breakdown/],
  ]) {
    const { status, body } = await server.api('POST', '/api/projects/1/query/', { query: insight });
    assert.equal(status, 400, JSON.stringify(body));
    assert.match(body.detail, pattern);
  }
});
