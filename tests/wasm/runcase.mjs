// The conformance case runner shared by the Node and Chromium runners: a line-for-line mirror
// of `run_case` in tests/conformance.rs. Plain ES module, no Node APIs, so the browser page
// imports it as is.
//
// `run_case` re-serializes a case's `submission`/`options` with serde_json (`Value` →
// `to_string`): keys sorted (serde_json's Map is a BTreeMap here), integers kept exact, floats
// printed the zmij way (`1.0`, `1e+16`). The engine's error messages quote line and column of
// that text, so the JavaScript side must produce the very same bytes: hence a JSON parser that
// keeps number tokens, and a serializer that prints them as serde_json does.

/** A JSON number as written in the case file. */
export class RawNumber {
  constructor(raw) {
    this.raw = raw;
  }
}

/** JSON.parse, except that numbers stay `RawNumber` tokens. Duplicate keys: the last wins. */
export function parseRaw(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what) => {
    throw new SyntaxError(`case JSON: ${what} at offset ${i}`);
  };
  const stringRe = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const numberRe = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return map;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        map.set(key, value());
        ws();
        const d = text[i++];
        if (d === '}') return map;
        if (d !== ',') fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        const d = text[i++];
        if (d === ']') return arr;
        if (d !== ',') fail('expected , or ]');
      }
    }
    if (c === '"') return string();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    numberRe.lastIndex = i;
    const m = numberRe.exec(text);
    if (!m) fail('unexpected character');
    i += m[0].length;
    return new RawNumber(m[0]);
  };
  const string = () => {
    stringRe.lastIndex = i;
    const m = stringRe.exec(text);
    if (!m) fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/** serde_json's number classification: `{int: BigInt}` for u64/i64, else `{float: number}`. */
function classify(raw) {
  if (/^-?\d+$/.test(raw)) {
    const b = BigInt(raw);
    if (!raw.startsWith('-') && b <= U64_MAX) return { int: b };
    // serde_json reads "-0" as the float -0.0.
    if (raw.startsWith('-') && b < 0n && b >= I64_MIN) return { int: b };
  }
  return { float: Number(raw) };
}

/** An f64 as serde_json (zmij) prints it: fixed notation for exponents -5..=15. */
export function formatF64(x) {
  if (Object.is(x, 0)) return '0.0';
  if (Object.is(x, -0)) return '-0.0';
  if (!Number.isFinite(x)) return 'null';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exp] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exp);
  if (e >= -5 && e <= 15) {
    if (digits.length - 1 <= e) return sign + digits + '0'.repeat(e - digits.length + 1) + '.0';
    if (e >= 0) return sign + digits.slice(0, e + 1) + '.' + digits.slice(e + 1);
    return sign + '0.' + '0'.repeat(-e - 1) + digits;
  }
  const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
  return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}

/** Code point order, which is UTF-8 byte order, which is how a BTreeMap<String> sorts. */
function compareKeys(a, b) {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done === y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0) - y.value.codePointAt(0);
    if (d !== 0) return d;
  }
}

/** `serde_json::to_string(&value)` for a value from `parseRaw`. */
export function serdeToString(v) {
  if (v === null || v === true || v === false) return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof RawNumber) {
    const n = classify(v.raw);
    return 'int' in n ? n.int.toString() : formatF64(n.float);
  }
  if (Array.isArray(v)) return '[' + v.map(serdeToString).join(',') + ']';
  if (v instanceof Map) {
    const keys = [...v.keys()].sort(compareKeys);
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + serdeToString(v.get(k))).join(',') + '}';
  }
  throw new TypeError('serdeToString: unexpected value');
}

/** `value.as_str()` */
const asStr = (v) => (typeof v === 'string' ? v : undefined);

/** `value.as_i64()`, as a BigInt (undefined when not an integer in range). */
function asI64(v) {
  if (!(v instanceof RawNumber)) return undefined;
  const n = classify(v.raw);
  return 'int' in n && n.int >= I64_MIN && n.int <= I64_MAX ? n.int : undefined;
}

/** Indexing a serde_json Value: a missing key or a non-object gives null. */
const get = (v, key) => (v instanceof Map && v.has(key) ? v.get(key) : null);

/**
 * Runs one case (its JSON text) against the wasm module `q` and returns the output bytes,
 * exactly as `run_case` does natively.
 */
export function runCase(q, caseText) {
  const c = parseRaw(caseText);
  const kind = asStr(get(c, 'kind')) ?? 'check';
  if (kind === 'deadline') {
    const d = get(c, 'deadline');
    const days = asI64(get(d, 'days')) ?? I64_MIN;
    const answer = q.deadline(asStr(get(d, 'from')) ?? '', days, asStr(get(d, 'unit')) ?? '');
    // The object deadline() returns, printed like to_pretty_json (same key order, 2 spaces).
    return JSON.stringify(answer, null, 2);
  }
  const text = get(c, 'submission_text');
  const submission = typeof text === 'string' ? text : serdeToString(get(c, 'submission'));
  const options = c instanceof Map && c.has('options') ? serdeToString(c.get('options')) : undefined;
  const matter = asStr(get(c, 'matter')) ?? '';
  return q.checkJson(matter, submission, options);
}

/**
 * The compact check of one case (`run_compact` natively): its output bytes, or null for a
 * deadline case.
 */
export function runCompact(q, caseText) {
  const c = parseRaw(caseText);
  if ((asStr(get(c, 'kind')) ?? 'check') === 'deadline') return null;
  const text = get(c, 'submission_text');
  const submission = typeof text === 'string' ? text : serdeToString(get(c, 'submission'));
  const options = c instanceof Map && c.has('options') ? serdeToString(c.get('options')) : undefined;
  return q.checkCompact(asStr(get(c, 'matter')) ?? '', submission, options);
}

/** `expected.strip_suffix('\n').unwrap_or(expected) == output` */
export function sameBytes(expected, output) {
  return (expected.endsWith('\n') ? expected.slice(0, -1) : expected) === output;
}

/** A readable line diff (LCS), `-` expected and `+` actual, with 2 lines of context. */
export function lineDiff(expected, actual) {
  const a = expected.replace(/\n$/, '').split('\n');
  const b = actual.split('\n');
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return `(too large to diff: ${n} vs ${m} lines)`;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push([' ', a[i++], j++]);
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) ops.push(['+', b[j++]]);
    else ops.push(['-', a[i++]]);
  }
  const keep = ops.map((op, k) => op[0] !== ' ' || ops.slice(Math.max(0, k - 2), k + 3).some((o) => o[0] !== ' '));
  const out = [];
  ops.forEach((op, k) => {
    if (keep[k]) out.push(`${op[0]} ${op[1]}`);
    else if (keep[k - 1]) out.push('  ...');
  });
  return out.join('\n');
}
