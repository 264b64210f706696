// The receipt's capability link (/?application=ID#capability=…) opens the applicant page on that
// application: the capability is read from the fragment (never sent in a URL), kept in memory,
// stripped from the address bar, and sent as X-Qiquan-Capability. A wrong one: "not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, staffHeaders } from './_harness.mjs';

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

/** A window application (容缺受理: a number and a receipt); its create answer has the link. */
async function created(key) {
  const material = (form) => ({ status: 'provided', form, medium: 'paper' });
  const r = await fetch(`${server.url}/v1/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...(await staffHeaders(server, 'clerk')) },
    body: JSON.stringify({
      matter: MATTER,
      submission: {
        applicant: { kind: 'enterprise_legal_person' },
        channel: 'window',
        pledge_signed: true,
        fields: {
          unit_name: '链接测试宾馆',
          uscc: '91370102MA3C0A019G',
          responsible_person_id: '370102198506153214',
          phone: '13912345678',
          venue_type: 'hotel',
          floor_area: 1200,
          central_ac: false,
        },
        materials: {
          application_form: material('original'),
          identity_proof: material('original_and_copy'),
          site_plans: material('original'),
          hygiene_report: material('original'),
        },
      },
    }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

test('the capability link opens the application; the fragment leaves the address bar', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const app = await created(`e2e-cap-${Date.now()}`);
  assert.match(app.capability, /^qqa_[A-Za-z0-9_-]{43}$/);
  assert.equal(app.capability_link, `/?application=${app.id}#capability=${app.capability}`);
  // A fresh browser context: nothing of the tab that created it.
  const ctx = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const sent = [];
  ctx.on('request', (r) => sent.push({ url: r.url(), cap: r.headers()['x-qiquan-capability'] ?? null }));
  const { page, errors } = await openPage(browser, `${server.url}${app.capability_link}`, { context: ctx });
  try {
    await page.locator('#my-application[data-found="true"]').waitFor();
    assert.equal(await page.locator('h1').textContent(), '我的申请');
    const facts = page.locator('#my-application-facts');
    assert.equal(await facts.locator('[data-app="number"] dd').textContent(), app.number);
    assert.equal(await facts.locator('[data-app="case_state"] dd').textContent(), app.case_state_label.zh);
    assert.equal(await facts.locator('[data-app="outcome"] dd').textContent(), app.verdict.outcome_label.zh);
    assert.equal(await facts.locator('[data-app="receipt_no"] dd').textContent(), app.receipt.receipt_no);
    // Out of the address bar (and history), never in any URL the page asked for.
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.evaluate(() => location.hash), '');
    assert.ok(!sent.some((r) => r.url.includes(app.capability)), 'no URL carries the capability');
    const read = sent.find((r) => new URL(r.url).pathname === `/v1/applications/${app.id}`);
    assert.equal(read?.cap, app.capability, 'sent as X-Qiquan-Capability');
    // The document, read with the capability, goes to print.
    await page.click('#my-application-document');
    await page.waitForFunction(() => window.__printed === 1);
    assert.ok((await page.locator('#print-root').textContent()).includes(app.number));
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('a wrong capability shows the not-found message and nothing of the application', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const app = await created(`e2e-cap-wrong-${Date.now()}`);
  const other = await created(`e2e-cap-other-${Date.now()}`);
  for (const link of [
    `/?application=${app.id}#capability=${other.capability}`,
    `/?application=${app.id}#capability=qqa_${'A'.repeat(43)}`,
    `/?application=${app.id}`,
  ]) {
    const { page, ctx } = await openPage(browser, `${server.url}${link}`);
    try {
      await page.locator('#my-application[data-found="false"]').waitFor();
      assert.match(await page.locator('#my-application-error').textContent(), /^找不到这份申请/);
      assert.equal(await page.locator('#my-application-facts').count(), 0);
      assert.ok(!(await page.content()).includes(app.number), link);
      assert.equal(new URL(page.url()).hash, '');
    } finally {
      await ctx.close();
    }
  }
});
