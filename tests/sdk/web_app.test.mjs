// The web app in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// against the real binary: the first account, logout and login, a Trends insight over events
// posthog-node sent whose chart and table hold the query API's numbers, the URL as the whole
// query, the Activity page rendering SDK values as text; and the session's defences: a cookie
// write without the CSRF token is refused, a wrong password too, and repeated ones get 429.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { variantFor } from './flag_vectors.mjs';

const CHROMIUM = process.env.HOGLET_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing but loopback resolves, so a stray request can never leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
const EMAIL = 'owner@example.com';
const PASSWORD = 'correct horse battery';
const HOSTILE = '<img src=x onerror="window.__xss=1">';
const DAY_MS = 24 * 3600 * 1000;

let hoglet;
let browser;
let page;
const consoleErrors = [];

before(async () => {
  hoglet = await startHoglet();
  const index = await (await fetch(`${hoglet.host}/`)).text();
  assert.doesNotMatch(index, /was not built/,
                      'this hoglet was built without web/dist: `make test` builds web/ first');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                    args: CHROMIUM_ARGS, timeout: 30000 });
  page = await browser.newPage();
  page.setDefaultTimeout(10000);
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  page.on('console', (message) => {
    // The app asks who is logged in and expects a 401 before login: the browser logs those.
    if (message.type() === 'error' &&
        !/Failed to load resource: the server responded with a status of 40[13]/.test(message.text())) {
      consoleErrors.push(message.text());
    }
  });
});

after(async () => {
  await browser?.close();
  await hoglet?.stop();
});

// The query API's answer to `query`, with the personal API key.
async function queryApi(query) {
  const { status, body } = await hoglet.api('POST', '/api/projects/1/query/', { query });
  assert.equal(status, 200, JSON.stringify(body));
  return body.results;
}

// What the page's table and chart show: per row, its label, total and values.
async function shownResults() {
  await page.waitForSelector('[data-testid="trends-table"]');
  const rows = await page.$$eval('[data-testid="trends-row"]', (trs) => trs.map((tr) => ({
    label: tr.querySelector('th').textContent,
    total: Number(tr.querySelector('[data-testid="trends-total"]').textContent),
    data: [...tr.querySelectorAll('[data-testid="trends-value"]')].map((td) => Number(td.textContent)),
  })));
  const chart = JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-series'));
  const canvases = await page.locator('[data-testid="trends-chart"] canvas').count();
  return { rows, chart, canvases };
}

// A line's label as the page shows the API's: PostHog's placeholders read "Other" and "(none)".
function shownLabel(label) {
  return label.split('$$_posthog_breakdown_other_$$').join('Other')
    .split('$$_posthog_breakdown_null_$$').join('(none)');
}

// The page's query (from its URL) run through the API, compared with what the page shows.
async function expectPageMatchesApi() {
  // Wait for the answer to the query the URL holds now.
  const q = new URL(page.url()).searchParams.get('q');
  await page.waitForFunction((q) => document.querySelector('[data-testid="trends-answer"]')
    ?.getAttribute('data-query') === JSON.stringify(JSON.parse(q)), q);
  const query = JSON.parse(q);
  const expected = await queryApi(query);
  const shown = await shownResults();
  assert.equal(shown.canvases, 1, 'one chart is drawn');
  assert.deepEqual(shown.rows, expected.map((r) => ({ label: shownLabel(r.label), total: r.count,
                                                      data: r.data })));
  assert.deepEqual(shown.chart, expected.map((r) => ({ label: shownLabel(r.label), data: r.data })));
  return { query, expected };
}

test('first account, logout, login, a Trends insight and Activity', async () => {
  const started = Date.now();
  // First run: the server offers to create the first account.
  await page.goto(`${hoglet.host}/`);
  await page.waitForSelector('[data-testid="signup-form"]');
  await page.fill('input[name="first_name"]', 'Ada');
  await page.fill('input[name="email"]', EMAIL);
  await page.fill('input[name="password"]', PASSWORD);
  await page.fill('input[name="project_name"]', 'Web shop');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="project-name"]');
  assert.equal(await page.textContent('[data-testid="project-name"]'), 'Web shop');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'sessionid');
  assert.ok(session && session.httpOnly && session.sameSite === 'Lax', JSON.stringify(cookies));

  // Log out, then a wrong password is refused and the right one lets us in.
  await page.click('[data-testid="logout"]');
  await page.waitForSelector('[data-testid="login-form"]');
  await page.fill('input[name="email"]', EMAIL);
  await page.fill('input[name="password"]', 'not the password');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[role="alert"]');
  assert.match(await page.textContent('[role="alert"]'), /email or password is wrong/);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="project-name"]');

  // Events from the real posthog-node.
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  const now = new Date();
  const yesterday = new Date(now.getTime() - DAY_MS);
  const sent = [
    ['anon-1', yesterday, 'Chrome'], ['anon-1', now, 'Chrome'], ['user-2', now, 'Firefox'],
    ['user-2', now, 'Firefox'], ['user-3', now, 'Chrome'], ['user-3', yesterday, 'Safari'],
  ];
  for (const [distinctId, timestamp, $browser] of sent) {
    client.capture({ distinctId, event: 'viewed page', timestamp,
                     properties: { $browser, $current_url: HOSTILE } });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=viewed%20page', sent.length);

  // Trends: pick the event; the chart and table hold the query API's numbers.
  await page.goto(`${hoglet.host}/insights/trends`);
  await page.waitForSelector('[data-testid="series-0-event"] option[value="viewed page"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="series-0-event"]', 'viewed page');
  const total = await expectPageMatchesApi();
  assert.equal(total.expected.length, 1);
  assert.equal(total.expected[0].count, sent.length);

  // Unique users broken down by browser.
  await page.selectOption('[data-testid="series-0-math"]', 'dau');
  await page.waitForSelector('[data-testid="breakdown"] option[value="$browser"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="breakdown"]', '$browser');
  await page.selectOption('[data-testid="date-range"]', '-14d');
  const broken = await expectPageMatchesApi();
  assert.deepEqual(broken.query.series[0], { kind: 'EventsNode', event: 'viewed page',
                                             name: 'viewed page', math: 'dau' });
  assert.deepEqual(broken.expected.map((r) => r.label).sort(), ['Chrome', 'Firefox', 'Safari']);

  // The URL is the whole query: opened afresh, it shows the same answer.
  const shared = page.url();
  const before = await shownResults();
  await page.goto('about:blank');
  await page.goto(shared);
  await expectPageMatchesApi();
  assert.deepEqual((await shownResults()).rows, before.rows);

  // Hiding a line: unchecked in the table, it leaves the chart (PostHog's resultCustomizations
  // by value, in the query and so in the link) and stays in the table; nothing is asked again.
  let asked = 0;
  const countQueries = (request) => {
    if (request.url().includes('/query/')) asked++;
  };
  page.on('request', countQueries);
  const firefoxShown = page.locator('[data-testid="trends-row"]', { hasText: 'Firefox' })
    .locator('[data-testid="trends-line-shown"]');
  await firefoxShown.uncheck();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('resultCustomizations'));
  const hiding = await shownTrendsQuery();
  page.off('request', countQueries);
  assert.equal(asked, 0);
  assert.deepEqual(hiding.trendsFilter, { resultCustomizations: {
    '{"series":0,"breakdown_value":["Firefox"]}': { assignmentBy: 'value', hidden: true } } });
  let withHidden = await shownResults();
  assert.deepEqual(withHidden.rows, before.rows);
  assert.deepEqual(withHidden.chart.map((line) => line.label).sort(), ['Chrome', 'Safari']);
  const hiddenLink = page.url();
  await page.goto('about:blank');
  await page.goto(hiddenLink);
  await shownTrendsQuery();
  withHidden = await shownResults();
  assert.deepEqual(withHidden.chart.map((line) => line.label).sort(), ['Chrome', 'Safari']);
  assert.equal(await firefoxShown.isChecked(), false);
  await firefoxShown.check();
  const { query: shownAgain } = await expectPageMatchesApi();
  assert.equal(shownAgain.trendsFilter, undefined);

  // Activity lists the last 24 hours' events (the four sent now), SDK values as text; over the
  // last 7 days, all six.
  await page.click('nav >> text=Activity');
  await page.waitForSelector('[data-testid="event-row"]');
  assert.equal(await page.locator('[data-testid="event-row"]').count(), 4);
  assert.equal(await page.locator('[data-testid="events-table"] img').count(), 0);
  assert.ok((await page.textContent('[data-testid="events-table"]')).includes(HOSTILE));
  await page.selectOption('[data-testid="activity-range"]', '-7d');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="event-row"]').length
    === n, sent.length);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  assert.deepEqual(consoleErrors, []);
  assert.ok(Date.now() - started < 40000, `the browser flow took ${Date.now() - started} ms`);
});

test('a cookie write needs the CSRF token; wrong passwords are refused, then limited', async () => {
  const flag = { key: 'csrf-test', filters: { groups: [{ rollout_percentage: 100 }] } };
  const write = (withToken) => page.evaluate(async ({ flag, withToken }) => {
    const token = document.cookie.match(/posthog_csrftoken=([^;]*)/)?.[1] ?? '';
    const response = await fetch('/api/projects/1/feature_flags/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(withToken ? { 'X-CSRFToken': token } : {}) },
      body: JSON.stringify(flag),
    });
    return { status: response.status, body: await response.text() };
  }, { flag, withToken });
  const refused = await write(false);
  assert.equal(refused.status, 403, refused.body);
  assert.match(refused.body, /csrf_failed/);
  assert.equal((await write(true)).status, 201);

  // The same session is refused to another origin (localhost is another origin than 127.0.0.1).
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const foreign = await fetch(`${hoglet.host}/api/users/@me/`, {
    headers: { Cookie: cookie, Origin: 'http://localhost:3000' },
  });
  assert.equal(foreign.status, 403);

  // Wrong passwords: 401 each, then 429 with Retry-After, even for the right password.
  const login = (password) => fetch(`${hoglet.host}/api/login/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password }),
  });
  let response;
  for (let i = 0; i < 5; ++i) {
    response = await login('wrong password');
    if (response.status === 429) break;
    assert.equal(response.status, 401);
  }
  response = await login(PASSWORD);
  assert.equal(response.status, 429);
  assert.ok(Number(response.headers.get('retry-after')) > 0);
  assert.equal(response.headers.get('set-cookie'), null);
});

// The rows a DataTable with `testid` shows, as text.
async function tableRows(testid) {
  return page.$$eval(`[data-testid="${testid}-row"]`,
                     (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
}

test('SQL: highlighting, completion, errors at their position, the answer of the query API',
     async () => {
  await page.click('nav >> text=SQL');
  await page.waitForSelector('[data-testid="sql-input"]');
  const input = page.locator('[data-testid="sql-input"]');
  assert.ok(await page.locator('.sql-highlight .tok-keyword').count() > 0, 'keywords highlighted');

  // Completion of an event property key from the project's definitions.
  await input.fill('');
  await input.pressSequentially('SELECT properties.$bro');
  await page.waitForSelector('[data-testid="sql-completions"] >> text=properties.$browser');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'SELECT properties.$browser');
  await input.pressSequentially(', count() AS c FROM events GROUP BY 1 ORDER BY 1');
  await page.click('[data-testid="sql-run"]');
  await page.waitForSelector('[data-testid="sql-table"]');
  const query = 'SELECT properties.$browser, count() AS c FROM events GROUP BY 1 ORDER BY 1';
  const { body } = await hoglet.api('POST', '/api/projects/1/query/',
                                    { query: { kind: 'HogQLQuery', query } });
  assert.deepEqual(await tableRows('sql-table'),
                   body.results.map((row) => row.map((value) => String(value))));
  assert.deepEqual(body.results, [['Chrome', 3], ['Firefox', 2], ['Safari', 1]]);
  // The query is in the URL: opened afresh, it runs again.
  const shared = page.url();
  await page.goto('about:blank');
  await page.goto(shared);
  await page.waitForSelector('[data-testid="sql-table"]');
  assert.equal(await page.locator('[data-testid="sql-table-row"]').count(), 3);

  // A syntax error: the server's message, and its position marked in the editor.
  await input.fill('SELECT count(\nFROM events WHERE');
  await page.click('[data-testid="sql-run"]');
  await page.waitForSelector('[data-testid="sql-error"]');
  assert.match(await page.textContent('[data-testid="sql-error"]'), /line \d+, column \d+/);
  assert.equal(await page.locator('[data-testid="sql-error-mark"]').count(), 1);
  assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
  consoleErrors.length = 0;
});

test('Persons: search, a person with its events and flags; Feature flags: create, switch off',
     async () => {
  // A flag for everyone, created in the page.
  await page.click('nav >> text=Feature flags');
  await page.waitForSelector('[data-testid="flag-form"]');
  await page.fill('[data-testid="flag-form"] input[name="key"]', 'new-checkout');
  await page.fill('[data-testid="flag-form"] input[name="name"]', 'The new checkout');
  await page.fill('[data-testid="flag-form"] input[name="rollout"]', '100');
  await page.click('[data-testid="flag-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="flag-row"][data-key="new-checkout"]');
  const flags = (await hoglet.api('GET', '/api/projects/1/feature_flags/')).body.results;
  const created = flags.find((f) => f.key === 'new-checkout');
  assert.equal(created.active, true);
  assert.equal(created.filters.groups[0].rollout_percentage, 100);

  // Persons: every person the API lists; a search narrows them.
  await page.click('nav >> text=Persons');
  await page.waitForSelector('[data-testid="person-row"]');
  const listed = (await hoglet.api('GET', '/api/projects/1/persons/')).body.results;
  assert.equal(await page.locator('[data-testid="person-row"]').count(), listed.length);
  await page.fill('[data-testid="persons-search"]', 'user-2');
  await page.press('[data-testid="persons-search"]', 'Enter');
  await page.waitForSelector('[data-testid="persons-table"][data-search="user-2"]');
  assert.equal(await page.locator('[data-testid="person-row"]').count(), 1);

  // The person's page: distinct ids, its two events, the flag it gets.
  await page.click('[data-testid="person-row"] a');
  await page.waitForSelector('[data-testid="person-page"]');
  assert.equal(await page.textContent('[data-testid="person-distinct-ids"]'), 'user-2');
  await page.waitForSelector('[data-testid="person-events-row"]');
  const events = await tableRows('person-events');
  assert.deepEqual(events.map((row) => row[0]), ['viewed page', 'viewed page']);
  await page.waitForSelector('[data-testid="person-flags-row"]');
  assert.ok((await tableRows('person-flags')).some(([key, value]) =>
    key === 'new-checkout' && value === 'true'));

  // Switched off in the list, the flag is off for the API.
  await page.click('nav >> text=Feature flags');
  await page.click('[data-testid="flag-row"][data-key="new-checkout"] [data-testid="flag-active"]');
  await page.waitForFunction(async () => {
    const r = await fetch('/api/projects/1/feature_flags/');
    const body = await r.json();
    return body.results.find((f) => f.key === 'new-checkout')?.active === false;
  });

  // Activity: a row opens to the event's properties; its person links to the person's page.
  await page.click('nav >> text=Activity');
  await page.waitForSelector('[data-testid="event-row"]');
  await page.click('[data-testid="event-row"] >> nth=0 >> [data-testid="event-expand"]');
  await page.waitForSelector('[data-testid="event-detail"]');
  assert.ok((await tableRows('event-properties')).some(([key]) => key === '$browser'));
  await page.click('[data-testid="event-row"] >> nth=0 >> a');
  await page.waitForSelector('[data-testid="person-page"]');
  assert.deepEqual(consoleErrors, []);
});

test('Actions: created in the page, then a series of Trends', async () => {
  await page.click('nav >> text=Actions');
  await page.waitForSelector('[data-testid="action-form"]');
  await page.fill('[data-testid="action-form"] input[name="name"]', 'Viewed a page');
  await page.fill('[data-testid="action-form"] input[name="event"]', 'viewed page');
  await page.click('[data-testid="action-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="action-row"]');
  const [action] = (await hoglet.api('GET', '/api/projects/1/actions/')).body.results;
  assert.equal(action.name, 'Viewed a page');
  assert.equal(action.steps[0].event, 'viewed page');

  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.waitForSelector(`[data-testid="series-0-event"] option[value="action:${action.id}"]`,
                             { state: 'attached' });
  await page.selectOption('[data-testid="series-0-event"]', `action:${action.id}`);
  const { query, expected } = await expectPageMatchesApi();
  assert.deepEqual(query.series[0], { kind: 'ActionsNode', id: action.id, name: 'Viewed a page',
                                      math: 'total' });
  assert.equal(expected.length, 1);
  assert.equal(expected[0].count, 6, 'every "viewed page" event posthog-node sent');
  assert.deepEqual(consoleErrors, []);
});

test('Saved insights and dashboards: save from Trends, place on a dashboard, see its chart',
     async () => {
  // The Trends page still holds the action series of the previous test.
  const query = JSON.parse(new URL(page.url()).searchParams.get('q'));
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'Viewed pages');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [insight] = (await hoglet.api('GET', '/api/projects/1/insights/')).body.results;
  assert.equal(insight.name, 'Viewed pages');
  assert.deepEqual(insight.query, { kind: 'InsightVizNode', source: query });

  await page.click('nav >> text=Dashboards');
  await page.fill('[data-testid="dashboard-form"] input[name="name"]', 'Weekly');
  await page.click('[data-testid="dashboard-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="dashboard-row"] >> text=Weekly');
  const [dashboard] = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;

  await page.click('nav >> text=Saved insights');
  await page.waitForSelector(`[data-testid="insight-row"][data-short-id="${insight.short_id}"]`);
  await page.selectOption('[data-testid="insight-add-to-dashboard"]', String(dashboard.id));
  await page.waitForFunction(async ({ id, dashboardId }) => {
    const body = await (await fetch(`/api/projects/1/insights/${id}/`)).json();
    return body.dashboards.includes(dashboardId);
  }, { id: insight.id, dashboardId: dashboard.id });

  // Renamed and described in place (the description is text); duplicated as "<name> (copy)"
  // with the same query and on no dashboard; the copy deleted again.
  const row = `[data-testid="insight-row"][data-short-id="${insight.short_id}"]`;
  await page.click(`${row} [data-testid="insight-edit"]`);
  await page.fill(`${row} input[name="insight_name"]`, 'Viewed pages, all');
  await page.fill(`${row} input[name="insight_description"]`, 'Every <b>page</b> view');
  await page.click(`${row} [data-testid="insight-details-form"] button[type="submit"]`);
  await page.waitForSelector(`${row} [data-testid="insight-description"]`);
  assert.equal(await page.textContent(`${row} [data-testid="insight-description"]`),
               'Every <b>page</b> view');
  const described = (await hoglet.api('GET', `/api/projects/1/insights/${insight.id}/`)).body;
  assert.deepEqual([described.name, described.description],
                   ['Viewed pages, all', 'Every <b>page</b> view']);
  await page.click(`${row} [data-testid="insight-duplicate"]`);
  await page.waitForSelector('[data-testid="insight-row"] a >> text="Viewed pages, all (copy)"');
  const [copy] = (await hoglet.api('GET', '/api/projects/1/insights/?search=(copy)')).body.results;
  assert.notEqual(copy.short_id, insight.short_id);
  assert.deepEqual([copy.name, copy.description, copy.query, copy.dashboards],
                   ['Viewed pages, all (copy)', 'Every <b>page</b> view', insight.query, []]);
  await page.click(`[data-testid="insight-row"][data-short-id="${copy.short_id}"] ` +
                   '[data-testid="insight-delete"]');
  await page.waitForFunction((shortId) => !document.querySelector(
    `[data-testid="insight-row"][data-short-id="${shortId}"]`), copy.short_id);

  // The dashboard's tile draws the insight's query answer.
  await page.click('nav >> text=Dashboards');
  await page.click('[data-testid="dashboard-row"] a');
  await page.waitForSelector('[data-testid="insight-tile"] [data-testid="trends-chart"]');
  const chart = JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-series'));
  const expected = await queryApi(query);
  assert.deepEqual(chart, expected.map((r) => ({ label: r.label, data: r.data })));

  // A Trends insight saved as a number is drawn as that number on the dashboard.
  const numberQuery = { kind: 'TrendsQuery', dateRange: { date_from: '-7d' },
                        series: [{ kind: 'EventsNode', event: 'viewed page', math: 'total' }],
                        trendsFilter: { display: 'BoldNumber' } };
  const { body: number } = await hoglet.api('POST', '/api/projects/1/insights/', {
    name: 'Views (number)', saved: true, dashboards: [dashboard.id],
    query: { kind: 'InsightVizNode', source: numberQuery } });
  await page.reload();
  const numberTile = `[data-testid="insight-tile"][data-short-id="${number.short_id}"]`;
  await page.waitForSelector(`${numberTile} [data-testid="trends-number"]`);
  const [numberAnswer] = await queryApi(numberQuery);
  assert.equal(Number(await page.getAttribute(`${numberTile} [data-testid="trends-number"]`,
                                              'data-value')),
               numberAnswer.aggregated_value ?? numberAnswer.count);
  assert.ok(numberAnswer.aggregated_value > 0);
  assert.equal(await page.locator(`${numberTile} [data-testid="trends-chart"]`).count(), 0);
  // The line tile shows its chart without the editor's table of every bucket.
  assert.equal(await page.locator('[data-testid="insight-tile"] [data-testid="trends-table"]')
    .count(), 0);
  await hoglet.api('PATCH', `/api/projects/1/insights/${number.id}/`, { deleted: true });

  // Opening the insight from its tile shows it in the Trends editor.
  await page.click(`[data-testid="insight-tile"][data-short-id="${insight.short_id}"] h2 a`);
  await expectPageMatchesApi();
  assert.deepEqual(consoleErrors, []);
});

// The funnel the page shows now (its URL's query), once its answer arrived, and the API's answer.
async function expectFunnelMatchesApi() {
  const q = new URL(page.url()).searchParams.get('q');
  await page.waitForFunction((q) => document.querySelector('[data-testid="funnel-answer"]')
    ?.getAttribute('data-query') === JSON.stringify(JSON.parse(q)), q);
  const query = JSON.parse(q);
  const results = await queryApi(query);
  const lines = Array.isArray(results[0]) ? results : [results];
  const shown = JSON.parse(await page.getAttribute('[data-testid="funnel-chart"]', 'data-lines'));
  assert.deepEqual(shown.map((line) => line.counts), lines.map((steps) => steps.map((s) => s.count)));
  return { query, lines };
}

test('Funnels: steps, order and breakdown in the page hold the query API\'s numbers; saved to a '
     + 'dashboard', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  // One `now` for all the events: their spacing is exact, however slow the sending is.
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * 3600 * 1000);
  const sent = [
    ['fu-1', 'signed up', 3, 'Chrome'], ['fu-1', 'paid', 2, 'Chrome'],
    ['fu-2', 'signed up', 3, 'Firefox'],
    ['fu-3', 'signed up', 3, 'Chrome'], ['fu-3', 'paid', 1, 'Chrome'],
    ['fu-4', 'paid', 2, 'Safari'],  // never signed up: not in the funnel
  ];
  for (const [distinctId, event, hoursAgo, $browser] of sent) {
    client.capture({ distinctId, event, timestamp: at(hoursAgo), properties: { $browser } });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=paid', 3);

  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.click('[data-testid="insight-tab-funnels"]');
  await page.waitForSelector('[data-testid="step-0-event"] option[value="signed up"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="step-0-event"]', 'signed up');
  await page.selectOption('[data-testid="step-1-event"]', 'paid');
  const plain = await expectFunnelMatchesApi();
  assert.deepEqual(plain.lines.map((steps) => steps.map((s) => s.count)), [[3, 2]]);
  assert.deepEqual(await page.$$eval('[data-testid="funnel-step-count"]',
                                     (cells) => cells.map((c) => Number(c.textContent))), [3, 2]);

  await page.selectOption('[data-testid="breakdown"]', '$browser');
  const broken = await expectFunnelMatchesApi();
  assert.deepEqual(broken.query.breakdownFilter, { breakdown: '$browser', breakdown_type: 'event' });
  assert.equal(await page.locator('[data-testid="funnel-breakdown-row"]').count(), 2);

  await page.selectOption('[data-testid="funnel-order"]', 'strict');
  const strict = await expectFunnelMatchesApi();
  assert.equal(strict.query.funnelsFilter.funnelOrderType, 'strict');

  // Saved, placed on the dashboard of the previous test, drawn there as bars.
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'Sign-up to paid');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const saved = (await hoglet.api('GET', '/api/projects/1/insights/?search=Sign-up')).body.results;
  assert.equal(saved.length, 1);
  assert.deepEqual(saved[0].query, { kind: 'InsightVizNode', source: strict.query });
  const [dashboard] = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved[0].id}/`,
                   { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved[0].short_id}"]`;
  await page.waitForSelector(`${tile} [data-testid="funnel-chart"]`);
  const drawn = JSON.parse(await page.getAttribute(`${tile} [data-testid="funnel-chart"]`,
                                                   'data-lines'));
  assert.deepEqual(drawn.map((line) => line.counts),
                   strict.lines.map((steps) => steps.map((s) => s.count)));
  await page.click(`${tile} h2 a`);
  await expectFunnelMatchesApi();
  assert.deepEqual(consoleErrors, []);
});

