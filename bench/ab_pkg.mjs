// Two builds of the page module timed in one Node process, interleaved (the host is shared and
// noisy: only a ratio measured in the same run means anything). For size work: build the
// baseline, copy pkg/ aside, change something, rebuild, then
//
//   node bench/ab_pkg.mjs /tmp/pkg-before pkg [rounds]
//
// Each round times every check case of the conformance corpus through checkCompact and through
// checkJson, in each module (the order alternates by round); prints the medians (µs a check)
// and the ratio second ÷ first. Each module loads its own pkg/rules/ (signed, every file).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseRaw, serdeToString } from '../tests/wasm/runcase.mjs';
import { loadSignedRules } from '../tests/wasm/signed-rules.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: node bench/ab_pkg.mjs PKG_A PKG_B [rounds]');
const rounds = Number(roundsArg ?? 31);

async function load(dir) {
  const abs = resolve(dir);
  const q = await import(pathToFileURL(join(abs, 'qiquan.js')).href);
  q.initSync({ module: readFileSync(join(abs, 'qiquan_bg.wasm')) });
  loadSignedRules(q, (name) => readFileSync(join(abs, 'rules', name), 'utf8'));
  return q;
}

function cases(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...cases(path));
    else if (name.endsWith('.json') && !name.endsWith('.expected.json')) out.push(path);
  }
  return out;
}
const get = (m, k) => (m instanceof Map ? m.get(k) : undefined);
const inputs = [];
for (const path of cases(join(root, 'tests/conformance'))) {
  const c = parseRaw(readFileSync(path, 'utf8'));
  if ((get(c, 'kind') ?? 'check') !== 'check') continue;
  const text = get(c, 'submission_text');
  inputs.push([
    get(c, 'matter') ?? '',
    typeof text === 'string' ? text : serdeToString(get(c, 'submission')),
    c.has('options') ? serdeToString(c.get('options')) : undefined,
  ]);
}

const modules = [await load(dirA), await load(dirB)];
let sink = 0;
function pass(q, compact) {
  const f = compact ? q.checkCompact : q.checkJson;
  const t = process.hrtime.bigint();
  for (const [m, s, o] of inputs) sink += f(m, s, o).length;
  return Number(process.hrtime.bigint() - t) / 1e3 / inputs.length;
}
// Warm up: each matter compiled on first use, and V8 tiers the hot functions up (Liftoff to
// TurboFan) only after a while.
for (const q of modules) for (let i = 0; i < 30; i++) pass(q, true), pass(q, false);
const times = { compact: [[], []], full: [[], []] };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [1, 0] : [0, 1];
  for (const i of order) times.compact[i].push(pass(modules[i], true));
  for (const i of order) times.full[i].push(pass(modules[i], false));
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(`${inputs.length} check cases, ${rounds} rounds`);
for (const kind of ['compact', 'full']) {
  const [a, b] = times[kind].map(median);
  const ratios = times[kind][0].map((x, i) => times[kind][1][i] / x);
  console.log(`${kind}: ${a.toFixed(2)} µs  vs  ${b.toFixed(2)} µs a check; ratio ${median(ratios).toFixed(3)} (median of per-round ratios)`);
}
if (sink < 0) console.log(sink);
