// Capture and ingestion while queries run: for `seconds` with the server otherwise idle, then for
// `seconds` while a loop runs queries back to back (each of `queries` in turn, as many loops at
// once as the machine has cores), `senders` clients post single events to /capture/ one after
// another, and one probe at a time measures an event's way from its capture to the events list
// (asking for its distinct id among the events of the minute before its capture, so the list
// reads the newest parts only, not every event the server holds).
// Reports each phase's capture latency (p50, p99, max, requests/s) and capture-to-queryable
// latency (p50, p99, max). Prints numbers; never fails on them.
//
//   const { captureUnderQueries, formatCaptureUnderQueries } =
//     await import('bench/capture_under_queries.mjs');
//   const report = await captureUnderQueries(hoglet, token, [() => runQuery(...)], { seconds: 20 });
//   console.log(formatCaptureUnderQueries(report));
import { availableParallelism } from 'node:os';

function percentile(sorted, level) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))];
}

function summary(samples, seconds) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

async function capture(host, token, event, distinctId) {
  const response = await fetch(`${host}/capture/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api_key: token, event, distinct_id: distinctId,
                           properties: { $current_url: 'https://example.com/probe', probe: true } }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`/capture/ answered ${response.status}`);
}

// One phase: the senders' capture latencies and the probes' capture-to-queryable latencies.
async function phase(hoglet, token, seconds, senders, label) {
  const end = performance.now() + seconds * 1000;
  const captures = [];
  const queryable = [];
  let next = 0;
  const sender = async () => {
    while (performance.now() < end) {
      const start = performance.now();
      await capture(hoglet.host, token, 'capture probe', `probe-${label}-${next++}`);
      captures.push(performance.now() - start);
    }
  };
  const prober = async () => {
    while (performance.now() < end) {
      const distinctId = `queryable-${label}-${next++}`;
      const after = encodeURIComponent(new Date(Date.now() - 60000).toISOString());
      const start = performance.now();
      await capture(hoglet.host, token, 'queryable probe', distinctId);
      while ((await hoglet.events(`distinct_id=${distinctId}&after=${after}`)).length === 0) {
        await new Promise((r) => setTimeout(r, 2));
      }
      queryable.push(performance.now() - start);
    }
  };
  await Promise.all([...Array.from({ length: senders }, sender), prober()]);
  return { capture: summary(captures, seconds), queryable: summary(queryable, seconds) };
}

// `queries`: functions each running one query to its answer.
export async function captureUnderQueries(hoglet, token, queries, { seconds = 20, senders = 4 } = {}) {
  const idle = await phase(hoglet, token, seconds, senders, 'idle');
  let running = true;
  let ran = 0;
  const loop = async (offset) => {
    for (let i = offset; running; i++) {
      await queries[i % queries.length]();
      ran++;
    }
  };
  const loops = queries.length ? Array.from({ length: availableParallelism() }, (_, i) => loop(i))
                               : [];
  const loaded = await phase(hoglet, token, seconds, senders, 'loaded');
  running = false;
  await Promise.all(loops);
  return { seconds, senders, idle, loaded, queriesRun: ran, loops: loops.length };
}

export function formatCaptureUnderQueries(report) {
  const ms = (v) => v.toFixed(1);
  const line = (name, s) => `  ${name.padEnd(34)} p50 ${ms(s.p50).padStart(7)} ms  ` +
    `p99 ${ms(s.p99).padStart(7)} ms  max ${ms(s.max).padStart(7)} ms  ` +
    `${s.perSecond.toFixed(0).padStart(6)}/s`;
  return [
    `capture while queries run (${report.senders} senders of single events to /capture/, one ` +
      `capture-to-queryable probe; ${report.seconds} s idle, then ${report.seconds} s with ` +
      `${report.loops} query loops: ${report.queriesRun} queries answered):`,
    line('capture, idle', report.idle.capture),
    line('capture, queries running', report.loaded.capture),
    line('capture to queryable, idle', report.idle.queryable),
    line('capture to queryable, queries running', report.loaded.queryable),
  ].join('\n');
}
