// PostHog's agent tools, unmodified: npm's @posthog/agent-toolkit (the tool surface of PostHog's
// MCP server) run in-process against Hoglet with a personal API key, no model in the loop. Each
// tool is called as the MCP server calls it: its input schema parses the arguments, its handler
// runs with the toolkit's own context (API client, state manager, cache), and the handler's zod
// schemas validate every answer — a missing field or a wrong shape is a thrown "Response
// validation failed" (or a ZodError from its paginated lists), which fails the test. The numbers
// that come back are those posthog-node sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { PostHogAgentToolkit, getToolsFromContext } from '@posthog/agent-toolkit/tools';
import { startHoglet, PROJECT_TOKEN, PERSONAL_API_KEY } from './hoglet_server.mjs';

let server;
let context;
let tools;
// Every request the toolkit makes, as "METHOD path status"; any host but the server is refused.
const requests = [];
const realFetch = globalThis.fetch;

before(async () => {
  server = await startHoglet();
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = new Date();
  for (const [id, plan, browser, count] of [['u1', 'pro', 'Chrome', 3], ['u2', 'free', 'Safari', 1]]) {
    client.identify({ distinctId: id, properties: { plan } });
    for (let i = 0; i < count; ++i) {
      client.capture({ distinctId: id, event: 'report viewed', timestamp: now,
                       properties: { $browser: browser, pages: 2 } });
    }
    client.capture({ distinctId: id, event: 'signed up', timestamp: now,
                     properties: { source: 'ad' } });
  }
  for (const [model, cost] of [['gpt-4o', 0.5], ['gpt-4o', 0.25], ['claude', 1]]) {
    client.capture({ distinctId: 'u1', event: '$ai_generation', timestamp: now,
                     properties: { $ai_model: model, $ai_total_cost_usd: cost } });
  }
  await client.shutdown();
  await server.waitForEvents('event=%24ai_generation', 3);
  await server.waitForEvents('event=report%20viewed', 4);
  await server.waitForEvents('event=signed%20up', 2);

  const origin = new URL(server.host).origin;
  globalThis.fetch = async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.origin !== origin) throw new Error(`the toolkit reached outside the server: ${url}`);
    const response = await realFetch(input, init);
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search} ${response.status}`);
    return response;
  };
  const toolkit = new PostHogAgentToolkit({ posthogApiToken: PERSONAL_API_KEY,
                                            posthogApiBaseUrl: server.host });
  context = toolkit.getContext();
  // The toolkit reads the key's scopes (/api/personal_api_keys/@current) and offers the tools
  // they allow; on a failed read it offers none.
  tools = new Map((await getToolsFromContext(context)).map((tool) => [tool.name, tool]));
});
after(async () => {
  // AGENT_TOOLKIT_TRACE=1 lists the requests the tools made, with their statuses.
  if (process.env.AGENT_TOOLKIT_TRACE) console.log(requests.join('\n'));
  globalThis.fetch = realFetch;
  assert.equal(await server.stop(), 0);
});

// Runs one tool as the MCP server does; its answer parsed from the text it returns. A handler
// that throws (a failed request or a failed response validation) fails the test with the
// requests made so far.
async function call(name, args = {}) {
  const tool = tools.get(name);
  assert.ok(tool, `tool ${name} offered (offered: ${[...tools.keys()].join(', ')})`);
  const first = requests.length;
  let answer;
  try {
    answer = await tool.handler(context, tool.schema.parse(args));
  } catch (error) {
    assert.fail(`${name}: ${error.message}\n${requests.slice(first).join('\n')}`);
  }
  assert.equal(answer.content.length, 1);
  const text = answer.content[0].text;
  assert.doesNotMatch(text, /^Error/, `${name}: ${text}`);
  return text.startsWith('[') || text.startsWith('{') ? JSON.parse(text) : text;
}

const TRENDS = {
  kind: 'InsightVizNode',
  source: { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: 'report viewed',
                                            custom_name: 'Views' }],
            dateRange: { date_from: '-7d' } },
};

test('the key, the user, the organization and the projects the toolkit starts from', async () => {
  // What getToolsFromContext read; a failed validation throws here with the zod message.
  const key = await context.stateManager.getApiKey();
  assert.deepEqual([key.scopes, key.scoped_teams, key.scoped_organizations], [['*'], [], []]);
  const user = await context.stateManager.getUser();
  assert.equal(user.team.id, 1);
  assert.equal(user.organization.id, user.team.organization);
  for (const name of ['query-run', 'insight-create-from-query', 'dashboard-create',
                      'add-insight-to-dashboard', 'dashboard-get', 'create-feature-flag',
                      'feature-flag-get-all', 'feature-flag-get-definition',
                      'event-definitions-list', 'properties-list', 'organization-details-get',
                      'projects-get']) {
    assert.ok(tools.has(name), `${name} offered for the key's scopes`);
  }
  assert.equal(await context.stateManager.getProjectId(), '1');
  const organization = await call('organization-details-get');
  assert.match(organization.id, /^[0-9a-f-]{36}$/);
  assert.equal(typeof organization.name, 'string');
  assert.equal(await context.stateManager.getOrgID(), organization.id);
  const organizations = await call('organizations-get');
  assert.deepEqual(organizations.map((o) => o.id), [organization.id]);
  const projects = await call('projects-get');
  assert.deepEqual(projects.map((p) => [p.id, p.organization]), [[1, organization.id]]);
  assert.equal(await call('switch-project', { projectId: 1 }), 'Switched to project 1');

  // An unknown key is a 401, which the toolkit reads as INVALID_API_KEY and offers no tool.
  const stranger = new PostHogAgentToolkit({ posthogApiToken: 'phx_not_a_key_of_this_server',
                                             posthogApiBaseUrl: server.host }).getContext();
  await assert.rejects(stranger.stateManager.getApiKey(), /INVALID_API_KEY/);
  assert.deepEqual(await getToolsFromContext(stranger), []);
});

