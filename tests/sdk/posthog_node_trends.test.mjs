// Trends over data sent by the real posthog-node SDK, read through PostHog's query API
// (POST /api/projects/:id/query/): counts and distinct persons by day, breakdowns, and identity at
// query time (a merge re-attributes earlier events at once).
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

const DAY_MS = 24 * 3600 * 1000;

function trends(series, extra = {}) {
  return {
    query: {
      kind: 'InsightVizNode',
      source: { kind: 'TrendsQuery', dateRange: { date_from: '-2d' }, series, ...extra },
    },
  };
}

async function query(body, path = '/api/projects/1/query/') {
  const { status, body: answer } = await server.api('POST', path, body);
  assert.equal(status, 200, JSON.stringify(answer));
  return answer;
}

test('counts, distinct persons and a breakdown of events posthog-node sent', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const today = new Date();
  const yesterday = new Date(today.getTime() - DAY_MS);
  for (const [id, when, browser] of [
    ['anon-9', yesterday, 'Chrome'],
    ['anon-9', today, 'Chrome'],
    ['user-9', today, 'Firefox'],
    ['user-9', today, 'Firefox'],
    ['other', today, 'Chrome'],
  ]) {
    client.capture({ distinctId: id, event: 'viewed page', timestamp: when,
                     properties: { $browser: browser } });
  }
  await client.shutdown();
  await server.waitForEvents('event=viewed%20page', 5);

  const answer = await query(trends([
    { kind: 'EventsNode', event: 'viewed page' },
    { kind: 'EventsNode', event: 'viewed page', math: 'dau' },
  ]));
  assert.equal(answer.results.length, 2);
  const [total, dau] = answer.results;
  assert.equal(total.days.length, 3, 'today and the two days before');
  // Values by the day they were sent on (UTC, the project's zone).
  const on = (line, date) => line.data[line.days.indexOf(date.toISOString().slice(0, 10))];
  assert.equal(on(total, yesterday), 1);
  assert.equal(on(total, today), 4);
  assert.equal(total.count, 5);
  assert.equal(total.label, 'viewed page');
  assert.equal(on(dau, yesterday), 1);
  assert.equal(on(dau, today), 3);
  assert.equal(answer.timezone, 'UTC');
  assert.ok(answer.resolved_date_range.date_from.endsWith('T00:00:00+00:00'));
  assert.equal(answer.is_cached, false);

  const broken = await query(trends([{ kind: 'EventsNode', event: 'viewed page' }], {
    breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
  }), '/api/environments/1/query/');
  assert.deepEqual(broken.results.map((r) => [r.breakdown_value, r.count]),
                   [['Chrome', 3], ['Firefox', 2]]);
  assert.equal(broken.results[0].label, 'Chrome', 'one series: the value alone');

  const compared = await query(trends([
    { kind: 'EventsNode', event: 'viewed page' },
    { kind: 'EventsNode', event: 'viewed page', math: 'dau' },
  ], {
    dateRange: { date_from: '-1d' },
    compareFilter: { compare: true },
    trendsFilter: { formulaNodes: [{ formula: 'A / B' }] },
  }));
  assert.deepEqual(compared.results.map((r) => [r.label, r.compare_label, r.data]),
                   [['Formula (A / B)', 'current', [1, 4 / 3]],
                    ['Formula (A / B)', 'previous', [0, 0]]]);
  assert.equal(compared.results[1].days.length, 2);
  assert.notEqual(compared.results[1].days[0], compared.results[0].days[0]);
});

test('a merge counts the merged events for one person at once', async () => {
  const dau = trends([{ kind: 'EventsNode', event: 'viewed page', math: 'dau' }], {
    trendsFilter: { display: 'BoldNumber' },
  });
  assert.equal((await query(dau)).results[0].aggregated_value, 3);

  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.capture({ distinctId: 'user-9', event: '$identify',
                   properties: { $anon_distinct_id: 'anon-9' } });
  await client.shutdown();
  const merged = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-9');
    const person = body.results[0];
    return person && person.distinct_ids.includes('anon-9') ? person : null;
  });
  assert.ok(merged, 'anon-9 and user-9 are one person');
  assert.equal((await query(dau)).results[0].aggregated_value, 2);
});

