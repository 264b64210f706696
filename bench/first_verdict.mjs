// The first verdict in Chromium against a floor measured in the same run (issue 17).
//
//   node bench/first_verdict.mjs [--runs 15] [--matter construction_permit]
//
// Each sample is a new browser context (no HTTP or code cache). Pages (bench/browser/):
//   first_verdict.html          pkg/ as the pages load it (glue imported statically, the module
//                               preloaded, instantiateStreaming), the rules bundle fetched and
//                               loaded when pkg/ has one (pkg/rules.json), matter(), checkJson
//   first_verdict_dynamic.html  the same with the glue loaded by dynamic import()
//   floor.html                  a 41-byte wasm module loaded the same way, one call
// Floor and pages run interleaved (the machine is shared and noisy). Prints the medians, the
// parts and `RATIO first_verdict <median total / median floor> goal 1.5` for scripts to grep.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(arg('--runs', 15));
const matter = arg('--matter', 'construction_permit');
const fixture = JSON.parse(readFileSync(join(root, `tests/conformance/${matter}/complete_accept.json`), 'utf8'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function sample(browser, url) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    await page.addInitScript(([m, s]) => {
      window.__matter = m;
      window.__submission = s;
    }, [fixture.matter, JSON.stringify(fixture.submission)]);
    await page.goto(url);
    return await page.waitForFunction(() => window.__result, null, { timeout: 60_000 }).then((h) => h.jsonValue());
  } finally {
    await context.close();
  }
}

const server = await serve(root);
const browser = await chromium.launch({
  executablePath: process.env.QIQUAN_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const version = browser.version();
const pages = { floor: 'floor.html', static: 'first_verdict.html', dynamic: 'first_verdict_dynamic.html' };
const results = { floor: [], static: [], dynamic: [] };
try {
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, file] of Object.entries(pages)) {
      const r = await sample(browser, `${server.url}/bench/browser/${file}`);
      if (name === 'floor' ? r.out !== 5 : r.out !== 'accept') throw new Error(`${file}: ${JSON.stringify(r)}`);
      if (i > 0) results[name].push(r); // the first round warms the browser process up
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const ms = (x) => `${x.toFixed(1)} ms`;
const part = (name, key) => median(results[name].map((r) => r[key]));
console.log(`first verdict, Chromium ${version}, ${runs} fresh contexts each, medians (matter ${matter}):`);
console.log(`  floor (41-byte module): navigation → script ${ms(part('floor', 'script'))}, instantiate ${ms(part('floor', 'init'))}, total ${ms(part('floor', 'total'))}`);
for (const name of ['static', 'dynamic']) {
  console.log(
    `  pkg/ (${name} import): navigation → script ${ms(part(name, 'script'))}, compile+instantiate ${ms(part(name, 'init'))}, ` +
      `rules fetch+load ${ms(part(name, 'rules'))} (waiting for the fetch ${ms(part(name, 'rulesWait'))}, loadRules ${ms(part(name, 'rulesLoad'))}), first matter() ${ms(part(name, 'matter'))}, check ${ms(part(name, 'check'))}, total ${ms(part(name, 'total'))}`,
  );
}
const floor = part('floor', 'total');
const ratio = part('static', 'total') / floor;
console.log(`  dynamic − static import: ${ms(part('dynamic', 'total') - part('static', 'total'))} (medians of the totals)`);
console.log(`RATIO first_verdict ${ratio.toFixed(2)} goal 1.5`);
console.log(`RATIO first_verdict_dynamic ${(part('dynamic', 'total') / floor).toFixed(2)} goal 1.5`);
