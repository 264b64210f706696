// The floor of bench/first_verdict.mjs: a module script that instantiates a tiny wasm module
// (one `add` function, bench/browser/tiny.wasm) with instantiateStreaming, as wasm-bindgen's
// glue loads pkg/. What any page that runs wasm pays on this browser and machine.
export default async function init(url) {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(url));
  return instance.exports;
}
