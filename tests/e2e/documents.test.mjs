// The printed documents (issue 12): each document kind printed from the clerk's page to an A4
// PDF, its text read back (pdfjs-dist) and checked against the law and the centre profile
// (rules/centre.toml), and every page saved as a PNG (pdftoppm) in test-results/documents/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, openPage, fill, pdfText, RESULTS } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
const NOW = '2026-03-02T09:30:00+08:00'; // a Monday, at the window
const OUT = join(RESULTS, 'documents');
const ID = '11010519491231002X';
const MASKED = '110105********002X';
// From rules/centre.toml (the example profile).
const OFFICE = '明川县行政审批服务局';
let server, browser;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  // The server's clock starts at the pages' pinned instant: the recorded documents are dated alike.
  server = await startServer({ now: NOW });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const outcome = (page) => page.locator('#outcome [data-outcome]').getAttribute('data-outcome');
const flat = (s) => s.replace(/\s+/g, '');

async function open() {
  return openPage(browser, `${server.url}/clerk.html?matter=${MATTER}`, { now: NOW });
}

async function fillFields(page, { phone = true } = {}) {
  await fill(page, 'unit_name', '东城区某某宾馆');
  await fill(page, 'uscc', '91110000802100433B');
  await fill(page, 'responsible_person_id', ID);
  if (phone) await fill(page, 'phone', '13800138000');
  await page.selectOption('#f-venue_type', { index: 1 });
  await fill(page, 'floor_area', '120');
  await page.check('#f-central_ac-false');
}

async function receive(page, ids) {
  for (const [id, how] of Object.entries(ids)) {
    await page.click(how === 'original' ? `label[for="m-${id}"]` : `label[for="m-${id}-${how}"]`);
  }
}

const ALL = {
  application_form: 'original',
  identity_proof: 'original_and_copy',
  site_plans: 'original',
  hygiene_report: 'original',
  hygiene_rules: 'original',
};

/** 登记并取号: the server records the answers and numbers the document; only then can it print. */
async function record(page) {
  assert.equal(await page.locator('#print').count(), 0, 'nothing prints before it is recorded');
  await page.click('#record');
  await page.locator('#recorded').waitFor({ timeout: 15000 });
}

