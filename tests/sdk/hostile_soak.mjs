// Hostile-input soak: several clients send random valid and invalid requests to one hoglet
// server while it is killed with SIGKILL and restarted on the same data directory now and then.
//
//   node tests/sdk/hostile_soak.mjs --binary build/release/hoglet [--seconds 20] [--clients 4]
//        [--kill-every-seconds 8] [--max-rss-mb 600] [--big-person-requests N] [--seed N]
//
// Valid requests are capture batches whose events carry their own uuids; the ones answered 200
// are acknowledged. The invalid ones are what an attacker sends: malformed HTTP (bad or
// duplicate Content-Length, bad chunks, 70 kB trailers, URLs and headers over 64 KiB, gzip
// transfer coding), malformed and oversized payloads, huge distinct ids and event names, bad
// tokens and keys, hostile regexes in the events API, oversized person properties.
//
// At the end every acknowledged event must be stored exactly once. Prints a report (requests,
// answers by class, restarts, peak RSS, data directory size, acknowledged events lost) and exits
// 1 when an event was lost or duplicated, the server died by itself or answered 500, or its RSS
// passed --max-rss-mb. Traffic goes to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .join(' ')
    .split(/\s*--/)
    .filter(Boolean)
    .map((pair) => pair.split(/\s+/)),
);
const binary = args.binary && resolve(args.binary);
if (!binary) {
  console.error('usage: node hostile_soak.mjs --binary PATH [--seconds N] [--clients N] ...');
  process.exit(2);
}
const seconds = Number(args.seconds ?? 20);
const clients = Number(args.clients ?? 4);
const killEverySeconds = Number(args['kill-every-seconds'] ?? 8);
const maxRssMb = Number(args['max-rss-mb'] ?? 600);
// Requests that make or feed persons at the person-properties size limit; each of their events
// carries its person's properties into the store. Capped in the short run: the store's merges
// still decode whole 8192-row blocks, so their memory grows with how many such events it holds.
let bigPersonRequestsLeft = Number(args['big-person-requests'] ?? Infinity);

const TOKEN = 'phc_soakprojecttoken00000000000000000000001';
const KEY = 'phx_soakpersonalapikey000000000000000000001';

// Deterministic randomness (mulberry32), so a failing run can be repeated with --seed.
let seed = Number(args.seed ?? Date.now() % 1e9);
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const startSeed = seed;

// --- the server -----------------------------------------------------------------------------

const dataDir = mkdtempSync(join(tmpdir(), 'hoglet-soak-'));
let port = 0;
let server = null;
let serverOutput = '';
let diedByItself = null;
let peakRssKb = 0;
let restarts = 0;

async function freePort() {
  return new Promise((done) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => done(p));
    });
  });
}

async function startServer() {
  const child = spawn(binary, ['serve', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, HOGLET_INIT_PROJECT_TOKEN: TOKEN, HOGLET_INIT_PERSONAL_API_KEY: KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`hoglet did not start:\n${output}`)), 60000);
    const onData = (chunk) => {
      output += chunk;
      serverOutput = (serverOutput + chunk).slice(-20000);
      if (/listening on http/.test(output)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`hoglet exited (${code ?? signal}) while starting:\n${output}`));
    });
  });
  await started;
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) => {
    if (server === child && !child.killedOnPurpose) diedByItself = `${code ?? signal}`;
  });
  server = child;
}

function sampleRss() {
  if (!server) return;
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
    peakRssKb = Math.max(peakRssKb, kb);
  } catch {
    // between a kill and a restart
  }
  if (peakRssKb / 1024 > maxRssMb) {
    // Fail now rather than let the machine run out of memory.
    stopServer('SIGKILL');
    console.error(`hostile soak: FAILED: RSS reached ${(peakRssKb / 1024).toFixed(0)} MB, over ${maxRssMb} MB`);
    console.error(`--- last server output ---\n${serverOutput.slice(-4000)}`);
    process.exit(1);
  }
}

function stopServer(signal) {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.killedOnPurpose = true;
    server.kill(signal);
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopServer('SIGKILL');
    process.exit(1);
  });
}

// The bytes under `dir` while the server writes there: a part being written is renamed or
// removed between listing and reading it, so what vanished meanwhile counts as nothing.
function diskBytes(dir) {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? diskBytes(path) : statSync(path).size;
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return total;
}

// --- requests -------------------------------------------------------------------------------

const counts = new Map(); // "kind status" → count
const acknowledged = new Set();
let requests = 0;
let serverErrors = 0;
let eventSeq = 0;

