// The clerk's 容缺台账 page (www/ledger.html) over the case register: 今日到期 / 即将到期 / 已逾期,
// CSV export, supply at the window. Needs the real `qiquan serve` (the register).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill, settle, staffHeaders } from './_harness.mjs';

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

/** A window application missing the tolerable hygiene rules, pledge signed: 容缺受理. */
async function pledged(key) {
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
          unit_name: '台账测试宾馆',
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
  const app = await r.json();
  assert.equal(app.outcome, 'accept_with_pledge');
  assert.equal(app.ledger.length, 1);
  return app;
}

const dayAfter = (d) => new Date(Date.parse(`${d}T00:00:00Z`) + 86400_000).toISOString().slice(0, 10);
const rows = (page) => page.locator('#ledger-table tr[data-entry]');

test('ledger: due today, supplied at the window, overdue and suspended, CSV', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const first = await pledged(`e2e-ledger-${Date.now()}-a`);
  const second = await pledged(`e2e-ledger-${Date.now()}-b`);
  const due = first.ledger[0].due;

  const { page, errors, ctx } = await openPage(browser, `${server.url}/ledger.html?due=today&as_of=${due}`);
  try {
    await page.locator('#ledger-count').waitFor();
    assert.equal(await rows(page).count(), 2, 'both are due that day');
    // Every tab says how many it holds.
    assert.equal(await page.locator('#count-today').textContent(), '2');
    assert.equal(await page.locator('#count-overdue').textContent(), '0');
    assert.match(await page.locator('#tab-today').textContent(), /今日到期\s*2/);
    // Grouped by case: the 文号 opens the case; whom to call, the matter, a masked phone.
    const group = page.locator(`tbody[data-application="${first.id}"]`);
    assert.equal(
      await group.locator('a[data-open-case]').getAttribute('href'),
      `/case.html?application=${encodeURIComponent(first.id)}`,
    );
    assert.match(await group.locator('th').textContent(), /台账测试宾馆/);
    const row = page.locator(`tr[data-entry="${first.ledger[0].id}"]`);
    assert.equal(await row.locator('.ledger-phone').textContent(), '139****5678');
    assert.match(await row.textContent(), /公共场所卫生许可/);
    assert.match(await row.textContent(), /未提醒/);
    assert.match(await group.textContent(), new RegExp(first.number.replace(/[〔〕]/g, '.')));
    assert.match(await row.textContent(), /待补交/);
    assert.match(await row.textContent(), /公共场所卫生管理制度/);
    const csvHref = await page.locator('#ledger-csv').getAttribute('href');
    assert.equal(csvHref, `/v1/ledger.csv?due=today&as_of=${due}`);
    const csv = await (await fetch(`${server.url}${csvHref}`, { headers: await staffHeaders(server) })).text();
    assert.ok(csv.includes(first.number) && csv.includes(second.number), csv);
    await shot(page, 'ledger-today');
    assert.deepEqual(await axeViolations(page), []);

    // Supplied at the window: gone from 今日到期, 已补交 under 全部.
    await row.locator('[data-action="supply"]').click();
    await page.locator('#ledger-message').waitFor();
    assert.equal(await rows(page).count(), 1);
    await page.click('#tab-all');
    await page.locator(`tr[data-entry="${first.ledger[0].id}"][data-status="supplied"]`).waitFor();
    assert.match(await page.locator(`tr[data-entry="${first.ledger[0].id}"]`).textContent(), /承诺已履行/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }

  // The day after the due date the other is overdue and its case suspended.
  const sweep = await fetch(`${server.url}/v1/ledger/sweep`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(await staffHeaders(server, 'supervisor')) },
    body: JSON.stringify({ as_of: dayAfter(due) }),
  });
  assert.equal(sweep.status, 200);
  const over = await openPage(browser, `${server.url}/ledger.html?due=overdue&as_of=${dayAfter(due)}`);
  try {
    await over.page.locator(`tr[data-entry="${second.ledger[0].id}"]`).waitFor();
    const text = await over.page.locator(`tr[data-entry="${second.ledger[0].id}"]`).textContent();
    assert.match(text, /已逾期/);
    assert.match(text, /已中止办理/);
    await shot(over.page, 'ledger-overdue');
    assert.deepEqual(await axeViolations(over.page), []);
    // Overdue first, and marked.
    assert.equal(
      await over.page.locator(`tr[data-entry="${second.ledger[0].id}"]`).getAttribute('class'),
      'ledger-overdue',
    );
    assert.equal(await over.page.locator('#count-overdue').textContent(), '1');
    // English.
    await over.page.click('#lang-toggle');
    await over.page.locator('#ledger-table', { hasText: 'Overdue; the case is suspended' }).waitFor();
    await over.page.click('#lang-toggle');
    // 免予补交 asks why, and reads as waived (never as supplied).
    const overdueRow = over.page.locator(`tr[data-entry="${second.ledger[0].id}"]`);
    await overdueRow.locator('[data-action="waive"]').click();
    const note = over.page.locator(`#waive-note-${second.ledger[0].id}`);
    await note.waitFor();
    assert.deepEqual(await axeViolations(over.page), []);
    await over.page.locator('[data-action="waive-confirm"]').click();
    assert.equal(await note.isVisible(), true, 'no waiver without a reason');
    await note.fill('经科室负责人批准，该材料已通过数据共享获取');
    await over.page.locator('[data-action="waive-confirm"]').click();
    await over.page.locator('#ledger-message', { hasText: '已免予补交' }).waitFor();
    await over.page.click('#tab-all');
    const waived = over.page.locator(`tr[data-entry="${second.ledger[0].id}"][data-status="waived"]`);
    await waived.waitFor();
    assert.match(await waived.locator('.ledger-status').textContent(), /免予补交/);
    assert.doesNotMatch(await waived.textContent(), /已补齐|已补交/);
    await shot(over.page, 'ledger-waived');
    // Reading the contacts is in the audit trail, with its reason.
    const trail = await (
      await fetch(`${server.url}/v1/audit/events?kind=personal_data_read`, {
        headers: await staffHeaders(server, 'auditor'),
      })
    ).json();
    assert.ok(
      trail.events.some((e) => e.detail.what === 'ledger_contacts' && e.detail.reason === '容缺台账：催告补交'),
      JSON.stringify(trail).slice(0, 400),
    );
    assert.deepEqual(over.errors, []);
  } finally {
    await over.ctx.close();
  }
});

