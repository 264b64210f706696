// The only door to the rules: the wasm engine built into /pkg/ by scripts/build-wasm.sh.
// Pages never evaluate a condition or compute a date; they ask the engine and render the answer.
import type { EngineError, Labels, MaterialDef, MatterDef, MatterSummary, Submission, Text, Verdict } from './types';
import type { CompactVerdict } from '../../pkg/qiquan';
import { isError } from './types';
import { setEngineLabels } from './i18n';
import { fetchRules, Rules } from './rules';

interface WasmModule {
  default: (arg?: unknown) => Promise<unknown>;
  check: (matterId: string, submission: unknown, options?: unknown) => unknown;
  checkJson?: (matterId: string, submissionJson: string, optionsJson?: string) => string;
  checkCompact?: (matterId: string, submissionJson: string, optionsJson?: string) => string;
  matters: () => unknown;
  matter: (id: string, onDate?: string) => unknown;
  labels: () => unknown;
  materialRequirements: (matterId: string, onDate?: string) => unknown;
  verdictDigest?: (verdictJson: string) => string;
  engineVersion?: () => string;
  rulesDigest?: () => string;
  openBundle: (bundleJson: string, trustedKeysJson: string) => unknown;
  addBundleFiles: (fileTexts: string[]) => unknown;
}

export interface Checked {
  verdict: Verdict;
  json: string | null;
}

export class Engine {
  private requirements = new WeakMap<MaterialDef, Text>();

  constructor(
    private m: WasmModule,
    private rules: Rules,
  ) {}

  /** Every matter of the bundle (from its signed manifest: no matter's files are needed). */
  matters(): MatterSummary[] {
    return this.rules.manifest.matters;
  }

  /** The signed bundle's revision, as every verdict names it. */
  revision(): string {
    return this.rules.manifest.revision;
  }

  /** Whether a matter's rules are loaded (matter() and check() work for it now). */
  has(id: string): boolean {
    return this.rules.has(id);
  }

  /** Loads every matter's rules (the finder searches their material names). */
  prepareAll(): Promise<void> {
    return this.rules.needAll();
  }

  /** Loads a matter's rules (its files, verified) before matter() or check() asks for it. */
  async prepare(id: string): Promise<void> {
    try {
      await this.rules.need(id);
    } catch (e) {
      const detail = (e as { detail?: unknown }).detail;
      if (isError(detail)) throw new EngineFailure(detail);
      throw e;
    }
  }

  matter(id: string, onDate?: string): MatterDef {
    const r = onDate ? this.m.matter(id, onDate) : this.m.matter(id);
    if (isError(r)) throw new EngineFailure(r);
    const def = r as MatterDef;
    const reqs = onDate ? this.m.materialRequirements(id, onDate) : this.m.materialRequirements(id);
    if (isError(reqs)) throw new EngineFailure(reqs);
    for (const x of def.materials) {
      const t = (reqs as Record<string, Text>)[x.id];
      if (t) this.requirements.set(x, t);
    }
    return def;
  }

  /** The verdict and, when the engine offers it, the exact JSON bytes it printed (for digests). */
  check(matterId: string, submission: Submission): Checked {
    if (this.m.checkJson) {
      try {
        const json = this.m.checkJson(matterId, JSON.stringify(submission));
        const parsed = JSON.parse(json);
        if (isError(parsed)) throw new EngineFailure(parsed);
        return { verdict: parsed as Verdict, json };
      } catch (e) {
        if (e instanceof EngineFailure) throw e;
        // fall through to the object API
      }
    }
    const r = this.m.check(matterId, submission);
    if (isError(r)) throw new EngineFailure(r);
    return { verdict: r as Verdict, json: null };
  }

  /**
   * The compact check for a keystroke: outcome, finding codes and targets, checklist flags and
   * pledge availability, no prose and no notice (a fraction of the work of check()). Use check()
   * when text is shown. Null when the module has no compact check.
   */
  compact(matterId: string, submission: Submission): CompactVerdict | null {
    return this.compactChecked(matterId, submission)?.compact ?? null;
  }

