// Feature flags end to end with the real posthog-node SDK against a real hoglet server: flags made
// through the API, evaluated remotely (POST /flags/?v=2) and locally (GET /flags/definitions with
// a personal API key), checked against PostHog's own consistency vectors and against each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostHog } from 'posthog-node';
import { startHoglet, PROJECT_TOKEN, PERSONAL_API_KEY } from './hoglet_server.mjs';
import {
  MULTIVARIATE_VARIANTS,
  flagHash,
  inRollout,
  multivariateFlagValue,
  simpleFlagValue,
  variantFor,
} from './flag_vectors.mjs';

const FLAGS_API = '/api/projects/@current/feature_flags/';

const PAYLOAD = { color: 'pink', sizes: [1, 2], nested: { ok: true } };
const FIRST_VARIANT_PAYLOAD = { tier: 1 };
const THIRD_VARIANT_PAYLOAD = ['a', 'b'];

// Every flag of the suite; `dependsOn` names flags whose ids go into the filters once created.
const FLAG_DEFINITIONS = [
  {
    key: 'simple-flag',
    name: '45% of everyone',
    filters: { groups: [{ properties: [], rollout_percentage: 45 }] },
  },
  {
    key: 'multivariate-flag',
    name: 'Five variants for 55%',
    filters: {
      groups: [{ properties: [], rollout_percentage: 55 }],
      multivariate: { variants: MULTIVARIATE_VARIANTS },
      payloads: {
        'first-variant': JSON.stringify(FIRST_VARIANT_PAYLOAD),
        'third-variant': JSON.stringify(THIRD_VARIANT_PAYLOAD),
      },
    },
  },
  {
    // Person properties: hoglet.dev addresses always, pro/team plans 60% of the time.
    key: 'hoglet-staff-flag',
    name: 'Staff and some paying plans',
    filters: {
      groups: [
        {
          properties: [
            { key: 'email', type: 'person', operator: 'icontains', value: '@HOGLET.dev' },
          ],
          rollout_percentage: 100,
        },
        {
          properties: [{ key: 'plan', type: 'person', operator: 'exact', value: ['pro', 'team'] }],
          rollout_percentage: 60,
        },
      ],
    },
  },
  {
    // A group flag: companies on the enterprise plan, 70% of them, bucketed by company key.
    key: 'company-flag',
    name: 'Enterprise companies',
    filters: {
      aggregation_group_type_index: 0,
      groups: [
        {
          properties: [
            {
              key: 'plan',
              type: 'group',
              group_type_index: 0,
              operator: 'exact',
              value: 'enterprise',
            },
          ],
          rollout_percentage: 70,
        },
      ],
    },
  },
  {
    key: 'payload-flag',
    name: 'Everyone, with a payload',
    filters: {
      groups: [{ properties: [], rollout_percentage: 100 }],
      payloads: { true: JSON.stringify(PAYLOAD) },
    },
  },
  {
    key: 'inactive-flag',
    name: 'Switched off',
    active: false,
    filters: { groups: [{ properties: [], rollout_percentage: 100 }] },
  },
  {
    // Depends on simple-flag being on (referenced by id, as PostHog's UI does).
    key: 'dependent-flag',
    name: 'Follows simple-flag',
    dependsOn: ['simple-flag'],
    filters: (ids) => ({
      groups: [
        {
          properties: [
            {
              key: String(ids['simple-flag']),
              type: 'flag',
              operator: 'flag_evaluates_to',
              value: true,
            },
          ],
          rollout_percentage: 100,
        },
      ],
    }),
  },
  {
    // Depends on multivariate-flag giving one variant.
    key: 'third-variant-flag',
    name: 'Follows multivariate-flag = third-variant',
    dependsOn: ['multivariate-flag'],
    filters: (ids) => ({
      groups: [
        {
          properties: [
            {
              key: String(ids['multivariate-flag']),
              type: 'flag',
              operator: 'flag_evaluates_to',
              value: 'third-variant',
            },
          ],
        },
      ],
    }),
  },
];
const ALL_KEYS = FLAG_DEFINITIONS.map((f) => f.key);

