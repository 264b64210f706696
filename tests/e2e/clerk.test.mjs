// Clerk's window form (www/clerk.html): recording materials, live verdicts, and the printed
// documents (A4 PDFs from Chromium, their text read back with pdfjs-dist).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, openPage, axeViolations, shot, fill, pdfText, RESULTS } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
const NOW = '2026-03-02T09:30:00+08:00'; // a Monday, at the window: accepted the same day
let server, browser;

before(async () => {
  // The server's clock starts at the pages' pinned instant: the recorded documents are dated alike.
  server = await startServer({ now: NOW });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const outcome = (page) => page.locator('#outcome [data-outcome]').getAttribute('data-outcome');

async function open() {
  return openPage(browser, `${server.url}/clerk.html?matter=${MATTER}`, { now: NOW });
}

async function fillFields(page) {
  await fill(page, 'unit_name', '东城区某某宾馆');
  await fill(page, 'uscc', '91110000802100433B');
  await fill(page, 'responsible_person_id', '11010519491231002X');
  await fill(page, 'phone', '13800138000');
  await page.selectOption('#f-venue_type', { index: 1 });
  await fill(page, 'floor_area', '120');
  await page.check('#f-central_ac-false');
}

async function receive(page, id, how) {
  // The segmented control hides the radio itself; its label is what the clerk taps.
  await page.click(how === 'original' ? `label[for="m-${id}"]` : `label[for="m-${id}-${how}"]`);
}

/** 登记并取号: the server records the answers; only then do the print buttons appear. */
async function record(page) {
  assert.equal(await page.locator('#print').count(), 0, 'nothing prints before it is recorded');
  await page.click('#record');
  await page.locator('#recorded').waitFor({ timeout: 15000 });
  return page.locator('#recorded').getAttribute('data-number');
}

/** Prints the recorded document (window.print is stubbed), renders the PDF and returns its pages' text. */
async function printToPdf(page, name) {
  if ((await page.locator('#print').count()) === 0) await record(page);
  const before = await page.evaluate(() => window.__printed);
  await page.click('#print');
  assert.equal(await page.evaluate(() => window.__printed), before + 1, 'window.print was called');
  const dom = await page
    .locator('#print-root')
    .innerText()
    .catch(() => '');
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  writeFileSync(join(RESULTS, `${name}.pdf`), pdf);
  const pages = await pdfText(pdf);
  for (const p of pages) {
    // A4 is 595.28 × 841.89 pt.
    assert.ok(Math.abs(p.width - 595.3) < 2 && Math.abs(p.height - 841.9) < 2, `A4 page, got ${p.width}×${p.height}`);
  }
  await page.emulateMedia({ media: 'print' });
  await shot(page, `${name}-print`);
  await page.emulateMedia({ media: 'screen' });
  return {
    pages,
    text: pages
      .map((p) => p.text)
      .join('\n')
      .replace(/\s+/g, ''),
    dom,
  };
}

test('a key material marked flawed blocks acceptance; the one-time notice lists every item with its basis', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, 'application_form', 'original');
    await receive(page, 'identity_proof', 'original_and_copy');
    await receive(page, 'site_plans', 'original');
    await receive(page, 'hygiene_report', 'flawed');
    await page.fill('#mn-hygiene_report', '未加盖检测机构印章');
    await receive(page, 'hygiene_rules', 'original');
    assert.equal(await outcome(page), 'correction_required');
    const err = await page.locator('#me-hygiene_report').textContent();
    assert.match(err, /【主件】/);
    assert.match(err, /未加盖检测机构印章/);
    const number = await record(page);
    assert.match(number, /^明审服补〔2026〕\d+号$/);
    assert.equal(await page.locator('#print').textContent(), '打印补正材料通知书');
    await shot(page, 'clerk-flawed');
    assert.deepEqual(await axeViolations(page), []);

    const { text, pages } = await printToPdf(page, 'doc-one-time-notice');
    assert.ok(pages.length >= 1);
    assert.match(text, /补正材料通知书/);
    assert.match(text, /公共场所卫生检测或者评价报告/);
    assert.match(text, /未加盖检测机构印章/);
    assert.match(text, /《公共场所卫生管理条例实施细则》第二十三条第一款第四项/);
    assert.match(text, /行政许可法》第三十二条/);
    assert.match(text, /2026年3月2日09:30/);
    assert.match(text, /经办人/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('everything received: 受理 and the acceptance notice carries the dates', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, 'application_form', 'original');
    await receive(page, 'identity_proof', 'original_and_copy');
    await receive(page, 'site_plans', 'original');
    await receive(page, 'hygiene_report', 'original');
    await receive(page, 'hygiene_rules', 'original');
    assert.equal(await outcome(page), 'accept');
    // A copy where an original and a copy are required is the wrong form.
    await receive(page, 'identity_proof', 'copy');
    assert.equal(await outcome(page), 'correction_required');
    await receive(page, 'identity_proof', 'original_and_copy');
    assert.equal(await outcome(page), 'accept');
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '打印受理通知书');
    await shot(page, 'clerk-accept');

    const { text } = await printToPdf(page, 'doc-acceptance');
    assert.match(text, /受理通知书/);
    assert.match(text, /决定予以受理/);
    assert.match(text, /受理日期2026年3月2日/);
    assert.match(text, /承诺办结日期2026年3月16日/);
    assert.match(text, /法定办结期限2026年3月30日/);
    assert.match(text, /经批准可延长至2026年4月14日/);
    assert.match(text, /东城区某某宾馆/);
    assert.doesNotMatch(text, /容缺/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('tolerable materials missing: the signed pledge gives 容缺受理 and prints the notice and the pledge form', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, 'application_form', 'original');
    await receive(page, 'identity_proof', 'original_and_copy');
    await receive(page, 'hygiene_report', 'original');
    assert.equal(await outcome(page), 'correction_required');
    await page.check('#pledge-sign');
    assert.equal(await outcome(page), 'accept_with_pledge');
    // Two documents fit: 全部打印 names both; each may also be printed alone.
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '全部打印（容缺受理通知书、容缺受理信用承诺书）');
    assert.equal(await page.locator('#print-notice').textContent(), '只打印容缺受理通知书');
    await shot(page, 'clerk-pledge');
    assert.deepEqual(await axeViolations(page), []);

    const { text, pages } = await printToPdf(page, 'doc-pledge');
    assert.ok(pages.length >= 2, 'pledge form and acceptance notice on separate pages');
    assert.match(pages[0].text.replace(/\s+/g, ''), /^.*容缺受理通知书/);
    assert.match(pages.at(-1).text.replace(/\s+/g, ''), /容缺受理信用承诺书/);
    assert.match(text, /公共场所地址方位示意图、平面图和卫生设施平面布局图2026年3月9日/);
    assert.match(text, /公共场所卫生管理制度2026年3月9日/);
    assert.match(text, /上述材料最迟于2026年3月9日前全部补齐/);
    // The pledge states the ledger's rule (suspend, then terminate after the resume period).
    assert.match(text.replace(/\s+/g, ''), /逾期未补齐的，本机关中止办理；.*仍未补齐的，终止办理/);
    assert.match(text, /承诺人（签字或盖章）/);
    assert.match(text, /受理通知书/);
    assert.match(text, /容缺材料补齐期限2026年3月9日/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('bad credit: no pledge; an ineligible applicant gets 不予受理 and its notice', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, 'application_form', 'original');
    await receive(page, 'identity_proof', 'original_and_copy');
    await receive(page, 'hygiene_report', 'original');
    await page.check('#bad-credit');
    assert.equal(await outcome(page), 'correction_required');
    assert.equal(await page.locator('#pledge-sign').count(), 0);
    assert.equal(await page.locator('#pledge-panel [data-blocked-by="bad_credit"]').count(), 1);
    await page.uncheck('#bad-credit');
    await page.selectOption('#applicant-kind', 'administrative_organ');
    assert.equal(await outcome(page), 'not_accepted');
    const { text } = await printToPdf(page, 'doc-refusal');
    assert.match(text, /不予受理通知书/);
    assert.match(text, /行政复议/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('English documents print in English', async () => {
  const { page, ctx } = await open();
  try {
    await page.click('#lang-toggle');
    await fillFields(page);
    await receive(page, 'hygiene_report', 'flawed');
    const { text } = await printToPdf(page, 'doc-one-time-notice-en');
    assert.match(text, /Noticetosupplementorcorrectmaterials/);
    assert.match(text, /Hygienetestorassessmentreportofthevenue/);
  } finally {
    await ctx.close();
  }
});

test('register first: an unidentified application gets no number, and the 补 sequence stays gap-free', async () => {
  const { page, errors, ctx } = await open();
  try {
    // Named and identified, one flaw: 补正, numbered.
    await fillFields(page);
    await receive(page, 'hygiene_report', 'flawed');
    const first = await record(page);
    const seq = (n) => Number(n.match(/〕(\d+)号/)[1]);
    // Empty: the page shows nothing to print and the server refuses to number it.
    await page.selectOption('#matter-select', '');
    await page.selectOption('#matter-select', MATTER);
    await receive(page, 'hygiene_report', 'flawed');
    assert.equal(await page.locator('#print').count(), 0);
    assert.match(await page.locator('#print-after-record').textContent(), /先登记并取号，再打印文书/);
    await page.click('#record');
    const refused = page.locator('#record-error');
    await refused.waitFor({ timeout: 15000 });
    assert.match(await refused.textContent(), /申请人尚不明确/);
    assert.equal(await page.locator('#print').count(), 0, 'nothing numbered, nothing printed');
    await shot(page, 'clerk-unidentified');
    assert.deepEqual(await axeViolations(page), []);
    // Named but without an ID number or USCC: still refused.
    await fill(page, 'unit_name', '无证号宾馆');
    await page.click('#record');
    await page.locator('#record-error').waitFor();
    // Identified: the next number of the sequence, with no gap.
    await fill(page, 'uscc', '91110000802100433B');
    const second = await record(page);
    assert.equal(seq(second), seq(first) + 1, `${first} then ${second}`);
    // The two refusals (422) are the only console lines.
    assert.deepEqual(
      errors.filter((e) => !/status of 422/.test(e)),
      [],
    );
  } finally {
    await ctx.close();
  }
});
