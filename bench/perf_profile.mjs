// Where a server's CPU goes while a query runs: `perf record` on its process around a few runs of
// the query, then the symbols that took the most samples (self time). Used by
// bench/clickhouse_compare.mjs --perf; needs Debian's linux-perf.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Records `runs` runs of `run` on process `pid` into dir/<name>.data; answers the top symbols
// as lines "percent symbol", or the reason there are none.
export async function profile(pid, dir, name, run, { runs = 3, top = 12 } = {}) {
  const file = join(dir, `${name.replace(/[^A-Za-z0-9]+/g, '_')}.data`);
  mkdirSync(dir, { recursive: true });
  const perf = spawn('perf', ['record', '-F', '999', '-p', String(pid), '-o', file],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  perf.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => perf.on('exit', resolve));
  await new Promise((resolve) => setTimeout(resolve, 500));  // perf attaches to every thread
  try {
    for (let i = 0; i < runs; i++) await run();
  } finally {
    if (perf.exitCode === null && perf.signalCode === null) process.kill(perf.pid, 'SIGINT');
    await exited;
  }
  try {
    const report = execFileSync('perf', ['report', '-i', file, '--no-children', '--stdio',
                                         '--sort', 'symbol', '--percent-limit', '1'],
                                { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
                                  maxBuffer: 64 << 20 });
    return report.split('\n').filter((line) => /^\s+\d/.test(line)).slice(0, top)
      // "  12.34%  [.] symbol   -   -": the percent and the symbol, without the empty columns.
      .map((line) => line.trim().replace(/\s+\[[.k]\]\s+/, '  ').replace(/(\s+-)+$/, '')
        .slice(0, 160));
  } catch (error) {
    return [`perf report failed: ${String(error.message).slice(0, 200)} ${stderr.slice(0, 200)}`];
  }
}