test('query-run: a trends query and a HogQL query over what posthog-node sent', async () => {
  const trends = await call('query-run', { query: TRENDS });
  assert.equal(trends.length, 1);
  assert.equal(trends[0].count, 4);
  assert.equal(trends[0].days.length, 8);
  assert.equal(trends[0].data.reduce((a, b) => a + b, 0), 4);
  assert.equal(trends[0].data[7], 4, 'all four views today');

  const byBrowser = await call('query-run', { query: {
    kind: 'InsightVizNode',
    source: { ...TRENDS.source, breakdownFilter: { breakdown: '$browser' },
              trendsFilter: { display: 'ActionsTable' } },
  } });
  assert.deepEqual(byBrowser.map((r) => [r.breakdown_value, r.aggregated_value]),
                   [['Chrome', 3], ['Safari', 1]]);

  const users = await call('query-run', { query: {
    kind: 'InsightVizNode',
    source: { ...TRENDS.source, series: [{ kind: 'EventsNode', event: 'report viewed',
                                          custom_name: 'Viewers', math: 'dau' }] },
  } });
  assert.equal(users[0].count, 2);

  const funnel = await call('query-run', { query: {
    kind: 'InsightVizNode',
    source: { kind: 'FunnelsQuery', dateRange: { date_from: '-7d' },
              series: [{ kind: 'EventsNode', event: 'report viewed', custom_name: 'Viewed' },
                       { kind: 'EventsNode', event: 'signed up', custom_name: 'Signed up' }] },
  } });
  assert.deepEqual(funnel.map((step) => step.count), [2, 2]);

  const hogql = await call('query-run', { query: {
    kind: 'DataVisualizationNode',
    source: { kind: 'HogQLQuery',
              query: "SELECT properties.$browser, count() FROM events WHERE event = 'report viewed' " +
                     'GROUP BY 1 ORDER BY 2 DESC' },
  } });
  assert.deepEqual(hogql, [['Chrome', 3], ['Safari', 1]]);

  const persons = await call('query-run', { query: {
    kind: 'DataVisualizationNode',
    source: { kind: 'HogQLQuery',
              query: 'SELECT person.properties.plan, count() FROM events ' +
                     "WHERE event = 'signed up' GROUP BY 1 ORDER BY 1",
              filters: { dateRange: { date_from: '-7d' } } },
  } });
  assert.deepEqual(persons, [['free', 1], ['pro', 1]]);
});

