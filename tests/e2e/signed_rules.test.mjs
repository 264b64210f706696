// The pages load their rules from the signed bundle (www/src/rules.ts, docs/bundles.md), verified
// in wasm: a page fetches only the files of its matter (and the calendar, the centre), every
// verdict names the bundle's revision, and a file altered on the way is refused with the
// engine's message, the page then checking nothing with it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, fill } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
const NOW = '2026-03-02T09:30:00+08:00';
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Where the page gets the bundle: the server's own, or the one build-wasm.sh signed (static). */
async function bundleAt(ctx) {
  for (const [keys, base] of [
    ['/v1/rules/keys', '/v1/rules/'],
    ['/pkg/rules/keys.json', '/pkg/rules/'],
  ]) {
    const res = await ctx.request.get(`${server.url}${keys}`);
    if (res.ok()) {
      const envelope = await (await ctx.request.get(`${server.url}${base}bundle.json`)).json();
      return { base, manifest: JSON.parse(envelope.payload) };
    }
  }
  throw new Error('no bundle');
}

const fileOf = (url) => /\/rules\/files\/([0-9a-f]{64})\.json$/.exec(new URL(url).pathname)?.[1];
const newContext = () =>
  browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });

test('a page loads only its matter’s files, others on demand, and its verdicts name the revision', async () => {
  const ctx = await newContext();
  try {
    const { manifest } = await bundleAt(ctx);
    const fetched = [];
    ctx.on('request', (r) => {
      const sha = fileOf(r.url());
      if (sha) fetched.push(sha);
    });
    const { page, errors } = await openPage(browser, `${server.url}/?matter=${MATTER}`, { now: NOW, context: ctx });
    const need = (id) =>
      manifest.files
        .filter((f) => f.matter === null || f.matter === id)
        .map((f) => f.sha256)
        .sort();
    assert.deepEqual([...new Set(fetched)].sort(), need(MATTER));
    assert.ok(need(MATTER).length < manifest.files.length);
    await fill(page, 'unit_name', '东城区某某宾馆');
    await page.waitForFunction(() => document.querySelector('[data-rules-revision]')?.dataset.rulesRevision);
    assert.equal(
      await page.locator('[data-rules-revision]').first().getAttribute('data-rules-revision'),
      manifest.revision,
    );
    // (Served without the server, /v1/ answers 503: the pages fall back to pkg/rules/.)
    assert.deepEqual(server.real ? errors : errors.filter((e) => !e.includes('status of 503')), []);
    await page.close();

    // A page about no matter yet: the calendar and the centre; a matter picked: its files.
    fetched.length = 0;
    const other = manifest.matters.find((m) => m.id !== MATTER);
    const { page: finder } = await openPage(browser, `${server.url}/`, { now: NOW, context: ctx });
    assert.deepEqual([...new Set(fetched)].sort(), need(null));
    // (Picked from the list: a search would load every matter's files, for their material names.)
    await finder.click(`[data-pick-matter="${other.id}"]`);
    await finder.waitForFunction(
      () => document.querySelector('[data-rules-revision]')?.dataset.rulesRevision !== undefined,
    );
    assert.deepEqual([...new Set(fetched)].sort(), need(other.id));
  } finally {
    await ctx.close();
  }
});

test('a tampered bundle file is refused with the engine’s message and nothing is checked with it', async () => {
  const ctx = await newContext();
  try {
    const { manifest } = await bundleAt(ctx);
    const victim = manifest.files.find((f) => f.matter === MATTER);
    await ctx.route(/\/rules\/files\/[0-9a-f]{64}\.json$/, async (route) => {
      const response = await route.fetch();
      let body = await response.text();
      if (route.request().url().includes(victim.sha256)) body = body.replace('"text":"', '"text":"# altered\\n');
      await route.fulfill({ response, body });
    });
    const page = await ctx.newPage();
    await page.goto(`${server.url}/?matter=${MATTER}`);
    const failed = page.locator('#engine-failed');
    await failed.waitFor();
    const text = await failed.textContent();
    assert.match(text, /规则包文件与清单不符/);
    assert.match(text, /bundle_file_mismatch/);
    // Nothing was checked with it: no outcome, no revision.
    const named = await page.evaluate(() =>
      [...document.querySelectorAll('[data-rules-revision]')].map((e) => e.dataset.rulesRevision).filter(Boolean),
    );
    assert.deepEqual(named, []);
    const outcomes = await page.evaluate(() =>
      [...document.querySelectorAll('[data-outcome]')].map((e) => e.dataset.outcome),
    );
    assert.ok(
      outcomes.every((o) => o === 'blank'),
      outcomes.join(),
    );
  } finally {
    await ctx.close();
  }
});
