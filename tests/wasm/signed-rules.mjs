// Loads pkg/rules/ — the signed bundle scripts/build-wasm.sh writes, with keys.json beside it
// (docs/bundles.md, "Static hosting") — into the page module the way the pages do: openBundle
// against the keys, then addBundleFiles with every file of the manifest. The page module has no
// other way to load rules (no loadRules). Plain ES module, no Node APIs: the Node tests, the
// Chromium page (tests/wasm/index.html) and the benches share it.
//
//   loadSignedRules(q, (name) => readFileSync(join(root, 'pkg/rules', name), 'utf8'))   // sync
//   await loadSignedRulesAsync(q, (name) => fetch('/pkg/rules/' + name).then((r) => r.text()))
//
// Verdicts then name the bundle: `"rules_revision": "static-…"`, where the CLI and the
// conformance corpus (rules loaded unsigned) print null. `withoutRevision` turns exactly that one
// key back, so every other byte is still compared.

function open(q, keysText, envelopeText) {
  const keys = JSON.parse(keysText).keys.map((k) => k.public_key);
  const manifest = q.openBundle(envelopeText, JSON.stringify(keys));
  if (!manifest || manifest.error) throw new Error(`pkg/rules/bundle.json: ${JSON.stringify(manifest?.error)}`);
  return manifest;
}

function add(q, manifest, texts) {
  const loaded = q.addBundleFiles(texts);
  if (!loaded || loaded.error) throw new Error(`pkg/rules/files: ${JSON.stringify(loaded?.error)}`);
  if (loaded.rules_revision !== manifest.revision || loaded.rules_digest !== manifest.rules_digest) {
    throw new Error(
      `pkg/rules: loaded ${JSON.stringify(loaded)}, manifest ${manifest.revision} ${manifest.rules_digest}`,
    );
  }
  return { manifest, loaded, revision: manifest.revision };
}

/** `read(name)` returns the text of `pkg/rules/<name>`. Returns `{manifest, loaded, revision}`. */
export function loadSignedRules(q, read) {
  const manifest = open(q, read('keys.json'), read('bundle.json'));
  return add(
    q,
    manifest,
    manifest.files.map((f) => read(`files/${f.sha256}.json`)),
  );
}

/** The same with `read(name)` returning a Promise of the text (fetch). */
export async function loadSignedRulesAsync(q, read) {
  const [keys, envelope] = await Promise.all([read('keys.json'), read('bundle.json')]);
  const manifest = open(q, keys, envelope);
  return add(q, manifest, await Promise.all(manifest.files.map((f) => read(`files/${f.sha256}.json`))));
}

/**
 * A `read` for `loadSignedRules` over a bundle held in memory (bench/out/fixtures.json's
 * `signed`, written by bench/engine.rs): `{public_key, envelope, files: {sha256: text}}`.
 */
export function memoryReader({ public_key, envelope, files }) {
  return (name) => {
    if (name === 'keys.json') return JSON.stringify({ keys: [{ public_key }] });
    if (name === 'bundle.json') return envelope;
    const sha = /^files\/([0-9a-f]{64})\.json$/.exec(name)?.[1];
    if (sha === undefined || !(sha in files)) throw new Error(`no ${name} in the bundle`);
    return files[sha];
  };
}

/**
 * `output` (checkJson's or checkCompact's bytes) as they are with the same rules loaded unsigned:
 * a verdict's one `"rules_revision": "<revision>"` (pretty: its own line, `  "rules_revision":
 * "…",`; compact: `,"rules_revision":"…",`) becomes `null`; nothing else changes. A verdict that
 * does not carry exactly one, naming `revision`, throws; output without the key (errors, deadline
 * answers) is returned as it is.
 */
export function withoutRevision(output, revision) {
  const name = JSON.stringify(revision);
  const forms = [
    [`\n  "rules_revision": ${name},\n`, '\n  "rules_revision": null,\n'],
    [`,"rules_revision":${name},`, ',"rules_revision":null,'],
  ];
  const total = output.split('"rules_revision"').length - 1;
  if (total === 0) return output;
  for (const [named, unnamed] of forms) {
    const parts = output.split(named);
    if (parts.length === 2 && total === 1) return parts.join(unnamed);
  }
  throw new Error(`expected one "rules_revision": ${name} in:\n${output.slice(0, 400)}`);
}