test('Annotations: added in the page, marked on a Trends chart, deleted', async () => {
  await page.click('nav >> text=Annotations');
  await page.waitForSelector('[data-testid="annotation-form"]');
  await page.fill('[data-testid="annotation-form"] input[name="content"]', `Release ${HOSTILE}`);
  await page.click('[data-testid="annotation-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="annotation-row"]');
  const [annotation] = (await hoglet.api('GET', '/api/projects/1/annotations/')).body.results;
  assert.equal(annotation.content, `Release ${HOSTILE}`);
  assert.equal(annotation.scope, 'project');
  assert.ok(Math.abs(Date.parse(annotation.date_marker) - Date.now()) < 3 * 60 * 1000,
            annotation.date_marker);
  assert.equal(await page.locator('[data-testid="annotations-table"] img').count(), 0);

  // Today's bucket of a daily Trends chart carries the annotation.
  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.waitForSelector('[data-testid="series-0-event"] option[value="viewed page"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="series-0-event"]', 'viewed page');
  const { expected } = await expectPageMatchesApi();
  await page.waitForSelector('[data-testid="chart-annotation"]');
  const markers = JSON.parse(await page.getAttribute('[data-testid="trends-chart"]',
                                                     'data-markers'));
  assert.deepEqual(markers, [{ index: expected[0].days.length - 1, label: `Release ${HOSTILE}` }]);
  assert.equal(await page.locator('[data-testid="chart-annotation"] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  await page.click('nav >> text=Annotations');
  await page.click('[data-testid="annotation-delete"]');
  await page.waitForSelector('[data-testid="annotation-row"]', { state: 'detached' });
  const after = (await hoglet.api('GET', '/api/projects/1/annotations/')).body.results;
  assert.deepEqual(after, []);
  assert.deepEqual(consoleErrors, []);
});

// Retention, Stickiness and Lifecycle editors: the answer the page shows for the query in its URL
// (once it arrived), next to the query API's answer to that query.
async function shownQuery(answer) {
  const q = new URL(page.url()).searchParams.get('q');
  await page.waitForFunction(({ q, answer }) =>
    document.querySelector(`[data-testid="${answer}"]`)?.getAttribute('data-query')
      === JSON.stringify(JSON.parse(q)), { q, answer });
  return JSON.parse(q);
}

// A cohort table's rows as shown: date, size, each cell's count and text ('' past the range).
async function shownCohorts(scope = '') {
  return page.$$eval(`${scope} [data-testid="retention-row"]`, (trs) => trs.map((tr) => ({
    date: tr.getAttribute('data-date'),
    size: Number(tr.querySelector('[data-testid="retention-size"]').textContent),
    counts: [...tr.querySelectorAll('[data-testid="retention-cell"]')]
      .map((td) => Number(td.getAttribute('data-count'))),
    texts: [...tr.querySelectorAll('[data-testid="retention-cell"]')].map((td) => td.textContent),
  })));
}

// The API's cohorts as the table should show them: a share of the cohort (or of the interval
// before) with one decimal, nothing past the range.
function expectedCohorts(cohorts, reference) {
  return cohorts.map((cohort, c) => {
    const counts = cohort.values.map((v) => v.count);
    return {
      date: cohort.date,
      size: counts[0],
      counts,
      texts: counts.map((count, k) => {
        if (c + k >= cohorts.length) return '';
        const whole = reference === 'previous' && k > 0 ? counts[k - 1] : counts[0];
        return `${whole > 0 ? Number((100 * count / whole).toFixed(1)) : 0}%`;
      }),
    };
  });
}

// The distinct ids of the persons an insight's persons list shows, sorted.
async function shownPersons() {
  await page.waitForSelector('[data-testid="insight-persons"][data-query]');
  return (await page.$$eval('[data-testid="insight-persons-ids"]', (tds) => tds.map((td) =>
    td.textContent))).sort();
}

test('Retention, Stickiness and Lifecycle: the page holds the query API\'s numbers, a cell or '
     + 'bar lists its persons, a saved retention is drawn on a dashboard', async () => {
  const started = Date.now();
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  // 01:00 UTC `n` days ago (the project is in UTC), or now for today.
  const day = (n) => (n === 0 ? new Date()
    : new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - n * DAY_MS + 3600 * 1000));
  const hostile = `${HOSTILE}-ret4`;
  const sent = [['ret-1', [3, 2, 0]], ['ret-2', [3, 1]], ['ret-3', [2, 1]], [hostile, [1]]];
  for (const [distinctId, days] of sent) {
    for (const n of days) client.capture({ distinctId, event: 'opened app', timestamp: day(n) });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=opened%20app', 8);

  // Retention: cohorts by day over the last 7 days, the app opened and opened again.
  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.click('[data-testid="insight-tab-retention"]');
  await page.waitForSelector('[data-testid="retention-target"] option[value="opened app"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="retention-target"]', 'opened app');
  await page.selectOption('[data-testid="retention-returning"]', 'opened app');
  let query = await shownQuery('retention-answer');
  assert.deepEqual(query.retentionFilter.targetEntity,
                   { id: 'opened app', type: 'events', name: 'opened app' });
  let cohorts = await queryApi(query);
  assert.equal(cohorts.length, 8, 'a cohort per day: 7 days ago to today');
  // 3 days ago ret-1 and ret-2 opened the app; ret-1 came back 2 days ago and today, ret-2 1 day ago.
  assert.deepEqual(cohorts[4].values.map((v) => v.count), [2, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual(await shownCohorts(), expectedCohorts(cohorts, 'total'));
  assert.deepEqual((await shownCohorts())[4].texts.slice(0, 4), ['100%', '50%', '50%', '50%']);
  assert.equal(await page.textContent('[data-testid="retention-row"] >> nth=4 >> '
                                      + '[data-testid="retention-date"]'),
               cohorts[4].date.slice(0, 10));

  // Of the interval before: the same counts, other shares.
  await page.selectOption('[data-testid="retention-reference"]', 'previous');
  query = await shownQuery('retention-answer');
  cohorts = await queryApi(query);
  assert.deepEqual(await shownCohorts(), expectedCohorts(cohorts, 'previous'));
  assert.deepEqual((await shownCohorts())[5].texts.slice(0, 3), ['100%', '50%', '100%'],
                   '2 days ago ret-1 and ret-3; ret-3 came back a day later, ret-1 today');

  // A cell lists the persons counted in it: the cohort of 3 days ago, a day later.
  await page.click('[data-testid="retention-row"] >> nth=4 >> [data-testid="retention-cell"] '
                   + '>> nth=1 >> button');
  assert.deepEqual(await shownPersons(), ['ret-1']);
  const actors = await queryApi({
    kind: 'ActorsQuery', select: ['person', 'day_1'],
    source: { kind: 'InsightActorsQuery', interval: 4, source: query } });
  assert.deepEqual(actors.filter((row) => row[1] === 1).map((row) => row[0].distinct_ids.join()),
                   ['ret-1']);
  await page.click('[data-testid="retention-row"] >> nth=5 >> [data-testid="retention-cell"] '
                   + '>> nth=0 >> button');
  assert.deepEqual(await shownPersons(), ['ret-1', 'ret-3']);

  // Counted in that interval or later: ret-1 came back 1 and 3 days later, ret-2 2 days later.
  await page.selectOption('[data-testid="retention-cumulative"]', 'true');
  query = await shownQuery('retention-answer');
  assert.equal(query.retentionFilter.cumulative, true);
  cohorts = await queryApi(query);
  assert.deepEqual(cohorts[4].values.map((v) => v.count), [2, 2, 2, 1, 0, 0, 0, 0]);
  assert.deepEqual(await shownCohorts(), expectedCohorts(cohorts, 'previous'));
  await page.click('[data-testid="retention-row"] >> nth=4 >> [data-testid="retention-cell"] '
                   + '>> nth=2 >> button');
  assert.deepEqual(await shownPersons(), ['ret-1', 'ret-2']);

  // Saved, put on the dashboard, drawn there as its table; its link opens the editor.
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'App retention');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [saved] = (await hoglet.api('GET', '/api/projects/1/insights/?search=App%20retention'))
    .body.results;
  assert.deepEqual(saved.query, { kind: 'InsightVizNode', source: query });
  const [dashboard] = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved.id}/`, { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved.short_id}"]`;
  await page.waitForSelector(`${tile} [data-testid="retention-table"]`);
  assert.deepEqual(await shownCohorts(tile), expectedCohorts(cohorts, 'previous'));
  await page.click(`${tile} h2 a`);
  assert.deepEqual(await shownQuery('retention-answer'), query);
  assert.deepEqual(await shownCohorts(), expectedCohorts(cohorts, 'previous'));

  // Stickiness: persons per number of days they opened the app.
  await page.click('[data-testid="insight-tab-stickiness"]');
  await page.waitForSelector('[data-testid="series-0-event"] option[value="opened app"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="series-0-event"]', 'opened app');
  query = await shownQuery('stickiness-answer');
  const sticky = await queryApi(query);
  assert.deepEqual(sticky[0].data.slice(0, 4), [1, 2, 1, 0], 'ret-4 1 day, ret-2 and -3 2, ret-1 3');
  const rows = await page.$$eval('[data-testid="stickiness-row"]', (trs) => trs.map((tr) => ({
    label: tr.querySelector('th').textContent,
    count: Number(tr.querySelector('[data-testid="stickiness-total"]').textContent),
    data: [...tr.querySelectorAll('[data-testid="stickiness-value"]')].map((td) => Number(td.textContent)),
  })));
  assert.deepEqual(rows, sticky.map((r) => ({ label: r.label, count: r.count, data: r.data })));
  assert.deepEqual(JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-series')),
                   sticky.map((r) => ({ label: r.label, data: r.data })));
  await page.click('[data-testid="stickiness-value"] >> nth=0 >> button');
  assert.deepEqual(await shownPersons(), [hostile], 'a distinct id from the SDK, as text');
  assert.equal(await page.locator('[data-testid="insight-persons"] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // Lifecycle: per day, new, returning, resurrecting and dormant persons.
  await page.click('[data-testid="insight-tab-lifecycle"]');
  await page.waitForSelector('[data-testid="series-0-event"] option[value="opened app"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="series-0-event"]', 'opened app');
  query = await shownQuery('lifecycle-answer');
  const life = await queryApi(query);
  assert.deepEqual(life.map((r) => r.status), ['new', 'returning', 'resurrecting', 'dormant']);
  const lifeRows = await page.$$eval('[data-testid="lifecycle-row"]', (trs) => trs.map((tr) => ({
    status: tr.getAttribute('data-status'),
    count: Number(tr.querySelector('[data-testid="lifecycle-total"]').textContent),
    data: [...tr.querySelectorAll('[data-testid="lifecycle-value"]')].map((td) => Number(td.textContent)),
  })));
  assert.deepEqual(lifeRows, life.map((r) => ({ status: r.status, count: r.count, data: r.data })));
  assert.deepEqual(JSON.parse(await page.getAttribute('[data-testid="lifecycle-chart"]',
                                                      'data-series')),
                   life.map((r) => ({ status: r.status, data: r.data })));
  // Every non-zero count is a bar; the dormant ones hang below the others.
  const bars = await page.$$eval('[data-testid="lifecycle-bar"]', (rects) => rects.map((r) => ({
    status: r.getAttribute('data-status'), value: Number(r.getAttribute('data-value')),
    top: Number(r.getAttribute('y')), bottom: Number(r.getAttribute('y')) + Number(r.getAttribute('height')),
  })));
  assert.equal(bars.length, life.reduce((n, r) => n + r.data.filter((v) => v !== 0).length, 0));
  const dormant = bars.filter((b) => b.status === 'dormant');
  const active = bars.filter((b) => b.status !== 'dormant');
  assert.ok(dormant.length > 0 && active.length > 0);
  assert.ok(Math.min(...dormant.map((b) => b.top)) >= Math.max(...active.map((b) => b.bottom)) - 0.01,
            JSON.stringify(bars));
  // A bar lists its persons, as the actors query of that status and day does.
  const resurrecting = life.find((r) => r.status === 'resurrecting');
  const j = resurrecting.data.findIndex((v) => v > 0);
  await page.click(`[data-testid="lifecycle-bar"][data-status="resurrecting"][data-index="${j}"]`);
  const barActors = await queryApi({ kind: 'ActorsQuery', select: ['person'],
                                     source: { kind: 'InsightActorsQuery', status: 'resurrecting',
                                               day: resurrecting.days[j], source: query } });
  assert.equal(barActors.length, resurrecting.data[j]);
  assert.deepEqual(await shownPersons(),
                   barActors.map((row) => row[0].distinct_ids.join(', ')).sort());
  // Dormant toggled off: in the URL, gone from the chart and the table.
  await page.uncheck('[data-testid="lifecycle-toggle-dormant"]');
  const toggled = await shownQuery('lifecycle-answer');
  assert.deepEqual(toggled.lifecycleFilter,
                   { toggledLifecycles: ['new', 'returning', 'resurrecting'] });
  assert.deepEqual(await page.$$eval('[data-testid="lifecycle-row"]',
                                     (trs) => trs.map((tr) => tr.getAttribute('data-status'))),
                   ['new', 'returning', 'resurrecting']);
  assert.equal(await page.locator('[data-testid="lifecycle-bar"][data-status="dormant"]').count(), 0);
  assert.deepEqual(consoleErrors, []);
  assert.ok(Date.now() - started < 30000, `these editors took ${Date.now() - started} ms`);
});

// The paths the page shows now (its URL's query), once its answer arrived, checked against the
// query API's answer: the Sankey's links and nodes (a node's value is the larger of what enters
// and what leaves it) and the edge table.
async function expectPathsMatchApi() {
  const q = new URL(page.url()).searchParams.get('q');
  await page.waitForFunction((q) => document.querySelector('[data-testid="paths-answer"]')
    ?.getAttribute('data-query') === JSON.stringify(JSON.parse(q)), q);
  const query = JSON.parse(q);
  const edges = await queryApi(query);
  const links = await page.$$eval('[data-testid="paths-sankey"] [data-testid="sankey-link"]',
    (paths) => paths.map((p) => ({ source: p.dataset.source, target: p.dataset.target,
                                   value: Number(p.dataset.value) })));
  const byKey = (a, b) => `${a.source} ${a.target}`.localeCompare(`${b.source} ${b.target}`);
  assert.deepEqual(links.sort(byKey), edges.map(({ source, target, value }) =>
    ({ source, target, value })).sort(byKey));
  const nodes = Object.fromEntries(await page.$$eval(
    '[data-testid="paths-sankey"] [data-testid="sankey-node"]',
    (gs) => gs.map((g) => [g.dataset.node, Number(g.dataset.value)])));
  const inOut = {};
  for (const { source, target, value } of edges) {
    (inOut[source] ??= [0, 0])[1] += value;
    (inOut[target] ??= [0, 0])[0] += value;
  }
  assert.deepEqual(nodes, Object.fromEntries(Object.entries(inOut)
    .map(([node, [entering, leaving]]) => [node, Math.max(entering, leaving)])));
  const rows = await page.$$eval('[data-testid="paths-row"]', (trs) => trs.map((tr) => ({
    source: tr.dataset.source, target: tr.dataset.target,
    value: Number(tr.querySelector('[data-testid="paths-value"]').textContent),
    average_conversion_time: Number(tr.querySelector('[data-testid="paths-time"]').dataset.ms),
  })));
  assert.deepEqual(rows, edges);
  return { query, edges };
}

// The distinct ids of the persons the page lists for `of` (a node or an edge), once listed.
async function shownPathPersons(of) {
  await page.waitForFunction((of) => {
    const list = document.querySelector('[data-testid="path-persons"]');
    return list?.getAttribute('data-of') === of && list.getAttribute('data-state') === 'done';
  }, JSON.stringify(of));
  return (await page.$$eval('[data-testid="path-person-ids"]', (tds) => tds.map((td) => td.textContent)))
    .sort();
}

// The distinct ids of the persons the query API lists for the pathsFilter keys `keys`.
async function apiPathPersons(query, keys) {
  const results = await queryApi({
    kind: 'ActorsQuery', select: ['actor'],
    source: { kind: 'InsightActorsQuery',
              source: { ...query, pathsFilter: { ...query.pathsFilter, ...keys } } },
  });
  return results.map(([actor]) => actor.distinct_ids.join(', ')).sort();
}

test('Paths: the Sankey and the edges of posthog-node page views hold the query API\'s answer; '
     + 'a node\'s persons; saved to a dashboard', async () => {
  const HOME = 'https://shop.test/';
  const PRICING = 'https://shop.test/pricing';
  const SIGNUP = 'https://shop.test/signup';
  const ODD = `https://shop.test/${HOSTILE}`;
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  const start = Date.now() - 3 * 3600 * 1000;
  const views = [
    ['pa-1', HOME, 0], ['pa-1', PRICING, 1], ['pa-1', SIGNUP, 3],
    ['pa-2', HOME, 0], ['pa-2', PRICING, 2], ['pa-2', ODD, 4],
    ['pa-3', HOME, 0], ['pa-3', ODD, 1],
    ['pa-4', HOME, 0], ['pa-4', PRICING, 5], ['pa-4', SIGNUP, 6],
  ];
  for (const [distinctId, $current_url, minutes] of views) {
    client.capture({ distinctId, event: '$pageview', timestamp: new Date(start + minutes * 60000),
                     properties: { $current_url } });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=%24pageview', views.length);

  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.click('[data-testid="insight-tab-paths"]');
  const all = await expectPathsMatchApi();
  assert.deepEqual(all.query.pathsFilter.includeEventTypes, ['$pageview']);
  const home = '1_https://shop.test';
  assert.deepEqual(all.edges.map((e) => `${e.source} -> ${e.target}: ${e.value}`), [
    `${home} -> 2_${PRICING}: 3`,
    `2_${PRICING} -> 3_${SIGNUP}: 2`,
    `${home} -> 2_${ODD}: 1`,
    `2_${PRICING} -> 3_${ODD}: 1`,
  ]);
  // 1, 2 and 5 minutes: 2m 40s on average.
  assert.equal(all.edges[0].average_conversion_time, 160000);
  assert.equal(await page.textContent('[data-testid="paths-row"] >> nth=0 >> [data-testid="paths-time"]'),
               '2m 40s');

  // The SDK's URL is text in the diagram and the table, never markup.
  assert.equal(await page.locator('[data-testid="paths-answer"] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(await page.$$eval('[data-testid="sankey-node"]', (gs, key) => gs
    .filter((g) => g.dataset.node === key).map((g) => g.querySelector('title').textContent),
                                     `2_${ODD}`), [`${ODD}\nStep 2: 1 persons`]);
  assert.ok((await page.textContent('[data-testid="paths-table"]')).includes(ODD));

  // A node's persons: those who reached it, then those whose path ended there; an edge's.
  await page.click(`[data-testid="sankey-node"][data-node="2_${PRICING}"] rect`);
  const reached = { kind: 'node', node: `2_${PRICING}`, how: 'reached' };
  assert.deepEqual(await shownPathPersons(reached), ['pa-1', 'pa-2', 'pa-4']);
  assert.deepEqual(await apiPathPersons(all.query, { pathEndKey: `2_${PRICING}` }),
                   ['pa-1', 'pa-2', 'pa-4']);
  await page.click(`[data-testid="sankey-node"][data-node="3_${SIGNUP}"] rect`);
  await page.check('[data-testid="path-persons-dropped"]');
  assert.deepEqual(await shownPathPersons({ kind: 'node', node: `3_${SIGNUP}`, how: 'dropped' }),
                   ['pa-1', 'pa-4']);
  await page.locator('[data-testid="paths-row"]', { hasText: ODD }).first().click();
  assert.deepEqual(await shownPathPersons({ kind: 'edge', source: home, target: `2_${ODD}` }),
                   ['pa-3']);
  assert.equal(await page.locator('[data-testid="path-persons"] img').count(), 0);

  // A start point, suggested from the project's page URLs as it is typed.
  await page.locator('[data-testid="path-start"]').pressSequentially('pric');
  await page.waitForSelector(`[data-testid="path-start-suggestions"] option[value="${PRICING}"]`,
                             { state: 'attached' });
  await page.fill('[data-testid="path-start"]', PRICING);
  await page.press('[data-testid="path-start"]', 'Enter');
  await page.waitForURL(/startPoint/);
  await page.selectOption('[data-testid="path-steps"]', '3');
  const fromPricing = await expectPathsMatchApi();
  assert.equal(fromPricing.query.pathsFilter.startPoint, PRICING);
  assert.equal(fromPricing.query.pathsFilter.stepLimit, 3);
  assert.deepEqual(fromPricing.edges.map((e) => `${e.source} -> ${e.target}: ${e.value}`),
                   [`1_${PRICING} -> 2_${SIGNUP}: 2`, `1_${PRICING} -> 2_${ODD}: 1`]);

  // Saved; Saved insights opens it in the Paths editor; on a dashboard it is drawn as a Sankey.
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'From pricing');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [saved] = (await hoglet.api('GET', '/api/projects/1/insights/?search=From%20pricing'))
    .body.results;
  assert.deepEqual(saved.query, { kind: 'InsightVizNode', source: fromPricing.query });
  await page.click('nav >> text=Saved insights');
  await page.click(`[data-testid="insight-row"][data-short-id="${saved.short_id}"] a`);
  await page.waitForURL(/\/insights\/paths\?q=/);
  assert.deepEqual((await expectPathsMatchApi()).query, fromPricing.query);

  const [dashboard] = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved.id}/`, { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved.short_id}"]`;
  await page.waitForSelector(`${tile} [data-testid="sankey-link"]`);
  const drawn = await page.$$eval(`${tile} [data-testid="sankey-link"]`, (paths) => paths.map((p) =>
    `${p.dataset.source} -> ${p.dataset.target}: ${p.dataset.value}`));
  assert.deepEqual(drawn.sort(), fromPricing.edges.map((e) => `${e.source} -> ${e.target}: ${e.value}`)
    .sort());
  assert.equal(await page.locator(`${tile} img`).count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(consoleErrors, []);
});

// ---- Feature flag editor, posthog-js receiving a flag made in the app, SQL insights,
// ---- accessibility (axe-core) and screenshots of the main screens.

const FLAG_EDITOR = '[data-testid="flag-editor"]';

async function flagFromApi(key) {
  const { body } = await hoglet.api('GET', '/api/projects/1/feature_flags/?limit=1000');
  return body.results.find((f) => f.key === key);
}

// Fills property filter `j` of condition set `i` in the flag editor (adding it first).
async function addFlagProperty(i, { key, operator, value }) {
  const condition = page.locator('[data-testid="flag-condition"]').nth(i);
  await condition.locator('[data-testid="flag-add-property"]').click();
  const row = condition.locator('[data-testid="flag-property"]').last();
  await row.locator('input[name="property_key"]').fill(key);
  await row.locator('select[name="property_operator"]').selectOption(operator);
  if (value !== undefined) await row.locator('input[name="property_value"]').fill(value);
}

async function setVariants(variants) {
  const rows = page.locator('[data-testid="flag-variant"]');
  while (await rows.count() < variants.length) await page.click('[data-testid="flag-add-variant"]');
  for (const [i, { key, name = '', rollout, payload = '' }] of variants.entries()) {
    const row = rows.nth(i);
    await row.locator('input[name="variant_key"]').fill(key);
    await row.locator('input[name="variant_name"]').fill(name);
    await row.locator('input[name="variant_rollout"]').fill(String(rollout));
    await row.locator('textarea[name="variant_payload"]').fill(payload);
  }
}

async function saveNewFlag() {
  await page.click('[data-testid="flag-save"]');
  await page.waitForURL(/\/feature_flags\/\d+$/);
  await page.waitForSelector('[data-testid="flag-page"][data-flag-id]');
  return Number(page.url().match(/(\d+)$/)[1]);
}

test('Feature flags: the full editor validates, creates, edits, aggregates by group and deletes',
     async () => {
  // A group type, from an event that names a company.
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  client.capture({ distinctId: 'ff-1', event: 'joined team', groups: { company: 'acme' } });
  await client.shutdown();
  assert.ok(await hoglet.waitFor(async () =>
    (await hoglet.api('GET', '/api/projects/1/groups_types/')).body?.length > 0));

  await page.click('nav >> text=Feature flags');
  await page.click('[data-testid="flag-new"]');
  await page.waitForSelector(FLAG_EDITOR);
  const save = page.locator('[data-testid="flag-save"]');

  // The form says what is wrong, field by field, and does not save until it is right.
  await page.fill(`${FLAG_EDITOR} input[name="flag_key"]`, 'checkout v2');
  assert.match(await page.textContent('[data-testid="flag-error-key"]'), /Only letters, numbers/);
  assert.equal(await save.isDisabled(), true);
  await page.fill(`${FLAG_EDITOR} input[name="flag_key"]`, 'checkout-v2');
  await page.fill(`${FLAG_EDITOR} input[name="flag_name"]`, 'The second checkout');
  await addFlagProperty(0, { key: 'email', operator: 'icontains', value: '@example.com' });
  await page.click('[data-testid="flag-add-condition"]');
  await addFlagProperty(1, { key: 'plan', operator: 'exact', value: 'pro, enterprise' });
  await page.locator('[data-testid="flag-condition"]').nth(1).locator('input[name="condition_rollout"]')
    .fill('150');
  assert.match(await page.textContent('[data-testid="flag-error-condition-1-rollout"]'),
               /percentage from 0 to 100/);
  await page.locator('[data-testid="flag-condition"]').nth(1).locator('input[name="condition_rollout"]')
    .fill('50');
  await page.check(`${FLAG_EDITOR} input[name="flag_multivariate"]`);
  await setVariants([{ key: 'control', rollout: 50, payload: '{"color":"blue"}' },
                     { key: 'test', name: 'New layout', rollout: 40, payload: '{oops' }]);
  assert.equal(await page.textContent('[data-testid="flag-error-variants"]'),
               'Variant rollout percentages must sum to 100 (they sum to 90).');
  assert.equal(await page.textContent('[data-testid="flag-error-payload-1"]'),
               'The payload is not valid JSON.');
  await setVariants([{ key: 'control', rollout: 50, payload: '{"color":"blue"}' },
                     { key: 'control', name: 'New layout', rollout: 50,
                       payload: '{"color": "green", "size": 2}' }]);
  assert.equal(await page.textContent('[data-testid="flag-error-variant-1"]'),
               'The key control is used twice.');
  await page.locator('[data-testid="flag-variant"]').nth(1).locator('input[name="variant_key"]')
    .fill('test');
  await page.locator('[data-testid="flag-condition"]').nth(1).locator('select[name="condition_variant"]')
    .selectOption('test');
  assert.equal(await page.locator(`${FLAG_EDITOR} .field-error`).count(), 0);

  // What only the server checks comes back as its 400, shown in the form.
  const email = page.locator('[data-testid="flag-condition"]').nth(0)
    .locator('[data-testid="flag-property"]').nth(0);
  await email.locator('select[name="property_operator"]').selectOption('regex');
  await email.locator('input[name="property_value"]').fill('(a');
  await save.click();
  await page.waitForSelector('[data-testid="flag-server-error"]');
  assert.match(await page.textContent('[data-testid="flag-server-error"]'),
               /the filter on 'email' has a regex that RE2 cannot use/);
  await email.locator('select[name="property_operator"]').selectOption('icontains');
  await email.locator('input[name="property_value"]').fill('@example.com');

  const id = await saveNewFlag();
  let stored = await flagFromApi('checkout-v2');
  assert.equal(stored.id, id);
  assert.equal(stored.name, 'The second checkout');
  assert.equal(stored.active, true);
  assert.deepEqual(stored.filters.groups, [
    { properties: [{ key: 'email', operator: 'icontains', value: '@example.com', type: 'person' }],
      rollout_percentage: 100, variant: null },
    { properties: [{ key: 'plan', operator: 'exact', value: ['pro', 'enterprise'], type: 'person' }],
      rollout_percentage: 50, variant: 'test' },
  ]);
  assert.deepEqual(stored.filters.multivariate.variants, [
    { key: 'control', name: '', rollout_percentage: 50 },
    { key: 'test', name: 'New layout', rollout_percentage: 50 },
  ]);
  assert.deepEqual(stored.filters.payloads,
                   { control: '{"color":"blue"}', test: '{"color": "green", "size": 2}' });
  assert.equal(stored.filters.aggregation_group_type_index, null);

  // The flag's page reopens the same form; an edit is a PATCH that keeps the rest.
  await page.goto(`${hoglet.host}/feature_flags/${id}`);
  await page.waitForSelector(FLAG_EDITOR);
  assert.equal(await page.inputValue(`${FLAG_EDITOR} input[name="flag_name"]`), 'The second checkout');
  assert.equal(await page.inputValue('[data-testid="flag-condition"] >> nth=1 >> input[name="property_value"]'),
               'pro, enterprise');
  await page.fill(`${FLAG_EDITOR} input[name="flag_name"]`, 'Checkout, second try');
  await page.locator('[data-testid="flag-condition"]').nth(1)
    .locator('button', { hasText: 'Remove condition set' }).click();
  await save.click();
  await page.waitForSelector('[data-testid="flag-saved"]');
  stored = await flagFromApi('checkout-v2');
  assert.equal(stored.name, 'Checkout, second try');
  assert.equal(stored.version, 2);
  assert.equal(stored.filters.groups.length, 1);
  assert.equal(stored.filters.multivariate.variants.length, 2);

  // A dependency on another flag made through the API shows in its own row (the flag and the
  // variant it must have) and is written back as it came when the rest changes.
  const dependency = { key: String(id), type: 'flag', value: 'test', operator: 'flag_evaluates_to' };
  const { body: dependent } = await hoglet.api('POST', '/api/projects/1/feature_flags/', {
    key: 'after-checkout', filters: { groups: [{
      properties: [dependency, { key: 'plan', type: 'person', value: ['pro'], operator: 'exact' }],
      rollout_percentage: 100 }] },
  });
  await page.goto(`${hoglet.host}/feature_flags/${dependent.id}`);
  await page.waitForSelector(
    `[data-testid="flag-dependency"] select[name="dependency_flag"] option[value="${id}"]`,
    { state: 'attached' });
  assert.equal(await page.inputValue('[data-testid="flag-dependency"] select[name="dependency_flag"]'),
               String(id));
  assert.equal(await page.inputValue('[data-testid="flag-dependency"] select[name="dependency_value"]'),
               'test');
  assert.deepEqual(await page.$$eval(
    '[data-testid="flag-dependency"] select[name="dependency_value"] option',
    (options) => options.map((o) => o.textContent)),
  ['is enabled', 'is disabled', 'is variant control', 'is variant test']);
  await page.fill('[data-testid="flag-condition"] >> input[name="condition_rollout"]', '30');
  await save.click();
  await page.waitForSelector('[data-testid="flag-saved"]');
  assert.deepEqual((await flagFromApi('after-checkout')).filters.groups, [{
    properties: [dependency, { key: 'plan', type: 'person', value: ['pro'], operator: 'exact' }],
    rollout_percentage: 30,
  }]);

  // A cohort filter and a dependency made in the editor, with experience continuity: /flags
  // gives the flag to the cohort's persons while the flag it depends on is enabled.
  const people = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  people.identify({ distinctId: 'ff-pro', properties: { ff_plan: 'pro' } });
  people.identify({ distinctId: 'ff-free', properties: { ff_plan: 'free' } });
  await people.shutdown();
  const { body: pros } = await hoglet.api('POST', '/api/projects/1/cohorts/', {
    name: 'ff pro plan', filters: { properties: { type: 'AND', values: [
      { key: 'ff_plan', type: 'person', operator: 'exact', value: ['pro'] }] } } });
  const { body: base } = await hoglet.api('POST', '/api/projects/1/feature_flags/', {
    key: 'ff-base', filters: { groups: [{ properties: [], rollout_percentage: 100 }] } });
  await page.goto(`${hoglet.host}/feature_flags/new`);
  await page.waitForSelector(FLAG_EDITOR);
  await page.fill(`${FLAG_EDITOR} input[name="flag_key"]`, 'pro-beta');
  await page.click('[data-testid="flag-add-cohort"]');
  assert.equal(await page.textContent('[data-testid="flag-error-condition-0-property-0"]'),
               'Pick a cohort.');
  await page.waitForSelector(`select[name="cohort_id"] option[value="${pros.id}"]`,
                             { state: 'attached' });
  await page.selectOption('select[name="cohort_id"]', String(pros.id));
  await page.click('[data-testid="flag-add-dependency"]');
  await page.waitForSelector(`select[name="dependency_flag"] option[value="${base.id}"]`,
                             { state: 'attached' });
  await page.selectOption('select[name="dependency_flag"]', String(base.id));
  await page.check(`${FLAG_EDITOR} input[name="flag_continuity"]`);
  const proBetaId = await saveNewFlag();
  const proBeta = await flagFromApi('pro-beta');
  assert.equal(proBeta.ensure_experience_continuity, true);
  assert.deepEqual(proBeta.filters.groups[0].properties, [
    { key: 'id', type: 'cohort', value: pros.id, operator: 'in' },
    { key: String(base.id), type: 'flag', value: true, operator: 'flag_evaluates_to' }]);
  const proBetaFor = async (distinctId) => {
    const response = await fetch(`${hoglet.host}/flags/?v=2`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: PROJECT_TOKEN, distinct_id: distinctId }),
    });
    return (await response.json()).flags['pro-beta']?.enabled;
  };
  assert.ok(await hoglet.waitFor(async () => await proBetaFor('ff-pro') === true));
  assert.equal(await proBetaFor('ff-free'), false);
  // Not in the cohort, and only while the other flag is disabled: nobody gets it now.
  await page.selectOption('select[name="cohort_operator"]', 'not_in');
  await page.selectOption('select[name="dependency_value"]', 'false');
  await page.click('[data-testid="flag-save"]');
  await page.waitForSelector('[data-testid="flag-saved"]');
  assert.deepEqual((await flagFromApi('pro-beta')).filters.groups[0].properties, [
    { key: 'id', type: 'cohort', value: pros.id, operator: 'not_in' },
    { key: String(base.id), type: 'flag', value: false, operator: 'flag_evaluates_to' }]);
  assert.equal(await proBetaFor('ff-pro'), false);
  assert.equal(await proBetaFor('ff-free'), false);
  // A flag cannot depend on itself: the select leaves it out.
  assert.equal(await page.locator(
    `select[name="dependency_flag"] option[value="${proBetaId}"]`).count(), 0);
  // Matched by groups, a cohort filter is refused in the form.
  await page.waitForSelector(`${FLAG_EDITOR} select[name="flag_aggregation"] option[value="0"]`,
                             { state: 'attached' });
  await page.selectOption(`${FLAG_EDITOR} select[name="flag_aggregation"]`, '0');
  assert.equal(await page.textContent('[data-testid="flag-error-condition-0-property-0"]'),
               'Cohort filters match persons: this flag matches groups.');
  assert.equal(await page.locator('[data-testid="flag-save"]').isDisabled(), true);
  // Gone again, so the cohorts test below finds only its own.
  for (const [path, body] of [[`feature_flags/${proBetaId}/`, { deleted: true }],
                              [`cohorts/${pros.id}/`, { deleted: true }]]) {
    const { status } = await hoglet.api('PATCH', `/api/projects/1/${path}`, body);
    assert.equal(status, 200, path);
  }

  // Matched by company: the properties become the group type's, and /flags agrees.
  await page.goto(`${hoglet.host}/feature_flags/new`);
  await page.waitForSelector(`${FLAG_EDITOR} select[name="flag_aggregation"] option[value="0"]`,
                             { state: 'attached' });
  await page.fill(`${FLAG_EDITOR} input[name="flag_key"]`, 'company-beta');
  await page.selectOption(`${FLAG_EDITOR} select[name="flag_aggregation"]`, '0');
  await addFlagProperty(0, { key: 'plan', operator: 'exact', value: 'pro' });
  await page.fill(`${FLAG_EDITOR} textarea[name="payload_true"]`, '{"seats": 10}');
  const groupFlagId = await saveNewFlag();
  const groupFlag = await flagFromApi('company-beta');
  assert.equal(groupFlag.filters.aggregation_group_type_index, 0);
  assert.deepEqual(groupFlag.filters.groups[0].properties,
                   [{ key: 'plan', operator: 'exact', value: ['pro'], type: 'group',
                      group_type_index: 0 }]);
  assert.deepEqual(groupFlag.filters.payloads, { true: '{"seats": 10}' });
  const decide = async (plan) => {
    const response = await fetch(`${hoglet.host}/flags/?v=2`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: PROJECT_TOKEN, distinct_id: 'ff-1', groups: { company: 'acme' },
                             group_properties: { company: { plan } } }),
    });
    return (await response.json()).flags['company-beta'];
  };
  assert.equal((await decide('pro')).enabled, true);
  assert.equal((await decide('pro')).metadata.payload, '{"seats": 10}');
  assert.equal((await decide('free')).enabled, false);

  // Deleted from its page (PATCH {deleted: true}): gone from the list and from /flags.
  page.once('dialog', (dialog) => dialog.accept());
  await page.click('[data-testid="flag-delete"]');
  await page.waitForURL(/\/feature_flags$/);
  await page.waitForSelector('[data-testid="flag-row"][data-key="checkout-v2"]');
  assert.equal(await page.locator('[data-testid="flag-row"][data-key="company-beta"]').count(), 0);
  assert.equal(await flagFromApi('company-beta'), undefined);
  // A soft delete: the flag itself still reads, marked deleted (PostHog's, so it can be restored).
  assert.equal((await hoglet.api('GET', `/api/projects/1/feature_flags/${groupFlagId}/`)).body.deleted,
               true);
  assert.equal(await decide('pro'), undefined);
  assert.deepEqual(consoleErrors.filter((e) => !/status of 400/.test(e)), []);
  consoleErrors.length = 0;
});

