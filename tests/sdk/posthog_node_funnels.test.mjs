// Funnels over data sent by the real posthog-node SDK, read through PostHog's query API
// (POST /api/projects/:id/query/ and /api/environments/:id/query/): step counts and conversion
// times, a breakdown, time to convert, identity at query time (after an identify merge the
// merged person counts once, with its anonymous events), the persons behind a step
// (ActorsQuery over a FunnelsActorsQuery), optional steps, funnel correlation and the persons
// behind a correlation row, and the 400s that name the field.
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

const HOUR_MS = 3600 * 1000;

function funnel(extra = {}, funnelsFilter = {}) {
  return {
    query: {
      kind: 'InsightVizNode',
      source: {
        kind: 'FunnelsQuery',
        dateRange: { date_from: '-2d' },
        series: [{ kind: 'EventsNode', event: 'funnel signup' },
                 { kind: 'EventsNode', event: 'funnel purchase', custom_name: 'Bought' }],
        funnelsFilter: { funnelWindowInterval: 1, funnelWindowIntervalUnit: 'day',
                         ...funnelsFilter },
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

const counts = (answer) => answer.results.map((step) => step.count);

test('a funnel over posthog-node events, before and after an identify merge', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * HOUR_MS);
  for (const [id, event, hoursAgo, properties] of [
    ['anon-f1', 'funnel signup', 3, { $browser: 'Chrome' }],
    ['user-f1', 'funnel purchase', 2, {}],  // the same visitor, once identified
    ['f2', 'funnel signup', 3, { $browser: 'Safari' }],
    ['f2', 'funnel purchase', 1, { $browser: 'Safari' }],
    ['f3', 'funnel signup', 3, { $browser: 'Chrome' }],
    ['f4', 'funnel purchase', 3, {}],  // never signed up
  ]) {
    client.capture({ distinctId: id, event, timestamp: at(hoursAgo), properties });
  }
  await client.shutdown();
  await server.waitForEvents('event=funnel%20signup', 3);
  await server.waitForEvents('event=funnel%20purchase', 3);

  const before = await query(funnel());
  assert.deepEqual(counts(before), [3, 1]);
  const [first, second] = before.results;
  assert.equal(first.action_id, 'funnel signup');
  assert.equal(first.name, 'funnel signup');
  assert.equal(first.custom_name, null);
  assert.equal(first.order, 0);
  assert.equal(first.type, 'events');
  assert.deepEqual(first.people, []);
  assert.equal(first.average_conversion_time, null);
  assert.equal(first.median_conversion_time, null);
  assert.equal(typeof first.converted_people_url, 'string');
  assert.equal(first.dropped_people_url, null);
  assert.equal(second.custom_name, 'Bought');
  assert.equal(second.order, 1);
  assert.ok(Math.abs(second.average_conversion_time - 7200) < 1, JSON.stringify(second));
  assert.equal(before.timezone, 'UTC');

  const client2 = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client2.capture({ distinctId: 'user-f1', event: '$identify',
                    properties: { $anon_distinct_id: 'anon-f1' } });
  await client2.shutdown();
  const merged = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-f1');
    const person = body.results[0];
    return person && person.distinct_ids.includes('anon-f1') ? person : null;
  });
  assert.ok(merged, 'anon-f1 and user-f1 are one person');

  const after = await query(funnel(), '/api/environments/1/query/');
  assert.deepEqual(counts(after), [3, 2], 'the merged person converted, and counts once');
  assert.ok(Math.abs(after.results[1].average_conversion_time - 5400) < 1);
  assert.ok(Math.abs(after.results[1].median_conversion_time - 5400) < 1);

  const broken = await query(funnel({ breakdownFilter: { breakdown: '$browser',
                                                          breakdown_type: 'event' } }));
  assert.deepEqual(broken.results.map((steps) => [steps[0].breakdown_value, counts({ results: steps })]),
                   [['Chrome', [2, 1]], ['Safari', [1, 1]]]);
  assert.equal(broken.results[0][1].breakdown, 'Chrome');

  const limited = await query(funnel({ breakdownFilter: { breakdown: '$browser',
                                                           breakdown_limit: 1 } }));
  assert.deepEqual(limited.results.map((steps) => steps[0].breakdown_value), ['Chrome', 'Other']);

  const times = await query(funnel({}, { funnelVizType: 'time_to_convert' }));
  // Two conversions (3600 s and 7200 s): ⌈∛2⌉ = 2 bins of 1800 s and a closing one.
  assert.deepEqual(times.results.bins, [[3600, 1], [5400, 0], [7200, 1]]);
  assert.ok(Math.abs(times.results.average_conversion_time - 5400) < 1);

  const strict = await query(funnel({}, { funnelOrderType: 'strict' }));
  assert.deepEqual(counts(strict), [3, 2]);
  const unordered = await query(funnel({}, { funnelOrderType: 'unordered' }));
  assert.deepEqual(counts(unordered), [4, 2], 'f4 purchased without signing up: one step');
  assert.equal(unordered.results[1].name, 'Completed 2 steps');

  // Funnel trends: the conversion rate of each day's entries (all three entered 3 hours ago).
  const trends = await query(funnel({}, { funnelVizType: 'trends' }));
  assert.equal(trends.results.length, 1);
  const [line] = trends.results;
  assert.equal(line.count, 3);
  assert.equal(line.days.length, 3);
  assert.equal(line.labels.length, 3);
  const entered = line.days.indexOf(new Date(now - 3 * HOUR_MS).toISOString().slice(0, 10));
  assert.ok(entered >= 0, JSON.stringify(line.days));
  assert.deepEqual(line.data, line.days.map((_, i) => (i === entered ? 66.67 : 0)));
  const trendsByBrowser = await query(funnel({ breakdownFilter: { breakdown: '$browser' } },
                                             { funnelVizType: 'trends' }));
  assert.deepEqual(trendsByBrowser.results.map((l) => [l.breakdown_value, l.data[entered]]),
                   [['Chrome', 50], ['Safari', 100]]);

  // The persons behind the steps, as PostHog's funnel actors answer (ordered by person).
  const actorsOf = async (funnelStep, extra = {}, breakdown) => {
    const answer = await query({ query: {
      kind: 'ActorsQuery', select: ['actor'],
      source: { kind: 'FunnelsActorsQuery', funnelStep, source: funnel(extra).query.source,
                ...(breakdown === undefined ? {} : { funnelStepBreakdown: breakdown }) },
    } });
    assert.deepEqual(answer.columns, ['actor']);
    return answer.results.map(([person]) => [...person.distinct_ids].sort().join('+')).sort();
  };
  assert.deepEqual(await actorsOf(1), ['anon-f1+user-f1', 'f2', 'f3']);
  assert.deepEqual(await actorsOf(2), ['anon-f1+user-f1', 'f2'], 'the merged person once');
  assert.deepEqual(await actorsOf(-2), ['f3']);
  const byBrowser = { breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' } };
  assert.deepEqual(await actorsOf(2, byBrowser, ['Chrome']), ['anon-f1+user-f1']);
  assert.deepEqual(await actorsOf(-2, byBrowser, 'Chrome'), ['f3']);
  assert.deepEqual(await actorsOf(1, byBrowser, 'Safari'), ['f2']);
  const alone = await query({ query: { kind: 'FunnelsActorsQuery', funnelStep: -2,
                                       source: funnel().query.source } });
  assert.equal(alone.results.length, 1);
  assert.deepEqual(alone.results[0][0].distinct_ids, ['f3']);

  // The persons behind a funnel trends point: the day's entries that converted or dropped off.
  const entryActors = async (funnelTrendsDropOff) => {
    const answer = await query({ query: {
      kind: 'ActorsQuery', select: ['actor'],
      source: { kind: 'FunnelsActorsQuery', funnelTrendsDropOff,
                funnelTrendsEntrancePeriodStart: `${line.days[entered]} 00:00:00`,
                source: funnel({}, { funnelVizType: 'trends' }).query.source },
    } });
    return answer.results.map(([person]) => [...person.distinct_ids].sort().join('+')).sort();
  };
  assert.deepEqual(await entryActors(false), ['anon-f1+user-f1', 'f2']);
  assert.deepEqual(await entryActors(true), ['f3']);
});

test('a malformed funnel is a 400 that names the field', async () => {
  for (const [body, pattern] of [
    [funnel({}, { funnelVizType: 'sideways' }), /query\.funnelsFilter\.funnelVizType/],
    [{ query: { kind: 'FunnelsActorsQuery', funnelStep: 2,
                source: funnel({}, { funnelVizType: 'trends' }).query.source } },
     /query\.funnelTrendsEntrancePeriodStart/],
    [{ query: { kind: 'FunnelsActorsQuery', funnelTrendsDropOff: false,
                funnelTrendsEntrancePeriodStart: '2001-01-01 00:00:00',
                source: funnel({}, { funnelVizType: 'trends' }).query.source } },
     /query\.funnelTrendsEntrancePeriodStart/],
    [funnel({}, { funnelWindowIntervalUnit: 'fortnight' }),
     /query\.funnelsFilter\.funnelWindowIntervalUnit/],
    [funnel({ series: [{ kind: 'EventsNode', event: 'funnel signup' }] }), /query\.series/],
    [funnel({}, { exclusions: [{ kind: 'EventsNode', event: 'x', funnelFromStep: 1,
                                 funnelToStep: 0 }] }),
     /query\.funnelsFilter\.exclusions\[0\]/],
    [{ query: { kind: 'ActorsQuery', source: { kind: 'FunnelsActorsQuery', funnelStep: -1,
                                               source: funnel().query.source } } },
     /query\.source\.funnelStep/],
    [{ query: { kind: 'ActorsQuery', source: { kind: 'FunnelsActorsQuery', funnelStep: 1,
                                               funnelStepBreakdown: 'Chrome',
                                               source: funnel().query.source } } },
     /query\.source\.funnelStepBreakdown/],
    [{ query: { kind: 'ActorsQuery', source: { kind: 'FunnelsActorsQuery', funnelStep: 1,
                                               source: funnel({}, {
                                                 funnelWindowIntervalUnit: 'fortnight',
                                               }).query.source } } },
     /query\.source\.source\.funnelsFilter\.funnelWindowIntervalUnit/],
  ]) {
    const { status, body: answer } = await server.api('POST', '/api/projects/1/query/', body);
    assert.equal(status, 400, JSON.stringify(answer));
    assert.match(answer.detail, pattern);
  }
});

test('optional funnel steps over posthog-node events', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * HOUR_MS);
  for (const [id, event, hoursAgo] of [
    ['o1', 'opt a', 3], ['o1', 'opt b', 2.5], ['o1', 'opt c', 2],
    ['o2', 'opt a', 3], ['o2', 'opt c', 2],  // skips the optional b
    ['o3', 'opt a', 3],
  ]) {
    client.capture({ distinctId: id, event, timestamp: at(hoursAgo) });
  }
  await client.shutdown();
  await server.waitForEvents('event=opt%20a', 3);
  await server.waitForEvents('event=opt%20c', 2);

  const source = (funnelsFilter = {}, first = {}) => ({
    kind: 'FunnelsQuery',
    dateRange: { date_from: '-2d' },
    series: [{ kind: 'EventsNode', event: 'opt a', ...first },
             { kind: 'EventsNode', event: 'opt b', optionalInFunnel: true },
             { kind: 'EventsNode', event: 'opt c' }],
    funnelsFilter,
  });
  const answer = await query({ query: { kind: 'InsightVizNode', source: source() } });
  // Each step counts those who went through it: b is o1's only, c is o1's and o2's.
  assert.deepEqual(counts(answer), [3, 1, 2]);
  // PostHog's conversion times are those of the required steps (a → c: 3600 s for both), in the
  // first slots: the optional step's.
  assert.ok(Math.abs(answer.results[1].average_conversion_time - 3600) < 1,
            JSON.stringify(answer.results[1]));
  assert.equal(answer.results[2].average_conversion_time, null);
  const strict = await query({ query: source({ funnelOrderType: 'strict' }) });
  assert.deepEqual(counts(strict), [3, 1, 2]);

  const actorsOf = async (funnelStep) => {
    const found = await query({ query: { kind: 'ActorsQuery', select: ['actor'],
      source: { kind: 'FunnelsActorsQuery', funnelStep, source: source() } } });
    return found.results.map(([person]) => person.distinct_ids.join('+')).sort();
  };
  assert.deepEqual(await actorsOf(2), ['o1']);
  assert.deepEqual(await actorsOf(3), ['o1', 'o2']);
  assert.deepEqual(await actorsOf(-2), ['o2', 'o3'], 'did a, not the optional b');
  assert.deepEqual(await actorsOf(-3), ['o3'], 'did a, not c');

  // Where PostHog refuses optional steps.
  for (const [body, pattern] of [
    [source({}, { optionalInFunnel: true }), /query\.series\[0\]\.optionalInFunnel/],
    [source({ funnelVizType: 'trends' }), /query\.funnelsFilter\.funnelVizType/],
    [source({ funnelVizType: 'time_to_convert' }), /query\.funnelsFilter\.funnelVizType/],
    [source({ funnelOrderType: 'unordered' }), /query\.funnelsFilter\.funnelOrderType/],
  ]) {
    const { status, body: refused } = await server.api('POST', '/api/projects/1/query/',
                                                       { query: body });
    assert.equal(status, 400, JSON.stringify(refused));
    assert.match(refused.detail, pattern);
  }
});

