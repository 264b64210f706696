// The pages as people use them (issue 16): an applicant on a 390×844 phone and on a desktop, the
// result kept in view, identifiers checked when complete, an accepted application that looks
// accepted, a receipt to print, one receipt however often 提交 is tapped. axe on every state;
// screenshots in test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill, settle, MINIMAL_PDF } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
const PHONE = { width: 390, height: 844 };
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
const upload = (page, id) =>
  page.setInputFiles(`#m-${id}`, {
    name: `${id}.pdf`,
    mimeType: 'application/pdf',
    buffer: Buffer.from(MINIMAL_PDF),
  });
const noSideways = (page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

async function axeClean(page, state) {
  assert.deepEqual(await axeViolations(page), [], `axe: ${state}`);
}

async function fillAll(page) {
  await fill(page, 'unit_name', '东城区某某宾馆');
  await fill(page, 'uscc', '91110000802100433B');
  await fill(page, 'responsible_person_id', '11010519491231002X');
  await fill(page, 'phone', '13800138000');
  await page.selectOption('#f-venue_type', { index: 1 });
  await fill(page, 'floor_area', '120');
  await page.check('#f-central_ac-false');
}

for (const [name, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
]) {
  test(`${name}: blank form is neutral, the result stays in view, ID errors wait until complete or left`, async () => {
    const { page, errors, ctx } = await openPage(browser, `${server.url}/`, { viewport });
    try {
      await page.fill('#matter-search', 'ggcs');
      await page.click(`[data-pick-matter="${MATTER}"]`);
      assert.equal(await outcome(page), 'blank');
      assert.equal(await page.locator('#error-summary').isVisible(), false);
      await shot(page, `people-${name}-blank`, false);
      await axeClean(page, 'blank form');
      // The form is not pushed down by the result: the first question is on the first screen.
      const first = await page.locator('#kind-h').boundingBox();
      assert.ok(first.y < viewport.height, `first question at ${first.y}px`);
      // The result box is in view while typing far down the form.
      await page.locator('#f-floor_area').scrollIntoViewIfNeeded();
      await fill(page, 'floor_area', '12');
      const box = await page.locator('#outcome').boundingBox();
      assert.ok(box.y >= 0 && box.y + box.height <= viewport.height + 1, `outcome at ${box.y}`);
      if (name === 'phone') {
        assert.ok(box.y + box.height >= viewport.height - 2, 'a bar at the bottom of the phone screen');
        assert.ok(box.height < 110, `compact bar ${box.height}px`);
      }
      // Typing an ID number: no error while incomplete; shown once the field is left.
      await page.locator('#f-responsible_person_id').pressSequentially('1101051949');
      await settle(page);
      assert.equal(await page.locator('#fe-responsible_person_id').isVisible(), false);
      assert.equal(await page.locator('#error-summary').isVisible(), false);
      await page.locator('#f-responsible_person_id').blur();
      await page.locator('#fe-responsible_person_id').waitFor();
      const summary = page.locator('#error-summary');
      assert.equal(await summary.getAttribute('role'), 'alert');
      assert.equal(await summary.isVisible(), true);
      // The live region is the same node after another keystroke (updated in place, not rebuilt).
      await page.evaluate(() => {
        window.__region = document.querySelector('#outcome [role="status"]');
      });
      await page.locator('#f-unit_name').pressSequentially('某');
      await settle(page);
      assert.equal(
        await page.evaluate(() => window.__region === document.querySelector('#outcome [role="status"]')),
        true,
      );
      assert.equal(await noSideways(page), true);
      await shot(page, `people-${name}-typing`, false);
      await axeClean(page, 'typing with an error');
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });

  test(`${name}: an accepted application looks accepted; 提交 once; the receipt prints`, async (t) => {
    if (!server.real) {
      t.skip('needs `qiquan serve --dev`');
      return;
    }
    const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, { viewport });
    try {
      const keys = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/check')) keys.push(r.headers()['idempotency-key']);
      });
      await fillAll(page);
      for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules'])
        await upload(page, m);
      assert.equal(await outcome(page), 'accept');
      await page.click('#submit');
      const success = page.locator('#success');
      await success.waitFor();
      assert.equal(await success.getAttribute('data-outcome'), 'accept');
      assert.match(await page.locator('#success-title').textContent(), /申请已受理/);
      const no = await page.locator('#receipt [data-receipt="receipt_no"] dd').textContent();
      assert.match(no, /\S{6,}/);
      // The case number (文号) only once numbered: without the case register the sequence is blank.
      const numbered = await page.locator('#receipt [data-receipt="document_number"]').count();
      if (numbered)
        assert.doesNotMatch(await page.locator('#receipt [data-receipt="document_number"] dd').textContent(), /_/);
      // A short verification code, not the 128-hex signature.
      const code = await page.locator('#receipt [data-receipt="verify_code"] dd').textContent();
      assert.ok(code.length < 40, code);
      assert.equal(await page.locator('[data-receipt="signature"]').count(), 0);
      assert.ok((await page.locator('#next-steps').textContent()).length > 20);
      // Nothing red, no "如今天受理", no pending problems.
      assert.equal(await page.locator('#error-summary').isVisible(), false);
      assert.equal(await page.locator('#show-all').isVisible(), false);
      assert.equal(await page.locator('.form-group-error:visible').count(), 0);
      assert.equal(await page.locator('text=如今天受理').count(), 0);
      // 提交 is done: disabled, and a forced second tap gives the same receipt with the same key.
      assert.equal(await page.locator('#submit').isDisabled(), true);
      await page.evaluate(() => {
        const b = document.getElementById('submit');
        b.disabled = false;
        b.click();
      });
      assert.equal(await page.locator('#receipt [data-receipt="receipt_no"] dd').textContent(), no);
      assert.equal(keys.length, 1, `requests: ${keys.length}`);
      assert.ok(keys[0] && keys[0].length >= 16, `idempotency-key ${keys[0]}`);
      // Verify online, print (browser print → PDF).
      await page.click('#verify-receipt');
      await page.locator('#verify-result[data-valid="true"]').waitFor();
      await page.click('#print-receipt');
      assert.equal(await page.evaluate(() => window.__printed), 1);
      assert.equal(await page.locator('#print-root .doc-receipt [data-receipt="receipt_no"] dd').textContent(), no);
      assert.equal(await noSideways(page), true);
      await success.scrollIntoViewIfNeeded();
      await shot(page, `people-${name}-accepted`, false);
      await shot(page, `people-${name}-accepted-full`);
      await axeClean(page, 'accepted');
      if (name === 'desktop') {
        const pdf = await page.pdf({ format: 'A4' });
        assert.ok(pdf.length > 1000);
        // The verification link (printed on the receipt too) opens a page that asks the register.
        const link = await page.locator('#receipt [data-receipt="verify_url"] a').getAttribute('href');
        // The number AND the verification code printed beside it (the server answers neither alone).
        assert.ok(link.startsWith(`${server.url}/?verify=${encodeURIComponent(no)}&code=`), link);
        assert.match(link, /&code=[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
        assert.equal(await page.locator('#print-root [data-receipt="verify_url"] dd').textContent(), link);
        await page.goto(link);
        await page.locator('#verify-view[data-valid]').waitFor();
        // Valid with the case register (GET /v1/receipts/{number}); without it, the server's reason.
        assert.ok((await page.locator('#verify-view').textContent()).length > 6);
        await axeClean(page, 'verify view');
      }
      // Without the case register the look-up answers 404 (shown as the server's reason).
      assert.deepEqual(
        errors.filter((e) => !/status of 404/.test(e)),
        [],
      );
    } finally {
      await ctx.close();
    }
  });
}

test("finding one's matter: by name, pinyin initials and material; grouped, in pinyin order; switching asks", async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/`, { viewport: PHONE });
  try {
    const picks = () => page.locator('[data-pick-matter]').evaluateAll((b) => b.map((x) => x.dataset.pickMatter));
    const all = await picks();
    assert.ok(all.length >= 10, `${all.length} matters`);
    // Grouped by department, each group in pinyin order of the Chinese names.
    const groups = await page
      .locator('.finder-group')
      .evaluateAll((gs) => gs.map((g) => [...g.querySelectorAll('[data-pick-matter]')].map((b) => b.textContent)));
    const coll = new Intl.Collator('zh-u-co-pinyin');
    for (const g of groups) assert.deepEqual(g, [...g].sort(coll.compare));
    await shot(page, 'people-phone-finder', false);
    await axeClean(page, 'finder');
    await page.fill('#matter-search', '公共场所');
    assert.deepEqual(await picks(), [MATTER]);
    await page.fill('#matter-search', 'ggcswsxk');
    assert.deepEqual(await picks(), [MATTER]);
    await page.fill('#matter-search', 'GGCS');
    assert.deepEqual(await picks(), [MATTER]);
    // A material name finds the matters that ask for it.
    // Material names arrive with every matter's rules: until then the count says it is still looking.
    await page.fill('#matter-search', '集中空调');
    await page.waitForFunction(() => !document.querySelector('#matter-count').textContent.includes('正在'));
    assert.deepEqual(await picks(), [MATTER]);
    assert.match(await page.locator('#matter-count').textContent(), /找到 1 个事项/);
    // Enter picks the result; the arrow keys in the list move focus only.
    await page.press('#matter-search', 'Enter');
    await page.locator('#f-unit_name').waitFor();
    assert.equal(await page.locator('#matter-name').textContent(), '公共场所卫生许可');
    await fill(page, 'unit_name', '某宾馆');
    await page.click('#change-matter');
    await page.fill('#matter-search', '');
    await page.locator('#matter-search').press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#f-unit_name').inputValue(), '某宾馆', 'arrows do not rebuild the form');
    // Switching asks before discarding answers; cancel keeps them.
    const other = all.find((id) => id !== MATTER);
    await page.click(`[data-pick-matter="${other}"]`);
    await page.locator('#switch-confirm').waitFor();
    await axeClean(page, 'switch confirm');
    await page.click('#switch-no');
    await page.click('#keep-matter');
    assert.equal(await page.locator('#f-unit_name').inputValue(), '某宾馆');
    await page.click('#change-matter');
    await page.click(`[data-pick-matter="${other}"]`);
    await page.click('#switch-yes');
    assert.equal(await page.locator('#f-unit_name').count(), 0);
    assert.equal(await outcome(page), 'blank');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('phone: typed as people type (the engine reads it), drafts kept on the device and cleared, progress, English chrome', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, { viewport: PHONE });
  try {
    // "+86 138-0013-8000", "1,200", full-width digits: accepted and shown as the engine read them.
    await fill(page, 'phone', '+86 138-0013-8000');
    await fill(page, 'floor_area', '1,200');
    await fill(page, 'responsible_person_id', '１１０１０５１９４９１２３１００２Ｘ');
    await page.locator('#f-responsible_person_id').blur();
    assert.equal(await page.locator('#fn-phone').textContent(), '已识别为：13800138000');
    assert.equal(await page.locator('#fn-floor_area').textContent(), '已识别为：1200');
    assert.equal(await page.locator('#fn-responsible_person_id').textContent(), '已识别为：11010519491231002X');
    for (const f of ['phone', 'floor_area', 'responsible_person_id'])
      assert.equal(await page.locator(`#fe-${f}`).isVisible(), false, f);
    // A length limit is said, not silently applied.
    assert.equal(await page.locator('#fl-unit_name').textContent(), '最多 100 个字');
    await fill(page, 'unit_name', '某'.repeat(120));
    assert.equal((await page.locator('#f-unit_name').inputValue()).length, 100);
    assert.match(await page.locator('#fl-unit_name').textContent(), /100 个字的上限/);
    await fill(page, 'unit_name', '东城区某某宾馆');
    // Progress on the form.
    assert.match(await page.locator('#progress-text').textContent(), /已完成 \d+ \/ \d+ 项/);
    // "原件" explained for uploads, once (not under every material).
    assert.ok((await page.locator('#upload-original').textContent()).includes('扫描件'));
    assert.equal(await page.locator('[data-upload-original]').count(), 1);
    // The draft is kept on this device: a reload brings the answers back and says so.
    await page.waitForTimeout(400);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('#f-unit_name').inputValue(), '东城区某某宾馆');
    assert.equal(await page.locator('#f-phone').inputValue(), '+86 138-0013-8000');
    assert.match(await page.locator('#draft-status').textContent(), /已恢复/);
    await shot(page, 'people-phone-draft', false);
    await axeClean(page, 'draft restored');
    // "Clear my data" wipes it, here and on reload.
    await page.click('#clear-data');
    assert.equal(await page.locator('#f-unit_name').inputValue(), '');
    assert.match(await page.locator('#draft-status').textContent(), /已清除/);
    assert.equal(await page.evaluate(() => localStorage.getItem('qiquan.draft.v1')), null);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('#f-unit_name').inputValue(), '');
    // English: the title, footer and chrome translated, Latin text in a Latin face.
    await page.click('#lang-toggle');
    assert.equal(await page.title(), 'Apply online · Government Service Centre');
    assert.match(await page.locator('.site-footer').textContent(), /Government Service Centre/);
    // A public page: no staff links, no developer wording.
    assert.equal(await page.locator('.site-footer a[href="/clerk.html"]').count(), 0);
    assert.doesNotMatch(await page.locator('.site-footer').textContent(), /engine|qiquan/);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.ok(!/^"?PingFang/.test(font), font);
    await shot(page, 'people-phone-en', false);
    await axeClean(page, 'english');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('phone: the questions come before the engine; typing then keeps its place when the checks arrive', async (t) => {
  if (!server.real) {
    t.skip('needs `qiquan serve --dev` for GET /v1/matters/{id}');
    return;
  }
  const ctx = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    let release;
    const held = new Promise((r) => {
      release = r;
    });
    await page.route('**/pkg/qiquan_bg.wasm', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${server.url}/?matter=${MATTER}`);
    await page.waitForSelector('body[data-early="true"]');
    assert.equal(await page.evaluate(() => document.body.dataset.ready), undefined);
    assert.equal(await outcome(page), 'blank');
    await page.locator('#f-unit_name').pressSequentially('东城区');
    await settle(page);
    await shot(page, 'people-phone-early', false);
    release();
    await page.waitForSelector('body[data-ready="true"]');
    await page.keyboard.type('某宾馆');
    await settle(page);
    assert.equal(await page.locator('#f-unit_name').inputValue(), '东城区某宾馆');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-unit_name');
    assert.equal(await outcome(page), 'correction_required');
    assert.equal(await page.locator('#mg-application_form').count(), 1);
    assert.equal(await page.locator('#applicant-kind').count(), 1);
    await axeClean(page, 'engine arrived after typing');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('phone: 容缺受理 shows what is still owed and by when', async (t) => {
  if (!server.real) {
    t.skip('needs `qiquan serve --dev`');
    return;
  }
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, {
    viewport: PHONE,
    now: '2026-03-02T09:30:00+08:00',
  });
  try {
    await fillAll(page);
    for (const m of ['application_form', 'identity_proof', 'hygiene_report']) await upload(page, m);
    await page.check('#pledge-sign');
    assert.equal(await outcome(page), 'accept_with_pledge');
    await page.click('#submit');
    await page.locator('#success').waitFor();
    assert.equal(await page.locator('#success').getAttribute('data-outcome'), 'accept_with_pledge');
    assert.deepEqual(await page.locator('#still-owed [data-owed]').evaluateAll((r) => r.map((x) => x.dataset.owed)), [
      'site_plans',
      'hygiene_rules',
    ]);
    assert.match(await page.locator('#still-owed').textContent(), /\d{4}年\d+月\d+日/);
    assert.equal(await page.locator('#pledge-panel').isVisible(), false);
    assert.equal(await noSideways(page), true);
    await page.locator('#success').scrollIntoViewIfNeeded();
    await shot(page, 'people-phone-pledge-accepted', false);
    await axeClean(page, 'pledge accepted');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