const POSTHOG_JS_BUNDLE = readFileSync(
  new URL('./node_modules/posthog-js/dist/array.full.js', import.meta.url));

// A customer's page on its own origin: posthog-js for `distinctId` reports what it got for
// `flagKey` (reading it sends $feature_flag_called, as on any site).
function flagReaderPage(hogletHost, distinctId, flagKey) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pricing</title>
<script src="/posthog-js/array.full.js"></script>
<script>
  posthog.init(${JSON.stringify(PROJECT_TOKEN)}, {
    api_host: ${JSON.stringify(hogletHost)},
    opt_out_useragent_filter: true,
    persistence: 'memory',
    autocapture: false,
    capture_pageview: false,
    request_batching: false,
    bootstrap: { distinctID: ${JSON.stringify(distinctId)} },
  });
  posthog.onFeatureFlags(function () {
    window.__flag = {
      value: posthog.getFeatureFlag(${JSON.stringify(flagKey)}),
      payload: posthog.getFeatureFlagPayload(${JSON.stringify(flagKey)}),
    };
  });
</script></head><body><h1>Pricing</h1></body></html>`;
}

test('A multivariate flag with payloads made in the app reaches posthog-js on a page; its usage',
     async () => {
  const KEY = 'pricing-layout';
  const VARIANTS = [{ key: 'blue', rollout_percentage: 50 }, { key: 'green', rollout_percentage: 50 }];
  const PAYLOADS = { blue: { price: 9, headline: 'Blue' }, green: { price: 12, headline: 'Green' } };
  await page.goto(`${hoglet.host}/feature_flags`);
  await page.click('[data-testid="flag-new"]');
  await page.waitForSelector(FLAG_EDITOR);
  await page.fill(`${FLAG_EDITOR} input[name="flag_key"]`, KEY);
  await page.check(`${FLAG_EDITOR} input[name="flag_multivariate"]`);
  await setVariants(VARIANTS.map((v) => ({ key: v.key, rollout: v.rollout_percentage,
                                           payload: JSON.stringify(PAYLOADS[v.key]) })));
  const id = await saveNewFlag();

  // One visitor for each variant, by PostHog's hash worked out here.
  const visitors = {};
  for (let i = 0; Object.keys(visitors).length < 2; ++i) {
    const variant = variantFor(KEY, `visitor-${i}`, VARIANTS);
    visitors[variant] ??= `visitor-${i}`;
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/posthog-js/array.full.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end(POSTHOG_JS_BUNDLE);
    } else if (url.pathname === '/pricing') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(flagReaderPage(hoglet.host, url.searchParams.get('id'), KEY));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  try {
    for (const [variant, distinctId] of Object.entries(visitors)) {
      const context = await browser.newContext();
      const customer = await context.newPage();
      await customer.goto(`${origin}/pricing?id=${distinctId}`);
      await customer.waitForFunction(() => window.__flag, null, { timeout: 10000 });
      const got = await customer.evaluate(() => window.__flag);
      assert.deepEqual(got, { value: variant, payload: PAYLOADS[variant] }, distinctId);
      // Reading the flag sent $feature_flag_called; the page stays open until hoglet has it.
      const sent = Object.keys(visitors).indexOf(variant) + 1;
      assert.equal((await hoglet.waitForEvents('event=%24feature_flag_called', sent, 20000)).length,
                   sent);
      await context.close();
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }

  // The reads came back as $feature_flag_called events: the flag's usage insight shows them by
  // variant, as the query API answers the same trends query.
  const called = await hoglet.events('event=%24feature_flag_called');
  assert.deepEqual(called.map((e) => [e.distinct_id, e.properties.$feature_flag,
                                      e.properties.$feature_flag_response]).sort(),
                   Object.entries(visitors).map(([variant, id]) => [id, KEY, variant]).sort());
  await page.goto(`${hoglet.host}/feature_flags/${id}`);
  await page.waitForSelector('[data-testid="flag-usage-row"]');
  const expected = await queryApi({
    kind: 'TrendsQuery',
    series: [{ kind: 'EventsNode', event: '$feature_flag_called', name: '$feature_flag_called',
               math: 'total',
               properties: [{ key: '$feature_flag', value: KEY, operator: 'exact', type: 'event' }] }],
    interval: 'day', dateRange: { date_from: '-30d' },
    breakdownFilter: { breakdown: '$feature_flag_response', breakdown_type: 'event' },
  });
  assert.deepEqual(expected.map((r) => [r.label, r.count]).sort(), [['blue', 1], ['green', 1]]);
  const rows = await page.$$eval('[data-testid="flag-usage-row"]', (trs) => trs.map((tr) =>
    [tr.querySelector('th').textContent, Number(tr.querySelector('td').textContent)]));
  assert.deepEqual(rows, expected.map((r) => [r.label, r.count]));
  const chart = JSON.parse(await page.getAttribute('[data-testid="flag-usage"] [data-testid="trends-chart"]',
                                                   'data-series'));
  assert.deepEqual(chart, expected.map((r) => ({ label: r.label, data: r.data })));
  assert.deepEqual(consoleErrors, []);
});

test('SQL: saved as an insight, reopened in the editor, drawn on a dashboard as a table',
     async () => {
  const query = "SELECT properties.$browser AS browser, count() AS views FROM events\n" +
    "WHERE event = 'viewed page' GROUP BY browser ORDER BY browser";
  await page.click('nav >> text=SQL');
  await page.fill('[data-testid="sql-input"]', query);
  await page.click('[data-testid="sql-run"]');
  await page.waitForSelector('[data-testid="sql-table"]');
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'Views by browser (SQL)');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [saved] = (await hoglet.api('GET', '/api/projects/1/insights/?search=Views%20by%20browser'))
    .body.results;
  assert.deepEqual(saved.query,
                   { kind: 'DataVisualizationNode', source: { kind: 'HogQLQuery', query } });

  // Saved insights opens it in the SQL editor, which runs it.
  await page.click('nav >> text=Saved insights');
  await page.click(`[data-testid="insight-row"][data-short-id="${saved.short_id}"] a`);
  await page.waitForURL(/\/sql\?q=/);
  assert.equal(await page.inputValue('[data-testid="sql-input"]'), query);
  await page.waitForSelector('[data-testid="sql-table"]');
  const { body } = await hoglet.api('POST', '/api/projects/1/query/',
                                    { query: { kind: 'HogQLQuery', query } });
  assert.deepEqual(body.results, [['Chrome', 3], ['Firefox', 2], ['Safari', 1]]);
  const asText = body.results.map((row) => row.map((value) => String(value)));
  assert.deepEqual(await tableRows('sql-table'), asText);

  // On a dashboard the server computes it and the tile draws its rows.
  const { body: dashboard } = await hoglet.api('POST', '/api/projects/1/dashboards/',
                                               { name: 'SQL board' });
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved.id}/`, { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved.short_id}"]`;
  await page.waitForSelector(`${tile} [data-testid="insight-sql-table"]`);
  assert.deepEqual(await page.$$eval(`${tile} [data-testid="insight-sql-table"] th`,
                                     (ths) => ths.map((th) => th.textContent)), ['browser', 'views']);
  assert.deepEqual(await tableRows('insight-sql-table'), asText);
  await page.click(`${tile} h2 a`);
  await page.waitForURL(/\/sql\?q=/);
  assert.equal(await page.inputValue('[data-testid="sql-input"]'), query);
  assert.deepEqual(consoleErrors, []);
});

