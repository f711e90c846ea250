// Identity with the real posthog-node SDK: anonymous activity followed by identify, alias and
// merges shows up as one person with all their events; projects never see each other's data.
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

async function personOf(distinctId) {
  return server.waitFor(async () => {
    const { status, body } = await server.api(
      'GET', `/api/projects/1/persons/?distinct_id=${encodeURIComponent(distinctId)}`);
    assert.equal(status, 200);
    return body.results[0];
  });
}

test('anonymous browsing then identify is one person with every event', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'anon-7', event: 'viewed pricing', properties: { page: 1 } });
  client.capture({ distinctId: 'anon-7', event: 'viewed pricing', properties: { page: 2 } });
  await client.flush();
  client.capture({
    distinctId: 'user-7',
    event: '$identify',
    properties: { $anon_distinct_id: 'anon-7', $set: { email: 'seven@example.com' } },
  });
  client.capture({ distinctId: 'user-7', event: 'signed up' });
  await client.shutdown();

  const person = await server.waitFor(async () => {
    const p = await personOf('user-7');
    return p && p.distinct_ids.includes('anon-7') ? p : null;
  });
  assert.ok(person, 'the identified person holds the anonymous id');
  assert.deepEqual([...person.distinct_ids].sort(), ['anon-7', 'user-7']);
  assert.equal(person.properties.email, 'seven@example.com');
  assert.equal(person.is_identified, true);
  assert.equal((await personOf('anon-7')).uuid, person.uuid);

  const events = await server.waitForEvents(`person_id=${person.uuid}`, 4);
  assert.deepEqual(events.map((e) => e.event).sort(),
                   ['$identify', 'signed up', 'viewed pricing', 'viewed pricing']);
});

test('alias adds an id; identified persons are not merged by identify', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  // Identify merges an anonymous id into each, which marks both persons identified.
  client.identify({ distinctId: 'alice',
                    properties: { $anon_distinct_id: 'alice-anon', $set: { name: 'Alice' } } });
  client.identify({ distinctId: 'bob',
                    properties: { $anon_distinct_id: 'bob-anon', $set: { name: 'Bob' } } });
  await client.flush();
  client.alias({ distinctId: 'alice', alias: 'alice-device' });
  await client.flush();
  // bob is identified: an $identify claiming him as alice's anonymous id must not merge them.
  client.capture({ distinctId: 'alice', event: '$identify',
                   properties: { $anon_distinct_id: 'bob' } });
  await client.shutdown();

  const alice = await server.waitFor(async () => {
    const p = await personOf('alice');
    return p && p.distinct_ids.includes('alice-device') ? p : null;
  });
  assert.ok(alice);
  assert.equal(alice.properties.name, 'Alice');
  const bob = await personOf('bob');
  await server.waitForEvents('event=%24identify&distinct_id=alice', 1);
  assert.notEqual(bob.uuid, alice.uuid);
  const warnings = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/ingestion_warnings/');
    return body.results.find((w) => w.type === 'cannot_merge_already_identified');
  });
  assert.ok(warnings, 'the refused merge is reported as an ingestion warning');
});

test('$set, $set_once and groups', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'carol', event: 'x',
                   properties: { $set: { plan: 'free' }, $set_once: { first: 'a' } } });
  await client.flush();
  client.capture({ distinctId: 'carol', event: 'y',
                   properties: { $set: { plan: 'pro' }, $set_once: { first: 'b' } },
                   groups: { company: 'acme' } });
  client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { size: 50 } });
  await client.shutdown();

  const carol = await server.waitFor(async () => {
    const p = await personOf('carol');
    return p && p.properties.plan === 'pro' ? p : null;
  });
  assert.equal(carol.properties.first, 'a');
  const [y] = await server.waitForEvents('event=y', 1);
  assert.equal(y.properties.$group_0, 'acme');
  const types = await server.api('GET', '/api/projects/1/groups_types/');
  assert.deepEqual(types.body.map((t) => [t.group_type, t.group_type_index]), [['company', 0]]);
  const groups = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return body.results.length ? body.results : null;
  });
  assert.equal(groups[0].group_key, 'acme');
  assert.equal(groups[0].group_properties.size, 50);
});

test('two projects never see each other\'s events or persons', async () => {
  const created = await server.api('POST', '/api/projects/', { name: 'Second' });
  assert.equal(created.status, 201);
  const other = created.body;
  const client = new PostHog(other.api_token, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'carol', event: 'other project event' });
  await client.shutdown();

  const theirs = await server.waitFor(async () => {
    const { body } = await server.api('GET', `/api/projects/${other.id}/events/`);
    return body.results.length ? body.results : null;
  });
  assert.equal(theirs.length, 1);
  const ours = await server.api('GET', '/api/projects/1/events/?event=other%20project%20event');
  assert.equal(ours.body.results.length, 0);
  const theirPersons = await server.api('GET', `/api/projects/${other.id}/persons/`);
  assert.equal(theirPersons.body.results.length, 1);
  assert.notEqual(theirPersons.body.results[0].uuid, (await personOf('carol')).uuid);
});