test('person filters and breakdowns read the persons posthog-node identified', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.identify({ distinctId: 'user-9', properties: { plan: 'pro' } });
  client.identify({ distinctId: 'other', properties: { plan: 'free' } });
  await client.shutdown();
  const updated = await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=other');
    const person = body.results[0];
    return person && person.properties.plan === 'free' ? person : null;
  });
  assert.ok(updated, "other's person has plan free");
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/persons/?distinct_id=user-9');
    return body.results[0]?.properties.plan === 'pro' ? true : null;
  });

  const pro = await query(trends([{ kind: 'EventsNode', event: 'viewed page' }], {
    properties: [{ key: 'plan', value: 'pro', type: 'person' }],
  }));
  // anon-9's two events count too: anon-9 was merged into user-9's person.
  assert.equal(pro.results[0].count, 4);
  const byPlan = await query(trends([{ kind: 'EventsNode', event: 'viewed page' }], {
    breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
  }));
  assert.deepEqual(byPlan.results.map((r) => [r.breakdown_value, r.count]),
                   [['pro', 4], ['free', 1]]);

  // The same persons through a HogQL filter, and one on the events' own properties.
  const hogqlPro = await query(trends([{ kind: 'EventsNode', event: 'viewed page' }], {
    properties: [{ type: 'hogql', key: "person.properties.plan = 'pro'" }],
  }));
  assert.equal(hogqlPro.results[0].count, 4);
  const { status, body } = await server.api('POST', '/api/projects/1/query/', trends(
    [{ kind: 'EventsNode', event: 'viewed page' }],
    { properties: [{ type: 'hogql', key: 'person.properties.plan = ' }] }));
  assert.equal(status, 400);
  assert.match(body.detail, /the HogQL filter 'person\.properties\.plan = ': line 1, column \d+/);
});

test('cohort filters: dynamic by person properties, static by list', async () => {
  const dynamic = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Pro users',
    filters: { properties: { type: 'AND', values: [{ key: 'plan', value: 'pro', type: 'person' }] } },
  });
  assert.equal(dynamic.status, 201, JSON.stringify(dynamic.body));
  const series = [{ kind: 'EventsNode', event: 'viewed page' }];
  const inPro = await query(trends(series, {
    properties: [{ key: 'id', value: dynamic.body.id, type: 'cohort' }],
  }));
  assert.equal(inPro.results[0].count, 4, 'user-9 and the merged anon-9');
  const notInPro = await query(trends(series, {
    properties: [{ key: 'id', value: dynamic.body.id, type: 'cohort', operator: 'not_in' }],
  }));
  assert.equal(notInPro.results[0].count, 1);

  const { body: other } = await server.api('GET', '/api/projects/1/persons/?distinct_id=other');
  const listed = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Listed', is_static: true, _create_static_person_ids: [other.results[0].uuid],
  });
  assert.equal(listed.status, 201, JSON.stringify(listed.body));
  const inListed = await query(trends(series, {
    properties: [{ key: 'id', value: listed.body.id, type: 'cohort' }],
  }));
  assert.equal(inListed.results[0].count, 1);
  const unknown = await server.api('POST', '/api/projects/1/query/', trends(series, {
    properties: [{ key: 'id', value: 424242, type: 'cohort' }],
  }));
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.detail, /cohort 424242 does not exist/);
});

