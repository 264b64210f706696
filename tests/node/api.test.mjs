// The JS API of pkg/ beyond the corpus: never throws, errors as values, rules loading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as q from '../../pkg/qiquan.js';
import * as studio from '../../pkg/studio/qiquan.js';
import { loadSignedRules, withoutRevision } from '../wasm/signed-rules.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
q.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });
/** The page module carries no rules: the signed bundle scripts/build-wasm.sh wrote beside it. */
const readRules = (name) => readFileSync(join(root, 'pkg/rules', name), 'utf8');
const loadPkgRules = () => loadSignedRules(q, readRules);
const { revision } = loadPkgRules();
/** The unsigned bundle the studio module loads (`qiquan bundle rules`). */
const pkgRules = readFileSync(join(root, 'pkg/rules.json'), 'utf8');
studio.initSync({ module: readFileSync(join(root, 'pkg/studio/qiquan_bg.wasm')) });

/** `qiquan bundle rules`: every file with its TOML text and its JSON form. */
function nativeBundle() {
  const out = execFileSync('cargo', ['run', '-q', '--bin', 'qiquan', '--', 'bundle', 'rules'], {
    cwd: root,
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out.toString('utf8'));
}

/** rules/ as `qiquan bundle rules` would print it: matters/**.toml and calendar/*.toml. */
function ruleFiles() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.toml'))
        out.push({ path: relative(join(root, 'rules'), path), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join(root, 'rules/matters'));
  walk(join(root, 'rules/calendar'));
  // The centre profile (optional) sits at the top of the rules directory.
  const centre = join(root, 'rules/centre.toml');
  if (existsSync(centre)) out.push({ path: 'centre.toml', text: readFileSync(centre, 'utf8') });
  return out;
}

const errorCode = (v) => (typeof v === 'string' ? JSON.parse(v).error?.code : v?.error?.code);

test('no export throws, whatever it is given', () => {
  const junk = [
    undefined,
    null,
    0,
    -1,
    1.5,
    NaN,
    Infinity,
    2n ** 80n,
    '',
    'x',
    '{',
    '[]',
    {},
    [],
    [1],
    { applicant: 7 },
    () => 1,
    Symbol('s'),
    new Uint8Array(3),
  ];
  const cyclic = {};
  cyclic.self = cyclic;
  junk.push(cyclic);
  const exports = [
    'checkJson',
    'checkCompact',
    'check',
    'matters',
    'matter',
    'deadline',
    'rulesDigest',
    'engineVersion',
    'verdictDigest',
    'openBundle',
    'addBundleFiles',
  ];
  let calls = 0;
  for (const [m, names] of [
    [q, exports],
    [studio, [...exports, 'loadRules', 'resetRules', 'lint', 'explainJson']],
  ]) {
    for (const name of names) {
      for (const a of junk) {
        for (const b of [undefined, 'x', {}, 3]) {
          assert.doesNotThrow(() => m[name](a, b, a), `${name}(${String(a)}, ${String(b)})`);
          calls++;
        }
      }
    }
  }
  studio.resetRules();
  loadPkgRules();
  assert.ok(calls > 1000);
  // The page module has no TOML reader, so no lint.
  assert.equal(q.lint, undefined);
});

test('checkJson: the error JSON of the CLI for bad input', () => {
  assert.equal(errorCode(q.checkJson('nope', '{"applicant":{"kind":"natural_person"}}')), 'unknown_matter');
  assert.equal(errorCode(q.checkJson('x', '{')), 'invalid_json');
  assert.equal(errorCode(q.checkJson('x', 'x'.repeat(300 * 1024))), 'input_too_large');
  assert.equal(errorCode(q.checkJson(5, '{}')), 'invalid_submission');
  const dup = '{"applicant":{"kind":"natural_person"},"fields":{"a":"1","a":"2"}}';
  const matter = q.matters()[0].id;
  const out = JSON.parse(q.checkJson(matter, dup));
  assert.equal(out.error.code, 'invalid_submission');
  assert.match(out.error.message.en, /duplicate key `a`/);
});

test('check: an object equal to JSON.parse(checkJson), errors as {error}', () => {
  const matter = q.matters()[0].id;
  const sub = { applicant: { kind: 'natural_person' }, received_at: '2026-12-31T23:59:59+08:00', channel: 'online' };
  const v = q.check(matter, sub, { channel: 'kiosk' });
  assert.deepStrictEqual(v, JSON.parse(q.checkJson(matter, JSON.stringify(sub), '{"channel":"kiosk"}')));
  assert.equal(v.channel, 'kiosk');
  assert.equal(errorCode(q.check(matter, { applicant: { kind: 'natural_person' }, x: 1n })), 'invalid_submission');
  assert.equal(errorCode(q.check(matter, undefined)), 'invalid_submission');
});

test('deadline: integers only, exact up to i64', () => {
  const byNumber = q.deadline('2026-09-30', 1, 'working');
  assert.match(byNumber.due, /^2026-10-\d\d$/);
  assert.deepStrictEqual(q.deadline('2026-09-30', 1n, 'working'), byNumber);
  assert.equal(errorCode(q.deadline('2026-09-30', 1.5, 'working')), 'days_out_of_range');
  assert.equal(errorCode(q.deadline('2026-09-30', NaN, 'working')), 'days_out_of_range');
  assert.equal(errorCode(q.deadline('2026-09-30', 2 ** 64, 'working')), 'days_out_of_range');
  assert.match(q.deadline('2026-09-30', -(2n ** 63n), 'working').error.message.en, /-9223372036854775808/);
  assert.match(q.deadline('2026-09-30', 2n ** 63n, 'working').error.message.en, /9223372036854775808/);
  assert.equal(errorCode(q.deadline('2026-09-30', '3', 'working')), 'invalid_submission');
  assert.equal(errorCode(q.deadline('2026-9-30', 3, 'working')), 'invalid_date');
  assert.equal(errorCode(q.deadline('2026-09-30', 3, 'weeks')), 'invalid_unit');
});

test('matters, matter, digests, version', () => {
  const ms = q.matters();
  assert.ok(ms.length > 0);
  const m = q.matter(ms[0].id);
  assert.equal(m.matter, ms[0].id);
  assert.equal(errorCode(q.matter('nope')), 'unknown_matter');
  assert.equal(errorCode(q.matter(ms[0].id, '26-01-01')), 'invalid_date');
  assert.match(q.rulesDigest(), /^sha256:[0-9a-f]{64}$/);
  assert.match(q.engineVersion(), /^\d+\.\d+\.\d+/);
  const text = q.checkJson(
    ms[0].id,
    '{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:30:00+08:00"}',
  );
  assert.equal(q.verdictDigest(text), 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex'));
});

test('lint (studio module): diagnostics with file, line, column, code, message', () => {
  const q = studio;
  const files = ruleFiles();
  assert.deepStrictEqual(q.lint(files), []);
  const broken = files.map((f, i) =>
    i === 0 ? { path: f.path, text: f.text.replace(/^version = /m, 'versoin = ') } : f,
  );
  const ds = q.lint(broken);
  assert.ok(ds.length > 0);
  for (const d of ds) {
    assert.deepStrictEqual(Object.keys(d), ['file', 'line', 'column', 'code', 'severity', 'message']);
    assert.equal(d.severity, 'error');
  }
  assert.equal(ds[0].file, files[0].path);
  assert.equal(errorCode(q.lint('nope')), 'invalid_submission');
});

test('explainJson (studio module): the ordered trace qiquan explain --json prints; not in the page module', () => {
  const submission = JSON.parse(
    readFileSync(join(root, 'tests/conformance/food_business_license/rules_list_missing_with_pledge.json'), 'utf8'),
  ).submission;
  const trace = JSON.parse(studio.explainJson('food_business_license', JSON.stringify(submission)));
  assert.equal(trace.outcome, 'accept_with_pledge');
  assert.equal(trace.steps[0].step, 'version');
  const kinds = trace.steps.map((s) => s.step);
  assert.ok(kinds.indexOf('decision') < kinds.indexOf('deadlines'));
  assert.ok(kinds.includes('day'));
  assert.equal(errorCode(studio.explainJson('nope', '{}')), 'invalid_submission');
  assert.equal(q.explainJson, undefined);
});

test('loadRules (studio module): replaces the rules, refuses a bad bundle and keeps the old one', async () => {
  // The page module loads only signed bundles (pkg/rules/): no loadRules, no resetRules.
  assert.equal(q.loadRules, undefined);
  assert.equal(q.resetRules, undefined);
  // Its rules are the studio module's embedded rules.
  const embedded = q.rulesDigest();
  assert.equal(studio.rulesDigest(), embedded);
  const { files } = nativeBundle();
  assert.deepStrictEqual(JSON.parse(pkgRules), { files });
  const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  assert.deepStrictEqual(files.map(({ path, text }) => ({ path, text })).sort(byPath), ruleFiles().sort(byPath));
  for (const f of files) assert.equal(typeof f.json, 'string', f.path);
  // The same sources give the same digest as the embedded bundle (build.rs embeds rules/).
  const same = studio.loadRules(JSON.stringify({ files }));
  assert.equal(same.rules_digest, embedded);
  assert.equal(same.rules_revision, null);
  // The studio module reads the TOML text of files given without their JSON form; its verdicts
  // are the page module's bytes (but for the signed bundle's revision).
  const textOnly = JSON.stringify({ files: ruleFiles() });
  assert.equal(studio.loadRules(textOnly).rules_digest, embedded);
  const id = q.matters()[0].id;
  const sub = '{"applicant":{"kind":"natural_person"}}';
  assert.equal(studio.checkJson(id, sub), withoutRevision(q.checkJson(id, sub), revision));
  const firstMatter =
    files
      .find((f) => f.path.startsWith('matters/'))
      .path.split('/')
      .slice(0, 2)
      .join('/') + '/';
  const fewer = files.filter((f) => !f.path.startsWith(firstMatter));
  const loaded = studio.loadRules(JSON.stringify({ files: fewer }));
  assert.notEqual(loaded.rules_digest, embedded);
  assert.equal(studio.rulesDigest(), loaded.rules_digest);
  assert.equal(studio.matters().length, loaded.matters);
  for (const bad of [
    'nope',
    '{"files": 3}',
    '{"files": [], "x": 1}',
    JSON.stringify({ files: [{ path: 'matters/a/b.toml', text: 'x = ' }] }),
  ]) {
    assert.equal(errorCode(studio.loadRules(bad)), 'rules_invalid', bad);
    assert.equal(studio.rulesDigest(), loaded.rules_digest);
  }
  assert.equal(studio.resetRules().rules_digest, embedded);
  assert.equal(studio.rulesDigest(), embedded);
  // A page module with no bundle loaded yet (a second instance): rules_not_loaded everywhere.
  const fresh = await import('../../pkg/qiquan.js?fresh');
  fresh.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });
  assert.equal(errorCode(fresh.checkJson(files[0].path, '{}')), 'rules_not_loaded');
  assert.equal(errorCode(fresh.matters()), 'rules_not_loaded');
  assert.equal(errorCode(fresh.rulesDigest()), 'rules_not_loaded');
  assert.match(JSON.parse(fresh.rulesDigest()).error.message.en, /openBundle and addBundleFiles/);
  assert.equal(q.rulesDigest(), embedded);
});

