// The real posthog-node SDK (gzip batches to /batch/) against a real hoglet server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';

let server;
before(async () => {
  server = await startHoglet();
});
after(async () => {
  assert.equal(await server.stop(), 0, 'hoglet exits 0 on SIGTERM');
});

test('capture, identify, alias and group identify arrive with their properties', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  client.capture({ distinctId: 'node-user', event: 'order placed', properties: { total: 42.5 } });
  client.identify({ distinctId: 'node-user', properties: { email: 'a@example.com' } });
  client.alias({ distinctId: 'node-user', alias: 'node-alias' });
  client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { plan: 'pro' } });
  await client.shutdown();

  const order = await server.waitForEvents('event=order%20placed', 1);
  assert.equal(order.length, 1);
  assert.equal(order[0].distinct_id, 'node-user');
  assert.equal(order[0].properties.total, 42.5);
  assert.equal(order[0].properties.$lib, 'posthog-node');

  const identify = await server.waitForEvents('event=%24identify', 1);
  assert.equal(identify[0].properties.$set.email, 'a@example.com');
  const alias = await server.waitForEvents('event=%24create_alias', 1);
  assert.equal(alias[0].properties.alias, 'node-alias');
  const group = await server.waitForEvents('event=%24groupidentify', 1);
  assert.equal(group[0].properties.$group_type, 'company');
  assert.equal(group[0].properties.$group_key, 'acme');
});

test('a thousand events in batches are all stored once, uuids kept', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 100, flushInterval: 0 });
  const uuids = new Set();
  for (let i = 0; i < 1000; i++) {
    const uuid = crypto.randomUUID();
    uuids.add(uuid);
    client.capture({ distinctId: `bulk-${i % 17}`, event: 'bulk', uuid, properties: { i } });
  }
  await client.shutdown();
  const stored = await server.waitForEvents('event=bulk&limit=2000', 1000);
  assert.equal(stored.length, 1000);
  assert.deepEqual(new Set(stored.map((e) => e.uuid)), uuids);
});

test('timestamps are corrected for client clock skew via sent_at', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  const when = new Date(Date.now() - 3600 * 1000);
  client.capture({ distinctId: 'clock', event: 'past event', timestamp: when });
  await client.shutdown();
  const [event] = await server.waitForEvents('event=past%20event', 1);
  const stored = new Date(event.timestamp).getTime();
  assert.ok(Math.abs(stored - when.getTime()) < 5000, `stored ${event.timestamp}`);
});
