// Rule format 2 in the forms: alternatives, 电子证照 (免提交), 告知承诺, counted copies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill } from './_harness.mjs';

const NOW = '2026-03-02T09:30:00+08:00'; // a Monday
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
const receive = (page, id, how) =>
  page.click(how === 'original' ? `label[for="m-${id}"]` : `label[for="m-${id}-${how}"]`);

test('clerk: a group of alternatives, a licence obtained by sharing, and counted copies', async () => {
  const { page, ctx } = await openPage(browser, `${server.url}/clerk.html?matter=publication_retail_license`, {
    now: NOW,
  });
  try {
    await fill(page, 'business_name', '示例书店');
    await page.check('#f-business_scope');
    await fill(page, 'operator_id', '11010519491231002X');
    await fill(page, 'phone', '13800138000');
    await fill(page, 'premises_area', '80');
    await receive(page, 'application_form', 'original');
    await receive(page, 'operator_identity', 'original_and_copy');
    // Neither premises proof: the group's finding is told at its first alternative.
    assert.equal(await outcome(page), 'correction_required');
    assert.match(await page.locator('#me-premises_title').textContent(), /请提交以下任一材料/);
    // The lease alone satisfies the group.
    await receive(page, 'premises_lease', 'copy');
    // The business licence: obtained from the electronic licence library, with its number.
    await receive(page, 'business_licence', 'shared');
    await page.fill('#mr-business_licence', '91110000802100433B');
    assert.equal(await outcome(page), 'accept');
    assert.match(
      await page.locator('#exempt [data-exempt="business_licence"]').textContent(),
      /共享获取，申请人无需提交/,
    );
    // Copies counted: none where one is needed.
    await page.fill('#mcp-operator_identity', '0');
    assert.equal(await outcome(page), 'correction_required');
    assert.match(await page.locator('#me-operator_identity').textContent(), /份数不足/);
    await page.fill('#mcp-operator_identity', '1');
    assert.equal(await outcome(page), 'accept');
    await shot(page, 'clerk-v2');
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await ctx.close();
  }
});

test('applicant: 告知承诺 replaces a proof', async () => {
  const { page, ctx } = await openPage(browser, `${server.url}/?matter=human_resources_service_license`, { now: NOW });
  try {
    assert.ok(await page.locator('#mc-staff_proof').isVisible());
    assert.match(await page.locator('label[for="mc-staff_proof"]').textContent(), /3 名以上专职工作人员/);
    assert.equal(await page.locator('#mc-application_form').count(), 0, 'no commitment where the rule has none');
    await page.check('#mc-staff_proof');
    // The engine took it as committed: nothing owed, listed as 免提交 among the dates.
    assert.equal(await page.locator('#mg-staff_proof').getAttribute('data-status'), 'committed');
    assert.equal(await page.locator('#mg-staff_proof').getAttribute('data-ok'), 'true');
    assert.deepEqual(await axeViolations(page), []);
  } finally {
    await ctx.close();
  }
});