test('labels: every engine concept the pages show, keyed by the exported enums', () => {
  const l = q.labels();
  assert.deepStrictEqual(Object.keys(l.applicant_kinds), [
    'natural_person',
    'enterprise_legal_person',
    'institution_legal_person',
    'social_organization_legal_person',
    'administrative_organ',
    'other_organization',
  ]);
  assert.deepStrictEqual(Object.keys(l.channels), ['window', 'online', 'mobile_online', 'mail', 'kiosk']);
  assert.deepStrictEqual(Object.keys(l.document_kinds), ['acceptance', 'pledge_acceptance', 'correction', 'refusal']);
  assert.equal(l.document_kinds.refusal.zh, '不予受理通知书');
  assert.equal(l.material_statuses.flawed.zh, '有瑕疵');
  assert.ok(l.pledge_blocks.bad_credit.zh.includes('失信'));
  for (const t of [l.document.particulars, l.submitted_forms.original_and_copy, l.media.paper]) {
    assert.ok(t.zh && t.en);
  }
});

test('materialRequirements: what each material must be handed in as, in the findings’ words', () => {
  const def = q.matter('public_place_hygiene_license');
  const reqs = q.materialRequirements('public_place_hygiene_license');
  assert.deepStrictEqual(Object.keys(reqs).sort(), def.materials.map((m) => m.id).sort());
  for (const t of Object.values(reqs)) assert.match(t.zh, /原件|复印件/);
  assert.equal(errorCode(q.materialRequirements('no_such_matter')), 'unknown_matter');
});
