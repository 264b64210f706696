"""The conformance corpus through the glue-free core module (pkg/core/qiquan-core.wasm) in a
second host: Python with wasmtime (PyPI). No JavaScript anywhere: the host instantiates the
module with no imports, loads the signed bundle scripts/build-wasm.sh wrote (pkg/rules/) through
the ABI of docs/abi.md, and requires every case's bytes (full and compact) to be the expected
files' bytes, as the native runner does (tests/conformance.rs, `run_case`).

    target/py/bin/python tests/core/run_corpus.py        # scripts/test-wasm.sh runs it

Mirrors tests/wasm/runcase.mjs: a case's `submission`/`options` are re-serialized as serde_json
prints them (keys sorted, integers exact, floats the zmij way), because the engine's error
messages quote line and column of that text.
"""

import json
import os
import re
import sys
import time
from importlib.metadata import version

import wasmtime

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODULE = os.path.join(ROOT, "pkg", "core", "qiquan-core.wasm")
RULES = os.path.join(ROOT, "pkg", "rules")
CORPUS = os.path.join(ROOT, "tests", "conformance")


# ---------------------------------------------------------------------------------------------
# The host side of the ABI (docs/abi.md)


class Core:
    """One instance of qiquan-core.wasm: JSON text in, JSON text out."""

    def __init__(self, path):
        self.engine = wasmtime.Engine()
        self.store = wasmtime.Store(self.engine)
        module = wasmtime.Module.from_file(self.engine, path)
        if module.imports:
            raise SystemExit(f"core: the module imports {[(i.module, i.name) for i in module.imports]}")
        instance = wasmtime.Instance(self.store, module, [])
        self.exports = instance.exports(self.store)
        self.memory = self.exports["memory"]
        self.version = self.call("qiquan_abi_version")

    def call(self, name, *args):
        return self.exports[name](self.store, *args)

    def put(self, data):
        """A block holding `data` (bytes): (ptr, len). The caller frees it."""
        ptr = self.call("qiquan_alloc", len(data))
        if ptr == 0:
            raise MemoryError(f"qiquan_alloc({len(data)}) refused")
        self.memory.write(self.store, data, ptr)
        return ptr, len(data)

    def take(self, ptr):
        """The answer at `ptr` as text; frees it."""
        length = self.call("qiquan_len", ptr)
        data = self.memory.read(self.store, ptr, ptr + length)
        self.call("qiquan_free", ptr)
        return bytes(data).decode("utf-8")

    def op(self, name, *inputs):
        """Calls operation `name` with each input (bytes, or None: `0, 0`) as `ptr, len`."""
        blocks = [self.put(data) if data is not None else (0, 0) for data in inputs]
        try:
            return self.take(self.call(name, *[x for block in blocks for x in block]))
        finally:
            for ptr, _ in blocks:
                if ptr:
                    self.call("qiquan_free", ptr)

    def check(self, matter, submission, options=None):
        return self.op("qiquan_check", matter.encode(), submission, options)

    def check_compact(self, matter, submission, options=None):
        return self.op("qiquan_check_compact", matter.encode(), submission, options)

    def deadline(self, request):
        return self.op("qiquan_deadline", request.encode())

    def matters(self):
        return self.take(self.call("qiquan_matters"))

    def open_bundle(self, envelope, keys):
        return self.op("qiquan_open_bundle", envelope.encode(), json.dumps(keys).encode())

    def add_bundle_files(self, texts):
        return self.op("qiquan_add_bundle_files", json.dumps(texts, ensure_ascii=False).encode())


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def load_signed_rules(core):
    """pkg/rules/ (keys.json, bundle.json, files/) into the module; returns the revision."""
    keys = [k["public_key"] for k in json.loads(read(os.path.join(RULES, "keys.json")))["keys"]]
    manifest = json.loads(core.open_bundle(read(os.path.join(RULES, "bundle.json")), keys))
    if "error" in manifest:
        raise SystemExit(f"core: open_bundle: {manifest['error']}")
    texts = [read(os.path.join(RULES, "files", f"{f['sha256']}.json")) for f in manifest["files"]]
    loaded = json.loads(core.add_bundle_files(texts))
    if "error" in loaded or loaded["rules_revision"] != manifest["revision"] or loaded["rules_digest"] != manifest["rules_digest"]:
        raise SystemExit(f"core: add_bundle_files: {loaded}, manifest {manifest['revision']} {manifest['rules_digest']}")
    return manifest, texts, keys