test('groups: unique groups, aggregation by group, group filters and breakdowns', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 20, flushInterval: 0 });
  client.groupIdentify({ groupType: 'company', groupKey: 'acme', properties: { industry: 'retail' } });
  client.groupIdentify({ groupType: 'company', groupKey: 'globex', properties: { industry: 'energy' } });
  for (const [id, company] of [['g1', 'acme'], ['g2', 'acme'], ['g3', 'globex']]) {
    client.capture({ distinctId: id, event: 'ran report', groups: { company } });
  }
  client.capture({ distinctId: 'g4', event: 'ran report' });
  await client.shutdown();
  await server.waitForEvents('event=ran%20report', 4);
  await server.waitFor(async () => {
    const { body } = await server.api('GET', '/api/projects/1/groups/?group_type_index=0');
    return body.results && body.results.length === 2 ? true : null;
  });

  const total = (extra, series = { kind: 'EventsNode', event: 'ran report' }) =>
    query(trends([series], { trendsFilter: { display: 'BoldNumber' }, ...extra }))
      .then((answer) => answer.results.map((r) => [r.breakdown_value ?? null, r.aggregated_value]));
  assert.deepEqual(await total({}, { kind: 'EventsNode', event: 'ran report', math: 'unique_group',
                                     math_group_type_index: 0 }), [[null, 2]]);
  assert.deepEqual(await total({ aggregation_group_type_index: 0 },
                               { kind: 'EventsNode', event: 'ran report', math: 'dau' }), [[null, 2]]);
  assert.deepEqual(await total({ properties: [{ key: 'industry', value: 'retail', type: 'group',
                                                group_type_index: 0 }] }), [[null, 2]]);
  assert.deepEqual(await total({ breakdownFilter: { breakdown: 'industry', breakdown_type: 'group',
                                                    breakdown_group_type_index: 0 } }),
                   [['retail', 2], ['energy', 1], ['$$_posthog_breakdown_null_$$', 1]]);

  // The actors of a unique-groups series are its groups, most events first.
  const companies = trends([{ kind: 'EventsNode', event: 'ran report', math: 'unique_group',
                              math_group_type_index: 0 }],
                           { trendsFilter: { display: 'BoldNumber' } }).query.source;
  const actors = await query({ query: { kind: 'ActorsQuery', select: ['actor', 'event_count'],
                                        source: { kind: 'InsightActorsQuery', source: companies } } });
  assert.deepEqual(actors.results.map(([group, count]) => [group.type, group.group_key,
                                                           group.group_properties.industry, count]),
                   [['group', 'acme', 'retail', 2], ['group', 'globex', 'energy', 1]]);
  const perPerson = await server.api('POST', '/api/projects/1/query/', {
    query: { kind: 'InsightActorsQuery',
             source: trends([{ kind: 'EventsNode', event: 'ran report', math: 'dau' }],
                            { aggregation_group_type_index: 0 }).query.source } });
  assert.equal(perPerson.status, 400, JSON.stringify(perPerson.body));
  assert.match(perPerson.body.detail,
               /series\[0\]: the actors of sessions and of the aggregation group/);
});

test('actions: created through the API, counted as a series', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 10, flushInterval: 0 });
  for (const url of ['https://shop.example/pricing', 'https://shop.example/pricing?plan=pro',
                     'https://shop.example/docs']) {
    client.capture({ distinctId: 'visitor', event: '$pageview', properties: { $current_url: url } });
  }
  await client.shutdown();
  await server.waitForEvents('event=%24pageview', 3);

  const created = await server.api('POST', '/api/projects/1/actions/', {
    name: 'Viewed pricing', steps: [{ event: '$pageview', url: '/pricing' }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.steps[0].url_matching, 'contains');
  assert.equal(created.body.is_action, true);
  const again = await server.api('POST', '/api/projects/1/actions/', { name: 'Viewed pricing' });
  assert.equal(again.status, 400, 'a second live action of one name');
  const bad = await server.api('POST', '/api/projects/1/actions/', {
    name: 'Bad', steps: [{ url: '(', url_matching: 'regex' }],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.attr, 'steps');

  const series = [{ kind: 'ActionsNode', id: created.body.id }];
  const answer = await query(trends(series, { trendsFilter: { display: 'BoldNumber' } }));
  assert.equal(answer.results[0].aggregated_value, 2);
  assert.equal(answer.results[0].label, 'Viewed pricing');
  assert.equal(answer.results[0].action.type, 'actions');

  const deleted = await server.api('DELETE', `/api/projects/1/actions/${created.body.id}/`);
  assert.equal(deleted.status, 204);
  const listed = await server.api('GET', '/api/projects/1/actions/');
  assert.equal(listed.body.count, 0);
  const after = await query(trends(series, { trendsFilter: { display: 'BoldNumber' } }));
  assert.equal(after.results[0].aggregated_value, 0, 'a deleted action matches nothing');
  const unknown = await server.api('POST', '/api/projects/1/query/', trends([
    { kind: 'ActionsNode', id: 987654 },
  ]));
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.detail, /action 987654 does not exist/);
});