function count(kind, status) {
  const key = `${kind} ${status}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  requests += 1;
  if (status === 500) serverErrors += 1;
}

// Raw bytes over one connection; resolves with the status of the answer, or 'closed'.
function raw(bytes, timeoutMs = 5000) {
  return new Promise((done) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const finish = () => {
      socket.destroy();
      const match = received.match(/^HTTP\/1\.1 (\d{3})/);
      done(match ? Number(match[1]) : 'closed');
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (/^HTTP\/1\.1 \d{3}/.test(received)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('connect', () => socket.end(bytes));
  });
}

async function http(method, path, { body, headers = {} } = {}) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      body,
      headers,
      signal: AbortSignal.timeout(20000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'closed';
  }
}

function uuid() {
  eventSeq += 1;
  const hex = (eventSeq + Math.floor(random() * 1e6) * 1e7).toString(16).padStart(12, '0');
  return `0190ab00-${hex.slice(0, 4)}-7000-8000-${hex.slice(-12)}`;
}

const kinds = {
  // Valid: acknowledged events must all be stored once.
  async batch() {
    const events = [];
    const n = 1 + Math.floor(random() * 40);
    for (let i = 0; i < n; i++) {
      events.push({
        event: 'soak',
        uuid: uuid(),
        distinct_id: `soak-${Math.floor(random() * 50)}`,
        properties: { i, plan: pick(['free', 'pro', null]), n: random() * 100 },
      });
    }
    const gzip = random() < 0.5;
    const payload = JSON.stringify({ api_key: TOKEN, batch: events });
    const status = await http('POST', '/batch/', {
      body: gzip ? gzipSync(payload) : payload,
      headers: { 'Content-Type': 'application/json', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) },
    });
    if (status === 200) for (const e of events) acknowledged.add(e.uuid);
    return status;
  },
  async flags() {
    return http('POST', '/flags/?v=2', {
      body: JSON.stringify({ token: TOKEN, distinct_id: `soak-${Math.floor(random() * 50)}` }),
      headers: { 'Content-Type': 'application/json' },
    });
  },
  async eventsList() {
    const filters = pick([
      '',
      'properties=' + encodeURIComponent(JSON.stringify([{ key: 'plan', value: 'pro', operator: 'exact' }])),
      'properties=' + encodeURIComponent(JSON.stringify([{ key: 'plan', value: '(a|b)*c', operator: 'regex' }])),
      'properties=' + encodeURIComponent(JSON.stringify([{ key: 'plan', value: '(', operator: 'regex' }])),
      'limit=-5',
      'limit=999999999',
      'properties=[[[[',
    ]);
    return http('GET', `/api/projects/1/events/?${filters}`, { headers: { Authorization: `Bearer ${KEY}` } });
  },
  // Invalid HTTP.
  trailer: () =>
    raw(`POST /batch/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ${'a'.repeat(70000)}\r\n\r\n`),
  negativeLength: () => raw('POST /batch/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'),
  duplicateLength: () =>
    raw('POST /batch/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}'),
  badChunk: () => raw('POST /batch/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'),
  longUrl: () => raw(`GET /decide/?x=${'u'.repeat(70000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
  longHeader: () => raw(`GET /_health HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(70000)}\r\n\r\n`),
  gzipTransfer: () =>
    raw('POST /batch/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n'),
  garbage: () => raw(Buffer.from(Array.from({ length: 200 }, () => Math.floor(random() * 256)))),
  // Invalid payloads.
  badJson: () => http('POST', '/batch/', { body: '{"api_key": "' + TOKEN + '", "batch": [{"event": ', headers: { 'Content-Type': 'application/json' } }),
  deepJson: () => http('POST', '/e/', { body: '['.repeat(100000), headers: { 'Content-Type': 'application/json' } }),
  gzipBomb: () =>
    http('POST', '/batch/', { body: gzipSync(Buffer.alloc(200 << 20, 32)), headers: { 'Content-Encoding': 'gzip' } }),
  badToken: () =>
    http('POST', '/e/', { body: JSON.stringify({ api_key: 'phc_nobody', event: 'x', distinct_id: 'y' }) }),
  hugeDistinctId: () =>
    http('POST', '/e/', {
      body: JSON.stringify({ api_key: TOKEN, event: 'soak-long', distinct_id: 'd'.repeat(1 << 20) }),
      headers: { 'Content-Type': 'application/json' },
    }),
  hugeEventName: () =>
    http('POST', '/e/', {
      body: JSON.stringify({ api_key: TOKEN, event: 'e'.repeat(1 << 20), distinct_id: 'long-name' }),
      headers: { 'Content-Type': 'application/json' },
    }),
  bigPersonProperties: () =>
    http('POST', '/e/', {
      body: JSON.stringify({
        api_key: TOKEN,
        event: '$set',
        distinct_id: `big-${Math.floor(random() * 3)}`,
        // Under capture's 1 MB event limit, but a person grows past its size limit in two.
        properties: { $set: { [`blob-${Math.floor(random() * 4)}`]: 'b'.repeat(600 << 10) } },
      }),
      headers: { 'Content-Type': 'application/json' },
    }),
  eventsOfBigPerson: () =>
    http('POST', '/batch/', {
      body: JSON.stringify({
        api_key: TOKEN,
        batch: Array.from({ length: 50 }, () => ({ event: 'tiny', distinct_id: `big-${Math.floor(random() * 3)}` })),
      }),
      headers: { 'Content-Type': 'application/json' },
    }),
  manyKeys: () => {
    const properties = {};
    for (let k = 0; k < 200; k++) properties[`key-${Math.floor(random() * 1e9)}`] = k;
    return http('POST', '/batch/', {
      body: JSON.stringify({ api_key: TOKEN, batch: Array.from({ length: 20 }, () => ({ event: 'keys', distinct_id: 'k', properties })) }),
      headers: { 'Content-Type': 'application/json' },
    });
  },
  noKey: () => http('GET', '/api/projects/1/persons/'),
  projectTokenAsKey: () => http('GET', '/api/projects/1/events/', { headers: { Authorization: `Bearer ${TOKEN}` } }),
};

// Valid batches most of the time, every hostile kind now and then.
const weighted = [
  ...Array(12).fill('batch'),
  ...Array(3).fill('flags'),
  ...Array(2).fill('eventsList'),
  ...Object.keys(kinds).filter((k) => !['batch', 'flags', 'eventsList', 'gzipBomb', 'bigPersonProperties'].includes(k)),
  'bigPersonProperties',
];

// --- the run --------------------------------------------------------------------------------

async function client(deadline) {
  while (Date.now() < deadline) {
    let kind = random() < 0.01 ? 'gzipBomb' : pick(weighted);
    if (kind === 'bigPersonProperties' || kind === 'eventsOfBigPerson') {
      if (bigPersonRequestsLeft <= 0) kind = 'flags';
      bigPersonRequestsLeft -= 1;
    }
    const status = await kinds[kind]();
    count(kind, status);
    if (status === 'closed') await new Promise((r) => setTimeout(r, 50));
  }
}

async function waitHealthy() {
  for (let i = 0; i < 200; i++) {
    if ((await http('GET', '/_health')) === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('hoglet did not answer /_health after a restart');
}

async function storedUuids() {
  const seen = new Map();
  let path = '/api/projects/1/events/?event=soak&limit=1000';
  while (path) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { Authorization: `Bearer ${KEY}` } });
    if (response.status !== 200) throw new Error(`events list answered ${response.status}`);
    const page = await response.json();
    for (const event of page.results) seen.set(event.uuid, (seen.get(event.uuid) ?? 0) + 1);
    path = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
  }
  return seen;
}

let failure = null;
try {
  port = await freePort();
  await startServer();
  const sampler = setInterval(sampleRss, 100);
  const deadline = Date.now() + seconds * 1000;
  const running = Array.from({ length: clients }, () => client(deadline));
  const killer = (async () => {
    while (Date.now() + killEverySeconds * 1000 < deadline) {
      await new Promise((r) => setTimeout(r, killEverySeconds * 1000 * (0.5 + random())));
      if (diedByItself !== null || Date.now() >= deadline) break;
      server.killedOnPurpose = true;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGKILL');
      await exited;
      restarts += 1;
      await startServer();
      await waitHealthy();
    }
  })();
  await Promise.all([...running, killer]);
  clearInterval(sampler);
  if (diedByItself !== null) throw new Error(`hoglet died by itself (${diedByItself})`);

  // Everything acknowledged is stored once, after a last restart too.
  let seen = new Map();
  for (let i = 0; i < 100; i++) {
    seen = await storedUuids();
    if ([...acknowledged].every((u) => seen.has(u))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const lost = [...acknowledged].filter((u) => !seen.has(u)).length;
  const duplicated = [...seen.values()].filter((n) => n > 1).length;
  const dataBytes = diskBytes(dataDir);
  server.killedOnPurpose = true;
  const stopped = new Promise((r) => server.once('exit', (code, signal) => r(code ?? signal)));
  server.kill('SIGTERM');
  const stopCode = await stopped;

  console.log(`hostile soak: ${seconds} s, ${clients} clients, seed ${startSeed}`);
  console.log(`  requests: ${requests}, kill -9 and restart: ${restarts}`);
  for (const [key, n] of [...counts.entries()].sort()) console.log(`    ${key.padEnd(28)} ${n}`);
  console.log(`  acknowledged events: ${acknowledged.size}, lost: ${lost}, stored twice: ${duplicated}`);
  console.log(`  peak RSS: ${(peakRssKb / 1024).toFixed(1)} MB, data directory: ${(dataBytes / 1048576).toFixed(1)} MB`);
  if (stopCode !== 0) failure = `hoglet exited ${stopCode} on SIGTERM`;
  else if (lost > 0) failure = `${lost} acknowledged events were lost`;
  else if (duplicated > 0) failure = `${duplicated} events were stored twice`;
  else if (serverErrors > 0) failure = `${serverErrors} requests were answered 500`;
  else if (peakRssKb / 1024 > maxRssMb) failure = `peak RSS ${peakRssKb / 1024} MB is over ${maxRssMb} MB`;
} catch (error) {
  failure = error.message;
  stopServer('SIGKILL');
}
if (failure) {
  console.error(`hostile soak: FAILED: ${failure}\n--- last server output ---\n${serverOutput.slice(-4000)}`);
  process.exit(1);
}
rmSync(dataDir, { recursive: true, force: true });
console.log('hostile soak: passed');
