// The real posthog-js browser bundle, in real headless Chromium (Debian's /usr/bin/chromium driven
// by playwright-core), against a real hoglet server. The page is served from its own origin, so
// every call to hoglet is cross-origin, as on a customer's site. The browser may only talk to
// 127.0.0.1: every other host is unresolvable and any attempt fails the test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startHoglet, PROJECT_TOKEN } from './hoglet_server.mjs';
import {
  MULTIVARIATE_FLAG_VECTOR,
  MULTIVARIATE_VARIANTS,
  inRollout,
  multivariateFlagValue,
  simpleFlagValue,
  variantFor,
} from './flag_vectors.mjs';

const CHROMIUM = process.env.HOGLET_CHROMIUM || '/usr/bin/chromium';
// Flags known to work on the build machines; --headless is added by playwright-core itself.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Nothing but loopback resolves, so a stray request can never leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
const POSTHOG_JS_DIR = new URL('./node_modules/posthog-js/', import.meta.url);
const POSTHOG_JS_VERSION = JSON.parse(
  readFileSync(new URL('package.json', POSTHOG_JS_DIR)),
).version;
const POSTHOG_JS_BUNDLE = readFileSync(new URL('dist/array.full.js', POSTHOG_JS_DIR));

const CUSTOM_PROPERTIES = {
  product: 'hoglet plush',
  price: 19.99,
  quantity: 2,
  gift: true,
  tags: ['pink', 'soft'],
  shipping: { country: 'NZ', express: false },
};
const EMAIL = 'user-42@example.com';

// Flags the flags page reads: two of the spec §3.8 vector flags (the multivariate one with
// payloads) and one on a person property that identify() sets.
const FIRST_VARIANT_PAYLOAD = { headline: 'Hello from hoglet', discount: 15 };
const FLAGS = [
  { key: 'simple-flag', filters: { groups: [{ properties: [], rollout_percentage: 45 }] } },
  {
    key: 'multivariate-flag',
    filters: {
      groups: [{ properties: [], rollout_percentage: 55 }],
      multivariate: { variants: MULTIVARIATE_VARIANTS },
      payloads: { 'first-variant': JSON.stringify(FIRST_VARIANT_PAYLOAD) },
    },
  },
  {
    key: 'staff-flag',
    filters: {
      groups: [
        {
          properties: [
            { key: 'email', type: 'person', operator: 'icontains', value: '@hoglet.dev' },
          ],
          rollout_percentage: 100,
        },
      ],
    },
  },
];
// The page's visitor: the first id of the vector that gets first-variant (it has a payload).
const FLAGS_VISITOR_INDEX = MULTIVARIATE_FLAG_VECTOR.indexOf('1');
const FLAGS_VISITOR = `distinct_id_${FLAGS_VISITOR_INDEX}`;
const STAFF_ID = 'staff-7';
const STAFF_EMAIL = 'Pat@Hoglet.dev';

function shopPage(hogletHost) {
  // The Buy button captures a custom event and then identifies the visitor; before_send keeps a
  // list of what posthog-js captured so the test knows when the automatic $pageview happened,
  // and onFeatureFlags records every flag load as on the flags page.
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Hoglet shop</title>
<script src="/posthog-js/array.full.js"></script>
<script>
  window.__captured = [];
  window.__flagLoads = [];
  posthog.init(${JSON.stringify(PROJECT_TOKEN)}, {
    api_host: ${JSON.stringify(hogletHost)},
    // Headless Chromium looks like a bot; without this posthog-js drops every event.
    opt_out_useragent_filter: true,
    before_send: function (event) { window.__captured.push(event.event); return event; },
  });
  posthog.onFeatureFlags(function (flags, variants, context) {
    window.__flagLoads.push({
      distinctId: posthog.get_distinct_id(),
      variants: variants,
      errorsLoading: !!(context && context.errorsLoading),
    });
  });
  function buy() {
    posthog.capture('clicked buy', ${JSON.stringify(CUSTOM_PROPERTIES)});
    posthog.identify('user-42', { email: ${JSON.stringify(EMAIL)} });
  }
</script>
</head><body><h1>Checkout</h1><button id="buy" onclick="buy()">Buy now</button></body></html>`;
}

function flagsPage(hogletHost, distinctId) {
  // In-memory persistence keeps this visitor apart from the shop's identified user-42;
  // onFeatureFlags records every load with the id it was for.
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Hoglet flags</title>
<script src="/posthog-js/array.full.js"></script>
<script>
  window.__flagLoads = [];
  posthog.init(${JSON.stringify(PROJECT_TOKEN)}, {
    api_host: ${JSON.stringify(hogletHost)},
    opt_out_useragent_filter: true,
    persistence: 'memory',
    bootstrap: { distinctID: ${JSON.stringify(distinctId)} },
  });
  posthog.onFeatureFlags(function (flags, variants, context) {
    window.__flagLoads.push({
      distinctId: posthog.get_distinct_id(),
      variants: variants,
      errorsLoading: !!(context && context.errorsLoading),
    });
  });
</script>
</head><body><h1>Flags</h1></body></html>`;
}