let server;
let remote; // evaluates through POST /flags
const flagIds = {};

// Runs `fn` over `items` with at most `width` calls in flight.
async function mapConcurrent(items, width, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

function localClient(options = {}) {
  return new PostHog(PROJECT_TOKEN, {
    host: server.host,
    personalApiKey: PERSONAL_API_KEY,
    flushAt: 100,
    flushInterval: 0,
    featureFlagsPollingInterval: null,
    featureFlagsRequestTimeoutMs: 10000,
    ...options,
  });
}

async function patchFlag(key, body) {
  const response = await server.api('PATCH', `${FLAGS_API}${flagIds[key]}/`, body);
  assert.equal(response.status, 200, `PATCH ${key}: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function definitions(headers = {}, path = '/flags/definitions') {
  return fetch(`${server.host}${path}?token=${PROJECT_TOKEN}&send_cohorts`, {
    headers: { Authorization: `Bearer ${PERSONAL_API_KEY}`, ...headers },
  });
}

// The context the agreement test evaluates id number i with: every property the flags read is
// given, so local evaluation is never inconclusive.
function contextFor(i) {
  const distinctId = i < 1000 ? `distinct_id_${i}` : `user-${i}`;
  const personProperties = {
    email: i % 5 === 0 ? `person${i}@Hoglet.Dev` : `person${i}@example.com`,
    plan: ['free', 'pro', 'team', 'enterprise'][i % 4],
  };
  const options = { personProperties };
  if (i % 3 !== 0) {
    const company = `company-${i % 41}`;
    options.groups = { company };
    options.groupProperties = { company: { plan: i % 2 ? 'enterprise' : 'free' } };
  }
  return { distinctId, options };
}

before(async () => {
  server = await startHoglet();

  // Group type 0 is "company" once a company has been seen.
  const setup = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  for (const [groupKey, plan] of [['acme', 'enterprise'], ['globex', 'free']]) {
    setup.groupIdentify({ groupType: 'company', groupKey, properties: { plan } });
  }
  await setup.shutdown();
  const typed = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/@current/groups_types');
    return Array.isArray(body) && body.some((t) => t.group_type === 'company');
  });
  assert.ok(typed, 'group type company never appeared');

  for (const definition of FLAG_DEFINITIONS) {
    const filters =
      typeof definition.filters === 'function' ? definition.filters(flagIds) : definition.filters;
    const body = { key: definition.key, name: definition.name, filters };
    if (definition.active === false) body.active = false;
    const response = await server.api('POST', FLAGS_API, body);
    const described = `create ${definition.key}: ${JSON.stringify(response.body)}`;
    assert.equal(response.status, 201, described);
    assert.equal(response.body.key, definition.key);
    assert.equal(typeof response.body.id, 'number');
    flagIds[definition.key] = response.body.id;
  }

  remote = new PostHog(PROJECT_TOKEN, {
    host: server.host,
    flushAt: 100,
    flushInterval: 0,
    featureFlagsRequestTimeoutMs: 10000,
  });
});

after(async () => {
  await remote?.shutdown();
  if (server) assert.equal(await server.stop(), 0, 'hoglet exits 0 on SIGTERM');
});

test('the flags API lists what was created, in PostHog serializer shape', async () => {
  const { status, body } = await server.api('GET', `${FLAGS_API}?limit=100`);
  assert.equal(status, 200);
  const byKey = Object.fromEntries(body.results.map((f) => [f.key, f]));
  assert.deepEqual(Object.keys(byKey).sort(), [...ALL_KEYS].sort());
  assert.equal(byKey['inactive-flag'].active, false);
  assert.equal(byKey['simple-flag'].active, true);
  assert.equal(byKey['multivariate-flag'].filters.multivariate.variants.length, 5);
  assert.equal(byKey['payload-flag'].filters.payloads.true, JSON.stringify(PAYLOAD));
  assert.equal(byKey['company-flag'].filters.aggregation_group_type_index, 0);

  const one = await server.api('GET', `${FLAGS_API}${flagIds['simple-flag']}/`);
  assert.equal(one.status, 200);
  assert.equal(one.body.filters.groups[0].rollout_percentage, 45);
});

test('the hash of flag_vectors.mjs reproduces the spec vectors it is checked against', () => {
  // Guards the helper the group-flag expectations below are computed with.
  assert.equal(flagHash('simple-flag', 'distinct_id_0'), 0.7836963764220432);
  assert.equal(flagHash('multivariate-flag', 'distinct_id_0', 'variant'), 0.6186454537930379);
  for (let i = 0; i < 1000; i++) {
    assert.equal(inRollout('simple-flag', `distinct_id_${i}`, 45), simpleFlagValue(i), `id ${i}`);
  }
});

test('remote evaluation: getFeatureFlag, isFeatureEnabled, payloads and getAllFlags', async () => {
  // distinct_id_0: simple-flag off, multivariate-flag second-variant; distinct_id_1: on, second.
  assert.equal(await remote.getFeatureFlag('simple-flag', 'distinct_id_0'), false);
  assert.equal(await remote.getFeatureFlag('simple-flag', 'distinct_id_1'), true);
  assert.equal(await remote.isFeatureEnabled('simple-flag', 'distinct_id_0'), false);
  assert.equal(await remote.isFeatureEnabled('simple-flag', 'distinct_id_1'), true);
  assert.equal(await remote.getFeatureFlag('multivariate-flag', 'distinct_id_0'), 'second-variant');
  assert.equal(await remote.getFeatureFlag('multivariate-flag', 'distinct_id_1'), 'second-variant');
  assert.equal(await remote.getFeatureFlag('multivariate-flag', 'distinct_id_7'), false);

  // Payloads: the boolean one, a variant's, and none for a variant without one.
  assert.deepEqual(await remote.getFeatureFlagPayload('payload-flag', 'anyone'), PAYLOAD);
  const firstVariantId = [...Array(1000).keys()].find(
    (i) => multivariateFlagValue(i) === 'first-variant',
  );
  const thirdVariantId = [...Array(1000).keys()].find(
    (i) => multivariateFlagValue(i) === 'third-variant',
  );
  assert.deepEqual(
    await remote.getFeatureFlagPayload('multivariate-flag', `distinct_id_${firstVariantId}`),
    FIRST_VARIANT_PAYLOAD,
  );
  assert.deepEqual(
    await remote.getFeatureFlagPayload('multivariate-flag', `distinct_id_${thirdVariantId}`),
    THIRD_VARIANT_PAYLOAD,
  );
  assert.equal(
    (await remote.getFeatureFlagPayload('multivariate-flag', 'distinct_id_0')) ?? null,
    null,
    'second-variant has no payload',
  );

  // Person properties sent with the request.
  const staff = { personProperties: { email: 'ops@hoglet.dev', plan: 'free' } };
  assert.equal(await remote.getFeatureFlag('hoglet-staff-flag', 'someone', staff), true);
  const outsider = { personProperties: { email: 'ops@example.com', plan: 'free' } };
  assert.equal(await remote.getFeatureFlag('hoglet-staff-flag', 'someone', outsider), false);
  assert.equal(await remote.getFeatureFlag('hoglet-staff-flag', 'no-properties'), false);

  // Group flag: stored group properties (acme is enterprise, globex free), bucketed by group key.
  const acme = await remote.getFeatureFlag('company-flag', 'someone', {
    groups: { company: 'acme' },
  });
  assert.equal(acme, inRollout('company-flag', 'acme', 70), 'acme, stored plan enterprise');
  const globex = await remote.getFeatureFlag('company-flag', 'someone', {
    groups: { company: 'globex' },
  });
  assert.equal(globex, false, 'globex is on the free plan');
  assert.equal(await remote.getFeatureFlag('company-flag', 'someone'), false, 'no group given');
  const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
  for (const key of keys) {
    const value = await remote.getFeatureFlag('company-flag', 'someone', {
      groups: { company: key },
      groupProperties: { company: { plan: 'enterprise' } },
    });
    assert.equal(value, inRollout('company-flag', key, 70), `company ${key}`);
  }

  // Inactive flags are off (absent from the response, or false).
  assert.ok(!(await remote.getFeatureFlag('inactive-flag', 'distinct_id_1')));
  assert.ok(!(await remote.isFeatureEnabled('inactive-flag', 'distinct_id_1')));

  // Dependencies follow the flags they depend on.
  assert.equal(await remote.getFeatureFlag('dependent-flag', 'distinct_id_1'), true);
  assert.equal(await remote.getFeatureFlag('dependent-flag', 'distinct_id_0'), false);
  assert.equal(
    await remote.getFeatureFlag('third-variant-flag', `distinct_id_${thirdVariantId}`),
    true,
  );
  assert.equal(await remote.getFeatureFlag('third-variant-flag', 'distinct_id_0'), false);

  // getAllFlags evaluates everything at once; getAllFlagsAndPayloads adds the payloads.
  const all = await remote.getAllFlags('distinct_id_1', {
    personProperties: { email: 'x@hoglet.dev' },
    groups: { company: 'acme' },
  });
  assert.equal(all['simple-flag'], true);
  assert.equal(all['multivariate-flag'], 'second-variant');
  assert.equal(all['hoglet-staff-flag'], true);
  assert.equal(all['company-flag'], inRollout('company-flag', 'acme', 70));
  assert.equal(all['payload-flag'], true);
  assert.ok(!all['inactive-flag']);
  assert.equal(all['dependent-flag'], true);
  assert.equal(all['third-variant-flag'], false);
  const withPayloads = await remote.getAllFlagsAndPayloads(`distinct_id_${firstVariantId}`);
  assert.equal(withPayloads.featureFlags['multivariate-flag'], 'first-variant');
  assert.deepEqual(withPayloads.featureFlagPayloads['multivariate-flag'], FIRST_VARIANT_PAYLOAD);
  assert.deepEqual(withPayloads.featureFlagPayloads['payload-flag'], PAYLOAD);
});

test('the 1000-id consistency vectors hold through remote evaluation', async () => {
  const ids = [...Array(1000).keys()];
  const mismatches = [];
  await mapConcurrent(ids, 16, async (i) => {
    const flags = await remote.getAllFlags(`distinct_id_${i}`);
    if ((flags['simple-flag'] ?? 'missing') !== simpleFlagValue(i)) {
      mismatches.push(`simple-flag distinct_id_${i}: ${flags['simple-flag']}`);
    }
    if ((flags['multivariate-flag'] ?? 'missing') !== multivariateFlagValue(i)) {
      mismatches.push(`multivariate-flag distinct_id_${i}: ${flags['multivariate-flag']}`);
    }
  });
  // The single-flag path (flag_keys_to_evaluate) on part of the range.
  await mapConcurrent(ids.slice(0, 150), 16, async (i) => {
    const options = { sendFeatureFlagEvents: false };
    const simple = await remote.getFeatureFlag('simple-flag', `distinct_id_${i}`, options);
    if (simple !== simpleFlagValue(i)) mismatches.push(`getFeatureFlag simple ${i}: ${simple}`);
    const mv = await remote.getFeatureFlag('multivariate-flag', `distinct_id_${i}`, options);
    if (mv !== multivariateFlagValue(i)) mismatches.push(`getFeatureFlag multivariate ${i}: ${mv}`);
  });
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} mismatches`);
});