test('a malformed query is a 400 that names the field', async () => {
  const { status, body } = await server.api('POST', '/api/projects/1/query/', trends([
    { kind: 'EventsNode', event: 'viewed page', math: 'sum' },
  ]));
  assert.equal(status, 400);
  assert.match(body.detail, /query\.series\[0\]\.math_property/);
  const unknown = await server.api('POST', '/api/projects/1/query/',
                                   { query: { kind: 'NoSuchQuery' } });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.detail, /NoSuchQuery/);
});

test('math hogql: a HogQL aggregate per day over the events posthog-node sent', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const today = new Date();
  const yesterday = new Date(today.getTime() - DAY_MS);
  for (const [id, when, price, plan] of [
    ['hq-buyer-1', yesterday, 10, 'pro'],
    ['hq-buyer-2', yesterday, 30, 'free'],
    ['hq-buyer-1', today, '5', 'pro'],
    ['hq-buyer-3', today, undefined, 'pro'],
  ]) {
    client.capture({ distinctId: id, event: 'ordered', timestamp: when,
                     properties: { ...(price === undefined ? {} : { price }), plan } });
  }
  await client.shutdown();
  await server.waitForEvents('event=ordered', 4);

  const on = (line, date) => line.data[line.days.indexOf(date.toISOString().slice(0, 10))];
  const answer = await query(trends([
    { kind: 'EventsNode', event: 'ordered', math: 'hogql',
      math_hogql: 'sum(toFloat(properties.price))' },
    { kind: 'EventsNode', event: 'ordered', math: 'hogql', math_hogql: 'avg(toFloat(properties.price))',
      properties: [{ key: 'plan', value: 'pro', type: 'event' }] },
  ]));
  const [sum, proAvg] = answer.results;
  assert.equal(on(sum, yesterday), 40);
  assert.equal(on(sum, today), 5);
  assert.equal(sum.count, 45);
  assert.equal(sum.action.math, 'hogql');
  assert.equal(sum.action.math_hogql, 'sum(toFloat(properties.price))');
  assert.equal(on(proAvg, yesterday), 10);
  assert.equal(on(proAvg, today), 5, 'the event without a price is left out of avg');

  const bold = await query(trends([{ kind: 'EventsNode', event: 'ordered', math: 'hogql',
                                     math_hogql: 'max(toFloat(properties.price)) / count()' }],
                                  { trendsFilter: { display: 'BoldNumber' } }));
  assert.equal(bold.results[0].aggregated_value, 30 / 4);

  // Broken down: the aggregate per day per value, ranked by total; the rest summed into Other.
  const sumOfPrices = [{ kind: 'EventsNode', event: 'ordered', math: 'hogql',
                         math_hogql: 'sum(toFloat(properties.price))' }];
  const byPlan = await query(trends(sumOfPrices, {
    breakdownFilter: { breakdown: 'plan', breakdown_type: 'event' } }));
  assert.deepEqual(byPlan.results.map((r) => [r.breakdown_value, r.count]),
                   [['free', 30], ['pro', 15]]);
  const pro = byPlan.results[1];
  assert.equal(on(pro, yesterday), 10);
  assert.equal(on(pro, today), 5);
  assert.equal(pro.label, 'pro');
  const avgByPlan = await query(trends([{ kind: 'EventsNode', event: 'ordered', math: 'hogql',
                                          math_hogql: 'avg(toFloat(properties.price))' }], {
    breakdownFilter: { breakdown: 'plan', breakdown_type: 'event' } }));
  assert.deepEqual(avgByPlan.results.map((r) => [r.breakdown_value, r.data.filter((v) => v)]),
                   [['free', [30]], ['pro', [10, 5]]]);
  const limited = await query(trends(sumOfPrices, {
    breakdownFilter: { breakdown: 'plan', breakdown_type: 'event', breakdown_limit: 1 } }));
  assert.deepEqual(limited.results.map((r) => [r.breakdown_value, r.count]),
                   [['free', 30], ['$$_posthog_breakdown_other_$$', 15]]);
  assert.equal(limited.hasMore, true);

  const { status, body } = await server.api('POST', '/api/projects/1/query/', trends([
    { kind: 'EventsNode', event: 'ordered', math: 'hogql', math_hogql: 'sum(properties.price' },
  ]));
  assert.equal(status, 400);
  assert.match(body.detail, /^query\.series\[0\]\.math_hogql: line 1, column \d+/);
});

