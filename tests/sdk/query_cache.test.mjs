// The query API's refresh modes over data posthog-node sent: answers kept for the same query over
// the same data (is_cached), recomputed when an event or a person changes, computed in the
// background (async: 202 and a query_status polled by id), cancelled, and refused when unknown.
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

const QUERY = '/api/projects/1/query/';

function total(event, refresh) {
  const body = {
    query: {
      kind: 'TrendsQuery',
      dateRange: { date_from: '-1d' },
      series: [{ kind: 'EventsNode', event }],
      trendsFilter: { display: 'BoldNumber' },
    },
  };
  if (refresh !== undefined) body.refresh = refresh;
  return body;
}

async function send(events) {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  for (const [distinctId, event] of events) client.capture({ distinctId, event });
  await client.shutdown();
}

async function countNow(event) {
  const { status, body } = await server.api('POST', QUERY, total(event, 'force_blocking'));
  assert.equal(status, 200, JSON.stringify(body));
  return body.results[0].aggregated_value;
}

test('the same query over the same data is answered from the cache until the data changes',
     async () => {
  await send([['u1', 'signed up'], ['u2', 'signed up']]);
  assert.ok(await server.waitFor(async () => (await countNow('signed up')) === 2));

  const first = await server.api('POST', QUERY, total('signed up'));
  assert.equal(first.status, 200);
  const second = await server.api('POST', QUERY, total('signed up'));
  assert.equal(second.body.is_cached, true);
  assert.equal(second.body.cache_key, first.body.cache_key);
  assert.equal(second.body.results[0].aggregated_value, 2);
  assert.equal(second.body.last_refresh, first.body.last_refresh);

  const forced = await server.api('POST', QUERY, total('signed up', 'force_blocking'));
  assert.equal(forced.body.is_cached, false, 'force_blocking computes anew');

  await send([['u3', 'signed up']]);
  assert.ok(await server.waitFor(async () => {
    const { body } = await server.api('POST', QUERY, total('signed up'));
    return body.results[0].aggregated_value === 3 && body.is_cached === false;
  }), 'a new event makes the cached answer unreachable');

  const onlyCache = await server.api('POST', QUERY, total('never sent', 'force_cache'));
  assert.equal(onlyCache.status, 200);
  assert.equal(onlyCache.body.results, null, 'force_cache answers nothing it has not computed');
});

test('a merge of persons is seen at once, though no event of the query changed', async () => {
  const dau = {
    query: {
      kind: 'TrendsQuery',
      dateRange: { date_from: '-1d' },
      series: [{ kind: 'EventsNode', event: 'opened app', math: 'dau' }],
      trendsFilter: { display: 'BoldNumber' },
    },
  };
  await send([['anon-1', 'opened app'], ['user-1', 'opened app']]);
  assert.ok(await server.waitFor(async () => {
    const { body } = await server.api('POST', QUERY, dau);
    return body.results[0].aggregated_value === 2;
  }));
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.alias({ distinctId: 'user-1', alias: 'anon-1' });
  await client.shutdown();
  assert.ok(await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-1');
    return body.results[0]?.distinct_ids.includes('anon-1');
  }));
  const { body } = await server.api('POST', QUERY, dau);
  assert.equal(body.results[0].aggregated_value, 1);
});

test('async: 202 with a query status, polled by id until complete', async () => {
  await send([['u1', 'paid'], ['u2', 'paid'], ['u2', 'paid']]);
  assert.ok(await server.waitFor(async () => (await countNow('paid')) === 3));

  const body = { ...total('paid', 'force_async'), client_query_id: 'my-query-1' };
  const started = await server.api('POST', QUERY, body);
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const status = started.body.query_status;
  assert.equal(status.id, 'my-query-1');
  assert.equal(status.query_async, true);
  assert.equal(status.team_id, 1);

  const done = await server.waitFor(async () => {
    const polled = await server.api('GET', `${QUERY}my-query-1/`);
    assert.equal(polled.status, 200);
    return polled.body.query_status.complete ? polled.body.query_status : null;
  });
  assert.ok(done, 'the background query completes');
  assert.equal(done.error, false);
  assert.equal(done.results.results[0].aggregated_value, 3);
  assert.ok(done.end_time >= done.start_time);

  const cached = await server.api('POST', QUERY, total('paid', 'async'));
  assert.equal(cached.status, 200, 'async answers a cached answer at once');
  assert.equal(cached.body.is_cached, true);

  const environment = await server.api('GET', `/api/environments/1/query/my-query-1/`);
  assert.equal(environment.status, 200);
  assert.equal((await server.api('GET', `${QUERY}no-such-query/`)).status, 404);
  assert.equal((await server.api('DELETE', `${QUERY}no-such-query/`)).status, 404);
  assert.equal((await server.api('DELETE', `${QUERY}my-query-1/`)).status, 204);
});

test('an unknown refresh mode is a 400 that lists the modes', async () => {
  const { status, body } = await server.api('POST', QUERY, total('paid', 'sometimes'));
  assert.equal(status, 400);
  assert.match(body.detail, /refresh: must be one of blocking, force_blocking, async/);
});
