// Creates the flag set the /flags load evaluates, through the flags API, then checks one request:
// node make_flags.mjs HOST TOKEN PERSONAL_KEY [ANSWER_FILE]
// ANSWER_FILE, if given, receives that request's answer (for a static-file baseline of the same
// size).
// 50 flags: 30 boolean rollouts, 10 multivariate, 10 on person properties that bench/wrk/flags.lua
// sends in person_properties (email, plan, age, country). Like PostHog's API, hoglet takes the
// values of gt/lt/gte/lte filters as strings.
import { writeFileSync } from 'node:fs';

const [host, token, key, answerFile] = process.argv.slice(2);

const rollout = (pct) => [{ properties: [], rollout_percentage: pct }];
const person = (name, operator, value) => ({ key: name, type: 'person', operator, value });
const flags = [];
for (let i = 0; i < 30; i++) {
  flags.push({ key: `rollout-${i}`, filters: { groups: rollout((i * 7) % 101) } });
}
for (let i = 0; i < 10; i++) {
  flags.push({
    key: `experiment-${i}`,
    filters: {
      groups: rollout(50 + i * 5),
      multivariate: {
        variants: [
          { key: 'control', rollout_percentage: 34 },
          { key: 'test-a', rollout_percentage: 33 },
          { key: 'test-b', rollout_percentage: 33 },
        ],
      },
      payloads: { 'test-a': JSON.stringify({ experiment: i, copy: 'Try it now' }) },
    },
  });
}
const personConditions = [
  [person('email', 'icontains', '@hoglet.dev')],
  [person('plan', 'exact', ['pro', 'team'])],
  [person('age', 'gt', '40')],
  [person('country', 'exact', 'NZ')],
  [person('plan', 'exact', 'enterprise'), person('age', 'lt', '30')],
  [person('email', 'regex', '^user[0-9]*7@')],
  [person('country', 'is_set', 'is_set')],
  [person('email', 'not_icontains', 'example')],
  [person('country', 'is_not', 'US'), person('plan', 'is_not', 'free')],
  [person('age', 'lte', '25')],
];
personConditions.forEach((properties, i) => {
  flags.push({
    key: `targeted-${i}`,
    filters: { groups: [{ properties, rollout_percentage: i % 2 ? 100 : 60 }] },
  });
});

for (const flag of flags) {
  const response = await fetch(`${host}/api/projects/@current/feature_flags/`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...flag, name: flag.key }),
  });
  if (response.status !== 201) {
    throw new Error(`creating ${flag.key}: ${response.status} ${await response.text()}`);
  }
}

// One request like the load's, to show what each response carries.
const sample = await fetch(`${host}/flags/?v=2`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({
    token,
    distinct_id: 'user-7',
    person_properties: { email: 'user7@hoglet.dev', plan: 'pro', age: 25, country: 'NZ' },
  }),
});
if (sample.status !== 200) throw new Error(`/flags answered ${sample.status}`);
const text = await sample.text();
if (answerFile) writeFileSync(answerFile, text);
const evaluated = Object.values(JSON.parse(text).flags);
console.log(`RESULT flags_created=${flags.length} flags_evaluated=${evaluated.length} ` +
            `flags_enabled=${evaluated.filter((f) => f.enabled).length} ` +
            `response_bytes=${text.length}`);