def without_revision(output, revision):
    """tests/wasm/signed-rules.mjs `withoutRevision`: the one `rules_revision` back to null."""
    name = json.dumps(revision, ensure_ascii=False)
    total = output.count('"rules_revision"')
    if total == 0:
        return output
    for named, unnamed in [
        (f'\n  "rules_revision": {name},\n', '\n  "rules_revision": null,\n'),
        (f',"rules_revision":{name},', ',"rules_revision":null,'),
    ]:
        parts = output.split(named)
        if len(parts) == 2 and total == 1:
            return unnamed.join(parts)
    raise ValueError(f'expected one "rules_revision": {name} in:\n{output[:400]}')


# ---------------------------------------------------------------------------------------------
# run_case, as tests/conformance.rs runs it


class Raw:
    """A JSON number as written in the case file."""

    def __init__(self, raw):
        self.raw = raw


def parse_raw(text):
    return json.loads(text, parse_int=Raw, parse_float=Raw, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))


U64_MAX = (1 << 64) - 1
I64_MIN = -(1 << 63)
I64_MAX = (1 << 63) - 1


def classify(raw):
    """serde_json's reading of a number token: ('int', n) for u64/i64, else ('float', x)."""
    if re.fullmatch(r"-?\d+", raw):
        n = int(raw)
        if not raw.startswith("-") and n <= U64_MAX:
            return "int", n
        if raw.startswith("-") and I64_MIN <= n < 0:  # "-0" is the float -0.0
            return "int", n
    return "float", float(raw)


def shortest(x):
    """The shortest round-trip digits of x > 0 and the decimal exponent of the first one."""
    r = repr(x)
    mantissa, _, exp = r.partition("e")
    exp = int(exp or 0)
    whole, _, frac = mantissa.partition(".")
    if whole.strip("0"):
        e = len(whole.lstrip("0")) - 1 + exp
    else:
        e = -(len(frac) - len(frac.lstrip("0")) + 1) + exp
    digits = (whole + frac).lstrip("0").rstrip("0") or "0"
    return digits, e


def format_f64(x):
    """An f64 as serde_json (zmij) prints it: fixed notation for exponents -5..=15."""
    if x == 0:
        return "-0.0" if str(x).startswith("-") else "0.0"
    if x != x or x in (float("inf"), float("-inf")):
        return "null"
    sign = "-" if x < 0 else ""
    digits, e = shortest(abs(x))
    if -5 <= e <= 15:
        if len(digits) - 1 <= e:
            return sign + digits + "0" * (e - len(digits) + 1) + ".0"
        if e >= 0:
            return sign + digits[: e + 1] + "." + digits[e + 1 :]
        return sign + "0." + "0" * (-e - 1) + digits
    frac = "." + digits[1:] if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{frac}e{'-' if e < 0 else '+'}{abs(e)}"


def serde_to_string(v):
    """`serde_json::to_string(&value)` for a value from parse_raw."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, Raw):
        kind, n = classify(v.raw)
        return str(n) if kind == "int" else format_f64(n)
    if isinstance(v, list):
        return "[" + ",".join(serde_to_string(x) for x in v) + "]"
    if isinstance(v, dict):
        # Code point order = UTF-8 byte order = a BTreeMap<String>'s order.
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + serde_to_string(v[k]) for k in sorted(v)) + "}"
    raise TypeError(f"unexpected {v!r}")


def get(v, key):
    return v.get(key) if isinstance(v, dict) else None


def as_str(v):
    return v if isinstance(v, str) else None


def as_i64(v):
    if not isinstance(v, Raw):
        return None
    kind, n = classify(v.raw)
    return n if kind == "int" and I64_MIN <= n <= I64_MAX else None


def check_input(c):
    text = get(c, "submission_text")
    submission = text if isinstance(text, str) else serde_to_string(get(c, "submission"))
    options = serde_to_string(c["options"]) if isinstance(c, dict) and "options" in c else None
    return (as_str(get(c, "matter")) or ""), submission.encode(), (options.encode() if options is not None else None)


def run_case(core, c):
    if (as_str(get(c, "kind")) or "check") == "deadline":
        d = get(c, "deadline")
        days = as_i64(get(d, "days"))
        request = json.dumps(
            {"from": as_str(get(d, "from")) or "", "days": I64_MIN if days is None else days, "unit": as_str(get(d, "unit")) or ""},
            ensure_ascii=False,
        )
        return core.deadline(request), None
    matter, submission, options = check_input(c)
    return core.check(matter, submission, options), core.check_compact(matter, submission, options)


def cases(directory, base=None):
    """tests/wasm/serve.mjs `listCases`: every case file, in the runners' order."""
    base = base or directory
    out = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isdir(path):
            out += cases(path, base)
        elif name.endswith(".json") and not name.endswith(".expected.json"):
            out.append(os.path.relpath(path, base))
    return out


def same_bytes(expected, output):
    return (expected[:-1] if expected.endswith("\n") else expected) == output


# ---------------------------------------------------------------------------------------------