test('funnel correlation over posthog-node events and persons', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * HOUR_MS);
  const plans = { c1: 'pro', c2: 'pro', c3: 'free', c4: 'pro', c5: 'free' };
  for (const [id, event, hoursAgo, properties] of [
    ['c1', 'corr signup', 5, {}], ['c1', 'corr video', 4.5, { source: 'ad' }],
    ['c1', 'corr purchase', 4, {}],
    ['c2', 'corr signup', 5, {}], ['c2', 'corr video', 4.5, { source: 'ad' }],
    ['c2', 'corr purchase', 3, {}],
    ['c3', 'corr signup', 5, {}], ['c3', 'corr help', 4.5, {}],
    ['c4', 'corr signup', 5, {}], ['c4', 'corr help', 4.5, {}],
    ['c4', 'corr video', 4, { source: 'ad' }],
    ['c5', 'corr signup', 5, {}],
  ]) {
    client.capture({ distinctId: id, event, timestamp: at(hoursAgo),
                     properties: { ...properties, $set: { plan: plans[id] } } });
  }
  await client.shutdown();
  await server.waitForEvents('event=corr%20signup', 5);
  await server.waitForEvents('event=corr%20video', 3);
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=c5');
    return body.results[0]?.properties?.plan === 'free' ? true : null;
  });

  const correlation = (fields) => ({ query: {
    kind: 'FunnelCorrelationQuery',
    source: { kind: 'FunnelsActorsQuery', source: {
      kind: 'FunnelsQuery', dateRange: { date_from: '-2d' },
      series: [{ kind: 'EventsNode', event: 'corr signup' },
               { kind: 'EventsNode', event: 'corr purchase' }],
      funnelsFilter: { funnelWindowInterval: 1, funnelWindowIntervalUnit: 'day' } } },
    ...fields,
  } });
  const rows = (answer) => answer.results.events.map((row) =>
    [row.event.event, row.success_count, row.failure_count, row.odds_ratio, row.correlation_type]);

  // 2 converted (c1, c2), 3 not. corr video: c1, c2 and c4: ((2+1)(3−1+1)) / ((2−2+1)(1+1)) = 4.5;
  // corr help: c3, c4: ((0+1)(3−2+1)) / ((2−0+1)(2+1)) = 2/9.
  const events = await query(correlation({ funnelCorrelationType: 'events' }));
  assert.deepEqual(rows(events), [['corr video', 2, 1, 4.5, 'success'],
                                  ['corr help', 0, 2, 2 / 9, 'failure']]);
  assert.equal(events.results.skewed, false);
  assert.deepEqual(events.results.events[0].event, { event: 'corr video', properties: {},
                                                     elements: [] });
  const withoutHelp = await query(correlation({ funnelCorrelationType: 'events',
                                                funnelCorrelationExcludeEventNames: ['corr help'] }));
  assert.deepEqual(rows(withoutHelp).map(([name]) => name), ['corr video']);

  const persons = await query(correlation({ funnelCorrelationType: 'properties',
                                            funnelCorrelationNames: ['plan'] }));
  assert.deepEqual(rows(persons), [['plan::pro', 2, 1, 4.5, 'success'],
                                   ['plan::free', 0, 2, 2 / 9, 'failure']]);

  const properties = await query(correlation({
    funnelCorrelationType: 'event_with_properties', funnelCorrelationEventNames: ['corr video'] }));
  const source = rows(properties).find(([name]) => name === 'corr video::source::ad');
  assert.deepEqual(source, ['corr video::source::ad', 2, 1, 4.5, 'success']);
  const excluded = await query(correlation({
    funnelCorrelationType: 'event_with_properties', funnelCorrelationEventNames: ['corr video'],
    funnelCorrelationEventExcludePropertyNames: ['source'] }));
  assert.ok(!rows(excluded).some(([name]) => name.includes('::source::')));

  // The persons behind a row (ActorsQuery over a FunnelCorrelationActorsQuery).
  const rowActors = async (fields, row) => {
    const answer = await query({ query: { kind: 'ActorsQuery', select: ['actor'], source: {
      kind: 'FunnelCorrelationActorsQuery', source: correlation(fields).query, ...row } } });
    return answer.results.map(([person]) => person.distinct_ids.join('+')).sort();
  };
  const video = { funnelCorrelationPersonEntity: { kind: 'EventsNode', event: 'corr video' } };
  assert.deepEqual(await rowActors({ funnelCorrelationType: 'events' }, video),
                   ['c1', 'c2', 'c4']);
  assert.deepEqual(await rowActors({ funnelCorrelationType: 'events' },
                                   { ...video, funnelCorrelationPersonConverted: false }),
                   ['c4']);
  assert.deepEqual(await rowActors(
    { funnelCorrelationType: 'properties', funnelCorrelationNames: ['plan'] },
    { funnelCorrelationPersonConverted: true, funnelCorrelationPropertyValues: [
      { key: 'plan', value: 'pro', operator: 'exact', type: 'person' }] }), ['c1', 'c2']);
  const refusedRow = await server.api('POST', '/api/projects/1/query/', { query: {
    kind: 'ActorsQuery', source: { kind: 'FunnelCorrelationActorsQuery',
                                   source: correlation({ funnelCorrelationType: 'events' }).query } } });
  assert.equal(refusedRow.status, 400);
  assert.match(refusedRow.body.detail, /query\.source\.funnelCorrelationPersonEntity/);

  for (const [fields, pattern] of [
    [{}, /query\.funnelCorrelationType/],
    [{ funnelCorrelationType: 'properties' }, /query\.funnelCorrelationNames/],
    [{ funnelCorrelationType: 'event_with_properties' }, /query\.funnelCorrelationEventNames/],
  ]) {
    const { status, body: refused } = await server.api('POST', '/api/projects/1/query/',
                                                       correlation(fields));
    assert.equal(status, 400, JSON.stringify(refused));
    assert.match(refused.detail, pattern);
  }
});

