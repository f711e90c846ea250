// Paths over page views sent by the real posthog-node SDK ($pageview with $current_url), read
// through PostHog's query API (POST /api/projects/:id/query/): step-numbered edges with their
// weights and conversion times in ms, trailing slashes dropped, a 30-minute gap starting a new
// session, start points and cleaning, identity at query time (after an identify merge the
// anonymous page views join the person's path), the paths before, after and between a funnel's
// steps (funnelPathsFilter), and the 400s that name the field.
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

// Funnel paths (funnelPathsFilter): the page views of the persons at one step of a funnel, before,
// after or between its steps, the events sent by posthog-node.
test('paths before, after and between the steps of a funnel, and after a drop-off', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const start = Date.now() - 4 * 60 * MINUTE_MS;
  const at = (minutes) => new Date(start + minutes * MINUTE_MS);
  const app = (path) => `https://app.test${path}`;
  for (const [id, event, minutes, path] of [
    // f1 starts a trial at 2 and subscribes at 5.
    ['f1', '$pageview', 0, '/home'],
    ['f1', '$pageview', 1, '/pricing'],
    ['f1', 'trial started', 2],
    ['f1', '$pageview', 3, '/onboarding'],
    ['f1', '$pageview', 4, '/plans'],
    ['f1', 'subscribed', 5],
    ['f1', '$pageview', 6, '/billing'],
    ['f1', '$pageview', 7, '/settings'],
    // f2 starts a trial at 2 and never subscribes.
    ['f2', '$pageview', 0, '/home'],
    ['f2', '$pageview', 1, '/features'],
    ['f2', 'trial started', 2],
    ['f2', '$pageview', 3, '/docs'],
    ['f2', '$pageview', 50, '/help'],  // 47 minutes later, well within the funnel's 14 days
    ['f2', '$pageview', 51, '/contact'],
    // f3 is not in the funnel.
    ['f3', '$pageview', 0, '/home'],
    ['f3', '$pageview', 1, '/about'],
  ]) {
    client.capture({ distinctId: id, event, timestamp: at(minutes),
                     properties: path ? { $current_url: app(path) } : {} });
  }
  await client.shutdown();
  await server.waitForEvents('event=%24pageview', 23);
  await server.waitForEvents('event=subscribed', 1);
  await server.waitForEvents(`event=${encodeURIComponent('trial started')}`, 2);

  const funnelSource = (funnelsFilter = {}) => ({
    kind: 'FunnelsQuery',
    dateRange: { date_from: '-2d' },
    series: [{ kind: 'EventsNode', event: 'trial started' }, { kind: 'EventsNode', event: 'subscribed' }],
    funnelsFilter,
  });
  const funnelPaths = (funnelPathType, funnelStep, funnelsFilter) =>
    paths({}, { funnelPathsFilter: { funnelPathType, funnelStep, funnelSource: funnelSource(funnelsFilter) } });
  const appEdges = async (body) =>
    edges(await query(body)).map((edge) => edge.replaceAll('https://app.test', ''));

  // After the trial: f1 from 2 (one path), f2 from 2, its 47-minute gap not splitting the session.
  assert.deepEqual(await appEdges(funnelPaths('funnel_path_after_step', 1)), [
    '1_/docs -> 2_/help: 1',
    '1_/onboarding -> 2_/plans: 1',
    '2_/help -> 3_/contact: 1',
    '2_/plans -> 3_/billing: 1',
    '3_/billing -> 4_/settings: 1',
  ]);
  // Leading to the subscription: f1 up to 5.
  assert.deepEqual(await appEdges(funnelPaths('funnel_path_before_step', 2)), [
    '1_/home -> 2_/pricing: 1',
    '2_/pricing -> 3_/onboarding: 1',
    '3_/onboarding -> 4_/plans: 1',
  ]);
  // Between the trial and the subscription: f1 from 2 to 5.
  assert.deepEqual(await appEdges(funnelPaths('funnel_path_between_steps', 2)),
                   ['1_/onboarding -> 2_/plans: 1']);
  // Before the drop-off: f2 up to its trial.
  assert.deepEqual(await appEdges(funnelPaths('funnel_path_before_step', -2)),
                   ['1_/home -> 2_/features: 1']);
  // After the drop-off: from the end of a 30-minute window after f2's trial (32), so /docs (3)
  // is left out.
  assert.deepEqual(await appEdges(funnelPaths('funnel_path_after_step', -2,
                                              { funnelWindowInterval: 30, funnelWindowIntervalUnit: 'minute' })),
                   ['1_/help -> 2_/contact: 1']);

  // The persons behind a node of funnel paths.
  const answer = await query({ query: {
    kind: 'ActorsQuery', select: ['actor', 'event_count'],
    source: { kind: 'InsightActorsQuery',
              source: { kind: 'PathsQuery', dateRange: { date_from: '-2d' },
                        pathsFilter: { includeEventTypes: ['$pageview'], pathEndKey: '2_https://app.test/help' },
                        funnelPathsFilter: { funnelPathType: 'funnel_path_after_step', funnelStep: 1,
                                             funnelSource: funnelSource() } } },
  } });
  assert.deepEqual(answer.results.map(([person, count]) => `${person.distinct_ids.join('+')}:${count}`),
                   ['f2:1']);

  // Malformed funnel paths are 400s naming the field.
  for (const [funnelPathsFilter, pattern] of [
    [{ funnelPathType: 'funnel_path_after_step', funnelSource: funnelSource() },
     /query\.funnelPathsFilter\.funnelStep/],
    [{ funnelPathType: 'funnel_path_after_step', funnelStep: 3, funnelSource: funnelSource() },
     /query\.funnelPathsFilter\.funnelStep/],
    [{ funnelPathType: 'funnel_path_between_steps', funnelStep: 1, funnelSource: funnelSource() },
     /query\.funnelPathsFilter\.funnelStep/],
    [{ funnelPathType: 'funnel_path_after_step', funnelStep: 1,
       funnelSource: { ...funnelSource(), series: [] } },
     /query\.funnelPathsFilter\.funnelSource\.series/],
  ]) {
    const { status, body } = await server.api('POST', '/api/projects/1/query/', paths({}, { funnelPathsFilter }));
    assert.equal(status, 400, JSON.stringify(body));
    assert.match(body.detail, pattern);
  }
});