test('SQL: the answer drawn as bars, a line or a number of the chosen columns, saved with its '
     + 'chart and drawn so on a dashboard; Trends: a line in the colour picked for it', async () => {
  const query = "SELECT properties.$browser AS browser, count() AS views, count() * 2 AS doubled\n" +
    "FROM events WHERE event = 'viewed page' GROUP BY browser ORDER BY browser";
  await page.goto(`${hoglet.host}/sql?q=${encodeURIComponent(query)}`);
  await page.waitForSelector('[data-testid="sql-table"]');
  const chartOf = async (scope = '') => {
    await page.waitForSelector(`${scope} [data-testid="sql-chart"] [data-series]`);
    return { display: await page.getAttribute(`${scope} [data-testid="sql-chart"]`, 'data-display'),
             series: JSON.parse(await page.getAttribute(`${scope} [data-testid="sql-chart"] [data-series]`,
                                                        'data-series')) };
  };
  const chartParam = () => JSON.parse(new URL(page.url()).searchParams.get('chart'));

  // Bars of every column of numbers over the first column, by default.
  await page.selectOption('[data-testid="sql-display"]', 'ActionsBar');
  assert.deepEqual(await chartOf(), { display: 'ActionsBar', series: [
    { label: 'views', data: [3, 2, 1] }, { label: 'doubled', data: [6, 4, 2] }] });
  assert.equal(await page.inputValue('[data-testid="sql-x-axis"]'), 'browser');
  assert.deepEqual(await page.$$eval('[data-testid="trends-bar"] title', (ts) =>
    ts.slice(0, 3).map((t) => t.textContent)), ['views, Chrome: 3', 'views, Firefox: 2',
                                                 'views, Safari: 1']);
  assert.deepEqual(chartParam(), { display: 'ActionsBar' });

  // One column chosen, as a line; the link keeps the chart.
  await page.locator('[data-testid="sql-y-axis"] input[value="doubled"]').uncheck();
  await page.selectOption('[data-testid="sql-display"]', 'ActionsLineGraph');
  assert.deepEqual(await chartOf(), { display: 'ActionsLineGraph',
                                      series: [{ label: 'views', data: [3, 2, 1] }] });
  assert.equal(await page.locator('[data-testid="sql-chart"] canvas').count(), 1);
  await page.locator('[data-testid="sql-chart-settings"]').scrollIntoViewIfNeeded();
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'sql-chart.png') });
  const chart = { display: 'ActionsLineGraph',
                  chartSettings: { yAxis: [{ column: 'views' }] } };
  assert.deepEqual(chartParam(), chart);
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  assert.deepEqual((await chartOf()).series, [{ label: 'views', data: [3, 2, 1] }]);
  assert.equal(await page.inputValue('[data-testid="sql-display"]'), 'ActionsLineGraph');

  // Saved, the node holds PostHog's display and chartSettings; a dashboard draws the line.
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'Views line (SQL)');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [saved] = (await hoglet.api('GET', '/api/projects/1/insights/?search=Views%20line'))
    .body.results;
  assert.deepEqual(saved.query, { kind: 'DataVisualizationNode',
                                  source: { kind: 'HogQLQuery', query }, ...chart });
  const { body: dashboard } = await hoglet.api('POST', '/api/projects/1/dashboards/',
                                               { name: 'SQL chart board' });
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved.id}/`, { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved.short_id}"]`;
  assert.deepEqual(await chartOf(tile), { display: 'ActionsLineGraph',
                                          series: [{ label: 'views', data: [3, 2, 1] }] });
  await page.click(`${tile} h2 a`);
  await page.waitForURL(/\/sql\?q=.*&chart=/);
  assert.deepEqual(chartParam(), chart);

  // A number: the first row's value of the first drawn column.
  await page.waitForSelector('[data-testid="sql-chart"]');
  await page.selectOption('[data-testid="sql-display"]', 'BoldNumber');
  assert.equal(await page.getAttribute('[data-testid="trends-number"]', 'data-value'), '3');
  // The table keeps the chosen columns for the next chart.
  await page.selectOption('[data-testid="sql-display"]', 'ActionsTable');
  await page.waitForSelector('[data-testid="sql-table"]');
  assert.equal(await page.locator('[data-testid="sql-chart"]').count(), 0);
  assert.deepEqual(chartParam(), { chartSettings: chart.chartSettings });

  // Trends: Firefox's line takes the fifth colour of the palette (PostHog's "preset-5", in
  // resultCustomizations by value); the others keep theirs.
  const trends = { kind: 'TrendsQuery', interval: 'day', dateRange: { date_from: '-14d' },
                   series: [{ kind: 'EventsNode', event: 'viewed page', name: 'viewed page',
                              math: 'total' }],
                   breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } };
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(trends))}`);
  await page.waitForSelector('[data-testid="trends-chart"]');
  const colors = async () =>
    JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-colors'));
  const labels = (await shownResults()).chart.map((line) => line.label);
  const firefox = labels.indexOf('Firefox');
  const before = await colors();
  const picker = page.locator('[data-testid="trends-row"]', { hasText: 'Firefox' })
    .locator('[data-testid="line-color"]');
  await picker.locator('summary').click();
  await picker.locator('.palette').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS_DIR, 'trends-line-colour.png') });
  await picker.locator('[data-token="preset-5"]').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('preset-5'));
  const colored = await shownTrendsQuery();
  assert.deepEqual(colored.trendsFilter, { resultCustomizations: {
    '{"series":0,"breakdown_value":["Firefox"]}': { assignmentBy: 'value', color: 'preset-5' } } });
  const after = await colors();
  assert.equal(after[firefox], '#f14f58');
  assert.deepEqual(after.filter((_, i) => i !== firefox), before.filter((_, i) => i !== firefox));
  assert.equal(await picker.getAttribute('data-color'), '#f14f58');
  // Hidden, the line keeps its colour in the link; shown again, it comes back in it.
  await page.locator('[data-testid="trends-row"]', { hasText: 'Firefox' })
    .locator('[data-testid="trends-line-shown"]').uncheck();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('hidden'));
  assert.deepEqual((await shownTrendsQuery()).trendsFilter.resultCustomizations, {
    '{"series":0,"breakdown_value":["Firefox"]}':
      { assignmentBy: 'value', color: 'preset-5', hidden: true } });
  await page.locator('[data-testid="trends-row"]', { hasText: 'Firefox' })
    .locator('[data-testid="trends-line-shown"]').check();
  await page.waitForFunction(() => !new URL(location.href).searchParams.get('q')
    ?.includes('hidden'));
  assert.equal((await colors())[firefox], '#f14f58');
  assert.deepEqual(consoleErrors, []);
});

const AXE_SOURCE = readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const ARTIFACTS_DIR = join(process.env.HOGLET_ARTIFACTS_DIR ??
                           new URL('../../build/test-artifacts', import.meta.url).pathname,
                           'web-screenshots');

// Runs axe-core on what `tab` shows and writes its screenshot; the serious and critical
// violations, as "screen: rule (impact) at selectors".
async function auditScreen(tab, name) {
  await tab.waitForFunction(() => document.querySelector('main, section.page, form') &&
                                  !document.body.innerText.includes('Loading…'));
  await tab.waitForTimeout(150);  // charts draw on the next frame
  await tab.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`) });
  await tab.addScriptTag({ content: AXE_SOURCE });
  const violations = await tab.evaluate(async () =>
    (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}) at ${v.nodes.slice(0, 3)
        .map((n) => n.target.join(' ')).join(', ')}`));
  return violations.map((v) => `${name}: ${v}`);
}

test('Accessibility: no serious or critical axe-core violation on the main screens; screenshots',
     async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const found = [];
  // The login page, in a browser without the session.
  const anonymous = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const login = await anonymous.newPage();
  await login.goto(`${hoglet.host}/`);
  await login.waitForSelector('[data-testid="login-form"]');
  found.push(...await auditScreen(login, 'login'));
  await anonymous.close();

  // The app's screens, in a context holding the session's cookies (axe is injected, so the
  // page's CSP is bypassed there).
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  await context.addCookies(await page.context().cookies());
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(String(error)));
  const dashboards = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;
  const board = dashboards.find((d) => d.name !== 'SQL board') ?? dashboards[0];
  const [person] = (await hoglet.api('GET', '/api/projects/1/persons/?search=user-2')).body.results;
  const flag = await flagFromApi('pricing-layout');
  const trends = { kind: 'TrendsQuery', interval: 'day', dateRange: { date_from: '-14d' },
                   series: [{ kind: 'EventsNode', event: 'viewed page', name: 'viewed page',
                              math: 'total' }],
                   breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } };
  const screens = [
    ['trends', `/insights/trends?q=${encodeURIComponent(JSON.stringify(trends))}`,
     '[data-testid="trends-chart"] canvas'],
    ['funnels', '/insights/funnels', 'h1, .page'],
    ['retention', '/insights/retention', 'h1, .page'],
    ['paths', '/insights/paths', '[data-testid="sankey-link"]'],
    ['dashboards', '/dashboards', '[data-testid="dashboard-row"]'],
    ['dashboard', `/dashboards/${board.id}`, '[data-testid="dashboard-tile"]'],
    ['sql', `/sql?q=${encodeURIComponent('SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC')}`,
     '[data-testid="sql-table"]'],
    ['activity', '/activity', '[data-testid="event-row"]'],
    ['persons', '/persons', '[data-testid="person-row"]'],
    ['person', `/persons/${person.uuid}`, '[data-testid="person-events-row"]'],
    ['feature-flags', '/feature_flags', '[data-testid="flag-row"]'],
    ['feature-flag', `/feature_flags/${flag.id}`, '[data-testid="flag-usage-row"]'],
    ['actions', '/actions', '[data-testid="action-row"]'],
    ['annotations', '/annotations', 'h1'],
  ];
  for (const [name, path, ready] of screens) {
    await tab.goto(`${hoglet.host}${path}`);
    await tab.waitForSelector(ready);
    found.push(...await auditScreen(tab, name));
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
});

// Trends editor: the answer the page shows for the query in its URL, once it arrived (or the
// error the server gave for it), and that query.
async function shownTrendsQuery(testid = 'trends-answer') {
  const q = new URL(page.url()).searchParams.get('q');
  await page.waitForFunction(({ q, testid }) =>
    document.querySelector(`[data-testid="${testid}"]`)?.getAttribute('data-query')
      === JSON.stringify(JSON.parse(q)), { q, testid });
  return JSON.parse(q);
}

// Picks `value` in a select once the option is there (definitions load after the page).
async function pick(testid, value) {
  await page.waitForSelector(`[data-testid="${testid}"] option[value="${value}"]`,
                             { state: 'attached' });
  await page.selectOption(`[data-testid="${testid}"]`, value);
}

// The distinct ids of the persons the API's actors query lists for an InsightActorsQuery.
async function apiActors(source) {
  const { status, body } = await hoglet.api('POST', '/api/projects/1/query/', {
    query: { kind: 'ActorsQuery', select: ['person'], source, limit: 1000 } });
  assert.equal(status, 200, JSON.stringify(body));
  return body.results.flatMap((row) => row[0].distinct_ids).sort();
}

test('Trends editor: formula, OR filter groups, compare, a property math, every display and '
     + 'the persons of a point hold the query API\'s answer', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  const now = new Date();
  const yesterday = new Date(now.getTime() - DAY_MS);
  const bought = [
    ['tr-1', now, 'pro', 10, 'Chrome', 'US'], ['tr-1', now, 'free', 30, 'Chrome', 'US'],
    ['tr-2', now, 'free', 5, 'Firefox', 'DE'], ['tr-3', now, 'basic', 7, 'Safari', 'FR'],
    ['tr-4', yesterday, 'pro', 20, 'Safari', 'US'],
  ];
  for (const [distinctId, timestamp, plan, amount, $browser, $geoip_country_code] of bought) {
    client.capture({ distinctId, event: 'bought', timestamp,
                     properties: { plan, amount, $browser, $geoip_country_code } });
  }
  const visited = ['tr-1', 'tr-2', 'tr-3', 'tr-4', 'tr-5', 'tr-5'];
  for (const distinctId of visited) {
    client.capture({ distinctId, event: 'visited', timestamp: now, properties: { $browser: 'Chrome' } });
  }
  client.capture({ distinctId: 'tr-6', event: 'labelled', timestamp: now,
                  properties: { plan: HOSTILE } });
  client.identify({ distinctId: 'tr-1', properties: { tier: 'gold' } });
  client.identify({ distinctId: 'tr-2', properties: { tier: 'silver' } });
  await client.shutdown();
  await hoglet.waitForEvents('event=bought', bought.length);
  await hoglet.waitForEvents('event=visited', visited.length);
  await hoglet.waitForEvents('event=%24identify', 2);

  // Two series and a formula over them: bought / visited * 100 per day.
  await page.goto(`${hoglet.host}/insights/trends`);
  await pick('series-0-event', 'bought');
  await page.click('[data-testid="add-series"]');
  await pick('series-1-event', 'visited');
  await page.fill('[data-testid="formula"]', 'A/B*100');
  await page.press('[data-testid="formula"]', 'Enter');
  let { query, expected } = await expectPageMatchesApi();
  assert.deepEqual(query.trendsFilter.formulaNodes, [{ formula: 'A/B*100' }]);
  assert.equal(expected.length, 1);
  assert.equal(expected[0].label, 'Formula (A/B*100)');
  const today = expected[0].data.at(-1);
  assert.ok(Math.abs(today - 4 / 6 * 100) < 1e-9, `today: 4 bought / 6 visits, got ${today}`);

  // Named, the formula's line carries the name (the server labels it so).
  await page.fill('[data-testid="formula-name"]', 'Conversion %');
  await page.press('[data-testid="formula-name"]', 'Enter');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.trendsFilter.formulaNodes,
                   [{ formula: 'A/B*100', custom_name: 'Conversion %' }]);
  assert.deepEqual(expected.map((r) => r.label), ['Conversion %']);

  // A second formula draws its own line; hiding it keys it as PostHog does ("formula2").
  await page.fill('[data-testid="formula-1"]', 'A+B');
  await page.press('[data-testid="formula-1"]', 'Enter');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.trendsFilter.formulaNodes,
                   [{ formula: 'A/B*100', custom_name: 'Conversion %' }, { formula: 'A+B' }]);
  assert.deepEqual(expected.map((r) => r.label), ['Conversion %', 'Formula (A+B)']);
  assert.equal(expected[1].data.at(-1), 4 + 6);
  const secondShown = page.locator('[data-testid="trends-row"]').nth(1)
    .locator('[data-testid="trends-line-shown"]');
  await secondShown.uncheck();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('resultCustomizations'));
  query = await shownTrendsQuery();
  assert.deepEqual(Object.keys(query.trendsFilter.resultCustomizations), ['{"series":"formula2"}']);
  assert.deepEqual((await shownResults()).chart.map((line) => line.label), ['Conversion %']);
  await secondShown.check();
  await page.fill('[data-testid="formula-1"]', '');
  await page.press('[data-testid="formula-1"]', 'Enter');
  ({ query } = await expectPageMatchesApi());
  assert.deepEqual(query.trendsFilter,
                   { formulaNodes: [{ formula: 'A/B*100', custom_name: 'Conversion %' }] });

  // A bad formula shows the server's message (the browser logs the 400).
  await page.fill('[data-testid="formula"]', 'A/');
  await page.press('[data-testid="formula"]', 'Enter');
  await shownTrendsQuery('trends-error');
  assert.match(await page.textContent('[data-testid="trends-error"]'), /formula/);
  assert.match(consoleErrors.pop() ?? '', /status of 400/);
  await page.fill('[data-testid="formula"]', '');
  await page.press('[data-testid="formula"]', 'Enter');
  await page.click('[data-testid="series-1-remove"]');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.trendsFilter, undefined);
  assert.equal(query.series.length, 1);

  // A filter group whose filters are ORed: plan = pro OR $browser = Firefox. Typing a value
  // suggests the values seen.
  await page.click('[data-testid="filter-groups-add"]');
  await pick('filter-group-0-filters-0-key', 'event:plan');
  await page.selectOption('[data-testid="filter-group-0-filters-0-operator"]', 'exact');
  await page.fill('[data-testid="filter-group-0-filters-0-value"]', 'pr');
  await page.waitForSelector('[data-testid="filter-group-0-filters-0-suggestions"] option[value="pro"]',
                             { state: 'attached' });
  await page.fill('[data-testid="filter-group-0-filters-0-value"]', 'pro');
  await page.press('[data-testid="filter-group-0-filters-0-value"]', 'Enter');
  await page.click('[data-testid="filter-group-0-filters-add"]');
  await pick('filter-group-0-filters-1-key', 'event:$browser');
  await page.selectOption('[data-testid="filter-group-0-filters-1-operator"]', 'exact');
  await page.fill('[data-testid="filter-group-0-filters-1-value"]', 'Firefox');
  await page.press('[data-testid="filter-group-0-filters-1-value"]', 'Enter');
  await page.selectOption('[data-testid="filter-group-0-type"]', 'OR');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.properties, { type: 'AND', values: [{ type: 'OR', values: [
    { key: 'plan', type: 'event', operator: 'exact', value: ['pro'] },
    { key: '$browser', type: 'event', operator: 'exact', value: ['Firefox'] }] }] });
  assert.equal(expected[0].count, 3, 'tr-1\'s and tr-4\'s pro purchases and tr-2\'s Firefox one');

  // A property math: the sum of amount over the same events.
  await page.selectOption('[data-testid="series-0-math"]', 'sum');
  await pick('series-0-math-property', 'amount');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.series[0], { kind: 'EventsNode', event: 'bought', name: 'bought',
                                      math: 'sum', math_property: 'amount' });
  assert.equal(expected[0].count, 10 + 20 + 5);

  // Compared with the previous period: the current line, then the previous one.
  await page.check('[data-testid="compare"]');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.compareFilter, { compare: true });
  assert.deepEqual(expected.map((r) => r.compare_label), ['current', 'previous']);
  await page.uncheck('[data-testid="compare"]');
  await page.click('[data-testid="filter-group-0-remove"]');
  await page.selectOption('[data-testid="series-0-math"]', 'total');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.properties, undefined);
  assert.equal(query.compareFilter, undefined);

  // A HogQL expression filter: purchases of at least 10 by a gold-tier person or on Safari (tr-1's
  // 10 and 30, tr-4's 20; not tr-3's 7 on Safari).
  const expression = "toFloat(properties.amount) >= 10 AND "
                     + "(person.properties.tier = 'gold' OR properties.$browser = 'Safari')";
  await page.click('[data-testid="filter-groups-add"]');
  await pick('filter-group-0-filters-0-key', 'hogql:');
  await page.fill('[data-testid="filter-group-0-filters-0-expression"]', expression);
  await page.press('[data-testid="filter-group-0-filters-0-expression"]', 'Enter');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.properties, { type: 'AND', values: [{ type: 'AND', values: [
    { key: expression, type: 'hogql' }] }] });
  assert.equal(expected[0].count, 3);
  // One the engine refuses shows its message.
  await page.fill('[data-testid="filter-group-0-filters-0-expression"]', 'properties.amount >=');
  await page.press('[data-testid="filter-group-0-filters-0-expression"]', 'Enter');
  await shownTrendsQuery('trends-error');
  assert.match(await page.textContent('[data-testid="trends-error"]'),
               /the HogQL filter 'properties\.amount >=': line 1, column \d+/);
  assert.match(consoleErrors.pop() ?? '', /status of 400/);
  await page.click('[data-testid="filter-group-0-remove"]');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.properties, undefined);

  // A series filter on a person property: tr-1's two purchases; then broken down by it.
  await page.click('[data-testid="series-0-filters-add"]');
  await pick('series-0-filters-0-key', 'person:tier');
  await page.selectOption('[data-testid="series-0-filters-0-operator"]', 'exact');
  await page.fill('[data-testid="series-0-filters-0-value"]', 'gold');
  await page.press('[data-testid="series-0-filters-0-value"]', 'Enter');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.series[0].properties,
                   [{ key: 'tier', type: 'person', operator: 'exact', value: ['gold'] }]);
  assert.equal(expected[0].count, 2);
  await page.click('[data-testid="series-0-filters-0-remove"]');
  await page.selectOption('[data-testid="breakdown"]', 'person:tier');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: 'tier', breakdown_type: 'person' });
  assert.deepEqual(expected.filter((r) => r.label === 'gold' || r.label === 'silver')
    .map((r) => `${r.label}: ${r.count}`).sort(), ['gold: 2', 'silver: 1']);
  await page.selectOption('[data-testid="breakdown"]', '');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.breakdownFilter, undefined);

  // Clicking the line chart's last point lists today's buyers (the chart scrolled into view: the
  // editor above it may be taller than the window).
  await page.locator('[data-testid="trends-chart"]').scrollIntoViewIfNeeded();
  const over = await page.locator('[data-testid="trends-chart"] .u-over').boundingBox();
  const buckets = (await queryApi(query))[0].data.length;
  await page.mouse.move(over.x + over.width / 2, over.y + over.height / 2);
  await page.mouse.click(over.x + over.width - 1, over.y + over.height / 2);
  assert.deepEqual(await shownPersons(), ['tr-1', 'tr-2', 'tr-3']);
  assert.ok(buckets > 1);
  await page.click('[data-testid="insight-persons-close"]');

  // Cumulative and stacked-area charts draw the API's lines.
  await page.selectOption('[data-testid="display"]', 'ActionsLineGraphCumulative');
  ({ expected } = await expectPageMatchesApi());
  assert.equal(expected[0].data.at(-1), bought.length, 'the running sum ends at every purchase');
  await page.selectOption('[data-testid="display"]', 'ActionsAreaGraph');
  await expectPageMatchesApi();

  // Number: the total of the range.
  await page.selectOption('[data-testid="display"]', 'BoldNumber');
  query = await shownTrendsQuery();
  expected = await queryApi(query);
  assert.equal(Number(await page.getAttribute('[data-testid="trends-number"]', 'data-value')),
               expected[0].aggregated_value);
  assert.equal(expected[0].aggregated_value, bought.length);

  // Broken down by browser: pie, table and bars hold the API's numbers.
  await pick('breakdown', '$browser');
  await page.selectOption('[data-testid="display"]', 'ActionsPie');
  query = await shownTrendsQuery();
  expected = await queryApi(query);
  const slices = await page.$$eval('[data-testid="trends-pie-slice"]', (paths) =>
    paths.map((p) => ({ label: p.dataset.label, value: Number(p.dataset.value) })));
  assert.deepEqual(slices, expected.map((r) => ({ label: r.label, value: r.aggregated_value })));
  assert.deepEqual(slices.map((s) => `${s.label}: ${s.value}`).sort(),
                   ['Chrome: 2', 'Firefox: 1', 'Safari: 2']);

  await page.selectOption('[data-testid="display"]', 'ActionsTable');
  query = await shownTrendsQuery();
  expected = await queryApi(query);
  const rows = await page.$$eval('[data-testid="trends-totals-row"]', (trs) => trs.map((tr) => ({
    label: tr.querySelector('th').textContent,
    value: Number(tr.querySelector('[data-testid="trends-totals-value"]').dataset.value) })));
  assert.deepEqual(rows, expected.map((r) => ({ label: r.label, value: r.aggregated_value })));
  // A total lists its persons: Safari's are tr-3 and tr-4.
  const safari = expected.findIndex((r) => r.label === 'Safari');
  await page.click(`[data-testid="trends-totals-row"] >> nth=${safari} >> button`);
  assert.deepEqual(await shownPersons(), ['tr-3', 'tr-4']);
  assert.deepEqual(await apiActors({ kind: 'InsightActorsQuery', source: query, series: 0,
                                     breakdown: 'Safari' }), ['tr-3', 'tr-4']);

  await page.selectOption('[data-testid="display"]', 'ActionsBar');
  query = await shownTrendsQuery();
  expected = await queryApi(query);
  assert.deepEqual(JSON.parse(await page.getAttribute('[data-testid="trends-bars"]', 'data-series')),
                   expected.map((r) => ({ label: r.label, data: r.data })));
  const bars = await page.$$eval('[data-testid="trends-bar"]', (rects) =>
    rects.map((r) => Number(r.dataset.value)));
  assert.deepEqual(bars, expected.flatMap((r) => r.data));
  // Today's Chrome bar lists tr-1; yesterday's Safari bar tr-4.
  const chrome = expected.findIndex((r) => r.label === 'Chrome');
  const last = expected[0].data.length - 1;
  await page.click(`[data-testid="trends-bar"][data-series="${chrome}"][data-index="${last}"]`);
  assert.deepEqual(await shownPersons(), ['tr-1']);
  await page.click('[data-testid="insight-persons-close"]');
  await page.click(`[data-testid="trends-bar"][data-series="${safari}"][data-index="${last - 1}"]`);
  assert.deepEqual(await shownPersons(), ['tr-4']);
  assert.deepEqual(await apiActors({ kind: 'InsightActorsQuery', source: query, series: 0,
                                     day: expected[safari].days[last - 1], breakdown: 'Safari' }),
                   ['tr-4']);

  // World map: broken down by country code, each country filled with its total.
  await page.selectOption('[data-testid="display"]', 'WorldMap');
  query = await shownTrendsQuery();
  assert.deepEqual(query.breakdownFilter, { breakdown: '$geoip_country_code', breakdown_type: 'event' });
  expected = await queryApi(query);
  const countries = await page.$$eval('[data-testid="world-country"]:not([data-value="0"])',
    (paths) => paths.map((p) => `${p.dataset.code}: ${p.dataset.value}`).sort());
  assert.deepEqual(countries, expected.map((r) => `${r.breakdown_value}: ${r.aggregated_value}`).sort());
  assert.deepEqual(countries, ['DE: 1', 'FR: 1', 'US: 3']);

  // The whole query is the URL: reopened, the same display of the same answer.
  const shared = page.url();
  await page.goto('about:blank');
  await page.goto(shared);
  assert.deepEqual(await shownTrendsQuery(), query);
  assert.equal(await page.locator('[data-testid="world-country"][data-code="US"]')
    .getAttribute('data-value'), '3');

  // A breakdown value from the SDK is text in the pie's legend, titles and table.
  await pick('series-0-event', 'labelled');
  await pick('breakdown', 'plan');
  await page.selectOption('[data-testid="display"]', 'ActionsPie');
  query = await shownTrendsQuery();
  assert.deepEqual(query.breakdownFilter, { breakdown: 'plan', breakdown_type: 'event' });
  assert.ok((await page.textContent('[data-testid="trends-answer"]')).includes(HOSTILE));
  assert.equal(await page.getAttribute('[data-testid="trends-pie-slice"]', 'data-label'), HOSTILE);
  assert.equal(await page.locator('[data-testid="trends-answer"] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(consoleErrors, []);
});

// ---- Dashboards: the grid, text tiles, dashboard filters and live mode (pages/dashboard.tsx) ----

// What a dashboard tile's chart shows: its lines' labels and values.
async function tileSeries(shortId) {
  return JSON.parse(await page.getAttribute(
    `[data-testid="insight-tile"][data-short-id="${shortId}"] [data-testid="trends-chart"]`,
    'data-series'));
}

// Waits until the tile's chart shows `count` events in all, and returns its lines.
async function tileWithTotal(shortId, count, timeout = 10000) {
  await page.waitForFunction(({ shortId, count }) => {
    const chart = document.querySelector(
      `[data-testid="insight-tile"][data-short-id="${shortId}"] [data-testid="trends-chart"]`);
    if (!chart) return false;
    const series = JSON.parse(chart.getAttribute('data-series'));
    return series.reduce((sum, line) => sum + line.data.reduce((a, b) => a + b, 0), 0) === count;
  }, { shortId, count }, { timeout });
  return tileSeries(shortId);
}

// Where the grid draws each tile: {x, y, w, h} by tile id.
async function gridBoxes() {
  return Object.fromEntries(await page.$$eval('[data-testid="grid-tile"]', (tiles) => tiles.map((t) =>
    [t.dataset.tileId, { x: Number(t.dataset.x), y: Number(t.dataset.y), w: Number(t.dataset.w),
                         h: Number(t.dataset.h) }])));
}

// Drags the element `selector` of tile `tileId` by (dx, dy) pixels with the mouse.
async function dragBy(tileId, selector, dx, dy) {
  const handle = page.locator(`[data-testid="grid-tile"][data-tile-id="${tileId}"] ${selector}`);
  await handle.scrollIntoViewIfNeeded();
  const box = await handle.boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let step = 1; step <= 5; ++step) await page.mouse.move(x + dx * step / 5, y + dy * step / 5);
  await page.mouse.up();
}

test('Dashboards: dragged and resized tiles keep their layout, a text tile shows markup as text, '
     + 'the dashboard\'s date range and filters hold the query API\'s numbers, live mode',
     async () => {
  const EVENT = 'dashboard checked';
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  for (let i = 0; i < 2; ++i) {
    client.capture({ distinctId: 'dash-pro', event: EVENT, timestamp: new Date(now - 60_000 * (i + 1)),
                     properties: { plan: 'pro' } });
  }
  for (let i = 0; i < 3; ++i) {
    client.capture({ distinctId: 'dash-free', event: EVENT, timestamp: new Date(now - 10 * DAY_MS),
                     properties: { plan: 'free' } });
  }
  await client.flush();
  await hoglet.waitForEvents(`event=${encodeURIComponent(EVENT)}`, 5);

  const board = (await hoglet.api('POST', '/api/projects/1/dashboards/', { name: 'Board' })).body;
  const source = { kind: 'TrendsQuery', series: [{ kind: 'EventsNode', event: EVENT, math: 'total' }],
                   interval: 'day', dateRange: { date_from: '-7d' } };
  const created = await hoglet.api('POST', '/api/projects/1/insights/', {
    name: 'Checks', query: { kind: 'InsightVizNode', source }, dashboards: [board.id] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const insight = created.body;
  // Tall enough for the whole grid: the mouse drags what it can reach.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.goto(`${hoglet.host}/dashboards/${board.id}`);
  assert.deepEqual(await tileWithTotal(insight.short_id, 2),
                   (await queryApi(source)).map((r) => ({ label: r.label, data: r.data })));

  // A text tile whose body is markup: shown as text.
  await page.fill('[data-testid="text-tile-form"] textarea', '<b>x</b>');
  await page.click('[data-testid="text-tile-form"] button[type="submit"]');
  await page.waitForSelector('[data-testid="text-tile-body"]');
  assert.equal(await page.textContent('[data-testid="text-tile-body"]'), '<b>x</b>');
  assert.equal(await page.locator('[data-testid="text-tile"] b').count(), 0);
  let tiles = (await hoglet.api('GET', `/api/projects/1/dashboards/${board.id}/`)).body.tiles;
  const chartTile = tiles.find((t) => t.insight).id;
  const textTile = tiles.find((t) => t.text).id;
  assert.equal(tiles.find((t) => t.text).text.body, '<b>x</b>');
  assert.deepEqual(await gridBoxes(), { [chartTile]: { x: 0, y: 0, w: 6, h: 5 },
                                        [textTile]: { x: 0, y: 5, w: 6, h: 2 } });

  // Drag the text tile to the right of the chart and up; make the chart narrower and taller.
  const columnWidth = (await page.locator('[data-testid="tile-grid"]').boundingBox()).width / 12;
  await dragBy(textTile, '[data-testid="tile-drag"]', 6 * columnWidth, -5 * 80);
  await dragBy(chartTile, '[data-testid="tile-resize"]', -columnWidth, 80);
  const expected = { [chartTile]: { x: 0, y: 0, w: 5, h: 6 }, [textTile]: { x: 6, y: 0, w: 6, h: 2 } };
  assert.deepEqual(await gridBoxes(), expected);
  // Saved in PostHog's shape (sm and xs of every tile), then drawn so after a reload.
  await page.waitForFunction(async ({ id, chartTile }) => {
    const body = await (await fetch(`/api/projects/1/dashboards/${id}/`)).json();
    return body.tiles.find((t) => t.id === chartTile).layouts.sm?.h === 6;
  }, { id: board.id, chartTile });
  tiles = (await hoglet.api('GET', `/api/projects/1/dashboards/${board.id}/`)).body.tiles;
  assert.deepEqual(Object.fromEntries(tiles.map((t) => [t.id, t.layouts])), {
    [chartTile]: { sm: expected[chartTile], xs: { x: 0, y: 0, w: 1, h: 6 } },
    [textTile]: { sm: expected[textTile], xs: { x: 0, y: 6, w: 1, h: 2 } },
  });
  await page.reload();
  await page.waitForSelector('[data-testid="grid-tile"]');
  assert.deepEqual(await gridBoxes(), expected);

  // Edited, then deleted.
  await page.click('[data-testid="text-tile-edit-button"]');
  await page.fill('[data-testid="text-tile-edit"] textarea', 'Checked <i>daily</i>');
  await page.click('[data-testid="text-tile-edit"] button[type="submit"]');
  await page.waitForSelector('[data-testid="text-tile-body"] >> text=Checked <i>daily</i>');
  assert.deepEqual((await gridBoxes())[textTile], expected[textTile], 'the edit keeps the layout');

  // The dashboard's date range replaces the insight's: the tile holds the query API's answer.
  await page.selectOption('[data-testid="dashboard-date-range"]', '-30d');
  const month = { ...source, dateRange: { date_from: '-30d', date_to: null } };
  assert.deepEqual(await tileWithTotal(insight.short_id, 5),
                   (await queryApi(month)).map((r) => ({ label: r.label, data: r.data })));
  assert.equal((await tileSeries(insight.short_id))[0].data.length, 31);
  // A property filter of the dashboard, AND-ed with the insight's.
  await page.fill('[data-testid="dashboard-property-form"] input[name="property_key"]', 'plan');
  await page.fill('[data-testid="dashboard-property-form"] input[name="property_value"]', 'pro');
  await page.click('[data-testid="dashboard-property-form"] button[type="submit"]');
  const pro = { ...month, properties: [{ key: 'plan', value: ['pro'], operator: 'exact', type: 'event' }] };
  assert.deepEqual(await tileWithTotal(insight.short_id, 2),
                   (await queryApi(pro)).map((r) => ({ label: r.label, data: r.data })));
  const saved = (await hoglet.api('GET', `/api/projects/1/dashboards/${board.id}/`)).body;
  assert.deepEqual(saved.persisted_filters, { date_from: '-30d', date_to: null,
                                              properties: pro.properties });
  await page.click('[data-testid="dashboard-property-filter"] button');
  await tileWithTotal(insight.short_id, 5);

  // Live mode: an event sent now shows on the tile within seconds, without a click.
  await page.check('[data-testid="dashboard-live"]');
  const sentAt = Date.now();
  client.capture({ distinctId: 'dash-live', event: EVENT, properties: { plan: 'pro' } });
  await client.shutdown();
  await tileWithTotal(insight.short_id, 6, 9000);
  assert.ok(Date.now() - sentAt < 9000);
  await page.uncheck('[data-testid="dashboard-live"]');

  await page.click('[data-testid="text-tile-delete"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="text-tile"]'));
  tiles = (await hoglet.api('GET', `/api/projects/1/dashboards/${board.id}/`)).body.tiles;
  assert.deepEqual(tiles.map((t) => t.id), [chartTile]);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(consoleErrors, []);
});

// Cohorts, groups, data management and settings.
test('cohorts, groups, definitions, project settings and personal API keys', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  for (const [distinctId, plan] of [['wm-1', 'pro'], ['wm-2', 'free'], ['wm-3', 'pro']]) {
    client.identify({ distinctId, properties: { plan, email: `${distinctId}@example.com` } });
  }
  client.groupIdentify({ groupType: 'company', groupKey: 'wm-acme',
                         properties: { name: HOSTILE, employees: 12 } });
  client.capture({ distinctId: 'wm-1', event: 'wm signed up', groups: { company: 'wm-acme' },
                   properties: { source: 'ads' } });
  // wm-3 opened the app three hours ago and paid an hour ago (a sequence criterion's events).
  client.capture({ distinctId: 'wm-3', event: 'wm opened',
                   timestamp: new Date(Date.now() - 3 * 3600 * 1000) });
  client.capture({ distinctId: 'wm-3', event: 'wm paid', timestamp: new Date(Date.now() - 3600 * 1000) });
  await client.shutdown();
  const uuidOf = {};
  assert.ok(await hoglet.waitFor(async () => {
    for (const id of ['wm-1', 'wm-2', 'wm-3']) {
      const { body } = await hoglet.api('GET', `/api/projects/1/persons/?distinct_id=${id}`);
      if (body.results.length !== 1 || !body.results[0].properties.plan) return false;
      uuidOf[id] = body.results[0].uuid;
    }
    const groups = await hoglet.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return groups.body.results.some((g) => g.group_key === 'wm-acme');
  }), 'persons and the group were ingested');
  await hoglet.waitForEvents('event=wm%20signed%20up', 1);
  await hoglet.waitForEvents('event=wm%20paid', 1);
  const signupAction = await hoglet.api('POST', '/api/projects/1/actions/',
                                        { name: 'wm signup action', steps: [{ event: 'wm signed up' }] });
  assert.equal(signupAction.status, 201, JSON.stringify(signupAction.body));
  const shownPersons = () => page.$$eval('[data-testid="cohort-person-row"]',
                                         (trs) => trs.map((tr) => tr.dataset.uuid).sort());
  // Waits until the cohort's page lists exactly the person `uuid`.
  const shownOnly = (uuid) => page.waitForFunction((uuid) => {
    const rows = [...document.querySelectorAll('[data-testid="cohort-person-row"]')];
    return rows.length === 1 && rows[0].dataset.uuid === uuid;
  }, uuid);
  const apiPersons = async (id) => (await hoglet.api('GET', `/api/projects/1/cohorts/${id}/persons/`))
    .body.results.map((p) => p.uuid).sort();

  // A dynamic cohort by a person property; its page lists the API's persons.
  await page.click('nav >> text=Cohorts');
  await page.waitForSelector('[data-testid="cohort-form"]');
  await page.fill('[data-testid="cohort-name"]', 'Pro plan');
  await page.fill('[data-testid="cohort-form"] [data-testid="criterion-key"]', 'plan');
  await page.fill('[data-testid="cohort-form"] [data-testid="criterion-value"]', 'pro');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForURL(/\/cohorts\/\d+$/);
  const dynamicId = Number(new URL(page.url()).pathname.split('/').pop());
  await page.waitForSelector('[data-testid="cohort-person-row"]');
  assert.deepEqual(await shownPersons(), [uuidOf['wm-1'], uuidOf['wm-3']].sort());
  assert.deepEqual(await shownPersons(), await apiPersons(dynamicId));
  const stored = (await hoglet.api('GET', `/api/projects/1/cohorts/${dynamicId}/`)).body;
  assert.deepEqual(stored.filters.properties.values[0].values[0],
                   { type: 'person', key: 'plan', operator: 'exact', value: 'pro' });

  // A behavioural criterion is saved, and the cohort's page lists who performed the event.
  await page.selectOption('[data-testid="cohort-form"] [data-testid="criterion-kind"]', 'behavioral');
  await page.selectOption('[data-testid="criterion-event"]', 'event:wm signed up');
  await page.click('[data-testid="cohort-save"]');
  await shownOnly(uuidOf['wm-1']);
  assert.equal(await page.locator('[data-testid="cohort-error"]').count(), 0);
  assert.deepEqual(await apiPersons(dynamicId), [uuidOf['wm-1']]);
  const behavioural = (await hoglet.api('GET', `/api/projects/1/cohorts/${dynamicId}/`)).body;
  assert.deepEqual(
    (({ type, value, key, event_type }) => ({ type, value, key, event_type }))(
      behavioural.filters.properties.values[0].values[0]),
    { type: 'behavioral', value: 'performed_event', key: 'wm signed up', event_type: 'events' });

  // Completed at least twice: nobody (wm-1 did it once). Did not complete it: wm-2 and wm-3.
  const criterion = async () => (await hoglet.api('GET', `/api/projects/1/cohorts/${dynamicId}/`))
    .body.filters.properties.values[0].values[0];
  await page.selectOption('[data-testid="criterion-behavior"]', 'performed_event_multiple');
  await page.fill('[data-testid="criterion-count"]', '2');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-persons-empty"]');
  assert.deepEqual(await apiPersons(dynamicId), []);
  assert.deepEqual(
    (({ value, key, operator, operator_value }) => ({ value, key, operator, operator_value }))(
      await criterion()),
    { value: 'performed_event_multiple', key: 'wm signed up', operator: 'gte', operator_value: 2 });
  await page.selectOption('[data-testid="criterion-behavior"]', 'performed_event');
  await page.check('[data-testid="criterion-negation"]');
  await page.click('[data-testid="cohort-save"]');
  // (Everyone else the project has is in it too; the page lists the newest first.)
  await page.waitForFunction((uuid) => [...document.querySelectorAll('[data-testid="cohort-person-row"]')]
    .some((row) => row.dataset.uuid === uuid), uuidOf['wm-2']);
  const others = await shownPersons();
  assert.ok(others.includes(uuidOf['wm-3']));
  assert.ok(!others.includes(uuidOf['wm-1']));
  assert.deepEqual(await apiPersons(dynamicId), others);
  const negated = await criterion();
  assert.equal(negated.negation, true);
  assert.equal(negated.operator, undefined);
  // Stopped doing it: in the last 30 days but not in the last 7 (wm-1 did it just now): nobody.
  await page.uncheck('[data-testid="criterion-negation"]');
  await page.selectOption('[data-testid="criterion-behavior"]', 'stopped_performing_event');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-persons-empty"]');
  assert.deepEqual(await apiPersons(dynamicId), []);
  assert.deepEqual(
    (({ value, time_value, seq_time_value, seq_time_interval }) =>
      ({ value, time_value, seq_time_value, seq_time_interval }))(await criterion()),
    { value: 'stopped_performing_event', time_value: 30, seq_time_value: 7, seq_time_interval: 'day' });
  // Completed it where the event has source = ads: wm-1; source = email: nobody.
  await page.selectOption('[data-testid="criterion-behavior"]', 'performed_event');
  await page.click('[data-testid="criterion-event-filters-add"]');
  await pick('criterion-event-filters-0-key', 'event:source');
  await page.selectOption('[data-testid="criterion-event-filters-0-operator"]', 'exact');
  await page.fill('[data-testid="criterion-event-filters-0-value"]', 'ads');
  await page.press('[data-testid="criterion-event-filters-0-value"]', 'Enter');
  await page.click('[data-testid="cohort-save"]');
  await shownOnly(uuidOf['wm-1']);
  assert.deepEqual(await apiPersons(dynamicId), [uuidOf['wm-1']]);
  assert.deepEqual((await criterion()).event_filters,
                   [{ key: 'source', type: 'event', operator: 'exact', value: ['ads'] }]);
  await page.fill('[data-testid="criterion-event-filters-0-value"]', 'email');
  await page.press('[data-testid="criterion-event-filters-0-value"]', 'Enter');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-persons-empty"]');
  assert.deepEqual(await apiPersons(dynamicId), []);
  // Performed an action (its step: the signup event), without event filters: wm-1.
  await page.click('[data-testid="criterion-event-filters-0-remove"]');
  await page.selectOption('[data-testid="criterion-event"]', `action:${signupAction.body.id}`);
  await page.click('[data-testid="cohort-save"]');
  await shownOnly(uuidOf['wm-1']);
  assert.deepEqual(await apiPersons(dynamicId), [uuidOf['wm-1']]);
  const byAction = await criterion();
  assert.deepEqual([byAction.event_type, byAction.key, byAction.event_filters],
                   ['actions', signupAction.body.id, undefined]);
  // Opened the app, then paid within an hour: nobody (wm-3 paid two hours after); within a day:
  // wm-3.
  await page.selectOption('[data-testid="criterion-behavior"]', 'performed_event_sequence');
  await page.selectOption('[data-testid="criterion-event"]', 'event:wm opened');
  await page.selectOption('[data-testid="criterion-seq-event"]', 'event:wm paid');
  await page.selectOption('[data-testid="criterion-seq-interval"]', 'hour');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-persons-empty"]');
  assert.deepEqual(await apiPersons(dynamicId), []);
  await page.selectOption('[data-testid="criterion-seq-interval"]', 'day');
  await page.click('[data-testid="cohort-save"]');
  await shownOnly(uuidOf['wm-3']);
  assert.deepEqual(await apiPersons(dynamicId), [uuidOf['wm-3']]);
  assert.deepEqual(
    (({ value, key, event_type, seq_event, seq_event_type, seq_time_value, seq_time_interval }) =>
      ({ value, key, event_type, seq_event, seq_event_type, seq_time_value, seq_time_interval }))(
      await criterion()),
    { value: 'performed_event_sequence', key: 'wm opened', event_type: 'events',
      seq_event: 'wm paid', seq_event_type: 'events', seq_time_value: 1, seq_time_interval: 'day' });
  // Signed up at least once a day on at least 1 of the last 2 days: wm-1; on both: nobody.
  await page.selectOption('[data-testid="criterion-behavior"]', 'performed_event_regularly');
  await page.selectOption('[data-testid="criterion-event"]', 'event:wm signed up');
  await page.fill('[data-testid="criterion-time-value"]', '1');
  await page.fill('[data-testid="criterion-min-periods"]', '2');
  await page.fill('[data-testid="criterion-total-periods"]', '2');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-persons-empty"]');
  assert.deepEqual(await apiPersons(dynamicId), []);
  await page.fill('[data-testid="criterion-min-periods"]', '1');
  await page.click('[data-testid="cohort-save"]');
  await shownOnly(uuidOf['wm-1']);
  assert.deepEqual(await apiPersons(dynamicId), [uuidOf['wm-1']]);
  assert.deepEqual(
    (({ value, operator, operator_value, time_value, time_interval, min_periods, total_periods }) =>
      ({ value, operator, operator_value, time_value, time_interval, min_periods, total_periods }))(
      await criterion()),
    { value: 'performed_event_regularly', operator: 'gte', operator_value: 1, time_value: 1,
      time_interval: 'day', min_periods: 1, total_periods: 2 });

  // A static cohort from a CSV file; a file without ids is refused with the server's message.
  await page.click('nav >> text=Cohorts');
  await page.fill('[data-testid="cohort-csv-name"]', 'Uploaded');
  await page.setInputFiles('[data-testid="cohort-csv-file"]',
                           { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.from('distinct_id\n') });
  await page.click('[data-testid="cohort-csv-upload"]');
  await page.waitForSelector('[data-testid="cohort-csv-error"]');
  assert.match(await page.textContent('[data-testid="cohort-csv-error"]'), /no distinct ids/);
  await page.setInputFiles('[data-testid="cohort-csv-file"]', {
    name: 'ids.csv', mimeType: 'text/csv', buffer: Buffer.from('distinct_id\nwm-2\nwm-3\nnobody\n'),
  });
  await page.click('[data-testid="cohort-csv-upload"]');
  await page.waitForURL(/\/cohorts\/\d+$/);
  const staticId = Number(new URL(page.url()).pathname.split('/').pop());
  assert.notEqual(staticId, dynamicId);
  await page.waitForSelector('[data-testid="cohort-person-row"]');
  assert.deepEqual(await shownPersons(), [uuidOf['wm-2'], uuidOf['wm-3']].sort());
  assert.deepEqual(await apiPersons(staticId), await shownPersons());
  assert.equal((await hoglet.api('GET', `/api/projects/1/cohorts/${staticId}/`)).body.count, 2);
  await page.click('nav >> text=Cohorts');
  await page.waitForSelector('[data-testid="cohort-row"]');
  assert.equal(await page.locator('[data-testid="cohort-row"]').count(), 2);
  // Both show a size: the static one's persons, the dynamic one's count when it was last saved
  // (signed up regularly: wm-1).
  const listed = (await hoglet.api('GET', '/api/projects/1/cohorts/')).body.results;
  assert.deepEqual(listed.map((c) => [c.id, c.count]), [[staticId, 2], [dynamicId, 1]]);
  assert.ok(listed[1].last_calculation);

  // A person's page lists the cohorts that hold it, each linking to the cohort.
  const personCohorts = async (distinctId) => {
    await page.goto(`${hoglet.host}/persons/${uuidOf[distinctId]}`);
    await page.waitForSelector('[data-testid="person-cohorts"], [data-testid="person-cohorts-none"]');
    return page.$$eval('[data-testid="person-cohorts"] a',
                       (links) => links.map((a) => [Number(a.dataset.cohortId), a.textContent]));
  };
  assert.deepEqual(await personCohorts('wm-1'), [[dynamicId, 'Pro plan']]);
  assert.deepEqual(await personCohorts('wm-3'), [[staticId, 'Uploaded']]);
  const { body: apiCohorts } = await hoglet.api(
    'GET', `/api/projects/1/persons/cohorts/?person_id=${uuidOf['wm-3']}`);
  assert.deepEqual(apiCohorts.results.map((c) => c.id), [staticId]);
  await page.click(`[data-testid="person-cohorts"] a[data-cohort-id="${staticId}"]`);
  await page.waitForURL(new RegExp(`/cohorts/${staticId}$`));

  // Groups: the company type, its group, its properties as text and its event.
  await page.click('nav >> text=Groups');
  await page.waitForSelector('[data-testid="group-type-tab"]');
  assert.equal(await page.textContent('[data-testid="group-type-tab"]'), 'company');
  await page.click('[data-testid="group-row"] a >> text=wm-acme');
  await page.waitForSelector('[data-testid="group-properties"]');
  assert.equal(await page.textContent('[data-testid="group-title"]'), 'wm-acme');
  assert.ok((await page.textContent('[data-testid="group-properties"]')).includes(HOSTILE));
  assert.equal(await page.locator('[data-testid="group-properties"] img').count(), 0);
  await page.waitForSelector('[data-testid="group-events"]');
  assert.ok((await page.textContent('[data-testid="group-events"]')).includes('wm signed up'));

  // Data management: an event definition's description, kept by the API.
  await page.click('nav >> text=Data management');
  await page.fill('[data-testid="definitions-search"]', 'wm signed');
  await page.press('[data-testid="definitions-search"]', 'Enter');
  const row = '[data-testid="definition-row"][data-name="wm signed up"]';
  await page.waitForSelector(row);
  assert.equal(await page.locator('[data-testid="definition-row"]').count(), 1);
  await page.click(`${row} [data-testid="definition-edit"]`);
  await page.fill('[data-testid="definition-description"]', 'A new account <b>signed</b> up');
  await page.fill('[data-testid="definition-tags"]', 'growth, core');
  await page.check('[data-testid="definition-verified"]');
  await page.click('[data-testid="definition-save"]');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-testid="definition-description-text"]`)
    ?.textContent === 'A new account <b>signed</b> up', row);
  const [definition] = (await hoglet.api('GET', '/api/projects/1/event_definitions/?search=wm%20signed'))
    .body.results;
  assert.equal(definition.description, 'A new account <b>signed</b> up');
  assert.deepEqual(definition.tags, ['growth', 'core']);
  assert.equal(definition.verified, true);

  // Project settings: the key and snippet, then the time zone, which the API reports.
  await page.click('nav >> text=Settings');
  await page.waitForSelector('[data-testid="project-settings"]');
  assert.equal(await page.textContent('[data-testid="project-api-key"]'), PROJECT_TOKEN);
  assert.ok((await page.textContent('[data-testid="project-snippet"]')).includes(PROJECT_TOKEN));
  await page.selectOption('[data-testid="project-timezone"]', 'Europe/Berlin');
  await page.click('[data-testid="project-save"]');
  await page.waitForSelector('[data-testid="project-saved"]');
  assert.equal((await hoglet.api('GET', '/api/projects/1/')).body.timezone, 'Europe/Berlin');
  await page.selectOption('[data-testid="project-timezone"]', 'UTC');
  await page.click('[data-testid="project-save"]');
  await hoglet.waitFor(async () => (await hoglet.api('GET', '/api/projects/1/')).body.timezone === 'UTC');

  // A personal API key made in the app works against the API until it is revoked.
  await page.click('[data-testid="settings-tab-keys"]');
  await page.fill('[data-testid="api-key-label"]', 'wm e2e key');
  await page.uncheck('[data-testid="api-key-full-access"]');
  await page.selectOption('[data-testid="api-key-scope-project"]', 'read');
  await page.click('[data-testid="api-key-create"]');
  await page.waitForSelector('[data-testid="api-key-value"]');
  const value = await page.textContent('[data-testid="api-key-value"]');
  assert.match(value, /^phx_/);
  const withKey = (path) => fetch(`${hoglet.host}${path}`, { headers: { Authorization: `Bearer ${value}` } });
  assert.equal((await withKey('/api/projects/1/')).status, 200);
  assert.equal((await withKey('/api/projects/1/cohorts/')).status, 403);  // project:read only
  const keyRow = '[data-testid="api-key-row"][data-label="wm e2e key"]';
  await page.waitForSelector(keyRow);
  assert.ok(!(await page.textContent(keyRow)).includes(value), 'the list shows only the mask');
  await page.click(`${keyRow} [data-testid="api-key-revoke"]`);
  await page.waitForSelector(keyRow, { state: 'detached' });
  assert.equal((await withKey('/api/projects/1/')).status, 401);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  // The refused cohort and upload above were 400s, which the browser logs.
  assert.deepEqual(consoleErrors.filter((m) => !/status of 400/.test(m)), []);
});

