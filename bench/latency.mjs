// Capture-to-queryable latency: send one event, poll the events list until it is there.
// node latency.mjs HOST TOKEN PERSONAL_KEY COUNT
const [host, token, key, countText] = process.argv.slice(2);
const count = Number(countText || 200);
const samples = [];
for (let i = 0; i < count; i++) {
  const distinctId = `latency-${Date.now()}-${i}`;
  const start = performance.now();
  const sent = await fetch(`${host}/capture/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ api_key: token, event: 'latency probe', distinct_id: distinctId }),
  });
  if (sent.status !== 200) throw new Error(`capture answered ${sent.status}`);
  for (;;) {
    const response = await fetch(`${host}/api/projects/1/events/?distinct_id=${distinctId}`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    const { results } = await response.json();
    if (results.length > 0) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  samples.push(performance.now() - start);
}
samples.sort((a, b) => a - b);
const pct = (p) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))];
console.log(`RESULT capture_to_queryable_ms p50=${pct(50).toFixed(1)} p99=${pct(99).toFixed(1)} ` +
            `max=${samples[samples.length - 1].toFixed(1)} n=${samples.length}`);
