// Side-by-side benchmarks: the native criterion results (read from CRITERION_HOME), the same
// checks through pkg/ in Node, ajv on an equivalent JSON Schema, and Chromium (cold start and
// the per-keystroke re-check). Prints one table; `--markdown FILE` also writes it as Markdown.
//
//   node bench/side_by_side.mjs [--markdown bench/out/table.md] [--quick]
//
// Run by scripts/bench.sh after `cargo bench`, which writes bench/out/fixtures.json (the
// generated matters and submissions, so every runtime checks the same inputs).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';

import Ajv from 'ajv';

import * as q from '../pkg/qiquan.js';
import * as studio from '../pkg/studio/qiquan.js';
import { loadSignedRules, memoryReader } from '../tests/wasm/signed-rules.mjs';
import { serve } from './serve.mjs';
import { validateTypical } from './hand_validator.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const markdownOut = args.includes('--markdown') ? args[args.indexOf('--markdown') + 1] : null;
// `--rows FILE`: also write the rows as JSON, for scripts/bench.sh to merge with the RATIO lines
// of the other benchmarks into one table (bench/table.mjs).
const rowsOut = args.includes('--rows') ? args[args.indexOf('--rows') + 1] : null;
const criterionHome = process.env.CRITERION_HOME ?? join(root, 'bench/out/criterion');
const fixtures = JSON.parse(readFileSync(join(root, 'bench/out/fixtures.json'), 'utf8'));
const { typical, large } = fixtures;

q.initSync({ module: readFileSync(join(root, 'pkg/qiquan_bg.wasm')) });
// The page module carries no rules: the signed bundle scripts/build-wasm.sh wrote beside it
// (pkg/rules/), loaded as the pages load it.
const loadPkgRules = () => loadSignedRules(q, (name) => readFileSync(join(root, 'pkg/rules', name), 'utf8'));
loadPkgRules();
// `loadRules` (unsigned rules, compiled and linted whole) is in the studio module only.
studio.initSync({ module: readFileSync(join(root, 'pkg/studio/qiquan_bg.wasm')) });

/* ---------- statistics ---------- */

/** Per-call times in nanoseconds → { median, p99, n }. */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
  const n = sorted.length;
  const median = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, p99: at(0.99), n };
}

/** Criterion's samples: each is `iters` calls taking `times` ns in all → ns per call. */
function native(id) {
  const file = join(criterionHome, 'native', id, 'new', 'sample.json');
  if (!existsSync(file)) return null;
  const { iters, times } = JSON.parse(readFileSync(file, 'utf8'));
  return stats(times.map((t, i) => t / iters[i]));
}

let sink = null;
/** Like criterion: warm up, then samples of k calls each (k sized to ~2 ms) → ns per call. */
function measure(fn, { samples = quick ? 30 : 100, sampleMs = 2, warmupMs = quick ? 100 : 500 } = {}) {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < warmupMs) {
    sink = fn();
    calls++;
  }
  const perCall = (performance.now() - start) / calls;
  const k = Math.max(1, Math.round(sampleMs / perCall));
  const out = [];
  for (let s = 0; s < samples; s++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < k; i++) sink = fn();
    out.push(Number(process.hrtime.bigint() - t) / k);
  }
  return stats(out);
}

/* ---------- paired with native ---------- */

/**
 * The native timer (bench/native_timer.rs), built by scripts/bench.sh: it times a batch of the
 * same call natively on request, so Node and native samples can alternate and the ratio is not
 * skewed by the host being busier while one of them ran.
 */