test('local evaluation agrees with remote evaluation for 3000 ids', async () => {
  const local = localClient();
  try {
    assert.equal(await local.waitForLocalEvaluationReady(10000), true, 'definitions loaded');
    const mismatches = [];
    const unresolved = [];
    await mapConcurrent([...Array(3000).keys()], 16, async (i) => {
      const { distinctId, options } = contextFor(i);
      const [here, there] = await Promise.all([
        local.getAllFlags(distinctId, { ...options, onlyEvaluateLocally: true }),
        remote.getAllFlags(distinctId, options),
      ]);
      for (const key of ALL_KEYS) {
        if (!(key in here)) {
          unresolved.push(`${key} ${distinctId}`);
          continue;
        }
        const remoteValue = there[key] ?? false; // an inactive flag may be left out
        if (here[key] !== remoteValue) {
          mismatches.push(`${key} ${distinctId}: local ${here[key]}, remote ${there[key]}`);
        }
      }
      if (i < 1000) {
        if (here['simple-flag'] !== simpleFlagValue(i)) mismatches.push(`vector simple ${i}`);
        if (here['multivariate-flag'] !== multivariateFlagValue(i)) {
          mismatches.push(`vector multivariate ${i}`);
        }
      }
    });
    assert.deepEqual(unresolved.slice(0, 20), [], `${unresolved.length} not evaluable locally`);
    assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} disagreements`);
  } finally {
    await local.shutdown();
  }
});

test('$feature_flag_called events from both evaluation paths reach the server', async () => {
  const local = localClient();
  assert.equal(await local.waitForLocalEvaluationReady(10000), true);
  const ids = [...Array(20).keys()];
  for (const i of ids) {
    const value = await local.getFeatureFlag('multivariate-flag', `called_${i}`, {
      onlyEvaluateLocally: true,
    });
    assert.notEqual(value, undefined, `called_${i} evaluated locally`);
    // A second call for the same id and value is deduplicated by the SDK.
    await local.getFeatureFlag('multivariate-flag', `called_${i}`, { onlyEvaluateLocally: true });
  }
  await remote.getFeatureFlag('simple-flag', 'remote-called');
  await Promise.all([local.shutdown(), remote.flush()]);

  const query = `event=${encodeURIComponent('$feature_flag_called')}&limit=1000`;
  const isLocal = (e) =>
    e.properties.$feature_flag === 'multivariate-flag' && e.distinct_id.startsWith('called_');
  const events = await server.waitFor(async () => {
    const { body } = await server.api('GET', `/api/projects/@current/events/?${query}`);
    const results = body?.results ?? [];
    const ok =
      results.filter(isLocal).length >= ids.length &&
      results.some((e) => e.distinct_id === 'remote-called');
    return ok && results;
  }, 15000);
  assert.ok(events, '$feature_flag_called events never all arrived');

  const locals = events.filter(isLocal);
  assert.equal(locals.length, ids.length, 'one event per id (the SDK deduplicates)');
  for (const event of locals) {
    const i = Number(event.distinct_id.slice('called_'.length));
    const id = `called_${i}`;
    const expected = inRollout('multivariate-flag', id, 55)
      ? variantFor('multivariate-flag', id, MULTIVARIATE_VARIANTS)
      : false;
    assert.equal(event.properties.$feature_flag_response, expected, event.distinct_id);
    assert.equal(event.properties['$feature/multivariate-flag'], expected);
    assert.equal(event.properties.locally_evaluated, true);
    assert.equal(event.properties.$feature_flag_id, flagIds['multivariate-flag']);
  }
  const remoteEvent = events.find((e) => e.distinct_id === 'remote-called');
  assert.equal(remoteEvent.properties.$feature_flag, 'simple-flag');
  assert.equal(remoteEvent.properties.locally_evaluated, false);
  assert.equal(
    remoteEvent.properties.$feature_flag_response,
    inRollout('simple-flag', 'remote-called', 45),
  );
  assert.equal(remoteEvent.properties.$feature_flag_id, flagIds['simple-flag']);
  assert.equal(typeof remoteEvent.properties.$feature_flag_request_id, 'string');
  assert.equal(remoteEvent.properties.$lib, 'posthog-node');
});

test('a PATCHed rollout is seen remotely at once, locally after reloadFeatureFlags()', async () => {
  const local = localClient(); // no polling: only reloadFeatureFlags() refreshes definitions
  try {
    assert.equal(await local.waitForLocalEvaluationReady(10000), true);
    const ids = [...Array(200).keys()];
    const localValues = () =>
      mapConcurrent(ids, 8, (i) =>
        local.getFeatureFlag('simple-flag', `distinct_id_${i}`, {
          onlyEvaluateLocally: true,
          sendFeatureFlagEvents: false,
        }),
      );
    const remoteValues = (key = 'simple-flag') =>
      mapConcurrent(ids, 16, (i) =>
        remote.getFeatureFlag(key, `distinct_id_${i}`, { sendFeatureFlagEvents: false }),
      );
    const vector = ids.map(simpleFlagValue);
    assert.deepEqual(await localValues(), vector);

    const before = await server.api('GET', `${FLAGS_API}${flagIds['simple-flag']}/`);
    const patched = await patchFlag('simple-flag', {
      filters: { groups: [{ properties: [], rollout_percentage: 100 }] },
    });
    assert.equal(patched.filters.groups[0].rollout_percentage, 100);
    assert.ok(patched.version > before.body.version, 'version goes up on update');
    try {
      const everyone = ids.map(() => true);
      assert.deepEqual(await remoteValues(), everyone, 'remote evaluation sees the change');
      assert.deepEqual(await remoteValues('dependent-flag'), everyone, 'and so do dependents');
      assert.deepEqual(await localValues(), vector, 'local definitions are cached until reload');
      await local.reloadFeatureFlags();
      assert.deepEqual(await localValues(), everyone, 'local evaluation after reload');
    } finally {
      await patchFlag('simple-flag', {
        filters: { groups: [{ properties: [], rollout_percentage: 45 }] },
      });
    }
    assert.deepEqual(await remoteValues(), vector, 'back to 45%');
  } finally {
    await local.shutdown();
  }
});

test('definitions: both paths, ETag and 304, auth, dependency chains', async () => {
  const first = await definitions();
  assert.equal(first.status, 200);
  const etag = first.headers.get('etag');
  const body = await first.json();
  assert.deepEqual(body.flags.map((f) => f.key).sort(), [...ALL_KEYS].sort(), 'inactive included');
  assert.equal(body.flags.find((f) => f.key === 'inactive-flag').active, false);
  assert.deepEqual(body.group_type_mapping, { 0: 'company' });
  assert.equal(typeof body.cohorts, 'object');
  const dependent = body.flags.find((f) => f.key === 'dependent-flag');
  const dependency = dependent.filters.groups[0].properties[0];
  assert.equal(dependency.key, 'simple-flag', 'flag ids are rewritten to keys');
  assert.deepEqual(dependency.dependency_chain, ['simple-flag']);

  const legacy = await definitions({}, '/api/feature_flag/local_evaluation');
  assert.equal(legacy.status, 200);
  assert.deepEqual((await legacy.json()).flags.map((f) => f.key).sort(), [...ALL_KEYS].sort());

  assert.ok(etag, 'definitions carry an ETag');
  const unchanged = await definitions({ 'If-None-Match': etag });
  assert.equal(unchanged.status, 304);
  assert.equal(unchanged.headers.get('etag'), etag);
  assert.equal(await unchanged.text(), '');

  await patchFlag('payload-flag', { name: 'Everyone, with a payload (renamed)' });
  const changed = await definitions({ 'If-None-Match': etag });
  assert.equal(changed.status, 200, 'a changed flag set is sent again');
  assert.notEqual(changed.headers.get('etag'), etag);
  await changed.arrayBuffer();

  const anonymous = await fetch(`${server.host}/flags/definitions?token=${PROJECT_TOKEN}`);
  assert.equal(anonymous.status, 401);
  const projectKey = await definitions({ Authorization: `Bearer ${PROJECT_TOKEN}` });
  assert.equal(projectKey.status, 401, 'a phc_ project token is not a credential');

  // The project's secret token (phs_) works as a local-evaluation credential too.
  const project = await server.api('GET', '/api/projects/@current/');
  const secret = project.body.secret_api_token;
  assert.match(secret, /^phs_/);
  const withSecret = localClient({ personalApiKey: undefined, secretKey: secret });
  try {
    assert.equal(await withSecret.waitForLocalEvaluationReady(10000), true);
    const value = await withSecret.getFeatureFlag('multivariate-flag', 'distinct_id_0', {
      onlyEvaluateLocally: true,
      sendFeatureFlagEvents: false,
    });
    assert.equal(value, 'second-variant');
  } finally {
    await withSecret.shutdown();
  }
});

test('local-evaluation polling revalidates with 304s and picks up a change', async () => {
  const statuses = [];
  const recordingFetch = async (url, options) => {
    const response = await fetch(url, options);
    if (String(url).includes('/flags/definitions')) {
      statuses.push({ status: response.status, conditional: !!options.headers['If-None-Match'] });
    }
    return response;
  };
  const polling = localClient({ featureFlagsPollingInterval: 100, fetch: recordingFetch });
  const evaluate = () =>
    polling.getFeatureFlag('payload-flag', 'poller', {
      onlyEvaluateLocally: true,
      sendFeatureFlagEvents: false,
    });
  try {
    assert.equal(await polling.waitForLocalEvaluationReady(10000), true);
    assert.equal(await evaluate(), true);
    const polled = await server.waitFor(() => statuses.length >= 6, 10000);
    assert.ok(polled, `polling stalled: ${JSON.stringify(statuses)}`);
    assert.equal(statuses[0].status, 200);
    const revalidations = statuses.slice(1);
    assert.ok(
      revalidations.every((s) => s.conditional && s.status === 304),
      `unchanged definitions are revalidated with 304: ${JSON.stringify(statuses)}`,
    );

    await patchFlag('payload-flag', { active: false });
    try {
      const off = await server.waitFor(async () => (await evaluate()) === false, 10000);
      assert.ok(off, `the poller never saw the change: ${JSON.stringify(statuses.slice(-5))}`);
      assert.ok(statuses.slice(1).some((s) => s.status === 200), 'changed set fetched again');
    } finally {
      await patchFlag('payload-flag', { active: true });
    }
    const on = await server.waitFor(async () => (await evaluate()) === true, 10000);
    assert.ok(on, 'reactivated flag seen by the poller');
  } finally {
    await polling.shutdown();
  }
});

test("date filters read naive dates in the project's time zone", async () => {
  const created = await server.api('POST', FLAGS_API, {
    key: 'signed-up-in-2023',
    name: 'Signed up before 2024, in the project zone',
    filters: {
      groups: [
        {
          properties: [
            { key: 'signed_up', type: 'person', operator: 'is_date_before', value: '2024-01-01' },
          ],
          rollout_percentage: 100,
        },
      ],
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  // 2023-12-31T12:00Z is still 2023 in UTC, and already 2024-01-01 01:00 in Auckland (UTC+13).
  const ask = (signedUp) =>
    remote.getFeatureFlag('signed-up-in-2023', 'zone-user', {
      personProperties: { signed_up: signedUp },
      sendFeatureFlagEvents: false,
    });
  const setZone = async (timezone) => {
    const response = await server.api('PATCH', '/api/projects/@current/', { timezone });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.timezone, timezone);
  };
  try {
    assert.equal(await ask('2023-12-31T12:00:00Z'), true);
    await setZone('Pacific/Auckland');
    assert.equal(await ask('2023-12-31T12:00:00Z'), false);
    assert.equal(await ask('2023-12-31T10:59:59Z'), true);
    // A naive property value is read in the zone too: 2023-12-31 23:30 in Auckland.
    assert.equal(await ask('2023-12-31 23:30:00'), true);
    // Names the tz database does not know are refused, naming the field.
    const refused = await server.api('PATCH', '/api/projects/@current/', {
      timezone: 'Mars/Olympus_Mons',
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal(refused.body.attr, 'timezone');
  } finally {
    await setZone('UTC');
    const deleted = await server.api('DELETE', `${FLAGS_API}${created.body.id}/`);
    assert.ok(deleted.status < 300, `delete: ${deleted.status}`);
  }
});
