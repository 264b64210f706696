// The steps page's form (www/steps.html, www/src/stepform.ts): a clerk records a case's steps
// after acceptance through the page — review, a special procedure started and ended, an
// extension, a decision (confirmed first), its service and 办结 — each offered only from the
// stage it applies to, each refused step shown by its field with the engine's message, axe
// clean in every state. Needs `qiquan serve --dev`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer,
  launch,
  openPage,
  axeViolations,
  shot,
  completeWindowApplication,
  staffApi,
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

async function acceptedCase(name) {
  const app = await api('POST', '/v1/applications', completeWindowApplication(name));
  assert.equal(app.outcome, 'accept');
  return app;
}

test('steps page: a clerk records every step of a case through the form', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const app = await acceptedCase('表单办理测试宾馆');
  const { page, errors, ctx } = await openPage(browser, `${server.url}/steps.html?id=${app.id}`);
  const stage = () => page.locator('#steps-summary dd').nth(1).textContent();
  const offered = () =>
    page.locator('#steps-record input[name="step-event"]').evaluateAll((els) => els.map((e) => e.value));
  const lastRow = () => page.locator('#steps-table tbody tr').last().textContent();
  const clean = async (name) => {
    assert.deepEqual(await axeViolations(page), [], name);
    await shot(page, `steps-${name}`);
  };
  /** Picks an event, fills its fields, records it, and waits for the page's answer. */
  const record = async (event, fill = async () => {}) => {
    await page.locator(`#step-event-${event}`).check();
    await fill();
    const rows = await page.locator('#steps-table tbody tr').count();
    await page.locator('#step-submit').click();
    if (event === 'decided') {
      await page.locator('#step-confirm').waitFor();
      await clean('confirm');
      await page.locator('#step-confirm-yes').click();
    }
    await page.waitForFunction(
      (n) => document.querySelectorAll('#steps-table tbody tr').length > n || document.querySelector('#step-errors'),
      rows,
    );
  };
  try {
    assert.match(await stage(), /已受理/);
    assert.deepEqual(await offered(), ['review_started', 'hearing_offered', 'special_started', 'extended']);
    await clean('accepted');

    // A blank assignee: the engine refuses it, the message stands by the field (zh first).
    await record('review_started');
    const blank = page.locator('[data-field="assignee"] .field-error');
    assert.match(await blank.textContent(), /经办人、批准人和理由不能为空/);
    assert.match(await page.locator('#step-errors').textContent(), /不能为空/);
    await clean('refused-blank');
    await page.locator('#step-assignee').fill('李审');
    await page.locator('#step-submit').click();
    await page.waitForFunction(() => document.querySelector('#step-recorded'));
    assert.match(await stage(), /审查中/);
    assert.match(await lastRow(), /审查/);
    assert.match(await page.locator('#step-recorded').textContent(), /已记录：审查/);
    assert.deepEqual(await offered(), ['review_started', 'hearing_offered', 'special_started', 'extended', 'decided']);
    await clean('reviewing');

    await record('special_started', async () => {
      await page.locator('#step-procedure').selectOption('expert_review');
      await page.locator('#step-reason').fill('需组织专家评审');
      await page.locator('#step-planned_days').fill('3');
      await page.locator('#step-approver').fill('王局长');
    });
    assert.match(await stage(), /特别程序/);
    assert.deepEqual(await offered(), ['special_ended', 'extended']);
    // The new document: in the page, offered to print on its own.
    const print = page.locator('#step-print-new');
    assert.match(await print.textContent(), /打印新文书/);
    assert.equal(await page.locator('#steps-docs article[data-kind="special_procedure"]').count(), 1);
    assert.match(await page.locator('#steps-docs').textContent(), /专家评审/);
    await print.click();
    assert.equal(await page.evaluate(() => window.__printed), 1);
    await clean('special');

    await record('special_ended');
    assert.match(await stage(), /审查中/);
    assert.match(await lastRow(), /特别程序结束/);

    await record('extended', async () => {
      await page.locator('#step-approver').fill('王局长');
      await page.locator('#step-reason').fill('需现场核查');
    });
    assert.match(await lastRow(), /延期/);
    assert.equal(await page.locator('#steps-docs article[data-kind="extension"]').count(), 1);
    assert.match(await page.locator('#steps-docs').textContent(), /需现场核查/);
    await clean('extended');

    // §42 allows one extension: the engine refuses a second, shown by the choice of step.
    await record('extended', async () => {
      await page.locator('#step-approver').fill('王局长');
      await page.locator('#step-reason').fill('再次延期');
    });
    assert.match(await page.locator('[data-field="event"] .field-error').textContent(), /已经延期一次/);
    assert.equal(await page.locator('#steps-docs article[data-kind="extension"]').count(), 1);
    await clean('refused-extension');

    // A refusal without reasons: confirmed, then refused by the engine (§38), by the reasons.
    await record('decided', async () => {
      await page.locator('#step-granted-false').check();
    });
    assert.match(await page.locator('[data-field="reasons"] .field-error').textContent(), /必须说明理由/);
    assert.match(await stage(), /审查中/);
    await clean('refused-reasons');
    // Going back from the confirmation records nothing.
    await page.locator('#step-reasons').fill('经营场所卫生条件不符合《公共场所卫生管理条例》的规定');
    await page.locator('#step-submit').click();
    await page.locator('#step-confirm-back').click();
    assert.equal(await page.locator('#step-confirm').count(), 0);
    assert.match(await stage(), /审查中/);
    await page.locator('#step-submit').click();
    await page.locator('#step-confirm-yes').click();
    await page.waitForFunction(() => document.querySelector('#step-recorded'));
    assert.match(await stage(), /不予许可/);
    assert.deepEqual(await offered(), ['served']);
    assert.match(await page.locator('#step-print-new').textContent(), /打印新文书/);
    assert.match(await page.locator('#steps-docs').textContent(), /经营场所卫生条件不符合/);
    await clean('denied');

    await record('served', async () => {
      await page.locator('#step-method').selectOption('post');
    });
    assert.match(await stage(), /已送达/);
    assert.match(await page.locator('#steps-docs article[data-kind="service_receipt"]').textContent(), /邮寄送达/);
    assert.deepEqual(await offered(), ['closed']);

    await record('closed');
    assert.match(await stage(), /已办结/);
    assert.deepEqual(await offered(), []);
    assert.match(await page.locator('#steps-record').textContent(), /没有可以记录的环节/);
    assert.equal(await page.locator('#steps-docs article').count(), 4);
    await clean('closed');

    // Every step was recorded by the signed-in clerk, through the page.
    const view = await api('GET', `/v1/applications/${app.id}/case`);
    assert.deepEqual(
      view.steps.map((s) => s.event),
      ['review_started', 'special_started', 'special_ended', 'extended', 'decided', 'served', 'closed'],
    );
    assert.ok(
      view.steps.every((s) => /clerk/.test(s.actor)),
      JSON.stringify(view.steps.map((s) => s.actor)),
    );
    // The refused steps' answers (409/422) are the only console lines.
    assert.deepEqual(
      errors.filter((e) => !/status of 4(09|22)/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
});
