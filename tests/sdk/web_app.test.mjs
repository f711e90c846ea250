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
