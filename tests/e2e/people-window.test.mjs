// The clerk at a busy window and the kiosk in the hall (issue 16): result and print buttons in
// view while marking materials, choosing which document to print, flaw notes capped as the
// register caps them; the kiosk's home with every matter and a search, "‹ 返回" that asks, the
// ID-card reader, the slip for a receipt printer. axe on every state; screenshots in test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill, pdfText, settle } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
const WIDE = { width: 1920, height: 1080 };
const DESKTOP = { width: 1280, height: 900 };
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
const inView = async (page, sel) => {
  const b = await page.locator(sel).boundingBox();
  const h = page.viewportSize().height;
  return b !== null && b.y >= 0 && b.y + b.height <= h + 1;
};
async function axeClean(page, state) {
  assert.deepEqual(await axeViolations(page), [], `axe: ${state}`);
}

for (const [name, viewport] of [
  ['desktop', DESKTOP],
  ['wide', WIDE],
]) {
  test(`clerk (${name}): result and print stay in view; the clerk picks the document; notes capped at 200`, async () => {
    const { page, errors, ctx } = await openPage(browser, `${server.url}/clerk.html?matter=${MATTER}`, { viewport });
    try {
      await fill(page, 'unit_name', '东城区某某宾馆');
      await fill(page, 'uscc', '91110000802100433B');
      await fill(page, 'responsible_person_id', '11010519491231002X');
      await fill(page, 'phone', '13800138000');
      await page.selectOption('#f-venue_type', { index: 1 });
      await fill(page, 'floor_area', '120');
      await page.check('#f-central_ac-false');
      for (const [m, how] of [
        ['application_form', ''],
        ['identity_proof', '-original_and_copy'],
        ['hygiene_report', ''],
      ]) {
        await page.locator(`label[for="m-${m}${how}"]`).scrollIntoViewIfNeeded();
        await page.click(`label[for="m-${m}${how}"]`);
        assert.ok(await inView(page, '#outcome .outcome'), `outcome in view after ${m}`);
        assert.ok(await inView(page, '#record'), `record (then print) in view after ${m}`);
      }
      await page.locator('#pledge-sign').scrollIntoViewIfNeeded();
      await page.check('#pledge-sign');
      assert.equal(await outcome(page), 'accept_with_pledge');
      // What is listed now is owed, not wrong.
      assert.equal(await page.locator('#error-summary-title').textContent(), '以下材料尚未提交');
      // Recorded first; then two documents fit: all at once, or each alone.
      await page.click('#record');
      await page.locator('#print').waitFor({ timeout: 15000 });
      assert.match(await page.locator('#print').textContent(), /全部打印/);
      await page.click('#print-pledge');
      assert.deepEqual(await page.locator('#print-root [data-doc]').evaluateAll((d) => d.map((x) => x.dataset.doc)), [
        'pledge',
      ]);
      await page.click('#print-notice');
      assert.deepEqual(await page.locator('#print-root [data-doc]').evaluateAll((d) => d.map((x) => x.dataset.doc)), [
        'pledge_acceptance',
      ]);
      await page.click('#print');
      assert.equal(await page.locator('#print-root [data-doc]').count(), 2);
      assert.equal(await page.evaluate(() => window.__printed), 3);
      await shot(page, `clerk-${name}-pledge`, false);
      await axeClean(page, 'clerk pledge');
      // A flaw note: 200 characters at most, and the field says so.
      await page.click('label[for="m-hygiene_report-flawed"]');
      await page.fill('#mn-hygiene_report', '章'.repeat(205));
      assert.equal((await page.locator('#mn-hygiene_report').inputValue()).length, 200);
      await page.locator('#mn-hygiene_report').dispatchEvent('input');
      assert.match(await page.locator('#mnc-hygiene_report').textContent(), /200 个字的上限/);
      await axeClean(page, 'clerk flaw note');
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });
}

test('kiosk (1920×1080): every matter on the home screen, with search; ‹ 返回 asks; ID-card reader; slip', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/kiosk.html`, { viewport: WIDE });
  try {
    const tiles = page.locator('.tile');
    const n = await tiles.count();
    const matters = await page
      .evaluate(async () => (await (await fetch('/v1/matters')).json()).length ?? null)
      .catch(() => null);
    if (typeof matters === 'number') assert.equal(n, matters);
    for (let i = 0; i < n; i++) assert.equal(await tiles.nth(i).isVisible(), true, `tile ${i} visible`);
    await shot(page, 'kiosk-wide-home');
    await axeClean(page, 'kiosk home');
    await page.fill('#kiosk-search', 'gtgsh');
    assert.equal(await page.locator('.tile:visible').count(), 1);
    assert.match(await page.locator('#tile-count').textContent(), /共 1 个事项/);
    await page.fill('#kiosk-search', '');
    assert.equal(await page.locator('.tile:visible').count(), n);
    await page.click('.tile[data-matter="individual_business_registration"]');
    // The ID-card reader types "name number" and Enter into its field.
    await page.locator('#id-reader').pressSequentially('张三 11010519491231002X');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#f-operator_id').inputValue(), '11010519491231002X');
    assert.equal(await page.locator('#f-operator_name').inputValue(), '张三');
    assert.match(await page.locator('#id-reader-status').textContent(), /张三 110105\*{8}002X/);
    await shot(page, 'kiosk-wide-id-read', false);
    await axeClean(page, 'kiosk id read');
    // ‹ 返回 with answers: asks; 继续填写 keeps them.
    await page.click('#back');
    await page.locator('#leave-dialog[open]').waitFor();
    await axeClean(page, 'kiosk leave dialog');
    await page.click('#leave-no');
    assert.equal(await page.locator('#f-operator_name').inputValue(), '张三');
    await page.click('#back');
    await page.click('#leave-yes');
    await page.locator('.tile').first().waitFor();
    // The slip: outcome and what to bring, on an 80 mm receipt-printer page.
    await page.click(`.tile[data-matter="${MATTER}"]`);
    await page.click('#back'); // nothing answered: straight home, no question
    assert.equal(await page.locator('#leave-dialog[open]').count(), 0);
    await page.click(`.tile[data-matter="${MATTER}"]`);
    await fill(page, 'unit_name', '东城区某某宾馆');
    await page.click('label[for="m-application_form"]');
    await page.click('#see-result');
    await page.click('#print-slip');
    assert.equal(await page.evaluate(() => window.__printed), 1);
    const slip = page.locator('#print-root .slip');
    assert.equal(await slip.getAttribute('data-slip'), '80');
    assert.equal(await slip.locator('.slip-outcome').textContent(), '需补正材料');
    assert.ok((await slip.locator('.slip-list li').count()) >= 3);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = await pdfText(pdf);
    assert.ok(Math.abs(pages[0].width - (80 / 25.4) * 72) < 2, `slip width ${pages[0].width}pt`);
    assert.match(pages.map((p) => p.text).join(''), /需补正材料/);
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'kiosk-slip-print');
    await page.emulateMedia({ media: 'screen' });
    await axeClean(page, 'kiosk result');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
