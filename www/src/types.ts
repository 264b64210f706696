// Shapes of the engine's JSON (src/verdict.rs, src/model.rs, src/submission.rs). Display only:
// nothing here evaluates a rule.

export interface Text { zh: string; en: string }

export type Outcome = 'accept' | 'accept_with_pledge' | 'correction_required' | 'not_accepted';
export type ApplicantKind =
  | 'natural_person' | 'enterprise_legal_person' | 'institution_legal_person'
  | 'social_organization_legal_person' | 'administrative_organ' | 'other_organization';
export type Channel = 'window' | 'online' | 'kiosk';
export type MaterialStatus = 'provided' | 'flawed' | 'missing';
export type SubmittedForm = 'original' | 'copy' | 'original_and_copy';

export interface TimeLimit { value: number; unit: 'working_days' | 'natural_days' | 'on_the_spot' }

export interface FieldDef {
  id: string;
  label: Text;
  type: 'text' | 'date' | 'number' | 'boolean' | 'choice' | 'id_card' | 'uscc' | 'phone';
  required?: boolean;
  pattern_hint?: Text;
  min_length?: number;
  max_length?: number;
  min?: number;
  max?: number;
  options?: { id: string; label: Text }[];
  help?: Text;
}

export interface MaterialDef {
  id: string;
  name: Text;
  key: boolean;
  form?: 'original' | 'copy' | 'original_and_copy' | 'original_or_copy';
  originals?: number;
  copies?: number;
  medium?: 'paper' | 'electronic' | 'paper_or_electronic';
  source?: 'applicant' | 'issuing_department';
  issuer?: Text;
  tolerable?: boolean;
  pledge_period?: TimeLimit;
  acceptance_standard?: Text;
  basis: string;
}

export interface MatterDef {
  matter: string;
  version: string;
  effective_from: string;
  name: Text;
  department: Text;
  legal_basis: string;
  case_type: 'instant' | 'promised' | 'joint' | 'forwarded';
  applicant_kinds: ApplicantKind[];
  statutory_limit: TimeLimit;
  promised_limit: TimeLimit;
  statutory_extension?: TimeLimit;
  pledge_terms?: Text;
  fields: FieldDef[];
  materials: MaterialDef[];
}

export interface MatterSummary {
  id: string;
  name: Text;
  department: Text;
  case_type: MatterDef['case_type'];
  applicant_kinds: ApplicantKind[];
}

export interface Finding {
  code: string;
  target: { kind: 'applicant' | 'field' | 'material'; id: string };
  label: Text;
  reason?: string;
  key?: boolean;
  tolerable?: boolean;
  note?: string;
  basis: string;
  message: Text;
}

export interface FieldState { id: string; applies: boolean; required: boolean; ok: boolean }
export interface MaterialState {
  id: string; applies: boolean; key: boolean; tolerable: boolean; status: MaterialStatus; ok: boolean;
}

export interface Verdict {
  matter: string;
  matter_name: Text;
  version: string;
  rules_digest: string;
  engine_version: string;
  received_at: string;
  channel: Channel;
  outcome: Outcome;
  outcome_label: Text;
  findings: Finding[];
  checklist: { fields: FieldState[]; materials: MaterialState[] };
  pledge: {
    items: { material: string; name: Text; due: string }[];
    applicant_eligible: boolean;
    would_accept: boolean;
    signed: boolean;
    pledge_due?: string | null;
    blocked_by: string[];
    terms?: Text | null;
  };
  deadlines: {
    received_on: string;
    accepted_on: string;
    clock_starts: 'acceptance' | 'materials_complete';
    promised_due?: string | null;
    statutory_due?: string | null;
    statutory_extended_due?: string | null;
    pledge_due?: string | null;
    paused_days: number;
    provisional: boolean;
  };
  notice?: { title: Text; text: Text } | null;
}

export interface EngineError { error: { code: string; message: Text } }

export interface MaterialSubmission {
  status: MaterialStatus;
  form?: SubmittedForm;
  medium?: 'paper' | 'electronic';
  note?: string;
}

export interface Submission {
  applicant: { kind: ApplicantKind; bad_credit?: boolean };
  channel: Channel;
  received_at?: string;
  fields: Record<string, string | number | boolean>;
  materials: Record<string, MaterialSubmission>;
  pledge_signed: boolean;
}

export interface Receipt {
  receipt_no: string;
  matter: string;
  version: string;
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
  verdict_json: string;
  verdict_digest: string;
  digest_match: boolean | null;
  receipt: Receipt | null;
}

export function isError(x: unknown): x is EngineError {
  return typeof x === 'object' && x !== null && 'error' in x;
}
