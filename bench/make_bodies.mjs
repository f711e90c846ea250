// Writes the request bodies the capture load uses: node make_bodies.mjs OUT_DIR TOKEN
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const [outDir, token] = process.argv.slice(2);

function event(i) {
  return {
    event: i % 5 === 0 ? '$pageview' : 'button clicked',
    distinct_id: `user-${i % 1000}`,
    properties: {
      $lib: 'posthog-node',
      $lib_version: '5.70.0',
      $current_url: `https://example.com/page/${i % 50}`,
      $browser: i % 2 ? 'Chrome' : 'Firefox',
      plan: 'pro',
      seats: i % 20,
      $session_id: `0190b5c5-0000-7000-8000-${String(i % 100).padStart(12, '0')}`,
    },
    timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  };
}

const single = JSON.stringify({ api_key: token, ...event(1) });
const batch = JSON.stringify({
  api_key: token,
  batch: Array.from({ length: 50 }, (_, i) => event(i)),
  sent_at: new Date().toISOString(),
});
writeFileSync(`${outDir}/single.json`, single);
writeFileSync(`${outDir}/batch50.json`, batch);
writeFileSync(`${outDir}/batch50.json.gz`, gzipSync(batch));
