// Shared helpers for the browser tests: a server (the real `qiquan serve --dev` when it exists,
// else a tiny static server), Chromium through playwright-core, axe-core, screenshots.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = join(REPO, 'www/dist');
export const PKG = join(REPO, 'pkg');
/** A minimal PDF that parses (header, object, xref, trailer): the server checks past the magic bytes. */
export const MINIMAL_PDF =
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n' +
  'trailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n';
export const RESULTS = join(REPO, 'test-results');
mkdirSync(RESULTS, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Candidate `qiquan` binaries, newest build first; QIQUAN_BIN wins. */
function findBinary() {
  const env = process.env.QIQUAN_BIN;
  if (env) return existsSync(env) ? env : null;
  const dirs = [process.env.CARGO_TARGET_DIR, '/work/tgt-www', '/work/tgt-server', join(REPO, 'target')].filter(
    Boolean,
  );
  const found = [];
  for (const d of dirs)
    for (const p of ['release', 'debug']) {
      const f = join(d, p, 'qiquan');
      if (existsSync(f)) found.push([statSync(f).mtimeMs, f]);
    }
  found.sort((a, b) => b[0] - a[0]);
  for (const [, f] of found) {
    const r = spawnSync(f, ['serve', '--help'], { encoding: 'utf8' });
    if (r.status === 0) return f;
  }
  return null;
}

async function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

async function waitFor(url, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server did not answer at ${url}`);
}

function staticServer(port) {
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    if (url.startsWith('/v1/')) {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'no_server', message: { zh: '静态测试服务器', en: 'static test server' } } }),
      );
      return;
    }
    const [base, rel] = url.startsWith('/pkg/')
      ? [PKG, url.slice(5)]
      : [DIST, url === '/' ? 'index.html' : url.slice(1)];
    const file = normalize(join(base, rel));
    if (!file.startsWith(base) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((res) => server.listen(port, '127.0.0.1', () => res(server)));
}

/**
 * Starts a server for www/dist and pkg/. Returns { url, real, stop }: `real` is true when it is
 * the qiquan binary (the submit flow needs it). `now`: the server's clock starts at this instant
 * (`--dev-clock`), so the documents it numbers are dated as the test's pages are.
 */
export async function startServer({ now } = {}) {
  if (!existsSync(join(DIST, 'index.html')))
    throw new Error('www/dist is missing: run scripts/test-www.sh (vite build)');
  if (!existsSync(join(PKG, 'qiquan.js'))) throw new Error('pkg/ is missing: run scripts/build-wasm.sh');
  if (process.env.QIQUAN_E2E_URL) {
    return {
      url: process.env.QIQUAN_E2E_URL.replace(/\/$/, ''),
      real: process.env.QIQUAN_E2E_REAL === '1',
      stop: async () => {},
    };
  }
  const port = await freePort();
  const bin = process.env.QIQUAN_E2E_STATIC === '1' ? null : findBinary();
  if (bin) {
    // The case register in a throw-away directory, not qiquan.db in the repository.
    const data = mkdtempSync(join(tmpdir(), 'qiquan-e2e-'));
    const child = spawn(
      bin,
      [
        'serve',
        '--dev',
        // The built-in OpenID provider: the clerk, ledger and kiosk pages sign in through it
        // (authorization code + PKCE), and staffHeaders() below gets tokens from it.
        '--dev-issuer',
        '--addr',
        `127.0.0.1:${port}`,
        '--db',
        join(data, 'qiquan.db'),
        '--data-dir',
        join(data, 'data'),
        ...(now ? ['--dev-clock', now] : []),
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stdout.on('data', (d) => {
      log += d;
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(`${url}/v1/matters`);
      await waitFor(`${url}/`);
    } catch (e) {
      child.kill();
      throw new Error(`${e.message}\n${log}`);
    }
    return {
      url,
      real: true,
      bin,
      stop: async () => {
        child.kill();
      },
    };
  }
  const server = await staticServer(port);
  return { url: `http://127.0.0.1:${port}`, real: false, stop: () => new Promise((r) => server.close(r)) };
}

/**
 * `Authorization: Bearer …` for a dev user (`clerk`, `supervisor`, `lead`, `kiosk`, …) from the
 * server's dev issuer, for the tests' own API calls.
 */
/** A staff call to the server's API as `user` (signed in through the dev issuer); fails the test
 * unless it answers 2xx, and returns the JSON. */
export async function staffApi(server, method, path, body, user = 'clerk') {
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(await staffHeaders(server, user)) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await r.json();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/** A window application of the hygiene licence with every material provided: accepted (受理). */
export function completeWindowApplication(name) {
  return {
    matter: 'public_place_hygiene_license',
    submission: {
      applicant: { kind: 'natural_person' },
      channel: 'window',
      fields: {
        unit_name: name,
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
  };
}

export async function staffHeaders(server, user = 'lead') {
  const r = await fetch(`${server.url}/dev-issuer/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=password&username=${encodeURIComponent(user)}`,
  });
  if (!r.ok) throw new Error(`dev token: HTTP ${r.status}`);
  return { Authorization: `Bearer ${(await r.json()).access_token}` };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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
}

/**
 * A new page whose console errors are collected and whose window.print only counts calls.
 * `now`: pin the page's clock (Date) to this instant; timers still run.
 */
export async function openPage(
  browser,
  url,
  { now, clock = false, viewport = { width: 1280, height: 900 }, context } = {},
) {
  const ctx =
    context ??
    (await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 }));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(() => {
    window.__printed = 0;
    window.print = () => {
      window.__printed += 1;
    };
  });
  if (now) await page.clock.setFixedTime(new Date(now));
  // Fake timers the test moves itself (page.clock.pauseAt / runFor), for timeouts.
  else if (clock) await page.clock.install();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  return { page, ctx, errors };
}

const AXE = readFileSync(join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Serious or critical axe violations on the page as it is now. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol, not as an inline <script>: the server's
  // Content-Security-Policy (script-src 'self') refuses inline scripts, rightly.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage });
}

/** Text of a PDF (pdfjs-dist), one string per page, plus each page's size in points. */
export async function pdfText(buffer) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const p = await doc.getPage(i);
    const tc = await p.getTextContent();
    const vp = p.getViewport({ scale: 1 });
    pages.push({ text: tc.items.map((it) => it.str).join(''), width: vp.width, height: vp.height });
  }
  await doc.destroy();
  return pages;
}