// A tiny static server on its own port: the page origin differs from hoglet's.
async function startPageServer(hogletHost) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    if (path === '/shop/checkout') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(shopPage(hogletHost));
    } else if (path === '/flags-page') {
      const distinctId = new URL(req.url, 'http://127.0.0.1').searchParams.get('id');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(flagsPage(hogletHost, distinctId));
    } else if (path === '/posthog-js/array.full.js') {
      res.writeHead(200, { 'Content-Type': 'application/javascript' });
      res.end(POSTHOG_JS_BUNDLE);
    } else if (path === '/thanks') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Thanks</title><p>Thank you</p>');
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function isLoopbackOrLocal(url) {
  const u = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(u.protocol)) return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

let hoglet;
let pages;
let userDataDir;
let context;
const seen = {
  offLoopback: [], // URLs of requests to any other host
  hogletRequests: [], // {method, path, contentType, gzipBody, resourceType, flagsBody}
  hogletResponses: [], // {method, path, status}
  failed: [], // requests that failed in the browser
  pageErrors: [], // uncaught exceptions in the page
};
// The URL of the page that sent a request, for messages.
function frameUrl(request) {
  try {
    return request.frame().url();
  } catch {
    return 'no frame';
  }
}

// Requests to hoglet the browser has sent and not yet seen answered or failed, with when each
// was sent (performance.now()).
const inFlight = new Map();

function isFlagsPath(path) {
  return /^\/flags(\/|$)/.test(path);
}
// A request body as JSON; posthog-js gzips /flags bodies once remote config offers gzip.
function parseJson(buffer) {
  try {
    if (!buffer) return null;
    const gzip = buffer.length > 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
    return JSON.parse((gzip ? gunzipSync(buffer) : buffer).toString('utf8'));
  } catch {
    return { unparsed: buffer.toString('latin1').slice(0, 200) };
  }
}