// A funnel over companies (aggregation_group_type_index): its actors are the groups, and its
// correlation reads the companies' events and their group properties.
test('a funnel over groups: the companies behind a step, and its correlation', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const now = Date.now();
  const at = (hoursAgo) => new Date(now - hoursAgo * HOUR_MS);
  for (const [company, tier] of [['g-acme', 'pro'], ['g-initech', 'pro'], ['g-globex', 'free'],
                                 ['g-umbrella', 'free']]) {
    client.groupIdentify({ groupType: 'company', groupKey: company, properties: { tier } });
  }
  // acme and initech sign up, read the docs and purchase (at acme, another person purchases);
  // globex and umbrella sign up and open the pricing page.
  for (const [id, company, event, hoursAgo] of [
    ['ga-1', 'g-acme', 'gf signup', 3], ['ga-1', 'g-acme', 'gf docs', 2.5],
    ['ga-2', 'g-acme', 'gf purchase', 2],
    ['gi-1', 'g-initech', 'gf signup', 3], ['gi-1', 'g-initech', 'gf docs', 2.9],
    ['gi-1', 'g-initech', 'gf purchase', 2],
    ['gg-1', 'g-globex', 'gf signup', 3], ['gg-1', 'g-globex', 'gf pricing', 2.5],
    ['gu-1', 'g-umbrella', 'gf signup', 3], ['gu-1', 'g-umbrella', 'gf pricing', 2.5],
  ]) {
    client.capture({ distinctId: id, event, timestamp: at(hoursAgo), groups: { company } });
  }
  await client.shutdown();
  await server.waitForEvents('event=gf%20signup', 4);
  await server.waitForEvents('event=gf%20pricing', 2);
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return body.results.filter((g) => g.group_key.startsWith('g-') && g.group_properties.tier)
      .length === 4;
  });
  const index = (await server.api('GET', '/api/projects/1/groups_types/')).body
    .find((t) => t.group_type === 'company').group_type_index;

  const source = {
    kind: 'FunnelsQuery', dateRange: { date_from: '-2d' }, aggregation_group_type_index: index,
    series: [{ kind: 'EventsNode', event: 'gf signup' }, { kind: 'EventsNode', event: 'gf purchase' }],
    funnelsFilter: { funnelWindowInterval: 1, funnelWindowIntervalUnit: 'day' },
  };
  assert.deepEqual(counts(await query({ query: source })), [4, 2]);

  // The companies behind a step, as PostHog's actors query writes groups.
  const stepActors = async (funnelStep) => {
    const answer = await query({ query: { kind: 'ActorsQuery', select: ['actor'],
      source: { kind: 'FunnelsActorsQuery', funnelStep, source } } });
    return answer.results.map(([group]) => [group.id, group.type, group.group_type_index,
                                            group.properties.tier]).sort();
  };
  assert.deepEqual(await stepActors(2), [['g-acme', 'group', index, 'pro'],
                                         ['g-initech', 'group', index, 'pro']]);
  assert.deepEqual(await stepActors(-2), [['g-globex', 'group', index, 'free'],
                                          ['g-umbrella', 'group', index, 'free']]);

  // Correlation over the companies: 2 converted, 2 not. gf docs: ((2+1)(2−0+1)) /
  // ((2−2+1)(0+1)) = 9; gf pricing: 1/9; tier over the groups' properties alike.
  const correlation = (fields) => ({ query: {
    kind: 'FunnelCorrelationQuery', source: { kind: 'FunnelsActorsQuery', source }, ...fields } });
  const rows = (answer) => answer.results.events.map((row) =>
    [row.event.event, row.success_count, row.failure_count, row.odds_ratio, row.correlation_type]);
  assert.deepEqual(rows(await query(correlation({ funnelCorrelationType: 'events' }))),
                   [['gf docs', 2, 0, 9, 'success'], ['gf pricing', 0, 2, 1 / 9, 'failure']]);
  assert.deepEqual(rows(await query(correlation({ funnelCorrelationType: 'properties',
                                                  funnelCorrelationNames: ['tier'] }))),
                   [['tier::pro', 2, 0, 9, 'success'], ['tier::free', 0, 2, 1 / 9, 'failure']]);

  // The companies behind a correlation row.
  const rowActors = async (fields, row) => {
    const answer = await query({ query: { kind: 'ActorsQuery', select: ['actor'], source: {
      kind: 'FunnelCorrelationActorsQuery', source: correlation(fields).query, ...row } } });
    return answer.results.map(([group]) => group.id).sort();
  };
  assert.deepEqual(await rowActors({ funnelCorrelationType: 'events' },
                                   { funnelCorrelationPersonEntity: { kind: 'EventsNode',
                                                                      event: 'gf pricing' } }),
                   ['g-globex', 'g-umbrella']);
  assert.deepEqual(await rowActors(
    { funnelCorrelationType: 'properties', funnelCorrelationNames: ['tier'] },
    { funnelCorrelationPersonConverted: true, funnelCorrelationPropertyValues: [
      { key: 'tier', value: 'pro', operator: 'exact', type: 'group', group_type_index: index }] }),
  ['g-acme', 'g-initech']);
});