test('Funnels: time to convert, trends, exclusions and optional steps hold the query API\'s '
     + 'answers', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  // One `now` for all the events: their spacing is exact, however slow the sending is.
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * 3600 * 1000);
  const sent = [
    ['vz-1', 'vz trial', 5], ['vz-1', 'vz paid', 4],                          // 1 h
    ['vz-2', 'vz trial', 5], ['vz-2', 'vz refund', 4.5], ['vz-2', 'vz paid', 3],  // 2 h
    ['vz-3', 'vz trial', 5],
  ];
  for (const [distinctId, event, hoursAgo] of sent) {
    client.capture({ distinctId, event, timestamp: at(hoursAgo) });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=vz%20paid', 2);

  await page.click('nav[aria-label="Main"] >> text="Insights"');
  await page.click('[data-testid="insight-tab-funnels"]');
  await page.waitForSelector('[data-testid="step-0-event"] option[value="vz trial"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="step-0-event"]', 'vz trial');
  await page.selectOption('[data-testid="step-1-event"]', 'vz paid');
  const steps = await expectFunnelMatchesApi();
  assert.deepEqual(steps.lines.map((s) => s.map((step) => step.count)), [[3, 2]]);

  // The page's query, once the page shows its answer (or its error).
  const shownQuery = async (testid = 'funnel-answer') => {
    const q = new URL(page.url()).searchParams.get('q');
    await page.waitForFunction(([q, testid]) => document.querySelector(`[data-testid="${testid}"]`)
      ?.getAttribute('data-query') === JSON.stringify(JSON.parse(q)), [q, testid]);
    return JSON.parse(q);
  };

  await page.selectOption('[data-testid="funnel-viz"]', 'time_to_convert');
  const timesQuery = await shownQuery();
  assert.equal(timesQuery.funnelsFilter.funnelVizType, 'time_to_convert');
  const times = await queryApi(timesQuery);
  assert.deepEqual(times.bins, [[3600, 1], [5400, 0], [7200, 1]]);
  const histogram = '[data-testid="funnel-histogram"]';
  assert.deepEqual(JSON.parse(await page.getAttribute(histogram, 'data-bins')), times.bins);
  assert.equal(JSON.parse(await page.getAttribute(histogram, 'data-average')),
               times.average_conversion_time);
  assert.deepEqual(await page.$$eval('[data-testid="funnel-bin-count"]',
                                     (cells) => cells.map((c) => Number(c.textContent))), [1, 0, 1]);
  assert.deepEqual(await page.$$eval('[data-testid="funnel-bin-range"]',
                                     (cells) => cells.map((c) => c.textContent)),
                   ['1h – 1h 30m', '1h 30m – 2h', '2h']);
  assert.equal(await page.textContent('[data-testid="funnel-average-time"]'), '1h 30m');

  await page.selectOption('[data-testid="funnel-viz"]', 'trends');
  const trendsQuery = await shownQuery();
  assert.equal(trendsQuery.interval, 'day');
  const trends = await queryApi(trendsQuery);
  const chart = () => page.getAttribute('[data-testid="funnel-trends"] [data-testid="trends-chart"]',
                                        'data-series').then(JSON.parse);
  assert.deepEqual((await chart()).map((line) => line.data), trends.map((line) => line.data));
  assert.ok(trends[0].data.includes(66.67), JSON.stringify(trends));
  await page.selectOption('[data-testid="interval"]', 'week');
  const weekly = await shownQuery();
  assert.equal(weekly.interval, 'week');
  assert.deepEqual((await chart()).map((line) => line.data),
                   (await queryApi(weekly)).map((line) => line.data));

  // An exclusion between the two steps: vz-2 refunded before paying, so leaves the funnel.
  await page.selectOption('[data-testid="funnel-viz"]', 'steps');
  await shownQuery();
  await page.click('[data-testid="add-exclusion"]');
  await page.waitForSelector('[data-testid="exclusion-0-event"] option[value="vz refund"]',
                             { state: 'attached' });
  await page.selectOption('[data-testid="exclusion-0-event"]', 'vz refund');
  const excluded = await expectFunnelMatchesApi();
  assert.deepEqual(excluded.query.funnelsFilter.exclusions,
                   [{ kind: 'EventsNode', event: 'vz refund', funnelFromStep: 0, funnelToStep: 1 }]);
  assert.deepEqual(excluded.lines.map((s) => s.map((step) => step.count)), [[2, 1]]);
  await page.click('[data-testid="exclusion-0-remove"]');
  assert.equal((await expectFunnelMatchesApi()).query.funnelsFilter.exclusions, undefined);

  // An optional step is refused for unordered funnels: the page shows the server's message.
  await page.check('[data-testid="step-1-optional"]');
  const optional = await expectFunnelMatchesApi();
  assert.equal(optional.query.series[1].optionalInFunnel, true);
  await page.selectOption('[data-testid="funnel-order"]', 'unordered');
  await shownQuery('funnel-error');
  assert.match(await page.textContent('[data-testid="funnel-error"]'), /optionalInFunnel/);
  assert.deepEqual(consoleErrors.filter((m) => !/status of 400/.test(m)), []);
});

