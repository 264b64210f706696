// Speed that people feel on the applicant page (issue 16), in real Chromium against
// `qiquan serve --dev` (www/dist + pkg/, as in production):
//
//  1. key → next frame: typing into the largest matter's first text field with the CPU slowed
//     (CDP Emulation.setCPUThrottlingRate); each sample is the time from the keydown event's
//     timestamp to the next requestAnimationFrame callback (the frame that shows the result).
//     Also counts the engine's checks per key (full verdict `checkJson` vs `checkCompact`).
//  2. checks per typed character on a typical form: the hygiene licence filled key by key as in
//     tests/e2e/people.test.mjs (each key its own check), no throttling; how many full verdicts
//     and compact checks each typed character cost.
//  3. form visible and typeable: a fresh context (no cache) on a slow phone profile (CPU 4×,
//     150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up: CDP Network.emulateNetworkConditions), from
//     navigation start to the first field being in the DOM and enabled; and to the engine being
//     ready (body[data-ready], the first check done).
//
//   node bench/pages.mjs [--runs 5] [--keys 40] [--rate 4] [--matter construction_permit]
//
// Needs www/dist (npm run www:build) and pkg/ (scripts/build-wasm.sh). Prints one line per run
// and the median of the runs' medians; the machine is shared, so report medians of several runs.
import { startServer, launch, countChecks, checkCounts } from '../tests/e2e/_harness.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const RUNS = Number(args.runs ?? 5);
const KEYS = Number(args.keys ?? 40);
const RATE = Number(args.rate ?? 4);
const MATTER = args.matter ?? 'construction_permit';
const FIELD = args.field ?? 'project_name';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const ms = (x) => `${x.toFixed(1)} ms`;

async function keyToFrame(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await countChecks(page);
  await page.goto(`${url}/?matter=${MATTER}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.evaluate(() => {
    window.__lat = [];
    window.__res = [];
    let t0 = 0;
    document.addEventListener('keydown', (e) => {
      t0 = e.timeStamp;
      const start = t0;
      requestAnimationFrame(() => window.__lat.push(performance.now() - start));
    }, true);
    // The result: the frame after the page's check has updated it (body[data-checking] removed).
    new MutationObserver(() => {
      if (document.body.dataset.checking || !t0) return;
      const start = t0;
      t0 = 0;
      requestAnimationFrame(() => window.__res.push(performance.now() - start));
    }).observe(document.body, { attributes: true, attributeFilter: ['data-checking'] });
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
  await page.focus(`#f-${FIELD}`);
  for (let i = 0; i < 5; i++) { await page.keyboard.press('KeyA'); await page.waitForTimeout(60); } // warm-up
  await page.evaluate(() => { window.__lat = []; window.__res = []; });
  const before = await checkCounts(page);
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(i % 7 === 6 ? 'Space' : 'KeyA'); // real key events (CJK text arrives as insertText, without keydown)
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(200);
  const lat = await page.evaluate(() => [window.__lat, window.__res]);
  const after = await checkCounts(page);
  await ctx.close();
  return [...lat, { full: after.full - before.full, compact: after.compact - before.compact }];
}

/** The hygiene licence typed key by key (as tests/e2e/people.test.mjs fills it). */
const TYPICAL = [
  ['unit_name', '东城区某某宾馆'], ['uscc', '91110000802100433B'],
  ['responsible_person_id', '11010519491231002X'], ['phone', '13800138000'], ['floor_area', '120'],
];

async function typicalForm(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await countChecks(page);
  await page.goto(`${url}/?matter=public_place_hygiene_license`);
  await page.waitForSelector('body[data-ready="true"]');
  const before = await checkCounts(page);
  let chars = 0;
  for (const [id, value] of TYPICAL) {
    await page.locator(`#f-${id}`).pressSequentially(value, { delay: 40 });
    await page.waitForFunction(() => !document.body.dataset.checking);
    chars += [...value].length;
  }
  const after = await checkCounts(page);
  await ctx.close();
  return { chars, full: after.full - before.full, compact: after.compact - before.compact };
}

async function startup(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript((field) => {
    window.__marks = {};
    const seen = () => {
      const f = document.getElementById(`f-${field}`);
      if (f && !f.disabled && !window.__marks.typeable) window.__marks.typeable = performance.now();
      if (document.body?.dataset.ready === 'true' && !window.__marks.checked) window.__marks.checked = performance.now();
      return window.__marks.typeable && window.__marks.checked;
    };
    new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); })
      .observe(document, { subtree: true, childList: true, attributes: true });
  }, FIELD);
  await page.goto(`${url}/?matter=${MATTER}`);
  await page.waitForFunction(() => window.__marks?.typeable && window.__marks?.checked, null, { timeout: 60_000 });
  const marks = await page.evaluate(() => window.__marks);
  await ctx.close();
  return marks;
}

const server = await startServer();
const browser = await launch();
try {
  console.log(`# key → next frame: ${MATTER} #f-${FIELD}, CPU ${RATE}× slower, ${KEYS} keys per run`);
  const keyMedians = [];
  const resMedians = [];
  for (let r = 0; r < RUNS; r++) {
    const [lat, res, n] = await keyToFrame(browser, server.url);
    keyMedians.push(median(lat));
    const resLine = res.length ? `; key → result frame median ${ms(median(res))}, p90 ${ms(pct(res, 0.9))}` : '';
    if (res.length) resMedians.push(median(res));
    console.log(`run ${r + 1}: key → next frame median ${ms(median(lat))}, p90 ${ms(pct(lat, 0.9))}, n=${lat.length}${resLine}; checks: ${n.full} full, ${n.compact} compact`);
  }
  console.log(`key → next frame, median of run medians: ${ms(median(keyMedians))}`);
  if (resMedians.length) console.log(`key → frame with the new result, median of run medians: ${ms(median(resMedians))}`);
  const typical = await typicalForm(browser, server.url);
  console.log(`# typical form (public_place_hygiene_license, ${typical.chars} characters typed key by key): ` +
    `${typical.full} full checks (${(typical.full / typical.chars).toFixed(2)} per character), ` +
    `${typical.compact} compact (${(typical.compact / typical.chars).toFixed(2)} per character)`);
  if (args.only !== 'keys') await startups();
} finally {
  await browser.close();
  await server.stop();
}

async function startups() {
  console.log('# form visible and typeable: CPU 4×, 150 ms RTT, 1.6 Mbit/s, no cache');
  const typeable = [];
  const checked = [];
  for (let r = 0; r < RUNS; r++) {
    const m = await startup(browser, server.url);
    typeable.push(m.typeable);
    checked.push(m.checked);
    console.log(`run ${r + 1}: typeable ${ms(m.typeable)}, first check ${ms(m.checked)}`);
  }
  console.log(`typeable, median: ${ms(median(typeable))}; first check, median: ${ms(median(checked))}`);
}
