// Signed bundles in the page module (docs/bundles.md): openBundle + addBundleFiles load a
// bundle written by `qiquan bundle --sign`, a matter checks with only its own files loaded to
// the same bytes as the CLI (but for rules_revision), and tampering is refused by code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as q from '../../pkg/qiquan.js';
import { runCase, runCompact, sameBytes, lineDiff } from '../wasm/runcase.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
q.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });

const MATTER = 'public_place_hygiene_license';
const code = (value) => value?.error?.code;

function qiquan(args, input) {
  return execFileSync('cargo', ['run', '-q', '--bin', 'qiquan', '--', ...args], {
    cwd: root,
    input,
    maxBuffer: 64 << 20,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString('utf8');
}

/** A signed bundle of rules/ (revision r1) and a second key that did not sign it. */
function signedBundle() {
  const dir = mkdtempSync(join(tmpdir(), 'qiquan-bundle-'));
  qiquan(['keygen', '--out', join(dir, 'key')]);
  qiquan(['keygen', '--out', join(dir, 'other')]);
  qiquan(['bundle', '--sign', join(dir, 'key'), '--revision', 'r1', '--out', join(dir, 'out'), 'rules']);
  const key = JSON.parse(readFileSync(join(dir, 'key'), 'utf8')).public_key;
  const other = JSON.parse(readFileSync(join(dir, 'other'), 'utf8')).public_key;
  const envelope = readFileSync(join(dir, 'out/bundle.json'), 'utf8');
  const file = (sha) => readFileSync(join(dir, 'out/files', `${sha}.json`), 'utf8');
  return { dir, key, other, envelope, file };
}

const submission = JSON.stringify({
  applicant: { kind: 'natural_person' },
  received_at: '2026-03-02T09:30:00+08:00',
  fields: {
    unit_name: '好运宾馆',
    responsible_person_id: '11010519491231002X',
    phone: '13800138000',
    venue_type: 'hotel',
    floor_area: 300,
    central_ac: false,
  },
  materials: {
    application_form: { status: 'provided' },
    identity_proof: { status: 'provided' },
    site_plans: { status: 'missing' },
  },
});

test('a signed bundle: one matter loaded alone checks to the CLI bytes, named by its revision', () => {
  const b = signedBundle();
  try {
    assert.equal(code(q.addBundleFiles([])), 'bundle_not_open');
    const manifest = q.openBundle(b.envelope, JSON.stringify([b.key]));
    assert.equal(manifest.revision, 'r1', JSON.stringify(manifest).slice(0, 300));
    assert.equal(
      manifest.rules_digest,
      JSON.parse(readFileSync(join(root, 'pkg/rules/bundle.json'), 'utf8')).payload.match(
        /"rules_digest":"([^"]+)"/,
      )[1],
    );
    assert.ok(manifest.matters.some((m) => m.id === MATTER));
    const mine = manifest.files.filter((f) => f.matter === null || f.matter === MATTER);
    assert.ok(mine.length < manifest.files.length);
    const loaded = q.addBundleFiles(mine.map((f) => b.file(f.sha256)));
    assert.equal(loaded.rules_revision, 'r1', JSON.stringify(loaded));
    assert.equal(loaded.rules_digest, manifest.rules_digest);
    assert.equal(loaded.matters, 1);
    const cli = qiquan(['check', '--matter', MATTER, '--submission', '-'], submission).trimEnd();
    const wasm = q.checkJson(MATTER, submission);
    assert.equal(JSON.parse(wasm).rules_revision, 'r1');
    assert.equal(wasm.replace('"rules_revision": "r1"', '"rules_revision": null'), cli);
    const compact = JSON.parse(q.checkCompact(MATTER, submission));
    assert.equal(compact.rules_revision, 'r1');

    // A tampered file, a file of no bundle: refused, the rules stay.
    const other = manifest.files.find((f) => f.matter !== null && f.matter !== MATTER);
    const text = b.file(other.sha256);
    const tampered = text.replace('"text":"', '"text":"# x\\n');
    assert.equal(code(q.addBundleFiles([tampered])), 'bundle_file_mismatch');
    assert.equal(code(q.addBundleFiles(['{"path":"x","text":"","json":null}'])), 'bundle_file_mismatch');
    assert.equal(q.matters().length, 1);
    assert.equal(JSON.parse(q.checkJson(MATTER, submission)).rules_revision, 'r1');
    // Adding the rest gives every matter (and the digest is checked over all files).
    const all = q.addBundleFiles(manifest.files.map((f) => b.file(f.sha256)));
    assert.equal(all.matters, manifest.matters.length);

    // A tampered manifest, an unknown key, a malformed envelope.
    const envelope = JSON.parse(b.envelope);
    const altered = JSON.stringify({
      ...envelope,
      payload: envelope.payload.replace('"revision":"r1"', '"revision":"r9"'),
    });
    assert.equal(code(q.openBundle(altered, JSON.stringify([b.key]))), 'bundle_signature_invalid');
    assert.equal(code(q.openBundle(b.envelope, JSON.stringify([b.other]))), 'bundle_untrusted_key');
    assert.equal(code(q.openBundle('{}', JSON.stringify([b.key]))), 'bundle_malformed');
    assert.equal(code(q.openBundle(b.envelope, '["nothex"]')), 'invalid_submission');
    assert.equal(code(q.addBundleFiles('x')), 'invalid_submission');
    assert.equal(code(q.addBundleFiles([b.file(manifest.files[0].sha256), 1])), 'invalid_submission');
    // None of that changed the active rules.
    assert.equal(JSON.parse(q.checkJson(MATTER, submission)).rules_revision, 'r1');
    // The page module has no rules of its own to go back to, and no unsigned loading.
    assert.equal(q.resetRules, undefined);
    assert.equal(q.loadRules, undefined);
  } finally {
    rmSync(b.dir, { recursive: true, force: true });
  }
});

