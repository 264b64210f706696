"""Real WebKit and Firefox pages: the conformance page (tests/wasm/index.html, the whole corpus
through pkg/ and the signed bundle) and the applicant page's main flow (www/, served by
`qiquan serve --dev`: matter found, form filled, verdict shown, 提交 → receipt), with no console
error, in

- WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver (Debian webkit2gtk-driver) under
  Xvfb, through Selenium's W3C WebDriver client (PyPI selenium);
- Firefox: Debian firefox-esr, headless, driven through Marionette (PyPI marionette-driver; no
  geckodriver is packaged for Debian or PyPI).

    xvfb-run -a target/py/bin/python tests/engines/browsers.py [webkit] [firefox]

Needs pkg/ (scripts/build-wasm.sh), www/dist (scripts/test-www.sh builds it) and the qiquan
binary (QIQUAN_BIN, else target/{release,debug}/qiquan). Neither driver reports console
messages here (WebKitWebDriver 2.50 has no WebDriver BiDi; Marionette none to its client), so
the pages are served through a small proxy that puts one same-origin script first in every HTML
page (/__console.js: it records console.error, uncaught errors, unhandled rejections and
resources that fail to load), allowed by the pages' Content-Security-Policy (script-src 'self').
Prints, per engine, its version and `N passed, M failed`; exits 1 on any failure or on zero cases.
"""

import glob
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MATTER = "public_place_hygiene_license"
MATERIALS = ["application_form", "identity_proof", "site_plans", "hygiene_report", "hygiene_rules"]

CONSOLE_HOOK = b"""(() => {
  const errors = (window.__consoleErrors = []);
  const original = console.error.bind(console);
  console.error = (...args) => { errors.push('console.error: ' + args.map(String).join(' ')); original(...args); };
  addEventListener('error', (e) => {
    if (e.target && e.target !== window) errors.push('failed to load: ' + (e.target.src || e.target.href || e.target.tagName));
    else errors.push('uncaught: ' + e.message + ' (' + e.filename + ':' + e.lineno + ')');
  }, true);
  addEventListener('unhandledrejection', (e) => errors.push('unhandled rejection: ' + (e.reason && e.reason.stack || e.reason)));
})();
"""
HOOK_TAG = b'<script src="/__console.js"></script>'



# A minimal PDF that parses (header, object, xref, trailer): the server checks uploads past their
# magic bytes (the same file as tests/e2e/_harness.mjs's MINIMAL_PDF).
MINIMAL_PDF = ("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
               "trailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n")

def inject(html):
    """The console hook as the first script of an HTML page."""
    m = re.search(rb"<head[^>]*>", html, re.I)
    at = m.end() if m else 0
    return html[:at] + HOOK_TAG + html[at:]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# Servers: the repository's test pages, and a proxy in front of `qiquan serve`


def list_cases(directory, base=None):
    base = base or directory
    out = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            out += list_cases(path, base)
        elif name.endswith(".json") and not name.endswith(".expected.json"):
            out.append(os.path.relpath(path, base))
    return out


TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
         ".json": "application/json; charset=utf-8", ".wasm": "application/wasm"}


