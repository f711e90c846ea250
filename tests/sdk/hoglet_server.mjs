// Starts the real hoglet binary on 127.0.0.1 (port 0) with a temporary data directory, or with
// `dataDir` when given (then kept when it stops: a benchmark reuses what it loaded).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_TOKEN = 'phc_sdktestprojecttoken000000000000000000001';
export const PERSONAL_API_KEY = 'phx_sdktestpersonalapikey0000000000000000001';

// `env`: extra environment for the server (its options, docs/configuration.md).
export async function startHoglet({ env = {}, dataDir: keptDir } = {}) {
  const binary = process.env.HOGLET_BINARY;
  if (!binary) throw new Error('set HOGLET_BINARY to the hoglet executable');
  if (keptDir) mkdirSync(keptDir, { recursive: true });
  const dataDir = keptDir || mkdtempSync(join(tmpdir(), 'hoglet-sdk-'));
  const child = spawn(binary, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0'], {
    env: {
      ...process.env,
      HOGLET_INIT_PROJECT_TOKEN: PROJECT_TOKEN,
      HOGLET_INIT_PERSONAL_API_KEY: PERSONAL_API_KEY,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hoglet did not start:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`hoglet exited with ${code}:\n${output}`)));
  });
  const host = `http://127.0.0.1:${port}`;
  return {
    host,
    pid: child.pid,
    dataDir,
    async events(query = '') {
      const response = await fetch(`${host}/api/projects/1/events/?${query}`, {
        headers: { Authorization: `Bearer ${PERSONAL_API_KEY}` },
      });
      if (response.status !== 200) throw new Error(`events list: ${response.status}`);
      return (await response.json()).results;
    },
    async api(method, path, body) {
      const response = await fetch(`${host}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${PERSONAL_API_KEY}`,
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async waitFor(predicate, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await predicate();
        if (value || Date.now() > deadline) return value;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async waitForEvents(query, count, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      let results = [];
      while (Date.now() < deadline) {
        results = await this.events(query);
        if (results.length >= count) return results;
        await new Promise((r) => setTimeout(r, 50));
      }
      return results;
    },
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      if (!keptDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
