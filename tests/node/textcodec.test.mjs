// The UTF-8 TextEncoder/TextDecoder shim the engine shells use (tests/engines/textcodec.mjs)
// against Node's own, on random text (every UTF-8 length, lone surrogates) and random bytes
// (invalid sequences: U+FFFD as Node gives it, or a TypeError with `fatal`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Utf8Decoder, Utf8Encoder } from '../engines/textcodec.mjs';

let seed = 0x71717561;
const next = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed;
};
const randomText = () => {
  const units = [];
  const n = next() % 40;
  for (let i = 0; i < n; i++) {
    const r = next() % 6;
    if (r === 0) units.push(next() % 0x80);
    else if (r === 1) units.push(0x80 + (next() % 0x780));
    else if (r === 2) units.push(0x4e00 + (next() % 0x5000));
    else if (r === 3) units.push(0xd800 + (next() % 0x400), 0xdc00 + (next() % 0x400));
    else if (r === 4)
      units.push(0xd800 + (next() % 0x800)); // a lone surrogate
    else units.push(0xe000 + (next() % 0x2000));
  }
  return String.fromCharCode(...units);
};

test('the shim encodes as Node does, whole and into buffers too small', () => {
  const ours = new Utf8Encoder();
  const node = new TextEncoder();
  for (let i = 0; i < 3000; i++) {
    const text = randomText();
    assert.deepEqual(ours.encode(text), node.encode(text));
    const size = next() % (text.length * 3 + 1);
    const a = new Uint8Array(size);
    const b = new Uint8Array(size);
    assert.deepEqual(ours.encodeInto(text, a), node.encodeInto(text, b), JSON.stringify(text));
    assert.deepEqual(a, b);
  }
});

test('the shim decodes as Node does, valid or not', () => {
  const node = new TextDecoder('utf-8');
  const nodeFatal = new TextDecoder('utf-8', { fatal: true });
  const ours = new Utf8Decoder('utf-8');
  const oursFatal = new Utf8Decoder('utf-8', { fatal: true });
  for (let i = 0; i < 3000; i++) {
    const bytes =
      i % 2 ? new TextEncoder().encode(randomText()) : Uint8Array.from({ length: next() % 24 }, () => next() % 256);
    assert.equal(ours.decode(bytes), node.decode(bytes), String(bytes));
    let expected;
    try {
      expected = nodeFatal.decode(bytes);
    } catch {
      expected = TypeError;
    }
    if (expected === TypeError) assert.throws(() => oursFatal.decode(bytes), TypeError);
    else assert.equal(oursFatal.decode(bytes), expected);
  }
});
