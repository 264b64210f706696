// The rules the engine checks against, from the signed bundle (docs/bundles.md), verified in
// wasm. The page module (/pkg/qiquan_bg.wasm) carries no rules: this is the only place that
// knows where they come from.
//
//   1. the trusted keys and bundle.json: from the server (`/v1/rules/keys`, `/v1/rules/bundle.json`:
//      the bundle the server itself checks with, so both verdicts name the same revision), or,
//      when the pages are served without the server (vite dev/preview, a static host), the
//      bundle scripts/build-wasm.sh signed with a test key (`/pkg/rules/keys.json`,
//      `/pkg/rules/bundle.json`);
//   2. `openBundle` verifies the signature in wasm;
//   3. only the files the page needs: the calendar and the centre (`matter: null`) and the
//      matter the page is about; another matter's files when the user switches to it
//      (`files/<sha256>.json`: immutable URLs, so the HTTP cache keeps them by digest), each
//      verified by `addBundleFiles` against the signed manifest.
// A refused bundle or file throws the engine's error value ({error: {code, message}}).
import type { MatterSummary } from './types';

/** Where a bundle and the keys to trust for it are served, in the order tried. */
export const SOURCES = [
  { keys: '/v1/rules/keys', base: '/v1/rules/' },
  { keys: '/pkg/rules/keys.json', base: '/pkg/rules/' },
] as const;

export interface ManifestFile {
  path: string;
  sha256: string;
  size: number;
  matter: string | null;
}
export interface Manifest {
  revision: string;
  rules_digest: string;
  matters: MatterSummary[];
  files: ManifestFile[];
}

export interface BundleTarget {
  openBundle: (bundleJson: string, trustedKeysJson: string) => unknown;
  addBundleFiles: (fileTexts: string[]) => unknown;
}

/** The keys and envelope as fetched, with where its files are. */
interface Fetched {
  base: string;
  keys: string[];
  envelope: string;
  listed: Manifest | null;
}

let fetching: Promise<Fetched> | null = null;
const files = new Map<string, Promise<string>>();

async function fetchFrom(source: (typeof SOURCES)[number]): Promise<Fetched | null> {
  // The keys and the envelope in parallel (one round trip, not two, before openBundle can run).
  const bundleRes = fetch(`${source.base}bundle.json`).catch(() => null);
  const res = await fetch(source.keys).catch(() => null);
  if (!res || !res.ok) return null;
  let keys: string[];
  try {
    const body = (await res.json()) as { keys?: { public_key?: unknown }[] };
    keys = (body.keys ?? []).map((k) => String(k.public_key));
  } catch {
    return null;
  }
  const bundle = await bundleRes;
  if (!bundle || !bundle.ok)
    throw new Error(`rules: ${source.base}bundle.json answered ${bundle?.status ?? 'nothing'}`);
  const envelope = await bundle.text();
  // The file names, read before the signature is checked only to start their downloads early:
  // addBundleFiles verifies every byte against the manifest openBundle verified.
  let listed: Manifest | null = null;
  try {
    listed = JSON.parse(JSON.parse(envelope).payload) as Manifest;
  } catch {
    listed = null;
  }
  return { base: source.base, keys, envelope, listed };
}

/**
 * Starts the downloads (the pages call it before the engine is instantiated, so both overlap):
 * the keys, bundle.json and, when `matter` is given, the files that matter needs.
 */
export function fetchRules(matter?: string | null): Promise<Fetched> {
  if (!fetching) {
    fetching = (async () => {
      for (const source of SOURCES) {
        const got = await fetchFrom(source);
        if (got) return got;
      }
      throw new Error('rules: no signed bundle at /v1/rules/ or /pkg/rules/');
    })();
    fetching.catch(() => {
      fetching = null;
    }); // a failed fetch is tried again next time
  }
  if (matter !== undefined) {
    void fetching
      .then((f) => {
        if (f.listed) for (const e of wanted(f.listed, matter)) fileText(f.base, e.sha256);
      })
      .catch(() => undefined);
  }
  return fetching;
}

/** The files a matter needs (`matter: null` for none beyond the calendar and the centre). */
function wanted(manifest: Manifest, matter: string | null): ManifestFile[] {
  return manifest.files.filter((f) => f.matter === null || f.matter === matter);
}

function fileText(base: string, sha256: string): Promise<string> {
  let text = files.get(sha256);
  if (!text) {
    text = fetch(`${base}files/${sha256}.json`).then(async (res) => {
      if (!res.ok) throw new Error(`rules: ${base}files/${sha256}.json answered ${res.status}`);
      return res.text();
    });
    text.catch(() => files.delete(sha256));
    files.set(sha256, text);
  }
  return text;
}

function refused(value: unknown): never {
  throw Object.assign(new Error('rules: the engine refused the bundle'), { detail: value });
}

/** A verified bundle in an engine module, and which files it holds. */
export class Rules {
  private loaded = new Set<string>();
  private constructor(
    private m: BundleTarget,
    private base: string,
    readonly manifest: Manifest,
  ) {}

  /** Verifies the bundle in `m` (openBundle) and loads the files of `matter` (and the calendar, centre). */
  static async open(m: BundleTarget, matter: string | null): Promise<Rules> {
    const fetched = await fetchRules(matter);
    const manifest = m.openBundle(fetched.envelope, JSON.stringify(fetched.keys)) as Manifest & { error?: unknown };
    if (!manifest || manifest.error || !Array.isArray(manifest.files)) refused(manifest);
    const rules = new Rules(m, fetched.base, manifest);
    await rules.need(matter);
    return rules;
  }

  /** Whether a matter's files are in the engine. */
  has(matter: string): boolean {
    return this.loaded.has(matter);
  }

  /** Loads the files of `matter` not loaded yet (null: only the calendar and the centre). */
  async need(matter: string | null): Promise<void> {
    const key = matter ?? '';
    if (this.loaded.has(key)) return;
    const entries = wanted(this.manifest, matter).filter((f) => !this.loadedFiles.has(f.sha256));
    if (entries.length > 0) {
      const texts = await Promise.all(entries.map((e) => fileText(this.base, e.sha256)));
      const answer = this.m.addBundleFiles(texts) as { rules_revision?: unknown; error?: unknown };
      if (!answer || answer.error || typeof answer.rules_revision !== 'string') refused(answer);
      for (const e of entries) this.loadedFiles.add(e.sha256);
    }
    this.loaded.add(key);
  }

  /** Loads every matter's files (the finder's search by material name). */
  async needAll(): Promise<void> {
    const entries = this.manifest.files.filter((f) => !this.loadedFiles.has(f.sha256));
    if (entries.length > 0) {
      const texts = await Promise.all(entries.map((e) => fileText(this.base, e.sha256)));
      const answer = this.m.addBundleFiles(texts) as { rules_revision?: unknown; error?: unknown };
      if (!answer || answer.error || typeof answer.rules_revision !== 'string') refused(answer);
      for (const e of entries) this.loadedFiles.add(e.sha256);
    }
    for (const m of this.manifest.matters) this.loaded.add(m.id);
  }

  private loadedFiles = new Set<string>();
}
