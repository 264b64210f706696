// 关怀模式 (issue 27): a switch on every public page and the kiosk — large type (body ≥ 18 px,
// every text ≥ 18 px), higher contrast — kept across pages; the same engine answers; axe clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, axeViolations, shot, fill } from './_harness.mjs';

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

/** The smallest computed font size of visible text on the page, in px. */
const smallestText = (page) =>
  page.evaluate(() => {
    let min = Infinity;
    const walker = document.createTreeWalker(document.querySelector('#main') ?? document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !n.textContent.trim() || el.closest('[hidden], .visually-hidden, .print-root')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      min = Math.min(min, parseFloat(getComputedStyle(el).fontSize));
    }
    return min;
  });

test('关怀模式: large type on the applicant page, kept on the kiosk, the same answers', async () => {
  const { page, errors, ctx } = await openPage(browser, `${server.url}/?matter=${MATTER}`);
  try {
    assert.ok((await smallestText(page)) < 18, 'the ordinary page has smaller hints');
    await fill(page, 'unit_name', '关怀宾馆');
    const before = await page.locator('#outcome [data-outcome]').getAttribute('data-outcome');
    await page.click('#care-toggle');
    assert.equal(await page.locator('html').getAttribute('data-care'), 'on');
    assert.equal(await page.locator('#care-toggle').getAttribute('aria-pressed'), 'true');
    const body = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.ok(body >= 18, `body ${body}px`);
    const min = await smallestText(page);
    assert.ok(min >= 18, `every text ≥ 18 px, smallest ${min}px`);
    assert.equal(await page.locator('#outcome [data-outcome]').getAttribute('data-outcome'), before, 'same answer');
    await shot(page, 'care-applicant');
    assert.deepEqual(await axeViolations(page), []);
    // Kept across pages: the kiosk opens in it, with its own switch.
    await page.goto(`${server.url}/kiosk.html`);
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.locator('html').getAttribute('data-care'), 'on');
    assert.equal(await page.locator('#care-toggle').getAttribute('aria-pressed'), 'true');
    await shot(page, 'care-kiosk');
    assert.deepEqual(await axeViolations(page), []);
    // And off again.
    await page.click('#care-toggle');
    assert.equal(await page.locator('html').getAttribute('data-care'), null);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
