// A signed-in applicant (issue 22): the applicant page signs in through the identity provider
// (the dev issuer here, as the provincial platform in production) and shows "我的申请" — the
// applications made while signed in (GET /v1/me/applications), no one else's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, staffHeaders } from './_harness.mjs';

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

async function draft(headers) {
  const r = await fetch(`${server.url}/v1/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({
      matter: MATTER,
      draft: true,
      submission: { applicant: { kind: 'enterprise_legal_person' }, fields: { unit_name: '我的宾馆' } },
    }),
  });
  assert.equal(r.status, 201);
  return r.json();
}

test('signed in: 我的申请 lists the applications made while signed in, and only those', async (t) => {
  if (!server.real) {
    t.skip('needs qiquan serve (QIQUAN_E2E_STATIC is set)');
    return;
  }
  const { page, errors, ctx } = await openPage(browser, `${server.url}/`);
  try {
    await page.locator('#sign-in').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('#sign-in')]);
    await page.locator('#my-none').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('#my-h').textContent(), '我的申请');

    const mine = await draft(await staffHeaders(server, 'applicant'));
    const someoneElse = await draft({});
    await page.reload();
    await page.locator(`#my-applications li[data-application="${mine.id}"]`).waitFor({ timeout: 20000 });
    assert.equal(await page.locator(`#my-applications li[data-application="${someoneElse.id}"]`).count(), 0);
    assert.match(await page.locator(`li[data-application="${mine.id}"]`).textContent(), /公共场所卫生许可 · 未提交/);
    await shot(page, 'applicant-my-applications');
    assert.deepEqual(await axeViolations(page), []);

    await page.click('#sign-out');
    await page.locator('#sign-in').waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
