// HogQL over data sent by the real posthog-node SDK, read through PostHog's query API
// (POST /api/projects/:id/query/ with a HogQLQuery): rows, columns and ClickHouse types, grouping,
// ordering and limits, null semantics of missing properties, persons at query time, the persons,
// person_distinct_ids and groups tables joined with events, subqueries, CTEs and UNION ALL, and
// the 400 that names the position of what the server does not run.
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

async function hogql(text, expectedStatus = 200) {
  const { status, body } = await server.api('POST', '/api/projects/1/query/',
                                            { query: { kind: 'HogQLQuery', query: text } });
  assert.equal(status, expectedStatus, JSON.stringify(body));
  return body;
}

test('HogQL reads the events posthog-node sent', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [id, browser, price] of [
    ['h-anon', 'Chrome', 10],
    ['h-anon', 'Chrome', 5],
    ['h-user', 'Firefox', 7],
    ['h-user', null, undefined],
    ['h-other', 'Chrome', 1],
  ]) {
    const properties = {};
    if (browser !== null) properties.$browser = browser;
    if (price !== undefined) properties.price = price;
    client.capture({ distinctId: id, event: 'hogql page', properties });
  }
  client.capture({ distinctId: 'h-other', event: 'hogql signup', properties: { plan: 'pro' } });
  await client.shutdown();
  await server.waitForEvents('event=hogql%20page', 5);
  await server.waitForEvents('event=hogql%20signup', 1);

  const grouped = await hogql(
    "select properties.$browser, count() from events where event = 'hogql page' " +
    'group by 1 order by 2 desc, 1 limit 10');
  assert.deepEqual(grouped.columns, ['$browser', 'count()']);
  assert.deepEqual(grouped.types, [['$browser', 'Nullable(String)'], ['count()', 'UInt64']]);
  assert.deepEqual(grouped.results, [['Chrome', 3], ['Firefox', 1], [null, 1]]);
  assert.equal(grouped.hasMore, false);
  assert.equal(grouped.error, null);
  assert.match(grouped.hogql, /LIMIT 10$/);

  // A missing property is NULL: `=` is false and `!=` true for it.
  const missing = await hogql(
    "SELECT countIf(properties.$browser = 'Chrome'), countIf(properties.$browser != 'Chrome'), " +
    "count(properties.$browser), countIf(properties.$browser IS NULL) FROM events " +
    "WHERE event = 'hogql page'");
  assert.deepEqual(missing.results, [[3, 2, 4, 1]]);

  // Numbers sent as numbers compare as numbers; sums need toFloat.
  const priced = await hogql(
    "SELECT sum(toFloat(properties.price)), max(toInt(properties.price)) FROM events " +
    "WHERE event = 'hogql page' AND properties.price > 4");
  assert.deepEqual(priced.results, [[22, 10]]);

  const rows = await hogql(
    "SELECT event, distinct_id, timestamp, uuid FROM events WHERE event IN ('hogql signup') " +
    'AND timestamp > now() - INTERVAL 1 DAY');
  assert.equal(rows.results.length, 1);
  const [event, distinctId, timestamp, uuid] = rows.results[0];
  assert.equal(event, 'hogql signup');
  assert.equal(distinctId, 'h-other');
  assert.ok(Math.abs(Date.parse(timestamp) - Date.now()) < 60_000, timestamp);
  assert.match(uuid, /^[0-9a-f-]{36}$/);
  assert.deepEqual(rows.types.map((t) => t[1]),
                   ['String', 'String', "DateTime64(6, 'UTC')", 'UUID']);

  const defaults = await hogql("SELECT event FROM events WHERE event LIKE 'hogql%'");
  assert.equal(defaults.limit, 100);
  assert.equal(defaults.offset, 0);
  assert.equal(defaults.results.length, 6);
  const paged = await hogql(
    "SELECT distinct_id FROM events WHERE event = 'hogql page' ORDER BY distinct_id LIMIT 2 OFFSET 1");
  assert.deepEqual(paged.results, [['h-anon'], ['h-other']]);
  const distinct = await hogql(
    "SELECT DISTINCT distinct_id FROM events WHERE event =~ '^hogql' ORDER BY distinct_id DESC");
  assert.deepEqual(distinct.results, [['h-user'], ['h-other'], ['h-anon']]);
});

test('person_id and person.properties follow identity at query time', async () => {
  const before = await hogql(
    "SELECT count(DISTINCT person_id) FROM events WHERE event = 'hogql page'");
  assert.deepEqual(before.results, [[3]]);

  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'h-user', event: '$identify',
                   properties: { $anon_distinct_id: 'h-anon', $set: { plan: 'team' } } });
  await client.shutdown();
  const merged = await server.waitFor(async () => {
    const answer = await hogql(
      "SELECT count(DISTINCT person_id) FROM events WHERE event = 'hogql page'");
    return answer.results[0][0] === 2 ? answer : null;
  });
  assert.ok(merged, 'h-anon and h-user are one person');

  const byPlan = await server.waitFor(async () => {
    const answer = await hogql(
      "SELECT person.properties.plan AS plan, count() AS c FROM events " +
      "WHERE event = 'hogql page' GROUP BY plan ORDER BY c DESC");
    return answer.results.length === 2 && answer.results[0][0] === 'team' ? answer : null;
  });
  assert.ok(byPlan, 'the merged person has plan team');
  assert.deepEqual(byPlan.results, [['team', 4], [null, 1]]);
});

