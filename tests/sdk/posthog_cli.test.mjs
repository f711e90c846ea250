// PostHog's own API client, unmodified: the node CLI of npm's @posthog/cli
// (lib/posthog-api-cli.mjs, the tool surface of PostHog's MCP server) pointed at Hoglet with a
// personal API key. Its start-up probes (organization, project, user), its query tools and its
// insight and dashboard tools must work as they do against PostHog.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN, PERSONAL_API_KEY } from './hoglet_server.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const CLI = join(dirname(require.resolve('@posthog/cli/package.json')), 'lib',
                 'posthog-api-cli.mjs');

let server;
before(async () => {
  server = await startHoglet();
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = new Date();
  for (const [id, plan, browser, count] of [['u1', 'pro', 'Chrome', 3], ['u2', 'free', 'Safari', 1]]) {
    client.identify({ distinctId: id, properties: { plan } });
    for (let i = 0; i < count; ++i) {
      client.capture({ distinctId: id, event: 'report viewed', timestamp: now,
                       properties: { $browser: browser } });
    }
    client.capture({ distinctId: id, event: 'signed up', timestamp: now });
  }
  await client.shutdown();
  await server.waitForEvents('event=report%20viewed', 4);
  await server.waitForEvents('event=signed%20up', 2);
});
after(async () => {
  assert.equal(await server.stop(), 0);
});

// Runs `posthog-cli api call --json <tool> <input>` against the server; its JSON answer and what
// it wrote to stderr (where it reports failed requests). `flags` go before the tool (e.g. the
// --confirm its destructive tools ask for).
async function call(tool, input, flags = []) {
  const env = { ...process.env, POSTHOG_CLI_HOST: server.host, POSTHOG_CLI_API_KEY: PERSONAL_API_KEY,
                POSTHOG_CLI_PROJECT_ID: '1' };
  // The CLI's own analytics stay off: nothing leaves the machine.
  delete env.POSTHOG_ANALYTICS_API_KEY;
  delete env.POSTHOG_ANALYTICS_HOST;
  const { stdout, stderr } = await run(process.execPath,
                                       [CLI, 'call', ...flags, '--json', tool, JSON.stringify(input)],
                                       { env, timeout: 60_000, maxBuffer: 16 << 20 });
  return { answer: JSON.parse(stdout), stderr };
}

test('query-trends: series, a formula and a comparison, with no failed request', async () => {
  const { answer, stderr } = await call('query-trends', {
    series: [{ kind: 'EventsNode', event: 'report viewed' },
             { kind: 'EventsNode', event: 'signed up' }],
    dateRange: { date_from: '-7d' },
  });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.deepEqual(answer.results.map((r) => [r.label, r.count]),
                   [['report viewed', 4], ['signed up', 2]]);
  assert.equal(answer.results[0].days.length, 8);

  const ratio = await call('query-trends', {
    series: [{ kind: 'EventsNode', event: 'report viewed' },
             { kind: 'EventsNode', event: 'signed up' }],
    dateRange: { date_from: '-7d' },
    trendsFilter: { formulaNodes: [{ formula: 'A / B', custom_name: 'views per signup' }] },
    compareFilter: { compare: true },
  });
  assert.deepEqual(ratio.answer.results.map((r) => [r.label, r.compare_label, r.count]),
                   [['views per signup', 'current', 2], ['views per signup', 'previous', 0]]);
});

test('query-trends: person filters and breakdowns', async () => {
  const { answer } = await call('query-trends', {
    series: [{ kind: 'EventsNode', event: 'report viewed', math: 'dau' }],
    dateRange: { date_from: '-7d' },
    trendsFilter: { display: 'ActionsTable' },
    breakdownFilter: { breakdowns: [{ property: 'plan', type: 'person' }] },
  });
  // Equal totals rank by value.
  assert.deepEqual(answer.results.map((r) => [r.breakdown_value, r.aggregated_value]),
                   [[['free'], 1], [['pro'], 1]]);
  assert.deepEqual(answer.results.map((r) => r.label), ['free', 'pro']);
  const pro = await call('query-trends', {
    series: [{ kind: 'EventsNode', event: 'report viewed' }],
    dateRange: { date_from: '-7d' },
    properties: [{ key: 'plan', value: ['pro'], operator: 'exact', type: 'person' }],
  });
  assert.equal(pro.answer.results[0].count, 3);
});

