// What a new user does after `make run`, checked against the binary `make run` builds:
//
//   node tests/sdk/smoke_run.mjs build/release/hoglet
//
// Starts `hoglet serve` on a temporary data directory and a free loopback port, with the keys it
// makes itself (read from its start-up banner, as the README shows them), waits for /_health,
// captures one event with posthog-node, reads it back through the events API, and stops the
// server with SIGTERM, which must exit 0. Prints one line per step; exits 1 on any failure.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PostHog } from 'posthog-node';

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node tests/sdk/smoke_run.mjs PATH_TO_HOGLET');
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'hoglet-smoke-'));
const env = { ...process.env };
delete env.HOGLET_INIT_PROJECT_TOKEN;
delete env.HOGLET_INIT_PERSONAL_API_KEY;
const child = spawn(resolve(binary), ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
let exitCode = null;
const exited = new Promise((done) =>
  child.on('exit', (code, signal) => {
    exitCode = code ?? signal;
    done(exitCode);
  }),
);
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));

async function waitFor(what, predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== null) throw new Error(`hoglet exited (${exitCode}) while waiting for ${what}`);
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function step(message) {
  console.log(`smoke: ${message}`);
}

try {
  const banner = await waitFor(
    'the start-up banner',
    () => {
      const port = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      const token = output.match(/project API key:\s+(phc_\w+)/);
      const key = output.match(/personal API key:\s+(phx_\w+)/);
      return port && token && key && { port: Number(port[1]), token: token[1], key: key[1] };
    },
    30000,
  );
  const host = `http://127.0.0.1:${banner.port}`;
  step(`started on ${host} with ${dataDir}`);

  await waitFor(
    '/_health',
    async () => {
      try {
        return (await fetch(`${host}/_health`)).status === 200;
      } catch {
        return false;
      }
    },
    10000,
  );
  step('/_health answers 200');

  const client = new PostHog(banner.token, { host, flushAt: 1, flushInterval: 0 });
  const uuid = crypto.randomUUID();
  client.capture({ distinctId: 'smoke-user', event: 'smoke test', uuid, properties: { step: 1 } });
  await client.shutdown();
  step('posthog-node captured one event');

  const event = await waitFor(
    'the event in the events API',
    async () => {
      const response = await fetch(`${host}/api/projects/@current/events/?event=smoke%20test`, {
        headers: { Authorization: `Bearer ${banner.key}` },
      });
      if (response.status !== 200) {
        throw new Error(`events API answered ${response.status}: ${await response.text()}`);
      }
      return (await response.json()).results.find((e) => e.uuid === uuid);
    },
    10000,
  );
  if (event.distinct_id !== 'smoke-user' || event.properties.step !== 1) {
    throw new Error(`the event read back differs: ${JSON.stringify(event)}`);
  }
  step('the event reads back through the events API');

  child.kill('SIGTERM');
  const code = await Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r('no exit within 15 s'), 15000)),
  ]);
  if (code !== 0) throw new Error(`hoglet did not exit 0 on SIGTERM: ${code}`);
  step('SIGTERM: exit 0');
  rmSync(dataDir, { recursive: true, force: true });
  console.log('smoke: make run works');
} catch (error) {
  console.error(`smoke: FAILED: ${error.message}\n--- hoglet output ---\n${output}`);
  if (exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