test('persons, person_distinct_ids and groups join with events', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { name: 'Acme' } });
  client.capture({ distinctId: 'h-other', event: 'hogql deal', groups: { company: 'acme' } });
  client.capture({ distinctId: 'h-user', event: 'hogql deal', groups: { company: 'acme' } });
  client.capture({ distinctId: 'h-user', event: 'hogql deal' });
  await client.shutdown();
  await server.waitForEvents('event=hogql%20deal', 3);

  // The merge of the previous test shows through every table.
  const joined = await hogql(
    'SELECT p.properties.plan AS plan, count() AS c FROM events e JOIN persons p ' +
    "ON e.person_id = p.id WHERE e.event = 'hogql page' GROUP BY plan ORDER BY c DESC");
  assert.deepEqual(joined.columns, ['plan', 'c']);
  assert.deepEqual(joined.types, [['plan', 'Nullable(String)'], ['c', 'UInt64']]);
  assert.deepEqual(joined.results, [['team', 4], [null, 1]]);

  const ids = await hogql(
    'SELECT distinct_id FROM person_distinct_ids WHERE person_id IN ' +
    "(SELECT person_id FROM person_distinct_ids WHERE distinct_id = 'h-user') ORDER BY distinct_id");
  assert.deepEqual(ids.results, [['h-anon'], ['h-user']]);

  const persons = await hogql(
    'SELECT pdi.distinct_id, p.is_identified FROM persons p JOIN person_distinct_ids pdi ' +
    "ON pdi.person_id = p.id WHERE pdi.distinct_id LIKE 'h-%' ORDER BY pdi.distinct_id");
  assert.deepEqual(persons.results, [['h-anon', 1], ['h-other', 0], ['h-user', 1]]);
  assert.deepEqual(persons.types.map((t) => t[1]), ['String', 'UInt8']);

  const groups = await server.waitFor(async () => {
    const answer = await hogql("SELECT index, key, properties.name FROM groups WHERE key = 'acme'");
    return answer.results.length === 1 ? answer : null;
  });
  assert.ok(groups, 'the group acme is stored');
  assert.deepEqual(groups.results, [[0, 'acme', 'Acme']]);

  const deals = await hogql(
    'SELECT e.distinct_id, g.properties.name FROM events e LEFT JOIN groups g ' +
    "ON e.$group_0 = g.key WHERE e.event = 'hogql deal' ORDER BY e.distinct_id, g.properties.name");
  assert.deepEqual(deals.results, [['h-other', 'Acme'], ['h-user', 'Acme'], ['h-user', null]]);

  const counted = await hogql(
    "WITH deals AS (SELECT distinct_id, count() AS n FROM events WHERE event = 'hogql deal' " +
    'GROUP BY distinct_id) SELECT d.distinct_id, d.n FROM deals d ORDER BY d.n DESC LIMIT 1');
  assert.deepEqual(counted.results, [['h-user', 2]]);

  const union = await hogql(
    "SELECT key AS name FROM groups UNION ALL SELECT distinct_id FROM person_distinct_ids " +
    "WHERE distinct_id = 'h-other'");
  assert.deepEqual(union.results, [['acme'], ['h-other']]);
  assert.equal(union.limit, 100);
});

test('values, variables and filters fill placeholders', async () => {
  const { status, body } = await server.api('POST', '/api/projects/1/query/', {
    query: {
      kind: 'HogQLQuery',
      query: 'SELECT count() FROM events WHERE event = {name} AND ' +
             'properties.$browser = {variables.browser} AND {filters}',
      values: { name: 'hogql page' },
      variables: { 'v-1': { variableId: 'v-1', code_name: 'browser', value: 'Chrome' } },
      filters: { dateRange: { date_from: '-1d' } },
    },
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.deepEqual(body.results, [[3]]);

  const future = await server.api('POST', '/api/projects/1/query/', {
    query: { kind: 'HogQLQuery', query: "SELECT count() FROM events WHERE {filters}",
             filters: { dateRange: { date_from: '2099-01-01' } } },
  });
  assert.equal(future.status, 200, JSON.stringify(future.body));
  assert.deepEqual(future.body.results, [[0]]);

  const missing = await hogql('SELECT {nope}', 400);
  assert.match(missing.detail, /line 1, column 8: placeholder \{nope\} has no value/);
});

test('what the server does not run is a 400 that names its position', async () => {
  const join = await hogql('SELECT event FROM events FULL JOIN persons ON 1 = 1', 400);
  assert.match(join.detail, /line 1, column \d+: FULL JOIN is not supported/);
  const table = await hogql('SELECT id FROM sessions', 400);
  assert.match(table.detail, /line 1, column 16: table 'sessions' is not supported/);
  const fn = await hogql('SELECT\n  nosuchfunction(event) FROM events', 400);
  assert.match(fn.detail, /line 2, column 3: function nosuchfunction\(\) is not supported/);
  const syntax = await hogql('SELECT FROM WHERE', 400);
  assert.match(syntax.detail, /line 1/);
  const window = await hogql('SELECT row_number() OVER () FROM events', 400);
  assert.match(window.detail, /window functions/);
});
