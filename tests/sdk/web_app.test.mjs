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
  assert.deepEqual(shown.rows, expected.map((r) => ({ label: r.label, total: r.count, data: r.data })));
  assert.deepEqual(shown.chart, expected.map((r) => ({ label: r.label, data: r.data })));
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

  // Activity lists the events, SDK values as text.
  await page.click('nav >> text=Activity');
  await page.waitForSelector('[data-testid="event-row"]');
  assert.equal(await page.locator('[data-testid="event-row"]').count(), sent.length);
  assert.equal(await page.locator('[data-testid="events-table"] img').count(), 0);
  assert.ok((await page.textContent('[data-testid="events-table"]')).includes(HOSTILE));
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

  // Activity: a row opens to the event's properties; its distinct id links to the person.
  await page.click('nav >> text=Activity');
  await page.waitForSelector('[data-testid="event-row"]');
  await page.click('[data-testid="event-row"] >> nth=0');
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

  // The dashboard's tile draws the insight's query answer.
  await page.click('nav >> text=Dashboards');
  await page.click('[data-testid="dashboard-row"] a');
  await page.waitForSelector('[data-testid="insight-tile"] [data-testid="trends-chart"]');
  const chart = JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-series'));
  const expected = await queryApi(query);
  assert.deepEqual(chart, expected.map((r) => ({ label: r.label, data: r.data })));

  // Opening the insight from its tile shows it in the Trends editor.
  await page.click('[data-testid="insight-tile"] h2 a');
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
  const at = (hoursAgo) => new Date(Date.now() - hoursAgo * 3600 * 1000);
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

// Cohorts, groups, data management and settings.
test('cohorts, groups, definitions, project settings and personal API keys', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: hoglet.host, flushAt: 50, flushInterval: 0 });
  for (const [distinctId, plan] of [['wm-1', 'pro'], ['wm-2', 'free'], ['wm-3', 'pro']]) {
    client.identify({ distinctId, properties: { plan, email: `${distinctId}@example.com` } });
  }
  client.groupIdentify({ groupType: 'company', groupKey: 'wm-acme',
                         properties: { name: HOSTILE, employees: 12 } });
  client.capture({ distinctId: 'wm-1', event: 'wm signed up', groups: { company: 'wm-acme' } });
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
  const shownPersons = () => page.$$eval('[data-testid="cohort-person-row"]',
                                         (trs) => trs.map((tr) => tr.dataset.uuid).sort());
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

  // A behavioural criterion the server cannot match shows its 400.
  await page.selectOption('[data-testid="cohort-form"] [data-testid="criterion-kind"]', 'behavioral');
  await page.selectOption('[data-testid="criterion-event"]', 'wm signed up');
  await page.click('[data-testid="cohort-save"]');
  await page.waitForSelector('[data-testid="cohort-error"]');
  assert.match(await page.textContent('[data-testid="cohort-error"]'), /behavioral/);

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
