// Stickiness and lifecycle over data sent by the real posthog-node SDK on several days, read
// through PostHog's query API (POST /api/projects/:id/query/): actors by number of active days,
// identity at query time (after an identify merge the merged person counts once, with its
// anonymous days), the groups a lifecycle or a unique-groups series counts and the groups behind
// their bars, and the 400s that name the field.
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
// 01:00 UTC `n` days before today (the server's projects are in UTC).
const daysAgo = (n) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - n * DAY_MS + 3600 * 1000);

async function query(source, path = '/api/projects/1/query/') {
  const { status, body } = await server.api('POST', path,
                                            { query: source, refresh: 'force_blocking' });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function identify(distinctId, anonId) {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId, event: '$identify', properties: { $anon_distinct_id: anonId } });
  await client.shutdown();
  const merged = await server.waitFor(async () => {
    const { body } = await server.api('GET', `/api/projects/1/persons/?distinct_id=${distinctId}`);
    const person = body.results[0];
    return person && person.distinct_ids.includes(anonId) ? person : null;
  });
  assert.ok(merged, `${anonId} and ${distinctId} are one person`);
}

const stickiness = (extra = {}) => ({
  kind: 'StickinessQuery',
  dateRange: { date_from: '-7d' },
  series: [{ kind: 'EventsNode', event: 'sticky view' }],
  ...extra,
});

test('stickiness over posthog-node events, before and after an identify merge', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [id, days] of [['anon-s1', [5]], ['user-s1', [4, 3]], ['s2', [2, 2, 1]], ['s3', [6]],
                            ['s4', [9]]]) {
    for (const n of days) client.capture({ distinctId: id, event: 'sticky view', timestamp: daysAgo(n) });
  }
  await client.shutdown();
  await server.waitForEvents('event=sticky%20view', 8);

  const before = await query(stickiness());
  assert.equal(before.results.length, 1);
  const [line] = before.results;
  // anon-s1 1 day, user-s1 2, s2 2, s3 1; s4 is before the range.
  assert.deepEqual(line.data, [2, 2, 0, 0, 0, 0, 0, 0]);
  assert.equal(line.count, 4);
  assert.deepEqual(line.days, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(line.labels[0], '1 day');
  assert.equal(line.labels[1], '2 days');
  assert.equal(line.label, 'sticky view');
  assert.equal(line.action.id, 'sticky view');
  assert.equal(line.action.order, 0);

  await identify('user-s1', 'anon-s1');
  const after = await query({ kind: 'InsightVizNode', source: stickiness() },
                            '/api/environments/1/query/');
  assert.deepEqual(after.results[0].data, [1, 1, 1, 0, 0, 0, 0, 0],
                   'the merged person counts once, active on three days');
  assert.equal(after.results[0].count, 3);

  const cumulative = await query(stickiness({ stickinessFilter: { computedAs: 'cumulative' } }));
  assert.deepEqual(cumulative.results[0].data, [3, 2, 1, 0, 0, 0, 0, 0]);
  assert.equal(cumulative.results[0].labels[0], '1 day or more');

  const criteria = await query(stickiness({
    stickinessFilter: { stickinessCriteria: { operator: 'gte', value: 2 } } }));
  assert.deepEqual(criteria.results[0].data, [1, 0, 0, 0, 0, 0, 0, 0], 's2 twice on one day');

  // The persons behind a bar (InsightActorsQuery with `day` the number of days).
  const bar = await query({ kind: 'ActorsQuery', select: ['actor'],
                            source: { kind: 'InsightActorsQuery', day: 3, source: stickiness() } });
  assert.equal(bar.results.length, 1);
  assert.ok(bar.results[0][0].distinct_ids.includes('anon-s1'), JSON.stringify(bar.results));
  const twoDays = await query({ kind: 'InsightActorsQuery', day: 2, source: stickiness() });
  assert.deepEqual(twoDays.results.map((row) => row[0].distinct_ids), [['s2']]);

  const compared = await query(stickiness({ compareFilter: { compare: true } }));
  assert.deepEqual(compared.results.map((r) => [r.compare_label, r.count]),
                   [['current', 3], ['previous', 1]]);
});