test('The app\'s files reach Chromium gzipped, with Vary, and the page keeps its policy', async () => {
  const context = await browser.newContext();  // a cold cache: every file is fetched
  try {
    const fresh = await context.newPage();
    const scripts = [];
    fresh.on('response', (response) => {
      if (new URL(response.url()).pathname.endsWith('.js')) scripts.push(response);
    });
    const document = await fresh.goto(`${hoglet.host}/`);
    // The script ran: the login page (or the first account's, when this test runs alone).
    await fresh.waitForSelector('[data-testid="login-form"], [data-testid="signup-form"]');
    assert.match(document.headers()['content-security-policy'], /script-src 'self';/);
    assert.ok(scripts.length >= 1, 'the page loaded no script');
    for (const script of scripts) {
      const request = await script.request().allHeaders();
      assert.match(request['accept-encoding'], /gzip/);
      const headers = await script.allHeaders();
      assert.equal(headers['content-encoding'], 'gzip', script.url());
      // Module scripts are fetched with an Origin, so CORS adds its own Vary beside ours.
      assert.match(headers.vary, /(^|, )Accept-Encoding(,|$)/, script.url());
      assert.match(headers.etag, /-gzip"$/, script.url());
      // The bytes on the wire are the gzipped ones: well under the script Chromium ran.
      const { responseBodySize } = await script.request().sizes();
      const decoded = (await script.body()).length;
      assert.ok(responseBodySize > 0 && responseBodySize < decoded / 2,
                `${script.url()}: ${responseBodySize} bytes sent for ${decoded}`);
    }
    // A client that does not accept gzip gets the same script as it is.
    const plain = await fetch(scripts[0].url(), { headers: { 'Accept-Encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal((await plain.arrayBuffer()).byteLength, (await scripts[0].body()).length);
  } finally {
    await context.close();
  }
});

// ---- Trends editor: group and multiple breakdowns, cohort filters, custom names, compare_to ----

// What the page's table shows next to the API's lines as the editor names them (a series' custom
// name, with " - " and the breakdown value); the page's query and the API's answer.
async function expectNamedLinesMatchApi() {
  const query = await shownTrendsQuery();
  const expected = await queryApi(query);
  const named = (r) => {
    const custom = r.action?.custom_name;
    if (!custom) return shownLabel(r.label);
    if (r.breakdown_value === undefined) return custom;
    const value = Array.isArray(r.breakdown_value) ? r.breakdown_value.join('::') : r.breakdown_value;
    return `${custom} - ${shownLabel(value === '' ? '$$_posthog_breakdown_null_$$' : value)}`;
  };
  const shown = await shownResults();
  assert.deepEqual(shown.rows, expected.map((r) => ({ label: named(r), total: r.count, data: r.data })));
  assert.deepEqual(shown.chart, expected.map((r) => ({ label: named(r), data: r.data })));
  return { query, expected };
}

// The "label: count" of the lines, sorted.
const countsByLabel = (lines) => lines.map((r) => `${r.label}: ${r.count}`).sort();

test('Trends editor: group and multiple breakdowns, a cohort filter, compare to a chosen period '
     + 'and custom series names hold the query API\'s answer', async () => {
  const errorsBefore = consoleErrors.length;  // earlier tests' expected 400s stay in the list
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  client.groupIdentify({ groupType: 'company', groupKey: 'bk-acme', properties: { bk_plan: 'enterprise' } });
  client.groupIdentify({ groupType: 'company', groupKey: 'bk-beta', properties: { bk_plan: 'startup' } });
  for (const [distinctId, bk_tier] of [['bk-1', 'gold'], ['bk-2', 'silver'], ['bk-3', 'gold']]) {
    client.identify({ distinctId, properties: { bk_tier } });
  }
  await client.flush();
  const company = await hoglet.waitFor(async () => (await hoglet.api(
    'GET', '/api/projects/1/groups_types/')).body.find((t) => t.group_type === 'company'));
  assert.ok(company, 'the company group type exists');
  const index = company.group_type_index;
  assert.ok(await hoglet.waitFor(async () => (await hoglet.api(
    'GET', `/api/projects/1/groups/?group_type_index=${index}&search=bk-`)).body.results.length === 2));
  assert.ok(await hoglet.waitFor(async () => (await hoglet.api(
    'GET', '/api/projects/1/persons/?search=bk-3')).body.results
    .some((p) => p.properties?.bk_tier === 'gold')));
  const now = Date.now();
  const sent = [  // distinct id, $browser, company, days ago
    ['bk-1', 'Chrome', 'bk-acme', 0], ['bk-1', 'Chrome', 'bk-acme', 0],
    ['bk-2', 'Firefox', 'bk-beta', 0], ['bk-3', 'Chrome', 'bk-beta', 0], ['bk-3', 'Safari', null, 0],
    ['bk-2', 'Firefox', 'bk-beta', 8], ['bk-1', 'Chrome', 'bk-acme', 16], ['bk-3', 'Chrome', null, 16],
  ];
  for (const [distinctId, $browser, group, daysAgo] of sent) {
    client.capture({ distinctId, event: 'bk bought', timestamp: new Date(now - daysAgo * DAY_MS - 1000),
                     properties: { $browser }, ...(group ? { groups: { company: group } } : {}) });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=bk%20bought', sent.length);
  const cohort = await hoglet.api('POST', '/api/projects/1/cohorts/', {
    name: 'bk gold buyers',
    filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [
      { key: 'bk_tier', type: 'person', operator: 'exact', value: 'gold' }] }] } },
  });
  assert.equal(cohort.status, 201, JSON.stringify(cohort.body));

  await page.goto(`${hoglet.host}/insights/trends`);
  await pick('series-0-event', 'bk bought');
  let { query, expected } = await expectPageMatchesApi();
  assert.equal(expected[0].count, 5);

  // Ingestion recorded the group types' property keys as group property definitions.
  const definitions = await hoglet.api(
    'GET', `/api/projects/1/property_definitions/?type=group&group_type_index=${index}&search=bk_`);
  assert.deepEqual(definitions.body.results.map((d) => [d.name, d.type, d.group_type_index]),
                   [['bk_plan', 3, index]]);

  // A group property breakdown: the group type first, then its property, found on the server
  // as it is typed (Enter picks it).
  await pick('breakdown', `group:${index}`);
  assert.equal((await shownTrendsQuery()).breakdownFilter, undefined, 'no property picked yet');
  await page.fill('[data-testid="breakdown-group-property-search"]', 'bk pl');
  await page.waitForFunction(() => document.querySelector(
    '[data-testid="breakdown-group-property-search"]')?.nextElementSibling?.textContent
    === '1 found');
  await page.press('[data-testid="breakdown-group-property-search"]', 'Enter');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: 'bk_plan', breakdown_type: 'group',
                                            breakdown_group_type_index: index });
  assert.deepEqual(countsByLabel(expected.filter((r) => ['enterprise', 'startup'].includes(r.label))),
                   ['enterprise: 2', 'startup: 2']);

  // Then by browser too, then by the person's tier: labels combine the values, "a::b::c".
  await page.click('[data-testid="add-breakdown"]');
  await pick('breakdown-1', '$browser');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdowns: [
    { property: 'bk_plan', type: 'group', group_type_index: index },
    { property: '$browser', type: 'event' }] });
  assert.deepEqual(countsByLabel(expected.filter((r) => !r.label.includes('$$'))),
                   ['enterprise::Chrome: 2', 'startup::Chrome: 1', 'startup::Firefox: 1']);
  await page.click('[data-testid="add-breakdown"]');
  await pick('breakdown-2', 'person:bk_tier');
  ({ query, expected } = await expectPageMatchesApi());
  assert.equal(query.breakdownFilter.breakdowns.length, 3);
  assert.deepEqual(query.breakdownFilter.breakdowns[2], { property: 'bk_tier', type: 'person' });
  assert.deepEqual(countsByLabel(expected.filter((r) => !r.label.includes('$$'))),
                   ['enterprise::Chrome::gold: 2', 'startup::Chrome::gold: 1',
                    'startup::Firefox::silver: 1']);
  assert.equal(await page.locator('[data-testid="add-breakdown"]').count(), 0, 'three at most');
  // A cell of a combined line lists that line's persons.
  const line = expected.findIndex((r) => r.label === 'enterprise::Chrome::gold');
  const today = expected[line].data.length - 1;
  await page.click(`[data-testid="trends-row"]:nth-child(${line + 1}) `
                   + `[data-testid="trends-value"]:nth-child(${today + 3}) button`);
  assert.deepEqual(await shownPersons(), ['bk-1']);
  assert.deepEqual(await apiActors({ kind: 'InsightActorsQuery', source: query, series: 0,
                                     day: expected[line].days[today],
                                     breakdown: expected[line].breakdown_value }), ['bk-1']);
  await page.click('[data-testid="insight-persons-close"]');
  await page.click('[data-testid="breakdown-2-remove"]');
  await page.click('[data-testid="breakdown-1-remove"]');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.breakdownFilter.breakdown, 'bk_plan');
  await page.selectOption('[data-testid="breakdown"]', '');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.breakdownFilter, undefined);

  // A cohort in the filter groups: bk-1's and bk-3's purchases, then everyone else's.
  await page.click('[data-testid="filter-groups-add"]');
  await pick('filter-group-0-filters-0-key', `cohort:${cohort.body.id}`);
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.properties, { type: 'AND', values: [{ type: 'AND', values: [
    { key: 'id', type: 'cohort', operator: 'in', value: cohort.body.id }] }] });
  assert.equal(expected[0].count, 4);
  await page.selectOption('[data-testid="filter-group-0-filters-0-operator"]', 'not_in');
  ({ query, expected } = await expectPageMatchesApi());
  assert.equal(query.properties.values[0].values[0].operator, 'not_in');
  assert.equal(expected[0].count, 1);
  await page.click('[data-testid="filter-group-0-remove"]');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.properties, undefined);

  // Compared with the range a week earlier (the 8-day-old purchase), then two weeks earlier (the
  // two 16-day-old ones).
  await page.check('[data-testid="compare"]');
  ({ query } = await expectPageMatchesApi());
  assert.deepEqual(query.compareFilter, { compare: true });
  await page.selectOption('[data-testid="compare-to"]', '-1w');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.compareFilter, { compare: true, compare_to: '-1w' });
  assert.deepEqual(expected.map((r) => [r.compare_label, r.count]), [['current', 5], ['previous', 1]]);
  assert.equal(expected[1].days[0].slice(0, 10),
               new Date(Date.parse(`${expected[0].days[0].slice(0, 10)}T00:00:00Z`) - 7 * DAY_MS)
                 .toISOString().slice(0, 10), 'the same range a week earlier');
  await page.selectOption('[data-testid="compare-to"]', '-2w');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(expected.map((r) => [r.compare_label, r.count]), [['current', 5], ['previous', 2]]);
  const compared = `${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(query))}`;
  await page.uncheck('[data-testid="compare"]');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.compareFilter, undefined);

  // A custom name: the legend and table call the line by it, with the breakdown value after it.
  await page.fill('[data-testid="series-0-name"]', 'Purchases');
  await page.press('[data-testid="series-0-name"]', 'Enter');
  ({ query, expected } = await expectNamedLinesMatchApi());
  assert.equal(query.series[0].custom_name, 'Purchases');
  assert.deepEqual((await shownResults()).rows.map((r) => r.label), ['Purchases']);
  await pick('breakdown', '$browser');
  ({ query, expected } = await expectNamedLinesMatchApi());
  assert.deepEqual(countsByLabel((await shownResults()).rows.map((r) => ({ label: r.label,
                                                                         count: r.total }))),
                   ['Purchases - Chrome: 3', 'Purchases - Firefox: 1', 'Purchases - Safari: 1']);

  // Saved: the insight keeps the name, its dashboard tile and the reopened editor show it.
  await page.fill('[data-testid="save-insight"] input[name="insight_name"]', 'bk named purchases');
  await page.click('[data-testid="save-insight"] button[type="submit"]');
  await page.waitForSelector('[data-testid="insight-saved"]');
  const [saved] = (await hoglet.api('GET', '/api/projects/1/insights/?search=bk%20named')).body.results;
  assert.deepEqual(saved.query, { kind: 'InsightVizNode', source: query });
  const [dashboard] = (await hoglet.api('GET', '/api/projects/1/dashboards/')).body.results;
  await hoglet.api('PATCH', `/api/projects/1/insights/${saved.id}/`, { dashboards: [dashboard.id] });
  await page.goto(`${hoglet.host}/dashboards/${dashboard.id}`);
  const tile = `[data-testid="insight-tile"][data-short-id="${saved.short_id}"]`;
  await page.waitForSelector(`${tile} [data-testid="trends-chart"]`);
  assert.deepEqual((await tileSeries(saved.short_id)).map((line) => line.label).sort(),
                   ['Purchases - Chrome', 'Purchases - Firefox', 'Purchases - Safari']);
  await page.click(`${tile} h2 a`);
  await expectNamedLinesMatchApi();
  assert.equal(await page.inputValue('[data-testid="series-0-name"]'), 'Purchases');

  // Axe on the editor showing each new control, and on the Lifecycle and Stickiness pages.
  const withAll = JSON.parse(new URL(compared).searchParams.get('q'));
  withAll.series[0].custom_name = 'Purchases';
  withAll.breakdownFilter = { breakdowns: [{ property: 'bk_plan', type: 'group', group_type_index: index },
                                           { property: '$browser', type: 'event' }] };
  withAll.properties = [{ key: 'id', type: 'cohort', operator: 'in', value: cohort.body.id }];
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  await context.addCookies(await page.context().cookies());
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(String(error)));
  const found = [];
  for (const [name, path, ready] of [
    ['trends-breakdowns', `/insights/trends?q=${encodeURIComponent(JSON.stringify(withAll))}`,
     '[data-testid="breakdown-group-property"] option[value="bk_plan"]'],
    ['lifecycle', '/insights/lifecycle', '[data-testid="lifecycle-answer"]'],
    ['stickiness', '/insights/stickiness', '[data-testid="stickiness-answer"]'],
  ]) {
    await tab.goto(`${hoglet.host}${path}`);
    await tab.waitForSelector(ready, { state: 'attached' });
    found.push(...await auditScreen(tab, name));
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

// ---- HogQL, cohort and histogram breakdowns, the HogQL math, funnel paths.

// The server's 400 for `query`: its detail.
async function queryApiRefusal(query) {
  const { status, body } = await hoglet.api('POST', '/api/projects/1/query/', { query });
  assert.equal(status, 400, JSON.stringify(body));
  return body.detail;
}

// Types `text` into the field `testid` and leaves it (the editors apply it on change).
async function enter(testid, text) {
  await page.fill(`[data-testid="${testid}"]`, text);
  await page.press(`[data-testid="${testid}"]`, 'Tab');
}

test('Trends editor: HogQL, cohort and histogram breakdowns and the HogQL math; Paths: funnel '
     + 'paths; all hold the query API\'s answer', async () => {
  const errorsBefore = consoleErrors.length;  // earlier tests' expected 400s stay in the list
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  for (const [distinctId, wi_tier] of [['wb-1', 'gold'], ['wb-2', 'silver'], ['wb-3', 'gold']]) {
    client.identify({ distinctId, properties: { wi_tier } });
  }
  await client.flush();
  assert.ok(await hoglet.waitFor(async () => (await hoglet.api(
    'GET', '/api/projects/1/persons/?search=wb-3')).body.results
    .some((p) => p.properties?.wi_tier === 'gold')));
  const now = Date.now();
  const ordered = [  // distinct id, $browser, wi_price
    ['wb-1', 'Chrome', 10], ['wb-1', 'Chrome', 20], ['wb-2', 'Firefox', 100],
    ['wb-3', 'Safari', 55], ['wb-3', 'Chrome', 40],
  ];
  ordered.forEach(([distinctId, $browser, wi_price], i) => client.capture({
    distinctId, event: 'wi ordered', timestamp: new Date(now - (10 - i) * 1000),
    properties: { $browser, wi_price } }));
  // Funnel paths: wp-1 and wp-3 sign up and pay, wp-2 signs up and comes back later (past the
  // funnel's 5-minute window, a new session); page views around.
  const url = (path) => `https://wi.test/${path}`;
  const start = now - 2 * 3600 * 1000;
  const journeys = [  // distinct id, event or page, minutes after start
    ['wp-1', '/a', 0], ['wp-1', 'wi signup', 1], ['wp-1', '/b', 2], ['wp-1', 'wi paid', 3],
    ['wp-1', '/c', 4],
    ['wp-2', 'wi signup', 1], ['wp-2', '/b', 10], ['wp-2', '/d', 11],
    ['wp-3', 'wi signup', 1], ['wp-3', 'wi paid', 2], ['wp-3', '/c', 3],
  ];
  for (const [distinctId, what, minutes] of journeys) {
    const timestamp = new Date(start + minutes * 60000);
    if (what.startsWith('/')) {
      client.capture({ distinctId, event: '$pageview', timestamp,
                       properties: { $current_url: url(what.slice(1)) } });
    } else {
      client.capture({ distinctId, event: what, timestamp });
    }
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=wi%20ordered', ordered.length);
  await hoglet.waitForEvents('event=wi%20paid', 2);
  assert.ok(await hoglet.waitFor(async () => (await hoglet.api(
    'GET', '/api/projects/1/property_definitions/?type=event&limit=1000')).body.results
    .some((d) => d.name === 'wi_price' && d.property_type === 'Numeric')), 'wi_price is numeric');
  const cohort = await hoglet.api('POST', '/api/projects/1/cohorts/', {
    name: 'wi gold buyers',
    filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [
      { key: 'wi_tier', type: 'person', operator: 'exact', value: 'gold' }] }] } },
  });
  assert.equal(cohort.status, 201, JSON.stringify(cohort.body));

  await page.goto(`${hoglet.host}/insights/trends`);
  await pick('series-0-event', 'wi ordered');
  let { query, expected } = await expectPageMatchesApi();
  assert.equal(expected[0].count, 5);

  // A HogQL breakdown: picking it changes nothing until the expression is entered.
  await pick('breakdown', 'hogql');
  assert.equal((await shownTrendsQuery()).breakdownFilter, undefined, 'no expression yet');
  const expression = "concat(properties.$browser, '-', person.properties.wi_tier)";
  await enter('breakdown-hogql', expression);
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: expression, breakdown_type: 'hogql' });
  assert.deepEqual(countsByLabel(expected), ['Chrome-gold: 3', 'Firefox-silver: 1',
                                             'Safari-gold: 1']);
  // One that does not parse: the server's 400, next to the field.
  await enter('breakdown-hogql', 'properties.$browser +');
  query = await shownTrendsQuery('trends-error');
  const breakdownRefusal = await queryApiRefusal(query);
  assert.match(breakdownRefusal, /^query\.breakdownFilter\.breakdown: /);
  assert.equal(await page.textContent('[data-testid="breakdown-hogql-error"]'), breakdownRefusal);
  assert.equal(await page.inputValue('[data-testid="breakdown-hogql"]'), 'properties.$browser +');
  assert.match(consoleErrors.pop() ?? '', /status of 400/);

  // Cohorts: the gold buyers (wb-1 and wb-3: 4 orders), then all users too (5).
  await pick('breakdown', 'cohort');
  assert.equal((await shownTrendsQuery('trends-error')).breakdownFilter.breakdown_type, 'hogql',
               'no cohort checked yet');
  await page.check(`[data-testid="breakdown-cohorts-${cohort.body.id}"]`);
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: [cohort.body.id], breakdown_type: 'cohort' });
  assert.deepEqual(countsByLabel(expected), ['wi gold buyers: 4']);
  await page.check('[data-testid="breakdown-cohorts-all"]');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: [cohort.body.id, 'all'],
                                            breakdown_type: 'cohort' });
  assert.deepEqual(countsByLabel(expected), ['all users: 5', 'wi gold buyers: 4']);
  assert.equal(await page.locator('[data-testid="add-breakdown"]').count(), 0,
               'a cohort breakdown stands alone');
  // A point of the cohort's line lists the cohort's persons who ordered.
  const line = expected.findIndex((r) => r.breakdown_value === cohort.body.id);
  const today = expected[line].data.length - 1;
  await page.click(`[data-testid="trends-row"]:nth-child(${line + 1}) `
                   + `[data-testid="trends-value"]:nth-child(${today + 3}) button`);
  assert.deepEqual(await shownPersons(), ['wb-1', 'wb-3']);
  assert.deepEqual(await apiActors({ kind: 'InsightActorsQuery', source: query, series: 0,
                                     day: expected[line].days[today],
                                     breakdown: cohort.body.id }), ['wb-1', 'wb-3']);
  await page.click('[data-testid="insight-persons-close"]');
  // A custom name: the lines are "<name> - <cohort's name>", not its id.
  await enter('series-0-name', 'Orders');
  query = await shownTrendsQuery();
  assert.equal(query.series[0].custom_name, 'Orders');
  assert.deepEqual((await shownResults()).rows.map((r) => r.label),
                   (await queryApi(query)).map((r) => `Orders - ${r.label}`));
  assert.deepEqual((await shownResults()).rows.map((r) => r.label).sort(),
                   ['Orders - all users', 'Orders - wi gold buyers']);
  await enter('series-0-name', '');
  ({ query } = await expectPageMatchesApi());
  assert.equal(query.series[0].custom_name, undefined);

  // Histogram bins of a numeric property: 3 bins of width 30 from 10 to 100.
  await pick('breakdown', 'wi_price');
  ({ query } = await expectPageMatchesApi());
  await enter('breakdown-bins', '3');
  ({ query, expected } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: 'wi_price', breakdown_type: 'event',
                                            breakdown_histogram_bin_count: 3 });
  assert.deepEqual(countsByLabel(expected), ['[10,40]: 2', '[40,70]: 2', '[70,100.01]: 1']);
  await enter('breakdown-bins', '1001');  // out of bounds: nothing changes
  assert.equal((await shownTrendsQuery()).breakdownFilter.breakdown_histogram_bin_count, 3);
  await enter('breakdown-bins', '');
  ({ query } = await expectPageMatchesApi());
  assert.deepEqual(query.breakdownFilter, { breakdown: 'wi_price', breakdown_type: 'event' });
  const binned = { ...query, breakdownFilter: { ...query.breakdownFilter,
                                                breakdown_histogram_bin_count: 3 } };
  await page.selectOption('[data-testid="breakdown"]', '');
  await expectPageMatchesApi();

  // The HogQL math: count() first, then the sum and the average of the prices.
  await pick('series-0-math', 'hogql');
  ({ query, expected } = await expectPageMatchesApi());
  assert.equal(query.series[0].math_hogql, 'count()');
  assert.equal(expected[0].count, 5);
  await enter('series-0-math-hogql', 'sum(toFloat(properties.wi_price))');
  ({ query, expected } = await expectPageMatchesApi());
  assert.equal(query.series[0].math_hogql, 'sum(toFloat(properties.wi_price))');
  assert.equal(expected[0].count, 225);
  await enter('series-0-math-hogql', 'sum(properties.wi_price');
  query = await shownTrendsQuery('trends-error');
  const mathRefusal = await queryApiRefusal(query);
  assert.match(mathRefusal, /^query\.series\[0\]\.math_hogql: line 1, column \d+/);
  assert.equal(await page.textContent('[data-testid="series-0-math-hogql-error"]'), mathRefusal);
  assert.match(consoleErrors.pop() ?? '', /status of 400/);
  const mathError = query;
  await enter('series-0-math-hogql', 'avg(toFloat(properties.wi_price))');
  ({ query, expected } = await expectPageMatchesApi());
  assert.equal(expected[0].count, 45);
  assert.equal(await page.locator('[data-testid="series-0-math-hogql-error"]').count(), 0);

  // Funnel paths: a saved funnel picked on the Paths page, each path type and step.
  const funnel = {
    kind: 'FunnelsQuery',
    series: [{ kind: 'EventsNode', event: 'wi signup', name: 'wi signup' },
             { kind: 'EventsNode', event: 'wi paid', name: 'wi paid' }],
    dateRange: { date_from: '-7d' },
    funnelsFilter: { funnelOrderType: 'ordered', funnelWindowInterval: 5,
                     funnelWindowIntervalUnit: 'minute', funnelVizType: 'steps' },
  };
  const saved = await hoglet.api('POST', '/api/projects/1/insights/', {
    name: 'wi signup funnel', saved: true, query: { kind: 'InsightVizNode', source: funnel } });
  assert.equal(saved.status, 201, JSON.stringify(saved.body));
  await page.goto(`${hoglet.host}/insights/paths`);
  await page.check('[data-testid="path-type-custom_event"]');
  await expectPathsMatchApi();
  await pick('funnel-paths-source', `insight:${saved.body.id}`);
  let edges;
  ({ query, edges } = await expectPathsMatchApi());
  assert.deepEqual(query.funnelPathsFilter, { funnelSource: funnel,
                                              funnelPathType: 'funnel_path_after_step',
                                              funnelStep: 1 });
  const edgeList = (list) => list.map((e) => `${e.source} → ${e.target}: ${e.value}`).sort();
  assert.deepEqual(edgeList(edges), [
    `1_${url('b')} → 2_${url('d')}: 1`, `1_wi signup → 2_${url('b')}: 1`, '1_wi signup → 2_wi paid: 1',
    `2_${url('b')} → 3_wi paid: 1`, `2_wi paid → 3_${url('c')}: 1`, `3_wi paid → 4_${url('c')}: 1`,
  ]);
  // A node's persons are those of the funnel paths.
  await page.click(`[data-testid="sankey-node"][data-node="2_${url('b')}"] rect`);
  assert.deepEqual(await shownPathPersons({ kind: 'node', node: `2_${url('b')}`, how: 'reached' }),
                   ['wp-1']);
  assert.deepEqual(await apiPathPersons(query, { pathEndKey: `2_${url('b')}` }), ['wp-1']);
  // Those who dropped off before step 2 (wp-2), from the end of their window after sign-up.
  await pick('funnel-paths-step', '-2');
  ({ query, edges } = await expectPathsMatchApi());
  assert.equal(query.funnelPathsFilter.funnelStep, -2);
  assert.deepEqual(edgeList(edges), [`1_${url('b')} → 2_${url('d')}: 1`]);
  // Between steps 1 and 2 (only "reached step 2" fits): wp-1 and wp-3.
  await pick('funnel-paths-type', 'funnel_path_between_steps');
  ({ query, edges } = await expectPathsMatchApi());
  assert.equal(query.funnelPathsFilter.funnelStep, 2);
  assert.deepEqual(await page.$$eval('[data-testid="funnel-paths-step"] option',
                                     (os) => os.map((o) => o.value)), ['2']);
  assert.deepEqual(edgeList(edges), [`1_wi signup → 2_${url('b')}: 1`, '1_wi signup → 2_wi paid: 1',
                                     `2_${url('b')} → 3_wi paid: 1`]);
  await pick('funnel-paths-type', 'funnel_path_before_step');
  ({ query, edges } = await expectPathsMatchApi());
  assert.deepEqual(edgeList(edges), [
    `1_${url('a')} → 2_wi signup: 1`, '1_wi signup → 2_wi paid: 1', `2_wi signup → 3_${url('b')}: 1`,
    `3_${url('b')} → 4_wi paid: 1`]);
  const funnelPaths = query;
  await page.selectOption('[data-testid="funnel-paths-source"]', '');
  ({ query } = await expectPathsMatchApi());
  assert.equal(query.funnelPathsFilter, undefined);

  // The Funnels page opens the paths of the current funnel's persons.
  await page.goto(`${hoglet.host}/insights/funnels?q=${encodeURIComponent(JSON.stringify(funnel))}`);
  await page.click('[data-testid="funnel-paths-link"]');
  ({ query, edges } = await expectPathsMatchApi());
  assert.deepEqual(query.funnelPathsFilter, { funnelSource: funnel,
                                              funnelPathType: 'funnel_path_after_step',
                                              funnelStep: 1 });
  assert.equal(edges.reduce((n, e) => n + (e.source.startsWith('1_') ? e.value : 0), 0), 3);

  // Axe on the editors showing each new control.
  const withHogQL = { ...mathError, breakdownFilter: undefined };
  const withCohorts = { ...binned, breakdownFilter: { breakdown: [cohort.body.id, 'all'],
                                                      breakdown_type: 'cohort' } };
  const withBadBreakdown = { ...binned, breakdownFilter: { breakdown: 'properties.$browser +',
                                                           breakdown_type: 'hogql' } };
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  await context.addCookies(await page.context().cookies());
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(String(error)));
  const found = [];
  const trendsUrl = (q) => `/insights/trends?q=${encodeURIComponent(JSON.stringify(q))}`;
  for (const [name, path, ready] of [
    ['trends-math-hogql', trendsUrl(withHogQL), '[data-testid="series-0-math-hogql-error"]'],
    ['trends-hogql-breakdown', trendsUrl(withBadBreakdown), '[data-testid="breakdown-hogql-error"]'],
    ['trends-cohort-breakdown', trendsUrl(withCohorts), '[data-testid="trends-chart"] canvas'],
    ['trends-histogram', trendsUrl(binned), '[data-testid="breakdown-bins"]'],
    ['paths-funnel', `/insights/paths?q=${encodeURIComponent(JSON.stringify(funnelPaths))}`,
     '[data-testid="sankey-link"]'],
  ]) {
    await tab.goto(`${hoglet.host}${path}`);
    await tab.waitForSelector(ready, { state: 'attached' });
    found.push(...await auditScreen(tab, name));
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

// ---- Retention: the persons of a broken-down cell ----
// Visitor rbw-1 on Chrome 3 and 2 days ago and on Safari 1 day ago, rbw-2 on Safari 3 days and
// 1 day ago, rbw-3 without a browser 2 days ago (the project is in UTC). A cell of a value's
// table lists the persons counted under that value: those of the actors query the page sends.
test('Retention by browser: a cell lists the persons of its breakdown value', async () => {
  const errorsBefore = consoleErrors.length;
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  const day = (n) => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - n * DAY_MS + 12 * 3600 * 1000);
  for (const [distinctId, n, browser] of [
    ['rbw-1', 3, 'Chrome'], ['rbw-1', 2, 'Chrome'], ['rbw-1', 1, 'Safari'],
    ['rbw-2', 3, 'Safari'], ['rbw-2', 1, 'Safari'], ['rbw-3', 2, null],
  ]) {
    client.capture({ distinctId, event: 'rbw visit', timestamp: day(n),
                     properties: browser ? { $browser: browser } : {} });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=rbw%20visit', 6);

  const visit = { id: 'rbw visit', type: 'events', name: 'rbw visit' };
  const wanted = {
    kind: 'RetentionQuery', dateRange: { date_from: '-3d' },
    retentionFilter: { targetEntity: visit, returningEntity: { ...visit },
                       retentionType: 'retention_recurring', period: 'Day', totalIntervals: 4,
                       retentionReference: 'total', cumulative: false, minimumOccurrences: 1 },
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  };
  await page.goto(`${hoglet.host}/insights/retention?q=${encodeURIComponent(JSON.stringify(wanted))}`);
  await page.waitForSelector('[data-testid="retention-answer"][data-query]');
  const query = JSON.parse(await page.getAttribute('[data-testid="retention-answer"]', 'data-query'));
  assert.deepEqual(query.breakdownFilter, wanted.breakdownFilter);
  const cohorts = await queryApi(query);
  const lines = {};
  for (const cohort of cohorts) {
    (lines[cohort.breakdown_value] ??= []).push(cohort.values.map((v) => v.count));
  }
  assert.deepEqual(lines, {
    Safari: [[1, 0, 1, 0], [0, 0, 0, 0], [2, 0, 0, 0], [0, 0, 0, 0]],
    Chrome: [[1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    '': [[0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
  });
  assert.deepEqual(await page.$$eval('[data-testid="retention-breakdown"]',
                                     (hs) => hs.map((h) => h.textContent)),
                   ['Safari', 'Chrome', '(none)']);

  // Clicks the cell (row, offset) of a value's table; the persons listed, once the list holds
  // them, equal the answer of the actors query the list was drawn from.
  const cellPersons = async (heading, value, row, offset) => {
    await page.click(`[data-testid="retention-tables"] > div:has(> h3:text-is("${heading}")) `
                     + `[data-testid="retention-row"] >> nth=${row} >> `
                     + `[data-testid="retention-cell"] >> nth=${offset} >> button`);
    await page.waitForFunction(({ value, row }) => {
      const list = document.querySelector('[data-testid="insight-persons"][data-query]');
      if (!list) return false;
      const source = JSON.parse(list.getAttribute('data-query')).source;
      return source.interval === row && JSON.stringify(source.breakdown) === JSON.stringify([value]);
    }, { value, row });
    const actorsQuery = JSON.parse(await page.getAttribute('[data-testid="insight-persons"]',
                                                           'data-query'));
    assert.deepEqual(actorsQuery.select, ['person', `day_${offset}`]);
    const listed = await shownPersons();
    const answer = await queryApi(actorsQuery);
    assert.deepEqual(listed, answer.filter((r) => r[1] === 1)
      .map((r) => r[0].distinct_ids.join()).sort(), `${heading} ${row} ${offset}`);
    return listed;
  };
  assert.deepEqual(await cellPersons('Safari', 'Safari', 0, 0), ['rbw-2']);
  assert.deepEqual(await cellPersons('Safari', 'Safari', 0, 2), ['rbw-2']);
  assert.deepEqual(await cellPersons('Safari', 'Safari', 2, 0), ['rbw-1', 'rbw-2']);
  assert.deepEqual(await cellPersons('Chrome', 'Chrome', 0, 1), ['rbw-1']);
  assert.deepEqual(await cellPersons('(none)', '', 1, 0), ['rbw-3']);
  assert.deepEqual(await cellPersons('Chrome', 'Chrome', 1, 1), [], 'an empty cell lists nobody');
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

test('Group type names shown where a type is; pickers search the server as typed; '
     + 'retention\'s Other table', async () => {
  const errorsBefore = consoleErrors.length;
  // Group type names: set on the Groups page, then shown in its tab, the Trends unique groups
  // math and group breakdown, and the flag editor's "Match by".
  const company = (await hoglet.api('GET', '/api/projects/1/groups_types/')).body
    .find((t) => t.group_type === 'company');
  assert.ok(company, 'an earlier test made the company group type');
  assert.equal(company.name_plural, null);
  const index = company.group_type_index;
  await page.goto(`${hoglet.host}/groups?type=${index}`);
  const names = '[data-testid="group-type-names"]';
  await page.waitForSelector(names);
  await page.fill(`${names} input[name="name_singular"]`, 'Firm');
  await page.fill(`${names} input[name="name_plural"]`, 'Firms');
  await page.click(`${names} button[type="submit"]`);
  await page.waitForSelector('[data-testid="group-type-tab"]:text-is("Firms")');
  const named = (await hoglet.api('GET', '/api/projects/1/groups_types/')).body
    .find((t) => t.group_type === 'company');
  assert.equal(named.name_singular, 'Firm');
  assert.equal(named.name_plural, 'Firms');
  const unique = { kind: 'TrendsQuery', dateRange: { date_from: '-7d' },
                   series: [{ kind: 'EventsNode', event: 'wm signed up', name: 'wm signed up',
                              math: 'unique_group', math_group_type_index: index }] };
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(unique))}`);
  const groupOption = `[data-testid="series-0-group-type"] option[value="${index}"]`;
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Firms', groupOption);
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Group: Firm',
                             `[data-testid="breakdown"] option[value="group:${index}"]`);
  await page.goto(`${hoglet.host}/feature_flags/new`);
  await page.waitForFunction((s) => document.querySelector(s)?.textContent === 'Groups: Firms',
                             `${FLAG_EDITOR} select[name="flag_aggregation"] option[value="${index}"]`);

  // More event names than the pickers' first page (1000): the last ones are found by typing.
  // Sent in two halves, each recorded before the next (an ingest batch records at most 1000
  // new names).
  const recorded = async (count) => hoglet.waitFor(async () => (await hoglet.api(
    'GET', '/api/projects/1/event_definitions/?search=zz%20searched&limit=1')).body.count === count,
                                                   30000);
  for (const [from, to] of [[0, 505], [505, 1010]]) {
    const batch = Array.from({ length: to - from }, (_, k) => ({
      event: `zz searched ${String(from + k).padStart(4, '0')}`, distinct_id: 'zz-1',
      properties: from + k === 0 ? { zz_amount_searched: 5 } : {} }));
    const sent = await fetch(`${hoglet.host}/batch/`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ api_key: PROJECT_TOKEN, batch }) });
    assert.equal(sent.status, 200);
    assert.ok(await recorded(to), `${to} names recorded`);
  }
  const action = await hoglet.api('POST', '/api/projects/1/actions/', {
    name: 'zz action searched', steps: [{ event: 'zz searched 0000' }] });
  assert.equal(action.status, 201, JSON.stringify(action.body));
  const plain = { kind: 'TrendsQuery', dateRange: { date_from: '-7d' },
                  series: [{ kind: 'EventsNode', event: 'wm signed up', name: 'wm signed up',
                             math: 'total' }] };
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(plain))}`);
  await page.waitForSelector('[data-testid="series-0-event"] option[value="wm signed up"]',
                             { state: 'attached' });
  await page.waitForFunction(() => document.querySelectorAll(
    '[data-testid="series-0-event"] option').length >= 1000);
  const last = '[data-testid="series-0-event"] option[value="zz searched 1009"]';
  assert.equal(await page.locator(last).count(), 0, 'past the first page');
  await page.fill('[data-testid="series-0-event-search"]', 'searched 1009');
  await page.waitForSelector(last, { state: 'attached' });
  assert.equal(await page.locator('[data-testid="series-0-event"] option').count(), 2,
               'the found name and the series\' own event');
  await page.press('[data-testid="series-0-event-search"]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('zz searched 1009'));
  assert.equal((await shownTrendsQuery()).series[0].event, 'zz searched 1009');
  // An action, found by the same box; ArrowDown moves to the select.
  await page.fill('[data-testid="series-0-event-search"]', 'zz action');
  const actionOption = `[data-testid="series-0-event"] option[value="action:${action.body.id}"]`;
  await page.waitForSelector(actionOption, { state: 'attached' });
  assert.equal(await page.textContent(actionOption), 'Action: zz action searched');
  await page.press('[data-testid="series-0-event-search"]', 'ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
               'series-0-event');
  await page.selectOption('[data-testid="series-0-event"]', `action:${action.body.id}`);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('ActionsNode'));
  const byAction = await shownTrendsQuery();
  assert.equal(byAction.series[0].id, action.body.id);
  assert.equal(byAction.series[0].name, 'zz action searched');
  // A property, found by the breakdown's box.
  await page.fill('[data-testid="breakdown-search"]', 'amount searched');
  await page.waitForSelector('[data-testid="breakdown-row"] [role="status"]:text-is("1 found")');
  await page.press('[data-testid="breakdown-search"]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('zz_amount_searched'));
  assert.equal((await shownTrendsQuery()).breakdownFilter.breakdown, 'zz_amount_searched');

  // Data management: the list follows the box as it is typed.
  await page.goto(`${hoglet.host}/data-management`);
  await page.waitForSelector('[data-testid="definitions-table"]');
  await page.fill('[data-testid="definitions-search"]', 'searched 1009');
  await page.waitForSelector('[data-testid="definition-row"][data-name="zz searched 1009"]');
  assert.equal(await page.locator('[data-testid="definition-row"]').count(), 1);

  // Retention with a breakdown limit of 1: Safari and the Other table (Chrome and no browser).
  const visit = { id: 'rbw visit', type: 'events', name: 'rbw visit' };
  const limited = {
    kind: 'RetentionQuery', dateRange: { date_from: '-3d' },
    retentionFilter: { targetEntity: visit, returningEntity: { ...visit },
                       retentionType: 'retention_recurring', period: 'Day', totalIntervals: 4,
                       retentionReference: 'total', cumulative: false, minimumOccurrences: 1 },
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event', breakdown_limit: 1 },
  };
  await page.goto(`${hoglet.host}/insights/retention?q=${encodeURIComponent(JSON.stringify(limited))}`);
  await page.waitForSelector('[data-testid="retention-answer"][data-query]');
  const query = JSON.parse(await page.getAttribute('[data-testid="retention-answer"]', 'data-query'));
  assert.deepEqual(query.breakdownFilter, limited.breakdownFilter);
  const cohorts = await queryApi(query);
  assert.deepEqual([...new Set(cohorts.map((c) => c.breakdown_value))],
                   ['Safari', '$$_posthog_breakdown_other_$$']);
  assert.deepEqual(await page.$$eval('[data-testid="retention-breakdown"]',
                                     (hs) => hs.map((h) => h.textContent)),
                   ['Safari', 'Other']);

  // The same limit on Trends: the line past the limit reads "Other" in the legend and table.
  const trendsLimited = { kind: 'TrendsQuery', dateRange: { date_from: '-3d' },
                          series: [{ kind: 'EventsNode', event: 'rbw visit' }],
                          breakdownFilter: limited.breakdownFilter };
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(trendsLimited))}`);
  await page.waitForSelector('[data-testid="trends-answer"][data-query]');
  const lines = await queryApi(
    JSON.parse(await page.getAttribute('[data-testid="trends-answer"]', 'data-query')));
  assert.ok(lines.some((line) => line.label === '$$_posthog_breakdown_other_$$'));
  const shownLines = await shownResults();
  assert.deepEqual(shownLines.rows.map((r) => [r.label, r.total]),
                   lines.map((line) => [shownLabel(line.label), line.count]));
  assert.deepEqual(shownLines.chart.map((line) => line.label),
                   lines.map((line) => shownLabel(line.label)));
  assert.ok(shownLines.rows.some((r) => r.label === 'Other'));
  assert.equal(await page.inputValue('[data-testid="breakdown-limit"]'), '1');
  // A limit above the values' number: no Other line.
  await page.fill('[data-testid="breakdown-limit"]', '25');
  await page.press('[data-testid="breakdown-limit"]', 'Enter');
  await page.waitForFunction(() => JSON.parse(document.querySelector('[data-testid="trends-answer"]')
    ?.getAttribute('data-query') ?? '{}').breakdownFilter?.breakdown_limit === 25);
  const { expected: unlimited } = await expectPageMatchesApi();
  assert.ok(!unlimited.some((line) => line.label === '$$_posthog_breakdown_other_$$'));
  assert.ok(unlimited.length > lines.length - 1);

  // axe-core on the screens touched here.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  await context.addCookies(await page.context().cookies());
  const tab = await context.newPage();
  const found = [];
  for (const [name, path, ready] of [
    ['groups-names', `/groups?type=${index}`, '[data-testid="group-type-names"]'],
    ['trends-search', `/insights/trends?q=${encodeURIComponent(JSON.stringify(unique))}`,
     '[data-testid="series-0-event-search"]'],
    ['retention-other', `/insights/retention?q=${encodeURIComponent(JSON.stringify(limited))}`,
     '[data-testid="retention-breakdown"]'],
    ['data-management-search', '/data-management?kind=events&search=searched%201009',
     '[data-testid="definition-row"]'],
  ]) {
    await tab.goto(`${hoglet.host}${path}`);
    await tab.waitForSelector(ready);
    if (name === 'trends-search') {
      await tab.fill('[data-testid="series-0-event-search"]', 'searched 100');
      await tab.waitForSelector('.search-select-count');
    }
    found.push(...await auditScreen(tab, name));
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

test('Trends: View HogQL shows the answer\'s HogQL as text, and opens it in the SQL editor',
     async () => {
  const errorsBefore = consoleErrors.length;
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  for (const [distinctId, browser] of [['vhq-1', 'Chrome'], ['vhq-2', 'Chrome'], ['vhq-2', HOSTILE]]) {
    client.capture({ distinctId, event: 'vhq visit', properties: { $browser: browser } });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=vhq%20visit', 3);

  const wanted = {
    kind: 'TrendsQuery', dateRange: { date_from: '-2d' },
    series: [{ kind: 'EventsNode', event: 'vhq visit', name: 'vhq visit', math: 'dau' }],
    properties: [{ key: '$browser', value: HOSTILE, operator: 'is_not', type: 'event' }],
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  };
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(wanted))}`);
  await page.waitForSelector('[data-testid="trends-answer"][data-query]');
  const query = JSON.parse(await page.getAttribute('[data-testid="trends-answer"]', 'data-query'));
  const { body } = await hoglet.api('POST', '/api/projects/1/query/', { query });
  assert.equal(typeof body.hogql, 'string', JSON.stringify(body));
  assert.ok(body.hogql.includes(HOSTILE), 'the filter value is in the text');

  // Closed at first; opened, the text is the API's, as text, in a monospace font.
  const text = page.locator('[data-testid="query-hogql-text"]');
  assert.equal(await text.isVisible(), false);
  await page.click('[data-testid="view-hogql"] summary');
  assert.equal(await text.textContent(), body.hogql);
  assert.match(await text.evaluate((el) => getComputedStyle(el).fontFamily), /monospace/);
  assert.equal(await page.locator('[data-testid="view-hogql"] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // Opened in the SQL editor, it runs there: the dau of each browser today.
  await page.click('[data-testid="open-hogql-in-sql"]');
  await page.waitForSelector('[data-testid="sql-table"]');
  assert.equal(await page.locator('[data-testid="sql-input"]').inputValue(), body.hogql);
  const ran = await hoglet.api('POST', '/api/projects/1/query/',
                               { query: { kind: 'HogQLQuery', query: body.hogql } });
  assert.equal(ran.status, 200, JSON.stringify(ran.body));
  assert.deepEqual(ran.body.results.map((row) => [row[1], row[2]]), [['Chrome', 2]]);
  assert.deepEqual(await tableRows('sql-table'),
                   ran.body.results.map((row) => row.map((value) => String(value))));

  // A shape the server prints no HogQL for (a formula): nothing to view.
  const formula = { ...wanted, series: [wanted.series[0], { ...wanted.series[0] }],
                    trendsFilter: { formula: 'A + B' } };
  delete formula.breakdownFilter;
  await page.goto(`${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(formula))}`);
  await page.waitForSelector('[data-testid="trends-answer"][data-query]');
  const formulaQuery = JSON.parse(await page.getAttribute('[data-testid="trends-answer"]',
                                                          'data-query'));
  const formulaAnswer = await hoglet.api('POST', '/api/projects/1/query/', { query: formulaQuery });
  assert.equal(formulaAnswer.body.hogql, null);
  assert.equal(await page.locator('[data-testid="view-hogql"]').count(), 0);
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

// ---- Activity: the events explorer ----
// posthog-node sends 105 ticks of one visitor, a second apart, every other one from Chrome; the
// page's table, columns and filters are those of the EventsQuery its URL holds, the next page
// and a live event arrive as the API answers them.
test('Activity: columns, filters, a second page and live events hold the EventsQuery API\'s '
     + 'answers', async () => {
  const errorsBefore = consoleErrors.length;
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 200, flushInterval: 0 });
  const now = Date.now();
  for (let i = 0; i < 105; i++) {
    client.capture({ distinctId: 'act-1', event: 'act tick', timestamp: new Date(now - i * 1000),
                     properties: { n: i, $browser: i % 2 ? 'Chrome' : 'Safari' } });
  }
  await client.shutdown();
  await hoglet.waitForEvents('event=act%20tick', 105);

  // The page's table once it answers the query its URL holds, as text, with its headers.
  const shown = async () => {
    const q = new URL(page.url()).searchParams.get('q');
    if (q) {
      await page.waitForFunction((q) => document.querySelector('[data-testid="events-table"]')
        ?.getAttribute('data-query') === JSON.stringify(JSON.parse(q)), q);
    }
    return {
      headers: await page.$$eval('[data-testid="events-table"] thead th',
                                 (ths) => ths.slice(1).map((th) => th.textContent)),
      rows: await page.$$eval('[data-testid="event-row"]', (trs) => trs.map((tr) =>
        [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent))),
    };
  };
  // The API's answer to the page's query: the cells of `columns` (by header) as text.
  const apiCells = async (labels) => {
    const q = JSON.parse(new URL(page.url()).searchParams.get('q'));
    const body = { kind: 'EventsQuery', select: ['*', ...q.columns], orderBy: ['timestamp DESC'],
                   after: q.after, limit: 100, event: q.event };
    if (q.properties?.length) body.properties = q.properties;
    const results = await queryApi(body);
    return results.map((row) => labels.map((label) => {
      const value = row[1 + q.columns.findIndex((c) => c.endsWith(` -- ${label}`) ||
                                                     c === `properties.${label}` || c === label)];
      return value === null || value === undefined ? '' : String(value);
    }));
  };
  const pickOnly = (rows, headers, labels) =>
    rows.map((row) => labels.map((label) => row[headers.indexOf(label)]));

  await page.goto(`${hoglet.host}/activity`);
  await pick('activity-event', 'act tick');
  let table = await shown();
  assert.deepEqual(table.headers, ['event', 'person', 'Url / Screen', '$lib', 'timestamp']);
  assert.equal(table.rows.length, 100);
  assert.ok(table.rows.every((row) => row[0] === 'act tick' && row[1] === 'act-1'));
  assert.equal(table.rows[0][3], 'posthog-node');
  // The next page: the five oldest.
  await page.click('[data-testid="activity-more"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-row"]').length
    === 105);
  assert.equal(await page.locator('[data-testid="activity-more"]').count(), 0);

  // Columns: a property, a HogQL expression with its label; $lib removed.
  await pick('activity-add-property', 'n');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')
    ?.includes('properties.n'));
  await page.fill('[data-testid="activity-add-hogql"]', 'upper(properties.$browser) -- Loud');
  await page.press('[data-testid="activity-add-hogql"]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')?.includes('Loud'));
  await page.click('[data-testid="activity-column"][data-column="properties.$lib"] button');
  table = await shown();
  assert.deepEqual(table.headers, ['event', 'person', 'Url / Screen', 'timestamp', 'n', 'Loud']);
  assert.deepEqual(pickOnly(table.rows, table.headers, ['n', 'Loud']).slice(0, 3),
                   [['0', 'SAFARI'], ['1', 'CHROME'], ['2', 'SAFARI']]);
  assert.deepEqual(pickOnly(table.rows, table.headers, ['event', 'n', 'Loud']),
                   await apiCells(['event', 'n', 'Loud']));

  // A property filter: the 52 ticks from Chrome, one page.
  await page.click('[data-testid="activity-filters-add"]');
  await pick('activity-filters-0-key', 'event:$browser');
  await page.selectOption('[data-testid="activity-filters-0-operator"]', 'exact');
  await page.fill('[data-testid="activity-filters-0-value"]', 'Chrome');
  await page.press('[data-testid="activity-filters-0-value"]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('q')?.includes('Chrome'));
  table = await shown();
  assert.equal(table.rows.length, 52);
  assert.ok(table.rows.every((row) => row[table.headers.indexOf('Loud')] === 'CHROME'));
  assert.deepEqual(pickOnly(table.rows, table.headers, ['n', 'Loud']), await apiCells(['n', 'Loud']));
  assert.equal(await page.locator('[data-testid="activity-more"]').count(), 0);

  // The URL is the whole table: opened afresh, the same columns and rows.
  const link = page.url();
  await page.goto('about:blank');
  await page.goto(link);
  assert.deepEqual(await shown(), table);

  // Live: an event sent now shows at the top within seconds.
  await page.check('[data-testid="activity-live"]');
  const live = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 1, flushInterval: 0 });
  const sentAt = Date.now();
  live.capture({ distinctId: 'act-1', event: 'act tick', properties: { n: 999, $browser: 'Chrome' } });
  await live.shutdown();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="event-row"]').length
    === 53, null, { timeout: 15000 });
  table = await shown();
  assert.equal(table.rows[0][table.headers.indexOf('n')], '999');
  assert.ok(Date.now() - sentAt < 15000);
  await page.uncheck('[data-testid="activity-live"]');
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});