class Handler(BaseHTTPRequestHandler):
    upstream = None  # (host, port) of `qiquan serve`, or None: the repository's test pages

    def log_message(self, *args):
        pass

    def send(self, status, body, headers):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        path = self.path.split("?")[0]
        if path == "/__console.js":
            return self.send(200, CONSOLE_HOOK, [("Content-Type", "text/javascript; charset=utf-8")])
        if self.upstream is None:
            return self.static(path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "accept-encoding", "connection", "content-length")}
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            out = [(k, v) for k, v in r.getheaders() if k.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding")]
            if "text/html" in (r.getheader("Content-Type") or ""):
                data = inject(data)
            self.send(r.status, data, out)
        finally:
            conn.close()

    def static(self, path):
        rel = os.path.normpath(path.lstrip("/"))
        if rel == "__cases":
            body = json.dumps(list_cases(os.path.join(ROOT, "tests", "conformance"))).encode()
            return self.send(200, body, [("Content-Type", TYPES[".json"])])
        full = os.path.join(ROOT, rel)
        if rel.startswith("..") or not rel.startswith(("pkg/", "tests/wasm/", "tests/conformance/")) or not os.path.isfile(full):
            return self.send(404, b"not found", [("Content-Type", "text/plain")])
        with open(full, "rb") as f:
            data = f.read()
        ext = os.path.splitext(full)[1]
        if ext == ".html":
            data = inject(data)
        self.send(200, data, [("Content-Type", TYPES.get(ext, "application/octet-stream")), ("Cache-Control", "no-store")])

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any


def start_server(upstream=None):
    handler = type("H", (Handler,), {"upstream": upstream})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def find_binary():
    env = os.environ.get("QIQUAN_BIN")
    if env:
        return env
    found = []
    for d in [os.environ.get("CARGO_TARGET_DIR"), os.path.join(ROOT, "target")]:
        for p in ("release", "debug"):
            f = os.path.join(d, p, "qiquan") if d else None
            if f and os.path.isfile(f):
                found.append((os.path.getmtime(f), f))
    for _, f in sorted(found, reverse=True):
        if subprocess.run([f, "serve", "--help"], capture_output=True).returncode == 0:
            return f
    raise SystemExit("browsers: no qiquan binary with `serve` (cargo build -p qiquan-server, or QIQUAN_BIN)")


def start_qiquan():
    """`qiquan serve --dev` on a free loopback port, its register in a throw-away directory."""
    port = free_port()
    data = tempfile.mkdtemp(prefix="qiquan-engines-")
    log = open(os.path.join(data, "serve.log"), "wb")
    child = subprocess.Popen([find_binary(), "serve", "--dev", "--addr", f"127.0.0.1:{port}", "--db", os.path.join(data, "qiquan.db"),
                              "--data-dir", os.path.join(data, "data")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    until = time.time() + 30
    while time.time() < until:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/v1/matters")
            if conn.getresponse().status == 200:
                return child, ("127.0.0.1", port), data
        except OSError:
            time.sleep(0.2)
    child.kill()
    raise SystemExit(f"browsers: qiquan serve did not answer:\n{open(os.path.join(data, 'serve.log')).read()}")


# ---------------------------------------------------------------------------------------------
# The two drivers behind one small interface


class WebKit:
    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.common.by import By
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        self.by = By.CSS_SELECTOR
        options = Options()
        options.binary_location = sorted(glob.glob("/usr/lib/*/webkit2gtk-4.*/MiniBrowser"))[-1]
        options.add_argument("--automation")
        self.driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=shutil.which("WebKitWebDriver")))
        caps = self.driver.capabilities
        self.version = f"WebKitGTK {caps['browserVersion']} ({caps['browserName']}, WebKitWebDriver)"

    def get(self, url):
        self.driver.get(url)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def find(self, css):
        return self.driver.find_element(self.by, css)

    def quit(self):
        self.driver.quit()


class Firefox:
    def __init__(self):
        from marionette_driver.by import By
        from marionette_driver.marionette import Marionette

        self.by = By.CSS_SELECTOR
        self.profile = tempfile.mkdtemp(prefix="qiquan-firefox-")
        binary = shutil.which("firefox-esr") or shutil.which("firefox")
        self.m = Marionette(host="127.0.0.1", port=free_port(), bin=binary, headless=True, profile=self.profile,
                            app_args=["-no-remote"], startup_timeout=120)
        self.m.start_session()
        caps = self.m.session_capabilities
        self.version = f"Firefox {caps['browserVersion']} ({caps['browserName']}, headless, Marionette)"

    def get(self, url):
        self.m.navigate(url)

    def js(self, script, *args):
        # sandbox=None: the page's own scope (the results and the hook's record are page globals).
        return self.m.execute_script(script, script_args=list(args), sandbox=None, new_sandbox=False)

    def find(self, css):
        return self.m.find_element(self.by, css)

    def quit(self):
        try:
            self.m.delete_session()
        finally:
            self.m.cleanup()


def act(browser, css, action):
    """`action(element)` on the element `css` names, found again when the page re-rendered it
    between the find and the action (a stale element reference)."""
    for attempt in range(5):
        try:
            return action(browser.find(css))
        except Exception as e:  # noqa: BLE001 - both drivers' stale-element errors
            if "stale" not in type(e).__name__.lower() and "stale" not in str(e).lower() or attempt == 4:
                raise
            time.sleep(0.2)


def wait(browser, script, timeout, what, *args):
    until = time.time() + timeout
    while True:
        value = browser.js(script, *args)
        if value:
            return value
        if time.time() > until:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def console_errors(browser):
    return browser.js("return window.__consoleErrors || ['(the console hook did not run)']")


# ---------------------------------------------------------------------------------------------
# The two pages


def conformance_page(browser, url):
    """tests/wasm/index.html: the whole corpus, full and compact. Returns (passed, failed, notes)."""
    browser.get(f"{url}/tests/wasm/index.html")
    wait(browser, "return window.__results !== undefined", 300, "the conformance page's results")
    report = browser.js("return window.__results")
    if report.get("error"):
        raise AssertionError(f"conformance page failed: {report['error']}")
    results = report["results"]
    failures = [r for r in results if not r["ok"]]
    notes = [f"FAIL {f['name']}: {str(f.get('output'))[:300]}" for f in failures[:10]]
    errors = console_errors(browser)
    notes += [f"console: {e}" for e in errors]
    return len(results) - len(failures), len(failures) + len(errors), notes, report


def applicant_flow(browser, url):
    """www/'s applicant page, as a person uses it: find the matter, fill the form, see the
    verdict, 提交 and get the receipt. Raises on the first step that does not hold."""
    browser.get(f"{url}/")
    wait(browser, "return document.body.dataset.ready === 'true'", 30, "the page to be ready")

    def settle():
        wait(browser, "return !document.body.dataset.checking", 10, "the check after typing")

    def fill(field, value):
        act(browser, f"#f-{field}", lambda e: e.clear())
        settle()
        act(browser, f"#f-{field}", lambda e: e.send_keys(value))
        settle()

    act(browser, "#matter-search", lambda e: e.send_keys("卫生许可"))
    # The list narrows as the search is typed (every matter is listed before): wait until ours
    # is the one found, then pick it.
    wait(browser, "const all = document.querySelectorAll('[data-pick-matter]');"
                  "return all.length === 1 && all[0].dataset.pickMatter === arguments[0]", 10, "the matter found", MATTER)
    act(browser, f'[data-pick-matter="{MATTER}"]', lambda e: e.click())
    wait(browser, "return document.body.dataset.ready === 'true' && !!document.querySelector('#f-unit_name')", 20, "the matter's form")
    fill("unit_name", "东城区某某宾馆")
    fill("uscc", "91110000802100433B")
    fill("responsible_person_id", "11010519491231002X")
    fill("phone", "13800138000")
    browser.js("const s = document.querySelector('#f-venue_type'); s.selectedIndex = 1;"
               "s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true}));")
    settle()
    fill("floor_area", "120")
    browser.js("document.querySelector('#f-central_ac-false').click()")
    settle()
    for material in MATERIALS:
        # A file chosen as a person would (the change event of the file input), made in the page.
        browser.js("const input = document.querySelector('#m-' + arguments[0]); const dt = new DataTransfer();"
                   "dt.items.add(new File([arguments[1]], arguments[0] + '.pdf', {type: 'application/pdf'}));"
                   "input.files = dt.files; input.dispatchEvent(new Event('change', {bubbles: true}));", material, MINIMAL_PDF)
        settle()
    outcome = wait(browser, "const e = document.querySelector('#outcome [data-outcome]'); const o = e && e.dataset.outcome;"
                            "return o === 'accept' ? o : false", 10, "the verdict 受理")
    label = browser.js("return document.querySelector('#outcome-label').textContent")
    if label != "受理":
        raise AssertionError(f"outcome label {label!r}, expected 受理")
    act(browser, "#submit", lambda e: e.click())
    wait(browser, "return !!document.querySelector('#success')", 30, "the receipt after 提交")
    success = browser.js("return document.querySelector('#success').dataset.outcome")
    number = browser.js("const e = document.querySelector('#receipt [data-receipt=\"document_number\"] dd'); return e && e.textContent")
    if success != "accept" or not re.fullmatch(r"明审服受〔\d{4}〕\d+号", number or ""):
        raise AssertionError(f"receipt: outcome {success!r}, number {number!r}")
    errors = console_errors(browser)
    if errors:
        raise AssertionError(f"console errors: {errors}")
    return f"{outcome} {label}, receipt {number}"


def run_engine(name, make, static_url, app_url):
    started = time.time()
    passed = failed = 0
    browser = None
    try:
        browser = make()
        print(f"{name}: {browser.version}", flush=True)
        p, f, notes, report = conformance_page(browser, static_url)
        for n in notes:
            print(f"  {n}")
        print(f"{name} conformance page ({report.get('userAgent')}): {p} passed, {f} failed", flush=True)
        passed += p
        failed += f
        if p == 0:
            print(f"FAIL: {name}: no conformance cases ran")
            failed += 1
        try:
            try:
                flow = applicant_flow(browser, app_url)
            except AssertionError:
                raise
            except Exception as e:  # noqa: BLE001 - a driver error, not the page's: said, tried once more
                # WebKitWebDriver has failed a step once in a full run with an empty message (it
                # passed on the rerun): name the step and try the flow once more on a fresh load;
                # an assertion about the page is never retried.
                print(f"{name} applicant page: driver error {type(e).__name__} {str(e).strip()!r} at "
                      f"{traceback.extract_tb(e.__traceback__)[-1].line!r}; trying the flow once more")
                flow = applicant_flow(browser, app_url)
            print(f"{name} applicant page: matter found, form filled, {flow}; no console error")
            passed += 1
        except Exception as e:  # noqa: BLE001 - reported, counted
            print(f"FAIL: {name} applicant page: {type(e).__name__}: {e}\n{traceback.format_exc()}")
            failed += 1
    except Exception:  # noqa: BLE001
        print(f"FAIL: {name} could not run:\n{traceback.format_exc()}")
        failed += 1
    finally:
        if browser is not None:
            try:
                browser.quit()
            except Exception:  # noqa: BLE001
                pass
    print(f"{name}: {passed} passed, {failed} failed ({time.time() - started:.1f}s)", flush=True)
    return passed, failed


def main():
    wanted = sys.argv[1:] or ["webkit", "firefox"]
    for needed in ("pkg/qiquan_bg.wasm", "pkg/rules/bundle.json", "www/dist/index.html"):
        if not os.path.exists(os.path.join(ROOT, needed)):
            raise SystemExit(f"browsers: {needed} is missing (scripts/build-wasm.sh, scripts/test-www.sh)")
    child, upstream, data = start_qiquan()
    static, static_url = start_server()
    proxy, app_url = start_server(upstream)
    total_passed = total_failed = 0
    try:
        for name, make in (("webkit", WebKit), ("firefox", Firefox)):
            if name in wanted:
                p, f = run_engine(name, make, static_url, app_url)
                total_passed += p
                total_failed += f
    finally:
        static.shutdown()
        proxy.shutdown()
        child.terminate()
        child.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)
    print(f"{total_passed} passed, {total_failed} failed")
    sys.stdout.flush()
    # (os._exit: mozprofile's destructors complain when they run at interpreter shutdown.)
    os._exit(0 if total_passed > 0 and total_failed == 0 else 1)


if __name__ == "__main__":
    main()
