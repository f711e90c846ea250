// The web app's page budgets, measured in Debian's Chromium (driven by playwright-core) against the
// Release hoglet on a temporary data directory holding 30 days of events sent by posthog-node:
//
//   first load, cold cache   navigation start → the app shell rendered (the project's name in
//                            the DOM), in a new browser context: every file fetched  ≤ 1 000 ms
//   first load, warm cache   the same in a context that loaded the app before      ≤ 1 000 ms
//   JavaScript               the bytes of the app's scripts as sent (gzipped)      ≤ 400 kB
//   30-day trends chart      the query API's answer received (its resource timing's responseEnd)
//                            → the chart's canvas in the DOM                        ≤ 200 ms
//
// Each time is the best of 5 (the median is printed beside it). Times are read in the page from
// performance.now() (0 = navigation start) by a MutationObserver installed before the app's
// scripts run, so the driver's polling adds nothing. Prints the numbers and whether each is
// within its budget; never fails on them (a benchmark, not a test).
//
//   node bench/web_budget.mjs [--users 1000] [--runs 5]
//
// Needs build/release/hoglet (or HOGLET_BINARY) built with web/dist, tests/sdk/node_modules and
// /usr/bin/chromium (or HOGLET_CHROMIUM). Everything runs on 127.0.0.1.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = join(root, 'tests', 'sdk');
const require = createRequire(join(sdk, 'package.json'));
const { PostHog } = require('posthog-node');
const { chromium } = require('playwright-core');
process.env.HOGLET_BINARY ??= join(root, 'build', 'release', 'hoglet');
const { startHoglet, PROJECT_TOKEN } = await import(join(sdk, 'hoglet_server.mjs'));

const { values: options } = parseArgs({ options: {
  users: { type: 'string', default: '1000' },
  runs: { type: 'string', default: '5' },
} });
const USERS = Number(options.users);
const RUNS = Number(options.runs);
const DAY_MS = 86400000;
const BUDGETS = { loadMs: 1000, jsBytes: 400 * 1024, chartMs: 200 };
const CHROMIUM = process.env.HOGLET_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run',
                       '--disable-background-networking', '--disable-component-update',
                       '--disable-sync',
                       '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'];
const SHELL = '[data-testid="project-name"]';
const CHART = '[data-testid="trends-chart"] canvas';
const TRENDS_30_DAYS = {
  kind: 'TrendsQuery',
  series: [{ kind: 'EventsNode', event: '$pageview', name: '$pageview', math: 'total' },
           { kind: 'EventsNode', event: 'clicked button', name: 'clicked button', math: 'dau' }],
  interval: 'day',
  dateRange: { date_from: '-30d' },
};

