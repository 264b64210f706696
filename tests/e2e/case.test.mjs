// The clerk's case view and work queue (www/case.html) over the case register: online
// applications waiting, newest first, filtered; opened by 文号 (or a hand-over code, which the
// window form loads); answers read with a reason; files previewed in the page (PDF and PNG);
// a file marked flawed; the audit trail; each document printed. Needs the real `qiquan serve`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { startServer, launch, openPage, axeViolations, shot, staffHeaders, MINIMAL_PDF } from './_harness.mjs';

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

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A real 2×2 red PNG (the server checks past the magic bytes). */
function tinyPng() {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.from([0, 255, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page A4 PDF with its cross-reference table at the right offsets (the viewer draws it). */
function onePagePdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj ${o} endobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) out += `${String(at).padStart(10, '0')} 00000 n \n`;
  out += `trailer << /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}
const PDF = onePagePdf();

const FIELDS = {
  unit_name: '网上审核宾馆',
  uscc: '91370102MA3C0A019G',
  responsible_person_id: '370102198506153214',
  phone: '13912345678',
  venue_type: 'hotel',
  floor_area: 300,
  central_ac: false,
};

/** An online application as the applicant page makes it: a draft, its files, then 提交. */
async function onlineApplication() {
  const r = await fetch(`${server.url}/v1/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-case-${Date.now()}` },
    body: JSON.stringify({
      matter: MATTER,
      draft: true,
      submission: { applicant: { kind: 'enterprise_legal_person' }, fields: FIELDS },
    }),
  });
  assert.equal(r.status, 201, await r.clone().text());
  const draft = await r.json();
  const cap = { 'X-Qiquan-Capability': draft.capability };
  const files = {
    application_form: ['application/pdf', PDF],
    identity_proof: ['image/png', tinyPng()],
    site_plans: ['application/pdf', MINIMAL_PDF],
    hygiene_report: ['application/pdf', MINIMAL_PDF],
    hygiene_rules: ['application/pdf', MINIMAL_PDF],
  };
  for (const [material, [type, body]] of Object.entries(files)) {
    const u = await fetch(`${server.url}/v1/applications/${draft.id}/materials/${material}`, {
      method: 'PUT',
      headers: { 'Content-Type': type, ...cap },
      body,
    });
    assert.equal(u.status, 200, `${material}: ${await u.text()}`);
  }
  const s = await fetch(`${server.url}/v1/applications/${draft.id}/submit`, { method: 'POST', headers: cap });
  assert.equal(s.status, 200, await s.clone().text());
  const app = await s.json();
  assert.ok(app.number, JSON.stringify(app));
  return app;
}

test('case view: the queue, one application by its number, answers, previews, a flaw, the trail, printing', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const app = await onlineApplication();
  const { page, errors, ctx } = await openPage(browser, `${server.url}/case.html`);
  try {
    // The queue: the online application, waiting, newest first.
    await page.locator(`#queue-table tr[data-application="${app.id}"]`).waitFor();
    const first = await page.locator('#queue-table tbody tr').first().getAttribute('data-application');
    assert.equal(first, app.id, 'newest first');
    assert.match(await page.locator(`#queue-table tr[data-application="${app.id}"]`).textContent(), /5 份/);
    await shot(page, 'case-queue');
    assert.deepEqual(await axeViolations(page), []);
    // Filtered to another matter: not listed.
    const other = await page
      .locator('#q-matter option')
      .evaluateAll((os) => os.map((o) => o.value).find((v) => v && v !== 'public_place_hygiene_license'));
    await page.selectOption('#q-matter', other);
    await page.locator(`#queue-table tr[data-application="${app.id}"]`).waitFor({ state: 'detached' });
    await page.selectOption('#q-matter', MATTER);
    await page.locator(`#queue-table tr[data-application="${app.id}"]`).waitFor();

    // Opened by its 文号.
    await page.fill('#open-input', app.number);
    await page.click('#open-go');
    await page.locator(`#case-title[data-application="${app.id}"]`).waitFor();
    assert.equal(await page.locator('#case-title').textContent(), app.number);
    assert.equal(await page.locator('#case-outcome [data-outcome]').getAttribute('data-outcome'), app.outcome);
    assert.deepEqual(await axeViolations(page), []);

    // Answers, with the reason given.
    await page.click('#show-answers');
    await page.locator('#case-answers').waitFor();
    assert.equal(await page.locator('#case-answers dd[data-field="unit_name"]').textContent(), FIELDS.unit_name);

    // Previews: the PDF in a frame, the PNG as an image, both from the bytes received.
    const [file] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/materials/application_form?')),
      page.click('#preview-application_form'),
    ]);
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'application/pdf');
    assert.equal(file.headers()['cache-control'], 'no-store');
    const direct = await fetch(
      `${server.url}/v1/applications/${app.id}/materials/application_form?reason=${encodeURIComponent('核对')}`,
      { headers: await staffHeaders(server, 'clerk') },
    );
    assert.equal(Buffer.from(await direct.arrayBuffer()).toString('latin1'), PDF, 'the bytes received, decrypted');
    const noReason = await fetch(`${server.url}/v1/applications/${app.id}/materials/application_form`, {
      headers: await staffHeaders(server, 'clerk'),
    });
    assert.equal(noReason.status, 400);
    const frame = page.locator('#pv-application_form iframe');
    await frame.waitFor();
    assert.match(await frame.getAttribute('src'), /^blob:/);
    await page.click('#preview-identity_proof');
    const img = page.locator('#pv-identity_proof img');
    await img.waitFor();
    await page.waitForFunction(() => document.querySelector('#pv-identity_proof img')?.naturalWidth === 2);
    await shot(page, 'case-preview');
    assert.deepEqual(await axeViolations(page), []);

    // A flaw, with its reason.
    await page.click('#flaw-hygiene_report');
    await page.fill('#flaw-note-hygiene_report', '未加盖公章');
    await page.click('#flaw-save-hygiene_report');
    await page.locator('li[data-material="hygiene_report"][data-flawed="true"]').waitFor();
    assert.match(await page.locator('li[data-material="hygiene_report"]').textContent(), /未加盖公章/);
    assert.deepEqual(await axeViolations(page), []);

    // The trail: the reads (with their reason) and the flaw.
    await page.locator('#trail-table tr[data-kind="material_flawed"]').waitFor();
    assert.ok((await page.locator('#trail-table tr[data-kind="personal_data_read"]').count()) >= 3);
    assert.match(await page.locator('#trail-table').textContent(), /审核网上申请材料/);

    // Each document printed from here, its 文号 filled in.
    await page.click('#print-notice');
    await page.waitForFunction(() => window.__printed === 1);
    assert.ok((await page.locator('#print-root').textContent()).includes(app.number));
    await shot(page, 'case-view');

    // The reads are in the audit trail as the auditor sees it.
    const events = await (
      await fetch(`${server.url}/v1/applications/${app.id}/events`, { headers: await staffHeaders(server, 'auditor') })
    ).json();
    const reads = events.events.filter((e) => e.kind === 'personal_data_read').map((e) => e.detail);
    assert.ok(
      reads.some((d) => d.what === 'file' && d.material === 'identity_proof' && d.reason === '审核网上申请材料'),
    );
    assert.ok(reads.some((d) => d.what === 'answers'));

    // English.
    await page.click('#lang-toggle');
    await page.locator('#files-h', { hasText: 'Uploaded materials' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('case view: a window application is not in the online queue; a wrong number says so; a hand-over code opens the window form', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const material = (form) => ({ status: 'provided', form, medium: 'paper' });
  const w = await fetch(`${server.url}/v1/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(await staffHeaders(server, 'clerk')) },
    body: JSON.stringify({
      matter: MATTER,
      submission: {
        applicant: { kind: 'enterprise_legal_person' },
        fields: FIELDS,
        materials: {
          application_form: material('original'),
          identity_proof: material('original_and_copy'),
          site_plans: material('original'),
          hygiene_report: material('original'),
          hygiene_rules: material('original'),
        },
      },
    }),
  });
  assert.equal(w.status, 201);
  const windowApp = await w.json();
  const handover = await (
    await fetch(`${server.url}/v1/handover`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matter: MATTER,
        submission: { applicant: { kind: 'enterprise_legal_person' }, fields: FIELDS },
      }),
    })
  ).json();

  const { page, errors, ctx } = await openPage(browser, `${server.url}/case.html`);
  try {
    await page.locator('#queue-count').waitFor();
    assert.equal(await page.locator(`#queue-table tr[data-application="${windowApp.id}"]`).count(), 0);
    await page.selectOption('#q-channel', 'all');
    await page.locator(`#queue-table tr[data-application="${windowApp.id}"]`).waitFor();

    await page.fill('#open-input', '明审服受〔1999〕999999号');
    await page.click('#open-go');
    await page.locator('#case-message', { hasText: '没有这个文号的申请' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);

    await page.fill('#open-input', handover.code.toLowerCase());
    await Promise.all([page.waitForURL(/clerk\.html\?handover=/), page.click('#open-go')]);
    await page.locator('#handover-status', { hasText: handover.code }).waitFor({ timeout: 20000 });
    assert.equal(await page.inputValue('#f-unit_name'), FIELDS.unit_name);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