function startNativeTimer() {
  const bin = process.env.QIQUAN_NATIVE_TIMER;
  if (!bin || !existsSync(bin)) {
    console.error('bench: no native timer (QIQUAN_NATIVE_TIMER); ratios use criterion\'s earlier run');
    return null;
  }
  const child = spawn(bin, [join(root, 'bench/out/fixtures.json')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      waiting.shift()?.resolve(Number(buffer.slice(0, end)));
      buffer = buffer.slice(end + 1);
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`native timer exited (${code})`));
  });
  return {
    /** ns per call of `calls` native calls of `name`. */
    time: (name, calls) =>
      new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${name} ${calls}\n`);
      }),
    close: () => child.stdin.end(),
  };
}
const nativeTimer = startNativeTimer();

/**
 * Alternating samples of the Node call `fn` and the native case `name` (each batch ~2 ms).
 * Returns Node's stats, the native stats of the same moments and the median of the per-pair
 * ratios, which is what the table reports. Null without the native timer.
 */
async function paired(name, fn, { samples = quick ? 30 : 100 } = {}) {
  if (!nativeTimer) return null;
  const perCall = (ns) => Math.max(1, Math.round(2e6 / ns));
  // Warm up both sides and size the batches.
  let nativeNs = await nativeTimer.time(name, 10);
  const warm = measure(fn, { samples: 5 });
  nativeNs = await nativeTimer.time(name, perCall(nativeNs));
  const kNode = perCall(warm.median);
  const kNative = perCall(nativeNs);
  const node = [];
  const native = [];
  const ratios = [];
  for (let i = 0; i < samples; i++) {
    const t = process.hrtime.bigint();
    for (let j = 0; j < kNode; j++) sink = fn();
    const n = Number(process.hrtime.bigint() - t) / kNode;
    const m = await nativeTimer.time(name, kNative);
    node.push(n);
    native.push(m);
    ratios.push(n / m);
  }
  return { node: stats(node), native: stats(native), ratio: stats(ratios).median };
}

/** The ratio cell of a Node row: paired when the native timer ran, else against criterion. */
function ratioCell(pair, s, criterion) {
  if (pair) return `${pair.ratio.toFixed(2)}× native (paired: ${time(pair.native.median)})`;
  return `${times(s.median, criterion?.median)} native`;
}

/* ---------- the table ---------- */

const rows = [];
function row(name, runtime, s, ratio = '', goal = '') {
  rows.push({ name, runtime, s, ratio, goal });
}
/**
 * A headline ratio as one grep-able line, `RATIO name value goal<op><x>`, the format every
 * benchmark prints; scripts/bench.sh collects them into the table (bench/table.mjs).
 */
function headline(name, value, goal) {
  if (value === null || value === undefined || Number.isNaN(value)) return;
  console.log(`RATIO ${name} ${value.toFixed(3)} goal${goal}`);
}
function time(ns) {
  if (ns === undefined || ns === null || Number.isNaN(ns)) return '—';
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)} µs`;
  return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)} ms`;
}
const times = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '—');
const vsGoal = (s, goalNs) => `${times(s?.median, goalNs)} goal`;

/* ---------- checks that every runtime agrees before timing ---------- */

function loadBundle(fixture) {
  // The generated rules, signed by bench/engine.rs: every file, as the pages load a bundle.
  const { loaded } = loadSignedRules(q, memoryReader(fixture.signed));
  if (loaded.rules_digest !== fixture.rules_digest) throw new Error('pkg/ and native disagree on the rules digest');
}
function expectOutcome(fixture, submission, outcome) {
  const v = JSON.parse(q.checkJson(fixture.matter, JSON.stringify(submission)));
  if (v.outcome !== outcome) throw new Error(`${fixture.matter}: expected ${outcome}, got ${JSON.stringify(v.error ?? v.outcome)}`);
  return v;
}

/* ---------- native + Node ---------- */

const cases = [
  ['typical', typical],
  ['large', large],
];
const nodeResults = {};
for (const [name, fixture] of cases) {
  loadBundle(fixture);
  for (const state of ['complete', 'partial']) {
    const submission = fixture[state];
    expectOutcome(fixture, submission, state === 'complete' ? 'accept' : 'correction_required');
    const json = JSON.stringify(submission);
    const nCheck = native(`check_${name}_${state}`);
    const nJson = native(`check_json_${name}_${state}`);
    const goal = name === 'typical' ? 5000 : null;
    row(`check ${name} (${state}), parsed → Verdict`, 'native', nCheck, goal ? vsGoal(nCheck, goal) : '', goal ? '≤ 5 µs' : '');
    row(`check_json ${name} (${state}), text → text`, 'native', nJson);
    const nativeCase = `check_json/${name}/${state}`;
    const pJson = await paired(nativeCase, () => q.checkJson(fixture.matter, json));
    const sJson = pJson?.node ?? measure(() => q.checkJson(fixture.matter, json));
    row(`checkJson ${name} (${state})`, 'node (pkg)', sJson, ratioCell(pJson, sJson, nJson), '≤ 2× native');
    const pObj = await paired(nativeCase, () => q.check(fixture.matter, submission));
    const sObj = pObj?.node ?? measure(() => q.check(fixture.matter, submission));
    row(`check ${name} (${state}), object → object`, 'node (pkg)', sObj, ratioCell(pObj, sObj, nJson), '≤ 2× native');
    nodeResults[`${name}/${state}`] = sObj;
  }
  // The compact check a form runs per keystroke (no prose, no notice).
  const partialJson = JSON.stringify(fixture.partial);
  const nCompact = native(`check_compact_json_${name}_partial`);
  row(`check_compact_json ${name} (partial)`, 'native', nCompact);
  // Paired with the native timer, like checkJson (criterion's run is minutes earlier).
  const pCompact = await paired(`check_compact_json/${name}/partial`, () => q.checkCompact(fixture.matter, partialJson));
  const sCompact = pCompact?.node ?? measure(() => q.checkCompact(fixture.matter, partialJson));
  row(`checkCompact ${name} (partial)`, 'node (pkg)', sCompact, ratioCell(pCompact, sCompact, nCompact), '≤ 2× native');
  nodeResults[`${name}/compact`] = sCompact;
  const compactRatio = pCompact ? pCompact.ratio : nCompact ? sCompact.median / nCompact.median : null;
  if (name === 'typical') headline('node_compact_over_native', compactRatio, '<=2');
}

/* ---------- ajv on the typical matter ---------- */

/** A JSON Schema for a matter's fields and required materials, from its definition. */
function matterSchema(def) {
  const patterns = {
    date: '^\\d{4}-\\d{2}-\\d{2}$',
    id_card: '^\\d{17}[\\dX]$',
    uscc: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$',
    phone: '^(1\\d{10}|0\\d{2,3}-?\\d{7,8})$',
  };
  const fieldSchema = (f) => {
    switch (f.type) {
      case 'number':
        return { type: 'number', ...(f.min != null && { minimum: f.min }), ...(f.max != null && { maximum: f.max }) };
      case 'boolean':
        return { type: 'boolean' };
      case 'choice':
        return { enum: f.options.map((o) => o.id) };
      case 'text':
        return {
          type: 'string',
          ...(f.pattern && { pattern: `^(?:${f.pattern})$` }),
          ...(f.min_length != null && { minLength: f.min_length }),
          ...(f.max_length != null && { maxLength: f.max_length }),
        };
      default:
        return { type: 'string', pattern: patterns[f.type] };
    }
  };
  const onField = (id, schema, required = true) => ({
    properties: { fields: { properties: { [id]: schema }, ...(required && { required: [id] }) } },
  });
  const condition = (c) => {
    if (c.all) return { allOf: c.all.map(condition) };
    if (c.any) return { anyOf: c.any.map(condition) };
    if (c.not) return { not: condition(c.not) };
    if (c.applicant_kind) return { properties: { applicant: { properties: { kind: { enum: c.applicant_kind } } } } };
    if (c.equals !== undefined && c.equals !== null) return onField(c.field, { const: c.equals });
    if (c.one_of) return onField(c.field, { enum: c.one_of });
    if (c.greater_than != null) return onField(c.field, { exclusiveMinimum: c.greater_than });
    if (c.less_than != null) return onField(c.field, { exclusiveMaximum: c.less_than });
    if (c.is_set !== undefined && c.is_set !== null) return c.is_set ? onField(c.field, {}) : { not: onField(c.field, {}) };
    throw new Error(`condition ${JSON.stringify(c)}`);
  };
  const forms = {
    original: ['original', 'original_and_copy'],
    copy: ['original', 'copy', 'original_and_copy'],
    original_or_copy: ['original', 'copy', 'original_and_copy'],
    original_and_copy: ['original_and_copy'],
  };
  const media = { paper: ['paper'], electronic: ['electronic'], paper_or_electronic: ['paper', 'electronic'] };
  const conditional = [];
  const fields = { type: 'object', additionalProperties: false, properties: {}, required: [] };
  for (const f of def.fields) {
    fields.properties[f.id] = fieldSchema(f);
    if (!f.required) continue;
    if (f.when) conditional.push({ if: condition(f.when), then: { properties: { fields: { required: [f.id] } } } });
    else fields.required.push(f.id);
  }
  const materials = { type: 'object', additionalProperties: false, properties: {}, required: [] };
  for (const m of def.materials) {
    materials.properties[m.id] = {
      type: 'object',
      required: ['status'],
      properties: { status: { const: 'provided' }, form: { enum: forms[m.form] }, medium: { enum: media[m.medium] } },
    };
    if (m.when) conditional.push({ if: condition(m.when), then: { properties: { materials: { required: [m.id] } } } });
    else materials.required.push(m.id);
  }
  return {
    type: 'object',
    required: ['applicant', 'received_at'],
    properties: {
      applicant: { type: 'object', required: ['kind'], properties: { kind: { enum: def.applicant_kinds } } },
      received_at: { type: 'string' },
      fields,
      materials,
    },
    allOf: conditional,
  };
}

loadBundle(typical);
const def = q.matter(typical.matter);
const ajv = new Ajv({ allErrors: true, strictTypes: false });
const validate = ajv.compile(matterSchema(def));
for (const state of ['complete', 'partial']) {
  const submission = typical[state];
  const valid = validate(submission);
  if (valid !== (state === 'complete')) throw new Error(`ajv: the ${state} submission is ${valid ? 'valid' : 'invalid'}`);
  const s = measure(() => validate(submission));
  const errors = valid ? 0 : validate.errors.length;
  row(`ajv validate typical (${state}${errors ? `, ${errors} errors` : ''})`, 'node (ajv)', s,
    `ours ${times(nodeResults[`typical/${state}`].median, s.median)} ajv` +
      (state === 'partial' ? `; checkCompact ${times(nodeResults['typical/compact'].median, s.median)} ajv` : ''),
    state === 'partial' ? 'compact ≤ 3× a JS validator' : '');
}

/* ---------- a hand-written JS validator of the typical form ---------- */

// bench/hand_validator.mjs: plain JS, the checks a channel writes by hand for this one form
// (required fields, patterns, check digits, dates, conditional fields and materials, form and
// medium). It must flag the same fields and materials the engine's compact check flags.
{
  if (validateTypical(typical.complete).length !== 0) throw new Error(`hand validator: the complete submission has problems: ${JSON.stringify(validateTypical(typical.complete))}`);
  const compact = JSON.parse(q.checkCompact(typical.matter, JSON.stringify(typical.partial)));
  const engineTargets = new Set((compact.findings ?? []).map((f) => f.target?.id ?? f.target).filter((t) => typeof t === 'string'));
  const handTargets = new Set(validateTypical(typical.partial).map((p) => p.target));
  const missed = [...engineTargets].filter((t) => !handTargets.has(t));
  const extra = [...handTargets].filter((t) => !engineTargets.has(t));
  if (missed.length || extra.length) {
    console.error(`bench: the hand validator and checkCompact disagree on the partial typical submission (missed ${missed}, extra ${extra})`);
  }
  const partial = typical.partial;
  const partialJson = JSON.stringify(partial);
  const sHand = measure(() => validateTypical(partial));
  row(`hand-written JS validator typical (partial, ${handTargets.size} problems)`, 'node (JS)', sHand);
  const sHandText = measure(() => validateTypical(JSON.parse(partialJson)));
  row('hand-written JS validator typical (partial), with JSON.parse', 'node (JS)', sHandText);
  // checkCompact again, next to the validator (the same moment of a noisy host).
  const sCompact = measure(() => q.checkCompact(typical.matter, partialJson));
  row('checkCompact typical (partial), beside the hand validator', 'node (pkg)', sCompact,
    `${times(sCompact.median, sHand.median)} hand JS; ${times(sCompact.median, sHandText.median)} hand JS + parse`, '≤ 3× hand JS');
  headline('node_compact_over_hand_js', sCompact.median / sHand.median, '<=3');
}

/* ---------- scaling of check_json with the number of items ---------- */

// Native, complete submissions of 10, 100 and 1,000 items: linear when the time per item stays
// the same (goal: the largest per-item time within 20% of the smallest, i.e. max ÷ min ≤ 1.2).
{
  const perItem = [];
  const medians = [];
  for (const n of [10, 100, 1000]) {
    const s = native(`scaling_check_json_${n}`);
    const item = s ? s.median / n : null;
    if (item) perItem.push(item);
    if (s) medians.push(s.median);
    row(`check_json, ${n} items (complete)`, 'native', s, item ? `${time(item)} per item` : '');
  }
  if (perItem.length === 3) {
    const spread = Math.max(...perItem) / Math.min(...perItem);
    row('check_json per-item time, 10 / 100 / 1,000 items', 'native', null,
      `${perItem.map(time).join(' / ')}; max ÷ min ${spread.toFixed(2)}`, '≤ 1.2 (linear ±20%)');
    headline('check_json_per_item_max_over_min', spread, '<=1.2');
    // The fixed cost of a check (calendar, deadlines, the notice) weighs on 10 items; the cost of
    // one more item is the slope: 10 → 100 items and 100 → 1,000 items.
    const slopes = [(medians[1] - medians[0]) / 90, (medians[2] - medians[1]) / 900];
    const slopeSpread = Math.max(...slopes) / Math.min(...slopes);
    row('check_json cost of one more item, 10→100 / 100→1,000 items', 'native', null,
      `${slopes.map(time).join(' / ')}; max ÷ min ${slopeSpread.toFixed(2)}`, '≤ 1.2 (linear ±20%)');
    headline('check_json_marginal_per_item_max_over_min', slopeSpread, '<=1.2');
  }
}

/* ---------- compile and deadline ---------- */

const nCompile = native('compile_embedded');
row('compile the embedded bundle (14 matter files + 7 calendars)', 'native', nCompile);
const embeddedJson = JSON.stringify(fixtures.embedded);
const pCompile = await paired('compile/embedded', () => studio.loadRules(embeddedJson), { samples: quick ? 15 : 50 });
const sCompile = pCompile?.node ?? measure(() => studio.loadRules(embeddedJson), { samples: quick ? 15 : 50 });
row('loadRules (the same bundle; studio module)', 'node (pkg/studio)', sCompile, ratioCell(pCompile, sCompile, nCompile), '≤ 2× native');
loadPkgRules();

const d = fixtures.deadline;
const nDeadline = native('deadline_60wd');
row(`deadline ${d.days} working days from ${d.from} (中秋 + 国庆)`, 'native', nDeadline);
const answer = q.deadline(d.from, d.days, d.unit);
if (answer.error || answer.due !== '2026-11-30') throw new Error(`deadline: ${JSON.stringify(answer)}`);
const pDeadline = await paired('deadline/60wd', () => q.deadline(d.from, d.days, d.unit));
const sDeadline = pDeadline?.node ?? measure(() => q.deadline(d.from, d.days, d.unit));
row('deadline (the same)', 'node (pkg)', sDeadline, ratioCell(pDeadline, sDeadline, nDeadline), '≤ 2× native');
nativeTimer?.close();

/* ---------- Chromium ---------- */

async function browserRuns() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    console.error('bench: playwright-core not installed; skipping the browser rows');
    return;
  }
  const server = await serve(root);
  const browser = await chromium.launch({
    executablePath: process.env.QIQUAN_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const version = browser.version();
  try {
    // Cold start: a new context (empty HTTP and code caches) per run.
    const construction = JSON.parse(readFileSync(join(root, 'tests/conformance/construction_permit/complete_accept.json'), 'utf8'));
    const runs = quick ? 8 : 25;
    const startup = { script: [], init: [], first: [], total: [], engine: [] };
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(([matter, submission]) => {
        window.__matter = matter;
        window.__submission = submission;
      }, [construction.matter, JSON.stringify(construction.submission)]);
      await page.goto(`${server.url}/bench/browser/startup.html`);
      const r = await page.waitForFunction(() => window.__startup, null, { timeout: 60_000 }).then((h) => h.jsonValue());
      if (r.outcome !== 'accept') throw new Error(`startup page: ${JSON.stringify(r)}`);
      // Times are from navigation start; `engine` is what the engine costs once the page's
      // script runs (its files were preloaded meanwhile, as in the web forms).
      r.engine = r.total - r.script;
      for (const k of Object.keys(startup)) startup[k].push(r[k] * 1e6);
      await context.close();
    }
    row('cold start: navigation → page script runs (new context, no caches)', 'chromium', stats(startup.script));
    row('cold start: navigation → pkg/ fetched, compiled, instantiated', 'chromium', stats(startup.init));
    row('cold start: first verdict (compiles the embedded rules)', 'chromium', stats(startup.first));
    const engine = stats(startup.engine);
    row('cold start: page script → first verdict (import + instantiate + check)', 'chromium', engine, vsGoal(engine, 30e6), '≤ 30 ms');
    row('cold start: navigation → first verdict', 'chromium', stats(startup.total));

    // Warm re-checks, as the applicant page calls the engine on every input event.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${server.url}/bench/browser/check.html`);
    await page.waitForFunction(() => window.__ready === true);
    const loaded = await page.evaluate((b) => window.bench.load(b), typical.signed);
    if (loaded.error) throw new Error(`browser addBundleFiles: ${JSON.stringify(loaded.error)}`);
    for (const [which, label] of [['pageCheck', 'stringify + checkJson + parse, as the page'], ['check', 'check() object API']]) {
      const args = [which, typical.matter, typical.partial];
      await page.evaluate(([w, m, s]) => window.bench.run(w, m, s, 50, 20), args); // warm-up
      const perCall = await page.evaluate(([w, m, s, n]) => window.bench.run(w, m, s, n, 20), [...args, quick ? 30 : 100]);
      const s = stats(perCall.map((ms) => ms * 1e6));
      row(`re-check typical (partial): ${label}`, 'chromium', s, vsGoal(s, 1e6), '≤ 1 ms');
    }
    await context.close();

    await typeIntoApplicantPage(browser, server);
  } finally {
    await browser.close();
    await server.close();
  }
  return version;
}