/** Prints the recorded document, saves the PDF and a PNG per page, and returns each page's text without spaces. */
async function print(page, name) {
  const before = await page.evaluate(() => window.__printed);
  await page.click('#print');
  assert.equal(await page.evaluate(() => window.__printed), before + 1, 'window.print was called');
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const file = join(OUT, `${name}.pdf`);
  // Screenshots of an earlier run would be counted as this run's pages.
  for (const f of readdirSync(OUT).filter((x) => x.startsWith(`${name}-`) && x.endsWith('.png'))) rmSync(join(OUT, f));
  writeFileSync(file, pdf);
  const r = spawnSync('pdftoppm', ['-png', '-r', '80', file, join(OUT, name)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pdftoppm (scripts/setup.sh installs poppler-utils): ${r.stderr ?? r.error}`);
  const pages = await pdfText(pdf);
  const pngs = readdirSync(OUT).filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'));
  assert.equal(pngs.length, pages.length, 'one screenshot per page');
  for (const p of pages) {
    assert.ok(Math.abs(p.width - 595.3) < 2 && Math.abs(p.height - 841.9) < 2, `A4 page, got ${p.width}×${p.height}`);
  }
  return pages.map((p) => flat(p.text));
}

/** The parts every document carries, in the order of an official document. */
function assertFrame(text, { title, number, date = '2026年3月2日' }) {
  assert.match(text, /样本/, 'the example profile marks its documents as specimens');
  const order = [title, number, '东城区某某宾馆：', `${OFFICE}${date}`];
  let at = -1;
  for (const part of order) {
    const i = text.indexOf(part, at + 1);
    assert.ok(i > at, `“${part}” after the previous part in: ${text}`);
    at = i;
  }
  assert.match(text, /sha256:[0-9a-f]{12}·qiquan/, 'footer code with the rules digest and engine version');
  assert.doesNotMatch(text, /县级以上地方人民政府卫生健康行政部门/, 'never the matter’s generic department');
}

test('受理通知书: addressee, 文号, dates, 落款 from the centre profile, masked ID, one page', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, ALL);
    assert.equal(await outcome(page), 'accept');
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '打印受理通知书');
    const pages = await print(page, 'acceptance');
    assert.equal(pages.length, 1, 'a typical 受理通知书 fits one A4 page');
    const text = pages[0];
    assertFrame(text, { title: '受理通知书', number: '明审服受〔2026〕1号' });
    assert.match(text, /第三十二条第一款第（五）项，本机关决定予以受理/);
    assert.match(text, /受理日期2026年3月2日/);
    assert.match(text, /承诺办结日期2026年3月16日/);
    assert.match(text, /法定办结期限2026年3月30日/);
    assert.ok(text.includes(MASKED), 'the ID number is printed masked');
    assert.ok(!text.includes(ID), 'the full ID number is never printed');
    assert.doesNotMatch(text, /行政复议|容缺/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('容缺受理通知书 and 信用承诺书: what is owed, by when, and the terms', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, {
      application_form: 'original',
      identity_proof: 'original_and_copy',
      hygiene_report: 'original',
    });
    await page.check('#pledge-sign');
    assert.equal(await outcome(page), 'accept_with_pledge');
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '全部打印（容缺受理通知书、容缺受理信用承诺书）');
    const pages = await print(page, 'pledge-acceptance');
    assert.ok(pages.length >= 2, 'the notice and the pledge form on separate pages');
    const pledgeAt = pages.findIndex((p) => p.includes('容缺受理信用承诺书') && p.includes('承诺人（签字或盖章）'));
    assert.ok(pledgeAt > 0, 'the pledge form follows the notice');
    const notice = pages.slice(0, pledgeAt).join('');
    const pledge = pages.slice(pledgeAt).join('');
    assertFrame(notice, { title: '容缺受理通知书', number: '明审服容〔2026〕1号' });
    assert.match(notice, /本机关决定容缺受理/);
    assert.match(notice, /公共场所地址方位示意图、平面图和卫生设施平面布局图：请于2026年3月9日前补交/);
    assert.match(notice, /容缺材料补齐期限2026年3月9日/);
    assert.match(pledge, /上述材料最迟于2026年3月9日前全部补齐/);
    // The pledge states the ledger's rule (suspend, then terminate after the resume period).
    assert.match(pledge.replace(/\s+/g, ''), /逾期未补齐的，本机关中止办理；.*仍未补齐的，终止办理/);
    assert.match(pledge, /一式两份/);
    assert.ok(!pages.join('').includes(ID));
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('补正材料通知书 with the pledge blocked: every item, no pledge offer, no due dates', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page);
    await receive(page, {
      application_form: 'original',
      identity_proof: 'original_and_copy',
      hygiene_report: 'original',
    });
    await page.check('#bad-credit');
    assert.equal(await outcome(page), 'correction_required');
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '打印补正材料通知书');
    const pages = await print(page, 'correction-pledge-blocked');
    const text = pages.join('');
    assertFrame(text, { title: '补正材料通知书', number: '明审服补〔2026〕1号' });
    assert.match(text, /第三十二条第一款第（四）项/);
    assert.match(text, /1\.?缺少“公共场所地址方位示意图、平面图和卫生设施平面布局图”/);
    assert.match(text, /缺少“公共场所卫生管理制度”/);
    assert.match(text, /不能适用容缺受理：申请人有失信记录/);
    assert.doesNotMatch(text, /可先行受理|可容缺/, 'no pledge is offered when it cannot be used');
    assert.doesNotMatch(text, /2026年3月9日|2026年3月16日|受理日期|办结日期/, 'nothing accepted: no dates');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('不予受理通知书: only the refusal reason, §32 as basis, the rights naming the bodies', async () => {
  const { page, errors, ctx } = await open();
  try {
    await fillFields(page, { phone: false });
    await receive(page, {
      application_form: 'original',
      identity_proof: 'original_and_copy',
      hygiene_report: 'original',
    });
    await page.selectOption('#applicant-kind', 'administrative_organ');
    assert.equal(await outcome(page), 'not_accepted');
    await record(page);
    assert.equal(await page.locator('#print').textContent(), '打印不予受理通知书');
    const pages = await print(page, 'refusal');
    assert.equal(pages.length, 1);
    const text = pages[0];
    assertFrame(text, { title: '不予受理通知书', number: '明审服不受〔2026〕1号' });
    assert.match(text, /本事项的服务对象为企业法人、其他组织、自然人，行政机关不能申请/);
    // An ineligible applicant: the matter's own basis, not §32(1)(1) and (2) together (issue 24, defect 5).
    assert.match(text, /依据：《公共场所卫生管理条例》第四条、第八条/);
    assert.doesNotMatch(text, /第（一）项、第（二）项/);
    assert.doesNotMatch(text, /第四十二条/, 'never the time-limit article');
    assert.doesNotMatch(text, /平面图|卫生管理制度|联系电话|容缺|补交/, 'only refusal reasons');
    assert.doesNotMatch(text, /(^|[^0-9])2\.[^0-9]/, 'one numbered item');
    assert.match(text, /六十日内向明川县人民政府申请行政复议/);
    assert.match(text, /六个月内向明川县人民法院提起行政诉讼/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