test('get-llm-total-costs-for-project: the cost of $ai_generation events by model', async () => {
  const costs = await call('get-llm-total-costs-for-project', { projectId: 1, days: 6 });
  assert.deepEqual(costs.map((r) => [r.breakdown_value, r.count]),
                   [['claude', 1], ['gpt-4o', 0.75]]);
  assert.equal(costs[0].days.length, 7);
});

test('insights and dashboards: create, place the insight, read both back', async () => {
  const insight = await call('insight-create-from-query', {
    data: { name: 'Report views', description: 'Views in the last week', query: TRENDS,
            favorited: false },
  });
  assert.equal(typeof insight.id, 'number');
  assert.match(insight.short_id, /^[0-9A-Za-z]{8}$/);
  assert.equal(insight.name, 'Report views');
  assert.deepEqual(insight.query, TRENDS);
  assert.equal(insight.url, `${server.host}/project/1/insights/${insight.short_id}`);

  const byShortId = await call('insight-get', { insightId: insight.short_id });
  assert.equal(byShortId.id, insight.id);
  const byId = await call('insight-get', { insightId: String(insight.id) });
  assert.equal(byId.short_id, insight.short_id);
  assert.equal(byId.description, 'Views in the last week');

  const ran = await call('insight-query', { insightId: insight.short_id });
  assert.equal(ran.insight.id, insight.id);
  assert.deepEqual(ran.results.map((r) => r.count), [4]);

  const listed = await call('insights-get-all', { data: { search: 'report' } });
  assert.deepEqual(listed.map((i) => i.id), [insight.id]);
  const renamed = await call('insight-update', { insightId: insight.short_id,
                                                 data: { name: 'Weekly report views',
                                                         query: TRENDS } });
  assert.equal(renamed.name, 'Weekly report views');

  const dashboard = await call('dashboard-create', { data: { name: 'Reports',
                                                             description: 'What is read' } });
  assert.equal(typeof dashboard.id, 'number');
  assert.equal(dashboard.name, 'Reports');
  const placed = await call('add-insight-to-dashboard', {
    data: { insightId: insight.short_id, dashboardId: dashboard.id },
  });
  assert.deepEqual(placed.dashboards, [dashboard.id]);
  assert.equal(placed.insight_url, `${server.host}/project/1/insights/${insight.short_id}`);

  const shown = await call('dashboard-get', { dashboardId: dashboard.id });
  assert.equal(shown.id, dashboard.id);
  assert.equal(shown.description, 'What is read');
  assert.equal(shown.tiles.length, 1);
  assert.equal(shown.tiles[0].insight.short_id, insight.short_id);
  assert.equal(shown.tiles[0].insight.name, 'Weekly report views');
  assert.deepEqual(shown.tiles[0].insight.query, TRENDS);

  const all = await call('dashboards-get-all', { data: { search: 'report' } });
  assert.deepEqual(all.map((d) => [d.id, d.name]), [[dashboard.id, 'Reports']]);
  const updated = await call('dashboard-update', { dashboardId: dashboard.id,
                                                   data: { name: 'Reporting' } });
  assert.equal(updated.name, 'Reporting');

  await call('insight-delete', { insightId: insight.short_id });
  const emptied = await call('dashboard-get', { dashboardId: dashboard.id });
  assert.equal(emptied.tiles.length, 0);
  await call('dashboard-delete', { dashboardId: dashboard.id });
  assert.deepEqual(await call('dashboards-get-all', { data: { search: 'report' } }), []);
});