test('query-retention: today\'s sign-ups form the last cohort', async () => {
  const { answer, stderr } = await call('query-retention', {
    retentionFilter: {
      period: 'Day',
      totalIntervals: 3,
      targetEntity: { id: 'signed up', name: 'signed up', type: 'events' },
      returningEntity: { id: 'report viewed', name: 'report viewed', type: 'events' },
      retentionType: 'retention_first_time',
    },
    dateRange: { date_from: '-2d' },
  });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.deepEqual(answer.results.map((cohort) => [cohort.label, cohort.values.map((v) => v.count)]),
                   [['Day 0', [0, 0, 0]], ['Day 1', [0, 0, 0]], ['Day 2', [2, 0, 0]]]);
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(answer.results[2].date, `${today}T00:00:00Z`);

  const actors = await call('query-retention-actors', {
    source: {
      kind: 'RetentionQuery',
      retentionFilter: {
        period: 'Day',
        totalIntervals: 3,
        targetEntity: { id: 'signed up', type: 'events' },
        returningEntity: { id: 'report viewed', type: 'events' },
      },
      dateRange: { date_from: '-2d' },
    },
    interval: 2,
  });
  assert.doesNotMatch(actors.stderr, /Request failed/);
  assert.deepEqual(actors.answer.results.columns, ['distinct_id', 'email', 'name', 'day_0', 'day_1',
                                                   'day_2']);
  assert.deepEqual(actors.answer.results.results.map((row) => row.join(',')).sort(),
                   ['u1,,,1,0,0', 'u2,,,1,0,0']);
});

