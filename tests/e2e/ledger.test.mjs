// The clerk's 容缺台账 page (www/ledger.html) over the case register: 今日到期 / 即将到期 / 已逾期,
// CSV export, supply at the window. Needs the real `qiquan serve` (the register).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
let server, browser;

before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** A window application missing the tolerable hygiene rules, pledge signed: 容缺受理. */
async function pledged(key) {
  const material = (form) => ({ status: 'provided', form, medium: 'paper' });
  const r = await fetch(`${server.url}/v1/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify({
      matter: MATTER,
      submission: {
        applicant: { kind: 'enterprise_legal_person' }, channel: 'window', pledge_signed: true,
        fields: { unit_name: '台账测试宾馆', uscc: '91370102MA3C0A019G', responsible_person_id: '370102198506153214', phone: '13912345678', venue_type: 'hotel', floor_area: 1200, central_ac: false },
        materials: { application_form: material('original'), identity_proof: material('original_and_copy'), site_plans: material('original'), hygiene_report: material('original') },
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
const rows = (page) => page.locator('#ledger-table tbody tr');

test('ledger: due today, supplied at the window, overdue and suspended, CSV', async (t) => {
  if (!server.real) { t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)'); return; }
  const first = await pledged(`e2e-ledger-${Date.now()}-a`);
  const second = await pledged(`e2e-ledger-${Date.now()}-b`);
  const due = first.ledger[0].due;

  const { page, errors, ctx } = await openPage(browser, `${server.url}/ledger.html?due=today&as_of=${due}`);
  try {
    await page.locator('#ledger-count').waitFor();
    assert.equal(await rows(page).count(), 2, 'both are due that day');
    const row = page.locator(`tr[data-entry="${first.ledger[0].id}"]`);
    assert.match(await row.textContent(), new RegExp(first.number.replace(/[〔〕]/g, '.')));
    assert.match(await row.textContent(), /待补交/);
    assert.match(await row.textContent(), /公共场所卫生管理制度/);
    const csvHref = await page.locator('#ledger-csv').getAttribute('href');
    assert.equal(csvHref, `/v1/ledger.csv?due=today&as_of=${due}`);
    const csv = await (await fetch(`${server.url}${csvHref}`)).text();
    assert.ok(csv.includes(first.number) && csv.includes(second.number), csv);
    await shot(page, 'ledger-today');
    assert.deepEqual(await axeViolations(page), []);

    // Supplied at the window: gone from 今日到期, 已补交 under 全部.
    await row.locator('[data-action="supply"]').click();
    await page.locator('#ledger-message').waitFor();
    assert.equal(await rows(page).count(), 1);
    await page.click('#tab-all');
    await page.locator(`tr[data-entry="${first.ledger[0].id}"][data-status="supplied"]`).waitFor();
    assert.match(await page.locator(`tr[data-entry="${first.ledger[0].id}"]`).textContent(), /已补齐，承诺已履行/);
    assert.deepEqual(errors, []);
  } finally { await ctx.close(); }

  // The day after the due date the other is overdue and its case suspended.
  const sweep = await fetch(`${server.url}/v1/ledger/sweep`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as_of: dayAfter(due) }),
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
    // English.
    await over.page.click('#lang-toggle');
    await over.page.locator('#ledger-table', { hasText: 'Overdue; the case is suspended' }).waitFor();
    assert.deepEqual(over.errors, []);
  } finally { await over.ctx.close(); }
});