test('a malformed stickiness query is a 400 that names the field', async () => {
  for (const [source, pattern] of [
    [stickiness({ intervalCount: 0 }), /query\.intervalCount/],
    [stickiness({ interval: 'fortnight' }), /query\.interval/],
    [stickiness({ stickinessFilter: { computedAs: 'sometimes' } }),
     /query\.stickinessFilter\.computedAs/],
    [stickiness({ series: [{ kind: 'EventsNode', event: 'x', math: 'nonsense' }] }),
     /query\.series\[0\]\.math/],
  ]) {
    const { status, body } = await server.api('POST', '/api/projects/1/query/', { query: source });
    assert.equal(status, 400, JSON.stringify(body));
    assert.match(body.detail, pattern);
  }
});

const lifecycle = (extra = {}) => ({
  kind: 'LifecycleQuery',
  dateRange: { date_from: '-7d' },
  interval: 'day',
  series: [{ kind: 'EventsNode', event: 'life view' }],
  ...extra,
});

// Each status's data, in the answer's order (new, returning, resurrecting, dormant).
const statuses = (answer) => answer.results.map((r) => [r.status, r.data]);

test('lifecycle over posthog-node events: new by creation, dormant negative, one merged person',
     async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [id, days, properties] of [
    ['anon-l1', [5], {}], ['user-l1', [4, 2], {}], ['l2', [3], {}],
    ['l3', [3], { $process_person_profile: false }],  // personless: left out
  ]) {
    for (const n of days) {
      client.capture({ distinctId: id, event: 'life view', timestamp: daysAgo(n), properties });
    }
  }
  await client.shutdown();
  await server.waitForEvents('event=life%20view', 5);

  // Buckets: 7 days ago … today; day n ago is index 7 − n.
  const before = await query(lifecycle());
  assert.deepEqual(statuses(before), [
    ['new', [0, 0, 1, 1, 1, 0, 0, 0]],
    ['returning', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['resurrecting', [0, 0, 0, 0, 0, 1, 0, 0]],
    ['dormant', [0, 0, 0, -1, -1, -1, -1, 0]],
  ]);
  const [first] = before.results;
  assert.equal(first.label, 'life view - new');
  assert.equal(first.count, 3);
  assert.equal(first.days.length, 8);
  assert.equal(first.action.id, 'life view');
  assert.equal(before.results[3].count, -4);

  await identify('user-l1', 'anon-l1');
  const after = await query({ kind: 'InsightVizNode', source: lifecycle() },
                            '/api/environments/1/query/');
  // One person created 5 days ago: new then, returning 4, dormant 3, resurrecting 2, dormant 1.
  assert.deepEqual(statuses(after), [
    ['new', [0, 0, 1, 0, 1, 0, 0, 0]],
    ['returning', [0, 0, 0, 1, 0, 0, 0, 0]],
    ['resurrecting', [0, 0, 0, 0, 0, 1, 0, 0]],
    ['dormant', [0, 0, 0, 0, -1, -1, -1, 0]],
  ]);
});

test('the persons behind a lifecycle bar', async () => {
  const day = (n) => daysAgo(n).toISOString().slice(0, 10);
  const bar = async (status, n) => {
    const answer = await query({ kind: 'ActorsQuery', select: ['actor'],
                                 source: { kind: 'InsightActorsQuery', status, day: day(n),
                                           source: lifecycle() } });
    return answer.results.map((row) => [...row[0].distinct_ids].sort());
  };
  assert.deepEqual(await bar('dormant', 3), [['anon-l1', 'user-l1']]);
  assert.deepEqual(await bar('new', 3), [['l2']]);
  assert.deepEqual(await bar('resurrecting', 2), [['anon-l1', 'user-l1']]);
  assert.deepEqual(await bar('returning', 3), []);
  const { status, body } = await server.api('POST', '/api/projects/1/query/', {
    query: { kind: 'InsightActorsQuery', status: 'zombie', day: day(3), source: lifecycle() } });
  assert.equal(status, 400, JSON.stringify(body));
  assert.match(body.detail, /query\.status/);
});

