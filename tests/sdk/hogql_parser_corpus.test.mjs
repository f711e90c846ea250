// Differential test of Hoglet's HogQL parser against PostHog's own (@posthog/hogql-parser, its
// ANTLR parser compiled to WebAssembly), over tests/data/hogql/corpus.sql.
//
// For every entry both parsers must make the same decision (accept or refuse), except the
// entries marked `hoglet-refuses`, which PostHog accepts and Hoglet refuses on purpose. For an
// accepted entry Hoglet's printed form must mean the same to PostHog: PostHog's tree of the
// printed text equals PostHog's tree of the original (positions left out, null and false fields
// dropped). And parsing Hoglet's printed text must give Hoglet's tree back.
//
// HOGQL_PARSE_TOOL names the tests/tools/hogql_parse_tool binary (CMake sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import createHogQLParser from '@posthog/hogql-parser';

const corpusPath = fileURLToPath(new URL('../data/hogql/corpus.sql', import.meta.url));
const tool = process.env.HOGQL_PARSE_TOOL;

function readCorpus(text) {
  const entries = [];
  let current = null;
  for (const line of text.split('\n')) {
    const header = line.match(/^-- @(select|expr)(?: (error|hoglet-refuses:.*))?\s*$/);
    if (header) {
      if (current) entries.push(current);
      const kind = header[2] ?? 'ok';
      current = {
        mode: header[1],
        expect: kind.startsWith('hoglet-refuses') ? 'hoglet-refuses' : kind,
        why: kind.startsWith('hoglet-refuses') ? kind.slice('hoglet-refuses:'.length).trim() : '',
        lines: [],
      };
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) entries.push(current);
  for (const e of entries) {
    // Blank and "-- " comment lines after an entry belong to the corpus, not to the query.
    while (e.lines.length && /^(\s*|-- .*)$/.test(e.lines.at(-1))) e.lines.pop();
    e.text = e.lines.join('\n');
  }
  return entries;
}

function runHoglet(entries) {
  let input = '';
  for (const e of entries) input += `${e.mode} ${Buffer.byteLength(e.text)}\n${e.text}\n`;
  const run = spawnSync(tool, { input, maxBuffer: 64 << 20 });
  assert.equal(run.status, 0, `hogql_parse_tool failed: ${run.stderr}`);
  const lines = run.stdout.toString().trimEnd().split('\n');
  assert.equal(lines.length, entries.length);
  return lines.map((line) => JSON.parse(line));
}

// PostHog's tree without what does not change the meaning: null and false fields (a desugared
// call carries none, a written one carries `distinct: false`, …).
function normalize(value) {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] === null || value[key] === false) continue;
      out[key] = normalize(value[key]);
    }
    return out;
  }
  return value;
}

const posthog = await createHogQLParser();
const parsePostHog = (mode, text) =>
  JSON.parse(mode === 'expr' ? posthog.parseExpr(text, true) : posthog.parseSelect(text, true));

const entries = readCorpus(readFileSync(corpusPath, 'utf8'));
const hoglet = tool ? runHoglet(entries) : [];
const label = (e) => `${e.mode} ${e.expect}: ${e.text.replace(/\s+/g, ' ').slice(0, 80)}`;

test('the corpus is large enough', () => {
  assert.ok(tool, 'HOGQL_PARSE_TOOL is not set');
  assert.ok(entries.length >= 150, `${entries.length} entries`);
  assert.ok(entries.filter((e) => e.expect !== 'ok').length >= 40);
});

entries.forEach((entry, i) => {
  test(label(entry), () => {
    const ours = hoglet[i];
    const theirs = parsePostHog(entry.mode, entry.text);
    const theyAccept = !theirs.error;
    if (entry.expect === 'error') {
      assert.equal(theyAccept, false, 'PostHog accepts it: the corpus entry is wrong');
      assert.equal(ours.ok, false, `Hoglet accepts it as: ${ours.printed}`);
      assert.match(ours.error, /^line \d+, column \d+: /);
      return;
    }
    assert.equal(theyAccept, true, `PostHog refuses it: ${theirs.message}`);
    if (entry.expect === 'hoglet-refuses') {
      assert.equal(ours.ok, false, `Hoglet accepts it as: ${ours.printed}`);
      return;
    }
    assert.equal(ours.ok, true, `Hoglet refuses it: ${ours.error}`);
    assert.equal(ours.reprinted_same, true,
                 `Hoglet's printed form parses differently:\n${ours.debug}\n${ours.debug_again}`);
    const again = parsePostHog(entry.mode, ours.printed);
    assert.ok(!again.error, `PostHog refuses Hoglet's printed form ${ours.printed}: ${again.message}`);
    assert.deepEqual(normalize(again), normalize(theirs), `printed as: ${ours.printed}`);
  });
});
