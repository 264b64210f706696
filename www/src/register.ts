// The case register's client (POST /v1/applications, PUT …/materials/{id}, POST …/submit): the
// online form records its application on the server, uploads each file with progress and
// retries, and shows the decision the server recorded. No rule logic: the server decides.
import type { Receipt, Verdict } from './types';
import type { ApiError, ApiErrorCode, Text } from './types';
import { authHeaders } from './auth';

/**
 * The applicant's capability for each application created in this tab (returned once by the
 * server, kept in memory only): it alone lets its holder read and complete that application.
 */
const capabilities = new Map<string, string>();

/** What proves the right to act on application `id`: the staff token, and its capability. */
function credentials(id: string | null): Record<string, string> {
  const cap = id ? capabilities.get(id) : undefined;
  return { ...authHeaders(), ...(cap ? { 'X-Qiquan-Capability': cap } : {}) };
}

/** An application as the register returns it (the fields the pages use). */
export interface Application {
  id: string;
  matter: string;
  status: 'draft' | 'decided';
  outcome: string | null;
  number: string | null;
  number_kind: string | null;
  case_state: string | null;
  case_state_label: Text;
  verdict: Verdict | null;
  receipt: Receipt | null;
  /** The verification code printed beside the 文号 (receipts are looked up by both). */
  receipt_code?: string | null;
  /** Only in the answer that created the application: its capability, shown once. */
  capability?: string;
}

export type UploadState =
  { state: 'uploading'; pct: number; attempt: number } | { state: 'done' } | { state: 'failed'; message: Text | null };

/** Why a request failed: the server's {zh, en} message when it gave one. */
export class RegisterFailure extends Error {
  constructor(
    readonly status: number,
    readonly text: Text | null,
    readonly code: ApiErrorCode | null,
  ) {
    super(text?.en ?? `HTTP ${status}`);
  }
}

/** A fresh Idempotency-Key: one per application body, reused on retries. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function failure(res: Response): Promise<RegisterFailure> {
  const body = (await res.json().catch(() => null)) as ApiError | null;
  return new RegisterFailure(res.status, body?.error?.message ?? null, body?.error?.code ?? null);
}

/** Stores the application (a draft when the body says so); the same key returns the same record. */
export async function createApplication(body: string, key: string): Promise<Application> {
  const res = await fetch('/v1/applications', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, ...authHeaders() },
    body,
  });
  if (!res.ok) throw await failure(res);
  const app = (await res.json()) as Application;
  if (app.capability) capabilities.set(app.id, app.capability);
  return app;
}

/**
 * Opens a capability link (`/?application=ID#capability=qqa_…`, from the create answer and the
 * receipt): keeps the capability in memory for this tab and strips the fragment from the address
 * bar (and so from history and bookmarks). The fragment never reaches the server. Returns the
 * application's id, or null when the address is no such link.
 */
export function openCapabilityLink(): string | null {
  const id = new URLSearchParams(location.search).get('application');
  if (!id) return null;
  const cap = new URLSearchParams(location.hash.replace(/^#/, '')).get('capability');
  if (cap) capabilities.set(id, cap);
  if (location.hash) history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return id;
}

/** The link that opens application `id` on another device (its capability in the fragment). */
export function capabilityLink(id: string): string | null {
  const cap = capabilities.get(id);
  return cap ? `${location.origin}/?application=${encodeURIComponent(id)}#capability=${cap}` : null;
}

/** The application as its capability's holder (or a staff member) may read it. */
export async function fetchApplication(id: string): Promise<Application> {
  const res = await fetch(`/v1/applications/${encodeURIComponent(id)}`, { headers: credentials(id) });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/** The decided verdict's exact bytes, its notice numbered (for printing the document). */
export async function numberedVerdict(id: string): Promise<Verdict> {
  const res = await fetch(`/v1/applications/${encodeURIComponent(id)}/document`, { headers: credentials(id) });
  if (!res.ok) throw await failure(res);
  return (await res.json()).verdict as Verdict;
}

/** Decides the draft from the files the server received. */
export async function submitDraft(id: string): Promise<Application> {
  const res = await fetch(`/v1/applications/${encodeURIComponent(id)}/submit`, {
    method: 'POST',
    headers: credentials(id),
  });
  if (!res.ok) throw await failure(res);
  return res.json();
}

/** One upload with progress (XMLHttpRequest: fetch has no upload progress). */
function put(id: string, material: string, file: File, onProgress: (pct: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', `/v1/applications/${encodeURIComponent(id)}/materials/${encodeURIComponent(material)}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    for (const [name, value] of Object.entries(credentials(id))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve();
        return;
      }
      let body: Partial<ApiError> | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      reject(new RegisterFailure(xhr.status, body?.error?.message ?? null, body?.error?.code ?? null));
    };
    xhr.onerror = () => reject(new RegisterFailure(0, null, null));
    xhr.ontimeout = () => reject(new RegisterFailure(0, null, null));
    xhr.send(file);
  });
}

/**
 * Uploads a file, retrying a dropped connection or a server error up to `tries` times (after 1 s,
 * 2 s, …); a refusal (4xx: too large, wrong type) is final. Reports each state.
 */
export async function uploadWithRetry(
  id: string,
  material: string,
  file: File,
  onState: (s: UploadState) => void,
  tries = 3,
): Promise<boolean> {
  for (let attempt = 1; attempt <= tries; attempt++) {
    onState({ state: 'uploading', pct: 0, attempt });
    try {
      await put(id, material, file, (pct) => onState({ state: 'uploading', pct, attempt }));
      onState({ state: 'done' });
      return true;
    } catch (e) {
      const f = e instanceof RegisterFailure ? e : new RegisterFailure(0, null, null);
      const final = f.status >= 400 && f.status < 500;
      if (final || attempt === tries) {
        onState({ state: 'failed', message: f.text });
        return false;
      }
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
  return false;
}