/** Case files in path order, as the native runner walks them. */
function cases(dir) {
  const out = [];
  for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, name.name);
    if (name.isDirectory()) out.push(...cases(path));
    else if (name.name.endsWith('.json') && !name.name.endsWith('.expected.json')) out.push(path);
  }
  return out;
}

// The path the pages take: pkg/rules/ (the bundle scripts/build-wasm.sh signs), opened against
// pkg/rules/keys.json, each case's matter's files added when a case first needs them (the calendar
// and the centre first): every case gives the CLI's bytes but for rules_revision.
test('conformance corpus through the signed bundle, one matter at a time', () => {
  const dir = join(root, 'pkg/rules');
  const keys = JSON.parse(readFileSync(join(dir, 'keys.json'), 'utf8')).keys.map((k) => k.public_key);
  const manifest = q.openBundle(readFileSync(join(dir, 'bundle.json'), 'utf8'), JSON.stringify(keys));
  assert.ok(!manifest.error, JSON.stringify(manifest.error));
  const file = (f) => readFileSync(join(dir, 'files', `${f.sha256}.json`), 'utf8');
  const loaded = new Set();
  const need = (matter) => {
    if (loaded.has(matter)) return;
    const files = manifest.files.filter((f) => (loaded.size === 0 && f.matter === null) || f.matter === matter);
    const answer = q.addBundleFiles(files.map(file));
    assert.equal(answer.rules_revision, manifest.revision, JSON.stringify(answer));
    loaded.add(matter);
  };
  need(null);
  const unnamed = (text) =>
    text
      .replaceAll(`"rules_revision": "${manifest.revision}"`, '"rules_revision": null')
      .replaceAll(`"rules_revision":"${manifest.revision}"`, '"rules_revision":null');
  const corpus = join(root, 'tests/conformance');
  let passed = 0;
  const failures = [];
  for (const path of cases(corpus)) {
    const text = readFileSync(path, 'utf8');
    const matter = JSON.parse(text).matter;
    if (manifest.matters.some((m) => m.id === matter)) need(matter);
    const output = runCase(q, text);
    const expected = readFileSync(path.replace(/\.json$/, '.expected.json'), 'utf8');
    const named = output.includes('"rules_revision"')
      ? output.includes(`"rules_revision": "${manifest.revision}"`)
      : true;
    let ok = named && sameBytes(expected, unnamed(output));
    const compact = runCompact(q, text);
    if (compact !== null) {
      const compactPath = path.replace(/\.json$/, '.compact.expected.json');
      ok = ok && existsSync(compactPath) && sameBytes(readFileSync(compactPath, 'utf8'), unnamed(compact));
    }
    if (ok) passed++;
    else failures.push(`${relative(corpus, path)}:\n${lineDiff(expected, unnamed(output))}`);
  }
  console.log(
    `# node signed conformance: ${passed} passed, ${failures.length} failed (${loaded.size - 1} matters loaded one by one)`,
  );
  assert.equal(failures.length, 0, failures.slice(0, 2).join('\n'));
  assert.ok(passed > 100, `only ${passed} cases`);
  assert.ok(loaded.size - 1 < manifest.matters.length || manifest.matters.length > 1);
});