test('breakdowns by a HogQL expression, by cohort and into histogram bins', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 1, flushInterval: 0 });
  client.identify({ distinctId: 'buyer-1', properties: { tier: 'gold' } });
  client.identify({ distinctId: 'buyer-2', properties: { tier: 'silver' } });
  for (const [id, os, browser, amount] of [
    ['buyer-1', 'Mac', 'Chrome', 10],
    ['buyer-1', 'Mac', 'Chrome', 20],
    ['buyer-2', 'Windows', 'Firefox', 55],
    ['buyer-3', 'Mac', 'Safari', 100],
  ]) {
    client.capture({ distinctId: id, event: 'bought',
                     properties: { $os: os, $browser: browser, amount } });
  }
  await client.shutdown();
  await server.waitForEvents('event=bought', 4);
  for (const [id, tier] of [['buyer-1', 'gold'], ['buyer-2', 'silver']]) {
    await server.waitFor(async () => {
      const { body } = await server.api('GET', `/api/projects/1/persons/?distinct_id=${id}`);
      return body.results[0]?.properties.tier === tier ? true : null;
    });
  }
  const series = [{ kind: 'EventsNode', event: 'bought' }];
  const values = async (breakdownFilter) => (await query(trends(series, { breakdownFilter })))
    .results.map((r) => [r.breakdown_value, r.count]);

  // A HogQL expression, evaluated per event; person properties read as they are now.
  assert.deepEqual(await values({ breakdown_type: 'hogql',
                                  breakdown: "concat(properties.$os, '/', properties.$browser)" }),
                   [['Mac/Chrome', 2], ['Mac/Safari', 1], ['Windows/Firefox', 1]]);
  assert.deepEqual(await values({ breakdown_type: 'hogql', breakdown: 'person.properties.tier' }),
                   [['gold', 2], ['silver', 1], ['$$_posthog_breakdown_null_$$', 1]]);
  const bad = await server.api('POST', '/api/projects/1/query/', trends(series, {
    breakdownFilter: { breakdown_type: 'hogql', breakdown: 'properties.$os +' } }));
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.match(bad.body.detail, /^query\.breakdownFilter\.breakdown: line 1, column/);

  // Cohorts: an event once per cohort of its person; "all" is everyone, labelled "all users".
  const gold = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Gold',
    filters: { properties: { type: 'AND', values: [{ key: 'tier', value: 'gold', type: 'person' }] } },
  });
  assert.equal(gold.status, 201, JSON.stringify(gold.body));
  const { body: second } = await server.api('GET', '/api/projects/1/persons/?distinct_id=buyer-2');
  const listed = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Second buyer', is_static: true, _create_static_person_ids: [second.results[0].uuid],
  });
  assert.equal(listed.status, 201, JSON.stringify(listed.body));
  const byCohort = await query(trends(series, {
    breakdownFilter: { breakdown_type: 'cohort', breakdown: [gold.body.id, 'all'] } }));
  assert.deepEqual(byCohort.results.map((r) => [r.breakdown_value, r.label, r.count]),
                   [[gold.body.id, 'Gold', 2], ['all', 'all users', 4]]);
  assert.deepEqual(await values({ breakdown_type: 'cohort',
                                  breakdown: [listed.body.id, gold.body.id] }),
                   [[gold.body.id, 2], [listed.body.id, 1]]);
  const actorsOf = async (breakdownFilter, breakdown) => (await query({ query: {
    kind: 'ActorsQuery', select: ['actor', 'event_count'],
    source: { kind: 'InsightActorsQuery', breakdown,
              source: trends(series, { breakdownFilter }).query.source } } }))
    .results.map(([actor, count]) => [actor.distinct_ids.sort().join(','), count]);
  assert.deepEqual(await actorsOf({ breakdown_type: 'cohort', breakdown: [gold.body.id, 'all'] },
                                  gold.body.id),
                   [['buyer-1', 2]]);
  assert.deepEqual((await actorsOf({ breakdown_type: 'cohort', breakdown: [gold.body.id, 'all'] },
                                   'all')).map(([ids, count]) => `${ids}:${count}`).sort(),
                   ['buyer-1:2', 'buyer-2:1', 'buyer-3:1']);

  // Histogram bins: two of width 45 between 10 and 100, the last widened by 0.01.
  const bins = { breakdown: 'amount', breakdown_type: 'event', breakdown_histogram_bin_count: 2 };
  assert.deepEqual(await values(bins), [['[10,55]', 2], ['[55,100.01]', 2]]);
  assert.deepEqual((await actorsOf(bins, '[55,100.01]')).map(([ids]) => ids).sort(),
                   ['buyer-2', 'buyer-3']);
});

