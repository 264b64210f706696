// The conformance corpus (full and compact) and a slice of the differential cases through pkg/
// and the signed bundle, in a JavaScript engine shell: JavaScriptCore (`jsc -m`) or
// SpiderMonkey (`js102 -m`). Driven by tests/engines/run-shells.sh, which writes the case list and
// the differential slice and passes:
//
//   jsc -m tests/engines/shell.mjs -- ROOT CASE_LIST DIFF_SLICE LABEL
//
// The shells have `read(path, 'binary')` and `print`, and no TextEncoder/TextDecoder (shimmed
// by textcodec.mjs, imported before the glue), no fetch, no file system listing, no crypto.
// Prints each failure, then one line per part and a last line `N passed, M failed`.
import { Utf8Decoder, Utf8Encoder } from './textcodec.mjs';
import * as q from '../../pkg/qiquan.js';
import { runCase, runCompact, sameBytes, lineDiff } from '../wasm/runcase.mjs';
import { loadSignedRules, withoutRevision } from '../wasm/signed-rules.mjs';

const args = globalThis.scriptArgs ?? globalThis.arguments;
const [root, listPath, diffPath, label] = args;
const decoder = new Utf8Decoder('utf-8', { fatal: true });
const encoder = new Utf8Encoder();
const readBytes = (path) => read(path, 'binary');
const readText = (path) => decoder.decode(readBytes(path));
const readIfAny = (path) => {
  try {
    return readText(path);
  } catch {
    return null;
  }
};

q.initSync({ module: readBytes(`${root}/pkg/qiquan_bg.wasm`) });
const { revision } = loadSignedRules(q, (name) => readText(`${root}/pkg/rules/${name}`));

const failures = [];

// The conformance corpus: every case, full and compact, against the expected files.
const corpus = `${root}/tests/conformance/`;
const names = readText(listPath).split('\n').filter(Boolean);
let compactCount = 0;
let corpusPassed = 0;
for (const name of names) {
  const caseText = readText(corpus + name);
  const expected = readIfAny(corpus + name.replace(/\.json$/, '.expected.json'));
  let output;
  let compact;
  try {
    output = withoutRevision(runCase(q, caseText), revision);
    compact = runCompact(q, caseText);
    if (compact !== null) compact = withoutRevision(compact, revision);
  } catch (e) {
    failures.push(`${name}: exception ${e}`);
    continue;
  }
  if (expected === null || !sameBytes(expected, output)) {
    failures.push(expected === null ? `${name}: no expected file` : `${name}: differs:\n${lineDiff(expected, output)}`);
    continue;
  }
  if (compact !== null) {
    compactCount++;
    const compactExpected = readIfAny(corpus + name.replace(/\.json$/, '.compact.expected.json'));
    if (compactExpected === null || !sameBytes(compactExpected, compact)) {
      failures.push(`${name}: compact differs:\n${compactExpected}\n${compact}`);
      continue;
    }
  }
  corpusPassed++;
}

// The differential slice: native output's length and SHA-256 (the module's verdictDigest: the
// sha2 crate, not the code under test) per input, as tests/wasm/differential.mjs compares them.
const hexBytes = (hex) => {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
};
const lines = readText(diffPath).split('\n').filter(Boolean);
let diffPassed = 0;
for (const line of lines) {
  const c = JSON.parse(line);
  let output;
  try {
    if (c.kind === 'deadline') {
      output = JSON.stringify(q.deadline(c.from, BigInt(c.days), c.unit), null, 2);
    } else if (c.kind === 'check_bytes') {
      const bytes = c.submission_hex !== undefined ? hexBytes(c.submission_hex) : encoder.encode(c.submission_text);
      output = withoutRevision(q.checkJson(c.matter, bytes), revision);
    } else {
      output = withoutRevision(q.checkJson(c.matter, c.submission_text, c.options_text ?? undefined), revision);
    }
  } catch (e) {
    failures.push(`differential case ${c.i}: exception ${e}`);
    continue;
  }
  if (encoder.encode(output).length !== c.bytes || q.verdictDigest(output) !== `sha256:${c.sha256}`) {
    failures.push(`differential case ${c.i} (${c.kind} ${c.matter ?? ''}): ${output.slice(0, 300)}`);
    continue;
  }
  diffPassed++;
}

if (names.length === 0) failures.push('no conformance cases ran');
if (lines.length === 0) failures.push('no differential cases ran');
for (const f of failures.slice(0, 20)) print(`FAIL ${f}`);
if (failures.length > 20) print(`… and ${failures.length - 20} more failures`);
print(
  `${label}: conformance ${corpusPassed} passed, ${names.length - corpusPassed} failed (${compactCount} with the compact check too); differential slice ${diffPassed} passed, ${lines.length - diffPassed} failed`,
);
print(`${corpusPassed + diffPassed} passed, ${failures.length} failed`);