/** Typing into a field of the real applicant page (www/dist), when it is built. */
async function typeIntoApplicantPage(browser, server) {
  if (!existsSync(join(root, 'www/dist/index.html'))) {
    console.error('bench: www/dist not built; skipping the applicant-page row');
    return;
  }
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}/index.html?matter=construction_permit`);
    await page.waitForSelector('#f-project_name', { timeout: 30_000 });
    // Each keystroke: append a character, fire `input` (the page re-checks and patches the DOM
    // synchronously in the handler). k keystrokes per sample; per-keystroke milliseconds.
    const sample = (k) =>
      page.evaluate((k) => {
        const input = document.querySelector('#f-project_name');
        const t = performance.now();
        for (let i = 0; i < k; i++) {
          input.value = input.value.length > 60 ? '示' : input.value + '楼';
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
        return (performance.now() - t) / k;
      }, k);
    for (let i = 0; i < 5; i++) await sample(10); // warm-up
    const samples = [];
    for (let i = 0; i < (quick ? 20 : 60); i++) samples.push((await sample(10)) * 1e6);
    const s = stats(samples);
    row('keystroke in the applicant page (construction_permit; check + DOM update)', 'chromium', s, vsGoal(s, 1e6), '≤ 1 ms');
  } catch (e) {
    console.error(`bench: applicant page not measured: ${e.message}`);
  } finally {
    await context.close();
  }
}

const chromiumVersion = await browserRuns();

/* ---------- print ---------- */

const header = ['case', 'runtime', 'median', 'p99', 'ratio', 'goal'];
const table = rows.map((r) => [r.name, r.runtime, time(r.s?.median), time(r.s?.p99), r.ratio, r.goal]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => [...t[i]].length)));
const line = (cells) => cells.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}; Chromium ${chromiumVersion ?? 'not run'}`;
console.log(`\n${new Date().toISOString().slice(0, 10)} — ${machine}`);
if (markdownOut) {
  const md = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...table.map((t) => `| ${t.join(' | ')} |`),
    '',
    `${new Date().toISOString().slice(0, 10)} — ${machine}`,
    '',
  ].join('\n');
  writeFileSync(markdownOut, md);
}
if (rowsOut) writeFileSync(rowsOut, JSON.stringify({ header, table, machine, date: new Date().toISOString().slice(0, 10) }, null, 1));
void sink;