// Runs in every document before its scripts: the time each watched selector first matches.
function watchMarks({ shell, chart }) {
  window.__marks = {};
  const watched = { shell, chart };
  const check = () => {
    for (const [name, selector] of Object.entries(watched)) {
      if (!(name in window.__marks) && document.querySelector(selector)) {
        window.__marks[name] = performance.now();
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
}

// A small pseudo-random generator, so every run sends the same events.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// 30 days of page views, clicks and purchases from USERS people, each active on about half the
// days; the number sent.
async function sendEvents(host) {
  const next = random(7);
  const client = new PostHog(PROJECT_TOKEN, { host, flushAt: 200, flushInterval: 0 });
  const now = Date.now();
  const browsers = ['Chrome', 'Firefox', 'Safari'];
  let sent = 0;
  // posthog-node drops what exceeds its queue (10 000 messages): flush before it fills.
  const capture = async (message) => {
    client.capture(message);
    if (++sent % 1000 === 0) await client.flush();
  };
  for (let day = 29; day >= 0; --day) {
    for (let user = 0; user < USERS; ++user) {
      if (next() < 0.5) continue;
      const distinctId = `user-${user}`;
      const $browser = browsers[user % browsers.length];
      const views = 1 + Math.floor(next() * 6);
      for (let i = 0; i < views; ++i) {
        const timestamp = new Date(now - day * DAY_MS - Math.floor(next() * DAY_MS * 0.9));
        const page = ['/', '/pricing', '/blog', '/docs'][Math.floor(next() * 4)];
        await capture({ distinctId, event: '$pageview', timestamp,
                        properties: { $browser, $current_url: `https://shop.test${page}` } });
        if (next() < 0.4) {
          await capture({ distinctId, event: 'clicked button', timestamp,
                          properties: { $browser } });
        }
      }
      if (next() < 0.1) {
        await capture({ distinctId, event: 'purchase', timestamp: new Date(now - day * DAY_MS),
                        properties: { price: Math.round(next() * 100) } });
      }
    }
  }
  await client.shutdown();
  return sent;
}

async function countEvents(hoglet) {
  const { status, body } = await hoglet.api('POST', '/api/projects/1/query/', {
    query: { kind: 'HogQLQuery', query: 'select count() from events' } });
  return status === 200 ? Number(body.results[0][0]) : -1;
}

// Loads `url` in `page` and waits for the mark `name`; the mark (ms from navigation start).
async function load(page, url, name) {
  await page.goto(url);
  await page.waitForFunction((n) => window.__marks && n in window.__marks, name,
                             { timeout: 30000 });
  return page.evaluate((n) => window.__marks[n], name);
}

async function newContext(browser, storageState) {
  const context = await browser.newContext({ storageState });
  await context.addInitScript(watchMarks, { shell: SHELL, chart: CHART });
  return context;
}

const best = (values) => Math.min(...values);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value) => `${value.toFixed(1)} ms`;

const hoglet = await startHoglet();
let browser;
try {
  const loadStarted = Date.now();
  const sent = await sendEvents(hoglet.host);
  const queryable = await hoglet.waitFor(async () => (await countEvents(hoglet)) >= sent, 120000);
  if (!queryable) throw new Error(`only ${await countEvents(hoglet)} of ${sent} events queryable`);
  console.log(`events: ${sent} from ${USERS} people over 30 days, queryable after ` +
              `${((Date.now() - loadStarted) / 1000).toFixed(1)} s`);

  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
                                    args: CHROMIUM_ARGS, timeout: 30000 });
  // The first account, made through the API in a context whose cookies every run starts from.
  const signup = await browser.newContext();
  const created = await signup.request.post(`${hoglet.host}/api/signup/`, { data: {
    email: 'owner@example.com', password: 'correct horse battery', first_name: 'Ada',
    project_name: 'Web shop' } });
  if (created.status() !== 201) throw new Error(`signup: ${created.status()} ${await created.text()}`);
  const session = await signup.storageState();
  await signup.close();

  // Cold: a new context (its own empty cache) per run.
  const cold = [];
  let scripts = [];
  for (let run = 0; run < RUNS; ++run) {
    const context = await newContext(browser, session);
    const page = await context.newPage();
    cold.push(await load(page, `${hoglet.host}/`, 'shell'));
    scripts = await page.evaluate(() => performance.getEntriesByType('resource')
      .filter((entry) => new URL(entry.name).pathname.endsWith('.js'))
      .map((entry) => ({ encoded: entry.encodedBodySize, decoded: entry.decodedBodySize })));
    await context.close();
  }
  const jsSent = scripts.reduce((total, s) => total + s.encoded, 0);
  const jsDecoded = scripts.reduce((total, s) => total + s.decoded, 0);

  // Warm: one context, loaded once, then every run a new navigation to the app.
  const context = await newContext(browser, session);
  const page = await context.newPage();
  await load(page, `${hoglet.host}/`, 'shell');
  const warm = [];
  for (let run = 0; run < RUNS; ++run) warm.push(await load(page, `${hoglet.host}/`, 'shell'));

  // The 30-day trends chart: from the query API's answer received to the canvas in the DOM.
  const url = `${hoglet.host}/insights/trends?q=${encodeURIComponent(JSON.stringify(TRENDS_30_DAYS))}`;
  const chart = [];
  const answer = [];
  for (let run = 0; run < RUNS; ++run) {
    const drawn = await load(page, url, 'chart');
    const query = await page.evaluate((at) => performance.getEntriesByType('resource')
      .filter((entry) => entry.name.includes('/query/') && entry.responseEnd <= at)
      .map((entry) => ({ start: entry.startTime, end: entry.responseEnd })).pop(), drawn);
    if (!query) throw new Error('no /query/ request before the chart');
    chart.push(drawn - query.end);
    answer.push(query.end - query.start);
  }
  const series = JSON.parse(await page.getAttribute('[data-testid="trends-chart"]', 'data-series'));
  await context.close();

  const verdict = (value, budget) => (value <= budget ? 'within budget' : 'OVER BUDGET');
  console.log(`chromium: ${browser.version()}; best of ${RUNS} (median)`);
  console.log(`first load, cold cache: ${ms(best(cold))} (${ms(median(cold))}) — ` +
              `budget ${BUDGETS.loadMs} ms: ${verdict(best(cold), BUDGETS.loadMs)}`);
  console.log(`first load, warm cache: ${ms(best(warm))} (${ms(median(warm))}) — ` +
              `budget ${BUDGETS.loadMs} ms: ${verdict(best(warm), BUDGETS.loadMs)}`);
  console.log(`JavaScript: ${(jsSent / 1024).toFixed(1)} kB sent for ${(jsDecoded / 1024).toFixed(1)} kB ` +
              `(${scripts.length} file(s)) — budget ${BUDGETS.jsBytes / 1024} kB: ` +
              `${verdict(jsSent, BUDGETS.jsBytes)}`);
  console.log(`30-day trends chart (${series.length} lines × ${series[0]?.data.length} days): ` +
              `${ms(best(chart))} (${ms(median(chart))}) after the answer, which took ` +
              `${ms(best(answer))} (${ms(median(answer))}) — budget ${BUDGETS.chartMs} ms: ` +
              `${verdict(best(chart), BUDGETS.chartMs)}`);
} finally {
  await browser?.close();
  await hoglet.stop();
}
