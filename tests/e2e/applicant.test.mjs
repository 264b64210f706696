// Applicant page (www/index.html) in real Chromium: the form generated from matter(), live checks,
// the error summary, the pledge, dates, the en toggle, and the submit re-check by the server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill, MINIMAL_PDF } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
// A Monday: online receipt → accepted the next working day, 2026-03-03.
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

const outcome = (page) => page.locator('#outcome [data-outcome]').getAttribute('data-outcome');
const upload = (page, id) =>
  page.setInputFiles(`#m-${id}`, {
    name: `${id}.pdf`,
    mimeType: 'application/pdf',
    buffer: Buffer.from(MINIMAL_PDF),
  });

async function fillAllFields(page) {
  await fill(page, 'unit_name', '东城区某某宾馆');
  await fill(page, 'uscc', '91110000802100433B');
  await fill(page, 'responsible_person_id', '11010519491231002X');
  await fill(page, 'phone', '13800138000');
  await page.selectOption('#f-venue_type', { index: 1 }); // first option: 宾馆、旅店、招待所
  await fill(page, 'floor_area', '120');
  await page.check('#f-central_ac-false');
}

test('the form is generated from the matter and goes from 补正 to 受理 as it is filled', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/`, { now: NOW });
  try {
    // Pick the matter from the list the engine gives.
    await page.fill('#matter-search', '卫生许可');
    await page.click(`[data-pick-matter="${MATTER}"]`);
    // Nothing answered yet: a neutral result, not "需补正材料", and no wall of errors.
    assert.equal(await outcome(page), 'blank');
    assert.equal(await page.locator('#outcome-label').textContent(), '尚未填写');
    assert.equal(await page.locator('#error-summary').isVisible(), false);
    assert.equal(await page.locator('#show-all').isVisible(), false);
    await fill(page, 'unit_name', '东城区某某宾馆');
    assert.equal(await outcome(page), 'correction_required');
    assert.equal(await page.locator('#outcome-label').textContent(), '需补正材料');
    // The count of what is outstanding, not the problems themselves.
    assert.match(await page.locator('#show-all').textContent(), /显示全部待处理问题（\d+项）/);
    // Key materials are marked 主件.
    assert.equal(await page.locator('#mg-application_form .tag-key').textContent(), '主件');
    assert.equal(await page.locator('#mg-site_plans .tag-key').count(), 0);
    assert.equal(await page.locator('#mg-site_plans .tag-tolerable').textContent(), '可容缺');

    // A bad ID number: the summary and the field show the engine's message, and the link focuses the field.
    await fill(page, 'responsible_person_id', '110105194912310021');
    await page.locator('#error-summary').waitFor();
    assert.equal(await page.locator('#error-summary-title').textContent(), '有以下问题需要处理');
    const link = page.locator('#error-summary a[href="#f-responsible_person_id"]');
    const msg = await link.textContent();
    assert.ok(msg.length > 4, msg);
    assert.equal(
      await page
        .locator('#fe-responsible_person_id')
        .innerText()
        .then((s) => s.includes(msg)),
      true,
    );
    assert.equal(await page.locator('#f-responsible_person_id').getAttribute('aria-invalid'), 'true');
    await link.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-responsible_person_id');

    // Not answered yet: the conditional material is shown with the engine's "如……" hint
    // (checklist applies "unknown"), so nothing the applicant may need is left out.
    assert.equal(await page.locator('#mg-central_ac_report').getAttribute('data-applies'), 'unknown');
    assert.equal(await page.locator('#mg-central_ac_report').isVisible(), true);
    assert.equal(
      await page.locator('#mg-central_ac_report .condition-hint').textContent(),
      '如“是否使用集中空调通风系统”为“是”，须提交此材料。',
    );

    await fillAllFields(page);
    // The conditional material appears and disappears with the answer (checklist.applies).
    await page.check('#f-central_ac');
    assert.equal(await page.locator('#mg-central_ac_report').isVisible(), true);
    assert.equal(await page.locator('#mg-central_ac_report').getAttribute('data-applies'), 'true');
    assert.equal(await page.locator('#mg-central_ac_report .condition-hint').count(), 0);
    await page.check('#f-central_ac-false');
    assert.equal(await page.locator('#mg-central_ac_report').isVisible(), false);
    // uscc applies to organisations only.
    await page.check('#applicant-kind-natural_person');
    assert.equal(await page.locator('#fg-uscc').isVisible(), false);
    await page.check('#applicant-kind');
    assert.equal(await page.locator('#fg-uscc').isVisible(), true);

    for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report']) await upload(page, m);
    assert.equal(await outcome(page), 'correction_required');
    await shot(page, 'applicant-correction');
    await upload(page, 'hygiene_rules');
    assert.equal(await outcome(page), 'accept');
    assert.equal(await page.locator('#outcome-label').textContent(), '受理');
    assert.equal(await page.locator('#error-summary').isVisible(), false);
    assert.match(await page.locator('#ms-hygiene_rules').textContent(), /已提供：hygiene_rules\.pdf/);

    // Dates "if accepted today", as the engine computed them; online → acceptance on the next working day.
    const date = (k) => page.locator(`#dates [data-date="${k}"] dd`).textContent();
    assert.equal(await date('accepted_on'), '2026年3月3日');
    assert.equal(await date('promised_due'), '2026年3月17日');
    assert.equal(await date('statutory_due'), '2026年3月31日');
    assert.equal(await page.locator('#provisional-note').count(), 0);
    await shot(page, 'applicant-accept');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('only tolerable materials missing: the pledge is offered and signing gives 容缺受理', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, { now: NOW });
  try {
    await fillAllFields(page);
    for (const m of ['application_form', 'identity_proof', 'hygiene_report']) await upload(page, m);
    assert.equal(await outcome(page), 'correction_required');
    const panel = page.locator('#pledge-panel');
    await panel.waitFor();
    assert.deepEqual(
      await panel.locator('[data-pledge-item]').evaluateAll((rows) => rows.map((r) => r.dataset.pledgeItem)),
      ['site_plans', 'hygiene_rules'],
    );
    assert.equal(await page.locator('#pledge-due').textContent(), '2026年3月10日');
    // The offer shows the matter's own terms; the ledger's rule (中止, then 终止) is printed on the
    // 信用承诺书 itself (documents.test.mjs, clerk.test.mjs).
    assert.match(await panel.textContent(), /违反承诺的，记入信用记录/);
    await shot(page, 'applicant-pledge-offer');
    assert.deepEqual(await axeViolations(page), []);
    await page.check('#pledge-sign');
    assert.equal(await outcome(page), 'accept_with_pledge');
    assert.equal(await page.locator('#outcome-label').textContent(), '容缺受理');
    assert.equal(await page.locator('#dates [data-date="pledge_due"] dd').textContent(), '2026年3月10日');
    // Supplying a key material problem withdraws the offer and the signature.
    await page.click('#mr-identity_proof');
    assert.equal(await outcome(page), 'correction_required');
    assert.equal(await page.locator('#pledge-panel').isVisible(), false);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('dates in a year without a published holiday notice are marked provisional', async () => {
  const { page, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, {
    now: '2026-12-18T10:00:00+08:00',
  });
  try {
    const note = page.locator('#provisional-note');
    await note.waitFor();
    assert.match(await note.textContent(), /暂定日期/);
  } finally {
    await ctx.close();
  }
});

test('the en toggle switches every engine text and the page chrome', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`, { now: NOW });
  try {
    await page.click('#lang-toggle');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.locator('h1.page-title').textContent(), 'Apply online');
    assert.equal(await page.locator('#outcome-label').textContent(), 'Not started yet');
    await fill(page, 'unit_name', 'x');
    assert.equal(await page.locator('#outcome-label').textContent(), 'Correction required');
    assert.equal(await page.locator('label[for="f-unit_name"]').textContent(), 'Name of the establishment');
    assert.equal(await page.locator('#mg-application_form .tag-key').textContent(), 'Key');
    await page.click('#show-all');
    assert.equal(await page.locator('#error-summary-title').textContent(), 'There is a problem');
    await shot(page, 'applicant-en');
    assert.deepEqual(await axeViolations(page), []);
    await page.click('#lang-toggle');
    assert.equal(await page.locator('#error-summary-title').textContent(), '有以下问题需要处理');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('submit: the server re-checks, issues a receipt, and its verdict wins when it disagrees', async (t) => {
  if (!server.real) {
    t.skip('needs `qiquan serve --dev` (no binary with `serve` found)');
    return;
  }
  // Recorded in the case register: every file uploaded, the case number (文号) on the receipt.
  {
    const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
    try {
      await fillAllFields(page);
      for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules'])
        await upload(page, m);
      assert.equal(await outcome(page), 'accept');
      await page.click('#submit');
      await page.locator('#success').waitFor();
      assert.equal(await page.locator('#success').getAttribute('data-outcome'), 'accept');
      const number = await page.locator('#receipt [data-receipt="document_number"] dd').textContent();
      assert.match(number, /^明审服受〔\d{4}〕\d+号$/);
      assert.equal(await page.locator('#receipt [data-receipt="receipt_no"] dd').textContent(), number);
      for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules']) {
        assert.equal(await page.locator(`#ms-${m}`).getAttribute('data-upload'), 'done', m);
      }
      assert.match(await page.locator('#ms-hygiene_rules').textContent(), /已上传到服务器/);
      // The receipt carries the capability link; another browser opens the application with it.
      const link = await page.locator('#capability-link').getAttribute('href');
      assert.match(link, /\/\?application=app[^#]+#capability=qqa_[A-Za-z0-9_-]{43}$/);
      {
        const other = await openPage(browser, link);
        try {
          await other.page.locator('#my-application[data-found="true"]').waitFor();
          assert.equal(await other.page.locator('[data-app="number"] dd').textContent(), number);
          assert.equal(new URL(other.page.url()).hash, '');
        } finally {
          await other.ctx.close();
        }
      }
      // 提交 is done; a forced second tap: the same record and the same receipt, not a second one.
      assert.equal(await page.locator('#submit').isDisabled(), true);
      await page.evaluate(() => {
        const b = document.getElementById('submit');
        b.disabled = false;
        b.click();
      });
      assert.equal(await page.locator('#receipt [data-receipt="document_number"] dd').textContent(), number);
      // The printed receipt carries the 文号 (the register's numbered document).
      await page.click('#print-receipt');
      assert.match(await page.locator('#print-root').textContent(), /明审服受〔\d{4}〕\d+号/);
      await shot(page, 'applicant-receipt');
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  }
  // A client whose verdict differs (stale rules, tampering): the server says so and wins.
  {
    const { page, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
    try {
      await fillAllFields(page);
      for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules'])
        await upload(page, m);
      await page.route('**/v1/matters/*/check', async (route) => {
        const body = JSON.parse(route.request().postData());
        body.client_verdict_digest = 'sha256:' + '0'.repeat(64);
        await route.continue({ postData: JSON.stringify(body) });
      });
      await page.click('#submit');
      await page.locator('#server-agreement[data-agrees="false"]').waitFor();
      assert.match(await page.locator('#server-agreement').textContent(), /以服务器结果为准/);
    } finally {
      await ctx.close();
    }
  }
  // An incomplete application: no receipt, the server's one-time notice instead, and 提交 stays open.
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  try {
    await fillAllFields(page);
    for (const m of ['application_form', 'site_plans', 'hygiene_report', 'hygiene_rules']) await upload(page, m);
    await page.click('#submit');
    await page.locator('#no-receipt').waitFor();
    assert.equal(
      await page.locator('#server-outcome [data-outcome]').getAttribute('data-outcome'),
      'correction_required',
    );
    assert.match(await page.locator('#server-findings').textContent(), /法定代表人或者负责人身份证明/);
    assert.equal(await page.locator('#submit').isDisabled(), false);
    assert.equal(await page.locator('#success').count(), 0);
    assert.match(await page.locator('#registered').getAttribute('data-number'), /^明审服补〔\d{4}〕\d+号$/);
    assert.deepEqual(
      errors.filter((e) => !/status of 4\d\d/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
});

test('uploads: a dropped upload is retried; a file of the wrong type is refused and nothing is receipted', async (t) => {
  if (!server.real) {
    t.skip('needs `qiquan serve --dev` (no binary with `serve` found)');
    return;
  }
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  try {
    await fillAllFields(page);
    for (const m of ['application_form', 'identity_proof', 'site_plans', 'hygiene_report']) await upload(page, m);
    // Named a PDF but not one inside: the page cannot tell, the server refuses it (415).
    await page.setInputFiles('#m-hygiene_rules', {
      name: 'rules.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('plain text'),
    });
    let dropped = 0;
    await page.route('**/materials/application_form', async (route) => {
      if (dropped === 0) {
        dropped += 1;
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await page.click('#submit');
    await page.locator('#register-error').waitFor({ timeout: 20000 });
    assert.equal(dropped, 1, 'the first upload was dropped');
    assert.equal(await page.locator('#ms-application_form').getAttribute('data-upload'), 'done', 'retried');
    assert.equal(await page.locator('#ms-hygiene_rules').getAttribute('data-upload'), 'failed');
    assert.match(await page.locator('#ms-hygiene_rules').textContent(), /上传失败：文件内容不是完整有效的 PDF 文件/);
    assert.equal(await page.locator('#receipt').count(), 0, 'no receipt');
    assert.match(await page.locator('#register-error').textContent(), /有材料文件未能上传/);
    await shot(page, 'applicant-upload-refused');
    assert.deepEqual(await axeViolations(page), []);
    // The right file: only it is uploaded now, and the application is recorded.
    await page.unroute('**/materials/application_form');
    await upload(page, 'hygiene_rules');
    await page.click('#submit');
    await page.locator('#success').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#success').getAttribute('data-outcome'), 'accept');
    assert.match(
      await page.locator('#receipt [data-receipt="document_number"] dd').textContent(),
      /^明审服受〔\d{4}〕\d+号$/,
    );
    assert.deepEqual(
      errors.filter((e) => !/status of 4\d\d|ERR_CONNECTION_RESET|Failed to load resource/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
});

test('an empty 提交 numbers nothing: the 补 sequence stays gap-free', async (t) => {
  if (!server.real) {
    t.skip('needs `qiquan serve --dev` (no binary with `serve` found)');
    return;
  }
  /** A window 补正 (one material flawed), recorded by a clerk: its 文号's sequence number. */
  const correction = async () => {
    const token = await (
      await fetch(`${server.url}/dev-issuer/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=password&username=clerk',
      })
    ).json();
    const r = await fetch(`${server.url}/v1/applications`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({
        matter: MATTER,
        submission: {
          applicant: { kind: 'enterprise_legal_person' },
          fields: { unit_name: '序号宾馆', uscc: '91110000802100433B' },
          materials: { hygiene_report: { status: 'flawed', note: '未盖章' } },
        },
      }),
    });
    assert.equal(r.status, 201);
    const app = await r.json();
    assert.equal(app.outcome, 'correction_required');
    return Number(app.number.match(/〕(\d+)号/)[1]);
  };
  const before = await correction();
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  try {
    await page.click('#submit');
    const refused = page.locator('#register-error[data-code="not_identifiable"]');
    await refused.waitFor({ timeout: 15000 });
    assert.match(await refused.textContent(), /申请人尚不明确/);
    assert.equal(await page.locator('#registered').count(), 0, 'no number');
    await shot(page, 'applicant-empty-submit');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(
      errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
  assert.equal(await correction(), before + 1, 'the empty 提交 took no number');
});

test("uploads are checked when chosen, from the material's limits: type in words, empty, too large; nothing is sent", async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  const sent = [];
  page.on('request', (r) => {
    if (r.url().includes('/materials/')) sent.push(r.url());
  });
  try {
    // The limit beside the picker.
    assert.equal(await page.locator('#ml-hygiene_rules').textContent(), 'PDF、JPG 或 PNG，每份不超过 10 MB');
    const choose = async (name, mimeType, buffer) => {
      await page.setInputFiles('#m-hygiene_rules', { name, mimeType, buffer });
      return page.locator('#mp-hygiene_rules');
    };
    const notProvided = async () => {
      assert.equal(await page.locator('#ms-hygiene_rules').textContent(), '未提供');
      assert.equal(await page.locator('#mr-hygiene_rules').isHidden(), true);
    };
    let problem = await choose(
      'rules.docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      Buffer.from('PK'),
    );
    assert.equal(await problem.textContent(), '“rules.docx”不是该材料接受的文件类型：只接受 PDF、JPG 或 PNG。');
    await notProvided();
    await shot(page, 'applicant-upload-wrong-type');
    assert.deepEqual(await axeViolations(page), []);
    problem = await choose('empty.pdf', 'application/pdf', Buffer.alloc(0));
    assert.equal(await problem.textContent(), '“empty.pdf”是空文件（0 字节），请重新选择。');
    await notProvided();
    problem = await choose('scan.pdf', 'application/pdf', Buffer.alloc(11 * 1024 * 1024, 0x20));
    assert.equal(await problem.textContent(), '文件过大（11.0 MB），每份材料不超过 10 MB。');
    await notProvided();
    assert.deepEqual(await axeViolations(page), []);
    // In English, the same engine words.
    await page.click('#lang-toggle');
    await page.locator('#ml-hygiene_rules', { hasText: 'PDF, JPG or PNG, at most 10 MB each' }).waitFor();
    problem = await choose('scan.pdf', 'application/pdf', Buffer.alloc(11 * 1024 * 1024, 0x20));
    assert.equal(await problem.textContent(), 'The file is too large (11.0 MB); each material may be at most 10 MB.');
    await page.click('#lang-toggle');
    // A good file: the problem goes, the file is provided.
    await choose('rules.pdf', 'application/pdf', Buffer.from(MINIMAL_PDF));
    assert.equal(await page.locator('#mp-hygiene_rules').isHidden(), true);
    assert.match(await page.locator('#ms-hygiene_rules').textContent(), /已提供：rules\.pdf/);
    assert.deepEqual(sent, [], 'nothing was sent while choosing');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('a date field keeps a four-digit year (never 60230)', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=lawyer_practice_license`);
  try {
    const date = page.locator('input[type="date"]').first();
    await date.waitFor();
    assert.equal(await date.getAttribute('max'), '9999-12-31');
    await date.click();
    await page.keyboard.type('0101602301');
    const value = await date.inputValue();
    assert.ok(value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value), `a four-digit year: “${value}”`);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
