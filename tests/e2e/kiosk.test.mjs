// Kiosk (www/kiosk.html): touch-sized controls, checks while offline (service worker), idle reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill, settle } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const outcome = (page) => page.locator('#outcome [data-outcome]').getAttribute('data-outcome');
const KIOSK_VIEW = { width: 1280, height: 1024 };

/** Every visible control a finger touches is at least 48 × 48 CSS px. */
async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    const els = document.querySelectorAll('button, .radio label, .checkbox input, .tile, input.input, select');
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.height < 48 || r.width < 48)
        out.push(`${el.tagName}#${el.id || ''}.${el.className} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

test('kiosk: large touch targets, zh-CN, checks as materials are ticked', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/kiosk.html`, { viewport: KIOSK_VIEW });
  try {
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.ok(Number.parseFloat(await page.evaluate(() => getComputedStyle(document.body).fontSize)) >= 20);
    assert.deepEqual(await smallTargets(page), []);
    await shot(page, 'kiosk-home', false);
    assert.deepEqual(await axeViolations(page), []);
    await page.click(`.tile[data-matter="${MATTER}"]`);
    assert.equal(await outcome(page), 'blank');
    assert.deepEqual(await smallTargets(page), []);
    await fill(page, 'unit_name', '东城区某某宾馆');
    await fill(page, 'uscc', '91110000802100433B');
    await fill(page, 'responsible_person_id', '11010519491231002X');
    await fill(page, 'phone', '13800138000');
    await page.click('label[for="f-venue_type"]');
    await fill(page, 'floor_area', '80');
    await page.click('label[for="f-central_ac-false"]');
    for (const m of ['application_form', 'identity_proof', 'hygiene_report']) await page.click(`label[for="m-${m}"]`);
    assert.equal(await outcome(page), 'correction_required');
    await shot(page, 'kiosk-form');
    assert.deepEqual(await axeViolations(page), []);
    await page.click('#see-result');
    await page.locator('#pledge-panel').waitFor();
    await page.click('label[for="pledge-sign"]');
    assert.equal(await outcome(page), 'accept_with_pledge');
    await shot(page, 'kiosk-result');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('kiosk: keeps checking offline, and reloads offline from the service worker', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/kiosk.html`, { viewport: KIOSK_VIEW });
  try {
    await page.waitForSelector('body[data-sw="ready"]', { timeout: 15000 });
    // Let the service worker take control (first load is not controlled until a reload or claim()).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    await page.waitForFunction(
      async () => {
        const keys = await caches.keys();
        for (const k of keys) {
          const c = await caches.open(k);
          if (await c.match('/pkg/qiquan_bg.wasm')) return true;
        }
        return false;
      },
      null,
      { timeout: 15000 },
    );
    await ctx.setOffline(true);
    await page.click(`.tile[data-matter="${MATTER}"]`);
    assert.equal(await page.locator('#offline-banner').isVisible(), true);
    for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules'])
      await page.click(`label[for="m-${m}"]`);
    assert.equal(await outcome(page), 'correction_required'); // fields still empty
    await fill(page, 'unit_name', '离线测试宾馆');
    assert.match(await page.locator('#outcome-label').textContent(), /需补正材料/);
    await shot(page, 'kiosk-offline');

    // A fresh load with no network: page, assets and pkg/ all come from the cache.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await page.click(`.tile[data-matter="${MATTER}"]`);
    assert.equal(await outcome(page), 'blank'); // nothing answered yet
    await page.click('label[for="m-application_form"]');
    assert.equal(await outcome(page), 'correction_required');
    await ctx.setOffline(false);
    assert.deepEqual(
      errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
});

test('kiosk: an idle timeout clears personal data and returns home', async () => {
  // The real 120 s timeout on a fake clock: time moves only when the test says, so a slow
  // machine cannot fire the reset before the test has looked at the warning.
  const { page, ctx } = await openPage(browser, `${server.url}/kiosk.html?idle=120`, {
    viewport: KIOSK_VIEW,
    clock: true,
  });
  try {
    await page.clock.pauseAt(new Date(Date.now() + 60_000));
    await page.click(`.tile[data-matter="${MATTER}"]`);
    // On the paused fake clock the check after the paint waits for the clock too: type, then move it.
    await page.fill('#f-unit_name', '张三的宾馆');
    await page.fill('#f-responsible_person_id', '11010519491231002X');
    // The warning comes 10 s before the reset, not earlier.
    await page.clock.runFor(109_000);
    assert.equal(await page.locator('#idle-dialog[open]').count(), 0);
    await page.clock.runFor(1_500);
    await page.waitForSelector('#idle-dialog[open]', { timeout: 5000 });
    assert.match(await page.locator('#idle-body').textContent(), /秒后将清除已填写的内容/);
    await shot(page, 'kiosk-idle-warning', false);
    // "继续办理" keeps the data.
    await page.click('#idle-continue');
    assert.equal(await page.inputValue('#f-unit_name'), '张三的宾馆');
    // Then nobody touches it for the whole timeout.
    await page.clock.runFor(121_000);
    await page.waitForSelector('.tiles', { timeout: 8000 });
    assert.equal(await page.locator('#f-unit_name').count(), 0);
    assert.equal(await page.locator('#idle-dialog[open]').count(), 0);
    const html = await page.content();
    assert.doesNotMatch(html, /张三|11010519491231002X/);
    // Opening the matter again starts from an empty form.
    await page.click(`.tile[data-matter="${MATTER}"]`);
    assert.equal(await page.inputValue('#f-unit_name'), '');
  } finally {
    await ctx.close();
  }
});