test('query-stickiness: persons by number of active days, cumulative', async () => {
  const { answer, stderr } = await call('query-stickiness', {
    series: [{ kind: 'EventsNode', event: 'report viewed' }],
    dateRange: { date_from: '-7d' },
  });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.equal(answer.results.length, 1);
  const [line] = answer.results;
  assert.equal(line.label, 'report viewed');
  assert.equal(line.count, 2);
  assert.deepEqual(line.data, [2, 0, 0, 0, 0, 0, 0, 0], 'u1 and u2 were each active on one day');
  assert.deepEqual(line.days, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(line.labels[1], '2 days');

  const more = await call('query-stickiness', {
    series: [{ kind: 'EventsNode', event: 'report viewed' }],
    dateRange: { date_from: '-7d' },
    stickinessFilter: { computedAs: 'cumulative', stickinessCriteria: { operator: 'gte', value: 2 } },
  });
  assert.deepEqual(more.answer.results[0].data.slice(0, 2), [1, 0], 'only u1 viewed twice a day');
  assert.equal(more.answer.results[0].labels[0], '1 day or more');
});

test('query-lifecycle: both persons are new today', async () => {
  const { answer, stderr } = await call('query-lifecycle', {
    series: [{ kind: 'EventsNode', event: 'report viewed' }],
    dateRange: { date_from: '-7d' },
    interval: 'day',
  });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.deepEqual(answer.results.map((r) => [r.status, r.count]),
                   [['new', 2], ['returning', 0], ['resurrecting', 0], ['dormant', 0]]);
  assert.equal(answer.results[0].data.length, 8);
  assert.equal(answer.results[0].data[7], 2);
  assert.equal(answer.results[0].label, 'report viewed - new');
});

test('query-stickiness-actors and query-lifecycle-actors: the persons behind a bar', async () => {
  const sticky = await call('query-stickiness-actors', {
    source: { kind: 'StickinessQuery', series: [{ kind: 'EventsNode', event: 'report viewed' }],
              dateRange: { date_from: '-7d' } },
    day: 1,
  });
  assert.doesNotMatch(sticky.stderr, /Request failed/);
  assert.deepEqual(sticky.answer.results.results.map((row) => row[0]).sort(), ['u1', 'u2']);

  const today = new Date().toISOString().slice(0, 10);
  const life = await call('query-lifecycle-actors', {
    source: { kind: 'LifecycleQuery', series: [{ kind: 'EventsNode', event: 'report viewed' }],
              dateRange: { date_from: '-7d' }, interval: 'day' },
    status: 'new',
    day: today,
  });
  assert.doesNotMatch(life.stderr, /Request failed/);
  assert.deepEqual(life.answer.results.results.map((row) => row[0]).sort(), ['u1', 'u2']);
});

test('the organization, project and user the CLI reads at start-up', async () => {
  const organization = await call('organization-get', {});
  assert.equal(typeof organization.answer.id, 'string');
  assert.ok(Array.isArray(organization.answer.teams));
  const other = await server.api('GET', '/api/organizations/01890000-0000-7000-8000-000000000000/');
  assert.equal(other.status, 404, 'another organization is not found');
  const project = await call('project-get', {});
  assert.equal(project.answer.id, 1);
  assert.match(project.answer.api_token, /^phc_/);
});

test('query-trends-actors: the persons behind a day and a breakdown value', async () => {
  const source = {
    kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'report viewed' }],
    dateRange: { date_from: '-7d' },
    breakdownFilter: { breakdowns: [{ property: '$browser', type: 'event' }] },
  };
  const today = new Date().toISOString().slice(0, 10);
  const { answer, stderr } = await call('query-trends-actors', { source, day: today });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.deepEqual(answer.results.columns,
                   ['distinct_id', 'email', 'name', 'event_count', 'recordings']);
  assert.deepEqual(answer.results.results, [['u1', null, null, 3, []], ['u2', null, null, 1, []]]);
  assert.equal(answer.hasMore, false);
  const chrome = await call('query-trends-actors', { source, day: today, breakdown: ['Chrome'] });
  assert.deepEqual(chrome.answer.results.results, [['u1', null, null, 3, []]]);
});

test('query-paths: the custom events each person went through, as step-numbered edges', async () => {
  const { answer, stderr } = await call('query-paths', {
    pathsFilter: { includeEventTypes: ['custom_event'] },
    dateRange: { date_from: '-7d' },
  });
  assert.doesNotMatch(stderr, /Request failed/);
  // Both users' reports were viewed when they signed up: at one time, steps are ordered by name.
  assert.deepEqual(answer.results, [{ source: '1_report viewed', target: '2_signed up', value: 2,
                                      average_conversion_time: 0 }]);
});

test('query-paths-actors: the persons behind an edge of a paths insight', async () => {
  const source = { kind: 'PathsQuery', dateRange: { date_from: '-7d' },
                   pathsFilter: { includeEventTypes: ['custom_event'],
                                  pathStartKey: '1_report viewed', pathEndKey: '2_signed up' } };
  const { answer, stderr } = await call('query-paths-actors', { source });
  assert.doesNotMatch(stderr, /Request failed/);
  assert.deepEqual(answer.results.columns, ['distinct_id', 'email', 'name', 'event_count', 'recordings']);
  assert.deepEqual(answer.results.results.map((row) => row[0]).sort(), ['u1', 'u2']);
  assert.deepEqual(answer.results.results.map((row) => row[3]), [1, 1]);
});

