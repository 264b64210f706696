// The supervisor's 电子监察 page (www/supervisor.html) and the steps page (www/steps.html)
// over the case register: a case walked by a clerk (review, a special procedure, an extension)
// shows its lamp, due and working days left, and the lamp changes as the page's `as_of` moves:
// green, yellow on the due day, red after it; walked on to 送达, every document it issued
// prints to PDF with the engine's text. Needs `qiquan serve --dev`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  launch,
  openPage,
  axeViolations,
  shot,
  staffHeaders,
  completeWindowApplication,
  staffApi,
  pdfText,
} from './_harness.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = (method, path, body, user = 'clerk') => staffApi(server, method, path, body, user);

const step = (id, body) => api('POST', `/v1/applications/${id}/case`, body);

/** An accepted window application, reviewed, through an expert review and an extension. */
async function extendedCase(name) {
  const app = await api('POST', '/v1/applications', completeWindowApplication(name));
  assert.equal(app.outcome, 'accept');
  const id = app.id;
  const accepted = (await api('GET', `/v1/applications/${id}/case`)).clock.accepted_on;
  await step(id, { on: accepted, event: 'review_started', assignee: '李审' });
  // Later days come from the engine's own answers (the server returns each step's clock).
  const paused = await step(id, {
    on: accepted,
    event: 'special_started',
    procedure: 'expert_review',
    reason: '需组织专家评审',
    planned_days: 3,
    approver: '王局长',
  });
  assert.equal(paused.clock.lamp, 'paused');
  const end = paused.clock.pauses[0].planned_end;
  await step(id, { on: end, event: 'special_ended' });
  const extended = await step(id, { on: end, event: 'extended', approver: '王局长', reason: '需现场核查' });
  assert.equal(extended.clock.due, extended.clock.extended_due);
  assert.equal(extended.steps.at(-1).document_kind, 'extension');
  return { app, id, end, due: extended.clock.extended_due };
}

test('supervisor: a case with a pause and an extension, its lamp as as_of moves', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const { id, end, due } = await extendedCase('监察测试宾馆');
  const list = await api('GET', `/v1/supervision/cases?as_of=${end}`, null, 'supervisor');
  const line = list.find((l) => l.id === id);
  assert.equal(line.lamp, 'green');
  assert.ok(line.working_days_left > 2, JSON.stringify(line));

  const { page, errors, ctx } = await openPage(browser, `${server.url}/supervisor.html?as_of=${end}`);
  try {
    const row = page.locator(`#sup-cases tr[data-case="${id}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-lamp'), 'green');
    assert.match(await row.textContent(), /李审/);
    assert.match(await row.textContent(), new RegExp(due));
    assert.match(await page.locator('#sup-figures').textContent(), /按期办结率/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'supervisor-green');

    // The due day itself: yellow (within one working day); a week later: red.
    const setDay = async (day) => {
      await page.locator('#sup-as-of').fill(day);
      await page.locator('#sup-as-of').dispatchEvent('change');
      await page.waitForFunction((d) => document.body.dataset.loaded === d, day);
    };
    await setDay(due);
    assert.equal(await page.locator(`#sup-cases tr[data-case="${id}"]`).getAttribute('data-lamp'), 'yellow');
    const after = new Date(Date.parse(`${due}T00:00:00Z`) + 7 * 86400_000).toISOString().slice(0, 10);
    await setDay(after);
    const red = page.locator(`#sup-cases tr[data-case="${id}"]`);
    assert.equal(await red.getAttribute('data-lamp'), 'red');
    assert.match(await red.textContent(), /超期/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'supervisor-red');

    const csv = await (
      await fetch(`${server.url}/v1/supervision/figures.csv?as_of=${after}`, {
        headers: await staffHeaders(server, 'supervisor'),
      })
    ).text();
    assert.ok(csv.includes('按期办结率'), csv);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('case page: every document of a case walked to 送达 prints with the engine text', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const { app, id, end } = await extendedCase('送达测试宾馆');
  const decided = await step(id, {
    on: end,
    event: 'decided',
    granted: false,
    reasons: ['经营场所卫生条件不符合《公共场所卫生管理条例》的规定'],
  });
  const denial = decided.steps.at(-1).document_number;
  const served = await step(id, { on: end, event: 'served', method: 'in_person' });
  assert.equal(served.clock.stage, 'served');
  await step(id, { on: end, event: 'closed' });

  const { page, errors, ctx } = await openPage(browser, `${server.url}/steps.html?id=${id}`);
  try {
    assert.equal(await page.locator('#steps-docs article').count(), 4);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'case-documents');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const text = (await pdfText(pdf))
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, '');
    for (const want of [
      '特别程序告知书',
      '专家评审',
      '延期告知书',
      '需现场核查',
      '不予行政许可决定书',
      denial,
      '经营场所卫生条件不符合',
      '明川县人民政府申请行政复议',
      '明川县人民法院提起行政诉讼',
      '送达回证',
      '直接送达',
      '送达测试宾馆',
      app.number,
    ]) {
      assert.ok(text.includes(want.replace(/\s+/g, '')), `${want} missing from the PDF: ${text.slice(0, 400)}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
