// The conformance corpus (tests/conformance/**/*.json) against pkg/ in Node: the same cases
// and the same expected bytes as `cargo test --test conformance`.
//
//   scripts/build-wasm.sh && node --test tests/node/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as q from '../../pkg/qiquan.js';
import { runCase, runCompact, sameBytes, lineDiff } from '../wasm/runcase.mjs';
import { loadSignedRules, withoutRevision } from '../wasm/signed-rules.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
q.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });
/** The page module carries no rules: the signed bundle scripts/build-wasm.sh wrote beside it,
 * every file (verdicts then name its revision; `withoutRevision` before comparing bytes). */
const { revision } = loadSignedRules(q, (name) => readFileSync(join(root, 'pkg/rules', name), 'utf8'));

/** Case files in path order, as the native runner walks them. */
function cases(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (isDir(path)) out.push(...cases(path));
    else if (name.endsWith('.json') && !name.endsWith('.expected.json')) out.push(path);
  }
  return out;
}
function isDir(path) {
  try {
    readdirSync(path);
    return true;
  } catch {
    return false;
  }
}

const corpus = join(root, 'tests/conformance');
const paths = existsSync(corpus) ? cases(corpus) : [];

test('conformance corpus (Node)', async (t) => {
  let passed = 0;
  let failed = 0;
  for (const path of paths) {
    const name = relative(corpus, path);
    const expectedPath = path.replace(/\.json$/, '.expected.json');
    await t.test(name, () => {
      try {
        const output = withoutRevision(runCase(q, readFileSync(path, 'utf8')), revision);
        assert.ok(existsSync(expectedPath), `no ${relative(root, expectedPath)}`);
        const expected = readFileSync(expectedPath, 'utf8');
        if (!sameBytes(expected, output)) {
          assert.fail(`${name}: output differs from ${relative(root, expectedPath)}:\n${lineDiff(expected, output)}`);
        }
        const compactNamed = runCompact(q, readFileSync(path, 'utf8'));
        const compact = compactNamed === null ? null : withoutRevision(compactNamed, revision);
        if (compact !== null) {
          const compactPath = path.replace(/\.json$/, '.compact.expected.json');
          assert.ok(existsSync(compactPath), `no ${relative(root, compactPath)}`);
          if (!sameBytes(readFileSync(compactPath, 'utf8'), compact)) {
            assert.fail(`${name}: compact output differs from ${relative(root, compactPath)}:\n${compact}`);
          }
        }
        passed++;
      } catch (e) {
        failed++;
        throw e;
      }
    });
  }
  console.log(`node conformance: ${passed} passed, ${failed} failed (${paths.length} cases)`);
  assert.ok(paths.length > 0, 'no conformance cases found');
});

test('check() returns JSON.parse(checkJson()) for object cases', () => {
  let compared = 0;
  for (const path of paths) {
    const c = JSON.parse(readFileSync(path, 'utf8'));
    if ((c.kind ?? 'check') !== 'check' || typeof c.submission !== 'object' || c.submission === null) continue;
    const json = q.checkJson(
      c.matter ?? '',
      JSON.stringify(c.submission),
      c.options === undefined ? undefined : JSON.stringify(c.options),
    );
    const parsed = JSON.parse(json);
    if (parsed.error) continue;
    assert.deepStrictEqual(q.check(c.matter ?? '', c.submission, c.options), parsed, relative(corpus, path));
    compared++;
  }
  console.log(`node check() vs checkJson(): ${compared} verdicts equal`);
  assert.ok(compared > 0, 'no verdict cases to compare');
});
