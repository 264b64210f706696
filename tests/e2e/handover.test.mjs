// Kiosk → window hand-over (issue 15): the kiosk stores its answers on the server under a short
// code, shown with its QR code; the clerk's page loads the code and starts from exactly those
// answers. Needs the real `qiquan serve` (the case register).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot } from './_harness.mjs';

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
const FIELDS = {
  unit_name: '东城区某某宾馆',
  uscc: '91110000802100433B',
  responsible_person_id: '11010519491231002X',
  phone: '13800138000',
  floor_area: '80',
};

/** Fills the kiosk form: every field, and three of the five materials ticked as brought. */
async function kioskAnswers(page) {
  await page.click(`.tile[data-matter="${MATTER}"]`);
  for (const [id, value] of Object.entries(FIELDS)) await page.fill(`#f-${id}`, value);
  await page.click('label[for="f-venue_type"]');
  await page.click('label[for="f-central_ac-false"]');
  for (const m of ['application_form', 'identity_proof', 'hygiene_report']) await page.click(`label[for="m-${m}"]`);
}

test('kiosk → clerk: a code and QR on the kiosk, the same answers at the window', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const kiosk = await openPage(browser, `${server.url}/kiosk.html`, { viewport: { width: 1280, height: 1024 } });
  let code, kioskOutcome;
  try {
    await kioskAnswers(kiosk.page);
    kioskOutcome = await outcome(kiosk.page);
    await kiosk.page.click('#see-result');
    const codeEl = kiosk.page.locator('#handover-code');
    await codeEl.waitFor({ timeout: 15000 });
    code = (await codeEl.textContent()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);
    const qrWidth = await kiosk.page.locator('.handover-qr').evaluate(async (img) => {
      if (!img.complete)
        await new Promise((r) => {
          img.onload = r;
          img.onerror = r;
        });
      return img.naturalWidth;
    });
    assert.ok(qrWidth >= 200, `QR code image loaded (${qrWidth} px)`);
    // Re-rendering the result a second later (a new received_at on the page) keeps the same code:
    // the hand-over is keyed on the answers, not on the page's clock.
    await kiosk.page.click('#edit');
    await kiosk.page.waitForTimeout(1100);
    await kiosk.page.click('#see-result');
    await kiosk.page.locator('#handover-code').waitFor();
    assert.equal((await kiosk.page.locator('#handover-code').textContent()).trim(), code);
    await shot(kiosk.page, 'kiosk-handover');
    assert.deepEqual(await axeViolations(kiosk.page), []);
    assert.deepEqual(kiosk.errors, []);
  } finally {
    await kiosk.ctx.close();
  }

  // The clerk opens the code from a link (the QR scanner or a typed URL) …
  const clerk = await openPage(browser, `${server.url}/clerk.html?handover=${code}`);
  try {
    const { page } = clerk;
    await page.locator('#handover-status', { hasText: code }).waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#matter-select').inputValue(), MATTER);
    for (const [id, value] of Object.entries(FIELDS)) {
      assert.equal(await page.locator(`#f-${id}`).inputValue(), value, id);
    }
    assert.equal(await page.locator('#f-central_ac-false').isChecked(), true);
    assert.equal(await page.locator('#m-application_form').isChecked(), true, 'brought → received (original)');
    assert.equal(
      await page.locator('#m-identity_proof-original_and_copy').isChecked(),
      true,
      'the form the material needs',
    );
    assert.equal(await page.locator('#m-site_plans-missing').isChecked(), true, 'not brought → missing');
    assert.equal(await outcome(page), kioskOutcome, "the window reaches the kiosk's verdict");
    await shot(page, 'clerk-handover');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(clerk.errors, []);
  } finally {
    await clerk.ctx.close();
  }

  // … or types it (any case); a wrong code says so, and so does a code already opened: a code
  // opens once, for the first clerk who loads it (docs/security.md).
  const typed = await openPage(browser, `${server.url}/clerk.html`);
  try {
    const { page } = typed;
    await page.fill('#handover-input', 'zzzzzz');
    await page.click('#handover-load');
    await page.locator('#handover-status.inset-bad').waitFor();
    assert.match(await page.locator('#handover-status').textContent(), /没有这个交接码/);
    await page.fill('#handover-input', code.toLowerCase());
    await page.click('#handover-load');
    await page.locator('#handover-status.inset-bad').waitFor();
    assert.match(await page.locator('#handover-status').textContent(), /没有这个交接码/);
  } finally {
    await typed.ctx.close();
  }
});

test('online: the applicant page gives a code too, and the window loads it', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const online = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  let code;
  try {
    await online.page.fill('#f-unit_name', FIELDS.unit_name);
    await online.page.fill('#f-phone', FIELDS.phone);
    await online.page.click('#handover-get');
    await online.page.locator('#handover-code').waitFor({ timeout: 15000 });
    code = (await online.page.locator('#handover-code').textContent()).trim();
    assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);
    assert.deepEqual(await axeViolations(online.page), []);
    assert.deepEqual(online.errors, []);
  } finally {
    await online.ctx.close();
  }
  const clerk = await openPage(browser, `${server.url}/clerk.html?handover=${code}`);
  try {
    await clerk.page.locator('#handover-status', { hasText: code }).waitFor({ timeout: 15000 });
    assert.equal(await clerk.page.locator('#f-unit_name').inputValue(), FIELDS.unit_name);
    assert.equal(await clerk.page.locator('#f-phone').inputValue(), FIELDS.phone);
  } finally {
    await clerk.ctx.close();
  }
});