test('feature flags: create, list, read by key and id, update, and posthog-node agrees', async () => {
  const created = await call('create-feature-flag', {
    name: 'Pro reports', key: 'pro-reports', description: 'Reports for the pro plan',
    active: true,
    filters: { groups: [{ properties: [{ key: 'plan', value: 'pro', operator: 'exact' }],
                          rollout_percentage: 100 }] },
  });
  assert.equal(typeof created.id, 'number');
  assert.equal(created.key, 'pro-reports');
  assert.equal(created.active, true);
  assert.deepEqual(created.filters.groups[0].properties,
                   [{ key: 'plan', value: 'pro', operator: 'exact', type: 'person' }]);

  const listed = await call('feature-flag-get-all');
  assert.deepEqual(listed, [{ id: created.id, key: 'pro-reports', name: 'Pro reports',
                              active: true }]);
  const byKey = await call('feature-flag-get-definition', { flagKey: 'pro-reports' });
  assert.equal(byKey.id, created.id);
  assert.equal(byKey.name, 'Pro reports');
  // PostHog's flags have no description field (the name is the description): the one the tool
  // sends is dropped, as PostHog drops it.
  assert.equal(byKey.description, undefined);
  const byId = await call('feature-flag-get-definition', { flagId: created.id });
  assert.equal(byId.key, 'pro-reports');
  assert.equal(byId.filters.groups[0].rollout_percentage, 100);

  const evaluate = async () => {
    const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushInterval: 0 });
    const values = [await client.getFeatureFlag('pro-reports', 'u1'),
                    await client.getFeatureFlag('pro-reports', 'u2')];
    await client.shutdown();
    return values;
  };
  assert.deepEqual(await evaluate(), [true, false], 'u1 is on the pro plan, u2 is not');

  const widened = await call('update-feature-flag', {
    flagKey: 'pro-reports',
    data: { filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
  });
  assert.equal(widened.id, created.id);
  assert.deepEqual(await evaluate(), [true, true], 'everyone, once the condition is gone');

  await call('delete-feature-flag', { flagKey: 'pro-reports' });
  assert.deepEqual(await call('feature-flag-get-all'), []);
});

test('event and property definitions: what posthog-node sent, with types', async () => {
  const events = await call('event-definitions-list');
  const names = events.map((e) => e.name);
  assert.ok(names.includes('report viewed') && names.includes('signed up'), names.join(','));
  const viewed = events.find((e) => e.name === 'report viewed');
  assert.ok(Math.abs(Date.parse(viewed.last_seen_at) - Date.now()) < 3600_000, viewed.last_seen_at);
  const searched = await call('event-definitions-list', { q: 'report' });
  assert.deepEqual(searched.map((e) => e.name), ['report viewed']);

  const eventProperties = await call('properties-list', { type: 'event',
                                                          eventName: 'report viewed' });
  const types = Object.fromEntries(eventProperties.map((p) => [p.name, p.property_type]));
  assert.equal(types.pages, 'Numeric');
  // Every answer passed the toolkit's schema: a type is one of PostHog's four, or null.
  for (const p of eventProperties) {
    assert.ok([null, undefined, 'String', 'Numeric', 'Boolean', 'DateTime']
      .includes(p.property_type), JSON.stringify(p));
  }
  // The person properties list answers in the toolkit's shape too.
  assert.ok(Array.isArray(await call('properties-list', { type: 'person' })));
});

// The properties seen with one event (PostHog's event_names + filter_by_event_names, read from
// the event-to-property pairs ingestion records) and person property definitions (the keys of
// $set / $set_once, here from identify).
test('properties-list: the properties of one event, and person properties', async () => {
  const eventProperties = await call('properties-list', { type: 'event',
                                                          eventName: 'report viewed' });
  assert.equal(eventProperties.some((p) => p.name === 'source'), false,
               'source is a sign-up property');
  const personProperties = await call('properties-list', { type: 'person' });
  assert.deepEqual(personProperties.filter((p) => p.name === 'plan'),
                   [{ name: 'plan', property_type: 'String' }]);
});
