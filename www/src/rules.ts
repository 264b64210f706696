// The rules the engine checks against. The page module (/pkg/qiquan_bg.wasm) carries none: they
// are fetched here, once per page, and handed to the engine with loadRules. This is the only
// place that knows where the rules come from: today the unsigned bundle scripts/build-wasm.sh
// writes (/pkg/rules.json, `qiquan bundle rules`); the signed bundle (bundle.json naming its
// files by SHA-256, files/<sha256>.json) replaces the fetch below and nothing else.
export const RULES_URL = '/pkg/rules.json';

interface RulesTarget {
  loadRules: (bundleJson: string) => unknown;
  rulesDigest?: () => string;
}

/** The bundle's text and the digest the engine computed for it, once loaded. */
interface Fetched { text: string; digest: string | null }

let fetching: Promise<Fetched> | null = null;

/** Starts the download (the pages call it before the engine is instantiated, so both overlap). */
export function fetchRules(): Promise<Fetched> {
  if (!fetching) {
    fetching = fetch(RULES_URL).then(async (res) => {
      if (!res.ok) throw new Error(`rules: ${RULES_URL} answered ${res.status}`);
      return { text: await res.text(), digest: null };
    });
    fetching.catch(() => { fetching = null; }); // a failed fetch is tried again next time
  }
  return fetching;
}

/**
 * Loads the rules into the engine module, once per bundle: a module that already holds the
 * same digest is left alone. Returns the bundle's digest; throws the engine's error value when
 * the bundle is refused.
 */
export async function loadRulesInto(m: RulesTarget): Promise<string> {
  const fetched = await fetchRules();
  if (fetched.digest && m.rulesDigest?.() === fetched.digest) return fetched.digest;
  const loaded = m.loadRules(fetched.text) as { rules_digest?: string; error?: unknown };
  if (!loaded || typeof loaded.rules_digest !== 'string') {
    throw Object.assign(new Error('rules: the engine refused the bundle'), { detail: loaded });
  }
  fetched.digest = loaded.rules_digest;
  return fetched.digest;
}
