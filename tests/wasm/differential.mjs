// Differential test, wasm half: replays target/differential/cases.jsonl (written natively by
// `cargo run --example differential`) through pkg/ in Node and requires byte-identical output,
// including inputs around the 256 KiB limit and bytes that are not UTF-8 (checkJson with a
// Uint8Array, as the CLI reads a file).
//
//   node tests/wasm/differential.mjs [cases.jsonl]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as q from '../../pkg/qiquan.js';
import { lineDiff } from './runcase.mjs';
import { loadSignedRules, withoutRevision } from './signed-rules.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const path = process.argv[2] ?? join(targetDir, 'differential/cases.jsonl');
q.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });
/** The page module carries no rules: the signed bundle scripts/build-wasm.sh wrote beside it,
 * every file. Its verdicts name the bundle's revision where the native side (the embedded rules)
 * prints null: `withoutRevision` turns back exactly that key before the bytes are compared. */
const { revision } = loadSignedRules(q, (name) => readFileSync(join(root, 'pkg/rules', name), 'utf8'));

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

let lines;
try {
  lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
} catch (e) {
  console.error(`differential: cannot read ${path} (run cargo run --example differential first): ${e.message}`);
  process.exit(1);
}

const mismatches = [];
const kinds = new Map();
let duplicates = 0;
const started = performance.now();
for (const line of lines) {
  const c = JSON.parse(line);
  let output;
  if (c.kind === 'deadline') {
    output = JSON.stringify(q.deadline(c.from, BigInt(c.days), c.unit), null, 2);
  } else if (c.kind === 'check_bytes') {
    // The bytes of a file, as the CLI reads them: size limit first, then UTF-8.
    const bytes =
      c.submission_hex !== undefined
        ? new Uint8Array(Buffer.from(c.submission_hex, 'hex'))
        : new TextEncoder().encode(c.submission_text);
    output = withoutRevision(q.checkJson(c.matter, bytes), revision);
  } else {
    output = withoutRevision(q.checkJson(c.matter, c.submission_text, c.options_text ?? undefined), revision);
  }
  const bytes = Buffer.byteLength(output, 'utf8');
  if (bytes !== c.bytes || sha256(output) !== c.sha256) mismatches.push({ c, output });
  const parsed = JSON.parse(output);
  const kind = parsed.outcome ?? (parsed.error ? `error:${parsed.error.code}` : 'deadline');
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  if (/duplicate (key|field)/.test(parsed.error?.message?.en ?? '')) duplicates++;
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

for (const { c, output } of mismatches.slice(0, 5)) {
  console.log(`MISMATCH case ${c.i} (${c.kind} ${c.matter ?? ''}):`);
  console.log(
    `  input: ${JSON.stringify(c.kind === 'deadline' ? { from: c.from, days: c.days, unit: c.unit } : { submission: c.submission_text, options: c.options_text })}`,
  );
  const native = spawnSync('cargo', ['run', '-q', '--example', 'differential', '--', '--print', String(c.i)], {
    cwd: root,
    encoding: 'utf8',
  });
  if (native.status === 0) console.log(lineDiff(native.stdout.replace(/\n$/, ''), output));
  else console.log(`  (native output unavailable: ${native.stderr.trim()})\n  wasm output:\n${output}`);
}
const summary = [...kinds]
  .sort()
  .map(([k, n]) => `${k} ${n}`)
  .join(', ');
console.log(
  `differential (Node, ${seconds}s): ${lines.length - mismatches.length} passed, ${mismatches.length} failed of ${lines.length} cases`,
);
console.log(`differential: ${summary}; ${duplicates} duplicate-key errors`);
if (lines.length === 0) console.log('FAIL: no differential cases ran');
process.exit(mismatches.length === 0 && lines.length > 0 ? 0 : 1);