/** Sets a text field through the keyboard, as a person would, and waits for its check. */
export async function fill(page, fieldId, value) {
  await page.fill(`#f-${fieldId}`, String(value));
  await settle(page);
}

/** Waits until the checks the page runs after a typed character is painted have run. */
export async function settle(page) {
  await page.waitForFunction(() => !document.body.dataset.checking, null, { timeout: 5000 });
}

/**
 * Counts the engine's checks a page makes: `/pkg/qiquan.js` is served as a module that re-exports
 * the real one (`/pkg/qiquan.js?real`) with `checkJson`/`check` (the full verdict) and
 * `checkCompact` wrapped to count their calls in `window.__checks`. Call before the page loads;
 * read with `checkCounts(page)`. The page cannot tell: it imports the same exports.
 */
export async function countChecks(target) {
  await target.route('**/pkg/qiquan.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: `import init, * as real from '/pkg/qiquan.js?real';
export * from '/pkg/qiquan.js?real';
export default init;
const n = () => (window.__checks ??= { full: 0, compact: 0 });
export const checkJson = (...a) => { n().full++; return real.checkJson(...a); };
export const check = (...a) => { n().full++; return real.check(...a); };
export const checkCompact = real.checkCompact ? (...a) => { n().compact++; return real.checkCompact(...a); } : undefined;
`,
    }),
  );
}

/** `{ full, compact }`: the checks counted since the page loaded (see countChecks). */
export async function checkCounts(page) {
  return page.evaluate(() => ({ full: 0, compact: 0, ...(window.__checks ?? {}) }));
}
