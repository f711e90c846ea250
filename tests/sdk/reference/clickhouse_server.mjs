// Starts a private ClickHouse server (Debian's clickhouse-server, 18.16) on 127.0.0.1 with free
// ports and a temporary directory (or `dir` when given, kept when it stops: a benchmark reuses what
// it loaded), and talks SQL to it over its HTTP interface. The reference
// engine of the differential tests: never the system service, always its own process, stopped
// by its PID.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SERVER_BINARY = process.env.CLICKHOUSE_SERVER || '/usr/sbin/clickhouse-server';

// A port nobody listens on now. The server binds it a moment later; a collision in between makes
// startup fail loudly rather than talk to someone else's process.
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function serverConfig(dir, ports) {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/server.log</log>
    <errorlog>${dir}/server.err.log</errorlog>
    <size>100M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
</yandex>
`;
}

const USERS_CONFIG = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
`;

export async function startClickHouse({ dir: keptDir } = {}) {
  if (keptDir) mkdirSync(keptDir, { recursive: true });
  const dir = keptDir || mkdtempSync(join(tmpdir(), 'hoglet-clickhouse-'));
  const ports = { http: await freePort(), tcp: await freePort(), interserver: await freePort() };
  const configFile = join(dir, 'config.xml');
  writeFileSync(configFile, serverConfig(dir, ports));
  writeFileSync(join(dir, 'users.xml'), USERS_CONFIG);
  const pidFile = join(dir, 'clickhouse.pid');
  const child = spawn(SERVER_BINARY, [`--config-file=${configFile}`, `--pidfile=${pidFile}`],
                      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  let exitCode = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exitCode = code ?? signal;
    resolve(exitCode);
  }));

  const host = `http://127.0.0.1:${ports.http}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exitCode !== null) throw new Error(`clickhouse-server exited with ${exitCode}:\n${output}`);
    try {
      const response = await fetch(`${host}/ping`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`clickhouse-server did not answer /ping:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  // Settings ride in the URL: 18.16 has no `INSERT … SETTINGS`.
  async function post(sql, body, settings = {}) {
    const params = new URLSearchParams({ query: sql, ...settings });
    const response = await fetch(`${host}/?${params}`, {
      method: 'POST',
      body,
      // The server drops idle keep-alive connections after 3 s; a fresh one per request never
      // meets a half-closed socket.
      headers: { Connection: 'close' },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`ClickHouse ${response.status}: ${text}\n${sql}`);
    return text;
  }

  return {
    host,
    pid: child.pid,
    dataDir: join(dir, 'data'),
    // Runs a statement that answers nothing (DDL).
    async execute(sql) {
      await post(sql, '');
    },
    // Inserts rows (objects) as JSONEachRow.
    async insert(table, rows) {
      const body = rows.map((row) => JSON.stringify(row)).join('\n');
      await post(`INSERT INTO ${table} FORMAT JSONEachRow`, body,
                 { input_format_skip_unknown_fields: '1' });
    },
    // The rows of a SELECT, each an array, numbers as numbers.
    async rows(sql) {
      const text = await post(`${sql} FORMAT JSONCompact`, '',
                              { output_format_json_quote_64bit_integers: '0' });
      return JSON.parse(text).data;
    },
    async stop() {
      const pid = Number(readFileSync(pidFile, 'utf8').trim() || child.pid);
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => process.kill(pid, 'SIGKILL'), 20000);
      const code = await exited;
      clearTimeout(timer);
      if (!keptDir) rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
