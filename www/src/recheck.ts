// The re-check of a form (issue 17): each keystroke runs the engine's compact check (outcome,
// finding codes and targets, checklist flags, the values read differently, pledge availability
// and `words`, a fingerprint of the full verdict's sentences about the answers; no prose, no
// notice). The full verdict, whose words the page shows, is asked for only when the compact
// check's bytes differ from those of the last full verdict's answers, or the minute of receipt
// (the dates, the 收件时间 line) does. Otherwise the page keeps the last full verdict, which says
// exactly what a new one would. No rule logic here: the engine answers every question; this only
// decides when its prose is needed again.
import type { Checked, Engine } from './engine';
import type { CompactVerdict } from '../../pkg/qiquan';
import type { Submission, Verdict } from './types';

/** Fields and materials whose answers are not sent (the last check said they do not apply). */
export interface Hidden {
  fields: Set<string>;
  materials: Set<string>;
}

interface Flag {
  id: string;
  applies: boolean | 'unknown';
}

function hiddenOf(fields: Flag[], materials: Flag[]): Hidden {
  return {
    fields: new Set(fields.filter((f) => f.applies === false).map((f) => f.id)),
    materials: new Set(materials.filter((m) => m.applies === false).map((m) => m.id)),
  };
}

/** What the verdict says does not apply: those answers are not sent (they would be stale). */
export function hiddenSets(v: Verdict | null): Hidden {
  return hiddenOf(v?.checklist.fields ?? [], v?.checklist.materials ?? []);
}

/**
 * Checks until what applies stops changing: a hidden field's answer is not sent, which may in turn
 * change what applies. The engine decides every step; this only feeds its answer back.
 */
function stable<T>(run: (hidden: Hidden) => T, hidden: Hidden, hiddenIn: (t: T) => Hidden): [T, Hidden] {
  let v = run(hidden);
  for (let i = 0; i < 4; i++) {
    const next = hiddenIn(v);
    if (sameSet(next.fields, hidden.fields) && sameSet(next.materials, hidden.materials)) break;
    hidden = next;
    v = run(hidden);
  }
  return [v, hidden];
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The minute of receipt: the dates depend on the day (and an online cut-off), 收件时间 shows the minute. */
const minute = (s: Submission) => s.received_at?.slice(0, 16) ?? '';

export interface RecheckArgs {
  matterId: string;
  /** The submission without the answers `hidden` leaves out, with the pledge signed or not. */
  build: (hidden: Hidden, signed: boolean) => Submission;
  /** The pledge signed on the page (dropped when the engine no longer offers it). */
  signed: boolean;
  /** The verdict the page shows now: its checklist says which answers are not sent. */
  previous: Verdict | null;
  /**
   * A keystroke (a character typed into this field, note or number): the compact check decides
   * whether the full verdict is needed. Absent: anything else (a choice, an upload, a field left,
   * submit, print, a result screen): the full check.
   */
  typed?: string | null;
}

export interface Rechecked {
  /** The full verdict for the submission: new, or the last one when its words are the same. */
  verdict: Verdict;
  /** Its exact bytes (for the digest sent on submit), when the engine gave them. */
  json: string | null;
  /** The submission checked now (what a hand-over or a record stores). */
  submission: Submission;
  signed: boolean;
  /** Whether the full check ran for this change. */
  full: boolean;
}

interface Quick {
  compact: CompactVerdict;
  json: string;
  submission: Submission;
  signed: boolean;
}

export class Rechecker {
  /** The last full verdict, the compact check's bytes for its answers and its minute of receipt. */
  private last: { matterId: string; compact: string | null; minute: string; checked: Checked } | null = null;

  constructor(private engine: Engine) {}

  /** Forgets the last full verdict (another matter, or a form cleared). */
  reset(): void {
    this.last = null;
  }

  run(a: RecheckArgs): Rechecked {
    const last = this.last;
    if (a.typed && last && last.matterId === a.matterId && last.compact !== null) {
      const quick = this.compact(a, a.signed, hiddenSets(a.previous));
      if (quick) {
        if (quick.json === last.compact && minute(quick.submission) === last.minute) {
          return {
            verdict: last.checked.verdict,
            json: last.checked.json,
            submission: quick.submission,
            signed: quick.signed,
            full: false,
          };
        }
        return this.full(a, quick.signed, hiddenOf(quick.compact.fields, quick.compact.materials), quick);
      }
    }
    return this.full(a, a.signed, hiddenSets(a.previous), null);
  }

  /** The compact check until what applies is stable (null: the module has none). */
  private compact(a: RecheckArgs, signed: boolean, start: Hidden): Quick | null {
    const at: { submission?: Submission; json?: string } = {};
    const run = (sign: boolean) => (hidden: Hidden) => {
      at.submission = a.build(hidden, sign);
      const r = this.engine.compactChecked(a.matterId, at.submission);
      if (!r) throw new NoCompact();
      at.json = r.json;
      return r.compact;
    };
    const hiddenIn = (c: CompactVerdict) => hiddenOf(c.fields, c.materials);
    try {
      let [c, hidden] = stable(run(signed), start, hiddenIn);
      if (signed && !c.pledge.available) {
        // The offer is gone (something else changed): the signature no longer applies.
        signed = false;
        [c, hidden] = stable(run(false), hidden, hiddenIn);
      }
      return { compact: c, json: at.json!, submission: at.submission!, signed };
    } catch (e) {
      if (e instanceof NoCompact) return null;
      throw e;
    }
  }

  /** The full check (until stable), remembered with the compact check's bytes for its answers. */
  private full(a: RecheckArgs, signed: boolean, start: Hidden, quick: Quick | null): Rechecked {
    const at: { checked?: Checked; submission?: Submission } = {};
    const run = (sign: boolean) => (hidden: Hidden) => {
      at.submission = a.build(hidden, sign);
      at.checked = this.engine.check(a.matterId, at.submission);
      return at.checked.verdict;
    };
    let [v, hidden] = stable(run(signed), start, hiddenSets);
    if (signed && !v.pledge.would_accept) {
      // The offer is gone (something else changed): the signature no longer applies.
      signed = false;
      [v, hidden] = stable(run(false), hidden, hiddenSets);
    }
    const checked = at.checked!;
    const submission = at.submission!;
    // The next keystroke compares its compact check with this one's (one more small check when
    // this was not a keystroke, or the answers sent changed on the way).
    const compact =
      quick && JSON.stringify(quick.submission) === JSON.stringify(submission)
        ? quick.json
        : (this.engine.compactChecked(a.matterId, submission)?.json ?? null);
    this.last = { matterId: a.matterId, compact, minute: minute(submission), checked };
    return { verdict: v, json: checked.json, submission, signed, full: true };
  }
}

/** The engine module has no compact check: every change gets the full one. */
class NoCompact extends Error {}