test('query-funnel-actors: the persons who reached a step, of a breakdown value, and who dropped off', async () => {
  const source = {
    kind: 'FunnelsQuery', dateRange: { date_from: '-7d' },
    series: [{ kind: 'EventsNode', event: 'report viewed' },
             { kind: 'EventsNode', event: 'signed up' }],
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  };
  const reached = await call('query-funnel-actors', { source, funnelStep: 2 });
  assert.doesNotMatch(reached.stderr, /Request failed/);
  assert.deepEqual(reached.answer.results.columns, ['distinct_id', 'email', 'name', 'recordings']);
  assert.deepEqual(reached.answer.results.results.map((row) => row[0]).sort(), ['u1', 'u2']);
  assert.equal(reached.answer.hasMore, false);
  const chrome = await call('query-funnel-actors', { source, funnelStep: 2,
                                                     funnelStepBreakdown: ['Chrome'] });
  assert.deepEqual(chrome.answer.results.results, [['u1', null, null, []]]);
  const dropped = await call('query-funnel-actors', { source, funnelStep: -2 });
  assert.deepEqual(dropped.answer.results.results, []);
});

test('insight and dashboard tools: create, place on a dashboard, read back with results', async () => {
  const dashboard = await call('dashboard-create', { name: 'Reports', description: 'What is read' });
  assert.doesNotMatch(dashboard.stderr, /Request failed/);
  assert.equal(typeof dashboard.answer.id, 'number');
  assert.equal(dashboard.answer.name, 'Reports');

  const query = {
    kind: 'InsightVizNode',
    source: { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'report viewed' }],
              dateRange: { date_from: '-7d' } },
  };
  const created = await call('insight-create', { name: 'Report views', query });
  assert.doesNotMatch(created.stderr, /Request failed/);
  assert.match(created.answer.short_id, /^[0-9A-Za-z]{8}$/);
  assert.deepEqual(created.answer.query, query);

  const placed = await call('insight-update', { id: created.answer.id,
                                                dashboards: [dashboard.answer.id] });
  assert.doesNotMatch(placed.stderr, /Request failed/);
  assert.deepEqual(placed.answer.dashboards, [dashboard.answer.id]);

  // By short id, the CLI finds the insight through the list's short_id filter, then runs its
  // query through /query/.
  const ran = await call('insight-query', { insightId: created.answer.short_id,
                                            output_format: 'json' });
  assert.doesNotMatch(ran.stderr, /Request failed/);
  assert.equal(ran.answer.insight.id, created.answer.id);
  assert.deepEqual(ran.answer.results.map((r) => [r.label, r.count]), [['report viewed', 4]]);

  const listed = await call('insights-list', { search: 'report' });
  assert.deepEqual(listed.answer.results.map((i) => [i.id, i.dashboards]),
                   [[created.answer.id, [dashboard.answer.id]]]);

  const shown = await call('dashboard-get', { id: dashboard.answer.id });
  assert.doesNotMatch(shown.stderr, /Request failed/);
  assert.equal(shown.answer.tiles.length, 1);
  assert.equal(shown.answer.tiles[0].insight.id, created.answer.id);
  assert.equal(shown.answer.tiles[0].insight.name, 'Report views');

  // The dashboard with its tiles' results, computed from the events posthog-node sent.
  const fresh = await server.api('GET', `/api/projects/1/dashboards/${dashboard.answer.id}/?refresh=blocking`);
  assert.equal(fresh.status, 200);
  const result = fresh.body.tiles[0].insight.result;
  assert.deepEqual(result.map((r) => [r.label, r.count]), [['report viewed', 4]]);
  assert.equal(result[0].days.length, 8);

  // Soft delete through the CLI; a hard DELETE is refused as PostHog does.
  const hard = await server.api('DELETE', `/api/projects/1/insights/${created.answer.id}/`);
  assert.equal(hard.status, 405);
  await call('insight-delete', { id: created.answer.id }, ['--confirm']);
  const after = await server.api('GET', `/api/projects/1/dashboards/${dashboard.answer.id}/`);
  assert.equal(after.body.tiles.length, 0);
});

