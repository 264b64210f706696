// Issue 17: each keystroke runs the engine's compact check; the full verdict (its prose and the
// notice) only when the words the page shows would change. The engine's exports are wrapped to
// count calls (countChecks in the harness), so these tests see what the page asks the engine,
// and after every keystroke that the words shown are those of a full check of the same answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, settle, countChecks, checkCounts } from './_harness.mjs';

const MATTER = 'public_place_hygiene_license';
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

async function open(path, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  await countChecks(context);
  return openPage(browser, `${server.url}${path}`, { now: NOW, context });
}

/** Types one character as a person does and waits for the page's check. */
async function key(page, selector, ch) {
  await page.locator(selector).pressSequentially(ch);
  await settle(page);
  return checkCounts(page);
}

/** Every word the form shows from the verdict (outcome, problems, values read, dates, pledge). */
async function words(page) {
  return page.evaluate(() => {
    const text = (sel) =>
      [...document.querySelectorAll(sel)]
        .filter((e) => !e.closest('[hidden]') && !e.hidden)
        .map((e) => e.textContent)
        .join(' | ');
    return {
      outcome: text('#outcome .outcome'),
      summary: text('#error-summary'),
      inline: text('.field-error'),
      normalised: text('.normalised'),
      hints: text('.condition-hint'),
      dates: text('#dates'),
      pledge: text('#pledge-panel'),
    };
  });
}

/** The words after a full check of the same answers (the engine called from the page's own module). */
async function fullWordsSame(page, label) {
  const shown = await words(page);
  // Leaving the field runs the full check ("change"); the answers are the same.
  await page.locator('#f-unit_name').dispatchEvent('change');
  await settle(page);
  assert.deepEqual(await words(page), shown, `${label}: the words shown are the full verdict's`);
}

test('applicant: a keystroke that changes no words asks for no full verdict; one that does gets the new words', async () => {
  const { page, ctx, errors } = await open(`/?matter=${MATTER}`);
  try {
    const start = await checkCounts(page);
    assert.ok(start.full >= 1, 'the form starts from a full verdict');
    // The first character answers a required question: the words change (the problem is gone).
    let n = await key(page, '#f-unit_name', '东');
    assert.ok(n.full > start.full, 'a keystroke that removes a finding asks for the full verdict');
    assert.ok(n.compact > start.compact, 'and runs the compact check first');
    // More characters of the name change nothing the page says: compact checks only.
    for (const ch of '城区某某宾馆') {
      const before = n;
      n = await key(page, '#f-unit_name', ch);
      assert.equal(n.full, before.full, `typing “${ch}” ran no full check`);
      assert.ok(n.compact > before.compact, `typing “${ch}” ran the compact check`);
    }
    await fullWordsSame(page, 'after the name');

    // A phone number: the first digit introduces a finding (wrong format) and its message is shown.
    const before = await checkCounts(page);
    n = await key(page, '#f-phone', '1');
    assert.ok(n.full > before.full, 'the new finding needs its words');
    assert.match(await page.locator('#fe-phone').textContent(), /手机号码/);
    await fullWordsSame(page, 'an incomplete phone number');
    // Nine more digits: still the same finding with the same words, no full check.
    let at = await checkCounts(page);
    for (const ch of '380013800') n = await key(page, '#f-phone', ch);
    assert.equal(n.full, at.full, 'the same finding and words: no full check');
    assert.ok(await page.locator('#fe-phone').isVisible());
    // The eleventh digit fixes it: the full verdict, and the message goes.
    at = n;
    n = await key(page, '#f-phone', '0');
    assert.ok(n.full > at.full, 'a keystroke that fixes a finding asks for the full verdict');
    assert.equal(await page.locator('#fe-phone').isVisible(), false);
    assert.doesNotMatch((await words(page)).summary, /联系电话/);
    await fullWordsSame(page, 'a complete phone number');
    // A twelfth digit introduces it again, with its message.
    at = n;
    n = await key(page, '#f-phone', '0');
    assert.ok(n.full > at.full);
    assert.match(await page.locator('#fe-phone').textContent(), /手机号码/);
    await fullWordsSame(page, 'a phone number one digit too long');

    // A value the engine reads differently: what it read is shown anew with each keystroke.
    await page.fill('#f-phone', '+86 138 0013 800');
    await settle(page);
    at = await checkCounts(page);
    n = await key(page, '#f-phone', '0');
    assert.ok(n.full > at.full, 'a new value read ("normalized") needs the full verdict');
    assert.equal(await page.locator('#fn-phone').textContent(), '已识别为：13800138000');
    await fullWordsSame(page, 'a value read differently');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('clerk: a flaw note is quoted by its finding, so each character gets the full verdict and the message shows it', async () => {
  const { page, ctx, errors } = await open(`/clerk.html?matter=${MATTER}`);
  try {
    await page.click('label[for="m-hygiene_report-flawed"]');
    let n = await checkCounts(page);
    let typed = '';
    for (const ch of '未盖章') {
      const before = n;
      typed += ch;
      await page.locator('#mn-hygiene_report').pressSequentially(ch);
      n = await checkCounts(page);
      assert.ok(n.full > before.full, `the note “${typed}” changes the message`);
      const err = await page.locator('#me-hygiene_report').textContent();
      assert.ok(err.includes(`存在问题：${typed}。`), `the message quotes the note as typed: ${err}`);
    }
    // A field whose characters change nothing the page says: compact checks only.
    await page.locator('#f-unit_name').pressSequentially('东');
    await settle(page);
    const at = await checkCounts(page);
    for (const ch of '城区某某宾馆') await page.locator('#f-unit_name').pressSequentially(ch);
    await settle(page);
    const after = await checkCounts(page);
    assert.equal(after.full, at.full, 'typing the name ran no full check');
    assert.ok(after.compact > at.compact);
    // Recording (then printing) the notice, which quotes the answers: the full verdict first.
    // Nothing is numbered for nobody: the applicant is identified by the USCC too.
    await page.fill('#f-uscc', '91110000802100433B');
    await settle(page);
    const identified = await checkCounts(page);
    await page.click('#record');
    assert.ok((await checkCounts(page)).full > identified.full, 'recording asks for the full verdict');
    await page.locator('#print').waitFor({ timeout: 15000 });
    await page.click('#print');
    assert.match(await page.locator('#print-root').innerText(), /东城区某某宾馆/);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

test('kiosk: typing asks for compact checks; the result screen gets the full verdict', async () => {
  const { page, ctx, errors } = await open('/kiosk.html', { width: 1280, height: 1024 });
  try {
    await page.click(`.tile[data-matter="${MATTER}"]`);
    await page.locator('#f-unit_name').pressSequentially('东');
    await settle(page);
    const at = await checkCounts(page);
    for (const ch of '城区某某宾馆') await page.locator('#f-unit_name').pressSequentially(ch, { delay: 30 });
    await settle(page);
    const after = await checkCounts(page);
    assert.equal(after.full, at.full, 'typing the name ran no full check');
    assert.ok(after.compact >= at.compact + 1);
    await page.click('#see-result');
    assert.ok((await checkCounts(page)).full > after.full, 'the result screen asks for the full verdict');
    assert.ok((await page.locator('#findings li').count()) > 0);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
