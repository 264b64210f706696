// Drafts on this device: the answers (never files) kept in localStorage a moment after each change.
import { S, accepted } from './state';
import type { Value } from '../ui';
import type { ApplicantKind } from '../types';

const DRAFT_KEY = 'qiquan.draft.v1';

export interface Draft {
  matterId: string;
  kind: ApplicantKind;
  values: Record<string, Value>;
  pledgeSigned: boolean;
}

export function loadDraft(): Draft | null {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as Draft | null;
    return d && typeof d.matterId === 'string' && d.values && typeof d.values === 'object' ? d : null;
  } catch {
    return null;
  }
}

let draftTimer = 0;

/** Kept on this device only (no files), a moment after the last change. */
export function saveDraft(): void {
  window.clearTimeout(draftTimer);
  draftTimer = window.setTimeout(() => {
    try {
      if (!S.def || accepted() || !S.started) return;
      const d: Draft = { matterId: S.matterId, kind: S.kind, values: S.values, pledgeSigned: S.pledgeSigned };
      localStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    } catch {
      /* private mode or full: nothing kept */
    }
  }, 250);
}

export function forgetDraft(): void {
  window.clearTimeout(draftTimer);
  try {
    localStorage.removeItem(DRAFT_KEY);
  } catch {
    /* ignore */
  }
}

export function applyDraft(d: Draft): void {
  if (S.def?.applicant_kinds.includes(d.kind)) S.kind = d.kind;
  S.values = { ...d.values };
  S.pledgeSigned = d.pledgeSigned === true;
  S.started = Object.keys(S.values).length > 0;
  for (const id of Object.keys(S.values)) S.touched.add(id);
  S.restored = S.started;
}