before(async () => {
  hoglet = await startHoglet();
  for (const flag of FLAGS) {
    const created = await hoglet.api('POST', '/api/projects/@current/feature_flags/', flag);
    assert.equal(created.status, 201, `create ${flag.key}: ${JSON.stringify(created.body)}`);
  }
  pages = await startPageServer(hoglet.host);
  userDataDir = mkdtempSync(join(tmpdir(), 'hoglet-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  });
  context.on('request', (request) => {
    const url = request.url();
    if (!isLoopbackOrLocal(url)) {
      seen.offLoopback.push(url);
      return;
    }
    if (!url.startsWith(hoglet.host)) return;
    inFlight.set(request, performance.now());
    const body = request.postDataBuffer();
    seen.hogletRequests.push({
      method: request.method(),
      path: new URL(url).pathname + new URL(url).search,
      contentType: request.headers()['content-type'] ?? null,
      gzipBody: body ? body.length > 2 && body[0] === 0x1f && body[1] === 0x8b : null,
      resourceType: request.resourceType(),
      flagsBody: isFlagsPath(new URL(url).pathname) ? parseJson(body) : undefined,
    });
  });
  context.on('response', (response) => {
    const url = response.url();
    if (!url.startsWith(hoglet.host)) return;
    const u = new URL(url);
    seen.hogletResponses.push({
      method: response.request().method(),
      path: u.pathname + u.search,
      status: response.status(),
    });
  });
  context.on('requestfinished', (request) => inFlight.delete(request));
  context.on('requestfailed', (request) => {
    const ms = Math.round(performance.now() - (inFlight.get(request) ?? NaN));
    inFlight.delete(request);
    const what = `${request.method()} ${request.url()} from ${frameUrl(request)} after ${ms} ms`;
    seen.failed.push(`${what}: ${request.failure()?.errorText}`);
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await pages?.close();
  if (hoglet) assert.equal(await hoglet.stop(), 0, 'hoglet exits 0 on SIGTERM');
});

// The first stored event matching the query that also satisfies `accept`, or undefined.
async function waitForEvent(query, accept, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = (await hoglet.events(query)).find(accept);
    if (match) return match;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

// Waits until the page has had no request to hoglet in flight for `quietMs`, so that the test's
// own navigation or closing of the page does not abort one. A moment with nothing in flight is
// not enough: posthog-js asks /flags only once its remote config has arrived.
async function waitForHogletIdle(page, quietMs = 500, timeoutMs = 20000) {
  const fromPage = () => [...inFlight.keys()].filter((r) => r.frame().page() === page);
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (fromPage().length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  const pending = fromPage().map((r) => `${r.method()} ${r.url()}`);
  assert.deepEqual(pending, [], 'requests to hoglet still unanswered');
}

// Waits until onFeatureFlags has fired for `distinctId`; returns that load.
async function waitForFlagLoad(page, distinctId) {
  await page.waitForFunction(
    (id) => window.__flagLoads.some((load) => load.distinctId === id),
    distinctId,
    { timeout: 20000 },
  );
  return page.evaluate(
    (id) => window.__flagLoads.filter((load) => load.distinctId === id).pop(),
    distinctId,
  );
}

// Waits until posthog-js in the page has captured an event with this name.
async function waitForCaptured(page, name) {
  await page.waitForFunction((n) => window.__captured.includes(n), name, { timeout: 20000 });
}

function describeTraffic() {
  return JSON.stringify(
    { requests: seen.hogletRequests, responses: seen.hogletResponses, failed: seen.failed },
    null,
    1,
  );
}

test('posthog-js in Chromium: pageview, custom event and identify reach hoglet', {
  timeout: 120000,
}, async () => {
  const page = await context.newPage();
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  const pageUrl = `${pages.origin}/shop/checkout?step=pay`;
  const loadedAt = Date.now();
  await page.goto(pageUrl);
  await waitForCaptured(page, '$pageview');
  assert.equal(await page.evaluate(() => window.posthog.version), POSTHOG_JS_VERSION);
  await page.click('#buy');
  await waitForCaptured(page, '$identify');

  // posthog-js flushes its queue every ~3 s.
  const [pageview] = await hoglet.waitForEvents('event=%24pageview', 1, 30000);
  const [custom] = await hoglet.waitForEvents('event=clicked%20buy', 1, 30000);
  const [identify] = await hoglet.waitForEvents('event=%24identify', 1, 30000);
  assert.ok(pageview, `no $pageview stored; browser traffic: ${describeTraffic()}`);
  assert.ok(custom, `no 'clicked buy' stored; browser traffic: ${describeTraffic()}`);
  assert.ok(identify, `no $identify stored; browser traffic: ${describeTraffic()}`);
  const clicks = await hoglet.waitForEvents('event=%24autocapture', 1, 30000);
  assert.ok(clicks.length >= 1, `no $autocapture stored; browser traffic: ${describeTraffic()}`);

  // $pageview describes the page that loaded posthog-js.
  assert.equal(pageview.properties.$current_url, pageUrl);
  assert.equal(pageview.properties.$host, new URL(pages.origin).host);
  assert.equal(pageview.properties.$pathname, '/shop/checkout');
  assert.equal(pageview.properties.title, 'Hoglet shop');

  // The custom event keeps every property, nested values included, under the anonymous id.
  for (const [key, value] of Object.entries(CUSTOM_PROPERTIES)) {
    assert.deepEqual(custom.properties[key], value, `property ${key}`);
  }
  const anonymousId = pageview.distinct_id;
  assert.ok(anonymousId && anonymousId !== 'user-42', `anonymous distinct_id ${anonymousId}`);
  assert.equal(custom.distinct_id, anonymousId);
  assert.equal(pageview.properties.$device_id, anonymousId);

  // $identify moves the anonymous visitor to user-42 and sets the person's email.
  assert.equal(identify.distinct_id, 'user-42');
  assert.equal(identify.properties.$anon_distinct_id, anonymousId);
  assert.equal(identify.properties.$set?.email, EMAIL);

  // Autocapture of the click: the element chain is stored as the string posthog-js sent.
  const chain = clicks[0].properties.$elements_chain;
  assert.equal(typeof chain, 'string', `$elements_chain ${JSON.stringify(chain)}`);
  assert.ok(chain.startsWith('button') && chain.includes('attr__id="buy"'), chain);
  assert.equal(clicks[0].properties.$event_type, 'click');

  for (const event of [pageview, custom, identify, clicks[0]]) {
    assert.equal(event.properties.$lib, 'web', `${event.event} $lib`);
    assert.equal(event.properties.$lib_version, POSTHOG_JS_VERSION, `${event.event} $lib_version`);
    const session = event.properties.$session_id;
    assert.equal(session, pageview.properties.$session_id, `${event.event} session`);
    assert.equal(typeof event.properties.$window_id, 'string', `${event.event} $window_id`);
    assert.match(event.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const at = new Date(event.timestamp).getTime();
    const inRange = at >= loadedAt - 5000 && at <= Date.now() + 5000;
    assert.ok(inRange, `${event.event} at ${event.timestamp}`);
  }
  assert.equal(typeof pageview.properties.$session_id, 'string');
  assert.ok(pageview.properties.$session_id.length > 0);

  // Remote config came from hoglet (it offers gzip), and every event batch is a gzip body sent as
  // text/plain without Content-Encoding (no CORS preflight), which hoglet must sniff.
  assert.ok(
    seen.hogletResponses.some(
      (r) => r.path.startsWith(`/array/${PROJECT_TOKEN}/config`) && r.status === 200,
    ),
    `remote config not served; browser traffic: ${describeTraffic()}`,
  );
  const batches = seen.hogletRequests.filter((r) => r.method === 'POST' && r.path.startsWith('/e'));
  assert.ok(batches.length >= 1, `no event batches seen; browser traffic: ${describeTraffic()}`);
  for (const batch of batches) {
    assert.equal(batch.gzipBody, true, `batch not gzip: ${JSON.stringify(batch)}`);
    assert.match(batch.contentType ?? '', /^text\/plain/, `batch type: ${JSON.stringify(batch)}`);
  }
  // identify() reloaded the flags for the new id.
  const flags = await waitForFlagLoad(page, 'user-42');
  assert.equal(flags.errorsLoading, false, `flags failed to load: ${describeTraffic()}`);
  await waitForHogletIdle(page);
  await page.close({ runBeforeUnload: true });
});

test('leaving the page sends $pageleave for the identified user', { timeout: 60000 }, async () => {
  const page = await context.newPage();
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  await page.goto(`${pages.origin}/shop/checkout?step=review`);
  await waitForCaptured(page, '$pageview');
  const flags = await waitForFlagLoad(page, 'user-42');
  assert.equal(flags.errorsLoading, false, `flags failed to load: ${describeTraffic()}`);
  // Navigating away unloads posthog-js, which flushes its queue and sends $pageleave.
  await waitForHogletIdle(page);
  await page.goto(`${pages.origin}/thanks`);
  const reviewUrl = `${pages.origin}/shop/checkout?step=review`;
  const leave = await waitForEvent(
    'event=%24pageleave',
    (e) => e.properties.$current_url === reviewUrl,
  );
  assert.ok(leave, `no $pageleave for ${reviewUrl}; browser traffic: ${describeTraffic()}`);
  assert.equal(leave.distinct_id, 'user-42', 'the identity persisted in the browser profile');
  assert.equal(leave.properties.$lib, 'web');
  await waitForHogletIdle(page);
  await page.close();
});

const isFlagsRequest = (r) => isFlagsPath(new URL(r.path, 'http://127.0.0.1').pathname);

test('posthog-js in Chromium: flags, variants and payloads for a bootstrapped id', {
  timeout: 60000,
}, async () => {
  // Remote config tells posthog-js that the project has flags, so it asks /flags.
  const config = await fetch(`${hoglet.host}/array/${PROJECT_TOKEN}/config`);
  assert.equal(config.status, 200);
  assert.equal((await config.json()).hasFeatureFlags, true);

  const page = await context.newPage();
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  await page.goto(`${pages.origin}/flags-page?id=${FLAGS_VISITOR}`);
  const load = await waitForFlagLoad(page, FLAGS_VISITOR);
  assert.equal(load.errorsLoading, false, `flags failed to load: ${describeTraffic()}`);

  const expectedVariant = multivariateFlagValue(FLAGS_VISITOR_INDEX);
  assert.equal(expectedVariant, 'first-variant');
  const read = await page.evaluate(() => ({
    multivariate: posthog.getFeatureFlag('multivariate-flag'),
    simple: posthog.getFeatureFlag('simple-flag'),
    simpleEnabled: posthog.isFeatureEnabled('simple-flag'),
    staff: posthog.getFeatureFlag('staff-flag'),
    payload: posthog.getFeatureFlagPayload('multivariate-flag'),
  }));
  assert.equal(read.multivariate, expectedVariant, FLAGS_VISITOR);
  assert.equal(load.variants['multivariate-flag'], expectedVariant);
  assert.equal(read.simple, simpleFlagValue(FLAGS_VISITOR_INDEX));
  assert.equal(read.simpleEnabled, simpleFlagValue(FLAGS_VISITOR_INDEX));
  assert.equal(read.staff, false, 'no email yet');
  assert.deepEqual(read.payload, FIRST_VARIANT_PAYLOAD);

  // The request was posthog-js's own: v2, the bootstrapped id, the token in the body.
  const request = seen.hogletRequests.find(
    (r) => r.flagsBody?.distinct_id === FLAGS_VISITOR && r.method === 'POST',
  );
  assert.ok(request, `no /flags request for ${FLAGS_VISITOR}: ${describeTraffic()}`);
  assert.match(request.path, /^\/flags\/\?v=2/);
  assert.equal(request.flagsBody.token, PROJECT_TOKEN);

  // identify() reloads flags for the new id, with the $set properties as person properties: the
  // email flag turns on before the $identify event has even been flushed.
  await page.evaluate(
    ([id, email]) => posthog.identify(id, { email }),
    [STAFF_ID, STAFF_EMAIL],
  );
  const identified = await waitForFlagLoad(page, STAFF_ID);
  assert.equal(identified.errorsLoading, false);
  const after = await page.evaluate(() => ({
    staff: posthog.getFeatureFlag('staff-flag'),
    multivariate: posthog.getFeatureFlag('multivariate-flag'),
    simple: posthog.getFeatureFlag('simple-flag'),
  }));
  assert.equal(after.staff, true, `staff-flag after identify: ${describeTraffic()}`);
  const staffVariant = inRollout('multivariate-flag', STAFF_ID, 55)
    ? variantFor('multivariate-flag', STAFF_ID, MULTIVARIATE_VARIANTS)
    : false;
  assert.equal(after.multivariate, staffVariant, 'evaluated for the identified id');
  assert.equal(after.simple, inRollout('simple-flag', STAFF_ID, 45));
  const reload = seen.hogletRequests.find((r) => r.flagsBody?.distinct_id === STAFF_ID);
  assert.ok(reload, `no /flags request after identify: ${describeTraffic()}`);
  assert.equal(reload.flagsBody.$anon_distinct_id, FLAGS_VISITOR);
  assert.equal(reload.flagsBody.person_properties?.email, STAFF_EMAIL);

  // Reading a flag reports it: $feature_flag_called reaches hoglet with the value seen.
  const called = await waitForEvent(
    'event=%24feature_flag_called',
    (e) => e.distinct_id === FLAGS_VISITOR && e.properties.$feature_flag === 'multivariate-flag',
  );
  assert.ok(called, `no $feature_flag_called for ${FLAGS_VISITOR}: ${describeTraffic()}`);
  assert.equal(called.properties.$feature_flag_response, expectedVariant);
  assert.equal(called.properties.$lib, 'web');
  await waitForHogletIdle(page);
  await page.close();
});

test('posthog-js feature flag requests are answered', () => {
  const flags = seen.hogletResponses.filter(isFlagsRequest);
  assert.ok(flags.length >= 2, `too few /flags responses: ${describeTraffic()}`);
  assert.deepEqual(flags.filter((r) => r.status !== 200), [], describeTraffic());
});

test('the browser talked only to loopback, and hoglet answered every request', () => {
  assert.deepEqual(seen.offLoopback, [], 'requests to non-loopback hosts');
  assert.deepEqual(seen.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(seen.failed, [], 'requests that failed in the browser');
  const bad = seen.hogletResponses.filter((r) => r.status < 200 || r.status >= 300);
  assert.deepEqual(bad, [], `hoglet answered with errors; browser traffic: ${describeTraffic()}`);
  assert.ok(seen.hogletResponses.length >= 2, `too few responses: ${describeTraffic()}`);
});