test('samplingFactor: the distinct ids in the sample, counted and scaled back up', async () => {
  // cityHash64 of the distinct id over 2^64: d3 0.067, d7 0.083 (in a sample of 0.25);
  // d1 0.351, d2 0.901 (out of it).
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 50, flushInterval: 0 });
  const today = new Date();
  for (const id of ['d3', 'd3', 'd7', 'd1', 'd1', 'd2']) {
    client.capture({ distinctId: id, event: 'sampled view', timestamp: today });
  }
  await client.shutdown();
  await server.waitForEvents('event=sampled%20view', 6);

  const series = [{ kind: 'EventsNode', event: 'sampled view' },
                  { kind: 'EventsNode', event: 'sampled view', math: 'dau' }];
  const all = await query(trends(series));
  assert.deepEqual(all.results.map((r) => r.count), [6, 4]);
  const sampled = await query(trends(series, { samplingFactor: 0.25 }));
  const [total, dau] = sampled.results;
  assert.equal(total.count, 12, '3 events of d3 and d7, × 4');
  assert.equal(total.data[total.days.indexOf(today.toISOString().slice(0, 10))], 12);
  assert.equal(dau.count, 8, '2 persons, × 4');
  const again = await query(trends(series, { samplingFactor: 0.25 }));
  assert.deepEqual(again.results.map((r) => r.data), sampled.results.map((r) => r.data));

  const { status, body } = await server.api('POST', '/api/projects/1/query/',
                                            trends(series, { samplingFactor: 2 }));
  assert.equal(status, 400);
  assert.match(body.detail, /^query\.samplingFactor: /);
});

