// Engine types come from pkg/qiquan.d.ts, which tsify generates from the Rust types, so the
// pages cannot drift from the engine. Only the server's response shapes are written here.
import type { DocumentKind, Verdict } from '../../pkg/qiquan';

export type {
  ApplicantKind,
  CaseChoice,
  CaseChoices,
  CaseEvent,
  CaseStage,
  Channel,
  ChoiceOption,
  DeadlineBasis,
  Deadlines,
  FieldState,
  Finding,
  FindingCode,
  FindingReason,
  LimitClocks,
  DocumentKind,
  FactKey,
  IdentityDocument,
  Labels,
  LedgerStatus,
  Notice,
  PledgeDocument,
  MaterialState,
  MaterialStatus,
  MaterialSubmission,
  MatterSummary,
  Outcome,
  Pledge,
  PledgeBlock,
  PledgeItem,
  ServiceMethod,
  SpecialProcedure,
  Submission,
  SubmittedForm,
  Text,
  TimeLimit,
  Verdict,
  Field as FieldDef,
  Material as MaterialDef,
  MatterFile as MatterDef,
  ErrorEnvelope as EngineError,
} from '../../pkg/qiquan';
import type { ErrorEnvelope } from '../../pkg/qiquan';
// The server's error codes and its one error envelope, generated from the Rust enums.
export type { AccessCode, ApiError, ApiErrorCode, RegisterCode, ServerErrorCode } from './codes';

export interface Receipt {
  receipt_no: string;
  matter: string;
  version: string;
  outcome: string;
  /** The document it stands for, from verdict.notice. */
  document: DocumentKind;
  document_title: string;
  document_number: string;
  addressee: string;
  office: string;
  rules_digest: string;
  verdict_digest: string;
  accepted_on: string;
  promised_due?: string | null;
  statutory_due?: string | null;
  pledge_due?: string | null;
  issued_at: string;
  key_id: string;
  signature: string;
}

export interface ServerCheckResponse {
  verdict: Verdict;
  /** Only when the request sets include_verdict_json. */
  verdict_json?: string;
  verdict_digest: string;
  digest_match: boolean | null;
  // No receipt: a re-check records nothing. The receipt is the case register's (POST /v1/applications).
}

export function isError(x: unknown): x is ErrorEnvelope {
  return typeof x === 'object' && x !== null && 'error' in x;
}
