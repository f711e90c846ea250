// Paths over page views sent by the real posthog-node SDK ($pageview with $current_url), read
// through PostHog's query API (POST /api/projects/:id/query/): step-numbered edges with their
// weights and conversion times in ms, trailing slashes dropped, a 30-minute gap starting a new
// session, start points and cleaning, identity at query time (after an identify merge the
// anonymous page views join the person's path), and the 400s that name the field.
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

const MINUTE_MS = 60 * 1000;

function paths(pathsFilter = {}, extra = {}) {
  return {
    query: {
      kind: 'InsightVizNode',
      source: {
        kind: 'PathsQuery',
        dateRange: { date_from: '-2d' },
        pathsFilter: { includeEventTypes: ['$pageview'], ...pathsFilter },
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

const edges = (answer) => answer.results.map((e) => `${e.source} -> ${e.target}: ${e.value}`);

test('paths over posthog-node page views, before and after an identify merge', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const start = Date.now() - 5 * 60 * MINUTE_MS;
  const at = (minutes) => new Date(start + minutes * MINUTE_MS);
  for (const [id, url, minutes] of [
    ['p1', 'https://shop.test/', 0],
    ['p1', 'https://shop.test/pricing/', 1],
    ['p1', 'https://shop.test/signup', 3],
    ['p2', 'https://shop.test/', 0],
    ['p2', 'https://shop.test/pricing', 2],
    ['p2', 'https://shop.test/pricing', 2.5],  // a reload: one step
    ['p2', 'https://shop.test/docs/12', 40],  // 37.5 minutes later: a new session
    ['p2', 'https://shop.test/docs/34', 41],
    ['anon-p3', 'https://shop.test/', 100],
    ['user-p3', 'https://shop.test/pricing', 105],  // the same visitor, once identified
  ]) {
    client.capture({ distinctId: id, event: '$pageview', timestamp: at(minutes),
                     properties: { $current_url: url } });
  }
  client.capture({ distinctId: 'p1', event: 'clicked buy', timestamp: at(2) });
  await client.shutdown();
  await server.waitForEvents('event=%24pageview', 10);

  const before = await query(paths());
  assert.deepEqual(edges(before), [
    '1_https://shop.test -> 2_https://shop.test/pricing: 2',
    '1_https://shop.test/docs/12 -> 2_https://shop.test/docs/34: 1',
    '2_https://shop.test/pricing -> 3_https://shop.test/signup: 1',
  ]);
  // p1: 60 s, p2: 150 s (timed at the reload, the last of the repeated steps).
  assert.equal(before.results[0].average_conversion_time, 105000);
  assert.equal(before.results[2].average_conversion_time, 120000);
  assert.equal(before.timezone, 'UTC');
  assert.equal(typeof before.resolved_date_range.date_from, 'string');

  const client2 = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client2.capture({ distinctId: 'user-p3', event: '$identify',
                    properties: { $anon_distinct_id: 'anon-p3' } });
  await client2.shutdown();
  const merged = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-p3');
    const person = body.results[0];
    return person && person.distinct_ids.includes('anon-p3') ? person : null;
  });
  assert.ok(merged, 'anon-p3 and user-p3 are one person');

  const after = await query(paths(), '/api/environments/1/query/');
  assert.equal(after.results[0].value, 3, JSON.stringify(after.results));

  // Cleaning, then grouping: p2's two docs pages are one node, so its second session has no edge.
  const cleaning = {
    localPathCleaningFilters: [{ regex: 'https://shop\\.test', alias: 'shop' }],
    pathGroupings: ['shop/docs/*'],
  };
  const cleaned = await query(paths(cleaning));
  assert.deepEqual(edges(cleaned), ['1_shop -> 2_shop/pricing: 3',
                                    '2_shop/pricing -> 3_shop/signup: 1']);
  const fromPricing = await query(paths({ ...cleaning, startPoint: 'shop/pricing' }));
  assert.deepEqual(edges(fromPricing), ['1_shop/pricing -> 2_shop/signup: 1']);
  const events = await query(paths({ includeEventTypes: ['$pageview', 'custom_event'],
                                     startPoint: 'https://shop.test/pricing' }));
  assert.deepEqual(edges(events), [
    '1_https://shop.test/pricing -> 2_clicked buy: 1',
    '2_clicked buy -> 3_https://shop.test/signup: 1',
  ]);
});

test('the persons behind an edge, a node and a drop-off (InsightActorsQuery over a PathsQuery)', async () => {
  const actors = async (pathsFilter) => {
    const answer = await query({ query: {
      kind: 'ActorsQuery', select: ['actor', 'event_count'], orderBy: ['event_count DESC'],
      source: { kind: 'InsightActorsQuery',
                source: { kind: 'PathsQuery', dateRange: { date_from: '-2d' },
                          pathsFilter: { includeEventTypes: ['$pageview'], ...pathsFilter } } },
    } });
    assert.deepEqual(answer.columns, ['actor', 'event_count']);
    return answer.results.map(([person, count]) => `${[...person.distinct_ids].sort().join('+')}:${count}`)
      .sort();
  };
  // The merged visitor of the first test is one person with both distinct ids.
  assert.deepEqual(await actors({ pathStartKey: '1_https://shop.test',
                                  pathEndKey: '2_https://shop.test/pricing' }),
                   ['anon-p3+user-p3:1', 'p1:1', 'p2:1']);
  assert.deepEqual(await actors({ pathEndKey: '3_https://shop.test/signup' }), ['p1:1']);
  assert.deepEqual(await actors({ pathDropoffKey: '2_https://shop.test/pricing' }),
                   ['anon-p3+user-p3:1', 'p2:1']);
});

test('a malformed paths query is a 400 that names the field', async () => {
  for (const [body, pattern] of [
    [paths({ includeEventTypes: ['$click'] }), /query\.pathsFilter\.includeEventTypes\[0\]/],
    [paths({ stepLimit: -1 }), /query\.pathsFilter\.stepLimit/],
    [paths({ localPathCleaningFilters: [{ regex: '(', alias: '' }] }),
     /query\.pathsFilter\.localPathCleaningFilters\[0\]\.regex/],
    [paths({}, { funnelPathsFilter: { funnelPathType: 'funnel_path_after_step' } }),
     /query\.funnelPathsFilter/],
    [{ query: { kind: 'ActorsQuery', select: ['actor'],
                source: { kind: 'InsightActorsQuery',
                          source: { kind: 'PathsQuery', pathsFilter: { edgeLimit: 'many' } } } } },
     /query\.source\.source\.pathsFilter\.edgeLimit/],
  ]) {
    const { status, body: answer } = await server.api('POST', '/api/projects/1/query/', body);
    assert.equal(status, 400, JSON.stringify(answer));
    assert.match(answer.detail, pattern);
  }
});