def abi_checks(core, manifest, texts, keys):
    """The ABI's refusals, through the host: each must be the CLI's error envelope."""
    failures = []
    checked = []

    def expect(what, answer, code):
        checked.append(what)
        got = json.loads(answer).get("error", {}).get("code")
        if got != code:
            failures.append(f"{what}: expected {code}, got {answer[:300]}")

    envelope = read(os.path.join(RULES, "bundle.json"))
    # A valid ed25519 public key that did not sign it (RFC 8032, test 1).
    other = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    expect("untrusted key", core.open_bundle(envelope, [other]), "bundle_untrusted_key")
    tampered = envelope.replace(manifest["revision"], manifest["revision"].upper(), 1)
    checked.append("tampered envelope")
    if "error" not in json.loads(core.open_bundle(tampered, keys)):
        failures.append("a tampered envelope was opened")
    # Reopen (the refusals above must not have closed it… they did not open anything) and add a
    # file changed by one character: refused, and the rules in use stay.
    json.loads(core.open_bundle(envelope, keys))
    changed = texts[0].replace("a", "b", 1)
    expect("changed file", core.add_bundle_files([changed]), "bundle_file_mismatch")
    expect("not an array", core.add_bundle_files({"x": 1}), "invalid_submission")
    submission = b'{"applicant": {"kind": "natural_person"}, "channel": "online", "received_at": "2026-03-02T09:30:00+08:00", "fields": {}, "materials": {}}'
    expect("no such matter", core.check("no_such_matter", submission), "unknown_matter")
    expect("bad JSON", core.check("public_place_hygiene_license", b"{"), "invalid_json")
    expect("deadline request", core.deadline('{"from": 1}'), "invalid_submission")
    bad = core.take(core.call("qiquan_check", 8, 3, 16, 2, 0, 0))
    expect("pointer not from qiquan_alloc", bad, "usage")
    checked.append("matters")
    matters = json.loads(core.matters())
    if not isinstance(matters, list) or len(matters) != len({m for f in manifest["files"] for m in [f.get("matter")] if m}):
        failures.append(f"matters: {str(matters)[:200]}")
    checked.append("deadline")
    deadline = json.loads(core.deadline('{"from": "2026-09-30", "days": 1, "unit": "working"}'))
    if deadline.get("due") != "2026-10-08":
        failures.append(f"deadline 2026-09-30 + 1 working day: {deadline}")
    return len(checked), failures


def main():
    started = time.monotonic()
    core = Core(MODULE)
    manifest, texts, keys = load_signed_rules(core)
    revision = manifest["revision"]
    names = cases(CORPUS)
    failed = []
    compact_count = 0
    for name in names:
        case_text = read(os.path.join(CORPUS, name))
        expected_path = os.path.join(CORPUS, name[: -len(".json")] + ".expected.json")
        expected = read(expected_path) if os.path.exists(expected_path) else None
        try:
            output, compact = run_case(core, parse_raw(case_text))
            output = without_revision(output, revision)
        except Exception as e:  # noqa: BLE001 - a runner reports, never stops
            failed.append((name, f"exception: {e!r}"))
            continue
        if expected is None or not same_bytes(expected, output):
            failed.append((name, f"differs from {os.path.relpath(expected_path, ROOT)}:\n{output[:2000]}"))
            continue
        if compact is not None:
            compact_count += 1
            compact = without_revision(compact, revision)
            compact_path = os.path.join(CORPUS, name[: -len(".json")] + ".compact.expected.json")
            compact_expected = read(compact_path) if os.path.exists(compact_path) else None
            if compact_expected is None or not same_bytes(compact_expected, compact):
                failed.append((name, f"compact differs from {os.path.relpath(compact_path, ROOT)}:\n{compact[:1000]}"))
    abi_checked, abi_failures = abi_checks(core, manifest, texts, keys)
    for name, why in failed[:20]:
        print(f"FAIL {name}: {why}")
    for why in abi_failures:
        print(f"FAIL abi: {why}")
    size = os.path.getsize(MODULE)
    seconds = time.monotonic() - started
    print(
        f"core module (qiquan-core.wasm {size} B, ABI {core.version}) in Python wasmtime "
        f"{version('wasmtime')}, {seconds:.1f}s: {len(names) - len(failed)} passed, {len(failed)} failed "
        f"({compact_count} compact checks compared); ABI checks: {abi_checked - len(abi_failures)} passed, {len(abi_failures)} failed"
    )
    if not names:
        print("FAIL: no conformance cases ran")
    passed = len(names) - len(failed) + abi_checked - len(abi_failures)
    print(f"{passed} passed, {len(failed) + len(abi_failures) + (0 if names else 1)} failed")
    sys.exit(0 if names and not failed and not abi_failures else 1)


if __name__ == "__main__":
    main()
