// EventsQuery (the events table of PostHog's web app) over data sent by the real posthog-node SDK,
// read through PostHog's query API: the "*" and "person" columns, aggregates with their implied
// GROUP BY, `-- label` columns, where / properties / event / personId / actionId, the default
// -24h window and after / before, the order, limit, offset and hasMore, and 400s naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';

let server;
before(async () => {
  server = await startHoglet();
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  const at = (secondsAgo) => new Date(now - secondsAgo * 1000);
  client.capture({ distinctId: 'eq-a', event: '$pageview', timestamp: at(50),
                   properties: { $browser: 'Chrome', $current_url: '/a' } });
  client.capture({ distinctId: 'eq-a', event: '$pageview', timestamp: at(40),
                   properties: { $browser: 'Chrome', $current_url: '/b' } });
  client.capture({ distinctId: 'eq-b', event: '$pageview', timestamp: at(30),
                   properties: { $browser: 'Firefox' } });
  client.capture({ distinctId: 'eq-b', event: 'eq signup', timestamp: at(20),
                   properties: { plan: 'pro' } });
  // Three days ago: outside the default window of the last 24 hours.
  client.capture({ distinctId: 'eq-old', event: '$pageview', timestamp: at(3 * 86400),
                   properties: { $browser: 'Chrome' } });
  client.identify({ distinctId: 'eq-a', properties: { email: 'a@example.com' } });
  await client.shutdown();
  await server.waitForEvents('event=%24pageview', 4);
  await server.waitForEvents('event=eq%20signup', 1);
  await server.waitForEvents('event=%24identify', 1);
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

async function events(fields, expectedStatus = 200) {
  const { status, body } = await server.api('POST', '/api/projects/1/query/',
                                            { query: { kind: 'EventsQuery', ...fields } });
  assert.equal(status, expectedStatus, JSON.stringify(body));
  return body;
}

test('the events table: "*", person, properties and timestamp, newest first', async () => {
  const answer = await events({
    select: ['*', 'event', 'person', 'properties.$browser', 'timestamp'],
    event: '$pageview',
  });
  assert.deepEqual(answer.columns, ['*', 'event', 'person', 'properties.$browser', 'timestamp']);
  assert.equal(answer.types.length, 5);
  assert.match(answer.types[0], /^Tuple\(UUID, String, String, DateTime64/);
  assert.deepEqual(answer.types.slice(1),
                   ['String', 'String', 'Nullable(String)', "DateTime64(6, 'UTC')"]);
  assert.deepEqual(answer.results.map((row) => [row[1], row[3], row[4] && 'ts']),
                   [['$pageview', 'Firefox', 'ts'], ['$pageview', 'Chrome', 'ts'],
                    ['$pageview', 'Chrome', 'ts']], 'the event three days old is left out');
  const [star, , person] = answer.results[1];
  assert.equal(star.event, '$pageview');
  assert.equal(star.distinct_id, 'eq-a');
  assert.equal(star.team_id, 1);
  assert.equal(star.properties.$browser, 'Chrome');
  assert.equal(star.properties.$current_url, '/b');
  assert.equal(star.elements_chain, '');
  assert.equal(star.person_mode, 'full');
  assert.match(star.uuid, /^[0-9a-f-]{36}$/);
  assert.equal(star.timestamp, answer.results[1][4]);
  assert.ok(Date.parse(star.created_at) >= Date.parse(star.timestamp) - 60_000);
  assert.deepEqual(Object.keys(star), ['uuid', 'event', 'properties', 'timestamp', 'team_id',
                                       'distinct_id', 'elements_chain', 'created_at',
                                       'person_mode']);
  assert.equal(person.distinct_id, 'eq-a');
  assert.equal(person.properties.email, 'a@example.com');
  assert.match(person.uuid, /^[0-9a-f-]{36}$/);
  assert.ok(person.created_at);
  assert.equal(answer.hasMore, false);
  assert.equal(answer.limit, 100);
  assert.equal(answer.offset, 0);
  assert.equal(answer.error, null);
  assert.match(answer.hogql, /ORDER BY\s+timestamp DESC/);
  assert.deepEqual(answer.modifiers, { personsOnEventsMode: 'person_id_override_properties_joined' });
});

test('aggregates group by the other columns; labels and aliases name the columns', async () => {
  const byBrowser = await events({
    select: ['properties.$browser', 'count()'], event: '$pageview', after: '-7d',
  });
  assert.deepEqual(byBrowser.results, [['Chrome', 3], ['Firefox', 1]]);
  assert.deepEqual(byBrowser.types, ['Nullable(String)', 'UInt64']);

  const labelled = await events({
    select: ['distinct_id -- Who', 'count() -- Total', 'min(timestamp) AS first_seen'],
    where: ["properties.$browser = 'Chrome'"],
  });
  assert.deepEqual(labelled.columns, ['distinct_id -- Who', 'count() -- Total', 'first_seen']);
  assert.deepEqual(labelled.results.map((row) => row.slice(0, 2)), [['eq-a', 2]]);

  // A where entry with an aggregate is a HAVING.
  const having = await events({
    select: ['distinct_id', 'count()'], where: ['count() > 1'], after: 'all',
  });
  assert.deepEqual(having.results, [['eq-a', 3], ['eq-b', 2]]);
});

test('property filters, the person, the event and the action narrow the rows', async () => {
  const firefox = await events({
    select: ['distinct_id', 'event'],
    properties: [{ key: '$browser', value: 'Firefox', operator: 'exact', type: 'event' }],
  });
  assert.deepEqual(firefox.results, [['eq-b', '$pageview']]);
  const hogql = await events({
    select: ['distinct_id', 'properties.$current_url'], orderBy: ['timestamp ASC'],
    properties: [{ type: 'hogql', key: "properties.$current_url IN ('/b', '/c') OR event = 'eq signup'" }],
  });
  assert.deepEqual(hogql.results, [['eq-a', '/b'], ['eq-b', null]]);

  const byEmail = await events({
    select: ['distinct_id', 'properties.$current_url'], orderBy: ['timestamp ASC'],
    event: '$pageview',
    fixedProperties: [{ key: 'email', value: 'a@example.com', operator: 'exact', type: 'person' }],
  });
  assert.deepEqual(byEmail.results, [['eq-a', '/a'], ['eq-a', '/b']]);

  const person = (await events({ select: ['person'], event: '$identify' })).results[0][0];
  const ofPerson = await events({ select: ['event'], personId: person.uuid,
                                  orderBy: ['timestamp ASC'] });
  assert.deepEqual(ofPerson.results, [['$pageview'], ['$pageview'], ['$identify']]);

  const created = await server.api('POST', '/api/projects/1/actions/', {
    name: 'Signed up', steps: [{ event: 'eq signup' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const signups = await events({ select: ['distinct_id', 'properties.plan'],
                                 actionId: created.body.id });
  assert.deepEqual(signups.results, [['eq-b', 'pro']]);
  // A changed action is not answered from the cache.
  const changed = await server.api('PATCH', `/api/projects/1/actions/${created.body.id}/`, {
    steps: [{ event: '$identify' }],
  });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  const identified = await events({ select: ['distinct_id', 'properties.plan'],
                                    actionId: created.body.id });
  assert.deepEqual(identified.results, [['eq-a', null]]);
});

test('after, before, order, limit, offset and hasMore', async () => {
  const all = await events({ select: ['distinct_id'], event: '$pageview', after: 'all',
                             orderBy: ['timestamp ASC'] });
  assert.deepEqual(all.results, [['eq-old'], ['eq-a'], ['eq-a'], ['eq-b']]);
  const old = await events({ select: ['distinct_id'], after: '-7d', before: '-2d' });
  assert.deepEqual(old.results, [['eq-old']]);

  const first = await events({ select: ['distinct_id'], event: '$pageview', after: 'all',
                               orderBy: ['timestamp ASC'], limit: 2 });
  assert.deepEqual(first.results, [['eq-old'], ['eq-a']]);
  assert.equal(first.hasMore, true);
  assert.equal(first.limit, 2);
  const last = await events({ select: ['distinct_id'], event: '$pageview', after: 'all',
                              orderBy: ['timestamp ASC'], limit: 2, offset: 3 });
  assert.deepEqual(last.results, [['eq-b']]);
  assert.equal(last.hasMore, false);
  assert.equal(last.offset, 3);
  const capped = await events({ select: ['event'], limit: 1_000_000 });
  assert.equal(capped.limit, 50000);

  // Without orderBy nor timestamp nor aggregates: the first column, ascending.
  const byName = await events({ select: ['distinct_id', 'event'], after: 'all' });
  assert.deepEqual(byName.results.map((row) => row[0]),
                   ['eq-a', 'eq-a', 'eq-a', 'eq-b', 'eq-b', 'eq-old']);
});

test('bad input is a 400 that names the field', async () => {
  const cases = [
    [{ select: ['nosuchcolumn'] }, /query\.select\[0\]: .*nosuchcolumn/],
    [{ select: ['event', 'count('] }, /query\.select\[1\]/],
    [{ where: ['event = '] }, /query\.where\[0\]/],
    [{ where: ['nosuchfunction(event)'] }, /query\.where\[0\]: function nosuchfunction/],
    [{ orderBy: ['nosuchcolumn DESC'] }, /query\.orderBy\[0\]/],
    [{ select: [1] }, /query\.select\[0\]: must be a string/],
    [{ limit: 'ten' }, /query\.limit/],
    [{ after: '2024-13-45' }, /query\.after/],
    [{ properties: [{ key: '$browser', operator: 'regex', value: '(' }] }, /query\.properties/],
    [{ properties: [{ type: 'hogql', key: 'event = ' }] },
     /the HogQL filter 'event = ': line 1, column \d+/],
    [{ actionId: 987654 }, /query\.actionId: action 987654 does not exist/],
    [{ personId: 'not-a-uuid' }, /query\.personId/],
  ];
  for (const [fields, pattern] of cases) {
    const body = await events(fields, 400);
    assert.match(body.detail, pattern, JSON.stringify(fields));
  }
});

test('property value suggestions: /events/values/', async () => {
  const values = async (query, expectedStatus = 200) => {
    const { status, body } = await server.api('GET', `/api/projects/1/events/values/?${query}`);
    assert.equal(status, expectedStatus, JSON.stringify(body));
    return body;
  };
  // eq-old's Chrome is three days old: within the last seven days.
  assert.deepEqual(await values('key=%24browser'), [{ name: 'Chrome' }, { name: 'Firefox' }]);
  assert.deepEqual(await values('key=%24browser&value=fire'), [{ name: 'Firefox' }]);
  assert.deepEqual(await values('key=plan&event_name=eq%20signup'), [{ name: 'pro' }]);
  assert.deepEqual(await values('key=plan&event_name=%24pageview'), []);
  assert.deepEqual(await values("key=it's%20missing"), []);
  const missing = await values('value=x', 400);
  assert.match(missing.detail, /^key: /);
});

test('property value suggestions: /persons/values/', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 10, flushInterval: 0 });
  client.identify({ distinctId: 'eq-b', properties: { email: 'b@example.com', age: 30 } });
  client.identify({ distinctId: 'eq-old', properties: { email: 'a@example.com', age: 30 } });
  await client.shutdown();
  const values = async (query, expectedStatus = 200) => {
    const { status, body } = await server.api('GET', `/api/projects/1/persons/values/?${query}`);
    assert.equal(status, expectedStatus, JSON.stringify(body));
    return body;
  };
  const emails = await server.waitFor(async () => {
    const answer = await values('key=email');
    return answer.length === 2 && answer[0].count === 2 ? answer : null;
  });
  assert.deepEqual(emails, [{ name: 'a@example.com', count: 2 }, { name: 'b@example.com', count: 1 }]);
  assert.deepEqual(await values('key=email&value=B%40EX'), [{ name: 'b@example.com', count: 1 }]);
  assert.deepEqual(await values('key=age'), [{ name: 30, count: 2 }]);
  assert.deepEqual(await values('key=nosuch'), []);
  assert.match((await values('', 400)).detail, /^key: /);
});