test('behavioural cohorts: persons and a trends filter over what posthog-node sent', async () => {
  const client = new PostHog(PROJECT_TOKEN, { host: server.host, flushAt: 20, flushInterval: 0 });
  const daysAgo = (days) => new Date(Date.now() - days * DAY_MS);
  // reader-1 exported three times lately (once on Firefox), reader-2 once, reader-3 40 days ago.
  for (const [id, days, browser] of [
    ['reader-1', 1, 'Chrome'], ['reader-1', 2, 'Chrome'], ['reader-1', 3, 'Firefox'],
    ['reader-2', 2, 'Chrome'], ['reader-3', 40, 'Chrome'],
  ]) {
    client.capture({ distinctId: id, event: 'exported report', timestamp: daysAgo(days),
                     properties: { $browser: browser } });
  }
  await client.shutdown();
  await server.waitForEvents('event=exported%20report', 5);

  const cohort = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Frequent exporters on Chrome',
    filters: { properties: { type: 'OR', values: [{ type: 'AND', values: [{
      type: 'behavioral', value: 'performed_event_multiple', key: 'exported report',
      event_type: 'events', time_value: 30, time_interval: 'day', operator: 'gte',
      operator_value: 2, event_filters: [{ key: '$browser', value: 'Chrome', type: 'event' }],
    }] }] } },
  });
  assert.equal(cohort.status, 201, JSON.stringify(cohort.body));
  const members = await server.api('GET', `/api/projects/1/cohorts/${cohort.body.id}/persons/`);
  assert.equal(members.status, 200, JSON.stringify(members.body));
  assert.deepEqual(members.body.results.map((p) => p.distinct_ids[0]), ['reader-1']);

  const series = [{ kind: 'EventsNode', event: 'exported report' }];
  const filtered = await query({ query: { kind: 'TrendsQuery', dateRange: { date_from: '-60d' },
    series, properties: [{ key: 'id', value: cohort.body.id, type: 'cohort' }] } });
  assert.equal(filtered.results[0].count, 3, "all of reader-1's exports");
  const outside = await query({ query: { kind: 'TrendsQuery', dateRange: { date_from: '-60d' },
    series, properties: [{ key: 'id', value: cohort.body.id, type: 'cohort', operator: 'not_in' }] } });
  assert.equal(outside.results[0].count, 2);

  // Did not export in the last 30 days: of the exporters, reader-3 only.
  const lapsed = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Lapsed exporters',
    filters: { properties: { type: 'AND', values: [
      { type: 'behavioral', value: 'performed_event', key: 'exported report', event_type: 'events',
        time_value: 30, time_interval: 'day', negation: true },
      { type: 'behavioral', value: 'performed_event', key: 'exported report', event_type: 'events',
        time_value: 90, time_interval: 'day' },
    ] } },
  });
  assert.equal(lapsed.status, 201, JSON.stringify(lapsed.body));
  const lapsedMembers = await server.api('GET', `/api/projects/1/cohorts/${lapsed.body.id}/persons/`);
  assert.deepEqual(lapsedMembers.body.results.map((p) => p.distinct_ids[0]), ['reader-3']);

  // Exported, then again within 2 days, in the last 30 days: reader-1 (a day apart).
  const sequence = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Exported twice in a row',
    filters: { properties: { type: 'AND', values: [{
      type: 'behavioral', value: 'performed_event_sequence', key: 'exported report',
      event_type: 'events', time_value: 30, time_interval: 'day', seq_event: 'exported report',
      seq_event_type: 'events', seq_time_value: 2, seq_time_interval: 'day' }] } },
  });
  assert.equal(sequence.status, 201, JSON.stringify(sequence.body));
  const sequenceMembers =
    await server.api('GET', `/api/projects/1/cohorts/${sequence.body.id}/persons/`);
  assert.deepEqual(sequenceMembers.body.results.map((p) => p.distinct_ids[0]), ['reader-1']);

  // At least once a day on at least 3 of the last 4 days: reader-1 (1, 2 and 3 days ago).
  const regular = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Daily exporters',
    filters: { properties: { type: 'AND', values: [{
      type: 'behavioral', value: 'performed_event_regularly', key: 'exported report',
      event_type: 'events', time_value: 1, time_interval: 'day', operator: 'gte',
      operator_value: 1, min_periods: 3, total_periods: 4 }] } },
  });
  assert.equal(regular.status, 201, JSON.stringify(regular.body));
  const regularMembers =
    await server.api('GET', `/api/projects/1/cohorts/${regular.body.id}/persons/`);
  assert.deepEqual(regularMembers.body.results.map((p) => p.distinct_ids[0]), ['reader-1']);

  // A behaviour this server does not know is refused, naming it.
  const unknown = await server.api('POST', '/api/projects/1/cohorts/', {
    name: 'Unknown',
    filters: { properties: { type: 'AND', values: [{
      type: 'behavioral', value: 'performed_event_daily', key: 'exported report',
      event_type: 'events', time_value: 30, time_interval: 'day' }] } },
  });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.detail, /performed_event_daily/);
});