  /**
   * The compact check with its exact bytes: two checks whose bytes are equal say the same words
   * (`words` fingerprints the full verdict's sentences). Null when the module has none.
   */
  compactChecked(matterId: string, submission: Submission): { compact: CompactVerdict; json: string } | null {
    if (!this.m.checkCompact) return null;
    const json = this.m.checkCompact(matterId, JSON.stringify(submission));
    const parsed = JSON.parse(json);
    if (isError(parsed)) throw new EngineFailure(parsed);
    return { compact: parsed as CompactVerdict, json };
  }

  labels(): Labels {
    return this.m.labels() as Labels;
  }

  /** What a material of a matter() definition must be handed in as, in the engine's words. */
  requirement(material: MaterialDef): Text {
    const t = this.requirements.get(material);
    if (!t) throw new Error(`no requirement for material ${material.id}: load it with matter()`);
    return t;
  }

  verdictDigest(json: string | null): string | null {
    if (!json || !this.m.verdictDigest) return null;
    try {
      const d = this.m.verdictDigest(json);
      return typeof d === 'string' && d.startsWith('sha256:') ? d : null;
    } catch {
      return null;
    }
  }

  engineVersion(): string {
    try {
      return this.m.engineVersion?.() ?? '';
    } catch {
      return '';
    }
  }

  rulesDigest(): string {
    try {
      return this.m.rulesDigest?.() ?? '';
    } catch {
      return '';
    }
  }
}

/** The engine's own words for a failure (zh first), or null when it is not the engine's. */
export function engineMessage(e: unknown): string | null {
  if (!(e instanceof EngineFailure)) return null;
  const { code, message } = e.detail.error;
  return `${message.zh} ${message.en} (${code})`;
}

export class EngineFailure extends Error {
  constructor(public detail: EngineError) {
    super(`${detail.error.code}: ${detail.error.message.en}`);
  }
}

let loading: Promise<Engine> | null = null;
let current: Engine | null = null;

/** The loaded engine (after loadEngine resolved). */
export function loadedEngine(): Engine {
  if (!current) throw new Error('the engine is not loaded yet');
  return current;
}

/**
 * Loads /pkg/qiquan.js and the signed rules bundle (./rules.ts) once, with the files of `matter`
 * (the matter the page is about, if it knows it yet; others load with Engine.prepare). The URL
 * is kept out of the bundle: the server serves pkg/ itself.
 */
export function loadEngine(matter: string | null = null): Promise<Engine> {
  if (!loading) {
    loading = (async () => {
      const fetched = fetchRules(matter);
      const m = await wasmModule();
      await fetched;
      let rules: Rules;
      try {
        rules = await Rules.open(m, matter);
      } catch (e) {
        const detail = (e as { detail?: unknown }).detail;
        if (isError(detail)) throw new EngineFailure(detail);
        throw e;
      }
      const engine = new Engine(m, rules);
      setEngineLabels(engine.labels());
      current = engine;
      return engine;
    })();
  }
  return loading;
}

let module: Promise<WasmModule> | null = null;

/** /pkg/qiquan.js, instantiated once (the URL is kept out of the bundle: the server serves pkg/). */
function wasmModule(): Promise<WasmModule> {
  if (!module) {
    module = (async () => {
      const url = '/pkg/qiquan.js';
      const m = (await import(/* @vite-ignore */ url)) as WasmModule;
      await m.default();
      return m;
    })();
  }
  return module;
}

/**
 * Only the engine's labels(), for a page that checks nothing (the 容缺 ledger): the module
 * without the rules bundle.
 */
export async function loadLabels(): Promise<Labels> {
  const l = (await wasmModule()).labels() as Labels;
  setEngineLabels(l);
  return l;
}

/** Now, on the page's clock, as RFC 3339 in China time (+08:00). The engine never reads a clock. */
export function nowInChina(now: Date = new Date()): string {
  const t = new Date(now.getTime() + 8 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}+08:00`;
}