test('annotation tools: create, list, update, retrieve, delete', async () => {
  const created = await call('annotation-create', { content: 'Release 2.0',
                                                    date_marker: '2026-03-01T09:30:00Z',
                                                    scope: 'project', emoji: '🚀' });
  assert.doesNotMatch(created.stderr, /Request failed/);
  assert.equal(typeof created.answer.id, 'number');
  assert.equal(created.answer.content, 'Release 2.0');
  assert.equal(Date.parse(created.answer.date_marker), Date.parse('2026-03-01T09:30:00Z'));
  assert.equal(created.answer.scope, 'project');
  await call('annotation-create', { content: 'Incident', date_marker: '2026-02-01T00:00:00Z',
                                    scope: 'organization' });

  const listed = await call('annotations-list', { search: 'release' });
  assert.doesNotMatch(listed.stderr, /Request failed/);
  assert.deepEqual(listed.answer.results.map((a) => a.content), ['Release 2.0']);
  assert.equal(listed.answer.results[0].created_by.email !== undefined, true);
  const all = await call('annotations-list', {});
  assert.deepEqual(all.answer.results.map((a) => a.content), ['Release 2.0', 'Incident']);

  const updated = await call('annotations-partial-update', { id: created.answer.id,
                                                             content: 'Release 2.0.1' });
  assert.doesNotMatch(updated.stderr, /Request failed/);
  assert.equal(updated.answer.content, 'Release 2.0.1');
  const retrieved = await call('annotation-retrieve', { id: created.answer.id });
  assert.equal(retrieved.answer.content, 'Release 2.0.1');
  assert.equal(retrieved.answer.emoji, '🚀');

  await call('annotation-delete', { id: created.answer.id }, ['--confirm']);
  const after = await call('annotations-list', {});
  assert.deepEqual(after.answer.results.map((a) => a.content), ['Incident']);
});

test('dashboard-insights-run: the tiles\' results, under a filters_override for one call', async () => {
  const dashboard = await call('dashboard-create', { name: 'Browsers' });
  const query = {
    kind: 'InsightVizNode',
    source: { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'report viewed' }],
              dateRange: { date_from: '-7d' } },
  };
  const created = await call('insight-create', { name: 'Views by browser', query });
  await call('insight-update', { id: created.answer.id, dashboards: [dashboard.answer.id] });
  const tiles = (await server.api('GET', `/api/projects/1/dashboards/${dashboard.answer.id}/`))
    .body.tiles;

  const ran = await call('dashboard-insights-run', { id: dashboard.answer.id, refresh: 'blocking',
                                                     output_format: 'json' });
  assert.doesNotMatch(ran.stderr, /Request failed/);
  assert.equal(ran.answer.results.length, 1);
  assert.equal(ran.answer.results[0].id, tiles[0].id);
  assert.equal(ran.answer.results[0].insight.short_id, created.answer.short_id);
  assert.deepEqual(ran.answer.results[0].insight.result.map((r) => [r.label, r.count]),
                   [['report viewed', 4]]);

  // Only Chrome's views (u1's three), over the last 14 days, for this call only.
  const chrome = await call('dashboard-insights-run', {
    id: dashboard.answer.id, refresh: 'blocking', output_format: 'json',
    filters_override: { date_from: '-14d',
                        properties: [{ key: '$browser', value: ['Chrome'], operator: 'exact',
                                       type: 'event' }] },
  });
  assert.doesNotMatch(chrome.stderr, /Request failed/);
  const result = chrome.answer.results[0].insight.result;
  assert.deepEqual(result.map((r) => [r.label, r.count]), [['report viewed', 3]]);
  assert.equal(result[0].days.length, 15);
  const shown = await call('dashboard-get', { id: dashboard.answer.id,
                                              filters_override: { date_from: '-14d' } });
  assert.equal(shown.answer.filters.date_from, '-14d');
  const stored = await server.api('GET', `/api/projects/1/dashboards/${dashboard.answer.id}/`);
  assert.deepEqual(stored.body.filters, {}, 'an override is not saved');
});