test('a malformed lifecycle query is a 400 that names the field', async () => {
  for (const [source, pattern] of [
    [lifecycle({ series: [] }), /query\.series/],
    [lifecycle({ interval: 'fortnight' }), /query\.interval/],
    [lifecycle({ lifecycleFilter: { toggledLifecycles: ['zombie'] } }),
     /query\.lifecycleFilter\.toggledLifecycles\[0\]/],
    [lifecycle({ aggregation_group_type_index: 7 }), /query\.aggregation_group_type_index/],
  ]) {
    const { status, body } = await server.api('POST', '/api/projects/1/query/', { query: source });
    assert.equal(status, 400, JSON.stringify(body));
    assert.match(body.detail, pattern);
  }
});

// Company acme (created 5 days ago) active 5, 4 and 2 days ago; globex (created 6 days ago)
// 3 days ago; initech, which has no group record, 4 days ago.
test('the lifecycle and stickiness of groups, and the groups behind their bars', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [key, name, created] of [['acme', 'Acme', 5], ['globex', 'Globex', 6]]) {
    client.capture({ distinctId: `company-${key}`, event: '$groupidentify', timestamp: daysAgo(created),
                     properties: { $group_type: 'company', $group_key: key,
                                   $group_set: { name } } });
  }
  for (const [id, company, n] of [['o1', 'acme', 5], ['o1', 'acme', 4], ['o2', 'acme', 2],
                                  ['o3', 'globex', 3], ['o4', 'initech', 4]]) {
    client.capture({ distinctId: id, event: 'org view', timestamp: daysAgo(n), groups: { company } });
  }
  await client.shutdown();
  await server.waitForEvents('event=org%20view', 5);
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return body.results.length === 2 ? body.results : null;
  });

  const companies = lifecycle({ series: [{ kind: 'EventsNode', event: 'org view' }],
                                aggregation_group_type_index: 0 });
  // A group is new in the period of its record's creation; initech, without one, never is.
  assert.deepEqual(statuses(await query(companies)), [
    ['new', [0, 0, 1, 0, 0, 0, 0, 0]],
    ['returning', [0, 0, 0, 1, 0, 0, 0, 0]],
    ['resurrecting', [0, 0, 0, 1, 1, 1, 0, 0]],
    ['dormant', [0, 0, 0, 0, -2, -1, -1, 0]],
  ]);
  const day = (n) => daysAgo(n).toISOString().slice(0, 10);
  const bar = (status, n, source) => query({ kind: 'ActorsQuery', select: ['actor', 'id'],
                                             source: { kind: 'InsightActorsQuery', status,
                                                       day: day(n), source } });
  const resurrected = await bar('resurrecting', 3, companies);
  assert.deepEqual(resurrected.results.map(([group, id]) => [group.type, group.group_key, id,
                                                             group.group_properties.name]),
                   [['group', 'globex', 'globex', 'Globex']]);
  const noRecord = await bar('resurrecting', 4, companies);
  assert.equal(noRecord.results.length, 1);
  assert.equal(noRecord.missing_actors_count, 1);

  // A series counting unique companies: acme on three days, globex and initech on one.
  const sticky = stickiness({ series: [{ kind: 'EventsNode', event: 'org view',
                                         math: 'unique_group', math_group_type_index: 0 }] });
  assert.deepEqual((await query(sticky)).results[0].data, [2, 0, 1, 0, 0, 0, 0, 0]);
  const threeDays = await query({ kind: 'ActorsQuery', select: ['actor'],
                                  source: { kind: 'InsightActorsQuery', day: 3, source: sticky } });
  assert.deepEqual(threeDays.results.map(([group]) => [group.type, group.group_key]),
                   [['group', 'acme']]);
});