// ---- Settings: the password ----
test('Settings: the password is changed with the current one; the old one stops working',
     async () => {
  const errorsBefore = consoleErrors.length;
  const NEW_PASSWORD = 'staple battery horse correct';
  await page.goto(`${hoglet.host}/settings/user`);
  await page.waitForSelector('[data-testid="password-form"]');
  const form = '[data-testid="password-form"]';
  await page.fill(`${form} input[name="current_password"]`, 'not the password');
  await page.fill(`${form} input[name="password"]`, NEW_PASSWORD);
  await page.fill(`${form} input[name="password_again"]`, `${NEW_PASSWORD}!`);
  assert.equal(await page.textContent('[data-testid="password-mismatch"]'),
               'The new passwords differ.');
  assert.equal(await page.locator(`${form} button[type="submit"]`).isDisabled(), true);
  await page.fill(`${form} input[name="password_again"]`, NEW_PASSWORD);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="password-error"]');
  assert.match(await page.textContent('[data-testid="password-error"]'),
               /current password is incorrect/);
  assert.match(consoleErrors.pop() ?? '', /status of 400/);
  await page.fill(`${form} input[name="current_password"]`, PASSWORD);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('[data-testid="password-changed"]');
  // The page goes on in the new session the answer set; the personal API key still works.
  await page.click('nav >> text=Activity');
  await page.waitForSelector('[data-testid="event-row"]');
  assert.equal((await hoglet.api('GET', '/api/users/@me/')).status, 200);
  // The old password is no longer the current one; the new one is (and changes it back).
  const change = (current, next) => page.evaluate(async ({ current, next }) => {
    const token = document.cookie.match(/posthog_csrftoken=([^;]*)/)?.[1] ?? '';
    const response = await fetch('/api/users/@me/', {
      method: 'PATCH', headers: { 'Content-Type': 'application/json', 'X-CSRFToken': token },
      body: JSON.stringify({ current_password: current, password: next }) });
    return response.status;
  }, { current, next });
  assert.equal(await change(PASSWORD, PASSWORD), 400);
  assert.match(consoleErrors.pop() ?? '', /status of 400/);
  assert.equal(await change(NEW_PASSWORD, PASSWORD), 200);
  assert.equal(await change(PASSWORD, PASSWORD), 200);
  assert.deepEqual(consoleErrors.slice(errorsBefore), []);
});
