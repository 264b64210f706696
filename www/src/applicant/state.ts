// The applicant page's state (one application being filled in) and what follows from it alone:
// the decision that counts, the receipt, the submission and its check. No DOM here.
import { nowInChina, type Engine } from '../engine';
import { buildSubmission, type Value } from '../ui';
import type { Rechecker } from '../recheck';
import type {
  Receipt,
  ApplicantKind,
  MaterialSubmission,
  MatterDef,
  MatterSummary,
  ServerCheckResponse,
  Text,
  Verdict,
} from '../types';
import type { Application, UploadState } from '../register';

export interface State {
  /** Null until the wasm engine has arrived (the questions may already be on screen). */
  engine: Engine | null;
  /** Per keystroke the compact check; the full verdict when its words would change. */
  checker: Rechecker | null;
  matters: MatterSummary[];
  matterId: string;
  def: MatterDef | null;
  kind: ApplicantKind;
  values: Record<string, Value>;
  materials: Record<string, MaterialSubmission>;
  files: Record<string, string>;
  pledgeSigned: boolean;
  verdict: Verdict | null;
  verdictJson: string | null;
  touched: Set<string>;
  showAll: boolean;
  server: ServerCheckResponse | null;
  submitting: boolean;
  /** Something was answered: until then the result box is neutral, not "需补正材料". */
  started: boolean;
  /** The finder is open although a matter is chosen (更换事项). */
  picking: boolean;
  /** Answers came back from this device's draft (said once above the form). */
  restored: boolean;
  /** One Idempotency-Key per application: a second tap (or a retry) gets the same receipt. */
  idemKey: string;
  /** The chosen files themselves, uploaded on submit. */
  fileObjs: Record<string, File>;
  /** A chosen file refused before sending (empty, wrong type, too large): the engine's words. */
  fileProblems: Record<string, Text>;
  uploads: Record<string, UploadState>;
  /** The Idempotency-Key of the application body last sent to the register (a retry reuses it). */
  draft: { fingerprint: string; key: string } | null;
  /** The application the register recorded, with its decision, number and receipt. */
  app: Application | null;
  /** The recorded decision's exact bytes with its notice numbered (for the printed receipt). */
  appDoc: Verdict | null;
  registerError: string | null;
  /** The register's error code with it (`not_identifiable`: nothing was numbered; say what is missing). */
  registerCode: string | null;
}

/** The page's one application (filled in place: every module sees the same object). */
export const S: State = {
  engine: null,
  checker: null,
  matters: [],
  matterId: '',
  def: null,
  kind: 'enterprise_legal_person',
  values: {},
  materials: {},
  files: {},
  pledgeSigned: false,
  verdict: null,
  verdictJson: null,
  touched: new Set(),
  showAll: false,
  server: null,
  submitting: false,
  started: false,
  picking: false,
  restored: false,
  idemKey: '',
  fileObjs: {},
  fileProblems: {},
  uploads: {},
  draft: null,
  app: null,
  appDoc: null,
  registerError: null,
  registerCode: null,
};

/** The decision that counts: the register's (from the files it received), else the re-check's. */
export function serverVerdict(): Verdict | null {
  return S.app?.verdict ?? S.server?.verdict ?? null;
}

/**
 * The receipt: the register's, when it recorded and accepted the application. The re-check
 * (`/check`) signs none; when the register failed (files missing, unreachable) there is none.
 */
export function currentReceipt(): Receipt | null {
  return S.app?.receipt ?? null;
}

/** The server accepted the application and gave it a receipt: the form is done. */
export function accepted(): boolean {
  const o = serverVerdict()?.outcome;
  return !!S.server && !!currentReceipt() && (o === 'accept' || o === 'accept_with_pledge');
}

/**
 * Re-checks the answers. `typed`: a keystroke into that field (the compact check first; the full
 * verdict only when its words would change); otherwise the full check.
 */
export function runCheck(typed: string | null = null): void {
  const checker = S.checker;
  if (!S.def || !checker) return;
  const receivedAt = nowInChina();
  const r = checker.run({
    matterId: S.matterId,
    signed: S.pledgeSigned,
    previous: S.verdict,
    typed,
    build: (hidden, signed) =>
      buildSubmission({
        kind: S.kind,
        channel: 'online',
        receivedAt,
        values: S.values,
        materials: S.materials,
        pledgeSigned: signed,
        hiddenFields: hidden.fields,
        hiddenMaterials: hidden.materials,
      }),
  });
  S.pledgeSigned = r.signed;
  S.verdict = r.verdict;
  S.verdictJson = r.json;
}

export function currentSubmission() {
  const hidden = {
    fields: new Set((S.verdict?.checklist.fields ?? []).filter((f) => f.applies === false).map((f) => f.id)),
    materials: new Set((S.verdict?.checklist.materials ?? []).filter((m) => m.applies === false).map((m) => m.id)),
  };
  return buildSubmission({
    kind: S.kind,
    channel: 'online',
    receivedAt: S.verdict?.received_at ?? nowInChina(),
    values: S.values,
    materials: S.materials,
    pledgeSigned: S.pledgeSigned,
    hiddenFields: hidden.fields,
    hiddenMaterials: hidden.materials,
  });
}
