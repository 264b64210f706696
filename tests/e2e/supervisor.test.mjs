// The supervisor's 电子监察 page (www/supervisor.html) over the case register: a case walked by
// a clerk (review, a special procedure, an extension) shows its lamp, due and working days left,
// and the lamp changes as the page's `as_of` moves: green, yellow the working day before the
// due, red after it. The figures table and the CSV carry 按期办结率. Needs `qiquan serve --dev`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, staffHeaders } from './_harness.mjs';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function api(method, path, body, user = 'clerk') {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(await staffHeaders(server, user)) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

test('supervisor: a case with a pause and an extension, its lamp as as_of moves', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const app = await api('POST', '/v1/applications', {
    matter: 'public_place_hygiene_license',
    submission: {
      applicant: { kind: 'natural_person' },
      channel: 'window',
      fields: {
        unit_name: '监察测试宾馆',
        responsible_person_id: '11010519491231002X',
        phone: '13800138000',
        venue_type: 'hotel',
        floor_area: 300,
        central_ac: false,
      },
      materials: Object.fromEntries(
        ['application_form', 'identity_proof', 'site_plans', 'hygiene_report', 'hygiene_rules'].map((m) => [
          m,
          { status: 'provided' },
        ]),
      ),
    },
  });
  assert.equal(app.outcome, 'accept');
  const id = app.id;
  const first = await api('GET', `/v1/applications/${id}/case`);
  const accepted = first.clock.accepted_on;
  await api('POST', `/v1/applications/${id}/case`, { on: accepted, event: 'review_started', assignee: '李审' });
  // The engine's own arithmetic gives the later days (the server answers each step's clock).
  const paused = await api('POST', `/v1/applications/${id}/case`, {
    on: accepted,
    event: 'special_started',
    procedure: 'expert_review',
    reason: '需组织专家评审',
    planned_days: 3,
    approver: '王局长',
  });
  assert.equal(paused.clock.lamp, 'paused');
  const end = paused.clock.pauses[0].planned_end;
  await api('POST', `/v1/applications/${id}/case`, { on: end, event: 'special_ended' });
  const extended = await api('POST', `/v1/applications/${id}/case`, {
    on: end,
    event: 'extended',
    approver: '王局长',
    reason: '需现场核查',
  });
  const due = extended.clock.extended_due;
  assert.equal(extended.clock.due, due);
  assert.equal(extended.steps.at(-1).document_kind, 'extension');

  // Days around the due, from the case clock itself (the supervisor's list gives days left).
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

    // The due day itself: yellow (within one working day); the next day on: red.
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
