// The conformance corpus against pkg/ in headless Chromium (playwright-core, the system
// browser, no network): node tests/wasm/browser.mjs
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

import { serve } from './serve.mjs';
import { lineDiff } from './runcase.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const executablePath = process.env.QIQUAN_CHROMIUM ?? '/usr/bin/chromium';

const server = await serve(root);
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
let exitCode = 1;
try {
  const page = await browser.newPage();
  // Only our own server: anything else is a bug in the page or the package.
  await page.route('**/*', (route) =>
    route
      .request()
      .url()
      .startsWith(server.url + '/')
      ? route.continue()
      : route.abort(),
  );
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  await page.goto(`${server.url}/tests/wasm/index.html`);
  await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 120_000 });
  const report = await page.evaluate(() => window.__results);
  if (report.error) throw new Error(`page failed: ${report.error}`);
  const failures = report.results.filter((r) => !r.ok);
  for (const f of failures.slice(0, 20)) {
    if (f.expected === null) console.log(`FAIL ${f.name}: no expected file`);
    else console.log(`FAIL ${f.name}: output differs from the expected file:\n${lineDiff(f.expected, f.output)}\n`);
  }
  if (failures.length > 20) console.log(`… and ${failures.length - 20} more failures`);
  for (const e of consoleErrors) console.log(`browser console: ${e}`);
  const passed = report.results.length - failures.length;
  console.log(
    `chromium conformance (${await browser.version()}, rules ${report.rulesDigest.slice(0, 19)}…): ${passed} passed, ${failures.length} failed`,
  );
  if (report.results.length === 0) console.log('FAIL: no conformance cases ran');
  exitCode = failures.length === 0 && report.results.length > 0 ? 0 : 1;
} catch (e) {
  console.error(`chromium conformance: ${e.stack ?? e}`);
} finally {
  await browser.close();
  await server.close();
}
process.exit(exitCode);