test('window: the clerk records an application, gets its number once, and a pledge lands in the ledger', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const { page, errors, ctx } = await openPage(browser, `${server.url}/clerk.html?matter=${MATTER}`);
  try {
    await fill(page, 'unit_name', '窗口登记宾馆');
    await fill(page, 'uscc', '91370102MA3C0A019G');
    await fill(page, 'responsible_person_id', '370102198506153214');
    await fill(page, 'phone', '13912345678');
    // A long choice list is a select (请选择): the first real option.
    await page.selectOption('#f-venue_type', { index: 1 });
    await fill(page, 'floor_area', '300');
    await page.click('label[for="f-central_ac-false"]');
    await page.click('label[for="m-application_form"]');
    await page.click('label[for="m-identity_proof-original_and_copy"]');
    await page.click('label[for="m-site_plans"]');
    await page.click('label[for="m-hygiene_report"]');
    await page.locator('#pledge-panel:not([hidden])').waitFor();
    await page.click('label[for="pledge-sign"]');
    await settle(page);
    assert.equal(await page.locator('#outcome [data-outcome]').getAttribute('data-outcome'), 'accept_with_pledge');
    await page.click('#record');
    await page.locator('#recorded').waitFor({ timeout: 15000 });
    const number = await page.locator('#recorded').getAttribute('data-number');
    assert.match(number, /^明审服容〔\d{4}〕\d+号$/, '容缺受理 has its own series');
    assert.match(await page.locator('#recorded').textContent(), /容缺受理/);
    await page.click('#record');
    await page.locator('#recorded').waitFor();
    assert.equal(await page.locator('#recorded').getAttribute('data-number'), number, 'the same record');
    // The printed document is the recorded one: its 文号 is filled in.
    await page.click('#print');
    assert.match(await page.locator('#print-root').textContent(), new RegExp(number.replace(/[〔〕]/g, '.')));
    assert.equal(await page.evaluate(() => window.__printed), 1);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    // The owed hygiene rules are in the ledger under that number.
    const ledger = await (
      await fetch(`${server.url}/v1/ledger?status=owed`, { headers: await staffHeaders(server) })
    ).json();
    assert.ok(
      ledger.entries.some((e) => e.number === number && e.material === 'hygiene_rules'),
      JSON.stringify(ledger),
    );
  } finally {
    await ctx.close();
  }
});
