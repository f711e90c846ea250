// Hoglet and ClickHouse 18.16 side by side on the same generated events: load throughput, bytes
// per event on disk, peak RSS, and the time of the queries PostHog's insights run most, each
// through its own HTTP API (Hoglet's query API; ClickHouse's HTTP interface with the hand-written
// SQL of the differential test), warm, best of 3, and the first run of each. The per-person
// insights (funnels, retention, lifecycle, stickiness, paths: bench/insight_queries.mjs) also say
// whether the two answers agree, and the peak RSS of both servers while those ran is reported on
// its own, and per query (over its runs: RSS at its start plus what it added). Prints numbers;
// never fails on them.
//
//   node bench/clickhouse_compare.mjs [--events 1000000] [--persons 1000000] [--seed 1]
//                                     [--fsync true] [--queries <regex>] [--perf <dir>]
//                                     [--capture-seconds <s>] [--keep <dir>]
//
// The events are posthog-js-like (about 240 bytes of properties, ~50 event names) over 60 days,
// from about --persons persons (fewer when there are under ~7.5 events per person).
// --queries times only the queries whose name matches the regular expression (case-insensitive),
// e.g. --queries 'person-property' or --queries 'funnel|retention|lifecycle|stickiness|paths';
// the load and the other figures are measured as always. --perf <dir>, once the queries are
// timed, records three more runs of each one's Hoglet side with `perf record` into <dir> and
// prints the symbols that took the most CPU. --capture-seconds <s>, once the queries are timed,
// measures capture and capture-to-queryable latency for <s> seconds idle, then for <s> seconds
// while the timed queries run in loops (bench/capture_under_queries.mjs). --keep <dir> keeps both
// servers' data in <dir> (hoglet/, clickhouse/, and what the load measured in loaded.json); a later
// run with the same --keep, --events, --persons, --seed and --fsync starts both on that data and
// times the queries without loading again (the load's figures are those of the run that loaded).
// Needs build/release/hoglet (or HOGLET_BINARY), Debian's clickhouse-server and
// tests/sdk/node_modules (and Debian's sqlite3 past 500 000 persons). Everything runs on
// 127.0.0.1 in temporary directories.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sdk = join(root, 'tests', 'sdk');
const { startHoglet, PROJECT_TOKEN } = await import(join(sdk, 'hoglet_server.mjs'));
const { startClickHouse } = await import(join(sdk, 'reference', 'clickhouse_server.mjs'));
const { createEventsTable, loadEvents, propertyText } =
  await import(join(sdk, 'reference', 'clickhouse_events.mjs'));
const { generate, referenceRows } = await import(join(sdk, 'reference', 'generator.mjs'));
const { trendsReference } = await import(join(sdk, 'reference', 'trends_reference.mjs'));
const { copyPersonsCreatedAt, insightCases, sameAnswer } =
  await import(join(root, 'bench', 'insight_queries.mjs'));
const { profile } = await import(join(root, 'bench', 'perf_profile.mjs'));
const { captureUnderQueries, formatCaptureUnderQueries } =
  await import(join(root, 'bench', 'capture_under_queries.mjs'));

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => {
  if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
  return pairs;
}, []));
const targetEvents = Number(args.events || 1_000_000);
const targetPersons = Number(args.persons || 1_000_000);
const seed = Number(args.seed || 1);
const fsync = (args.fsync || 'true') !== 'false';
const only = new RegExp(args.queries || '', 'i');
process.env.HOGLET_BINARY ||= join(root, 'build', 'release', 'hoglet');

const WINDOW = { startMs: Date.parse('2026-09-19T00:00:00Z'),
                 endMs: Date.parse('2026-11-18T00:00:00Z') };
const RANGE = { dateFrom: '2026-10-17', dateTo: '2026-11-15' };  // 30 days
// A round of the generator at activity 1: 2 000 users and 6 000 visitors, ~7.5 events each
// (~60 000 events). More events per person (a higher activity) come with fewer persons per round,
// so a round stays ~60 000 events and there are about targetPersons persons in all.
const EVENTS_PER_PERSON = 7.5;
const ACTIVITY = Math.max(1, targetEvents / targetPersons / EVENTS_PER_PERSON);
const ROUND_USERS = Math.round(2000 / ACTIVITY);
const ROUND_VISITORS = Math.round(6000 / ACTIVITY);

function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmHWM:\s+(\d+)/)[1]) / 1024;
}

