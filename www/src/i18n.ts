// The language of the pages and the two doors to words: tx() for the engine's {zh, en} texts
// (verdicts, matter(), labels()) and t() for the pages' own chrome (chrome.ts, the one dictionary).
import type { Labels, PledgeBlock, Text } from './types';
import { CHROME, type ChromeKey } from './chrome';
import { applyCare } from './care';

export type Lang = 'zh' | 'en';

const LANG_KEY = 'qiquan.lang';
let lang: Lang = 'zh';
const listeners: (() => void)[] = [];

export function initLang(allowEn = true): Lang {
  // Every page starts here: 关怀模式 as this device keeps it.
  applyCare();
  const fromUrl = new URLSearchParams(location.search).get('lang');
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LANG_KEY);
  } catch {
    /* private mode */
  }
  const want = fromUrl ?? stored;
  lang = allowEn && want === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  return lang;
}

export function getLang(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((f) => f());
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

/** An engine text in the current language. */
export function tx(t: Text | null | undefined): string {
  if (!t) return '';
  return lang === 'en' ? t.en : t.zh;
}

export type Key = ChromeKey;

/** A word of the pages' chrome in the current language, with `{name}` filled from `vars`. */
export function t(k: Key, vars?: Record<string, string | number>): string {
  let s = tx(CHROME[k]);
  if (vars) for (const [n, v] of Object.entries(vars)) s = s.replace(`{${n}}`, String(v));
  return s;
}

let labels: Labels | null = null;

/** Set once the engine is loaded (engine.ts). */
export function setEngineLabels(l: Labels): void {
  labels = l;
}

/** The engine's labels (applicant kinds, channels, material forms, statuses, pledge blocks, documents). */
export function engineLabels(): Labels {
  if (!labels) throw new Error('engine labels are not loaded yet');
  return labels;
}

/** Why a pledge cannot be used, in the engine's words. */
export function blockedReason(code: PledgeBlock): string {
  return tx(engineLabels().pledge_blocks[code]);
}

export function fmtDate(d: string | null | undefined): string {
  if (!d) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
  if (!m) return d;
  return lang === 'zh' ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : d;
}

export function fmtDateTime(s: string | null | undefined): string {
  if (!s) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(s);
  if (!m) return s;
  return lang === 'zh'
    ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日 ${m[4]}:${m[5]}`
    : `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} (UTC+8)`;
}
