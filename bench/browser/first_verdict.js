// The timed part of first_verdict*.html: loadEngine's sequence (www/src/engine.ts) around
// www/src/rules.ts's fetchRules and Rules.open, with the engine calls timed through the
// BundleTarget handed to Rules.open. Sets window.__result (times in ms from navigation start or
// durations; see bench/first_verdict.mjs).
export async function firstVerdict({ glue, init, fetchRules, Rules }) {
  const now = () => performance.now();
  const matter = window.__matter;
  const t0 = now();
  const fetched = fetchRules(matter);
  let keysAt = 0;
  fetched.then(() => { keysAt = now(); }, () => undefined);
  const q = await glue();
  await (init ?? q.default)({ module_or_path: '/pkg/qiquan_bg.wasm' });
  const t1 = now();
  await fetched;
  const t2 = now();
  const calls = {};
  const timed = (name, f) => (...a) => {
    const start = now();
    const out = f(...a);
    calls[name] = { start, end: now() };
    return out;
  };
  await Rules.open({ openBundle: timed('open', q.openBundle), addBundleFiles: timed('add', q.addBundleFiles) }, matter);
  const t3 = now();
  q.matter(matter);
  const t4 = now();
  const out = q.checkJson(matter, window.__submission);
  const t5 = now();
  window.__result = {
    script: t0,
    init: t1 - t0,
    keys: keysAt - t0, // the keys + bundle.json fetched (overlaps init)
    keysWait: t2 - t1, // what of it was left after init
    open: calls.open.end - calls.open.start,
    filesWait: calls.add.start - calls.open.end,
    add: calls.add.end - calls.add.start,
    rules: t3 - t1,
    matter: t4 - t3,
    check: t5 - t4,
    total: t5,
    out: JSON.parse(out).outcome ?? out,
  };
}
