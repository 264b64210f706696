// UTF-8 TextEncoder / TextDecoder for the JavaScript engine shells (JavaScriptCore's `jsc`,
// SpiderMonkey's `js102`), which lack them; wasm-bindgen's glue (pkg/qiquan.js) needs both, and
// makes its decoder when it loads. Import this module before the glue. Where the engine has them
// (browsers, Node) nothing is replaced. UTF-8 only, per the WHATWG Encoding Standard: lone
// surrogates are encoded as U+FFFD; invalid bytes decode to U+FFFD, or throw with `fatal`.

class Utf8Encoder {
  get encoding() {
    return 'utf-8';
  }

  encode(input = '') {
    const text = String(input);
    const out = new Uint8Array(text.length * 3);
    return out.subarray(0, this.encodeInto(text, out).written);
  }

  /** Writes as many whole characters as fit; `read` counts UTF-16 code units. */
  encodeInto(input, dest) {
    const text = String(input);
    let read = 0;
    let written = 0;
    const n = dest.length;
    while (read < text.length) {
      let c = text.charCodeAt(read);
      let units = 1;
      if (c >= 0xd800 && c <= 0xdbff && read + 1 < text.length) {
        const d = text.charCodeAt(read + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          units = 2;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (c < 0x80) {
        if (written + 1 > n) break;
        dest[written++] = c;
      } else if (c < 0x800) {
        if (written + 2 > n) break;
        dest[written++] = 0xc0 | (c >> 6);
        dest[written++] = 0x80 | (c & 0x3f);
      } else if (c < 0x10000) {
        if (written + 3 > n) break;
        dest[written++] = 0xe0 | (c >> 12);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      } else {
        if (written + 4 > n) break;
        dest[written++] = 0xf0 | (c >> 18);
        dest[written++] = 0x80 | ((c >> 12) & 0x3f);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      }
      read += units;
    }
    return { read, written };
  }
}

class Utf8Decoder {
  constructor(label = 'utf-8', options = {}) {
    const name = String(label).trim().toLowerCase();
    if (name !== 'utf-8' && name !== 'utf8' && name !== 'unicode-1-1-utf-8') {
      throw new RangeError(`TextDecoder shim: only UTF-8 (not ${label})`);
    }
    this.fatal = Boolean(options.fatal);
    this.ignoreBOM = Boolean(options.ignoreBOM);
  }

  get encoding() {
    return 'utf-8';
  }

  decode(input) {
    if (input === undefined) return '';
    const bytes =
      input instanceof Uint8Array
        ? input
        : ArrayBuffer.isView(input)
          ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
          : new Uint8Array(input);
    const units = [];
    let out = '';
    const flush = () => {
      out += String.fromCharCode.apply(null, units);
      units.length = 0;
    };
    const bad = () => {
      if (this.fatal) throw new TypeError('The encoded data was not valid UTF-8.');
      units.push(0xfffd);
    };
    let i = 0;
    if (!this.ignoreBOM && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
    while (i < bytes.length) {
      const b = bytes[i];
      let need = 0;
      let c = 0;
      let lo = 0x80;
      let hi = 0xbf;
      if (b < 0x80) {
        units.push(b);
        i++;
        if (units.length >= 8192) flush();
        continue;
      } else if (b >= 0xc2 && b <= 0xdf) {
        need = 1;
        c = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        need = 2;
        c = b & 0x0f;
        if (b === 0xe0) lo = 0xa0;
        if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        need = 3;
        c = b & 0x07;
        if (b === 0xf0) lo = 0x90;
        if (b === 0xf4) hi = 0x8f;
      } else {
        bad();
        i++;
        continue;
      }
      let j = 1;
      for (; j <= need; j++) {
        const x = bytes[i + j];
        if (x === undefined || x < lo || x > hi) break;
        c = (c << 6) | (x & 0x3f);
        lo = 0x80;
        hi = 0xbf;
      }
      if (j <= need) {
        // The maximal subpart of an ill-formed sequence becomes one U+FFFD.
        bad();
        i += j;
        continue;
      }
      i += need + 1;
      if (c >= 0x10000) {
        c -= 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else {
        units.push(c);
      }
      if (units.length >= 8192) flush();
    }
    flush();
    return out;
  }
}

if (typeof globalThis.TextEncoder === 'undefined') globalThis.TextEncoder = Utf8Encoder;
if (typeof globalThis.TextDecoder === 'undefined') globalThis.TextDecoder = Utf8Decoder;

export { Utf8Encoder, Utf8Decoder };