// Starts the process's peak RSS (VmHWM) afresh from its current RSS.
function resetPeakRss(pid) {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

// du's total; files a server removes while du walks (ClickHouse's merged parts) make it exit 1
// with the total of what it found still printed.
function diskBytes(dir) {
  let out;
  try {
    out = execFileSync('du', ['-sb', dir], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    if (!error.stdout || error.stdout.length === 0) throw error;
    out = error.stdout;
  }
  return Number(out.toString().split('\t')[0]);
}

// Bytes per event of each entry directly under `dir`, largest first: "store 40.1, log 300.2, …".
function diskBreakdown(dir, events) {
  return readdirSync(dir).map((name) => [name, diskBytes(join(dir, name))])
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => `${name} ${(bytes / events).toFixed(1)}`).join(', ');
}

// Every distinct id's person creation time (seconds) as Hoglet's person database holds it, read
// by Debian's sqlite3 read-only beside the running server: for more persons than one HogQL query
// may hold (copyPersonsCreatedAt).
function personsCreatedFromDatabase(dataDir, teamId) {
  const out = execFileSync('sqlite3', ['-readonly', '-separator', '\t',
    join(dataDir, 'persons.sqlite'),
    'SELECT d.distinct_id, p.created_at FROM person_distinct_ids AS d JOIN persons AS p ' +
    `ON p.team_id = d.team_id AND p.uuid = d.person_uuid WHERE d.team_id = ${teamId}`],
  { maxBuffer: 1 << 30 });
  return out.toString().split('\n').filter(Boolean).map((line) => {
    const [distinctId, createdUs] = line.split('\t');
    return [distinctId, Math.floor(Number(createdUs) / 1e6)];
  });
}

// posthog-node's wire format for one generated message.
function wireEvent(m) {
  const base = { type: 'capture', distinct_id: m.distinctId, library: 'posthog-node' };
  if (m.kind === 'capture') {
    const properties = { ...m.properties };
    if (m.groups) properties.$groups = m.groups;
    return { ...base, event: m.event, properties, timestamp: new Date(m.timestamp).toISOString(),
             uuid: m.uuid };
  }
  if (m.kind === 'identify') return { ...base, event: '$identify', properties: m.properties };
  if (m.kind === 'alias') {
    return { ...base, event: '$create_alias',
             properties: { distinct_id: m.distinctId, alias: m.alias } };
  }
  return { ...base, distinct_id: `$${m.groupType}_${m.groupKey}`, event: '$groupidentify',
           properties: { $group_type: m.groupType, $group_key: m.groupKey,
                         $group_set: m.properties } };
}

// Without `sent_at`: the server then stores each timestamp as sent (no clock-skew correction of a
// request's latency), the same second ClickHouse stores, so per-person answers can be compared.
// A 429 or 503, or a connection closed before any answer (a keep-alive connection the server
// closed as the request went out), is tried again, as the SDKs do; `retries` counts them.
const retries = { status: 0, connection: 0 };
async function postBatch(host, events) {
  const body = gzipSync(JSON.stringify({ api_key: PROJECT_TOKEN, batch: events }));
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(`${host}/batch/`, {
        method: 'POST', body,
        headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      });
      await response.arrayBuffer();
    } catch (error) {
      if (attempt > 100) throw error;
      retries.connection++;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    if (response.status === 200) return;
    if ((response.status !== 429 && response.status !== 503) || attempt > 100) {
      throw new Error(`/batch/ answered ${response.status}`);
    }
    retries.status++;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function hogletQuery(hoglet, query) {
  const { status, body } = await hoglet.api('POST', '/api/projects/1/query/',
                                            { query, refresh: 'force_blocking' });
  if (status !== 200) throw new Error(`query answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

// Best of 3 warm runs, the first run's time and the last answer; a query slower than 10 s is
// timed once more, not three times.
async function bestOf3(run) {
  const warmStart = performance.now();
  let answer = await run();
  const first = performance.now() - warmStart;
  const repeats = first > 10000 ? 1 : 3;
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    answer = await run();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, first, answer };
}

// Loads the generated events into both servers, Hoglet first; answers what the load measured.
async function load() {
  await createEventsTable(clickhouse);
  // The calendar the insights' SQL assumes: UTC, weeks from Sunday.
  const patched = await hoglet.api('PATCH', '/api/projects/1/',
                                   { timezone: 'UTC', week_start_day: 0 });
  if (patched.status !== 200) throw new Error(`PATCH project answered ${patched.status}`);

  // The events come in rounds of fresh visitors (distinct ids prefixed by the round), the same
  // for both engines: Hoglet is loaded first, until every event can be queried, then ClickHouse,
  // so neither load competes with the other for the two cores. Generation time is left out.
  // Rounds are sent whole (so --events is rounded up to the next round, ~60 000 events): a cut
  // round would leave out its identify and alias messages, which the reference's persons assume.
  function* rounds() {
    let sent = 0;
    for (let round = 0; sent < targetEvents; round++) {
      const data = generate({ seed: seed * 1000 + round, ...WINDOW, projects: [
        { key: `r${round}`, timezone: 'UTC', weekStartDay: 0, users: ROUND_USERS,
          visitors: ROUND_VISITORS, activity: ACTIVITY, posthogJs: true }] });
      const project = data.projects[0];
      const messages = project.phases.flat();
      sent += messages.length;
      yield { project, messages };
    }
  }

  let sent = 0;
  let persons = 0;
  let generateMs = 0;
  let start = performance.now();
  for (let it = rounds(), next; ; ) {
    const generateStart = performance.now();
    next = it.next();
    generateMs += performance.now() - generateStart;
    if (next.done) break;
    const batches = [];
    for (let i = 0; i < next.value.messages.length; i += 1000) {
      batches.push(next.value.messages.slice(i, i + 1000).map(wireEvent));
    }
    for (let i = 0; i < batches.length; i += 4) {
      await Promise.all(batches.slice(i, i + 4).map((b) => postBatch(hoglet.host, b)));
    }
    sent += next.value.messages.length;
    persons += next.value.project.model.persons.length;
    process.stderr.write(`\rsent ${sent} events to Hoglet`);
  }
  process.stderr.write('\n');
  let stored = 0;
  for (;;) {
    const answer = await hogletQuery(hoglet, { kind: 'HogQLQuery',
                                               query: 'SELECT count() FROM events' });
    stored = answer.results[0][0];
    if (stored >= sent) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const hogletLoadMs = performance.now() - start - generateMs;

  generateMs = 0;
  start = performance.now();
  for (let it = rounds(), next; ; ) {
    const generateStart = performance.now();
    next = it.next();
    if (next.done) break;
    const rows = referenceRows(next.value.project, Date.now());
    generateMs += performance.now() - generateStart;
    await loadEvents(clickhouse, 1, rows);
  }
  const clickhouseLoadMs = performance.now() - start - generateMs;
  await clickhouse.execute('OPTIMIZE TABLE events FINAL');
  return { targetEvents, targetPersons, persons, seed, fsync, sent, stored, hogletLoadMs,
           clickhouseLoadMs,
           loadPeak: { hoglet: peakRssMb(hoglet.pid), clickhouse: peakRssMb(clickhouse.pid) } };
}

// --keep: the data of an earlier run with the same events, reused when it finished loading.
const keep = args.keep || null;
const loadedFile = keep && join(keep, 'loaded.json');
let loaded = null;
if (keep && existsSync(loadedFile)) {
  loaded = JSON.parse(readFileSync(loadedFile, 'utf8'));
  if (loaded.targetEvents !== targetEvents || loaded.targetPersons !== targetPersons ||
      loaded.seed !== seed || loaded.fsync !== fsync) {
    throw new Error(`${keep} holds ${loaded.targetEvents} events of ${loaded.targetPersons} ` +
                    `persons, seed ${loaded.seed} (fsync ${loaded.fsync}): choose another --keep ` +
                    'directory');
  }
} else if (keep) {
  rmSync(keep, { recursive: true, force: true });  // a load that did not finish
}

const hoglet = await startHoglet({ env: { HOGLET_FSYNC: String(fsync) },
                                   dataDir: keep && join(keep, 'hoglet') });
const clickhouse = await startClickHouse({ dir: keep && join(keep, 'clickhouse') });
try {
  const reused = loaded !== null;
  if (!loaded) loaded = await load();
  const { sent, stored, hogletLoadMs, clickhouseLoadMs } = loaded;
  if (keep) writeFileSync(loadedFile, JSON.stringify(loaded));

  const trends = (c) => ({ kind: 'TrendsQuery', interval: 'day', series: [{
    kind: 'EventsNode', event: c.event, math: c.math || 'total',
    ...(c.mathProperty ? { math_property: c.mathProperty } : {}) }],
    dateRange: { date_from: c.dateFrom, date_to: c.dateTo },
    ...(c.breakdownFilter ? { breakdownFilter: c.breakdownFilter } : {}) });
  const trendsCases = [
    ['trends total by day, 30 days', { event: '$pageview', ...RANGE }],
    ['trends DAU', { event: '$pageview', math: 'dau', ...RANGE }],
    ['trends weekly active', { event: '$pageview', math: 'weekly_active', ...RANGE }],
    ['trends $browser breakdown', { event: '$pageview', ...RANGE,
      breakdownFilter: { breakdown: '$browser', breakdown_type: 'event' },
      breakdown: { column: 'properties', key: '$browser', limit: 25 } }],
    ['trends sum of price', { event: 'purchase', math: 'sum', mathProperty: 'price', ...RANGE }],
    ['trends person-property breakdown', { event: '$pageview', ...RANGE,
      breakdownFilter: { breakdown: 'plan', breakdown_type: 'person' },
      breakdown: { column: 'person_properties', key: 'plan', limit: 25 } }],
  ];
  const url = propertyText('properties', '$current_url');
  const hogqlCases = [
    ['HogQL count by event', 'SELECT event, count() AS c FROM events GROUP BY event ORDER BY c DESC',
     'SELECT event, count() AS c FROM events WHERE team_id = 1 GROUP BY event ORDER BY c DESC'],
    ['HogQL top URLs with LIKE',
     "SELECT properties.$current_url AS url, count() AS c FROM events WHERE " +
     "properties.$current_url LIKE '%/blog/%' GROUP BY url ORDER BY c DESC LIMIT 10",
     `SELECT ${url} AS url, count() AS c FROM events WHERE team_id = 1 AND url LIKE '%/blog/%' ` +
     'GROUP BY url ORDER BY c DESC LIMIT 10'],
  ];
  const results = [];
  const profiled = [];  // [name, run] of every timed query, for --perf
  // A query that fails (Hoglet's 60 s deadline answers 504) is reported, not fatal.
  const timed = async (run) => {
    try {
      return await bestOf3(run);
    } catch (error) {
      return { ms: String(error.message).slice(0, 40) };
    }
  };
  for (const [name, c] of trendsCases.filter(([name]) => only.test(name))) {
    profiled.push([name, () => hogletQuery(hoglet, trends(c))]);
    results.push([name, await timed(() => hogletQuery(hoglet, trends(c))),
                  await timed(() => trendsReference(clickhouse, 1, 'UTC', 0, c))]);
  }
  for (const [name, hogql, sql] of hogqlCases.filter(([name]) => only.test(name))) {
    profiled.push([name, () => hogletQuery(hoglet, { kind: 'HogQLQuery', query: hogql })]);
    results.push([name, await timed(() => hogletQuery(hoglet, { kind: 'HogQLQuery', query: hogql })),
                  await timed(() => clickhouse.rows(sql))]);
  }

  // The per-person insights, each answer reduced by its case and compared. The peak RSS is
  // measured from here on, after the lifetime peak above is read.
  let cases = insightCases().filter((c) => only.test(c.name));
  const lifetimePeak = {
    hoglet: Math.max(loaded.loadPeak.hoglet, peakRssMb(hoglet.pid)),
    clickhouse: Math.max(loaded.loadPeak.clickhouse, peakRssMb(clickhouse.pid)) };
  const project = { id: 1, timezone: 'UTC', weekStartDay: 0 };
  const mismatches = [];
  if (cases.length) {
    if (cases.some((c) => c.name.startsWith('lifecycle'))) {
      try {
        await copyPersonsCreatedAt((q) => hogletQuery(hoglet, q), clickhouse, project.id,
                                   () => personsCreatedFromDatabase(hoglet.dataDir, project.id));
      } catch (error) {
        console.error(`lifecycle left out: its persons could not be copied (${error.message})`);
        cases = cases.filter((c) => !c.name.startsWith('lifecycle'));
      }
    }
    resetPeakRss(hoglet.pid);
    resetPeakRss(clickhouse.pid);
  }
  const queryPeaks = new Map();  // name → [Hoglet MB, ClickHouse MB] over that query's runs
  let runningPeak = { hoglet: 0, clickhouse: 0 };
  for (const c of cases) {
    profiled.push([c.name, () => hogletQuery(hoglet, c.query)]);
    // Each query's own peak: the peak so far is kept aside, and the count starts afresh.
    runningPeak = { hoglet: Math.max(runningPeak.hoglet, peakRssMb(hoglet.pid)),
                    clickhouse: Math.max(runningPeak.clickhouse, peakRssMb(clickhouse.pid)) };
    resetPeakRss(hoglet.pid);
    resetPeakRss(clickhouse.pid);
    const h = await timed(() => hogletQuery(hoglet, c.query));
    const r = await timed(() => c.clickhouse(clickhouse, project));
    queryPeaks.set(c.name, [peakRssMb(hoglet.pid), peakRssMb(clickhouse.pid)]);
    let verdict = '-';
    if (h.answer && r.answer) {
      const got = c.hoglet(h.answer);
      verdict = sameAnswer(got, r.answer) ? 'agree' : 'DIFFER';
      if (verdict === 'DIFFER') mismatches.push([c.name, got, r.answer]);
    }
    results.push([c.name, h, r, verdict, c.note]);
  }
  const insightPeak = cases.length
    ? { hoglet: Math.max(runningPeak.hoglet, peakRssMb(hoglet.pid)),
        clickhouse: Math.max(runningPeak.clickhouse, peakRssMb(clickhouse.pid)) } : null;
  // Capture and ingestion while the timed queries run in loops (--capture-seconds).
  const captureSeconds = Number(args['capture-seconds'] || 0);
  const captureReport = captureSeconds > 0
    ? await captureUnderQueries(hoglet, PROJECT_TOKEN, profiled.map(([, run]) => run),
                                { seconds: captureSeconds })
    : null;
  const profiles = [];
  if (args.perf) {
    for (const [name, run] of profiled) {
      profiles.push([name, await profile(hoglet.pid, args.perf, name, run)]);
    }
  }

  const [[chBytes]] = await clickhouse.rows(
    "SELECT sum(bytes_on_disk) FROM system.parts WHERE table = 'events' AND active");
  const hogletBytes = diskBytes(hoglet.dataDir);
  const chDirBytes = diskBytes(clickhouse.dataDir);
  console.log(`events: ${sent} of ${loaded.persons} persons (seed ${seed}; Hoglet holds ` +
              `${stored}), Hoglet fsync=${fsync}`);
  console.log(`/batch/ requests tried again: ${retries.status} after a 429 or 503, ` +
              `${retries.connection} after a closed connection`);
  console.log(`load: Hoglet ${(sent / (hogletLoadMs / 1000)).toFixed(0)} events/s ` +
              `(/batch/ 1000 a request, 4 at once, until all queryable), ClickHouse ` +
              `${(sent / (clickhouseLoadMs / 1000)).toFixed(0)} events/s (JSONEachRow, 5000 a request)` +
              (reused ? `; measured by the run that loaded ${keep}` : ''));
  console.log(`disk: Hoglet ${(hogletBytes / sent).toFixed(1)} bytes/event (data directory), ` +
              `ClickHouse ${(chBytes / sent).toFixed(1)} bytes/event (active parts; ` +
              `${(chDirBytes / sent).toFixed(1)} with its whole directory)`);
  console.log(`disk, Hoglet's data directory in bytes/event: ${diskBreakdown(hoglet.dataDir, sent)}`);
  console.log(`peak RSS: Hoglet ${lifetimePeak.hoglet.toFixed(0)} MB, ` +
              `ClickHouse ${lifetimePeak.clickhouse.toFixed(0)} MB`);
  if (insightPeak) {
    console.log('peak RSS during the insight queries: ' +
                `Hoglet ${insightPeak.hoglet.toFixed(0)} MB, ` +
                `ClickHouse ${insightPeak.clickhouse.toFixed(0)} MB`);
  }
  console.log('query (warm, best of 3)              Hoglet ms  ClickHouse ms  ratio  ' +
              'first runs ms  answers');
  const ms = (t) => (typeof t === 'number' ? t.toFixed(1) : t);
  for (const [name, h, c, verdict = '', note = ''] of results) {
    const ratio = typeof h.ms === 'number' && typeof c.ms === 'number'
      ? (h.ms / c.ms).toFixed(2) : '-';
    const peaks = queryPeaks.has(name)
      ? ` [peak RSS ${queryPeaks.get(name).map((mb) => mb.toFixed(0)).join(' / ')} MB]` : '';
    const firsts = typeof h.first === 'number' && typeof c.first === 'number'
      ? `${ms(h.first)} / ${ms(c.first)}` : '-';
    console.log(`${name.padEnd(36)} ${ms(h.ms).padStart(9)} ${ms(c.ms).padStart(14)} ` +
                `${ratio.padStart(6)}  ${firsts.padStart(13)}  ` +
                `${verdict}${note ? ` (${note})` : ''}${peaks}`);
  }
  if (captureReport) console.log(formatCaptureUnderQueries(captureReport));
  for (const [name, lines] of profiles) {
    console.log(`Hoglet's CPU, ${name} (perf, self time):\n  ${lines.join('\n  ')}`);
  }
  for (const [name, got, expected] of mismatches) {
    console.log(`DIFFER ${name}:\n  Hoglet     ${JSON.stringify(got).slice(0, 1500)}` +
                `\n  ClickHouse ${JSON.stringify(expected).slice(0, 1500)}`);
  }
} finally {
  await clickhouse.stop();
  await hoglet.stop();
}
